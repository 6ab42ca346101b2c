// The calculator with typed-in counts: every shared statistics vector must
// appear on screen with the numbers the brief specifies, for each interval
// method, and the two-group comparison must show the vectors' tests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { calculatorErrors, launchBrowser, repoRoot, startServer } from './support.mjs';

const run = promisify(execFile);
const npskit = path.resolve(repoRoot, process.env.NPSKIT_BIN || 'build/bin/npskit');

// The command's margin plan: the smallest n whose interval is within the margin.
async function commandPlan(...args) {
  const { stdout } = await run(npskit, [
    'sample-size',
    '--json',
    '--method',
    'adjusted-wald',
    ...args,
  ]);
  return String(JSON.parse(stdout).n);
}

const csp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'";

const { vectors } = JSON.parse(
  await readFile(path.join(repoRoot, 'tests', 'data', 'nps_vectors.json'), 'utf8'),
);
const singles = vectors.filter((vector) => vector.pro !== undefined);
const pairs = vectors.filter((vector) => vector.a !== undefined);

let server;
let browser;
let page;
let errors;

before(async () => {
  server = await startServer({ headers: { 'content-security-policy': csp } });
  browser = await launchBrowser();
  page = await browser.newPage();
  errors = calculatorErrors(page);
  await page.goto(`${server.url}/demo/calculator.html`);
  await page.waitForSelector('html[data-ready="true"]');
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// The screen shows two decimals (p-values four); a shown number matches a
// vector when it is the vector rounded to that precision, allowing for the
// vector's own rounding.
function assertShown(shown, expected, decimals, what) {
  const value = Number(shown.replace('−', '-').replace(/[^0-9.+-]/g, ''));
  const tolerance = 0.5 * 10 ** -decimals + 0.0005;
  assert.ok(
    Math.abs(value - expected) <= tolerance,
    `${what}: shown ${shown}, expected ${expected} (±${tolerance})`,
  );
}

async function stat(key) {
  return (await page.locator(`#numbers-table [data-stat="${key}"]`).innerText()).trim();
}

async function enterCounts({ pro, pas, det }) {
  const before = await page
    .locator('#numbers-table')
    .innerText()
    .catch(() => '');
  await page.fill('#count-promoters', String(pro));
  await page.fill('#count-passives', String(pas));
  await page.fill('#count-detractors', String(det));
  await page.waitForFunction(
    ([previous, n]) => {
      const table = document.querySelector('#numbers-table');
      return (
        table &&
        table.innerText !== previous &&
        table.querySelector('[data-stat="n"]')?.textContent.replace(/,/g, '') === String(n)
      );
    },
    [before, pro + pas + det],
  );
}

async function chooseMethod(method) {
  if ((await page.inputValue('#method')) === method) return;
  const before = await page.evaluate(
    () => document.querySelector('#numbers-table [data-stat="method"]')?.textContent ?? '',
  );
  await page.selectOption('#method', method);
  if (before) {
    await page.waitForFunction(
      (text) => document.querySelector('#numbers-table [data-stat="method"]').textContent !== text,
      before,
    );
  }
}

test('counts show the exact NPS, shares, interval and standard error of every vector', async () => {
  for (const vector of singles) {
    await chooseMethod('adjusted-wald');
    await enterCounts(vector);
    assertShown(await stat('nps'), vector.nps, 2, `${vector.id} NPS`);
    const promoters = await stat('promoters');
    assert.match(
      promoters,
      new RegExp(`^${vector.pro.toLocaleString('en-US')} \\(`),
      `${vector.id} promoters`,
    );
    assertShown(
      promoters.split('(')[1],
      (100 * vector.pro) / vector.n,
      2,
      `${vector.id} promoter share`,
    );
    assertShown(
      (await stat('detractors')).split('(')[1],
      (100 * vector.det) / vector.n,
      2,
      `${vector.id} detractor share`,
    );

    const clip = (value) => Math.max(-100, Math.min(100, value));
    assertShown(
      await stat('low'),
      clip(vector.adjwald95.ci[0]),
      2,
      `${vector.id} adjusted Wald low`,
    );
    assertShown(
      await stat('high'),
      clip(vector.adjwald95.ci[1]),
      2,
      `${vector.id} adjusted Wald high`,
    );
    assertShown(await stat('se'), vector.adjwald95.se_adj, 2, `${vector.id} adjusted Wald SE`);

    await chooseMethod('wald');
    assertShown(await stat('low'), clip(vector.wald95[0]), 2, `${vector.id} Wald low`);
    assertShown(await stat('high'), clip(vector.wald95[1]), 2, `${vector.id} Wald high`);
    assertShown(await stat('se'), vector.se, 2, `${vector.id} Wald SE`);

    await chooseMethod('tango');
    assertShown(await stat('low'), vector.tango95[0], 2, `${vector.id} Tango low`);
    assertShown(await stat('high'), vector.tango95[1], 2, `${vector.id} Tango high`);
  }
  await chooseMethod('adjusted-wald');
  assert.deepEqual(errors, []);
});

test('the headline states the score, the band and the margin in words', async () => {
  await chooseMethod('adjusted-wald');
  await enterCounts({ pro: 50, pas: 30, det: 20 });
  assert.equal(await page.locator('#nps-value').innerText(), '+30');
  // +30 is in "Good", but its interval reaches down into "Fair": no single band.
  assert.equal(await page.locator('#band-chip').innerText(), 'Between Fair and Good');
  const words = await page.locator('#margin-words').innerText();
  assert.match(words, /Based on 100 answers, the score is \+30, give or take about 15\.1 points/);
  assert.match(words, /between \+14\.1 and \+44\.2/);
  assert.match(
    await page.locator('#interval-line').innerText(),
    /95% confidence interval \(adjusted Wald\): \+14\.1 to \+44\.2 around the adjusted estimate \+29\.1/,
  );
});

test('the comparison shows the two-group tests of every vector pair', async () => {
  await page.check('input[name="compare-mode"][value="manual"]');
  for (const pair of pairs) {
    for (const [method, expected] of [
      ['wald', pair.wald],
      ['adjusted-wald', pair.adjwald],
    ]) {
      await chooseMethod(method);
      await page.fill('#manual-a', pair.a.join(', '));
      await page.fill('#manual-b', pair.b.join(', '));
      await page.waitForFunction(
        (inputs) => document.querySelector('#compare-result').dataset.inputs === inputs,
        `manual|${pair.a.join(', ')}|${pair.b.join(', ')}|${method}`,
      );
      const shown = async (key) =>
        (await page.locator(`#compare-result [data-stat="${key}"]`).innerText()).trim();
      // The gap shown is the plain difference of the scores; adjusted Wald
      // tests the difference of its adjusted estimates, shown apart.
      assertShown(
        await shown(method === 'adjusted-wald' ? 'adjusted-diff' : 'diff'),
        expected.diff,
        2,
        `${pair.id} ${method} difference`,
      );
      assertShown(await shown('se'), expected.se, 2, `${pair.id} ${method} SE`);
      assertShown(await shown('z'), expected.z, 2, `${pair.id} ${method} z`);
      assertShown(await shown('p'), expected.p2, 4, `${pair.id} ${method} p-value`);
      const verdict = await page.locator('#compare-result .verdict-headline').innerText();
      assert.equal(
        verdict.startsWith('No significant difference'),
        expected.p2 >= 0.05,
        `${pair.id} ${method} verdict: ${verdict}`,
      );
    }
  }
  await chooseMethod('adjusted-wald');
  assert.deepEqual(errors, []);
});

test('invalid counts name the field and what was expected', async () => {
  await page.fill('#count-promoters', '-5');
  await page.waitForFunction(() => document.querySelector('#count-error').textContent !== '');
  assert.equal(
    await page.locator('#count-error').innerText(),
    'Promoters: “-5” is not a whole number of answers (0 or more).',
  );
  assert.equal(await page.getAttribute('#count-promoters', 'aria-invalid'), 'true');
  await page.fill('#count-promoters', '50');
  await page.waitForFunction(() => document.querySelector('#count-error').textContent === '');
});

test('pasted scores are counted, and entries that are not scores are listed with their line', async () => {
  await page.click('#tab-scores');
  await page.fill('#scores-text', '10 9 9 7\n3, eleven, 8\n6;10');
  await page.waitForFunction(
    () => document.querySelector('#numbers-table [data-stat="n"]')?.textContent === '8',
  );
  assert.equal(await page.locator('#nps-value').innerText(), '+25');
  assert.equal(
    await page.locator('#scores-error').innerText(),
    '1 entry was not counted; see “Rows that were not counted”.',
  );
  assert.deepEqual(
    await page
      .locator('#rejected-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent))),
    [['2', 'score "eleven" is not a number from 0 to 10', 'eleven']],
  );
  assert.deepEqual(
    await page.locator('#distribution-table tbody td.num:nth-child(3)').allTextContents(),
    ['0', '0', '0', '1', '0', '0', '1', '1', '1', '2', '2'],
  );
  await page.click('#tab-counts');
  assert.deepEqual(errors, []);
});

test('benchmark bands are editable and the score’s band follows them', async () => {
  // Enough answers for the whole interval to lie in one band.
  await enterCounts({ pro: 4500, pas: 3500, det: 2000 });
  assert.equal(await page.locator('#band-chip').innerText(), 'Good');
  await page.locator('.bands-editor summary').click();
  await page.fill('[data-band="2"][data-part="lower"]', '35');
  await page.waitForFunction(() => document.querySelector('#band-chip').textContent === 'Fair');
  assert.match(
    await page.locator('#benchmark-text').innerText(),
    /falls in the “Fair” band \(0 to \+35\), and so does its whole confidence interval/,
  );
  assert.match(page.url(), /bands=/);
  await page.fill('[data-band="2"][data-part="name"]', 'good, really');
  await page.waitForFunction(() => document.querySelector('#bands-error').textContent !== '');
  assert.equal(
    await page.locator('#bands-error').innerText(),
    'options.bands[2].name is "good, really"; expected a non-empty name without "," or ":"',
  );
  await page.click('#band-reset');
  await page.waitForFunction(() => document.querySelector('#band-chip').textContent === 'Good');
  assert.equal(await page.locator('#bands-error').innerText(), '');
  assert.deepEqual(errors, []);
});

test('the planner gives the answers needed for a margin and for detecting a change', async () => {
  await chooseMethod('adjusted-wald');
  await enterCounts({ pro: 50, pas: 30, det: 20 });
  const planned = async () =>
    (await page.locator('#planner-result [data-stat="planned-n"]').innerText()).replace(/,/g, '');
  const z = 1.959963984540054;
  await page.uncheck('#planner-expect');
  await page.fill('#planner-margin-input', '5');
  await page.waitForFunction(() =>
    document.querySelector('#planner-result').textContent.includes('worst case'),
  );
  // The worst case (V = 1): near z^2 V / m^2 less 3 for adjusted Wald, as the command plans it.
  const worstCase = await commandPlan('--margin', '5');
  assert.ok(Math.abs(Number(worstCase) - Math.ceil((z * z) / 0.05 ** 2 - 3)) <= 1);
  assert.equal(await planned(), worstCase);
  await page.check('#planner-expect');
  await page.waitForFunction(() =>
    document.querySelector('#planner-result').textContent.includes('split as they do now'),
  );
  assert.equal(await planned(), await commandPlan('--margin', '5', '--expect', '50,30,20'));
  await page.check('input[name="planner-mode"][value="difference"]');
  await page.fill('#planner-difference-input', '10');
  await page.fill('#planner-power', '80');
  await page.waitForFunction(() =>
    document.querySelector('#planner-result').textContent.includes('in each of the two groups'),
  );
  // (z_0.975 + z_0.8)^2 (V_a + V_b) / diff^2 with V = 1 each.
  assert.equal(await planned(), String(Math.ceil(((z + 0.8416212335729143) ** 2 * 2) / 0.1 ** 2)));
  assert.deepEqual(errors, []);
});
