/**
 * SQLite implementation of the ledger repository (tables ledger_completions, ledger_backend_counters, ledger_daily,
 * ledger_decisions_daily, migrations-ledger.ts; it reads and rolls up router_decisions and reads router_outcomes,
 * migrations-router.ts). Synchronous underneath (better-sqlite3); the Promise methods of LedgerRepo wrap synchronous
 * ones that nothing outside this file calls.
 */
import type { Statement } from 'better-sqlite3';
import { writeTx, type DB } from '../db.js';
import type {
  BackendCounter,
  BackendSample,
  CompletionRow,
  DecisionCountKind,
  DecisionStatRow,
  GroupSums,
  KeyCount,
  LedgerDecisionRow,
  LedgerRange,
  LedgerRepo,
  SumsGroup,
} from '../ledger-repo.js';
import { rollupWindow } from '../ledger-repo.js';

/** The synchronous method behind each Promise method of LedgerRepo: `foo(...): Promise<T>` is `fooSync(...): T` here. */
type SyncOf<R> = {
  [K in keyof R as `${K & string}Sync`]: R[K] extends (...a: infer A) => Promise<infer T> ? (...a: A) => T : never;
};
type LedgerQueriesSync = SyncOf<LedgerRepo>;

const SUMS = `COUNT(*) AS calls, COALESCE(SUM(c.ok), 0) AS okCalls,
    COALESCE(SUM(CASE WHEN c.ok = 1 THEN c.prompt_tokens ELSE 0 END), 0) AS pt,
    COALESCE(SUM(CASE WHEN c.ok = 1 THEN c.completion_tokens ELSE 0 END), 0) AS ct,
    COALESCE(SUM(c.overhead_in), 0) AS oi, COALESCE(SUM(c.overhead_out), 0) AS oo, COALESCE(SUM(c.latency_ms), 0) AS ms,
    COALESCE(SUM(CASE WHEN c.ok = 1 THEN c.avoided_in ELSE 0 END), 0) AS ai`;

const INPUT_MODE = "COALESCE(c.input_mode, '(not given)')";
/** The node of a completion: SQLite records none (ledger v6 has the column for rows that carry one). */
export const THIS_NODE = '(this node)';
const NODE = `COALESCE(c.node, '${THIS_NODE}')`;
const HOUR_FMT = '%Y-%m-%dT%H:00:00Z';
const DAY_FMT = '%Y-%m-%d';
const bucketExpr = (bucket: 'hour' | 'day', col: string) =>
  `strftime('${bucket === 'hour' ? HOUR_FMT : DAY_FMT}', ${col} / 1000, 'unixepoch')`;

/** The group of a raw completion (alias c, its decision alias d). */
function groupExpr(g: SumsGroup): string {
  switch (g) {
    case 'model':
      return 'c.model';
    case 'route':
      return "COALESCE(c.route, d.route, '(none)')";
    case 'strategy':
      return "COALESCE(c.strategy, d.strategy, '(none)')";
    case 'agent':
      return "COALESCE(c.agent_id, d.agent_id, '(none)')";
    case 'day':
      return bucketExpr('day', 'c.ts');
    case 'hour':
      return bucketExpr('hour', 'c.ts');
    case 'none':
      return "'all'";
    case 'inputMode':
      return INPUT_MODE;
    case 'node':
      return NODE;
  }
  throw new Error(`unknown group ${JSON.stringify(g)}`);
}

/** The same group of a rolled-up day (ledger_daily). */
function dailyGroupExpr(g: SumsGroup): string {
  switch (g) {
    case 'model':
      return 'model';
    case 'route':
      return 'route';
    case 'strategy':
      return 'strategy';
    case 'agent':
      return 'agent_id';
    case 'day':
      return bucketExpr('day', 'day');
    case 'hour':
      return bucketExpr('hour', 'day');
    case 'none':
      return "'all'";
    case 'inputMode':
      return 'input_mode';
    case 'node':
      return 'node';
  }
  throw new Error(`unknown group ${JSON.stringify(g)}`);
}

