// Pattern banks opened by a test on a real SQLite file and a real hnswlib index, closed after each test.
import { join } from 'node:path';
import { PatternBank, createDefaultEmbedder, migrations } from '../../src/engine/patterns/index.js';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { tempDir } from './tmp.js';

export const embedder = createDefaultEmbedder();

/** Banks still open; a test may take one out (to close it itself, or to leave it unclosed on purpose). */
export const openBanks: { bank: PatternBank; db: DB }[] = [];

export async function openBank(over: Partial<Parameters<typeof PatternBank.open>[0]> = {}, dir = tempDir('ruvllm-patterns-')) {
  const db = openDatabase(join(dir, 'bank.db'), migrations);
  const bank = await PatternBank.open({ db, indexPath: join(dir, 'patterns.hnsw'), embedder, persistIntervalMs: 0, ...over });
  openBanks.push({ bank, db });
  return { bank, db, dir };
}

/** For afterEach: closes every bank still open. */
export async function closeOpenBanks(): Promise<void> {
  for (const o of openBanks.splice(0)) {
    await o.bank.close();
    o.db.close();
  }
}
