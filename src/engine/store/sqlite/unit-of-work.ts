/**
 * The SQLite outcome unit of work (store/unit-of-work.ts): the outcomes repository's synchronous twins and the
 * patterns repository's synchronous statements (SqlitePatternQueries) on one connection, inside one IMMEDIATE
 * transaction (writeTx; a savepoint when the caller's is open).
 */
import { writeTx, type DB } from '../db.js';
import type { OutcomeRow } from '../outcomes-repo.js';
import type { OutcomeUnitOfWork, OutcomeWritten, PatternQualityUpdate } from '../unit-of-work.js';
import { SqliteOutcomesRepo } from './decisions.js';
import { SqlitePatternQueries } from './patterns-repo.js';

export class SqliteOutcomeUnitOfWork implements OutcomeUnitOfWork {
  private readonly outcomes: SqliteOutcomesRepo;
  private patternQueries: SqlitePatternQueries | null = null;

  /** `db` holds the router's and the patterns' tables (their migrations applied). */
  constructor(private readonly db: DB) {
    this.outcomes = new SqliteOutcomesRepo(db);
  }

  private get patterns(): SqlitePatternQueries {
    return (this.patternQueries ??= new SqlitePatternQueries(this.db));
  }

  async reportOutcome(
    outcome: OutcomeRow,
    route: string,
    quality: PatternQualityUpdate,
  ): Promise<(OutcomeWritten & { patterns: string[] }) | { reportedAt: number }> {
    return writeTx(this.db, () => {
      const prior = this.outcomes.reportedAtSync(outcome.decisionId);
      if (prior !== null) return { reportedAt: prior };
      const mark = this.outcomes.insertOutcomeSync(outcome, route);
      const patterns = this.patterns.idsForDecision(outcome.decisionId);
      const now = new Date().toISOString();
      for (const id of patterns) this.patterns.recordOutcome(id, outcome.success, quality, now);
      return { mark, patterns };
    })();
  }

  async storeWithOutcome<T>(
    outcome: OutcomeRow,
    route: string,
    alreadyReported: (reportedAt: number) => Error,
    store: (inStore: () => void) => Promise<T>,
  ): Promise<OutcomeWritten & { result: T }> {
    let mark: number | null = null;
    const result = await store(() => {
      const prior = this.outcomes.reportedAtSync(outcome.decisionId);
      if (prior !== null) throw alreadyReported(prior);
      mark = this.outcomes.insertOutcomeSync(outcome, route);
    });
    if (mark === null) throw new Error('the pattern store did not run its outcome write');
    return { mark, result };
  }
}
