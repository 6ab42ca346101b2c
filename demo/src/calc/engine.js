// Main-thread side of the engine workers: promise-based calls, file reads with
// progress and cancellation. Errors arrive as EngineError with the core's code.
//
// A file is parsed once, in one worker, by the core's reader, which gives
// every grouping the page asks for from the same pass. With a second core,
// the other worker reads the file's chunks from the Blob and hands them over
// through a MessageChannel, transferred, not copied; the main thread never
// holds the file. Several readers asked for at once are spread over the
// workers, one lane per core, each reading the Blob itself.

export class EngineError extends Error {
  constructor({ code, message }) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
}

export class Cancelled extends Error {
  constructor() {
    super('Reading was cancelled');
    this.name = 'Cancelled';
  }
}

function startWorker(url) {
  const worker = new Worker(url);
  const pending = new Map();
  let nextId = 1;
  worker.onmessage = ({ data }) => {
    const entry = pending.get(data.id);
    if (!entry) return;
    if (data.progress) {
      entry.onProgress?.(data.progress);
      return;
    }
    pending.delete(data.id);
    if (!data.ok) entry.reject(new EngineError(data.error));
    else if (data.value?.cancelled) entry.reject(new Cancelled());
    else entry.resolve(data.value);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    const failure = new EngineError({
      code: 'engine',
      message: `The calculation engine failed to start: ${event.message}`,
    });
    for (const entry of pending.values()) entry.reject(failure);
    pending.clear();
  };
  return {
    send(message, extra = {}, transfer = []) {
      const id = nextId++;
      const promise = new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, ...extra });
        worker.postMessage({ ...message, id }, transfer);
      });
      return { id, promise };
    },
    cancel(id) {
      worker.postMessage({ op: 'cancel', target: id });
    },
  };
}

export function createEngine(workerUrl = 'engine-worker.js') {
  const url = new URL(workerUrl, document.baseURI);
  const lanes = Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1));
  const workers = [];
  const worker = (index) => (workers[index] ??= startWorker(url));
  const call = (op, payload = {}) => worker(0).send({ op, ...payload }).promise;

  return {
    load: () => call('load'),
    /** Starts every worker a file read will use, so the core is ready in each. */
    prepareReading: () =>
      Promise.all(
        Array.from({ length: lanes }, (_, index) => worker(index).send({ op: 'load' }).promise),
      ),
    summarize: (input, options) => call('summarize', { input, options }),
    compare: (a, b, options) => call('compare', { a, b, options }),
    compareToBenchmark: (input, benchmark, options) =>
      call('compareToBenchmark', { input, benchmark, options }),
    sampleSize: (plan) => call('sampleSize', { plan }),
    /** The core's CSAT or CES plan: kind share, mean, share-difference or mean-difference. */
    ratingSampleSize: (metric, plan) => call('ratingSampleSize', { metric, plan }),
    /**
     * The core's profile of a file's first bytes (a string or an
     * ArrayBuffer): {rows, columns: [{name, samples, scores, dates, ...}]}.
     */
    profileColumns: (input, format, truncated) =>
      call('profileColumns', { input, format, truncated }),
    /** Pasted scores read by the core: {histogram, rejected, rejections}. */
    parseScores: (text) => call('parseScores', { text }),
    /** Pasted CSAT/CES ratings: {summary (the "csat"/"ces" block), rejected, rejections}. */
    ratingsFromText: (metric, text, options) => call('ratingsFromText', { metric, text, options }),
    /**
     * The core's defaults: {categories (of each score 0-10), bands, method,
     * confidence}.
     */
    defaults: () => call('defaults'),
    /**
     * Streams `source` ({blob} or {url}) through one reader per entry of
     * `readers`; resolves to {summaries (in the order of readers), bytes,
     * memory (WebAssembly bytes held by the workers)}, rejects with Cancelled
     * when `signal` aborts. Progress is that of the slowest worker.
     */
    async read(source, readers, { total = 0, onProgress, signal } = {}) {
      const used = Math.min(lanes, readers.length);
      const assigned = Array.from({ length: used }, () => []);
      readers.forEach((options, index) => assigned[index % used].push(options));
      const read = new Array(used).fill(0);
      // One reader and a spare worker: the spare one feeds it the Blob.
      let feeder = null;
      let sources = assigned.map(() => source);
      let transfers = assigned.map(() => []);
      if (source.blob && used === 1 && lanes > 1) {
        const channel = new MessageChannel();
        feeder = worker(1).send({ op: 'feed', blob: source.blob, port: channel.port1 }, {}, [
          channel.port1,
        ]);
        // Its failures reach the reader through the channel.
        feeder.promise.catch(() => {});
        sources = [{ port: channel.port2 }];
        transfers = [[channel.port2]];
      }
      const runs = assigned.map((options, lane) =>
        worker(lane).send(
          { op: 'read', source: sources[lane], readers: options, total },
          {
            onProgress: (progress) => {
              read[lane] = progress.bytes;
              onProgress?.({ bytes: Math.min(...read), total: progress.total });
            },
          },
          transfers[lane],
        ),
      );
      const cancelAll = () => {
        runs.forEach((run, lane) => worker(lane).cancel(run.id));
        if (feeder) worker(1).cancel(feeder.id);
      };
      signal?.addEventListener('abort', cancelAll, { once: true });
      try {
        const results = await Promise.all(
          runs.map((run) =>
            run.promise.catch((failure) => {
              // One failed lane makes the others pointless.
              cancelAll();
              throw failure;
            }),
          ),
        );
        return {
          summaries: readers.map(
            (_, index) => results[index % used].summaries[Math.floor(index / used)],
          ),
          bytes: results[0].bytes,
          memory: results.reduce((sum, result) => sum + (result.memory || 0), 0),
        };
      } finally {
        signal?.removeEventListener('abort', cancelAll);
      }
    },
  };
}
