import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelManager } from '../../src/engine/models/index.js';
import { modelsFixture, type ModelsFixture } from '../helpers/models.js';

let fx: ModelsFixture;
let mm: ModelManager;

beforeAll(async () => {
  fx = modelsFixture();
  mm = new ModelManager(fx.options({ defaultModel: fx.modelA }));
  mm.start();
  await mm.ready();
});
afterAll(async () => {
  await mm?.close();
});

describe('GGUF backend through ModelManager', () => {
  it('loads the configured model in the background and reports it', () => {
    const s = mm.status();
    expect(s.available).toBe(true);
    expect(s.active?.id).toBe('gguf:tiny-a');
    expect(s.active?.name).toBe('tiny-a');
    expect(s.active?.architecture).toBe('llama');
    expect(s.active?.contextLength).toBe(2048);
    expect(s.active?.quantization).toBe('ALL_F32');
    expect(s.threads).toBe(1);
    expect(s.queue).toEqual({ running: 0, waiting: 0, parallel: 2, limit: 32 });
  });

  it('completes with real token counts, latency, ttft and tokens/s', async () => {
    const r = await mm.complete({ prompt: 'hello world', maxTokens: 24, temperature: 0 });
    expect(r.backend).toBe('gguf');
    expect(r.model).toBe('gguf:tiny-a');
    expect(r.tokenCountMethod).toBe('tokenizer');
    expect(r.completionTokens).toBeGreaterThan(0);
    expect(r.completionTokens).toBeLessThanOrEqual(24);
    expect(r.promptTokens).toBeGreaterThan(mm.countTokens('hello world'));
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.ttftMs).not.toBeNull();
    expect(r.ttftMs!).toBeLessThanOrEqual(r.latencyMs);
    expect(r.tokensPerSecond).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(r.finishReason);
    expect(typeof r.text).toBe('string');
  });

  it('counts tokens with the model tokenizer', () => {
    expect(mm.countTokens('hello world')).toBe(2); // ▁hello ▁world are vocabulary pieces
    expect(mm.countTokens('hello world the model')).toBe(4);
  });

  it('is deterministic at temperature 0 and honours maxTokens (finishReason length)', async () => {
    const a = await mm.complete({ prompt: 'the local model', maxTokens: 8, temperature: 0 });
    const b = await mm.complete({ prompt: 'the local model', maxTokens: 8, temperature: 0 });
    expect(a.text).toBe(b.text);
    if (a.finishReason === 'length') expect(a.completionTokens).toBe(8);
  });

  it('streams tokens through onToken and they add up to the text', async () => {
    const chunks: string[] = [];
    let last = 0;
    const r = await mm.complete({
      messages: [{ role: 'user', content: 'say something' }],
      system: 'you are terse',
      maxTokens: 16,
      temperature: 0,
      onToken: (ev) => {
        chunks.push(ev.chunk);
        expect(ev.tokens).toBeGreaterThanOrEqual(last);
        last = ev.tokens;
      },
    });
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.join('')).toBe(r.text);
  });

  it('stops when aborted mid-generation (cancelled, fewer tokens than max)', async () => {
    const ac = new AbortController();
    let seen = 0;
    const r = await mm.complete({
      prompt: 'write a long story',
      maxTokens: 400,
      temperature: 0.8,
      stop: [],
      signal: ac.signal,
      onToken: () => {
        if (++seen === 3) ac.abort();
      },
    });
    expect(r.finishReason).toBe('cancelled');
    expect(r.completionTokens).toBeLessThan(400);
    expect(seen).toBeGreaterThanOrEqual(3);
  });

  it('returns finishReason timeout when the per-call timeout fires', async () => {
    const r = await mm.complete({ prompt: 'write a long story', maxTokens: 100000, temperature: 0.8, timeoutMs: 1 });
    expect(r.finishReason).toBe('timeout');
    expect(r.completionTokens).toBeLessThan(100000);
  });

  it('produces JSON that parses and matches the schema (grammar-constrained)', async () => {
    const schema = {
      type: 'object',
      properties: { answer: { enum: ['yes', 'no'] }, ok: { type: 'boolean' } },
      required: ['answer', 'ok'],
      additionalProperties: false,
    };
    const r = await mm.complete({ prompt: 'answer in JSON', jsonSchema: schema, maxTokens: 64, temperature: 0.5 });
    const parsed = JSON.parse(r.text);
    expect(['yes', 'no']).toContain(parsed.answer);
    expect(typeof parsed.ok).toBe('boolean');
    expect(r.json).toEqual(parsed);
  });

  it('rejects an invalid JSON schema with a clear message', async () => {
    await expect(mm.complete({ prompt: 'x', jsonSchema: { type: 'nonsense' } })).rejects.toThrow(/not a valid JSON Schema/);
  });

  it('refuses a prompt longer than the context instead of silently truncating it', async () => {
    const long = 'hello world the model '.repeat(200);
    await expect(mm.complete({ prompt: long, maxTokens: 4 })).rejects.toThrow(/prompt is \d+ tokens but gguf:tiny-a's context holds 512 per request; .*--context-size/);
  });

  it('rejects an empty request', async () => {
    await expect(mm.complete({})).rejects.toThrow(/give a prompt or messages/);
  });

  it('runs TRM with the model scoring itself through constrained JSON', async () => {
    const iterations: number[] = [];
    const r = await mm.complete({
      prompt: 'name a colour',
      maxTokens: 12,
      temperature: 0.7,
      trm: { maxIterations: 3, threshold: 0.8 },
      onToken: (ev) => iterations.push(ev.iteration ?? 0),
    });
    expect(r.trm).toBeDefined();
    const t = r.trm!;
    expect(t.scoreMethod).toBe('self-eval');
    expect(t.iterations).toBeGreaterThanOrEqual(1);
    expect(t.iterations).toBeLessThanOrEqual(3);
    expect(t.scores.length).toBe(t.iterations);
    for (const s of t.scores) expect(s >= 0 && s <= 1 && Math.round(s * 10) === s * 10).toBe(true);
    expect(t.converged).toBe(t.scores[t.scores.length - 1] >= 0.8);
    expect(t.drafts).toContain(r.text);
    // tokens of all the calls (draft, score, critique, refine) are counted
    expect(r.completionTokens).toBeGreaterThan(0);
    expect(iterations.every((i) => i >= 1)).toBe(true);
  });

  it('TRM with a JSON schema scores by validation and converges on the first valid draft', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    const r = await mm.complete({ prompt: 'json please', jsonSchema: schema, maxTokens: 32, trm: { maxIterations: 3 } });
    expect(r.trm?.scoreMethod).toBe('schema');
    expect(r.trm?.scores[0]).toBe(1);
    expect(r.trm?.converged).toBe(true);
    expect(r.trm?.iterations).toBe(1);
    expect(typeof (r.json as { ok: boolean }).ok).toBe('boolean');
  });
});
