/**
 * SQLite implementation of the models repository (tables models and model_state, migrations-models.ts). Synchronous
 * underneath (better-sqlite3); the Promise methods wrap private synchronous ones. Statements are prepared on first use.
 */
import { writeTx, type DB } from '../db.js';
import type { ModelsRepo, RememberedModel, StoredModel } from '../models-repo.js';

export class SqliteModelsRepo implements ModelsRepo {
  constructor(private readonly db: DB) {}

  private upsertModelsSync(list: StoredModel[]): void {
    const up = this.db.prepare(
      `INSERT INTO models (id, name, backend, source, path, base_url, info) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name=excluded.name, backend=excluded.backend, source=excluded.source, path=excluded.path,
           base_url=excluded.base_url, info=excluded.info, last_seen=strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
    );
    writeTx(this.db, () => {
      for (const m of list) up.run(m.id, m.name, m.backend, m.source, m.path, m.baseUrl, m.info);
    })();
  }

  private rememberedModelsSync(): RememberedModel[] {
    const rows = this.db.prepare('SELECT info, last_seen FROM models ORDER BY last_seen DESC').all() as {
      info: string;
      last_seen: string;
    }[];
    return rows.map((r) => ({ info: r.info, lastSeen: r.last_seen }));
  }

  private getStateSync(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM model_state WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? row.value : null;
  }

  private setStateSync(key: string, value: string): void {
    this.db
      .prepare(
        `INSERT INTO model_state (key, value) VALUES (?, ?)
         ON CONFLICT(key) DO UPDATE SET value=excluded.value, updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
      )
      .run(key, value);
  }

  async upsertModels(list: StoredModel[]): Promise<void> {
    this.upsertModelsSync(list);
  }

  async rememberedModels(): Promise<RememberedModel[]> {
    return this.rememberedModelsSync();
  }

  async getState(key: string): Promise<string | null> {
    return this.getStateSync(key);
  }

  async setState(key: string, value: string): Promise<void> {
    this.setStateSync(key, value);
  }
}
