// The demo site from 320 px up: no page scrolls sideways, nothing is cut
// (every visible box lies inside the screen or inside a region that scrolls,
// and no text ends in an ellipsis), wide tables scroll in their own region
// with a visible cue; the calculator's sort state is aria-sort, never an
// arrow in a button's name; rejected rows download as CSV; several segment
// columns show each alone and crossed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { calculatorErrors, launchBrowser, repoRoot, startServer } from './support.mjs';

const folder = '/dist/demo';
const widths = [320, 390, 1366];
let server;
let browser;

before(async () => {
  server = await startServer({ root: repoRoot });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(name, width, options = {}) {
  const context = await browser.newContext({
    viewport: { width, height: width < 500 ? 800 : 900 },
    acceptDownloads: true,
    reducedMotion: 'reduce',
    ...options,
  });
  const page = await context.newPage();
  const errors = calculatorErrors(page);
  await page.goto(`${server.url}${folder}/${name}`);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, errors, context };
}

// Every visible element of the page (and of open shadow roots) that lies
// outside the screen without a scrolling ancestor, or whose text is cut.
function layoutProblems(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const problems = [];
    const describe = (element) =>
      `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${
        element.className && typeof element.className === 'string'
          ? `.${element.className.trim().split(/\s+/).join('.')}`
          : ''
      } “${(element.textContent || '').trim().slice(0, 30)}”`;
    const parentOf = (element) => element.parentElement ?? element.getRootNode().host ?? null;
    const scrolls = (element) => {
      for (let up = parentOf(element); up; up = parentOf(up)) {
        const overflow = getComputedStyle(up).overflowX;
        if (overflow === 'auto' || overflow === 'scroll') return true;
      }
      return false;
    };
    const visit = (root) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.shadowRoot) visit(element.shadowRoot);
        const style = getComputedStyle(element);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        const rect = element.getBoundingClientRect();
        // Nothing drawn (hidden, or visually hidden for screen readers only).
        if (rect.width <= 1 || rect.height <= 1) continue;
        if (element.matches('.skip-link')) continue;
        if ((rect.left < -0.5 || rect.right > width + 0.5) && !scrolls(element))
          problems.push(`${describe(element)} spans ${rect.left}..${rect.right} of ${width}`);
        if (style.textOverflow === 'ellipsis' && element.scrollWidth > element.clientWidth + 1)
          problems.push(`${describe(element)} is cut with an ellipsis`);
      }
    };
    visit(document);
    const sideways = document.documentElement.scrollWidth - width;
    if (sideways > 0) problems.push(`the page scrolls sideways by ${sideways} px`);
    return problems;
  });
}

async function loadSample(page) {
  await page.click('#tab-file');
  await page.click('#sample-button');
  await page.waitForFunction(
    () => document.querySelector('#file-status').textContent.startsWith('Read the sample export'),
    null,
    { timeout: 30000 },
  );
}

