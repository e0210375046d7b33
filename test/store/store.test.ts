import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { openDatabase } from '../../src/engine/store/db.js';
import { migrations as routerMigrations } from '../../src/engine/store/sqlite/migrations-router.js';
import { openSqliteStore, type SqliteStore } from '../../src/engine/store/sqlite/store.js';
import { decisionRecord } from '../helpers/decisions.js';
import { tempDir } from '../helpers/tmp.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(): { store: SqliteStore; database: string } {
  const dir = tempDir('store-');
  dirs.push(dir);
  const database = join(dir, 'state.db');
  const store = openSqliteStore({ database });
  stores.push(store);
  return { store, database };
}

describe('the SQLite store bundle', () => {
  it('opens every module’s tables on one database, and its repositories write and read them', async () => {
    const { store } = open();
    expect(store.kind).toBe('sqlite');
    const migrated = store.db.prepare('SELECT module, max(version) AS v FROM schema_migrations GROUP BY module ORDER BY module').all();
    expect(migrated.map((r) => (r as { module: string }).module)).toEqual(['ledger', 'models', 'patterns', 'router']);
    await store.decisions.insert(decisionRecord('d1'), [['decisions', '', 1, 0]]);
    expect((await store.decisions.get('d1'))?.route).toBe('local');
    const w = await store.outcomeWork.reportOutcome(
      { decisionId: 'd1', success: true, quality: 0.9, notes: null, reportedAt: 2000 },
      'local',
      (q) => q,
    );
    expect('mark' in w && w.mark).toBe((await store.outcomes.marks()).outcome);
    expect(await store.outcomes.reportedAt('d1')).toBe(2000);
    await store.models.setState('active', '{"id":"m"}');
    expect(await store.models.getState('active')).toBe('{"id":"m"}');
    expect(await store.ledger.backendCounters()).toEqual([]);
    expect(store.stats()).toMatchObject({ checkpoints: expect.any(Number) });
  });

  it('tells listeners of another connection’s commits (not of its own), until they unsubscribe; close() closes the database', async () => {
    const { store, database } = open();
    const other = openDatabase(database, routerMigrations);
    try {
      let heard = 0;
      const off = store.onExternalChange(() => heard++);
      await new Promise((r) => setTimeout(r, 1200)); // the poll takes its first reading
      await store.decisions.insert(decisionRecord('own'), []);
      await new Promise((r) => setTimeout(r, 1200));
      expect(heard).toBe(0);
      other.prepare("INSERT INTO router_counters (metric, key, n, v) VALUES ('x', '', 1, 0)").run();
      const t0 = Date.now();
      while (heard === 0 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
      expect(heard).toBe(1);
      off();
      other.prepare("INSERT INTO router_counters (metric, key, n, v) VALUES ('y', '', 1, 0)").run();
      await new Promise((r) => setTimeout(r, 1500));
      expect(heard).toBe(1);
    } finally {
      other.close();
    }
    await store.close();
    expect(store.db.open).toBe(false);
  });
});
