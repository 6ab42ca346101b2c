// The calculator's CSAT and CES cards in Chromium: pasted CSAT ratings give
// the share with its Wilson interval and the mean apart, exactly as
// `npskit summarize --json` computes them from a file of the same ratings,
// a rating off the scale is reported by the core, and a file with a segment
// and dates gives each card a table by segment and by month that equals the
// command's groups.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { axeViolations, launchBrowser, repoRoot, startServer } from './support.mjs';
import * as format from '../../demo/src/format.js';

const run = promisify(execFile);
const npskit = path.resolve(repoRoot, process.env.NPSKIT_BIN || 'build/bin/npskit');

const ratings = [5, 4, 4, 3, 5, 1, 2, 5, 4, 4, 5, 3];

let server;
let browser;
let page;
let folder;

before(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'npskit-ratings-e2e-'));
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.url}/demo/calculator.html`);
  await page.waitForSelector('html[data-ready="true"]');
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function commandBlock() {
  const file = path.join(folder, 'csat.csv');
  await writeFile(file, `csat\n${ratings.join('\n')}\n`);
  const { stdout } = await run(npskit, ['summarize', '--json', file]);
  return JSON.parse(stdout).csat;
}

test('pasted CSAT ratings show the share and the mean as the command computes them', async () => {
  const expected = await commandBlock();
  await page.fill('#csat-pasted', ratings.join(' '));
  const result = page.locator('#csat-result');
  await result.getByText('From the pasted ratings').waitFor({ timeout: 20_000 });
  const text = await result.innerText();
  const percent = (value) => `${value.toFixed(1)}%`;
  assert.match(text, new RegExp(`CSAT ${percent(expected.share)} \\(4–5\\)`));
  assert.ok(
    text.includes(
      `${percent(expected.share_interval.low)} to ${percent(expected.share_interval.high)} (Wilson)`,
    ),
    text,
  );
  assert.ok(
    text.includes(
      `Mean rating ${expected.mean.toFixed(2)}: 95% interval ` +
        `${expected.mean_interval.low.toFixed(2)} to ${expected.mean_interval.high.toFixed(2)}`,
    ),
    text,
  );
  assert.ok(!/Mean rating.*CSAT/.test(text.split('\n').find((line) => line.startsWith('Mean'))));
});

test('a rating off the scale is reported with its line', async () => {
  await page.fill('#csat-pasted', '5 4\n6');
  const result = page.locator('#csat-result');
  await result.getByText('must be an integer from 1 to 5').waitFor({ timeout: 20_000 });
  assert.match(await result.innerText(), /line 2: csat "6" must be an integer from 1 to 5/);
  assert.equal(await page.getAttribute('#csat-pasted', 'aria-invalid'), 'true');
});

// Answers of four segments over four months: "pro" rates high and "free"
// low (a significant difference), "trial" has one CSAT answer, "partner"
// answered only the CES question; April has a single CSAT answer.
function groupedFile() {
  const rows = ['score,csat,ces,segment,date'];
  const pro = [5, 5, 4, 5, 4, 5, 5, 4, 5, 5, 4, 5];
  const free = [2, 1, 3, 2, 4, 1, 2, 3, 2, 1, 5, 2];
  pro.forEach((csat, index) =>
    rows.push(`9,${csat},${6 + (index % 2)},pro,2026-0${1 + (index % 2)}-${10 + index}`),
  );
  free.forEach((csat, index) =>
    rows.push(`4,${csat},${2 + (index % 3)},free,2026-0${2 + (index % 2)}-${10 + index}`),
  );
  rows.push('8,4,5,trial,2026-04-02', '7,,3,partner,2026-04-03', '6,,6,partner,2026-04-20');
  return `${rows.join('\n')}\n`;
}

// What a row of a card's table must read for one of the command's groups.
function expectedCells(group) {
  const estimate = (value, interval, show) =>
    value === null
      ? '–'
      : `${show(value)}\n${interval ? `${show(interval.low)} to ${show(interval.high)}` : 'no interval'}`;
  const test = (result, unit, digits) =>
    result
      ? `${format.signed(result.diff, digits)}${unit}, p ${format.pValue(result.p_value)} ` +
        (result.significant ? 'significant' : 'not significant')
      : '–';
  return [
    group.key,
    format.count(group.n),
    estimate(group.share, group.share_interval, (value) => format.percent(value)),
    estimate(group.mean, group.mean_interval, (value) => format.fixed(value)),
    test(group.versus?.share, ' pts', 1),
    test(group.versus?.mean, '', 2),
  ];
}

async function tableCells(metric, caption) {
  const table = page.locator(`#${metric}-result table`, { hasText: caption });
  await table.waitFor({ timeout: 60_000 });
  return table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.cells].map((cell) => cell.innerText.trim())));
}

