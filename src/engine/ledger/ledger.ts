import { stringify } from 'csv-stringify/sync';
import type { Statement } from 'better-sqlite3';
import { writeTx, type DB } from '../store/db.js';
import { reasonCodeOf, isReasonCode } from '../router/reasons.js';
import { REPLAY_OUTCOMES } from '../router/learner.js';
import { logger } from '../log.js';
import { requirePrice } from './prices.js';
import { ESTIMATE_METHOD } from '../tokens.js';
import type {
  BackendStat,
  CompletionEntry,
  CostReport,
  CostReportRow,
  DecisionStats,
  GroupBy,
  HtmlReportData,
  LatencyHistogram,
  LocalCostOptions,
  Period,
  Price,
  PriceTable,
  ReportQuery,
  Timeseries,
  TimeseriesPoint,
} from './types.js';

const log = logger('ledger');

export const PERIODS: Period[] = ['hour', 'day', 'week', 'month', 'all'];
export const GROUP_BYS: GroupBy[] = ['model', 'route', 'strategy', 'agent', 'day', 'none'];
/** Rolling window lengths; 'all' has none. */
export const PERIOD_MS: Record<Exclude<Period, 'all'>, number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
};
export const DEFAULT_LATENCY_EDGES_MS = [0, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

export { migrations } from '../store/sqlite/migrations-ledger.js';

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
  db: DB;
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
interface Window {
  period: Period | 'range';
  fromMs: number | null;
  toMs: number;
  /** What the report shows as its end: the range's exclusive end, or the moment of the report for a period. */
  shownTo: number;
}

interface Sums {
  calls: number;
  okCalls: number;
  pt: number;
  ct: number;
  oi: number;
  oo: number;
  ms: number;
  ai: number;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function parseIso(s: string, which: 'from' | 'to'): number {
  const v = typeof s === 'string' ? s.trim() : '';
  const ms = ISO_RE.test(v) ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v) : NaN;
  if (Number.isNaN(ms)) {
    throw new Error(`invalid "${which}" date ${JSON.stringify(s)}; use an ISO 8601 date like 2026-11-21 or a date-time like 2026-11-21T14:00:00Z`);
  }
  return ms;
}

/** Nearest-rank percentile of an ascending array; null when empty. */
export function percentile(sortedAsc: number[], p: number): number | null {
  if (sortedAsc.length === 0) return null;
  const rank = Math.ceil((p / 100) * sortedAsc.length);
  return sortedAsc[Math.min(sortedAsc.length - 1, Math.max(0, rank - 1))];
}

const round = (x: number): number => Math.round(x * 1e10) / 1e10;
const DAY_MS = 86_400_000;

/** SQLite's BINARY collation (UTF-8 bytes), so merged groups sort as ORDER BY did. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Adds counts keyed by name into `into`, and returns it with its keys in byte order. */
function mergeCounts(into: Record<string, number>, more: { k: string; n: number }[]): Record<string, number> {
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

function nonNegNumber(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new Error(`${name} must be a finite number >= 0, got ${JSON.stringify(v)}`);
  }
  return v;
}

function nonEmpty(v: unknown, name: string): string {
  if (typeof v !== 'string' || !v.trim()) throw new Error(`${name} must be a non-empty string, got ${JSON.stringify(v)}`);
  return v.trim();
}

function optString(v: unknown, name: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new Error(`${name} must be a string when given, got ${JSON.stringify(v)}`);
  return v.trim() === '' ? null : v.trim();
}

/**
 * The cost ledger: every local completion and routing decision in SQLite, priced at report time
 * against the host's cloud model. No prompt or completion text is stored.
 */
export class Ledger {
  readonly db: DB;
  private readonly prices: PriceTable;
  private readonly now: () => number;
  private readonly local: { usdPerHour: number; watts: number; usdPerKwh: number; effectiveUsdPerHour: number };
  private readonly argsFraction: number;
  private readonly resultFraction: number;
  private readonly listeners = new Set<() => void>();
  private tpsCache: { at: number; value: number | null } | null = null;
  private changes = 0;
  private readonly insCompletion: ReturnType<DB['prepare']>;
  private readonly insDecision: ReturnType<DB['prepare']>;
  private readonly bumpBackend: ReturnType<DB['prepare']>;
  private readonly recordCompletionTx: (row: Record<string, unknown>) => number;
  private liveSt: { pairs: Statement; firstSince: Statement; newest: Statement; column: Statement[] } | null = null;
  private readonly liveCache = new Map<string, Omit<BackendStat, 'backend' | 'model' | 'calls' | 'errors'> & { stamp: string }>();

  constructor(opts: LedgerOptions) {
    if (!opts || !opts.db) throw new Error('Ledger needs { db, prices }: open the database with the ledger migrations first');
    this.db = opts.db;
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
    // The row and its backend's counters commit together (a savepoint inside a caller's transaction).
    this.recordCompletionTx = writeTx(this.db, (row: Record<string, unknown>) => {
      const id = Number(this.insCompletion.run(row).lastInsertRowid);
      this.bumpBackend.run([row.backend, row.model, row.ok ? 0 : 1]);
      return id;
    });
    try {
      this.insCompletion = this.db.prepare(
        `INSERT INTO ledger_completions (ts, model, backend, prompt_tokens, completion_tokens, token_count_method, latency_ms, ttft_ms,
          tokens_per_second, overhead_in, overhead_out, strategy, route, agent_id, decision_id, ok, error, overhead_token_method, input_mode, avoided_in)
         VALUES (@ts, @model, @backend, @pt, @ct, @method, @latency, @ttft, @tps, @oi, @oo, @strategy, @route, @agent, @decision, @ok, @error, @ometh, @mode, @ai)`,
      );
      // the one decision record (router_decisions, router migrations); the router's own columns get neutral values
      this.insDecision = this.db.prepare(
        `INSERT INTO router_decisions (id, created_at, route, strategy, level, score, task_type, sensitive, categories, reason_codes, reasons, forced,
          local_model, input_tokens, output_tokens, local_usd, cloud_usd, saving_usd, confidence, agent_id, features, latency_ms)
         VALUES (@id, @ts, @route, @strategy, @level, @score, '(not recorded)', @sensitive, @cats, @codes, @reasons, @forced,
          NULL, @ein, @eout, 0, 0, 0, 0, @agent, NULL, @latency)
         ON CONFLICT(id) DO NOTHING`,
      );
      this.bumpBackend = this.db.prepare(
        `INSERT INTO ledger_backend_counters (backend, model, calls, errors) VALUES (?, ?, 1, ?)
         ON CONFLICT(backend, model) DO UPDATE SET calls = calls + 1, errors = errors + excluded.errors`,
      );
    } catch (e) {
      throw new Error(`the ledger tables are missing (${(e as Error).message}); open the database with the ledger's and the router's migrations (decisions live in router_decisions)`);
    }
  }

  /** Subscribe to "something was recorded" (not rate-limited: the caller throttles). Returns unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Count of records written through this instance (a cheap change marker). */
  get changeCount(): number {
    return this.changes;
  }

  private changed(): void {
    this.changes++;
    for (const l of this.listeners) {
      try {
        l();
      } catch (e) {
        log.warn('ledger change listener failed', { error: (e as Error).message });
      }
    }
  }

  get priceTable(): PriceTable {
    return this.prices;
  }

  /** Records one local completion (successful or not). Returns its row id. */
  recordCompletion(e: CompletionEntry): number {
    const tok = (v: unknown, name: string) => Math.round(nonNegNumber(v, `CompletionEntry.${name}`));
    const row = {
      ts: Math.round(this.now()),
      model: nonEmpty(e.model, 'CompletionEntry.model'),
      backend: nonEmpty(e.backend, 'CompletionEntry.backend'),
      pt: tok(e.promptTokens, 'promptTokens'),
      ct: tok(e.completionTokens, 'completionTokens'),
      method: nonEmpty(e.tokenCountMethod, 'CompletionEntry.tokenCountMethod'),
      latency: nonNegNumber(e.latencyMs, 'CompletionEntry.latencyMs'),
      ttft: e.ttftMs === null || e.ttftMs === undefined ? null : nonNegNumber(e.ttftMs, 'CompletionEntry.ttftMs'),
      tps: nonNegNumber(e.tokensPerSecond, 'CompletionEntry.tokensPerSecond'),
      oi: tok(e.overheadTokensIn, 'overheadTokensIn'),
      oo: tok(e.overheadTokensOut, 'overheadTokensOut'),
      strategy: optString(e.strategy, 'CompletionEntry.strategy'),
      route: optString(e.route, 'CompletionEntry.route'),
      agent: optString(e.agentId, 'CompletionEntry.agentId'),
      decision: optString(e.decisionId, 'CompletionEntry.decisionId'),
      ok: e.ok ? 1 : 0,
      error: e.error ? String(e.error).slice(0, 500) : null,
      ometh: optString(e.overheadTokenMethod, 'CompletionEntry.overheadTokenMethod'),
      mode: null as string | null,
      ai: 0,
    };
    if (e.inputMode !== undefined && e.inputMode !== null) {
      if (e.inputMode !== 'value' && e.inputMode !== 'reference')
        throw new Error(`CompletionEntry.inputMode must be "value" or "reference" when given, got ${JSON.stringify(e.inputMode)}`);
      row.mode = e.inputMode;
    }
    if (e.avoidedHostInputTokens !== undefined && e.avoidedHostInputTokens !== null) {
      row.ai = tok(e.avoidedHostInputTokens, 'avoidedHostInputTokens');
      if (row.ai > 0 && row.mode !== 'reference')
        throw new Error('CompletionEntry.avoidedHostInputTokens applies to inputMode "reference" only (material the server read from files)');
    }
    const id = this.recordCompletionTx(row);
    this.changed();
    return id;
  }

  /**
   * Records one routing decision; a second record with the same decisionId is ignored. The engine does not call this:
   * the router writes the decision record itself (router_decisions, shared with the ledger). For a ledger fed by
   * something other than the router (tests, benches, imports); the router's stats counters do not count it.
   */
  recordDecision(d: DecisionEntry): void {
    const texts = Array.isArray(d.reasons) ? d.reasons.map(String) : [];
    const codes = Array.isArray(d.reasonCodes) ? d.reasonCodes.map(String) : texts.map(reasonCodeOf);
    for (const c of codes) if (!isReasonCode(c)) throw new Error(`decision.reasonCodes: unknown reason code ${JSON.stringify(c)}`);
    const info = this.insDecision.run({
      id: nonEmpty(d.decisionId, 'decision.decisionId'),
      ts: Math.round(this.now()),
      route: nonEmpty(d.route, 'decision.route'),
      strategy: nonEmpty(d.strategy, 'decision.strategy'),
      level: nonEmpty(d.complexityLevel, 'decision.complexityLevel'),
      score: typeof d.complexityScore === 'number' && Number.isFinite(d.complexityScore) ? d.complexityScore : 0,
      sensitive: d.sensitive ? 1 : 0,
      cats: JSON.stringify(Array.isArray(d.privacyCategories) ? d.privacyCategories.map(String) : []),
      reasons: JSON.stringify(texts),
      codes: JSON.stringify(codes),
      ein: Math.round(nonNegNumber(d.estimatedInputTokens, 'decision.estimatedInputTokens')),
      eout: Math.round(nonNegNumber(d.estimatedOutputTokens, 'decision.estimatedOutputTokens')),
      latency: nonNegNumber(d.latencyMs, 'decision.latencyMs'),
      agent: optString(d.agentId, 'decision.agentId'),
      forced: d.forced ? 1 : 0,
    });
    if (info.changes === 0) log.debug('decision already recorded; ignored', { decisionId: d.decisionId });
    else this.changed();
  }

  // ---------------------------------------------------------------- estimates

  /** Median local generation speed over the last 1,000 successful completions (cached for a minute). */
  private localTokensPerSecond(): number | null {
    const t = this.now();
    if (this.tpsCache && t - this.tpsCache.at < 60_000) return this.tpsCache.value;
    const rows = this.db
      .prepare(
        `SELECT tokens_per_second AS v FROM (SELECT tokens_per_second FROM ledger_completions WHERE ok = 1 AND tokens_per_second > 0
         ORDER BY id DESC LIMIT 1000) ORDER BY v`,
      )
      .all() as { v: number }[];
    const value = percentile(
      rows.map((r) => r.v),
      50,
    );
    this.tpsCache = { at: t, value };
    return value;
  }

  /**
   * What a task of `inputTokens` in and `outputTokens` out costs on the host's cloud model
   * (cloudUsd) versus delegated (localUsd = what the host still pays for the tool call's
   * arguments, written as output tokens, and its result, read as input tokens, plus local compute
   * at the measured median tokens/s). Matches the router's CostEstimator.
   */
  estimate(inputTokens: number, outputTokens: number): Estimate {
    const inT = nonNegNumber(inputTokens, 'inputTokens');
    const outT = nonNegNumber(outputTokens, 'outputTokens');
    const p = requirePrice(this.prices, this.prices.hostModel);
    const cloudUsd = (inT * p.input + outT * p.output) / 1e6;
    const overheadUsd = (outT * this.resultFraction * p.input + inT * this.argsFraction * p.output) / 1e6;
    let computeUsd = 0;
    if (this.local.effectiveUsdPerHour > 0) {
      const tps = this.localTokensPerSecond();
      if (tps && tps > 0) computeUsd = (outT / tps / 3600) * this.local.effectiveUsdPerHour;
    }
    return {
      localUsd: round(overheadUsd + computeUsd),
      cloudUsd: round(cloudUsd),
      cloudModel: p.model,
      overheadUsd: round(overheadUsd),
      computeUsd: round(computeUsd),
    };
  }

  /**
   * The host's tokens and net dollars of one task done by the host itself versus delegated by value or by reference,
   * priced on the host model (the worked example of the README, as a function; bench/ledger.mjs runs realistic tasks
   * through it). Local compute as in estimate().
   */
  estimateDelegation(t: DelegationTask): DelegationEstimate {
    if (t?.mode !== 'value' && t?.mode !== 'reference') throw new Error(`mode must be "value" or "reference", got ${JSON.stringify(t?.mode)}`);
    const m = nonNegNumber(t.materialTokens, 'materialTokens');
    const args = nonNegNumber(t.argsTokens, 'argsTokens');
    const res = nonNegNumber(t.resultTokens, 'resultTokens');
    const ans = nonNegNumber(t.answerTokens, 'answerTokens');
    const p = requirePrice(this.prices, this.prices.hostModel);
    const usd = (i: number, o: number) => round((i * p.input + o * p.output) / 1e6);
    const self = { inputTokens: m, outputTokens: ans, usd: usd(m, ans) };
    const inTok = (t.mode === 'value' ? m : 0) + res;
    const delegated = { inputTokens: inTok, outputTokens: args, usd: usd(inTok, args) };
    const computeUsd = this.estimate(0, ans).computeUsd;
    return {
      mode: t.mode,
      self,
      delegated,
      avoidedHostInputTokens: t.mode === 'reference' ? m : 0,
      computeUsd,
      netUsd: round(self.usd - delegated.usd - computeUsd),
      hostModel: p.model,
    };
  }

  // ---------------------------------------------------------------- windows

  private window(q: { period?: Period; from?: string; to?: string }): Window {
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

  private where(w: Window, col = 'ts'): { sql: string; args: number[] } {
    if (w.fromMs === null) return { sql: `${col} < ?`, args: [w.toMs] };
    return { sql: `${col} >= ? AND ${col} < ?`, args: [w.fromMs, w.toMs] };
  }

  private hostPrice(hostModel?: string): Price {
    return requirePrice(this.prices, hostModel ?? this.prices.hostModel);
  }

  private row(group: string, s: Sums, p: Price): CostReportRow {
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

  private static readonly SUMS = `COUNT(*) AS calls, COALESCE(SUM(c.ok), 0) AS okCalls,
    COALESCE(SUM(CASE WHEN c.ok = 1 THEN c.prompt_tokens ELSE 0 END), 0) AS pt,
    COALESCE(SUM(CASE WHEN c.ok = 1 THEN c.completion_tokens ELSE 0 END), 0) AS ct,
    COALESCE(SUM(c.overhead_in), 0) AS oi, COALESCE(SUM(c.overhead_out), 0) AS oo, COALESCE(SUM(c.latency_ms), 0) AS ms,
    COALESCE(SUM(CASE WHEN c.ok = 1 THEN c.avoided_in ELSE 0 END), 0) AS ai`;

  private static readonly INPUT_MODE = "COALESCE(c.input_mode, '(not given)')";

  private static groupExpr(g: GroupBy): string {
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
        return "strftime('%Y-%m-%d', c.ts / 1000, 'unixepoch')";
      case 'none':
        return "'all'";
    }
  }

  private methodSentence(p: Price, methods: Record<string, number>, overheadMethods: Record<string, number>): string {
    const list = (x: Record<string, number>) =>
      Object.entries(x)
        .map(([k, n]) => `${k} (${n})`)
        .join(', ');
    const m = list(methods);
    const om = list(overheadMethods);
    const local =
      this.local.effectiveUsdPerHour > 0
        ? `local compute at $${this.local.effectiveUsdPerHour}/hour of generation latency` +
          (this.local.watts > 0 ? ` (${this.local.usdPerHour} USD/h + ${this.local.watts} W x ${this.local.usdPerKwh} USD/kWh)` : '')
        : 'local compute counted as $0 (no localCost configured)';
    return (
      `Net savings = gross - delegation overhead - local cost, priced on ${p.model} (the host model the offloaded work replaced, ` +
      `$${p.input} input / $${p.output} output per million tokens, price table as of ${this.prices.asOf}). ` +
      `Gross = prompt + completion tokens of successful local completions priced as if ${p.model} had read and written them (failed calls save nothing). ` +
      `Overhead = tokens that still pass through ${p.model} for every call, failed or not: the tool result it reads (input price) and the tool-call arguments it writes (output price). ` +
      `Local cost: ${local}. ` +
      `Cloud-equivalent tokens are the local counts as recorded, by method: ${m || 'none recorded'}; ` +
      `overhead tokens counted by: ${om || 'none recorded'}; ` +
      `a Claude tokenizer may count the same text differently, so treat them as an estimate. ` +
      `Prices use standard uncached rates; prompt caching on the host would make gross (and overhead) smaller. ` +
      `Calls by reference (the server read the files) are shown apart from calls by value (the host wrote the material into the call) under byInputMode; ` +
      `the material a by-reference call spared the host from reading (avoidedHostInputTokens, ${ESTIMATE_METHOD} of the file text) is part of gross, not added to it, ` +
      `and a by-value call's overhead does not include the host's own reading of the material before it wrote it, so by-value net is an upper bound.`
    );
  }

  private sums(w: Window, extraGroup?: string): (Sums & { grp: string })[] {
    const wh = this.where(w, 'c.ts');
    const g = extraGroup ?? "'all'";
    return this.db
      .prepare(
        `SELECT ${g} AS grp, ${Ledger.SUMS}
         FROM ledger_completions c LEFT JOIN router_decisions d ON d.id = c.decision_id
         WHERE ${wh.sql} GROUP BY grp ORDER BY grp`,
      )
      .all(...wh.args) as (Sums & { grp: string })[];
  }

  /** Sums of the rolled-up days whose start is inside the window, grouped like sums(). */
  private dailySums(w: Window, group: string): (Sums & { grp: string })[] {
    const wh = this.where(w, 'day');
    return this.db
      .prepare(
        `SELECT ${group} AS grp, SUM(calls) AS calls, SUM(ok_calls) AS okCalls, SUM(prompt_tokens) AS pt, SUM(completion_tokens) AS ct,
           SUM(overhead_in) AS oi, SUM(overhead_out) AS oo, SUM(latency_ms) AS ms, SUM(avoided_in) AS ai
         FROM ledger_daily WHERE ${wh.sql} GROUP BY grp ORDER BY grp`,
      )
      .all(...wh.args) as (Sums & { grp: string })[];
  }

  /** Raw and rolled-up groups added together, in byte order of the group (as ORDER BY grp). */
  private mergeSums(raw: (Sums & { grp: string })[], daily: (Sums & { grp: string })[]): (Sums & { grp: string })[] {
    if (daily.length === 0) return raw;
    const by = new Map<string, Sums & { grp: string }>();
    for (const g of [...raw, ...daily]) {
      const key = String(g.grp);
      const a = by.get(key);
      if (!a) by.set(key, { ...g, grp: key });
      else for (const k of ['calls', 'okCalls', 'pt', 'ct', 'oi', 'oo', 'ms', 'ai'] as const) a[k] += g[k];
    }
    return [...by.values()].sort((a, b) => byteOrder(a.grp, b.grp));
  }

  /** Raw decisions in the window by reason code (a decision may carry several). */
  private reasonCounts(dc: { sql: string; args: number[] }): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db
      .prepare(`SELECT j.value AS k, COUNT(*) AS n FROM router_decisions d, json_each(d.reason_codes) j WHERE ${dc.sql.replaceAll('created_at', 'd.created_at')} GROUP BY j.value`)
      .all(...dc.args) as { k: string; n: number }[])
      out[r.k] = r.n;
    return out;
  }

  /** Counts of rolled-up decisions in the window, by kind then key. */
  private dailyDecisionCounts(w: Window, kinds: string[]): Record<string, Record<string, number>> {
    const wh = this.where(w, 'day');
    const out: Record<string, Record<string, number>> = Object.fromEntries(kinds.map((k) => [k, {}]));
    const rows = this.db
      .prepare(
        `SELECT kind, key, SUM(n) AS n FROM ledger_decisions_daily
         WHERE ${wh.sql} AND kind IN (${kinds.map(() => '?').join(', ')}) GROUP BY kind, key`,
      )
      .all(...wh.args, ...kinds) as { kind: string; key: string; n: number }[];
    for (const r of rows) (out[r.kind] ??= {})[r.key] = r.n;
    return out;
  }

  private static dailyGroupExpr(g: GroupBy): string {
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
        return "strftime('%Y-%m-%d', day / 1000, 'unixepoch')";
      case 'none':
        return "'all'";
    }
  }

  /**
   * Rolls completions and decisions older than `olderThanDays` (counted back from now to a UTC midnight) up into one
   * row per UTC day and per what the reports group or count by, and deletes the raw rows, one day per transaction.
   * Cost reports, timeseries, decision counts and per-backend call counts keep their totals; latency percentiles,
   * histograms and decision latency cover the raw rows only. A decision still referenced by a newer completion stays
   * raw until that completion is rolled up. Safe with several processes: each day is rolled inside an IMMEDIATE
   * transaction that re-reads what is left.
   */
  rollup(opts: { olderThanDays: number; maxDays?: number }): RollupResult {
    const days = opts?.olderThanDays;
    if (!Number.isInteger(days) || days < 1) throw new Error(`olderThanDays must be a whole number of days >= 1, got ${JSON.stringify(days)}`);
    const maxDays = opts.maxDays ?? Infinity;
    const cutoff = Math.floor((this.now() - days * DAY_MS) / DAY_MS) * DAY_MS;
    const out: RollupResult = { days: 0, completions: 0, decisions: 0, more: false };
    while (out.days < maxDays) {
      const r = this.rollupDayTx.immediate(cutoff);
      if (!r) return out;
      out.days++;
      out.completions += r.completions;
      out.decisions += r.decisions;
    }
    out.more = true;
    return out;
  }

  /**
   * A decision (alias d) that can be rolled up: no completion still references it, and none of the router's newest
   * REPLAY_OUTCOMES outcomes is about it (its features are the learner's evidence at the next start). @keepAfter:
   * the outcome rowid below which outcomes are old enough to go.
   */
  private static readonly ROLLABLE = `NOT EXISTS (SELECT 1 FROM ledger_completions c WHERE c.decision_id = d.id)
    AND NOT EXISTS (SELECT 1 FROM router_outcomes o WHERE o.decision_id = d.id AND o.rowid > @keepAfter)`;

  private rollupDayCache: ReturnType<Ledger['buildRollupDay']> | null = null;
  private get rollupDayTx(): ReturnType<Ledger['buildRollupDay']> {
    return (this.rollupDayCache ??= this.buildRollupDay());
  }

  private buildRollupDay() {
    const st = () => ({
      firstCompletion: this.db.prepare('SELECT ts FROM ledger_completions WHERE ts < ? ORDER BY ts LIMIT 1').pluck(),
      firstDecision: this.db
        .prepare(`SELECT created_at FROM router_decisions d WHERE created_at < @cutoff AND ${Ledger.ROLLABLE} ORDER BY created_at LIMIT 1`)
        .pluck(),
      keepAfter: this.db.prepare('SELECT coalesce(max(rowid), 0) FROM router_outcomes').pluck(),
      rollCompletions: this.db.prepare(
        `INSERT INTO ledger_daily (day, model, backend, route, strategy, agent_id, token_count_method, overhead_token_method,
           input_mode, calls, ok_calls, prompt_tokens, completion_tokens, overhead_in, overhead_out, latency_ms, avoided_in, overhead_calls)
         SELECT @day, c.model, c.backend, ${Ledger.groupExpr('route')}, ${Ledger.groupExpr('strategy')}, ${Ledger.groupExpr('agent')},
           c.token_count_method, COALESCE(c.overhead_token_method, '(not named)'), ${Ledger.INPUT_MODE}, ${Ledger.SUMS},
           COALESCE(SUM(CASE WHEN c.overhead_in > 0 OR c.overhead_out > 0 THEN 1 ELSE 0 END), 0)
         FROM ledger_completions c LEFT JOIN router_decisions d ON d.id = c.decision_id
         WHERE c.ts >= @day AND c.ts < @end
         GROUP BY 2, 3, 4, 5, 6, 7, 8, 9`,
      ),
      deleteCompletions: this.db.prepare('DELETE FROM ledger_completions WHERE ts >= @day AND ts < @end'),
      rollDecisions: this.db.prepare(
        `WITH sel AS (SELECT * FROM router_decisions d WHERE created_at >= @day AND created_at < @end AND ${Ledger.ROLLABLE})
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
      deleteDecisions: this.db.prepare(
        `DELETE FROM router_decisions WHERE id IN (SELECT id FROM router_decisions d WHERE created_at >= @day AND created_at < @end AND ${Ledger.ROLLABLE})`,
      ),
    });
    let s: ReturnType<typeof st> | null = null;
    return this.db.transaction((cutoff: number): { completions: number; decisions: number } | null => {
      s ??= st();
      const keepAfter = (s.keepAfter.get() as number) - REPLAY_OUTCOMES;
      const c = s.firstCompletion.get(cutoff) as number | undefined;
      const d = s.firstDecision.get({ cutoff, keepAfter }) as number | undefined;
      if (c === undefined && d === undefined) return null;
      const first = Math.min(c ?? Infinity, d ?? Infinity);
      const day = Math.floor(first / DAY_MS) * DAY_MS;
      const args = { day, end: Math.min(day + DAY_MS, cutoff) };
      s.rollCompletions.run(args);
      const completions = s.deleteCompletions.run(args).changes;
      s.rollDecisions.run({ ...args, keepAfter });
      const decisions = s.deleteDecisions.run({ ...args, keepAfter }).changes;
      return { completions, decisions };
    });
  }

  /** The cost report for a period or range, grouped, priced on the host model. */
  report(q: ReportQuery = {}): CostReport {
    const w = this.window(q);
    const groupBy = q.groupBy ?? 'none';
    if (!GROUP_BYS.includes(groupBy)) {
      throw new Error(`unknown groupBy ${JSON.stringify(groupBy)}; use one of ${GROUP_BYS.join(', ')}`);
    }
    const p = this.hostPrice(q.hostModel);
    const groups = this.mergeSums(this.sums(w, Ledger.groupExpr(groupBy)), this.dailySums(w, Ledger.dailyGroupExpr(groupBy)));
    // sums are linear: the totals are the sum of the groups (one query fewer)
    const totalSums: Sums = { calls: 0, okCalls: 0, pt: 0, ct: 0, oi: 0, oo: 0, ms: 0, ai: 0 };
    for (const g of groups) for (const k of Object.keys(totalSums) as (keyof Sums)[]) totalSums[k] += g[k];
    const wh = this.where(w);
    const dc = this.where(w, 'created_at');
    const methods: Record<string, number> = {};
    for (const r of this.db
      .prepare(`SELECT token_count_method AS m, COUNT(*) AS n FROM ledger_completions WHERE ${wh.sql} GROUP BY m ORDER BY m`)
      .all(...wh.args) as { m: string; n: number }[]) {
      methods[r.m] = r.n;
    }
    const dw = this.where(w, 'day');
    const methodsAll = mergeCounts(
      methods,
      this.db.prepare(`SELECT token_count_method AS k, SUM(calls) AS n FROM ledger_daily WHERE ${dw.sql} GROUP BY k`).all(...dw.args) as { k: string; n: number }[],
    );
    const overheadMethods: Record<string, number> = {};
    for (const r of this.db
      .prepare(
        `SELECT COALESCE(overhead_token_method, '(not named)') AS m, COUNT(*) AS n FROM ledger_completions
         WHERE ${wh.sql} AND (overhead_in > 0 OR overhead_out > 0) GROUP BY m ORDER BY m`,
      )
      .all(...wh.args) as { m: string; n: number }[]) {
      overheadMethods[r.m] = r.n;
    }
    const overheadMethodsAll = mergeCounts(
      overheadMethods,
      this.db
        .prepare(`SELECT overhead_token_method AS k, SUM(overhead_calls) AS n FROM ledger_daily WHERE ${dw.sql} AND overhead_calls > 0 GROUP BY k`)
        .all(...dw.args) as { k: string; n: number }[],
    );
    const dRows = this.db
      .prepare(`SELECT route, COUNT(*) AS n, SUM(forced) AS forced, SUM(sensitive) AS sensitive FROM router_decisions WHERE ${dc.sql} GROUP BY route ORDER BY route`)
      .all(...dc.args) as { route: string; n: number; forced: number; sensitive: number }[];
    const decisions = { total: 0, byRoute: {} as Record<string, number>, forced: 0, sensitive: 0, byReason: {} as Record<string, number> };
    for (const r of dRows) {
      decisions.total += r.n;
      decisions.byRoute[r.route] = r.n;
      decisions.forced += r.forced;
      decisions.sensitive += r.sensitive;
    }
    const rolled = this.dailyDecisionCounts(w, ['total', 'forced', 'sensitive', 'route', 'reason']);
    decisions.byReason = mergeCounts(
      this.reasonCounts(dc),
      Object.entries(rolled.reason).map(([k, n]) => ({ k, n })),
    );
    decisions.total += rolled.total[''] ?? 0;
    decisions.forced += rolled.forced[''] ?? 0;
    decisions.sensitive += rolled.sensitive[''] ?? 0;
    decisions.byRoute = mergeCounts(decisions.byRoute, Object.entries(rolled.route).map(([k, n]) => ({ k, n })));
    const totals = this.row('total', totalSums, p);
    const byInputMode: Record<string, CostReportRow> = {};
    for (const g of this.mergeSums(this.sums(w, Ledger.INPUT_MODE), this.dailySums(w, 'input_mode'))) byInputMode[g.grp] = this.row(g.grp, g, p);
    return {
      currency: 'USD',
      period: w.period,
      from: w.fromMs === null ? null : new Date(w.fromMs).toISOString(),
      to: new Date(w.shownTo).toISOString(),
      groupBy,
      hostModel: p.model,
      hostPrice: p,
      pricesAsOf: this.prices.asOf,
      pricesSource: this.prices.source ?? null,
      method: this.methodSentence(p, methodsAll, overheadMethodsAll),
      tokenCountMethods: methodsAll,
      overheadTokenMethods: overheadMethodsAll,
      localCost: { ...this.local },
      totals,
      rows: groups.map((g) => this.row(String(g.grp), g, p)),
      decisions,
      byInputMode,
    };
  }

  /** CSV of a report: one line per group (plus a total line when grouped), each line self-describing. */
  toCsv(report: CostReport): string {
    const header = [
      'from',
      'to',
      'host_model',
      'group_by',
      'group',
      'calls',
      'ok_calls',
      'errors',
      'prompt_tokens',
      'completion_tokens',
      'overhead_tokens_in',
      'overhead_tokens_out',
      'local_ms',
      'gross_usd',
      'overhead_usd',
      'local_cost_usd',
      'net_usd',
      'avoided_host_input_tokens',
    ];
    const line = (r: CostReportRow) => [
      report.from ?? '',
      report.to,
      report.hostModel,
      report.groupBy,
      r.group,
      r.calls,
      r.okCalls,
      r.errors,
      r.promptTokens,
      r.completionTokens,
      r.overheadTokensIn,
      r.overheadTokensOut,
      r.localMs,
      r.grossUsd,
      r.overheadUsd,
      r.localCostUsd,
      r.netUsd,
      r.avoidedHostInputTokens,
    ];
    const rows = report.rows.map(line);
    if (report.groupBy !== 'none') rows.push(line(report.totals));
    // OWASP CSV injection: a text cell starting with = + - @ tab or CR gets a leading quote (numbers stay numbers)
    return stringify([header, ...rows], { escape_formulas: true });
  }

  // ---------------------------------------------------------------- stats

  /** Per backend and model: calls, errors, latency percentiles (successful calls, nearest rank), median TTFT and tokens/s. */
  backendStats(q: { period?: Period; from?: string; to?: string } = {}): BackendStat[] {
    const w = this.window(q);
    const wh = this.where(w);
    // raw arrays, unsorted, grouped in JS: about twice as fast as sorted row objects at 100k rows
    const rows = this.db
      .prepare(`SELECT backend, model, ok, latency_ms, ttft_ms, tokens_per_second FROM ledger_completions WHERE ${wh.sql}`)
      .raw()
      .all(...wh.args) as [string, string, number, number, number | null, number][];
    const groups = new Map<string, { backend: string; model: string; calls: number; errors: number; lat: number[]; ttft: number[]; tps: number[] }>();
    for (const [backend, model, ok, l, t, tps] of rows) {
      const key = `${backend}\u0000${model}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { backend, model, calls: 0, errors: 0, lat: [], ttft: [], tps: [] }));
      g.calls++;
      if (!ok) {
        g.errors++;
        continue;
      }
      g.lat.push(l);
      if (t !== null) g.ttft.push(t);
      if (tps > 0) g.tps.push(tps);
    }
    // rolled-up days keep the calls and errors (percentiles cover the raw rows only)
    const dw = this.where(w, 'day');
    for (const [backend, model, calls, okCalls] of this.db
      .prepare(`SELECT backend, model, SUM(calls), SUM(ok_calls) FROM ledger_daily WHERE ${dw.sql} GROUP BY backend, model`)
      .raw()
      .all(...dw.args) as [string, string, number, number][]) {
      const key = `${backend}\u0000${model}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { backend, model, calls: 0, errors: 0, lat: [], ttft: [], tps: [] }));
      g.calls += calls;
      g.errors += calls - okCalls;
    }
    const sorted = (v: number[]) => Array.from(Float64Array.from(v).sort());
    const out: BackendStat[] = [];
    for (const g of [...groups.values()].sort((a, b) => (a.backend === b.backend ? (a.model < b.model ? -1 : 1) : a.backend < b.backend ? -1 : 1))) {
      const lat = sorted(g.lat);
      out.push({
        backend: g.backend,
        model: g.model,
        calls: g.calls,
        errors: g.errors,
        latencyP50: percentile(lat, 50),
        latencyP95: percentile(lat, 95),
        latencyP99: percentile(lat, 99),
        ttftP50: percentile(sorted(g.ttft), 50),
        tokensPerSecondP50: percentile(sorted(g.tps), 50),
      });
    }
    return out;
  }

  /**
   * Per backend and model, bounded whatever the history (for the stats resource): calls and errors since the start
   * from counters kept in the database (every process's completions, kept across rollups), and percentiles over the
   * newest `sample` successful completions of each backend that are at most `withinMs` old (read by index).
   */
  liveBackendStats(sample = LIVE_STATS_SAMPLE, withinMs = PERIOD_MS.week): BackendStat[] {
    const n = Math.max(1, Math.min(100_000, Math.floor(sample)));
    const st = (this.liveSt ??= {
      pairs: this.db.prepare('SELECT backend, model, calls, errors FROM ledger_backend_counters'),
      firstSince: this.db.prepare('SELECT id FROM ledger_completions WHERE ts >= ? ORDER BY ts LIMIT 1').pluck(),
      newest: this.db.prepare('SELECT max(id) FROM ledger_completions WHERE backend = ? AND model = ? AND ok = 1').pluck(),
      // numbers only (pluck): materialising rows is what costs here; each read is a range of the covering index
      column: (['latency_ms', 'ttft_ms', 'tokens_per_second'] as const).map((col) =>
        this.db
          .prepare(
            `SELECT ${col} FROM (SELECT ${col} FROM ledger_completions WHERE backend = @backend AND model = @model AND ok = 1 AND id >= @from
             ORDER BY id DESC LIMIT @n) WHERE ${col} IS NOT NULL AND ${col} ${col === 'tokens_per_second' ? '> 0' : '>= 0'}`,
          )
          .pluck(),
      ),
    });
    const from = (st.firstSince.get(this.now() - withinMs) as number | undefined) ?? Number.MAX_SAFE_INTEGER;
    const sorted = (v: number[]) => Array.from(Float64Array.from(v).sort());
    const pairs = st.pairs.all() as { backend: string; model: string; calls: number; errors: number }[];
    return pairs
      .sort((a, b) => byteOrder(a.backend, b.backend) || byteOrder(a.model, b.model))
      .map((p) => {
        // recomputed only when this backend and model have a newer successful call (from any process) or the window moved
        const key = `${p.backend}\u0000${p.model}`;
        const stamp = `${st.newest.get(p.backend, p.model) ?? 0}:${from}:${n}`;
        let q = this.liveCache.get(key);
        if (!q || q.stamp !== stamp) {
          const args = { backend: p.backend, model: p.model, from, n };
          const [lat, ttft, tps] = st.column.map((c) => sorted(c.all(args) as number[]));
          q = {
            stamp,
            latencyP50: percentile(lat, 50),
            latencyP95: percentile(lat, 95),
            latencyP99: percentile(lat, 99),
            ttftP50: percentile(ttft, 50),
            tokensPerSecondP50: percentile(tps, 50),
          };
          this.liveCache.set(key, q);
        }
        const { stamp: _, ...pct } = q;
        return { backend: p.backend, model: p.model, calls: p.calls, errors: p.errors, ...pct };
      });
  }

  /**
   * Median latency of the last `lastN` successful completions (of one backend if given), cheap enough
   * to call on every routing decision (reads newest rows by id). Null when there are none.
   */
  recentLatencyP50(backend?: string, lastN = 200): number | null {
    const n = Math.max(1, Math.min(10_000, Math.floor(lastN)));
    const v = (
      backend
        ? this.db.prepare('SELECT latency_ms FROM ledger_completions WHERE ok = 1 AND backend = ? ORDER BY id DESC LIMIT ?').pluck().all(backend, n)
        : this.db.prepare('SELECT latency_ms FROM ledger_completions WHERE ok = 1 ORDER BY id DESC LIMIT ?').pluck().all(n)
    ) as number[];
    return percentile(
      v.sort((a, b) => a - b),
      50,
    );
  }

  /** Routing decisions: by route, strategy, complexity and reason; privacy catches by category. */
  decisionStats(q: { period?: Period; from?: string; to?: string } = {}): DecisionStats {
    const w = this.window(q);
    const wh = this.where(w, 'created_at');
    const rows = this.db
      .prepare(
        `SELECT route, strategy, level, sensitive, categories AS cats, reason_codes AS codes, forced, latency_ms AS l
         FROM router_decisions WHERE ${wh.sql}`,
      )
      .all(...wh.args) as { route: string; strategy: string; level: string; sensitive: number; cats: string; codes: string; forced: number; l: number | null }[];
    const inc = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
    const s: DecisionStats = {
      total: rows.length,
      forced: 0,
      byRoute: {},
      byStrategy: {},
      byComplexity: {},
      byReason: [],
      privacyCatches: { total: 0, byCategory: {} },
      decisionLatencyP50Ms: null,
    };
    const reasons: Record<string, number> = {};
    const lat: number[] = [];
    for (const r of rows) {
      inc(s.byRoute, r.route);
      inc(s.byStrategy, r.strategy);
      inc(s.byComplexity, r.level);
      if (r.forced) s.forced++;
      if (r.sensitive) {
        s.privacyCatches.total++;
        for (const c of new Set(JSON.parse(r.cats) as string[])) inc(s.privacyCatches.byCategory, c);
      }
      for (const code of JSON.parse(r.codes) as string[]) inc(reasons, code);
      if (r.l !== null) lat.push(r.l);
    }
    const rolled = this.dailyDecisionCounts(w, ['total', 'forced', 'sensitive', 'route', 'strategy', 'complexity', 'reason', 'category']);
    const add = (into: Record<string, number>, m: Record<string, number>) => {
      for (const [k, n] of Object.entries(m)) into[k] = (into[k] ?? 0) + n;
    };
    s.total += rolled.total[''] ?? 0;
    s.forced += rolled.forced[''] ?? 0;
    s.privacyCatches.total += rolled.sensitive[''] ?? 0;
    add(s.byRoute, rolled.route);
    add(s.byStrategy, rolled.strategy);
    add(s.byComplexity, rolled.complexity);
    add(reasons, rolled.reason);
    add(s.privacyCatches.byCategory, rolled.category);
    s.byReason = Object.entries(reasons)
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
    s.decisionLatencyP50Ms = percentile(
      lat.sort((a, b) => a - b),
      50,
    );
    return s;
  }

  /** Savings per hour or day bucket (UTC) with running totals, and decisions per bucket and route. */
  timeseries(q: { period?: Period; from?: string; to?: string; bucket?: 'hour' | 'day'; hostModel?: string } = {}): Timeseries {
    const w = this.window(q);
    const p = this.hostPrice(q.hostModel);
    let bucket = q.bucket;
    if (bucket !== undefined && bucket !== 'hour' && bucket !== 'day') {
      throw new Error(`unknown bucket ${JSON.stringify(bucket)}; use hour or day`);
    }
    if (!bucket) {
      let span: number;
      if (w.fromMs !== null) span = w.toMs - w.fromMs;
      else {
        const r = this.db
          .prepare('SELECT MIN(a) AS a, MAX(b) AS b FROM (SELECT MIN(ts) AS a, MAX(ts) AS b FROM ledger_completions UNION ALL SELECT MIN(day), MAX(day) FROM ledger_daily)')
          .get() as { a: number | null; b: number | null };
        span = r.a === null || r.b === null ? 0 : r.b - r.a;
      }
      bucket = span <= 48 * 3_600_000 ? 'hour' : 'day';
    }
    const fmt = bucket === 'hour' ? '%Y-%m-%dT%H:00:00Z' : '%Y-%m-%d';
    const expr = (col: string) => `strftime('${fmt}', ${col} / 1000, 'unixepoch')`;
    const points: TimeseriesPoint[] = [];
    let cg = 0;
    let cn = 0;
    for (const g of this.mergeSums(this.sums(w, expr('c.ts')), this.dailySums(w, expr('day')))) {
      const r = this.row(String(g.grp), g, p);
      cg += r.grossUsd;
      cn += r.netUsd;
      points.push({
        t: r.group,
        calls: r.calls,
        grossUsd: r.grossUsd,
        overheadUsd: r.overheadUsd,
        localCostUsd: r.localCostUsd,
        netUsd: r.netUsd,
        cumulativeGrossUsd: round(cg),
        cumulativeNetUsd: round(cn),
      });
    }
    const dwh = this.where(w, 'created_at');
    const routes = new Map<string, Record<string, number>>();
    for (const r of this.db
      .prepare(`SELECT ${expr('created_at')} AS t, route, COUNT(*) AS n FROM router_decisions WHERE ${dwh.sql} GROUP BY t, route ORDER BY t, route`)
      .all(...dwh.args) as { t: string; route: string; n: number }[]) {
      const m = routes.get(r.t) ?? {};
      m[r.route] = r.n;
      routes.set(r.t, m);
    }
    const dw = this.where(w, 'day');
    for (const r of this.db
      .prepare(`SELECT ${expr('day')} AS t, key AS route, SUM(n) AS n FROM ledger_decisions_daily WHERE ${dw.sql} AND kind = 'route' GROUP BY t, route`)
      .all(...dw.args) as { t: string; route: string; n: number }[]) {
      const m = routes.get(r.t) ?? {};
      m[r.route] = (m[r.route] ?? 0) + r.n;
      routes.set(r.t, m);
    }
    const routeList = [...routes].sort(([a], [b]) => byteOrder(a, b)).map(([t, counts]) => ({ t, counts: mergeCounts({}, Object.entries(counts).map(([k, n]) => ({ k, n }))) }));
    return { bucket, hostModel: p.model, points, routes: routeList };
  }

  /** Latency histogram of successful completions per backend. */
  latencyHistogram(q: { period?: Period; from?: string; to?: string; edges?: number[] } = {}): LatencyHistogram {
    const edges = q.edges ?? DEFAULT_LATENCY_EDGES_MS;
    if (edges.length < 2 || edges.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= edges[i - 1]))) {
      throw new Error('latency edges must be at least two strictly increasing finite numbers of ms');
    }
    const w = this.window(q);
    const wh = this.where(w);
    const rows = this.db
      .prepare(`SELECT backend, latency_ms AS l FROM ledger_completions WHERE ok = 1 AND ${wh.sql} ORDER BY backend`)
      .all(...wh.args) as { backend: string; l: number }[];
    const by = new Map<string, number[]>();
    for (const r of rows) {
      let counts = by.get(r.backend);
      if (!counts) by.set(r.backend, (counts = new Array(edges.length).fill(0)));
      let b = edges.length - 1;
      for (let i = 1; i < edges.length; i++) {
        if (r.l < edges[i]) {
          b = i - 1;
          break;
        }
      }
      counts[b]++;
    }
    return { edges: [...edges], backends: [...by].map(([backend, counts]) => ({ backend, counts })) };
  }

  /** Everything renderHtmlReport needs, for one period or range. */
  reportData(q: ReportQuery & { title?: string } = {}): HtmlReportData {
    const win = { period: q.period, from: q.from, to: q.to };
    const report = this.report(q);
    const ds = this.decisionStats(win);
    return {
      title: q.title ?? 'ruvllm-mcp cost and routing report',
      generatedAt: new Date(this.now()).toISOString(),
      report,
      timeseries: this.timeseries({ ...win, hostModel: q.hostModel }),
      routeMix: ds.byRoute,
      latency: this.latencyHistogram(win),
      backendStats: this.backendStats(win),
      decisions: ds,
    };
  }
}
