// The collector on PostgreSQL: wrk POSTs unique answers to one and to two
// `npskit serve` on one local PostgreSQL 15 (fsync and synchronous_commit on),
// next to SQLite FULL in the same run; then GET /api/summary on PostgreSQL
// with 10,000 and 1,000,000 stored answers (loaded with `npskit import`).
// The throwaway cluster comes from the collector tests' helper.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startCluster } from '../tests/collector/postgres.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const binary = path.resolve(repoRoot, process.env.NPSKIT_BIN ?? 'build/bin/npskit');
const seconds = Number(process.env.NPSKIT_BENCH_SECONDS ?? 10);
const largest = Number(process.env.NPSKIT_BENCH_PG_ANSWERS ?? 1000000);
const connections = 32;
const goal = { answers_per_second: 5000, p99_ms: 20, summary_ratio: 2 };

const wrkScript = `
local counter = 0
local thread_number = 0
local threads = {}
function setup(thread)
  thread:set("number", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  thread_number = tonumber(number)
  math.randomseed(os.time() + thread_number + os.clock() * 1000000)
end
function request()
  counter = counter + 1
  local id = string.format("%08x-%04x-4%03x-a%03x-%012x",
    math.random(0, 0x7fffffff), math.random(0, 0xffff), math.random(0, 0xfff),
    thread_number, counter)
  local body = string.format(
    '{"schema":"npskit.response/1","type":"response","id":"%s","survey":"bench",' ..
    '"score":%d,"comment":"wrk load test","submitted_at":"2026-11-22T10:15:00.000Z",' ..
    '"locale":"en","properties":{"plan":"pro"}}', id, counter % 11)
  return wrk.format("POST", "/api/responses", {["Content-Type"] = "text/plain;charset=UTF-8"}, body)
end
`;

function get(port, target) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: target }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, text }));
      })
      .on('error', reject);
  });
}

async function startServer(db, logFile) {
  const log = openSync(logFile, 'w');
  const child = spawn(
    binary,
    ['serve', '--host', '127.0.0.1', '--port', '0', '--db', db, '--rate', '0'],
    { stdio: ['ignore', 'ignore', log] },
  );
  closeSync(log);
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(logFile, 'utf8'));
    if (match) return { child, port: Number(match[1]) };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`npskit serve did not start:\n${readFileSync(logFile, 'utf8')}`);
}

function stop(server) {
  return new Promise((resolve) => {
    server.child.on('exit', resolve);
    server.child.kill('SIGTERM');
  });
}

