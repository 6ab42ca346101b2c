// Which column holds what: from the core's profile of a file's first bytes
// (each column's name, sample values and what its values look like) proposes
// a mapping, and remembers the user's choice per header set so the next
// export of the same shape needs no questions. The file itself is only ever
// read by the core.

export const roles = ['score', 'comment', 'segment', 'date', 'weight', 'csat', 'ces'];

const synonyms = {
  score: ['score', 'nps', 'nps score', 'rating', 'likelihood', 'recommend', 'likely to recommend'],
  comment: [
    'comment',
    'comments',
    'reason',
    'feedback',
    'text',
    'verbatim',
    'why',
    'open answer',
    'remarks',
  ],
  segment: [
    'segment',
    'plan',
    'tier',
    'region',
    'country',
    'group',
    'channel',
    'customer type',
    'market',
    'product',
  ],
  date: [
    'submitted_at',
    'date',
    'timestamp',
    'created_at',
    'created',
    'time',
    'submitted',
    'response date',
    'day',
    'answered_at',
  ],
  weight: ['weight', 'weights', 'w', 'sample weight'],
  csat: ['csat', 'satisfaction', 'csat score', 'customer satisfaction'],
  ces: ['ces', 'effort', 'ces score', 'customer effort'],
};

// Loose words that make a header a candidate when no synonym matches exactly.
const hints = {
  score: /recommend|likely|nps|score|rating|answer/i,
  comment: /comment|reason|feedback|why|text/i,
  segment: /segment|plan|tier|region|country|group/i,
  date: /date|time|_at$|created|submitted/i,
  weight: /weight/i,
  csat: /csat|satisf/i,
  ces: /\bces\b|effort/i,
};

export function formatFromName(name) {
  const extension = name.toLowerCase().split('.').pop();
  if (extension === 'tsv' || extension === 'tab') return 'tsv';
  if (extension === 'json') return 'json';
  if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
  return 'csv';
}

function normalize(name) {
  return name.trim().toLowerCase();
}

// What a column's values must look like to be suggested for a role by its
// values alone, whatever its name. Other roles are suggested by name only: a
// 1–5 column could be a CSAT rating or a score, and grouping by a column of few
// values the user did not ask for would split every view.
const byValues = {
  score: (column) => column.scores,
  date: (column) => column.dates,
  comment: (column) => column.free_text,
};
// Values that rule a column out for a role even when its name fits loosely.
const fitsValues = {
  score: (column) => column.scores,
  date: (column) => column.dates,
  weight: (column) => column.numbers,
  csat: (column) => column.csat,
  ces: (column) => column.ces,
};
// Roles looked at in this order, so a column the values make certain (a 0–10
// score) is taken before a loose one (a segment) could take it.
const guessOrder = ['score', 'date', 'comment', 'csat', 'ces', 'weight', 'segment'];

/**
 * Proposes a column per role from the core's column profiles ({name,
 * samples, scores, dates, free_text, few_values, ...}). A name that is a
 * known synonym wins; then a loose name whose values fit; then the values
 * alone. `obvious` is true when the score column is named as the core expects
 * ("score") or a known synonym, so the file can be read without asking.
 */
export function guessMapping(profiles) {
  const mapping = {};
  const taken = new Set();
  const free = (column) => !taken.has(column.name);
  const fits = (role, column) => column.values === 0 || (fitsValues[role]?.(column) ?? true);
  let obvious = false;
  for (const role of guessOrder) {
    const exact = synonyms[role]
      .map((word) => profiles.find((column) => normalize(column.name) === word && free(column)))
      .find(Boolean);
    const loose =
      role === 'weight'
        ? undefined
        : profiles.find(
            (column) => hints[role].test(column.name) && free(column) && fits(role, column),
          );
    const valued = byValues[role]
      ? profiles.find((column) => free(column) && column.values > 0 && byValues[role](column))
      : undefined;
    const choice = exact ?? loose ?? valued;
    mapping[role] = choice?.name ?? '';
    if (choice) taken.add(choice.name);
    if (role === 'score') obvious = Boolean(exact);
  }
  return { mapping, obvious };
}

/**
 * What a column's values look like, in a few words for the mapping form
 * ("0–10", "1–5", "dates", "free text", "4 values"), or '' when they fit no
 * shape or the first rows hold none. The most specific shape is named: a 1–5
 * column is also 0–10 and numbers.
 */
export function shapeOf(profile) {
  if (!profile || profile.values === 0) return '';
  if (profile.csat) return '1–5';
  if (profile.ces) return '1–7';
  if (profile.scores) return '0–10';
  if (profile.dates) return 'dates';
  if (profile.numbers) return 'numbers';
  if (profile.free_text) return 'free text';
  if (profile.few_values) return `${profile.distinct} values`;
  return '';
}

const storagePrefix = 'npskit.calculator.mapping:';

function headerKey(columns) {
  return storagePrefix + [...columns].map(normalize).sort().join('\u001f');
}

export function rememberedMapping(columns) {
  try {
    const saved = JSON.parse(localStorage.getItem(headerKey(columns)) ?? 'null');
    if (
      saved &&
      roles.every((role) => saved[role] === '' || columns.includes(saved[role])) &&
      (saved.segments ?? []).every((column) => columns.includes(column))
    )
      return saved;
  } catch {
    // Storage unavailable or corrupt: fall back to guessing.
  }
  return null;
}

export function rememberMapping(columns, mapping) {
  try {
    localStorage.setItem(headerKey(columns), JSON.stringify(mapping));
  } catch {
    // Private browsing or a full quota: the mapping simply is not remembered.
  }
}
