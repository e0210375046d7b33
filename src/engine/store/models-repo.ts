/**
 * The models repository: models seen by discovery (kept across restarts, for the models list) and small state
 * values by key (the active model a swap saved). Plain types, no database engine's types.
 *
 * Every method returns a Promise (a PostgreSQL implementation on async `pg` fits behind them); there is no
 * synchronous twin. The model manager records a discovery through `upsertModels` before the discovery resolves;
 * ModelManager.rememberedModels() awaits `rememberedModels`; its start awaits `getState('active')` (the saved swap)
 * while holding the swap queue, so a swap asked for right after start() still queues behind the start's own load; a
 * swap awaits `setState('active', …)` before it makes the new model active (a swap whose save failed changes
 * nothing; no caller ever sees a swap half done).
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
