// Every option with its default. The type of the default decides how a
// data-* attribute is read: numbers, booleans, JSON objects (default null) or
// strings. The attribute name is the kebab-case form of the JS name
// (resurveyDays <-> data-resurvey-days), which is exactly what dataset does.
export const defaults = {
  endpoint: '',
  survey: 'nps',
  metric: 'nps',
  companion: '',
  product: '',
  effortTask: '',
  mode: 'slide',
  position: 'end',
  target: '',
  trigger: 'immediate',
  delay: 10,
  scrollPercent: 50,
  pageViews: 3,
  event: '',
  resurveyDays: 90,
  dismissCooldownDays: 14,
  sampleRate: 1,
  siteCooldownDays: 30,
  urlInclude: '',
  urlExclude: '',
  minSecondsOnSite: 0,
  respectGpc: true,
  consent: '',
  locale: '',
  theme: 'auto',
  question: '',
  followUpDetractor: '',
  followUpPassive: '',
  followUpPromoter: '',
  thankYouSeconds: 4,
  postDismissals: false,
  anonymous: false,
  autoFocus: true,
  user: null,
  properties: null,
  headers: null,
  contentType: 'json',
  retryBaseSeconds: 2,
  retryMaxSeconds: 300,
};

const choices = {
  metric: ['nps', 'csat', 'ces'],
  companion: ['', 'csat', 'ces'],
  consent: ['', 'required'],
  mode: ['modal', 'slide', 'bar', 'inline'],
  position: ['end', 'start'],
  trigger: ['immediate', 'delay', 'scroll', 'exit', 'pageviews', 'event', 'manual'],
  theme: ['auto', 'light', 'dark'],
  contentType: ['json', 'text'],
};

const ranges = {
  sampleRate: [0, 1],
  scrollPercent: [0, 100],
};

const attributeName = (name) => 'data-' + name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/**
 * Checks `input` (from NpsKit.init or the script tag) against the defaults.
 * Returns the accepted options and one message per rejected value; a rejected
 * value keeps its previous setting. `fromAttributes` names problems by
 * attribute instead of JS name and parses the string values first.
 */
export function readOptions(input, fromAttributes) {
  const accepted = {};
  const problems = [];
  for (const name in input) {
    if (!(name in defaults)) {
      if (!fromAttributes) problems.push(`unknown option "${name}"`);
      continue;
    }
    const label = fromAttributes ? attributeName(name) : name;
    const fallback = defaults[name];
    let value = input[name];
    if (fromAttributes) {
      if (typeof fallback === 'number') value = value.trim() === '' ? NaN : Number(value);
      // A bare attribute (data-anonymous) means true, like HTML's own booleans.
      else if (typeof fallback === 'boolean') value = !/^(false|0|no|off)$/i.test(value.trim());
      else if (fallback === null) {
        try {
          value = JSON.parse(value);
        } catch (error) {
          problems.push(
            `${label} is not valid JSON (${error.message}); expected an object such as {"id":"u-42"}`,
          );
          continue;
        }
      }
    }
    if (valid(name, fallback, value)) accepted[name] = value;
    else
      problems.push(
        `${label} is ${JSON.stringify(input[name])}; expected ${describe(name, fallback)}`,
      );
  }
  return { accepted, problems };
}

function valid(name, fallback, value) {
  if (fallback === null)
    return value === null || (typeof value === 'object' && !Array.isArray(value));
  if (name === 'target') return typeof value === 'string' || (value && value.nodeType === 1);
  if (typeof value !== typeof fallback) return false;
  if (typeof value === 'number') {
    const [min, max] = ranges[name] || [0, Infinity];
    return value >= min && value <= max;
  }
  return !choices[name] || choices[name].includes(value);
}

function describe(name, fallback) {
  if (choices[name]) return 'one of ' + choices[name].filter(Boolean).join(', ');
  if (ranges[name]) return `a number from ${ranges[name][0]} to ${ranges[name][1]}`;
  if (name === 'target') return 'a CSS selector or an element';
  if (fallback === null) return 'an object';
  if (typeof fallback === 'number') return 'a number of 0 or more';
  return 'a ' + typeof fallback;
}
