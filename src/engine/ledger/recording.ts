/**
 * Recording: completions and (for a ledger fed by something other than the router) decisions, change listeners,
 * retention (the day rollup of completions and of the one decision record, router_decisions), and the in-memory
 * snapshot of the newest completions the router's policy step reads (snapshot.ts): loaded when the ledger is built,
 * updated after each completion recorded here, reloaded in the background.
 */
import type { CompletionRow } from '../store/ledger-repo.js';
import { reasonCodeOf, isReasonCode } from '../router/reasons.js';
import { REPLAY_OUTCOMES } from '../router/learner.js';
import type { CompletionEntry } from './types.js';
import {
  LedgerCore,
  log,
  nonEmpty,
  nonNegNumber,
  optString,
  DAY_MS,
  type DecisionEntry,
  type LedgerOptions,
  type RollupResult,
} from './core.js';
import { RecentCompletions, REFRESH_MS, SNAPSHOT_LATENCIES, SNAPSHOT_TPS } from './snapshot.js';

export class LedgerRecording extends LedgerCore {
  protected readonly listeners = new Set<() => void>();
  protected changes = 0;
  /** The newest successful completions, in memory (snapshot.ts). */
  protected readonly recent = new RecentCompletions();
  /**
   * Completion writes and snapshot loads, one after the other: a load sees a completion's row either before its
   * write (then the completion is added after it) or after (then it is in the load), never both.
   */
  private snapshotChain: Promise<unknown> = Promise.resolve();
  private refreshing: Promise<void> | null = null;
  private readonly firstLoad: Promise<void>;
  private closed = false;

  constructor(opts: LedgerOptions) {
    super(opts);
    this.firstLoad = this.refreshSnapshot();
  }

  /** Resolves once the snapshot was first loaded (estimate() and recentLatencyP50() read it); never rejects. */
  ready(): Promise<void> {
    return this.firstLoad;
  }

  /**
   * Reloads the snapshot from the repository (other processes' completions included); one load at a time, after
   * the completion writes already asked for. Never rejects: a failed load is logged and the old snapshot kept.
   */
  refreshSnapshot(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return (this.refreshing ??= this.serial(async () => {
      const [counters, all, tps] = await Promise.all([
        this.repo.backendCounters(),
        this.repo.recentLatencies(undefined, SNAPSHOT_LATENCIES),
        this.repo.recentTokensPerSecond(SNAPSHOT_TPS),
      ]);
      const backends = [...new Set(counters.map((c) => c.backend))];
      const lists = await Promise.all(backends.map((b) => this.repo.recentLatencies(b, SNAPSHOT_LATENCIES)));
      this.recent.replace({ all, tps, byBackend: new Map(backends.map((b, i) => [b, lists[i]])) }, performance.now());
    })
      .catch((e: Error) => log.warn('loading the ledger snapshot failed; the previous one stays', { error: e.message }))
      .finally(() => {
        this.refreshing = null;
      }));
  }

  /** The snapshot, reloaded in the background first when it is older than REFRESH_MS. */
  protected snapshot(): RecentCompletions {
    if (!this.refreshing && !this.closed && performance.now() - this.recent.loadedAt > REFRESH_MS) void this.refreshSnapshot();
    return this.recent;
  }

  /**
   * Stops reloading the snapshot and resolves once the writes and loads already asked for settled (the store may be
   * closed after). The ledger still answers from the snapshot it holds.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.snapshotChain;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.snapshotChain.then(fn);
    this.snapshotChain = run.catch(() => undefined);
    return run;
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

  protected changed(): void {
    this.changes++;
    for (const l of this.listeners) {
      try {
        l();
      } catch (e) {
        log.warn('ledger change listener failed', { error: (e as Error).message });
      }
    }
  }

  /**
   * Records one local completion (successful or not); resolves with its row id once it committed (and the snapshot
   * holds it). The entry is checked before anything is written (a bad entry rejects).
   */
  async recordCompletion(e: CompletionEntry): Promise<number> {
    const tok = (v: unknown, name: string) => Math.round(nonNegNumber(v, `CompletionEntry.${name}`));
    const row: CompletionRow = {
      ts: Math.round(this.now()),
      model: nonEmpty(e.model, 'CompletionEntry.model'),
      backend: nonEmpty(e.backend, 'CompletionEntry.backend'),
      promptTokens: tok(e.promptTokens, 'promptTokens'),
      completionTokens: tok(e.completionTokens, 'completionTokens'),
      tokenCountMethod: nonEmpty(e.tokenCountMethod, 'CompletionEntry.tokenCountMethod'),
      latencyMs: nonNegNumber(e.latencyMs, 'CompletionEntry.latencyMs'),
      ttftMs: e.ttftMs === null || e.ttftMs === undefined ? null : nonNegNumber(e.ttftMs, 'CompletionEntry.ttftMs'),
      tokensPerSecond: nonNegNumber(e.tokensPerSecond, 'CompletionEntry.tokensPerSecond'),
      overheadIn: tok(e.overheadTokensIn, 'overheadTokensIn'),
      overheadOut: tok(e.overheadTokensOut, 'overheadTokensOut'),
      strategy: optString(e.strategy, 'CompletionEntry.strategy'),
      route: optString(e.route, 'CompletionEntry.route'),
      agentId: optString(e.agentId, 'CompletionEntry.agentId'),
      decisionId: optString(e.decisionId, 'CompletionEntry.decisionId'),
      ok: !!e.ok,
      error: e.error ? String(e.error).slice(0, 500) : null,
      overheadTokenMethod: optString(e.overheadTokenMethod, 'CompletionEntry.overheadTokenMethod'),
      inputMode: null,
      avoidedIn: 0,
    };
    if (e.inputMode !== undefined && e.inputMode !== null) {
      if (e.inputMode !== 'value' && e.inputMode !== 'reference')
        throw new Error(`CompletionEntry.inputMode must be "value" or "reference" when given, got ${JSON.stringify(e.inputMode)}`);
      row.inputMode = e.inputMode;
    }
    if (e.avoidedHostInputTokens !== undefined && e.avoidedHostInputTokens !== null) {
      row.avoidedIn = tok(e.avoidedHostInputTokens, 'avoidedHostInputTokens');
      if (row.avoidedIn > 0 && row.inputMode !== 'reference')
        throw new Error(
          'CompletionEntry.avoidedHostInputTokens applies to inputMode "reference" only (material the server read from files)',
        );
    }
    const id = await this.serial(async () => {
      const id = await this.repo.insertCompletion(row);
      this.recent.add(row);
      return id;
    });
    this.changed();
    return id;
  }

