// A site with a strict Content-Security-Policy: no inline script or style,
// no eval. With 'wasm-unsafe-eval' the scoring core runs as WebAssembly;
// without it the widget switches to the wasm2js build by itself, and the
// survey and the live panel compute the same results either way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from './support.mjs';
import {
  answer,
  axeSettled,
  collector,
  eventually,
  hostPage,
  openPage,
  startHost,
  stub,
  surveyVisible,
  vectors,
} from './fixtures/widget/harness.mjs';

const endpoint = collector();
// S1 of the shared vectors as individual scores: promoters answer 9,
// passives 7, detractors 0.
const s1 = vectors.find((vector) => vector.id === 'S1');
const scores = [...Array(s1.pro).fill(9), ...Array(s1.pas).fill(7), ...Array(s1.det).fill(0)];
// A strict site keeps even the queued-call stub in a file of its own.
const setup = `${stub}
NpsKit.on('error', function (detail) { (window.__widgetErrors = window.__widgetErrors || []).push(detail.message); });
NpsKit.live('#live', { source: ${JSON.stringify(scores)} });`;
let browser;
let host;

before(async () => {
  host = await startHost({
    routes: {
      '/collect': endpoint.route,
      '/site-setup.js': (req, res) => {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(setup);
      },
    },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
});

const policy = (wasm) =>
  [
    "default-src 'self'",
    `script-src 'self'${wasm ? " 'wasm-unsafe-eval'" : ''}`,
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

for (const wasm of [true, false]) {
  const label = wasm
    ? "with 'wasm-unsafe-eval': WebAssembly core"
    : "without 'wasm-unsafe-eval': wasm2js core";
  test(`strict CSP ${label}; survey and live panel work, nothing is blocked but WebAssembly`, async () => {
    const url = host.addPage(
      hostPage({
        head: '<script src="/site-setup.js"></script>',
        body: '<div id="live"></div>',
        attributes: { endpoint: '/collect', survey: `csp-${wasm}`, mode: 'modal', product: 'Acme' },
      }),
      { headers: { 'content-security-policy': policy(wasm) } },
    );
    const { context, page, errors } = await openPage(browser, null);
    try {
      await page.addInitScript(() => {
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', (event) =>
          window.__violations.push(`${event.effectiveDirective} ${event.blockedURI}`),
        );
      });
      const requested = [];
      page.on('request', (request) => requested.push(new URL(request.url()).pathname));
      await page.goto(url);
      await surveyVisible(page);
      await answer(page, 9, 'strict site');
      await eventually(
        () => endpoint.accepted().some((payload) => payload.survey === `csp-${wasm}`),
        'the answer at the endpoint',
      );
      const [payload] = endpoint.accepted().filter((entry) => entry.survey === `csp-${wasm}`);
      assert.equal(payload.category, 'promoter', 'the core classified the answer');

      const live = page.locator('#live npskit-live');
      await eventually(
        async () => (await live.locator('.live-score').textContent()) === '+30',
        'the live NPS of S1',
      );
      assert.equal(await live.locator('.live-count').textContent(), `Answers: ${s1.n}`);

      const coreFiles = requested.filter((file) => file.includes('npskit-core'));
      if (wasm) {
        // Chromium has SIMD128, so the loader's probe picks the SIMD module.
        assert.ok(
          coreFiles.includes('/npskit-core.simd.wasm'),
          `WebAssembly SIMD used: ${coreFiles}`,
        );
        assert.ok(!coreFiles.includes('/npskit-core.wasm'), 'the plain module is not fetched');
        assert.ok(!coreFiles.includes('/npskit-core.wasm2js.js'), 'no fallback needed');
      } else {
        assert.deepEqual(
          coreFiles,
          ['/npskit-core.wasm2js.js'],
          'only the wasm2js build was fetched',
        );
      }
      const violations = await page.evaluate(() => window.__violations);
      const blockedWasm = violations.filter((violation) =>
        violation.startsWith('script-src wasm-eval'),
      );
      assert.deepEqual(
        violations.filter((violation) => !blockedWasm.includes(violation)),
        [],
        'no inline style, inline script or eval was attempted',
      );
      assert.equal(
        blockedWasm.length,
        wasm ? 0 : 1,
        'one probe for WebAssembly, then the fallback',
      );
      // Chromium logs the refused WebAssembly probe as a console error.
      const unexpected = errors.filter(
        (error) => !(!wasm && /WebAssembly|wasm-unsafe-eval/.test(error)),
      );
      assert.deepEqual(unexpected, []);
      assert.equal(await page.evaluate(() => window.__widgetErrors), undefined);
      assert.deepEqual(await axeSettled(page), []);
    } finally {
      await context.close();
    }
  });
}