function toMilliseconds(text) {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function runWrk(port, script, connectionCount) {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', [
      '-t1',
      `-c${connectionCount}`,
      `-d${seconds}s`,
      '--latency',
      '-s',
      script,
      `http://127.0.0.1:${port}/`,
    ]);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk failed: ${output}`));
      const percentile = (p) => {
        const match = new RegExp(`^\\s+${p}%\\s+(\\S+)$`, 'm').exec(output);
        return match ? toMilliseconds(match[1]) : NaN;
      };
      const requests = /(\d+) requests in ([\d.]+)(s|m)/.exec(output);
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
      resolve({
        requests: Number(requests[1]),
        duration: Number(requests[2]) * (requests[3] === 'm' ? 60 : 1),
        non2xx: non2xx ? Number(non2xx[1]) : 0,
        p50: percentile(50),
        p99: percentile(99),
      });
    });
  });
}

// Two wrk processes (one per collector, half the connections each) stand
// for a load balancer; p50 and p99 are the worse of the two.
async function load(ports, script) {
  const runs = await Promise.all(
    ports.map((port) => runWrk(port, script, connections / ports.length)),
  );
  const accepted = runs.reduce((sum, run) => sum + run.requests - run.non2xx, 0);
  return {
    answers_per_second: Math.round(accepted / Math.max(...runs.map((run) => run.duration))),
    p50_ms: Math.max(...runs.map((run) => run.p50)),
    p99_ms: Math.max(...runs.map((run) => run.p99)),
    refused: runs.reduce((sum, run) => sum + run.non2xx, 0),
  };
}

function exportLines(count) {
  const lines = [];
  for (let i = 0; i < count; i += 1) {
    const day = new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86400000).toISOString().slice(0, 10);
    const id = `${(i + 1).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    const comment = i % 3 === 0 ? `,"comment":"reason ${i % 50}"` : '';
    lines.push(
      `{"schema":"npskit.response/1","type":"response","id":"${id}","survey":"bench",` +
        `"score":${(i * 7) % 11},"submitted_at":"${day}T10:00:00Z"${comment},` +
        `"properties":{"plan":"p${i % 5}"}}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function summaryLatency(port, target, repeats = 15) {
  const times = [];
  for (let i = 0; i < repeats; i += 1) {
    const started = process.hrtime.bigint();
    const response = await get(port, target);
    if (response.status !== 200) throw new Error(`summary: ${response.status} ${response.text}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const work = mkdtempSync(path.join(tmpdir(), 'npskit-bench-postgres-'));
const script = path.join(work, 'post.lua');
writeFileSync(script, wrkScript);
const cluster = await startCluster();
const results = { seconds, connections, cores: cpus().length, goal, runs: {}, summary: {} };
try {
  const sqlite = await startServer(path.join(work, 'full.db'), path.join(work, 'sqlite.log'));
  results.runs['SQLite FULL, one collector'] = await load([sqlite.port], script);
  await stop(sqlite);

  const single = cluster.createDatabase('single');
  const one = await startServer(single, path.join(work, 'one.log'));
  results.runs['PostgreSQL, one collector'] = await load([one.port], script);
  await stop(one);

  const shared = cluster.createDatabase('shared');
  const first = await startServer(shared, path.join(work, 'first.log'));
  const second = await startServer(shared, path.join(work, 'second.log'));
  results.runs['PostgreSQL, two collectors'] = await load([first.port, second.port], script);
  await Promise.all([stop(first), stop(second)]);

  for (const count of [10000, largest]) {
    const db = cluster.createDatabase(`summary_${count}`);
    const file = path.join(work, `answers-${count}.jsonl`);
    writeFileSync(file, exportLines(count));
    const imported = spawnSync(binary, ['import', '--db', db, file], { encoding: 'utf8' });
    if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr}`);
    rmSync(file);
    cluster.sql('ANALYZE', `summary_${count}`);
    const server = await startServer(db, path.join(work, `summary-${count}.log`));
    results.summary[count] = {
      overall_ms: await summaryLatency(server.port, '/api/summary?themes=0'),
      by_segment_ms: await summaryLatency(server.port, '/api/summary?by=segment&themes=0'),
      by_day_ms: await summaryLatency(server.port, '/api/summary?by=day&themes=0'),
      with_themes_ms: await summaryLatency(server.port, '/api/summary'),
    };
    await stop(server);
  }
} finally {
  cluster.remove();
  rmSync(work, { recursive: true, force: true });
}

const lines = [
  '## Collector on PostgreSQL: answers per second (wrk) and summary latency',
  '',
  `wrk, ${connections} connections in all, ${seconds} s per run, on 127.0.0.1; PostgreSQL 15 on the`,
  `same machine (fsync on, synchronous_commit on); ${cpus().length} CPU cores shared by everything.`,
  '',
  '| setup | answers/s | p50 | p99 | refused |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...Object.entries(results.runs).map(
    ([name, run]) =>
      `| ${name} | ${run.answers_per_second.toLocaleString('en')} | ${run.p50_ms.toFixed(2)} ms | ${run.p99_ms.toFixed(2)} ms | ${run.refused} |`,
  ),
  '',
  '| GET /api/summary (median) | 10,000 | ' + largest.toLocaleString('en') + ' | ratio |',
  '| --- | ---: | ---: | ---: |',
  ...['overall_ms', 'by_segment_ms', 'by_day_ms', 'with_themes_ms'].map((key) => {
    const small = results.summary[10000][key];
    const large = results.summary[largest][key];
    return `| ${key.replace(/_ms$/, '').replace(/_/g, ' ')} | ${small.toFixed(2)} ms | ${large.toFixed(2)} ms | ${(large / small).toFixed(2)} |`;
  }),
];
console.log(lines.join('\n'));
writeFileSync(
  path.join(benchDir, 'results', 'postgres.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
