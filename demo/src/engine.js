// Main-thread side of the engine worker: promise-based calls, file reads with
// progress and cancellation. Errors arrive as EngineError with the core's code.

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

export function createEngine(workerUrl = 'engine-worker.js') {
  const worker = new Worker(new URL(workerUrl, document.baseURI));
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

  function send(message, extra = {}) {
    const id = nextId++;
    return {
      id,
      promise: new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, ...extra });
        worker.postMessage({ ...message, id });
      }),
    };
  }

  const call = (op, payload = {}) => send({ op, ...payload }).promise;

  return {
    load: () => call('load'),
    summarize: (input, options) => call('summarize', { input, options }),
    compare: (a, b, options) => call('compare', { a, b, options }),
    compareToBenchmark: (input, benchmark, options) =>
      call('compareToBenchmark', { input, benchmark, options }),
    sampleSize: (plan) => call('sampleSize', { plan }),
    /**
     * Streams `source` ({blob} or {url}) once through one reader per entry of
     * `readers`; resolves to {summaries, bytes}, rejects with Cancelled when
     * `signal` aborts.
     */
    read(source, readers, { total = 0, onProgress, signal } = {}) {
      const { id, promise } = send({ op: 'read', source, readers, total }, { onProgress });
      signal?.addEventListener('abort', () => worker.postMessage({ op: 'cancel', target: id }), {
        once: true,
      });
      return promise;
    },
  };
}
