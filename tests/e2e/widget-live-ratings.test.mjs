// The live panel's CSAT and CES lines: answers stored by a real collector
// (NPS answers, companions naming the answer they complete, a CSAT-only
// survey) are read back from its export, and the panel shows the share of
// top ratings and the mean with the intervals the collector's own summary
// reports, in every locale's words, right to left where the locale is, and
// axe-clean; a metric with fewer answers than a group must have is not shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchBrowser } from './support.mjs';
import {
  axeSettled,
  eventually,
  localeCodes,
  locales,
  openPage,
  startHost,
} from './fixtures/widget/harness.mjs';
import { answer, postAnswer, startServer, temporaryFolder } from '../collector/server.mjs';

let workspace;
let collector;
let browser;
let host;

before(async () => {
  workspace = temporaryFolder();
  collector = await startServer({
    db: path.join(workspace.folder, 'answers.db'),
    args: ['--rate', '0'],
  });
  // Twelve NPS answers, ten completed by a CSAT answer and three by a CES
  // answer; two answers of a CSAT-only survey.
  for (let i = 0; i < 12; i += 1) {
    const nps = answer({ score: (i * 5) % 11 });
    assert.equal((await postAnswer(collector, nps)).status, 201);
    if (i < 10) {
      const csat = answer({ metric: 'csat', score: 1 + ((i * 3) % 5), answer_id: nps.id });
      assert.equal((await postAnswer(collector, csat)).status, 201);
    }
    if (i < 3) {
      const ces = answer({ metric: 'ces', score: 5 + (i % 3), answer_id: nps.id });
      assert.equal((await postAnswer(collector, ces)).status, 201);
    }
  }
  for (const score of [4, 5]) {
    const standalone = answer({ metric: 'csat', score });
    assert.equal((await postAnswer(collector, standalone)).status, 201);
  }
  host = await startHost({
    routes: {
      // The collector's export, served to the page from the page's origin.
      '/data/answers.jsonl': async (req, res) => {
        const exported = await collector.request({ path: '/api/responses.jsonl' });
        res.writeHead(exported.status, { 'content-type': 'application/x-ndjson' });
        res.end(exported.raw);
      },
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
  await collector?.stop();
  workspace?.remove();
});

const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));

async function ratingsIn(locale, { axe = true } = {}) {
  const url = host.addPage({
    lang: locale,
    attributes: { survey: 'live-ratings', trigger: 'manual', locale },
    after: `NpsKit.live('#slot', { source: '/data/answers.jsonl' });`,
  });
  const { context, page, errors } = await openPage(browser, url);
  try {
    const read = await eventually(
      () =>
        page.evaluate(() => {
          const root = document.querySelector('#slot npskit-live')?.shadowRoot;
          const list = root && root.querySelector('.live-ratings');
          if (!list || list.hidden) return null;
          return {
            dir: root.querySelector('.live').getAttribute('dir'),
            items: [...list.querySelectorAll('li')].map((item) => ({
              metric: item.classList.contains('csat') ? 'csat' : 'ces',
              parts: [...item.children].map((part) => part.textContent),
            })),
          };
        }),
      `the rating lines in ${locale}`,
    );
    if (axe) assert.deepEqual(await axeSettled(page), [], `axe in ${locale}`);
    assert.deepEqual(errors, []);
    return read;
  } finally {
    await context.close();
  }
}

/** The lines the panel must show in `locale`, from the collector's summary. */
function expectedLines(summary, locale) {
  const strings = locales[locale];
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'percent',
    maximumFractionDigits: 1,
  });
  const level = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const range = (interval, format) =>
    fill(strings.liveInterval, {
      level: level.format(interval.confidence),
      low: format(interval.low),
      high: format(interval.high),
    });
  const block = summary.csat;
  return [
    {
      metric: 'csat',
      parts: [
        fill(strings.liveCsat, { from: block.scale.top_from, high: block.scale.high }),
        percent.format(block.share),
        range(block.share_interval, (value) => percent.format(value)),
        fill(strings.liveMean, { mean: number.format(block.mean), high: block.scale.high }) +
          ' · ' +
          range(block.mean_interval, (value) => number.format(value)),
        fill(strings.liveAnswers, { n: number.format(block.n) }),
      ],
    },
  ];
}

test('CSAT share and mean with their intervals, as the collector reports them; CES under the minimum is left out', async () => {
  const summary = (await collector.request({ path: '/api/summary' })).json();
  assert.equal(summary.csat.n, 12);
  assert.equal(summary.ces.n, 3, 'three CES answers: too few to show');
  const shown = await ratingsIn('en');
  assert.equal(shown.dir, 'ltr');
  assert.deepEqual(shown.items, expectedLines(summary, 'en'));
});

test('the rating lines in every locale, right to left in Arabic and Hebrew', async () => {
  const summary = (await collector.request({ path: '/api/summary' })).json();
  for (const locale of localeCodes) {
    // axe in the first test and in the right-to-left locales.
    const shown = await ratingsIn(locale, { axe: ['ar', 'he'].includes(locale) });
    assert.equal(shown.dir, ['ar', 'he'].includes(locale) ? 'rtl' : 'ltr', locale);
    assert.deepEqual(shown.items, expectedLines(summary, locale), locale);
  }
});
