// Alerts while answers arrive: POST latency of `npskit serve` at a steady
// 100 answers/s, without alerts and with 10 detractors a second delivered
// to a signed webhook (and a Slack-format hook) whose receiver takes 50 ms
// to answer, plus how long an alert takes from the POST's acknowledgement to
// its receiver. Writes bench/results/alerts.json.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const binary = path.resolve(benchDir, '..', process.env.NPSKIT_BIN ?? 'build/bin/npskit');
const answersPerSecond = 100;
const detractorEvery = 10; // one answer in ten: 10 alerts/s
const seconds = Number(process.env.NPSKIT_BENCH_SECONDS ?? 20);
const receiverDelayMs = 50;

const workspace = mkdtempSync(path.join(tmpdir(), 'npskit-bench-alerts-'));

async function startReceiver() {
  const arrivals = new Map(); // answer id -> arrival time (ms)
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (body.data) arrivals.set(body.data.id, performance.now());
      setTimeout(() => response.end('ok'), receiverDelayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, arrivals, server };
}

async function startServer(name, args) {
  const logFile = path.join(workspace, `${name}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn(
    binary,
    [
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--db',
      path.join(workspace, `${name}.db`),
      '--rate',
      '0',
      ...args,
    ],
    { stdio: ['ignore', 'ignore', log] },
  );
  closeSync(log);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(readFileSync(logFile, 'utf8'));
    if (match) return { child, exited, port: Number(match[1]) };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`npskit serve did not start:\n${readFileSync(logFile, 'utf8')}`);
}

function post(port, agent, body) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/responses',
        agent,
        headers: { 'Content-Type': 'application/json' },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 201
            ? resolve({ started, acknowledged: performance.now() })
            : reject(new Error(`POST answered ${response.statusCode}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(name, args, receiver) {
  const server = await startServer(name, args);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const latencies = [];
  const acknowledgedAt = new Map();
  const pending = [];
  const total = answersPerSecond * seconds;
  const begin = performance.now();
  try {
    // Open loop: each answer leaves at its time whether earlier ones came back or not.
    for (let i = 0; i < total; i += 1) {
      const due = begin + (i * 1000) / answersPerSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const id = randomUUID();
      const score = i % detractorEvery === 0 ? 3 : 9;
      const body = JSON.stringify({
        schema: 'npskit.response/1',
        type: 'response',
        id,
        survey: 'bench',
        score,
        comment: 'bench answer',
        submitted_at: '2026-11-22T10:15:00.000Z',
      });
      pending.push(
        post(server.port, agent, body).then(({ started, acknowledged }) => {
          latencies.push(acknowledged - started);
          if (score <= 6) acknowledgedAt.set(id, acknowledged);
        }),
      );
    }
    await Promise.all(pending);
    let lags = [];
    if (receiver) {
      // Every alert must arrive; waited for at most 60 s.
      for (
        let tries = 0;
        tries < 600 && [...acknowledgedAt.keys()].some((id) => !receiver.arrivals.has(id));
        tries += 1
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      lags = [...acknowledgedAt]
        .filter(([id]) => receiver.arrivals.has(id))
        .map(([id, at]) => receiver.arrivals.get(id) - at);
    }
    latencies.sort((a, b) => a - b);
    lags.sort((a, b) => a - b);
    return {
      name,
      answers: latencies.length,
      alerts_expected: receiver ? acknowledgedAt.size : 0,
      alerts_delivered: lags.length,
      post_ms: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1),
      },
      alert_lag_ms: lags.length ? { p50: percentile(lags, 50), p99: percentile(lags, 99) } : null,
    };
  } finally {
    agent.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

const receiver = await startReceiver();
const slack = await startReceiver();
const runs = [];
try {
  runs.push(await measure('no alerts', []));
  runs.push(
    await measure(
      'alerts',
      [
        '--webhook',
        receiver.url,
        '--webhook-secret-file',
        path.join(workspace, 'secret'),
        '--webhook-when',
        'detractor',
        '--slack-webhook',
        slack.url,
      ],
      receiver,
    ),
  );
} finally {
  receiver.server.close();
  slack.server.close();
  rmSync(workspace, { recursive: true, force: true });
}

const format = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
console.log(
  [
    '## Collector: POST latency while alerts are delivered',
    '',
    `${answersPerSecond} answers/s for ${seconds} s (open loop, keep-alive, 127.0.0.1; ${cpus().length} CPU cores), ` +
      `one in ${detractorEvery} a detractor. "alerts": each detractor goes to a signed --webhook and a ` +
      `--slack-webhook whose receivers answer after ${receiverDelayMs} ms (20 deliveries/s).`,
    '',
    '| run | answers | POST p50 ms | POST p99 ms | POST max ms | alerts delivered | alert lag p50 ms | alert lag p99 ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      (run) =>
        `| ${run.name} | ${run.answers} | ${format(run.post_ms.p50)} | ${format(run.post_ms.p99)} | ${format(run.post_ms.max)} | ` +
        `${run.alerts_delivered}/${run.alerts_expected} | ${format(run.alert_lag_ms?.p50, 1)} | ${format(run.alert_lag_ms?.p99, 1)} |`,
    ),
    '',
    'Alert lag: from the acknowledgement of the POST to the webhook receiver reading the delivery.',
    '',
  ].join('\n'),
);
writeFileSync(
  path.join(benchDir, 'results', 'alerts.json'),
  `${JSON.stringify({ benchmark: 'alerts', cores: cpus().length, answers_per_second: answersPerSecond, seconds, runs }, null, 2)}\n`,
);
const withAlerts = runs.find((run) => run.name === 'alerts');
if (withAlerts.alerts_delivered !== withAlerts.alerts_expected) {
  console.error(
    `alerts lost: ${withAlerts.alerts_delivered} of ${withAlerts.alerts_expected} delivered`,
  );
  process.exit(1);
}
