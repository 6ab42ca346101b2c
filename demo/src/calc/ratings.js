// CSAT and CES beside the NPS: one card per metric showing the "csat"/"ces"
// block the core puts in a file's summary, and the same block for ratings
// pasted into the card. The share of top answers and the mean are shown
// apart, each with the interval the core computed.
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

function groupRows(block) {
  return (block.groups ?? []).map((group) => {
    const share = group.versus?.share;
    const mean = group.versus?.mean;
    return element('tr', {}, [
      element('th', { text: group.key, attributes: { scope: 'row' } }),
      element('td', { className: 'num', text: format.count(group.n) }),
      element('td', { className: 'num', text: group.n ? format.percent(group.share) : '–' }),
      element('td', {
        className: 'num',
        text: share ? `${format.signed(share.diff)} (p ${format.pValue(share.p_value)})` : '',
      }),
      element('td', { className: 'num', text: group.n ? format.fixed(group.mean) : '–' }),
      element('td', {
        className: 'num',
        text: mean ? `${format.signed(mean.diff, 2)} (p ${format.pValue(mean.p_value)})` : '',
      }),
    ]);
  });
}

function blockView(block, heading) {
  const { share } = metrics[block.scale.high === 5 ? 'csat' : 'ces'];
  const children = [
    element('h4', { text: heading }),
    element(
      'ul',
      { className: 'rating-lines' },
      blockLines(block).map((line) => element('li', { text: line })),
    ),
  ];
  const rows = groupRows(block);
  if (rows.length > 0) {
    children.push(
      element('div', { className: 'table-wrap' }, [
        element('table', { className: 'data-table' }, [
          element('thead', {}, [
            element(
              'tr',
              {},
              ['Group', 'Answers', `${share} %`, 'vs. reference', 'Mean', 'vs. reference'].map(
                (text) => element('th', { text, attributes: { scope: 'col' } }),
              ),
            ),
          ]),
          element('tbody', {}, rows),
        ]),
      ]),
    );
  }
  return element('div', { className: 'rating-block' }, children);
}

function showMetric(app, metric) {
  const view = app.ratings[metric];
  const target = $(`${metric}-result`);
  const parts = [];
  if (view.file) parts.push(blockView(view.file, 'From the answers read'));
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

/** The file's (or collector's) csat and ces blocks, when its answers had them. */
export function renderRatings(app, summary) {
  for (const metric of Object.keys(metrics)) {
    app.ratings[metric].file = summary?.[metric] ?? null;
    showMetric(app, metric);
  }
}
