// The collector's owner pages at /admin/ in Chromium against the real
// `npskit serve` with an admin token: sign-in, the dashboard's numbers against
// `npskit summarize --json` on an export, live updates from the widget on
// another page, the inbox's filters and follow-ups across a restart, inert
// comments, axe, and erasure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { axeViolations, launchBrowser, repoRoot, watchErrors } from './support.mjs';
import { npskitBinary, startServer, temporaryFolder } from '../collector/server.mjs';

const survey = 'fieldnote-demo';
const token = 'admin-token-for-the-dashboard-tests-0123456789';
const hostileComment = '<img src=x onerror="window.__npskitInjected = true">';

let browser;
let scratch;
let db;
let tokenFile;
let server;

// Answers over three weeks and two segments, with comments (one hostile, one
// right-to-left), CSAT companions to every other answer (as the widget's
// companion step posts them) and a dismissal.
function seedAnswers() {
  const answers = [];
  const scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, 0, 5, 9, 10, 8, 2, 9, 10, 7, 9, 1];
  scores.forEach((score, index) => {
    const day = String(2 + (index % 15)).padStart(2, '0');
    answers.push({
      schema: 'npskit.response/1',
      type: 'response',
      id: randomUUID(),
      survey,
      score,
      comment:
        index === 0
          ? hostileComment
          : index === 1
            ? 'الدعم كان سريعا جدا'
            : `Comment number ${index} about the reports`,
      submitted_at: `2026-11-${day}T10:00:00.000Z`,
      user: { id: `user-${index % 7}` },
      properties: { segment: index % 3 === 0 ? 'pro' : 'free' },
    });
    if (index % 2 === 0) {
      answers.push({
        schema: 'npskit.response/1',
        type: 'response',
        id: randomUUID(),
        survey,
        metric: 'csat',
        score: index % 3 === 0 ? 5 : 1 + (index % 5),
        answer_id: answers[answers.length - 1].id,
        submitted_at: `2026-11-${day}T10:01:00.000Z`,
      });
    }
  });
  answers.push({
    schema: 'npskit.response/1',
    type: 'dismissal',
    id: randomUUID(),
    survey,
    submitted_at: '2026-11-10T10:00:00.000Z',
  });
  return answers;
}

async function post(answer) {
  const response = await server.request({
    method: 'POST',
    path: '/api/responses',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(answer),
  });
  assert.equal(response.status, 201, response.text);
}

function start() {
  return startServer({
    db,
    args: ['--root', path.join(repoRoot, 'dist', 'demo'), '--admin-token-file', tokenFile],
  });
}

