// /api/summary gives the same numbers as `npskit summarize --json` on the
// collector's own JSONL export, and the exports (HTTP and `npskit export`)
// hold exactly what was posted.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';

import Papa from 'papaparse';

import {
  answer,
  postAnswer,
  runNpskit,
  startServer,
  storedAnswers,
  temporaryFolder,
} from './server.mjs';

const segments = ['enterprise', 'smb', 'startup'];
const comments = [
  'Fast support, great docs',
  'Too expensive for what it does',
  'Support was slow',
  'Great product, "love" it',
  'Pricing, again\nand again',
  '',
];

// A deterministic data set: scores, segments, days and comments spread so that
// every grouping has several groups and themes have repeated terms.
function dataSet() {
  const answers = [];
  for (let i = 0; i < 90; i += 1) {
    const day = String(1 + ((i * 7) % 28)).padStart(2, '0');
    answers.push(
      answer({
        survey: i % 9 === 0 ? 'other-survey' : 'acme-nps',
        score: (i * 5 + Math.floor(i / 11)) % 11,
        comment: comments[i % comments.length],
        submitted_at: `2026-11-${day}T${String(i % 24).padStart(2, '0')}:15:00.000Z`,
        locale: i % 2 ? 'sv' : 'en',
        properties: { segment: segments[i % 3], plan: i % 4 ? 'pro' : 'free' },
        ...(i === 5 ? { experiment: { arm: 'b', weights: [0.5, 1] } } : {}),
      }),
    );
  }
  // A reader of the export dates this answer by its first date-like key
  // (2026-10-30), while from/to compare the submitted_at column
  // (2026-11-03): the counts set it aside and summaries that select it read
  // the payloads instead.
  answers.push({
    schema: 'npskit.response/1',
    type: 'response',
    id: answer().id,
    survey: 'acme-nps',
    score: 2,
    Submitted_At: '2026-10-30T08:00:00Z',
    submitted_at: '2026-11-03T08:00:00Z',
    comment: 'Support was slow, pricing too',
  });
  for (let i = 0; i < 6; i += 1) {
    answers.push({
      schema: 'npskit.response/1',
      type: 'dismissal',
      id: answer().id,
      survey: 'acme-nps',
      submitted_at: `2026-11-${String(10 + i).padStart(2, '0')}T09:00:00Z`,
    });
  }
  return answers;
}

let server;
let workspace;
let db;
const posted = dataSet();

before(async () => {
  workspace = temporaryFolder();
  db = path.join(workspace.folder, 'answers.db');
  server = await startServer({ db, args: ['--rate', '0'] });
  for (const payload of posted) {
    const response = await postAnswer(server, payload);
    assert.equal(response.status, 201, response.text);
  }
});

after(async () => {
  await server?.stop();
  workspace?.remove();
});

describe('/api/summary', () => {
  const cases = [
    { query: {}, flags: [] },
    { query: { by: 'segment' }, flags: ['--by', 'segment'] },
    { query: { survey: 'acme-nps', by: 'week' }, flags: ['--by', 'week'] },
    { query: { from: '2026-11-05', to: '2026-11-15', by: 'day' }, flags: ['--by', 'day'] },
    {
      query: { by: 'month', method: 'tango', confidence: '0.9' },
      flags: ['--by', 'month', '--method', 'tango', '--confidence', '0.9'],
    },
    { query: { method: 'wald', survey: 'other-survey' }, flags: ['--method', 'wald'] },
    {
      query: { by: 'segment', from: '2026-11-05', to: '2026-11-20' },
      flags: ['--by', 'segment'],
    },
    { query: { survey: 'acme-nps', by: 'day', from: '2026-11-04' }, flags: ['--by', 'day'] },
    { query: { by: 'week', from: '2026-11-10' }, flags: ['--by', 'week'] },
    { query: { survey: 'acme-nps', by: 'month', to: '2026-11-14' }, flags: ['--by', 'month'] },
    { query: { survey: 'acme-nps', by: 'segment' }, flags: ['--by', 'segment'] },
    { query: { themes: '0', by: 'segment' }, flags: ['--themes', '0', '--by', 'segment'] },
    { query: { themes: '2', to: '2026-11-12' }, flags: ['--themes', '2'] },
    { query: { from: '2026-11-03', to: '2026-11-03', by: 'day' }, flags: ['--by', 'day'] },
    { query: { from: '2026-11-01', to: '2026-11-09', by: 'week' }, flags: ['--by', 'week'] },
    { query: { from: '2026-12-01', by: 'day' }, flags: ['--by', 'day'] },
    { query: { by: 'channel' }, flags: ['--by', 'channel'] },
    { query: { survey: 'acme-nps', by: 'campaign' }, flags: ['--by', 'campaign'] },
    {
      query: { by: 'campaign', from: '2026-11-01', to: '2026-11-03' },
      flags: ['--by', 'campaign'],
    },
  ];

  for (const { query, flags } of cases) {
    const search = new URLSearchParams(query).toString();
    test(`?${search} equals npskit summarize --json ${flags.join(' ')} on the export`, async () => {
      const summary = await server.request({ path: `/api/summary?${search}` });
      assert.equal(summary.status, 200, summary.text);
      assert.match(summary.headers['content-type'], /^application\/json/);

      const filter = new URLSearchParams(
        Object.entries(query).filter(([key]) => ['survey', 'from', 'to'].includes(key)),
      ).toString();
      const exported = await server.request({ path: `/api/responses.jsonl?${filter}` });
      const file = path.join(
        workspace.folder,
        `export-${search.replace(/\W/g, '_') || 'all'}.jsonl`,
      );
      writeFileSync(file, exported.raw);
      const cli = runNpskit(['summarize', '--json', ...flags, file]);
      assert.equal(cli.status, 0, cli.stderr);
      assert.deepEqual(summary.json(), JSON.parse(cli.stdout));
    });
  }

  test('counts the posted answers', async () => {
    const summary = (await server.request({ path: '/api/summary?survey=acme-nps' })).json();
    const responses = posted.filter((row) => row.survey === 'acme-nps' && row.type === 'response');
    const promoters = responses.filter((row) => row.score >= 9).length;
    const detractors = responses.filter((row) => row.score <= 6).length;
    assert.equal(summary.schema, 'npskit.summary/1');
    assert.equal(summary.n, responses.length);
    assert.equal(summary.promoters, promoters);
    assert.equal(summary.detractors, detractors);
    assert.ok(Math.abs(summary.nps - (100 * (promoters - detractors)) / responses.length) < 1e-9);
    assert.equal(summary.dismissals, 6);
    assert.equal(summary.rejected, 0);
  });

  test('refuses a theme count that is not a whole number', async () => {
    const summary = await server.request({ path: '/api/summary?themes=many' });
    assert.equal(summary.status, 400);
    assert.equal(summary.json().field, 'themes');
  });

  test('an empty selection is a valid summary with n = 0', async () => {
    const summary = await server.request({ path: '/api/summary?survey=nobody' });
    assert.equal(summary.status, 200);
    assert.equal(summary.json().n, 0);
  });
});

