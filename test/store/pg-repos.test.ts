// The router's and the ledger's repositories and the outcome unit of work on a real PostgreSQL (test/helpers/pg.ts):
// what only a shared server has — several nodes writing into one database, a report grouped by node, counters
// appended as deltas by many writers, rollups by two nodes at once — and the faults: a unit of work whose second step
// fails, and PostgreSQL stopped in the middle of one.
import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../src/engine/errors.js';
import { patternQualityAfter } from '../../src/engine/patterns/index.js';
import { query, run, withTransaction, type PgPool } from '../../src/engine/store/postgres/db.js';
import { PgDecisionsRepo } from '../../src/engine/store/postgres/decisions-repo.js';
import { PgOutcomesRepo } from '../../src/engine/store/postgres/outcomes-repo.js';
import type { PgLedgerRepo } from '../../src/engine/store/postgres/ledger-repo.js';
import { PgChanges } from '../../src/engine/store/postgres/changes.js';
import { countPatternOutcome, PgOutcomeUnitOfWork } from '../../src/engine/store/postgres/unit-of-work.js';
import { completionRow as completion, decisionRecord, LEDGER_T0 as T } from '../helpers/decisions.js';
import { anotherPool, newPgDatabase, pgRepoSet, usePostgres } from '../helpers/repo-engines.js';

const pgServer = usePostgres();

const D = 86_400_000;
const ALL = { fromMs: null, toMs: T + 100 * D };

const num = async (pool: PgPool, sql: string) => Number((await query<{ n: number }>(pool, sql)).rows[0].n);

/** The patterns table as far as the unit of work touches it (PgPatternsRepo owns the real one). */
async function patternsTable(pool: PgPool): Promise<void> {
  await query(
    pool,
    `CREATE TABLE IF NOT EXISTS patterns (id TEXT PRIMARY KEY, decision_id TEXT, successes INTEGER NOT NULL DEFAULT 0,
       failures INTEGER NOT NULL DEFAULT 0, quality DOUBLE PRECISION NOT NULL, updated_at TEXT)`,
  );
}

