// dist/npskit-live.js: the live NPS panel. All numbers come from the scoring
// core (summary objects of npskit.summary/1); this file only lays them out.
// Groups too small to keep their respondents anonymous are folded by the
// core too (foldGroupsBelow), by the rule of the collector's public summary.
// CSAT and CES answers in the data (the summary's "csat" and "ces" blocks)
// show their share of top ratings and their mean with the core's intervals,
// from as many answers as a group must have, as the public summary shows
// them.
import { h, svg, translator } from './dom.js';
import { rightToLeft } from './locale.js';
import { loadCore } from './core.js';

document.currentScript.npskit = {
  mount: (context) => loadCore(context.base).then(({ core }) => mount(context, core)),
};

// The bars are drawn in an 11-slot viewBox stretched to the panel's width;
// the score labels under them are HTML, so the text is never stretched.
const chart = { width: 220, height: 80, bar: 14, step: 20 };

function mount({ root, host, strings, locale, options, pageScores, on, fail }, core) {
  const t = translator(strings);
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const signed = new Intl.NumberFormat(locale, {
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  const percent = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'percent',
    maximumFractionDigits: 1,
  });
  const level = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const categories = Array.from({ length: 11 }, (_, score) => core.classify(score));
  let generation = 0;
  let refreshTimer = 0;
  let source = options.source;

  const score = h('p', { class: 'live-score' });
  const interval = h('p', { class: 'live-interval' });
  const count = h('p', { class: 'live-count' });
  const shares = h('ul', { class: 'live-shares' });
  const bars = svg('svg', {
    class: 'live-chart',
    viewBox: `0 0 ${chart.width} ${chart.height}`,
    role: 'img',
    preserveAspectRatio: 'none',
  });
  const axis = h(
    'div',
    { class: 'live-axis', 'aria-hidden': 'true' },
    ...Array.from({ length: 11 }, (_, value) => h('span', null, String(value))),
  );
  const ratings = h('ul', { class: 'live-ratings', hidden: true });
  const groupRows = h('tbody');
  const groupTable = h(
    'table',
    { class: 'live-groups', hidden: true },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, t('liveGroup')),
        h('th', { scope: 'col' }, t('liveGroupAnswers')),
        h('th', { scope: 'col' }, 'NPS'),
      ),
    ),
    groupRows,
  );
  // A count axis: the tallest bar's count at its top, 0 at the baseline.
  const tallestLabel = h('span', null, '');
  const counts = h(
    'div',
    { class: 'live-counts', 'aria-hidden': 'true' },
    tallestLabel,
    h('span', null, '0'),
  );
  const plot = h('div', { class: 'live-plot' }, counts, bars, h('span'), axis);
  const status = h('p', { class: 'live-status', role: 'status' });
  // An admin token for a collector that guards its answers: typed into the
  // panel, kept for this tab in sessionStorage (never in a URL), sent as a
  // bearer token.
  const tokenKey = () => 'npskit:token:' + new URL(source, location.href).origin;
  const tokenInput = h('input', { type: 'password', id: 'live-token', autocomplete: 'off' });
  const tokenForm = h(
    'form',
    { class: 'live-token', hidden: true },
    h('label', { for: 'live-token' }, t('liveToken')),
    tokenInput,
    h('button', { type: 'submit' }, t('liveTokenUse')),
  );
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      sessionStorage.setItem(tokenKey(), tokenInput.value.trim());
    } catch {
      // Storage refused: nothing is kept, the panel asks again next time.
      savedToken = tokenInput.value.trim();
    }
    render();
  });
  let savedToken = '';
  function token() {
    try {
      return sessionStorage.getItem(tokenKey()) || savedToken;
    } catch {
      return savedToken;
    }
  }

  root.append(
    h(
      'section',
      {
        class: 'live',
        lang: locale,
        dir: rightToLeft(locale) ? 'rtl' : 'ltr',
        'aria-labelledby': 'live-title',
      },
      h('p', { class: 'live-title', id: 'live-title' }, options.title || t('liveTitle')),
      h('div', { 'aria-live': 'polite', 'aria-atomic': 'true' }, score, interval, count),
      shares,
      plot,
      ratings,
      groupTable,
      status,
      tokenForm,
    ),
  );

  function show(summary) {
    const empty = !(summary.n > 0);
    tokenForm.hidden = true;
    shares.hidden = empty;
    score.textContent = empty ? '–' : signed.format(summary.nps);
    interval.textContent = empty
      ? ''
      : t('liveInterval', {
          level: level.format(summary.interval.confidence),
          low: signed.format(summary.interval.low),
          high: signed.format(summary.interval.high),
        });
    count.textContent = t('liveAnswers', { n: number.format(summary.n) });
    shares.replaceChildren(
      ...['promoters', 'passives', 'detractors'].map((name) =>
        h(
          'li',
          { class: name.slice(0, -1) },
          h('span', null, t('live' + name[0].toUpperCase() + name.slice(1))),
          h('strong', null, empty ? '–' : percent.format(summary.percent[name])),
        ),
      ),
    );
    drawBars(summary.histogram);
    showRatings(summary);
    showGroups(summary.groups || [], summary.folded);
    status.textContent = empty ? t('liveEmpty') : '';
  }

  function showGroups(groups, folded) {
    const rows = groups.map((group) =>
      h(
        'tr',
        null,
        h('th', { scope: 'row' }, group.key),
        h('td', null, number.format(group.n)),
        h('td', null, group.n > 0 ? signed.format(group.nps) : '–'),
      ),
    );
    if (folded?.groups) {
      rows.push(
        h(
          'tr',
          { class: 'live-folded' },
          h(
            'td',
            { colspan: 3 },
            t('liveFolded', {
              groups: number.format(folded.groups),
              n: number.format(folded.answers),
              min: folded.min_group,
            }),
          ),
        ),
      );
    }
    groupRows.replaceChildren(...rows);
    groupTable.hidden = !rows.length;
  }

  // Share of top ratings and mean, each with its interval (Wilson's for the
  // share, Student's t for the mean, absent for a single answer).
  function showRatings(summary) {
    const minimum = options.minGroup ?? 5;
    const items = ['csat', 'ces']
      .map((metric) => [metric, summary[metric]])
      .filter(([, block]) => block && block.n >= minimum)
      .map(([metric, block]) => {
        const range = (interval, format) =>
          interval
            ? t('liveInterval', {
                level: level.format(interval.confidence),
                low: format(interval.low),
                high: format(interval.high),
              })
            : '';
        const shareOf = (value) => percent.format(value);
        const meanOf = (value) => number.format(value);
        return h(
          'li',
          { class: 'live-rating ' + metric },
          h(
            'span',
            null,
            t(metric === 'csat' ? 'liveCsat' : 'liveCes', {
              from: block.scale.top_from,
              high: block.scale.high,
            }),
          ),
          h('strong', null, shareOf(block.share)),
          h('span', null, range(block.share_interval, shareOf)),
          h(
            'span',
            null,
            t('liveMean', { mean: meanOf(block.mean), high: block.scale.high }),
            block.mean_interval ? ' · ' + range(block.mean_interval, meanOf) : '',
          ),
          h('span', null, t('liveAnswers', { n: number.format(block.n) })),
        );
      });
    ratings.replaceChildren(...items);
    ratings.hidden = !items.length;
  }

  function drawBars(histogram) {
    const tallest = Math.max(1, ...histogram);
    const described = histogram.map((value, scoreValue) =>
      t('liveBar', { score: scoreValue, count: number.format(value) }),
    );
    bars.setAttribute('aria-label', `${t('liveDistribution')}: ${described.join(', ')}`);
    tallestLabel.textContent = number.format(tallest);
    bars.replaceChildren(
      svg('line', {
        class: 'gridline',
        x1: 0,
        x2: chart.width,
        y1: 4.5,
        y2: 4.5,
      }),
      svg('line', {
        class: 'baseline',
        x1: 0,
        x2: chart.width,
        y1: chart.height - 0.5,
        y2: chart.height - 0.5,
      }),
      ...histogram.map((value, scoreValue) => {
        const height = Math.max(value ? 2 : 0, (value / tallest) * (chart.height - 4));
        // Left to right, or right to left for Arabic and Hebrew, like the survey's scale.
        const slot = rightToLeft(locale) ? 10 - scoreValue : scoreValue;
        return svg('rect', {
          class: categories[scoreValue],
          x: slot * chart.step + (chart.step - chart.bar) / 2,
          y: chart.height - height,
          width: chart.bar,
          height,
        });
      }),
    );
  }

  function problem(error) {
    status.textContent = t(error.unauthorized ? 'liveTokenNeeded' : 'liveError');
    tokenForm.hidden = !error.unauthorized;
    fail('live', error, 'the live panel');
  }

  async function fromUrl(url) {
    const bearer = token();
    const response = await fetch(url, {
      credentials: 'omit',
      headers: bearer ? { Authorization: 'Bearer ' + bearer } : {},
    });
    if (response.status === 401) {
      throw Object.assign(new Error(`${url} needs the collector's admin token`), {
        unauthorized: true,
      });
    }
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    const reader = core.createReader({
      ...summaryOptions,
      // Groups (segments or periods) come only from files, which carry them.
      by: options.by || 'none',
      foldGroupsBelow: options.minGroup ?? 5,
      format: options.format || formatOf(url, response.headers.get('content-type')),
    });
    const stream = response.body.getReader();
    for (;;) {
      const { done, value } = await stream.read();
      if (done) return reader.finish();
      reader.push(value);
    }
  }

  function render() {
    const current = ++generation;
    clearTimeout(refreshTimer);
    try {
      if (typeof source === 'string' && source !== 'page') {
        if (!score.textContent) status.textContent = t('liveLoading');
        fromUrl(new URL(source, location.href).href)
          .then((summary) => current === generation && show(summary), problem)
          .then(() => {
            if (current === generation && options.refreshSeconds > 0) {
              refreshTimer = setTimeout(render, options.refreshSeconds * 1000);
            }
          });
      } else {
        const answers = source === 'page' ? pageScores : Array.from(source || []);
        const scores = answers.map((answer) =>
          answer && typeof answer === 'object' ? answer.score : answer,
        );
        // {scores} and not a bare array: the core reads an array of exactly
        // 11 numbers as a histogram.
        show(core.summarize({ scores }, summaryOptions));
      }
    } catch (error) {
      problem(error);
    }
  }

  const summaryOptions = { themes: false };
  if (options.method) summaryOptions.method = options.method;
  if (options.confidence) summaryOptions.confidence = options.confidence;
  const stopListening = on('response', () => source === 'page' && render());
  render();

  return {
    update(next) {
      if (next !== undefined) source = next;
      render();
    },
    destroy() {
      generation++;
      clearTimeout(refreshTimer);
      stopListening();
      host.remove();
    },
  };
}

function formatOf(url, contentType) {
  const type = String(contentType || '').toLowerCase();
  if (type.includes('csv')) return 'csv';
  if (type.includes('ndjson') || type.includes('jsonl')) return 'jsonl';
  if (type.includes('tab-separated')) return 'tsv';
  const extension = new URL(url).pathname.split('.').pop().toLowerCase();
  if (['csv', 'tsv', 'jsonl', 'ndjson'].includes(extension))
    return extension === 'ndjson' ? 'jsonl' : extension;
  return 'json';
}
