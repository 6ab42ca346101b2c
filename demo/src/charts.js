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
import { signed, percent, count } from './format.js';

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
        x: axis(colors, { grid: { display: false } }),
        y: axis(colors, {
          suggestedMin: -20,
          suggestedMax: 60,
          title: { display: true, text: 'NPS', color: colors.muted },
        }),
      },
    },
  });
}

export function updateTrend(chart, groups, significant) {
  const colors = palette();
  chart.$groups = groups;
  chart.$significant = significant;
  chart.data.labels = groups.map((group) => group.key);
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
      tension: 0.25,
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

export function chartPng(chart) {
  chart.update('none');
  const background = palette().surface;
  const canvas = document.createElement('canvas');
  canvas.width = chart.canvas.width;
  canvas.height = chart.canvas.height;
  const context = canvas.getContext('2d');
  context.fillStyle = background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(chart.canvas, 0, 0);
  return canvas.toDataURL('image/png');
}

export function chartSvg(chart, title) {
  return chartToSvg(chart, { background: palette().surface, title });
}
