// The calculator with files: a multi-megabyte export streamed through the
// core's readers in the worker must give exactly the native command's numbers
// (overall, trend and segments); bad rows are listed with their lines; real
// exports (semicolons, BOM, CRLF, quoted delimiters) read correctly; a read
// can be cancelled; unusual headers ask for a column mapping once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateSampleExport } from '../../demo/src/sample-data.mjs';
import { calculatorErrors, launchBrowser, repoRoot, startServer } from './support.mjs';

const run = promisify(execFile);
const npskit = path.resolve(repoRoot, process.env.NPSKIT_BIN || 'build/bin/npskit');
const csp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'";

let server;
let browser;
let page;
let errors;
let folder;
const files = {};

async function summarizeNative(file, by) {
  const { stdout } = await run(npskit, ['summarize', '--json', '--by', by, file], {
    maxBuffer: 64 << 20,
  });
  return JSON.parse(stdout);
}

before(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'npskit-calculator-'));
  files.large = path.join(folder, 'large-export.csv');
  await writeFile(
    files.large,
    generateSampleExport({ rows: 90000, seed: 11, start: '2026-01-05', days: 300 }),
  );
  files.dialect = path.join(folder, 'excel-export.csv');
  await writeFile(
    files.dialect,
    generateSampleExport({
      rows: 700,
      seed: 5,
      delimiter: ';',
      newline: '\r\n',
      bom: true,
      commentRate: 0.8,
    }).replace(/Too expensive for what it does/g, '"Too expensive; ""really"" expensive"'),
  );
  files.bad = path.join(folder, 'bad-rows.csv');
  await writeFile(
    files.bad,
    [
      'score,segment,comment',
      '9,Team,fine',
      '11,Team,out of range',
      '7,Free,"quoted, with a comma"',
      'abc,Free,not a number',
      '10,Team,ok',
      '-1,Team,negative',
      '8,Free,"a comment',
      'over two lines"',
      '7.5,Team,a fraction',
      '6,Free,last',
    ].join('\n') + '\n',
  );
  files.cancel = path.join(folder, 'huge-export.csv');
  const block = generateSampleExport({ rows: 20000, seed: 3 });
  const body = block.slice(block.indexOf('\n') + 1);
  await writeFile(files.cancel, block + body.repeat(60));
  files.unusual = path.join(folder, 'survey-results.csv');
  await writeFile(
    files.unusual,
    'Respondent,How likely are you to recommend us?,Plan,Answered on\n' +
      'r1,10,Pro,2026-03-02\nr2,9,Pro,2026-03-03\nr3,3,Free,2026-03-03\nr4,8,Free,2026-03-10\nr5,10,Pro,2026-03-11\n',
  );

  const answers = Array.from({ length: 240 }, (_, index) => ({
    schema: 'npskit.response/1',
    type: index % 17 === 0 ? 'dismissal' : 'response',
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    score: index % 17 === 0 ? undefined : (index * 7) % 11,
    comment: index % 3 === 0 ? 'Fast support, clear reports' : '',
    submitted_at: new Date(Date.UTC(2026, 8, 1) + index * 36e5 * 7).toISOString(),
    properties: { segment: ['Pro', 'Free', 'Team'][index % 3] },
  }));
  files.jsonl = path.join(folder, 'responses.jsonl');
  await writeFile(files.jsonl, answers.map((answer) => JSON.stringify(answer)).join('\n') + '\n');
  files.json = path.join(folder, 'responses.json');
  await writeFile(files.json, JSON.stringify(answers, null, 2));
  files.tsv = path.join(folder, 'responses.tsv');
  await writeFile(
    files.tsv,
    ['submitted_at\ttype\tscore\tsegment']
      .concat(
        answers.map((answer) =>
          [answer.submitted_at, answer.type, answer.score ?? '', answer.properties.segment].join(
            '\t',
          ),
        ),
      )
      .join('\n') + '\n',
  );

  server = await startServer({ headers: { 'content-security-policy': csp } });
  browser = await launchBrowser();
  page = await browser.newPage({ acceptDownloads: true });
  errors = calculatorErrors(page);
  await page.goto(`${server.url}/demo/calculator.html`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.click('#tab-file');
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function upload(file) {
  const name = path.basename(file);
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(
    (expected) =>
      document.querySelector('#file-status').textContent.startsWith(`Read ${expected}:`),
    name,
    {
      timeout: 60000,
    },
  );
}

async function download(trigger) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(trigger)]);
  return readFile(await file.path(), 'utf8');
}

