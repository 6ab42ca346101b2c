// The one loader of the scoring core, shared by the widget's live panel (a
// page) and the calculator's engine worker: probe whether this context may
// compile WebAssembly and whether its engine has SIMD, load
// dist/npskit-core.simd.js (readers scanning 16 bytes at a time) or
// dist/npskit-core.js, and fall back to the wasm2js build (same API) when the
// policy forbids WebAssembly or the module fails to start. One cached promise per context; a failed load (an Emscripten abort
// included, which api.js turns into a rejection) clears the cache, so a later
// call tries again instead of inheriting the failure.
import { loadScript } from './load.js';

// A CSP without 'wasm-unsafe-eval' makes compiling any module throw, so an
// 8-byte empty module tells whether the WebAssembly build can run here.
function canCompileWebAssembly() {
  try {
    return (
      typeof WebAssembly === 'object' &&
      new WebAssembly.Module(Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0)) instanceof
        WebAssembly.Module
    );
  } catch {
    return false;
  }
}

// A 29-byte module with one function returning i8x16.splat(0): it validates
// only where the engine implements SIMD128. Elsewhere the plain module loads;
// it scans byte by byte and gives the same results.
// prettier-ignore
const simdProbe = Uint8Array.of(
  0, 97, 115, 109, 1, 0, 0, 0, // magic, version
  1, 5, 1, 96, 0, 1, 123, // types: () -> v128
  3, 2, 1, 0, // functions: one of that type
  10, 8, 1, 6, 0, 65, 0, 253, 15, 11, // code: i32.const 0, i8x16.splat, end
);

function hasWebAssemblySimd() {
  try {
    return WebAssembly.validate(simdProbe);
  } catch {
    return false;
  }
}

// A worker has no <script> element but loads classic scripts synchronously.
function loadClassicScript(url) {
  if (typeof document === 'undefined' && typeof importScripts === 'function') {
    return new Promise((resolve) => {
      importScripts(url);
      resolve();
    });
  }
  return loadScript(url);
}

let loading = null;

/**
 * The core's API from the scripts in the folder `base` (a URL ending in "/"):
 * resolves to {core, engine, simd}, engine being "wasm" or "wasm2js" and
 * simd whether the SIMD build of the WebAssembly module runs.
 */
export function loadCore(base) {
  const start = (file, engine, simd = false) =>
    loadClassicScript(base + file)
      .then(() => self.NpsKitCore({ locateFile: (name) => base + name }))
      .then((core) => ({ core, engine, simd }));
  const webAssembly = () =>
    hasWebAssemblySimd()
      ? start('npskit-core.simd.js', 'wasm', true).catch(() => start('npskit-core.js', 'wasm'))
      : start('npskit-core.js', 'wasm');
  return (loading ||= (canCompileWebAssembly() ? webAssembly() : Promise.reject())
    .catch(() => start('npskit-core.wasm2js.js', 'wasm2js'))
    .catch((error) => {
      loading = null;
      throw error;
    }));
}
