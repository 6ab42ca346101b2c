// Several collectors on one PostgreSQL database: ids stored once whichever
// collector gets them, nothing acknowledged lost when a collector is killed
// or the database restarts, migrations that race, and imports that give the
// same summaries on both backends. Runs in the PostgreSQL pass of the
// collector tests (tests/collector/run-postgres.mjs).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { startCluster } from './postgres.mjs';
import {
  answer,
  backend,
  databaseFor,
  postAnswer,
  runNpskit,
  startServer,
  storedAnswers,
  temporaryFolder,
} from './server.mjs';

const onPostgres = { skip: backend !== 'postgresql' && 'runs in the PostgreSQL pass' };

const workspace = temporaryFolder();
after(() => workspace.remove());

/**
 * Posts `total` new answers from `concurrency` workers to the servers in turn.
 * Returns the ids each status was answered with; connection errors count as
 * not acknowledged. `onProgress` may stop the load by returning false.
 */
async function load(servers, { total, concurrency = 16, onProgress = () => true }) {
  const acknowledged = new Set();
  const statuses = new Map();
  let next = 0;
  let stopped = false;
  async function worker() {
    while (next < total && !stopped) {
      next += 1;
      const target = servers[next % servers.length];
      const payload = answer({ id: randomUUID(), score: next % 11 });
      try {
        const response = await postAnswer(target, payload);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 201 || response.status === 200) acknowledged.add(payload.id);
        if (response.status === 503) {
          assert.ok(Number(response.headers['retry-after']) > 0, 'a 503 says when to retry');
        }
      } catch {
        // Reset by a killed server: never acknowledged.
      }
      if ((await onProgress(acknowledged.size, statuses)) === false) stopped = true;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { acknowledged, statuses };
}

function missing(acknowledged, stored) {
  const ids = new Set(stored.map((row) => row.id));
  return [...acknowledged].filter((id) => !ids.has(id));
}

describe('two collectors on one database', onPostgres, () => {
  test('concurrent posts of the same ids to both store each id once, one 201 per id', async () => {
    const db = databaseFor(path.join(workspace.folder, 'shared.db'));
    const first = await startServer({ db, args: ['--rate', '0'] });
    const second = await startServer({ db, args: ['--rate', '0'] });
    try {
      const payloads = Array.from({ length: 300 }, (_, i) => answer({ score: i % 11 }));
      const posts = [];
      for (const payload of payloads) {
        for (const server of [first, second, first, second])
          posts.push(postAnswer(server, payload));
      }
      const responses = await Promise.all(posts);
      const created = new Map();
      for (const response of responses) {
        assert.ok([200, 201].includes(response.status), response.text);
        const { id, status } = response.json();
        assert.equal(status, response.status === 201 ? 'stored' : 'duplicate');
        if (response.status === 201) created.set(id, (created.get(id) ?? 0) + 1);
      }
      assert.equal(created.size, payloads.length);
      assert.ok([...created.values()].every((count) => count === 1));
      for (const server of [first, second]) {
        const stored = await storedAnswers(server);
        assert.equal(stored.length, payloads.length);
        assert.equal(new Set(stored.map((row) => row.id)).size, payloads.length);
        const summary = (await server.request({ path: '/api/summary' })).json();
        assert.equal(summary.n, payloads.length);
      }
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  test('SIGKILL of one collector under load loses no answer either acknowledged', async () => {
    const db = databaseFor(path.join(workspace.folder, 'killed.db'));
    const survivor = await startServer({ db, args: ['--rate', '0'] });
    const victim = await startServer({ db, args: ['--rate', '0'] });
    let killed = false;
    try {
      const { acknowledged } = await load([survivor, victim], {
        total: 2000,
        concurrency: 24,
        onProgress(count) {
          if (!killed && count >= 600) {
            killed = true;
            victim.child.kill('SIGKILL');
          }
        },
      });
      assert.equal((await victim.exited).signal, 'SIGKILL');
      const restarted = await startServer({ db, args: ['--rate', '0'] });
      try {
        const stored = await storedAnswers(restarted);
        assert.deepEqual(missing(acknowledged, stored), [], 'acknowledged ids are stored');
        assert.equal(new Set(stored.map((row) => row.id)).size, stored.length);
      } finally {
        await restarted.stop();
      }
    } finally {
      await survivor.stop();
      await victim.stop();
    }
  });

  test('collectors starting together migrate the schema once', async () => {
    const db = databaseFor(path.join(workspace.folder, 'racing.db'));
    const [one, two] = await Promise.all([
      startServer({ db, args: ['--rate', '0'] }),
      startServer({ db, args: ['--rate', '0'] }),
    ]);
    try {
      const migrate = runNpskit(['migrate', '--db', db]);
      assert.equal(migrate.status, 0, migrate.stderr);
      assert.match(migrate.stdout, /schema already at version \d+/);
      assert.equal((await postAnswer(one, answer())).status, 201);
      assert.equal((await postAnswer(two, answer())).status, 201);
      assert.equal((await storedAnswers(one)).length, 2);
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  test('npskit migrate alone applies the migrations, then finds nothing to do', () => {
    const db = databaseFor(path.join(workspace.folder, 'migrated.db'));
    const runs = [runNpskit(['migrate', '--db', db]), runNpskit(['migrate', '--db', db])];
    assert.equal(runs[0].status, 0, runs[0].stderr);
    assert.match(runs[0].stdout, /^applied migration 1$/m);
    assert.equal(runs[1].status, 0, runs[1].stderr);
    assert.match(runs[1].stdout, /schema already at version/);
    const refused = runNpskit(['migrate', '--db', path.join(workspace.folder, 'file.db')]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /is a SQLite file/);
  });
});

describe('the database restarting under load', onPostgres, () => {
  test('503 with Retry-After while it is down, nothing acknowledged lost, back without a restart', async () => {
    const cluster = await startCluster();
    let server;
    try {
      const db = cluster.createDatabase('restarting');
      server = await startServer({ db, args: ['--rate', '0'] });
      let phase = 'up';
      const { acknowledged, statuses } = await load([server], {
        total: 3000,
        concurrency: 8,
        async onProgress(count, seen) {
          if (phase === 'up' && count >= 300) {
            phase = 'down';
            cluster.stop('fast');
          } else if (phase === 'down' && (seen.get(503) ?? 0) >= 50) {
            phase = 'restarting';
            const health = await server.request({ path: '/api/health' });
            assert.equal(health.status, 503);
            assert.deepEqual(health.json(), { status: 'degraded' });
            cluster.start();
            phase = 'back';
          } else if (phase === 'back' && count >= 600) {
            return false;
          }
          return true;
        },
      });
      assert.equal(phase, 'back', `the load ended in phase ${phase}`);
      assert.ok(statuses.get(503) >= 50, 'answers were refused while the database was down');
      // Recovered by itself: health and posts work on the same process.
      let health;
      for (let attempt = 0; attempt < 50; attempt += 1) {
        health = await server.request({ path: '/api/health' });
        if (health.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(health.status, 200, health.text);
      assert.equal((await postAnswer(server, answer())).status, 201);
      const stored = await storedAnswers(server);
      assert.deepEqual(missing(acknowledged, stored), []);
      assert.equal(server.child.exitCode, null, 'the same collector kept running');
    } finally {
      await server?.stop();
      cluster.remove();
    }
  });
});

describe('importing an export', onPostgres, () => {
  const total = 100000;
  const segments = ['free', 'pro', 'team', ' Pro ', ''];
  const phrases = ['fast support', 'too expensive', 'great docs', 'slow pages', ''];

  function exportFile() {
    const file = path.join(workspace.folder, 'export.jsonl');
    const lines = [];
    for (let i = 0; i < total; i += 1) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const month = i % 3 === 0 ? '10' : '11';
      const fields = {
        id: randomUUID(),
        survey: i % 7 === 0 ? 'checkout' : 'acme-nps',
        score: (i * 7) % 11,
        submitted_at: `2026-${month}-${day}T${String(i % 24).padStart(2, '0')}:00:00Z`,
        comment: phrases[i % phrases.length],
        properties: { plan: segments[i % segments.length] },
      };
      if (i % 97 === 0) {
        lines.push(JSON.stringify({ ...answer(fields), type: 'dismissal', score: undefined }));
      } else {
        lines.push(JSON.stringify(answer(fields)));
      }
    }
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  test(`${total.toLocaleString('en')} answers into both backends give identical summaries, equal to the CLI`, async () => {
    const file = exportFile();
    const sqliteDb = path.join(workspace.folder, 'imported.db');
    const postgresDb = databaseFor(path.join(workspace.folder, 'imported-pg.db'));
    for (const db of [sqliteDb, postgresDb]) {
      const first = runNpskit(['import', '--db', db, file], { maxBuffer: 1 << 24 });
      assert.equal(first.status, 0, first.stderr);
      assert.equal(first.stdout.trim(), `${total} stored, 0 already there, 0 rejected`);
      assert.equal(first.stderr, '', 'no progress line when stderr is not a terminal');
      // Idempotent: a second run stores nothing.
      const again = runNpskit(['import', '--db', db], {
        input: readFileSync(file),
        maxBuffer: 1 << 24,
      });
      assert.equal(again.status, 0, again.stderr);
      assert.equal(again.stdout.trim(), `0 stored, ${total} already there, 0 rejected`);
    }
    const servers = [
      await startServer({ db: sqliteDb, args: ['--rate', '0'] }),
      await startServer({ db: postgresDb, args: ['--rate', '0'] }),
    ];
    try {
      const exported = path.join(workspace.folder, 'round-trip.jsonl');
      const jsonl = await servers[1].request({ path: '/api/responses.jsonl' });
      writeFileSync(exported, jsonl.raw);
      const sqliteExport = await servers[0].request({ path: '/api/responses.jsonl' });
      // Compared line by line: a diff of two 20 MB texts would take minutes.
      const [fromPostgres, fromSqlite] = [jsonl.text, sqliteExport.text].map((text) =>
        text.split('\n'),
      );
      assert.equal(fromPostgres.length, total + 1);
      assert.equal(fromSqlite.length, total + 1);
      const differing = fromPostgres.findIndex((line, i) => line !== fromSqlite[i]);
      assert.equal(
        differing,
        -1,
        `line ${differing + 1} differs:\n${fromPostgres[differing]}\n${fromSqlite[differing]}`,
      );
      for (const [query, flags] of [
        ['', []],
        ['?by=segment&themes=3', ['--by', 'segment', '--themes', '3']],
        ['?by=month&survey=acme-nps', ['--by', 'month']],
        ['?by=week&from=2026-11-03&to=2026-11-20', ['--by', 'week']],
      ]) {
        const [fromSqlite, fromPostgres] = await Promise.all(
          servers.map((server) => server.request({ path: `/api/summary${query}` })),
        );
        assert.equal(fromPostgres.status, 200, fromPostgres.text);
        assert.deepEqual(fromPostgres.json(), fromSqlite.json(), query);
        const selected = path.join(workspace.folder, 'selected.jsonl');
        const filter = query.replace(/[?&](by|themes)=[^&]*/g, '').replace(/^&/, '?');
        writeFileSync(
          selected,
          (
            await servers[1].request({
              path: `/api/responses.jsonl${filter.startsWith('?') ? filter : ''}`,
            })
          ).raw,
        );
        const cli = runNpskit(['summarize', '--json', ...flags, selected], { maxBuffer: 1 << 26 });
        assert.equal(cli.status, 0, cli.stderr);
        assert.deepEqual(fromPostgres.json(), JSON.parse(cli.stdout), `summary = CLI for ${query}`);
      }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  });
});