describe('PostgreSQL repositories shared by several nodes', () => {
  it('two nodes (two pools) see each other’s decisions, completions and outcomes, and the report groups by node', async () => {
    const { url, pool } = await newPgDatabase();
    const a = pgRepoSet(pool, 'host-a:101');
    const b = pgRepoSet(anotherPool(url), 'host-b:202');
    await Promise.all([
      a.decisions.insert(decisionRecord('da', { createdAt: T }), [['decisions', '', 1, 0.01]]),
      b.decisions.insert(decisionRecord('db', { createdAt: T + 1, route: 'cloud' }), [['decisions', '', 1, 0.02]]),
    ]);
    await Promise.all([
      a.ledger.insertCompletion(completion({ decisionId: 'da' })),
      a.ledger.insertCompletion(completion({ ts: T + 5, ok: false })),
      b.ledger.insertCompletion(completion({ ts: T + 7, backend: 'http', model: 'n' })),
    ]);
    // each node reads the other's rows
    expect(await b.decisions.get('da')).toMatchObject({ id: 'da', route: 'local', localModel: 'm' });
    expect(await a.decisions.get('db')).toMatchObject({ id: 'db', route: 'cloud' });
    for (const s of [a, b]) {
      expect((await s.ledger.completionSums(ALL, 'node')).map((g) => [g.grp, g.calls, g.okCalls])).toEqual([
        ['host-a:101', 2, 1],
        ['host-b:202', 1, 1],
      ]);
      expect((await s.ledger.decisionsByRoute(ALL)).map((r) => [r.route, r.n])).toEqual([
        ['cloud', 1],
        ['local', 1],
      ]);
      const counters = Object.fromEntries((await s.decisions.counters()).map((c) => [`${c.metric}/${c.key}`, [c.n, c.v]]));
      expect(counters['decisions/'][0]).toBe(2);
      expect(counters['decisions/'][1]).toBeCloseTo(0.03, 10);
    }
    // the node is stored once, referenced by id from every row it wrote
    expect(await num(pool, "SELECT count(*) AS n FROM store_names WHERE name LIKE 'host-%'")).toBe(2);
    expect(await num(pool, 'SELECT count(DISTINCT node_id) AS n FROM router_decisions')).toBe(2);

    // an outcome reported on node b is caught up by node a (since its marks)
    const m0 = await a.outcomes.marks();
    await b.outcomes.insertOutcome({ decisionId: 'da', success: true, quality: 0.9, notes: null, reportedAt: T + 10 }, 'local');
    const seen = await a.outcomes.since(m0.outcome, m0.observation, 10);
    expect(seen.map((o) => [o.kind, o.route, o.success, o.model])).toEqual([['outcome', 'local', true, 'm']]);

    // rolled up (both decisions: 'da' is no longer referenced once its completion is rolled, and no outcome is kept),
    // the daily sums keep the node
    expect(await a.ledger.rollupDay(T + 2 * D, 0)).toEqual({ completions: 3, decisions: 2 });
    expect((await b.ledger.dailySums(ALL, 'node')).map((g) => [g.grp, g.calls])).toEqual([
      ['host-a:101', 2],
      ['host-b:202', 1],
    ]);
  });

  it('a node catching up by marks while two nodes write outcomes and observations misses none of them', async () => {
    const { url, pool } = await newPgDatabase();
    const writers = [pgRepoSet(pool, 'a:1'), pgRepoSet(anotherPool(url), 'b:2')];
    const reader = pgRepoSet(anotherPool(url), 'c:3').outcomes;
    const per = 30;
    for (const [i, w] of writers.entries())
      for (let j = 0; j < per; j++) await w.decisions.insert(decisionRecord(`w${i}-${j}`, { features: null }), []);
    const seen = new Set<string>();
    let marks = await reader.marks();
    let writing = true;
    const catchUp = async () => {
      for (const o of await reader.since(marks.outcome, marks.observation, 1000)) {
        seen.add(`${o.kind}:${o.mark}`);
        if (o.kind === 'outcome') marks = { ...marks, outcome: Math.max(marks.outcome, o.mark) };
        else marks = { ...marks, observation: Math.max(marks.observation, o.mark) };
      }
    };
    const readLoop = (async () => {
      while (writing) await catchUp();
    })();
    await Promise.all(
      writers.map(async (w, i) => {
        for (let j = 0; j < per; j++) {
          await Promise.all([
            w.outcomes.insertOutcome({ decisionId: `w${i}-${j}`, success: true, quality: null, notes: null, reportedAt: T + j }, 'local'),
            w.outcomes.insertObservations([
              { createdAt: T + j, route: 'local', success: true, quality: null, source: 's', features: new Float32Array([1]), model: null },
            ]),
          ]);
        }
      }),
    );
    writing = false;
    await readLoop;
    await catchUp();
    expect(seen.size).toBe(4 * per);
    expect(await num(pool, 'SELECT count(*) AS n FROM router_outcomes')).toBe(2 * per);
  });

  it('counters appended by many concurrent writers add up exactly, before and after their deltas are folded', async () => {
    const { url, pool } = await newPgDatabase();
    const pools = [pool, anotherPool(url), anotherPool(url)];
    // folds every 10 deltas, so folds run while the others keep writing
    const repos = pools.map((p) => new PgDecisionsRepo(p, { node: 'n', foldEvery: 10 }));
    const per = 40;
    await Promise.all(
      repos.flatMap((r, i) =>
        Array.from({ length: per }, (_, j) =>
          r.insert(decisionRecord(`d${i}-${j}`), [
            ['decisions', '', 1, 0.5],
            ['route', j % 2 ? 'local' : 'cloud', 1, 0],
          ]),
        ),
      ),
    );
    for (const r of repos) await r.folder.idle();
    const total = (rows: { metric: string; key: string; n: number; v: number }[]) =>
      Object.fromEntries(rows.map((c) => [`${c.metric}/${c.key}`, [c.n, c.v]]));
    const expected = { 'decisions/': [3 * per, 0.5 * 3 * per], 'route/local': [(3 * per) / 2, 0], 'route/cloud': [(3 * per) / 2, 0] };
    expect(total(await repos[0].counters())).toEqual(expected);
    expect(await num(pool, 'SELECT count(*) AS n FROM router_counters')).toBeGreaterThan(0); // some folds ran
    await repos[1].fold();
    expect(await num(pool, 'SELECT count(*) AS n FROM router_counter_deltas')).toBe(0);
    expect(total(await repos[2].counters())).toEqual(expected);
    // no counter row per request: the folded totals are a few rows however many decisions were written
    expect(await num(pool, 'SELECT count(*) AS n FROM router_counters')).toBe(3);
  });

  it('two nodes rolling up at once sum every completion and decision once', async () => {
    const { url, pool } = await newPgDatabase();
    const a = pgRepoSet(pool, 'a:1');
    const b = pgRepoSet(anotherPool(url), 'b:2');
    for (let day = 0; day < 5; day++) {
      for (let i = 0; i < 4; i++) await a.ledger.insertCompletion(completion({ ts: T + day * D + i }));
      await b.decisions.insert(decisionRecord(`d${day}`, { createdAt: T + day * D }), []);
    }
    const cutoff = T + 10 * D;
    const drain = async (s: typeof a) => {
      let n = 0;
      while (await s.ledger.rollupDay(cutoff, 0)) n++;
      return n;
    };
    const [na, nb] = await Promise.all([drain(a), drain(b)]);
    expect(na + nb).toBe(5);
    expect((await a.ledger.dailySums(ALL, 'none')).map((g) => g.calls)).toEqual([20]);
    const counts = await b.ledger.dailyDecisionCounts(ALL, ['total']);
    expect(counts).toEqual([{ kind: 'total', key: '', n: 5 }]);
    expect(await num(pool, 'SELECT count(*) AS n FROM ledger_completions')).toBe(0);
    expect(await a.ledger.backendCounters()).toEqual([{ backend: 'gguf', model: 'm', calls: 20, errors: 0 }]);
    // folded into the totals (no row per completion), the counters read the same on every node
    expect(await (b.ledger as PgLedgerRepo).fold()).toBe(20);
    expect(await num(pool, 'SELECT count(*) AS n FROM ledger_backend_deltas')).toBe(0);
    expect(await b.ledger.backendCounters()).toEqual([{ backend: 'gguf', model: 'm', calls: 20, errors: 0 }]);
  });
});

