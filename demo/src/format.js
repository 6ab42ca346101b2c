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

export function bandLabel(name) {
  if (!name) return '';
  const text = name.replace(/[-_]+/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "1,234 answers" / "1 answer". */
export function answers(n) {
  return `${count(n)} ${n === 1 ? 'answer' : 'answers'}`;
}
