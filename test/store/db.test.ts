import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { applyMigrations, openDatabase, type Migration } from '../../src/engine/store/db.js';
import { tempDir } from '../helpers/tmp.js';

const migrations: Migration[] = [
  { module: 'demo', version: 1, description: 'items', up: 'CREATE TABLE demo_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)' },
  { module: 'demo', version: 2, description: 'tag', up: (db) => db.exec('ALTER TABLE demo_items ADD COLUMN tag TEXT') },
];

describe('store', () => {
  it('opens in WAL mode and applies each migration exactly once', () => {
    const file = join(tempDir(), 'x.db');
    const db = openDatabase(file, migrations);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.prepare('INSERT INTO demo_items (name, tag) VALUES (?, ?)').run('a', 't');
    db.close();
    const again = openDatabase(file, migrations);
    expect(applyMigrations(again, migrations)).toBe(0);
    expect(again.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 2 });
    expect(again.prepare('SELECT name, tag FROM demo_items').all()).toEqual([{ name: 'a', tag: 't' }]);
    again.close();
  });

  it('rolls back a failing migration and leaves it pending', () => {
    const file = join(tempDir(), 'y.db');
    const bad: Migration[] = [
      ...migrations,
      { module: 'demo', version: 3, description: 'broken', up: 'ALTER TABLE demo_items ADD COLUMN z TEXT; SELECT * FROM no_such_table' },
    ];
    expect(() => openDatabase(file, bad)).toThrow(/no_such_table/);
    const db = openDatabase(file, migrations);
    const cols = (db.prepare('PRAGMA table_info(demo_items)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).not.toContain('z');
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations WHERE version = 3").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses two migrations with the same module and version', () => {
    const db = openDatabase(':memory:', []);
    expect(() => applyMigrations(db, [migrations[0], { ...migrations[0] }])).toThrow(/duplicate migration demo@1/);
  });
});
