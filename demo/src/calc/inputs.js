// The data card's typed inputs (counts, a 0-10 histogram, pasted scores),
// its tabs, and `recompute`, which turns the input on screen into results.
// Pasted scores are read by the core (parseScores); a pasted table goes
// through the core's file readers like a file.
import { Cancelled } from './engine.js';
import { $, debounce, element, markInvalid } from './dom.js';
import { writeLink } from './link.js';
import { coreOptions, isBandsError } from './options.js';
import { render, showEmpty, showError } from './render.js';
import { cancelRead, readCollector, readFileSource, readSample, startFile } from './files.js';

const fieldErrors = { counts: 'count-error', histogram: 'histogram-error', scores: 'scores-error' };
const sourceLabels = {
  counts: 'From the counts you entered',
  histogram: 'From the score counts you entered',
  scores: 'From the scores you pasted',
};

export function selectInput(input, { focus = false } = {}) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.input === input;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute('aria-controls')).hidden = !selected;
    if (selected && focus) tab.focus();
  }
}

// Results on screen stay until the chosen input has data of its own; their
// source line says which input they belong to.
function switchInput(app, input, options) {
  const { settings } = app;
  settings.input = input === 'file' && settings.input === 'sample' ? 'sample' : input;
  selectInput(input, options);
  writeLink(settings);
  if (input === 'file' && !app.files.chosen && settings.input !== 'sample') return;
  recompute(app, { keepOnEmpty: true });
}

export function setupTabs(app) {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const visible = () => tabs.filter((tab) => !tab.hidden);
  for (const tab of tabs) {
    tab.addEventListener('click', () => switchInput(app, tab.dataset.input));
    tab.addEventListener('keydown', (event) => {
      const list = visible();
      const index = list.indexOf(tab);
      const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: list.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const target = list[(moves[event.key] + list.length) % list.length];
      switchInput(app, target.dataset.input, { focus: true });
    });
  }
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

function countsInput(app) {
  const fields = [
    ['promoters', $('count-promoters'), 'Promoters'],
    ['passives', $('count-passives'), 'Passives'],
    ['detractors', $('count-detractors'), 'Detractors'],
  ];
  const counts = {};
  let error = '';
  for (const [key, input, label] of fields) {
    markInvalid(input, false);
    app.settings[key] = input.value.trim();
    const read = readCount(input, label);
    error ||= read.error ?? '';
    counts[key] = read.value;
  }
  if (error) return { error };
  if (fields.every(([, input]) => input.value.trim() === '')) return { empty: true };
  return { input: counts };
}

function histogramInput(app) {
  const inputs = [...document.querySelectorAll('#histogram-grid input')];
  const values = [];
  let error = '';
  for (const [score, input] of inputs.entries()) {
    markInvalid(input, false);
    const read = readCount(input, `Score ${score}`);
    error ||= read.error ?? '';
    values.push(read.value);
  }
  const empty = inputs.every((input) => input.value.trim() === '');
  app.settings.histogram = empty ? '' : inputs.map((input) => input.value.trim()).join(',');
  if (error) return { error };
  if (empty) return { empty: true };
  return { input: { histogram: values } };
}

// Pasted text: plain scores, read by the core, or a table (a first line with
// words, such as a header) that the core's CSV reader reads like a file.
async function scoresInput(app) {
  const text = $('scores-text').value;
  app.settings.scores = text;
  if (!text.trim()) return { empty: true };
  const firstLine = text.split(/\r?\n/).find((line) => line.trim()) ?? '';
  if (/[a-z]/i.test(firstLine)) {
    return { table: new Blob([text], { type: 'text/csv' }) };
  }
  const parsed = await app.engine.api.parseScores(text);
  return {
    input: { histogram: parsed.histogram },
    rejected: parsed.rejected,
    rejections: parsed.rejections,
  };
}

/**
 * The results for the input on screen. Every error clears what was shown
 * before, so a result never outlives the input it belongs to.
 */
export async function recompute(app, { keepOnEmpty = false } = {}) {
  const ticket = ++app.inputs.ticket;
  const { settings } = app;
  for (const id of [...Object.values(fieldErrors), 'bands-error']) $(id).textContent = '';
  writeLink(settings);
  if (!(Number(settings.confidence) > 0 && Number(settings.confidence) < 1)) return;
  try {
    if (settings.input in fieldErrors) {
      cancelRead(app);
      const gathered =
        settings.input === 'counts'
          ? countsInput(app)
          : settings.input === 'histogram'
            ? histogramInput(app)
            : await scoresInput(app);
      if (ticket !== app.inputs.ticket) return;
      writeLink(settings);
      if (gathered.error) {
        $(fieldErrors[settings.input]).textContent = gathered.error;
        showError(app, `No results: ${gathered.error}`);
        return;
      }
      if (gathered.empty) {
        if (!(keepOnEmpty && app.render.view)) showEmpty(app);
        return;
      }
      if (gathered.table) {
        await startFile(app, gathered.table, {
          name: 'the pasted table',
          format: 'csv',
          prefix: $('scores-text').value,
          pasted: true,
        });
        return;
      }
      const summary = await app.engine.api.summarize(gathered.input, coreOptions(app));
      if (ticket !== app.inputs.ticket) return;
      const rejected = gathered.rejected ?? 0;
      if (rejected) {
        $('scores-error').textContent =
          `${rejected} ${rejected === 1 ? 'entry was' : 'entries were'} not counted; see “Rows that were not counted”.`;
      }
      render(app, {
        summary,
        trend: null,
        segments: null,
        distribution: settings.input !== 'counts',
        localRejected: rejected,
        localRejections: gathered.rejections ?? [],
        label: sourceLabels[settings.input],
      });
      return;
    }
    if (settings.input === 'file' && app.files.chosen) await readFileSource(app);
    else if (settings.input === 'sample') await readSample(app);
    else if (settings.input === 'collector') await readCollector(app);
    else showEmpty(app);
  } catch (failure) {
    if (failure instanceof Cancelled || ticket !== app.inputs.ticket) return;
    if (isBandsError(failure)) $('bands-error').textContent = failure.message;
    showError(app, failure.message);
  }
}

export function setupInputs(app) {
  const { settings } = app;
  const recomputeSoon = debounce(() => recompute(app), 150);
  const grid = $('histogram-grid');
  const values = settings.histogram ? settings.histogram.split(',') : [];
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
      element('div', { className: 'histogram-cell' }, [
        element('label', { text: String(score), attributes: { for: id } }),
        input,
      ]),
    );
  }
  $('count-promoters').value = settings.promoters;
  $('count-passives').value = settings.passives;
  $('count-detractors').value = settings.detractors;
  $('scores-text').value = settings.scores;
  for (const input of document.querySelectorAll('#panel-counts input, #histogram-grid input'))
    input.addEventListener('input', recomputeSoon);
  $('scores-text').addEventListener('input', recomputeSoon);
  for (const button of document.querySelectorAll('[data-example]')) {
    button.addEventListener('click', () => {
      const [p, s, d] = button.dataset.example.split(',');
      $('count-promoters').value = p;
      $('count-passives').value = s;
      $('count-detractors').value = d;
      recompute(app);
    });
  }
}

/** Colors the histogram's cells by the core's category of each score. */
export function colorHistogram(categories) {
  document.querySelectorAll('#histogram-grid .histogram-cell').forEach((cell, score) => {
    cell.classList.add(`cell-${categories[score]}`);
  });
}
