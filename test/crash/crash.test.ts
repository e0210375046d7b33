/**
 * Crash recovery: `kill -9` the real server (dist/cli.js over HTTP) while 8 clients store
 * patterns and route tasks (ledger + router writes) concurrently, three times on one data
 * directory; restart and check that every acknowledged write (a tool result the client received)
 * is there, `PRAGMA integrity_check` is ok, and the vector index matches the database.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawnHttpServer, type Spawned } from '../fuzz/runner.js';
import { rng } from '../fuzz/generator.js';

const SERVER = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const dataDir = mkdtempSync(join(tmpdir(), 'ruvllm-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const WORDS =
  'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu parse render compile index migrate cache shard route queue retry backoff schema lexer token buffer stream socket'.split(
    ' ',
  );

async function start(): Promise<Spawned> {
  return spawnHttpServer(SERVER, ['--data-dir', dataDir, '--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9'], {
    ...process.env,
    RUVLLM_MCP_LOG_LEVEL: 'notice',
  });
}

async function connect(url: string): Promise<Client> {
  const c = new Client({ name: 'crash', version: '1' });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

interface Acked {
  patterns: Map<string, string>; // id -> task text
  decisions: Set<string>;
}

/** 8 workers writing until `target` acknowledgements, then kill -9 with requests in flight. */
async function loadAndKill(srv: Spawned, acked: Acked, round: number, target: number): Promise<number> {
  const clients = await Promise.all(Array.from({ length: 8 }, () => connect(srv.url)));
  let acks = 0;
  let killed = false;
  let inFlightAtKill = 0;
  const r = rng(1000 + round);
  const sentence = () => Array.from({ length: 8 }, () => r.pick(WORDS)).join(' ');
  const workers = clients.map(async (c, w) => {
    for (let i = 0; !killed; i++) {
      try {
        if (i % 2 === 0) {
          const task = `round ${round} worker ${w} item ${i}: ${sentence()}`;
          const res = await c.callTool({
            name: 'store_trm_pattern',
            arguments: { task, approach: `${sentence()} then verify`, quality: r.next(), tags: [`r${round}`] },
          });
          if (!res.isError) {
            const id = (res.structuredContent as { id: string }).id;
            if (!acked.patterns.has(id)) acked.patterns.set(id, task);
            acks++;
          }
        } else {
          const res = await c.callTool({ name: 'route_task', arguments: { task: `round ${round} ${sentence()}`, agentId: `w${w}` } });
          if (!res.isError) {
            acked.decisions.add((res.structuredContent as { decisionId: string }).decisionId);
            acks++;
          }
        }
      } catch {
        if (killed) {
          inFlightAtKill++; // in flight at the kill: not acknowledged
          return;
        }
      }
      if (acks >= target && !killed) {
        killed = true;
        srv.child.kill('SIGKILL');
        // a call whose response stream had started when the server died would otherwise wait for the
        // client's 60 s request timeout: closing the clients ends every call still in flight
        srv.child.once('exit', () => void Promise.all(clients.map((c) => c.close().catch(() => undefined))));
      }
    }
  });
  await Promise.all(workers);
  await new Promise((resolve) =>
    srv.child.exitCode !== null || srv.child.signalCode !== null ? resolve(null) : srv.child.once('exit', resolve),
  );
  expect(srv.child.signalCode).toBe('SIGKILL');
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  process.stderr.write(`crash round ${round}: ${acks} acknowledged, ${inFlightAtKill} calls in flight at the kill\n`);
  return acks;
}

describe('crash recovery', () => {
  it('keeps every acknowledged write across kill -9 during concurrent pattern stores and ledger writes', async () => {
    const acked: Acked = { patterns: new Map(), decisions: new Set() };
    for (let round = 0; round < 3; round++) {
      const srv = await start();
      const acks = await loadAndKill(srv, acked, round, 150 + round * 50);
      expect(acks).toBeGreaterThanOrEqual(150);
    }
    process.stderr.write(
      `crash: acknowledged ${acked.patterns.size} patterns and ${acked.decisions.size} decisions over 3 kill -9 rounds\n`,
    );
    expect(acked.patterns.size).toBeGreaterThan(100);
    expect(acked.decisions.size).toBeGreaterThan(100);

    // restart: every acknowledged pattern is readable and found by vector search; the index matches the database
    const srv = await start();
    const c = await connect(srv.url);
    try {
      for (const id of acked.patterns.keys()) {
        const res = await c.readResource({ uri: `ruvllm://patterns/${id}` });
        expect(JSON.parse((res.contents[0] as { text: string }).text).id).toBe(id);
      }
      const stats = JSON.parse(((await c.readResource({ uri: 'ruvllm://stats' })).contents[0] as { text: string }).text);
      expect(stats.patterns.total).toBeGreaterThanOrEqual(acked.patterns.size);
      expect(stats.patterns.indexed).toBe(stats.patterns.total);
      let selfFound = 0;
      const sample = [...acked.patterns.entries()].filter((_, i) => i % 5 === 0);
      for (const [id, task] of sample) {
        const res = await c.callTool({ name: 'find_similar_patterns', arguments: { query: task, k: 5 } });
        expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
        const matches = (res.structuredContent as { matches: Array<{ pattern: { id: string }; vectorScore: number }> }).matches;
        // found by the vector index itself (same text, same embedding), not only by the lexical ranking
        if (matches.some((m) => m.pattern.id === id && m.vectorScore > 0.99)) selfFound++;
      }
      expect(selfFound).toBe(sample.length);
      const report = await c.callTool({ name: 'cost_report', arguments: { period: 'all' } });
      expect(report.isError, JSON.stringify(report.content)).toBeFalsy();
    } finally {
      await c.close().catch(() => undefined);
      await srv.kill('SIGTERM');
    }

    // the database itself
    const db = new Database(join(dataDir, 'ruvllm-mcp.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const hasPattern = db.prepare('SELECT 1 FROM patterns WHERE id = ? UNION SELECT 1 FROM pattern_aliases WHERE alias = ?');
      for (const id of acked.patterns.keys()) expect(hasPattern.get(id, id), id).toBeTruthy();
      // the one decision record, with what the ledger reports (the decision latency) written in the same transaction
      const inRecord = db.prepare('SELECT 1 FROM router_decisions WHERE id = ? AND latency_ms IS NOT NULL');
      for (const id of acked.decisions) expect(inRecord.get(id), `router_decisions ${id}`).toBeTruthy();
      const { n: patterns } = db.prepare('SELECT COUNT(*) AS n FROM patterns').get() as { n: number };
      const active = (db.prepare("SELECT value FROM pattern_meta WHERE key = 'active_embedder'").get() as { value: string }).value;
      const { n: vectors } = db.prepare('SELECT COUNT(*) AS n FROM pattern_vectors WHERE embedder = ?').get(active) as { n: number };
      expect(vectors).toBe(patterns);
    } finally {
      db.close();
    }
  });
});
