// Answers from links and e-mails: the channel and campaign they carry are
// stored and counted (/api/summary?by=channel|campaign equals `npskit
// summarize --by channel|campaign` on the export), a personal link's contact
// is kept only with a valid signature (which is never stored), and one
// answer per contact and campaign stands: a later one within the replace
// window replaces it, after the window it is already_answered.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import Papa from 'papaparse';

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

const key = randomBytes(32);

/** The signature of a personal link (the collector checks it with the same key file). */
function sign(survey, contact, campaign) {
  return createHmac('sha256', key)
    .update(`npskit-link/1\n${survey}\n${contact}\n${campaign}`)
    .digest('base64url');
}

function personal(contact, campaign, fields = {}) {
  return answer({
    channel: 'email',
    campaign,
    contact,
    sig: sign('acme-nps', contact, campaign),
    ...fields,
  });
}

let workspace;
let keyFile;

before(() => {
  workspace = temporaryFolder();
  keyFile = path.join(workspace.folder, 'link.key');
  writeFileSync(keyFile, key.toString('base64url'), { mode: 0o600 });
});

after(() => workspace?.remove());

async function collector(name, args = []) {
  return startServer({
    db: path.join(workspace.folder, `${name}.db`),
    args: ['--rate', '0', '--link-secret-file', keyFile, ...args],
  });
}

async function summaryOf(server, query) {
  const response = await server.request({ path: `/api/summary?${query}` });
  assert.equal(response.status, 200, response.text);
  return response.json();
}