describe('word of other nodes’ commits (PgChanges)', () => {
  it('a node hears another node’s writes within a second, not its own, and stops hearing once unsubscribed', async () => {
    const { url, pool } = await newPgDatabase();
    const poolB = anotherPool(url);
    const changesA = new PgChanges(pool, url, 'a:1');
    const changesB = new PgChanges(poolB, url, 'b:2');
    const a = new PgDecisionsRepo(pool, { node: 'a:1', changes: changesA });
    let heardA = 0;
    let heardB = 0;
    changesA.onExternalChange(() => heardA++);
    const offB = changesB.onExternalChange(() => heardB++);
    try {
      await new Promise((r) => setTimeout(r, 500)); // both LISTENs connected
      // many writes on node a: node b hears of them (at most a notice per 250 ms: a few times, not once per write)
      for (let i = 0; i < 20; i++) await a.insert(decisionRecord(`x${i}`), []);
      const t0 = Date.now();
      while (heardB === 0 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
      expect(heardB).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 600));
      expect(heardB).toBeLessThan(20);
      expect(heardA).toBe(0);
      offB();
      const before = heardB;
      await a.insert(decisionRecord('after'), []);
      await new Promise((r) => setTimeout(r, 800));
      expect(heardB).toBe(before);
    } finally {
      await changesA.close();
      await changesB.close();
    }
  });
});

