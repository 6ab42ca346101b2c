// npskit as an ES module. Importing it does nothing, on a server as in a
// browser. init() loads npskit.js from its `path` option (where the site
// serves this package's dist/ files) exactly as the <script> tag would.
// Calls made before it has loaded, before init() too, wait in the same queue
// as the tag's stub and are replayed in order.
const methods = ['init', 'show', 'hide', 'on', 'off', 'track', 'live', 'consent'];
let folder = '/npskit/';
let loading = null;

const inBrowser = () => typeof window !== 'undefined' && typeof document !== 'undefined';

function queue() {
  const kit = (window.NpsKit = window.NpsKit || { q: [] });
  for (const method of methods) {
    kit[method] =
      kit[method] ||
      function () {
        kit.q.push([method, arguments]);
      };
  }
  return kit;
}

/** Resolves to the running widget (window.NpsKit) once npskit.js has loaded. */
export function load() {
  if (!inBrowser()) return Promise.reject(new Error('npskit runs in a browser page'));
  queue();
  return (loading =
    loading ||
    new Promise((resolve, reject) => {
      if (window.NpsKit.version) return resolve(window.NpsKit);
      const script = document.createElement('script');
      script.async = true;
      script.src = new URL(folder + 'npskit.js', location.href).href;
      script.onload = () => resolve(window.NpsKit);
      script.onerror = () => {
        loading = null;
        script.remove();
        reject(new Error(`could not load ${script.src}`));
      };
      document.head.appendChild(script);
    }));
}

function call(method, args) {
  if (!inBrowser()) return undefined;
  return queue()[method].apply(null, args);
}

export function init(options) {
  if (options && typeof options.path === 'string') {
    folder = options.path.endsWith('/') ? options.path : options.path + '/';
    options = Object.assign({}, options);
    delete options.path;
  }
  call('init', [options]);
  if (inBrowser()) load().catch((error) => console.warn('npskit: ' + error.message));
}

export const show = (request) => void call('show', request === undefined ? [] : [request]);
export const hide = () => void call('hide', []);
export const track = (name) => void call('track', [name]);
export const consent = (granted) => void call('consent', [granted]);
export const off = (name, handler) => void call('off', [name, handler]);

export function on(name, handler) {
  call('on', [name, handler]);
  return () => off(name, handler);
}

export function live(element, options) {
  const panel = inBrowser()
    ? load().then((kit) => kit.live(element, options))
    : Promise.resolve(undefined);
  const after = (action) => panel.then((handle) => handle && action(handle)).catch(() => undefined);
  return {
    update: (source) => void after((handle) => handle.update(source)),
    destroy: () => void after((handle) => handle.destroy()),
  };
}
