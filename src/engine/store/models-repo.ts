/**
 * The models repository: models seen by discovery (kept across restarts, for the models list) and small state
 * values by key (the active model a swap saved). Plain types, no database engine's types.
 *
 * Methods that touch the database return Promises (a PostgreSQL implementation on async `pg` fits behind them):
 * the model manager records a discovery through `upsertModels` before the discovery resolves. Its synchronous paths
 * use the `*Sync` twins of ModelsRepoSync, which only an embedded, synchronous engine (SQLite through better-sqlite3)
 * offers: `rememberedModelsSync` serves ModelManager.rememberedModels() (synchronous, public); `getStateSync` reads
 * the saved swap at the very start of start(), before the first await, so a swap asked for right after start() still
 * queues behind the start's own load; `setStateSync` saves a swap between making the new model active and retiring
 * the old one, with no await in between (no caller ever sees the swap half done).
 */

/** One model as discovery saw it. `info` is the model's description as JSON (the models module owns its shape). */
export interface StoredModel {
  id: string;
  name: string;
  backend: string;
  source: string;
  path: string | null;
  baseUrl: string | null;
  info: string;
}

export interface RememberedModel {
  /** The description as stored (JSON). */
  info: string;
  /** When discovery last saw it, ISO 8601 UTC. */
  lastSeen: string;
}

export interface ModelsRepo {
  /** Inserts or updates the models (by id; last seen = now), one transaction. */
  upsertModels(list: StoredModel[]): Promise<void>;
  /** Every model ever seen, most recently seen first. */
  rememberedModels(): Promise<RememberedModel[]>;
  /** A state value by key, or null. */
  getState(key: string): Promise<string | null>;
  setState(key: string, value: string): Promise<void>;
}

export interface ModelsRepoSync extends ModelsRepo {
  upsertModelsSync(list: StoredModel[]): void;
  rememberedModelsSync(): RememberedModel[];
  getStateSync(key: string): string | null;
  setStateSync(key: string, value: string): void;
}
