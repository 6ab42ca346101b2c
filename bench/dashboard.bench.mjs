// The collector's dashboard (/admin/) in Chromium over loopback with 100,000
// and 1,000,000 stored answers: from navigation to the headline (the core in
// WebAssembly on the counts of /api/summary) and to every view (the answers
// of /api/responses.jsonl streamed through the core's readers: segments,
// weekly trend, themes). Median of several runs, each in a fresh browser
// context.
//
// The databases are filled directly with SQLite in the first schema, and
// `npskit serve` fills the counts when it opens them (not timed here; see
// summary.bench.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, repoRoot } from '../tests/e2e/support.mjs';

const binary = path.resolve(repoRoot, process.env.NPSKIT_BIN ?? 'build/bin/npskit');
const sizes = [
  { answers: 100_000, runs: 5 },
  { answers: 1_000_000, runs: 3 },
];
// Each run is bounded; a dashboard that takes longer has failed.
const runTimeout = 10 * 60 * 1000;

function fillDatabase(db, count) {
  const sql = `
PRAGMA journal_mode = WAL;
CREATE TABLE responses (sequence INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL CHECK (type IN ('response', 'dismissal')), survey TEXT NOT NULL,
  score INTEGER CHECK (score BETWEEN 0 AND 10), submitted_at TEXT NOT NULL,
  received_at TEXT NOT NULL, payload TEXT NOT NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}),
answers AS (
  SELECT printf('%08x-0000-4000-8000-%012x', i, i) AS id,
         (i * 7 + i / 13) % 11 AS score,
         strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+' || (i % 330) || ' days',
                  '+' || (i % 86400) || ' seconds') AS submitted_at,
         'plan-' || (i % 4) AS segment,
         'u-' || (i % 5000) AS user_id,
         CASE i % 3 WHEN 0 THEN 'Support was quick and the reports are clear'
                    WHEN 1 THEN 'Too expensive for a small team' ELSE '' END AS comment
  FROM n)
INSERT INTO responses (id, type, survey, score, submitted_at, received_at, payload)
SELECT id, 'response', 'bench', score, submitted_at, submitted_at,
       json_object('schema', 'npskit.response/1', 'type', 'response', 'id', id,
                   'survey', 'bench', 'score', score, 'comment', comment,
                   'submitted_at', submitted_at, 'user', json_object('id', user_id),
                   'properties', json_object('segment', segment))
FROM answers;
PRAGMA user_version = 1;
`;
  const run = spawnSync('sqlite3', [db], { input: sql, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sqlite3 failed: ${run.stderr || run.error}`);
}

async function startCollector(db) {
  const child = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', '0', '--db', db], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = /listening on http:\/\/\S+:(\d+) /.exec(log);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`npskit serve exited with ${code}:\n${log}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(browser, base) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${base}/admin/`);
  await page.waitForSelector('html[data-headline]', { timeout: runTimeout });
  const headline = Date.now() - started;
  await page.waitForSelector('html[data-rendered]', { timeout: runTimeout });
  const everything = Date.now() - started;
  const n = await page.locator('[data-stat="n"]').innerText();
  await context.close();
  return { headline, everything, n };
}

const folder = mkdtempSync(path.join(tmpdir(), 'npskit-dashboard-bench-'));
const results = [];
const browser = await launchBrowser();
try {
  for (const { answers, runs } of sizes) {
    const db = path.join(folder, `answers-${answers}.db`);
    fillDatabase(db, answers);
    // Reads are open to this machine on a loopback bind without a token.
    const collector = await startCollector(db);
    try {
      const list = [];
      for (let run = 0; run < runs; run += 1) list.push(await measure(browser, collector.base));
      const shown = Number(list[0].n.replaceAll(',', ''));
      if (shown !== answers)
        throw new Error(`the dashboard shows ${list[0].n} answers, not ${answers}`);
      results.push({
        answers,
        runs,
        headlineMs: median(list.map((run) => run.headline)),
        everythingMs: median(list.map((run) => run.everything)),
      });
    } finally {
      await collector.stop();
    }
  }
} finally {
  await browser.close();
  rmSync(folder, { recursive: true, force: true });
}

writeFileSync(
  path.join(repoRoot, 'bench', 'results', 'dashboard.json'),
  `${JSON.stringify({ loadAverage: loadavg()[0], results }, null, 2)}\n`,
);
console.log(`### Dashboard first render (/admin/, Chromium, loopback)

Median of several runs, each in a fresh browser context; load average ${loadavg()[0].toFixed(1)}.

| stored answers | runs | headline (counts) | every view (answers streamed through the core) |
| -------------: | ---: | ----------------: | ---------------------------------------------: |
${results
  .map(
    (row) =>
      `| ${row.answers.toLocaleString('en-US')} | ${row.runs} | ${(row.headlineMs / 1000).toFixed(2)} s | ${(row.everythingMs / 1000).toFixed(2)} s |`,
  )
  .join('\n')}
`);
