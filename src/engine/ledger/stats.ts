/**
 * Stats and estimates: per-backend latency and throughput (windowed, and live from counters), decision counts by
 * route, strategy, complexity, reason code and privacy category, and the cost estimates the router uses.
 */
import { requirePrice } from './prices.js';
import type { BackendStat, DecisionStats, Period } from './types.js';
import { LedgerRecording } from './recording.js';
import { SNAPSHOT_LATENCIES } from './snapshot.js';
import {
  byteOrder,
  nonNegNumber,
  percentile,
  round,
  LIVE_STATS_SAMPLE,
  PERIOD_MS,
  type DelegationEstimate,
  type DelegationTask,
  type Estimate,
} from './core.js';

export class LedgerStats extends LedgerRecording {
  /** Medians computed from the snapshot, kept until it changes (the policy step reads them on every decision). */
  private readonly medians = new Map<string, { version: number; value: number | null }>();
  protected readonly liveCache = new Map<string, Omit<BackendStat, 'backend' | 'model' | 'calls' | 'errors'> & { stamp: string }>();

  // ---------------------------------------------------------------- estimates

  /** The median of `values` (read from the snapshot), computed once per snapshot version and key. */
  private median(key: string, values: () => readonly number[]): number | null {
    const snap = this.snapshot();
    const m = this.medians.get(key);
    if (m && m.version === snap.version) return m.value;
    const value = percentile(
      [...values()].sort((a, b) => a - b),
      50,
    );
    this.medians.set(key, { version: snap.version, value });
    return value;
  }

  /** Median local generation speed over about the last 1,000 successful completions (the snapshot, snapshot.ts). */
  protected localTokensPerSecond(): number | null {
    return this.median('tps', () => this.snapshot().tokensPerSecond());
  }

  /**
   * What a task of `inputTokens` in and `outputTokens` out costs on the host's cloud model
   * (cloudUsd) versus delegated (localUsd = what the host still pays for the tool call's
   * arguments, written as output tokens, and its result, read as input tokens, plus local compute
   * at the measured median tokens/s). Matches the router's CostEstimator. Synchronous and pure of the store: it
   * reads the ledger's in-memory snapshot (snapshot.ts; await ready() first for one loaded from the store).
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
    if (t?.mode !== 'value' && t?.mode !== 'reference')
      throw new Error(`mode must be "value" or "reference", got ${JSON.stringify(t?.mode)}`);
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

  // ---------------------------------------------------------------- stats

  /** Per backend and model: calls, errors, latency percentiles (successful calls, nearest rank), median TTFT and tokens/s. */
  async backendStats(q: { period?: Period; from?: string; to?: string } = {}): Promise<BackendStat[]> {
    const w = this.window(q);
    // unsorted, grouped in JS: about twice as fast as sorted rows at 100k rows
    const rows = await this.repo.backendSamples(w);
    const groups = new Map<
      string,
      { backend: string; model: string; calls: number; errors: number; lat: number[]; ttft: number[]; tps: number[] }
    >();
    for (const { backend, model, ok, latencyMs: l, ttftMs: t, tokensPerSecond: tps } of rows) {
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
    for (const { backend, model, calls, okCalls } of await this.repo.dailyBackendCalls(w)) {
      const key = `${backend}\u0000${model}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { backend, model, calls: 0, errors: 0, lat: [], ttft: [], tps: [] }));
      g.calls += calls;
      g.errors += calls - okCalls;
    }
    const sorted = (v: number[]) => Array.from(Float64Array.from(v).sort());
    const out: BackendStat[] = [];
    for (const g of [...groups.values()].sort((a, b) =>
      a.backend === b.backend ? (a.model < b.model ? -1 : 1) : a.backend < b.backend ? -1 : 1,
    )) {
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
  async liveBackendStats(sample = LIVE_STATS_SAMPLE, withinMs = PERIOD_MS.week): Promise<BackendStat[]> {
    const n = Math.max(1, Math.min(100_000, Math.floor(sample)));
    const from = (await this.repo.firstCompletionIdSince(this.now() - withinMs)) ?? Number.MAX_SAFE_INTEGER;
    const sorted = (v: number[]) => Array.from(Float64Array.from(v).sort());
    const pairs = (await this.repo.backendCounters()).sort((a, b) => byteOrder(a.backend, b.backend) || byteOrder(a.model, b.model));
    const out: BackendStat[] = [];
    for (const p of pairs) {
      // recomputed only when this backend and model have a newer successful call (from any process) or the window moved
      const key = `${p.backend}\u0000${p.model}`;
      const stamp = `${(await this.repo.newestOkCompletionId(p.backend, p.model)) ?? 0}:${from}:${n}`;
      let q = this.liveCache.get(key);
      if (!q || q.stamp !== stamp) {
        const cols = await this.repo.recentOkSamples(p.backend, p.model, from, n);
        const [lat, ttft, tps] = [cols.latencyMs, cols.ttftMs, cols.tokensPerSecond].map(sorted);
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
      out.push({ backend: p.backend, model: p.model, calls: p.calls, errors: p.errors, ...pct });
    }
    return out;
  }

  /**
   * Median latency of the last `lastN` (at most SNAPSHOT_LATENCIES, 200) successful completions (of one backend if
   * given), read from the ledger's in-memory snapshot (snapshot.ts): synchronous, for every routing decision. Null
   * when there are none.
   */
  recentLatencyP50(backend?: string, lastN = SNAPSHOT_LATENCIES): number | null {
    const n = Math.max(1, Math.min(SNAPSHOT_LATENCIES, Math.floor(lastN)));
    const b = backend || undefined;
    return this.median(`lat\u0000${b ?? ''}\u0000${n}`, () => this.snapshot().latencies(b).slice(0, n));
  }

  /** Routing decisions: by route, strategy, complexity and reason; privacy catches by category. */
  async decisionStats(q: { period?: Period; from?: string; to?: string } = {}): Promise<DecisionStats> {
    const w = this.window(q);
    const rows = await this.repo.decisionRows(w);
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
        for (const c of new Set(r.categories)) inc(s.privacyCatches.byCategory, c);
      }
      for (const code of r.reasonCodes) inc(reasons, code);
      if (r.latencyMs !== null) lat.push(r.latencyMs);
    }
    const rolled = await this.dailyDecisionCounts(w, [
      'total',
      'forced',
      'sensitive',
      'route',
      'strategy',
      'complexity',
      'reason',
      'category',
    ]);
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
}
