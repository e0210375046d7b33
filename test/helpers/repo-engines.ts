/**
 * The router's and the ledger's repositories on each engine, so one contract test runs on both (describe.each over
 * REPO_ENGINES): SQLite in a temp folder, PostgreSQL in a new database of the file's throwaway cluster
 * (test/helpers/pg.ts, started once per file by `usePostgres()`).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { migrations as ledgerMigrations } from '../../src/engine/store/sqlite/migrations-ledger.js';
import { migrations as routerMigrations } from '../../src/engine/store/sqlite/migrations-router.js';
import { SqliteLedgerRepo } from '../../src/engine/store/sqlite/ledger.js';
import { SqliteDecisionsRepo, SqliteOutcomesRepo } from '../../src/engine/store/sqlite/decisions.js';
import type { DecisionsRepo } from '../../src/engine/store/decisions-repo.js';
import type { OutcomesRepo } from '../../src/engine/store/outcomes-repo.js';
import type { LedgerRepo } from '../../src/engine/store/ledger-repo.js';
import { migrate, openPool, query, type PgPool } from '../../src/engine/store/postgres/db.js';
import { pgMigrations } from '../../src/engine/store/postgres/migrations.js';
import { PgDecisionsRepo } from '../../src/engine/store/postgres/decisions-repo.js';
import { PgOutcomesRepo } from '../../src/engine/store/postgres/outcomes-repo.js';
import { PgLedgerRepo } from '../../src/engine/store/postgres/ledger-repo.js';
import { PgNames } from '../../src/engine/store/postgres/names.js';
import { startPostgres, type TestPostgres } from './pg.js';
import { tempDir } from './tmp.js';

export interface RepoSet {
  engine: 'sqlite' | 'postgres';
  decisions: DecisionsRepo;
  outcomes: OutcomesRepo;
  ledger: LedgerRepo;
  /** The label of this set's rows in a group-by node. */
  nodeLabel: string;
  /** A number read with SQL both engines speak (`SELECT … AS n`). */
  count(sql: string): Promise<number>;
}

let server: TestPostgres | null = null;
const closers: (() => Promise<void> | void)[] = [];

/** Starts the file's PostgreSQL cluster before its tests, and closes every set opened after each test. */
export function usePostgres(): () => TestPostgres {
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(() => {
    server?.stop();
    server = null;
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });
  return () => {
    if (!server) throw new Error('usePostgres(): the cluster is not started');
    return server;
  };
}

/** A new PostgreSQL database with the router's and the ledger's migrations, and a pool on it (closed after the test). */
export async function newPgDatabase(): Promise<{ url: string; pool: PgPool }> {
  if (!server) throw new Error('usePostgres() first');
  const url = await server.newDatabase();
  const pool = openPool(url);
  closers.push(() => pool.end());
  await migrate(pool, pgMigrations);
  return { url, pool };
}

/** Another pool on the same database: another node. */
export function anotherPool(url: string): PgPool {
  const pool = openPool(url);
  closers.push(() => pool.end());
  return pool;
}

export function pgRepoSet(pool: PgPool, node: string): RepoSet {
  const names = new PgNames(pool);
  return {
    engine: 'postgres',
    decisions: new PgDecisionsRepo(pool, { node, names }),
    outcomes: new PgOutcomesRepo(pool),
    ledger: new PgLedgerRepo(pool, { node, names }),
    nodeLabel: node,
    count: async (sql) => Number((await query<{ n: number }>(pool, sql)).rows[0].n),
  };
}

export const REPO_ENGINES: { name: 'sqlite' | 'postgres'; open(): Promise<RepoSet> }[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = tempDir('repos-');
      const db: DB = openDatabase(join(dir, 'state.db'), [...ledgerMigrations, ...routerMigrations]);
      closers.push(() => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      });
      return {
        engine: 'sqlite',
        decisions: new SqliteDecisionsRepo(db),
        outcomes: new SqliteOutcomesRepo(db),
        ledger: new SqliteLedgerRepo(db),
        nodeLabel: '(this node)',
        count: async (sql) => Number((db.prepare(sql).get() as { n: number }).n),
      };
    },
  },
  {
    name: 'postgres',
    async open() {
      const { pool } = await newPgDatabase();
      return pgRepoSet(pool, 'node-a:1');
    },
  },
];
