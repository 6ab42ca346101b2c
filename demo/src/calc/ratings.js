// CSAT and CES beside the NPS: one card per metric showing the "csat"/"ces"
// block the core puts in a file's summary, and the same block for ratings
// pasted into the card. The share of top answers and the mean are shown
// apart, each with the interval the core computed. Answers read by segment
// or with dates add a table per grouping from the same summaries the
// segments and trend views show, with the core's test of each group.
import * as format from '../format.js';
import { $, debounce, element, markInvalid } from './dom.js';
import { coreOptions } from './options.js';

const metrics = {
  csat: { name: 'CSAT', share: 'CSAT', top: '4–5', scale: '1–5' },
  ces: { name: 'CES', share: 'Easy', top: '5–7', scale: '1–7' },
};

function blockLines(block) {
  const { name, share, top } = metrics[block.scale.high === 5 ? 'csat' : 'ces'];
  if (block.n === 0) return [`${name}: no answers yet`];
  const confidence = format.confidenceLabel(block.share_interval.confidence);
  const lines = [
    `${share} ${format.percent(block.share)} (${top}): ${confidence} interval ` +
      `${format.percent(block.share_interval.low)} to ${format.percent(block.share_interval.high)} (Wilson)`,
  ];
  lines.push(
    block.mean_interval
      ? `Mean rating ${format.fixed(block.mean)}: ${confidence} interval ` +
          `${format.fixed(block.mean_interval.low)} to ${format.fixed(block.mean_interval.high)} ` +
          `(Student's t), standard deviation ${format.fixed(block.sd)}`
      : `Mean rating ${format.fixed(block.mean)} (one answer: no interval)`,
  );
  lines.push(
    'Distribution: ' + block.histogram.map((count, index) => `${index + 1}: ${count}`).join(', '),
  );
  return lines;
}

// A cell for a group's test against its reference: the difference, the
// p-value and, in words, whether the core found it significant, so the
// verdict never rests on colour alone. Where the core ran no test (no
// answers, one answer for the t-test, the first period) the cell reads "–".
function testCell(test, unit, digits) {
  if (!test) return element('td', { className: 'num', text: '–' });
  const verdict = test.significant ? 'significant' : 'not significant';
  return element('td', { className: 'num' }, [
    `${format.signed(test.diff, digits)}${unit}, p ${format.pValue(test.p_value)} `,
    element('span', {
      className: `badge ${test.significant ? (test.diff > 0 ? 'badge-up' : 'badge-down') : 'badge-neutral'}`,
      text: verdict,
    }),
  ]);
}

// A value with its interval below it; "–" without answers, and the value
// alone when one answer gives no interval.
function estimateCell(value, interval, show) {
  if (!Number.isFinite(value)) return element('td', { className: 'num', text: '–' });
  const children = [element('span', { className: 'strong', text: show(value) })];
  children.push(
    element('span', {
      className: 'rating-interval',
      text: interval ? `${show(interval.low)} to ${show(interval.high)}` : 'no interval',
    }),
  );
  return element('td', { className: 'num' }, children);
}

function groupRow(group) {
  const share = group.versus?.share ?? null;
  const mean = group.versus?.mean ?? null;
  const significant = Boolean(share?.significant || mean?.significant);
  return element('tr', { className: significant ? 'row-significant' : '' }, [
    element('th', { text: group.key, attributes: { scope: 'row' } }),
    element('td', { className: 'num', text: format.count(group.n) }),
    estimateCell(group.share, group.share_interval, (value) => format.percent(value)),
    estimateCell(group.mean, group.mean_interval, (value) => format.fixed(value)),
    testCell(share, ' pts', 1),
    testCell(mean, '', 2),
  ]);
}

// One table of a metric's groups: by segment (each against the rest) or by
// period (each against the period before it).
function groupTable(block, { metric, title, groupName, reference, confidence }) {
  const { share, top } = metrics[metric];
  const headers = [
    groupName,
    'Answers',
    `${share} % (${top}), ${confidence} interval`,
    `Mean, ${confidence} interval`,
    `${share} % vs. ${reference}`,
    `Mean vs. ${reference}`,
  ];
  return element(
    'div',
    {
      className: 'table-wrap',
      attributes: { role: 'region', 'aria-label': title, tabindex: '0' },
    },
    [
      element('table', { className: 'data-table rating-groups' }, [
        element('caption', { text: title }),
        element('thead', {}, [
          element(
            'tr',
            {},
            headers.map((text) => element('th', { text, attributes: { scope: 'col' } })),
          ),
        ]),
        element('tbody', {}, block.groups.map(groupRow)),
      ]),
    ],
  );
}

