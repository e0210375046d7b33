/**
 * Several sessions on one data directory, as the README's setup gives a user with several Claude Code sessions and
 * Claude Desktop: three real server processes (stdio, real MCP clients), each with 16 calls in flight of stores,
 * routes and outcomes for a fixed time. No call may fail, every acknowledged write must be in the database after all
 * stopped, and a pattern stored through one process must be found through the others (the time it took is printed,
 * not asserted). RUVLLM_TEST_MULTI_SECONDS sets the duration (default 60, the figure).
 */
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { cleanupDir, connectStdio, tempDir, type Spawned } from '../helpers/mcp.js';

const SECONDS = Number(process.env.RUVLLM_TEST_MULTI_SECONDS ?? 60);
const IN_FLIGHT = 16;
const dataDir = tempDir('ruvllm-multi-');
afterAll(() => cleanupDir(dataDir));

const WORDS =
  'parse render compile index migrate cache shard route queue retry backoff schema lexer token buffer stream socket invoice ledger report export import sort merge dedupe'.split(
    ' ',
  );

interface Acked {
  patterns: Map<string, string>;
  decisions: Set<string>;
  outcomes: Set<string>;
}

type Result = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: { text?: string }[] };

function start(): Promise<Spawned> {
  return connectStdio(['--data-dir', dataDir, '--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9', '--log-level', 'warning']);
}

