import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelManager, listOllamaTags, listOpenAIModels, normalizeBaseUrl, probeServer } from '../../src/engine/models/index.js';
import { modelsFixture, type ModelsFixture } from '../helpers/models.js';
import { closedPort, startOpenAIServer, STREAM_PIECES, type FakeServer } from '../helpers/openai-server.js';
import { tempDir } from '../helpers/tmp.js';

let srv: FakeServer;
let ollama: FakeServer;
let fx: ModelsFixture;
let emptyModels: string;

beforeAll(async () => {
  srv = await startOpenAIServer({ models: ['m1', 'm2'] });
  ollama = await startOpenAIServer({ models: ['llama3.2:1b'], ollama: true });
  fx = modelsFixture();
  emptyModels = join(tempDir('ruvllm-nomodels-'), 'models');
  mkdirSync(emptyModels);
});
afterAll(async () => {
  await srv?.close();
  await ollama?.close();
});

describe('discovery of servers', () => {
  it('lists /v1/models and Ollama /api/tags', async () => {
    expect(await listOpenAIModels(srv.url + '/v1/')).toEqual(['m1', 'm2']);
    const tags = await listOllamaTags(ollama.url);
    expect(tags).toEqual([
      { name: 'llama3.2:1b', size: 1234567, family: 'llama', parameterSize: '1.2B', quantization: 'Q4_K_M', format: 'gguf' },
    ]);
  });

  it('probeServer labels Ollama and other OpenAI-compatible servers', async () => {
    const o = await probeServer(ollama.url, 1000);
    expect(o[0]).toMatchObject({
      id: 'ollama:llama3.2:1b',
      backend: 'openai',
      source: 'ollama',
      baseUrl: ollama.url,
      quantization: 'Q4_K_M',
      parameters: '1.2B',
    });
    const v = await probeServer(srv.url, 1000);
    const host = new URL(srv.url).host;
    expect(v.map((m) => m.id)).toEqual([`openai:${host}/m1`, `openai:${host}/m2`]);
    expect(v[0].source).toBe('openai-server');
  });

  it('ModelManager.discover merges files and servers and skips a dead server quickly', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const mm = new ModelManager(fx.options({ servers: [ollama.url, srv.url, dead] }));
    try {
      const list = await mm.discover();
      const ids = list.map((m) => m.id);
      expect(ids).toEqual(
        expect.arrayContaining(['gguf:tiny-a', 'gguf:tiny-b', 'ollama:llama3.2:1b', `openai:${new URL(srv.url).host}/m1`]),
      );
      expect(ids.some((i) => i.includes(new URL(dead).host))).toBe(false);
      const a = list.find((m) => m.id === 'gguf:tiny-a')!;
      expect(a).toMatchObject({ backend: 'gguf', source: 'file', architecture: 'llama', contextLength: 2048, quantization: 'ALL_F32' });
      expect(a.sizeBytes).toBeGreaterThan(100_000);
    } finally {
      await mm.close();
    }
  });

  it('does not wait on a server that accepts connections but never answers', async () => {
    const { createServer } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((s) => sockets.push(s)); // accepts, never writes
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as import('node:net').AddressInfo).port}`;
    const mm = new ModelManager(fx.options({ servers: [url, srv.url], probeTimeoutMs: 300 }));
    try {
      const ids = (await mm.discover()).map((m) => m.id);
      expect(ids).toContain(`openai:${new URL(srv.url).host}/m1`);
      expect(ids.some((i) => i.includes(new URL(url).host))).toBe(false);
      expect(sockets.length).toBeGreaterThan(0); // it was really contacted
    } finally {
      await mm.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('lists ruvllm only when enabled, and only as experimental', async () => {
    const mm = new ModelManager(fx.options({ enableRuvllm: true }));
    try {
      const r = (await mm.discover()).find((m) => m.backend === 'ruvllm');
      expect(r).toBeDefined();
      expect(r!.experimental).toBe(true);
      expect(r!.note).toMatch(/experimental.*random text/);
    } finally {
      await mm.close();
    }
    // chosen as the model to load, it is refused and never serves a completion
    const empty = new ModelManager(fx.options({ modelsDir: emptyModels, enableRuvllm: true, defaultModel: 'ruvllm:experimental' }));
    try {
      empty.start();
      await empty.ready();
      expect(empty.status().available).toBe(false);
      expect(empty.status().unavailableReason).toMatch(/random text/);
      await expect(empty.complete({ prompt: 'hi' })).rejects.toThrow(/no local model is available.*random text/);
      await expect(empty.swap({ id: 'ruvllm:experimental' })).rejects.toThrow(/cannot serve completions/);
    } finally {
      await empty.close();
    }
    const off = new ModelManager(fx.options());
    try {
      expect((await off.discover()).some((m) => m.backend === 'ruvllm')).toBe(false);
    } finally {
      await off.close();
    }
  });
});

describe('OpenAI-compatible backend', () => {
  let mm: ModelManager;
  beforeAll(async () => {
    mm = new ModelManager(fx.options({ modelsDir: emptyModels, servers: [ollama.url, srv.url], timeoutMs: 5000 }));
    mm.start();
    await mm.ready();
  });
  afterAll(async () => {
    await mm.close();
  });

  it('starts on the first server model when there is no GGUF file', () => {
    expect(mm.status().active?.id).toBe('ollama:llama3.2:1b');
  });

  it('streams SSE split across packets (lines, JSON and UTF-8 cut apart) and uses server usage counts', async () => {
    await mm.swap({ serverModel: 'm1', baseUrl: srv.url });
    const chunks: string[] = [];
    const r = await mm.complete({
      prompt: 'hi',
      system: 'be brief',
      maxTokens: 50,
      temperature: 0.2,
      topP: 0.9,
      stop: ['END'],
      onToken: (e) => chunks.push(e.chunk),
    });
    expect(r.text).toBe(STREAM_PIECES.join(''));
    expect(chunks).toEqual(STREAM_PIECES);
    expect(r.tokenCountMethod).toBe('server');
    expect(r.promptTokens).toBe(11);
    expect(r.completionTokens).toBe(STREAM_PIECES.length);
    expect(r.finishReason).toBe('stop');
    expect(r.backend).toBe('openai');
    expect(r.ttftMs).not.toBeNull();
    const req = srv.requests.filter((x) => x.path === '/v1/chat/completions').pop()!;
    expect(req.body).toMatchObject({
      model: 'm1',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
    });
  });

  it('estimates counts when the server reports no usage, and maps finish_reason length', async () => {
    const r = await mm.complete({ prompt: 'hi #nousage', maxTokens: 2 });
    expect(r.text).toBe('Hello');
    expect(r.tokenCountMethod).toBe('estimate');
    expect(r.completionTokens).toBe(Math.ceil('Hello'.length / 4));
    expect(r.finishReason).toBe('length');
  });

  it('sends response_format json_schema and validates the answer', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    const r = await mm.complete({ prompt: 'json', jsonSchema: schema });
    expect(r.json).toEqual({ ok: true });
    const req = srv.requests.filter((x) => x.path === '/v1/chat/completions').pop()!;
    expect(req.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', strict: true, schema } });
  });

  it('reports a 500 with the server URL, status and body', async () => {
    const err = await mm.complete({ prompt: '#500' }).catch((e) => e);
    expect(err.message).toContain(srv.url);
    expect(err.message).toMatch(/HTTP 500/);
    expect(err.message).toMatch(/out of memory loading model/);
  });

  it('times out a server that never answers (finishReason timeout)', async () => {
    const r = await mm.complete({ prompt: '#hang', timeoutMs: 200 });
    expect(r.finishReason).toBe('timeout');
    expect(r.text).toBe('');
  });

  it('rejects malformed SSE, a mid-stream error, and a stream that breaks off', async () => {
    await expect(mm.complete({ prompt: '#malformed' })).rejects.toThrow(/malformed SSE event from model server .*not JSON/);
    await expect(mm.complete({ prompt: '#midstream-error' })).rejects.toThrow(/reported an error mid-stream: .*model crashed/);
    await expect(mm.complete({ prompt: '#cut' })).rejects.toThrow(/stream (broke off|ended before the completion finished)/);
  });

  it('cancels a streaming completion via AbortSignal', async () => {
    const ac = new AbortController();
    let n = 0;
    const r = await mm.complete({ prompt: '#long', maxTokens: 5000, signal: ac.signal, onToken: () => ++n === 5 && ac.abort() });
    expect(r.finishReason).toBe('cancelled');
    expect(r.text.startsWith(' t0 t1 t2 t3 t4')).toBe(true);
    expect(n).toBeLessThan(2000);
  });

  it('refuses an unknown server model and an unreachable server, keeping the old model', async () => {
    const before = mm.status().active!.id;
    await expect(mm.swap({ serverModel: 'nope', baseUrl: srv.url })).rejects.toThrow(
      /model "nope" is not on .*; it has: m1, m2.*still serving/,
    );
    const dead = `http://127.0.0.1:${await closedPort()}`;
    await expect(mm.swap({ serverModel: 'm1', baseUrl: dead })).rejects.toThrow(/unreachable.*ECONNREFUSED/);
    expect(mm.status().active!.id).toBe(before);
    expect((await mm.complete({ prompt: 'still ok' })).text).toBe(STREAM_PIECES.join(''));
  });

  it('swaps between a server model and a GGUF file', async () => {
    const fresh = modelsFixture(); // own database: fx's remembers the last swap (to m1)
    const mm2 = new ModelManager(fresh.options({ servers: [srv.url] }));
    try {
      mm2.start();
      await mm2.ready();
      expect(mm2.status().active?.backend).toBe('gguf');
      const r = await mm2.swap({ id: `openai:${new URL(srv.url).host}/m2` });
      expect(r.previous?.backend).toBe('gguf');
      expect((await mm2.complete({ prompt: 'x' })).model).toBe(r.current.id);
      await mm2.swap({ id: 'gguf:tiny-b' });
      expect((await mm2.complete({ prompt: 'x', maxTokens: 3 })).backend).toBe('gguf');
    } finally {
      await mm2.close();
    }
  });

  it('says the server cannot be reached when it goes away after the swap', async () => {
    const gone = await startOpenAIServer({ models: ['g1'] });
    const fresh = modelsFixture();
    const m = new ModelManager(fresh.options({ modelsDir: emptyModels, servers: [] }));
    try {
      await m.swap({ serverModel: 'g1', baseUrl: gone.url });
      expect((await m.complete({ prompt: 'x' })).text).toBe(STREAM_PIECES.join(''));
      await gone.close();
      await expect(m.complete({ prompt: 'x' })).rejects.toThrow(
        new RegExp(`cannot reach model server ${gone.url}.*ECONNREFUSED.*is the server running`),
      );
    } finally {
      await m.close();
    }
  });

  it('normalizeBaseUrl strips /v1 and slashes and rejects non-http', () => {
    expect(normalizeBaseUrl('http://h:1/v1/')).toBe('http://h:1');
    expect(() => normalizeBaseUrl('ftp://x')).toThrow(/http/);
  });
});
