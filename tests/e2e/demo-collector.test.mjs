// The whole path as `./run demo` runs it: the real `npskit serve` serves the
// demo with its own strict CSP, a visitor answers the widget in Chromium, the
// answer is a row in SQLite (read back by `npskit export` after the server is
// killed), `/api/summary` counts it, and the calculator shows it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { launchBrowser, repoRoot, watchErrors } from './support.mjs';
import { npskitBinary, startServer, temporaryFolder } from '../collector/server.mjs';

let browser;
let scratch;

before(async () => {
  browser = await launchBrowser();
  scratch = temporaryFolder('npskit-demo-e2e-');
});

after(async () => {
  await browser?.close();
  scratch?.remove();
});

// One visitor (a fresh browser profile) answers the inline survey.
async function answerAsVisitor(base, score, comment) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const posted = page.waitForResponse(
    (response) =>
      response.url().endsWith('/api/responses') && response.request().method() === 'POST',
  );
  await page.goto(`${base}/index.html`);
  await page.waitForSelector('html[data-ready="true"]');
  assert.match(await page.locator('#store-text').innerText(), /sent to the npskit collector/);
  await page.selectOption('#mode', 'inline');
  await page.click('#show-survey');
  await page.locator(`npskit-survey label[for="score-${score}"]`).click();
  await page.locator('npskit-survey textarea').fill(comment);
  await page.locator('npskit-survey button.submit').click();
  const response = await posted;
  assert.equal(response.status(), 201, await response.text());
  const id = (await response.request().postDataJSON()).id;
  assert.deepEqual(errors, []);
  await context.close();
  return id;
}

test('an answer given in the demo widget reaches SQLite, /api/summary and the calculator', async () => {
  const db = path.join(scratch.folder, 'demo.db');
  const server = await startServer({ db, args: ['--root', path.join(repoRoot, 'dist', 'demo')] });
  try {
    const promoter = await answerAsVisitor(server.base, 9, 'Clear <b>reports</b>, fast');
    const detractor = await answerAsVisitor(server.base, 3, 'Too slow');

    const summary = (await server.request({ path: '/api/summary' })).json();
    assert.equal(summary.schema, 'npskit.summary/1');
    assert.equal(summary.n, 2);
    assert.equal(summary.promoters, 1);
    assert.equal(summary.detractors, 1);
    assert.equal(summary.nps, 0);

    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.base}/calculator.html#in=collector`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.waitForFunction(() =>
      document.querySelector('#file-status').textContent.startsWith('Read the collector'),
    );
    assert.equal(await page.locator('#nps-value').innerText(), '0');
    assert.deepEqual(errors, []);
    await context.close();

    // Killed without warning, the server has still committed both answers.
    server.child.kill('SIGKILL');
    await server.exited;
    const exported = spawnSync(npskitBinary, ['export', '--db', db, '--format', 'jsonl'], {
      encoding: 'utf8',
    });
    assert.equal(exported.status, 0, exported.stderr);
    const rows = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      rows.map((row) => [row.id, row.score, row.comment]).sort(),
      [
        [promoter, 9, 'Clear <b>reports</b>, fast'],
        [detractor, 3, 'Too slow'],
      ].sort(),
    );
  } finally {
    await server.stop();
  }
});
