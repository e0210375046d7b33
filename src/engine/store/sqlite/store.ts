/**
 * The SQLite store (store/store.ts): one database file opened with every module's migrations, the WAL checkpointer
 * (a worker thread), the data_version poll that notices other processes' commits, and the SQLite repositories on that
 * one connection.
 */
import { openDatabase, type DB } from '../db.js';
import { Checkpointer } from '../checkpointer.js';
import type { Store, StoreStats } from '../store.js';
import { logger } from '../../log.js';
import { migrations as modelMigrations } from './migrations-models.js';
import { migrations as routerMigrations } from './migrations-router.js';
import { migrations as patternMigrations } from './migrations-patterns.js';
import { migrations as ledgerMigrations } from './migrations-ledger.js';
import { SqlitePatternsRepo } from './patterns-repo.js';
import { SqliteDecisionsRepo, SqliteOutcomesRepo } from './decisions.js';
import { SqliteLedgerRepo } from './ledger.js';
import { SqliteModelsRepo } from './models.js';
import { SqliteOutcomeUnitOfWork } from './unit-of-work.js';

const log = logger('store');

/** How often another process's commits are looked for (PRAGMA data_version). */
const EXTERNAL_POLL_MS = 1000;

/** The SQLite store; `db` is the connection, for the pattern bank (which opens on it) and white-box tests only. */
export interface SqliteStore extends Store {
  readonly kind: 'sqlite';
  readonly db: DB;
}

/**
 * Opens (creating or migrating) the database file `paths.database` with the migrations of the models, router,
 * patterns and ledger modules, in that order (the order every database so far was opened with).
 */
export function openSqliteStore(paths: { database: string }): SqliteStore {
  const db = openDatabase(paths.database, [...modelMigrations, ...routerMigrations, ...patternMigrations, ...ledgerMigrations]);
  const checkpointer = new Checkpointer(db, paths.database);
  const listeners = new Set<() => void>();
  let closed = false;
  let dataVersion = 0;
  // Another process committed since the last look (its data_version moved; this connection's own commits do not move it).
  const poll = setInterval(() => {
    if (closed) return;
    let v: number;
    try {
      v = Number(db.pragma('data_version', { simple: true }));
    } catch {
      return;
    }
    const moved = dataVersion !== 0 && v !== dataVersion;
    dataVersion = v;
    if (!moved) return;
    for (const l of listeners) {
      try {
        l();
      } catch (e) {
        log.warn('external change listener failed', { error: (e as Error).message });
      }
    }
  }, EXTERNAL_POLL_MS);
  poll.unref();
  return {
    kind: 'sqlite',
    db,
    patterns: new SqlitePatternsRepo(db),
    decisions: new SqliteDecisionsRepo(db),
    outcomes: new SqliteOutcomesRepo(db),
    ledger: new SqliteLedgerRepo(db),
    models: new SqliteModelsRepo(db),
    outcomeWork: new SqliteOutcomeUnitOfWork(db),
    onExternalChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats(): StoreStats {
      return checkpointer.stats();
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      listeners.clear();
      try {
        await checkpointer.close();
      } finally {
        db.close();
      }
    },
  };
}
