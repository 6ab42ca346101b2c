// The calculator's engine: loads the npskit core (WebAssembly, or its wasm2js
// build where the page's policy forbids WebAssembly) and runs every statistic
// and every file read off the main thread, so the page stays responsive while
// a large export streams through the core's readers.

const chunkSize = 1 << 20;
const progressInterval = 60;

let corePromise = null;
const cancelled = new Set();

function webAssemblyAllowed() {
  try {
    // The smallest valid module; compiling it fails when the policy forbids it.
    return (
      new WebAssembly.Module(Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0)) instanceof
      WebAssembly.Module
    );
  } catch {
    return false;
  }
}

function loadCore() {
  if (!corePromise) {
    const locateFile = (file) => new URL(file, self.location.href).href;
    const useWasm = typeof WebAssembly === 'object' && webAssemblyAllowed();
    importScripts(useWasm ? 'npskit-core.js' : 'npskit-core.wasm2js.js');
    corePromise = self
      .NpsKitCore({ locateFile })
      .then((core) => ({ core, engine: useWasm ? 'wasm' : 'wasm2js' }));
  }
  return corePromise;
}

function errorOf(failure) {
  return {
    code: failure?.code || 'internal',
    message: failure?.message || String(failure),
  };
}

async function* chunksOf(source, id) {
  if (source.blob) {
    // The next chunk is already being read while the core parses this one.
    // A read left behind by a cancel must not report its failure on its own.
    const blob = source.blob;
    const readAt = (offset) => {
      const reading = blob.slice(offset, offset + chunkSize).arrayBuffer();
      reading.catch(() => {});
      return reading;
    };
    let next = readAt(0);
    for (let offset = 0; offset < blob.size; offset += chunkSize) {
      const current = await next;
      if (cancelled.has(id)) return;
      if (offset + chunkSize < blob.size) next = readAt(offset + chunkSize);
      yield new Uint8Array(current);
    }
    return;
  }
  const response = await fetch(source.url, { cache: 'no-store' });
  if (!response.ok) {
    throw Object.assign(new Error(`${source.url}: the server answered ${response.status}`), {
      code: 'fetch',
    });
  }
  const stream = response.body.getReader();
  for (;;) {
    if (cancelled.has(id)) {
      stream.cancel();
      return;
    }
    const { done, value } = await stream.read();
    if (done) return;
    yield value;
  }
}

// Streams one source once through several readers (one per grouping the
// page shows), reporting bytes read against the total as it goes.
async function read(id, { source, readers, total }) {
  const { core } = await loadCore();
  const open = readers.map((options) => core.createReader(options));
  let bytes = 0;
  let lastReport = 0;
  try {
    for await (const chunk of chunksOf(source, id)) {
      for (const reader of open) reader.push(chunk);
      bytes += chunk.byteLength;
      const now = performance.now();
      if (now - lastReport > progressInterval) {
        lastReport = now;
        postMessage({ id, progress: { bytes, total } });
      }
    }
    if (cancelled.has(id)) {
      for (const reader of open) reader.abort();
      return { cancelled: true, bytes };
    }
    postMessage({ id, progress: { bytes, total: total || bytes } });
    return { summaries: open.map((reader) => reader.finish()), bytes, memory: core.memoryBytes() };
  } catch (failure) {
    for (const reader of open) reader.abort();
    throw failure;
  }
}

const operations = {
  async load() {
    const { engine } = await loadCore();
    return { engine };
  },
  async summarize({ input, options }) {
    return (await loadCore()).core.summarize(input, options);
  },
  async compare({ a, b, options }) {
    return (await loadCore()).core.compare(a, b, options);
  },
  async compareToBenchmark({ input, benchmark, options }) {
    return (await loadCore()).core.compareToBenchmark(input, benchmark, options);
  },
  async sampleSize({ plan }) {
    return (await loadCore()).core.sampleSize(plan);
  },
};

self.onmessage = async ({ data }) => {
  const { id, op } = data;
  if (op === 'cancel') {
    cancelled.add(data.target);
    return;
  }
  try {
    const value = op === 'read' ? await read(id, data) : await operations[op](data);
    postMessage({ id, ok: true, value });
  } catch (failure) {
    postMessage({ id, ok: false, error: errorOf(failure) });
  } finally {
    cancelled.delete(id);
  }
};
