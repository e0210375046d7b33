/**
 * The decisions repository: the one decision record (shared by the router, which writes it, and the ledger, which
 * reports on it and rolls it up) and the routing stats counters updated in the same transaction. Plain types, no
 * database engine's types.
 *
 * Methods that touch the database return Promises (a PostgreSQL implementation on async `pg` fits behind them). The
 * router's synchronous paths use the `*Sync` twins of DecisionsRepoSync, which only an embedded, synchronous engine
 * (SQLite through better-sqlite3) offers: decide() returns its decision only once the record is committed and runs
 * inside the engine's synchronous transactions (a stored pattern and the outcome it reports commit together, and a
 * better-sqlite3 transaction cannot span an await); stats() is read synchronously by the stats resource. Making
 * route(), reportOutcome() and stats() async end to end is what a second engine needs first.
 */

/** One routing decision as stored. The task text is never part of it. */
export interface DecisionRecord {
  id: string;
  createdAt: number;
  route: string;
  strategy: string;
  level: string;
  score: number;
  taskType: string;
  sensitive: boolean;
  categories: string[];
  /** REASON_CODES (router/reasons.ts), one per reason. */
  reasonCodes: string[];
  reasons: string[];
  forced: boolean;
  localModel: string | null;
  inputTokens: number;
  outputTokens: number;
  localUsd: number;
  cloudUsd: number;
  savingUsd: number;
  confidence: number;
  agentId: string | null;
  /** Features of the redacted task (the learner's evidence), when learning is on. */
  features: Float32Array | null;
  /** How long the decision took, in ms. */
  latencyMs: number | null;
}

/** What outcomes need of a decision. */
export interface DecisionRef {
  id: string;
  route: string;
  features: Float32Array | null;
  localModel: string | null;
}

/** A counter delta: metric, key, count to add, value to add. */
export type CounterDelta = [metric: string, key: string, n: number, v: number];
export interface CounterRow {
  metric: string;
  key: string;
  n: number;
  v: number;
}

export interface DecisionsRepo {
  /** The record and its counters, one transaction. */
  insert(d: DecisionRecord, counters: CounterDelta[]): Promise<void>;
  get(id: string): Promise<DecisionRef | null>;
  /** Every stats counter (a few dozen rows). */
  counters(): Promise<CounterRow[]>;
}

export interface DecisionsRepoSync extends DecisionsRepo {
  insertSync(d: DecisionRecord, counters: CounterDelta[]): void;
  getSync(id: string): DecisionRef | null;
  countersSync(): CounterRow[];
  /** Whether the caller's connection is inside a transaction (no learning work is started then). */
  inTransaction(): boolean;
}
