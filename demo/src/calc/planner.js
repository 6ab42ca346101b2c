// "How many answers do you need?": the core's sample-size plans for a margin
// of error (with the current split of answers, or the worst case) and for
// detecting a change between two groups.
import * as format from '../format.js';
import { $, debounce, element } from './dom.js';
import { writeLink } from './link.js';
import { methodOf } from './options.js';

const countsOf = (stats) => ({
  promoters: stats.promoters,
  passives: stats.passives,
  detractors: stats.detractors,
});

function problem(result, errorNode, message) {
  errorNode.textContent = message;
  result.replaceChildren();
}

// CSAT and CES plans: what each measure is called, its unit, and the margin
// and change a planner starts from when it is chosen.
const ratingMeasures = {
  'csat-share': { metric: 'csat', of: 'share', name: 'CSAT (share of 4–5)', margin: 5, change: 10 },
  'csat-mean': { metric: 'csat', of: 'mean', name: 'the mean CSAT', margin: 0.1, change: 0.3 },
  'ces-share': { metric: 'ces', of: 'share', name: 'CES (share of 5–7)', margin: 5, change: 10 },
  'ces-mean': { metric: 'ces', of: 'mean', name: 'the mean CES', margin: 0.2, change: 0.5 },
};
const unitOf = (measure) =>
  !measure ? 'points' : measure.of === 'share' ? 'percentage points' : 'rating points';

// The current answers' share or spread of this measure, when there are any.
function currentOf(summary, measure) {
  const block = summary?.[measure.metric];
  if (!block?.n) return null;
  return measure.of === 'share' ? block.share : block.sd;
}

async function refreshRatingPlan(app, measure, { mode, confidence, result, ticket }) {
  const { settings } = app;
  const unit = unitOf(measure);
  const difference = mode === 'difference';
  const target = Number(difference ? settings.difference : settings.margin);
  const power = Number(settings.power);
  const summary = app.render.view?.summary;
  const current = currentOf(summary, measure);
  const useCurrent = !difference && $('planner-expect').checked && current != null && current > 0;
  const plan = await app.engine.api.ratingSampleSize(measure.metric, {
    kind: difference ? `${measure.of}-difference` : measure.of,
    ...(difference ? { difference: target, power } : { margin: target }),
    confidence,
    ...(useCurrent ? { expect: current } : {}),
  });
  if (ticket !== app.planner.ticket) return;
  const assumption =
    measure.of === 'share'
      ? useCurrent
        ? `assuming a share of ${format.fixed(current, 1)}% as now`
        : 'assuming the worst case, a share of 50%'
      : useCurrent
        ? `assuming a standard deviation of ${format.fixed(current, 2)} as now`
        : 'assuming the widest spread the scale allows';
  const given = summary?.[measure.metric]?.n ?? 0;
  result.replaceChildren(
    element('p', { className: 'verdict-headline' }, [
      element('strong', { text: format.count(plan.n), attributes: { 'data-stat': 'planned-n' } }),
      difference
        ? ` answers in each of the two groups`
        : ` answers give ${measure.name} within ±${format.fixed(target, measure.of === 'share' ? 1 : 2)} ${unit}`,
    ]),
    element('p', {
      className: 'hint',
      text: difference
        ? `to detect a change of ${format.fixed(target, measure.of === 'share' ? 1 : 2)} ${unit} in ${measure.name} with ${format.fixed(power * 100, 0)}% power in a two-sided test at ${format.confidenceLabel(confidence)} confidence, ${assumption}.`
        : `At ${format.confidenceLabel(confidence)} confidence, ${assumption}.` +
          (given
            ? ` You have ${format.count(given)}${given >= plan.n ? ': enough.' : `: ${format.count(plan.n - given)} more to go.`}`
            : ''),
    }),
  );
}