function parseCsv(text) {
  const [header, ...rows] = text
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

// The tests of a group against another, as shown and exported, are the
// native command's to the last digit.
function assertSameTest(shown, expected, what) {
  if (expected === null) return assert.equal(shown, null, what);
  for (const key of ['method', 'diff', 'se', 'z', 'p_value']) {
    assert.equal(shown[key], expected[key], `${what} ${key}`);
  }
}

const oneDecimal = (value) => {
  const text = (Math.round(value * 10) / 10).toFixed(1).replace('-', '−');
  return value > 0 && text !== '0.0' ? `+${text}` : text === '−0.0' ? '0.0' : text;
};

test('a multi-megabyte export gives the native command’s NPS and segments to the last digit', async () => {
  const segments = await summarizeNative(files.large, 'segment');
  await upload(files.large);

  const shown = JSON.parse(await download('#export-json'));
  for (const key of [
    'n',
    'promoters',
    'passives',
    'detractors',
    'nps',
    'rejected',
    'dismissals',
    'response_rate',
    'histogram',
    'interval',
    'percent',
    'band',
  ]) {
    assert.deepEqual(shown[key], segments[key], `overall ${key}`);
  }
  assert.equal(
    await page.locator('#numbers-table [data-stat="nps"]').innerText(),
    segments.nps.toFixed(2),
  );

  const segmentRows = await page
    .locator('#segments-table tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => cell.textContent.trim())),
    );
  assert.equal(segmentRows.length, segments.groups.length);
  for (const group of segments.groups) {
    const row = segmentRows.find((cells) => cells[0] === group.key);
    assert.ok(row, `segment ${group.key} shown`);
    assert.equal(row[1].replace(/,/g, ''), String(group.n));
    assert.equal(row[2], oneDecimal(group.nps));
    assert.equal(row[3], `${oneDecimal(group.interval.low)} to ${oneDecimal(group.interval.high)}`);
  }

  assert.equal(shown.groups.length, segments.groups.length);
  for (const [index, group] of segments.groups.entries()) {
    for (const key of ['key', 'n', 'nps', 'interval']) {
      assert.deepEqual(shown.groups[index][key], group[key], `segment ${group.key} ${key}`);
    }
    assertSameTest(
      shown.groups[index].versus,
      group.versus,
      `segment ${group.key} versus the rest`,
    );
  }
  assert.deepEqual(errors, []);
});

test('with one core, one worker reads the file itself and gives the same numbers', async () => {
  // With two cores one worker parses while the other reads the file and
  // hands it the chunks; with one, the parsing worker reads the Blob itself.
  const expected = await summarizeNative(files.large, 'segment');
  const single = await browser.newPage({ acceptDownloads: true });
  const singleErrors = calculatorErrors(single);
  await single.addInitScript(() => {
    Object.defineProperty(navigator, 'hardwareConcurrency', { value: 1 });
    const Original = window.Worker;
    window.workersStarted = 0;
    window.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        window.workersStarted += 1;
      }
    };
  });
  try {
    await single.goto(`${server.url}/demo/calculator.html`);
    await single.waitForSelector('html[data-ready="true"]');
    await single.click('#tab-file');
    await single.setInputFiles('#file-input', files.large);
    await single.waitForFunction(
      () => document.querySelector('#file-status').textContent.startsWith('Read '),
      null,
      { timeout: 60000 },
    );
    assert.equal(await single.evaluate(() => window.workersStarted), 1);
    const [file] = await Promise.all([
      single.waitForEvent('download'),
      single.click('#export-json'),
    ]);
    const shown = JSON.parse(await readFile(await file.path(), 'utf8'));
    for (const key of ['n', 'nps', 'histogram', 'rejected', 'interval']) {
      assert.deepEqual(shown[key], expected[key], key);
    }
    assert.deepEqual(
      shown.groups.map((group) => [group.key, group.n, group.nps]),
      expected.groups.map((group) => [group.key, group.n, group.nps]),
    );
    assert.deepEqual(singleErrors, []);
  } finally {
    await single.close();
  }
});

