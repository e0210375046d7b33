/**
 * PostgreSQL implementation of the ledger repository (store/ledger-repo.ts) on the tables of postgres/migrations.ts:
 * completions (ledger_completions, append-only, names by id, this node on every row), the day rollups (ledger_daily,
 * ledger_decisions_daily), and the reads of the one decision record (router_decisions) and its outcomes.
 *
 * Every write is one statement or one transaction that has committed when its Promise resolves (or joins the caller's
 * transaction, db.ts run()). No row is updated per request: a completion appends its backend's counter delta in its
 * own INSERT, folded into the totals (ledger_backend_counters) every FOLD_EVERY deltas by the node that appended them. Groups and keys are ordered in byte order (COLLATE "C"),
 * as SQLite's are, whatever the database's collation.
 */
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
import { query, run, withTransaction, type PgPool } from './db.js';
import { decisionValues, DeltaFolder, insertDecisionSql, PgWriter, type PgWriterOptions } from './decisions-repo.js';

/** The advisory lock that makes the nodes' rollups take turns (two at once would sum the same rows twice). */
const ROLLUP_LOCK = 0x72756c64; // 'ruld'

/** Sums of completions (alias c), the columns of GroupSums. Tokens of failed calls are not in pt, ct or ai. */
const SUMS = `count(*) AS calls, count(*) FILTER (WHERE c.ok) AS "okCalls",
    coalesce(sum(c.prompt_tokens) FILTER (WHERE c.ok), 0)::bigint AS pt,
    coalesce(sum(c.completion_tokens) FILTER (WHERE c.ok), 0)::bigint AS ct,
    coalesce(sum(c.overhead_in), 0)::bigint AS oi, coalesce(sum(c.overhead_out), 0)::bigint AS oo,
    coalesce(sum(c.latency_ms), 0)::float8 AS ms,
    coalesce(sum(c.avoided_in) FILTER (WHERE c.ok), 0)::bigint AS ai`;
const DAILY_SUMS = `sum(calls)::bigint AS calls, sum(ok_calls)::bigint AS "okCalls", sum(prompt_tokens)::bigint AS pt,
    sum(completion_tokens)::bigint AS ct, sum(overhead_in)::bigint AS oi, sum(overhead_out)::bigint AS oo, sum(latency_ms)::float8 AS ms,
    sum(avoided_in)::bigint AS ai`;

/** A UTC bucket of an epoch-ms column, formatted as SumsGroup 'hour' or 'day' ('YYYY-MM-DDTHH:00:00Z', 'YYYY-MM-DD'). */
const bucketExpr = (bucket: 'hour' | 'day', col: string) =>
  `to_char(to_timestamp(${col} / 1000.0) AT TIME ZONE 'UTC', '${bucket === 'hour' ? 'YYYY-MM-DD"T"HH24:00:00"Z"' : 'YYYY-MM-DD'}') COLLATE "C"`;

const BY_NAME = 'COLLATE "C"';

/**
 * The group of a raw completion (`from` 'raw', alias c; its decision d, model name m, node name n when `joins` adds
 * them), or the same group of a rolled-up day (`from` 'daily', ledger_daily alias c: route, strategy, agent and input
 * mode are stored resolved there).
 */
function groupOf(g: SumsGroup, from: 'raw' | 'daily'): { expr: string; joins: string } {
  const raw = from === 'raw';
  const time = raw ? 'c.ts' : 'c.day';
  /** A raw completion without its own falls back to its decision's, then to '(none)'. */
  const ofDecision = (col: string) =>
    raw
      ? { expr: `coalesce(c.${col}, d.${col}, '(none)')`, joins: 'LEFT JOIN router_decisions d ON d.id = c.decision_id' }
      : { expr: `c.${col}`, joins: '' };
  switch (g) {
    case 'model':
      return { expr: 'm.name', joins: 'JOIN store_names m ON m.id = c.model_id' };
    case 'node':
      return { expr: 'n.name', joins: 'JOIN store_names n ON n.id = c.node_id' };
    case 'route':
      return ofDecision('route');
    case 'strategy':
      return ofDecision('strategy');
    case 'agent':
      return ofDecision('agent_id');
    case 'day':
    case 'hour':
      return { expr: bucketExpr(g, time), joins: '' };
    case 'none':
      return { expr: "'all'", joins: '' };
    case 'inputMode':
      return { expr: raw ? "coalesce(c.input_mode, '(not given)')" : 'c.input_mode', joins: '' };
  }
  throw new Error(`unknown group ${JSON.stringify(g)}`);
}

