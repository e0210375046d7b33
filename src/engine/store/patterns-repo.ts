/**
 * The pattern bank's storage seam: what the bank's logic (ranking, merging, the group-commit queue, index sync)
 * asks of its database. Plain TypeScript types only; no database engine's type appears here. SQLite implements
 * it (sqlite/patterns-repo.ts); a PostgreSQL implementation can sit behind the same interface.
 *
 * Every method touches the database and returns a Promise, so that an engine reached over the network (PostgreSQL
 * through async `pg`) can implement it; the bank's public reads and writes (get, list, delete, recordOutcome,
 * idsForDecision, prune, stats, exportBundle, usage counts, index replay) await them. Writes that must commit
 * together with another repository's go through the outcome unit of work (unit-of-work.ts), which each engine
 * implements with its own transaction.
 */

/** One pattern's text after the privacy rescan redacted it (old: the text before, for the change log). */
export interface RedactionChange {
  seq: number;
  old: { task: string; approach: string; outcome: string | null; tags: string };
  task: string;
  approach: string;
  key: string;
  outcome: string | null;
  tags: string;
  cats: string;
  vec: Float32Array | null;
}

/** A stored pattern as the database holds it (uses include the counts finds recorded separately). */
export interface PatternRow {
  seq: number;
  id: string;
  task: string;
  approach: string;
  approach_key: string;
  outcome: string | null;
  quality: number;
  iterations: number;
  converged: number;
  model: string | null;
  backend: string | null;
  route: string | null;
  /** JSON array of strings. */
  tags: string;
  domain: string | null;
  agent_id: string | null;
  count: number;
  uses: number;
  successes: number;
  failures: number;
  embedder: string;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  /** JSON array of category names. */
  privacy_categories: string;
}

export type NewPatternRow = Omit<PatternRow, 'seq'> & { decision_id: string | null };

/** The values a merge writes into its near-duplicate (text columns null: keep the stored value). */
export interface MergeUpdate {
  count: number;
  quality: number;
  iterations: number;
  converged: number;
  outcome: string | null;
  model: string | null;
  backend: string | null;
  route: string | null;
  tags: string;
  domain: string | null;
  agentId: string | null;
  addUses: number;
  addSuccesses: number;
  addFailures: number;
  updatedAt: string;
  privacyCategories: string;
}

/**
 * One entry of the change log, in commit order: what the HNSW index must apply ('upsert', 'delete'); on PostgreSQL
 * also what a node's read model reads again ('update': a row changed, 'uses': usage counts, 'reset': everything),
 * which the index skips.
 */
export interface VecLogEntry {
  lsn: number;
  seq: number;
  op: 'upsert' | 'delete' | 'update' | 'uses' | 'reset';
}

/** A find's filters, already validated; tags normalised (trimmed, unique, sorted). */
export interface PatternFilter {
  minQuality?: number;
  domain?: string;
  agentId?: string;
  converged?: boolean;
  tags?: string[];
}

/** A same-approach candidate for a store's near-duplicate check: its stored vector, or its similarity from the index. */
export type DuplicateCandidate = { seq: number; vector: Float32Array; sim?: undefined } | { seq: number; sim: number; vector?: undefined };

/** One store handed to commitStores; `I` is what the bank's write policy needs to know about it. */
export interface StoreWrite<I> {
  item: I;
  /** approachKey of the approach. */
  key: string;
  /** The vector of the active embedder (null: none yet, e.g. while re-embedding). */
  vec: Float32Array | null;
  /** The vector of the embedder being switched to, when a switch runs. */
  targetVec: Float32Array | null;
  /** Candidates from the vector index (approaches shared by many patterns); undefined: compare exactly. */
  viaIndex?: { label: number; sim: number }[];
  /** Runs inside the transaction before anything of this store is written; throwing undoes the store. */
  inTransaction?: () => void;
  /** A bundle id to keep when it is still free (else `fallbackId`), and to alias when the store merges. */
  importedId?: string | null;
  fallbackId: string;
}

/** The bank's decisions inside a store transaction: pure functions, no database access. */
export interface WritePolicy<I> {
  /** How many same-approach stored vectors an exact near-duplicate check reads at most. */
  exactScanLimit: number;
  /** The near-duplicate to merge into (a candidate's seq) or null. */
  pickDuplicate(vec: Float32Array, candidates: DuplicateCandidate[]): number | null;
  mergeInto(item: I, existing: PatternRow, now: string): MergeUpdate;
  newRow(item: I, id: string, embedder: string, now: string): NewPatternRow;
}

