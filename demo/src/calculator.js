// The calculator page: gathers the input (counts, histogram, pasted scores, a
// file streamed through the core's readers in a worker, or the collector's
// answers), asks the core for every statistic, and renders the results as
// text, tables and charts. The page itself never computes a score.
import { Cancelled, createEngine } from './engine.js';
import {
  formatFromName,
  guessMapping,
  rememberedMapping,
  rememberMapping,
  roles,
  sniffColumns,
} from './columns.js';
import * as format from './format.js';
import { defaults, readState, writeState } from './state.js';
import { onThemeChange, setupThemeToggle } from './theme.js';
import {
  categoryOfScore,
  chartPng,
  chartSvg,
  distributionChart,
  restyle,
  trendChart,
  updateDistribution,
  updateTrend,
} from './charts.js';

const $ = (id) => document.getElementById(id);
const engine = createEngine();
const state = readState();

const defaultBands = [
  { name: 'negative', lower: -100 },
  { name: 'fair', lower: 0 },
  { name: 'good', lower: 20 },
  { name: 'very-good', lower: 50 },
  { name: 'world-class', lower: 75 },
];
const categories = [
  ['promoters', 'Promoters', 'promoter'],
  ['passives', 'Passives', 'passive'],
  ['detractors', 'Detractors', 'detractor'],
];
const periodNames = { day: 'day', week: 'week', month: 'month' };
const sampleUrl = 'samples/survey-export.csv';
const collectorUrl = 'api/responses.jsonl';

// What the results currently show; null until there is something to show.
let view = null;
// The chosen file (never part of the link) and how its columns map.
let file = null;
let fileColumns = [];
let fileMapping = null;
let readController = null;
let computeToken = 0;
let compareToken = 0;
let plannerToken = 0;
const readCache = new Map();
const sort = { key: 'n', direction: 'descending' };
let charts = null;

// ---------------------------------------------------------------- helpers --

function element(tag, { className, text, attributes } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function debounce(fn, wait) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

function download(name, content, type) {
  const url =
    typeof content === 'string' && content.startsWith('data:')
      ? content
      : URL.createObjectURL(new Blob([content], { type }));
  const link = element('a', { attributes: { href: url, download: name } });
  document.body.append(link);
  link.click();
  link.remove();
  if (url.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(url), 2000);
}

function csvCell(value) {
  const text = String(value ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(rows) {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function alpha() {
  return 1 - Number(state.confidence);
}

function isSignificant(comparison) {
  return Boolean(comparison) && comparison.p_value < alpha();
}

function countsOf(stats) {
  return { promoters: stats.promoters, passives: stats.passives, detractors: stats.detractors };
}

function testMethod() {
  // Tango's interval has no two-group test; tests then use adjusted Wald.
  return state.method === 'tango' ? 'adjusted-wald' : state.method;
}

function bandsFromState() {
  if (!state.bands) return defaultBands.map((band) => ({ ...band }));
  return state.bands.split(',').map((entry) => {
    const at = entry.lastIndexOf(':');
    return { name: decodeURIComponent(entry.slice(0, at)), lower: Number(entry.slice(at + 1)) };
  });
}

function bandsToState(bands) {
  const same =
    bands.length === defaultBands.length &&
    bands.every(
      (band, i) => band.name === defaultBands[i].name && band.lower === defaultBands[i].lower,
    );
  return same
    ? ''
    : bands.map((band) => `${encodeURIComponent(band.name)}:${band.lower}`).join(',');
}

function validateBands(bands) {
  if (bands.length === 0) return 'Add at least one band.';
  for (const [index, band] of bands.entries()) {
    const position = `Band ${index + 1}`;
    if (!band.name.trim()) return `${position}: give it a name.`;
    if (/[,:]/.test(band.name))
      return `${position} (${band.name}): a name cannot contain “,” or “:”.`;
    if (!Number.isFinite(band.lower))
      return `${position} (${band.name}): the lower bound must be a number.`;
    if (index === 0 && band.lower !== -100)
      return `${position} (${band.name}): the first band must start at −100.`;
    if (index > 0 && band.lower <= bands[index - 1].lower) {
      return `${position} (${band.name}): its lower bound ${band.lower} must be above the previous band's ${bands[index - 1].lower}.`;
    }
    if (band.lower > 100) return `${position} (${band.name}): the lower bound must be 100 or less.`;
  }
  return '';
}

function coreOptions() {
  return { method: state.method, confidence: Number(state.confidence), bands: bandsFromState() };
}

// ------------------------------------------------------------------ input --

function selectInput(input, { focus = false } = {}) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.input === input;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute('aria-controls')).hidden = !selected;
    if (selected && focus) tab.focus();
  }
}

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const visible = () => tabs.filter((tab) => !tab.hidden);
  for (const tab of tabs) {
    tab.addEventListener('click', () => switchInput(tab.dataset.input));
    tab.addEventListener('keydown', (event) => {
      const list = visible();
      const index = list.indexOf(tab);
      const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: list.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const target = list[(moves[event.key] + list.length) % list.length];
      switchInput(target.dataset.input, { focus: true });
    });
  }
}

// Results on screen stay until the chosen input has data of its own.
function switchInput(input, options) {
  state.input = input === 'file' && state.input === 'sample' ? 'sample' : input;
  selectInput(input, options);
  writeState(state);
  if (input === 'file' && !file && state.input !== 'sample') return;
  recompute({ keepOnEmpty: true });
}