/** A range on `col` as SQL with parameters numbered from `first`. */
function where(r: LedgerRange, col: string, first = 1): { sql: string; args: number[] } {
  if (r.fromMs === null) return { sql: `${col} < $${first}`, args: [r.toMs] };
  return { sql: `${col} >= $${first} AND ${col} < $${first + 1}`, args: [r.fromMs, r.toMs] };
}

/** A decision (alias d) that can be rolled up (see rollupDay); $k: the outcome mark above which outcomes are kept. */
const rollable = (k: string) => `NOT EXISTS (SELECT 1 FROM ledger_completions c WHERE c.decision_id = d.id)
    AND NOT EXISTS (SELECT 1 FROM router_outcomes o WHERE o.decision_id = d.id AND o.mark > ${k})`;

/** Folds the per-backend deltas into their totals, one statement (see foldCounterDeltas). Returns how many. */
export async function foldBackendDeltas(pool: PgPool): Promise<number> {
  const r = await query<{ n: number }>(
    pool,
    `WITH gone AS (DELETE FROM ledger_backend_deltas RETURNING backend_id, model_id, errors),
          sums AS (SELECT backend_id, model_id, count(*) AS calls, sum(errors)::bigint AS errors FROM gone GROUP BY 1, 2),
          up AS (INSERT INTO ledger_backend_counters (backend_id, model_id, calls, errors) SELECT * FROM sums
                 ON CONFLICT (backend_id, model_id) DO UPDATE
                 SET calls = ledger_backend_counters.calls + excluded.calls, errors = ledger_backend_counters.errors + excluded.errors)
     SELECT coalesce(sum(calls), 0)::bigint AS n FROM sums`,
  );
  return r.rows[0]?.n ?? 0;
}

export type PgLedgerOptions = PgWriterOptions;

export class PgLedgerRepo extends PgWriter implements LedgerRepo {
  readonly folder: DeltaFolder;

  constructor(pool: PgPool, o: PgLedgerOptions = {}) {
    super(pool, o);
    this.folder = new DeltaFolder(pool, o.foldEvery, foldBackendDeltas);
  }

  private async rows<R extends object>(sql: string, args: unknown[] = []): Promise<R[]> {
    return (await run<R & Record<string, unknown>>(this.pool, sql, args)).rows;
  }

  // ---------------------------------------------------------------- writes

  /**
   * The completion and its backend's counter delta, one statement (committed when it resolves, or part of the caller's
   * transaction). Returns its id.
   */
  async insertCompletion(r: CompletionRow): Promise<number> {
    const [node, model, backend] = [await this.names.id(this.node), await this.names.id(r.model), await this.names.id(r.backend)];
    const res = await run<{ id: number }>(
      this.pool,
      `WITH c AS (
         INSERT INTO ledger_completions (ts, node_id, model_id, backend_id, ok, prompt_tokens, completion_tokens, token_count_method, latency_ms,
           ttft_ms, tokens_per_second, overhead_in, overhead_out, overhead_token_method, input_mode, avoided_in, strategy, route, agent_id,
           decision_id, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
         RETURNING id, backend_id, model_id, ok),
       d AS (INSERT INTO ledger_backend_deltas (backend_id, model_id, errors) SELECT backend_id, model_id, CASE WHEN ok THEN 0 ELSE 1 END FROM c)
       SELECT id FROM c`,
      [
        r.ts,
        node,
        model,
        backend,
        r.ok,
        r.promptTokens,
        r.completionTokens,
        r.tokenCountMethod,
        r.latencyMs,
        r.ttftMs,
        r.tokensPerSecond,
        r.overheadIn,
        r.overheadOut,
        r.overheadTokenMethod,
        r.inputMode,
        r.avoidedIn,
        r.strategy,
        r.route,
        r.agentId,
        r.decisionId,
        r.error,
      ],
    );
    this.folder.appendedDeltas(1);
    this.changes.wrote();
    return res.rows[0].id;
  }

