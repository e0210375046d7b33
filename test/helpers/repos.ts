/** SQLite repositories on one test database, for components built on repositories (Router, Ledger, ModelManager). */
import type { DB } from '../../src/engine/store/db.js';
import { SqliteDecisionsRepo, SqliteOutcomesRepo } from '../../src/engine/store/sqlite/decisions.js';
import { SqliteLedgerRepo } from '../../src/engine/store/sqlite/ledger.js';
import { SqliteModelsRepo } from '../../src/engine/store/sqlite/models.js';

/** The router's repositories ({ decisions, outcomes }) on a database opened with the router's migrations. */
export function routerRepos(db: DB): { decisions: SqliteDecisionsRepo; outcomes: SqliteOutcomesRepo } {
  return { decisions: new SqliteDecisionsRepo(db), outcomes: new SqliteOutcomesRepo(db) };
}

/** The ledger repository on a database opened with the ledger's and the router's migrations. */
export function ledgerRepo(db: DB): SqliteLedgerRepo {
  return new SqliteLedgerRepo(db);
}

/** The models repository on a database opened with the models module's migrations. */
export function modelsRepo(db: DB): SqliteModelsRepo {
  return new SqliteModelsRepo(db);
}