function markInvalid(input, invalid) {
  if (invalid) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

// A count field: empty means 0; anything else must be a whole number >= 0.
function readCount(input, label) {
  const text = input.value.trim();
  if (text === '') return { value: 0 };
  if (!/^\d+$/.test(text)) {
    markInvalid(input, true);
    return { error: `${label}: “${text}” is not a whole number of answers (0 or more).` };
  }
  markInvalid(input, false);
  return { value: Number(text) };
}

function countsInput() {
  const fields = [
    ['promoters', $('count-promoters'), 'Promoters'],
    ['passives', $('count-passives'), 'Passives'],
    ['detractors', $('count-detractors'), 'Detractors'],
  ];
  const counts = {};
  for (const [key, input, label] of fields) {
    markInvalid(input, false);
    state[key] = input.value.trim();
    const { value, error } = readCount(input, label);
    if (error) return { error };
    counts[key] = value;
  }
  if (fields.every(([, input]) => input.value.trim() === '')) return { empty: true };
  return { input: counts };
}

function histogramInput() {
  const inputs = [...document.querySelectorAll('#histogram-grid input')];
  const values = [];
  for (const [score, input] of inputs.entries()) {
    markInvalid(input, false);
    const { value, error } = readCount(input, `Score ${score}`);
    if (error) return { error };
    values.push(value);
  }
  state.histogram = inputs.every((input) => input.value.trim() === '') ? '' : values.join(',');
  if (!state.histogram) return { empty: true };
  return { input: { histogram: values } };
}

// Pasted text: plain scores, or a table (a header row with words) that goes
// through the core's reader like a file.
function scoresInput() {
  const text = $('scores-text').value;
  state.scores = text;
  if (!text.trim()) return { empty: true };
  const firstLine = text.split(/\r?\n/).find((line) => line.trim()) ?? '';
  if (/[a-z]/i.test(firstLine)) return { table: new Blob([text], { type: 'text/csv' }) };
  const scores = [];
  const rejections = [];
  text.split(/\r?\n/).forEach((line, index) => {
    for (const token of line.split(/[\s,;]+/).filter(Boolean)) {
      if (/^(10|[0-9])$/.test(token)) scores.push(Number(token));
      else rejections.push({ line: index + 1, reason: `“${token}” is not a score from 0 to 10` });
    }
  });
  return { input: { scores }, rejections };
}

// ---------------------------------------------------------------- compute --

function showEmpty() {
  view = null;
  $('empty-state').hidden = false;
  $('result-sections').hidden = true;
  $('error-banner').hidden = true;
}

function showError(message) {
  $('error-banner').textContent = message;
  $('error-banner').hidden = false;
}

const recomputeSoon = debounce(() => recompute(), 150);

async function recompute({ keepOnEmpty = false } = {}) {
  const token = ++computeToken;
  $('error-banner').hidden = true;
  for (const id of ['count-error', 'histogram-error', 'scores-error']) $(id).textContent = '';
  writeState(state);
  const bandsProblem = validateBands(bandsFromState());
  $('bands-error').textContent = bandsProblem;
  if (bandsProblem) return;
  if (!(Number(state.confidence) > 0 && Number(state.confidence) < 1)) return;
  try {
    if (state.input === 'counts' || state.input === 'histogram' || state.input === 'scores') {
      cancelRead();
      const gathered =
        state.input === 'counts'
          ? countsInput()
          : state.input === 'histogram'
            ? histogramInput()
            : scoresInput();
      writeState(state);
      const errorField = {
        counts: 'count-error',
        histogram: 'histogram-error',
        scores: 'scores-error',
      }[state.input];
      if (gathered.error) {
        $(errorField).textContent = gathered.error;
        return;
      }
      if (gathered.empty) {
        if (!(keepOnEmpty && view)) showEmpty();
        return;
      }
      if (gathered.table) {
        await startFile(gathered.table, {
          name: 'the pasted table',
          format: 'csv',
          prefix: $('scores-text').value,
          pasted: true,
        });
        return;
      }
      const summary = await engine.summarize(gathered.input, coreOptions());
      if (token !== computeToken) return;
      const rejections = gathered.rejections ?? [];
      if (state.input === 'scores' && rejections.length) {
        $('scores-error').textContent =
          `${rejections.length} ${rejections.length === 1 ? 'entry was' : 'entries were'} not counted; see “Rows that were not counted”.`;
      }
      render({
        summary,
        trend: null,
        segments: null,
        distribution: state.input !== 'counts',
        localRejections: rejections,
        label: sourceLabel(),
      });
      return;
    }
    if (state.input === 'file' && file) await readFileSource(file, fileMapping);
    else if (state.input === 'sample')
      await readUrlSource(
        sampleUrl,
        'csv',
        {
          score: 'score',
          comment: 'comment',
          segment: 'segment',
          date: 'submitted_at',
          weight: '',
        },
        'the sample export',
      );
    else if (state.input === 'collector')
      await readUrlSource(
        collectorUrl,
        'jsonl',
        {
          score: 'score',
          comment: 'comment',
          segment: 'segment',
          date: 'submitted_at',
          weight: '',
        },
        'the collector’s answers',
      );
    else showEmpty();
  } catch (failure) {
    if (failure instanceof Cancelled || token !== computeToken) return;
    showError(failure.message);
  }
}

function sourceLabel() {
  return (
    {
      counts: 'From the counts you entered',
      histogram: 'From the score counts you entered',
      scores: 'From the scores you pasted',
    }[state.input] ?? ''
  );
}

// ------------------------------------------------------------------ files --

const columnOptions = {
  score: 'scoreColumn',
  comment: 'commentColumn',
  segment: 'segmentColumn',
  date: 'dateColumn',
  weight: 'weightColumn',
};

function readerOptions(formatName, mapping, by) {
  const options = { format: formatName, by, ...coreOptions() };
  for (const [role, option] of Object.entries(columnOptions))
    if (mapping[role]) options[option] = mapping[role];
  return options;
}

function cancelRead() {
  readController?.abort();
  readController = null;
  $('progress-block').hidden = true;
  $('results').removeAttribute('aria-busy');
}

function showProgress(name, bytes, total) {
  $('progress-block').hidden = false;
  $('progress-name').textContent = name;
  const bar = $('progress-bar');
  if (total > 0) {
    bar.max = total;
    bar.value = Math.min(bytes, total);
    $('progress-text').textContent =
      `${format.bytes(bytes)} of ${format.bytes(total)} read · ${Math.floor((100 * bytes) / total)}%`;
  } else {
    bar.removeAttribute('value');
    $('progress-text').textContent = `${format.bytes(bytes)} read`;
  }
}

// Identifies a blob in cache keys; two pasted tables may have the same size.
const blobIds = new WeakMap();
let lastBlobId = 0;

function sourceKey(source, name, total) {
  if (source.blob && !blobIds.has(source.blob)) blobIds.set(source.blob, ++lastBlobId);
  return JSON.stringify([source.url ?? name, total, source.blob ? blobIds.get(source.blob) : null]);
}

// Streams one source through the readers the views need: overall and
// segments in one, the trend (by the chosen period) in another. Each reader's
// summary is kept, so switching the period reads the file for the trend only.
async function streamSource(source, { name, total, formatName, mapping }) {
  const token = computeToken;
  const readers = [readerOptions(formatName, mapping, mapping.segment ? 'segment' : 'none')];
  if (mapping.date)
    readers.push({ ...readerOptions(formatName, mapping, state.period), themes: 0 });
  const base = sourceKey(source, name, total);
  const keys = readers.map((options) => base + JSON.stringify(options));
  const missing = readers.filter((_, index) => !readCache.has(keys[index]));
  if (missing.length) {
    cancelRead();
    const controller = new AbortController();
    readController = controller;
    $('file-status').textContent = '';
    $('results').setAttribute('aria-busy', 'true');
    showProgress(name, 0, total);
    let result;
    try {
      result = await engine.read(source, missing, {
        total,
        signal: controller.signal,
        onProgress: (progress) => {
          if (!controller.signal.aborted) showProgress(name, progress.bytes, progress.total);
        },
      });
    } catch (failure) {
      if (failure instanceof Cancelled) {
        $('file-status').textContent = `Stopped reading ${name}. Nothing from it is shown.`;
        if (token === computeToken) showEmpty();
      }
      throw failure.code
        ? Object.assign(new Error(`${name}: ${failure.message}`), { code: failure.code })
        : failure;
    } finally {
      if (readController === controller) {
        readController = null;
        $('progress-block').hidden = true;
        $('results').removeAttribute('aria-busy');
      }
    }
    showEngineMemory(result.memory);
    missing.forEach((options, index) => {
      readCache.set(base + JSON.stringify(options), {
        summary: result.summaries[index],
        bytes: result.bytes,
      });
    });
    while (readCache.size > 8) readCache.delete(readCache.keys().next().value);
  }
  if (token !== computeToken) return;
  const [main, trend] = keys.map((key) => readCache.get(key));
  $('file-status').textContent =
    `Read ${name}: ${format.bytes(main.bytes)}, ${format.answers(main.summary.n)}.`;
  render({
    summary: main.summary,
    segments: mapping.segment ? main.summary : null,
    trend: trend?.summary ?? null,
    distribution: true,
    localRejections: [],
    label: `From ${name}`,
  });
}

async function startFile(blob, { name, format: formatName, prefix, pasted = false }) {
  // The readers' workers load the core while the header is looked at.
  engine.prepareReading().catch((failure) => showError(failure.message));
  const columns = sniffColumns(prefix ?? (await blob.slice(0, 65536).text()), formatName);
  if (columns.length === 0) {
    throw new Error(
      `${name}: no header row or first record was found; expected column names such as “score” in the first line.`,
    );
  }
  const source = Object.assign(blob, { displayName: name, formatName });
  const guess = guessMapping(columns);
  if (pasted) {
    if (!guess.mapping.score) {
      throw new Error(
        `${name}: none of the columns (${columns.join(', ')}) looks like a 0–10 score; name it “score”, or save the table as a file and choose its columns in the File tab.`,
      );
    }
    await readFileSource(source, guess.mapping);
    return;
  }
  const remembered = rememberedMapping(columns);
  file = source;
  fileColumns = columns;
  fileMapping = remembered ?? guess.mapping;
  buildMappingForm(
    columns,
    fileMapping,
    remembered ? 'remembered' : guess.obvious ? 'guessed' : 'ask',
  );
  if (!remembered && !guess.obvious) {
    showEmpty();
    $('mapping-form').querySelector('select')?.focus();
    return;
  }
  await readFileSource(file, fileMapping);
}

async function readFileSource(source, mapping) {
  if (!mapping?.score) return;
  await streamSource(
    { blob: source },
    { name: source.displayName, total: source.size, formatName: source.formatName, mapping },
  );
}

async function readUrlSource(url, formatName, mapping, name) {
  selectInput(state.input === 'collector' ? 'collector' : 'file');
  await streamSource({ url }, { name, total: 0, formatName, mapping });
}

const roleLabels = {
  score: 'Score (0–10)',
  comment: 'Comment',
  segment: 'Segment',
  date: 'Date',
  weight: 'Weight',
};

function buildMappingForm(columns, mapping, how) {
  const form = $('mapping-form');
  const fields = $('mapping-fields');
  fields.replaceChildren();
  for (const role of roles) {
    const id = `map-${role}`;
    const select = element('select', { attributes: { id, name: role } });
    if (role !== 'score')
      select.append(element('option', { text: 'None', attributes: { value: '' } }));
    else if (!mapping.score)
      select.append(element('option', { text: 'Choose a column…', attributes: { value: '' } }));
    for (const column of columns)
      select.append(element('option', { text: column, attributes: { value: column } }));
    select.value = mapping[role] ?? '';
    fields.append(
      element('div', { className: 'field' }, [
        element('label', { text: roleLabels[role], attributes: { for: id } }),
        select,
      ]),
    );
  }
  const hints = {
    ask: 'The header does not say which column holds the score. Your choice is remembered for files with the same columns.',
    guessed: 'Columns were recognised from the header. Change them and read again if needed.',
    remembered: 'Using the columns you chose last time for files with this header.',
    chosen: 'Your choice is remembered for files with the same columns.',
  };
  $('mapping-hint').textContent = hints[how];
  // Asked for only when the header leaves the score open; otherwise one line
  // says which columns are used, with a way to change them.
  form.hidden = how !== 'ask';
  form.classList.toggle('mapping-ask', how === 'ask');
  const used = roles
    .filter((role) => mapping[role])
    .map((role) => `${roleLabels[role].split(' ')[0].toLowerCase()} from “${mapping[role]}”`);
  $('mapping-summary-text').textContent =
    `${how === 'remembered' ? 'As last time: ' : 'Reading '}${used.join(', ')}.`;
  $('mapping-summary').hidden = how === 'ask';
}

function setupFileInputs() {
  const zone = $('drop-zone');
  const open = (chosen) => {
    if (!chosen) return;
    state.input = 'file';
    writeState(state);
    computeToken += 1;
    startFile(chosen, { name: chosen.name, format: formatFromName(chosen.name) }).catch(
      (failure) => {
        if (!(failure instanceof Cancelled)) showError(failure.message);
      },
    );
  };
  $('file-input').addEventListener('change', (event) => {
    open(event.target.files[0]);
    event.target.value = '';
  });
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add('drop-active');
    });
  }
  for (const type of ['dragleave', 'drop'])
    zone.addEventListener(type, () => zone.classList.remove('drop-active'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    open(event.dataTransfer.files[0]);
  });
  // Dropping a file anywhere else must not navigate away from the results.
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    if (event.dataTransfer?.files?.[0]) {
      selectInput('file');
      open(event.dataTransfer.files[0]);
    }
  });
  $('cancel-button').addEventListener('click', () => cancelRead());
  $('sample-button').addEventListener('click', () => {
    file = null;
    $('mapping-form').hidden = true;
    $('mapping-summary').hidden = true;
    state.input = 'sample';
    recompute();
  });
  $('collector-button').addEventListener('click', () => {
    state.input = 'collector';
    readCache.clear();
    recompute();
  });
  $('mapping-change').addEventListener('click', () => {
    $('mapping-summary').hidden = true;
    $('mapping-form').hidden = false;
    $('map-score').focus();
  });
  $('mapping-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const mapping = Object.fromEntries(roles.map((role) => [role, $(`map-${role}`).value]));
    if (!mapping.score) {
      showError('Choose the column that holds the 0–10 score.');
      $('map-score').focus();
      return;
    }
    fileMapping = mapping;
    rememberMapping(fileColumns, mapping);
    buildMappingForm(fileColumns, mapping, 'chosen');
    state.input = 'file';
    computeToken += 1;
    readFileSource(file, fileMapping).catch((failure) => {
      if (!(failure instanceof Cancelled)) showError(failure.message);
    });
  });
}