describe('channels and campaigns', () => {
  let server;
  const posted = [];
  before(async () => {
    server = await collector('channels');
    const channels = [undefined, 'web', 'link', 'email'];
    const campaigns = [undefined, 'week-48', 'case-closed'];
    for (let i = 0; i < 48; i += 1) {
      const channel = channels[i % 4];
      const campaign = channel === 'email' ? campaigns[1 + (i % 2)] : campaigns[i % 3];
      const payload = answer({
        score: (i * 7) % 11,
        comment: i % 3 ? 'support was quick' : 'pricing too high',
        submitted_at: `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T10:00:00.000Z`,
        ...(channel ? { channel } : {}),
        ...(campaign ? { campaign } : {}),
      });
      posted.push(payload);
      const response = await postAnswer(server, payload);
      assert.equal(response.status, 201, response.text);
    }
    const dismissal = answer({ type: 'dismissal', channel: 'email', campaign: 'week-48' });
    delete dismissal.score;
    posted.push(dismissal);
    assert.equal((await postAnswer(server, dismissal)).status, 201);
  });
  after(() => server?.stop());

  test('by=channel counts the answers per channel, a missing channel as web', async () => {
    const summary = await summaryOf(server, 'by=channel&themes=0');
    assert.equal(summary.by, 'channel');
    const sizes = Object.fromEntries(summary.groups.map((group) => [group.key, group.n]));
    assert.deepEqual(sizes, { email: 12, link: 12, web: 24 });
  });

  test('by=campaign counts per campaign, with room for invitations and response rate', async () => {
    const summary = await summaryOf(server, 'by=campaign&themes=0');
    assert.equal(summary.by, 'campaign');
    const expected = {};
    for (const row of posted.filter((payload) => payload.type === 'response')) {
      const group = row.campaign ?? '(none)';
      expected[group] = (expected[group] ?? 0) + 1;
    }
    const sizes = Object.fromEntries(summary.groups.map((group) => [group.key, group.n]));
    assert.deepEqual(sizes, expected);
    for (const group of summary.groups) {
      assert.equal(group.invitations, null);
      assert.equal(group.response_rate, null);
    }
  });

  for (const by of ['channel', 'campaign']) {
    for (const query of ['', '&from=2026-11-05&to=2026-11-12', '&themes=0']) {
      test(`by=${by}${query} equals npskit summarize --by ${by} on the JSONL and CSV exports`, async () => {
        const summary = await summaryOf(server, `by=${by}${query}`);
        const filter = new URLSearchParams(query.slice(1));
        const themes = filter.get('themes');
        filter.delete('themes');
        const flags = ['--json', '--by', by, ...(themes ? ['--themes', themes] : [])];
        for (const format of ['jsonl', 'csv']) {
          const exported = await server.request({ path: `/api/responses.${format}?${filter}` });
          assert.equal(exported.status, 200);
          const file = path.join(
            workspace.folder,
            `channels-${by}${query.replace(/\W/g, '_')}.${format}`,
          );
          writeFileSync(file, exported.raw);
          const cli = runNpskit(['summarize', ...flags, file]);
          assert.equal(cli.status, 0, cli.stderr);
          const fromFile = JSON.parse(cli.stdout);
          assert.deepEqual(summary, fromFile, format);
        }
      });
    }
  }

  test('npskit summarize --by channel names its table by channel', async () => {
    const file = path.join(workspace.folder, 'channels-text.jsonl');
    writeFileSync(file, (await server.request({ path: '/api/responses.jsonl' })).raw);
    const cli = runNpskit(['summarize', '--by', 'channel', file]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /By channel\n {2}Channel +n +NPS/);
    assert.match(cli.stdout, /\n {2}web +24 /);
    const mixed = runNpskit(['summarize', '--by', 'campaign', '--segment-column', 'plan', file]);
    assert.equal(mixed.status, 2);
    assert.match(mixed.stderr, /--segment-column cannot be combined with --by campaign/);
  });

  test('the inbox filters by channel and campaign', async () => {
    const page = await server.request({
      path: '/api/inbox?channel=email&campaign=week-48&limit=500',
    });
    assert.equal(page.status, 200, page.text);
    const expected = posted.filter(
      (row) => row.type === 'response' && row.channel === 'email' && row.campaign === 'week-48',
    );
    assert.deepEqual(
      page
        .json()
        .entries.map((entry) => entry.id)
        .sort(),
      expected.map((row) => row.id).sort(),
    );
    for (const entry of page.json().entries) {
      assert.equal(entry.channel, 'email');
      assert.equal(entry.campaign, 'week-48');
    }
    const wrong = await server.request({ path: '/api/inbox?channel=fax' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json().field, 'channel');
  });

  test('CSV export ends with the channel, campaign and contact columns', async () => {
    const response = await server.request({ path: '/api/responses.csv' });
    const table = Papa.parse(response.text, { header: true, skipEmptyLines: true });
    assert.deepEqual(table.meta.fields.slice(-3), ['channel', 'campaign', 'contact']);
    table.data.forEach((row, index) => {
      assert.equal(row.channel, posted[index].channel ?? 'web');
      assert.equal(row.campaign, posted[index].campaign ?? '');
    });
  });
});

describe('personal links', () => {
  let server;
  before(async () => {
    server = await collector('personal');
  });
  after(() => server?.stop());

  test('a valid signature keeps the contact; the signature is never stored', async () => {
    const payload = personal('c-1001', 'nov-relationship', { score: 10 });
    const response = await postAnswer(server, payload);
    assert.equal(response.status, 201, response.text);
    assert.deepEqual(response.json(), { status: 'stored', id: payload.id });
    const stored = (await storedAnswers(server)).find((row) => row.id === payload.id);
    const { sig, ...withoutSignature } = payload;
    assert.ok(sig);
    assert.deepEqual(stored, withoutSignature);
  });

  for (const [name, change] of [
    [
      'a tampered signature',
      (payload) => ({ ...payload, sig: sign('acme-nps', 'c-9999', payload.campaign) }),
    ],
    ['an edited contact', (payload) => ({ ...payload, contact: 'c-2003' })],
    ['a missing signature', ({ sig, ...payload }) => payload],
  ]) {
    test(`${name} records the answer anonymously, contact_status unverified`, async () => {
      const payload = change(personal('c-2002', 'nov-relationship', { score: 3 }));
      const response = await postAnswer(server, payload);
      assert.equal(response.status, 201, response.text);
      assert.equal(response.json().contact_status, 'unverified');
      const stored = (await storedAnswers(server)).find((row) => row.id === payload.id);
      assert.equal(stored.contact, undefined);
      assert.equal(stored.sig, undefined);
      assert.equal(stored.contact_status, 'unverified');
      assert.equal(stored.score, 3);
    });
  }

  test('a contact_status sent by the client is not believed', async () => {
    const payload = answer({ contact_status: 'verified' });
    assert.equal((await postAnswer(server, payload)).status, 201);
    const stored = (await storedAnswers(server)).find((row) => row.id === payload.id);
    assert.equal(stored.contact_status, undefined);
  });

  test('no export holds a signature', async () => {
    for (const format of ['jsonl', 'csv']) {
      const exported = await server.request({ path: `/api/responses.${format}` });
      assert.doesNotMatch(exported.text, /"sig"|\bsig\b/);
      assert.doesNotMatch(
        exported.text,
        new RegExp(sign('acme-nps', 'c-1001', 'nov-relationship')),
      );
    }
    const csv = Papa.parse((await server.request({ path: '/api/responses.csv' })).text, {
      header: true,
      skipEmptyLines: true,
    });
    assert.deepEqual(
      csv.data.filter((row) => row.contact).map((row) => row.contact),
      ['c-1001'],
    );
  });
});

describe('one answer per contact and campaign', () => {
  test('a later answer within the window replaces the earlier one', async () => {
    const server = await collector('replace');
    try {
      const first = personal('c-7', 'support-case', {
        score: 6,
        comment: 'slow answer',
        channel: 'email',
      });
      assert.equal((await postAnswer(server, first)).status, 201);
      const followUp = await server.request({
        method: 'PATCH',
        path: `/api/responses/${first.id}`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: 'to follow up', note: 'call back' }),
      });
      assert.equal(followUp.status, 200, followUp.text);
      const other = personal('c-8', 'support-case', { score: 9 });
      assert.equal((await postAnswer(server, other)).status, 201);

      const second = personal('c-7', 'support-case', { score: 7, comment: 'fine after all' });
      const replaced = await postAnswer(server, second);
      assert.equal(replaced.status, 201, replaced.text);
      assert.equal(replaced.json().status, 'stored');

      const stored = await storedAnswers(server);
      assert.deepEqual(
        stored.map((row) => row.id),
        [other.id, second.id],
      );
      const summary = await summaryOf(server, 'by=campaign');
      assert.equal(summary.n, 2);
      assert.deepEqual(summary.histogram, [0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0]);
      assert.deepEqual(
        summary.groups.map((group) => [group.key, group.n]),
        [['support-case', 2]],
      );
      const channels = await summaryOf(server, 'by=channel&themes=0');
      assert.deepEqual(
        channels.groups.map((group) => [group.key, group.histogram]),
        [['email', [0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0]]],
      );
      const themes = JSON.stringify(summary.themes);
      assert.doesNotMatch(themes, /slow/);
      const inbox = (await server.request({ path: '/api/inbox' })).json();
      assert.deepEqual(
        inbox.entries.map((entry) => [entry.id, entry.status]),
        [
          [second.id, 'new'],
          [other.id, 'new'],
        ],
      );

      // Idempotency holds for both ids.
      const again = await postAnswer(server, first);
      assert.equal(again.status, 200);
      assert.equal(again.json().status, 'duplicate');
      const repeat = await postAnswer(server, second);
      assert.equal(repeat.json().status, 'duplicate');
      assert.equal((await storedAnswers(server)).length, 2);

      const exported = path.join(workspace.folder, 'replace.jsonl');
      writeFileSync(exported, (await server.request({ path: '/api/responses.jsonl' })).raw);
      const cli = runNpskit(['summarize', '--json', '--by', 'campaign', exported]);
      assert.equal(cli.status, 0, cli.stderr);
      assert.deepEqual(summary, JSON.parse(cli.stdout));
    } finally {
      await server.stop();
    }
  });

  test('after the window the first answer stands and the later one is already_answered', async () => {
    const server = await collector('window', ['--answer-replace-window', '1s']);
    try {
      const first = personal('c-11', 'week-49', { score: 4 });
      assert.equal((await postAnswer(server, first)).status, 201);
      // Another campaign and an unverified contact are not held back.
      assert.equal(
        (await postAnswer(server, personal('c-11', 'week-50', { score: 8 }))).status,
        201,
      );
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const late = personal('c-11', 'week-49', { score: 9 });
      const refused = await postAnswer(server, late);
      assert.equal(refused.status, 200, refused.text);
      assert.deepEqual(refused.json(), { status: 'already_answered', id: late.id });
      const anonymous = { ...personal('c-11', 'week-49', { score: 9 }), sig: 'AAAA' };
      assert.equal((await postAnswer(server, anonymous)).status, 201);

      const stored = await storedAnswers(server);
      assert.equal(stored.filter((row) => row.contact === 'c-11').length, 2);
      assert.ok(!stored.some((row) => row.id === late.id));
      const summary = await summaryOf(server, 'by=campaign&themes=0');
      assert.deepEqual(
        summary.groups.map((group) => [group.key, group.n]),
        [
          ['week-49', 2],
          ['week-50', 1],
        ],
      );
    } finally {
      await server.stop();
    }
  });

  test('the window option is checked', () => {
    const refused = runNpskit(['serve', '--answer-replace-window', '5x', '--port', '0']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /--answer-replace-window: "5x" is not a duration/);
  });

  test(
    'two collectors on one PostgreSQL database keep exactly one answer of a contact',
    { skip: backend !== 'postgresql' && 'needs two collectors on one database' },
    async () => {
      const first = await collector('shared');
      const second = await collector('shared');
      try {
        const posts = [];
        for (let i = 0; i < 40; i += 1) {
          const server = i % 2 ? first : second;
          posts.push(postAnswer(server, personal('c-42', 'race', { score: i % 11 })));
        }
        const results = await Promise.all(posts);
        for (const result of results) assert.equal(result.status, 201, result.text);
        const stored = (await storedAnswers(first)).filter((row) => row.contact === 'c-42');
        assert.equal(stored.length, 1);
        const summary = await summaryOf(second, 'by=campaign&themes=0');
        assert.equal(summary.n, 1);
        assert.equal(summary.histogram[stored[0].score], 1);
      } finally {
        await first.stop();
        await second.stop();
      }
    },
  );
});

