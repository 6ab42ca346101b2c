// The scoring core for the live panel: one instance per page, whichever
// panel asks first.
import { loadScript } from './load.js';

// A CSP without 'wasm-unsafe-eval' makes compiling any module throw, so an
// 8-byte empty module tells whether the WebAssembly build can run here.
function canCompileWebAssembly() {
  try {
    return (
      new WebAssembly.Module(Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0)) instanceof
      WebAssembly.Module
    );
  } catch {
    return false;
  }
}

let core = null;

/** The core: WebAssembly where allowed, else its wasm2js build (same API). */
export function loadCore(base) {
  const start = (file) =>
    loadScript(base + file).then(() => window.NpsKitCore({ locateFile: (name) => base + name }));
  return (core ||= (canCompileWebAssembly() ? start('npskit-core.js') : Promise.reject())
    .catch(() => start('npskit-core.wasm2js.js'))
    .catch((error) => {
      core = null;
      throw error;
    }));
}
