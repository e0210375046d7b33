import type { DecisionRecord } from './decisions-repo.js';
/**
 * The ledger repository: local completions (ledger_completions in SQLite), their per-backend counters, the day
 * rollups of completions and decisions, and the reads the ledger's stats and reports make over them and over the one
 * decision record (shared with the router, decisions-repo.ts). Plain types, no database engine's types; windows are
 * half-open ranges of epoch ms, groups are named, not written as SQL.
 *
 * Methods that touch the database return Promises (LedgerRepo: a PostgreSQL implementation on async `pg` fits behind
 * them). Through them: report() (the cost_report tool, Engine.costReport, and the HTML report's data) and
 * liveBackendStats() (the stats resource, Engine.stats). The `*Sync` twins of LedgerRepoSync, which only an embedded,
 * synchronous engine (SQLite through better-sqlite3) offers, remain for: estimate() and recentLatencyP50(), which the
 * router's policy step reads through its synchronous `estimate`/`local` callbacks while it decides; recording a
 * completion (Engine.complete records it in its own flow); rollup(), one day per IMMEDIATE transaction; and the
 * HTML report's other parts (timeseries(), backendStats(), decisionStats(), latencyHistogram()), which can move the
 * way report() did without changing a caller (reportData() already returns a Promise). Every method of LedgerRepo
 * is the Promise form of the `*Sync` method of the same name.
 */

/** A window over ledger time: [fromMs, toMs); fromMs null = from the start. */
export interface LedgerRange {
  fromMs: number | null;
  toMs: number;
}

/**
 * What sums are grouped by: the report's groupBy values (model, route, strategy and agent fall back to the decision's
 * when the completion has none, then to '(none)'; day = UTC 'YYYY-MM-DD'; none = one group 'all'), inputMode ('value',
 * 'reference' or '(not given)'), hour (UTC 'YYYY-MM-DDTHH:00:00Z') and node (the fleet node that made the call, host and
 * process; '(this node)' for the rows of a store that records none: SQLite).
 */
export type SumsGroup = 'model' | 'route' | 'strategy' | 'agent' | 'day' | 'none' | 'inputMode' | 'hour' | 'node';

/** Sums of completions in one group. Tokens of failed calls are not in pt, ct or ai. */
export interface GroupSums {
  grp: string;
  calls: number;
  okCalls: number;
  /** Prompt and completion tokens of successful calls. */
  pt: number;
  ct: number;
  /** Overhead tokens in and out, all calls. */
  oi: number;
  oo: number;
  /** Latency, ms, all calls. */
  ms: number;
  /** Avoided host input tokens of successful calls. */
  ai: number;
}

/** One local completion as stored. No prompt or completion text. */
export interface CompletionRow {
  ts: number;
  model: string;
  backend: string;
  promptTokens: number;
  completionTokens: number;
  tokenCountMethod: string;
  latencyMs: number;
  ttftMs: number | null;
  tokensPerSecond: number;
  overheadIn: number;
  overheadOut: number;
  strategy: string | null;
  route: string | null;
  agentId: string | null;
  decisionId: string | null;
  ok: boolean;
  error: string | null;
  overheadTokenMethod: string | null;
  inputMode: 'value' | 'reference' | null;
  avoidedIn: number;
}

/** A decision written by the ledger itself (not by the router): the router's own fields get neutral values. */
export type LedgerDecisionRow = Pick<
  DecisionRecord,
  | 'id'
  | 'createdAt'
  | 'route'
  | 'strategy'
  | 'level'
  | 'score'
  | 'sensitive'
  | 'categories'
  | 'reasonCodes'
  | 'reasons'
  | 'forced'
  | 'inputTokens'
  | 'outputTokens'
  | 'agentId'
> & { latencyMs: number };

/** What the decision stats read of one raw decision. */
export interface DecisionStatRow {
  route: string;
  strategy: string;
  level: string;
  sensitive: boolean;
  categories: string[];
  reasonCodes: string[];
  forced: boolean;
  latencyMs: number | null;
}

/** Kinds of the daily decision counts: total, forced and sensitive (key ''), route, strategy, complexity, reason, category. */
export type DecisionCountKind = 'total' | 'forced' | 'sensitive' | 'route' | 'strategy' | 'complexity' | 'reason' | 'category';

/** A count keyed by name. */
export interface KeyCount {
  k: string;
  n: number;
}

export interface BackendCounter {
  backend: string;
  model: string;
  calls: number;
  errors: number;
}

/** One raw completion as the backend stats read it. */
export interface BackendSample {
  backend: string;
  model: string;
  ok: boolean;
  latencyMs: number;
  ttftMs: number | null;
  tokensPerSecond: number;
}

