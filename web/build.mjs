// Builds the widget into dist/: the loader (npskit.js), the lazily loaded
// chunks (npskit-ui.js, npskit-live.js, npskit-queue.js), the stylesheet (npskit.css), one
// file per locale (locales/<code>.json) and the hosted survey page (survey/). Prints every file's size, raw and
// gzip, and fails when the loader outgrows what every page view may pay; then
// the Subresource Integrity hash of every file in dist/, for sites that load
// npskit from another origin with `integrity` and `crossorigin`.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.join(webDir, '..', 'dist');
const loaderBudget = 5 * 1024;
// Browsers from early 2021 on: everything the widget relies on (shadow DOM,
// constructable stylesheets where present, fetch keepalive) exists there.
const target = 'es2020';

await mkdir(path.join(distDir, 'locales'), { recursive: true });

const chunks = {
  'npskit.js': 'loader.js',
  'npskit-ui.js': 'ui.js',
  'npskit-live.js': 'live.js',
  'npskit-queue.js': 'queue.js',
};
for (const [output, entry] of Object.entries(chunks)) {
  await build({
    entryPoints: [path.join(webDir, 'src', entry)],
    outfile: path.join(distDir, output),
    bundle: true,
    format: 'iife',
    minify: true,
    target,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

// tokens.css first: the widget rules read the custom properties it defines.
const css =
  (await readFile(path.join(webDir, 'tokens.css'), 'utf8')) +
  (await readFile(path.join(webDir, 'widget.css'), 'utf8'));
const styles = await build({
  stdin: { contents: css, loader: 'css', resolveDir: webDir },
  write: false,
  minify: true,
  target,
  logLevel: 'warning',
});
await writeFile(path.join(distDir, 'npskit.css'), styles.outputFiles[0].contents);

const localeDir = path.join(webDir, 'locales');
const english = JSON.parse(await readFile(path.join(localeDir, 'en.json'), 'utf8'));
for (const file of (await readdir(localeDir)).filter((name) => name.endsWith('.json')).sort()) {
  const strings = JSON.parse(await readFile(path.join(localeDir, file), 'utf8'));
  const missing = Object.keys(english).filter(
    (key) => typeof strings[key] !== 'string' || !strings[key].trim(),
  );
  if (missing.length)
    throw new Error(
      `web/locales/${file} lacks ${missing.join(', ')} (every key of en.json is required)`,
    );
  await writeFile(path.join(distDir, 'locales', file), JSON.stringify(strings));
}

// The hosted survey page (dist/survey/): the page, its script (the survey UI
// and the delivery queue bundled with it), the widget's styles and locales
// beside them, so the folder works from any static host on its own.
const surveyDir = path.join(distDir, 'survey');
await mkdir(path.join(surveyDir, 'assets', 'locales'), { recursive: true });
await build({
  entryPoints: [path.join(webDir, 'src', 'page.js')],
  outfile: path.join(surveyDir, 'assets', 'survey.js'),
  bundle: true,
  format: 'iife',
  minify: true,
  target,
  legalComments: 'none',
  logLevel: 'warning',
});
const pageStyles = await build({
  stdin: {
    contents:
      (await readFile(path.join(webDir, 'tokens.css'), 'utf8')) +
      (await readFile(path.join(webDir, 'survey', 'page.css'), 'utf8')),
    loader: 'css',
    resolveDir: webDir,
  },
  write: false,
  minify: true,
  target,
  logLevel: 'warning',
});
await writeFile(path.join(surveyDir, 'assets', 'page.css'), pageStyles.outputFiles[0].contents);
await copyFile(path.join(distDir, 'npskit.css'), path.join(surveyDir, 'assets', 'npskit.css'));
for (const file of await readdir(path.join(distDir, 'locales')))
  await copyFile(
    path.join(distDir, 'locales', file),
    path.join(surveyDir, 'assets', 'locales', file),
  );
await copyFile(path.join(webDir, 'survey', 'index.html'), path.join(surveyDir, 'index.html'));

const rows = [];
for (const file of [
  ...Object.keys(chunks),
  'npskit.css',
  'locales/en.json',
  'survey/assets/survey.js',
]) {
  const data = await readFile(path.join(distDir, file));
  rows.push([file, data.length, gzipSync(data, { level: 9 }).length]);
}
for (const [file, raw, gzip] of rows) {
  console.log(
    `${file.padEnd(24)} ${String(raw).padStart(7)} B  ${String(gzip).padStart(6)} B gzip`,
  );
}

// The scoring core comes from the CMake builds into the same folder; it is
// listed when it is there.
const hashed = [...Object.keys(chunks), 'npskit.css'];
for (const file of ['npskit-core.js', 'npskit-core.wasm', 'npskit-core.wasm2js.js']) {
  if (await readFile(path.join(distDir, file)).catch(() => null)) hashed.push(file);
}
hashed.push(...(await readdir(path.join(distDir, 'locales'))).sort().map((f) => 'locales/' + f));
console.log('\nSubresource Integrity (integrity="..." crossorigin="anonymous"):');
for (const file of hashed) {
  const digest = createHash('sha384')
    .update(await readFile(path.join(distDir, file)))
    .digest('base64');
  console.log(`${file.padEnd(24)} sha384-${digest}`);
}

const loaderGzip = rows[0][2];
if (loaderGzip > loaderBudget) {
  console.error(
    `dist/npskit.js is ${loaderGzip} B gzip, over the ${loaderBudget} B every page view may pay`,
  );
  process.exit(1);
}
