// Starting, logging and stopping: bad options are refused with a message
// naming them, every request is logged on one line, and SIGTERM/SIGINT stop
// the collector cleanly after the answers in flight are stored.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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

const workspace = temporaryFolder();
after(() => workspace.remove());

test('bad options exit with status 2 and name the option', () => {
  const cases = [
    [['--port', '70000'], /--port: 70000 is not a port/],
    [['--rate', 'lots'], /--rate: "lots" is not a rate/],
    [['--synchronous', 'sometimes'], /--synchronous: "sometimes" is not a mode/],
    [
      ['--allow-origin', 'https://shop.example/path'],
      /--allow-origin: "https:\/\/shop\.example\/path" is not an origin/,
    ],
    [['--root', path.join(workspace.folder, 'missing')], /--root: ".*missing" is not a folder/],
    [['--max-body', '10'], /--max-body: 10 is out of range/],
  ];
  for (const [args, message] of cases) {
    const run = runNpskit(['serve', '--db', path.join(workspace.folder, 'never.db'), ...args], {
      timeout: 10000,
    });
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
  assert.ok(
    !existsSync(path.join(workspace.folder, 'never.db')),
    'no database is created for a refused start',
  );
});

test('the database folder is created when missing', sqliteOnly, async () => {
  const db = path.join(workspace.folder, 'nested', 'data', 'demo.db');
  const server = await startServer({ db });
  try {
    assert.equal((await postAnswer(server, answer())).status, 201);
    assert.ok(existsSync(db));
  } finally {
    await server.stop();
  }
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  test(`${signal} stops the collector cleanly, after the answers in flight`, async () => {
    const db = path.join(workspace.folder, `stop-${signal}.db`);
    const server = await startServer({ db, args: ['--rate', '0'] });
    const payloads = Array.from({ length: 40 }, (_, i) => answer({ score: i % 11 }));
    const sending = payloads.map((payload) => postAnswer(server, payload).catch(() => null));
    // Stop once the first answers are stored, while others are still arriving.
    await sending[0];
    server.child.kill(signal);
    const responses = await Promise.all(sending);
    const exit = await server.exited;
    assert.equal(exit.code, 0, server.log());
    assert.match(server.log(), new RegExp(`${signal} received`));
    assert.match(server.log(), /npskit serve: stopped\n$/);

    const acknowledged = payloads
      .filter((_, i) => responses[i] && responses[i].status === 201)
      .map((p) => p.id);
    const restarted = await startServer({ db });
    try {
      const stored = new Set((await storedAnswers(restarted)).map((row) => row.id));
      for (const id of acknowledged) assert.ok(stored.has(id), `acknowledged ${id} is stored`);
    } finally {
      await restarted.stop();
    }
  });
}

test('each request is logged on one line: time, method, path, status, duration', async () => {
  const server = await startServer({ db: path.join(workspace.folder, 'log.db') });
  await postAnswer(server, answer());
  await server.request({ path: '/api/summary' });
  await server.request({ path: '/no%0aforged%20line' });
  await server.stop();
  const lines = server
    .log()
    .split('\n')
    .filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));
  assert.equal(lines.length, 3, server.log());
  assert.match(lines[0], /^\S+Z POST \/api\/responses 201 \d+\.\d\dms$/);
  assert.match(lines[1], /^\S+Z GET \/api\/summary 200 \d+\.\d\dms$/);
  // A decoded newline in the path cannot start a forged log line.
  assert.match(lines[2], /^\S+Z GET \/no%0Aforged%20line 404 \d+\.\d\dms$/);
  assert.doesNotMatch(server.log(), /^forged/m);
});
