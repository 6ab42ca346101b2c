// /api/summary latency against the number of stored answers: the collector
// keeps counts per survey, date, segment and score, so a summary without
// themes should cost about the same at 10,000 and at 1,000,000 answers (goal:
// ratio at most 2). Themes read the stored comments the first time a
// selection is asked for, so that first request grows with the number of
// comments; later ones read only the comments stored since. Both are
// reported.
//
// The databases are filled directly with SQLite (a schema-1 database, as an
// older collector wrote it), and `npskit serve` fills the counts on opening
// it; that one-time migration is timed too.
//
// NPSKIT_BENCH_RATINGS=1 gives every answer a CSAT rating and one in two a
// CES rating as well, so that the summaries carry "csat" and "ces" blocks;
// NPSKIT_BENCH_SIZES=10000,200000 sets the two sizes (default 10,000 and
// 1,000,000). With NPSKIT_BIN naming an older build the same run measures
// that build.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const binary = path.resolve(repoRoot, process.env.NPSKIT_BIN ?? 'build/bin/npskit');
const sizes = (process.env.NPSKIT_BENCH_SIZES ?? '10000,1000000')
  .split(',')
  .map((size) => Number(size));
if (sizes.length !== 2 || !sizes.every((size) => Number.isInteger(size) && size > 0)) {
  throw new Error(`NPSKIT_BENCH_SIZES: expected two answer counts, got ${sizes.join(',')}`);
}
const ratings = process.env.NPSKIT_BENCH_RATINGS === '1';
const goalRatio = 2;
const queries = [
  { name: 'overall, no themes', query: 'themes=0', counted: true },
  { name: 'by segment, no themes', query: 'by=segment&themes=0', counted: true },
  {
    name: 'by week, from/to, no themes',
    query: 'by=week&from=2026-03-01&to=2026-09-30&themes=0',
    counted: true,
  },
  { name: 'by day, no themes', query: 'by=day&themes=0', counted: true },
  { name: 'overall with themes (default)', query: '', counted: false },
];

const phrases = [
  'Fast support and great docs',
  'Too expensive for what it does',
  'Support was slow to answer',
  'Great product, the dashboard is lovely',
  'Pricing is confusing',
  'Setup took minutes, great onboarding',
  'Missing integrations we need',
  'Reliable and fast',
];

function schemaOneDatabase(db, count) {
  const comment = `CASE i % 3 WHEN 0 THEN CASE i % 8 ${phrases
    .map((text, index) => `WHEN ${index} THEN '${text.replaceAll("'", "''")}'`)
    .join(' ')} END ELSE '' END`;
  const sql = `
PRAGMA journal_mode = WAL;
CREATE TABLE responses (sequence INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('response', 'dismissal')), survey TEXT NOT NULL,
  score INTEGER CHECK (score BETWEEN 0 AND 10), submitted_at TEXT NOT NULL,
  received_at TEXT NOT NULL, payload TEXT NOT NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}),
answers AS (
  SELECT i, printf('%08x-0000-4000-8000-%012x', i, i) AS id,
         (i * 7 + i / 13) % 11 AS score,
         strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+' || (i % 365) || ' days',
                  '+' || (i % 86400) || ' seconds') AS submitted_at,
         'segment-' || (i % 5) AS segment,
         ${comment} AS comment
  FROM n)
INSERT INTO responses (id, type, survey, score, submitted_at, received_at, payload)
SELECT id, 'response', 'bench', score, submitted_at, submitted_at,
       json_object('schema', 'npskit.response/1', 'type', 'response', 'id', id,
                   'survey', 'bench', 'score', score, 'comment', comment,
                   'submitted_at', submitted_at, 'properties', json_object('segment', segment)${
                     ratings
                       ? ", 'csat', 1 + (i * 3) % 5, 'ces', CASE i % 2 WHEN 0 THEN 1 + i % 7 END"
                       : ''
                   })
FROM answers;
PRAGMA user_version = 1;
`;
  const run = spawnSync('sqlite3', [db], { input: sql, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sqlite3 failed: ${run.stderr || run.error}`);
}

