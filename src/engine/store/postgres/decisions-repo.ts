/**
 * PostgreSQL implementation of the decisions repository (store/decisions-repo.ts): the one decision record
 * (router_decisions) and the routing stats counters, on the tables of postgres/migrations.ts.
 *
 * No hot row: a decision's counter deltas are appended (router_counter_deltas) in the same statement as its record,
 * and counters() sums the folded totals (router_counters) and the deltas not folded yet. A node folds the deltas
 * into the totals once it has appended FOLD_EVERY of them (one transaction that deletes the deltas it folds, so
 * nodes folding at once never count a delta twice), which keeps the deltas table small without any row being
 * updated by every request.
 */
import type { CounterDelta, CounterRow, DecisionRecord, DecisionRef, DecisionsRepo } from '../decisions-repo.js';
import { logger } from '../../log.js';
import { nodeName, query, run, type PgPool } from './db.js';
import { PgNames } from './names.js';
import type { ChangeMarker } from './changes.js';

const log = logger('postgres');

/** Deltas a node appends before it folds them into the totals. */
export const FOLD_EVERY = 500;

export const toBytea = (v: Float32Array | null): Buffer | null => (v ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : null);
export function fromBytea(buf: Buffer | null): Float32Array | null {
  if (!buf) return null;
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Float32Array(copy.buffer, 0, Math.floor(buf.byteLength / 4));
}

/** The deltas as four parallel arrays (one INSERT … SELECT FROM unnest, however many there are). */
export function deltaArrays(counters: CounterDelta[]): [string[], string[], number[], number[]] {
  return [counters.map((c) => c[0]), counters.map((c) => c[1]), counters.map((c) => Math.round(c[2])), counters.map((c) => c[3])];
}
export const INSERT_DELTAS = `INSERT INTO router_counter_deltas (metric, key, n, v)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[])`;

/** Folds every delta into the totals, in one statement (its own transaction). Returns how many were folded. */
export async function foldCounterDeltas(pool: PgPool): Promise<number> {
  const r = await query<{ n: number }>(
    pool,
    `WITH gone AS (DELETE FROM router_counter_deltas RETURNING metric, key, n, v),
          sums AS (SELECT metric, key, sum(n)::bigint AS n, sum(v) AS v, count(*) AS rows FROM gone GROUP BY metric, key),
          up AS (INSERT INTO router_counters (metric, key, n, v) SELECT metric, key, n, v FROM sums
                 ON CONFLICT (metric, key) DO UPDATE SET n = router_counters.n + excluded.n, v = router_counters.v + excluded.v)
     SELECT coalesce(sum(rows), 0)::bigint AS n FROM sums`,
  );
  return r.rows[0]?.n ?? 0;
}

/** Counts appended deltas and folds them (in the background, one fold at a time) every FOLD_EVERY. */
export class DeltaFolder {
  private appended = 0;
  private folding: Promise<void> | null = null;

  constructor(
    private readonly pool: PgPool,
    private readonly every = FOLD_EVERY,
    private readonly foldFn: (pool: PgPool) => Promise<number> = foldCounterDeltas,
  ) {}

  /** Call after the deltas committed. */
  appendedDeltas(n: number): void {
    this.appended += n;
    if (this.appended < this.every || this.folding) return;
    this.appended = 0;
    this.folding = this.foldFn(this.pool)
      .then(() => undefined)
      .catch((e: Error) => log.warn('folding counter deltas failed; they stay and are folded later', { error: e.message }))
      .finally(() => {
        this.folding = null;
      });
  }

  /** Waits for a fold under way (tests, close). */
  async idle(): Promise<void> {
    await this.folding;
  }
}

/** What a PostgreSQL repository that writes is told (PgWriter). */
export interface PgWriterOptions {
  /** This node's name on the rows it writes (default nodeName(): host and process id). */
  node?: string;
  /** The names dictionary shared by the store's repositories (default: one of this repository's own). */
  names?: PgNames;
  /** Deltas appended before a fold (default FOLD_EVERY). */
  foldEvery?: number;
  /** Told after each write (the store's word to other nodes, changes.ts). */
  changes?: ChangeMarker;
}

export interface PgRepoOptions extends PgWriterOptions {
  /** The folder shared by the store's repositories that append counter deltas (default: one of its own). */
  folder?: DeltaFolder;
}

