/** Fixtures for the models tests: temp folders, a real SQLite DB, generated tiny GGUF models. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { ModelManager, migrations, type ModelManagerExtraOptions } from '../../src/engine/models/index.js';
import type { ModelManagerOptions } from '../../src/engine/models/types.js';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { tempDir } from './tmp.js';
import { modelsRepo } from './repos.js';

export interface ModelsFixture {
  dir: string;
  modelsDir: string;
  db: DB;
  modelA: string;
  modelB: string;
  corrupt: string;
  /** A real model cut off in its tensor data (a truncated download with intact metadata). */
  truncated: string;
  notGguf: string;
  options(over?: Partial<ModelManagerOptions & ModelManagerExtraOptions>): ModelManagerOptions & ModelManagerExtraOptions;
}

export function modelsFixture(): ModelsFixture {
  const dir = tempDir('ruvllm-models-');
  const modelsDir = join(dir, 'models');
  const db = openDatabase(join(dir, 'test.db'), migrations);
  const modelA = join(modelsDir, 'tiny-a.gguf');
  const modelB = join(modelsDir, 'tiny-b.gguf');
  writeTinyGguf(modelA, { name: 'tiny-a', seed: 1 });
  writeTinyGguf(modelB, { name: 'tiny-b', seed: 2 });
  // A GGUF header followed by garbage: passes the magic check, fails to load.
  const corrupt = join(modelsDir, 'broken.gguf.bin');
  writeCorruptGguf(corrupt);
  const truncated = join(modelsDir, 'truncated.gguf.part');
  const full = readFileSync(modelA);
  writeFileSync(truncated, full.subarray(0, Math.floor(full.length * 0.6)));
  const notGguf = join(modelsDir, 'notes.txt');
  writeFileSync(notGguf, 'this is not a model\n');
  return {
    dir,
    modelsDir,
    db,
    modelA,
    modelB,
    corrupt,
    truncated,
    notGguf,
    options: (over = {}) => ({
      repo: modelsRepo(db),
      modelsDir,
      modelDirs: [],
      scanDefaultDirs: false,
      defaultModel: '',
      servers: [],
      threads: 0,
      gpu: false,
      contextSize: 512,
      parallel: 2,
      queueLimit: 32,
      timeoutMs: 60_000,
      allowAnyPath: false,
      enableRuvllm: false,
      ...over,
    }),
  };
}

/** A file with a valid GGUF v3 header whose metadata is cut off (a truncated download). */
export function writeCorruptGguf(file: string): void {
  const b = Buffer.alloc(64);
  b.write('GGUF', 0, 'latin1');
  b.writeUInt32LE(3, 4);
  b.writeBigUInt64LE(10n, 8); // 10 tensors
  b.writeBigUInt64LE(1000n, 16); // 1000 metadata entries that are not there
  writeFileSync(file, b);
}

export async function withManager<T>(
  opts: ModelManagerOptions & ModelManagerExtraOptions,
  fn: (m: ModelManager) => Promise<T>,
): Promise<T> {
  const m = new ModelManager(opts);
  try {
    return await fn(m);
  } finally {
    await m.close();
  }
}
