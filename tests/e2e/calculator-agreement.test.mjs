// The calculator never shows a number it does not have, and agrees with the
// command: for a table of inputs (no answers, one answer, weights, rows
// without a usable date, unanimous groups) the screen shows the numbers and
// the significance of `npskit summarize --json`; with no answers every view
// says so; an error for a new input clears the result of the previous one;
// the gap to a target is the plain difference of the scores on screen; a
// collector that needs its admin token gets it from a field, never the URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { calculatorErrors, launchBrowser, repoRoot, startServer } from './support.mjs';

const run = promisify(execFile);
const npskit = path.resolve(repoRoot, process.env.NPSKIT_BIN || 'build/bin/npskit');
const csp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'";

// The inputs of the agreement table, each a CSV file read with its segments
// and its weekly trend.
const table = {
  'no-answers.csv': 'score,segment,submitted_at,weight\n',
  'only-rejected.csv':
    'score,segment,submitted_at,weight\neleven,A,2026-03-02,1\n11,B,2026-03-03,1\n',
  'one-answer.csv': 'score,segment,submitted_at,weight\n10,A,2026-03-02T09:00:00Z,1\n',
  'weights.csv':
    'score,segment,submitted_at,weight\n' +
    [
      [10, 'A', '2026-03-02', 2],
      [9, 'A', '2026-03-03', 0.5],
      [7, 'B', '2026-03-04', 1],
      [3, 'B', '2026-03-10', 3],
      [6, 'A', '2026-03-11', 1.5],
      [10, 'B', '2026-03-12', 1],
      [8, 'A', '2026-03-17', 1],
    ]
      .map((row) => row.join(','))
      .join('\n') +
    '\n',
  'bad-dates.csv':
    'score,segment,submitted_at,weight\n' +
    [
      '10,A,2026-03-02,1',
      '9,A,,1',
      '3,B,not a date,1',
      '10,B,2026-03-09,1',
      '6,A,2026-02-30,1',
      '8,B,2026-03-10,1',
      '10,A,2026-03-16,1',
    ].join('\n') +
    '\n',
  // Each group is unanimous (standard error 0 under Wald): whether their
  // difference is significant is the core's decision, in every view.
  'unanimous.csv':
    'score,segment,submitted_at,weight\n' +
    [
      ...Array.from({ length: 12 }, (_, i) => `10,Promoters only,2026-03-0${(i % 7) + 2},1`),
      ...Array.from({ length: 12 }, (_, i) => `2,Detractors only,2026-03-1${i % 7},1`),
    ].join('\n') +
    '\n',
};

let server;
let collector;
let browser;
let page;
let errors;
let folder;
const collectorRequests = [];
const adminToken = 'calculator-secret-42';

before(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'npskit-agreement-'));
  for (const [name, text] of Object.entries(table)) await writeFile(path.join(folder, name), text);
  server = await startServer({ headers: { 'content-security-policy': csp } });
  browser = await launchBrowser();
  page = await browser.newPage({ acceptDownloads: true });
  errors = calculatorErrors(page);
  await page.goto(`${server.url}/demo/calculator.html`);
  await page.waitForSelector('html[data-ready="true"]');
});