function where(r: LedgerRange, col: string): { sql: string; args: number[] } {
  if (r.fromMs === null) return { sql: `${col} < ?`, args: [r.toMs] };
  return { sql: `${col} >= ? AND ${col} < ?`, args: [r.fromMs, r.toMs] };
}

/**
 * A decision (alias d) that can be rolled up: no completion still references it, and none of the router's newest
 * outcomes is about it (its features are the learner's evidence at the next start). @keepAfter: the outcome rowid
 * below which outcomes are old enough to go.
 */
const ROLLABLE = `NOT EXISTS (SELECT 1 FROM ledger_completions c WHERE c.decision_id = d.id)
    AND NOT EXISTS (SELECT 1 FROM router_outcomes o WHERE o.decision_id = d.id AND o.rowid > @keepAfter)`;

/** The synchronous methods (private to this file); the Promise methods wrapping them are added below (SqliteLedgerRepo). */
class SqliteLedgerQueries implements LedgerQueriesSync {
  private readonly statements = new Map<string, Statement>();
  private readonly insCompletion: Statement;
  private readonly insDecision: Statement;
  private readonly bumpBackend: Statement;
  private readonly completionTx: (row: Record<string, unknown>) => number;
  private rollupTx: { immediate(cutoff: number, keepOutcomes: number): { completions: number; decisions: number } | null } | null = null;

  constructor(private readonly db: DB) {
    try {
      this.insCompletion = db.prepare(
        `INSERT INTO ledger_completions (ts, model, backend, prompt_tokens, completion_tokens, token_count_method, latency_ms, ttft_ms,
          tokens_per_second, overhead_in, overhead_out, strategy, route, agent_id, decision_id, ok, error, overhead_token_method, input_mode, avoided_in)
         VALUES (@ts, @model, @backend, @pt, @ct, @method, @latency, @ttft, @tps, @oi, @oo, @strategy, @route, @agent, @decision, @ok, @error, @ometh, @mode, @ai)`,
      );
      // the one decision record (router_decisions, router migrations); the router's own columns get neutral values
      this.insDecision = db.prepare(
        `INSERT INTO router_decisions (id, created_at, route, strategy, level, score, task_type, sensitive, categories, reason_codes, reasons, forced,
          local_model, input_tokens, output_tokens, local_usd, cloud_usd, saving_usd, confidence, agent_id, features, latency_ms)
         VALUES (@id, @ts, @route, @strategy, @level, @score, '(not recorded)', @sensitive, @cats, @codes, @reasons, @forced,
          NULL, @ein, @eout, 0, 0, 0, 0, @agent, NULL, @latency)
         ON CONFLICT(id) DO NOTHING`,
      );
      this.bumpBackend = db.prepare(
        `INSERT INTO ledger_backend_counters (backend, model, calls, errors) VALUES (?, ?, 1, ?)
         ON CONFLICT(backend, model) DO UPDATE SET calls = calls + 1, errors = errors + excluded.errors`,
      );
    } catch (e) {
      throw new Error(
        `the ledger tables are missing (${(e as Error).message}); open the database with the ledger's and the router's migrations (decisions live in router_decisions)`,
        {
          cause: e,
        },
      );
    }
    // the row and its backend's counters commit together (a savepoint inside a caller's transaction)
    this.completionTx = writeTx(db, (row: Record<string, unknown>) => {
      const id = Number(this.insCompletion.run(row).lastInsertRowid);
      this.bumpBackend.run([row.backend, row.model, row.ok ? 0 : 1]);
      return id;
    });
  }