// ----------------------------------------------------------------- render --

function render(next) {
  view = next;
  $('empty-state').hidden = true;
  $('result-sections').hidden = false;
  const { summary } = next;
  renderHeadline(summary, next.label);
  renderBenchmark(summary);
  charts ??= {
    distribution: distributionChart($('distribution-chart')),
    trend: trendChart($('trend-chart')),
  };
  // Counts carry no 0-10 distribution, so there is nothing to chart.
  $('distribution-card').hidden = !next.distribution;
  if (next.distribution) renderDistribution(summary);
  renderTrend(next.trend, summary);
  renderSegments(next.segments);
  renderThemes(summary.themes);
  renderRejected(summary, next.localRejections);
  refreshComparison();
  refreshPlanner();
}

function renderHeadline(summary, label) {
  const { interval } = summary;
  const confidence = format.confidenceLabel(interval.confidence);
  const method = format.methodNames[interval.method] ?? interval.method;
  $('nps-value').textContent = summary.n ? format.score(summary.nps) : '–';
  $('band-chip').textContent = summary.n ? format.bandLabel(summary.band) : 'No answers';
  $('band-chip').dataset.band = summary.band ?? '';
  $('interval-line').textContent = summary.n
    ? `${confidence} confidence interval (${method}): ${format.signed(interval.low)} to ${format.signed(interval.high)}`
    : 'No answers yet, so nothing is known about the score.';
  $('source-line').textContent = `${label} · ${format.answers(summary.n)}`;
  $('margin-words').textContent = marginWords(summary);

  const shares = $('shares');
  shares.replaceChildren();
  const legend = $('shares-legend');
  legend.replaceChildren();
  for (const [key, name, category] of categories) {
    const share = summary.percent[key];
    const bar = element('span', { className: `share share-${category}` });
    bar.style.flexGrow = String(share);
    shares.append(bar);
    legend.append(
      element('li', { className: `legend-${category}` }, [
        element('span', { className: 'legend-swatch', attributes: { 'aria-hidden': 'true' } }),
        element('span', { className: 'legend-name', text: name }),
        element('strong', { text: format.percent(share) }),
        element('span', { className: 'muted', text: format.count(summary[key]) }),
      ]),
    );
  }
  shares.setAttribute(
    'aria-label',
    categories.map(([key, name]) => `${name} ${format.percent(summary.percent[key])}`).join(', '),
  );

  const rows = [
    ['Answers', format.count(summary.n), 'n'],
    ['NPS', format.fixed(summary.nps), 'nps'],
    [`${confidence} interval, low`, format.fixed(interval.low), 'low'],
    [`${confidence} interval, high`, format.fixed(interval.high), 'high'],
    ['Standard error', format.fixed(interval.se), 'se'],
    ['Method', method, 'method'],
    ...categories.map(([key, name]) => [
      name,
      `${format.count(summary[key])} (${format.percent(summary.percent[key], 2)})`,
      key,
    ]),
  ];
  if (summary.weighted_nps !== undefined) {
    rows.push(['Weighted NPS', format.fixed(summary.weighted_nps), 'weighted-nps']);
    rows.push(['Effective sample size', format.fixed(summary.n_effective, 1), 'n-effective']);
  }
  if (summary.response_rate !== undefined && summary.response_rate !== null) {
    rows.push([
      'Response rate',
      `${format.percent(100 * summary.response_rate)} (${format.count(summary.dismissals)} dismissed)`,
      'response-rate',
    ]);
  }
  const rejected = summary.rejected + (view.localRejections?.length ?? 0);
  if (rejected) rows.push(['Rows not counted', format.count(rejected), 'rejected']);
  $('numbers-table').tBodies[0].replaceChildren(
    ...rows.map(([name, value, key]) =>
      element('tr', {}, [
        element('th', { text: name, attributes: { scope: 'row' } }),
        element('td', { text: value, attributes: { 'data-stat': key } }),
      ]),
    ),
  );
}

