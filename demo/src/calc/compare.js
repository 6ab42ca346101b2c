// "Is the difference real?": two groups of the results, two sets of typed
// counts, or the score against a target, tested by the core. The verdict, its
// significance and the difference are the core's: `diff` is the plain
// difference of the two scores on screen, and when the test works on adjusted
// estimates (`adjusted_diff`) the card says so in words.
import * as format from '../format.js';
import { $, debounce, element } from './dom.js';
import { writeLink } from './link.js';
import { coreOptions, methodOf } from './options.js';

const countsOf = (stats) => ({
  promoters: stats.promoters,
  passives: stats.passives,
  detractors: stats.detractors,
});

function comparableGroups(app) {
  const { view } = app.render;
  const options = [];
  for (const group of view?.trend?.groups ?? [])
    options.push({
      value: `period:${group.key}`,
      label: `${format.bandLabel(app.settings.period)} ${group.key}`,
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

function syncControls(app) {
  const { settings } = app;
  const groups = comparableGroups(app);
  const groupsAvailable = groups.length >= 2;
  const groupsRadio = document.querySelector('input[name="compare-mode"][value="groups"]');
  groupsRadio.disabled = !groupsAvailable;
  groupsRadio.closest('label').classList.toggle('disabled', !groupsAvailable);
  let mode = settings.compareMode;
  if (mode === 'groups' && !groupsAvailable) mode = 'manual';
  for (const radio of document.querySelectorAll('input[name="compare-mode"]'))
    radio.checked = radio.value === mode;
  $('compare-groups').hidden = mode !== 'groups';
  $('compare-manual').hidden = mode !== 'manual';
  $('compare-benchmark').hidden = mode !== 'benchmark';
  for (const select of [$('compare-a'), $('compare-b')]) {
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
    $('compare-a').value = values.includes(settings.compareA) ? settings.compareA : fallbackA;
    $('compare-b').value = values.includes(settings.compareB) ? settings.compareB : fallbackB;
  }
  $('manual-a').value = settings.manualA;
  $('manual-b').value = settings.manualB;
  return { mode, groups };
}

export async function refreshComparison(app) {
  const ticket = ++app.compare.ticket;
  const { settings } = app;
  const { view } = app.render;
  const { mode, groups } = syncControls(app);
  const result = $('compare-result');
  const errorNode = $('compare-error');
  errorNode.textContent = '';
  result.replaceChildren();
  delete result.dataset.inputs;
  if (!view) return;
  const options = coreOptions(app);
  const engine = app.engine.api;
  try {
    let outcome;
    let names;
    if (mode === 'groups') {
      const first = groups.find((option) => option.value === $('compare-a').value);
      const second = groups.find((option) => option.value === $('compare-b').value);
      if (!first || !second || first === second) {
        errorNode.textContent = 'Choose two different groups.';
        return;
      }
      outcome = await engine.compare(countsOf(first.group), countsOf(second.group), options);
      names = [first.label, second.label];
    } else if (mode === 'manual') {
      if (!settings.manualA.trim() || !settings.manualB.trim()) {
        result.append(
          element('p', {
            className: 'hint',
            text: 'Enter the counts of two surveys, for example two quarters or two products.',
          }),
        );
        return;
      }
      const first = parseTriple(settings.manualA, 'First');
      const second = parseTriple(settings.manualB, 'Second');
      if (first.error || second.error) {
        errorNode.textContent = first.error || second.error;
        return;
      }
      outcome = await engine.compare(first.counts, second.counts, options);
      names = ['First', 'Second'];
    } else {
      if (!(view.summary.n > 0)) {
        result.append(
          element('p', { className: 'hint', text: 'No answers yet, so nothing to compare.' }),
        );
        return;
      }
      const target = Number($('benchmark-target').value);
      if (!Number.isFinite(target) || target < -100 || target > 100) {
        errorNode.textContent = `Target NPS: expected a number from −100 to +100, got “${$('benchmark-target').value}”.`;
        return;
      }
      outcome = await engine.compareToBenchmark(countsOf(view.summary), target, options);
      names = [
        `Your score (${format.signed(outcome.summary.nps)})`,
        `the target ${format.signed(target, 0)}`,
      ];
    }
    if (ticket !== app.compare.ticket) return;
    showVerdict(app, outcome, names);
    // Names the inputs the verdict answers, for anyone checking it is current.
    result.dataset.inputs = `${mode}|${settings.manualA}|${settings.manualB}|${outcome.method}`;
  } catch (failure) {
    if (ticket === app.compare.ticket) errorNode.textContent = failure.message;
  }
}

function showVerdict(app, outcome, [first, second]) {
  const confidence = format.confidenceLabel(outcome.confidence);
  const { significant } = outcome;
  // The core's diff is the plain difference of the two scores on screen.
  const gap = outcome.diff;
  const direction = gap > 0 ? 'higher' : 'lower';
  const headline = significant
    ? `${first} is significantly ${direction} than ${second}.`
    : `No significant difference between ${first} and ${second}.`;
  const points = `${format.fixed(Math.abs(gap), 1)} ${Math.abs(gap) === 1 ? 'point' : 'points'}`;
  const explanation = !Number.isFinite(outcome.p_value)
    ? `A gap of ${points}, but every answer of both groups is in one category, so the ${format.methodNames[outcome.method] ?? outcome.method} test has no standard error and cannot call it significant.`
    : significant
      ? `A gap of ${points} this large would rarely appear by chance (p = ${format.pValue(outcome.p_value)}, below ${format.fixed(1 - outcome.confidence, 3)}).`
      : `A gap of ${points} could well be chance (p = ${format.pValue(outcome.p_value)}); more answers would tell.`;
  const adjusted = Number.isFinite(outcome.adjusted_diff);
  const stats = [['Gap between the scores', format.fixed(gap), 'diff']];
  if (adjusted) {
    stats.push([
      'Difference of the adjusted estimates',
      format.fixed(outcome.adjusted_diff),
      'adjusted-diff',
    ]);
  }
  stats.push(
    ['Standard error', format.fixed(outcome.se), 'se'],
    ['z', format.fixed(outcome.z), 'z'],
    ['p-value', format.pValue(outcome.p_value), 'p'],
    ['Test', `${format.methodNames[outcome.method] ?? outcome.method}, ${confidence}`, 'method'],
  );
  const children = [
    element('p', {
      className: `verdict-headline ${significant ? 'verdict-yes' : 'verdict-no'}`,
      text: headline,
    }),
    element('p', { className: 'hint', text: explanation }),
  ];
  if (adjusted) {
    children.push(
      element('p', {
        className: 'hint',
        attributes: { 'data-note': 'adjusted' },
        text:
          'The adjusted Wald test compares adjusted estimates (n + 3 answers, with 0.75 more ' +
          'promoters and 0.75 more detractors in each group), so the difference it tests ' +
          `(${format.signed(outcome.adjusted_diff, 1)}) is not exactly the gap between the scores shown.`,
      }),
    );
  }
  const chosen = methodOf(app);
  if (chosen && chosen !== outcome.method) {
    children.push(
      element('p', {
        className: 'hint',
        attributes: { 'data-note': 'method' },
        text: `The ${format.methodNames[chosen] ?? chosen} interval has no two-group test, so the ${format.methodNames[outcome.method] ?? outcome.method} test is used.`,
      }),
    );
  }
  children.push(
    element(
      'dl',
      { className: 'stat-list' },
      stats.flatMap(([name, value, key]) => [
        element('dt', { text: name }),
        element('dd', { text: value, attributes: { 'data-stat': key } }),
      ]),
    ),
  );
  $('compare-result').replaceChildren(...children);
}

export function setupComparison(app) {
  const { settings } = app;
  const refresh = () => refreshComparison(app);
  for (const radio of document.querySelectorAll('input[name="compare-mode"]')) {
    radio.addEventListener('change', () => {
      settings.compareMode = radio.value;
      writeLink(settings);
      refresh();
    });
  }
  for (const [id, key] of [
    ['compare-a', 'compareA'],
    ['compare-b', 'compareB'],
  ]) {
    $(id).addEventListener('change', () => {
      settings[key] = $(id).value;
      writeLink(settings);
      refresh();
    });
  }
  const refreshSoon = debounce(refresh, 200);
  for (const [id, key] of [
    ['manual-a', 'manualA'],
    ['manual-b', 'manualB'],
  ]) {
    $(id).addEventListener('input', () => {
      settings[key] = $(id).value;
      writeLink(settings);
      refreshSoon();
    });
  }
  $('benchmark-target').addEventListener('input', refreshSoon);
}
