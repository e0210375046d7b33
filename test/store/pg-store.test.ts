// The PostgreSQL store bundle (store/postgres/store.ts) on a real throwaway cluster: every module's tables migrated
// once however many nodes open together, the repositories on one pool, the models in the node's local SQLite file,
// word of other nodes' commits, the fleet's cost report by node, close(); PostgreSQL unreachable at open: a RetryableError.
// The patterns slot holds a stand-in here (PgPatternsRepo comes from h/pgpatterns): its migrations create the
// patterns table the outcome unit of work tallies, and its repository is not called by these tests.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { RetryableError } from '../../src/engine/errors.js';
import { query } from '../../src/engine/store/postgres/db.js';
import { openPostgresStore, type PgPatternsSlot, type PostgresStore } from '../../src/engine/store/postgres/store.js';
import type { PatternsRepo } from '../../src/engine/store/patterns-repo.js';
import { Ledger } from '../../src/engine/ledger/ledger.js';
import { loadPriceTable } from '../../src/engine/ledger/prices.js';
import type { CompletionEntry } from '../../src/engine/ledger/types.js';
import { completionRow, decisionRecord } from '../helpers/decisions.js';
import { usePostgres } from '../helpers/repo-engines.js';
import { tempDir } from '../helpers/tmp.js';

const pgServer = usePostgres();

const stores: PostgresStore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const patternsSlot: PgPatternsSlot = {
  migrations: [
    {
      module: 'patterns',
      version: 1,
      description: 'stand-in patterns table (the columns the outcome unit of work tallies)',
      up: `CREATE TABLE patterns (id TEXT PRIMARY KEY, decision_id TEXT, successes INTEGER NOT NULL DEFAULT 0,
             failures INTEGER NOT NULL DEFAULT 0, quality DOUBLE PRECISION NOT NULL, updated_at TEXT)`,
    },
  ],
  open: () => ({}) as PatternsRepo,
};

async function open(url: string, node: string): Promise<PostgresStore> {
  const dir = tempDir('pg-store-');
  dirs.push(dir);
  const store = await openPostgresStore(url, { database: join(dir, 'local.db'), patterns: patternsSlot, node });
  stores.push(store);
  return store;
}

describe('the PostgreSQL store bundle', () => {
  it('two nodes opening together migrate once; each node’s repositories write and read the shared tables', async () => {
    const url = await pgServer().newDatabase();
    const [a, b] = await Promise.all([open(url, 'host-a:1'), open(url, 'host-b:2')]);
    expect(a.kind).toBe('postgres');
    const migrated = (await query<{ m: string }>(a.pool, "SELECT module || '@' || version AS m FROM schema_migrations ORDER BY m")).rows;
    expect(migrated.map((r) => r.m)).toEqual(['ledger@1', 'patterns@1', 'router@1']);

    await a.decisions.insert(decisionRecord('d1'), [['decisions', '', 1, 0]]);
    await query(a.pool, "INSERT INTO patterns (id, decision_id, quality) VALUES ('p1', 'd1', 0.5)");
    // the report of node b's outcome commits with the tally of the decision's pattern
    const w = await b.outcomeWork.reportOutcome(
      { decisionId: 'd1', success: true, quality: 0.9, notes: null, reportedAt: 2000 },
      'local',
      (q) => q + 0.1,
    );
    expect(w).toMatchObject({ patterns: ['p1'] });
    expect('mark' in w && w.mark).toBe((await a.outcomes.marks()).outcome);
    expect((await query<{ q: number }>(a.pool, "SELECT quality AS q FROM patterns WHERE id = 'p1'")).rows[0].q).toBeCloseTo(0.6, 10);
    expect(await a.outcomes.reportedAt('d1')).toBe(2000);

    // the models stay per machine: each node's own SQLite file
    await a.models.setState('active', '{"id":"m"}');
    expect(await a.models.getState('active')).toBe('{"id":"m"}');
    expect(await b.models.getState('active')).toBeNull();

    expect(a.stats()).toMatchObject({ engine: 'postgres', node: 'host-a:1', poolConnections: expect.any(Number) });
    expect(String(a.stats().url)).not.toMatch(/password/);
  });

  it('tells a node of another node’s commits (not of its own); close() ends its pool', async () => {
    const url = await pgServer().newDatabase();
    const [a, b] = await Promise.all([open(url, 'host-a:1'), open(url, 'host-b:2')]);
    let heardA = 0;
    let heardB = 0;
    a.onExternalChange(() => heardA++);
    b.onExternalChange(() => heardB++);
    await new Promise((r) => setTimeout(r, 500));
    await a.ledger.insertCompletion(
      completionRow({
        ts: Date.now(),
        promptTokens: 1,
        completionTokens: 1,
        latencyMs: 5,
        ttftMs: null,
        tokensPerSecond: 10,
        overheadIn: 0,
        overheadOut: 0,
      }),
    );
    const t0 = Date.now();
    while (heardB === 0 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
    expect(heardB).toBe(1);
    expect(heardA).toBe(0);
    expect((await b.ledger.backendCounters()).map((c) => c.calls)).toEqual([1]);
    await a.close();
    expect(a.pool.ended).toBe(true);
  });

  it('the cost report of a fleet: two nodes’ Ledgers answer for both, grouped by node', async () => {
    const url = await pgServer().newDatabase();
    const [a, b] = await Promise.all([open(url, 'host-a:1'), open(url, 'host-b:2')]);
    const ledgers = [a, b].map((s) => new Ledger({ repo: s.ledger, prices: loadPriceTable() }));
    const entry = (over: Partial<CompletionEntry> = {}): CompletionEntry => ({
      model: 'qwen-tiny',
      backend: 'gguf',
      promptTokens: 1000,
      completionTokens: 200,
      tokenCountMethod: 'tokenizer',
      latencyMs: 500,
      ttftMs: 50,
      tokensPerSecond: 400,
      overheadTokensIn: 10,
      overheadTokensOut: 5,
      ok: true,
      ...over,
    });
    try {
      await ledgers[0].recordCompletion(entry());
      await ledgers[0].recordCompletion(entry({ ok: false, error: 'boom' }));
      await ledgers[1].recordCompletion(entry({ promptTokens: 3000 }));
      for (const l of ledgers) {
        const r = await l.report({ period: 'all', groupBy: 'node' });
        expect(r.rows.map((g) => [g.group, g.calls, g.errors, g.promptTokens])).toEqual([
          ['host-a:1', 2, 1, 1000],
          ['host-b:2', 1, 0, 3000],
        ]);
        expect(r.totals.calls).toBe(3);
      }
    } finally {
      for (const l of ledgers) await l.close();
    }
  });

  it('PostgreSQL unreachable at open: a RetryableError; once it is back the store opens', async () => {
    const url = await pgServer().newDatabase();
    pgServer().pause();
    try {
      const dir = tempDir('pg-store-');
      dirs.push(dir);
      const err = await openPostgresStore(url, { database: join(dir, 'local.db'), patterns: patternsSlot }).catch((e) => e);
      expect(err).toBeInstanceOf(RetryableError);
    } finally {
      pgServer().resume();
    }
    const b = await open(url, 'host-b:2');
    expect((await query<{ n: number }>(b.pool, 'SELECT count(*) AS n FROM schema_migrations')).rows[0].n).toBe(3);
  });
});
