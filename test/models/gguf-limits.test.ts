/**
 * A hostile or absurd GGUF header is refused quickly with a message naming the file and the
 * limit, memory stays bounded, and discovery goes on with the good models next to it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTinyGguf, writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { discoverModels, ModelManager, readGgufModelInfo } from '../../src/engine/models/index.js';
import { readGgufHeader } from '../../src/engine/models/gguf-header.js';
import { modelsFixture } from '../helpers/models.js';
import { tempDir } from '../helpers/tmp.js';

/** GGUF v3 header fields followed by `body` and zero padding up to `size` bytes. */
function header(tensors: bigint, kvs: bigint, body: Buffer = Buffer.alloc(0), size = 4096): Buffer {
  const b = Buffer.alloc(Math.max(size, 24 + body.length));
  b.write('GGUF', 0, 'latin1');
  b.writeUInt32LE(3, 4);
  b.writeBigUInt64LE(tensors, 8);
  b.writeBigUInt64LE(kvs, 16);
  body.copy(b, 24);
  return b;
}

function str(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([len, bytes]);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}

function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
}

const HUGE = 1n << 40n;

/** Resolves with the value, or with 'timeout' after `ms` (the old parser never returned). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (t = setTimeout(() => r('timeout'), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(t);
  }
}

describe('bounded GGUF metadata parsing', () => {
  it('refuses a 4 KB file claiming a huge metadata count in well under a second, with bounded memory, and still lists the good model beside it', async () => {
    const dir = tempDir('ruvllm-hostile-');
    writeFileSync(join(dir, 'hostile.gguf'), header(1n, HUGE));
    writeTinyGguf(join(dir, 'good.gguf'), { name: 'good', seed: 1 });
    // Warm up: the first read of a good model imports node-llama-cpp (for quantization names), which
    // takes seconds on a busy machine and is not what this test measures.
    const warm = tempDir('ruvllm-warm-');
    writeTinyGguf(join(warm, 'warm.gguf'), { seed: 2 });
    await discoverModels({ dirs: [warm], ollamaStore: null, servers: [], probeTimeoutMs: 300, enableRuvllm: false });
    const rss0 = process.memoryUsage().rss;
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const models = await within(
      discoverModels({ dirs: [dir], ollamaStore: null, servers: [], probeTimeoutMs: 300, enableRuvllm: false }),
      1000,
    );
    const ms = performance.now() - t0;
    expect(models).not.toBe('timeout');
    expect(ms).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(50 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(50 * 1024 * 1024);
    expect((models as { id: string }[]).map((m) => m.id)).toEqual(['gguf:good']);
  });

  it('names the file and the limit it broke', async () => {
    const dir = tempDir('ruvllm-hostile-');
    const file = join(dir, 'hostile.gguf');
    writeFileSync(file, header(1n, HUGE));
    const r = await within(
      readGgufModelInfo(file).then(
        () => 'parsed',
        (e: Error) => e,
      ),
      1000,
    );
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toContain(file);
    expect((r as Error).message).toMatch(/metadata entries/);
    expect((r as Error).message).toMatch(/limit/);
    expect((r as Error & { kind?: string }).kind).toBe('caller');
  });

  it('refuses absurd counts, lengths and types anywhere in the header', async () => {
    const dir = tempDir('ruvllm-absurd-');
    const cases: [string, Buffer, RegExp][] = [
      ['tensors.gguf', header(HUGE, 1n), /tensors/],
      ['key-length.gguf', header(0n, 1n, u64(1n << 50n)), /string of .* bytes|key/],
      ['value-length.gguf', header(0n, 1n, Buffer.concat([str('general.name'), u32(8), u64(1n << 45n)])), /string of .* bytes/],
      [
        'array-length.gguf',
        header(0n, 1n, Buffer.concat([str('tokenizer.ggml.tokens'), u32(9), u32(8), u64(1n << 40n)])),
        /array of .* elements/,
      ],
      ['nested-array.gguf', header(0n, 1n, Buffer.concat([str('x'), u32(9), u32(9), u64(1n)])), /nested array/],
      ['bad-type.gguf', header(0n, 1n, Buffer.concat([str('x'), u32(77)])), /value type 77/],
      ['truncated.gguf', header(0n, 2n, Buffer.concat([str('general.architecture'), u32(8), str('llama')]), 0), /truncated|ends/],
      [
        'tensor-dims.gguf',
        header(1n, 1n, Buffer.concat([str('general.architecture'), u32(8), str('llama'), str('t'), u32(1000)])),
        /dimensions/,
      ],
    ];
    for (const [name, bytes, re] of cases) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const t0 = performance.now();
      const r = await within(
        readGgufModelInfo(file).then(
          () => new Error('parsed'),
          (e: Error) => e,
        ),
        1000,
      );
      expect(r, name).not.toBe('timeout');
      expect(performance.now() - t0, name).toBeLessThan(1000);
      expect((r as Error).message, name).toContain(file);
      expect((r as Error).message, name).toMatch(re);
    }
  });

  it('caps the bytes read and the time spent on one header', async () => {
    const dir = tempDir('ruvllm-budget-');
    const file = join(dir, 'ok.gguf');
    writeFileSync(file, buildTinyGguf({ seed: 4 }));
    await expect(readGgufHeader(file, { limits: { maxHeaderBytes: 2000 } })).rejects.toThrow(/header is larger than 2000 bytes \(limit\)/);
    await expect(readGgufHeader(file, { limits: { maxMs: -1 } })).rejects.toThrow(/took longer than -1 ms \(limit\)/);
    await expect(readGgufHeader(file, { limits: { maxArrayElements: 100 } })).rejects.toThrow(
      /tokenizer\.ggml\.tokens" is an array of \d+ elements \(limit: 100\)/,
    );
    expect((await readGgufHeader(file)).tensorCount).toBeGreaterThan(0);
  });

  it('still reads every real field of a valid model', async () => {
    const dir = tempDir('ruvllm-valid-');
    const file = join(dir, 'ok.gguf');
    writeFileSync(file, buildTinyGguf({ name: 'ok-model', seed: 3, contextLength: 1024 }));
    const info = await readGgufModelInfo(file);
    expect(info).toMatchObject({
      id: 'gguf:ok',
      name: 'ok-model',
      architecture: 'llama',
      contextLength: 1024,
      quantization: 'ALL_F32',
      backend: 'gguf',
      path: file,
    });
  });

  it('a hostile file given as the model to load never reaches node-llama-cpp: start falls back to the good model and answers', async () => {
    const fx = modelsFixture();
    const hostile = join(fx.modelsDir, 'hostile.gguf');
    writeFileSync(hostile, header(1n, HUGE));
    const mm = new ModelManager(fx.options({ defaultModel: hostile }));
    try {
      mm.start();
      expect(await within(mm.ready(), 30_000)).not.toBe('timeout');
      const s = mm.status();
      expect(s.available).toBe(true);
      expect(s.active?.path).not.toBe(hostile);
      const models = await within(mm.discover(), 5_000);
      expect(models).not.toBe('timeout');
      expect((models as { path?: string }[]).some((m) => m.path === hostile)).toBe(false);
      const swap = await within(
        mm.swap({ path: hostile }).then(
          () => new Error('swapped'),
          (e: Error) => e,
        ),
        5_000,
      );
      expect((swap as Error).message).toMatch(/metadata entries/);
      const c = await mm.complete({ prompt: 'hello', maxTokens: 2 });
      expect(c.model).toBe(s.active?.id);
    } finally {
      await mm.close();
    }
  });
});
