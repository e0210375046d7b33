/**
 * A throwaway PostgreSQL cluster for tests and benchmarks (development only; not in the package): `initdb` and `pg_ctl` from Debian's `postgresql` package
 * (/usr/lib/postgresql/<version>/bin, or RUVLLM_PG_BIN), a temp folder, a free port on 127.0.0.1, removed by stop().
 * initdb refuses to run as root, so as root the server runs as the `postgres` user (runuser), on a folder it owns.
 * `.ci/run` installs the package when the binaries are missing.
 */
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

export function pgBinDir(): string {
  const env = process.env.RUVLLM_PG_BIN;
  if (env) return env;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(
      "PostgreSQL server binaries not found (initdb, pg_ctl under /usr/lib/postgresql/<version>/bin): install Debian's postgresql package (`apt-get install -y postgresql`) or set RUVLLM_PG_BIN",
    );
  return join(root, versions[0], 'bin');
}

/**
 * The server binaries' folder, installing Debian's `postgresql` with apt-get first when they are missing and this
 * process is root (as on a fresh CI machine; `.ci/run` does the same before the tests). Otherwise the error says what
 * to install.
 */
export function ensurePgBinaries(): string {
  try {
    return pgBinDir();
  } catch (e) {
    if (process.platform !== 'linux' || !isRoot || !existsSync('/usr/bin/apt-get')) throw e;
  }
  process.stderr.write("[pg-cluster] PostgreSQL server binaries missing: installing Debian's postgresql with apt-get\n");
  execSync('apt-get update && apt-get install -y -o DPkg::Lock::Timeout=600 postgresql', {
    stdio: ['ignore', 2, 2],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return pgBinDir();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const isRoot = process.getuid?.() === 0;

function pgUser(): { uid: number; gid: number } | null {
  if (!isRoot) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function runPg(bin: string, args: string[]): void {
  const file = join(pgBinDir(), bin);
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr?.toString()}${r.stdout?.toString()}`);
}

export interface TestPostgres {
  /** A URL for the cluster's `postgres` database. */
  url: string;
  port: number;
  /** A URL for a new, empty database on this cluster. */
  newDatabase(name?: string): Promise<string>;
  /** Stops the server (fast: active connections are cut), keeping its data. */
  pause(): void;
  /** Starts it again on the same port. */
  resume(): void;
  /** Stops the server and removes its folder. */
  stop(): void;
}

let dbCounter = 0;

export async function startPostgres(o: { fsync?: boolean } = {}): Promise<TestPostgres> {
  ensurePgBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'ruvllm-pg-'));
  const data = join(dir, 'data');
  const user = pgUser();
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  runPg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const port = await freePort();
  const opts = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    `-c fsync=${o.fsync ? 'on' : 'off'}`,
    '-c max_connections=200',
    '-c shared_buffers=64MB',
  ].join(' ');
  const start = () => runPg('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  start();
  let running = true;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async newDatabase(name) {
      const db = name ?? `t${process.pid}_${++dbCounter}`;
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${db}`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${db}`;
    },
    pause() {
      if (!running) return;
      runPg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    resume() {
      if (running) return;
      start();
      running = true;
    },
    stop() {
      try {
        if (running) runPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
