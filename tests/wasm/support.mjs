// Shared by the suites of the built core: every build loaded the way a Node
// application loads them (require() of the CommonJS file), and the native
// `npskit` command whose JSON they must reproduce.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const distDir = path.join(repoRoot, 'dist');

export const builds = [
  { name: 'WebAssembly', script: 'npskit-core.js', wasm: 'npskit-core.wasm' },
  // Node 20's V8 has SIMD128, so the module browsers with SIMD load runs here.
  { name: 'WebAssembly SIMD', script: 'npskit-core.simd.js', wasm: 'npskit-core.simd.wasm' },
  { name: 'wasm2js', script: 'npskit-core.wasm2js.js' },
];

/** The NpsKitCore factory exported by a build's script. */
export function factoryOf(build) {
  return require(path.join(distDir, build.script));
}

/**
 * A fresh instance of a build. The .wasm bytes are handed over, as the
 * documentation asks of Node callers: Emscripten 3.1.6 would fetch() a path.
 */
export function loadCore(build, settings = {}) {
  const wasmBinary = build.wasm ? readFileSync(path.join(distDir, build.wasm)) : undefined;
  return factoryOf(build)({ wasmBinary, ...settings });
}

export const npskitBinary = path.resolve(repoRoot, process.env.NPSKIT_BIN || 'build/bin/npskit');

/** `npskit ARGS...` run to completion: {status, stdout, stderr}. */
export function npskitRun(...args) {
  const run = spawnSync(npskitBinary, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.error) {
    throw new Error(
      `cannot run ${npskitBinary} (build it, or set NPSKIT_BIN): ${run.error.message}`,
    );
  }
  return run;
}

const cliAnswers = new Map();

/** The parsed JSON that `npskit ARGS...` prints; fails the test on a non-zero exit. */
export function npskitJson(...args) {
  const key = JSON.stringify(args);
  if (!cliAnswers.has(key)) {
    const run = npskitRun(...args);
    if (run.status !== 0) {
      throw new Error(`npskit ${args.join(' ')} exited with ${run.status}: ${run.stderr}`);
    }
    cliAnswers.set(key, JSON.parse(run.stdout));
  }
  return structuredClone(cliAnswers.get(key));
}

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
