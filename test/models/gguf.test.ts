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
      // greedy decoding of this prompt runs for 200+ tokens on tiny-a, so the abort lands mid-generation
      prompt: 'hi',
      maxTokens: 400,
      temperature: 0,
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
    await expect(mm.complete({ prompt: long, maxTokens: 4 })).rejects.toThrow(
      /prompt is \d+ tokens but gguf:tiny-a's context holds 512 per request; .*--context-size/,
    );
  });

  it('caps generation at the end of the context (finishReason length, no context shift)', async () => {
    // ~400 prompt tokens + 400 requested > 512: the answer is cut at the context's end
    const prompt = 'hello world the model '.repeat(95);
    const r = await mm.complete({ prompt, maxTokens: 400, temperature: 0.8 });
    expect(r.promptTokens).toBeLessThan(512);
    expect(r.promptTokens + r.completionTokens).toBeLessThanOrEqual(512);
  });

  it('rejects an empty request', async () => {
    await expect(mm.complete({})).rejects.toThrow(/give a prompt or messages/);
  });

  it('runs TRM with the model scoring itself through constrained JSON', async () => {
    const iterations: number[] = [];
    const tokens: number[] = [];
    const phases = new Set<string>();
    const r = await mm.complete({
      prompt: 'name a colour',
      maxTokens: 12,
      temperature: 0.7,
      trm: { maxIterations: 3, threshold: 0.8 },
      onToken: (ev) => {
        iterations.push(ev.iteration ?? 0);
        tokens.push(ev.tokens);
        phases.add(ev.phase ?? '');
        if (ev.phase === 'score' || ev.phase === 'critique') expect(ev.chunk).toBe('');
      },
    });
    // progress never goes backwards across the phases and stays within the call's total
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]).toBeGreaterThanOrEqual(tokens[i - 1]);
    expect(tokens[tokens.length - 1]).toBeLessThanOrEqual(r.completionTokens);
    expect(phases.has('draft')).toBe(true);
    expect(r.trm).toBeDefined();
    const t = r.trm!;
    expect(t.scoreMethod).toBe('self-eval');
    expect(t.iterations).toBeGreaterThanOrEqual(1);
    expect(t.iterations).toBeLessThanOrEqual(3);
    // every draft is scored unless the review prompt stopped fitting the context
    if (t.stoppedBy !== 'context') expect(t.scores.length).toBe(t.iterations);
    expect(['converged', 'maxIterations', 'unchanged', 'context']).toContain(t.stoppedBy);
    expect(t.converged).toBe(t.stoppedBy === 'converged');
    for (const s of t.scores) expect(s >= 0 && s <= 1 && Math.round(s * 10) === s * 10).toBe(true);
    expect(t.converged).toBe(t.scores[t.scores.length - 1] >= 0.8);
    expect(t.drafts).toContain(r.text);
    // tokens of all the calls (draft, score, critique, refine) are counted
    expect(r.completionTokens).toBeGreaterThan(0);
    expect(iterations.every((i) => i >= 1)).toBe(true);
  });

  it('TRM stops as soon as the self-evaluated score reaches the threshold', async () => {
    const r = await mm.complete({ prompt: 'name a colour', maxTokens: 8, trm: { maxIterations: 4, threshold: 0 } });
    expect(r.trm).toMatchObject({ iterations: 1, converged: true, stoppedBy: 'converged', scoreMethod: 'self-eval' });
    expect(r.trm!.scores).toHaveLength(1);
  });

  it('TRM keeps refining while the score stays below the threshold', async () => {
    const r = await mm.complete({ prompt: 'name a colour', maxTokens: 8, temperature: 0.9, trm: { maxIterations: 2, threshold: 1.01 } });
    expect(r.trm!.converged).toBe(false);
    expect(['maxIterations', 'unchanged', 'context']).toContain(r.trm!.stoppedBy);
    if (r.trm!.stoppedBy === 'maxIterations') {
      expect(r.trm!.iterations).toBe(2);
      expect(r.trm!.scores).toHaveLength(2);
    }
  });

  it('TRM with a JSON schema scores by validation and converges on the first valid draft', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    const r = await mm.complete({ prompt: 'json please', jsonSchema: schema, maxTokens: 32, trm: { maxIterations: 3 } });
    expect(r.trm?.scoreMethod).toBe('schema');
    expect(r.trm?.scores[0]).toBe(1);
    expect(r.trm?.converged).toBe(true);
    expect(r.trm?.iterations).toBe(1);
    expect(r.trm?.stoppedBy).toBe('converged');
    expect(typeof (r.json as { ok: boolean }).ok).toBe('boolean');
  });
});