test('the trend by week and by month equals the native command’s, significant changes marked', async () => {
  await upload(files.large);
  for (const period of ['week', 'month']) {
    const native = await summarizeNative(files.large, period);
    await page.selectOption('#period', period);
    await page.waitForFunction(
      (name) => document.querySelector('#trend-heading').textContent === `Trend by ${name}`,
      period,
    );
    await page.waitForFunction(() =>
      document.querySelector('#file-status').textContent.startsWith('Read large-export.csv:'),
    );

    // The CSV is rounded for people (the JSON export above has every digit):
    // points with one decimal, z with two, p-values as decimals unless tiny.
    const trend = parseCsv(await download('#trend-csv'));
    const points = (value) => (Math.round(value * 10) / 10).toFixed(1);
    assert.equal(trend.length, native.groups.length);
    for (const [index, group] of native.groups.entries()) {
      const row = trend[index];
      assert.equal(row[period], group.key);
      assert.equal(Number(row.n), group.n);
      assert.equal(row.nps, points(group.nps), `${group.key} NPS`);
      assert.equal(row.low, points(group.interval.low), `${group.key} low`);
      assert.equal(row.high, points(group.interval.high), `${group.key} high`);
      assert.equal(row.p_value === '', group.versus === null, `${group.key} has a test`);
      if (group.versus) {
        const { diff, z, p_value: p } = group.versus;
        assert.equal(row.diff_vs_previous, points(diff), `${group.key} diff`);
        assert.equal(row.z, (Math.round(z * 100) / 100).toFixed(2), `${group.key} z`);
        if (p < 0.0001) {
          assert.match(row.p_value, /^\d\.\de-\d+$/, `${group.key} p in scientific form`);
          assert.ok(Math.abs(Number(row.p_value) - p) <= 0.05 * p, `${group.key} p`);
        } else {
          assert.equal(Number(row.p_value), Number(p.toFixed(4)), `${group.key} p`);
        }
        assert.ok(row.p_value.length <= 7, `${group.key} p-value ${row.p_value} is short`);
      }
    }

    await page.click('[data-table-toggle="trend"]');
    const rows = await page
      .locator('#trend-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.children].map((cell) => cell.textContent.trim())),
      );
    await page.click('[data-table-toggle="trend"]');
    assert.deepEqual(
      rows.map((cells) => [cells[0], cells[2]]),
      native.groups.map((group) => [group.key, oneDecimal(group.nps)]),
    );
    const significant = native.groups
      .filter((group) => group.versus && group.versus.p_value < 0.05)
      .map((group) => group.key);
    assert.ok(significant.length > 0, `the generated data has significant changes by ${period}`);
    assert.deepEqual(
      rows.filter((cells) => cells[6] === 'Yes').map((cells) => cells[0]),
      significant,
    );
  }
  assert.deepEqual(errors, []);
});

test('rows that cannot be counted are listed with their line numbers and reasons', async () => {
  const native = await summarizeNative(files.bad, 'segment');
  await upload(files.bad);
  await page.waitForSelector('#rejected-card:not([hidden])');
  const rows = await page.locator('#rejected-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      line: Number(tr.children[0].textContent),
      reason: tr.children[1].textContent,
      text: tr.children[2].textContent,
    })),
  );
  assert.deepEqual(
    rows.map((row) => row.line),
    [3, 5, 7, 10],
  );
  // The line is in its own column, so the reason does not repeat it.
  assert.deepEqual(
    rows,
    native.rejections.map(({ line, reason, text }) => ({
      line,
      reason: reason.replace(/^line \d+: /, ''),
      text,
    })),
  );
  for (const row of rows) assert.ok(row.reason.length > 10, `line ${row.line} has a reason`);
  assert.match(await page.locator('#rejected-note').innerText(), /^4 rows were left out/);
  assert.equal((await page.locator('#numbers-table [data-stat="n"]').innerText()).trim(), '5');
  assert.equal(
    (await page.locator('#numbers-table [data-stat="rejected"]').innerText()).trim(),
    '4',
  );
});

