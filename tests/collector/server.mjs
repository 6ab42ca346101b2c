// Starts `npskit serve` on 127.0.0.1 with a free port and a throwaway
// database, and talks to it over plain node:http so that tests control every
// byte of a request (raw paths, headers, bodies).
//
// NPSKIT_TEST_BACKEND=postgresql (set by tests/collector/run-postgres.mjs,
// with NPSKIT_TEST_POSTGRES naming a throwaway cluster) runs the same tests on
// PostgreSQL: each database file a test names becomes a database of its own
// in that cluster, and `--db FILE` in npskit commands is rewritten to it.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const npskitBinary = path.resolve(repoRoot, process.env.NPSKIT_BIN ?? 'build/bin/npskit');

/** The storage the collector tests run against: 'sqlite' (default) or 'postgresql'. */
export const backend = process.env.NPSKIT_TEST_BACKEND ?? 'sqlite';
/** For tests of SQLite's own files (WAL, modes, pragmas): `test(name, sqliteOnly, fn)`. */
export const sqliteOnly = { skip: backend !== 'sqlite' && 'tests SQLite files' };

const databases = new Map(); // database file named by a test -> PostgreSQL URI

/** What `--db` gets for a database file a test names, on the backend under test. */
export function databaseFor(file) {
  if (backend !== 'postgresql' || /^postgres(ql)?:\/\//.test(file)) return file;
  if (!databases.has(file)) {
    const cluster = process.env.NPSKIT_TEST_POSTGRES;
    if (!cluster)
      throw new Error('NPSKIT_TEST_POSTGRES is not set (run tests/collector/run-postgres.mjs)');
    const name = `t_${process.pid}_${databases.size + 1}`;
    const created = spawnSync(
      'psql',
      ['-X', '-q', '-d', `${cluster}/postgres`, '-c', `CREATE DATABASE ${name}`],
      {
        encoding: 'utf8',
      },
    );
    if (created.status !== 0) throw new Error(`cannot create database ${name}: ${created.stderr}`);
    databases.set(file, `${cluster}/${name}`);
  }
  return databases.get(file);
}

function isLoopback(host) {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export function temporaryFolder(prefix = 'npskit-collector-') {
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * Runs `npskit serve --port 0 ...extraArgs` and resolves once it listens.
 * The returned handle knows the base URL, the log so far and how to stop it.
 * Requests always go to 127.0.0.1, also when `host` is a wildcard address.
 */
export async function startServer({ db, args = [], host = '127.0.0.1' } = {}) {
  const extra = [];
  if (backend === 'postgresql' && !/^postgres(ql)?:\/\//.test(db)) {
    // The token SQLite keeps next to its file: PostgreSQL needs it named.
    if ((!isLoopback(host) || args.includes('--proxy')) && !args.includes('--admin-token-file')) {
      mkdirSync(path.dirname(db), { recursive: true });
      extra.push('--admin-token-file', `${db}.token`);
    }
  }
  const child = spawn(
    npskitBinary,
    ['serve', '--host', host, '--port', '0', '--db', databaseFor(db), ...extra, ...args],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const match = /listening on http:\/\/\S+:(\d+) /.exec(log);
      if (match) resolve(Number(match[1]));
    });
    child.on('error', reject);
    exited.then(({ code }) =>
      reject(new Error(`npskit serve exited with ${code} before listening:\n${log}`)),
    );
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    agent,
    exited,
    log: () => log,
    request: (options) => request({ port, agent, ...options }),
    async stop(signal = 'SIGTERM') {
      agent.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * A collector on a new database for the tests of the enclosing suite (or
 * file): started before them, stopped after them with its folder removed.
 * The handle stands for the running server, so tests use it as they would
 * the one startServer resolves with.
 */
export function collectorForSuite(options = {}) {
  let workspace;
  let running;
  before(async () => {
    workspace = temporaryFolder();
    running = await startServer({ db: path.join(workspace.folder, 'answers.db'), ...options });
  });
  after(async () => {
    await running?.stop();
    workspace?.remove();
  });
  return new Proxy(
    {},
    {
      get(_, key) {
        const value = running[key];
        return typeof value === 'function' ? value.bind(running) : value;
      },
    },
  );
}

/**
 * One HTTP request; resolves with status, headers and the raw body. A kept-alive
 * connection that the server closed just as it was reused is retried once on a
 * new one, as browsers do (every request here is idempotent).
 */
export function request(options) {
  const { port, agent, method = 'GET', path: target = '/', headers = {}, body } = options;
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { host: '127.0.0.1', port, method, path: target, headers, agent },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const raw = Buffer.concat(chunks);
          resolve({
            status: response.statusCode,
            headers: response.headers,
            raw,
            text: raw.toString('utf8'),
            json() {
              return JSON.parse(raw.toString('utf8'));
            },
          });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', (error) => {
      if (outgoing.reusedSocket && error.code === 'ECONNRESET' && !options.retried) {
        resolve(request({ ...options, retried: true }));
      } else {
        reject(error);
      }
    });
    if (body !== undefined) outgoing.write(body);
    outgoing.end();
  });
}

export function answer(fields = {}) {
  return {
    schema: 'npskit.response/1',
    type: 'response',
    id: randomUUID(),
    survey: 'acme-nps',
    score: 9,
    submitted_at: '2026-11-22T10:15:00.000Z',
    ...fields,
  };
}

export function postAnswer(server, payload, headers = {}) {
  const body =
    typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
  return server.request({
    method: 'POST',
    path: '/api/responses',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });
}

/** Every stored payload, through the collector's JSONL export. */
export async function storedAnswers(server, query = '') {
  const response = await server.request({ path: `/api/responses.jsonl${query}` });
  if (response.status !== 200)
    throw new Error(`export failed: ${response.status} ${response.text}`);
  return response.text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}

/** Runs the npskit command synchronously and returns its output. */
export function runNpskit(args, options = {}) {
  const mapped = args.map((arg, i) =>
    i > 0 && args[i - 1] === '--db' && databases.has(arg) ? databases.get(arg) : arg,
  );
  return spawnSync(npskitBinary, mapped, { encoding: 'utf8', ...options });
}
