/**
 * The models module's SQLite migrations (module name "models", versions as applied in users' databases): models seen
 * by discovery and the model manager's state (the saved swap).
 */
import type { Migration } from '../db.js';

export const migrations: Migration[] = [
  {
    module: 'models',
    version: 1,
    description: 'discovered models and the active model',
    up: `
      CREATE TABLE models (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        backend TEXT NOT NULL,
        source TEXT NOT NULL,
        path TEXT,
        base_url TEXT,
        info TEXT NOT NULL,
        first_seen TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        last_seen TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
      CREATE TABLE model_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
      );
    `,
  },
];
