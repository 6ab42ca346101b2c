// Presentation of the core's numbers: fixed decimals, signed scores, plain
// words. Nothing here computes a statistic.

const locale = 'en-US';

export function fixed(value, digits = 2) {
  if (!Number.isFinite(value)) return '–';
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text.replace('-', '−');
}

export function signed(value, digits = 1) {
  const text = fixed(value, digits);
  return value > 0 && text.replace(/[0.]/g, '') !== '' ? `+${text}` : text;
}

// Headline form: whole points when the score is whole, else one decimal.
export function score(value) {
  const rounded = Math.round(value * 10) / 10;
  return signed(rounded, Number.isInteger(rounded) ? 0 : 1);
}

export function percent(value, digits = 1) {
  return `${fixed(value, digits)}%`;
}

export function count(value) {
  return Number(value).toLocaleString(locale);
}

export function pValue(p) {
  if (!Number.isFinite(p)) return '–';
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

export function bytes(value) {
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KB`;
  if (value < 1024 ** 3) return `${(value / 1024 ** 2).toFixed(1)} MB`;
  return `${(value / 1024 ** 3).toFixed(2)} GB`;
}

export function confidenceLabel(confidence) {
  return `${Number((confidence * 100).toPrecision(6))}%`;
}

export const methodNames = {
  'adjusted-wald': 'adjusted Wald',
  wald: 'Wald',
  tango: 'Tango score',
};

// The default bands' names as people say them; any other name is shown
// with its dashes as spaces.
const bandLabels = {
  negative: 'Negative',
  fair: 'Fair',
  good: 'Good',
  'very-good': 'Very good',
  'world-class': 'World class',
  'needs-work': 'Needs work',
};

export function bandLabel(name) {
  if (!name) return '';
  if (bandLabels[name]) return bandLabels[name];
  const text = name.replace(/[-_]+/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "1,234 answers" / "1 answer". */
export function answers(n) {
  return `${count(n)} ${n === 1 ? 'answer' : 'answers'}`;
}

// Numbers for CSV files people open in a spreadsheet: scores and points with
// one decimal, p-values as decimals unless below 0.0001 (then scientific
// with two significant digits). The JSON export keeps every digit.
export function csvPoints(value) {
  return Number.isFinite(value) ? (Math.round(value * 10) / 10).toFixed(1) : '';
}

export function csvStatistic(value) {
  return Number.isFinite(value) ? (Math.round(value * 100) / 100).toFixed(2) : '';
}

export function csvPValue(p) {
  if (!Number.isFinite(p)) return '';
  return p < 0.0001 ? p.toExponential(1) : String(Number(p.toFixed(4)));
}

/** "3 Mar 2026" for a YYYY-MM-DD date; anything else as it is. */
export function shortDate(isoDate, { year = false } = {}) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const text = `${Number(match[3])} ${months[Number(match[2]) - 1]}`;
  return year ? `${text} ${match[1]}` : text;
}
