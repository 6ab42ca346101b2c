// The calculator's CSAT and CES cards in Chromium: pasted CSAT ratings give
// the share with its Wilson interval and the mean apart, exactly as
// `npskit summarize --json` computes them from a file of the same ratings,
// and a rating off the scale is reported by the core.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { launchBrowser, repoRoot, startServer } from './support.mjs';

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
