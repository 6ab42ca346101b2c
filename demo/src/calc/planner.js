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

export async function refreshPlanner(app) {
  const ticket = ++app.planner.ticket;
  const { settings } = app;
  const { view } = app.render;
  const mode = settings.plannerMode;
  for (const radio of document.querySelectorAll('input[name="planner-mode"]'))
    radio.checked = radio.value === mode;
  $('planner-margin').hidden = mode !== 'margin';
  $('planner-difference').hidden = mode !== 'difference';
  const result = $('planner-result');
  const errorNode = $('planner-error');
  errorNode.textContent = '';
  const confidence = Number(settings.confidence);
  const confidenceText = format.confidenceLabel(confidence);
  const engine = app.engine.api;
  try {
    if (mode === 'margin') {
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
}
