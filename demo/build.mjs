// Builds the static demo site into dist/demo/: the two pages, their bundled
// scripts (Chart.js included, nothing loaded from elsewhere at run time), the
// stylesheet with the widget's design tokens, the core (WASM and wasm2js) and
// the widget. Expects dist/npskit-core.* and dist/npskit.js to be built.
import { build } from 'esbuild';
import { copyFile, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSampleExport } from './src/sample-data.mjs';

const demoDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(demoDir);
const distDir = path.join(repoRoot, 'dist');
const outDir = path.join(distDir, 'demo');

async function exists(file) {
  return (await stat(file).catch(() => null)) !== null;
}

async function requireInputs() {
  const needed = [
    'npskit-core.js',
    'npskit-core.wasm',
    'npskit-core.simd.js',
    'npskit-core.simd.wasm',
    'npskit.js',
  ];
  const missing = [];
  for (const name of needed)
    if (!(await exists(path.join(distDir, name)))) missing.push(`dist/${name}`);
  if (!(await exists(path.join(repoRoot, 'web', 'tokens.css')))) missing.push('web/tokens.css');
  if (missing.length) {
    console.error(
      `demo/build.mjs: missing ${missing.join(', ')}; build the core (./run build) and the widget ` +
        '(node web/build.mjs) first',
    );
    process.exit(1);
  }
  if (!(await exists(path.join(distDir, 'npskit-core.wasm2js.js')))) {
    console.error(
      'demo/build.mjs: dist/npskit-core.wasm2js.js is missing; the calculator will not work on pages ' +
        'whose Content-Security-Policy forbids WebAssembly',
    );
  }
}

// The widget's files (script, lazy chunks, styles, locales) sit at the top of
// dist/; the demo pages load them from their own folder so the site stays
// relocatable as a whole.
async function copyBuiltInputs() {
  for (const entry of await readdir(distDir, { withFileTypes: true })) {
    if (entry.name === 'demo') continue;
    const from = path.join(distDir, entry.name);
    const to = path.join(outDir, entry.name);
    if (entry.isDirectory()) await cp(from, to, { recursive: true });
    else await copyFile(from, to);
  }
}

async function bundle() {
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
      calculator: path.join(demoDir, 'src', 'calc', 'main.js'),
      home: path.join(demoDir, 'src', 'home.js'),
      'engine-worker': path.join(demoDir, 'src', 'engine-worker.js'),
    },
    outdir: outDir,
    format: 'iife',
  });
  await build({
    ...common,
    entryPoints: { site: path.join(demoDir, 'styles', 'site.css') },
    outdir: outDir,
    loader: { '.svg': 'dataurl' },
  });
}

async function copyStatic() {
  for (const name of await readdir(demoDir)) {
    if (name.endsWith('.html') || name === 'favicon.svg') {
      await copyFile(path.join(demoDir, name), path.join(outDir, name));
    }
  }
  await mkdir(path.join(outDir, 'samples'), { recursive: true });
  await writeFile(path.join(outDir, 'samples', 'survey-export.csv'), generateSampleExport());
}

await requireInputs();
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
await copyBuiltInputs();
await bundle();
await copyStatic();
const size = (await readFile(path.join(outDir, 'calculator.js'))).length;
console.error(
  `demo built into ${path.relative(process.cwd(), outDir) || '.'} (calculator.js ${Math.round(size / 1024)} KiB)`,
);
