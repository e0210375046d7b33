/**
 * The outcomes repository: how a routed task went. Two records, kept apart because they hold different facts:
 *  - an outcome belongs to one decision (at most one per decision, deleted with it); its route, local model and
 *    features are the decision's, so it stores only success, quality, notes and when;
 *  - an observation is a task done outside route_task (a pattern stored with the route it ran on): no decision
 *    exists, so it carries its own route, model, features and source.
 * Both feed the learner the same way; `since` and `recent` read them as one stream of LearnedOutcome.
 * (A pattern's success and failure counts in the pattern bank are that pattern's usage tally, not an outcome
 * record: they are updated by the same report, in its transaction, by the patterns repository.)
 *
 * Every method returns a Promise (a PostgreSQL implementation on async `pg` fits behind them); there is no
 * synchronous twin. Reported outcomes are written through the outcome unit of work (store/unit-of-work.ts) by the
 * engine, or `insertOutcome` by a router used on its own; the router catches up on other processes' reports with
 * `since`. At start the router asks for `marks` and then `recent` (the replay), and awaits the marks before its first
 * catch-up (a row written between the two reads is learned twice at worst, never missed); its observation turns and
 * its close() await `insertObservations` and `pruneObservations` (queued observations are written before the store
 * closes).
 */

export interface OutcomeRow {
  decisionId: string;
  success: boolean;
  quality: number | null;
  notes: string | null;
  reportedAt: number;
}

export interface ObservationRow {
  createdAt: number;
  route: 'local' | 'cloud';
  success: boolean;
  quality: number | null;
  source: string;
  features: Float32Array;
  model: string | null;
}

/** An outcome or observation as the learner reads it. `mark` orders each kind (outcomes and observations apart). */
export interface LearnedOutcome {
  kind: 'outcome' | 'observation';
  mark: number;
  route: string;
  model: string | null;
  features: Float32Array | null;
  success: boolean;
  quality: number | null;
}

export interface OutcomesRepo {
  /** The outcome and its counters (outcome, outcome_quality by route), one transaction; returns its mark. */
  insertOutcome(o: OutcomeRow, route: string): Promise<number>;
  reportedAt(decisionId: string): Promise<number | null>;
  /** Observations and their counter, one transaction; returns their marks. */
  insertObservations(rows: ObservationRow[]): Promise<number[]>;
  /** Deletes the oldest observations beyond `keep`; returns how many. */
  pruneObservations(keep: number): Promise<number>;
  /** The newest `limit` outcomes and observations together, oldest first (the learner's replay). */
  recent(limit: number): Promise<LearnedOutcome[]>;
  /** Outcomes and observations after the marks, at most `limit` of each (other processes' reports). */
  since(outcomeMark: number, observationMark: number, limit: number): Promise<LearnedOutcome[]>;
  /** The current marks (everything at or below is in a replay read now). */
  marks(): Promise<{ outcome: number; observation: number }>;
}
