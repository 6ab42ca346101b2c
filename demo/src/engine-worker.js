// The calculator's engine: loads the npskit core (WebAssembly, or its wasm2js
// build where the page's policy forbids WebAssembly) and runs every statistic
// and every file read off the main thread, so the page stays responsive while
// a large export streams through the core's readers.
import { loadCore } from '../../web/src/core.js';

const chunkSize = 1 << 20;
const progressInterval = 60;
// Chunks a feeding worker may have sent that the reading worker has not yet
// taken: the file is never held whole, and reading stays ahead of parsing.
const feedAhead = 4;

const cancelled = new Set();
const coreFolder = new URL('.', self.location.href).href;

function errorOf(failure) {
  return {
    code: failure?.code || 'internal',
    message: failure?.message || String(failure),
  };
}

// Chunks sent by a feeding worker (see feed): each one taken is
// acknowledged, so the feeder reads the next while this worker parses.
async function* chunksFromPort(port, id) {
  const queue = [];
  let wake = null;
  port.onmessage = ({ data }) => {
    queue.push(data);
    wake?.();
    wake = null;
  };
  try {
    for (;;) {
      if (queue.length === 0) await new Promise((resolve) => (wake = resolve));
      if (cancelled.has(id)) return;
      const message = queue.shift();
      if (message.error) throw Object.assign(new Error(message.error.message), message.error);
      if (message.done) return;
      port.postMessage({ taken: true });
      yield new Uint8Array(message.chunk);
    }
  } finally {
    // Also when reading stops early (cancelled, or a reader failed).
    port.postMessage({ stop: true });
    port.close();
  }
}

// `ahead`: how many chunks of a Blob are being read at once; the next ones
// are already on their way while this one is used.
async function* chunksOf(source, id, ahead = 1) {
  if (source.port) {
    yield* chunksFromPort(source.port, id);
    return;
  }
  if (source.blob) {
    // A read left behind by a cancel must not report its failure on its own.
    const blob = source.blob;
    const reads = [];
    let requested = 0;
    const readAhead = () => {
      while (reads.length < ahead && requested < blob.size) {
        const reading = blob.slice(requested, requested + chunkSize).arrayBuffer();
        reading.catch(() => {});
        reads.push(reading);
        requested += chunkSize;
      }
    };
    readAhead();
    while (reads.length > 0) {
      const current = await reads.shift();
      if (cancelled.has(id)) return;
      readAhead();
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

// Reads a Blob for a reader in another worker and sends its chunks through
// `port`, transferred (never copied), at most feedAhead of them not yet
// taken. A worker reading a Blob itself waits for each chunk between its
// parses; read here, the next chunks arrive while the other worker parses.
async function feed(id, { blob, port }) {
  let credit = feedAhead;
  let stopped = false;
  let wake = null;
  port.onmessage = ({ data }) => {
    if (data.stop) stopped = true;
    else credit += 1;
    wake?.();
    wake = null;
  };
  try {
    for await (const chunk of chunksOf({ blob }, id, feedAhead)) {
      while (credit === 0 && !stopped) await new Promise((resolve) => (wake = resolve));
      if (stopped) break;
      credit -= 1;
      port.postMessage({ chunk: chunk.buffer }, [chunk.buffer]);
    }
    if (!stopped) port.postMessage({ done: true });
  } catch (failure) {
    if (!stopped) port.postMessage({ error: errorOf(failure) });
  } finally {
    port.close();
  }
  return {};
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
    const value =
      op === 'read'
        ? await read(id, data)
        : op === 'feed'
          ? await feed(id, data)
          : await operations[op](data);
    postMessage({ id, ok: true, value });
  } catch (failure) {
    postMessage({ id, ok: false, error: errorOf(failure) });
  } finally {
    cancelled.delete(id);
  }
};
