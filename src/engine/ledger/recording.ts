/**
 * Recording: completions and (for a ledger fed by something other than the router) decisions, change listeners, and
 * retention (the day rollup of completions and of the one decision record, router_decisions).
 */
import type { CompletionRow } from '../store/ledger-repo.js';
import { reasonCodeOf, isReasonCode } from '../router/reasons.js';
import { REPLAY_OUTCOMES } from '../router/learner.js';
import type { CompletionEntry } from './types.js';
import { LedgerCore, log, nonEmpty, nonNegNumber, optString, DAY_MS, type DecisionEntry, type RollupResult } from './core.js';

export class LedgerRecording extends LedgerCore {
  protected readonly listeners = new Set<() => void>();
  protected changes = 0;

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

  /** Records one local completion (successful or not). Returns its row id. */
  recordCompletion(e: CompletionEntry): number {
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
    const id = this.repo.insertCompletionSync(row);
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
    const stored = this.repo.insertDecisionSync({
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
   * transaction that re-reads what is left.
   */
  rollup(opts: { olderThanDays: number; maxDays?: number }): RollupResult {
    const days = opts?.olderThanDays;
    if (!Number.isInteger(days) || days < 1)
      throw new Error(`olderThanDays must be a whole number of days >= 1, got ${JSON.stringify(days)}`);
    const maxDays = opts.maxDays ?? Infinity;
    const cutoff = Math.floor((this.now() - days * DAY_MS) / DAY_MS) * DAY_MS;
    const out: RollupResult = { days: 0, completions: 0, decisions: 0, more: false };
    while (out.days < maxDays) {
      // a decision some of the router's newest REPLAY_OUTCOMES outcomes are about stays raw (the learner's evidence at the next start)
      const r = this.repo.rollupDaySync(cutoff, REPLAY_OUTCOMES);
      if (!r) return out;
      out.days++;
      out.completions += r.completions;
      out.decisions += r.decisions;
    }
    out.more = true;
    return out;
  }
}
