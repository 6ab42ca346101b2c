// Runs the collector tests against PostgreSQL: starts a throwaway cluster,
// runs `node --test` on the given files or folders (tests/collector/ by
// default) with NPSKIT_TEST_BACKEND=postgresql, and removes the cluster
// afterwards, also when the tests fail or the run is interrupted.
import { spawn } from 'node:child_process';
import { startCluster } from './postgres.mjs';

const targets = process.argv.slice(2);
const cluster = await startCluster();
let removed = false;
const remove = () => {
  if (removed) return;
  removed = true;
  cluster.remove();
};
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-force-exit',
    '--test-timeout=600000',
    ...(targets.length > 0 ? targets : ['tests/collector/']),
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      NPSKIT_TEST_BACKEND: 'postgresql',
      NPSKIT_TEST_POSTGRES: cluster.url('').replace(/\/$/, ''),
    },
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
const code = await new Promise((resolve) =>
  child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))),
);
remove();
process.exit(code);
