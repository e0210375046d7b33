/**
 * Recording: completions and (for a ledger fed by something other than the router) decisions, change listeners, and
 * retention (the day rollup of completions and of the one decision record, router_decisions).
 */
import { writeTx, type DB } from '../store/db.js';
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

export class LedgerRecording extends LedgerCore {
  protected readonly listeners = new Set<() => void>();
  protected changes = 0;
  protected readonly insCompletion: ReturnType<DB['prepare']>;
  protected readonly insDecision: ReturnType<DB['prepare']>;
  protected readonly bumpBackend: ReturnType<DB['prepare']>;
  protected readonly recordCompletionTx: (row: Record<string, unknown>) => number;
  constructor(opts: LedgerOptions) {
    super(opts);
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
      throw new Error(
        `the ledger tables are missing (${(e as Error).message}); open the database with the ledger's and the router's migrations (decisions live in router_decisions)`,
        { cause: e },
      );
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
        throw new Error(
          'CompletionEntry.avoidedHostInputTokens applies to inputMode "reference" only (material the server read from files)',
        );
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
  protected static readonly ROLLABLE = `NOT EXISTS (SELECT 1 FROM ledger_completions c WHERE c.decision_id = d.id)
    AND NOT EXISTS (SELECT 1 FROM router_outcomes o WHERE o.decision_id = d.id AND o.rowid > @keepAfter)`;

  protected rollupDayCache: ReturnType<LedgerRecording['buildRollupDay']> | null = null;
  protected get rollupDayTx(): ReturnType<LedgerRecording['buildRollupDay']> {
    return (this.rollupDayCache ??= this.buildRollupDay());
  }

  protected buildRollupDay(): { immediate(cutoff: number): { completions: number; decisions: number } | null } {
    const st = () => ({
      firstCompletion: this.db.prepare('SELECT ts FROM ledger_completions WHERE ts < ? ORDER BY ts LIMIT 1').pluck(),
      firstDecision: this.db
        .prepare(
          `SELECT created_at FROM router_decisions d WHERE created_at < @cutoff AND ${LedgerRecording.ROLLABLE} ORDER BY created_at LIMIT 1`,
        )
        .pluck(),
      keepAfter: this.db.prepare('SELECT coalesce(max(rowid), 0) FROM router_outcomes').pluck(),
      rollCompletions: this.db.prepare(
        `INSERT INTO ledger_daily (day, model, backend, route, strategy, agent_id, token_count_method, overhead_token_method,
           input_mode, calls, ok_calls, prompt_tokens, completion_tokens, overhead_in, overhead_out, latency_ms, avoided_in, overhead_calls)
         SELECT @day, c.model, c.backend, ${LedgerCore.groupExpr('route')}, ${LedgerCore.groupExpr('strategy')}, ${LedgerCore.groupExpr('agent')},
           c.token_count_method, COALESCE(c.overhead_token_method, '(not named)'), ${LedgerCore.INPUT_MODE}, ${LedgerCore.SUMS},
           COALESCE(SUM(CASE WHEN c.overhead_in > 0 OR c.overhead_out > 0 THEN 1 ELSE 0 END), 0)
         FROM ledger_completions c LEFT JOIN router_decisions d ON d.id = c.decision_id
         WHERE c.ts >= @day AND c.ts < @end
         GROUP BY 2, 3, 4, 5, 6, 7, 8, 9`,
      ),
      deleteCompletions: this.db.prepare('DELETE FROM ledger_completions WHERE ts >= @day AND ts < @end'),
      rollDecisions: this.db.prepare(
        `WITH sel AS (SELECT * FROM router_decisions d WHERE created_at >= @day AND created_at < @end AND ${LedgerRecording.ROLLABLE})
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
        `DELETE FROM router_decisions WHERE id IN (SELECT id FROM router_decisions d WHERE created_at >= @day AND created_at < @end AND ${LedgerRecording.ROLLABLE})`,
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
}
