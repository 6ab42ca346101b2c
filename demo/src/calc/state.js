// The calculator's one state object. Every module of calc/ receives it and
// keeps what it needs in its own section; nothing else in the page is
// mutable. `settings` holds the inputs typed in and every option (options.js,
// exports.js and the link read and write it); the rest lives as long as the
// tab.
import { readLink } from './link.js';

// The dashboard starts from the defaults instead of the page's link.
export function createState(settings = readLink()) {
  return {
    settings,
    // The core, through the engine worker; `kind` is "wasm" or "wasm2js"
    // once loaded, `simd` whether it is the SIMD module, and `defaults` the
    // core's {categories, bands, method, confidence}.
    engine: { api: null, kind: '', simd: false, defaults: null },
    // Which computation is current: a result whose ticket is older than
    // `ticket` belongs to an input no longer on screen and is dropped.
    inputs: { ticket: 0 },
    files: {
      chosen: null,
      columns: [],
      mapping: null,
      controller: null,
      cache: new Map(),
      blobIds: new WeakMap(),
      lastBlobId: 0,
      // The collector's admin token: kept in sessionStorage, never in the link.
      collector: { available: false, token: '' },
    },
    // What the results show (null when nothing is shown), the charts once
    // drawn, and how the segments table is sorted.
    render: { view: null, charts: null, sort: { key: 'n', direction: 'descending' } },
    compare: { ticket: 0 },
    planner: { ticket: 0 },
    // CSAT and CES cards: per metric the file's block, the pasted block and
    // the pasted text's problems (ratings.js).
    ratings: { csat: {}, ces: {} },
  };
}
