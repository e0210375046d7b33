/**
 * The decisions repository: the one decision record (shared by the router, which writes it, and the ledger, which
 * reports on it and rolls it up) and the routing stats counters updated in the same transaction. Plain types, no
 * database engine's types.
 *
 * Every method returns a Promise (a PostgreSQL implementation on async `pg` fits behind it): Router.decide() awaits
 * insert (a decision is returned only once its record committed), reportOutcome awaits get, stats awaits counters.
 * No synchronous twin is part of the interface.
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
