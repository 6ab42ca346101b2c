// CSAT and CES payloads at the collector: validated by the core with the
// same messages, stored as posted, never counted as NPS answers, and
// reported by /api/summary in "csat" and "ces" blocks that agree with
// `npskit summarize --json` on the collector's own export. The ratings are
// counted as they are stored (companions joined to their answer, taken back
// by erasure and replacement, counted once when an older database is
// opened), so that no summary has to read the payloads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  answer,
  backend,
  collectorForSuite,
  databaseFor,
  postAnswer,
  runNpskit,
  startServer,
  storedAnswers,
  temporaryFolder,
} from './server.mjs';

describe('CSAT and CES payloads', () => {
  const server = collectorForSuite();

  test('ratings off their scale are refused with the range', async () => {
    const six = await postAnswer(server, answer({ score: 9, csat: 6 }));
    assert.equal(six.status, 422);
    assert.match(six.text, /csat must be an integer from 1 to 5/);
    const standalone = await postAnswer(server, answer({ metric: 'ces', score: 8 }));
    assert.equal(standalone.status, 422);
    assert.match(standalone.text, /score must be an integer from 1 to 7 for metric \\?"ces\\?"/);
    const orphan = await postAnswer(server, answer({ score: 9, answer_id: answer().id }));
    assert.equal(orphan.status, 422);
    assert.match(orphan.text, /answer_id: only a csat or ces companion/);
  });

  test('summary joins companions and never counts them as NPS answers', async () => {
    const posted = [];
    const post = async (payload) => {
      const response = await postAnswer(server, payload);
      assert.ok(response.status < 300, `${response.status} ${response.text}`);
      posted.push(payload);
    };
    const web = answer({ score: 10, properties: { segment: 'web' }, csat: 5 });
    const app = answer({ score: 3, properties: { segment: 'app' } });
    await post(web);
    await post(app);
    await post(answer({ metric: 'ces', score: 2, answer_id: app.id }));
    await post(answer({ metric: 'ces', score: 6, answer_id: web.id }));
    await post(answer({ metric: 'csat', score: 4, properties: { segment: 'web' } }));
    await post(answer({ score: 8, properties: { segment: 'app' } }));

    const summary = (await server.request({ path: '/api/summary?by=segment' })).json();
    assert.equal(summary.n, 3, 'three NPS answers');
    assert.equal(summary.csat.n, 2);
    assert.equal(summary.csat.share, 100);
    assert.equal(summary.csat.share_interval.method, 'wilson');
    assert.equal(summary.ces.n, 2);
    assert.deepEqual(summary.ces.histogram, [0, 1, 0, 0, 0, 1, 0]);
    const cesApp = summary.ces.groups.find((group) => group.key === 'app');
    assert.equal(cesApp.n, 1, 'the companion counts in its answer’s segment');
    assert.equal(cesApp.mean, 2);

    const workspace = temporaryFolder();
    try {
      const exported = path.join(workspace.folder, 'export.jsonl');
      const lines = (await storedAnswers(server)).map((payload) => JSON.stringify(payload));
      writeFileSync(exported, `${lines.join('\n')}\n`);
      const command = runNpskit([
        'summarize',
        '--json',
        '--by',
        'segment',
        '--themes',
        '10',
        exported,
      ]);
      assert.equal(command.status, 0, command.stderr);
      const fromExport = JSON.parse(command.stdout);
      assert.deepEqual(summary.csat, fromExport.csat);
      assert.deepEqual(summary.ces, fromExport.ces);
      assert.equal(fromExport.n, summary.n);

      const csv = await server.request({ path: '/api/responses.csv' });
      assert.equal(csv.status, 200, csv.text);
      const exportedCsv = path.join(workspace.folder, 'export.csv');
      writeFileSync(exportedCsv, csv.raw);
      const fromCsv = runNpskit(['summarize', '--json', '--by', 'segment', exportedCsv]);
      assert.equal(fromCsv.status, 0, fromCsv.stderr);
      const csvSummary = JSON.parse(fromCsv.stdout);
      assert.equal(csvSummary.rejected, 0, JSON.stringify(csvSummary.rejections));
      assert.equal(csvSummary.n, summary.n);
      assert.deepEqual(csvSummary.csat, summary.csat);
      assert.deepEqual(csvSummary.ces, summary.ces);
    } finally {
      workspace.remove();
    }
  });
});