function marginWords(summary) {
  const { interval, n } = summary;
  if (!n) return 'Enter some answers to see how precise the score is.';
  const confidence = format.confidenceLabel(interval.confidence);
  const margin = (interval.high - interval.low) / 2;
  const precision =
    margin <= 3
      ? 'a very precise estimate'
      : margin <= 7
        ? 'a fairly precise estimate'
        : margin <= 15
          ? 'a rough estimate'
          : 'a very rough estimate';
  return (
    `Based on ${format.answers(n)}, the score is ${format.score(summary.nps)}, give or take about ${format.fixed(margin, 1)} points: ` +
    `we can be ${confidence} sure that asking everyone would give a score between ${format.signed(interval.low)} and ${format.signed(interval.high)}. ` +
    `That is ${precision}.`
  );
}

function renderBenchmark(summary) {
  const bands = bandsFromState();
  const scale = $('band-scale');
  scale.replaceChildren();
  const position = (value) => `${((Math.max(-100, Math.min(100, value)) + 100) / 2).toFixed(3)}%`;
  bands.forEach((band, index) => {
    const upper = bands[index + 1]?.lower ?? 100;
    const segment = element(
      'span',
      {
        className: `band-segment band-tone-${Math.min(4, Math.round((index * 4) / Math.max(1, bands.length - 1)))}`,
      },
      [element('span', { className: 'band-name', text: format.bandLabel(band.name) })],
    );
    segment.style.flexGrow = String(Math.max(0, upper - band.lower));
    segment.classList.toggle('band-current', band.name === summary.band && summary.n > 0);
    scale.append(segment);
  });
  if (summary.n) {
    const whisker = element('span', { className: 'band-interval' });
    whisker.style.left = position(summary.interval.low);
    whisker.style.right = `calc(100% - ${position(summary.interval.high)})`;
    const marker = element('span', { className: 'band-marker' });
    marker.style.left = position(summary.nps);
    scale.append(whisker, marker);
  }
  const ticks = element('span', { className: 'band-ticks', attributes: { 'aria-hidden': 'true' } });
  for (const value of [-100, -50, 0, 50, 100]) {
    const tick = element('span', { text: format.signed(value, 0) });
    tick.style.left = position(value);
    ticks.append(tick);
  }
  scale.append(ticks);
  const current = bands.find((band) => band.name === summary.band);
  const index = bands.indexOf(current);
  const range = current
    ? `${format.signed(current.lower, 0)} to ${format.signed(bands[index + 1]?.lower ?? 100, 0)}`
    : '';
  const text = summary.n
    ? `${format.score(summary.nps)} falls in the “${format.bandLabel(summary.band)}” band (${range}). The dot marks the score; the line through it, the confidence interval.`
    : 'No score yet.';
  $('benchmark-text').textContent = text;
  scale.setAttribute('aria-label', `Benchmark bands from −100 to +100. ${text}`);
}

function renderDistribution(summary) {
  updateDistribution(charts.distribution, summary.histogram);
  const body = $('distribution-table').tBodies[0];
  body.replaceChildren(
    ...summary.histogram.map((value, score) =>
      element('tr', {}, [
        element('th', { text: String(score), attributes: { scope: 'row' } }),
        element('td', { text: format.bandLabel(categoryOfScore(score)) }),
        element('td', { className: 'num', text: format.count(value) }),
        element('td', {
          className: 'num',
          text: summary.n ? format.percent((100 * value) / summary.n) : '–',
        }),
      ]),
    ),
  );
  const mostCommon = summary.histogram.indexOf(Math.max(...summary.histogram));
  $('distribution-chart').setAttribute(
    'aria-label',
    summary.n
      ? `Bar chart of answers per score from 0 to 10, colored by group. Most common score: ${mostCommon}. The table button shows the numbers.`
      : 'Bar chart of answers per score: no answers yet.',
  );
}

