/**
 * A fleet on one PostgreSQL (issue 14), end to end: real server processes (`node dist/cli.js --store postgres://…`,
 * each with its own data directory, real MCP clients over stdio) on a throwaway PostgreSQL cluster started here.
 * - what one node learns and stores, another finds and reports on;
 * - a node killed with SIGKILL mid-writes loses no acknowledged write;
 * - PostgreSQL stopped mid-use: calls fail with a retryable error (nothing crashes), and after PostgreSQL is back the
 *   node serves again by itself and finds what others stored meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanupDir, connectStdio, tempDir, type Spawned } from '../helpers/mcp.js';
import { startPostgres, type TestPostgres } from '../helpers/pg.js';

type Content = { id?: string; decisionId?: string; matches?: { pattern: { id: string; task: string } }[] };
type Result = { isError?: boolean; structuredContent?: Content; content?: { text?: string }[] };

let server: TestPostgres;
const root = tempDir('ruvllm-fleet-');
const open: Spawned[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close().catch(() => undefined)));
  server?.stop();
  cleanupDir(root);
});

let nodeCount = 0;
async function node(url: string): Promise<Spawned> {
  const s = await connectStdio([
    '--data-dir',
    join(root, `node${++nodeCount}`),
    '--store',
    url,
    '--no-scan-default-dirs',
    '--servers',
    'http://127.0.0.1:9',
    '--log-level',
    'warning',
  ]);
  open.push(s);
  return s;
}

const call = async (s: Spawned, name: string, args: Record<string, unknown>): Promise<Result> =>
  (await s.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as Result;
const text = (r: Result) => r.content?.[0]?.text ?? '';

async function found(s: Spawned, query: string, id: string): Promise<boolean> {
  const f = await call(s, 'find_similar_patterns', { query, k: 5 });
  return !f.isError && (f.structuredContent?.matches ?? []).some((m) => m.pattern.id === id);
}

describe('a fleet of server processes on one PostgreSQL', () => {
  it('shares patterns, decisions and outcomes between nodes', async () => {
    const url = await server.newDatabase();
    const [a, b] = await Promise.all([node(url), node(url)]);
    const task = 'Normalise the phone numbers column of the customers CSV to E.164 before the import';
    const stored = await call(a, 'store_trm_pattern', {
      task,
      approach: 'parse with libphonenumber, default region from the country column',
      quality: 0.9,
    });
    expect(stored.isError, text(stored)).toBeFalsy();
    const id = stored.structuredContent!.id as string;
    // found on the other node (its replica catches up by NOTIFY or its timer)
    await expect.poll(() => found(b, task, id), { timeout: 15_000, interval: 100 }).toBe(true);

    // a decision made on A, its outcome reported on B
    const d = await call(a, 'route_task', { task: 'Sort the lines of a text file and drop duplicates' });
    expect(d.isError, text(d)).toBeFalsy();
    const rep = await call(b, 'report_outcome', { decisionId: d.structuredContent!.decisionId, success: true });
    expect(rep.isError, text(rep)).toBeFalsy();
    // a second report of the same decision, from A, is refused: one outcome per decision across the fleet
    const again = await call(a, 'report_outcome', { decisionId: d.structuredContent!.decisionId, success: false });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(new RegExp(d.structuredContent!.decisionId!));
  });

  it('loses no acknowledged store when a node is killed with SIGKILL mid-writes', async () => {
    const url = await server.newDatabase();
    const [a, b] = await Promise.all([node(url), node(url)]);
    await call(a, 'find_similar_patterns', { query: 'warm up' });
    const acked = new Map<string, string>();
    let stop = false;
    const workers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const task = `kill test worker ${w} item ${i} reconcile ledger batch ${w * 1000 + i}`;
        try {
          const r = await call(a, 'store_trm_pattern', { task, approach: `approach ${w}-${i}`, quality: 0.7 });
          if (!r.isError) acked.set(r.structuredContent!.id as string, task);
        } catch {
          return; // the connection died with the process
        }
      }
    });
    await expect.poll(() => acked.size, { timeout: 30_000 }).toBeGreaterThan(40);
    const pid = (a.transport as unknown as { _process?: { pid: number } })._process?.pid;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(acked.size).toBeGreaterThan(40);
    // every acknowledged pattern is readable through the other node
    const missing: string[] = [];
    for (const id of acked.keys()) {
      const r = await b.client.readResource({ uri: `ruvllm://patterns/${id}` }).catch(() => null);
      if (!r) missing.push(id);
    }
    expect(missing).toEqual([]);
  });

  it('fails calls with a retryable error while PostgreSQL is down, and serves again by itself once it is back', async () => {
    const url = await server.newDatabase();
    const [a, b] = await Promise.all([node(url), node(url)]);
    await call(a, 'find_similar_patterns', { query: 'warm up' });
    await call(b, 'find_similar_patterns', { query: 'warm up' });
    server.pause();
    let down: Result;
    try {
      down = await call(a, 'store_trm_pattern', { task: 'stored while the database is down', approach: 'none', quality: 0.5 });
    } finally {
      server.resume();
    }
    expect(down.isError).toBe(true);
    expect(text(down)).toMatch(/unreachable|retry/i);
    // A serves again by itself; B finds what A stores after the restart
    const task = 'Rotate the nginx access logs daily and keep fourteen compressed days';
    let id = '';
    await expect
      .poll(
        async () => {
          const r = await call(a, 'store_trm_pattern', { task, approach: 'logrotate daily rotate 14 compress', quality: 0.8 });
          if (!r.isError) id = r.structuredContent!.id as string;
          return !r.isError;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    await expect.poll(() => found(b, task, id), { timeout: 15_000, interval: 100 }).toBe(true);
    // the write refused while PostgreSQL was down was not half-written
    const f = await call(b, 'find_similar_patterns', { query: 'stored while the database is down', k: 5 });
    expect(
      (f.structuredContent?.matches ?? []).some(
        (m: { pattern: { task: string } }) => m.pattern.task === 'stored while the database is down',
      ),
    ).toBe(false);
  });

  it('a node started while PostgreSQL is down answers with a retryable error, then serves once PostgreSQL is back', async () => {
    const url = await server.newDatabase();
    server.pause();
    let a: Spawned;
    let down: Result;
    try {
      a = await node(url);
      down = await call(a, 'find_similar_patterns', { query: 'anything' });
    } finally {
      server.resume();
    }
    expect(down.isError).toBe(true);
    expect(text(down)).toMatch(/unreachable|retry/i);
    await expect
      .poll(
        async () =>
          !(await call(a, 'store_trm_pattern', { task: 'stored after the database came back', approach: 'a', quality: 0.6 })).isError,
        {
          timeout: 30_000,
          interval: 250,
        },
      )
      .toBe(true);
  });
});