  /** A prepared statement, kept for the next call with the same text. */
  private st(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  // ---------------------------------------------------------------- writes

  insertCompletionSync(r: CompletionRow): number {
    return this.completionTx({
      ts: r.ts,
      model: r.model,
      backend: r.backend,
      pt: r.promptTokens,
      ct: r.completionTokens,
      method: r.tokenCountMethod,
      latency: r.latencyMs,
      ttft: r.ttftMs,
      tps: r.tokensPerSecond,
      oi: r.overheadIn,
      oo: r.overheadOut,
      strategy: r.strategy,
      route: r.route,
      agent: r.agentId,
      decision: r.decisionId,
      ok: r.ok ? 1 : 0,
      error: r.error,
      ometh: r.overheadTokenMethod,
      mode: r.inputMode,
      ai: r.avoidedIn,
    });
  }

  insertDecisionSync(d: LedgerDecisionRow): boolean {
    const info = this.insDecision.run({
      id: d.id,
      ts: d.createdAt,
      route: d.route,
      strategy: d.strategy,
      level: d.level,
      score: d.score,
      sensitive: d.sensitive ? 1 : 0,
      cats: JSON.stringify(d.categories),
      reasons: JSON.stringify(d.reasons),
      codes: JSON.stringify(d.reasonCodes),
      ein: d.inputTokens,
      eout: d.outputTokens,
      latency: d.latencyMs,
      agent: d.agentId,
      forced: d.forced ? 1 : 0,
    });
    return info.changes > 0;
  }

  rollupDaySync(cutoff: number, keepOutcomes: number): { completions: number; decisions: number } | null {
    return (this.rollupTx ??= this.buildRollupDay()).immediate(cutoff, keepOutcomes);
  }

  private buildRollupDay(): { immediate(cutoff: number, keepOutcomes: number): { completions: number; decisions: number } | null } {
    const db = this.db;
    const st = () => ({
      firstCompletion: db.prepare('SELECT ts FROM ledger_completions WHERE ts < ? ORDER BY ts LIMIT 1').pluck(),
      firstDecision: db
        .prepare(`SELECT created_at FROM router_decisions d WHERE created_at < @cutoff AND ${ROLLABLE} ORDER BY created_at LIMIT 1`)
        .pluck(),
      keepAfter: db.prepare('SELECT coalesce(max(rowid), 0) FROM router_outcomes').pluck(),
      rollCompletions: db.prepare(
        `INSERT INTO ledger_daily (day, model, backend, route, strategy, agent_id, token_count_method, overhead_token_method,
           input_mode, node, calls, ok_calls, prompt_tokens, completion_tokens, overhead_in, overhead_out, latency_ms, avoided_in, overhead_calls)
         SELECT @day, c.model, c.backend, ${groupExpr('route')}, ${groupExpr('strategy')}, ${groupExpr('agent')},
           c.token_count_method, COALESCE(c.overhead_token_method, '(not named)'), ${INPUT_MODE}, ${NODE}, ${SUMS},
           COALESCE(SUM(CASE WHEN c.overhead_in > 0 OR c.overhead_out > 0 THEN 1 ELSE 0 END), 0)
         FROM ledger_completions c LEFT JOIN router_decisions d ON d.id = c.decision_id
         WHERE c.ts >= @day AND c.ts < @end
         GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10`,
      ),
      deleteCompletions: db.prepare('DELETE FROM ledger_completions WHERE ts >= @day AND ts < @end'),
      rollDecisions: db.prepare(
        `WITH sel AS (SELECT * FROM router_decisions d WHERE created_at >= @day AND created_at < @end AND ${ROLLABLE})
         INSERT INTO ledger_decisions_daily (day, kind, key, n)
         SELECT @day, kind, key, n FROM (
           SELECT 'total' AS kind, '' AS key, COUNT(*) AS n FROM sel
           UNION ALL SELECT 'forced', '', COALESCE(SUM(forced), 0) FROM sel
           UNION ALL SELECT 'sensitive', '', COALESCE(SUM(sensitive), 0) FROM sel
           UNION ALL SELECT 'route', route, COUNT(*) FROM sel GROUP BY route
           UNION ALL SELECT 'strategy', strategy, COUNT(*) FROM sel GROUP BY strategy
           UNION ALL SELECT 'complexity', level, COUNT(*) FROM sel GROUP BY level
           UNION ALL SELECT 'reason', j.value, COUNT(*) FROM sel, json_each(sel.reason_codes) j GROUP BY j.value
           UNION ALL SELECT 'category', value, COUNT(*) FROM (SELECT DISTINCT sel.id, j.value AS value FROM sel, json_each(sel.categories) j) GROUP BY value
         ) WHERE n > 0`,
      ),
      deleteDecisions: db.prepare(
        `DELETE FROM router_decisions WHERE id IN (SELECT id FROM router_decisions d WHERE created_at >= @day AND created_at < @end AND ${ROLLABLE})`,
      ),
    });
    let s: ReturnType<typeof st> | null = null;
    return db.transaction((cutoff: number, keepOutcomes: number): { completions: number; decisions: number } | null => {
      s ??= st();
      const keepAfter = (s.keepAfter.get() as number) - keepOutcomes;
      const c = s.firstCompletion.get(cutoff) as number | undefined;
      const d = s.firstDecision.get({ cutoff, keepAfter }) as number | undefined;
      if (c === undefined && d === undefined) return null;
      const first = Math.min(c ?? Infinity, d ?? Infinity);
      const args = rollupWindow(first, cutoff);
      s.rollCompletions.run(args);
      const completions = s.deleteCompletions.run(args).changes;
      s.rollDecisions.run({ ...args, keepAfter });
      const decisions = s.deleteDecisions.run({ ...args, keepAfter }).changes;
      return { completions, decisions };
    });
  }

  // ---------------------------------------------------------------- cost report

  completionSumsSync(r: LedgerRange, by: SumsGroup): GroupSums[] {
    const wh = where(r, 'c.ts');
    return this.st(
      `SELECT ${groupExpr(by)} AS grp, ${SUMS}
         FROM ledger_completions c LEFT JOIN router_decisions d ON d.id = c.decision_id
         WHERE ${wh.sql} GROUP BY grp ORDER BY grp`,
    ).all(...wh.args) as GroupSums[];
  }

  dailySumsSync(r: LedgerRange, by: SumsGroup): GroupSums[] {
    const wh = where(r, 'day');
    return this.st(
      `SELECT ${dailyGroupExpr(by)} AS grp, SUM(calls) AS calls, SUM(ok_calls) AS okCalls, SUM(prompt_tokens) AS pt, SUM(completion_tokens) AS ct,
           SUM(overhead_in) AS oi, SUM(overhead_out) AS oo, SUM(latency_ms) AS ms, SUM(avoided_in) AS ai
         FROM ledger_daily WHERE ${wh.sql} GROUP BY grp ORDER BY grp`,
    ).all(...wh.args) as GroupSums[];
  }

  tokenCountMethodsSync(r: LedgerRange): KeyCount[] {
    const wh = where(r, 'ts');
    return this.st(`SELECT token_count_method AS k, COUNT(*) AS n FROM ledger_completions WHERE ${wh.sql} GROUP BY k ORDER BY k`).all(
      ...wh.args,
    ) as KeyCount[];
  }

  dailyTokenCountMethodsSync(r: LedgerRange): KeyCount[] {
    const wh = where(r, 'day');
    return this.st(`SELECT token_count_method AS k, SUM(calls) AS n FROM ledger_daily WHERE ${wh.sql} GROUP BY k`).all(
      ...wh.args,
    ) as KeyCount[];
  }

  overheadMethodsSync(r: LedgerRange): KeyCount[] {
    const wh = where(r, 'ts');
    return this.st(
      `SELECT COALESCE(overhead_token_method, '(not named)') AS k, COUNT(*) AS n FROM ledger_completions
         WHERE ${wh.sql} AND (overhead_in > 0 OR overhead_out > 0) GROUP BY k ORDER BY k`,
    ).all(...wh.args) as KeyCount[];
  }

  dailyOverheadMethodsSync(r: LedgerRange): KeyCount[] {
    const wh = where(r, 'day');
    return this.st(
      `SELECT overhead_token_method AS k, SUM(overhead_calls) AS n FROM ledger_daily WHERE ${wh.sql} AND overhead_calls > 0 GROUP BY k`,
    ).all(...wh.args) as KeyCount[];
  }

  decisionsByRouteSync(r: LedgerRange): { route: string; n: number; forced: number; sensitive: number }[] {
    const wh = where(r, 'created_at');
    return this.st(
      `SELECT route, COUNT(*) AS n, SUM(forced) AS forced, SUM(sensitive) AS sensitive FROM router_decisions WHERE ${wh.sql} GROUP BY route ORDER BY route`,
    ).all(...wh.args) as { route: string; n: number; forced: number; sensitive: number }[];
  }

  reasonCountsSync(r: LedgerRange): KeyCount[] {
    const wh = where(r, 'd.created_at');
    return this.st(
      `SELECT j.value AS k, COUNT(*) AS n FROM router_decisions d, json_each(d.reason_codes) j WHERE ${wh.sql} GROUP BY j.value`,
    ).all(...wh.args) as KeyCount[];
  }

  dailyDecisionCountsSync(r: LedgerRange, kinds: DecisionCountKind[]): { kind: string; key: string; n: number }[] {
    const wh = where(r, 'day');
    return this.st(
      `SELECT kind, key, SUM(n) AS n FROM ledger_decisions_daily
         WHERE ${wh.sql} AND kind IN (${kinds.map(() => '?').join(', ')}) GROUP BY kind, key`,
    ).all(...wh.args, ...kinds) as { kind: string; key: string; n: number }[];
  }

  // ---------------------------------------------------------------- timeseries and histogram

  timeSpanSync(): { first: number | null; last: number | null } {
    const r = this.st(
      'SELECT MIN(a) AS a, MAX(b) AS b FROM (SELECT MIN(ts) AS a, MAX(ts) AS b FROM ledger_completions UNION ALL SELECT MIN(day), MAX(day) FROM ledger_daily)',
    ).get() as { a: number | null; b: number | null };
    return { first: r.a, last: r.b };
  }

  decisionsByBucketSync(r: LedgerRange, bucket: 'hour' | 'day'): { t: string; route: string; n: number }[] {
    const wh = where(r, 'created_at');
    return this.st(
      `SELECT ${bucketExpr(bucket, 'created_at')} AS t, route, COUNT(*) AS n FROM router_decisions WHERE ${wh.sql} GROUP BY t, route ORDER BY t, route`,
    ).all(...wh.args) as { t: string; route: string; n: number }[];
  }

  dailyDecisionsByBucketSync(r: LedgerRange, bucket: 'hour' | 'day'): { t: string; route: string; n: number }[] {
    const wh = where(r, 'day');
    return this.st(
      `SELECT ${bucketExpr(bucket, 'day')} AS t, key AS route, SUM(n) AS n FROM ledger_decisions_daily WHERE ${wh.sql} AND kind = 'route' GROUP BY t, route`,
    ).all(...wh.args) as { t: string; route: string; n: number }[];
  }

  okLatenciesSync(r: LedgerRange): { backend: string; latencyMs: number }[] {
    const wh = where(r, 'ts');
    return this.st(`SELECT backend, latency_ms AS latencyMs FROM ledger_completions WHERE ok = 1 AND ${wh.sql} ORDER BY backend`).all(
      ...wh.args,
    ) as {
      backend: string;
      latencyMs: number;
    }[];
  }

  // ---------------------------------------------------------------- stats

  backendSamplesSync(r: LedgerRange): BackendSample[] {
    const wh = where(r, 'ts');
    // raw arrays: about twice as fast as row objects at 100k rows
    const rows = this.st(`SELECT backend, model, ok, latency_ms, ttft_ms, tokens_per_second FROM ledger_completions WHERE ${wh.sql}`)
      .raw()
      .all(...wh.args) as [string, string, number, number, number | null, number][];
    return rows.map(([backend, model, ok, latencyMs, ttftMs, tokensPerSecond]) => ({
      backend,
      model,
      ok: ok === 1,
      latencyMs,
      ttftMs,
      tokensPerSecond,
    }));
  }

  dailyBackendCallsSync(r: LedgerRange): { backend: string; model: string; calls: number; okCalls: number }[] {
    const wh = where(r, 'day');
    return this.st(
      `SELECT backend, model, SUM(calls) AS calls, SUM(ok_calls) AS okCalls FROM ledger_daily WHERE ${wh.sql} GROUP BY backend, model`,
    ).all(...wh.args) as { backend: string; model: string; calls: number; okCalls: number }[];
  }

  backendCountersSync(): BackendCounter[] {
    return this.st('SELECT backend, model, calls, errors FROM ledger_backend_counters').all() as BackendCounter[];
  }

  firstCompletionIdSinceSync(ts: number): number | null {
    return (this.st('SELECT id FROM ledger_completions WHERE ts >= ? ORDER BY ts LIMIT 1').pluck().get(ts) as number | undefined) ?? null;
  }

  newestOkCompletionIdSync(backend: string, model: string): number | null {
    return (
      (this.st('SELECT max(id) FROM ledger_completions WHERE backend = ? AND model = ? AND ok = 1').pluck().get(backend, model) as
        number | null) ?? null
    );
  }

  recentOkSamplesSync(
    backend: string,
    model: string,
    fromId: number,
    n: number,
  ): { latencyMs: number[]; ttftMs: number[]; tokensPerSecond: number[] } {
    // numbers only (pluck): materialising rows is what costs here; each read is a range of the covering index
    const column = (col: 'latency_ms' | 'ttft_ms' | 'tokens_per_second') =>
      this.st(
        `SELECT ${col} FROM (SELECT ${col} FROM ledger_completions WHERE backend = @backend AND model = @model AND ok = 1 AND id >= @from
             ORDER BY id DESC LIMIT @n) WHERE ${col} IS NOT NULL AND ${col} ${col === 'tokens_per_second' ? '> 0' : '>= 0'}`,
      )
        .pluck()
        .all({ backend, model, from: fromId, n }) as number[];
    return { latencyMs: column('latency_ms'), ttftMs: column('ttft_ms'), tokensPerSecond: column('tokens_per_second') };
  }

  recentLatenciesSync(backend: string | undefined, n: number): number[] {
    return (
      backend
        ? this.st('SELECT latency_ms FROM ledger_completions WHERE ok = 1 AND backend = ? ORDER BY id DESC LIMIT ?').pluck().all(backend, n)
        : this.st('SELECT latency_ms FROM ledger_completions WHERE ok = 1 ORDER BY id DESC LIMIT ?').pluck().all(n)
    ) as number[];
  }

  recentTokensPerSecondSync(n: number): number[] {
    return this.st(
      `SELECT tokens_per_second AS v FROM (SELECT tokens_per_second FROM ledger_completions WHERE ok = 1 AND tokens_per_second > 0
         ORDER BY id DESC LIMIT ?) ORDER BY v`,
    )
      .pluck()
      .all(n) as number[];
  }

  decisionRowsSync(r: LedgerRange): DecisionStatRow[] {
    const wh = where(r, 'created_at');
    const rows = this.st(
      `SELECT route, strategy, level, sensitive, categories AS cats, reason_codes AS codes, forced, latency_ms AS l
         FROM router_decisions WHERE ${wh.sql}`,
    ).all(...wh.args) as {
      route: string;
      strategy: string;
      level: string;
      sensitive: number;
      cats: string;
      codes: string;
      forced: number;
      l: number | null;
    }[];
    return rows.map((d) => ({
      route: d.route,
      strategy: d.strategy,
      level: d.level,
      sensitive: !!d.sensitive,
      categories: JSON.parse(d.cats) as string[],
      reasonCodes: JSON.parse(d.codes) as string[],
      forced: !!d.forced,
      latencyMs: d.l,
    }));
  }
}

// The Promise methods: each wraps its `*Sync` twin (SQLite is synchronous underneath).
for (const name of Object.getOwnPropertyNames(SqliteLedgerQueries.prototype)) {
  if (!name.endsWith('Sync')) continue;
  const sync = name as keyof LedgerQueriesSync;
  Object.defineProperty(SqliteLedgerQueries.prototype, name.slice(0, -'Sync'.length), {
    configurable: true,
    writable: true,
    value: async function (this: SqliteLedgerQueries, ...args: unknown[]) {
      return (this[sync] as (...a: unknown[]) => unknown).apply(this, args);
    },
  });
}

/** The SQLite ledger repository: `new SqliteLedgerRepo(db)` on a database opened with the ledger's and the router's migrations. */
export const SqliteLedgerRepo = SqliteLedgerQueries as unknown as new (db: DB) => LedgerRepo;
export type SqliteLedgerRepo = LedgerRepo;
