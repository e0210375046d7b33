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
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations WHERE version = 3').get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses two migrations with the same module and version', () => {
    const db = openDatabase(':memory:', []);
    expect(() => applyMigrations(db, [migrations[0], { ...migrations[0] }])).toThrow(/duplicate migration demo@1/);
  });
});

describe('several processes', () => {
  it('four processes starting together on a new database, again and again: migrations applied once, none fails', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const Database = (await import('better-sqlite3')).default;
    const child = fileURLToPath(new URL('./fixtures/migrate-child.mjs', import.meta.url));
    for (let round = 0; round < 6; round++) {
      const file = join(tempDir(), 'race.db');
      const at = Date.now() + 600;
      const outs = await Promise.all(
        [0, 1, 2, 3].map(
          () =>
            new Promise<string>((resolve) => {
              const p = spawn(process.execPath, [child, file, String(at)], { stdio: ['ignore', 'pipe', 'pipe'] });
              let out = '';
              p.stdout.on('data', (d) => (out += d));
              p.stderr.on('data', (d) => (out += d));
              p.on('exit', () => resolve(out.trim()));
            }),
        ),
      );
      expect(outs, `round ${round}`).toEqual(['OK', 'OK', 'OK', 'OK']);
      const db = new Database(file, { readonly: true });
      expect(db.prepare("SELECT count(*) AS n FROM schema_migrations WHERE module = 'race'").get()).toEqual({ n: 40 });
      expect(db.prepare('SELECT count(*) AS n FROM race_0').get()).toEqual({ n: 5 });
      db.close();
    }
  });
});
