/**
 * Errors with a kind: a caller's mistake (a prompt longer than the context, an invalid or recursive
 * JSON schema, an HTTP 400) never counts against the local backend, while a real backend fault
 * (HTTP 500, a refused connection) still opens its circuit breaker. Real engine, real tiny GGUF
 * through node-llama-cpp, a real HTTP server speaking the OpenAI protocol.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { Engine } from '../../src/engine/engine.js';
import { errorKind, RetryableError } from '../../src/engine/errors.js';
import { ModelQueue } from '../../src/engine/models/index.js';
import { assertValidSchema, checkJson, SCHEMA_LIMITS } from '../../src/engine/models/schema.js';
import { isolatedEngineOptions } from '../helpers/mcp.js';
import { startOpenAIServer, type FakeServer } from '../helpers/openai-server.js';
import { tempDir } from '../helpers/tmp.js';

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error & { retryAfterMs?: number }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail, it succeeded');
}

function breaker(engine: Engine, backend: string) {
  return {
    state: engine.internalsForTests().health.state(backend),
    failures:
      engine
        .internalsForTests()
        .health.all()
        .find((b) => b.backend === backend)?.failures ?? 0,
  };
}

/** Ten schemas a caller may send by mistake (or an injected prompt on purpose). */
function badSchemas(): Record<string, unknown>[] {
  let deep: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < 200; i++) deep = { type: 'array', items: deep };
  return [
    { type: 'nonsense' },
    { $ref: '#' },
    { allOf: [{ $ref: '#' }] },
    { $defs: { a: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' },
    { $defs: { a: { oneOf: [{ $ref: '#/$defs/a' }, { type: 'null' }] } }, $ref: '#/$defs/a' },
    { type: 'object', properties: { x: { $ref: 'https://example.invalid/schema.json' } } },
    { type: 'object', properties: { x: { $ref: '#/$defs/missing' } } },
    deep,
    { type: 'string', minLength: -1 },
    { type: 'object', properties: 'x' },
  ];
}

describe('caller errors on a GGUF model in process leave the breaker closed', () => {
  let engine: Engine;
  beforeAll(async () => {
    const dir = tempDir('ruvllm-errors-');
    const model = join(dir, 'models', 'tiny.gguf');
    writeTinyGguf(model, { name: 'tiny', seed: 3 });
    engine = new Engine(isolatedEngineOptions(join(dir, 'data'), { modelsDir: join(dir, 'models'), model, contextSize: 256, parallel: 1 }));
    engine.start();
    await engine.modelReady();
    expect(engine.modelStatus().active?.backend).toBe('gguf');
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('10 prompts longer than the context are caller errors; a valid completion works afterwards', async () => {
    const long = 'hello world the model '.repeat(200);
    for (let i = 0; i < 10; i++) {
      const err = await rejection(engine.complete({ prompt: long, maxTokens: 4 }));
      expect(err.message).toMatch(/prompt is \d+ tokens but gguf:tiny's context holds 256 per request/);
      expect(errorKind(err)).toBe('caller');
    }
    expect(breaker(engine, 'gguf')).toEqual({ state: 'closed', failures: 0 });
    const ok = await engine.complete({ prompt: 'hello', maxTokens: 4, temperature: 0 });
    expect(ok.backend).toBe('gguf');
  });

  it('10 invalid, recursive or unsupported JSON schemas are caller errors; a valid schema works afterwards', async () => {
    const bad = badSchemas();
    expect(bad).toHaveLength(10);
    for (const schema of bad) {
      const err = await rejection(engine.complete({ prompt: 'answer in JSON', jsonSchema: schema, maxTokens: 16 }));
      expect(errorKind(err), `${JSON.stringify(schema).slice(0, 80)}: ${err.message}`).toBe('caller');
      expect(err.message).toMatch(/^jsonSchema/);
      expect(err.message).not.toMatch(/call stack/i);
    }
    expect(breaker(engine, 'gguf')).toEqual({ state: 'closed', failures: 0 });
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false };
    const r = await engine.complete({ prompt: 'answer in JSON', jsonSchema: schema, maxTokens: 32, temperature: 0 });
    expect(typeof (r.json as { ok: unknown }).ok).toBe('boolean');
  });

  it('{"$ref": "#"} gets a clear caller error saying what to fix, never a stack overflow', async () => {
    const err = await rejection(engine.complete({ prompt: 'x', jsonSchema: { $ref: '#' }, maxTokens: 8 }));
    expect(errorKind(err)).toBe('caller');
    expect(err.message).toMatch(/\$ref "#"/);
    expect(err.message).toMatch(/#\/\$defs\/<name>/);
  });

  it('recursion through an object property or array item is accepted (it is not a loop)', async () => {
    const tree = {
      $defs: {
        node: {
          type: 'object',
          properties: { name: { type: 'string', maxLength: 4 }, kids: { type: 'array', items: { $ref: '#/$defs/node' }, maxItems: 0 } },
        },
      },
      $ref: '#/$defs/node',
    };
    const r = await engine.complete({ prompt: 'a tree', jsonSchema: tree, maxTokens: 48, temperature: 0 });
    expect(r.backend).toBe('gguf');
  });
});

describe('an OpenAI-compatible server: HTTP 4xx is the caller, 5xx and refused connections are the backend', () => {
  let srv: FakeServer;
  const engines: Engine[] = [];
  async function engineOn(url: string, timeoutMs?: number): Promise<Engine> {
    const dir = tempDir('ruvllm-errors-http-');
    const e = new Engine(isolatedEngineOptions(join(dir, 'data'), { modelsDir: join(dir, 'models'), ...(timeoutMs ? { timeoutMs } : {}) }));
    engines.push(e);
    e.start();
    await e.modelReady();
    await e.swap({ serverModel: 'm1', baseUrl: url });
    return e;
  }
  beforeAll(async () => {
    srv = await startOpenAIServer({ models: ['m1'] });
  });
  afterAll(async () => {
    for (const e of engines) await e.close();
    await srv?.close();
  });

  it('10 requests the server refuses with HTTP 400 are caller errors; the breaker stays closed', async () => {
    const engine = await engineOn(srv.url);
    for (let i = 0; i < 10; i++) {
      const err = await rejection(engine.complete({ prompt: 'too much #400', maxTokens: 4 }));
      expect(err.message).toMatch(/HTTP 400/);
      expect(errorKind(err)).toBe('caller');
    }
    expect(breaker(engine, 'openai')).toEqual({ state: 'closed', failures: 0 });
    expect((await engine.complete({ prompt: 'hi', maxTokens: 4 })).text.length).toBeGreaterThan(0);
  });

  it('HTTP 500 three times opens the breaker; the next call is refused as retryable with a wait', async () => {
    const engine = await engineOn(srv.url);
    for (let i = 0; i < 3; i++) {
      const err = await rejection(engine.complete({ prompt: 'boom #500', maxTokens: 4 }));
      expect(err.message).toMatch(/HTTP 500/);
      expect(errorKind(err)).toBe('backend');
    }
    expect(breaker(engine, 'openai')).toEqual({ state: 'open', failures: 3 });
    const refused = await rejection(engine.complete({ prompt: 'hi', maxTokens: 4 }));
    expect(errorKind(refused)).toBe('retryable');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(refused.message).toMatch(/hot_swap_model/);
  });

  it("a server that sends no token within the configured time limit is a backend fault; a caller's own short limit is not", async () => {
    // (the limit also bounds the swap's check of the server: 1.5 s failed that check once on a machine at load 7)
    const engine = await engineOn(srv.url, 4000);
    for (let i = 0; i < 5; i++) {
      const r = await engine.complete({ prompt: 'slow #hang', maxTokens: 4, timeoutMs: 200 });
      expect(r.finishReason).toBe('timeout');
    }
    expect(breaker(engine, 'openai')).toEqual({ state: 'closed', failures: 0 });
    for (let i = 0; i < 3; i++) {
      const r = await engine.complete({ prompt: 'slow #hang', maxTokens: 4 });
      expect(r.finishReason).toBe('timeout');
      expect(r.completionTokens).toBe(0);
    }
    expect(breaker(engine, 'openai')).toEqual({ state: 'open', failures: 3 });
    expect(
      engine
        .internalsForTests()
        .health.all()
        .find((b) => b.backend === 'openai')?.lastError,
    ).toMatch(/no token within the configured 4000 ms/);
  });

  it('a refused connection is a backend fault and opens the breaker', async () => {
    const own = await startOpenAIServer({ models: ['m1'] });
    const engine = await engineOn(own.url);
    await own.close();
    for (let i = 0; i < 3; i++) {
      const err = await rejection(engine.complete({ prompt: 'hi', maxTokens: 4 }));
      expect(err.message).toMatch(/cannot reach model server/);
      expect(errorKind(err)).toBe('backend');
    }
    expect(breaker(engine, 'openai').state).toBe('open');
  });
});

describe('a full queue', () => {
  it('is a retryable error with a wait', async () => {
    const q = new ModelQueue('m', 1, 0);
    let release!: () => void;
    const running = q.run(() => new Promise<void>((r) => (release = r)));
    const err = await rejection(q.run(async () => undefined));
    expect(err).toBeInstanceOf(RetryableError);
    expect(errorKind(err)).toBe('retryable');
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(100);
    release();
    await running;
  });
});

describe('validating an answer', () => {
  it('an answer nested too deeply for a recursive schema is a jsonError, not a stack overflow', () => {
    const tree = {
      $defs: { node: { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#/$defs/node' } } } } },
      $ref: '#/$defs/node',
    };
    const n = 100_000;
    const deep = '{"kids":['.repeat(n) + '{}' + ']}'.repeat(n);
    expect(checkJson(tree, deep)).toEqual({ ok: false, error: 'output nests too deeply to validate against the schema' });
    expect(checkJson(tree, '{"kids":[{"kids":[]}]}')).toEqual({ ok: true, value: { kids: [{ kids: [] }] } });
  });
});

describe('schema bounds', () => {
  const refusal = (schema: Record<string, unknown>) => {
    try {
      assertValidSchema(schema);
    } catch (e) {
      expect(errorKind(e)).toBe('caller');
      return (e as Error).message;
    }
    throw new Error('expected the schema to be refused');
  };
  it('refuses a schema over the size, node or depth limits, naming the limit', () => {
    const props: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) props[`property_${i}`] = { type: 'string' };
    expect(refusal({ type: 'object', properties: props })).toMatch(new RegExp(`at most ${SCHEMA_LIMITS.chars} are accepted`));
    expect(refusal({ enum: Array.from({ length: SCHEMA_LIMITS.nodes + 1 }, () => []) })).toMatch(
      new RegExp(`more than ${SCHEMA_LIMITS.nodes} objects and arrays`),
    );
  });
  it('a property named "$ref" and $ref-like data in enum or default are not references', () => {
    expect(() => assertValidSchema({ type: 'object', properties: { $ref: { type: 'string' } } })).not.toThrow();
    expect(() => assertValidSchema({ enum: [{ $ref: '#' }], default: { $ref: 'x' } })).not.toThrow();
  });
  it('names a long reference loop briefly', () => {
    const defs: Record<string, unknown> = {};
    for (let i = 0; i < 500; i++) defs[`d${i}`] = { $ref: `#/$defs/d${(i + 1) % 500}` };
    const msg = refusal({ $defs: defs, $ref: '#/$defs/d0' });
    expect(msg).toMatch(
      /"#\/\$defs\/d0" -> "#\/\$defs\/d1" -> "#\/\$defs\/d2" -> … 496 more … -> "#\/\$defs\/d499" -> "#\/\$defs\/d0" loop/,
    );
    expect(msg.length).toBeLessThan(600);
  });
});
