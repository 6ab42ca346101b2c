// dist/npskit-queue.js: sending the durable delivery queue. The loader writes
// every answer to storage before anything else happens and loads this chunk
// only when something waits there, so page views with nothing to deliver do
// not pay for it. An item leaves the queue only when the endpoint accepted it
// (2xx) or rejected it for good (4xx other than 408/429). Its id is the
// idempotency key: whatever is sent twice (a tab closed mid-request) is the
// same answer, and receivers drop the repeat.
import { changeQueue, queueKey } from './storage.js';

// How long a tab owns an item it is sending; another tab may pick it up after
// that (the sender was closed before it learned the outcome).
const leaseMs = 30000;

// As a chunk it hands createQueue to the loader; the hosted survey page
// bundles it and imports it.
if (document.currentScript) document.currentScript.npskit = { createQueue };

/**
 * `store` is the loader's {read, write}; `emit(name, detail)` reports
 * 'delivered' and 'error'; `timing()` gives the backoff {base, max} in ms.
 */
export function createQueue(store, emit, timing) {
  const inFlight = new Set();
  const change = (edit) => changeQueue(edit, store);
  const stored = () => store.read(queueKey) || [];
  let timer = 0;

  const remove = (id) =>
    change((items) => {
      const at = items.findIndex((item) => item.id === id);
      if (at >= 0) items.splice(at, 1);
    });

  function schedule() {
    clearTimeout(timer);
    const items = stored();
    if (!items.length) return;
    const due = Math.min(...items.map((item) => Math.max(item.due, item.lease || 0)));
    timer = setTimeout(flush, Math.max(0, due - Date.now()) + 50);
  }

  function settle(item, response) {
    inFlight.delete(item.id);
    const status = response ? response.status : 0;
    if (response && response.ok) {
      return remove(item.id).then(() =>
        emit('delivered', { id: item.id, type: item.payload.type, status }),
      );
    }
    if (status && status < 500 && status !== 408 && status !== 429) {
      return remove(item.id).then(() =>
        emit('error', {
          code: 'rejected',
          message: `the endpoint ${item.url} rejected answer ${item.id} with HTTP ${status}; it will not be sent again`,
          id: item.id,
          status,
        }),
      );
    }
    const { base, max } = timing();
    return change((items) => {
      const entry = items.find((candidate) => candidate.id === item.id);
      if (!entry) return;
      entry.attempts = (entry.attempts || 0) + 1;
      // Full jitter on an exponential ceiling, so many visitors retrying after
      // an outage do not arrive in step; a longer Retry-After wins.
      const backoff = Math.min(max, base * 2 ** (entry.attempts - 1)) * (0.5 + Math.random() / 2);
      entry.due = Date.now() + Math.max(backoff, retryAfter(response));
      entry.lease = 0;
    }).then(schedule);
  }

  function send(item, onHide) {
    inFlight.add(item.id);
    const headers = Object.assign(
      // On page hide only a CORS-simple content type goes out without a
      // preflight, which an unloading page could not wait for; endpoints
      // that cannot answer preflights at all ask for it always.
      { 'content-type': onHide || item.text ? 'text/plain;charset=UTF-8' : 'application/json' },
      item.headers,
    );
    return fetch(item.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(item.payload),
      keepalive: true,
      credentials: 'omit',
    }).then(
      (response) => settle(item, response),
      () => settle(item, null),
    );
  }

  /** Sends every item that is due and not being sent by this or another tab. */
  function flush() {
    if (navigator.onLine === false) return Promise.resolve();
    const now = Date.now();
    return change((items) => {
      const claimed = items.filter(
        (item) => item.due <= now && !(item.lease > now) && !inFlight.has(item.id),
      );
      claimed.forEach((item) => (item.lease = now + leaseMs));
      return claimed;
    }).then((claimed) => {
      schedule();
      return Promise.all(claimed.map((item) => send(item)));
    });
  }

  /** Last chance before the page may go away: send what waits for a retry. */
  function flushOnHide() {
    if (navigator.onLine === false) return;
    for (const item of stored()) {
      if (!inFlight.has(item.id) && !(item.lease > Date.now())) send(item, true);
    }
  }

  return { flush, flushOnHide };
}

// Retry-After is seconds or an HTTP date; an endpoint on another origin must
// list it in Access-Control-Expose-Headers for the widget to see it.
function retryAfter(response) {
  const value = response && response.headers.get('retry-after');
  if (!value) return 0;
  const seconds = Number(value);
  const ms = isNaN(seconds) ? Date.parse(value) - Date.now() : seconds * 1000;
  return ms > 0 ? ms : 0;
}
