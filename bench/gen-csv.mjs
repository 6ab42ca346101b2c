// A survey export for the ingest benchmark: id, submitted_at, score, segment,
// comment, as a survey tool writes it (quoted comments with commas and
// quotes, UTF-8 text in several languages, many answers without a comment).
// Deterministic, so every run reads the same bytes.
//
//   node bench/gen-csv.mjs OUT.csv [ROWS]
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const segments = [
  'enterprise',
  'smb',
  'startup',
  'education',
  'public',
  'Kraków',
  'Göteborg',
  '北京',
];
const comments = [
  'Fast support',
  'Too expensive for what it does',
  'Great dashboard, clear reports',
  'The export is slow',
  'Snabb och trevlig support',
  'Za drogo, ale działa',
  '界面清晰，响应很快',
  'Billing is "confusing", to say the least',
  'Works',
];
// Typical NPS answers lean to the top of the scale.
const scoreWeights = [3, 1, 1, 2, 2, 4, 6, 10, 16, 25, 30];

function scorePicker() {
  const cumulative = [];
  let total = 0;
  for (const weight of scoreWeights) cumulative.push((total += weight));
  return (unit) => cumulative.findIndex((bound) => unit * total < bound);
}

function quoted(text) {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes `rows` answers (plus a header) to `file`; returns the byte count. */
export function generateCsv(file, rows) {
  let state = 0x2f1c5a3b;
  const random = () => {
    // xorshift32: fast and good enough for made-up answers.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const pickScore = scorePicker();
  const start = Date.UTC(2026, 0, 1);
  const descriptor = openSync(file, 'w');
  let bytes = 0;
  try {
    let batch = ['id,submitted_at,score,segment,comment\n'];
    for (let row = 1; row <= rows; row += 1) {
      const time = new Date(start + Math.floor(random() * 330 * 86400) * 1000).toISOString();
      const comment =
        random() < 0.4 ? quoted(comments[Math.floor(random() * comments.length)]) : '';
      const segment = segments[Math.floor(random() * segments.length)];
      batch.push(`r${row},${time.slice(0, 19)}Z,${pickScore(random())},${segment},${comment}\n`);
      if (batch.length === 10000 || row === rows) {
        bytes += writeSync(descriptor, batch.join(''));
        batch = [];
      }
    }
  } finally {
    closeSync(descriptor);
  }
  return bytes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, rows = '1000000'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/gen-csv.mjs OUT.csv [ROWS]');
    process.exit(2);
  }
  const bytes = generateCsv(file, Number(rows));
  console.error(`${file}: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB`);
}
