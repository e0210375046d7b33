// Map-reduce on a real GGUF model whose context runs two sequences (--parallel 2): parts are read
// two at a time, their notes still reach the answer in the parts' order, progress is reported
// per part, and a cancel stops both sequences and starts no further part. The model's completions
// are observed (every request and its result recorded), not replaced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelManager } from '../../src/engine/models/index.js';
import type { CompleteRequest, CompleteResult } from '../../src/engine/models/types.js';
import { planInputs, runOffload, type OffloadModel, type OffloadProgress } from '../../src/engine/inputs/offload.js';
import type { InputSet } from '../../src/engine/inputs/read.js';
import { modelsFixture, type ModelsFixture } from '../helpers/models.js';

const CONTEXT = 1024;
let fx: ModelsFixture;
let mm: ModelManager;

interface Seen {
  req: CompleteRequest;
  started: number;
  res?: CompleteResult;
  /** Completions in flight when this one started (itself included). */
  inFlight: number;
}
let seen: Seen[] = [];
let inFlight = 0;

beforeAll(async () => {
  fx = modelsFixture();
  mm = new ModelManager(fx.options({ defaultModel: fx.modelA, contextSize: CONTEXT, parallel: 2, threads: 1 }));
  mm.start();
  await mm.ready();
});
afterAll(async () => {
  await mm?.close();
});

const model = (): OffloadModel => ({
  complete: async (req) => {
    const s: Seen = { req, started: performance.now(), inFlight: ++inFlight };
    seen.push(s);
    try {
      s.res = await mm.complete(req);
      return s.res;
    } finally {
      inFlight--;
    }
  },
  countTokens: (t) => mm.countTokens(t),
  tokenCountMethod: 'tokenizer',
  contextTokens: CONTEXT,
  parallel: mm.status().queue.parallel,
});

const log = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `2026-11-27T01:${String(i % 60).padStart(2, '0')}:00Z worker-${i % 7} request ${i} took ${(i * 37) % 1000} ms`,
  ).join('\n') + '\n';
const inputsOf = (text: string): InputSet => ({
  files: [{ path: 'app.log', realPath: '/tmp/app.log', text, bytes: text.length, encoding: 'utf-8' }],
  bytes: text.length,
  skipped: [],
  ignored: 0,
});

