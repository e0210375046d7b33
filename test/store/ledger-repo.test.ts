// The ledger repository's contract, the same test bodies on SQLite and on PostgreSQL (describe.each).
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { migrations as routerMigrations } from '../../src/engine/store/sqlite/migrations-router.js';
import { SqliteLedgerRepo } from '../../src/engine/store/sqlite/ledger.js';
import type { LedgerDecisionRow } from '../../src/engine/store/ledger-repo.js';
import { REPO_ENGINES, usePostgres } from '../helpers/repo-engines.js';
import { tempDir } from '../helpers/tmp.js';
import { completionRow as completion, LEDGER_T0 as T } from '../helpers/decisions.js';

usePostgres();

const dirs: string[] = [];
const dbs: DB[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const D = 86_400_000;

const decision = (id: string, over: Partial<LedgerDecisionRow> = {}): LedgerDecisionRow => ({
  id,
  createdAt: T,
  route: 'local',
  strategy: 'balanced',
  level: 'low',
  score: 0.2,
  sensitive: false,
  categories: [],
  reasonCodes: ['complexity_low'],
  reasons: ['complexity 0.20 (low, qa) < 0.45 for balanced'],
  forced: false,
  inputTokens: 10,
  outputTokens: 20,
  latencyMs: 0.5,
  agentId: null,
  ...over,
});

const ALL = { fromMs: null, toMs: T + 100 * D };

describe.each(REPO_ENGINES)('ledger repository ($name)', (engine) => {
  it('stores completions with their backend counters and sums them by group, counting tokens of successful calls only', async () => {
    const { ledger: r, nodeLabel } = await engine.open();
    expect(await r.insertDecision(decision('d1', { route: 'cloud', agentId: 'alpha', strategy: 'privacy_first' }))).toBe(true);
    expect(await r.insertDecision(decision('d1', { route: 'local' }))).toBe(false);
    const id1 = await r.insertCompletion(completion({ decisionId: 'd1' }));
    const id2 = await r.insertCompletion(
      completion({
        ts: T + 2 * 3_600_000,
        ok: false,
        error: 'boom',
        route: 'local',
        inputMode: 'value',
        overheadTokenMethod: 'estimate:chars/4',
      }),
    );
    const id3 = await r.insertCompletion(
      completion({
        ts: T + D,
        model: 'n',
        backend: 'http',
        inputMode: 'reference',
        avoidedIn: 70,
        tokenCountMethod: 'estimate:chars/4',
        overheadIn: 0,
        overheadOut: 0,
      }),
    );
    expect(id2).toBeGreaterThan(id1);
    expect(id3).toBeGreaterThan(id2);

    const none = await r.completionSums(ALL, 'none');
    expect(none).toEqual([{ grp: 'all', calls: 3, okCalls: 2, pt: 200, ct: 100, oi: 20, oo: 10, ms: 3000, ai: 70 }]);
    // a completion without its own route/strategy/agent takes its decision's, else '(none)'
    expect((await r.completionSums(ALL, 'route')).map((g) => [g.grp, g.calls])).toEqual([
      ['(none)', 1],
      ['cloud', 1],
      ['local', 1],
    ]);
    expect((await r.completionSums(ALL, 'agent')).map((g) => [g.grp, g.calls])).toEqual([
      ['(none)', 2],
      ['alpha', 1],
    ]);
    expect((await r.completionSums(ALL, 'inputMode')).map((g) => [g.grp, g.calls, g.ai])).toEqual([
      ['(not given)', 1, 0],
      ['reference', 1, 70],
      ['value', 1, 0],
    ]);
    expect((await r.completionSums(ALL, 'day')).map((g) => g.grp)).toEqual(['2026-11-01', '2026-11-02']);
    expect((await r.completionSums(ALL, 'hour')).map((g) => g.grp)).toEqual([
      '2026-11-01T00:00:00Z',
      '2026-11-01T02:00:00Z',
      '2026-11-02T00:00:00Z',
    ]);
    // ranges are half-open [from, to)
    expect((await r.completionSums({ fromMs: T, toMs: T + D }, 'none'))[0].calls).toBe(2);
    expect(await r.completionSums({ fromMs: T + 3 * D, toMs: T + 4 * D }, 'none')).toEqual([]);

    expect(await r.tokenCountMethods(ALL)).toEqual([
      { k: 'estimate:chars/4', n: 1 },
      { k: 'tokenizer', n: 2 },
    ]);
    expect(await r.overheadMethods(ALL)).toEqual([
      { k: '(not named)', n: 1 },
      { k: 'estimate:chars/4', n: 1 },
    ]);
    expect((await r.backendCounters()).sort((a, b) => a.backend.localeCompare(b.backend))).toEqual([
      { backend: 'gguf', model: 'm', calls: 2, errors: 1 },
      { backend: 'http', model: 'n', calls: 1, errors: 0 },
    ]);
    expect(await r.timeSpan()).toEqual({ first: T, last: T + D });
    expect(await r.okLatencies(ALL)).toEqual([
      { backend: 'gguf', latencyMs: 1000 },
      { backend: 'http', latencyMs: 1000 },
    ]);
    expect((await r.backendSamples(ALL)).filter((s) => !s.ok)).toEqual([
      { backend: 'gguf', model: 'm', ok: false, latencyMs: 1000, ttftMs: 20, tokensPerSecond: 40 },
    ]);
    expect(await r.firstCompletionIdSince(T + 1)).toBe(id2);
    expect(await r.firstCompletionIdSince(T + 10 * D)).toBeNull();
    expect(await r.newestOkCompletionId('gguf', 'm')).toBe(id1);
    expect(await r.newestOkCompletionId('none', 'm')).toBeNull();
    expect(await r.recentOkSamples('gguf', 'm', 0, 10)).toEqual({ latencyMs: [1000], ttftMs: [20], tokensPerSecond: [40] });
    expect(await r.recentLatencies(undefined, 10)).toEqual([1000, 1000]);
    expect(await r.recentLatencies('http', 10)).toEqual([1000]);
    expect(await r.recentTokensPerSecond(10)).toEqual([40, 40]);
    // by node: the node that wrote the rows (SQLite records none)
    expect((await r.completionSums(ALL, 'node')).map((g) => [g.grp, g.calls])).toEqual([[nodeLabel, 3]]);
  });

  it('reads decisions by route, reason, bucket and as rows', async () => {
    const { ledger: r } = await engine.open();
    await r.insertDecision(
      decision('a', { sensitive: true, categories: ['email', 'phone'], reasonCodes: ['sensitive', 'complexity_low'], forced: true }),
    );
    await r.insertDecision(decision('b', { createdAt: T + 3_600_000, route: 'cloud', latencyMs: 2 }));
    expect(await r.decisionsByRoute(ALL)).toEqual([
      { route: 'cloud', n: 1, forced: 0, sensitive: 0 },
      { route: 'local', n: 1, forced: 1, sensitive: 1 },
    ]);
    expect((await r.reasonCounts(ALL)).sort((x, y) => x.k.localeCompare(y.k))).toEqual([
      { k: 'complexity_low', n: 2 },
      { k: 'sensitive', n: 1 },
    ]);
    expect(await r.decisionsByBucket(ALL, 'hour')).toEqual([
      { t: '2026-11-01T00:00:00Z', route: 'local', n: 1 },
      { t: '2026-11-01T01:00:00Z', route: 'cloud', n: 1 },
    ]);
    expect(await r.decisionsByBucket(ALL, 'day')).toEqual([
      { t: '2026-11-01', route: 'cloud', n: 1 },
      { t: '2026-11-01', route: 'local', n: 1 },
    ]);
    const rows = (await r.decisionRows(ALL)).sort((x, y) => x.route.localeCompare(y.route));
    expect(rows[1]).toEqual({
      route: 'local',
      strategy: 'balanced',
      level: 'low',
      sensitive: true,
      categories: ['email', 'phone'],
      reasonCodes: ['sensitive', 'complexity_low'],
      forced: true,
      latencyMs: 0.5,
    });
  });

  it('rolls up one day per call into daily sums and counts, keeping referenced and recently reported decisions raw', async () => {
    const { ledger: r, outcomes, nodeLabel } = await engine.open();
    await r.insertDecision(decision('old', { sensitive: true, categories: ['email', 'email'] }));
    await r.insertDecision(decision('linked', { createdAt: T + 100 }));
    await r.insertDecision(decision('reported', { createdAt: T + 200, route: 'cloud' }));
    await r.insertCompletion(completion({ ts: T + D + 5, decisionId: 'linked', overheadTokenMethod: 'estimate:chars/4' }));
    await r.insertCompletion(completion({ ts: T + 10, ok: false }));
    await outcomes.insertOutcome({ decisionId: 'reported', success: true, quality: null, notes: null, reportedAt: T + 300 }, 'cloud');

    const cutoff = T + 2 * D;
    // day 1: the failed completion and 'old' ('linked' is referenced by a completion of day 2, 'reported' by the newest outcome)
    expect(await r.rollupDay(cutoff, 1)).toEqual({ completions: 1, decisions: 1 });
    // day 2: the completion; then 'linked' is free, but it belongs to day 1, which is rolled again on the next call
    expect(await r.rollupDay(cutoff, 1)).toEqual({ completions: 1, decisions: 0 });
    expect(await r.rollupDay(cutoff, 1)).toEqual({ completions: 0, decisions: 1 });
    expect(await r.rollupDay(cutoff, 1)).toBeNull();
    // with no outcome kept, 'reported' goes too
    expect(await r.rollupDay(cutoff, 0)).toEqual({ completions: 0, decisions: 1 });
    expect(await r.rollupDay(cutoff, 0)).toBeNull();
    expect(await r.decisionRows(ALL)).toEqual([]);
    expect(await r.completionSums(ALL, 'none')).toEqual([]);

    // totals kept in the daily tables
    expect(await r.dailySums(ALL, 'none')).toEqual([
      { grp: 'all', calls: 2, okCalls: 1, pt: 100, ct: 50, oi: 20, oo: 10, ms: 2000, ai: 0 },
    ]);
    expect((await r.dailySums(ALL, 'route')).map((g) => [g.grp, g.calls])).toEqual([
      ['(none)', 1],
      ['local', 1],
    ]);
    expect((await r.dailySums(ALL, 'node')).map((g) => [g.grp, g.calls])).toEqual([[nodeLabel, 2]]);
    expect((await r.dailySums(ALL, 'day')).map((g) => [g.grp, g.calls])).toEqual([
      ['2026-11-01', 1],
      ['2026-11-02', 1],
    ]);
    expect(await r.dailyBackendCalls(ALL)).toEqual([{ backend: 'gguf', model: 'm', calls: 2, okCalls: 1 }]);
    expect((await r.dailyTokenCountMethods(ALL)).map((x) => [x.k, x.n])).toEqual([['tokenizer', 2]]);
    expect((await r.dailyOverheadMethods(ALL)).map((x) => [x.k, x.n]).sort()).toEqual([
      ['(not named)', 1],
      ['estimate:chars/4', 1],
    ]);
    const counts = await r.dailyDecisionCounts(ALL, ['total', 'sensitive', 'route', 'category', 'reason']);
    const by = Object.fromEntries(counts.map((c) => [`${c.kind}/${c.key}`, c.n]));
    expect(by).toEqual({
      'total/': 3,
      'sensitive/': 1,
      'route/local': 2,
      'route/cloud': 1,
      'category/email': 1,
      'reason/complexity_low': 3,
    });
    expect(await r.dailyDecisionsByBucket(ALL, 'day')).toEqual(
      expect.arrayContaining([
        { t: '2026-11-01', route: 'local', n: 2 },
        { t: '2026-11-01', route: 'cloud', n: 1 },
      ]),
    );
    // backend counters survive the rollup
    expect(await r.backendCounters()).toEqual([{ backend: 'gguf', model: 'm', calls: 2, errors: 1 }]);
  });
});

describe('ledger repository (SQLite only)', () => {
  it('says which migrations are missing', () => {
    const dir = tempDir('ledger-repo-');
    dirs.push(dir);
    const db = openDatabase(join(dir, 'state.db'), routerMigrations);
    dbs.push(db);
    expect(() => new SqliteLedgerRepo(db)).toThrow(/the ledger tables are missing/);
  });
});
