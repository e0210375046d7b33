// Shared helpers for the benchmark modules.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const serverPath = join(root, 'dist', 'cli.js');

export function percentile(values, p) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}
export const median = (v) => percentile(v, 50);
export const round = (x, d = 3) => (x === null || x === undefined ? null : +x.toFixed(d));

/** The value after the command-line flag `name` (e.g. "--baseline"), or undefined when the flag is not given. */
export function option(name, argv = process.argv) {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
}

export function tempDir(prefix = 'ruvllm-bench-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The decision benches' router: a Router of the build at `dist` over SQLite in a temporary folder (`onOpen(db, file)`
 * runs once the database is open, before any decision), its learner holding 300 outcomes of short translation tasks
 * (as in bench/router.mjs). Returns the build's router module, the database, its file and the router.
 */
export async function benchRouter(dist, { prefix = 'ruvllm-bench-', onOpen } = {}) {
  const imp = (p) => import(pathToFileURL(join(dist, 'engine', ...p.split('/'))).href);
  const R = await imp('router/index.js');
  const { openDatabase } = await imp('store/db.js');
  const { SqliteDecisionsRepo, SqliteOutcomesRepo } = await imp('store/sqlite/decisions.js');
  const file = join(tempDir(prefix), 'd.db');
  const db = openDatabase(file, R.migrations);
  await onOpen?.(db, file);
  const router = new R.Router({
    decisions: new SqliteDecisionsRepo(db),
    outcomes: new SqliteOutcomesRepo(db),
    local: () => ({ available: true, modelId: 'bench-local', latencyP50Ms: 900, backend: 'llama-cpp' }),
    estimate: (i, o) => ({ localUsd: 0, cloudUsd: (i * 3 + o * 15) / 1e6, cloudModel: 'bench' }),
  });
  for (let i = 0; i < 300; i++) {
    const d = await router.decide({ task: `Translate to French: the order ${i} has shipped`, force: i % 2 ? 'local' : undefined });
    await router.reportOutcome({ decisionId: d.decisionId, success: i % 3 > 0 });
  }
  return { R, db, file, router };
}

/** Spawns `node <script> ...args` as an MCP stdio server and connects a real SDK client. */
export async function connectStdio(script, args = [], env = {}) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [script, ...args],
    env: { ...process.env, ...env },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', () => undefined);
  const client = new Client({ name: 'ruvllm-bench', version: '0.0.0' });
  const t0 = performance.now();
  await client.connect(transport);
  return { client, connectMs: performance.now() - t0, pid: transport.pid, close: () => client.close() };
}

/** Words of the patterns the fleet benches fill their banks with. */
export const WORDS =
  'parse render compile index migrate cache shard route queue retry backoff schema lexer token buffer stream socket invoice ledger report export import sort merge dedupe tenant billing webhook cron vector embed rank audit'.split(
    ' ',
  );

/** A seeded linear congruential generator in [0, 1): the same stream of patterns on every run. */
export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Stores patterns number `from` to `to - 1` through `bank`, 64 at a time (ten random words each, seeded per worker). */
export async function fillPatterns(bank, from, to) {
  let next = from;
  await Promise.all(
    Array.from({ length: 64 }, async (_, w) => {
      const r = rng(w * 17 + 5);
      const word = () => WORDS[Math.floor(r() * WORDS.length)];
      while (next < to) {
        const i = next++;
        await bank.store({
          task: `fill ${i}: ${Array.from({ length: 10 }, word).join(' ')}`,
          approach: `${word()} ${word()} ${i % 977}`,
          quality: 0.5 + (i % 5) / 10,
        });
      }
    }),
  );
}