function startServer(db) {
  const started = process.hrtime.bigint();
  const child = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', '0', '--db', db], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const port = new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (match) resolve(Number(match[1]));
    });
    exited.then(() => reject(new Error(`npskit serve exited:\n${log}`)));
  });
  return port.then((value) => ({
    port: value,
    openMs: Number(process.hrtime.bigint() - started) / 1e6,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  }));
}

function timedGet(port, target) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http
      .get({ host: '127.0.0.1', port, path: target }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (response.statusCode !== 200) {
            reject(new Error(`${target}: ${response.statusCode} ${Buffer.concat(chunks)}`));
          } else {
            resolve({ ms, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          }
        });
      })
      .on('error', reject);
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const workspace = mkdtempSync(path.join(tmpdir(), 'npskit-bench-summary-'));
const measured = [];
try {
  for (const size of sizes) {
    const db = path.join(workspace, `answers-${size}.db`);
    const filling = process.hrtime.bigint();
    schemaOneDatabase(db, size);
    const fillMs = Number(process.hrtime.bigint() - filling) / 1e6;
    const server = await startServer(db);
    const repeats = size > 100_000 ? 7 : 21;
    const row = { answers: size, fill_ms: fillMs, open_ms: server.openMs, queries: {} };
    try {
      for (const { name, query } of queries) {
        const target = `/api/summary?${query}`;
        const first = await timedGet(server.port, target);
        if (!query.includes('from=') && first.body.n !== size)
          throw new Error(`${target}: n = ${first.body.n}, not ${size}`);
        const times = [];
        for (let i = 0; i < repeats; i += 1) times.push((await timedGet(server.port, target)).ms);
        row.queries[name] = {
          first_ms: first.ms,
          median_ms: median(times),
          min_ms: Math.min(...times),
          repeats,
        };
      }
    } finally {
      await server.stop();
    }
    measured.push(row);
    rmSync(db, { force: true });
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
}

const [small, large] = measured;
const results = queries.map(({ name, counted }) => ({
  query: name,
  counted,
  small_ms: small.queries[name].median_ms,
  large_ms: large.queries[name].median_ms,
  ratio: large.queries[name].median_ms / small.queries[name].median_ms,
  small_first_ms: small.queries[name].first_ms,
  large_first_ms: large.queries[name].first_ms,
}));
const format = (value, digits = 2) => value.toFixed(digits);
console.log(
  [
    '## Collector: /api/summary latency against stored answers',
    '',
    `Median of repeated GET /api/summary on 127.0.0.1 (${cpus().length} CPU cores), answers spread ` +
      `over 365 days and 5 segments, a comment on one in three${
        ratings ? ', a CSAT rating on every one and a CES rating on one in two' : ''
      }. Goal: at most ${goalRatio}x from ` +
      `${small.answers.toLocaleString('en')} to ${large.answers.toLocaleString('en')} answers for ` +
      'summaries built from the counts.',
    '',
    `| query | ${small.answers.toLocaleString('en')} answers | ${large.answers.toLocaleString('en')} answers | ratio | first request at ${small.answers.toLocaleString('en')} / ${large.answers.toLocaleString('en')} |`,
    '|---|---:|---:|---:|---:|',
    ...results.map(
      (result) =>
        `| ${result.query} | ${format(result.small_ms)} ms | ${format(result.large_ms)} ms | ${format(result.ratio)} | ` +
        `${format(result.small_first_ms)} / ${format(result.large_first_ms)} ms |`,
    ),
    '',
    `Opening a schema-1 database fills the counts once: ${format(small.open_ms, 0)} ms for ` +
      `${small.answers.toLocaleString('en')} answers, ${format(large.open_ms, 0)} ms for ` +
      `${large.answers.toLocaleString('en')}.`,
    '',
  ].join('\n'),
);

const counted = results.filter((result) => result.counted);
const summary = {
  benchmark: 'summary',
  cores: cpus().length,
  goal: { ratio: goalRatio },
  meets_goal: counted.every((result) => result.ratio <= goalRatio),
  sizes: measured,
  results,
};
writeFileSync(
  path.join(benchDir, 'results', 'summary.json'),
  `${JSON.stringify(summary, null, 2)}\n`,
);