export interface CommittedStore {
  seq: number;
  /** 0 when the store merged (the vector index does not change). */
  lsn: number;
  merged: boolean;
  /** The row as written (merged: read back, with its uses). */
  row: PatternRow;
}

/** What a find asks of `findRows` in one query. */
export interface FindRowsQuery {
  /** The vector side's hits. */
  seqs: number[];
  /** Full-text terms (already tokenised) for the text candidates; empty: none. */
  terms: string[];
  filter: PatternFilter | null;
  /** At most this many text candidates. */
  limit: number;
  embedder: string;
  dim: number;
}

export interface FindRows {
  /** The text candidates' seqs, best first. */
  lex: number[];
  /** Rows with uses of the hits and the text candidates; `ok`: passes the filter. */
  rows: (PatternRow & { ok: boolean })[];
  /** Stored vectors of the text candidates that are not among the hits. */
  vecs: Map<number, Float32Array>;
}

export interface BankInit {
  bankId: string;
  total: number;
  activeId: string;
  activeDim: number;
}

/**
 * Word of changes other processes or nodes committed, for a repository whose database is shared by several (a
 * PostgreSQL fleet): the bank then catches its index up at once instead of at its next read.
 */
export interface ChangeFeed {
  /** Calls `onChange` when changes committed elsewhere may be waiting in the log; `close` stops it. */
  watch(onChange: () => void): { close(): Promise<void> };
}

export interface PatternsRepo {
  /**
   * Reads or creates the bank id and the active embedder in one write transaction, so processes opening
   * together agree (an empty bank takes `embedder`).
   */
  init(embedder: string, dim: number): Promise<BankInit>;
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  delMeta(key: string): Promise<void>;
  count(): Promise<number>;
  /** The highest change-log lsn ever issued (0 when none), also after the log was trimmed. */
  maxLsn(): Promise<number>;

  // ------------------------------------------------ writes
  /** How many patterns have this approach key, counting at most `limit`. */
  countApproach(key: string, limit: number): Promise<number>;
  /**
   * Group commit: writes the stores in one transaction, each in its own savepoint (one that fails leaves the
   * others alone), in order, so a store sees the stores before it. Resolves after the commit.
   */
  commitStores<I>(
    writes: StoreWrite<I>[],
    policy: WritePolicy<I>,
    embedders: { active: string; target: string | null },
  ): Promise<({ ok: CommittedStore } | { err: Error })[]>;
  /** Whether an id (or a bundle alias) is taken. */
  idTaken(id: string): Promise<boolean>;
  /** Trims the change log up to `lsn` and records it (log_trimmed_upto). */
  trimLog(lsn: number): Promise<void>;
  /**
   * Deletes the patterns and logs each delete, in one transaction; returns the first and last lsn (0 when none) and
   * the seqs this call deleted (not those already gone: another process deleting the same patterns at once).
   */
  delete(seqs: number[]): Promise<{ first: number; last: number; deleted: number[] }>;
  /**
   * Adds an outcome to a pattern (success or failure; quality as given by `quality(old)`), read and written in one
   * transaction so that another process's report in between is not overwritten; the row after (with uses), or null
   * for an unknown id.
   */
  recordOutcome(id: string, success: boolean, quality: (old: number) => number, now: string): Promise<PatternRow | null>;
  /** Adds find counts (seqs grouped by count) in one transaction; patterns deleted meanwhile are skipped. */
  addUses(byCount: Map<number, number[]>, now: string): Promise<void>;
  /** Adds to pruned_total and sets last_prune in one transaction (processes pruning at once add up). */
  notePrune(pruned: number, at: string): Promise<void>;

