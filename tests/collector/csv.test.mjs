// CSV exports are safe to open in a spreadsheet or print on a terminal:
// formula starts are prefixed with ' (OWASP), control characters other than
// tab and line feed are removed; `npskit export --raw` keeps the bytes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import Papa from 'papaparse';

import { answer, postAnswer, runNpskit, startServer, temporaryFolder } from './server.mjs';

// [as posted, as a spreadsheet-safe cell]
const comments = [
  ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
  ['+1 great', `'+1 great`],
  ['-2 for pricing', `'-2 for pricing`],
  ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
  ['\tindented', `'\tindented`],
  ['\r=cmd', `'=cmd`],
  ['bell\u0007 and \u001b[31mred\u001b[0m', 'bell and [31mred[0m'],
  ['csi\u009b2J and del\u007f', 'csi2J and del'],
  ['line one\nline two\tand a tab', 'line one\nline two\tand a tab'],
  ['a = b, fine', 'a = b, fine'],
  ['Ünïcode 👍 stays', 'Ünïcode 👍 stays'],
];

let server;
let workspace;
let db;

before(async () => {
  workspace = temporaryFolder();
  db = path.join(workspace.folder, 'answers.db');
  server = await startServer({ db, args: ['--rate', '0'] });
  for (const [comment] of comments) {
    const response = await postAnswer(server, answer({ comment, segment: '=segment' }));
    assert.equal(response.status, 201, response.text);
  }
});

after(async () => {
  await server?.stop();
  workspace?.remove();
});

function commentsOf(csv) {
  const table = Papa.parse(csv, { header: true, skipEmptyLines: true });
  assert.deepEqual(table.errors, []);
  return table.data;
}

test('the HTTP CSV export defuses formulas and drops control characters', async () => {
  const response = await server.request({ path: '/api/responses.csv' });
  assert.equal(response.status, 200);
  const rows = commentsOf(response.text);
  assert.deepEqual(
    rows.map((row) => row.comment),
    comments.map(([, safe]) => safe),
  );
  for (const row of rows) assert.equal(row.segment, `'=segment`);
  assert.doesNotMatch(response.text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0080-\u009f]/);
});

test('npskit export writes the same safe CSV, and --raw the bytes as stored', () => {
  const safe = runNpskit(['export', '--db', db, '--format', 'csv']);
  assert.equal(safe.status, 0, safe.stderr);
  assert.deepEqual(
    commentsOf(safe.stdout).map((row) => row.comment),
    comments.map(([, cell]) => cell),
  );
  const raw = runNpskit(['export', '--db', db, '--format', 'csv', '--raw']);
  assert.equal(raw.status, 0, raw.stderr);
  const rows = commentsOf(raw.stdout);
  assert.deepEqual(
    rows.map((row) => row.comment),
    comments.map(([posted]) => posted),
  );
  assert.equal(rows[0].segment, '=segment');
});

test('JSONL keeps the comments exactly as posted', async () => {
  const response = await server.request({ path: '/api/responses.jsonl' });
  const stored = response.text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).comment);
  assert.deepEqual(
    stored,
    comments.map(([posted]) => posted),
  );
});
