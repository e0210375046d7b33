// The models repository's contract, run on the SQLite implementation (a second engine runs the same).
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { migrations } from '../../src/engine/store/sqlite/migrations-models.js';
import { migrations as managerMigrations } from '../../src/engine/models/index.js';
import { SqliteModelsRepo } from '../../src/engine/store/sqlite/models.js';
import type { ModelsRepo, StoredModel } from '../../src/engine/store/models-repo.js';
import { tempDir } from '../helpers/tmp.js';

const dirs: string[] = [];
const dbs: DB[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(): { repo: ModelsRepo; db: DB; file: string } {
  const dir = tempDir('models-repo-');
  dirs.push(dir);
  const file = join(dir, 'state.db');
  const db = openDatabase(file, migrations);
  dbs.push(db);
  return { repo: new SqliteModelsRepo(db), db, file };
}

const model = (id: string, over: Partial<StoredModel> = {}): StoredModel => ({
  id,
  name: id,
  backend: 'gguf',
  source: 'file',
  path: `/m/${id}.gguf`,
  baseUrl: null,
  info: JSON.stringify({ id }),
  ...over,
});

describe('models repository (SQLite)', () => {
  it('upserts discovered models by id and lists them most recently seen first', async () => {
    const { repo } = open();
    await repo.upsertModels([model('a'), model('b')]);
    await new Promise((r) => setTimeout(r, 5));
    await repo.upsertModels([model('a', { backend: 'openai', path: null, baseUrl: 'http://127.0.0.1:1', info: '{"id":"a","v":2}' })]);
    const list = await repo.rememberedModels();
    expect(list.map((m) => m.info)).toEqual(['{"id":"a","v":2}', '{"id":"b"}']);
    expect(list[0].lastSeen > list[1].lastSeen).toBe(true);
    expect(list[0].lastSeen).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    await repo.upsertModels([]);
    expect(await repo.rememberedModels()).toHaveLength(2);
  });

  it('keeps state values by key, the last write winning', async () => {
    const { repo } = open();
    expect(await repo.getState('active')).toBeNull();
    await repo.setState('active', '{"id":"a"}');
    await repo.setState('active', '{"id":"b"}');
    await repo.setState('other', 'x');
    expect(await repo.getState('active')).toBe('{"id":"b"}');
    expect(await repo.getState('other')).toBe('x');
  });

  it('the migration kept its module name and version: a database made by the manager-era migration opens unchanged with its rows', async () => {
    expect(managerMigrations).toBe(migrations);
    expect(migrations.map((m) => [m.module, m.version])).toEqual([['models', 1]]);
    const { repo, db, file } = open();
    await repo.setState('active', '{"id":"kept"}');
    db.close();
    dbs.length = 0;
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare("SELECT version FROM schema_migrations WHERE module = 'models'").pluck().all()).toEqual([1]);
    raw.close();
    const again = openDatabase(file, migrations);
    dbs.push(again);
    expect(await new SqliteModelsRepo(again).getState('active')).toBe('{"id":"kept"}');
  });
});
