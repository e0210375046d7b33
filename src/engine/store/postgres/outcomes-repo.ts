/**
 * PostgreSQL implementation of the outcomes repository (store/outcomes-repo.ts): outcomes of decisions
 * (router_outcomes) and observations (router_observations), and their counter deltas (see decisions-repo.ts).
 *
 * Marks are the readers' order (since/marks: each node catches up on every node's outcomes). A sequence alone would
 * let a reader see mark 6 committed before mark 5 and skip 5 forever, so each kind's writers take a transaction-scoped
 * advisory lock before their mark is drawn and hold it to the commit: marks become visible in increasing order. Outcomes
 * and observations are a few per task, not per token, so serialising their writes across the fleet costs little.
 */
import type { LearnedOutcome, ObservationRow, OutcomeRow, OutcomesRepo } from '../outcomes-repo.js';
import { run, withTransaction, type PgPool } from './db.js';
import { DeltaFolder, deltaArrays, fromBytea, INSERT_DELTAS, NO_MARKER, toBytea, type PgRepoOptions } from './decisions-repo.js';
import type { ChangeMarker } from './changes.js';

/** The advisory locks ordering the marks of outcomes and of observations. */
const OUTCOME_MARK_LOCK = 0x72756f31; // 'ruo1'
const OBSERVATION_MARK_LOCK = 0x72756f32; // 'ruo2'

/** PostgreSQL's unique_violation. */
export const isUniqueViolation = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === '23505';

type LearnedRow = { r: number; route: string; model: string | null; features: Buffer | null; success: boolean; quality: number | null };
const learned = (kind: LearnedOutcome['kind'], r: LearnedRow): LearnedOutcome => ({
  kind,
  mark: r.r,
  route: r.route,
  model: r.model,
  features: fromBytea(r.features),
  success: r.success,
  quality: r.quality,
});

const OUTCOMES = `SELECT o.mark AS r, d.route AS route, m.name AS model, d.features AS features, o.success AS success, o.quality AS quality,
    o.reported_at AS t FROM router_outcomes o JOIN router_decisions d ON d.id = o.decision_id LEFT JOIN store_names m ON m.id = d.local_model_id`;

export class PgOutcomesRepo implements OutcomesRepo {
  readonly folder: DeltaFolder;
  private readonly changes: ChangeMarker;

  constructor(
    private readonly pool: PgPool,
    o: PgRepoOptions = {},
  ) {
    this.folder = o.folder ?? new DeltaFolder(pool, o.foldEvery);
    this.changes = o.changes ?? NO_MARKER;
  }

  /**
   * The outcome and its counter deltas, one transaction (a savepoint inside the caller's): a second outcome of the
   * same decision fails with a unique violation and leaves nothing (the caller's transaction stays usable).
   */
  async insertOutcome(o: OutcomeRow, route: string): Promise<number> {
    const deltas: [string, string, number, number][] = [['outcome', route, 1, o.success ? 1 : 0]];
    if (o.quality !== null) deltas.push(['outcome_quality', route, 1, o.quality]);
    const mark = await withTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [OUTCOME_MARK_LOCK]);
      const r = await c.query<{ mark: number }>(
        `WITH o AS (INSERT INTO router_outcomes (decision_id, success, quality, notes, reported_at) VALUES ($5, $6, $7, $8, $9) RETURNING mark),
              d AS (INSERT INTO router_counter_deltas (metric, key, n, v)
                    SELECT u.* FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[]) AS u, o)
         SELECT mark FROM o`,
        [...deltaArrays(deltas), o.decisionId, o.success, o.quality, o.notes, o.reportedAt],
      );
      return r.rows[0].mark;
    });
    this.folder.appendedDeltas(deltas.length);
    this.changes.wrote();
    return mark;
  }

  async reportedAt(decisionId: string): Promise<number | null> {
    const r = await run<{ reported_at: number }>(this.pool, 'SELECT reported_at FROM router_outcomes WHERE decision_id = $1', [decisionId]);
    return r.rows[0]?.reported_at ?? null;
  }

  /** The observations and their counter delta, one transaction; their marks in the order given. */
  async insertObservations(rows: ObservationRow[]): Promise<number[]> {
    if (!rows.length) return [];
    const ids = await withTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [OBSERVATION_MARK_LOCK]);
      const r = await c.query<{ id: number }>(
        `INSERT INTO router_observations (created_at, route, success, quality, source, features, model)
         SELECT created_at, route, success, quality, source, features, model
           FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::float8[], $5::text[], $6::bytea[], $7::text[])
             WITH ORDINALITY AS u (created_at, route, success, quality, source, features, model, ord)
           ORDER BY ord
         RETURNING id`,
        [
          rows.map((o) => o.createdAt),
          rows.map((o) => o.route),
          rows.map((o) => o.success),
          rows.map((o) => o.quality),
          rows.map((o) => o.source),
          rows.map((o) => toBytea(o.features)),
          rows.map((o) => o.model),
        ],
      );
      await c.query(INSERT_DELTAS, deltaArrays([['observations', '', rows.length, 0]]));
      // identities are drawn in the order rows are inserted (ORDER BY ord): ascending ids are the rows in order
      return r.rows.map((x) => x.id).sort((a, b) => a - b);
    });
    this.folder.appendedDeltas(1);
    this.changes.wrote();
    return ids;
  }

  /** Deletes the oldest observations beyond `keep` (by mark); returns how many. */
  async pruneObservations(keep: number): Promise<number> {
    const r = await run(
      this.pool,
      `DELETE FROM router_observations WHERE id <= (SELECT id FROM router_observations ORDER BY id DESC OFFSET $1 LIMIT 1)`,
      [Math.max(0, Math.floor(keep))],
    );
    return r.rowCount ?? 0;
  }

  async recent(limit: number): Promise<LearnedOutcome[]> {
    const r = await run<LearnedRow & { kind: LearnedOutcome['kind'] }>(
      this.pool,
      `SELECT kind, r, route, model, features, success, quality FROM (
         (SELECT 'outcome' AS kind, x.*, 0 AS src FROM (${OUTCOMES}) x ORDER BY t DESC, r DESC LIMIT $1)
         UNION ALL
         (SELECT 'observation', id AS r, route, model, features, success, quality, created_at AS t, 1 AS src
            FROM router_observations ORDER BY created_at DESC, id DESC LIMIT $1)) u
       ORDER BY t DESC, src DESC, r DESC LIMIT $1`,
      [limit],
    );
    return r.rows.reverse().map((x) => learned(x.kind, x));
  }

  async since(outcomeMark: number, observationMark: number, limit: number): Promise<LearnedOutcome[]> {
    const [o, b] = await Promise.all([
      run<LearnedRow>(this.pool, `${OUTCOMES} WHERE o.mark > $1 ORDER BY o.mark LIMIT $2`, [outcomeMark, limit]),
      run<LearnedRow>(
        this.pool,
        'SELECT id AS r, route, model, features, success, quality FROM router_observations WHERE id > $1 ORDER BY id LIMIT $2',
        [observationMark, limit],
      ),
    ]);
    return [...o.rows.map((x) => learned('outcome', x)), ...b.rows.map((x) => learned('observation', x))];
  }

  async marks(): Promise<{ outcome: number; observation: number }> {
    const r = await run<{ outcome: number; observation: number }>(
      this.pool,
      `SELECT (SELECT coalesce(max(mark), 0) FROM router_outcomes) AS outcome, (SELECT coalesce(max(id), 0) FROM router_observations) AS observation`,
    );
    return r.rows[0];
  }
}