describe('the outcome unit of work (PostgreSQL)', () => {
  async function setup() {
    const { url, pool } = await newPgDatabase();
    await patternsTable(pool);
    const s = pgRepoSet(pool, 'n:1');
    await s.decisions.insert(decisionRecord('d1', { features: null }), [['decisions', '', 1, 0]]);
    await query(pool, "INSERT INTO patterns (id, decision_id, quality) VALUES ('p1', 'd1', 0.8), ('p2', 'd1', 0.6), ('p3', 'other', 0.5)");
    const outcomes = new PgOutcomesRepo(pool);
    return { url, pool, uow: new PgOutcomeUnitOfWork(pool, { outcomes }), outcomes };
  }
  const outcome = (success: boolean) => ({ decisionId: 'd1', success, quality: 0.4, notes: null, reportedAt: 2000 });
  const pattern = async (pool: PgPool, id: string) =>
    (
      await query<{ successes: number; failures: number; quality: number }>(
        pool,
        'SELECT successes, failures, quality FROM patterns WHERE id = $1',
        [id],
      )
    ).rows[0];
  const outcomeCount = (pool: PgPool) =>
    num(
      pool,
      "SELECT (SELECT count(*) FROM router_outcomes) + (SELECT count(*) FROM router_counter_deltas WHERE metric LIKE 'outcome%') AS n",
    );

  it('writes the outcome, its counters and the tally of the decision’s patterns together, once', async () => {
    const { pool, uow } = await setup();
    const w = await uow.reportOutcome(outcome(false), 'local', patternQualityAfter(0.4));
    expect(w).toMatchObject({ patterns: ['p1', 'p2'] });
    expect('mark' in w && w.mark).toBeGreaterThan(0);
    expect(await pattern(pool, 'p1')).toMatchObject({ successes: 0, failures: 1 });
    expect((await pattern(pool, 'p1')).quality).toBeCloseTo(0.8 * 0.7 + 0.4 * 0.3, 6);
    expect(await pattern(pool, 'p3')).toMatchObject({ successes: 0, failures: 0, quality: 0.5 });
    // a second report (from any node) writes nothing and says when the first was
    expect(await uow.reportOutcome(outcome(true), 'local', patternQualityAfter(1))).toEqual({ reportedAt: 2000 });
    expect(await pattern(pool, 'p1')).toMatchObject({ successes: 0, failures: 1 });
    expect(await outcomeCount(pool)).toBe(3); // the outcome, its 'outcome' and 'outcome_quality' deltas
  });

  it('two nodes reporting the same decision at once: one writes, the other is told when', async () => {
    const { url, pool, uow } = await setup();
    const other = new PgOutcomeUnitOfWork(anotherPool(url));
    const rs = await Promise.all([
      uow.reportOutcome(outcome(true), 'local', patternQualityAfter(1)),
      other.reportOutcome({ ...outcome(false), reportedAt: 3000 }, 'local', patternQualityAfter(0)),
    ]);
    expect(rs.filter((r) => 'mark' in r)).toHaveLength(1);
    expect(rs.filter((r) => 'reportedAt' in r)).toHaveLength(1);
    const p = await pattern(pool, 'p1');
    expect(p.successes + p.failures).toBe(1);
    expect(await num(pool, 'SELECT count(*) AS n FROM router_outcomes')).toBe(1);
  });

  it('rolls back entirely when its second step (the patterns’ tally) fails, and a retry works', async () => {
    const { pool, uow } = await setup();
    await query(
      pool,
      `CREATE FUNCTION fail_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (injected)'; END $$;
       CREATE TRIGGER fail_update BEFORE UPDATE ON patterns FOR EACH ROW EXECUTE FUNCTION fail_update();`,
    );
    await expect(uow.reportOutcome(outcome(true), 'local', patternQualityAfter(1))).rejects.toThrow(/disk full/);
    expect(await outcomeCount(pool)).toBe(0);
    expect(await pattern(pool, 'p1')).toMatchObject({ successes: 0, failures: 0 });
    await query(pool, 'DROP TRIGGER fail_update ON patterns');
    expect(await uow.reportOutcome(outcome(true), 'local', patternQualityAfter(1))).toMatchObject({ patterns: ['p1', 'p2'] });
    expect(await pattern(pool, 'p2')).toMatchObject({ successes: 1, failures: 0 });
  });

  it('an outcome carried by a pattern store commits with it, or not at all', async () => {
    const { pool, uow } = await setup();
    const already = (at: number) => new Error(`already reported at ${at}`);
    // the pattern store's transaction, as PgPatternsRepo runs it: its step first (awaited), then the pattern
    const storePattern = (id: string, failAfterStep: boolean) => (inStore: () => void) =>
      withTransaction(pool, async () => {
        await inStore();
        if (failAfterStep) throw new Error('disk full (injected)');
        await run(pool, "INSERT INTO patterns (id, decision_id, quality) VALUES ($1, 'd1', 0.9)", [id]);
        return { id };
      });
    await expect(uow.storeWithOutcome(outcome(true), 'local', already, storePattern('p9', true))).rejects.toThrow(/disk full/);
    expect(await outcomeCount(pool)).toBe(0);
    const w = await uow.storeWithOutcome(outcome(true), 'local', already, storePattern('p9', false));
    expect(w.mark).toBeGreaterThan(0);
    expect(w.result).toEqual({ id: 'p9' });
    expect(await num(pool, 'SELECT count(*) AS n FROM router_outcomes')).toBe(1);
    // the decision has its outcome now: a second store carrying it stores nothing
    await expect(uow.storeWithOutcome(outcome(false), 'local', already, storePattern('p10', false))).rejects.toThrow(
      /already reported at 2000/,
    );
    expect(await num(pool, "SELECT count(*) AS n FROM patterns WHERE id = 'p10'")).toBe(0);
  });

  it('PostgreSQL stopped in the middle of one: a RetryableError, nothing half-written, and the same pool works once it is back', async () => {
    const { pool, outcomes } = await setup();
    const tally = countPatternOutcome(pool);
    const uow = new PgOutcomeUnitOfWork(pool, {
      outcomes,
      patterns: {
        // the outcome and its counters are written in the transaction; the server goes away before the tally
        async countOutcome(decisionId, success, quality) {
          pgServer().pause();
          await new Promise((r) => setTimeout(r, 200)); // the connection's end arrives while no query runs on it
          return tally.countOutcome(decisionId, success, quality);
        },
      },
    });
    let err: unknown;
    try {
      err = await uow.reportOutcome(outcome(true), 'local', patternQualityAfter(1)).catch((e) => e);
    } finally {
      pgServer().resume();
    }
    expect(err).toBeInstanceOf(RetryableError);
    expect(String((err as Error).message)).toMatch(/nothing of this call was committed/);
    expect(await outcomeCount(pool)).toBe(0);
    expect(await pattern(pool, 'p1')).toMatchObject({ successes: 0, failures: 0 });
    // a retry on the same pool, the server back
    expect(await new PgOutcomeUnitOfWork(pool, { outcomes }).reportOutcome(outcome(true), 'local', patternQualityAfter(1))).toMatchObject({
      patterns: ['p1', 'p2'],
    });
  });

  it('a decision written while PostgreSQL is down fails fast as retryable and is not there afterwards', async () => {
    const { pool } = await setup();
    const s = pgRepoSet(pool, 'n:1');
    pgServer().pause();
    let err: unknown;
    try {
      err = await s.decisions.insert(decisionRecord('down'), [['decisions', '', 1, 0]]).catch((e) => e);
    } finally {
      pgServer().resume();
    }
    expect(err).toBeInstanceOf(RetryableError);
    expect(await s.decisions.get('down')).toBeNull();
    expect(await num(pool, 'SELECT count(*) AS n FROM router_counter_deltas')).toBe(1); // d1's only
  });
});
