// Shared helpers for the browser end-to-end suites: a static file server with
// optional recording endpoints on 127.0.0.1, headless Debian Chromium through
// playwright-core, axe-core checks and console-error collection.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const distDir = path.join(repoRoot, 'dist');

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` on 127.0.0.1 at a free port.
 * `routes` maps a path ("/collect") to `async (req, res, body) => void`;
 * `pages` maps a path to `{ body, headers }` served as HTML (for test pages
 * with their own CSP). Every request is recorded in `requests`.
 */
export async function startServer({ root = distDir, routes = {}, pages = {}, headers = {} } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({
      method: req.method,
      path: url.pathname,
      headers: req.headers,
      body,
      time: Date.now(),
    });
    try {
      if (routes[url.pathname]) return await routes[url.pathname](req, res, body);
      if (pages[url.pathname]) {
        const page = pages[url.pathname];
        res.writeHead(200, {
          'content-type': contentTypes['.html'],
          ...headers,
          ...(page.headers || {}),
        });
        return res.end(page.body);
      }
      const file = path.join(root, decodeURIComponent(url.pathname));
      if (!file.startsWith(root)) {
        res.writeHead(403);
        return res.end();
      }
      const target = (await stat(file).catch(() => null))?.isDirectory()
        ? path.join(file, 'index.html')
        : file;
      const data = await readFile(target);
      res.writeHead(200, {
        'content-type': contentTypes[path.extname(target)] || 'application/octet-stream',
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(data);
    } catch {
      if (!res.headersSent) res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** Headless Debian Chromium; never a downloaded browser. */
export function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
    ...options,
  });
}

/**
 * Collects console errors and uncaught page errors of `page`, except console
 * errors about a URL that `ignoreUrl` accepts.
 */
export function watchErrors(page, ignoreUrl = () => false) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() !== 'error' || ignoreUrl(message.location().url)) return;
    errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/**
 * watchErrors for the calculator, except its probe for a collector: on a
 * static host api/health does not exist, and Chromium logs that 404 as a
 * console error.
 */
export const calculatorErrors = (page) => watchErrors(page, (url) => url.endsWith('/api/health'));

const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core for WCAG 2.0/2.1 A and AA in the page (including open shadow
 * roots) and returns the violations, each as "rule-id: target (summary)".
 */
export async function axeViolations(page, context = undefined) {
  await page.addScriptTag({ content: axeSource }).catch(async () => {
    // A strict CSP blocks inline scripts: evaluate through the debugger instead.
    await page.evaluate(axeSource);
  });
  const results = await page.evaluate(async (ctx) => {
    const outcome = await window.axe.run(ctx || document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return outcome.violations.map((v) => ({
      id: v.id,
      targets: v.nodes.map(
        (n) => JSON.stringify(n.target) + ' ' + (n.failureSummary || '').replace(/\s+/g, ' '),
      ),
    }));
  }, context);
  return results.flatMap((v) => v.targets.map((t) => `${v.id}: ${t}`));
}