after(async () => {
  await browser?.close();
  await server?.close();
  await collector?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

// The calculator starts with the core's default method, so the command is
// run with its default too unless a method is named.
async function native(name, by, method) {
  const { stdout } = await run(npskit, [
    'summarize',
    '--json',
    ...(method ? ['--method', method] : []),
    '--by',
    by,
    '--segment-column',
    'segment',
    '--date-column',
    'submitted_at',
    '--weight-column',
    'weight',
    path.join(folder, name),
  ]);
  return JSON.parse(stdout);
}

async function upload(name) {
  await page.click('#tab-file');
  await page.setInputFiles('#file-input', path.join(folder, name));
  await page.waitForFunction(
    (expected) =>
      document.querySelector('#file-status').textContent.startsWith(`Read ${expected}:`) ||
      !document.querySelector('#error-banner').hidden,
    name,
    { timeout: 30000 },
  );
}

const stat = async (key) =>
  (await page.locator(`#numbers-table [data-stat="${key}"]`).innerText()).trim();
const fixed = (value, digits = 2) => {
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text.replace('-', '−');
};
const oneDecimal = (value) => {
  const text = (Math.round(value * 10) / 10).toFixed(1).replace('-', '−');
  return value > 0 && text !== '0.0' ? `+${text}` : text === '−0.0' ? '0.0' : text;
};

async function segmentRows() {
  if (await page.locator('#segments-card').isHidden()) return [];
  return page
    .locator('#segments-table tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => cell.textContent.trim())),
    );
}

async function trendRows() {
  if (await page.locator('#trend-card').isHidden()) return [];
  return page
    .locator('#trend-table tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => cell.textContent.trim())),
    );
}

// What a view must say when there are no answers, and must never say then.
async function assertNoAnswersEverywhere(what) {
  assert.equal(await page.locator('#nps-value').innerText(), '–', `${what}: headline`);
  assert.equal(await page.locator('#band-chip').innerText(), 'No answers yet', `${what}: band`);
  assert.match(await page.locator('#interval-line').innerText(), /No answers yet/, what);
  assert.match(await page.locator('#margin-words').innerText(), /No answers yet/, what);
  assert.match(await page.locator('#benchmark-text').innerText(), /No answers yet/, what);
  assert.equal(await stat('nps'), 'No answers yet', `${what}: numbers table`);
  // The band scale names every band and the planner its margin; the views of
  // the score itself must hold no number, margin or band.
  const headline = await page.locator('.headline').innerText();
  assert.doesNotMatch(headline, /[+−-]\d|±|\bFair\b|\bNegative\b/, `${what}: no made-up number`);
  assert.ok((await page.locator('#band-scale .band-marker').count()) === 0, `${what}: no marker`);
}

for (const name of Object.keys(table)) {
  test(`${name}: the screen shows the command’s numbers and significance`, async () => {
    const [segments, trend] = await Promise.all([native(name, 'segment'), native(name, 'week')]);
    await upload(name);
    assert.equal(await page.locator('#error-banner').isHidden(), true, `${name}: no error`);
    assert.equal((await stat('n')).replace(/,/g, ''), String(segments.n), `${name}: n`);
    if (segments.n === 0) {
      assert.equal(segments.nps, null, `${name}: the command has no estimate either`);
      await assertNoAnswersEverywhere(name);
    } else {
      assert.equal(await stat('nps'), fixed(segments.nps), `${name}: NPS`);
      assert.equal(await stat('low'), fixed(segments.interval.low), `${name}: low`);
      assert.equal(await stat('high'), fixed(segments.interval.high), `${name}: high`);
      assert.equal(await stat('se'), fixed(segments.interval.se), `${name}: SE`);
      // One band when the whole interval lies in it; else the two bands it spans.
      const ends = segments.interval_bands;
      const chip = (await page.locator('#band-chip').innerText()).toLowerCase();
      assert.equal(
        chip,
        ends.low === ends.high
          ? segments.band.replace(/-/g, ' ')
          : `between ${ends.low.replace(/-/g, ' ')} and ${ends.high.replace(/-/g, ' ')}`,
        `${name}: band`,
      );
      if (segments.weighted_nps !== undefined && segments.weighted_nps !== null) {
        assert.equal(await stat('weighted-nps'), fixed(segments.weighted_nps), `${name}: weighted`);
      }
    }
    // Rows without a usable date are counted in the total, and said to be in no period.
    assert.equal(trend.n, segments.n, `${name}: --by week keeps every answer in the total`);
    const undated = trend.undated?.count ?? 0;
    if (undated > 0) {
      assert.equal((await stat('undated')).replace(/,/g, ''), String(undated));
      assert.match(
        await page.locator('#trend-note').innerText(),
        new RegExp(
          `${undated} answers? without a usable date (is|are) in the total but in no period`,
        ),
      );
    }

    const shownSegments = await segmentRows();
    const expectedSegments = segments.n ? segments.groups : [];
    assert.equal(shownSegments.length, expectedSegments.length, `${name}: segments`);
    for (const group of expectedSegments) {
      const row = shownSegments.find((cells) => cells[0] === group.key);
      assert.ok(row, `${name}: segment ${group.key} shown`);
      assert.equal(row[1].replace(/,/g, ''), String(group.n));
      assert.equal(row[2], oneDecimal(group.nps));
      const badge = row[4].replace(/^.*\s/, '');
      const significant = Boolean(group.versus?.significant);
      if (group.versus) {
        assert.equal(
          badge !== 'similar',
          significant,
          `${name}: segment ${group.key} significance (${row[4]})`,
        );
      }
    }

    const shownTrend = await trendRows();
    const expectedTrend = trend.n ? trend.groups : [];
    assert.equal(shownTrend.length, expectedTrend.length, `${name}: periods`);
    for (const [index, group] of expectedTrend.entries()) {
      const row = shownTrend[index];
      assert.equal(row[0], group.key);
      assert.equal(row[1].replace(/,/g, ''), String(group.n));
      assert.equal(row[2], oneDecimal(group.nps));
      assert.equal(
        row[6],
        group.versus ? (group.versus.significant ? 'Yes' : 'No') : '–',
        `${name}: ${group.key} significance`,
      );
    }
    assert.deepEqual(errors, []);
  });
}

test('unanimous groups under Wald: the segments, the trend and the two-group test give one verdict', async () => {
  await page.selectOption('#method', 'wald');
  const segments = await native('unanimous.csv', 'segment', 'wald');
  await upload('unanimous.csv');
  const rows = await segmentRows();
  for (const group of segments.groups) {
    const row = rows.find((cells) => cells[0] === group.key);
    assert.equal(row[4].replace(/^.*\s/, '') !== 'similar', Boolean(group.versus?.significant));
  }
  await page.check('input[name="compare-mode"][value="groups"]');
  await page.selectOption('#compare-a', 'segment:Promoters only');
  await page.selectOption('#compare-b', 'segment:Detractors only');
  await page.waitForFunction(() =>
    document.querySelector('#compare-result').dataset.inputs?.startsWith('groups|'),
  );
  const { stdout } = await run(npskit, [
    'compare',
    '--json',
    '--method',
    'wald',
    '--counts',
    '12,0,0',
    '--counts',
    '0,0,12',
  ]);
  const comparison = JSON.parse(stdout);
  const verdict = await page.locator('#compare-result .verdict-headline').innerText();
  assert.equal(verdict.startsWith('No significant difference'), !comparison.significant, verdict);
  await page.selectOption('#method', 'adjusted-wald');
  assert.deepEqual(errors, []);
});

async function enterCounts(promoters, passives, detractors) {
  await page.click('#tab-counts');
  await page.fill('#count-promoters', String(promoters));
  await page.fill('#count-passives', String(passives));
  await page.fill('#count-detractors', String(detractors));
}

test('no answers: counts of 0, 0, 0 say “no answers yet” in every view', async () => {
  await enterCounts(50, 30, 20);
  await page.waitForFunction(() => document.querySelector('#nps-value').textContent === '+30');
  await enterCounts(0, 0, 0);
  await page.waitForFunction(() => document.querySelector('#nps-value').textContent === '–');
  await assertNoAnswersEverywhere('counts 0, 0, 0');
  await page.check('input[name="compare-mode"][value="benchmark"]');
  await page.waitForFunction(() =>
    /No answers yet/.test(document.querySelector('#compare-result').textContent),
  );
  assert.deepEqual(errors, []);
});

test('invalid counts clear the results instead of leaving numbers on screen', async () => {
  await enterCounts(50, 30, 20);
  await page.waitForFunction(() => document.querySelector('#nps-value').textContent === '+30');
  await page.fill('#count-passives', '2.5');
  await page.waitForFunction(() => document.querySelector('#count-error').textContent !== '');
  assert.equal(await page.locator('#result-sections').isHidden(), true, 'the old result is gone');
  assert.match(
    await page.locator('#error-banner').innerText(),
    /Passives: “2\.5” is not a whole number/,
  );
  await page.fill('#count-passives', '30');
  // The hidden headline still holds the old text; the results showing again
  // is what says the counts were read.
  await page.waitForFunction(() => !document.querySelector('#result-sections').hidden);
  assert.equal(await page.locator('#nps-value').innerText(), '+30');
  assert.equal(await page.locator('#error-banner').isHidden(), true);
  assert.deepEqual(errors, []);
});

test('an error for a new paste or file clears the result of the previous input', async () => {
  await page.click('#tab-scores');
  await page.fill('#scores-text', '10 10 9 10 9');
  await page.waitForFunction(() => document.querySelector('#nps-value').textContent === '+100');
  // A table whose columns hold no score.
  await page.fill('#scores-text', 'name,city\nAnn,Oslo\nBo,Lund');
  await page.waitForFunction(() => !document.querySelector('#error-banner').hidden);
  assert.equal(await page.locator('#result-sections').isHidden(), true);
  assert.doesNotMatch(await page.locator('#results').innerText(), /\+100/);

  await upload('one-answer.csv');
  await page.waitForFunction(() => document.querySelector('#nps-value').textContent === '+100');
  await page.setInputFiles('#file-input', {
    name: 'empty-header.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('\n\n'),
  });
  await page.waitForFunction(() => !document.querySelector('#error-banner').hidden);
  assert.match(await page.locator('#error-banner').innerText(), /empty-header\.csv/);
  assert.equal(await page.locator('#result-sections').isHidden(), true);
  assert.doesNotMatch(await page.locator('#results').innerText(), /\+100/);
  assert.deepEqual(errors, []);
});

test('the gap to a target is the plain difference of the scores; an adjusted test says so', async () => {
  await page.selectOption('#method', 'adjusted-wald');
  await enterCounts(50, 30, 20);
  await page.waitForFunction(() => document.querySelector('#nps-value').textContent === '+30');
  await page.check('input[name="compare-mode"][value="benchmark"]');
  await page.fill('#benchmark-target', '40');
  const shown = (key) => page.locator(`#compare-result [data-stat="${key}"]`).innerText();
  await page.waitForFunction(() =>
    document.querySelector('#compare-result [data-stat="diff"]')?.textContent.startsWith('−10'),
  );
  assert.equal(await shown('diff'), '−10.00', 'the score on screen (+30) less the target (40)');
  assert.match(
    await page.locator('#compare-result .hint').first().innerText(),
    /gap of 10\.0 points/,
  );
  const note = await page.locator('#compare-result [data-note="adjusted"]').innerText();
  assert.match(note, /adjusted estimates/);
  assert.equal(
    await shown('adjusted-diff'),
    '−10.87',
    'the adjusted test’s own difference is named apart',
  );

  await page.selectOption('#method', 'wald');
  await page.waitForFunction(() =>
    document.querySelector('#compare-result').dataset.inputs?.endsWith('|wald'),
  );
  assert.equal(await shown('diff'), '−10.00', 'Wald tests the plain difference');
  assert.equal(await page.locator('#compare-result [data-stat="adjusted-diff"]').count(), 0);
  assert.equal(await page.locator('#compare-result [data-note="adjusted"]').count(), 0);
  await page.selectOption('#method', 'adjusted-wald');
  assert.deepEqual(errors, []);
});

test('the Collector tab asks for the admin token on a 401, keeps it for the tab and sends it as a bearer token', async () => {
  const stored = [
    {
      type: 'response',
      score: 10,
      comment: '',
      submitted_at: '2026-11-02T10:00:00Z',
      properties: { segment: 'A' },
    },
    {
      type: 'response',
      score: 9,
      comment: '',
      submitted_at: '2026-11-03T10:00:00Z',
      properties: { segment: 'A' },
    },
    {
      type: 'response',
      score: 4,
      comment: 'slow',
      submitted_at: '2026-11-04T10:00:00Z',
      properties: { segment: 'B' },
    },
  ];
  collector = await startServer({
    headers: { 'content-security-policy': csp },
    routes: {
      '/demo/api/health': (req, res) => res.end('{"status":"ok"}'),
      '/demo/api/responses.jsonl': (req, res) => {
        collectorRequests.push(req.headers.authorization ?? '');
        if (req.headers.authorization !== `Bearer ${adminToken}`) {
          res.writeHead(401, { 'content-type': 'application/json' });
          return res.end('{"error":"unauthorized"}');
        }
        res.end(stored.map((answer) => JSON.stringify(answer)).join('\n') + '\n');
      },
    },
  });
  const context = await browser.newContext();
  const guarded = await context.newPage();
  const guardedErrors = calculatorErrors(guarded);
  await guarded.goto(`${collector.url}/demo/calculator.html`);
  await guarded.waitForSelector('html[data-ready="true"]');
  await guarded.click('#tab-collector');
  await guarded.waitForFunction(
    () => document.querySelector('#collector-error').textContent !== '',
  );
  assert.equal(
    await guarded.locator('#collector-error').innerText(),
    'this collector needs its admin token',
  );
  assert.equal(await guarded.locator('#result-sections').isHidden(), true);
  assert.equal(collectorRequests.at(-1), '');

  await guarded.fill('#collector-token', adminToken);
  await guarded.click('#collector-button');
  await guarded.waitForFunction(() =>
    document.querySelector('#file-status').textContent.startsWith('Read the collector'),
  );
  assert.equal(await guarded.locator('#nps-value').innerText(), '+33.3');
  assert.equal(collectorRequests.at(-1), `Bearer ${adminToken}`);
  assert.ok(!guarded.url().includes(adminToken), 'the token is never in the link');
  assert.equal(
    await guarded.evaluate(() => sessionStorage.getItem('npskit.collector-token')),
    adminToken,
  );
  assert.ok(
    !Object.values(await guarded.evaluate(() => ({ ...localStorage }))).includes(adminToken),
  );
  // A reload in the same tab keeps the token, so the answers load again.
  await guarded.reload();
  await guarded.waitForSelector('html[data-ready="true"]');
  assert.equal(await guarded.inputValue('#collector-token'), adminToken);
  assert.deepEqual(
    guardedErrors.filter((error) => !/401/.test(error)),
    [],
  );
  await context.close();
});

test('dates: the screen says how many could not be read and why; a date order and a UTC offset read them like the command', async () => {
  const name = 'european-dates.csv';
  await writeFile(
    path.join(folder, name),
    'score,segment,submitted_at,weight\n' +
      [
        '10,A,02.03.2026,1',
        '9,A,03.03.2026,1',
        '4,B,10.03.2026,1',
        '8,B,,1',
        '10,A,2026-03-02T00:30:00+02:00,1',
      ].join('\n') +
      '\n',
  );
  const nativeWith = async (...extra) =>
    JSON.parse(
      (
        await run(npskit, [
          'summarize',
          '--json',
          '--by',
          'week',
          '--date-column',
          'submitted_at',
          ...extra,
          path.join(folder, name),
        ])
      ).stdout,
    );
  const plain = await nativeWith();
  assert.equal(plain.undated.count, 4, 'three day-first dates and one empty date');
  await upload(name);
  assert.equal((await stat('n')).replace(/,/g, ''), '5', 'every answer is in the total');
  assert.equal(await stat('undated'), '4');
  const note = await page.locator('#undated-note').innerText();
  assert.match(note, /4 answers without a usable date are in the total but in no period/);
  assert.match(note, /1 without a date/);
  assert.match(note, /3 written like “02\.03\.2026”, which is read only once you choose/);
  const shownPeriods = async () => (await trendRows()).map((row) => [row[0], row[1]]);
  assert.deepEqual(
    await shownPeriods(),
    plain.groups.map((group) => [group.key, String(group.n)]),
    'by default the offset date counts on its UTC day',
  );

  await page.selectOption('#date-order', 'dmy');
  const dayFirst = await nativeWith('--date-order', 'dmy');
  await page.waitForFunction(
    () => document.querySelector('#numbers-table [data-stat="undated"]')?.textContent === '1',
  );
  assert.deepEqual(
    await shownPeriods(),
    dayFirst.groups.map((group) => [group.key, String(group.n)]),
  );
  assert.match(page.url(), /dates=dmy/);

  await page.fill('#utc-offset', '+02:00');
  const shifted = await nativeWith('--date-order', 'dmy', '--utc-offset', '+02:00');
  assert.notDeepEqual(
    shifted.groups.map((group) => group.key),
    dayFirst.groups.map((group) => group.key),
    'the offset moves an answer into another week',
  );
  await page.waitForFunction(
    (expected) =>
      JSON.stringify(
        [...document.querySelectorAll('#trend-table tbody tr')].map((row) => [
          row.children[0].textContent.trim(),
          row.children[1].textContent.trim(),
        ]),
      ) === expected,
    JSON.stringify(shifted.groups.map((group) => [group.key, String(group.n)])),
  );
  await page.fill('#utc-offset', '');
  await page.selectOption('#date-order', '');
  assert.deepEqual(errors, []);
});
