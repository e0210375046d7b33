import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { BusyError, ModelManager, ModelQueue, type CompleteResult } from '../../src/engine/models/index.js';
import { modelsFixture, withManager, type ModelsFixture } from '../helpers/models.js';
import { tempDir } from '../helpers/tmp.js';

let fx: ModelsFixture;
beforeAll(() => {
  fx = modelsFixture();
});

describe('bounded queue', () => {
  it('ModelQueue runs at most `parallel` jobs and rejects beyond the limit with retry-after', async () => {
    const q = new ModelQueue('m', 2, 1);
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const job = () =>
      new Promise<number>((res) => {
        running++;
        peak = Math.max(peak, running);
        gates.push(() => {
          running--;
          res(1);
        });
      });
    const a = q.run(job);
    const b = q.run(job);
    const c = q.run(job);
    expect(q.status()).toEqual({ running: 2, waiting: 1, parallel: 2, limit: 1 });
    let err: unknown;
    try {
      await q.run(job);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BusyError);
    expect((err as BusyError).message).toMatch(/^busy: 1 requests queued on m; retry after \d+ ms$/);
    expect((err as BusyError).retryAfterMs).toBeGreaterThanOrEqual(100);
    while (gates.length) {
      gates.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(await Promise.all([a, b, c])).toEqual([1, 1, 1]);
    expect(peak).toBe(2);
    expect(q.idle).toBe(true);
  });

  it('a waiting job whose signal aborts leaves the queue', async () => {
    const q = new ModelQueue('m', 1, 5);
    let release!: () => void;
    const first = q.run(() => new Promise<string>((r) => (release = () => r('done'))));
    const ac = new AbortController();
    const second = q.run(
      async () => 'ran',
      ac.signal,
      () => 'cancelled',
    );
    expect(q.status().waiting).toBe(1);
    ac.abort();
    expect(await second).toBe('cancelled');
    expect(q.status().waiting).toBe(0);
    release();
    expect(await first).toBe('done');
  });

  it('ModelManager throws busy with retryAfterMs when the model queue is full', async () => {
    await withManager(fx.options({ defaultModel: fx.modelA, parallel: 1, queueLimit: 1 }), async (mm) => {
      mm.start();
      await mm.ready();
      const ac = new AbortController();
      const p1 = mm.complete({ prompt: 'a', maxTokens: 5000, signal: ac.signal });
      const p2 = mm.complete({ prompt: 'b', maxTokens: 5000, signal: ac.signal });
      const err = await mm.complete({ prompt: 'c', maxTokens: 4 }).catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toMatch(/^busy: 1 requests queued on gguf:tiny-a; retry after \d+ ms$/);
      expect(err.retryAfterMs).toBeGreaterThan(0);
      ac.abort();
      const [r1, r2] = await Promise.all([p1, p2]);
      expect(r1.finishReason === 'cancelled' || r1.finishReason === 'stop').toBe(true);
      expect(['cancelled', 'stop']).toContain(r2.finishReason);
    });
  });
});

describe('hot swap', () => {
  let mm: ModelManager;
  beforeAll(async () => {
    mm = new ModelManager(fx.options({ defaultModel: fx.modelA, parallel: 2, queueLimit: 64 }));
    mm.start();
    await mm.ready();
  });
  afterAll(async () => {
    await mm.close();
  });

  it('swaps between two models under 20 concurrent requests with none failing', async () => {
    expect(mm.status().active?.id).toBe('gguf:tiny-a');
    const before = Array.from({ length: 20 }, (_, i) => mm.complete({ prompt: `before ${i}`, maxTokens: 12, temperature: 0.5 }));
    const swap = mm.swap({ id: 'gguf:tiny-b' });
    const during = Array.from({ length: 20 }, (_, i) => mm.complete({ prompt: `during ${i}`, maxTokens: 12, temperature: 0.5 }));
    const res = await swap;
    const after = Array.from({ length: 20 }, (_, i) => mm.complete({ prompt: `after ${i}`, maxTokens: 12, temperature: 0.5 }));
    const all = await Promise.allSettled([...before, ...during, ...after]);
    const failed = all.filter((r) => r.status === 'rejected');
    expect(failed).toEqual([]);
    const values = all.map((r) => (r as PromiseFulfilledResult<CompleteResult>).value);
    // requests accepted before the swap finish on the old model, later ones go to the new one
    expect(values.slice(0, 20).every((v) => v.model === 'gguf:tiny-a')).toBe(true);
    expect(values.slice(40).every((v) => v.model === 'gguf:tiny-b')).toBe(true);
    expect(values.every((v) => v.completionTokens > 0 || v.finishReason === 'stop')).toBe(true);
    expect(res.previous?.id).toBe('gguf:tiny-a');
    expect(res.current.id).toBe('gguf:tiny-b');
    expect(res.loadMs).toBeGreaterThan(0);
    expect(mm.status().active?.id).toBe('gguf:tiny-b');
    // the old model is released once its requests drained
    for (let i = 0; i < 100 && mm.retiringCount() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(mm.retiringCount()).toBe(0);
  });

  it('refuses a corrupt GGUF while the old model keeps serving', async () => {
    const active = mm.status().active!.id;
    const inflight = Array.from({ length: 5 }, () => mm.complete({ prompt: 'still here', maxTokens: 8 }));
    const err = await mm.swap({ path: fx.corrupt }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(new RegExp(`cannot switch to .*broken\\.gguf\\.bin: .*(corrupt|truncated).*; still serving ${active}`));
    expect(mm.status().active?.id).toBe(active);
    const results = await Promise.all(inflight);
    expect(results.every((r) => r.model === active)).toBe(true);
    const r = await mm.complete({ prompt: 'after the failed swap', maxTokens: 4 });
    expect(r.model).toBe(active);
  });

  it('refuses a GGUF whose tensor data is truncated', async () => {
    const active = mm.status().active!.id;
    const err = await mm.swap({ path: fx.truncated }).catch((e) => e);
    // Refused by the bounded header reader before node-llama-cpp sees it: a tensor lies past the end of the file.
    expect(err.message).toMatch(
      new RegExp(`cannot switch to .*truncated\\.gguf\\.part: refused GGUF file .*truncated.*; still serving ${active}`),
    );
    expect(mm.status().active?.id).toBe(active);
    expect((await mm.complete({ prompt: 'ok', maxTokens: 2 })).model).toBe(active);
  });

  it('refuses a file that is not a GGUF, and a missing file', async () => {
    await expect(mm.swap({ path: fx.notGguf })).rejects.toThrow(/not a GGUF file/);
    await expect(mm.swap({ path: join(fx.modelsDir, 'nope.gguf') })).rejects.toThrow(/not found/);
  });

  it('refuses paths outside the model folders, including traversal, naming the folders', async () => {
    const other = tempDir('ruvllm-outside-');
    const outside = join(other, 'outside.gguf');
    writeTinyGguf(outside, { name: 'outside', seed: 9 });
    await expect(mm.swap({ path: outside })).rejects.toThrow(
      new RegExp(`outside the model folders \\(${fx.modelsDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`),
    );
    const trav = join(fx.modelsDir, '..', '..', other.split('/').pop()!, 'outside.gguf');
    await expect(mm.swap({ path: trav })).rejects.toThrow(/outside the model folders/);
    expect(mm.status().active?.id).not.toBe('gguf:outside');
  });

  it('refuses unknown ids listing the known ones, and the experimental ruvllm backend', async () => {
    await expect(mm.swap({ id: 'gguf:nope' })).rejects.toThrow(/unknown model id "gguf:nope"; known models: .*gguf:tiny-a/);
    await expect(mm.swap({ id: 'ruvllm:experimental' })).rejects.toThrow(/random text/);
    await expect(mm.swap({})).rejects.toThrow(/exactly one of/);
  });

  it('swaps by path inside the model folders', async () => {
    const r = await mm.swap({ path: fx.modelA });
    expect(r.current.id).toBe('gguf:tiny-a');
    expect(r.current.path).toBe(fx.modelA);
  });
});

describe('start, memory and no-model', () => {
  it('comes back to the model the user swapped to after a restart', async () => {
    const f = modelsFixture();
    await withManager(f.options(), async (mm) => {
      mm.start();
      await mm.ready();
      expect(mm.status().active?.id).toBe('gguf:tiny-a'); // first discovered
      await mm.swap({ id: 'gguf:tiny-b' });
    });
    await withManager(f.options(), async (mm) => {
      mm.start();
      await mm.ready();
      expect(mm.status().active?.id).toBe('gguf:tiny-b');
      const known = (await mm.rememberedModels()).map((m) => m.id);
      expect(known).toEqual(expect.arrayContaining(['gguf:tiny-a', 'gguf:tiny-b']));
    });
    // a newly configured model wins over the remembered one
    await withManager(f.options({ defaultModel: 'gguf:tiny-a' }), async (mm) => {
      mm.start();
      await mm.ready();
      expect(mm.status().active?.id).toBe('gguf:tiny-a');
    });
  });

  it('a swap asked for right after start() queues behind the start’s own load (the saved swap is read first) and wins', async () => {
    const f = modelsFixture();
    await withManager(f.options({ defaultModel: f.modelA }), async (mm) => {
      mm.start();
      const swapped = mm.swap({ path: f.modelB });
      const r = await swapped;
      expect(r.previous?.id).toBe('gguf:tiny-a'); // the start's load ran first
      await mm.ready();
      expect(mm.status().active?.id).toBe(r.current.id);
      expect(r.current.name).toBe('tiny-b');
    });
  });

  it('allows any path when allowAnyPath is set', async () => {
    const f = modelsFixture();
    const other = tempDir('ruvllm-any-');
    const outside = join(other, 'elsewhere.gguf');
    writeTinyGguf(outside, { name: 'elsewhere', seed: 5 });
    await withManager(f.options({ defaultModel: f.modelA, allowAnyPath: true }), async (mm) => {
      mm.start();
      await mm.ready();
      const r = await mm.swap({ path: outside });
      expect(r.current.name).toBe('elsewhere');
      expect((await mm.complete({ prompt: 'hi', maxTokens: 3 })).model).toBe(r.current.id);
    });
  });

  it('says how to add a model when none is available', async () => {
    const empty = tempDir('ruvllm-empty-');
    mkdirSync(join(empty, 'models'));
    const f = modelsFixture();
    await withManager(f.options({ modelsDir: join(empty, 'models') }), async (mm) => {
      mm.start();
      await mm.ready();
      const s = mm.status();
      expect(s.available).toBe(false);
      expect(s.active).toBeNull();
      expect(s.unavailableReason).toMatch(/no local model is available/);
      const err = await mm.complete({ prompt: 'hi' }).catch((e) => e);
      expect(err.message).toMatch(/no local model is available/);
      expect(err.message).toContain('--model');
      expect(err.message).toContain(join(empty, 'models'));
      expect(err.message).toContain('ruvllm-mcp models pull');
      expect(err.message).toMatch(/Ollama/);
    });
  });
});