describe('exports', () => {
  test('JSONL holds every posted payload, unknown fields included, in arrival order', async () => {
    assert.deepEqual(await storedAnswers(server), posted);
  });

  test('CSV has one row per answer with the known fields, RFC 4180 quoted', async () => {
    const response = await server.request({ path: '/api/responses.csv' });
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'], /^text\/csv/);
    assert.match(response.headers['content-disposition'], /attachment; filename="responses\.csv"/);
    const table = Papa.parse(response.text, { header: true, skipEmptyLines: true });
    assert.deepEqual(table.errors, []);
    assert.equal(table.data.length, posted.length);
    assert.deepEqual(table.meta.fields.slice(0, 8), [
      'sequence',
      'id',
      'type',
      'survey',
      'score',
      'category',
      'comment',
      'submitted_at',
    ]);
    table.data.forEach((row, index) => {
      const sent = posted[index];
      assert.equal(row.id, sent.id);
      assert.equal(row.type, sent.type);
      assert.equal(row.comment, sent.comment ?? '');
      assert.equal(row.score, sent.type === 'response' ? String(sent.score) : '');
      assert.equal(row.segment, sent.properties?.segment ?? '');
      if (sent.properties) assert.deepEqual(JSON.parse(row.properties), sent.properties);
      if (sent.type === 'response') {
        const category = sent.score >= 9 ? 'promoter' : sent.score >= 7 ? 'passive' : 'detractor';
        assert.equal(row.category, category);
      }
    });
  });

  test('exports filter by survey and date, and are gzipped when accepted', async () => {
    const response = await server.request({
      path: '/api/responses.jsonl?survey=other-survey&from=2026-11-01&to=2026-11-14',
      headers: { 'Accept-Encoding': 'gzip' },
    });
    assert.equal(response.status, 200);
    const csv = await server.request({
      path: '/api/responses.csv',
      headers: { 'Accept-Encoding': 'gzip' },
    });
    assert.equal(csv.headers['content-encoding'], 'gzip');
    const plain = await server.request({ path: '/api/responses.csv' });
    assert.equal(gunzipSync(csv.raw).toString('utf8'), plain.text);
    const body =
      response.headers['content-encoding'] === 'gzip' ? gunzipSync(response.raw) : response.raw;
    const rows = body
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const expected = posted.filter(
      (row) => row.survey === 'other-survey' && row.submitted_at.slice(0, 10) <= '2026-11-14',
    );
    assert.ok(expected.length > 0);
    assert.deepEqual(rows, expected);
  });

  test('npskit export writes the same bytes offline', async () => {
    for (const format of ['csv', 'jsonl']) {
      const online = await server.request({ path: `/api/responses.${format}?survey=acme-nps` });
      const offline = runNpskit(['export', '--db', db, '--format', format, '--survey', 'acme-nps']);
      assert.equal(offline.status, 0, offline.stderr);
      assert.equal(offline.stdout, online.text);
    }
  });

  test('npskit export explains bad arguments', () => {
    const missing = runNpskit(['export', '--db', path.join(workspace.folder, 'nope.db')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /nope\.db.*no such database file/);
    const format = runNpskit(['export', '--db', db, '--format', 'xml']);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /--format: "xml" is not an export format/);
    const date = runNpskit(['export', '--db', db, '--from', 'yesterday']);
    assert.equal(date.status, 2);
    assert.match(date.stderr, /--from: "yesterday" is not a date/);
  });
});
