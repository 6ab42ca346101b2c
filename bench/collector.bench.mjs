// Collector throughput: wrk POSTs unique answers to `npskit serve` on
// 127.0.0.1 for a fixed time, once with synchronous FULL (an acknowledged
// answer survives power loss) and once with NORMAL (it survives a crash of the
// process). Reports accepted answers per second and latency percentiles, and
// checks that the database holds exactly the accepted answers.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const binary = path.resolve(repoRoot, process.env.NPSKIT_BIN ?? 'build/bin/npskit');
const seconds = Number(process.env.NPSKIT_BENCH_SECONDS ?? 10);
const connections = 32;
const wrkThreads = 2;
const goal = { answers_per_second: 5000, p99_ms: 20, stressed_p99_ratio: 2 };

// Every request carries a fresh UUID (thread number and counter in the
// last groups) so that each one is a new answer, not an idempotent repeat.
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
  math.randomseed(os.time() + thread_number)
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

function requireTool(command, args) {
  const probe = spawnSync(command, args, { encoding: 'utf8' });
  if (probe.error) {
    console.error(`bench collector: ${command} is not installed (./run installs it)`);
    process.exit(1);
  }
}

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

async function startServer(db, logFile, synchronous) {
  const log = openSync(logFile, 'w');
  // The request log goes to a file: a pipe back to this process would make
  // Node's reading part of what is measured.
  const child = spawn(
    binary,
    [
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--db',
      db,
      '--rate',
      '0',
      '--synchronous',
      synchronous,
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

function toMilliseconds(text) {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function parseWrk(output) {
  const percentile = (p) => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)$`, 'm').exec(output);
    return match ? toMilliseconds(match[1]) : NaN;
  };
  const requests = /(\d+) requests in ([\d.]+)(s|m)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const duration = requests ? Number(requests[2]) * (requests[3] === 'm' ? 60 : 1) : NaN;
  return {
    requests: requests ? Number(requests[1]) : NaN,
    duration,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    p50: percentile(50),
    p90: percentile(90),
    p99: percentile(99),
  };
}

// The hostile background of the stressed run: `slowClients` sockets that
// trickle a header byte a second (reconnecting when the server cuts them
// off), spread over loopback addresses so that each address stays under the
// per-client connection cap, and a summary request every 100 ms.
const slowClients = 500;
function startStress(port) {
  const sockets = new Set();
  let stopped = false;
  const summaries = { requests: 0, failed: 0 };
  const connect = (i) => {
    if (stopped) return;
    const socket = net.connect({
      port,
      host: '127.0.0.1',
      localAddress: `127.0.4.${1 + (i % 25)}`,
    });
    sockets.add(socket);
    socket.on('connect', () => socket.write('POST /api/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      setTimeout(() => connect(i), 100);
    });
  };
  for (let i = 0; i < slowClients; i += 1) connect(i);
  const trickle = setInterval(() => {
    for (const socket of sockets) if (socket.writable) socket.write('X');
  }, 1000);
  const summary = setInterval(() => {
    summaries.requests += 1;
    get(port, '/api/summary?survey=bench')
      .then((response) => {
        if (response.status !== 200) summaries.failed += 1;
      })
      .catch(() => (summaries.failed += 1));
  }, 100);
  return () => {
    stopped = true;
    clearInterval(trickle);
    clearInterval(summary);
    for (const socket of sockets) socket.destroy();
    return summaries;
  };
}

function runWrk(port, scriptFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'wrk',
      [
        `-t${wrkThreads}`,
        `-c${connections}`,
        `-d${seconds}s`,
        '--latency',
        '-s',
        scriptFile,
        `http://127.0.0.1:${port}/api/responses`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`wrk failed: ${stderr || stdout}`));
      else resolve(stdout);
    });
  });
}