describe('three server processes on one data directory', () => {
  it(
    `${IN_FLIGHT} calls in flight each for ${SECONDS} s: no call fails, every acknowledged write is there, patterns cross processes`,
    { timeout: SECONDS * 1000 + 240_000 },
    async () => {
      const servers = await Promise.all([start(), start(), start()]);
      for (const s of servers) await s.client.callTool({ name: 'find_similar_patterns', arguments: { query: 'warm up' } });
      const acked: Acked = { patterns: new Map(), decisions: new Set(), outcomes: new Set() };
      const failures: string[] = [];
      let calls = 0;
      const deadline = Date.now() + SECONDS * 1000;

      const call = async (s: Spawned, name: string, args: Record<string, unknown>): Promise<Record<string, unknown> | null> => {
        calls++;
        try {
          const r = (await s.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as Result;
          if (!r.isError) return r.structuredContent ?? {};
          failures.push(`${name}: ${r.content?.[0]?.text ?? '(no text)'}`);
        } catch (e) {
          failures.push(`${name}: ${(e as Error).message}`);
        }
        return null;
      };

      const worker = async (s: Spawned, p: number, w: number) => {
        let seed = p * 7919 + w * 104729;
        const word = () => WORDS[(seed = (seed * 1103515245 + 12345) % 2147483648) % WORDS.length];
        const sentence = () => Array.from({ length: 7 }, word).join(' ');
        for (let i = 0; Date.now() < deadline; i++) {
          const task = `p${p} w${w} i${i}: ${sentence()}`;
          if (i % 3 === 0) {
            const r = await call(s, 'store_trm_pattern', { task, approach: `${word()} then ${word()}`, quality: 0.6, tags: [`p${p}`] });
            if (r) acked.patterns.set(r.id as string, task);
          } else {
            const d = await call(s, 'route_task', { task, agentId: `p${p}w${w}` });
            if (!d) continue;
            const decisionId = d.decisionId as string;
            acked.decisions.add(decisionId);
            const r =
              i % 3 === 1
                ? await call(s, 'report_outcome', { decisionId, success: i % 2 === 0, quality: 0.7 })
                : await call(s, 'store_trm_pattern', {
                    task,
                    approach: `${word()} via ${word()}`,
                    quality: 0.8,
                    decisionId,
                    success: true,
                  });
            if (!r) continue;
            acked.outcomes.add(decisionId);
            if (i % 3 === 2) acked.patterns.set(r.id as string, task);
          }
        }
      };

      // while the load runs: a pattern stored through one process, polled for through the other two
      const crossMs: number[] = [];
      const findMs: number[] = []; // the find call that found it: what a find costs under this load
      const missed: string[] = [];
      const probe = async () => {
        for (let k = 0; Date.now() < deadline - 5000; k++) {
          const from = k % 3;
          const task = `cross-process probe ${k}: rotate the quarterly zebra-${k}-${from} credentials report`;
          const r = await call(servers[from], 'store_trm_pattern', { task, approach: `probe approach ${k}`, quality: 0.9 });
          if (!r) continue;
          acked.patterns.set(r.id as string, task);
          const t0 = Date.now();
          await Promise.all(
            [0, 1, 2]
              .filter((x) => x !== from)
              .map(async (to) => {
                while (Date.now() - t0 < 30_000) {
                  const tc = Date.now();
                  const f = (await servers[to].client.callTool({
                    name: 'find_similar_patterns',
                    arguments: { query: task, k: 5 },
                  })) as Result;
                  const matches = (f.structuredContent?.matches as { pattern?: { id: string } }[]) ?? [];
                  if (matches.some((m) => m.pattern?.id === r.id)) {
                    crossMs.push(Date.now() - t0);
                    findMs.push(Date.now() - tc);
                    return;
                  }
                  await new Promise((res) => setTimeout(res, 50));
                }
                missed.push(`probe ${k} from ${from} not found by ${to}`);
              }),
          );
          await new Promise((res) => setTimeout(res, 2000));
        }
      };

      const t0 = Date.now();
      await Promise.all([probe(), ...servers.flatMap((s, p) => Array.from({ length: IN_FLIGHT }, (_, w) => worker(s, p, w)))]);
      const secs = (Date.now() - t0) / 1000;

      // stats read by one process count every process's writes; its index catches up with them, and its router's
      // learner has learned or queued (learning is paced: ~10% of the thread) every process's outcomes
      type Learned = { localSamples: number; cloudSamples: number; observationsPending: number; observationsDeferred: number };
      type Stats = {
        routing: { decisions: number; outcomes: { total: number }; learned?: Learned };
        patterns: { total: number; indexed: number };
      };
      const readStats = async () =>
        JSON.parse(((await servers[0].client.readResource({ uri: 'ruvllm://stats' })).contents[0] as { text: string }).text) as Stats;
      const learnedOrQueued = (l: Learned) => l.localSamples + l.cloudSamples + l.observationsPending + l.observationsDeferred;
      let stats = await readStats();
      const caughtUp = (s: Stats) =>
        s.patterns.indexed === s.patterns.total && (!s.routing.learned || learnedOrQueued(s.routing.learned) >= s.routing.outcomes.total);
      for (let t = Date.now(); !caughtUp(stats) && Date.now() - t < 20_000;) {
        await new Promise((res) => setTimeout(res, 250));
        stats = await readStats();
      }
      expect(stats.patterns.indexed).toBe(stats.patterns.total);
      if (stats.routing.learned) expect(learnedOrQueued(stats.routing.learned)).toBeGreaterThanOrEqual(stats.routing.outcomes.total);
      await Promise.all(servers.map((s) => s.close()));

      crossMs.sort((a, b) => a - b);
      console.log(
        `multi-process: ${calls} calls in ${secs.toFixed(1)} s (${Math.round(calls / secs)}/s), ${failures.length} failed; ` +
          `${acked.patterns.size} patterns, ${acked.decisions.size} decisions, ${acked.outcomes.size} outcomes acknowledged; ` +
          `found across processes: ${crossMs.length} probes, median ${crossMs[Math.floor(crossMs.length / 2)]} ms, max ${crossMs[crossMs.length - 1]} ms ` +
          `(the find call itself under this load: median ${findMs.sort((a, b) => a - b)[Math.floor(findMs.length / 2)]} ms, max ${findMs[findMs.length - 1]} ms)`,
      );
      expect(failures.slice(0, 5), `${failures.length} of ${calls} calls failed`).toEqual([]);
      expect(missed).toEqual([]);
      expect(crossMs.length).toBeGreaterThan(0);
      expect(stats.routing.decisions).toBeGreaterThanOrEqual(acked.decisions.size);
      expect(stats.routing.outcomes.total).toBeGreaterThanOrEqual(acked.outcomes.size);

      const db = new Database(join(dataDir, 'ruvllm-mcp.db'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const pat = db.prepare('SELECT task FROM patterns WHERE id = ?');
        const dec = db.prepare('SELECT 1 FROM router_decisions WHERE id = ?');
        const out = db.prepare('SELECT 1 FROM router_outcomes WHERE decision_id = ?');
        const missing = { patterns: 0, decisions: 0, outcomes: 0 };
        for (const id of acked.patterns.keys()) if (!pat.get(id)) missing.patterns++;
        for (const id of acked.decisions) if (!dec.get(id)) missing.decisions++;
        for (const id of acked.outcomes) if (!out.get(id)) missing.outcomes++;
        expect(missing).toEqual({ patterns: 0, decisions: 0, outcomes: 0 });
        expect((db.prepare('SELECT count(*) AS n FROM router_outcomes').get() as { n: number }).n).toBe(acked.outcomes.size);
      } finally {
        db.close();
      }

      // the index files the three left behind load as they are (no rebuild) and hold every pattern
      const again = await start();
      try {
        await again.client.callTool({ name: 'find_similar_patterns', arguments: { query: 'warm up' } });
        const st = JSON.parse(((await again.client.readResource({ uri: 'ruvllm://stats' })).contents[0] as { text: string }).text) as {
          patterns: { total: number; indexed: number; indexLoad: { from: string; reason?: string } };
        };
        expect(st.patterns.indexLoad.from, st.patterns.indexLoad.reason).toBe('file');
        expect(st.patterns.indexed).toBe(st.patterns.total);
      } finally {
        await again.close();
      }
    },
  );
});