before(async () => {
  browser = await launchBrowser();
  scratch = temporaryFolder('npskit-admin-e2e-');
  db = path.join(scratch.folder, 'answers.db');
  tokenFile = path.join(scratch.folder, 'admin.token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  server = await start();
  for (const answer of seedAnswers()) await post(answer);
});

after(async () => {
  await server?.stop();
  await browser?.close();
  scratch?.remove();
});

async function signIn(page, value = token) {
  await page.goto(`${server.base}/admin/`);
  await page.waitForSelector('#sign-in:not([hidden])');
  await page.fill('#token-input', value);
  await page.press('#token-input', 'Enter');
}

// Chromium logs the 401 of the page's first look (is a token needed?) as a
// failed resource; that refusal is the sign-in working, not an error.
function pageErrors(page) {
  const errors = watchErrors(page);
  return {
    get list() {
      return errors.filter((line) => !/status of 401/.test(line));
    },
  };
}

async function openDashboard(context) {
  const page = await context.newPage();
  const errors = pageErrors(page);
  await signIn(page);
  await page.waitForSelector('html[data-rendered]');
  return { page, errors };
}

function exportedRows() {
  const exported = spawnSync(npskitBinary, ['export', '--db', db, '--format', 'jsonl'], {
    encoding: 'utf8',
  });
  assert.equal(exported.status, 0, exported.stderr);
  return exported.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function summarizeExport(extra = []) {
  const file = path.join(scratch.folder, 'export.jsonl');
  const exported = spawnSync(npskitBinary, ['export', '--db', db, '--format', 'jsonl'], {
    encoding: 'utf8',
  });
  writeFileSync(file, exported.stdout);
  const summarized = spawnSync(npskitBinary, ['summarize', '--json', ...extra, file], {
    encoding: 'utf8',
  });
  assert.equal(summarized.status, 0, summarized.stderr);
  return JSON.parse(summarized.stdout);
}

// The calculator's number formats (demo/src/format.js): a true minus sign.
const fixed = (value) => value.toFixed(2).replace('-', '−');
const percent = (value) => `${value.toFixed(1)}%`;
const signed = (value) =>
  `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(1)}`.replace('−0.0', '0.0');

test('a wrong token is refused with a message; the right one opens the dashboard', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = pageErrors(page);
  await signIn(page, 'not-the-token-of-this-collector');
  await page.waitForFunction(() => document.querySelector('#sign-in-error').textContent !== '');
  assert.match(await page.locator('#sign-in-error').innerText(), /refused this token/);
  assert.equal(await page.locator('#token-input').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#dashboard').isHidden(), true);
  // The token never appears in the address.
  await page.fill('#token-input', token);
  await page.press('#token-input', 'Enter');
  await page.waitForSelector('html[data-rendered]');
  assert.equal(page.url().includes(token), false);
  assert.equal(await page.locator('#dashboard').isVisible(), true);
  assert.deepEqual(errors.list, []);
  await context.close();
});

test('the dashboard shows the NPS, interval and segments of `npskit summarize` on the export', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openDashboard(context);
  const overall = summarizeExport(['--by', 'segment']);
  assert.equal(await page.locator('[data-stat="n"]').innerText(), String(overall.n));
  assert.equal(await page.locator('[data-stat="nps"]').innerText(), fixed(overall.nps));
  assert.equal(await page.locator('[data-stat="low"]').innerText(), fixed(overall.interval.low));
  assert.equal(await page.locator('[data-stat="high"]').innerText(), fixed(overall.interval.high));
  // The dismissal gives a response rate.
  assert.match(await page.locator('[data-stat="response-rate"]').innerText(), /1 dismissed/);
  const segmentRows = await page
    .locator('#segments-table tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => cell.textContent.trim())),
    );
  assert.equal(segmentRows.length, overall.groups.length);
  for (const group of overall.groups) {
    const row = segmentRows.find((cells) => cells[0] === group.key);
    assert.ok(row, `segment ${group.key} is listed`);
    assert.equal(row[1], String(group.n));
    assert.equal(row[2], signed(group.nps));
    assert.match(row[3], new RegExp(`^${signed(group.interval.low).replace('+', '\\+')} to `));
  }
  // The CSAT card has the companions' ratings by segment, joined to their
  // answers' segments.
  const csatRows = await page
    .locator('#csat-result table', { hasText: 'CSAT by segment' })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.cells].map((cell) => cell.innerText.trim())));
  assert.ok(overall.csat.n > 0, 'the export has CSAT ratings');
  assert.deepEqual(
    csatRows.map((cells) => [cells[0], cells[1], cells[2].split('\n')[0]]),
    overall.csat.groups.map((group) => [group.key, String(group.n), percent(group.share)]),
  );
  // The trend by week marks what the core calls significant.
  assert.equal(await page.locator('#trend-card').isVisible(), true);
  assert.deepEqual(errors.list, []);
  await context.close();
});

test('an answer given in the widget on another page appears without a reload', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openDashboard(context);
  const before = Number(await page.locator('[data-stat="n"]').innerText());
  await page.evaluate(() => {
    window.__sameDocument = true;
  });

  const visitor = await browser.newContext();
  const widgetPage = await visitor.newPage();
  const posted = widgetPage.waitForResponse(
    (response) =>
      response.url().endsWith('/api/responses') && response.request().method() === 'POST',
  );
  await widgetPage.goto(`${server.base}/index.html`);
  await widgetPage.waitForSelector('html[data-ready="true"]');
  await widgetPage.selectOption('#mode', 'inline');
  await widgetPage.click('#show-survey');
  await widgetPage.locator('npskit-survey label[for="score-2"]').click();
  await widgetPage.locator('npskit-survey textarea').fill('Arrived while the dashboard was open');
  await widgetPage.locator('npskit-survey button.submit').click();
  assert.equal((await posted).status(), 201);
  await visitor.close();

  await page.waitForFunction(
    (expected) => document.querySelector('[data-stat="n"]')?.textContent === expected,
    String(before + 1),
    { timeout: 30000 },
  );
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  assert.deepEqual(errors.list, []);
  await context.close();
});

