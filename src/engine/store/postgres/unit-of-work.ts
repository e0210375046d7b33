/**
 * The PostgreSQL outcome unit of work (store/unit-of-work.ts): the outcome, its counter deltas and the usage tally of
 * the patterns stored with its decision, in one transaction (withTransaction: the repositories' queries run on its
 * client through run(), db.ts), committed before the Promise resolves, or rolled back entirely.
 *
 * The patterns part goes through the patterns repository when it offers `countOutcome` (PgPatternsRepo, running its
 * queries through run() so they join this transaction); until one is given, this file's own countPatternOutcome
 * updates the patterns table (columns decision_id, successes, failures, quality, updated_at) the same way.
 */
import type { OutcomeRow } from '../outcomes-repo.js';
import type { OutcomeUnitOfWork, OutcomeWritten, PatternQualityUpdate } from '../unit-of-work.js';
import { run, withTransaction, type PgPool } from './db.js';
import { isUniqueViolation, PgOutcomesRepo } from './outcomes-repo.js';

/** What the unit of work needs of the patterns repository: count an outcome on every pattern of a decision. */
export interface PatternOutcomeCounter {
  /**
   * Inside the caller's transaction (run()): counts a success or failure on each pattern stored with the decision and
   * applies `quality` to its stored quality, rows locked while read. Returns the ids of the patterns counted.
   */
  countOutcome(decisionId: string, success: boolean, quality: PatternQualityUpdate): Promise<string[]>;
}

/** The patterns' tally written here, for as long as the patterns repository offers no countOutcome of its own. */
export function countPatternOutcome(pool: PgPool): PatternOutcomeCounter {
  return {
    async countOutcome(decisionId, success, quality) {
      const rows = (
        await run<{ id: string; quality: number }>(pool, 'SELECT id, quality FROM patterns WHERE decision_id = $1 ORDER BY id FOR UPDATE', [
          decisionId,
        ])
      ).rows;
      const now = new Date().toISOString();
      for (const r of rows)
        await run(
          pool,
          'UPDATE patterns SET successes = successes + $2, failures = failures + $3, quality = $4, updated_at = $5 WHERE id = $1',
          [r.id, success ? 1 : 0, success ? 0 : 1, quality(r.quality), now],
        );
      return rows.map((r) => String(r.id));
    },
  };
}

export interface PgUnitOfWorkOptions {
  /** The outcomes repository of the store (default: one of its own on `pool`). */
  outcomes?: PgOutcomesRepo;
  /** The patterns repository (PgPatternsRepo) when it counts outcomes itself; default countPatternOutcome. */
  patterns?: PatternOutcomeCounter;
}

export class PgOutcomeUnitOfWork implements OutcomeUnitOfWork {
  private readonly outcomes: PgOutcomesRepo;
  private readonly patterns: PatternOutcomeCounter;

  constructor(
    private readonly pool: PgPool,
    o: PgUnitOfWorkOptions = {},
  ) {
    this.outcomes = o.outcomes ?? new PgOutcomesRepo(pool);
    this.patterns = o.patterns ?? countPatternOutcome(pool);
  }

  /**
   * The outcome (or, when the decision has one already, how it was reported) — a concurrent report of the same
   * decision on another node loses on the primary key, inside a savepoint, and is answered the same way.
   */
  private async writeOutcome(outcome: OutcomeRow, route: string): Promise<{ mark: number } | { reportedAt: number }> {
    const prior = await this.outcomes.reportedAt(outcome.decisionId);
    if (prior !== null) return { reportedAt: prior };
    try {
      return { mark: await this.outcomes.insertOutcome(outcome, route) };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const at = await this.outcomes.reportedAt(outcome.decisionId);
      if (at === null) throw e;
      return { reportedAt: at };
    }
  }

  async reportOutcome(
    outcome: OutcomeRow,
    route: string,
    quality: PatternQualityUpdate,
  ): Promise<(OutcomeWritten & { patterns: string[] }) | { reportedAt: number }> {
    return withTransaction(this.pool, async () => {
      const w = await this.writeOutcome(outcome, route);
      if ('reportedAt' in w) return w;
      const patterns = await this.patterns.countOutcome(outcome.decisionId, outcome.success, quality);
      return { mark: w.mark, patterns };
    });
  }

  /**
   * `inStore` returns a Promise here (its queries are asynchronous): the pattern store's transaction must await it
   * (PgPatternsRepo: `await w.inTransaction?.()`) before writing anything of the pattern, inside its withTransaction,
   * so the outcome joins that transaction.
   */
  async storeWithOutcome<T>(
    outcome: OutcomeRow,
    route: string,
    alreadyReported: (reportedAt: number) => Error,
    store: (inStore: () => void) => Promise<T>,
  ): Promise<OutcomeWritten & { result: T }> {
    let mark: number | null = null;
    const inStore = async (): Promise<void> => {
      const w = await this.writeOutcome(outcome, route);
      if ('reportedAt' in w) throw alreadyReported(w.reportedAt);
      mark = w.mark;
    };
    const result = await store(inStore);
    if (mark === null) throw new Error('the pattern store did not run its outcome write');
    return { mark, result };
  }
}
