/**
 * Writes that span two repositories and must commit together, as one unit of work behind the seam: a reported
 * outcome (outcomes repository) and the usage tally of the patterns stored with its decision (patterns
 * repository). Either both are written or neither: a failure leaves nothing behind, and a retry works.
 *
 * Promise methods only, no database engine's types: the SQLite implementation (store/sqlite/unit-of-work.ts) runs
 * both writes in one IMMEDIATE transaction; a PostgreSQL one would run them in one `BEGIN … COMMIT` on one client.
 */
import type { OutcomeRow } from './outcomes-repo.js';

/** How a pattern's stored quality follows a reported outcome (the bank's policy; pure). */
export type PatternQualityUpdate = (old: number) => number;

export interface OutcomeWritten {
  /** The outcome's mark (the learner's order of outcomes, see OutcomesRepo.since). */
  mark: number;
}

export interface OutcomeUnitOfWork {
  /**
   * In one transaction: checks no outcome is recorded for the decision yet, writes the outcome and its counters
   * (its decision's `route`), and counts it on every pattern stored with that decision (success or failure, and
   * `quality` applied to the stored quality). Resolves after the commit; `reportedAt` (nothing written) when the
   * decision already has an outcome.
   */
  reportOutcome(
    outcome: OutcomeRow,
    route: string,
    quality: PatternQualityUpdate,
  ): Promise<(OutcomeWritten & { patterns: string[] }) | { reportedAt: number }>;

  /**
   * A pattern store that carries its decision's outcome: `store` runs the store and hands `inStore` to it, which
   * the store's transaction runs before anything of the pattern is written (patterns repository,
   * StoreWrite.inTransaction). `inStore` checks the decision has no outcome yet (throwing `alreadyReported(at)` when
   * it has) and writes the outcome and its counters: the outcome commits with the pattern or not at all.
   */
  storeWithOutcome<T>(
    outcome: OutcomeRow,
    route: string,
    alreadyReported: (reportedAt: number) => Error,
    store: (inStore: () => void) => Promise<T>,
  ): Promise<OutcomeWritten & { result: T }>;
}
