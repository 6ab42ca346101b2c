// Loading the lazy parts. Chunks are classic scripts (no CORS needed when the
// widget is hosted on another origin, allowed by a plain script-src); each
// one hands its exports to the <script> element that loaded it.
const cache = {};

export function loadScript(url) {
  return (cache[url] ||= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.onload = () => resolve(script.npskit);
    script.onerror = () => {
      delete cache[url];
      reject(new Error(`could not load ${url}`));
    };
    document.head.appendChild(script);
  }));
}

export function loadJson(url) {
  return fetch(url, { credentials: 'omit' }).then((response) => {
    if (!response.ok) throw new Error(`could not load ${url} (HTTP ${response.status})`);
    return response.json();
  });
}

/**
 * A shadow host in `parent` whose open shadow root links the widget's
 * stylesheet; `ready` settles when the styles are there, so nothing is ever
 * shown unstyled. A <link> is what a strict style-src 'self' allows.
 */
export function mountShadow(tag, parent, base) {
  const host = document.createElement(tag);
  const root = host.attachShadow({ mode: 'open' });
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = base + 'npskit.css';
  const ready = new Promise((resolve, reject) => {
    link.onload = resolve;
    link.onerror = () => reject(new Error(`could not load ${link.href}`));
  });
  root.appendChild(link);
  parent.appendChild(host);
  return { host, root, ready };
}
