/**
 * The PostgreSQL store (store/store.ts) for a fleet: patterns, decisions, outcomes, observations and the ledger in one
 * PostgreSQL database shared by every node, migrated once however many nodes start together (migrate()'s advisory
 * lock); what is per machine stays in the node's local SQLite file: discovered models and the saved swap (model
 * discovery looks at this machine's folders and servers).
 *
 * The patterns repository comes from its own module (PgPatternsRepo, postgres/patterns-repo.ts): the caller passes it
 * in the `patterns` slot, with its migrations; when it counts outcomes itself (`countOutcome`), the outcome unit of
 * work calls it inside its transaction, else the unit of work's own tally (unit-of-work.ts) runs.
 */
import { openDatabase, type DB } from '../db.js';
import type { PatternsRepo } from '../patterns-repo.js';
import type { Store, StoreStats } from '../store.js';
import { migrations as modelMigrations } from '../sqlite/migrations-models.js';
import { SqliteModelsRepo } from '../sqlite/models.js';
import { migrate, nodeName, openPool, redactUrl, type PgMigration, type PgPool } from './db.js';
import { PgChanges } from './changes.js';
import { DeltaFolder, PgDecisionsRepo } from './decisions-repo.js';
import { PgLedgerRepo } from './ledger-repo.js';
import { pgMigrations } from './migrations.js';
import { PgNames } from './names.js';
import { PgOutcomesRepo } from './outcomes-repo.js';
import { PgOutcomeUnitOfWork, type PatternOutcomeCounter } from './unit-of-work.js';

/** The slot for the patterns repository (h/pgpatterns: PgPatternsRepo and its migrations, module "patterns"). */
export interface PgPatternsSlot {
  /** Its PgMigrations, applied with the router's and the ledger's. */
  migrations: PgMigration[];
  /** The repository on the store's pool (and its own LISTEN on `url`, for the replica). */
  open(pool: PgPool, o: { url: string; node: string }): PatternsRepo & Partial<PatternOutcomeCounter> & { close?(): Promise<void> | void };
}

export interface PostgresStoreOptions {
  /** The node's local SQLite file for what stays per machine (discovered models, the saved swap): paths.database. */
  database: string;
  /** PATTERNS SLOT: the patterns repository and its migrations (PgPatternsRepo, postgres/patterns-repo.ts). */
  patterns: PgPatternsSlot;
  /** This node's name on the rows it writes (default nodeName(): host and process id, or RUVLLM_MCP_NODE). */
  node?: string;
  /** Connections in this node's pool (default 8). */
  poolMax?: number;
}

export interface PostgresStore extends Store {
  readonly kind: 'postgres';
  /** The node's pool (tests, benches). */
  readonly pool: PgPool;
  readonly node: string;
}

/**
 * Opens the pool, applies the migrations not yet applied (router, ledger, patterns), opens the local SQLite file for
 * the models, and returns the store. Rejects with a RetryableError while PostgreSQL is unreachable (nothing is
 * half-open: the pool and the file are closed again).
 */
export async function openPostgresStore(url: string, o: PostgresStoreOptions): Promise<PostgresStore> {
  const node = o.node ?? nodeName();
  const pool = openPool(url, { max: o.poolMax });
  let local: DB | null = null;
  try {
    await migrate(pool, [...pgMigrations, ...o.patterns.migrations]);
    local = openDatabase(o.database, modelMigrations);
  } catch (e) {
    local?.close();
    await pool.end().catch(() => {});
    throw e;
  }
  const db = local;
  const names = new PgNames(pool);
  const changes = new PgChanges(pool, url, node);
  const folder = new DeltaFolder(pool);
  const decisions = new PgDecisionsRepo(pool, { node, names, folder, changes });
  const outcomes = new PgOutcomesRepo(pool, { folder, changes });
  const ledger = new PgLedgerRepo(pool, { node, names, changes });
  const patterns = o.patterns.open(pool, { url, node });
  const counter: PatternOutcomeCounter | undefined =
    typeof patterns.countOutcome === 'function'
      ? { countOutcome: (id, success, quality) => patterns.countOutcome!(id, success, quality) }
      : undefined;
  const outcomeWork = new PgOutcomeUnitOfWork(pool, { outcomes, patterns: counter });
  let closed = false;
  return {
    kind: 'postgres',
    pool,
    node,
    patterns,
    decisions,
    outcomes,
    ledger,
    models: new SqliteModelsRepo(db),
    outcomeWork,
    onExternalChange: (listener) => changes.onExternalChange(listener),
    stats(): StoreStats {
      return {
        engine: 'postgres',
        url: redactUrl(url),
        node,
        poolConnections: pool.totalCount,
        poolIdle: pool.idleCount,
        poolWaiting: pool.waitingCount,
      };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await changes.close();
        await Promise.all([folder.idle(), ledger.folder.idle()]);
        await patterns.close?.();
      } finally {
        db.close();
        await pool.end();
      }
    },
  };
}