test('a semicolon-separated export with a BOM and CRLF line ends reads like the native command reads it', async () => {
  const native = await summarizeNative(files.dialect, 'segment');
  await upload(files.dialect);
  const shown = JSON.parse(await download('#export-json'));
  assert.equal(shown.rejected, 0);
  for (const key of ['n', 'nps', 'histogram', 'interval', 'dismissals'])
    assert.deepEqual(shown[key], native[key], key);
  assert.deepEqual(
    shown.groups.map((group) => group.key),
    ['Business', 'Enterprise', 'Free', 'Team'],
  );
  const examples = await page.locator('#themes .examples li').allInnerTexts();
  assert.ok(
    examples.some((text) => text.includes('Too expensive; "really" expensive')),
    'a quoted comment with the delimiter and quotes is shown whole',
  );
});

test('JSON, JSONL and TSV exports read like the native command reads them', async () => {
  for (const file of [files.jsonl, files.json, files.tsv]) {
    const native = await summarizeNative(file, 'segment');
    await upload(file);
    const shown = JSON.parse(await download('#export-json'));
    for (const key of [
      'n',
      'nps',
      'histogram',
      'interval',
      'dismissals',
      'response_rate',
      'rejected',
    ]) {
      assert.deepEqual(shown[key], native[key], `${path.basename(file)} ${key}`);
    }
    assert.deepEqual(
      shown.groups.map((group) => [group.key, group.n, group.nps]),
      native.groups.map((group) => [group.key, group.n, group.nps]),
      `${path.basename(file)} segments`,
    );
    assert.equal(native.groups.length, 3);
  }
});

test('cancelling a large read stops it, shows nothing from it, and the next file reads normally', async () => {
  await page.evaluate(() => {
    // Cancel as soon as the first progress report arrives.
    const observer = new MutationObserver(() => {
      if (document.querySelector('#progress-text').textContent.includes(' of ')) {
        observer.disconnect();
        document.querySelector('#cancel-button').click();
      }
    });
    observer.observe(document.querySelector('#progress-text'), {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await page.setInputFiles('#file-input', files.cancel);
  await page.waitForFunction(
    () => document.querySelector('#file-status').textContent.startsWith('Stopped reading'),
    null,
    { timeout: 60000 },
  );
  assert.equal(await page.isVisible('#progress-block'), false);
  assert.equal(await page.isVisible('#result-sections'), false);
  assert.equal(await page.isVisible('#empty-state'), true);
  await upload(files.bad);
  assert.equal((await page.locator('#numbers-table [data-stat="n"]').innerText()).trim(), '5');
});

test('a header that does not name the score asks for the columns once and remembers them', async () => {
  await page.setInputFiles('#file-input', files.unusual);
  await page.waitForSelector('#mapping-form:not([hidden])');
  assert.match(
    await page.locator('#mapping-hint').innerText(),
    /does not say which column holds the score/,
  );
  assert.equal(await page.inputValue('#map-score'), 'How likely are you to recommend us?');
  await page.check('input[name="segments"][value="Plan"]');
  await page.selectOption('#map-date', 'Answered on');
  await page.click('#mapping-form button[type="submit"]');
  await page.waitForFunction(() =>
    document.querySelector('#file-status').textContent.startsWith('Read survey-results.csv'),
  );
  assert.equal(await page.locator('#nps-value').innerText(), '+40');
  const segments = await page.locator('#segments-table tbody th').allInnerTexts();
  assert.deepEqual([...segments].sort(), ['Free', 'Pro']);

  await page.reload();
  await page.waitForSelector('html[data-ready="true"]');
  await page.click('#tab-file');
  await page.setInputFiles('#file-input', files.unusual);
  await page.waitForFunction(() =>
    document.querySelector('#file-status').textContent.startsWith('Read survey-results.csv'),
  );
  assert.match(await page.locator('#mapping-hint').innerText(), /the columns you chose last time/);
  assert.equal(await page.isChecked('input[name="segments"][value="Plan"]'), true);
  assert.deepEqual(errors, []);
});
