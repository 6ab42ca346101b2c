// The results: headline, benchmark, distribution, trend, segments, themes and
// the rows that were not counted, all laid out from the core's summaries.
// Nothing here decides a category, a band or a significance; the core's
// summary says them. With no answers every view says so instead of a number.
import { renderRatings } from './ratings.js';
import * as format from '../format.js';
import {
  distributionChart,
  restyle,
  trendChart,
  updateDistribution,
  updateTrend,
} from '../charts.js';
import { $, element } from './dom.js';
import { bandsOf } from './options.js';
import { refreshComparison } from './compare.js';
import { refreshPlanner } from './planner.js';
import { reasonWithoutLine } from './exports.js';

const categories = [
  ['promoters', 'Promoters', 'promoter'],
  ['passives', 'Passives', 'passive'],
  ['detractors', 'Detractors', 'detractor'],
];
const noAnswers = 'No answers yet';

/** Whether a summary has answers behind its numbers. */
export const hasAnswers = (summary) => Boolean(summary) && summary.n > 0;
export const isSignificant = (group) => Boolean(group.versus?.significant);

/**
 * Nothing to show: the results are cleared, not left from an earlier input.
 * With `waitingFor` (a file's name) the file's columns are still to be
 * chosen, and the results area points to the form that asks.
 */
export function showEmpty(app, { waitingFor = '' } = {}) {
  app.render.view = null;
  $('empty-heading').textContent = waitingFor
    ? `Choose the columns of ${waitingFor}`
    : 'Start with your numbers';
  $('empty-text').textContent = waitingFor
    ? 'The file’s header does not name the 0–10 score column. Check the columns suggested in the form under the File tab; the results appear here once the file is read.'
    : 'Enter how many promoters, passives and detractors you have, paste raw scores, or drop an export. The results appear here as you type.';
  $('empty-mapping').hidden = !waitingFor;
  $('empty-state').hidden = false;
  $('result-sections').hidden = true;
  $('error-banner').hidden = true;
}

/**
 * An error about the input on screen: any earlier result is cleared with it,
 * so what is shown always belongs to the current input.
 */
export function showError(app, message) {
  app.render.view = null;
  $('result-sections').hidden = true;
  $('empty-state').hidden = true;
  $('error-banner').textContent = sentence(message);
  $('error-banner').hidden = false;
}

