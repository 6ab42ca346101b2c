// npskit/core: the scoring core in a page or worker, through the same loader
// the live panel uses (WebAssembly, or its wasm2js build where a policy
// forbids WebAssembly), from the folder where the site serves this package's
// dist/ files.
import { loadCore as loadFrom } from '../../../web/src/core.js';

export function loadCore(path = '/npskit/') {
  if (typeof location === 'undefined') {
    return Promise.reject(
      new Error(
        'npskit/core loads in a browser page or worker; in Node, require npskit/dist/npskit-core.js',
      ),
    );
  }
  const folder = new URL(path.endsWith('/') ? path : path + '/', location.href).href;
  return loadFrom(folder);
}
