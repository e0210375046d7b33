/**
 * The store bundle: every repository of one database, opened together, and what the engine needs of the database
 * itself (word of other processes' commits, its storage figures, closing it). The engine is built on a Store and
 * never on a database handle: `openSqliteStore` (store/sqlite/store.ts) opens the embedded default; a PostgreSQL
 * store offers the same shape.
 *
 * Every repository method returns a Promise (see each interface); no member of the bundle has a database engine's
 * type in it.
 */
import type { CheckpointerStats } from './checkpointer.js';
import type { DecisionsRepo } from './decisions-repo.js';
import type { LedgerRepo } from './ledger-repo.js';
import type { ModelsRepo } from './models-repo.js';
import type { OutcomesRepo } from './outcomes-repo.js';
import type { PatternsRepo } from './patterns-repo.js';
import type { OutcomeUnitOfWork } from './unit-of-work.js';

/**
 * What the stats resource shows of the store (EngineStats.storage): SQLite's WAL checkpoints (CheckpointerStats);
 * another engine its own figures, flat and JSON-safe.
 */
export type StoreStats = CheckpointerStats | { [figure: string]: string | number | boolean | null };

export interface Store {
  /** Which engine holds the data. */
  readonly kind: 'sqlite' | 'postgres';
  /** Patterns, their vectors and change log (store/patterns-repo.ts). */
  readonly patterns: PatternsRepo;
  /** The one decision record and the routing counters (store/decisions-repo.ts). */
  readonly decisions: DecisionsRepo;
  /** Outcomes of decisions and observations (store/outcomes-repo.ts). */
  readonly outcomes: OutcomesRepo;
  /** Completions, their counters and day rollups, and the report reads (store/ledger-repo.ts). */
  readonly ledger: LedgerRepo;
  /** Discovered models and the saved swap (store/models-repo.ts). */
  readonly models: ModelsRepo;
  /** A reported outcome and the tally of its decision's patterns, written together (store/unit-of-work.ts). */
  readonly outcomeWork: OutcomeUnitOfWork;
  /**
   * Calls `listener` when another process committed to this store (SQLite: the data_version poll, about once a
   * second; this process's own commits do not call it). Returns the unsubscribe function.
   */
  onExternalChange(listener: () => void): () => void;
  /** The store's storage figures, for the stats resource. */
  stats(): StoreStats;
  /** Stops the store's timers and workers and closes the database; the repositories are unusable after. */
  close(): Promise<void>;
}
