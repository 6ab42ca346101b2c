// The npm package as a developer meets it: `npm pack`, installed from the
// tarball into a new project without the network, type-checked with tsc,
// bundled with esbuild, and run in Chromium until an answer is posted; and
// imported on a server, where it must do nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { launchBrowser, repoRoot, startServer, watchErrors } from './support.mjs';
import { collector, eventually } from './fixtures/widget/harness.mjs';

const run = promisify(execFile);
const packageDir = path.join(repoRoot, 'packages', 'npskit');
const manifest = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8'));
const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');

let work;
let app;
let tarball;

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'npskit-package-'));
  const { stdout } = await run('npm', ['pack', '--pack-destination', work, '--loglevel=error'], {
    cwd: packageDir,
    timeout: 120000,
  });
  tarball = stdout.trim().split('\n').pop();
  app = path.join(work, 'app');
  await mkdir(path.join(app, 'src'), { recursive: true });
  await writeFile(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'shop',
      private: true,
      type: 'module',
      dependencies: { npskit: `file:../${tarball}` },
    }),
  );
  await run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
    { cwd: app, timeout: 120000 },
  );
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const appSource = `import { init, on, show, track, type ResponsePayload, type Summary } from 'npskit';
import { loadCore } from 'npskit/core';

const answers: ResponsePayload[] = [];
on('response', (payload) => {
  answers.push(payload);
  if (payload.metric === undefined || payload.metric === 'nps') {
    document.body.dataset.category = payload.category;
  }
});
on('delivered', (detail) => {
  document.body.dataset.delivered = detail.id;
});
init({
  path: '/assets/npskit/',
  endpoint: '/collect',
  survey: 'shop-nps',
  mode: 'inline',
  target: '#slot',
  trigger: 'event',
  event: 'checkout',
  companion: 'csat',
  thankYouSeconds: 0,
});
track('checkout');
show();
loadCore('/assets/npskit/').then(({ core, engine }) => {
  const summary: Summary = core.summarize({ promoters: 5, passives: 3, detractors: 2 });
  document.body.dataset.nps = String(summary.nps);
  const reader = core.createReader({ format: 'csv', csatColumn: 'csat', foldGroupsBelow: 5 });
  reader.push('score,csat\\n9,5\\n');
  const csat = reader.finish().csat;
  if (csat?.share_interval) document.body.dataset.csatLow = String(csat.share_interval.low);
  document.body.dataset.engine = engine;
});
`;

async function typeCheck(files) {
  await writeFile(
    path.join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'es2020',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['es2020', 'dom'],
        types: [],
      },
      files,
    }),
  );
  return run(tsc, ['--noEmit', '-p', 'tsconfig.json'], { cwd: app, timeout: 120000 }).then(
    () => '',
    (error) => error.stdout + error.stderr,
  );
}

test('npm pack names the tarball npskit-VERSION.tgz; MIT, ES module, free of side effects', () => {
  assert.equal(tarball, `npskit-${manifest.version}.tgz`);
  assert.equal(manifest.name, 'npskit');
  assert.equal(manifest.license, 'MIT');
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.type, 'module');
});

test('the declarations type-check an app, and reject a wrong option and a wrong payload field', async () => {
  await writeFile(path.join(app, 'src', 'app.ts'), appSource);
  assert.equal(await typeCheck(['src/app.ts']), '');

  await writeFile(
    path.join(app, 'src', 'wrong.ts'),
    `import { init, on } from 'npskit';
import { loadCore } from 'npskit/core';
init({ metric: 'nsp' });
on('response', (payload) => payload.scroe);
loadCore('/').then(({ core }) => core.createReader({ csatColum: 'csat' }).finish().csat?.shrae);
`,
  );
  const report = await typeCheck(['src/wrong.ts']);
  assert.match(report, /wrong\.ts\(3,/, 'the misspelled metric');
  assert.match(report, /wrong\.ts\(4,.*scroe/, 'the misspelled payload field');
  assert.match(report, /wrong\.ts\(5,.*csatColum/, 'the misspelled reader option');
  assert.match(report, /wrong\.ts\(5,.*shrae/, 'the misspelled CSAT field');
});

test('the bundled app asks in Chromium, posts the answer, and reaches the core', async () => {
  const publicDir = path.join(work, 'public');
  await writeFile(path.join(app, 'src', 'app.ts'), appSource);
  await build({
    entryPoints: [path.join(app, 'src', 'app.ts')],
    outfile: path.join(publicDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'warning',
  });
  // What a site does with the package's files: serve them under one folder.
  await cp(
    path.join(app, 'node_modules', 'npskit', 'dist'),
    path.join(publicDir, 'assets', 'npskit'),
    { recursive: true },
  );
  await writeFile(
    path.join(publicDir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><main><h1>Shop</h1><div id="slot"></div></main><script type="module" src="/app.js"></script></body></html>`,
  );
  const endpoint = collector();
  const server = await startServer({
    root: publicDir,
    routes: {
      '/collect': endpoint.route,
      '/favicon.ico': (req, res) => res.writeHead(204).end(),
    },
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + '/index.html');
    await page.locator('npskit-survey label[for="score-9"]').click();
    await page.locator('npskit-survey .follow-up .submit').click();
    await page.locator('npskit-survey #companion-question').waitFor({ state: 'visible' });
    await page.locator('npskit-survey label[for="companion-5"]').click();
    await page.locator('npskit-survey .companion .submit').click();
    const posted = await eventually(
      () => endpoint.accepted().length === 2 && endpoint.accepted(),
      'the NPS and companion answers',
    );
    assert.deepEqual(
      posted.map((body) => [body.survey, body.metric, body.score]),
      [
        ['shop-nps', undefined, 9],
        ['shop-nps', 'csat', 5],
      ],
    );
    assert.equal(posted[1].answer_id, posted[0].id);
    const data = await eventually(
      () => page.evaluate(() => document.body.dataset.nps && { ...document.body.dataset }),
      'the core',
    );
    assert.equal(data.category, 'promoter');
    assert.equal(data.nps, '30');
    assert.equal(data.engine, 'wasm');
    const loaded = server.requests.map((request) => request.path);
    assert.ok(loaded.includes('/assets/npskit/npskit.js'), 'the same loader as the script tag');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('imported on a server, the package does nothing and throws nothing', async () => {
  const installed = path.join(app, 'node_modules', 'npskit');
  const entry = await import(pathToFileURL(path.join(installed, 'src', 'index.js')).href);
  assert.equal(typeof globalThis.window, 'undefined');
  assert.equal(entry.init({ endpoint: '/collect' }), undefined);
  assert.equal(entry.show(), undefined);
  assert.equal(typeof entry.on('response', () => {}), 'function');
  assert.equal(typeof globalThis.NpsKit, 'undefined', 'no global written');
  await assert.rejects(entry.load(), /browser/);
  const core = await import(pathToFileURL(path.join(installed, 'core.js')).href);
  await assert.rejects(core.loadCore(), /browser page or worker/);
});
