// Runs every bench/*.bench.mjs in turn (or those named on the command line),
// each in its own Node process so one benchmark's memory does not skew the
// next. Each prints a markdown section and writes bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
mkdirSync(path.join(benchDir, 'results'), { recursive: true });

const wanted = process.argv.slice(2);
const benches = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => wanted.length === 0 || wanted.includes(file.replace('.bench.mjs', '')))
  .sort();

if (benches.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const file of benches) {
  console.error(`==> bench: ${file}`);
  const run = spawnSync(process.execPath, ['--expose-gc', path.join(benchDir, file)], {
    stdio: 'inherit',
    cwd: path.dirname(benchDir),
  });
  if (run.status !== 0) {
    console.error(`bench ${file} failed with exit code ${run.status}`);
    failed += 1;
  }
}
process.exit(failed ? 1 : 0);
