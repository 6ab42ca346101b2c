// Exports: the summary as JSON with the core's full-precision numbers;
// segments, trend and rejected rows as CSV rounded for people; charts as PNG
// and SVG with a title, the number of answers and the dates; and a link that
// reproduces the view.
import { chartPng, chartSvg } from '../charts.js';
import * as format from '../format.js';
import { $, download, toCsv } from './dom.js';
import { writeLink } from './link.js';

// One row per group, rounded as a spreadsheet reader wants them (the JSON
// export has every digit): scores in points with one decimal, z with two,
// p-values as decimals unless tiny.
function groupRows(groups, keyName, versusName, columns = []) {
  const rows = [
    [
      ...(columns.length ? ['columns'] : []),
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
      ...(columns.length ? [(group.columns ?? []).join(' × ')] : []),
      group.key,
      group.n,
      group.promoters,
      group.passives,
      group.detractors,
      format.csvPoints(group.nps),
      format.csvPoints(group.interval?.low),
      format.csvPoints(group.interval?.high),
      test ? format.csvPoints(test.diff) : '',
      test ? format.csvPoints(test.se) : '',
      test ? format.csvStatistic(test.z) : '',
      test ? format.csvPValue(test.p_value) : '',
      test ? Boolean(test.significant) : '',
    ]);
  }
  return toCsv(rows);
}

/** Every rejected row the core kept: line, reason (without the line again) and the row's text. */
export function rejectedRows(rejections) {
  return toCsv([
    ['line', 'reason', 'row'],
    ...rejections.map((rejection) => [
      rejection.line,
      reasonWithoutLine(rejection.reason),
      rejection.text ?? '',
    ]),
  ]);
}

/** The core starts each reason with "line N: "; beside a line column that says it twice. */
export const reasonWithoutLine = (reason) => reason.replace(/^line \d+: /, '');

// Under a PNG chart: how many answers and which dates it covers.
function chartFootnote(app, name) {
  const view = app.render.view;
  const parts = [format.answers(view.summary.n)];
  const groups = view.trend?.groups ?? [];
  if (groups.length) {
    const first = groups[0].start ?? groups[0].key;
    const last = groups[groups.length - 1];
    const end = last.start ?? last.key;
    parts.push(
      `${format.shortDate(first, { year: true })} to ${format.shortDate(end, { year: true })} (by ${app.settings.period})`,
    );
  }
  if (name === 'trend') parts.push('shaded: confidence interval');
  return `${parts.join(' · ')} · ${view.label}`;
}

export function setupExports(app) {
  const view = () => app.render.view;
  $('export-json').addEventListener('click', () =>
    download(
      'nps-summary.json',
      `${JSON.stringify(view().summary, null, 2)}\n`,
      'application/json',
    ),
  );
  $('segments-csv').addEventListener('click', () =>
    download(
      'nps-segments.csv',
      groupRows(
        view().segments.groups,
        'segment',
        'diff_vs_rest',
        view().segments.segment_columns ?? [],
      ),
      'text/csv',
    ),
  );
  $('trend-csv').addEventListener('click', () =>
    download(
      `nps-trend-by-${app.settings.period}.csv`,
      groupRows(view().trend.groups, app.settings.period, 'diff_vs_previous'),
      'text/csv',
    ),
  );
  $('export-link').addEventListener('click', async () => {
    writeLink(app.settings);
    // A file never travels in the link: whoever opens it sees the options
    // and must load the file again.
    const fromFile = ['file', 'sample'].includes(app.settings.input);
    const fileNote = fromFile
      ? ' The file you loaded is not part of the link: whoever opens it must load the file again.'
      : '';
    try {
      await navigator.clipboard.writeText(location.href);
      $('export-note').textContent =
        `Link copied. It holds your options and typed-in data in its fragment, which browsers never send to a server.${fileNote}`;
    } catch {
      $('export-note').textContent = `Copy this link: ${location.href}.${fileNote}`;
    }
  });
  const titles = { distribution: 'Distribution of NPS scores', trend: 'NPS trend' };
  for (const button of document.querySelectorAll('[data-export-png]')) {
    const name = button.dataset.exportPng;
    button.addEventListener('click', () =>
      download(
        `nps-${name}.png`,
        chartPng(app.render.charts[name], {
          title: titles[name],
          footnote: chartFootnote(app, name),
        }),
      ),
    );
  }
  for (const button of document.querySelectorAll('[data-export-svg]')) {
    const name = button.dataset.exportSvg;
    button.addEventListener('click', () =>
      download(`nps-${name}.svg`, chartSvg(app.render.charts[name], titles[name]), 'image/svg+xml'),
    );
  }
  $('rejected-csv').addEventListener('click', () =>
    download('nps-rejected-rows.csv', rejectedRows(view().rejections ?? []), 'text/csv'),
  );
  for (const button of document.querySelectorAll('[data-table-toggle]')) {
    button.addEventListener('click', () => {
      const wrap = $(`${button.dataset.tableToggle}-table-wrap`);
      wrap.hidden = !wrap.hidden;
      button.setAttribute('aria-pressed', String(!wrap.hidden));
    });
  }
}
