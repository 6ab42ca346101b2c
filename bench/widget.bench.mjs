// What the survey widget costs a site's visitors, next to the alternatives a
// site owner would pick: PostHog's surveys (posthog-js: the SDK core plus its
// lazily loaded surveys bundle) and SurveyJS (survey-core + survey-js-ui).
// Measured in headless Chromium through CDP network events against a static
// server that gzips like a production one:
// - bytes on the wire for a page view where no survey shows, and until the
//   survey is visible;
// - time from the trigger (and from navigation) to an interactive survey,
//   median of several cold runs, on loopback and on a simulated 4G link.
// Prints a markdown section and writes bench/results/widget.json.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const distDir = path.join(repoRoot, 'dist');
const modulesDir = path.join(benchDir, 'node_modules');
const runs = Number(process.env.NPSKIT_BENCH_RUNS || 9);

// The comparison packages live in bench/ with their own lockfile.
const installed = path.join(modulesDir, '.package-lock.json');
if (
  !existsSync(installed) ||
  statSync(path.join(benchDir, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs
) {
  const install = spawnSync(
    'npm',
    ['ci', '--prefix', benchDir, '--no-audit', '--no-fund', '--loglevel=error'],
    {
      stdio: 'inherit',
    },
  );
  if (install.status !== 0) throw new Error('npm ci --prefix bench failed');
}
for (const file of ['npskit.js', 'npskit-ui.js', 'npskit.css']) {
  if (!existsSync(path.join(distDir, file)))
    throw new Error(`dist/${file} is missing: run node web/build.mjs first`);
}

const packageVersion = (name) =>
  JSON.parse(readFileSync(path.join(modulesDir, name, 'package.json'), 'utf8')).version;
const versions = {
  'posthog-js': packageVersion('posthog-js'),
  'survey-core': packageVersion('survey-core'),
  'survey-js-ui': packageVersion('survey-js-ui'),
};

const question = 'How likely are you to recommend Acme to a friend or colleague?';
const low = 'Not at all likely';
const high = 'Extremely likely';

// ---- the static server -------------------------------------------------------

const mounts = {
  '/npskit/': distDir,
  '/ph/static/': path.join(modulesDir, 'posthog-js', 'dist'),
  '/surveyjs/core/': path.join(modulesDir, 'survey-core'),
  '/surveyjs/ui/': path.join(modulesDir, 'survey-js-ui'),
};
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};
const gzipCache = new Map();

function send(req, res, type, body) {
  const headers = {
    'content-type': type,
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
  };
  if (/gzip/.test(req.headers['accept-encoding'] || '') && body.length > 0) {
    if (!gzipCache.has(body)) gzipCache.set(body, gzipSync(body, { level: 6 }));
    body = gzipCache.get(body);
    headers['content-encoding'] = 'gzip';
    headers.vary = 'accept-encoding';
  }
  headers['content-length'] = body.length;
  res.writeHead(200, headers);
  res.end(body);
}

// PostHog's API, answered the way its cloud does for a project with one
// active NPS survey. `survey.type` 'popover' shows by itself, 'api' only on
// displaySurvey(); a URL condition that never matches keeps it hidden.
function postHogSurvey(kind) {
  return {
    id: 'nps-bench',
    name: 'NPS',
    type: kind === 'manual' ? 'api' : 'popover',
    questions: [
      {
        id: 'q1',
        type: 'rating',
        display: 'number',
        scale: 10,
        question,
        lowerBoundLabel: low,
        upperBoundLabel: high,
      },
    ],
    conditions: kind === 'idle' ? { url: '/never-matches', urlMatchType: 'icontains' } : null,
    appearance: null,
    start_date: '2020-01-01T00:00:00Z',
    end_date: null,
    schedule: 'always',
  };
}

const pages = {};
const buffers = new Map();
async function fileBody(file) {
  if (!buffers.has(file)) buffers.set(file, await readFile(file));
  return buffers.get(file);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const json = (value) => send(req, res, types['.json'], Buffer.from(JSON.stringify(value)));
  try {
    if (pages[url.pathname])
      return send(req, res, types['.html'], Buffer.from(pages[url.pathname]));
    for (const [prefix, directory] of Object.entries(mounts)) {
      if (!url.pathname.startsWith(prefix)) continue;
      // PostHog asks for /static/<version>/<bundle>.js.
      const relative =
        prefix === '/ph/static/' ? path.basename(url.pathname) : url.pathname.slice(prefix.length);
      const file = path.join(directory, relative);
      if (!file.startsWith(directory)) break;
      return send(
        req,
        res,
        types[path.extname(file)] || 'application/octet-stream',
        await fileBody(file),
      );
    }
    const kind =
      url.searchParams.get('kind') ||
      req.headers.referer?.match(/posthog-(\w+)\.html/)?.[1] ||
      'show';
    if (url.pathname.startsWith('/ph/array/') && url.pathname.endsWith('/config')) {
      return json({
        token: 'phc_bench',
        surveys: true,
        supportedCompression: [],
        sessionRecording: false,
        heatmaps: false,
      });
    }
    if (url.pathname.startsWith('/ph/array/'))
      return send(req, res, types['.js'], Buffer.from('/* remote config */'));
    if (url.pathname.startsWith('/ph/flags'))
      return json({ flags: {}, featureFlags: {}, errorsWhileComputingFlags: false });
    if (url.pathname.startsWith('/ph/api/surveys')) return json({ surveys: [postHogSurvey(kind)] });
    if (url.pathname.startsWith('/ph/') || url.pathname === '/collect') return json({ status: 1 });
    res.writeHead(404);
    res.end();
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// ---- the three products, each in three page kinds ------------------------------
// idle: a page view where the survey is not shown; show: it shows at once;
// manual: it shows when the page calls the product's own API (the trigger).

const shell = (head, body = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Acme</title>${head}</head>
<body><h1>Acme</h1><p>${'A page of a site that wants to know what its visitors think. '.repeat(20)}</p>${body}</body></html>`;

const products = {
  npskit: {
    label: 'npskit',
    page: (kind) =>
      shell(
        `<script async src="/npskit/npskit.js" data-endpoint="/collect" data-survey="bench-${Math.random()}" data-product="Acme" data-trigger="${kind === 'show' ? 'immediate' : 'manual'}"></script>`,
      ),
    trigger: () => window.NpsKit.show(),
    ready: () => !!(window.NpsKit && window.NpsKit.version),
    visible: () => {
      const root = document.querySelector('npskit-survey')?.shadowRoot;
      const ten = root?.querySelector('label[for="score-10"]');
      return !!ten && ten.getBoundingClientRect().width > 0;
    },
  },
  posthog: {
    label: `PostHog surveys (posthog-js ${versions['posthog-js']})`,
    page: (kind) =>
      shell(`<script src="/ph/static/array.js"></script><script>
posthog.init('phc_bench', { api_host: location.origin + '/ph', autocapture: false, capture_pageview: false,
  disable_session_recording: true, opt_out_useragent_filter: true });</script>`),
    trigger: () =>
      window.posthog.displaySurvey('nps-bench', {
        ignoreConditions: true,
        ignoreDelay: true,
        displayType: 'popover',
      }),
    // The API survey is in PostHog's list once its surveys bundle has loaded it.
    ready: () =>
      new Promise((resolve) =>
        window.posthog.getSurveys?.((surveys) => resolve(surveys.length > 0)),
      ).then((loaded) => loaded && !!window.__PosthogExtensions__?.generateSurveys),
    visible: () => {
      const root = document.querySelector('[class^="PostHogSurvey"]')?.shadowRoot;
      const buttons = root?.querySelectorAll('button') || [];
      return buttons.length >= 11 && buttons[buttons.length - 1].getBoundingClientRect().width > 0;
    },
  },
  surveyjs: {
    label: `SurveyJS (survey-core + survey-js-ui ${versions['survey-js-ui']})`,
    page: (kind) =>
      shell(
        `<link rel="stylesheet" href="/surveyjs/core/survey-core.min.css">
<script src="/surveyjs/core/survey.core.min.js"></script><script src="/surveyjs/ui/survey-js-ui.min.js"></script>
<script>window.showSurvey = function () {
  var model = new Survey.Model({ elements: [{ type: 'rating', name: 'nps', title: ${JSON.stringify(question)},
    rateMin: 0, rateMax: 10, minRateDescription: ${JSON.stringify(low)}, maxRateDescription: ${JSON.stringify(high)} },
    { type: 'comment', name: 'reason', title: 'What is the main reason for your score?' }] });
  SurveyUI.renderSurvey(model, document.getElementById('survey'));
};</script>`,
        `<div id="survey"></div>${kind === 'show' ? '<script>showSurvey();</script>' : ''}`,
      ),
    trigger: () => window.showSurvey(),
    ready: () => !!window.SurveyUI,
    visible: () => {
      const items = document.querySelectorAll(
        '#survey .sd-rating__item, #survey .sd-rating__item-smiley',
      );
      return items.length >= 11 && items[items.length - 1].getBoundingClientRect().width > 0;
    },
  },
};

for (const [name, product] of Object.entries(products)) {
  for (const kind of ['idle', 'show', 'manual'])
    pages[`/${name}-${kind}.html`] = product.page(kind);
}

// ---- measuring ------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
  ],
});

const networks = {
  loopback: null,
  '4G': {
    offline: false,
    latency: 60,
    downloadThroughput: (9e6 / 8) | 0,
    uploadThroughput: (1.5e6 / 8) | 0,
  },
};

/** A fresh context and page with CDP network accounting; nothing cached. */
async function openPage(network) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (networks[network]) await cdp.send('Network.emulateNetworkConditions', networks[network]);
  const requests = new Map();
  const finished = [];
  cdp.on('Network.requestWillBeSent', (event) =>
    requests.set(event.requestId, { url: event.request.url, type: event.type }),
  );
  cdp.on('Network.loadingFinished', (event) => {
    const request = requests.get(event.requestId);
    if (request) finished.push({ ...request, bytes: event.encodedDataLength });
  });
  return { context, page, finished };
}

// Everything but the host page's own HTML and the favicon, the same for all.
const isWidget = (entry) => entry.type !== 'Document' && !entry.url.endsWith('/favicon.ico');
const widgetBytes = (finished) =>
  finished
    .filter(isWidget)
    .reduce((sum, entry) => ({ bytes: sum.bytes + entry.bytes, requests: sum.requests + 1 }), {
      bytes: 0,
      requests: 0,
    });

const pollUntil = (check) =>
  `new Promise((resolve) => { const check = ${check}; const tick = () => (check() ? resolve(performance.now()) : requestAnimationFrame(tick)); tick(); })`;

async function bytesOf(name, kind) {
  const { context, page, finished } = await openPage('loopback');
  try {
    if (kind === 'idle') {
      await page.goto(`${origin}/${name}-idle.html`, { waitUntil: 'networkidle' });
      return {
        ...widgetBytes(finished),
        files: finished.filter(isWidget),
      };
    }
    await page.goto(`${origin}/${name}-show.html`);
    await page.waitForFunction(products[name].visible, null, { polling: 'raf', timeout: 30000 });
    const atVisible = [...finished];
    await page.waitForLoadState('networkidle');
    return {
      ...widgetBytes(atVisible),
      files: atVisible.filter(isWidget),
      afterIdle: widgetBytes(finished),
    };
  } finally {
    await context.close();
  }
}

async function navigationToInteractive(name, network) {
  const { context, page } = await openPage(network);
  try {
    await page.addInitScript(
      `window.__visibleAt = null; ${pollUntil(products[name].visible.toString())}.then((t) => (window.__visibleAt = t));`,
    );
    await page.goto(`${origin}/${name}-show.html`);
    await page.waitForFunction(() => window.__visibleAt !== null, null, { timeout: 60000 });
    return await page.evaluate(() => window.__visibleAt);
  } finally {
    await context.close();
  }
}

async function triggerToInteractive(name, network) {
  const { context, page } = await openPage(network);
  try {
    await page.goto(`${origin}/${name}-manual.html`, { waitUntil: 'networkidle' });
    await page.waitForFunction(products[name].ready, null, { timeout: 60000 });
    // Awaited here, so the context stays open until the page has answered.
    return await page.evaluate(
      `(async () => { const start = performance.now(); (${products[name].trigger})(); const end = await ${pollUntil(products[name].visible.toString())}; return end - start; })()`,
    );
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function timed(measure, name, network) {
  await measure(name, network); // warm-up: the server's gzip cache, Chromium's code paths
  const samples = [];
  for (let run = 0; run < runs; run++) samples.push(await measure(name, network));
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples };
}

// ---- running ----------------------------------------------------------------------

const results = {
  date: new Date().toISOString(),
  chromium: browser.version(),
  versions,
  runs,
  networks,
  products: {},
};
for (const name of Object.keys(products)) {
  const entry = (results.products[name] = { label: products[name].label });
  entry.idle = await bytesOf(name, 'idle');
  entry.show = await bytesOf(name, 'show');
  entry.time = {};
  for (const network of Object.keys(networks)) {
    entry.time[network] = {
      trigger: await timed(triggerToInteractive, name, network),
      navigation: await timed(navigationToInteractive, name, network),
    };
  }
}

// npskit beyond the first view: what answering adds, and the live panel,
// which is the only part that fetches the scoring core.
{
  const { context, page, finished } = await openPage('loopback');
  await page.goto(`${origin}/npskit-show.html`);
  await page.waitForFunction(products.npskit.visible, null, { polling: 'raf' });
  await page.waitForLoadState('networkidle');
  const before = finished.length;
  const root = 'document.querySelector("npskit-survey").shadowRoot';
  const delivered = page.waitForResponse((response) => response.url().endsWith('/collect'));
  await page.evaluate(`${root}.querySelector('label[for="score-9"]').click()`);
  await page.evaluate(`${root}.querySelector('form').requestSubmit()`);
  await delivered;
  await page.waitForTimeout(100);
  results.products.npskit.answer = widgetBytes(finished.slice(before));
  results.products.npskit.answerFiles = finished.slice(before);
  await context.close();
}
{
  pages['/npskit-live.html'] = shell(
    `<script async src="/npskit/npskit.js" data-trigger="manual"></script>`,
    `<div id="live"></div><script>window.NpsKit=window.NpsKit||{q:[]};NpsKit.live=NpsKit.live||function(){NpsKit.q.push(['live',arguments])};NpsKit.live('#live',{source:[9,9,7,0,10]});</script>`,
  );
  const { context, page, finished } = await openPage('loopback');
  await page.goto(`${origin}/npskit-live.html`);
  await page.waitForFunction(
    () =>
      document.querySelector('npskit-live')?.shadowRoot?.querySelector('.live-score')?.textContent,
  );
  await page.waitForLoadState('networkidle');
  results.products.npskit.live = widgetBytes(finished);
  results.products.npskit.liveFiles = finished.filter(isWidget);
  await context.close();
}

await browser.close();
server.close();

// ---- report -------------------------------------------------------------------------

const kb = (bytes) => (bytes / 1024).toFixed(1) + ' KB';
const ms = (value) => Math.round(value) + ' ms';
const lines = [];
lines.push('## Survey widget: weight and speed against PostHog surveys and SurveyJS', '');
lines.push(
  `Chromium ${results.chromium}, headless; static files gzip-compressed (level 6) by the bench server; ` +
    'bytes are CDP `encodedDataLength` (compressed body plus response headers) of every request but the page itself.',
  '',
);
lines.push(
  '| | page view, survey not shown | until the survey is visible | requests until visible |',
);
lines.push('|---|---:|---:|---:|');
for (const entry of Object.values(results.products)) {
  lines.push(
    `| ${entry.label} | ${kb(entry.idle.bytes)} | ${kb(entry.show.bytes)} | ${entry.show.requests} |`,
  );
}
const own = results.products.npskit;
lines.push('');
lines.push(
  `npskit until visible: ${own.show.files.map((file) => `${new URL(file.url).pathname.replace('/npskit/', '')} ${kb(file.bytes)}`).join(', ')}. ` +
    `Answering adds ${kb(own.answer.bytes)} (${own.answerFiles.map((file) => `${new URL(file.url).pathname.replace('/npskit/', '')} ${kb(file.bytes)}`).join(', ')}). ` +
    `The live panel, the only part that loads the scoring core, costs ${kb(own.live.bytes)} on its own page ` +
    `(${own.liveFiles.map((file) => `${new URL(file.url).pathname.replace('/npskit/', '')} ${kb(file.bytes)}`).join(', ')}).`,
  '',
);
lines.push(
  `Budgets: loader ${kb(own.idle.bytes)} of 5 KB per page view (${own.idle.bytes <= 5 * 1024 ? 'met' : 'MISSED'}); ` +
    `${kb(own.show.bytes)} of 30 KB until visible (${own.show.bytes <= 30 * 1024 ? 'met' : 'MISSED'}).`,
  '',
);
lines.push(
  `Time to an interactive survey (all 11 scores on screen), median of ${runs} cold runs (min–max):`,
  '',
);
lines.push(
  '| | trigger → interactive, loopback | trigger → interactive, 4G | navigation → interactive, loopback | navigation → interactive, 4G |',
);
lines.push('|---|---:|---:|---:|---:|');
for (const entry of Object.values(results.products)) {
  const cell = (value) => `${ms(value.median)} (${ms(value.min)}–${ms(value.max)})`;
  lines.push(
    `| ${entry.label} | ${cell(entry.time.loopback.trigger)} | ${cell(entry.time['4G'].trigger)} | ${cell(entry.time.loopback.navigation)} | ${cell(entry.time['4G'].navigation)} |`,
  );
}
lines.push(
  '',
  'Trigger: `NpsKit.show()`, `posthog.displaySurvey()` once PostHog has loaded its surveys, SurveyJS `renderSurvey()` with its ' +
    'bundle already on the page. 4G: 60 ms latency, 9 Mbit/s down, 1.5 Mbit/s up (CDP network emulation). ' +
    "PostHog's API is answered locally by the bench server as its cloud would for a project with one NPS survey.",
  '',
);
console.log(lines.join('\n'));

await mkdir(path.join(benchDir, 'results'), { recursive: true });
await writeFile(
  path.join(benchDir, 'results', 'widget.json'),
  JSON.stringify(results, null, 2) + '\n',
);
