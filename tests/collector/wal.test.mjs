// The WAL stays bounded while the collector runs: 20,000 answers posted
// concurrently never grow npskit.db-wal past the documented bound (8 MiB),
// and a restart after SIGKILL has little to replay.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';

import {
  answer,
  postAnswer,
  runNpskit,
  sqliteOnly,
  startServer,
  storedAnswers,
  temporaryFolder,
} from './server.mjs';

const total = 20000;
const concurrency = 32;
const walBound = 8 * 1024 * 1024;
const loadDeadlineMs = 240_000;

const workspace = temporaryFolder();
after(() => workspace.remove());

function walSize(db) {
  try {
    return statSync(`${db}-wal`).size;
  } catch {
    return 0;
  }
}

test(
  `the WAL stays under ${walBound} bytes through ${total} answers and SIGKILL`,
  sqliteOnly,
  async () => {
    const db = path.join(workspace.folder, 'answers.db');
    const server = await startServer({ db, args: ['--rate', '0'] });
    let largestWal = 0;
    let stored = 0;
    let next = 0;
    const started = Date.now();
    try {
      async function worker() {
        while (next < total && Date.now() - started < loadDeadlineMs) {
          next += 1;
          const response = await postAnswer(
            server,
            answer({
              score: next % 11,
              comment: `answer ${next}: support was ${next % 3 ? 'fast' : 'slow'}`,
              properties: { segment: `segment-${next % 7}`, plan: 'pro' },
            }),
          );
          assert.equal(response.status, 201, response.text);
          stored += 1;
          if (stored % 250 === 0) largestWal = Math.max(largestWal, walSize(db));
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker));
      largestWal = Math.max(largestWal, walSize(db));
      assert.equal(stored, total, `only ${stored} answers were posted before the deadline`);
      console.log(`largest WAL seen: ${largestWal} bytes after ${total} answers`);
      assert.ok(largestWal < walBound, `the WAL reached ${largestWal} bytes`);
      const summary = (await server.request({ path: '/api/summary' })).json();
      assert.equal(summary.n, total);
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }

    const restartedAt = process.hrtime.bigint();
    const restarted = await startServer({ db, args: ['--rate', '0'] });
    try {
      const health = await restarted.request({ path: '/api/health' });
      const elapsedMs = Number(process.hrtime.bigint() - restartedAt) / 1e6;
      console.log(`restart after SIGKILL answered /api/health in ${elapsedMs.toFixed(1)} ms`);
      assert.equal(health.status, 200);
      assert.ok(elapsedMs < 5000, `the restart took ${elapsedMs} ms`);
      const summary = (await restarted.request({ path: '/api/summary' })).json();
      assert.equal(summary.n, total);
      // Exports read in slices; together they hold every answer once, in order.
      const exported = await storedAnswers(restarted);
      assert.equal(exported.length, total);
      assert.equal(new Set(exported.map((row) => row.id)).size, total);
      const csv = runNpskit(['export', '--db', db, '--format', 'csv'], { maxBuffer: 64 << 20 });
      assert.equal(csv.status, 0, csv.stderr);
      const sequences = csv.stdout
        .split('\r\n')
        .slice(1)
        .filter(Boolean)
        .map((line) => Number(line.slice(0, line.indexOf(','))));
      assert.deepEqual(
        sequences,
        Array.from({ length: total }, (_, index) => index + 1),
      );
    } finally {
      await restarted.stop();
    }
  },
);