/** Runs SQL on the database a test names, on the backend under test. */
function runSql(db, sql) {
  const result =
    backend === 'postgresql'
      ? spawnSync(
          'psql',
          ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', databaseFor(db), '-c', sql],
          { encoding: 'utf8' },
        )
      : spawnSync('sqlite3', [db], { input: sql, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

// The schema before ratings were counted: the rating tables did not exist,
// and answers with ratings only (companions, CSAT or CES surveys) were set
// aside. (Answers with a score and ratings were set aside too; here they stay
// counted as NPS answers, whose ratings the upgrade must count all the same.)
const beforeRatingCounts = {
  sqlite: `INSERT INTO uncounted_answers (sequence, survey, date)
  SELECT r.sequence, r.survey, substr(r.submitted_at, 1, 10) FROM responses AS r
  JOIN rated_answers USING (sequence) WHERE json_extract(r.payload, '$.metric') IS NOT NULL;
DROP TABLE rating_counts;
DROP TABLE rated_answers;
PRAGMA user_version = 5;`,
  postgresql: `INSERT INTO uncounted_answers (sequence, survey, date)
  SELECT r.sequence, r.survey, left(r.submitted_at, 10) FROM responses AS r
  JOIN rated_answers AS a ON a.sequence = r.sequence WHERE r.payload::json->>'metric' IS NOT NULL;
DROP TABLE rating_counts, rated_answers;
DELETE FROM npskit_schema_migrations WHERE version = 6;`,
};

describe('rating counts', () => {
  const key = randomBytes(32);
  const sign = (contact, campaign) =>
    createHmac('sha256', key)
      .update(`npskit-link/1\nacme-nps\n${contact}\n${campaign}`)
      .digest('base64url');
  const personal = (contact, campaign, fields) =>
    answer({ channel: 'email', campaign, contact, sig: sign(contact, campaign), ...fields });
  let workspace;
  let db;
  let server;

  const start = async () => {
    const keyFile = path.join(workspace.folder, 'link.key');
    writeFileSync(keyFile, key.toString('base64url'), { mode: 0o600 });
    server = await startServer({
      db,
      args: ['--rate', '0', '--link-secret-file', keyFile],
    });
  };
  before(async () => {
    workspace = temporaryFolder();
    db = path.join(workspace.folder, 'ratings.db');
    await start();
  });
  after(async () => {
    await server?.stop();
    workspace?.remove();
  });

  const post = async (payload) => {
    const response = await postAnswer(server, payload);
    assert.equal(response.status, 201, response.text);
  };
  const erase = async (target) => {
    const response = await server.request({ method: 'DELETE', path: target });
    assert.equal(response.status, 200, response.text);
    return response.json().erased;
  };

  // Every grouping the dashboard asks for, whole and cut by date.
  const selections = [
    ['', []],
    ['by=segment', ['--by', 'segment']],
    ['by=day', ['--by', 'day']],
    ['by=week', ['--by', 'week']],
    ['by=channel', ['--by', 'channel']],
    ['by=campaign', ['--by', 'campaign']],
    ['by=segment&from=2026-11-22', ['--by', 'segment']],
    ['by=day&from=2026-11-22', ['--by', 'day']],
    ['by=segment&to=2026-11-21', ['--by', 'segment']],
    ['by=channel&from=2026-11-21&to=2026-11-21', ['--by', 'channel']],
  ];

  /** /api/summary from the counts, against `npskit summarize` on the export. */
  async function assertSummariesMatchExport(label) {
    assert.equal(
      runSql(db, 'SELECT count(*) FROM uncounted_answers;'),
      '0',
      `${label}: no answer is set aside, so summaries read counts only`,
    );
    for (const [query, flags] of selections) {
      const response = await server.request({ path: `/api/summary?${query}` });
      assert.equal(response.status, 200, response.text);
      const summary = response.json();
      const filter = query
        .split('&')
        .filter((part) => /^(from|to)=/.test(part))
        .join('&');
      const exported = path.join(workspace.folder, `export-${randomUUID()}.jsonl`);
      const rows = (await storedAnswers(server, filter ? `?${filter}` : '')).map((row) =>
        JSON.stringify(row),
      );
      writeFileSync(exported, rows.length > 0 ? `${rows.join('\n')}\n` : '');
      const cli = runNpskit(['summarize', '--json', ...flags, exported]);
      assert.equal(cli.status, 0, cli.stderr);
      assert.deepEqual(summary, JSON.parse(cli.stdout), `${label}: /api/summary?${query}`);
    }
  }

  const web = { segment: 'web' };
  const app = { segment: 'app' };
  const early = answer({
    score: 9,
    properties: web,
    user: { id: 'u-1' },
    submitted_at: '2026-11-20T09:00:00.000Z',
  });
  const late = answer({
    score: 3,
    properties: app,
    submitted_at: '2026-11-21T23:59:50.000Z',
  });
  const waitedFor = answer({ score: 7, properties: app, submitted_at: '2026-11-21T12:00:00.000Z' });
  const first = personal('c-1', 'spring', { score: 6, submitted_at: '2026-11-21T08:00:00.000Z' });
  const second = personal('c-1', 'spring', { score: 8, submitted_at: '2026-11-22T08:00:00.000Z' });

  test('companions, standalone and mixed ratings are counted as a reader of the export joins them', async () => {
    await post(early);
    await post(
      answer({
        metric: 'csat',
        score: 5,
        answer_id: early.id,
        properties: web,
        user: { id: 'u-1' },
        submitted_at: '2026-11-20T09:00:20.000Z',
      }),
    );
    await post(late);
    // Sent just after midnight from another page: in the group of its answer
    // when that answer is in the selection, in its own otherwise.
    await post(
      answer({
        metric: 'ces',
        score: 2,
        answer_id: late.id,
        properties: web,
        submitted_at: '2026-11-22T00:00:10.000Z',
      }),
    );
    // A companion that arrives before the answer it completes.
    await post(
      answer({
        metric: 'csat',
        score: 2,
        answer_id: waitedFor.id,
        properties: web,
        submitted_at: '2026-11-21T12:00:30.000Z',
      }),
    );
    await assertSummariesMatchExport('companion before its answer');
    await post(waitedFor);
    await post(
      answer({
        metric: 'csat',
        score: 4,
        properties: web,
        submitted_at: '2026-11-22T10:00:00.000Z',
      }),
    );
    await post(
      answer({
        score: 10,
        csat: 4,
        ces: 6,
        comment: 'great support',
        properties: app,
        submitted_at: '2026-11-20T15:00:00.000Z',
      }),
    );
    // The answer this one completes never arrives.
    await post(answer({ metric: 'ces', score: 7, answer_id: randomUUID(), properties: app }));
    const summary = (await server.request({ path: '/api/summary?by=segment' })).json();
    assert.equal(summary.n, 4, 'NPS answers only');
    assert.equal(summary.csat.n, 4);
    assert.equal(summary.ces.n, 3);
    const appCsat = summary.csat.groups.find((group) => group.key === 'app');
    assert.deepEqual(appCsat.histogram, [0, 1, 0, 1, 0], 'the early companion joined its answer');
    await assertSummariesMatchExport('stored');
  });

  test('a companion of a personal answer completes it, and leaves its group when a later answer replaces it', async () => {
    await post(first);
    await post(
      personal('c-1', 'spring', {
        metric: 'csat',
        score: 1,
        answer_id: first.id,
        properties: app,
        submitted_at: '2026-11-21T08:00:30.000Z',
      }),
    );
    const stored = await storedAnswers(server);
    assert.ok(
      stored.some((row) => row.id === first.id),
      'the companion did not replace the answer it completes',
    );
    await assertSummariesMatchExport('personal answer with its companion');
    await post(second);
    await post(
      personal('c-1', 'spring', {
        metric: 'csat',
        score: 5,
        answer_id: second.id,
        submitted_at: '2026-11-22T08:00:30.000Z',
      }),
    );
    const ids = (await storedAnswers(server)).map((row) => row.id);
    assert.equal(ids.includes(first.id), false, 'the later answer replaced the earlier one');
    await assertSummariesMatchExport('replaced');
  });

  test('erasure takes ratings back; companions of an erased answer count in their own group', async () => {
    assert.equal(await erase('/api/responses?user=u-1'), 2);
    await assertSummariesMatchExport('user erased');
    assert.equal(await erase(`/api/responses/${late.id}`), 1);
    const summary = (await server.request({ path: '/api/summary?by=segment' })).json();
    const webCes = summary.ces.groups.find((group) => group.key === 'web');
    assert.equal(webCes.n, 1, 'the companion of the erased answer is in its own segment');
    await assertSummariesMatchExport('answer erased');
  });

  test('a database from before rating counts counts its ratings once when opened', async () => {
    const before = (await server.request({ path: '/api/summary?by=day' })).json();
    await server.stop();
    server = undefined;
    runSql(db, beforeRatingCounts[backend]);
    assert.notEqual(runSql(db, 'SELECT count(*) FROM uncounted_answers;'), '0');
    await start();
    assert.deepEqual((await server.request({ path: '/api/summary?by=day' })).json(), before);
    await assertSummariesMatchExport('upgraded');
    // Stopped and opened again: counted once, not twice.
    await server.stop();
    await start();
    assert.deepEqual((await server.request({ path: '/api/summary?by=day' })).json(), before);
  });
});