for (const width of widths) {
  test(`the widget page at ${width} px: nothing cut or sideways, in every display mode`, async () => {
    const { page, errors, context } = await openPage('index.html', width);
    assert.deepEqual(await layoutProblems(page), []);
    for (const mode of ['modal', 'slide', 'bar', 'inline']) {
      await page.evaluate(() => window.NpsKit.hide());
      await page.waitForFunction(() => !document.querySelector('npskit-survey'));
      await page.selectOption('#mode', mode);
      await page.click('#show-survey');
      await page.locator('npskit-survey .panel').waitFor({ state: 'visible' });
      assert.deepEqual(await layoutProblems(page), [], mode);
      if (mode === 'inline') {
        // The hero's button draws the survey further down: it is brought into view.
        await page.waitForFunction(() => {
          const rect = document.querySelector('#inline-target').getBoundingClientRect();
          return rect.top >= 0 && rect.top < innerHeight;
        });
        assert.equal(await page.evaluate(() => document.activeElement.id), 'inline-target');
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`the calculator at ${width} px: nothing cut or sideways; wide tables scroll in their own region`, async () => {
    const { page, errors, context } = await openPage('calculator.html', width);
    assert.deepEqual(await layoutProblems(page), []);
    await loadSample(page);
    await page.click('[data-table-toggle="trend"]');
    await page.click('[data-table-toggle="distribution"]');
    await page.locator('.bands-editor summary').click();
    assert.deepEqual(await layoutProblems(page), []);
    const segments = await page.evaluate(() => {
      const wrap = document.querySelector('#segments-table').parentElement;
      return {
        overflows: wrap.scrollWidth > wrap.clientWidth + 1,
        cue: !document.querySelector('#segments-scroll-cue').hidden,
        region: wrap.getAttribute('role'),
        focusable: wrap.tabIndex === 0,
      };
    });
    assert.equal(segments.region, 'region');
    assert.ok(segments.focusable, 'the scrolling region can be scrolled from the keyboard');
    assert.equal(segments.cue, segments.overflows, 'the cue shows exactly when there is more');
    if (width <= 390) assert.ok(segments.overflows, 'the segment table is wider than a phone');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('sort state is aria-sort; the sort buttons are named by their column alone', async () => {
  const { page, errors, context } = await openPage('calculator.html', 1366);
  await loadSample(page);
  await page.click('#segments-table th[data-sort="nps"] button');
  const session = await context.newCDPSession(page);
  const { nodes } = await session.send('Accessibility.getFullAXTree');
  const live = nodes.filter((node) => !node.ignored);
  // Chromium exposes aria-sort on the header cell; the tree's header names
  // come from the buttons, so neither carries an arrow.
  const headers = live.filter((node) => node.role?.value === 'columnheader');
  assert.ok(headers.some((node) => node.name?.value === 'NPS'));
  assert.ok(!headers.some((node) => /[↑↓↕]/.test(node.name?.value ?? '')));
  const sorted = await page.$$eval('#segments-table th[aria-sort]', (cells) =>
    cells.map((cell) => [cell.dataset.sort, cell.getAttribute('aria-sort')]),
  );
  assert.deepEqual(sorted, [['nps', 'descending']]);
  const buttons = live
    .filter((node) => node.role?.value === 'button')
    .map((node) => node.name?.value ?? '');
  for (const name of ['Segment', 'Answers', 'NPS', 'vs. rest', 'p-value'])
    assert.ok(buttons.includes(name), `a button named “${name}” in ${JSON.stringify(buttons)}`);
  assert.ok(!buttons.some((name) => /[↑↓↕]/.test(name)), JSON.stringify(buttons));
  await session.detach();
  assert.deepEqual(errors, []);
  await context.close();
});

test('rejected rows: line, reason and row once each, and every one in the CSV', async () => {
  const { page, errors, context } = await openPage('calculator.html', 1366);
  const long = 'x'.repeat(400);
  const rows = ['score,comment'];
  for (let i = 0; i < 150; i += 1) rows.push(i % 2 ? `${i},bad ${i}` : `9,fine ${i}`);
  rows.push(`eleven,${long}`);
  await page.click('#tab-file');
  await page.setInputFiles('#file-input', {
    name: 'messy.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${rows.join('\n')}\n`),
  });
  await page.waitForFunction(() =>
    document.querySelector('#file-status').textContent.startsWith('Read messy.csv'),
  );
  // Scores 11, 13, ... 149 are out of range, and "eleven" is not a number.
  const expected = 70 + 1;
  // Row i of the loop is on line i + 2 (after the header); the line number
  // appears once, in its own column.
  const firstRow = await page
    .locator('#rejected-table tbody tr')
    .first()
    .locator('td')
    .allInnerTexts();
  assert.deepEqual(firstRow, ['13', 'score "11" is not from 0 to 10', '11,bad 11']);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#rejected-csv'),
  ]);
  assert.equal(download.suggestedFilename(), 'nps-rejected-rows.csv');
  const csv = (await readFile(await download.path(), 'utf8')).trim().split('\r\n');
  assert.equal(csv[0], 'line,reason,row');
  assert.equal(csv.length - 1, expected, 'every rejected row, not only the first 100 listed');
  assert.equal(csv[1], '13,"score ""11"" is not from 0 to 10","11,bad 11"');
  const last = csv[csv.length - 1];
  assert.match(last, /^152,"score ""eleven"" is not a number from 0 to 10","eleven,x+\.\.\."$/);
  assert.ok(last.length < 260, 'the long row is cut to a readable length');
  assert.match(await page.locator('#rejected-note').innerText(), /71 rows were left out/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('several segment columns: each alone and crossed, chosen in the mapping form', async () => {
  const { page, errors, context } = await openPage('calculator.html', 1366);
  const rows = ['Betyg,land,plan'];
  const answers = [
    [10, 'SE', 'pro'],
    [9, 'SE', 'pro'],
    [3, 'SE', 'free'],
    [8, 'NO', 'pro'],
    [0, 'NO', 'free'],
    [6, 'NO', 'free'],
  ];
  for (const [score, country, plan] of answers) rows.push(`${score},${country},${plan}`);
  await page.click('#tab-file');
  await page.setInputFiles('#file-input', {
    name: 'crossed.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${rows.join('\n')}\n`),
  });
  await page.locator('#mapping-form').waitFor({ state: 'visible' });
  assert.match(
    await page.locator('#empty-heading').innerText(),
    /Choose the columns of crossed\.csv/,
  );
  await page.selectOption('#map-score', 'Betyg');
  await page.check('input[name="segments"][value="land"]');
  await page.check('input[name="segments"][value="plan"]');
  await page.click('#mapping-form button[type="submit"]');
  await page.locator('#segments-card').waitFor({ state: 'visible' });
  const views = await page.locator('#segments-view option').allInnerTexts();
  assert.deepEqual(views, ['land', 'plan', 'land × plan']);
  await page.selectOption('#segments-view', 'land × plan');
  await page.click('#segments-table th[data-sort="key"] button');
  const keys = await page.locator('#segments-table tbody th').allInnerTexts();
  assert.deepEqual(keys.sort(), ['NO × free', 'NO × pro', 'SE × free', 'SE × pro']);
  const counts = await page.locator('#segments-table tbody tr > :nth-child(2)').allInnerTexts();
  assert.deepEqual(counts.map(Number).sort(), [1, 1, 2, 2]);
  assert.deepEqual(errors, []);
  await context.close();
});
