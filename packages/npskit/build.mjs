// Assembles the npm package before `npm pack`: the widget and core files of
// the repository's dist/ (built by `./run build`) go into dist/ unchanged, so
// a bundled app loads the very files a <script> tag would, and npskit/core is
// the one shared core loader (web/src/core.js) as an ES module.
import { build } from 'esbuild';
import { cp, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.dirname(fileURLToPath(import.meta.url));
const repoDist = path.join(packageDir, '..', '..', 'dist');
const files = [
  'npskit.js',
  'npskit-ui.js',
  'npskit-queue.js',
  'npskit-live.js',
  'npskit.css',
  'npskit-core.js',
  'npskit-core.wasm',
  // Loaded instead of npskit-core.js where the browser validates SIMD128.
  'npskit-core.simd.js',
  'npskit-core.simd.wasm',
  'npskit-core.wasm2js.js',
  // Marks npskit-core.js as CommonJS for require() under this ES module package.
  'package.json',
];

const missing = [];
for (const file of files) {
  if (!(await stat(path.join(repoDist, file)).catch(() => null))) missing.push(file);
}
if (missing.length) {
  console.error(`dist/ lacks ${missing.join(', ')}; run ./run build first`);
  process.exit(1);
}

const target = path.join(packageDir, 'dist');
await rm(target, { recursive: true, force: true });
await mkdir(path.join(target, 'locales'), { recursive: true });
for (const file of files) await cp(path.join(repoDist, file), path.join(target, file));
for (const file of await readdir(path.join(repoDist, 'locales'))) {
  await cp(path.join(repoDist, 'locales', file), path.join(target, 'locales', file));
}

await build({
  entryPoints: [path.join(packageDir, 'src', 'load-core.js')],
  outfile: path.join(packageDir, 'core.js'),
  bundle: true,
  format: 'esm',
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
});
