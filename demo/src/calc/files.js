// Files, the sample export and the collector's answers: each streamed through
// the core's readers in the engine workers, with progress, cancellation, a
// column mapping asked for only when the header leaves the score open, and
// the collector's admin token where it needs one.
import * as format from '../format.js';
import {
  formatFromName,
  guessMapping,
  shapeOf,
  rememberedMapping,
  rememberMapping,
  roles,
} from '../columns.js';
import { Cancelled } from './engine.js';
import { $, element } from './dom.js';
import { writeLink } from './link.js';
import { coreOptions, dateOptions } from './options.js';
import { render, showEmpty, showError } from './render.js';
import { recompute, selectInput } from './inputs.js';

const sampleUrl = 'samples/survey-export.csv';
const collectorUrl = 'api/responses.jsonl';
/** Where the collector's admin token is kept (sessionStorage, this tab only). */
export const tokenKey = 'npskit.collector-token';
/** The columns of a collector's export, as the core's readers name them. */
export const exportMapping = {
  score: 'score',
  comment: 'comment',
  segment: 'segment',
  date: 'submitted_at',
  weight: '',
  // Empty: the core reads a "csat" or "ces" column when there is one.
  csat: '',
  ces: '',
};
const columnOptions = {
  score: 'scoreColumn',
  comment: 'commentColumn',
  segment: 'segmentColumn',
  date: 'dateColumn',
  weight: 'weightColumn',
  csat: 'csatColumn',
  ces: 'cesColumn',
};
const roleLabels = {
  score: 'Score (0–10)',
  comment: 'Comment',
  segment: 'Segment',
  date: 'Date',
  weight: 'Weight',
  csat: 'CSAT (1–5)',
  ces: 'CES (1–7)',
};

/** The segment columns chosen, in order: any number of them. */
export const segmentColumnsOf = (mapping) =>
  mapping.segments?.length ? mapping.segments : mapping.segment ? [mapping.segment] : [];

/** The options of one core reader of a file with this column mapping. */
export function readerOptions(app, formatName, mapping, by) {
  // Every rejected row goes into the CSV download, up to a bound that keeps
  // a badly mangled file from filling the memory with reasons.
  const options = { format: formatName, by, maxRejections: 10000, ...coreOptions(app) };
  for (const [role, option] of Object.entries(columnOptions))
    if (mapping[role]) options[option] = mapping[role];
  // Several segment columns: the core groups by each alone and by every two
  // crossed, with the same tests and minimum group size.
  const segments = segmentColumnsOf(mapping);
  if (by === 'segment') {
    if (segments.length > 1) {
      delete options.segmentColumn;
      options.segmentColumns = segments;
    }
    options.minGroupSize = Number(app.settings.minGroupSize) || 0;
  }
  if (mapping.date) Object.assign(options, dateOptions(app));
  return options;
}

