/**
 * The ledger's shared core: its options, windows over ledger time, and the sums the recording, stats and reports
 * layers build on (ledger.ts composes them into the Ledger). Storage is the ledger repository (store/ledger-repo.ts).
 */
import type { DecisionCountKind, GroupSums, LedgerRepo, SumsGroup } from '../store/ledger-repo.js';
import { logger } from '../log.js';
import { requirePrice } from './prices.js';
import type { CostReportRow, GroupBy, LocalCostOptions, Period, Price, PriceTable } from './types.js';

export const log = logger('ledger');

export const PERIODS: Period[] = ['hour', 'day', 'week', 'month', 'all'];
export const GROUP_BYS: GroupBy[] = ['model', 'route', 'strategy', 'agent', 'day', 'node', 'none'];
/** Rolling window lengths; 'all' has none. */
export const PERIOD_MS: Record<Exclude<Period, 'all'>, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
};
export const DEFAULT_LATENCY_EDGES_MS = [0, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

/** Default age in days past which ledger rows are rolled up by day (0 = never). */
export const DEFAULT_LEDGER_RETENTION_DAYS = 90;
/** Successful completions per backend the live stats take their percentiles from. */
export const LIVE_STATS_SAMPLE = 500;

export interface DecisionEntry {
  decisionId: string;
  route: string;
  strategy: string;
  complexityLevel: string;
  complexityScore: number;
  sensitive: boolean;
  privacyCategories: string[];
  reasons: string[];
  /** The reasons' codes (REASON_CODES); derived from the texts when not given. */
  reasonCodes?: string[];
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
  latencyMs: number;
  agentId?: string;
  forced: boolean;
}

export interface LedgerOptions {
  /** The ledger repository (a Store's `ledger`; SQLite: `new SqliteLedgerRepo(db)` on the ledger's and the router's migrations). */
  repo: LedgerRepo;
  prices: PriceTable;
  localCost?: LocalCostOptions;
  now?: () => number;
  /**
   * For estimate(): the share of the task's input tokens the host writes as tool-call arguments
   * (1 = the host pastes the whole prompt; lower when the tool reads files itself) and the share
   * of the output tokens it reads back as the tool result. Defaults 1 and 1.
   */
  estimateOverhead?: { argsFraction?: number; resultFraction?: number };
}

/** One delegated task as the host sees it, in tokens (estimated the way the tools count them). */
export interface DelegationTask {
  /** 'value': the host reads the material and writes it into the call; 'reference': it writes paths, the server reads the files. */
  mode: 'value' | 'reference';
  /** The material (file text) the task is about. */
  materialTokens: number;
  /** The tool call's arguments as the host writes them (with the material by value; paths and the instruction by reference). */
  argsTokens: number;
  /** The tool result the host reads back. */
  resultTokens: number;
  /** The answer's own tokens: what the host would write doing the task itself, and what the local model generates. */
  answerTokens: number;
}

export interface DelegationEstimate {
  mode: 'value' | 'reference';
  /** Host tokens and cost doing the task itself: it reads the material and writes the answer. */
  self: { inputTokens: number; outputTokens: number; usd: number };
  /** Host tokens and cost delegating it (by value it still reads the material, to write it into the call). */
  delegated: { inputTokens: number; outputTokens: number; usd: number };
  /** Material the host did not read (by reference). */
  avoidedHostInputTokens: number;
  computeUsd: number;
  /** self - delegated - local compute: what delegating this task saves (negative: it costs more). */
  netUsd: number;
  hostModel: string;
}

export interface Estimate {
  localUsd: number;
  cloudUsd: number;
  cloudModel: string;
  /** Parts of localUsd: what the host still pays to delegate, and local compute. */
  overheadUsd: number;
  computeUsd: number;
}

/** A window over ledger time: [fromMs, toMs). */
export interface Window {
  period: Period | 'range';
  fromMs: number | null;
  toMs: number;
  /** What the report shows as its end: the range's exclusive end, or the moment of the report for a period. */
  shownTo: number;
}

export type Sums = Omit<GroupSums, 'grp'>;

export const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseIso(s: string, which: 'from' | 'to'): number {
  const v = typeof s === 'string' ? s.trim() : '';
  const ms = ISO_RE.test(v) ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v) : NaN;
  if (Number.isNaN(ms)) {
    throw new Error(
      `invalid "${which}" date ${JSON.stringify(s)}; use an ISO 8601 date like 2026-11-21 or a date-time like 2026-11-21T14:00:00Z`,
    );
  }
  return ms;
}