  /**
   * Records one routing decision; a second record with the same decisionId is ignored. The engine does not call this:
   * the router writes the decision record itself (router_decisions, shared with the ledger). For a ledger fed by
   * something other than the router (tests, benches, imports); the router's stats counters do not count it.
   */
  async recordDecision(d: DecisionEntry): Promise<void> {
    const texts = Array.isArray(d.reasons) ? d.reasons.map(String) : [];
    const codes = Array.isArray(d.reasonCodes) ? d.reasonCodes.map(String) : texts.map(reasonCodeOf);
    for (const c of codes) if (!isReasonCode(c)) throw new Error(`decision.reasonCodes: unknown reason code ${JSON.stringify(c)}`);
    const stored = await this.repo.insertDecision({
      id: nonEmpty(d.decisionId, 'decision.decisionId'),
      createdAt: Math.round(this.now()),
      route: nonEmpty(d.route, 'decision.route'),
      strategy: nonEmpty(d.strategy, 'decision.strategy'),
      level: nonEmpty(d.complexityLevel, 'decision.complexityLevel'),
      score: typeof d.complexityScore === 'number' && Number.isFinite(d.complexityScore) ? d.complexityScore : 0,
      sensitive: !!d.sensitive,
      categories: Array.isArray(d.privacyCategories) ? d.privacyCategories.map(String) : [],
      reasons: texts,
      reasonCodes: codes,
      inputTokens: Math.round(nonNegNumber(d.estimatedInputTokens, 'decision.estimatedInputTokens')),
      outputTokens: Math.round(nonNegNumber(d.estimatedOutputTokens, 'decision.estimatedOutputTokens')),
      latencyMs: nonNegNumber(d.latencyMs, 'decision.latencyMs'),
      agentId: optString(d.agentId, 'decision.agentId'),
      forced: !!d.forced,
    });
    if (!stored) log.debug('decision already recorded; ignored', { decisionId: d.decisionId });
    else this.changed();
  }

  /**
   * Rolls completions and decisions older than `olderThanDays` (counted back from now to a UTC midnight) up into one
   * row per UTC day and per what the reports group or count by, and deletes the raw rows, one day per transaction.
   * Cost reports, timeseries, decision counts and per-backend call counts keep their totals; latency percentiles,
   * histograms and decision latency cover the raw rows only. A decision still referenced by a newer completion stays
   * raw until that completion is rolled up. Safe with several processes: each day is rolled inside an IMMEDIATE
   * transaction that re-reads what is left. Resolves after the last day's commit.
   */
  async rollup(opts: { olderThanDays: number; maxDays?: number }): Promise<RollupResult> {
    const days = opts?.olderThanDays;
    if (!Number.isInteger(days) || days < 1)
      throw new Error(`olderThanDays must be a whole number of days >= 1, got ${JSON.stringify(days)}`);
    const maxDays = opts.maxDays ?? Infinity;
    const cutoff = Math.floor((this.now() - days * DAY_MS) / DAY_MS) * DAY_MS;
    const out: RollupResult = { days: 0, completions: 0, decisions: 0, more: false };
    while (out.days < maxDays) {
      // a decision some of the router's newest REPLAY_OUTCOMES outcomes are about stays raw (the learner's evidence at the next start)
      const r = await this.repo.rollupDay(cutoff, REPLAY_OUTCOMES);
      if (!r) return out;
      out.days++;
      out.completions += r.completions;
      out.decisions += r.decisions;
    }
    out.more = true;
    return out;
  }
}