export function cancelRead(app) {
  app.files.controller?.abort();
  app.files.controller = null;
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
function sourceKey(app, source, name, total) {
  const { files } = app;
  if (source.blob && !files.blobIds.has(source.blob))
    files.blobIds.set(source.blob, ++files.lastBlobId);
  return JSON.stringify([
    source.url ?? name,
    total,
    source.blob ? files.blobIds.get(source.blob) : null,
  ]);
}

// Streams one source once through one reader of the core: overall and
// segments, and with a date column the trend by the chosen period from the
// same records (the core's `trend` option). Each summary is kept, so
// switching the period reads the file for the trend only.
async function streamSource(app, source, { name, total, formatName, mapping }) {
  const { files } = app;
  const ticket = app.inputs.ticket;
  const bySegment = segmentColumnsOf(mapping).length > 0;
  const readers = [readerOptions(app, formatName, mapping, bySegment ? 'segment' : 'none')];
  if (mapping.date)
    readers.push({ ...readerOptions(app, formatName, mapping, app.settings.period), themes: 0 });
  const base = sourceKey(app, source, name, total);
  const keys = readers.map((options) => base + JSON.stringify(options));
  const missing = readers.filter((_, index) => !files.cache.has(keys[index]));
  // Both missing: one pass gives both, the trend as the summary's .trend.
  const both = missing.length === 2;
  const requests = both ? [{ ...missing[0], trend: app.settings.period }] : missing;
  if (missing.length) {
    cancelRead(app);
    const controller = new AbortController();
    files.controller = controller;
    $('file-status').textContent = '';
    $('results').setAttribute('aria-busy', 'true');
    showProgress(name, 0, total);
    let result;
    try {
      result = await app.engine.api.read(source, requests, {
        total,
        signal: controller.signal,
        onProgress: (progress) => {
          if (!controller.signal.aborted) showProgress(name, progress.bytes, progress.total);
        },
      });
    } catch (failure) {
      if (failure instanceof Cancelled) {
        $('file-status').textContent = `Stopped reading ${name}. Nothing from it is shown.`;
        if (ticket === app.inputs.ticket) showEmpty(app);
      }
      throw failure.code
        ? Object.assign(new Error(`${name}: ${failure.message}`), { code: failure.code })
        : failure;
    } finally {
      if (files.controller === controller) {
        files.controller = null;
        $('progress-block').hidden = true;
        $('results').removeAttribute('aria-busy');
      }
    }
    showEngineMemory(app, result.memory);
    let summaries = result.summaries;
    if (both) {
      const { trend, ...main } = summaries[0];
      summaries = [main, trend];
    }
    missing.forEach((options, index) => {
      files.cache.set(base + JSON.stringify(options), {
        summary: summaries[index],
        bytes: result.bytes,
      });
    });
    while (files.cache.size > 8) files.cache.delete(files.cache.keys().next().value);
  }
  if (ticket !== app.inputs.ticket) return;
  const [main, trend] = keys.map((key) => files.cache.get(key));
  $('file-status').textContent =
    `Read ${name}: ${format.bytes(main.bytes)}, ${format.answers(main.summary.n)}.`;
  render(app, {
    summary: main.summary,
    segments: bySegment ? main.summary : null,
    trend: trend?.summary ?? null,
    distribution: true,
    localRejections: [],
    label: `From ${name}`,
  });
}

// Enough rows to judge what each column holds; the profile leaves out a last
// row cut short.
const profiledBytes = 65536;

// The core's profile of the file's first bytes: each column's name, sample
// values and what they look like.
async function profileOf(app, blob, name, formatName, prefix) {
  const input = prefix ?? (await blob.slice(0, profiledBytes).arrayBuffer());
  const truncated = prefix === undefined && blob.size > profiledBytes;
  let profile;
  try {
    profile = await app.engine.api.profileColumns(input, formatName, truncated);
  } catch (failure) {
    if (!failure.code || failure.code === 'engine') throw failure;
    throw Object.assign(new Error(`${name}: ${failure.message}`), { code: failure.code });
  }
  // A column without a name cannot be chosen by name.
  return profile.columns.filter((column) => column.name !== '');
}

export async function startFile(app, blob, { name, format: formatName, prefix, pasted = false }) {
  const { files } = app;
  // The readers' workers load the core while the header is looked at.
  app.engine.api.prepareReading().catch((failure) => showError(app, failure.message));
  const profiles = await profileOf(app, blob, name, formatName, prefix);
  const columns = profiles.map((column) => column.name);
  if (columns.length === 0) {
    throw new Error(
      `${name}: no header row or first record was found; expected column names such as “score” in the first line.`,
    );
  }
  const source = Object.assign(blob, { displayName: name, formatName });
  const guess = guessMapping(profiles);
  if (pasted) {
    if (!guess.mapping.score) {
      throw new Error(
        `${name}: none of the columns (${columns.join(', ')}) holds 0–10 scores; name it “score”, or save the table as a file and choose its columns in the File tab.`,
      );
    }
    await readBlob(app, source, guess.mapping);
    return;
  }
  const remembered = rememberedMapping(columns);
  files.chosen = source;
  files.columns = columns;
  files.profiles = profiles;
  files.mapping = remembered ?? guess.mapping;
  buildMappingForm(
    profiles,
    files.mapping,
    remembered ? 'remembered' : guess.obvious ? 'guessed' : 'ask',
  );
  if (!remembered && !guess.obvious) {
    showEmpty(app, { waitingFor: name });
    $('mapping-form').querySelector('select')?.focus();
    return;
  }
  await readFileSource(app);
}

function readBlob(app, source, mapping) {
  if (!mapping?.score) return Promise.resolve();
  return streamSource(
    app,
    { blob: source },
    { name: source.displayName, total: source.size, formatName: source.formatName, mapping },
  );
}

/** Reads the chosen file with its current column mapping. */
export function readFileSource(app) {
  return readBlob(app, app.files.chosen, app.files.mapping);
}

export function readSample(app) {
  selectInput('file');
  return streamSource(
    app,
    { url: sampleUrl },
    { name: 'the sample export', total: 0, formatName: 'csv', mapping: exportMapping },
  );
}

// The collector's export has a segment only when the pages that collected
// the answers set one, and the core refuses a named column that no answer
// has; such a column is left out and the answers read again without it.
async function readWithoutAbsentColumns(app, source, settings) {
  let mapping = { ...settings.mapping };
  for (;;) {
    try {
      return await streamSource(app, source, { ...settings, mapping });
    } catch (failure) {
      const absent = ['segment', 'comment'].find(
        (role) =>
          mapping[role] &&
          failure.code === 'missing_column' &&
          failure.message.includes(`(the ${role} column)`),
      );
      if (!absent) throw failure;
      mapping = { ...mapping, [absent]: '' };
    }
  }
}

export async function readCollector(app) {
  const { collector } = app.files;
  selectInput('collector');
  $('collector-error').textContent = '';
  try {
    await readWithoutAbsentColumns(
      app,
      { url: collectorUrl, token: collector.token || undefined },
      { name: 'the collector’s answers', total: 0, formatName: 'jsonl', mapping: exportMapping },
    );
  } catch (failure) {
    if (failure.code === 'unauthorized') {
      $('collector-error').textContent = failure.message.replace(/^.*?: /, '');
      $('collector-token').setAttribute('aria-invalid', 'true');
      $('collector-token').focus();
    }
    throw failure;
  }
}

// A column's sample values, each isolated in its own direction (an Arabic
// comment next to a number stays readable).
function sampleValues(profile, className = 'mapping-samples') {
  const samples = profile?.samples ?? [];
  const out = element('span', { className });
  samples.forEach((sample, index) => {
    if (index > 0) out.append(' · ');
    out.append(element('span', { text: sample, attributes: { dir: 'auto' } }));
  });
  if (!samples.length && profile) out.append('no values in the first rows');
  return out;
}

// What the column's values look like, as a tag before its samples.
function shapeTag(profile) {
  const shape = shapeOf(profile);
  return shape ? [element('span', { className: 'mapping-shape', text: shape }), ' '] : [];
}

// Segments: any number of columns, each a checkbox in the order of the file.
function segmentChoices(profiles, mapping) {
  const chosen = new Set(segmentColumnsOf(mapping));
  const boxes = profiles.map((profile, index) =>
    element('label', { className: 'check' }, [
      element('input', {
        attributes: {
          type: 'checkbox',
          name: 'segments',
          value: profile.name,
          id: `map-segment-${index}`,
          ...(chosen.has(profile.name) ? { checked: '' } : {}),
        },
      }),
      ' ',
      element('span', { text: profile.name, attributes: { dir: 'auto' } }),
      ' ',
      ...shapeTag(profile),
      sampleValues(profile),
    ]),
  );
  return element('fieldset', { className: 'field segment-choices' }, [
    element('legend', { text: 'Segments (any number; each alone and every two crossed)' }),
    ...boxes,
  ]);
}

/** The mapping the form shows. */
function mappingFromForm() {
  const mapping = Object.fromEntries(
    roles.filter((role) => role !== 'segment').map((role) => [role, $(`map-${role}`).value]),
  );
  mapping.segments = [
    ...$('mapping-fields').querySelectorAll('input[name="segments"]:checked'),
  ].map((box) => box.value);
  mapping.segment = mapping.segments[0] ?? '';
  return mapping;
}

function buildMappingForm(profiles, mapping, how) {
  const columns = profiles.map((profile) => profile.name);
  const profileOf = (name) => profiles.find((profile) => profile.name === name);
  const fields = $('mapping-fields');
  fields.replaceChildren();
  for (const role of roles) {
    if (role === 'segment') {
      fields.append(segmentChoices(profiles, mapping));
      continue;
    }
    const id = `map-${role}`;
    const select = element('select', {
      attributes: { id, name: role, 'aria-describedby': `${id}-samples` },
    });
    if (role !== 'score')
      select.append(element('option', { text: 'None', attributes: { value: '' } }));
    else if (!mapping.score)
      select.append(element('option', { text: 'Choose a column…', attributes: { value: '' } }));
    for (const column of columns) {
      const shape = shapeOf(profileOf(column));
      select.append(
        element('option', {
          text: shape ? `${column} (${shape})` : column,
          attributes: { value: column },
        }),
      );
    }
    select.value = mapping[role] ?? '';
    // The chosen column's first values, so a column is recognised by what it holds.
    const samples = element('p', { className: 'hint', attributes: { id: `${id}-samples` } });
    const showSamples = () => samples.replaceChildren(sampleValues(profileOf(select.value)));
    showSamples();
    select.addEventListener('change', showSamples);
    fields.append(
      element('div', { className: 'field' }, [
        element('label', { text: roleLabels[role], attributes: { for: id } }),
        select,
        samples,
      ]),
    );
  }
  const hints = {
    ask: 'The header does not say which column holds the score; the columns below are suggested from their values. Check them and read the file. Your choice is remembered for files with the same columns.',
    guessed: 'Columns were recognised from the header. Change them and read again if needed.',
    remembered: 'Using the columns you chose last time for files with this header.',
    chosen: 'Your choice is remembered for files with the same columns.',
  };
  $('mapping-hint').textContent = hints[how];
  // Asked for only when the header leaves the score open; otherwise one line
  // says which columns are used, with a way to change them.
  const form = $('mapping-form');
  form.hidden = how !== 'ask';
  form.classList.toggle('mapping-ask', how === 'ask');
  const used = roles
    .filter((role) => role !== 'segment' && mapping[role])
    .map((role) => `${roleLabels[role].split(' ')[0].toLowerCase()} from “${mapping[role]}”`);
  const segments = segmentColumnsOf(mapping);
  if (segments.length)
    used.push(
      `${segments.length === 1 ? 'segment' : 'segments'} from ${segments.map((name) => `“${name}”`).join(', ')}`,
    );
  $('mapping-summary-text').textContent =
    `${how === 'remembered' ? 'As last time: ' : 'Reading '}${used.join(', ')}.`;
  $('mapping-summary').hidden = how === 'ask';
}

export function showEngineMemory(app, bytes) {
  const note = $('engine-note');
  if (bytes) note.dataset.memory = String(bytes);
  if (!app.engine.kind) return;
  const kind =
    app.engine.kind === 'wasm'
      ? `WebAssembly${app.engine.simd ? ' with SIMD' : ''}`
      : 'JavaScript (this page does not allow WebAssembly)';
  note.textContent = `Engine: ${kind}${bytes ? `, ${format.bytes(bytes)} of memory` : ''}.`;
}

function storedToken() {
  try {
    return sessionStorage.getItem(tokenKey) ?? '';
  } catch {
    return '';
  }
}

function storeToken(token) {
  try {
    if (token) sessionStorage.setItem(tokenKey, token);
    else sessionStorage.removeItem(tokenKey);
  } catch {
    // Storage refused (private mode): the token still serves this page.
  }
}

/** Shows the Collector tab when this page is served by an npskit collector. */
export async function detectCollector(app) {
  try {
    const response = await fetch('api/health', { cache: 'no-store' });
    // A collector that guards everything with its token still answers.
    if (!(response.ok || response.status === 401)) return false;
    app.files.collector.available = true;
    $('tab-collector').hidden = false;
    return true;
  } catch {
    return false;
  }
}

export function setupFileInputs(app) {
  const { files, settings } = app;
  const zone = $('drop-zone');
  const open = (chosen) => {
    if (!chosen) return;
    settings.input = 'file';
    writeLink(settings);
    const ticket = ++app.inputs.ticket;
    startFile(app, chosen, { name: chosen.name, format: formatFromName(chosen.name) }).catch(
      (failure) => {
        if (!(failure instanceof Cancelled) && ticket === app.inputs.ticket)
          showError(app, failure.message);
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
  $('cancel-button').addEventListener('click', () => cancelRead(app));
  $('sample-button').addEventListener('click', () => {
    files.chosen = null;
    $('mapping-form').hidden = true;
    $('mapping-summary').hidden = true;
    settings.input = 'sample';
    recompute(app);
  });

  files.collector.token = storedToken();
  $('collector-token').value = files.collector.token;
  $('collector-form').addEventListener('submit', (event) => {
    event.preventDefault();
    files.collector.token = $('collector-token').value.trim();
    $('collector-token').removeAttribute('aria-invalid');
    storeToken(files.collector.token);
    settings.input = 'collector';
    files.cache.clear();
    recompute(app);
  });

  // The results area points to the form while it waits for the columns
  // (the form is further up on a phone, in the sidebar on a wide screen).
  $('empty-mapping-link').addEventListener('click', () => {
    $('mapping-form').scrollIntoView({ block: 'start' });
    $('mapping-form').querySelector('select, input')?.focus({ preventScroll: true });
  });
  $('mapping-change').addEventListener('click', () => {
    $('mapping-summary').hidden = true;
    $('mapping-form').hidden = false;
    $('map-score').focus();
  });
  $('mapping-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const mapping = mappingFromForm();
    if (!mapping.score) {
      showError(app, 'Choose the column that holds the 0–10 score.');
      $('map-score').focus();
      return;
    }
    files.mapping = mapping;
    rememberMapping(files.columns, mapping);
    buildMappingForm(files.profiles, mapping, 'chosen');
    settings.input = 'file';
    const ticket = ++app.inputs.ticket;
    readFileSource(app).catch((failure) => {
      if (!(failure instanceof Cancelled) && ticket === app.inputs.ticket)
        showError(app, failure.message);
    });
  });
}
