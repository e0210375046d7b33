// Pattern banks opened by a test on a real SQLite file (or a real PostgreSQL: a throwaway cluster, PgPatternsRepo) and
// a real hnswlib index, closed after each test.
import { join } from 'node:path';
import { PatternBank, createDefaultEmbedder, migrations } from '../../src/engine/patterns/index.js';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { PgPatternsRepo } from '../../src/engine/store/postgres/patterns-repo.js';
import { startPostgres, type TestPostgres } from './pg.js';
import { tempDir } from './tmp.js';

export const embedder = createDefaultEmbedder();

/** Banks still open; a test may take one out (to close it itself, or to leave it unclosed on purpose). */
export const openBanks: { bank: PatternBank; db: DB | null; close?: () => Promise<void> }[] = [];

export async function openBank(over: Partial<Parameters<typeof PatternBank.open>[0]> = {}, dir = tempDir('ruvllm-patterns-')) {
  const db = openDatabase(join(dir, 'bank.db'), migrations);
  const bank = await PatternBank.open({ db, indexPath: join(dir, 'patterns.hnsw'), embedder, persistIntervalMs: 0, ...over });
  openBanks.push({ bank, db });
  return { bank, db, dir };
}

let pgServer: Promise<TestPostgres> | null = null;

/** A bank on a fresh database of the given engine (PostgreSQL: one cluster per test file, a database per bank). */
export async function openBankOn(engine: 'sqlite' | 'postgres', over: Partial<Parameters<typeof PatternBank.open>[0]> = {}) {
  if (engine === 'sqlite') return openBank(over);
  pgServer ??= startPostgres();
  const repo = await PgPatternsRepo.open(await (await pgServer).newDatabase());
  const dir = tempDir('ruvllm-patterns-pg-');
  const bank = await PatternBank.open({ repo, indexPath: join(dir, 'patterns.hnsw'), embedder, persistIntervalMs: 0, ...over }).catch(
    async (e) => {
      await repo.close();
      throw e;
    },
  );
  openBanks.push({ bank, db: null, close: () => repo.close() });
  return { bank, repo, dir };
}

/** For afterAll of a file that opened PostgreSQL banks: stops its cluster. */
export async function stopBankPostgres(): Promise<void> {
  if (pgServer) (await pgServer).stop();
  pgServer = null;
}

/** For afterEach: closes every bank still open. */
export async function closeOpenBanks(): Promise<void> {
  for (const o of openBanks.splice(0)) {
    await o.bank.close();
    o.db?.close();
    await o.close?.();
  }
}