// Core messages start in lower case ("score column name is empty"); a banner
// is a sentence. One that starts with a file's name ("answers.csv: ...")
// keeps the name as written.
function sentence(message) {
  const firstWord = /^\S+/.exec(message)?.[0] ?? '';
  if (/[.:/\\]/.test(firstWord.slice(0, -1)) || !/^[a-z]/.test(message)) return message;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function render(app, next) {
  app.render.view = next;
  $('empty-state').hidden = true;
  $('error-banner').hidden = true;
  $('result-sections').hidden = false;
  const { summary } = next;
  next.rejections = [...(summary.rejections ?? []), ...(next.localRejections ?? [])];
  renderHeadline(app, summary, next.label);
  renderUndated(next.trend);
  renderBenchmark(app, summary);
  app.render.charts ??= {
    distribution: distributionChart($('distribution-chart')),
    trend: trendChart($('trend-chart')),
  };
  // Counts carry no 0-10 distribution, so there is nothing to chart.
  $('distribution-card').hidden = !next.distribution;
  if (next.distribution) renderDistribution(app, summary);
  renderTrend(app, next.trend, summary);
  renderSegments(app, next.segments);
  renderRatings(app, next);
  renderThemes(summary.themes);
  renderRejected(summary, next.localRejections, next.localRejected);
  refreshComparison(app);
  refreshPlanner(app);
}

/** After a theme switch: charts re-read the design tokens. */
export function rerender(app) {
  const { charts, view } = app.render;
  if (!charts || !view) return;
  restyle(charts.distribution);
  restyle(charts.trend);
  render(app, view);
}

function renderHeadline(app, summary, label) {
  const answered = hasAnswers(summary);
  const interval = answered ? summary.interval : null;
  const confidence = format.confidenceLabel(Number(app.settings.confidence));
  const method = interval ? (format.methodNames[interval.method] ?? interval.method) : '';
  $('nps-value').textContent = answered ? format.score(summary.nps) : '–';
  // One band only when the whole interval lies in it; otherwise the data
  // cannot tell which band the score is in, and the chip says so.
  const ends = answered ? summary.interval_bands : null;
  const settled = !ends || ends.low === ends.high;
  $('band-chip').textContent = !answered
    ? noAnswers
    : settled
      ? format.bandLabel(summary.band)
      : `Between ${format.bandLabel(ends.low)} and ${format.bandLabel(ends.high)}`;
  $('band-chip').dataset.band = answered && settled ? (summary.band ?? '') : '';
  // An adjusted-Wald interval is centred on the adjusted estimate, which the
  // line names so the interval is never read as one around the score.
  const centre = Number.isFinite(interval?.adjusted_nps)
    ? ` around the adjusted estimate ${format.signed(interval.adjusted_nps)}`
    : '';
  $('interval-line').textContent = answered
    ? `${confidence} confidence interval (${method}): ${format.signed(interval.low)} to ${format.signed(interval.high)}${centre}`
    : 'No answers yet, so nothing is known about the score.';
  $('source-line').textContent = `${label} · ${format.answers(summary.n)}`;
  $('margin-words').textContent = marginWords(summary);

  const shares = $('shares');
  shares.replaceChildren();
  const legend = $('shares-legend');
  legend.replaceChildren();
  shares.hidden = !answered;
  legend.hidden = !answered;
  if (answered) {
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
  }

  const rows = [['Answers', format.count(summary.n), 'n']];
  if (answered) {
    rows.push(
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
    );
  } else {
    rows.push(['NPS', noAnswers, 'nps']);
  }
  if (answered && summary.weighted_nps !== undefined && summary.weighted_nps !== null) {
    rows.push(['Weighted NPS', format.fixed(summary.weighted_nps), 'weighted-nps']);
    const weighted = summary.weighted_interval;
    if (weighted) {
      rows.push([
        `Weighted NPS, ${confidence} interval`,
        `${format.fixed(weighted.low)} to ${format.fixed(weighted.high)}`,
        'weighted-interval',
      ]);
    }
    rows.push(['Effective sample size', format.fixed(summary.n_effective, 1), 'n-effective']);
  }
  if (summary.response_rate !== undefined && summary.response_rate !== null) {
    rows.push([
      'Response rate',
      `${format.percent(100 * summary.response_rate)} (${format.count(summary.dismissals)} dismissed)`,
      'response-rate',
    ]);
  }
  const undated = undatedOf(app.render.view.trend);
  if (undated) rows.push(['Answers without a usable date', format.count(undated), 'undated']);
  const rejected = summary.rejected + (app.render.view.localRejected ?? 0);
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
  if (!hasAnswers(summary)) return `${noAnswers}: enter some answers to see the score.`;
  const { interval, n } = summary;
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

function renderBenchmark(app, summary) {
  const answered = hasAnswers(summary);
  const bands = bandsOf(app);
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
    segment.classList.toggle('band-current', answered && band.name === summary.band);
    scale.append(segment);
  });
  if (answered) {
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
  // The names again under the scale, with their ranges: on a phone a band
  // of ten points is too narrow to hold its name.
  $('band-legend').replaceChildren(
    ...bands.map((band, index) =>
      element(
        'li',
        {
          className: `band-tone-${Math.min(4, Math.round((index * 4) / Math.max(1, bands.length - 1)))}`,
        },
        [
          element('strong', { text: format.bandLabel(band.name) }),
          ` ${format.signed(band.lower, 0)} to ${format.signed(bands[index + 1]?.lower ?? 100, 0)}`,
        ],
      ),
    ),
  );
  let text = `${noAnswers}, so no band.`;
  if (answered) {
    const index = bands.findIndex((band) => band.name === summary.band);
    const range =
      index >= 0
        ? ` (${format.signed(bands[index].lower, 0)} to ${format.signed(bands[index + 1]?.lower ?? 100, 0)})`
        : '';
    const ends = summary.interval_bands;
    text =
      ends && ends.low !== ends.high
        ? `${format.score(summary.nps)} is in the “${format.bandLabel(summary.band)}” band${range}, but its confidence interval runs from “${format.bandLabel(ends.low)}” to “${format.bandLabel(ends.high)}”: more answers are needed to tell which band the score is in. The dot marks the score; the line through it, the interval.`
        : `${format.score(summary.nps)} falls in the “${format.bandLabel(summary.band)}” band${range}, and so does its whole confidence interval. The dot marks the score; the line through it, the interval.`;
  }
  $('benchmark-text').textContent = text;
  $('band-source').textContent = app.settings.bands
    ? 'Bands as set under Options.'
    : 'Default bands: the benchmarks commonly quoted with the Net Promoter method (below 0, more detractors than promoters; most B2B companies between +20 and +50; above +50 very good; +75 and above world class). Change them under Options.';
  scale.setAttribute('aria-label', `Benchmark bands from −100 to +100. ${text}`);
}

function renderDistribution(app, summary) {
  const answered = hasAnswers(summary);
  const categoryOf = app.engine.defaults?.categories ?? [];
  updateDistribution(app.render.charts.distribution, summary.histogram, categoryOf);
  $('distribution-table').tBodies[0].replaceChildren(
    ...summary.histogram.map((value, score) =>
      element('tr', {}, [
        element('th', { text: String(score), attributes: { scope: 'row' } }),
        element('td', { text: format.bandLabel(categoryOf[score]) }),
        element('td', { className: 'num', text: format.count(value) }),
        element('td', {
          className: 'num',
          text: answered ? format.percent((100 * value) / summary.n) : '–',
        }),
      ]),
    ),
  );
  const mostCommon = summary.histogram.indexOf(Math.max(...summary.histogram));
  $('distribution-chart').setAttribute(
    'aria-label',
    answered
      ? `Bar chart of answers per score from 0 to 10, colored by group. Most common score: ${mostCommon}. The table button shows the numbers.`
      : `Bar chart of answers per score: ${noAnswers.toLowerCase()}.`,
  );
}

/**
 * Answers the reader counted in the total but could not place in a period
 * because their date was missing or unreadable.
 */
export function undatedOf(summary) {
  return summary?.undated?.count ?? 0;
}

const undatedSentence = (count) =>
  `${format.count(count)} ${count === 1 ? 'answer' : 'answers'} without a usable date ${count === 1 ? 'is' : 'are'} in the total but in no period.`;

// Why dates could not be read, one phrase per reason the core gives.
function undatedReason({ reason, count, example }) {
  const n = format.count(count);
  if (reason === 'missing') return `${n} without a date`;
  if (reason === 'needs_date_order') {
    return `${n} written like “${example}”, which is read only once you choose which comes first, day or month (Options)`;
  }
  return `${n} not a date the reader knows${example ? ` (such as “${example}”)` : ''}`;
}

function renderUndated(trend) {
  const count = undatedOf(trend);
  const note = $('undated-note');
  note.hidden = count === 0;
  note.textContent = count
    ? `${undatedSentence(count)} Dates not read: ${trend.undated.reasons.map(undatedReason).join('; ')}.`
    : '';
}

function renderTrend(app, trend, overall) {
  const card = $('trend-card');
  card.hidden = !trend || !hasAnswers(trend) || trend.groups.length === 0;
  if (card.hidden) return;
  const { groups } = trend;
  const period = app.settings.period;
  const confidence = format.confidenceLabel(Number(app.settings.confidence));
  $('trend-heading').textContent = `Trend by ${period}`;
  $('trend-caption').textContent =
    `NPS per ${period} with its ${confidence} interval and the test against the previous ${period}`;
  const marked = groups.filter(isSignificant).length;
  const undated = undatedOf(trend);
  $('trend-note').textContent =
    `The shaded band is the ${confidence} interval. ` +
    (marked
      ? `Diamonds mark the ${marked === 1 ? 'period' : `${marked} periods`} where the score changed significantly from the ${period} before.`
      : `No ${period} differs significantly from the one before it.`) +
    (undated > 0 ? ` ${undatedSentence(undated)}` : '') +
    unweightedNote(overall);
  updateTrend(app.render.charts.trend, groups, groups.map(isSignificant));
  $('trend-table').tBodies[0].replaceChildren(
    ...groups.map((group) =>
      element('tr', { className: isSignificant(group) ? 'row-significant' : '' }, [
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
        element('td', { text: group.versus ? (isSignificant(group) ? 'Yes' : 'No') : '–' }),
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

// Weighted answers: the tests between groups count answers unweighted, as
// the core's versus.weighted says.
function unweightedNote(summary) {
  const weighted = summary?.weighted_nps !== undefined && summary?.weighted_nps !== null;
  const unweighted = summary?.groups?.some((group) => group.versus?.weighted === false);
  return weighted && unweighted ? ' The tests between groups count answers unweighted.' : '';
}

const sorters = {
  key: (group) => group.key.toLowerCase(),
  n: (group) => group.n,
  nps: (group) => group.nps,
  diff: (group) => group.versus?.diff ?? -Infinity,
  p: (group) => group.versus?.p_value ?? Infinity,
};

// By several segment columns the core lists each column alone and every two
// crossed; the table shows one of those views at a time.
const viewOf = (group) => (group.columns ?? []).join(' × ');

function chooseSegmentView(app, segments) {
  const field = $('segments-view-field');
  const views = [...new Set(segments.groups.map(viewOf))];
  field.hidden = views.length < 2;
  if (!views.includes(app.render.segmentView)) app.render.segmentView = views[0];
  const select = $('segments-view');
  const current = [...select.options].map((option) => option.value);
  if (current.join('\n') !== views.join('\n')) {
    select.replaceChildren(
      ...views.map((view) => element('option', { text: view, attributes: { value: view } })),
    );
  }
  select.value = app.render.segmentView;
  return app.render.segmentView;
}

/** Shows the scroll cue only while the table is wider than its region. */
function showScrollCue(wrap, cue) {
  cue.hidden = wrap.scrollWidth <= wrap.clientWidth + 1;
}

export function renderSegments(app, segments) {
  const card = $('segments-card');
  card.hidden = !segments || !hasAnswers(segments) || segments.groups.length === 0;
  if (card.hidden) return;
  const { sort } = app.render;
  const view = chooseSegmentView(app, segments);
  const groups = segments.groups.filter((group) => viewOf(group) === view);
  $('segments-table').querySelector('th[data-sort="key"] button').textContent = view || 'Segment';
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
  const small = groups.filter((group) => group.below_minimum).length;
  $('segments-note').textContent =
    `Each segment is tested against all other answers (${format.confidenceLabel(Number(app.settings.confidence))} confidence). ` +
    `${groups.filter(isSignificant).length} of ${groups.length} differ significantly.` +
    (small
      ? ` ${small} ${small === 1 ? 'has' : 'have'} fewer than ${format.count(segments.min_group_size)} answers and ${small === 1 ? 'is' : 'are'} not tested.`
      : '') +
    unweightedNote(segments);
  $('segments-table').tBodies[0].replaceChildren(
    ...groups.map((group) => {
      const bar = element('span', {
        className: 'mini-interval',
        attributes: { 'aria-hidden': 'true' },
      });
      const name = group.values ? group.values.join(' × ') : group.key;
      if (!hasAnswers(group)) {
        return element('tr', {}, [
          element('th', { text: name, attributes: { scope: 'row' } }),
          element('td', { className: 'num', text: '0' }),
          element('td', { className: 'num', text: '–', attributes: { colspan: '4' } }),
        ]);
      }
      const range = element('span', { className: 'mini-range' });
      range.style.left = position(group.interval.low);
      range.style.width = `${((group.interval.high - group.interval.low) / 2).toFixed(3)}%`;
      const dot = element('span', { className: 'mini-dot' });
      dot.style.left = position(group.nps);
      bar.append(range, dot);
      const significant = isSignificant(group);
      const verdict = group.below_minimum
        ? element('span', { className: 'badge badge-neutral', text: 'too few' })
        : group.versus
          ? element('span', {
              className: `badge ${significant ? (group.versus.diff > 0 ? 'badge-up' : 'badge-down') : 'badge-neutral'}`,
              text: significant ? (group.versus.diff > 0 ? 'higher' : 'lower') : 'similar',
            })
          : '';
      return element('tr', { className: group.below_minimum ? 'row-small' : '' }, [
        element('th', { text: name, attributes: { scope: 'row' } }),
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
          group.versus ? `${format.signed(group.versus.diff)} ` : group.below_minimum ? '' : '–',
          verdict,
        ]),
        element('td', {
          className: 'num',
          text: group.versus ? format.pValue(group.versus.p_value) : '–',
        }),
      ]);
    }),
  );
  const wrap = $('segments-table').parentElement;
  showScrollCue(wrap, $('segments-scroll-cue'));
}

export function setupSorting(app) {
  $('segments-view').addEventListener('change', () => {
    app.render.segmentView = $('segments-view').value;
    if (app.render.view) renderSegments(app, app.render.view.segments);
  });
  const wrap = $('segments-table').parentElement;
  new ResizeObserver(() => showScrollCue(wrap, $('segments-scroll-cue'))).observe(wrap);
  for (const header of document.querySelectorAll('#segments-table th[data-sort]')) {
    header.querySelector('button').addEventListener('click', () => {
      const { sort } = app.render;
      const key = header.dataset.sort;
      if (sort.key === key)
        sort.direction = sort.direction === 'ascending' ? 'descending' : 'ascending';
      else {
        sort.key = key;
        sort.direction = key === 'key' || key === 'p' ? 'ascending' : 'descending';
      }
      if (app.render.view) renderSegments(app, app.render.view.segments);
    });
  }
}

function renderThemes(themes) {
  const card = $('themes-card');
  const any = themes && categories.some(([key]) => themes[key]?.length);
  card.hidden = !any;
  if (!any) return;
  $('themes').replaceChildren(
    ...categories.map(([key, name, category]) => {
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

// The table stays short; the CSV has every row the core kept.
const listedRejections = 100;

// Rows of a file or entries of a paste that were not counted: how many, and
// the first ones the core lists with their line and reason.
function renderRejected(summary, localRejections = [], localRejected = 0) {
  const rejections = [...(summary.rejections ?? []), ...localRejections];
  const total = summary.rejected + localRejected;
  $('rejected-card').hidden = total === 0;
  if (!total) return;
  const listed =
    rejections.length > listedRejections
      ? ` The first ${format.count(listedRejections)} are listed here.`
      : '';
  const inCsv =
    rejections.length < total
      ? ` The CSV has the first ${format.count(rejections.length)}.`
      : ' The CSV has every one.';
  $('rejected-note').textContent =
    `${format.count(total)} ${total === 1 ? 'row was' : 'rows were'} left out of every number above.${listed}${inCsv}`;
  $('rejected-table').tBodies[0].replaceChildren(
    ...rejections
      .slice(0, listedRejections)
      .map((rejection) =>
        element('tr', {}, [
          element('td', { className: 'num', text: String(rejection.line) }),
          element('td', { text: reasonWithoutLine(rejection.reason) }),
          element('td', { className: 'row-text' }, [
            element('code', { text: rejection.text ?? '', attributes: { dir: 'auto' } }),
          ]),
        ]),
      ),
  );
}
