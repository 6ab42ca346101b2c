// How pages load the core: dist/npskit-core.js and its wasm2js twin as
// classic scripts and in Web Workers through importScripts, in headless
// Chromium, under a Content-Security-Policy without 'unsafe-eval'; the
// generated JavaScript never compiles code from strings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser, startServer } from '../e2e/support.mjs';
import { builds, distDir, loadCore } from './support.mjs';

describe('generated JavaScript', () => {
  for (const build of builds) {
    test(`${build.script} has no new Function and no eval(`, () => {
      const source = readFileSync(path.join(distDir, build.script), 'utf8');
      assert.ok(source.length > 10000, `${build.script} is the built module`);
      for (const forbidden of ['new Function', 'eval(']) {
        const at = source.indexOf(forbidden);
        assert.equal(
          at,
          -1,
          `${build.script} contains ${forbidden}: …${source.slice(at - 60, at + 60)}…`,
        );
      }
    });
  }
});

// What each page computes; the answers must equal those of Node.
function exercise(core) {
  const reader = core.createReader({ by: 'segment' });
  reader.push('score,segment,comment\n9,web,"fast, clear"\n');
  reader.push(new TextEncoder().encode('3,app,slow\n7,web,ok\n'));
  return {
    summary: core.summarize({ promoters: 50, passives: 30, detractors: 20 }),
    comparison: core.compare([9, 10, 3, 7], [0, 1, 10], { method: 'wald' }),
    read: reader.finish(),
  };
}

const exerciseSource = `const exercise = ${exercise.toString()};`;
const describeError = `(error) => ({ error: error.name, code: error.code, message: error.message, isNpsError: error instanceof NpsKitCore.NpsError })`;

const pageScript = `${exerciseSource}
window.outcome = NpsKitCore().then(exercise, ${describeError});`;

// In a worker the .wasm file is found relative to the worker's own script
// unless locateFile says otherwise.
const workerScript = `${exerciseSource}
const core = new URL(new URL(self.location.href).searchParams.get('core'), self.location.href);
importScripts(core.href);
NpsKitCore({ locateFile: (name) => new URL(name, core).href })
  .then(exercise, ${describeError})
  .then((outcome) => postMessage(outcome));`;

const startWorker = `window.outcome = new Promise((resolve) => {
  const script = new URL(document.currentScript.src);
  const worker = new Worker(new URL('worker.js?core=/' + script.searchParams.get('core'), script));
  worker.onmessage = (event) => resolve(event.data);
  worker.onerror = (event) => resolve({ error: 'worker', message: event.message });
});`;

const policies = {
  wasm: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'",
  strict: "default-src 'self'; script-src 'self'",
};

function javascript(source, policy) {
  return (request, response) => {
    response.writeHead(200, {
      'content-type': 'text/javascript; charset=utf-8',
      'content-security-policy': policy,
    });
    response.end(source);
  };
}

function page(scripts, policy) {
  const tags = scripts.map((src) => `<script src="${src}"></script>`).join('\n');
  return {
    body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>core</title>\n${tags}\n</html>`,
    headers: { 'content-security-policy': policy },
  };
}

describe('in Chromium', () => {
  let server;
  let browser;
  let expected;
  const pages = {};
  const routes = {};

  before(async () => {
    expected = exercise(await loadCore(builds[0]));
    for (const [policyName, policy] of Object.entries(policies)) {
      routes[`/${policyName}/page.js`] = javascript(pageScript, policy);
      routes[`/${policyName}/worker.js`] = javascript(workerScript, policy);
      routes[`/${policyName}/start-worker.js`] = javascript(startWorker, policy);
      for (const build of builds) {
        pages[`/${policyName}/${build.script}/page.html`] = page(
          [`/${build.script}`, `/${policyName}/page.js`],
          policy,
        );
        pages[`/${policyName}/${build.script}/worker.html`] = page(
          [`/${policyName}/start-worker.js?core=${build.script}`],
          policy,
        );
      }
    }
    server = await startServer({ root: distDir, routes, pages });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function outcomeOf(url) {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const pageErrors = [];
      tab.on('pageerror', (error) => pageErrors.push(error.message));
      await tab.goto(`${server.url}${url}`);
      const outcome = await tab.evaluate(() => window.outcome);
      return { outcome, pageErrors };
    } finally {
      await context.close();
    }
  }

  // The build that needs no WebAssembly: the only one a strict policy allows.
  const wasm2js = builds.find((build) => build.name === 'wasm2js');
  const cases = [
    ['wasm', builds[0], 'a classic script'],
    ['wasm', wasm2js, 'a classic script'],
    ['strict', wasm2js, 'a classic script'],
    ['wasm', builds[0], 'a Web Worker'],
    ['strict', wasm2js, 'a Web Worker'],
  ];
  for (const [policyName, build, how] of cases) {
    test(`${build.script} in ${how} under script-src ${policies[policyName].split('script-src ')[1]}`, async () => {
      const file = how === 'a Web Worker' ? 'worker.html' : 'page.html';
      const { outcome, pageErrors } = await outcomeOf(`/${policyName}/${build.script}/${file}`);
      assert.deepEqual(pageErrors, []);
      assert.equal(outcome.error, undefined, outcome.message);
      assert.deepEqual(outcome, expected);
    });
  }

  test('the WebAssembly build where WebAssembly is forbidden rejects with load_failed', async () => {
    const { outcome, pageErrors } = await outcomeOf(`/strict/${builds[0].script}/page.html`);
    assert.deepEqual(pageErrors, [], 'nothing is thrown into the page');
    assert.equal(outcome.error, 'NpsError');
    assert.equal(outcome.code, 'load_failed');
    assert.equal(outcome.isNpsError, true);
    assert.match(outcome.message, /WebAssembly|wasm/i);
  });
});
