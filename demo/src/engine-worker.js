// The calculator's engine: loads the npskit core (WebAssembly, or its wasm2js
// build where the page's policy forbids WebAssembly) and runs every statistic
// and every file read off the main thread, so the page stays responsive while
// a large export streams through the core's readers.
import { loadCore } from '../../web/src/core.js';

const chunkSize = 1 << 20;
const progressInterval = 60;

const cancelled = new Set();
const coreFolder = new URL('.', self.location.href).href;

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
  const headers = source.token ? { Authorization: `Bearer ${source.token}` } : {};
  const response = await fetch(source.url, { cache: 'no-store', headers });
  if (response.status === 401) {
    throw Object.assign(
      new Error(
        source.token
          ? 'this collector refused the admin token; check it and try again'
          : 'this collector needs its admin token',
      ),
      { code: 'unauthorized' },
    );
  }
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
  const { core } = await loadCore(coreFolder);
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
    const { engine, simd } = await loadCore(coreFolder);
    return { engine, simd };
  },
  async summarize({ input, options }) {
    return (await loadCore(coreFolder)).core.summarize(input, options);
  },
  async compare({ a, b, options }) {
    return (await loadCore(coreFolder)).core.compare(a, b, options);
  },
  async compareToBenchmark({ input, benchmark, options }) {
    return (await loadCore(coreFolder)).core.compareToBenchmark(input, benchmark, options);
  },
  async sampleSize({ plan }) {
    return (await loadCore(coreFolder)).core.sampleSize(plan);
  },
  async ratingSampleSize({ metric, plan }) {
    return (await loadCore(coreFolder)).core.ratings.sampleSize(metric, plan);
  },
  // Pasted CSAT or CES ratings read and summarized by the core.
  async ratingsFromText({ metric, text, options }) {
    const { core } = await loadCore(coreFolder);
    const pasted = core.ratings.parse(metric, text);
    const summary = core.ratings.summarize(metric, { histogram: pasted.histogram }, options);
    return { summary, rejected: pasted.rejected, rejections: pasted.rejections };
  },
  async profileColumns({ input, format, truncated }) {
    return (await loadCore(coreFolder)).core.profileColumns(input, { format, truncated });
  },
  async parseScores({ text }) {
    return (await loadCore(coreFolder)).core.parseScores(text);
  },
  async defaults() {
    const { core } = await loadCore(coreFolder);
    return {
      categories: [...core.scoreCategories],
      bands: core.defaultBands(),
      method: core.defaultMethod,
      confidence: core.defaultConfidence,
    };
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