async function measure(workspace, synchronous, scriptFile, stressed = false) {
  const name = `${synchronous}${stressed ? '-stressed' : ''}`;
  const db = path.join(workspace, `bench-${name}.db`);
  const logFile = path.join(workspace, `serve-${name}.log`);
  const server = await startServer(db, logFile, synchronous);
  try {
    if (stressed) {
      // wrk runs in its own process, so that this one's event loop can keep
      // the slow clients and summaries going at the same time.
      const stop = startStress(server.port);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      let output;
      let summaries;
      try {
        output = await runWrk(server.port, scriptFile);
      } finally {
        summaries = stop();
      }
      const result = parseWrk(output);
      const summary = await get(server.port, '/api/summary?survey=bench');
      return {
        synchronous,
        stressed: { slow_clients: slowClients, summaries_per_second: 10, ...summaries },
        connections,
        seconds: result.duration,
        requests: result.requests,
        accepted: result.requests - result.non2xx,
        rejected: result.non2xx,
        socket_errors: result.socketErrors,
        stored: JSON.parse(summary.text).n,
        answers_per_second: (result.requests - result.non2xx) / result.duration,
        latency_ms: { p50: result.p50, p90: result.p90, p99: result.p99 },
      };
    }
    const wrk = spawnSync(
      'wrk',
      [
        `-t${wrkThreads}`,
        `-c${connections}`,
        `-d${seconds}s`,
        '--latency',
        '-s',
        scriptFile,
        `http://127.0.0.1:${server.port}/api/responses`,
      ],
      { encoding: 'utf8', timeout: (seconds + 30) * 1000 },
    );
    if (wrk.status !== 0) throw new Error(`wrk failed: ${wrk.stderr || wrk.stdout}`);
    const result = parseWrk(wrk.stdout);
    const summary = await get(server.port, '/api/summary?survey=bench');
    const stored = JSON.parse(summary.text).n;
    const accepted = result.requests - result.non2xx;
    return {
      synchronous,
      connections,
      seconds: result.duration,
      requests: result.requests,
      accepted,
      rejected: result.non2xx,
      socket_errors: result.socketErrors,
      stored,
      answers_per_second: accepted / result.duration,
      latency_ms: { p50: result.p50, p90: result.p90, p99: result.p99 },
    };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

requireTool('wrk', ['--version']);
const workspace = mkdtempSync(path.join(tmpdir(), 'npskit-bench-collector-'));
const scriptFile = path.join(workspace, 'post-answers.lua');
writeFileSync(scriptFile, wrkScript);

const runs = [];
try {
  for (const synchronous of ['FULL', 'NORMAL'])
    runs.push(await measure(workspace, synchronous, scriptFile));
  runs.push(await measure(workspace, 'FULL', scriptFile, true));
} finally {
  rmSync(workspace, { recursive: true, force: true });
}

const format = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const lines = [
  '## Collector: accepted answers per second (`npskit serve`, wrk)',
  '',
  `wrk ${wrkThreads} threads, ${connections} connections, ${seconds} s per run, POST /api/responses ` +
    `with a unique id each, on 127.0.0.1; ${cpus().length} CPU cores shared by wrk and the server. ` +
    `Goal: at least ${goal.answers_per_second} answers/s with p99 under ${goal.p99_ms} ms with the durable setting.`,
  '',
  '| synchronous | answers/s | p50 ms | p90 ms | p99 ms | accepted | stored | errors |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...runs.map(
    (run) =>
      `| ${run.synchronous}${run.stressed ? ' + stress' : ''} | ${format(run.answers_per_second, 0)} | ${format(run.latency_ms.p50, 2)} | ` +
      `${format(run.latency_ms.p90, 2)} | ${format(run.latency_ms.p99, 2)} | ${run.accepted} | ${run.stored} | ` +
      `${run.rejected + run.socket_errors} |`,
  ),
  '',
  `"+ stress": the same load while ${slowClients} slow clients trickle header bytes and a summary ` +
    `is requested every 100 ms. p99 of POSTs under stress / quiet p99: ${format(
      runs[2].latency_ms.p99 / runs[0].latency_ms.p99,
      2,
    )} (goal: at most 2).`,
  '',
  'FULL fsyncs the write-ahead log at every commit, so an acknowledged answer survives power loss; NORMAL ' +
    'survives a crash of the process only. Both commit the answers of concurrent requests together and ' +
    'answer each request after its commit.',
  '',
];
console.log(lines.join('\n'));

const durable = runs.find((run) => run.synchronous === 'FULL');
const results = {
  benchmark: 'collector',
  tool: 'wrk',
  cores: cpus().length,
  goal,
  meets_goal:
    durable.answers_per_second >= goal.answers_per_second && durable.latency_ms.p99 < goal.p99_ms,
  stressed_p99_ratio: runs[2].latency_ms.p99 / durable.latency_ms.p99,
  runs,
};
writeFileSync(
  path.join(benchDir, 'results', 'collector.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);

// A run whose database lacks an accepted answer is a bug, not a slow result.
// (It may hold a few more: requests wrk abandoned when its time ran out.)
const inconsistent = runs.filter((run) => run.stored < run.accepted);
if (inconsistent.length > 0) {
  console.error(
    `bench collector: stored answers differ from accepted ones: ${inconsistent
      .map((run) => `${run.synchronous} accepted ${run.accepted}, stored ${run.stored}`)
      .join('; ')}`,
  );
  process.exit(1);
}
