import type { DecisionRecord } from './decisions-repo.js';
/**
 * The ledger repository: local completions (ledger_completions in SQLite), their per-backend counters, the day
 * rollups of completions and decisions, and the reads the ledger's stats and reports make over them and over the one
 * decision record (shared with the router, decisions-repo.ts). Plain types, no database engine's types; windows are
 * half-open ranges of epoch ms, groups are named, not written as SQL.
 *
 * Every method returns a Promise (a PostgreSQL implementation on async `pg` fits behind them); there is no
 * synchronous twin. The ledger awaits them all: recording a completion (Engine.complete awaits it: a completion is
 * recorded before local_complete returns), the day rollup (one day per transaction), the cost report, the stats and
 * every part of the HTML report. The router's policy step, which is synchronous, never reads the repository: the
 * ledger's estimate() and recentLatencyP50() answer from an in-memory snapshot the ledger keeps (ledger/stats.ts),
 * loaded through recentLatencies, recentTokensPerSecond and backendCounters.
 */

const DAY_MS = 86_400_000;

/**
 * The window rollupDay rolls up (each engine's implementation): the UTC day holding `first` (the oldest time left
 * before the cut-off), [day, end), cut at `cutoff`.
 */
export function rollupWindow(first: number, cutoff: number): { day: number; end: number } {
  const day = Math.floor(first / DAY_MS) * DAY_MS;
  return { day, end: Math.min(day + DAY_MS, cutoff) };
}

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

/** The ledger repository: every method returns a Promise (what each engine implements). */
export interface LedgerRepo {
  // ---- writes
  /** Stores a completion and bumps its backend's counters, one transaction (nested in the caller's if any). Returns its id. */
  insertCompletion(row: CompletionRow): Promise<number>;
  /** Stores a decision into the one decision record unless its id exists. Returns whether it was stored. */
  insertDecision(row: LedgerDecisionRow): Promise<boolean>;
  /**
   * Rolls up the oldest UTC day holding completions or rollable decisions before `cutoff` (a UTC midnight), in one
   * IMMEDIATE transaction that re-reads what is left: completions into daily sums, decisions into daily counts, raw rows
   * deleted. A decision is rollable when no completion references it and none of the newest `keepOutcomes` outcomes is
   * about it. Null when nothing is left before the cut-off.
   */
  rollupDay(cutoff: number, keepOutcomes: number): Promise<{ completions: number; decisions: number } | null>;

  // ---- cost report
  /** Raw completion sums in the range by group, in byte order of the group. */
  completionSums(r: LedgerRange, by: SumsGroup): Promise<GroupSums[]>;
  /** Rolled-up sums of the days starting inside the range, grouped like completionSums. */
  dailySums(r: LedgerRange, by: SumsGroup): Promise<GroupSums[]>;
  /** Raw completions by token count method, in byte order. */
  tokenCountMethods(r: LedgerRange): Promise<KeyCount[]>;
  dailyTokenCountMethods(r: LedgerRange): Promise<KeyCount[]>;
  /** Raw completions that carry overhead, by overhead token method ('(not named)' when none), in byte order. */
  overheadMethods(r: LedgerRange): Promise<KeyCount[]>;
  dailyOverheadMethods(r: LedgerRange): Promise<KeyCount[]>;
  /** Raw decisions created in the range by route (with forced and sensitive counts), in byte order of the route. */
  decisionsByRoute(r: LedgerRange): Promise<{ route: string; n: number; forced: number; sensitive: number }[]>;
  /** Raw decisions created in the range by reason code (a decision may carry several). */
  reasonCounts(r: LedgerRange): Promise<KeyCount[]>;
  /** Rolled-up decision counts of the days starting in the range, of the given kinds, by kind and key (key '' for total, forced, sensitive). */
  dailyDecisionCounts(r: LedgerRange, kinds: DecisionCountKind[]): Promise<{ kind: string; key: string; n: number }[]>;

  // ---- timeseries and histogram
  /** Earliest and latest time of any raw completion or rolled-up day (nulls when there is none). */
  timeSpan(): Promise<{ first: number | null; last: number | null }>;
  /** Raw decisions by UTC bucket (formatted as in SumsGroup 'hour' or 'day') and route, ordered by bucket then route. */
  decisionsByBucket(r: LedgerRange, bucket: 'hour' | 'day'): Promise<{ t: string; route: string; n: number }[]>;
  /** Rolled-up decisions by bucket and route. */
  dailyDecisionsByBucket(r: LedgerRange, bucket: 'hour' | 'day'): Promise<{ t: string; route: string; n: number }[]>;
  /** Latencies of the successful raw completions in the range, ordered by backend. */
  okLatencies(r: LedgerRange): Promise<{ backend: string; latencyMs: number }[]>;

  // ---- stats
  /** Every raw completion in the range (unordered). */
  backendSamples(r: LedgerRange): Promise<BackendSample[]>;
  /** Rolled-up calls and successful calls per backend and model of the days in the range. */
  dailyBackendCalls(r: LedgerRange): Promise<{ backend: string; model: string; calls: number; okCalls: number }[]>;
  /** The per-backend counters (every completion since the start, kept across rollups). */
  backendCounters(): Promise<BackendCounter[]>;
  /** Id of the first completion at or after `ts`, or null. */
  firstCompletionIdSince(ts: number): Promise<number | null>;
  /** Id of the newest successful completion of a backend and model, or null. */
  newestOkCompletionId(backend: string, model: string): Promise<number | null>;
  /**
   * Latency (>= 0), TTFT (>= 0, when known) and tokens/s (> 0) of the newest `n` successful completions of a backend
   * and model with id >= fromId (unsorted).
   */
  recentOkSamples(
    backend: string,
    model: string,
    fromId: number,
    n: number,
  ): Promise<{ latencyMs: number[]; ttftMs: number[]; tokensPerSecond: number[] }>;
  /** Latencies of the newest `n` successful completions (of one backend if given), newest first (the ledger's snapshot keeps that order). */
  recentLatencies(backend: string | undefined, n: number): Promise<number[]>;
  /** Tokens/s (> 0) of the newest `n` successful completions, ascending. */
  recentTokensPerSecond(n: number): Promise<number[]>;
  /** Raw decisions created in the range (unordered). */
  decisionRows(r: LedgerRange): Promise<DecisionStatRow[]>;
}
