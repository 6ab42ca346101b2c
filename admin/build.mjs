// Builds the collector's dashboard and inbox into dist/admin/, which
// `npskit serve` serves at /admin/: the page (with the calculator's results
// markup taken from demo/calculator.html, so both pages show the same views),
// its bundled script and stylesheet, the calculator's engine worker and the
// core (WASM and wasm2js). Expects dist/npskit-core.* to be built.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const adminDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(adminDir);
const distDir = path.join(repoRoot, 'dist');
const outDir = path.join(distDir, 'admin');
const marker = '<!-- calculator results -->';

async function exists(file) {
  return (await stat(file).catch(() => null)) !== null;
}

// The calculator's results section, from its opening tag to the matching
// closing one.
function resultsMarkup(calculatorHtml) {
  const start = calculatorHtml.indexOf('<section class="results" id="results"');
  if (start < 0) throw new Error('demo/calculator.html: no <section class="results" id="results">');
  const tag = /<\/?section\b/g;
  tag.lastIndex = start;
  let depth = 0;
  for (let match; (match = tag.exec(calculatorHtml));) {
    depth += match[0] === '<section' ? 1 : -1;
    if (depth === 0) {
      const end = calculatorHtml.indexOf('>', match.index) + 1;
      return calculatorHtml.slice(start, end);
    }
  }
  throw new Error('demo/calculator.html: the results section is not closed');
}

if (!(await exists(path.join(distDir, 'npskit-core.js')))) {
  console.error(
    'admin/build.mjs: dist/npskit-core.js is missing; build the core first (./run build)',
  );
  process.exit(1);
}
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  target: ['chrome100', 'firefox100', 'safari15'],
  legalComments: 'linked',
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: {
    admin: path.join(adminDir, 'src', 'main.js'),
    'engine-worker': path.join(repoRoot, 'demo', 'src', 'engine-worker.js'),
  },
  outdir: outDir,
  format: 'iife',
});
await build({
  ...common,
  entryPoints: { admin: path.join(adminDir, 'admin.css') },
  outdir: outDir,
  loader: { '.svg': 'dataurl' },
});

const page = await readFile(path.join(adminDir, 'index.html'), 'utf8');
if (!page.includes(marker)) throw new Error(`admin/index.html: the marker ${marker} is missing`);
const calculator = await readFile(path.join(repoRoot, 'demo', 'calculator.html'), 'utf8');
await writeFile(path.join(outDir, 'index.html'), page.replace(marker, resultsMarkup(calculator)));
await copyFile(path.join(repoRoot, 'demo', 'favicon.svg'), path.join(outDir, 'favicon.svg'));
for (const name of [
  'npskit-core.js',
  'npskit-core.wasm',
  'npskit-core.simd.js',
  'npskit-core.simd.wasm',
  'npskit-core.wasm2js.js',
]) {
  if (await exists(path.join(distDir, name))) {
    await copyFile(path.join(distDir, name), path.join(outDir, name));
  }
}
const size = (await readFile(path.join(outDir, 'admin.js'))).length;
console.error(`dashboard built into dist/admin (admin.js ${Math.round(size / 1024)} KiB)`);
