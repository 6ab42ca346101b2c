// The demo site as a whole: both pages work from a sub-folder of any static
// host under the collector's strict CSP, the calculator's view survives a
// round trip through its link, charts export as PNG and real SVG, the widget
// page stores answers where it says it does, and axe-core finds nothing in
// light or dark. Screenshots land in /tmp/calc-shots/ for a human to look at.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import {
  axeViolations,
  calculatorErrors,
  launchBrowser,
  repoRoot,
  startServer,
} from './support.mjs';

const csp =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'";

const shots = '/tmp/calc-shots';
// Served from the repository root, the site lives two folders down.
const folder = '/dist/demo';

let server;
let browser;

before(async () => {
  await mkdir(shots, { recursive: true });
  server = await startServer({ root: repoRoot, headers: { 'content-security-policy': csp } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(
  name,
  { colorScheme = 'light', viewport = { width: 1280, height: 900 } } = {},
) {
  const context = await browser.newContext({ colorScheme, viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors = calculatorErrors(page);
  const failed = [];
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/api/'))
      failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${server.url}${folder}/${name}`);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, errors, failed, context };
}

async function loadSample(page) {
  await page.click('#tab-file');
  await page.click('#sample-button');
  await page.waitForFunction(
    () => document.querySelector('#file-status').textContent.startsWith('Read the sample export'),
    null,
    {
      timeout: 30000,
    },
  );
}

test('the calculator works from a sub-folder, fetching only relative URLs inside it', async () => {
  const before = server.requests.length;
  const { page, errors, failed, context } = await openPage('calculator.html');
  await loadSample(page);
  assert.match(
    await page.locator('#source-line').innerText(),
    /From the sample export · 2,\d{3} answers/,
  );
  assert.ok(await page.isVisible('#trend-card'));
  assert.ok(await page.isVisible('#segments-card'));
  assert.ok(await page.isVisible('#themes-card'));
  assert.match(
    await page.locator('#numbers-table [data-stat="response-rate"]').innerText(),
    /^\d+\.\d% \(\d+ dismissed\)$/,
  );
  const outside = server.requests
    .slice(before)
    .map((request) => request.path)
    .filter((requested) => !requested.startsWith(`${folder}/`));
  assert.deepEqual(outside, []);
  assert.deepEqual(failed, []);
  assert.match(await page.locator('#engine-note').innerText(), /WebAssembly/);
  await page.screenshot({ path: `${shots}/calculator-sample-light.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the link reproduces the view: inputs, options and comparison', async () => {
  const { page, errors, context } = await openPage('calculator.html');
  await page.fill('#count-promoters', '225');
  await page.fill('#count-passives', '175');
  await page.fill('#count-detractors', '100');
  await page.selectOption('#method', 'wald');
  await page.fill('#confidence', '90');
  await page.check('input[name="compare-mode"][value="manual"]');
  await page.fill('#manual-a', '225, 175, 100');
  await page.fill('#manual-b', '200, 200, 100');
  await page.waitForFunction(
    () =>
      document.querySelector('#compare-result').dataset.inputs ===
      'manual|225, 175, 100|200, 200, 100|wald',
  );
  await page.waitForFunction(() =>
    document
      .querySelector('#interval-line')
      .textContent.startsWith('90% confidence interval (Wald)'),
  );
  const link = page.url();
  assert.match(link, /#/);
  const numbers = await page.locator('#numbers-table').innerText();
  const verdict = await page.locator('#compare-result').innerText();

  const second = await context.newPage();
  await second.goto(link);
  await second.waitForSelector('html[data-ready="true"]');
  await second.waitForFunction(
    () =>
      document.querySelector('#compare-result').dataset.inputs ===
      'manual|225, 175, 100|200, 200, 100|wald',
  );
  assert.equal(await second.inputValue('#count-promoters'), '225');
  assert.equal(await second.inputValue('#method'), 'wald');
  assert.equal(await second.inputValue('#confidence'), '90');
  assert.equal(await second.locator('#numbers-table').innerText(), numbers);
  assert.equal(await second.locator('#compare-result').innerText(), verdict);
  assert.match(numbers, /Standard error\s+3\.43/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('charts export as PNG and as real SVG, and have table alternatives', async () => {
  const { page, errors, context } = await openPage('calculator.html');
  await loadSample(page);
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-export-png="distribution"]'),
  ]);
  const pngBytes = await readFile(await png.path());
  assert.deepEqual([...pngBytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-export-svg="trend"]'),
  ]);
  const svgText = await readFile(await svg.path(), 'utf8');
  assert.match(svgText, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok((svgText.match(/<path /g) || []).length > 10, 'the trend is drawn as vector paths');
  // The trend's axis reads dates ("3 Mar"), not ISO weeks.
  assert.match(
    svgText,
    /<text[^>]*>\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)<\/text>/,
  );
  assert.doesNotMatch(svgText, /<text[^>]*>2026-W\d\d<\/text>/);
  const rendered = await page.evaluate(async (text) => {
    const image = new Image();
    image.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    await image.decode();
    return [image.naturalWidth, image.naturalHeight];
  }, svgText);
  assert.ok(rendered[0] > 100 && rendered[1] > 100, `the SVG renders (${rendered})`);

  await page.click('[data-table-toggle="distribution"]');
  assert.equal(
    await page.getAttribute('[data-table-toggle="distribution"]', 'aria-pressed'),
    'true',
  );
  assert.equal(await page.locator('#distribution-table tbody tr').count(), 11);
  assert.match(
    await page.getAttribute('#distribution-chart', 'aria-label'),
    /Bar chart of answers per score/,
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test('the segment table sorts by any column and keyboard users can reach everything', async () => {
  const { page, errors, context } = await openPage('calculator.html');
  await loadSample(page);
  const column = async (index) =>
    page.locator(`#segments-table tbody tr > :nth-child(${index})`).allInnerTexts();
  await page.click('#segments-table th[data-sort="nps"] button');
  const npsOrder = (await column(3)).map((text) => Number(text.replace('−', '-')));
  assert.deepEqual(
    npsOrder,
    [...npsOrder].sort((a, b) => b - a),
  );
  assert.equal(
    await page.getAttribute('#segments-table th[data-sort="nps"]', 'aria-sort'),
    'descending',
  );
  await page.click('#segments-table th[data-sort="nps"] button');
  assert.equal(
    await page.getAttribute('#segments-table th[data-sort="nps"]', 'aria-sort'),
    'ascending',
  );
  await page.click('#segments-table th[data-sort="key"] button');
  assert.deepEqual(await column(1), ['Business', 'Enterprise', 'Free', 'Team']);

  await page.focus('#tab-file');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-scores');
  assert.equal(await page.isVisible('#panel-scores'), true);
  await page.focus('#distribution-chart');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'distribution-chart');
  assert.deepEqual(errors, []);
  await context.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe-core finds no WCAG 2.1 AA violation on either page (${colorScheme})`, async () => {
    const { page, errors, context } = await openPage('calculator.html', { colorScheme });
    await loadSample(page);
    await page.click('[data-table-toggle="trend"]');
    await page.click('[data-table-toggle="distribution"]');
    await page.locator('.bands-editor summary').click();
    await page.screenshot({ path: `${shots}/calculator-${colorScheme}.png`, fullPage: true });
    // Checked before axe runs: injecting axe under this CSP logs errors of its own.
    assert.deepEqual(errors, []);
    assert.deepEqual(await axeViolations(page), []);

    const home = await context.newPage();
    const homeErrors = calculatorErrors(home);
    await home.goto(`${server.url}${folder}/index.html`);
    await home.waitForSelector('html[data-ready="true"]');
    await home.screenshot({ path: `${shots}/home-${colorScheme}.png`, fullPage: true });
    assert.deepEqual(homeErrors, []);
    assert.deepEqual(await axeViolations(home), []);
    await context.close();
  });
}

test('the calculator stays usable on a phone-sized screen', async () => {
  const { page, errors, context } = await openPage('calculator.html', {
    viewport: { width: 390, height: 844 },
  });
  await loadSample(page);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
  await page.screenshot({ path: `${shots}/calculator-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the widget page keeps answers in the browser when no collector answers, and says so', async () => {
  const { page, errors, context } = await openPage('index.html');
  assert.match(await page.locator('#store-text').innerText(), /stay in this browser/);
  await page.selectOption('#mode', 'inline');
  await page.click('#show-survey');
  await page.locator('npskit-survey label[for="score-9"]').click();
  await page.locator('npskit-survey textarea').fill('Clear <b>reports</b>');
  await page.locator('npskit-survey button.submit').click();
  await page.waitForFunction(() => document.querySelector('#answers-list li'));
  assert.equal(
    await page.locator('#answers-list li').first().innerText(),
    '9\tClear <b>reports</b>'.replace('\t', '\n'),
  );
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('npskit.demo.answers')));
  assert.deepEqual(
    stored.map((answer) => [answer.score, answer.comment]),
    [[9, 'Clear <b>reports</b>']],
  );
  assert.match(
    await page.getAttribute('#analyse-link', 'href'),
    /^calculator\.html#in=scores&scores=9$/,
  );
  await page.selectOption('#mode', 'modal');
  await page.click('#show-survey');
  await page.waitForFunction(
    () => document.querySelector('npskit-survey')?.dataset.mode === 'modal',
  );
  await page.screenshot({ path: `${shots}/home-modal.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the widget page posts to the collector when one answers', async () => {
  const answers = [];
  const collector = await startServer({
    root: repoRoot,
    headers: { 'content-security-policy': csp },
    routes: {
      [`${folder}/api/health`]: (req, res) => res.end('{"status":"ok"}'),
      [`${folder}/api/responses`]: (req, res, body) => {
        answers.push(JSON.parse(body));
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{"status":"stored"}');
      },
      [`${folder}/api/responses.jsonl`]: (req, res) =>
        res.end(answers.map((answer) => JSON.stringify(answer)).join('\n')),
    },
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = calculatorErrors(page);
  await page.goto(`${collector.url}${folder}/index.html`);
  await page.waitForSelector('html[data-ready="true"]');
  assert.match(await page.locator('#store-text').innerText(), /sent to the npskit collector/);
  await page.selectOption('#mode', 'inline');
  await page.click('#show-survey');
  await page.locator('npskit-survey label[for="score-4"]').click();
  await page.locator('npskit-survey button.submit').click();
  await page.waitForFunction(() => document.querySelector('#answers-list li'), null, {
    timeout: 15000,
  });
  assert.equal(answers.length, 1);
  assert.equal(answers[0].score, 4);
  assert.equal(answers[0].survey, 'fieldnote-demo');
  assert.equal(await page.getAttribute('#analyse-link', 'href'), 'calculator.html#in=collector');
  assert.deepEqual(errors, []);
  await context.close();
  await collector.close();
});

test('where the policy forbids WebAssembly the calculator runs on the wasm2js core with the same numbers', async () => {
  const strict = await startServer({
    root: repoRoot,
    headers: { 'content-security-policy': csp.replace(" 'wasm-unsafe-eval'", '') },
  });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = calculatorErrors(page);
    await page.goto(`${strict.url}${folder}/calculator.html#p=50&s=30&d=20&method=adjusted-wald`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.waitForFunction(() =>
      document.querySelector('#engine-note').textContent.startsWith('Engine: JavaScript'),
    );
    assert.equal(await page.locator('#numbers-table [data-stat="low"]').innerText(), '14.05');
    assert.equal(await page.locator('#numbers-table [data-stat="high"]').innerText(), '44.20');
    await loadSample(page);
    assert.match(await page.locator('#source-line').innerText(), /From the sample export/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await strict.close();
  }
});

test('when served by the collector, the calculator reads its answers through the same core', async () => {
  const stored = [
    {
      schema: 'npskit.response/1',
      type: 'response',
      id: 'a',
      survey: 's',
      score: 10,
      comment: 'Great support',
      submitted_at: '2026-11-02T10:00:00Z',
      properties: { segment: 'Pro' },
    },
    {
      schema: 'npskit.response/1',
      type: 'response',
      id: 'b',
      survey: 's',
      score: 3,
      comment: 'Too slow',
      submitted_at: '2026-11-10T10:00:00Z',
      properties: { segment: 'Free' },
    },
    {
      schema: 'npskit.response/1',
      type: 'dismissal',
      id: 'c',
      survey: 's',
      submitted_at: '2026-11-11T10:00:00Z',
    },
    {
      schema: 'npskit.response/1',
      type: 'response',
      id: 'd',
      survey: 's',
      score: 9,
      comment: '',
      submitted_at: '2026-11-12T10:00:00Z',
      properties: { segment: 'Pro' },
    },
  ];
  const collector = await startServer({
    root: repoRoot,
    headers: { 'content-security-policy': csp },
    routes: {
      [`${folder}/api/health`]: (req, res) => res.end('{"status":"ok"}'),
      [`${folder}/api/responses.jsonl`]: (req, res) =>
        res.end(stored.map((answer) => JSON.stringify(answer)).join('\n') + '\n'),
    },
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = calculatorErrors(page);
  await page.goto(`${collector.url}${folder}/calculator.html`);
  await page.waitForSelector('html[data-ready="true"]');
  assert.equal(await page.isVisible('#tab-collector'), true);
  await page.click('#tab-collector');
  await page.click('#collector-button');
  await page.waitForFunction(() =>
    document.querySelector('#file-status').textContent.startsWith('Read the collector'),
  );
  assert.equal(await page.locator('#nps-value').innerText(), '+33.3');
  assert.equal(
    await page.locator('#numbers-table [data-stat="response-rate"]').innerText(),
    '75.0% (1 dismissed)',
  );
  assert.deepEqual(await page.locator('#segments-table tbody th').allInnerTexts(), ['Pro', 'Free']);
  assert.match(page.url(), /#in=collector/);
  assert.deepEqual(errors, []);
  await context.close();
  await collector.close();
});

test('the widget page switches the survey between display modes and languages', async () => {
  const { page, errors, context } = await openPage('index.html');
  const survey = page.locator('npskit-survey');
  for (const [mode, locale, question] of [
    ['modal', 'sv', /rekommendera/],
    ['slide', 'de', /empfehlen/],
    ['bar', 'zh-CN', /推荐/],
    ['inline', 'ar', /./],
  ]) {
    // The previous survey is closed first: a modal makes the rest of the page inert.
    await page.evaluate(() => window.NpsKit.hide());
    await page.waitForFunction(() => !document.querySelector('npskit-survey'));
    await page.selectOption('#locale', locale);
    await page.selectOption('#mode', mode);
    assert.equal(await survey.count(), 0, 'choosing a setting opens nothing');
    await page.click('#show-survey');
    await page.waitForFunction(
      ([expectedMode, expectedLocale]) => {
        const host = document.querySelector('npskit-survey');
        const legend = host?.shadowRoot?.querySelector('.question');
        return (
          host?.dataset.mode === expectedMode &&
          legend &&
          host.shadowRoot.querySelector('[lang]')?.getAttribute('lang') === expectedLocale
        );
      },
      [mode, locale],
    );
    assert.match(await survey.locator('.question').innerText(), question, `${mode} in ${locale}`);
    if (mode === 'inline')
      assert.equal(await page.locator('#inline-target npskit-survey').count(), 1);
  }
  await page.screenshot({ path: `${shots}/home-inline-ar.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test('an arrow key on the mode or language select changes the setting only: no survey opens, the focus stays (WCAG 3.2.2)', async () => {
  const { page, errors, context } = await openPage('index.html');
  for (const id of ['mode', 'locale']) {
    const before = await page.inputValue(`#${id}`);
    await page.focus(`#${id}`);
    await page.keyboard.press('ArrowDown');
    assert.notEqual(await page.inputValue(`#${id}`), before, `the arrow changed #${id}`);
    // The survey's host element is mounted synchronously when it opens.
    assert.equal(await page.locator('npskit-survey').count(), 0, `#${id}: no survey opened`);
    assert.equal(await page.evaluate(() => document.activeElement.id), id, 'focus stays');
  }
  // The explicit action still opens the survey with the chosen settings.
  const mode = await page.inputValue('#mode');
  await page.click('#show-survey');
  await page.waitForFunction(
    (expected) => document.querySelector('npskit-survey')?.dataset.mode === expected,
    mode,
  );
  assert.deepEqual(errors, []);
  await context.close();
});