test('a file with segments and dates shows CSAT and CES by segment and by month as the command does', async () => {
  const file = path.join(folder, 'ratings-grouped.csv');
  await writeFile(file, groupedFile());
  const summarize = async (by) =>
    JSON.parse((await run(npskit, ['summarize', '--json', '--by', by, file])).stdout);
  const [bySegment, byMonth] = [await summarize('segment'), await summarize('month')];

  await page.fill('#csat-pasted', '');
  await page.click('#tab-file');
  await page.selectOption('#period', 'month');
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() =>
    document.querySelector('#file-status').textContent.startsWith('Read ratings-grouped.csv:'),
  );

  let significant = 0;
  for (const [metric, name] of [
    ['csat', 'CSAT'],
    ['ces', 'CES'],
  ]) {
    for (const [summary, caption] of [
      [bySegment, `${name} by segment`],
      [byMonth, `${name} by month`],
    ]) {
      const groups = summary[metric].groups;
      const rows = await tableCells(metric, caption);
      assert.deepEqual(rows, groups.map(expectedCells), caption);
      significant += groups.filter((group) => group.versus?.share?.significant).length;
    }
  }
  // The data are made so that the cases the table must mark all occur.
  const csatSegments = bySegment.csat.groups;
  assert.equal(csatSegments.find((group) => group.key === 'partner').n, 0);
  assert.equal(csatSegments.find((group) => group.key === 'trial').n, 1);
  assert.ok(significant > 0, 'some group differs significantly');
  assert.ok(
    byMonth.csat.groups.some((group) => group.versus === null),
    'the first month has nothing to be tested against',
  );

  const violations = await axeViolations(page, { include: [['#csat-card'], ['#ces-card']] });
  assert.deepEqual(violations, []);
});

test('the planner plans CSAT and CES with the command’s numbers', async () => {
  const file = path.join(folder, 'ratings-grouped.csv');
  const { csat } = JSON.parse((await run(npskit, ['summarize', '--json', file])).stdout);
  // The planned n the page shows, once it is `n` (the core answers in a worker).
  const plannedToBe = (n) =>
    page.waitForFunction(
      (text) =>
        document.querySelector('#planner-result [data-stat="planned-n"]')?.textContent === text,
      format.count(n),
    );
  const command = async (...args) =>
    JSON.parse((await run(npskit, ['sample-size', '--json', ...args])).stdout);

  await page.click('input[name="planner-mode"][value="margin"]');
  await page.selectOption('#planner-metric', 'csat-share');
  // Each measure starts from a margin in its own unit.
  assert.equal(await page.inputValue('#planner-margin-input'), '5');
  assert.equal(
    await page.locator('#planner-margin-label').innerText(),
    'Margin of error (± percentage points)',
  );
  await page.fill('#planner-margin-input', '3');
  // With the file's answers: their share of 4–5 is the expected share.
  const withShare = await command(
    '--metric',
    'csat',
    '--margin',
    '3',
    '--expect',
    String(csat.share),
  );
  await plannedToBe(withShare.n);
  await page.uncheck('#planner-expect');
  const worst = await command('--metric', 'csat', '--margin', '3');
  await plannedToBe(worst.n);
  assert.match(await page.locator('#planner-result').innerText(), /worst case, a share of 50%/);

  await page.click('input[name="planner-mode"][value="difference"]');
  await page.selectOption('#planner-metric', 'ces-mean');
  assert.equal(await page.inputValue('#planner-difference-input'), '0.5');
  await page.fill('#planner-difference-input', '0.3');
  await page.fill('#planner-power', '90');
  const means = await command(
    '--metric',
    'ces',
    '--of',
    'mean',
    '--difference',
    '0.3',
    '--power',
    '0.9',
  );
  await plannedToBe(means.n_per_group);
  assert.match(
    await page.locator('#planner-result').innerText(),
    /in each of the two groups[\s\S]*0\.30 rating points in the mean CES with 90% power/,
  );
  const violations = await axeViolations(page, { include: [['#planner-card']] });
  assert.deepEqual(violations, []);
});