/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(sortedAsc: number[], p: number): number | null {
  if (sortedAsc.length === 0) return null;
  const rank = Math.ceil((p / 100) * sortedAsc.length);
  return sortedAsc[Math.min(sortedAsc.length - 1, Math.max(0, rank - 1))];
}

export const round = (x: number): number => Math.round(x * 1e10) / 1e10;
export const DAY_MS = 86_400_000;

/** SQLite's BINARY collation (UTF-8 bytes), so merged groups sort as ORDER BY did. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Adds counts keyed by name into `into`, and returns it with its keys in byte order. */
export function mergeCounts(into: Record<string, number>, more: { k: string; n: number }[]): Record<string, number> {
  for (const r of more) into[r.k] = (into[r.k] ?? 0) + r.n;
  return Object.fromEntries(Object.entries(into).sort(([a], [b]) => byteOrder(a, b)));
}

export interface RollupResult {
  /** UTC days rolled up by this call. */
  days: number;
  /** Completion and decision rows replaced by daily rows. */
  completions: number;
  decisions: number;
  /** Whether rows older than the cut-off may remain (maxDays reached). */
  more: boolean;
}

export function nonNegNumber(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new Error(`${name} must be a finite number >= 0, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function nonEmpty(v: unknown, name: string): string {
  if (typeof v !== 'string' || !v.trim()) throw new Error(`${name} must be a non-empty string, got ${JSON.stringify(v)}`);
  return v.trim();
}

export function optString(v: unknown, name: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Error(`${name} must be a string when given, got ${JSON.stringify(v)}`);
  return v.trim() === '' ? null : v.trim();
}

/** Options, windows and sums shared by the ledger's layers. */
export class LedgerCore {
  protected readonly repo: LedgerRepo;
  protected readonly prices: PriceTable;
  protected readonly now: () => number;
  protected readonly local: { usdPerHour: number; watts: number; usdPerKwh: number; effectiveUsdPerHour: number };
  protected readonly argsFraction: number;
  protected readonly resultFraction: number;
  constructor(opts: LedgerOptions) {
    if (!opts || !opts.repo) throw new Error('Ledger needs { repo, prices }: its repository (a Store has it: store/store.ts)');
    this.repo = opts.repo;
    this.prices = opts.prices;
    requirePrice(this.prices, this.prices.hostModel);
    this.now = opts.now ?? Date.now;
    const lc = opts.localCost ?? {};
    const usdPerHour = lc.usdPerHour === undefined ? 0 : nonNegNumber(lc.usdPerHour, 'localCost.usdPerHour');
    const watts = lc.watts === undefined ? 0 : nonNegNumber(lc.watts, 'localCost.watts');
    const usdPerKwh = lc.usdPerKwh === undefined ? 0 : nonNegNumber(lc.usdPerKwh, 'localCost.usdPerKwh');
    if ((lc.watts !== undefined) !== (lc.usdPerKwh !== undefined)) {
      throw new Error('localCost.watts and localCost.usdPerKwh go together: give both (e.g. watts: 65, usdPerKwh: 0.30) or neither');
    }
    this.local = { usdPerHour, watts, usdPerKwh, effectiveUsdPerHour: usdPerHour + (watts / 1000) * usdPerKwh };
    const ef = opts.estimateOverhead ?? {};
    this.argsFraction = ef.argsFraction === undefined ? 1 : nonNegNumber(ef.argsFraction, 'estimateOverhead.argsFraction');
    this.resultFraction = ef.resultFraction === undefined ? 1 : nonNegNumber(ef.resultFraction, 'estimateOverhead.resultFraction');
  }
  get priceTable(): PriceTable {
    return this.prices;
  }

  // ---------------------------------------------------------------- windows

  protected window(q: { period?: Period; from?: string; to?: string }): Window {
    const hasRange = q.from !== undefined || q.to !== undefined;
    if (q.period !== undefined && hasRange) {
      throw new Error('give either "period" or a "from"/"to" range, not both');
    }
    const now = Math.round(this.now());
    if (hasRange) {
      const fromMs = q.from !== undefined ? parseIso(q.from, 'from') : null;
      const toMs = q.to !== undefined ? parseIso(q.to, 'to') : now + 1;
      if (fromMs !== null && fromMs > toMs) {
        throw new Error(`"from" (${q.from}) is after "to" (${q.to ?? 'now'}); swap them or widen the range`);
      }
      return { period: 'range', fromMs, toMs, shownTo: q.to !== undefined ? toMs : now };
    }
    const period = q.period ?? 'all';
    if (!PERIODS.includes(period)) {
      throw new Error(`unknown period ${JSON.stringify(period)}; use one of ${PERIODS.join(', ')} or a from/to range`);
    }
    if (period === 'all') return { period, fromMs: null, toMs: now + 1, shownTo: now };
    return { period, fromMs: now - PERIOD_MS[period], toMs: now + 1, shownTo: now };
  }

  protected hostPrice(hostModel?: string): Price {
    return requirePrice(this.prices, hostModel ?? this.prices.hostModel);
  }

  protected row(group: string, s: Sums, p: Price): CostReportRow {
    const grossUsd = (s.pt * p.input + s.ct * p.output) / 1e6;
    const overheadUsd = (s.oi * p.input + s.oo * p.output) / 1e6;
    const localCostUsd = (s.ms / 3_600_000) * this.local.effectiveUsdPerHour;
    return {
      group,
      calls: s.calls,
      okCalls: s.okCalls,
      errors: s.calls - s.okCalls,
      promptTokens: s.pt,
      completionTokens: s.ct,
      overheadTokensIn: s.oi,
      overheadTokensOut: s.oo,
      localMs: round(s.ms),
      grossUsd: round(grossUsd),
      overheadUsd: round(overheadUsd),
      localCostUsd: round(localCostUsd),
      netUsd: round(grossUsd - overheadUsd - localCostUsd),
      avoidedHostInputTokens: s.ai,
      avoidedHostInputUsd: round((s.ai * p.input) / 1e6),
    };
  }

  /** Raw completion sums in the window by group, in byte order of the group. */
  protected sums(w: Window, by: SumsGroup): Promise<GroupSums[]> {
    return this.repo.completionSums(w, by);
  }

  /** Sums of the rolled-up days whose start is inside the window, grouped like sums(). */
  protected dailySums(w: Window, by: SumsGroup): Promise<GroupSums[]> {
    return this.repo.dailySums(w, by);
  }

  /** Raw and rolled-up groups added together, in byte order of the group (as ORDER BY grp). */
  protected mergeSums(raw: GroupSums[], daily: GroupSums[]): GroupSums[] {
    if (daily.length === 0) return raw;
    const by = new Map<string, GroupSums>();
    for (const g of [...raw, ...daily]) {
      const key = String(g.grp);
      const a = by.get(key);
      if (!a) by.set(key, { ...g, grp: key });
      else for (const k of ['calls', 'okCalls', 'pt', 'ct', 'oi', 'oo', 'ms', 'ai'] as const) a[k] += g[k];
    }
    return [...by.values()].sort((a, b) => byteOrder(a.grp, b.grp));
  }

  /** Raw decisions in the window by reason code (a decision may carry several). */
  protected async reasonCounts(w: Window): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const r of await this.repo.reasonCounts(w)) out[r.k] = r.n;
    return out;
  }

  /** Counts of rolled-up decisions in the window, by kind then key. */
  protected async dailyDecisionCounts(w: Window, kinds: DecisionCountKind[]): Promise<Record<string, Record<string, number>>> {
    return byKind(await this.repo.dailyDecisionCounts(w, kinds), kinds);
  }
}

/** Rolled-up decision counts (rows of dailyDecisionCounts) by kind then key, every kind present. */
export function byKind(
  rows: { kind: string; key: string; n: number }[],
  kinds: DecisionCountKind[],
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = Object.fromEntries(kinds.map((k) => [k, {}]));
  for (const r of rows) (out[r.kind] ??= {})[r.key] = r.n;
  return out;
}
