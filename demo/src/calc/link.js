// The calculator's shareable settings in the URL fragment: inputs other than
// files, and every option. The fragment never reaches a server, so a link
// reproduces the view without sending any data anywhere. A collector's admin
// token is never part of it (see files.js).

export const defaults = {
  input: 'counts',
  promoters: '',
  passives: '',
  detractors: '',
  histogram: '',
  scores: '',
  // Empty: the core's default method.
  method: '',
  confidence: '0.95',
  period: 'week',
  minGroupSize: '0',
  utcOffset: '',
  dateOrder: '',
  bands: '',
  compareA: '',
  compareB: '',
  compareMode: 'groups',
  manualA: '',
  manualB: '',
  plannerMode: 'margin',
  plannerMetric: 'nps',
  margin: '5',
  difference: '10',
  power: '0.8',
};

const keys = {
  input: 'in',
  promoters: 'p',
  passives: 's',
  detractors: 'd',
  histogram: 'h',
  scores: 'scores',
  method: 'method',
  confidence: 'conf',
  period: 'by',
  minGroupSize: 'min',
  utcOffset: 'utc',
  dateOrder: 'dates',
  bands: 'bands',
  compareA: 'a',
  compareB: 'b',
  compareMode: 'cmp',
  manualA: 'ma',
  manualB: 'mb',
  plannerMode: 'plan',
  plannerMetric: 'measure',
  margin: 'margin',
  difference: 'diff',
  power: 'power',
};

const inputsInLink = new Set(['counts', 'histogram', 'scores', 'collector', 'sample']);

export function readLink(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state = { ...defaults };
  for (const [name, key] of Object.entries(keys)) {
    if (params.has(key)) state[name] = params.get(key);
  }
  return state;
}

/** The fragment for `state`, omitting defaults and file inputs. */
export function stateToHash(state) {
  const params = new URLSearchParams();
  for (const [name, key] of Object.entries(keys)) {
    const value = state[name];
    if (value === undefined || value === defaults[name]) continue;
    if (name === 'input' && !inputsInLink.has(value)) continue;
    params.set(key, value);
  }
  const text = params.toString();
  return text ? `#${text}` : '';
}

export function writeLink(state) {
  const hash = stateToHash(state);
  if (hash !== location.hash && !(hash === '' && location.hash === '')) {
    history.replaceState(null, '', hash || location.pathname + location.search);
  }
}
