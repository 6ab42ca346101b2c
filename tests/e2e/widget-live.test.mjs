// NpsKit.live: the panel shows what the scoring core computes for answers
// given in this page, an array, or a JSON/JSONL/CSV URL streamed through the
// core's reader, and follows new answers as they arrive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchBrowser } from './support.mjs';
import {
  answer,
  axeSettled,
  collector,
  eventually,
  events,
  openPage,
  shotsDir,
  startHost,
  surveyVisible,
  vectors,
} from './fixtures/widget/harness.mjs';

const s1 = vectors.find((vector) => vector.id === 'S1');
const scores = [...Array(s1.pro).fill(9), ...Array(s1.pas).fill(7), ...Array(s1.det).fill(0)];
const signed = new Intl.NumberFormat('en', { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
// What the panel must read for S1, from the vectors file (the default Tango
// score interval at 95 %).
const expected = {
  score: signed.format(s1.nps),
  interval: `95% interval: ${signed.format(s1.tango95[0])} to ${signed.format(s1.tango95[1])}`,
  count: `Answers: ${s1.n}`,
  shares: [
    `Promoters${(100 * s1.pro) / s1.n}%`,
    `Passives${(100 * s1.pas) / s1.n}%`,
    `Detractors${(100 * s1.det) / s1.n}%`,
  ],
};

const files = {
  '/data/answers.csv': [
    'text/csv',
    'score,comment\r\n' +
      scores.map((score, i) => `${score},"answer ${i}, quoted"`).join('\r\n') +
      '\r\n',
  ],
  '/data/answers.jsonl': [
    'application/x-ndjson',
    scores.map((score) => JSON.stringify({ score })).join('\n') + '\n',
  ],
  '/data/answers.json': [
    'application/json',
    JSON.stringify(scores.map((score) => ({ score, comment: 'ok' }))),
  ],
};
const endpoint = collector();
const adminToken = 'panel-secret-7f3a';
const guardedRequests = [];
let browser;
let host;

before(async () => {
  const routes = { '/collect': endpoint.route };
  for (const [file, [type, body]] of Object.entries(files)) {
    routes[file] = (req, res) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
  }
  // A collector that guards its answers with an admin token.
  routes['/guarded/answers.jsonl'] = (req, res) => {
    guardedRequests.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== `Bearer ${adminToken}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end('{"error":"unauthorized"}');
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.end(files['/data/answers.jsonl'][1]);
  };
  host = await startHost({ routes });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
});

const readPanel = (page, selector = '#slot npskit-live') =>
  page.evaluate((hostSelector) => {
    const root = document.querySelector(hostSelector)?.shadowRoot;
    if (!root || !root.querySelector('.live-score')) return null;
    const text = (selector) => root.querySelector(selector).textContent;
    return {
      score: text('.live-score'),
      interval: text('.live-interval'),
      count: text('.live-count'),
      status: text('.live-status'),
      shares: [...root.querySelectorAll('.live-shares li')].map((item) => item.textContent),
      bars: [...root.querySelectorAll('.live-chart rect')].map((bar) => ({
        category: bar.getAttribute('class'),
        height: Number(bar.getAttribute('height')),
      })),
      chartLabel: root.querySelector('.live-chart').getAttribute('aria-label'),
    };
  }, selector);

async function panelFor(source, { colorScheme = 'light', shot } = {}) {
  const url = host.addPage({
    attributes: { survey: 'live-source', trigger: 'manual' },
    after: `NpsKit.live('#slot', { source: ${JSON.stringify(source)} });`,
  });
  const { context, page, errors } = await openPage(browser, url, { colorScheme });
  try {
    const panel = await eventually(
      async () => {
        const read = await readPanel(page);
        return read && read.count && read;
      },
      `the panel for ${JSON.stringify(source).slice(0, 40)}`,
    );
    assert.deepEqual(await axeSettled(page), [], `axe in ${colorScheme}`);
    if (shot) await page.locator('#slot').screenshot({ path: path.join(shotsDir, shot) });
    assert.deepEqual(errors, []);
    return panel;
  } finally {
    await context.close();
  }
}

function assertS1(panel) {
  assert.equal(panel.score, expected.score);
  assert.equal(panel.interval, expected.interval);
  assert.equal(panel.count, expected.count);
  assert.deepEqual(panel.shares, expected.shares);
  assert.equal(panel.bars.length, 11);
  const drawn = panel.bars
    .map((bar, score) => [score, bar.category, bar.height > 0])
    .filter(([, , visible]) => visible);
  assert.deepEqual(drawn, [
    [0, 'detractor', true],
    [7, 'passive', true],
    [9, 'promoter', true],
  ]);
  assert.ok(
    panel.bars[9].height > panel.bars[7].height && panel.bars[7].height > panel.bars[0].height,
    'bars follow the counts',
  );
  assert.match(panel.chartLabel, /^Distribution of scores: 0: 20, 1: 0, .*9: 50, 10: 0$/);
}

test('an array of scores, light and dark', async () => {
  assertS1(await panelFor(scores, { shot: 'live-light.png' }));
  assertS1(await panelFor(scores, { colorScheme: 'dark', shot: 'live-dark.png' }));
});

test('an array of answer objects', async () => {
  assertS1(await panelFor(scores.map((score) => ({ score, comment: 'x' }))));
});

for (const file of Object.keys(files)) {
  test(`a URL streamed through the core's reader: ${file}`, async () => {
    assertS1(await panelFor(file));
  });
}

test('answers given in this page: the panel follows the survey', async () => {
  const url = host.addPage({
    attributes: { endpoint: '/collect', survey: 'live-page', mode: 'slide' },
  });
  const { context, page, errors } = await openPage(browser, url);
  try {
    // The handle comes from the loaded script (a queued call returns nothing).
    await page.waitForFunction(() => window.NpsKit && window.NpsKit.version);
    await page.evaluate(() => (window.panel = NpsKit.live('#slot')));
    const empty = await eventually(async () => {
      const read = await readPanel(page);
      return read && read.count && read;
    }, 'the empty panel');
    assert.equal(empty.count, 'Answers: 0');
    assert.equal(empty.status, 'No answers yet');
    await surveyVisible(page);
    await answer(page, 10, 'love it');
    const after = await eventually(async () => {
      const read = await readPanel(page);
      return read.count === 'Answers: 1' && read;
    }, 'the panel after the answer');
    assert.equal(after.score, '+100');
    assert.equal(after.status, '');
    await page.evaluate(() => window.panel.update([0, 0, 10]));
    await eventually(
      async () => (await readPanel(page)).count === 'Answers: 3',
      'the panel after update()',
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a URL that fails shows a message and reports an error event', async () => {
  const url = host.addPage({
    attributes: { survey: 'live-missing', trigger: 'manual' },
    after: `NpsKit.live('#slot', { source: '/data/missing.csv' });`,
  });
  const { context, page, errors } = await openPage(browser, url);
  try {
    await eventually(
      async () => (await readPanel(page))?.status === 'The data could not be loaded.',
      'the failure message',
    );
    const [error] = await events(page, 'error');
    assert.equal(error.detail.code, 'live');
    assert.match(error.detail.message, /missing\.csv answered HTTP 404/);
    // The 404 itself is the only console message.
    assert.deepEqual(
      errors.filter((error) => !/404/.test(error)),
      [],
    );
  } finally {
    await context.close();
  }
});

test('a collector that needs its admin token: the panel asks for it, keeps it for the tab only and sends it as a bearer token', async () => {
  const url = host.addPage({
    attributes: { survey: 'live-guarded', trigger: 'manual' },
    after: `NpsKit.live('#slot', { source: '/guarded/answers.jsonl' });`,
  });
  const { context, page, errors } = await openPage(browser, url);
  try {
    const shadow = (selector) => page.locator(`#slot npskit-live ${selector}`);
    await eventually(
      async () => (await readPanel(page))?.status === 'This collector needs its admin token.',
      'the request for the token',
    );
    assert.equal(guardedRequests.at(-1), '', 'no token is sent before one is given');
    await shadow('input[type="password"]').fill(adminToken);
    await shadow('.live-token button').click();
    const panel = await eventually(async () => {
      const read = await readPanel(page);
      return read?.count === expected.count && read;
    }, 'the guarded answers');
    assertS1(panel);
    assert.equal(guardedRequests.at(-1), `Bearer ${adminToken}`);
    assert.ok(await shadow('.live-token').isHidden(), 'the token form goes once the token works');
    assert.ok(!page.url().includes(adminToken), 'the token is not in the address');
    const stored = await page.evaluate(() => ({ ...sessionStorage }));
    assert.ok(Object.values(stored).includes(adminToken), 'kept in sessionStorage');
    assert.ok(
      !Object.values(await page.evaluate(() => ({ ...localStorage }))).includes(adminToken),
    );
    assert.deepEqual(
      errors.filter((error) => !/401/.test(error)),
      [],
    );
  } finally {
    await context.close();
  }
});
