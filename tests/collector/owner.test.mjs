// The owner's endpoints: the inbox, follow-ups (PATCH), erasure (DELETE) and
// --retain-days, the ETag of /api/summary, and /admin/ served without --root.
// Every one of them needs the admin token.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  answer,
  backend,
  databaseFor,
  npskitBinary,
  postAnswer,
  startServer,
  temporaryFolder,
} from './server.mjs';

const token = 'owner-endpoints-test-token-0123456789abcdef';
const bearer = { Authorization: `Bearer ${token}` };

async function startWithToken(workspace, args = []) {
  const tokenFile = path.join(workspace.folder, 'admin.token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  return startServer({
    db: path.join(workspace.folder, 'answers.db'),
    args: ['--admin-token-file', tokenFile, '--rate', '0', ...args],
  });
}

function exportRows(db) {
  const exported = spawnSync(
    npskitBinary,
    ['export', '--db', databaseFor(db), '--format', 'jsonl'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(exported.status, 0, exported.stderr);
  return exported.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe('inbox, follow-ups and erasure', () => {
  let workspace;
  let server;
  const answers = [
    answer({ score: 2, comment: 'Slow checkout', user: { id: 'u-1' }, segment: 'pro' }),
    answer({ score: 9, comment: 'Great support', user: { id: 'u-2' }, segment: 'free' }),
    answer({ score: 7, comment: 'ok', user: { id: 'u-1' }, segment: 'free' }),
    answer({ score: 10, comment: 'Love it', user: { id: 42 }, survey: 'other-survey' }),
  ];

  before(async () => {
    workspace = temporaryFolder();
    server = await startWithToken(workspace);
    for (const payload of answers) assert.equal((await postAnswer(server, payload)).status, 201);
  });

  after(async () => {
    await server?.stop();
    workspace?.remove();
  });

  test('every owner endpoint refuses a request without the token', async () => {
    const id = answers[0].id;
    for (const [method, target] of [
      ['GET', '/api/inbox'],
      ['GET', '/api/surveys'],
      ['PATCH', `/api/responses/${id}`],
      ['DELETE', `/api/responses/${id}`],
      ['DELETE', '/api/responses?user=u-1'],
    ]) {
      const response = await server.request({
        method,
        path: target,
        headers: { 'Content-Type': 'application/json' },
        body: method === 'PATCH' ? '{"status":"done"}' : undefined,
      });
      assert.equal(response.status, 401, `${method} ${target}: ${response.text}`);
    }
    assert.equal(exportRows(path.join(workspace.folder, 'answers.db')).length, answers.length);
  });

  test('the inbox lists answers newest first and filters them on the collector', async () => {
    const all = (await server.request({ path: '/api/inbox', headers: bearer })).json();
    assert.deepEqual(
      all.entries.map((entry) => entry.id),
      answers.map((payload) => payload.id).reverse(),
    );
    assert.equal(all.next_before, null);
    const first = all.entries.at(-1);
    assert.equal(first.category, 'detractor');
    assert.equal(first.status, 'new');
    assert.equal(first.segment, 'pro');
    assert.deepEqual(first.user, { id: 'u-1' });

    const filtered = async (query) =>
      (await server.request({ path: `/api/inbox?${query}`, headers: bearer }))
        .json()
        .entries.map((entry) => entry.comment);
    assert.deepEqual(await filtered('category=passive'), ['ok']);
    assert.deepEqual(await filtered('survey=other-survey'), ['Love it']);
    assert.deepEqual(await filtered('segment=free&score=9'), ['Great support']);
    assert.deepEqual(await filtered('text=CHECKOUT'), ['Slow checkout']);
    assert.deepEqual(await filtered('from=2026-11-23'), []);

    const paged = (await server.request({ path: '/api/inbox?limit=3', headers: bearer })).json();
    assert.equal(paged.entries.length, 3);
    const rest = (
      await server.request({
        path: `/api/inbox?limit=3&before=${paged.next_before}`,
        headers: bearer,
      })
    ).json();
    assert.deepEqual(
      rest.entries.map((entry) => entry.comment),
      ['Slow checkout'],
    );

    const wrong = await server.request({ path: '/api/inbox?category=fan', headers: bearer });
    assert.equal(wrong.status, 400);
    assert.match(wrong.json().message, /^category: "fan" is not a category/);
  });

  test('a follow-up is validated, stored, listed and exported with its answer', async () => {
    const id = answers[0].id;
    const patch = (body, target = id) =>
      server.request({
        method: 'PATCH',
        path: `/api/responses/${target}`,
        headers: { ...bearer, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const invalid = await patch({ status: 'closed' });
    assert.equal(invalid.status, 422);
    assert.match(invalid.json().message, /^status: "closed" is not a follow-up status/);
    assert.equal((await patch({ colour: 'red' })).status, 422);
    assert.equal((await patch({ note: 5 })).status, 422);
    assert.equal((await patch({ note: 'x'.repeat(8001) })).status, 422);
    const missing = await patch({ status: 'done' }, '00000000-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);

    const saved = await patch({ status: 'to follow up', note: 'Call on Monday' });
    assert.equal(saved.status, 200, saved.text);
    assert.equal(saved.json().status, 'to follow up');
    // A later PATCH with the status only keeps the note.
    const done = (await patch({ status: 'done' })).json();
    assert.deepEqual([done.status, done.note], ['done', 'Call on Monday']);

    const listed = (await server.request({ path: '/api/inbox?status=done', headers: bearer }))
      .json()
      .entries.map((entry) => [entry.id, entry.note]);
    assert.deepEqual(listed, [[id, 'Call on Monday']]);

    const jsonl = await server.request({ path: '/api/responses.jsonl', headers: bearer });
    const row = jsonl.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .find((payload) => payload.id === id);
    assert.deepEqual(row.follow_up, { status: 'done', note: 'Call on Monday' });
    const csv = await server.request({ path: '/api/responses.csv', headers: bearer });
    const [header, ...lines] = csv.text.trim().split('\r\n');
    assert.match(header, /,status,note,channel,campaign,contact$/);
    assert.match(
      lines.find((line) => line.includes(id)),
      /,done,Call on Monday,web,,$/,
    );
    assert.match(
      lines.find((line) => !line.includes(id)),
      /,new,,web,,$/,
    );

    // The numbers of an export with follow-ups are those of the stored answers.
    const summary = (
      await server.request({ path: '/api/summary?themes=0', headers: bearer })
    ).json();
    const exported = path.join(workspace.folder, 'with-follow-ups.jsonl');
    writeFileSync(exported, jsonl.text);
    const summarized = spawnSync(npskitBinary, ['summarize', '--json', '--themes', '0', exported], {
      encoding: 'utf8',
    });
    assert.equal(summarized.status, 0, summarized.stderr);
    assert.equal(JSON.parse(summarized.stdout).nps, summary.nps);
  });

  test('/api/summary answers 304 to If-None-Match until an answer changes it', async () => {
    const first = await server.request({ path: '/api/summary?themes=0', headers: bearer });
    const tag = first.headers.etag;
    assert.match(tag, /^"[0-9a-f]{16}"$/);
    const unchanged = await server.request({
      path: '/api/summary?themes=0',
      headers: { ...bearer, 'If-None-Match': tag },
    });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.raw.length, 0);
    await postAnswer(server, answer({ score: 4 }));
    const changed = await server.request({
      path: '/api/summary?themes=0',
      headers: { ...bearer, 'If-None-Match': tag },
    });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, tag);
  });

  test('erasure by user and by id removes answers, counts, comments and follow-ups', async () => {
    const summary = async () =>
      (await server.request({ path: '/api/summary?survey=acme-nps', headers: bearer })).json();
    const before = await summary();
    const byUser = await server.request({
      method: 'DELETE',
      path: '/api/responses?user=u-1',
      headers: bearer,
    });
    assert.equal(byUser.status, 200, byUser.text);
    assert.deepEqual(byUser.json(), { erased: 2 });
    const after = await summary();
    assert.equal(after.n, before.n - 2);
    assert.equal(after.histogram[2], before.histogram[2] - 1);
    assert.equal(after.histogram[7], before.histogram[7] - 1);
    const themes = JSON.stringify(after.themes ?? {});
    assert.equal(themes.includes('checkout'), false);

    // A numeric user.id is matched as text.
    const numeric = await server.request({
      method: 'DELETE',
      path: '/api/responses?user=42',
      headers: bearer,
    });
    assert.deepEqual(numeric.json(), { erased: 1 });

    const byId = await server.request({
      method: 'DELETE',
      path: `/api/responses/${answers[1].id.toUpperCase()}`,
      headers: bearer,
    });
    assert.deepEqual(byId.json(), { erased: 1 });
    const again = await server.request({
      method: 'DELETE',
      path: `/api/responses/${answers[1].id}`,
      headers: bearer,
    });
    assert.equal(again.status, 404);
    const noUser = await server.request({
      method: 'DELETE',
      path: '/api/responses',
      headers: bearer,
    });
    assert.equal(noUser.status, 400);

    const ids = exportRows(path.join(workspace.folder, 'answers.db')).map((row) => row.id);
    for (const gone of answers) assert.equal(ids.includes(gone.id), false);
    const inbox = (await server.request({ path: '/api/inbox', headers: bearer })).json();
    assert.equal(inbox.entries.length, 1);
    const surveys = (await server.request({ path: '/api/surveys', headers: bearer })).json();
    assert.deepEqual(surveys.surveys, [{ survey: 'acme-nps', answers: 1, dismissals: 0 }]);
    // Logged by count, never with a comment or the user's id.
    assert.match(server.log(), /erasure: 2 answers removed \(by user\)/);
    assert.equal(server.log().includes('u-1'), false);
    assert.equal(server.log().includes('Slow checkout'), false);
  });
});

// A CSAT or CES rating is not an NPS score: a companion's 5 or a standalone
// CES answer's 2 listed beside NPS answers would read as a detractor.
describe('the inbox lists NPS answers only', () => {
  let workspace;
  let server;
  const nps = answer({ score: 9, comment: 'Quick delivery' });
  const companion = answer({ metric: 'csat', score: 2, answer_id: nps.id });
  const standalone = answer({ metric: 'ces', score: 1, comment: 'Hard to find the form' });
  const low = answer({ score: 1, comment: 'Broken' });

  before(async () => {
    workspace = temporaryFolder();
    server = await startWithToken(workspace);
    for (const payload of [nps, companion, standalone, low])
      assert.equal((await postAnswer(server, payload)).status, 201);
  });

  after(async () => {
    await server?.stop();
    workspace?.remove();
  });

  test('ratings beside NPS are kept and exported, not listed as NPS scores', async () => {
    const listed = async (query = '') =>
      (await server.request({ path: `/api/inbox${query}`, headers: bearer }))
        .json()
        .entries.map((entry) => [entry.id, entry.score, entry.category]);
    assert.deepEqual(await listed(), [
      [low.id, 1, 'detractor'],
      [nps.id, 9, 'promoter'],
    ]);
    assert.deepEqual(await listed('?category=detractor'), [[low.id, 1, 'detractor']]);
    assert.deepEqual(await listed('?score=2'), []);
    const exported = exportRows(path.join(workspace.folder, 'answers.db')).map((row) => row.id);
    assert.deepEqual(exported.sort(), [nps.id, companion.id, standalone.id, low.id].sort());
  });
});

describe('--retain-days', () => {
  let workspace;
  after(() => workspace?.remove());

  test('answers received before the window are erased at start, their counts stay', async () => {
    workspace = temporaryFolder();
    const db = path.join(workspace.folder, 'answers.db');
    let server = await startWithToken(workspace);
    const old = answer({ score: 1, comment: 'Personal details from long ago' });
    const recent = answer({ score: 10, comment: 'Recent' });
    for (const payload of [old, recent]) await postAnswer(server, payload);
    await server.stop();
    // As if the first answer had arrived 400 days ago.
    const update = `UPDATE responses SET received_at = '2025-01-01T00:00:00.000Z' WHERE id = '${old.id}'`;
    const aged =
      backend === 'postgresql'
        ? spawnSync('psql', ['-X', '-q', '-d', databaseFor(db), '-c', update])
        : spawnSync('sqlite3', [db, update]);
    assert.equal(aged.status, 0, String(aged.stderr));

    server = await startWithToken(workspace, ['--retain-days', '365']);
    try {
      // The monotonic clock: the wall clock may jump while this waits.
      const deadline = performance.now() + 20000;
      while (!/retention: 1 answer/.test(server.log()) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.match(server.log(), /retention: 1 answer received before \S+ removed/);
      assert.equal(server.log().includes('Personal details'), false);
      assert.deepEqual(
        exportRows(db).map((row) => row.id),
        [recent.id],
      );
      const summary = (await server.request({ path: '/api/summary', headers: bearer })).json();
      assert.equal(summary.n, 2);
      assert.equal(JSON.stringify(summary.themes ?? {}).includes('personal'), false);
    } finally {
      await server.stop();
    }
  });

  test('a retention of 0 days or less than a number is refused', () => {
    for (const value of ['0', 'ten']) {
      const run = spawnSync(npskitBinary, ['serve', '--retain-days', value], { encoding: 'utf8' });
      assert.equal(run.status, 2);
      assert.match(run.stderr, /--retain-days/);
    }
  });
});

describe('/admin/ without --root', () => {
  let workspace;
  let server;
  before(async () => {
    workspace = temporaryFolder();
    server = await startWithToken(workspace);
  });
  after(async () => {
    await server?.stop();
    workspace?.remove();
  });

  test('the dashboard page is served, with no token in it and no referrer sent on', async () => {
    const redirect = await server.request({ path: '/admin' });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.location, '/admin/');
    const page = await server.request({ path: '/admin/' });
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /text\/html/);
    assert.match(page.text, /id="sign-in-form"/);
    assert.equal(page.text.includes(token), false);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.match(page.headers['content-security-policy'], /script-src 'self'/);
    assert.equal((await server.request({ path: '/admin/admin.js' })).status, 200);
    assert.equal((await server.request({ path: '/' })).status, 404);
  });
});
