// The collector's database: counts filled when an older database is opened,
// /api/health degraded while commits fail, private file modes, and no file
// system path in any HTTP answer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
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

function sqlite(db, sql) {
  const result = spawnSync('sqlite3', [db], { input: sql, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

const quote = (text) => `'${String(text).replaceAll("'", "''")}'`;

test(
  'opening a database written before the counts fills them from its answers',
  sqliteOnly,
  async () => {
    const db = path.join(workspace.folder, 'version-1.db');
    const payloads = [];
    for (let i = 0; i < 40; i += 1) {
      payloads.push(
        answer({
          score: (i * 7) % 11,
          comment: i % 3 ? `support was ${i % 2 ? 'slow' : 'fast'}` : '',
          submitted_at: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00Z`,
          properties: { segment: ['smb', 'enterprise'][i % 2] },
        }),
      );
    }
    payloads.push({ ...answer(), type: 'dismissal', score: undefined });
    const rows = payloads.map((payload) => {
      const json = JSON.stringify(payload);
      const score = payload.type === 'dismissal' ? 'NULL' : payload.score;
      return `(${quote(payload.id)}, ${quote(payload.type)}, ${quote(payload.survey)}, ${score}, ${quote(payload.submitted_at)}, '2026-11-01T00:00:00.000Z', ${quote(json)})`;
    });
    sqlite(
      db,
      `PRAGMA journal_mode = WAL;
CREATE TABLE responses (sequence INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('response', 'dismissal')), survey TEXT NOT NULL,
  score INTEGER CHECK (score BETWEEN 0 AND 10), submitted_at TEXT NOT NULL,
  received_at TEXT NOT NULL, payload TEXT NOT NULL);
INSERT INTO responses (id, type, survey, score, submitted_at, received_at, payload) VALUES
${rows.join(',\n')};
PRAGMA user_version = 1;`,
    );
    const server = await startServer({ db, args: ['--rate', '0'] });
    try {
      const exported = path.join(workspace.folder, 'version-1.jsonl');
      writeFileSync(exported, (await server.request({ path: '/api/responses.jsonl' })).raw);
      for (const by of ['', 'segment', 'week', 'channel', 'campaign']) {
        const summary = await server.request({ path: `/api/summary?by=${by}` });
        assert.equal(summary.status, 200, summary.text);
        const cli = runNpskit(['summarize', '--json', ...(by ? ['--by', by] : []), exported]);
        assert.equal(cli.status, 0, cli.stderr);
        assert.deepEqual(summary.json(), JSON.parse(cli.stdout));
        assert.equal(summary.json().n, 40);
      }
      assert.equal(sqlite(db, 'PRAGMA user_version;').trim(), '6');
    } finally {
      await server.stop();
    }
  },
);

test('/api/health is degraded from a failed commit until one succeeds', sqliteOnly, async () => {
  const db = path.join(workspace.folder, 'degraded.db');
  const server = await startServer({ db, args: ['--rate', '0'] });
  try {
    assert.equal((await postAnswer(server, answer())).status, 201);
    assert.deepEqual((await server.request({ path: '/api/health' })).json(), { status: 'ok' });

    // Every write fails from now on, as on a full or failing disk.
    sqlite(
      db,
      `CREATE TRIGGER refuse_answers BEFORE INSERT ON responses
         BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`,
    );
    const refused = await postAnswer(server, answer());
    assert.equal(refused.status, 503, refused.text);
    assert.doesNotMatch(refused.text, new RegExp(workspace.folder));
    const degraded = await server.request({ path: '/api/health' });
    assert.equal(degraded.status, 503);
    assert.deepEqual(degraded.json(), { status: 'degraded' });
    assert.match(server.log(), /database or disk is full/);

    sqlite(db, 'DROP TRIGGER refuse_answers;');
    assert.equal((await postAnswer(server, answer())).status, 201);
    const healthy = await server.request({ path: '/api/health' });
    assert.equal(healthy.status, 200);
    assert.deepEqual(healthy.json(), { status: 'ok' });
    assert.equal((await storedAnswers(server)).length, 2);
  } finally {
    await server.stop();
  }
});

test(
  'the database, its WAL and created folders are private to their owner',
  sqliteOnly,
  async () => {
    const folder = path.join(workspace.folder, 'private', 'data');
    const db = path.join(folder, 'answers.db');
    const previous = process.umask(0o022);
    let server;
    try {
      server = await startServer({ db, args: ['--rate', '0'] });
    } finally {
      process.umask(previous);
    }
    try {
      assert.equal((await postAnswer(server, answer())).status, 201);
      const mode = (file) => statSync(file).mode & 0o777;
      assert.equal(mode(path.join(workspace.folder, 'private')), 0o700);
      assert.equal(mode(folder), 0o700);
      for (const file of [db, `${db}-wal`, `${db}-shm`]) {
        assert.equal(mode(file), 0o600, `${file} is ${mode(file).toString(8)}`);
      }
    } finally {
      await server.stop();
    }
  },
);

test('no HTTP answer names the database file when it cannot be read', sqliteOnly, async () => {
  const folder = path.join(workspace.folder, 'vanishing');
  mkdirSync(folder);
  const db = path.join(folder, 'answers.db');
  const server = await startServer({ db, args: ['--rate', '0'] });
  try {
    assert.equal((await postAnswer(server, answer({ comment: 'fine' }))).status, 201);
    // The read endpoints open the file by name; a tampered file fails them.
    sqlite(db, 'DROP TABLE score_counts;');
    for (const target of ['/api/summary', '/api/summary?by=day']) {
      const response = await server.request({ path: target });
      assert.equal(response.status, 500, response.text);
      assert.equal(response.json().error, 'storage_unavailable');
      assert.doesNotMatch(response.text, /vanishing|answers\.db/);
    }
    assert.match(server.log(), /answers\.db/);
  } finally {
    await server.stop();
  }
});

test('repeated summaries stay exact as answers arrive between them', async () => {
  const db = path.join(workspace.folder, 'growing.db');
  const server = await startServer({ db, args: ['--rate', '0'] });
  const phrases = ['support was slow', 'great support', 'pricing too high', 'great docs'];
  let next = 0;
  const postSome = async (count) => {
    for (let i = 0; i < count; i += 1, next += 1) {
      const response = await postAnswer(
        server,
        answer({
          score: (next * 3) % 11,
          comment: `${phrases[next % 4]} ${next % 5 ? 'again' : ''}`,
          submitted_at: `2026-11-${String(1 + (next % 20)).padStart(2, '0')}T10:00:00Z`,
        }),
      );
      assert.equal(response.status, 201, response.text);
    }
  };
  try {
    for (const round of [30, 25, 1, 40]) {
      await postSome(round);
      const file = path.join(workspace.folder, `growing-${next}.jsonl`);
      writeFileSync(file, (await server.request({ path: '/api/responses.jsonl' })).raw);
      for (const [query, flags] of [
        ['', []],
        ['?by=week&from=2026-11-05', ['--by', 'week']],
      ]) {
        const summary = await server.request({ path: `/api/summary${query}` });
        assert.equal(summary.status, 200, summary.text);
        const exported = query.includes('from')
          ? path.join(workspace.folder, `growing-${next}-from.jsonl`)
          : file;
        if (query.includes('from')) {
          writeFileSync(
            exported,
            (await server.request({ path: '/api/responses.jsonl?from=2026-11-05' })).raw,
          );
        }
        const cli = runNpskit(['summarize', '--json', ...flags, exported]);
        assert.equal(cli.status, 0, cli.stderr);
        assert.deepEqual(summary.json(), JSON.parse(cli.stdout), `after ${next} answers`);
      }
    }
  } finally {
    await server.stop();
  }
});
