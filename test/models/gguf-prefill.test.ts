// A long prompt on the GGUF backend is evaluated a batch at a time, so that a cancel stops it
// between batches instead of after the whole prompt (node-llama-cpp evaluates a prompt to its end
// once started). Counted in decoded batches (llama.cpp's decodeBatch, observed, not replaced): no timing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { loadGgufModel, readGgufModelInfo } from '../../src/engine/models/gguf.js';
import type { LoadedModel } from '../../src/engine/models/backend.js';
import { tempDir } from '../helpers/tmp.js';

let model: LoadedModel;
/** The model's llama.cpp context, with a hook called after every decoded batch. */
let onBatch: (() => void) | null = null;
let batches = 0;

const lines = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `2026-11-27T01:00:00Z worker-${(from + i) % 7} request ${from + i} took ${(i * 37) % 1000} ms`).join(
    '\n',
  );

beforeAll(async () => {
  const file = join(tempDir('ruvllm-prefill-'), 'tiny-prefill.gguf');
  writeTinyGguf(file, { name: 'tiny-prefill', seed: 3, contextLength: 4096 });
  model = await loadGgufModel(await readGgufModelInfo(file), { gpu: false, threads: 1, contextSize: 4096, parallel: 1 });
  // Observe llama.cpp's batches (the real decode runs unchanged; the addon object is read-only, so
  // the context reads it through a proxy).
  type Addon = Record<string | symbol, unknown> & { decodeBatch: () => Promise<void> };
  const holder = (model as unknown as { context: { _ctx: Addon } }).context;
  const addon = holder._ctx;
  const decodeBatch = async () => {
    await addon.decodeBatch();
    batches++;
    onBatch?.();
  };
  holder._ctx = new Proxy(addon, {
    get: (t, k) => {
      if (k === 'decodeBatch') return decodeBatch;
      const v = t[k];
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
});

afterAll(async () => {
  await model?.dispose();
});

describe('GGUF prompt evaluation', () => {
  it('stops a long prompt between batches when cancelled, and the model answers the next request', async () => {
    const prompt = lines(0, 70); // about 3,200 tokens: six or seven batches of 512
    expect(model.countTokens(prompt)!).toBeGreaterThan(5 * 512);
    const ac = new AbortController();
    batches = 0;
    onBatch = () => ac.abort();
    const r = await model.generate({ messages: [{ role: 'user', content: prompt }], maxTokens: 8, temperature: 0, signal: ac.signal });
    onBatch = null;
    expect(r.stopReason).toBe('abort');
    expect(r.completionTokens).toBe(0);
    // The batch in flight finishes; no further one starts.
    expect(batches).toBe(1);

    const next = await model.generate({
      messages: [{ role: 'user', content: 'hello' }],
      maxTokens: 2,
      temperature: 0,
      signal: new AbortController().signal,
    });
    expect(next.stopReason).not.toBe('abort');
    expect(next.completionTokens).toBeGreaterThan(0);
  });

  it('reads a long prompt whole when not cancelled, keeping what the last request shares with it', async () => {
    const system = lines(1000, 20); // a long shared system prompt (more than a batch)
    const ask = (k: number) =>
      model.generate({
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: lines(k * 100, 60) },
        ],
        maxTokens: 4,
        temperature: 0,
        signal: new AbortController().signal,
      });
    batches = 0;
    const a = await ask(1);
    const first = batches;
    expect(a.stopReason).not.toBe('abort');
    expect(a.promptTokens).toBeGreaterThan(3 * 512);
    // Every prompt token decoded (batches of at most 512).
    expect(first).toBeGreaterThanOrEqual(Math.floor(a.promptTokens / 512));
    batches = 0;
    const b = await ask(2);
    expect(b.promptTokens).toBeGreaterThan(3 * 512);
    // The system prompt is still in the sequence: fewer prompt batches the second time.
    expect(batches).toBeLessThan(first);
  });
});