describe('personal links without a key', () => {
  test(
    'PostgreSQL without --link-secret-file stores contacts unverified and says why',
    { skip: backend !== 'postgresql' && 'SQLite has a default key file' },
    async () => {
      const server = await startServer({ db: path.join(workspace.folder, 'no-key.db') });
      try {
        assert.match(server.log(), /no --link-secret-file/);
        const response = await postAnswer(server, personal('c-1', 'x'));
        assert.equal(response.json().contact_status, 'unverified');
      } finally {
        await server.stop();
      }
    },
  );
});

/** Runs SQL on the database a test names, on the backend under test. */
function runSql(db, sql) {
  const result =
    backend === 'postgresql'
      ? spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', databaseFor(db), '-c', sql], {
          encoding: 'utf8',
        })
      : spawnSync('sqlite3', [db], { input: sql, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

// The schema before answers had an origin (SQLite user_version 2, PostgreSQL
// migration 3): what this version added, taken away again.
const downgrade = {
  sqlite: `DROP INDEX responses_survey_contact;
DROP INDEX responses_survey_campaign;
DROP INDEX responses_one_per_contact;
ALTER TABLE responses DROP COLUMN channel;
ALTER TABLE responses DROP COLUMN campaign;
ALTER TABLE responses DROP COLUMN contact;
DROP TABLE channel_counts;
DROP TABLE campaign_counts;
DROP TABLE replaced_answers;
PRAGMA user_version = 2;`,
  postgresql: `ALTER TABLE responses DROP COLUMN channel, DROP COLUMN campaign, DROP COLUMN contact;
DROP TABLE channel_counts, campaign_counts;
DELETE FROM npskit_schema_migrations WHERE version = 4;`,
};

test('a database of the version before upgrades in place: its answers count as web, no campaign', async () => {
  const db = path.join(workspace.folder, 'before-origins.db');
  const older = [];
  for (let i = 0; i < 30; i += 1) {
    older.push(
      answer({
        score: (i * 3) % 11,
        submitted_at: `2026-10-${String(1 + (i % 9)).padStart(2, '0')}T08:00:00.000Z`,
        properties: { segment: i % 2 ? 'smb' : 'enterprise' },
      }),
    );
  }
  let server = await collector('before-origins');
  try {
    for (const payload of older) assert.equal((await postAnswer(server, payload)).status, 201);
  } finally {
    await server.stop();
  }
  runSql(db, downgrade[backend]);

  server = await collector('before-origins');
  try {
    const channels = await summaryOf(server, 'by=channel&themes=0');
    assert.deepEqual(
      channels.groups.map((group) => [group.key, group.n]),
      [['web', 30]],
    );
    const campaigns = await summaryOf(server, 'by=campaign&themes=0');
    assert.deepEqual(
      campaigns.groups.map((group) => [group.key, group.n]),
      [['(none)', 30]],
    );
    const version =
      backend === 'postgresql'
        ? runSql(db, 'SELECT max(version) FROM npskit_schema_migrations').match(/\d+/)[0]
        : runSql(db, 'PRAGMA user_version;').trim();
    assert.equal(version, '6');

    // The upgraded database takes answers from links, and erasing an old
    // answer takes it out of the counts per channel too.
    const payload = personal('c-5', 'first-mailing', { score: 10 });
    assert.equal((await postAnswer(server, payload)).status, 201);
    const erased = await server.request({
      method: 'DELETE',
      path: `/api/responses/${older[0].id}`,
    });
    assert.equal(erased.status, 200, erased.text);
    for (const by of ['channel', 'campaign', 'segment']) {
      const summary = await summaryOf(server, `by=${by}`);
      const exported = path.join(workspace.folder, `before-origins-${by}.jsonl`);
      writeFileSync(exported, (await server.request({ path: '/api/responses.jsonl' })).raw);
      const cli = runNpskit(['summarize', '--json', '--by', by, exported]);
      assert.equal(cli.status, 0, cli.stderr);
      assert.deepEqual(summary, JSON.parse(cli.stdout));
    }
    const latest = await summaryOf(server, 'by=channel&themes=0');
    assert.deepEqual(
      latest.groups.map((group) => [group.key, group.n]),
      [
        ['email', 1],
        ['web', 29],
      ],
    );
  } finally {
    await server.stop();
  }
});