/** The synchronous ledger repository (see the file's comment for who needs it). */
export interface LedgerQueriesSync {
  // ---- writes
  /** Stores a completion and bumps its backend's counters, one transaction (nested in the caller's if any). Returns its id. */
  insertCompletionSync(row: CompletionRow): number;
  /** Stores a decision into the one decision record unless its id exists. Returns whether it was stored. */
  insertDecisionSync(row: LedgerDecisionRow): boolean;
  /**
   * Rolls up the oldest UTC day holding completions or rollable decisions before `cutoff` (a UTC midnight), in one
   * IMMEDIATE transaction that re-reads what is left: completions into daily sums, decisions into daily counts, raw rows
   * deleted. A decision is rollable when no completion references it and none of the newest `keepOutcomes` outcomes is
   * about it. Null when nothing is left before the cut-off.
   */
  rollupDaySync(cutoff: number, keepOutcomes: number): { completions: number; decisions: number } | null;

  // ---- cost report
  /** Raw completion sums in the range by group, in byte order of the group. */
  completionSumsSync(r: LedgerRange, by: SumsGroup): GroupSums[];
  /** Rolled-up sums of the days starting inside the range, grouped like completionSumsSync. */
  dailySumsSync(r: LedgerRange, by: SumsGroup): GroupSums[];
  /** Raw completions by token count method, in byte order. */
  tokenCountMethodsSync(r: LedgerRange): KeyCount[];
  dailyTokenCountMethodsSync(r: LedgerRange): KeyCount[];
  /** Raw completions that carry overhead, by overhead token method ('(not named)' when none), in byte order. */
  overheadMethodsSync(r: LedgerRange): KeyCount[];
  dailyOverheadMethodsSync(r: LedgerRange): KeyCount[];
  /** Raw decisions created in the range by route (with forced and sensitive counts), in byte order of the route. */
  decisionsByRouteSync(r: LedgerRange): { route: string; n: number; forced: number; sensitive: number }[];
  /** Raw decisions created in the range by reason code (a decision may carry several). */
  reasonCountsSync(r: LedgerRange): KeyCount[];
  /** Rolled-up decision counts of the days starting in the range, of the given kinds, by kind and key (key '' for total, forced, sensitive). */
  dailyDecisionCountsSync(r: LedgerRange, kinds: DecisionCountKind[]): { kind: string; key: string; n: number }[];

  // ---- timeseries and histogram
  /** Earliest and latest time of any raw completion or rolled-up day (nulls when there is none). */
  timeSpanSync(): { first: number | null; last: number | null };
  /** Raw decisions by UTC bucket (formatted as in SumsGroup 'hour' or 'day') and route, ordered by bucket then route. */
  decisionsByBucketSync(r: LedgerRange, bucket: 'hour' | 'day'): { t: string; route: string; n: number }[];
  /** Rolled-up decisions by bucket and route. */
  dailyDecisionsByBucketSync(r: LedgerRange, bucket: 'hour' | 'day'): { t: string; route: string; n: number }[];
  /** Latencies of the successful raw completions in the range, ordered by backend. */
  okLatenciesSync(r: LedgerRange): { backend: string; latencyMs: number }[];

  // ---- stats
  /** Every raw completion in the range (unordered). */
  backendSamplesSync(r: LedgerRange): BackendSample[];
  /** Rolled-up calls and successful calls per backend and model of the days in the range. */
  dailyBackendCallsSync(r: LedgerRange): { backend: string; model: string; calls: number; okCalls: number }[];
  /** The per-backend counters (every completion since the start, kept across rollups). */
  backendCountersSync(): BackendCounter[];
  /** Id of the first completion at or after `ts`, or null. */
  firstCompletionIdSinceSync(ts: number): number | null;
  /** Id of the newest successful completion of a backend and model, or null. */
  newestOkCompletionIdSync(backend: string, model: string): number | null;
  /**
   * Latency (>= 0), TTFT (>= 0, when known) and tokens/s (> 0) of the newest `n` successful completions of a backend
   * and model with id >= fromId (unsorted).
   */
  recentOkSamplesSync(
    backend: string,
    model: string,
    fromId: number,
    n: number,
  ): { latencyMs: number[]; ttftMs: number[]; tokensPerSecond: number[] };
  /** Latencies of the newest `n` successful completions (of one backend if given), unsorted. */
  recentLatenciesSync(backend: string | undefined, n: number): number[];
  /** Tokens/s (> 0) of the newest `n` successful completions, ascending. */
  recentTokensPerSecondSync(n: number): number[];
  /** Raw decisions created in the range (unordered). */
  decisionRowsSync(r: LedgerRange): DecisionStatRow[];
}

/** The Promise form of a set of `*Sync` methods: `fooSync(...) => T` becomes `foo(...) => Promise<T>`. */
export type AsyncOf<S> = {
  [K in keyof S as K extends `${infer Base}Sync` ? Base : never]: S[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<R> : never;
};

/** The ledger repository, every method returning a Promise (what a second engine implements). */
export type LedgerRepo = AsyncOf<LedgerQueriesSync>;

/** The ledger repository with its synchronous twins (SQLite). */
export interface LedgerRepoSync extends LedgerRepo, LedgerQueriesSync {}