describe('map-reduce on two parallel sequences of one context', () => {
  it('reads parts two at a time, reports each part, and answers from the notes in the parts order', async () => {
    expect(mm.status().queue.parallel).toBe(2);
    const inputs = inputsOf(log(90));
    const m = model();
    const plan = await planInputs(inputs, 'Summarise', 32, m, 1_000_000);
    expect(plan.mode).toBe('map-reduce');
    seen = [];
    const progress: OffloadProgress[] = [];
    const res = await runOffload(
      { prompt: 'Summarise', maxTokens: 32, temperature: 0, onProgress: (p) => progress.push(p) },
      plan,
      inputs,
      m,
    );
    const n = res.input.parts;
    expect(n).toBeGreaterThan(3);
    expect(res.finishReason).not.toBe('cancelled');
    const maps = seen.filter((s) => /^Instruction: Summarise\n\nPart \d+ of \d+/.test(s.req.prompt));
    expect(maps).toHaveLength(n);
    // Two parts at once on the model's two sequences.
    expect(Math.max(...maps.map((s) => s.inFlight))).toBe(2);
    // Every part read once, started in order.
    expect(maps.map((s) => Number(/^Instruction: Summarise\n\nPart (\d+) of/.exec(s.req.prompt)![1]))).toEqual(
      Array.from({ length: n }, (_, i) => i + 1),
    );
    // One "read part i/n" per part, counted in order as parts finish; progress only grows.
    const reads = progress.filter((p) => /^read part \d+\/\d+$/.test(p.message)).map((p) => p.message);
    expect(reads).toEqual(Array.from({ length: n }, (_, i) => `read part ${i + 1}/${n}`));
    for (let i = 1; i < progress.length; i++) expect(progress[i].progress).toBeGreaterThan(progress[i - 1].progress);
    // The answer reads the notes under their parts' headers, in the parts' order, whichever finished first.
    const final = seen[seen.length - 1].req.prompt;
    const headers = [...final.matchAll(/^### Parts? (\d+)(?:-(\d+))?/gm)].map((h) => [Number(h[1]), Number(h[2] ?? h[1])]);
    expect(headers.length).toBeGreaterThan(0);
    expect(headers[0][0]).toBe(1);
    expect(headers[headers.length - 1][1]).toBe(n);
    for (let i = 1; i < headers.length; i++) expect(headers[i][0]).toBe(headers[i - 1][1] + 1);
  });

  it('reads the instruction before the parts once per sequence, not once per part (prefix kept in each sequence)', async () => {
    // Count the tokens llama.cpp decodes (the real decode runs unchanged; the addon object is
    // read-only, so the context reads it through a proxy, restored afterwards).
    type Addon = Record<string | symbol, unknown> & {
      addToBatch: (seq: number, first: number, tokens: Uint32Array, logits: Uint32Array) => Uint32Array;
    };
    const holder = (mm as unknown as { active: { model: { context: { _ctx: Addon } } } }).active.model.context;
    const addon = holder._ctx;
    let decoded = 0;
    holder._ctx = new Proxy(addon, {
      get: (t, k) => {
        if (k === 'addToBatch')
          return (seq: number, first: number, tokens: Uint32Array, logits: Uint32Array) => {
            decoded += tokens.length;
            return t.addToBatch(seq, first, tokens, logits);
          };
        const v = t[k];
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    try {
      // A long instruction (about 200 tokens) before every part.
      const instruction = `Summarise the log for the on-call report. ${'List every error with its worker and request. '.repeat(4)}`;
      const inputs = inputsOf(log(90));
      const m = model();
      const plan = await planInputs(inputs, instruction, 32, m, 1_000_000);
      seen = [];
      decoded = 0;
      const res = await runOffload({ prompt: instruction, maxTokens: 32, temperature: 0 }, plan, inputs, m);
      expect(res.finishReason).not.toBe('cancelled');
      const n = res.input.parts;
      expect(n).toBeGreaterThan(4);
      const maps = seen.filter((s) => s.req.prompt.startsWith(`Instruction: ${instruction}\n\nPart `));
      expect(maps).toHaveLength(n);
      const instr = mm.countTokens(instruction);
      expect(instr).toBeGreaterThan(150);
      // Everything the requests held (prompts and what they generated) ...
      const held = seen.reduce((a, s) => a + s.res!.promptTokens + s.res!.completionTokens, 0);
      // ... less the instruction of every part after the first on each of the two sequences: that
      // much was never decoded again (evaluating each prompt in full would decode all of `held`).
      expect(decoded).toBeLessThanOrEqual(held - (n - 2) * instr);
      // Every part's own tokens were decoded.
      const parts = maps.reduce((a, s) => a + mm.countTokens(s.req.prompt) - mm.countTokens(`Instruction: ${instruction}`), 0);
      expect(decoded).toBeGreaterThanOrEqual(parts);
    } finally {
      holder._ctx = addon;
    }
  });

  it('a cancel during the parallel map stops both sequences and starts no further part', async () => {
    const inputs = inputsOf(log(200));
    const m = model();
    const plan = await planInputs(inputs, 'Summarise', 32, m, 1_000_000);
    seen = [];
    const ac = new AbortController();
    let abortedAt = Infinity;
    const res = await runOffload(
      {
        prompt: 'Summarise',
        maxTokens: 32,
        temperature: 0,
        signal: ac.signal,
        onProgress: (p) => {
          if (/^read part 1\//.test(p.message) && !ac.signal.aborted) {
            abortedAt = performance.now();
            ac.abort();
          }
        },
      },
      plan,
      inputs,
      m,
    );
    expect(res.finishReason).toBe('cancelled');
    expect(res.input.parts).toBeGreaterThan(4);
    expect(ac.signal.aborted).toBe(true);
    // No part started after the cancel (one was still being read on the other sequence: it stopped
    // or finished), and the map returned only once both sequences had answered.
    expect(seen.filter((s) => s.started > abortedAt)).toHaveLength(0);
    expect(seen.length).toBe(2);
    expect(seen.every((s) => s.res !== undefined)).toBe(true);
    // Nothing left running on the model: both sequences are free for the next request.
    expect(mm.status().queue.running).toBe(0);
    const next = await Promise.all([
      mm.complete({ prompt: 'hello', maxTokens: 2, temperature: 0 }),
      mm.complete({ prompt: 'world', maxTokens: 2, temperature: 0 }),
    ]);
    for (const r of next) expect(r.finishReason).not.toBe('cancelled');
  });
});