export async function refreshPlanner(app) {
  const ticket = ++app.planner.ticket;
  const { settings } = app;
  const { view } = app.render;
  const mode = settings.plannerMode;
  for (const radio of document.querySelectorAll('input[name="planner-mode"]'))
    radio.checked = radio.value === mode;
  $('planner-margin').hidden = mode !== 'margin';
  $('planner-difference').hidden = mode !== 'difference';
  const measure = ratingMeasures[settings.plannerMetric];
  $('planner-metric').value = measure ? settings.plannerMetric : 'nps';
  $('planner-margin-label').textContent = `Margin of error (± ${unitOf(measure)})`;
  $('planner-difference-label').textContent = `Change to detect (${unitOf(measure)})`;
  $('planner-expect-label').textContent =
    measure?.of === 'mean'
      ? 'Use the current spread of answers'
      : measure
        ? 'Use the current share'
        : 'Use the current split of answers';
  const result = $('planner-result');
  const errorNode = $('planner-error');
  errorNode.textContent = '';
  const confidence = Number(settings.confidence);
  const confidenceText = format.confidenceLabel(confidence);
  const engine = app.engine.api;
  try {
    if (measure) {
      // The core says what is wrong with a margin, change or power.
      await refreshRatingPlan(app, measure, { mode, confidence, result, ticket });
    } else if (mode === 'margin') {
      const margin = Number(settings.margin);
      if (!(margin > 0 && margin <= 200)) {
        return problem(
          result,
          errorNode,
          `Margin of error: expected a number of points above 0 and at most 200, got “${settings.margin}”.`,
        );
      }
      const useSplit = $('planner-expect').checked && view?.summary.n > 0;
      const plan = await engine.sampleSize({
        margin,
        confidence,
        method: methodOf(app),
        ...(useSplit ? { expect: countsOf(view.summary) } : {}),
      });
      if (ticket !== app.planner.ticket) return;
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
            `At ${confidenceText} confidence with the ${format.methodNames[methodOf(app)]} interval, ` +
            (useSplit
              ? 'assuming answers split as they do now.'
              : 'assuming the worst case for the split of answers.') +
            (current
              ? ` You have ${format.count(current)}${current >= plan.n ? ': enough.' : `: ${format.count(plan.n - current)} more to go.`}`
              : ''),
        }),
      );
    } else {
      const difference = Number(settings.difference);
      const power = Number(settings.power);
      if (!(difference > 0 && difference <= 200)) {
        return problem(
          result,
          errorNode,
          `Change to detect: expected a number of points above 0 and at most 200, got “${settings.difference}”.`,
        );
      }
      if (!(power > 0 && power < 1)) {
        return problem(
          result,
          errorNode,
          `Power: expected a percentage between 0 and 100, got “${$('planner-power').value}”.`,
        );
      }
      const plan = await engine.sampleSize({ difference, power, confidence });
      if (ticket !== app.planner.ticket) return;
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
    if (ticket === app.planner.ticket) problem(result, errorNode, failure.message);
  }
}

export function setupPlanner(app) {
  const { settings } = app;
  const refresh = () => refreshPlanner(app);
  $('planner-margin-input').value = settings.margin;
  $('planner-difference-input').value = settings.difference;
  $('planner-power').value = String(Number(settings.power) * 100);
  const refreshSoon = debounce(refresh, 200);
  for (const radio of document.querySelectorAll('input[name="planner-mode"]')) {
    radio.addEventListener('change', () => {
      settings.plannerMode = radio.value;
      writeLink(settings);
      refresh();
    });
  }
  for (const [id, key, scale] of [
    ['planner-margin-input', 'margin', 1],
    ['planner-difference-input', 'difference', 1],
    ['planner-power', 'power', 100],
  ]) {
    $(id).addEventListener('input', () => {
      const value = $(id).value.trim();
      settings[key] = value === '' ? '' : String(Number(value) / scale);
      writeLink(settings);
      refreshSoon();
    });
  }
  $('planner-expect').addEventListener('change', refresh);
  // Each measure starts from a margin and a change in its own unit.
  $('planner-metric').addEventListener('change', () => {
    settings.plannerMetric = $('planner-metric').value;
    const measure = ratingMeasures[settings.plannerMetric];
    settings.margin = String(measure?.margin ?? 5);
    settings.difference = String(measure?.change ?? 10);
    $('planner-margin-input').value = settings.margin;
    $('planner-difference-input').value = settings.difference;
    writeLink(settings);
    refresh();
  });
}
