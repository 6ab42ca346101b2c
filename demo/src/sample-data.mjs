// A deterministic, realistic survey export: the sample the calculator offers
// to try, and the generated files the browser tests and the benchmark read.
// Scores depend on the plan and drift over time so trends and segments show
// something worth looking at.

const plans = ['Free', 'Team', 'Business', 'Enterprise'];
const planShift = [-1.1, 0, 0.5, 0.9];

const commentsByCategory = {
  promoter: [
    'Fast support and a clean interface',
    'The reports save me hours every week',
    'Support answered within minutes, great team',
    'Clean interface, easy onboarding for the whole team',
    'Reliable sync across devices',
    'Great value for the price',
    'Easy onboarding, the templates are great',
  ],
  passive: [
    'Good product but the mobile app is slow',
    'Does the job; pricing could be clearer',
    'Reports are useful, export options are limited',
    'Mostly fine, sync sometimes takes a while',
    'Nice interface, missing a few integrations',
  ],
  detractor: [
    'Too expensive for what it does',
    'The mobile app is slow and crashes',
    'Sync lost my changes twice',
    'Support took days to answer',
    'Pricing changed without notice, too expensive',
    'Export is broken for large reports',
  ],
};

// Mulberry32: tiny, fast and good enough for reproducible test data.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function categoryOf(score) {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

function csvField(text, delimiter) {
  return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Returns the export as one string (CSV by default).
 * rows: answers (dismissals come on top at `dismissalRate`); start/days: the
 * date range; delimiter/newline/bom: the dialect; commentRate: share of
 * answers with a comment.
 */
export function generateSampleExport({
  rows = 2400,
  seed = 20261122,
  start = '2026-05-18',
  days = 182,
  delimiter = ',',
  newline = '\n',
  bom = false,
  commentRate = 0.35,
  dismissalRate = 0.12,
  header = ['submitted_at', 'type', 'score', 'segment', 'comment'],
} = {}) {
  const next = random(seed);
  const startTime = Date.parse(`${start}T00:00:00Z`);
  const lines = [header.join(delimiter)];
  const total = Math.round(rows * (1 + dismissalRate));
  for (let i = 0; i < total; i += 1) {
    const progress = i / total;
    const time = new Date(
      startTime + Math.floor(progress * days * 86400000) + Math.floor(next() * 3600000 * 9),
    );
    const planIndex = Math.min(plans.length - 1, Math.floor(next() ** 1.4 * plans.length));
    const dismissed = next() < dismissalRate / (1 + dismissalRate);
    const values = {
      submitted_at: time.toISOString(),
      type: dismissed ? 'dismissal' : 'response',
      score: '',
      segment: plans[planIndex],
      comment: '',
    };
    if (!dismissed) {
      // A score around 8 that improves by about one point over the period.
      const mean = 8.1 + planShift[planIndex] + progress * 1.2 - 0.6;
      const noise = (next() + next() + next() - 1.5) * 3.4;
      const score = Math.max(0, Math.min(10, Math.round(mean + noise)));
      values.score = String(score);
      if (next() < commentRate) {
        const pool = commentsByCategory[categoryOf(score)];
        values.comment = pool[Math.floor(next() * pool.length)];
      }
    }
    lines.push(header.map((name) => csvField(values[name] ?? '', delimiter)).join(delimiter));
  }
  return (bom ? '\uFEFF' : '') + lines.join(newline) + newline;
}