function groupsWithSignificance(summary) {
  return summary.groups.map((group) => ({ ...group, significant: isSignificant(group.versus) }));
}

function renderTrend(trend, overall) {
  const card = $('trend-card');
  card.hidden = !trend || trend.groups.length === 0;
  if (card.hidden) return;
  const groups = groupsWithSignificance(trend);
  const period = periodNames[state.period];
  $('trend-heading').textContent = `Trend by ${period}`;
  $('trend-caption').textContent =
    `NPS per ${period} with its ${format.confidenceLabel(Number(state.confidence))} interval and the test against the previous ${period}`;
  const marked = groups.filter((group) => group.significant).length;
  const excluded = trend.rejected - overall.rejected;
  $('trend-note').textContent =
    `The shaded band is the ${format.confidenceLabel(Number(state.confidence))} interval. ` +
    (marked
      ? `Diamonds mark the ${marked === 1 ? 'period' : `${marked} periods`} where the score changed significantly from the ${period} before.`
      : `No ${period} differs significantly from the one before it.`) +
    (excluded > 0
      ? ` ${format.count(excluded)} rows without a usable date are left out of the trend.`
      : '');
  updateTrend(
    charts.trend,
    groups,
    groups.map((group) => group.significant),
  );
  $('trend-table').tBodies[0].replaceChildren(
    ...groups.map((group) =>
      element('tr', { className: group.significant ? 'row-significant' : '' }, [
        element('th', { text: group.key, attributes: { scope: 'row' } }),
        element('td', { className: 'num', text: format.count(group.n) }),
        element('td', { className: 'num', text: format.signed(group.nps) }),
        element('td', {
          className: 'num',
          text: `${format.signed(group.interval.low)} to ${format.signed(group.interval.high)}`,
        }),
        element('td', {
          className: 'num',
          text: group.versus ? format.signed(group.versus.diff) : '–',
        }),
        element('td', {
          className: 'num',
          text: group.versus ? format.pValue(group.versus.p_value) : '–',
        }),
        element('td', { text: group.versus ? (group.significant ? 'Yes' : 'No') : '–' }),
      ]),
    ),
  );
  const first = groups[0];
  const last = groups[groups.length - 1];
  $('trend-chart').setAttribute(
    'aria-label',
    `Line chart of NPS per ${period} from ${first.key} (${format.signed(first.nps)}) to ${last.key} (${format.signed(last.nps)}), ` +
      `${groups.length} periods, ${marked} significant ${marked === 1 ? 'change' : 'changes'}. The table button shows the numbers.`,
  );
}

const sorters = {
  key: (group) => group.key.toLowerCase(),
  n: (group) => group.n,
  nps: (group) => group.nps,
  diff: (group) => group.versus?.diff ?? -Infinity,
  p: (group) => group.versus?.p_value ?? Infinity,
};

