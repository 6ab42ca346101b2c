// A throwaway PostgreSQL 15 cluster for the collector tests: initdb and
// pg_ctl from Debian's `postgresql` package in a temporary folder, listening
// on a free 127.0.0.1 port only, fsync on (the durability tests need it).
// initdb refuses to run as root, so under root the cluster belongs to
// `nobody` (its folder chowned to it) and the tools run through runuser.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const binaries = process.env.NPSKIT_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const nobody = { uid: 65534, gid: 65534 };

export function postgresAvailable() {
  return existsSync(path.join(binaries, 'initdb')) && existsSync(path.join(binaries, 'pg_ctl'));
}

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function runAsOwner(tool, args) {
  const command = path.join(binaries, tool);
  const asRoot = process.getuid?.() === 0;
  const result = asRoot
    ? spawnSync('runuser', ['-u', 'nobody', '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${tool} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Creates and starts a cluster; resolves with a handle that names
 * connection strings, creates databases, stops, restarts and removes it.
 */
export async function startCluster() {
  const folder = mkdtempSync(path.join(tmpdir(), 'npskit-postgres-'));
  const data = path.join(folder, 'data');
  const logFile = path.join(folder, 'server.log');
  if (process.getuid?.() === 0) {
    chownSync(folder, nobody.uid, nobody.gid);
  }
  const port = await freePort();
  runAsOwner('initdb', [
    '-D',
    data,
    '-U',
    'npskit',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  writeFileSync(
    path.join(folder, 'settings.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = ''`,
      'fsync = on',
      'synchronous_commit = on',
      'max_connections = 200',
      'shared_buffers = 64MB',
    ].join('\n') + '\n',
  );
  if (process.getuid?.() === 0)
    chownSync(path.join(folder, 'settings.conf'), nobody.uid, nobody.gid);
  execFileSync('sh', [
    '-c',
    `echo "include '${path.join(folder, 'settings.conf')}'" >> '${path.join(data, 'postgresql.conf')}'`,
  ]);
  const cluster = {
    folder,
    port,
    running: false,
    url: (database = 'postgres') => `postgresql://npskit@127.0.0.1:${port}/${database}`,
    start() {
      runAsOwner('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', 'start']);
      cluster.running = true;
    },
    /** fast: ends every session at once, as a crash of the database would look to clients. */
    stop(mode = 'fast') {
      if (!cluster.running) return;
      runAsOwner('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
      cluster.running = false;
    },
    sql(statement, database = 'postgres') {
      const result = spawnSync(
        path.join(binaries, 'psql'),
        [
          '-X',
          '-q',
          '-t',
          '-A',
          '-v',
          'ON_ERROR_STOP=1',
          '-d',
          cluster.url(database),
          '-c',
          statement,
        ],
        { encoding: 'utf8' },
      );
      if (result.status !== 0) throw new Error(`psql: ${statement}\n${result.stderr}`);
      return result.stdout.trim();
    },
    createDatabase(name) {
      cluster.sql(`CREATE DATABASE "${name}"`);
      return cluster.url(name);
    },
    remove() {
      try {
        cluster.stop('immediate');
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
  cluster.start();
  return cluster;
}
