// A throwaway PostgreSQL cluster for the Node tests (not a test file itself): initdb in a temp
// dir, the postmaster on a free loopback port with its socket in that dir, run as the `postgres`
// user when the tests run as root. Stopped by the postmaster's process id (postmaster.pid), also
// when a test fails or the process exits. Without PostgreSQL installed, `startCluster` throws:
// the tests fail with that message rather than skip (CI installs it: .ci/run).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The newest /usr/lib/postgresql/<major>/bin holding initdb, or PG_BIN, or undefined. */
export function findPgBin() {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? join(root, majors[0], 'bin') : undefined;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const running = new Set();
process.on('exit', () => {
  // Last resort (a crashed test file): immediate shutdown of every postmaster still up.
  for (const cluster of running) {
    try {
      process.kill(cluster.pid, 'SIGQUIT');
    } catch {
      // gone already
    }
  }
});

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Starts a cluster (`fsync: false` for the tests: what they check is the store's logic — a killed
 * receiver or a cleanly restarted server loses nothing either way — and a disk flush per commit
 * makes the serialized tests ten times slower; the bench keeps PostgreSQL's default, on). Resolves `{ connectionString, port, dir, pid, stop(), start(), restart() }`.
 * `stop()` ends the postmaster by its pid (fast shutdown: SIGINT, then SIGQUIT after 10 s);
 * `start()` starts it again on the same port and data; `destroy()` stops it and removes the dir.
 */
export async function startCluster({ fsync = true } = {}) {
  const bin = findPgBin();
  if (!bin) {
    throw new Error(
      'PostgreSQL is not installed: no initdb in /usr/lib/postgresql/*/bin (or PG_BIN). The PostgreSQL store tests need it: ' +
        'apt-get install -y --no-install-recommends postgresql (bash .ci/run installs it).',
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'finframe-pg-'));
  const run = (program, args) => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
    const result = spawnSync(command, argv, { encoding: 'utf8', cwd: dir });
    if (result.status !== 0) throw new Error(`${program} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'finframe', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const cluster = {
    dir,
    port,
    pid: 0,
    connectionString: `postgresql://finframe@127.0.0.1:${port}/postgres`,
    start() {
      run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200${fsync ? '' : ' -c fsync=off'}`, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
      this.pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      running.add(this);
    },
    async stop() {
      const pid = this.pid;
      if (!pid || !alive(pid)) return;
      process.kill(pid, 'SIGINT'); // fast shutdown: abort transactions, close connections
      const deadline = Date.now() + 10_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (alive(pid)) process.kill(pid, 'SIGQUIT');
      while (alive(pid)) await new Promise((r) => setTimeout(r, 20));
      running.delete(this);
    },
    async restart() {
      await this.stop();
      this.start();
    },
    async destroy() {
      await this.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    cluster.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}

let schemas = 0;
/** A schema name no other store in this process used. */
export const freshSchema = () => `t_${process.pid}_${++schemas}`;