test('the inbox filters, keeps a follow-up across a restart, shows comments as text, and passes axe', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openDashboard(context);
  await page.click('#nav-inbox');
  await page.waitForSelector('#inbox:not([hidden]) .answer');

  // Newest first: the widget's answer of the previous test leads.
  const firstComment = await page.locator('.answer .answer-comment').first().innerText();
  assert.equal(firstComment, 'Arrived while the dashboard was open');

  // The hostile comment is text, and nothing ran.
  const hostile = page.locator('.answer-comment', { hasText: '<img src=x' });
  assert.equal(await hostile.count(), 1);
  assert.equal(await page.locator('.inbox-list img').count(), 0);
  assert.equal(await page.evaluate(() => window.__npskitInjected), undefined);
  assert.equal(
    await page.locator('.answer-comment', { hasText: 'الدعم' }).getAttribute('dir'),
    'auto',
  );

  // Filters: detractors of the pro segment with "reports" in the comment.
  const rows = exportedRows().filter((row) => row.type === 'response');
  const expected = rows.filter(
    (row) =>
      row.score <= 6 && row.properties?.segment === 'pro' && /reports/i.test(row.comment ?? ''),
  );
  assert.ok(expected.length > 0);
  const loaded = (await page.evaluate(() => document.documentElement.dataset.inbox)) ?? '';
  await page.selectOption('#filter-category', 'detractor');
  await page.fill('#filter-segment', 'pro');
  await page.fill('#filter-text', 'REPORTS');
  await page.press('#filter-text', 'Enter');
  await page.waitForFunction(
    (previous) => document.documentElement.dataset.inbox !== previous,
    loaded,
  );
  const listed = await page
    .locator('.answer')
    .evaluateAll((items) => items.map((item) => item.dataset.id));
  assert.deepEqual(listed, expected.map((row) => row.id).reverse());

  // Keyboard only: the first listed answer is marked done with a note.
  const target = listed[0];
  await page.locator(`#status-${target}`).focus();
  await page.keyboard.press('End');
  assert.equal(await page.locator(`#status-${target}`).inputValue(), 'done');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Called back, refund sent');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page
    .locator(`.answer[data-id="${target}"] [role="status"]`, { hasText: 'Saved' })
    .waitFor();

  // Before axe, whose inline script the collector's CSP refuses (and logs).
  assert.deepEqual(errors.list, []);
  assert.deepEqual(await axeViolations(page), []);
  await page.click('#nav-dashboard');
  await page.waitForSelector('#dashboard:not([hidden])');
  assert.deepEqual(await axeViolations(page), []);
  await context.close();

  // After a restart the follow-up is still there, and in the export.
  await server.stop();
  server = await start();
  const reopened = await browser.newContext();
  const again = await openDashboard(reopened);
  await again.page.click('#nav-inbox');
  await again.page.waitForSelector(`.answer[data-id="${target}"]`);
  assert.equal(await again.page.locator(`#status-${target}`).inputValue(), 'done');
  assert.equal(
    await again.page.locator(`#note-${target}`).inputValue(),
    'Called back, refund sent',
  );
  await again.page.selectOption('#filter-status', 'done');
  await again.page.press('#filter-text', 'Enter');
  await again.page.waitForFunction(() => document.querySelectorAll('.answer').length === 1);
  const row = exportedRows().find((answer) => answer.id === target);
  assert.deepEqual(row.follow_up, { status: 'done', note: 'Called back, refund sent' });
  assert.deepEqual(again.errors.list, []);
  await reopened.close();
});

