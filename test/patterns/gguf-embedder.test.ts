import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { GgufEmbedder, PatternBank, createEmbedder, migrations } from '../../src/engine/patterns/index.js';
import { openDatabase } from '../../src/engine/store/db.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('ruvllm-gguf-embed-');
const modelPath = join(dir, 'tiny-embed.gguf');
writeTinyGguf(modelPath, { name: 'tiny-embed', seed: 7, embeddingLength: 32 });
const embedder = createEmbedder(`gguf:${modelPath}`) as GgufEmbedder;

afterAll(async () => {
  await embedder.close();
});

describe('GGUF embedder (node-llama-cpp)', () => {
  it('loads lazily, reports the model dimension, and embeds deterministically with unit length', async () => {
    expect(embedder.id).toBe('gguf:tiny-embed.gguf');
    expect(embedder.dim).toBe(0); // not loaded yet
    const [a, b] = await embedder.embed(['hello world', 'a different sentence']);
    expect(embedder.dim).toBe(32);
    expect(a.length).toBe(32);
    expect(Math.hypot(...a)).toBeCloseTo(1, 4);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    const [long] = await embedder.embed(['word '.repeat(3000)]); // longer than the context: truncated, not an error
    expect(long.length).toBe(32);
    const [a2] = await embedder.embed(['hello world']);
    expect(Array.from(a2).map((x) => x.toFixed(5))).toEqual(Array.from(a).map((x) => x.toFixed(5)));
  });

  it('serves a pattern bank (the vectors carry the gguf embedder id and dimension)', async () => {
    const db = openDatabase(join(dir, 'g.db'), migrations);
    const bank = await PatternBank.open({ db, indexPath: join(dir, 'g.hnsw'), embedder, persistIntervalMs: 0 });
    const s = await bank.store({ task: 'hello world', approach: 'greet', quality: 0.9 });
    await bank.store({ task: 'a different sentence', approach: 'other', quality: 0.9 });
    const r = await bank.find({ query: 'hello world', k: 1 });
    expect(r.matches[0].pattern.id).toBe(s.id);
    expect(r.matches[0].vectorScore).toBeCloseTo(1, 3);
    expect(await bank.stats()).toMatchObject({ embedder: 'gguf:tiny-embed.gguf', dim: 32 });
    expect(db.prepare('SELECT DISTINCT embedder, dim FROM pattern_vectors').all()).toEqual([{ embedder: 'gguf:tiny-embed.gguf', dim: 32 }]);
    await bank.close();
    db.close();
  });

  it('names a missing model file', () => {
    expect(() => new GgufEmbedder(join(dir, 'nope.gguf'))).toThrow(/embedding model file not found: .*nope\.gguf/);
  });
});
