// An answer the collector acknowledged (2xx) must survive the process being
// killed at any moment: the load test kills it with SIGKILL mid-way and, after
// a restart on the same database, looks for every acknowledged id.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, test } from 'node:test';

import {
  answer,
  postAnswer,
  sqliteOnly,
  startServer,
  storedAnswers,
  temporaryFolder,
} from './server.mjs';

const total = 2000;
const concurrency = 32;
const killAfterAcknowledged = 800;

const workspace = temporaryFolder();
after(() => workspace.remove());

for (const synchronous of ['FULL', 'NORMAL']) {
  test(
    `SIGKILL mid-load loses no acknowledged answer (synchronous ${synchronous})`,
    sqliteOnly,
    async () => {
      const db = path.join(workspace.folder, `answers-${synchronous}.db`);
      const server = await startServer({ db, args: ['--rate', '0', '--synchronous', synchronous] });
      const acknowledged = new Set();
      let refusedByServer = 0;
      let next = 0;
      let killed = false;

      async function worker() {
        while (next < total) {
          next += 1;
          const payload = answer({ id: randomUUID(), score: next % 11 });
          try {
            const response = await postAnswer(server, payload);
            if (response.status === 201 || response.status === 200) acknowledged.add(payload.id);
            else refusedByServer += 1;
          } catch {
            // Connection reset by the kill: never acknowledged, may or may not be stored.
          }
          if (!killed && acknowledged.size >= killAfterAcknowledged) {
            killed = true;
            server.child.kill('SIGKILL');
          }
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker));
      const exit = await server.exited;
      assert.equal(exit.signal, 'SIGKILL', 'the server was killed, not stopped');
      assert.equal(refusedByServer, 0);
      assert.ok(acknowledged.size >= killAfterAcknowledged);
      assert.ok(acknowledged.size < total, 'the kill happened mid-way');

      const restarted = await startServer({ db, args: ['--rate', '0'] });
      try {
        const stored = new Set((await storedAnswers(restarted)).map((row) => row.id));
        const lost = [...acknowledged].filter((id) => !stored.has(id));
        assert.deepEqual(
          lost,
          [],
          `${lost.length} of ${acknowledged.size} acknowledged answers were lost`,
        );
        // The restarted collector accepts new answers on the recovered database.
        assert.equal((await postAnswer(restarted, answer())).status, 201);
      } finally {
        await restarted.stop();
      }
    },
  );
}
