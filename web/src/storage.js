// JSON values in localStorage, with an in-memory copy for pages where storage
// is blocked (sandboxed frames, disabled site data) or full: the widget then
// still works for the current page, it only forgets across reloads.
const memory = {};
let local = null;
try {
  local = window.localStorage;
  local.setItem('npskit:probe', '1');
  local.removeItem('npskit:probe');
} catch {
  local = null;
}

export function read(key) {
  let text = memory[key];
  if (local) {
    try {
      text = local.getItem(key);
    } catch {
      local = null;
    }
  }
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export function write(key, value) {
  const text = JSON.stringify(value);
  memory[key] = text;
  if (!local) return;
  try {
    local.setItem(key, text);
  } catch {
    // Quota exceeded or storage revoked: keep going on the memory copy.
    local = null;
  }
}

/**
 * A store that never leaves this page's memory: the delivery queue of a
 * visitor whose browser sends Global Privacy Control, so nothing but the
 * throttling state is written to the device.
 */
export function memoryStore() {
  const values = {};
  return {
    read: (key) => (values[key] ? JSON.parse(values[key]) : null),
    write: (key, value) => (values[key] = JSON.stringify(value)),
  };
}

/** Where the delivery queue lives; shared by the loader and npskit-queue.js. */
export const queueKey = 'npskit:queue';

/**
 * Read-modify-write of the stored queue. Web Locks make it atomic across the
 * site's tabs where available (secure contexts); elsewhere the window for a
 * lost update is the few microseconds between the read and the write.
 */
export function changeQueue(edit, store) {
  const run = () => {
    const items = store.read(queueKey) || [];
    const result = edit(items);
    store.write(queueKey, items);
    return result;
  };
  return navigator.locks ? navigator.locks.request(queueKey, run) : Promise.resolve(run());
}
