import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type DB = Database.Database;

/**
 * A schema change owned by one engine module. Versions are per module and
 * applied in ascending order, each inside its own transaction, exactly once.
 */
export interface Migration {
  module: string;
  version: number;
  description: string;
  up: string | ((db: DB) => void);
}

export interface OpenOptions {
  /** Open read-only (no migrations are applied). */
  readonly?: boolean;
}

/**
 * Opens (creating if needed) the SQLite database in WAL mode and applies any
 * pending migrations. WAL with synchronous=NORMAL keeps every committed
 * transaction across a process crash (kill -9); only an OS crash or power loss
 * can drop the last commits, which is the trade-off that makes >1,000 stores/s possible.
 */
export function openDatabase(file: string, migrations: Migration[], opts: OpenOptions = {}): DB {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) applyMigrations(db, migrations);
  return db;
}

export function applyMigrations(db: DB, migrations: Migration[]): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    module TEXT NOT NULL,
    version INTEGER NOT NULL,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    PRIMARY KEY (module, version)
  )`);
  const seen = new Set<string>();
  for (const m of migrations) {
    const key = `${m.module}@${m.version}`;
    if (seen.has(key)) throw new Error(`duplicate migration ${key}`);
    seen.add(key);
  }
  const applied = new Set(
    (db.prepare('SELECT module, version FROM schema_migrations').all() as { module: string; version: number }[]).map(
      (r) => `${r.module}@${r.version}`,
    ),
  );
  const pending = migrations
    .filter((m) => !applied.has(`${m.module}@${m.version}`))
    .sort((a, b) => (a.module === b.module ? a.version - b.version : a.module < b.module ? -1 : 1));
  const record = db.prepare('INSERT INTO schema_migrations (module, version, description) VALUES (?, ?, ?)');
  for (const m of pending) {
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      record.run(m.module, m.version, m.description);
    })();
  }
  return pending.length;
}