function groupTables(app, metric) {
  const view = app.ratings[metric];
  const confidence = format.confidenceLabel(Number(app.settings.confidence));
  const { name } = metrics[metric];
  const tables = [];
  if (view.segments?.groups?.length) {
    tables.push(
      groupTable(view.segments, {
        metric,
        title: `${name} by segment`,
        groupName: 'Segment',
        reference: 'the rest',
        confidence,
      }),
    );
  }
  if (view.trend?.groups?.length) {
    const period = view.period;
    tables.push(
      groupTable(view.trend, {
        metric,
        title: `${name} by ${period}`,
        groupName: period.charAt(0).toUpperCase() + period.slice(1),
        reference: `the previous ${period}`,
        confidence,
      }),
    );
  }
  if (tables.length > 0) {
    const against = [
      view.segments?.groups?.length ? 'each segment against all other answers' : '',
      view.trend?.groups?.length ? `each ${view.period} against the one before it` : '',
    ].filter(Boolean);
    tables.push(
      element('p', {
        className: 'hint',
        text:
          `Tests (${confidence} confidence): ${against.join(', and ')}; the share with a ` +
          `two-proportion test, the mean with Welch’s t-test, which needs two answers on ` +
          `each side. A group with no answers is not tested.`,
      }),
    );
  }
  return tables;
}

function blockView(block, heading, tables = []) {
  return element('div', { className: 'rating-block' }, [
    element('h4', { text: heading }),
    element(
      'ul',
      { className: 'rating-lines' },
      blockLines(block).map((line) => element('li', { text: line })),
    ),
    ...tables,
  ]);
}

function showMetric(app, metric) {
  const view = app.ratings[metric];
  const target = $(`${metric}-result`);
  const parts = [];
  if (view.file)
    parts.push(blockView(view.file, 'From the answers read', groupTables(app, metric)));
  if (view.pasted) parts.push(blockView(view.pasted, 'From the pasted ratings'));
  if (view.error) parts.push(element('p', { className: 'error-text', text: view.error }));
  if (parts.length === 0) {
    parts.push(
      element('p', {
        className: 'hint',
        text: `Paste ${metrics[metric].name} ratings (${metrics[metric].scale}), or read a file with a ${metric} column.`,
      }),
    );
  }
  target.replaceChildren(...parts);
}

async function readPasted(app, metric) {
  const input = $(`${metric}-pasted`);
  const view = app.ratings[metric];
  view.error = '';
  view.pasted = null;
  if (input.value.trim() !== '') {
    try {
      const { confidence } = coreOptions(app);
      const read = await app.engine.api.ratingsFromText(metric, input.value, { confidence });
      view.pasted = read.summary;
      if (read.rejected > 0) {
        view.error = `${format.count(read.rejected)} not read: ${read.rejections
          .slice(0, 3)
          .map((item) => item.reason)
          .join('; ')}`;
      }
    } catch (failure) {
      view.error = failure.message;
    }
  }
  markInvalid(input, Boolean(view.error));
  showMetric(app, metric);
}

export function setupRatings(app) {
  for (const metric of Object.keys(metrics)) {
    const read = debounce(() => readPasted(app, metric), 200);
    $(`${metric}-pasted`).addEventListener('input', read);
    showMetric(app, metric);
  }
}

/**
 * The file's (or collector's) csat and ces blocks, when its answers had
 * them: overall, and by segment and by period from the summaries the
 * segments and trend views were drawn from.
 */
export function renderRatings(app, view) {
  for (const metric of Object.keys(metrics)) {
    const ratings = app.ratings[metric];
    ratings.file = view?.summary?.[metric] ?? null;
    ratings.segments = view?.segments?.[metric] ?? null;
    ratings.trend = view?.trend?.[metric] ?? null;
    ratings.period = app.settings.period;
    showMetric(app, metric);
  }
}