  async insertDecision(d: LedgerDecisionRow): Promise<boolean> {
    const node = await this.names.id(this.node);
    // the router's own fields get neutral values
    const row = {
      ...d,
      taskType: '(not recorded)',
      localModel: null,
      localUsd: 0,
      cloudUsd: 0,
      savingUsd: 0,
      confidence: 0,
      features: null,
    };
    const res = await run(this.pool, `${insertDecisionSql(1)} ON CONFLICT (id) DO NOTHING`, decisionValues(row, node, null));
    this.changes.wrote();
    return (res.rowCount ?? 0) > 0;
  }

  /**
   * One day per call, in one transaction holding the rollup lock (nodes take turns; each re-reads what is left):
   * the day's completions are deleted and their sums written from exactly the rows deleted (DELETE … RETURNING), then
   * the day's rollable decisions likewise (their old outcomes go with them, ON DELETE CASCADE).
   */
  async rollupDay(cutoff: number, keepOutcomes: number): Promise<{ completions: number; decisions: number } | null> {
    const rolled = await this.rollupDayTx(cutoff, keepOutcomes);
    if (rolled) this.changes.wrote();
    return rolled;
  }

  private rollupDayTx(cutoff: number, keepOutcomes: number): Promise<{ completions: number; decisions: number } | null> {
    return withTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [ROLLUP_LOCK]);
      const keepAfter =
        (
          await c.query<{ mark: number | null }>('SELECT mark FROM router_outcomes ORDER BY mark DESC OFFSET $1 LIMIT 1', [
            Math.max(0, Math.floor(keepOutcomes)),
          ])
        ).rows[0]?.mark ?? 0;
      const first = (
        await c.query<{ c: number | null; d: number | null }>(
          `SELECT (SELECT min(ts) FROM ledger_completions WHERE ts < $1) AS c,
             (SELECT created_at FROM router_decisions d WHERE created_at < $1 AND ${rollable('$2')} ORDER BY created_at LIMIT 1) AS d`,
          [cutoff, keepAfter],
        )
      ).rows[0];
      if (first.c === null && first.d === null) return null;
      const { day, end } = rollupWindow(Math.min(first.c ?? Infinity, first.d ?? Infinity), cutoff);
      const completions = (
        await c.query<{ n: number }>(
          `WITH gone AS (DELETE FROM ledger_completions WHERE ts >= $1 AND ts < $2 RETURNING *),
                ins AS (INSERT INTO ledger_daily (day, node_id, model_id, backend_id, route, strategy, agent_id, token_count_method,
                          overhead_token_method, input_mode, calls, ok_calls, prompt_tokens, completion_tokens, overhead_in, overhead_out,
                          latency_ms, avoided_in, overhead_calls)
                        SELECT $1, c.node_id, c.model_id, c.backend_id, coalesce(c.route, d.route, '(none)'), coalesce(c.strategy, d.strategy, '(none)'),
                          coalesce(c.agent_id, d.agent_id, '(none)'), c.token_count_method, coalesce(c.overhead_token_method, '(not named)'),
                          coalesce(c.input_mode, '(not given)'), ${SUMS},
                          count(*) FILTER (WHERE c.overhead_in > 0 OR c.overhead_out > 0)
                        FROM gone c LEFT JOIN router_decisions d ON d.id = c.decision_id
                        GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10)
           SELECT count(*) AS n FROM gone`,
          [day, end],
        )
      ).rows[0].n;
      const decisions = (
        await c.query<{ n: number }>(
          `WITH sel AS (DELETE FROM router_decisions AS d WHERE created_at >= $1 AND created_at < $2 AND ${rollable('$3')} RETURNING *),
                ins AS (INSERT INTO ledger_decisions_daily (day, kind, key, n)
                        SELECT $1, kind, key, n FROM (
                          SELECT 'total' AS kind, '' AS key, count(*) AS n FROM sel
                          UNION ALL SELECT 'forced', '', count(*) FILTER (WHERE forced) FROM sel
                          UNION ALL SELECT 'sensitive', '', count(*) FILTER (WHERE sensitive) FROM sel
                          UNION ALL SELECT 'route', route, count(*) FROM sel GROUP BY route
                          UNION ALL SELECT 'strategy', strategy, count(*) FROM sel GROUP BY strategy
                          UNION ALL SELECT 'complexity', level, count(*) FROM sel GROUP BY level
                          UNION ALL SELECT 'reason', k, count(*) FROM sel, unnest(sel.reason_codes) k GROUP BY k
                          UNION ALL SELECT 'category', cat, count(*) FROM (SELECT DISTINCT sel.id, cat FROM sel, unnest(sel.categories) cat) x GROUP BY cat
                        ) counts WHERE n > 0)
           SELECT count(*) AS n FROM sel`,
          [day, end, keepAfter],
        )
      ).rows[0].n;
      return { completions, decisions };
    });
  }

  // ---------------------------------------------------------------- cost report

  /** Sums of raw completions, or of rolled-up days, in the range by group (groupOf). */
  private sums(r: LedgerRange, by: SumsGroup, from: 'raw' | 'daily'): Promise<GroupSums[]> {
    const g = groupOf(by, from);
    const [sums, table, time] = from === 'raw' ? [SUMS, 'ledger_completions', 'c.ts'] : [DAILY_SUMS, 'ledger_daily', 'c.day'];
    const wh = where(r, time);
    return this.rows<GroupSums>(
      `SELECT (${g.expr}) ${BY_NAME} AS grp, ${sums} FROM ${table} c ${g.joins} WHERE ${wh.sql} GROUP BY 1 ORDER BY 1`,
      wh.args,
    );
  }

  completionSums(r: LedgerRange, by: SumsGroup): Promise<GroupSums[]> {
    return this.sums(r, by, 'raw');
  }

  dailySums(r: LedgerRange, by: SumsGroup): Promise<GroupSums[]> {
    return this.sums(r, by, 'daily');
  }

  async tokenCountMethods(r: LedgerRange): Promise<KeyCount[]> {
    const wh = where(r, 'ts');
    return this.rows<KeyCount>(
      `SELECT token_count_method ${BY_NAME} AS k, count(*) AS n FROM ledger_completions WHERE ${wh.sql} GROUP BY 1 ORDER BY 1`,
      wh.args,
    );
  }

  async dailyTokenCountMethods(r: LedgerRange): Promise<KeyCount[]> {
    const wh = where(r, 'day');
    return this.rows<KeyCount>(
      `SELECT token_count_method ${BY_NAME} AS k, sum(calls)::bigint AS n FROM ledger_daily WHERE ${wh.sql} GROUP BY 1 ORDER BY 1`,
      wh.args,
    );
  }

  async overheadMethods(r: LedgerRange): Promise<KeyCount[]> {
    const wh = where(r, 'ts');
    return this.rows<KeyCount>(
      `SELECT coalesce(overhead_token_method, '(not named)') ${BY_NAME} AS k, count(*) AS n FROM ledger_completions
         WHERE ${wh.sql} AND (overhead_in > 0 OR overhead_out > 0) GROUP BY 1 ORDER BY 1`,
      wh.args,
    );
  }

  async dailyOverheadMethods(r: LedgerRange): Promise<KeyCount[]> {
    const wh = where(r, 'day');
    return this.rows<KeyCount>(
      `SELECT overhead_token_method ${BY_NAME} AS k, sum(overhead_calls)::bigint AS n FROM ledger_daily
         WHERE ${wh.sql} AND overhead_calls > 0 GROUP BY 1 ORDER BY 1`,
      wh.args,
    );
  }

  async decisionsByRoute(r: LedgerRange): Promise<{ route: string; n: number; forced: number; sensitive: number }[]> {
    const wh = where(r, 'created_at');
    return this.rows(
      `SELECT route, count(*) AS n, count(*) FILTER (WHERE forced) AS forced, count(*) FILTER (WHERE sensitive) AS sensitive
         FROM router_decisions WHERE ${wh.sql} GROUP BY route ORDER BY route COLLATE "C"`,
      wh.args,
    );
  }

  async reasonCounts(r: LedgerRange): Promise<KeyCount[]> {
    const wh = where(r, 'd.created_at');
    return this.rows<KeyCount>(
      `SELECT k, count(*) AS n FROM router_decisions d, unnest(d.reason_codes) k WHERE ${wh.sql} GROUP BY k ORDER BY k COLLATE "C"`,
      wh.args,
    );
  }

  async dailyDecisionCounts(r: LedgerRange, kinds: DecisionCountKind[]): Promise<{ kind: string; key: string; n: number }[]> {
    const wh = where(r, 'day');
    return this.rows(
      `SELECT kind, key, sum(n)::bigint AS n FROM ledger_decisions_daily
         WHERE ${wh.sql} AND kind = ANY($${wh.args.length + 1}::text[]) GROUP BY kind, key`,
      [...wh.args, kinds],
    );
  }

  // ---------------------------------------------------------------- timeseries and histogram

  async timeSpan(): Promise<{ first: number | null; last: number | null }> {
    const [r] = await this.rows<{ a: number | null; b: number | null }>(
      `SELECT min(a) AS a, max(b) AS b FROM (SELECT min(ts) AS a, max(ts) AS b FROM ledger_completions
         UNION ALL SELECT min(day), max(day) FROM ledger_daily) x`,
    );
    return { first: r.a, last: r.b };
  }

  async decisionsByBucket(r: LedgerRange, bucket: 'hour' | 'day'): Promise<{ t: string; route: string; n: number }[]> {
    const wh = where(r, 'created_at');
    return this.rows(
      `SELECT ${bucketExpr(bucket, 'created_at')} AS t, route ${BY_NAME} AS route, count(*) AS n FROM router_decisions WHERE ${wh.sql}
         GROUP BY 1, 2 ORDER BY 1, 2`,
      wh.args,
    );
  }

  async dailyDecisionsByBucket(r: LedgerRange, bucket: 'hour' | 'day'): Promise<{ t: string; route: string; n: number }[]> {
    const wh = where(r, 'day');
    return this.rows(
      `SELECT ${bucketExpr(bucket, 'day')} AS t, key ${BY_NAME} AS route, sum(n)::bigint AS n FROM ledger_decisions_daily
         WHERE ${wh.sql} AND kind = 'route' GROUP BY 1, 2 ORDER BY 1, 2`,
      wh.args,
    );
  }

  async okLatencies(r: LedgerRange): Promise<{ backend: string; latencyMs: number }[]> {
    const wh = where(r, 'c.ts');
    return this.rows(
      `SELECT b.name ${BY_NAME} AS backend, c.latency_ms AS "latencyMs" FROM ledger_completions c JOIN store_names b ON b.id = c.backend_id
         WHERE c.ok AND ${wh.sql} ORDER BY 1`,
      wh.args,
    );
  }

  // ---------------------------------------------------------------- stats

  async backendSamples(r: LedgerRange): Promise<BackendSample[]> {
    const wh = where(r, 'c.ts');
    return this.rows<BackendSample>(
      `SELECT b.name AS backend, m.name AS model, c.ok, c.latency_ms AS "latencyMs", c.ttft_ms AS "ttftMs", c.tokens_per_second AS "tokensPerSecond"
         FROM ledger_completions c JOIN store_names b ON b.id = c.backend_id JOIN store_names m ON m.id = c.model_id WHERE ${wh.sql}`,
      wh.args,
    );
  }

  async dailyBackendCalls(r: LedgerRange): Promise<{ backend: string; model: string; calls: number; okCalls: number }[]> {
    const wh = where(r, 'c.day');
    return this.rows(
      `SELECT b.name AS backend, m.name AS model, sum(c.calls)::bigint AS calls, sum(c.ok_calls)::bigint AS "okCalls"
         FROM ledger_daily c JOIN store_names b ON b.id = c.backend_id JOIN store_names m ON m.id = c.model_id
         WHERE ${wh.sql} GROUP BY 1, 2`,
      wh.args,
    );
  }

  /** Every completion since the start (kept across rollups): the folded totals plus the deltas not folded yet. */
  async backendCounters(): Promise<BackendCounter[]> {
    return this.rows<BackendCounter>(
      `SELECT b.name AS backend, m.name AS model, sum(x.calls)::bigint AS calls, sum(x.errors)::bigint AS errors FROM (
         SELECT backend_id, model_id, calls, errors FROM ledger_backend_counters
         UNION ALL
         SELECT backend_id, model_id, 1, errors FROM ledger_backend_deltas) x
       JOIN store_names b ON b.id = x.backend_id JOIN store_names m ON m.id = x.model_id GROUP BY 1, 2`,
    );
  }

  /** Folds the backend deltas into their totals now (tests, benches); returns how many were folded. */
  fold(): Promise<number> {
    return foldBackendDeltas(this.pool);
  }

  async firstCompletionIdSince(ts: number): Promise<number | null> {
    const [r] = await this.rows<{ id: number }>('SELECT id FROM ledger_completions WHERE ts >= $1 ORDER BY ts, id LIMIT 1', [ts]);
    return r?.id ?? null;
  }

  async newestOkCompletionId(backend: string, model: string): Promise<number | null> {
    const [b, m] = [await this.names.find(backend), await this.names.find(model)];
    if (b === null || m === null) return null;
    const [r] = await this.rows<{ id: number | null }>(
      'SELECT max(id) AS id FROM ledger_completions WHERE ok AND backend_id = $1 AND model_id = $2',
      [b, m],
    );
    return r?.id ?? null;
  }

  async recentOkSamples(
    backend: string,
    model: string,
    fromId: number,
    n: number,
  ): Promise<{ latencyMs: number[]; ttftMs: number[]; tokensPerSecond: number[] }> {
    // names resolved first (an unknown one answers at once, instead of a scan that finds nothing); then one range of
    // the covering index, newest first, the three columns filtered here
    const [b, m] = [await this.names.find(backend), await this.names.find(model)];
    if (b === null || m === null) return { latencyMs: [], ttftMs: [], tokensPerSecond: [] };
    const rows = await this.rows<{ l: number; t: number | null; s: number }>(
      `SELECT latency_ms AS l, ttft_ms AS t, tokens_per_second AS s FROM ledger_completions
         WHERE ok AND backend_id = $1 AND model_id = $2 AND id >= $3 ORDER BY id DESC LIMIT $4`,
      [b, m, fromId, n],
    );
    return {
      latencyMs: rows.filter((x) => x.l !== null && x.l >= 0).map((x) => x.l),
      ttftMs: rows.filter((x) => x.t !== null && x.t >= 0).map((x) => x.t as number),
      tokensPerSecond: rows.filter((x) => x.s !== null && x.s > 0).map((x) => x.s),
    };
  }

  /** Newest first. */
  async recentLatencies(backend: string | undefined, n: number): Promise<number[]> {
    if (backend === undefined)
      return (await this.rows<{ l: number }>('SELECT latency_ms AS l FROM ledger_completions WHERE ok ORDER BY id DESC LIMIT $1', [n])).map(
        (r) => r.l,
      );
    const b = await this.names.find(backend);
    if (b === null) return [];
    const rows = await this.rows<{ l: number }>(
      'SELECT latency_ms AS l FROM ledger_completions WHERE ok AND backend_id = $1 ORDER BY id DESC LIMIT $2',
      [b, n],
    );
    return rows.map((r) => r.l);
  }

  async recentTokensPerSecond(n: number): Promise<number[]> {
    const rows = await this.rows<{ v: number }>(
      `SELECT v FROM (SELECT tokens_per_second AS v FROM ledger_completions WHERE ok AND tokens_per_second > 0 ORDER BY id DESC LIMIT $1) x
         ORDER BY v`,
      [n],
    );
    return rows.map((r) => r.v);
  }

  async decisionRows(r: LedgerRange): Promise<DecisionStatRow[]> {
    const wh = where(r, 'created_at');
    return this.rows<DecisionStatRow>(
      `SELECT route, strategy, level, sensitive, categories, reason_codes AS "reasonCodes", forced, latency_ms AS "latencyMs"
         FROM router_decisions WHERE ${wh.sql}`,
      wh.args,
    );
  }
}