export const NO_MARKER: ChangeMarker = { wrote() {} };

/** What the repositories that write rows share: the pool, this node's name, the names dictionary, the change marker. */
export abstract class PgWriter {
  protected readonly node: string;
  protected readonly names: PgNames;
  protected readonly changes: ChangeMarker;

  constructor(
    protected readonly pool: PgPool,
    o: PgWriterOptions,
  ) {
    this.node = o.node ?? nodeName();
    this.names = o.names ?? new PgNames(pool);
    this.changes = o.changes ?? NO_MARKER;
  }
}

/** The columns of a router_decisions row, in the order of decisionValues. */
const DECISION_COLUMNS = `id, created_at, node_id, route, strategy, level, score, task_type, sensitive, forced, categories, reason_codes,
  reasons, local_model_id, input_tokens, output_tokens, local_usd, cloud_usd, saving_usd, confidence, agent_id, features, latency_ms`;

/** `INSERT INTO router_decisions (…) VALUES (…)`, its values numbered from `$first`, in the order of decisionValues. */
export function insertDecisionSql(first: number): string {
  const values = DECISION_COLUMNS.split(',').map((_, i) => `$${first + i}`);
  return `INSERT INTO router_decisions (${DECISION_COLUMNS}) VALUES (${values.join(', ')})`;
}

/** A decision's values for insertDecisionSql (`node` and `model`: their ids in store_names). */
export function decisionValues(d: DecisionRecord, node: number, model: number | null): unknown[] {
  return [
    d.id,
    d.createdAt,
    node,
    d.route,
    d.strategy,
    d.level,
    d.score,
    d.taskType,
    d.sensitive,
    d.forced,
    d.categories,
    d.reasonCodes,
    d.reasons,
    model,
    d.inputTokens,
    d.outputTokens,
    d.localUsd,
    d.cloudUsd,
    d.savingUsd,
    d.confidence,
    d.agentId,
    toBytea(d.features),
    d.latencyMs,
  ];
}

export class PgDecisionsRepo extends PgWriter implements DecisionsRepo {
  readonly folder: DeltaFolder;

  constructor(pool: PgPool, o: PgRepoOptions = {}) {
    super(pool, o);
    this.folder = o.folder ?? new DeltaFolder(pool, o.foldEvery);
  }

  /** The record and its counter deltas in one statement: committed (or in the caller's transaction) when it resolves. */
  async insert(d: DecisionRecord, counters: CounterDelta[]): Promise<void> {
    const node = await this.names.id(this.node);
    const model = d.localModel === null ? null : await this.names.id(d.localModel);
    await run(
      this.pool,
      `WITH d AS (${insertDecisionSql(5)} RETURNING 1)
       INSERT INTO router_counter_deltas (metric, key, n, v)
         SELECT u.* FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[]) AS u, d`,
      [...deltaArrays(counters), ...decisionValues(d, node, model)],
    );
    this.folder.appendedDeltas(counters.length);
    this.changes.wrote();
  }

  async get(id: string): Promise<DecisionRef | null> {
    const r = await run<{ id: string; route: string; features: Buffer | null; local_model: string | null }>(
      this.pool,
      `SELECT d.id, d.route, d.features, m.name AS local_model FROM router_decisions d
         LEFT JOIN store_names m ON m.id = d.local_model_id WHERE d.id = $1`,
      [id],
    );
    const row = r.rows[0];
    return row ? { id: row.id, route: row.route, features: fromBytea(row.features), localModel: row.local_model } : null;
  }

  /** The folded totals plus the deltas not folded yet, read in one statement (one snapshot: a fold is seen whole or not at all). */
  async counters(): Promise<CounterRow[]> {
    const r = await run<CounterRow>(
      this.pool,
      `SELECT metric, key, sum(n)::bigint AS n, sum(v) AS v FROM (
         SELECT metric, key, n, v FROM router_counters UNION ALL SELECT metric, key, n, v FROM router_counter_deltas) c
       GROUP BY metric, key`,
    );
    return r.rows;
  }

  /** Folds the deltas into the totals now (tests, benches); returns how many were folded. */
  fold(): Promise<number> {
    return foldCounterDeltas(this.pool);
  }
}
