// The calculator's charts, drawn by Chart.js in the page's design tokens:
// the 0-10 distribution colored by category, and the trend with its interval
// as a band and a marker where a period differs significantly from the one
// before. Exports go through the same drawing code (PNG and real SVG).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { chartToSvg } from './svg-context.js';
import { signed, percent, count, shortDate } from './format.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Filler,
  Tooltip,
  Legend,
);

function token(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

// Canvas needs a concrete color; the band is the accent made translucent.
function translucent(color, alpha) {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (!hex) return color;
  const value = parseInt(hex[1], 16);
  return `rgba(${value >> 16}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

export function palette() {
  const accent = token('--demo-accent');
  return {
    promoter: token('--demo-promoter'),
    passive: token('--demo-passive'),
    detractor: token('--demo-detractor'),
    accent,
    band: translucent(accent, 0.18),
    text: token('--demo-text'),
    muted: token('--demo-muted'),
    grid: token('--demo-grid'),
    surface: token('--demo-surface'),
    significant: token('--demo-significant'),
    font: token('--demo-font'),
  };
}

function baseOptions(colors) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 250 },
    font: { family: colors.font },
    plugins: {
      legend: {
        labels: {
          color: colors.text,
          font: { family: colors.font },
          usePointStyle: true,
          boxHeight: 8,
        },
      },
      tooltip: { titleFont: { family: colors.font }, bodyFont: { family: colors.font } },
    },
  };
}

function axis(colors, extra = {}) {
  return {
    ticks: { color: colors.muted, font: { family: colors.font } },
    grid: { color: colors.grid },
    border: { color: colors.grid },
    ...extra,
  };
}

export function distributionChart(canvas) {
  const colors = palette();
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: Array.from({ length: 11 }, (_, i) => String(i)),
      datasets: [{ label: 'Answers', data: [], borderRadius: 4 }],
    },
    options: {
      ...baseOptions(colors),
      plugins: {
        ...baseOptions(colors).plugins,
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => `Score ${items[0].label}`,
            label: (item) =>
              `${count(item.raw)} answers (${percent(chart.$shares?.[item.dataIndex] ?? 0)})`,
          },
        },
      },
      scales: {
        x: axis(colors, {
          grid: { display: false },
          title: { display: true, text: 'Score', color: colors.muted },
        }),
        y: axis(colors, { beginAtZero: true, ticks: { color: colors.muted, precision: 0 } }),
      },
    },
  });
  return chart;
}

/** `categories[score]` is the core's category of each score, which picks its color. */
export function updateDistribution(chart, histogram, categories) {
  const colors = palette();
  const total = histogram.reduce((sum, value) => sum + value, 0);
  chart.$shares = histogram.map((value) => (total ? (100 * value) / total : 0));
  chart.data.datasets[0].data = histogram;
  chart.data.datasets[0].backgroundColor = histogram.map(
    (_, score) => colors[categories[score]] ?? colors.muted,
  );
  chart.update();
}

export function trendChart(canvas) {
  const colors = palette();
  return new Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: [] },
    options: {
      ...baseOptions(colors),
      interaction: { mode: 'index', intersect: false },
      plugins: {
        ...baseOptions(colors).plugins,
        legend: {
          labels: {
            ...baseOptions(colors).plugins.legend.labels,
            filter: (item) => item.text !== 'low',
          },
        },
        tooltip: {
          filter: (item) => item.dataset.label === 'NPS',
          callbacks: {
            // The date on the axis, and the period as the core names it
            // ("2026-W09") in the tooltip.
            title: (items) => {
              const group = items[0]?.chart.$groups[items[0].dataIndex];
              if (!group) return '';
              const date = shortDate(group.start ?? group.key, { year: true });
              return group.start && group.start !== group.key ? `${date} (${group.key})` : date;
            },
            label: (item) => {
              const group = item.chart.$groups[item.dataIndex];
              const line = `NPS ${signed(group.nps)} (${signed(group.interval.low)} to ${signed(group.interval.high)}), ${count(group.n)} answers`;
              return item.chart.$significant[item.dataIndex]
                ? [line, 'Significant change from the previous period']
                : line;
            },
          },
        },
      },
      scales: {
        x: axis(colors, {
          grid: { display: false },
          ticks: {
            color: colors.muted,
            font: { family: colors.font },
            maxRotation: 0,
            autoSkipPadding: 12,
          },
        }),
        y: axis(colors, {
          suggestedMin: -20,
          suggestedMax: 60,
          title: { display: true, text: 'NPS', color: colors.muted },
        }),
      },
    },
  });
}

function periodLabel(group) {
  if (!group.start) return group.key;
  if (/^\d{4}-\d{2}$/.test(group.key)) {
    const [, month] = shortDate(group.start).split(' ');
    return `${month} ${group.key.slice(0, 4)}`;
  }
  return shortDate(group.start);
}

export function updateTrend(chart, groups, significant) {
  const colors = palette();
  chart.$groups = groups;
  chart.$significant = significant;
  // Periods start on a day: "3 Mar" reads better than "2026-W10"; a month
  // is its name and year.
  chart.data.labels = groups.map((group) => periodLabel(group));
  chart.data.datasets = [
    {
      label: 'low',
      data: groups.map((group) => group.interval.low),
      borderWidth: 0,
      pointRadius: 0,
      pointHitRadius: 0,
      fill: false,
    },
    {
      label: 'Confidence interval',
      data: groups.map((group) => group.interval.high),
      borderWidth: 0,
      pointRadius: 0,
      pointHitRadius: 0,
      backgroundColor: colors.band,
      fill: '-1',
    },
    {
      label: 'NPS',
      data: groups.map((group) => group.nps),
      // Per-segment drawing instead of a cached Path2D, which the SVG export
      // could not read back.
      segment: {},
      borderColor: colors.accent,
      backgroundColor: colors.accent,
      borderWidth: 2.5,
      // Straight lines: a curve between two periods would show values that
      // no period has.
      tension: 0,
      pointRadius: significant.map((flag) => (flag ? 7 : 3)),
      pointHoverRadius: significant.map((flag) => (flag ? 9 : 5)),
      pointStyle: significant.map((flag) => (flag ? 'rectRot' : 'circle')),
      pointBackgroundColor: significant.map((flag) => (flag ? colors.significant : colors.accent)),
      pointBorderColor: colors.surface,
      pointBorderWidth: significant.map((flag) => (flag ? 2 : 1)),
      fill: false,
    },
    {
      label: 'Significant change',
      data: [],
      pointStyle: 'rectRot',
      pointRadius: 6,
      backgroundColor: colors.significant,
      borderColor: colors.significant,
      showLine: false,
    },
  ];
  chart.update();
}

/** Re-reads the tokens after a theme switch. */
export function restyle(chart) {
  const colors = palette();
  const { scales, plugins } = chart.options;
  for (const scale of Object.values(scales)) {
    scale.ticks.color = colors.muted;
    scale.grid.color = colors.grid;
    if (scale.border) scale.border.color = colors.grid;
    if (scale.title) scale.title.color = colors.muted;
  }
  if (plugins.legend?.labels) plugins.legend.labels.color = colors.text;
}

/** The chart as a PNG with a title above it and a footnote (answers, dates) below. */
export function chartPng(chart, { title = '', footnote = '' } = {}) {
  chart.update('none');
  const colors = palette();
  const scale = chart.canvas.width / (chart.canvas.clientWidth || chart.canvas.width);
  const header = Math.round(40 * scale);
  const footer = Math.round(30 * scale);
  const canvas = document.createElement('canvas');
  canvas.width = chart.canvas.width;
  canvas.height = chart.canvas.height + header + footer;
  const context = canvas.getContext('2d');
  context.fillStyle = colors.surface;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.textBaseline = 'middle';
  context.fillStyle = colors.text;
  context.font = `600 ${Math.round(16 * scale)}px ${colors.font || 'sans-serif'}`;
  context.fillText(title, Math.round(12 * scale), header / 2);
  context.drawImage(chart.canvas, 0, header);
  context.fillStyle = colors.muted;
  context.font = `${Math.round(12 * scale)}px ${colors.font || 'sans-serif'}`;
  context.fillText(footnote, Math.round(12 * scale), header + chart.canvas.height + footer / 2);
  return canvas.toDataURL('image/png');
}

export function chartSvg(chart, title) {
  return chartToSvg(chart, { background: palette().surface, title });
}
