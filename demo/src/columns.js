// Which column holds what: reads just the header (or the first JSON object) of
// a file, proposes a mapping, and remembers the user's choice per header set
// so the next export of the same shape needs no questions. The rows
// themselves are only ever read by the core.

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

// The first record of delimited text, honoring quotes (a header may contain
// the delimiter or even a newline inside quotes).
function firstRecord(text, delimiter) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') break;
    else field += c;
  }
  fields.push(field);
  return fields
    .map((name) => name.trim())
    .filter((name, index, all) => name !== '' || all.length > 1);
}

function detectDelimiter(line) {
  const counts = [',', ';', '\t'].map((d) => [d, line.split(d).length - 1]);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

function keysOfObject(object) {
  if (!object || typeof object !== 'object' || Array.isArray(object)) return null;
  const keys = Object.keys(object).filter((key) => key !== 'properties');
  if (object.properties && typeof object.properties === 'object') {
    for (const key of Object.keys(object.properties)) if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

// The texts of the first complete top-level {...} objects of a JSON array
// prefix (a truncated last object is left out).
function jsonObjects(text, limit) {
  const objects = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length && objects.length < limit; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' && depth++ === 0) start = i;
    else if (c === '}' && --depth === 0) objects.push(text.slice(start, i + 1));
  }
  return objects;
}

// Keys of the first records: one record may lack a field (a dismissal has no
// score), so the union of a few is the header.
const sniffedRecords = 50;

/** Column names of a file from its first bytes; [] when none can be found. */
export function sniffColumns(prefix, format) {
  const text = prefix.replace(/^\uFEFF/, '');
  if (format === 'json' || format === 'jsonl') {
    const candidates =
      format === 'jsonl'
        ? text
            .split('\n')
            .slice(0, sniffedRecords)
            .filter((line) => line.trim())
        : jsonObjects(text, sniffedRecords);
    const columns = [];
    for (const candidate of candidates) {
      let record;
      try {
        record = JSON.parse(candidate);
      } catch {
        continue;
      }
      for (const key of keysOfObject(record) ?? []) if (!columns.includes(key)) columns.push(key);
    }
    return columns;
  }
  const firstLine = text.split(/\r?\n/, 1)[0];
  return firstRecord(text, format === 'tsv' ? '\t' : detectDelimiter(firstLine));
}

function normalize(name) {
  return name.trim().toLowerCase();
}

/**
 * Proposes a column per role. `obvious` is true when the score column is
 * named exactly as the core expects ("score") or a known synonym, so the file
 * can be read without asking.
 */
export function guessMapping(columns) {
  const mapping = {};
  const taken = new Set();
  let obvious = false;
  for (const role of roles) {
    const exact = synonyms[role]
      .map((word) => columns.find((c) => normalize(c) === word && !taken.has(c)))
      .find(Boolean);
    const loose = columns.find((c) => hints[role].test(c) && !taken.has(c));
    const choice = exact ?? (role === 'weight' ? undefined : loose);
    mapping[role] = choice ?? '';
    if (choice) taken.add(choice);
    if (role === 'score') obvious = Boolean(exact);
  }
  return { mapping, obvious };
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
