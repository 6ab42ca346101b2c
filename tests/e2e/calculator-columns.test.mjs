// The calculator's column mapping from what the columns hold: a Swedish
// export (Betyg;Datum;Kommentar;Segment) gets its score, date and comment
// columns suggested from their values by the core, three sample values per
// column, a results area that points to the waiting form, and once read the
// native command's NPS for the same file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { calculatorErrors, launchBrowser, repoRoot, startServer } from './support.mjs';

const run = promisify(execFile);
const npskit = path.resolve(repoRoot, process.env.NPSKIT_BIN || 'build/bin/npskit');
const swedish = path.join(repoRoot, 'tests', 'data', 'columns', 'swedish.csv');

let server;
let browser;
let page;
let errors;

before(async () => {
  server = await startServer();
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
});

test('Swedish headers get their columns suggested from their values, with samples', async () => {
  await page.setInputFiles('#file-input', swedish);
  await page.waitForSelector('#mapping-form:not([hidden])');

  assert.equal(await page.inputValue('#map-score'), 'Betyg');
  assert.equal(await page.inputValue('#map-date'), 'Datum');
  assert.equal(await page.inputValue('#map-comment'), 'Kommentar');
  assert.equal(await page.isChecked('input[name="segments"][value="Segment"]'), true);

  // Three values of each column beside its choice, each in its own direction.
  const samples = await page.$$eval('#mapping-fields .segment-choices .check', (labels) =>
    labels.map((label) => ({
      name: label.querySelector('input').value,
      values: [...label.querySelectorAll('.mapping-samples [dir="auto"]')].map(
        (value) => value.textContent,
      ),
    })),
  );
  assert.deepEqual(samples, [
    { name: 'Betyg', values: ['9', '10', '7'] },
    { name: 'Datum', values: ['3.3.2026', '4.3.2026', '5.3.2026'] },
    {
      name: 'Kommentar',
      values: [
        'Snabb leverans och trevlig personal',
        'Bra pris; enkel att beställa',
        'Appen kraschar ibland vid inloggning',
      ],
    },
    { name: 'Segment', values: ['Företag', 'Privat'] },
  ]);
  // What each column holds, in a few words beside it and in every list of columns.
  const shapes = await page.$$eval('#mapping-fields .segment-choices .check', (labels) =>
    labels.map((label) => label.querySelector('.mapping-shape')?.textContent ?? ''),
  );
  assert.deepEqual(shapes, ['0–10', 'dates', 'free text', '2 values']);
  assert.deepEqual(
    await page.$$eval('#map-score option', (options) => options.map((o) => o.text)),
    ['Betyg (0–10)', 'Datum (dates)', 'Kommentar (free text)', 'Segment (2 values)'],
  );
  assert.equal(await page.locator('#map-score-samples').innerText(), '9 · 10 · 7');
  await page.selectOption('#map-comment', 'Segment');
  assert.equal(await page.locator('#map-comment-samples').innerText(), 'Företag · Privat');
  await page.selectOption('#map-comment', 'Kommentar');

  // The results area says the form waits, and its button moves focus there.
  assert.equal(await page.isVisible('#empty-mapping-link'), true);
  assert.match(
    await page.locator('#empty-heading').innerText(),
    /Choose the columns of swedish\.csv/,
  );
  assert.doesNotMatch(await page.locator('#empty-state').innerText(), /Start with your numbers/);
  await page.click('#empty-mapping-link');
  assert.equal(
    await page.evaluate(() => document.activeElement?.closest('#mapping-form') !== null),
    true,
  );
  assert.deepEqual(errors, []);
});

test('reading with the suggested columns gives the native command’s NPS', async () => {
  const { stdout } = await run(npskit, ['summarize', '--json', '--score-column', 'Betyg', swedish]);
  const native = JSON.parse(stdout);
  await page.click('#mapping-form button[type="submit"]');
  await page.waitForFunction(() =>
    document.querySelector('#file-status').textContent.startsWith('Read swedish.csv'),
  );
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const shown = JSON.parse(await readFile(await file.path(), 'utf8'));
  for (const key of ['n', 'promoters', 'passives', 'detractors', 'nps', 'rejected', 'interval']) {
    assert.deepEqual(shown[key], native[key], key);
  }
  assert.equal(native.n, 10);
  assert.equal(
    await page.locator('#numbers-table [data-stat="nps"]').innerText(),
    native.nps.toFixed(2),
  );
  assert.deepEqual(errors, []);
});