  // ------------------------------------------------ reads
  /** A row with uses, by its public id. */
  rowById(id: string): Promise<PatternRow | null>;
  /** A row with uses, by its seq. */
  rowBySeq(seq: number): Promise<PatternRow | null>;
  /** Rows with uses after `afterSeq`, in seq order, at most `limit`. */
  page(afterSeq: number, limit: number): Promise<PatternRow[]>;
  /** Ids of the patterns stored with this routing decision id. */
  idsForDecision(decisionId: string): Promise<string[]>;
  /**
   * Patterns to prune: failing (at least minUses outcomes, failure rate above maxFailureRate), or rarely used (fewer
   * than minUses uses and outcomes together) and not used since `cutoff` (an ISO time).
   */
  pruneCandidates(o: { minUses: number; maxFailureRate: number; cutoff: string }): Promise<{ seq: number; id: string }[]>;
  /** Every row with uses, in seq order (for bundles). */
  allRows(): Promise<PatternRow[]>;
  /** The raw stored vectors (float16 blobs, as in bundles) of `embedder`, by seq. */
  storedVectors(embedder: string): Promise<Map<number, Uint8Array>>;
  vectorOf(seq: number, embedder: string, dim: number): Promise<Float32Array | null>;
  vectorsOf(seqs: number[], embedder: string, dim: number): Promise<Map<number, Float32Array>>;
  tasksOf(seqs: number[]): Promise<Map<number, string>>;
  /** Rows with uses. */
  rowsBySeqs(seqs: number[]): Promise<PatternRow[]>;
  /** Documents whose text has the (already tokenised) term. */
  docFreq(term: string): Promise<number>;
  /**
   * Full-text candidates for an OR of terms, best first by the database's own BM25, with that score
   * (higher is better), optionally restricted by a filter.
   */
  textSearch(terms: string[], filter: PatternFilter | null, limit: number): Promise<{ seq: number; score: number }[]>;
  /** The database's BM25 (higher is better) of the given patterns for an OR of terms; unmatched ones are absent. */
  textScores(terms: string[], seqs: number[]): Promise<Map<number, number>>;
  /** The seqs among `seqs` (all patterns when null) that pass the filter. */
  filterSeqs(seqs: number[] | null, filter: PatternFilter): Promise<Set<number>>;
  /**
   * Optional: a find's reads in one query, for a database reached over the network (PostgreSQL): the full-text
   * candidates of an OR of `terms` (passing the filter, best first by the database's rank, at most `limit`; none
   * when `terms` is empty), the rows with uses of those and of `seqs` (the vector side's hits; `ok`: the row passes
   * the filter, true when none), and the stored vectors of `embedder` of the text candidates not in `seqs`. A
   * repository without it is asked textSearch, then rowsBySeqs and vectorsOf (SQLite: in process, no round trips).
   */
  findRows?(q: FindRowsQuery): Promise<FindRows>;
  /** Optional: a node-local read model's size and change-log mark (PostgreSQL), null when it has none loaded. */
  readModelStats?(): { patterns: number; lsn: number } | null;

  // ------------------------------------------------ the vector change log (index sync)
  /** Change-log entries after `lsn`, in lsn order. */
  changesAfter(lsn: number): Promise<VecLogEntry[]>;
  /** Change-log entries with lsn in (after, below), in lsn order. */
  logRange(after: number, below: number): Promise<VecLogEntry[]>;
  /** Seqs of the vectors of `embedder`. */
  vectorSeqs(embedder: string): Promise<number[]>;
  /** How many vectors of `embedder` are stored. */
  countVectors(embedder: string): Promise<number>;

  // ------------------------------------------------ lifecycle
  /** Rows after `afterSeq`, in seq order, for the privacy rescan. */
  scanPage(
    afterSeq: number,
    limit: number,
  ): Promise<Pick<PatternRow, 'seq' | 'task' | 'approach' | 'outcome' | 'tags' | 'privacy_categories'>[]>;
  /**
   * Writes redacted text for a batch (a row changed meanwhile is left alone and reported in `stale`), replaces or
   * drops the vectors of rows whose task changed, logs those, and records `meta` in the same transaction.
   */
  applyRedactions(
    changes: RedactionChange[],
    embedder: string,
    meta: (stale: number[]) => [string, string],
  ): Promise<{ applied: number; stale: number[]; logged: { seq: number; lsn: number; vec: Float32Array | null }[] }>;
  /** Runs `fn` with secure_delete on (deleted text is overwritten in the file). */
  withSecureDelete<T>(fn: () => Promise<T>): Promise<T>;
  /** Merges the full-text index's segments, so deleted text leaves it. */
  purgeDeletedText(): Promise<void>;
  /** Moves the write-ahead log into the database file and truncates it (deleted text leaves the log too). */
  checkpoint(): Promise<void>;
  /** Vectors of `embedder` whose pattern still exists. */
  vectorsOfEmbedder(embedder: string, dim: number): Promise<{ seq: number; vec: Float32Array }[]>;
  /** Patterns after `afterSeq` without a vector of `embedder`. */
  missingVectors(embedder: string, afterSeq: number, limit: number): Promise<{ seq: number; task: string }[]>;
  /** Stores vectors of `embedder` for patterns that still exist; returns the indexes of those stored. */
  putVectors(embedder: string, items: { seq: number; vec: Float32Array }[]): Promise<number[]>;
  /** Makes `to` the active embedder: every pattern's embedder, `from`'s vectors deleted, the meta keys. */
  switchActive(from: string, to: string, dim: number): Promise<void>;
  /** Deletes the vectors of an abandoned switch target. */
  dropVectors(embedder: string, keep: string): Promise<void>;
}