test('erasing an answer in the inbox removes it from the export, the counts and the inbox', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openDashboard(context);
  const before = summarizeExport();
  const victim = exportedRows().find((row) => row.type === 'response' && row.score === 0);
  const summaryBefore = (
    await server.request({
      path: `/api/summary?survey=${survey}`,
      headers: { Authorization: `Bearer ${token}` },
    })
  ).json();

  await page.click('#nav-inbox');
  await page.waitForSelector('.answer');
  // The filtered list replaces the first one: wait for it, or the two clicks
  // below could land on an item of each list.
  const shown = await page.evaluate(() => Number(document.documentElement.dataset.inbox));
  await page.selectOption('#filter-score', '0');
  await page.press('#filter-text', 'Enter');
  await page.waitForFunction(
    (before) => Number(document.documentElement.dataset.inbox) > before,
    shown,
  );
  const item = page.locator(`.answer[data-id="${victim.id}"]`);
  await item.locator('button', { hasText: 'Erase answer' }).click();
  await item.locator('button', { hasText: 'Erase for good' }).click();
  await page.waitForSelector(`.answer[data-id="${victim.id}"]`, { state: 'detached' });

  assert.equal(
    exportedRows().some((row) => row.id === victim.id),
    false,
  );
  const summaryAfter = (
    await server.request({
      path: `/api/summary?survey=${survey}`,
      headers: { Authorization: `Bearer ${token}` },
    })
  ).json();
  assert.equal(summaryAfter.n, summaryBefore.n - 1);
  assert.equal(summaryAfter.histogram[0], summaryBefore.histogram[0] - 1);
  assert.equal(summarizeExport().n, before.n - 1);
  // The dashboard follows.
  await page.click('#nav-dashboard');
  await page.waitForFunction(
    (expected) => document.querySelector('[data-stat="n"]')?.textContent === expected,
    String(before.n - 1),
  );
  assert.match(server.log(), /erasure: 1 answer removed \(by id\)/);
  assert.equal(server.log().includes(victim.comment), false);
  assert.deepEqual(errors.list, []);
  await context.close();
});

test('answers from e-mail and link campaigns show by channel and campaign', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openDashboard(context);
  // Only page answers so far: nothing to tell apart.
  assert.equal(await page.locator('#origins').isHidden(), true);
  const sent = [
    { channel: 'email', campaign: 'week-49', score: 3 },
    { channel: 'email', campaign: 'week-49', score: 10 },
    { channel: 'link', campaign: 'newsletter', score: 9 },
  ];
  for (const fields of sent) {
    await post({
      schema: 'npskit.response/1',
      type: 'response',
      id: randomUUID(),
      survey,
      submitted_at: '2026-11-20T10:00:00.000Z',
      ...fields,
    });
  }
  await page.waitForSelector('#origins:not([hidden])');
  await page.waitForFunction(
    () => document.querySelectorAll('#campaign-table tbody tr').length === 3,
  );
  const rows = (table) =>
    page
      .locator(`#${table} tbody tr`)
      .evaluateAll((found) =>
        found.map((row) => [...row.children].map((cell) => cell.textContent.trim())),
      );
  // The calculator's headline form of a score (demo/src/format.js).
  const headline = (value) => {
    const rounded = Math.round(value * 10) / 10;
    const text = Math.abs(rounded).toFixed(Number.isInteger(rounded) ? 0 : 1);
    return rounded > 0 ? `+${text}` : rounded < 0 ? `−${text}` : text;
  };
  const names = { web: 'Web page', link: 'Shared link', email: 'E-mail' };
  for (const [by, table] of [
    ['channel', 'channel-table'],
    ['campaign', 'campaign-table'],
  ]) {
    const expected = summarizeExport(['--by', by]);
    const shown = await rows(table);
    assert.equal(shown.length, expected.groups.length);
    for (const group of expected.groups) {
      const name = by === 'channel' ? names[group.key] : group.key;
      const row = shown.find((cells) => cells[0] === name);
      assert.ok(row, `${by} ${group.key} is listed`);
      assert.equal(row[1], String(group.n));
      assert.equal(row[2], headline(group.nps));
      if (by === 'campaign') assert.deepEqual(row.slice(4), ['–', '–']);
    }
  }
  assert.deepEqual(errors.list, []);
  await context.close();
});
