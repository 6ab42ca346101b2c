// The one loader of the scoring core, shared by the widget's live panel (a
// page) and the calculator's engine worker: probe whether this context may
// compile WebAssembly, load dist/npskit-core.js, and fall back to its wasm2js
// build (same API) when the policy forbids WebAssembly or the module fails to
// start. One cached promise per context; a failed load (an Emscripten abort
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
 * resolves to {core, engine}, engine being "wasm" or "wasm2js".
 */
export function loadCore(base) {
  const start = (file, engine) =>
    loadClassicScript(base + file)
      .then(() => self.NpsKitCore({ locateFile: (name) => base + name }))
      .then((core) => ({ core, engine }));
  return (loading ||= (canCompileWebAssembly() ? start('npskit-core.js', 'wasm') : Promise.reject())
    .catch(() => start('npskit-core.wasm2js.js', 'wasm2js'))
    .catch((error) => {
      loading = null;
      throw error;
    }));
}