function renderSegments(segments) {
  const card = $('segments-card');
  card.hidden = !segments || segments.groups.length === 0;
  if (card.hidden) return;
  const groups = groupsWithSignificance(segments);
  const pick = sorters[sort.key];
  groups.sort((a, b) => {
    const x = pick(a);
    const y = pick(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return sort.direction === 'ascending' ? order : -order;
  });
  for (const header of card.querySelectorAll('th[data-sort]')) {
    if (header.dataset.sort === sort.key) header.setAttribute('aria-sort', sort.direction);
    else header.removeAttribute('aria-sort');
  }
  const position = (value) => `${((value + 100) / 2).toFixed(3)}%`;
  $('segments-note').textContent =
    `Each segment is tested against all other answers (${format.confidenceLabel(Number(state.confidence))} confidence). ` +
    `${groups.filter((group) => group.significant).length} of ${groups.length} differ significantly.`;
  $('segments-table').tBodies[0].replaceChildren(
    ...groups.map((group) => {
      const bar = element('span', {
        className: 'mini-interval',
        attributes: { 'aria-hidden': 'true' },
      });
      const range = element('span', { className: 'mini-range' });
      range.style.left = position(group.interval.low);
      range.style.width = `${((group.interval.high - group.interval.low) / 2).toFixed(3)}%`;
      const dot = element('span', { className: 'mini-dot' });
      dot.style.left = position(group.nps);
      bar.append(range, dot);
      const verdict = group.versus
        ? element('span', {
            className: `badge ${group.significant ? (group.versus.diff > 0 ? 'badge-up' : 'badge-down') : 'badge-neutral'}`,
            text: group.significant ? (group.versus.diff > 0 ? 'higher' : 'lower') : 'similar',
          })
        : '';
      return element('tr', {}, [
        element('th', { text: group.key, attributes: { scope: 'row' } }),
        element('td', { className: 'num', text: format.count(group.n) }),
        element('td', { className: 'num strong', text: format.signed(group.nps) }),
        element('td', { className: 'interval-col' }, [
          element('span', {
            className: 'interval-text',
            text: `${format.signed(group.interval.low)} to ${format.signed(group.interval.high)}`,
          }),
          bar,
        ]),
        element('td', { className: 'num' }, [
          group.versus ? `${format.signed(group.versus.diff)} ` : '–',
          verdict,
        ]),
        element('td', {
          className: 'num',
          text: group.versus ? format.pValue(group.versus.p_value) : '–',
        }),
      ]);
    }),
  );
}

function setupSorting() {
  for (const header of document.querySelectorAll('#segments-table th[data-sort]')) {
    header.querySelector('button').addEventListener('click', () => {
      const key = header.dataset.sort;
      if (sort.key === key)
        sort.direction = sort.direction === 'ascending' ? 'descending' : 'ascending';
      else {
        sort.key = key;
        sort.direction = key === 'key' || key === 'p' ? 'ascending' : 'descending';
      }
      if (view) renderSegments(view.segments);
    });
  }
}

function renderThemes(themes) {
  const card = $('themes-card');
  const groups = [
    ['promoters', 'Promoters', 'promoter'],
    ['passives', 'Passives', 'passive'],
    ['detractors', 'Detractors', 'detractor'],
  ];
  const any = themes && groups.some(([key]) => themes[key]?.length);
  card.hidden = !any;
  if (!any) return;
  $('themes').replaceChildren(
    ...groups.map(([key, name, category]) => {
      const list = themes[key] ?? [];
      const column = element('section', { className: `theme-column theme-${category}` }, [
        element('h4', { text: name }),
      ]);
      if (!list.length) {
        column.append(
          element('p', { className: 'hint', text: 'No recurring words in these comments.' }),
        );
        return column;
      }
      const items = list.slice(0, 6).map((theme) =>
        element('li', {}, [
          element('p', { className: 'theme-term' }, [
            element('span', { className: 'term', text: theme.term }),
            element('span', {
              className: 'muted',
              text: `${format.count(theme.count)} ${theme.count === 1 ? 'comment' : 'comments'}`,
            }),
          ]),
          element(
            'ul',
            { className: 'examples' },
            theme.examples.slice(0, 2).map((example) => element('li', { text: example })),
          ),
        ]),
      );
      column.append(element('ul', { className: 'theme-list' }, items));
      return column;
    }),
  );
}

function renderRejected(summary, localRejections) {
  const rejections = [...(summary.rejections ?? []), ...localRejections];
  const total = summary.rejected + localRejections.length;
  $('rejected-card').hidden = total === 0;
  if (!total) return;
  $('rejected-note').textContent =
    `${format.count(total)} ${total === 1 ? 'row was' : 'rows were'} left out of every number above.` +
    (rejections.length < total ? ` The first ${format.count(rejections.length)} are listed.` : '');
  $('rejected-table').tBodies[0].replaceChildren(
    ...rejections.map((rejection) =>
      element('tr', {}, [
        element('td', { className: 'num', text: String(rejection.line) }),
        element('td', { text: rejection.reason }),
      ]),
    ),
  );
}

// ------------------------------------------------------------- comparison --

function comparableGroups() {
  const options = [];
  for (const group of view?.trend?.groups ?? [])
    options.push({
      value: `period:${group.key}`,
      label: `${format.bandLabel(state.period)} ${group.key}`,
      group,
    });
  for (const group of view?.segments?.groups ?? [])
    options.push({ value: `segment:${group.key}`, label: `Segment: ${group.key}`, group });
  return options;
}

function parseTriple(text, label) {
  const parts = text.split(/[\s,;/]+/).filter(Boolean);
  if (parts.length !== 3 || !parts.every((part) => /^\d+$/.test(part))) {
    return {
      error: `${label}: expected three whole numbers (promoters, passives, detractors), got “${text}”.`,
    };
  }
  const [promoters, passives, detractors] = parts.map(Number);
  return { counts: { promoters, passives, detractors } };
}

function syncCompareControls() {
  const groups = comparableGroups();
  const groupsAvailable = groups.length >= 2;
  const groupsRadio = document.querySelector('input[name="compare-mode"][value="groups"]');
  groupsRadio.disabled = !groupsAvailable;
  groupsRadio.closest('label').classList.toggle('disabled', !groupsAvailable);
  let mode = state.compareMode;
  if (mode === 'groups' && !groupsAvailable) mode = 'manual';
  for (const radio of document.querySelectorAll('input[name="compare-mode"]'))
    radio.checked = radio.value === mode;
  $('compare-groups').hidden = mode !== 'groups';
  $('compare-manual').hidden = mode !== 'manual';
  $('compare-benchmark').hidden = mode !== 'benchmark';
  for (const [select, key] of [
    [$('compare-a'), 'compareA'],
    [$('compare-b'), 'compareB'],
  ]) {
    select.replaceChildren(
      ...groups.map((option) =>
        element('option', { text: option.label, attributes: { value: option.value } }),
      ),
    );
  }
  if (groupsAvailable) {
    const values = groups.map((option) => option.value);
    const periods = values.filter((value) => value.startsWith('period:'));
    const fallbackA = periods.length >= 2 ? periods[periods.length - 1] : values[0];
    const fallbackB = periods.length >= 2 ? periods[periods.length - 2] : values[1];
    $('compare-a').value = values.includes(state.compareA) ? state.compareA : fallbackA;
    $('compare-b').value = values.includes(state.compareB) ? state.compareB : fallbackB;
  }
  $('manual-a').value = state.manualA;
  $('manual-b').value = state.manualB;
  return { mode, groups };
}

async function refreshComparison() {
  const token = ++compareToken;
  const { mode, groups } = syncCompareControls();
  const result = $('compare-result');
  const errorNode = $('compare-error');
  errorNode.textContent = '';
  result.replaceChildren();
  delete result.dataset.inputs;
  if (!view) return;
  const options = { method: testMethod(), confidence: Number(state.confidence) };
  let a;
  let b;
  let names;
  try {
    if (mode === 'groups') {
      const first = groups.find((option) => option.value === $('compare-a').value);
      const second = groups.find((option) => option.value === $('compare-b').value);
      if (!first || !second || first === second) {
        errorNode.textContent = 'Choose two different groups.';
        return;
      }
      a = countsOf(first.group);
      b = countsOf(second.group);
      names = [first.label, second.label];
    } else if (mode === 'manual') {
      if (!state.manualA.trim() || !state.manualB.trim()) {
        result.append(
          element('p', {
            className: 'hint',
            text: 'Enter the counts of two surveys, for example two quarters or two products.',
          }),
        );
        return;
      }
      const first = parseTriple(state.manualA, 'First');
      const second = parseTriple(state.manualB, 'Second');
      if (first.error || second.error) {
        errorNode.textContent = first.error || second.error;
        return;
      }
      a = first.counts;
      b = second.counts;
      names = ['First', 'Second'];
    } else {
      const target = Number($('benchmark-target').value);
      if (!Number.isFinite(target) || target < -100 || target > 100) {
        errorNode.textContent = `Target NPS: expected a number from −100 to +100, got “${$('benchmark-target').value}”.`;
        return;
      }
      const outcome = await engine.compareToBenchmark(countsOf(view.summary), target, options);
      if (token !== compareToken) return;
      showVerdict(outcome, [
        `Your score (${format.signed(view.summary.nps)})`,
        `the target ${format.signed(target, 0)}`,
      ]);
      return;
    }
    const outcome = await engine.compare(a, b, options);
    if (token !== compareToken) return;
    showVerdict(outcome, names);
    // Names the inputs the verdict answers, for anyone checking it is current.
    result.dataset.inputs = `${mode}|${state.manualA}|${state.manualB}|${options.method}`;
  } catch (failure) {
    if (token === compareToken) errorNode.textContent = failure.message;
  }
}

function showVerdict(outcome, [first, second]) {
  const confidence = format.confidenceLabel(Number(state.confidence));
  const significant = outcome.p_value < alpha();
  const direction = outcome.diff > 0 ? 'higher' : 'lower';
  const headline = significant
    ? `${first} is significantly ${direction} than ${second}.`
    : `No significant difference between ${first} and ${second}.`;
  const explanation = significant
    ? `A gap of ${format.fixed(Math.abs(outcome.diff), 1)} points this large would rarely appear by chance (p = ${format.pValue(outcome.p_value)}, below ${format.fixed(alpha(), 3)}).`
    : `A gap of ${format.fixed(Math.abs(outcome.diff), 1)} points could well be chance (p = ${format.pValue(outcome.p_value)}); more answers would tell.`;
  const stats = [
    ['Difference', format.fixed(outcome.diff), 'diff'],
    ['Standard error', format.fixed(outcome.se), 'se'],
    ['z', format.fixed(outcome.z), 'z'],
    ['p-value', format.pValue(outcome.p_value), 'p'],
    ['Test', `${format.methodNames[outcome.method] ?? outcome.method}, ${confidence}`, 'method'],
  ];
  $('compare-result').replaceChildren(
    element('p', {
      className: `verdict-headline ${significant ? 'verdict-yes' : 'verdict-no'}`,
      text: headline,
    }),
    element('p', { className: 'hint', text: explanation }),
    element(
      'dl',
      { className: 'stat-list' },
      stats.flatMap(([name, value, key]) => [
        element('dt', { text: name }),
        element('dd', { text: value, attributes: { 'data-stat': key } }),
      ]),
    ),
  );
}

// ---------------------------------------------------------------- planner --

async function refreshPlanner() {
  const token = ++plannerToken;
  const mode = state.plannerMode;
  for (const radio of document.querySelectorAll('input[name="planner-mode"]'))
    radio.checked = radio.value === mode;
  $('planner-margin').hidden = mode !== 'margin';
  $('planner-difference').hidden = mode !== 'difference';
  const result = $('planner-result');
  const errorNode = $('planner-error');
  errorNode.textContent = '';
  const confidence = Number(state.confidence);
  const confidenceText = format.confidenceLabel(confidence);
  try {
    if (mode === 'margin') {
      const margin = Number(state.margin);
      if (!(margin > 0 && margin <= 200)) {
        errorNode.textContent = `Margin of error: expected a number of points above 0 and at most 200, got “${state.margin}”.`;
        result.replaceChildren();
        return;
      }
      const useSplit = $('planner-expect').checked && view?.summary.n > 0;
      const plan = await engine.sampleSize({
        margin,
        confidence,
        method: state.method,
        ...(useSplit ? { expect: countsOf(view.summary) } : {}),
      });
      if (token !== plannerToken) return;
      const current = view?.summary.n ?? 0;
      result.replaceChildren(
        element('p', { className: 'verdict-headline' }, [
          element('strong', {
            text: format.count(plan.n),
            attributes: { 'data-stat': 'planned-n' },
          }),
          ` answers give a margin of error of ±${format.fixed(margin, 1)} points`,
        ]),
        element('p', {
          className: 'hint',
          text:
            `At ${confidenceText} confidence with the ${format.methodNames[state.method]} interval, ` +
            (useSplit
              ? 'assuming answers split as they do now.'
              : 'assuming the worst case for the split of answers.') +
            (current
              ? ` You have ${format.count(current)}${current >= plan.n ? ': enough.' : `: ${format.count(plan.n - current)} more to go.`}`
              : ''),
        }),
      );
    } else {
      const difference = Number(state.difference);
      const power = Number(state.power);
      if (!(difference > 0 && difference <= 200)) {
        errorNode.textContent = `Change to detect: expected a number of points above 0 and at most 200, got “${state.difference}”.`;
        result.replaceChildren();
        return;
      }
      if (!(power > 0 && power < 1)) {
        errorNode.textContent = `Power: expected a percentage between 0 and 100, got “${$('planner-power').value}”.`;
        result.replaceChildren();
        return;
      }
      const plan = await engine.sampleSize({ difference, power, confidence });
      if (token !== plannerToken) return;
      result.replaceChildren(
        element('p', { className: 'verdict-headline' }, [
          element('strong', {
            text: format.count(plan.n),
            attributes: { 'data-stat': 'planned-n' },
          }),
          ' answers in each of the two groups',
        ]),
        element('p', {
          className: 'hint',
          text: `to detect a change of ${format.fixed(difference, 1)} points with ${format.fixed(power * 100, 0)}% power in a two-sided test at ${confidenceText} confidence (worst-case split).`,
        }),
      );
    }
  } catch (failure) {
    if (token !== plannerToken) return;
    errorNode.textContent = failure.message;
    result.replaceChildren();
  }
}

// ---------------------------------------------------------------- exports --

// One row per group with the full-precision numbers of the summary.
function groupRows(groups, keyName, versusName) {
  const rows = [
    [
      keyName,
      'n',
      'promoters',
      'passives',
      'detractors',
      'nps',
      'low',
      'high',
      versusName,
      'se',
      'z',
      'p_value',
      'significant',
    ],
  ];
  for (const group of groups) {
    const test = group.versus;
    rows.push([
      group.key,
      group.n,
      group.promoters,
      group.passives,
      group.detractors,
      group.nps,
      group.interval.low,
      group.interval.high,
      test?.diff ?? '',
      test?.se ?? '',
      test?.z ?? '',
      test?.p_value ?? '',
      test ? group.significant : '',
    ]);
  }
  return toCsv(rows);
}

function exportSegments() {
  download(
    'nps-segments.csv',
    groupRows(groupsWithSignificance(view.segments), 'segment', 'diff_vs_rest'),
    'text/csv',
  );
}

function exportTrend() {
  download(
    `nps-trend-by-${state.period}.csv`,
    groupRows(groupsWithSignificance(view.trend), state.period, 'diff_vs_previous'),
    'text/csv',
  );
}

function setupExports() {
  $('export-json').addEventListener('click', () =>
    download('nps-summary.json', `${JSON.stringify(view.summary, null, 2)}\n`, 'application/json'),
  );
  $('segments-csv').addEventListener('click', exportSegments);
  $('trend-csv').addEventListener('click', exportTrend);
  $('export-link').addEventListener('click', async () => {
    writeState(state);
    try {
      await navigator.clipboard.writeText(location.href);
      $('export-note').textContent =
        'Link copied. It holds your options and typed-in data in its fragment, which browsers never send to a server.';
    } catch {
      $('export-note').textContent = `Copy this link: ${location.href}`;
    }
  });
  const titles = { distribution: 'Distribution of NPS scores', trend: 'NPS trend' };
  for (const button of document.querySelectorAll('[data-export-png]')) {
    button.addEventListener('click', () =>
      download(`nps-${button.dataset.exportPng}.png`, chartPng(charts[button.dataset.exportPng])),
    );
  }
  for (const button of document.querySelectorAll('[data-export-svg]')) {
    const name = button.dataset.exportSvg;
    button.addEventListener('click', () =>
      download(`nps-${name}.svg`, chartSvg(charts[name], titles[name]), 'image/svg+xml'),
    );
  }
  for (const button of document.querySelectorAll('[data-table-toggle]')) {
    button.addEventListener('click', () => {
      const wrap = $(`${button.dataset.tableToggle}-table-wrap`);
      wrap.hidden = !wrap.hidden;
      button.setAttribute('aria-pressed', String(!wrap.hidden));
    });
  }
}

// ---------------------------------------------------------------- options --

function renderBandEditor() {
  const rows = $('band-rows');
  const bands = bandsFromState();
  rows.replaceChildren(
    ...bands.map((band, index) => {
      const name = element('input', {
        attributes: {
          type: 'text',
          value: band.name,
          'aria-label': `Band ${index + 1} name`,
          'data-band': index,
          'data-part': 'name',
        },
      });
      const lower = element('input', {
        attributes: {
          type: 'number',
          step: 'any',
          min: '-100',
          max: '100',
          value: String(band.lower),
          'aria-label': `Band ${index + 1} lower bound`,
          'data-band': index,
          'data-part': 'lower',
        },
      });
      if (index === 0) lower.readOnly = true;
      const remove = element('button', {
        className: 'icon-button',
        text: '×',
        attributes: {
          type: 'button',
          'aria-label': `Remove band ${index + 1} (${band.name})`,
          'data-remove': index,
        },
      });
      remove.disabled = bands.length <= 1 || index === 0;
      return element('div', { className: 'band-row' }, [name, lower, remove]);
    }),
  );
}

function bandsFromEditor() {
  return [...$('band-rows').querySelectorAll('.band-row')].map((row) => ({
    name: row.querySelector('[data-part="name"]').value.trim(),
    lower: Number(row.querySelector('[data-part="lower"]').value),
  }));
}

function setupOptions() {
  $('method').value = state.method;
  $('confidence').value = String(Number((Number(state.confidence) * 100).toPrecision(6)));
  $('period').value = state.period;
  $('method').addEventListener('change', () => {
    state.method = $('method').value;
    recompute();
  });
  $('confidence').addEventListener('input', () => {
    const percent = Number($('confidence').value);
    const valid = $('confidence').value.trim() !== '' && percent > 0 && percent < 100;
    markInvalid($('confidence'), !valid);
    $('confidence-error').textContent = valid
      ? ''
      : `Confidence level: expected a percentage between 0 and 100, got “${$('confidence').value}”.`;
    if (!valid) return;
    state.confidence = String(Number((percent / 100).toPrecision(8)));
    recomputeSoon();
  });
  $('period').addEventListener('change', () => {
    state.period = $('period').value;
    recompute();
  });
  renderBandEditor();
  $('band-rows').addEventListener('input', () => {
    state.bands = bandsToState(bandsFromEditor());
    recomputeSoon();
  });
  $('band-rows').addEventListener('click', (event) => {
    const index = event.target.closest('[data-remove]')?.dataset.remove;
    if (index === undefined) return;
    const bands = bandsFromEditor();
    bands.splice(Number(index), 1);
    state.bands = bandsToState(bands);
    renderBandEditor();
    recompute();
  });
  $('band-add').addEventListener('click', () => {
    const bands = bandsFromEditor();
    const last = bands[bands.length - 1];
    bands.push({
      name: `band ${bands.length + 1}`,
      lower: Math.min(100, Math.round(((last?.lower ?? -100) + 100) / 2 + 50)),
    });
    state.bands = bandsToState(bands);
    renderBandEditor();
    recompute();
  });
  $('band-reset').addEventListener('click', () => {
    state.bands = '';
    renderBandEditor();
    recompute();
  });

  for (const radio of document.querySelectorAll('input[name="compare-mode"]')) {
    radio.addEventListener('change', () => {
      state.compareMode = radio.value;
      writeState(state);
      refreshComparison();
    });
  }
  for (const [id, key] of [
    ['compare-a', 'compareA'],
    ['compare-b', 'compareB'],
  ]) {
    $(id).addEventListener('change', () => {
      state[key] = $(id).value;
      writeState(state);
      refreshComparison();
    });
  }
  const refreshComparisonSoon = debounce(refreshComparison, 200);
  for (const [id, key] of [
    ['manual-a', 'manualA'],
    ['manual-b', 'manualB'],
  ]) {
    $(id).addEventListener('input', () => {
      state[key] = $(id).value;
      writeState(state);
      refreshComparisonSoon();
    });
  }
  $('benchmark-target').addEventListener('input', refreshComparisonSoon);

  $('planner-margin-input').value = state.margin;
  $('planner-difference-input').value = state.difference;
  $('planner-power').value = String(Number(state.power) * 100);
  const refreshPlannerSoon = debounce(refreshPlanner, 200);
  for (const radio of document.querySelectorAll('input[name="planner-mode"]')) {
    radio.addEventListener('change', () => {
      state.plannerMode = radio.value;
      writeState(state);
      refreshPlanner();
    });
  }
  for (const [id, key, scale] of [
    ['planner-margin-input', 'margin', 1],
    ['planner-difference-input', 'difference', 1],
    ['planner-power', 'power', 100],
  ]) {
    $(id).addEventListener('input', () => {
      const value = $(id).value.trim();
      state[key] = value === '' ? '' : String(Number(value) / scale);
      writeState(state);
      refreshPlannerSoon();
    });
  }
  $('planner-expect').addEventListener('change', refreshPlanner);
}

function setupInputs() {
  const grid = $('histogram-grid');
  const values = state.histogram ? state.histogram.split(',') : [];
  for (let score = 0; score <= 10; score += 1) {
    const id = `histogram-${score}`;
    const input = element('input', {
      attributes: {
        id,
        type: 'number',
        min: '0',
        step: '1',
        inputmode: 'numeric',
        placeholder: '0',
        'aria-describedby': 'histogram-error',
      },
    });
    input.value = values[score] ?? '';
    grid.append(
      element('div', { className: `histogram-cell cell-${categoryOfScore(score)}` }, [
        element('label', { text: String(score), attributes: { for: id } }),
        input,
      ]),
    );
  }
  $('count-promoters').value = state.promoters;
  $('count-passives').value = state.passives;
  $('count-detractors').value = state.detractors;
  $('scores-text').value = state.scores;
  for (const input of document.querySelectorAll('#panel-counts input, #histogram-grid input'))
    input.addEventListener('input', recomputeSoon);
  $('scores-text').addEventListener('input', recomputeSoon);
  for (const button of document.querySelectorAll('[data-example]')) {
    button.addEventListener('click', () => {
      const [p, s, d] = button.dataset.example.split(',');
      $('count-promoters').value = p;
      $('count-passives').value = s;
      $('count-detractors').value = d;
      recompute();
    });
  }
}

let engineKind = '';

function showEngineMemory(bytes) {
  const note = $('engine-note');
  if (bytes) note.dataset.memory = String(bytes);
  const kind =
    engineKind === 'wasm' ? 'WebAssembly' : 'JavaScript (this page does not allow WebAssembly)';
  note.textContent = `Engine: ${kind}${bytes ? `, ${format.bytes(bytes)} of memory` : ''}.`;
}

async function detectCollector() {
  try {
    const response = await fetch('api/health', { cache: 'no-store' });
    if (!response.ok) return false;
    $('tab-collector').hidden = false;
    return true;
  } catch {
    return false;
  }
}

async function start() {
  setupThemeToggle($('theme-toggle'));
  setupTabs();
  setupInputs();
  setupOptions();
  setupFileInputs();
  setupSorting();
  setupExports();
  onThemeChange(() => {
    if (!charts || !view) return;
    restyle(charts.distribution);
    restyle(charts.trend);
    render(view);
  });
  const collector = await detectCollector();
  if (state.input === 'collector' && !collector) state.input = defaults.input;
  selectInput(state.input === 'sample' ? 'file' : state.input === 'file' ? 'counts' : state.input);
  if (state.input === 'file') state.input = 'counts';
  engine
    .load()
    .then(({ engine: kind }) => {
      engineKind = kind;
      showEngineMemory(0);
    })
    .catch((failure) => showError(failure.message));
  await recompute();
  document.documentElement.dataset.ready = 'true';
}

start();
