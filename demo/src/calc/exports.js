// Exports: the summary as JSON, segments and trend as CSV with the core's
// full-precision numbers and significance, charts as PNG and SVG, and a link
// that reproduces the view.
import { chartPng, chartSvg } from '../charts.js';
import { $, download, toCsv } from './dom.js';
import { writeLink } from './link.js';

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
      test ? Boolean(test.significant) : '',
    ]);
  }
  return toCsv(rows);
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
      groupRows(view().segments.groups, 'segment', 'diff_vs_rest'),
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
    const name = button.dataset.exportPng;
    button.addEventListener('click', () =>
      download(`nps-${name}.png`, chartPng(app.render.charts[name])),
    );
  }
  for (const button of document.querySelectorAll('[data-export-svg]')) {
    const name = button.dataset.exportSvg;
    button.addEventListener('click', () =>
      download(`nps-${name}.svg`, chartSvg(app.render.charts[name], titles[name]), 'image/svg+xml'),
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
