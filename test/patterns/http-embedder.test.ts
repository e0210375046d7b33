import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  HttpEmbedder,
  PatternBank,
  createDefaultEmbedder,
  createEmbedder,
  migrations,
  type ReembedProgress,
} from '../../src/engine/patterns/index.js';
import { openDatabase } from '../../src/engine/store/db.js';
import { tempDir } from '../helpers/tmp.js';

/** Deterministic 64-d bag-of-words vectors computed by the test server (not normalised: the client must normalise). */
function serverVector(text: string): number[] {
  const v = new Array<number>(64).fill(0);
  for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (const ch of w) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    v[(h >>> 0) % 64] += 3;
  }
  v[63] += 0.5;
  return v;
}

let server: Server;
let base: string;
const seen: { path: string; auth: string | undefined; model: string; n: number }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const j = JSON.parse(body || '{}') as { model?: string; input?: string | string[] };
      const input = typeof j.input === 'string' ? [j.input] : (j.input ?? []);
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, model: j.model ?? '', n: input.length });
      if (j.model === 'missing-model') {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'model "missing-model" not found, try pulling it first' }));
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/embeddings') {
        // OpenAI returns items with an index; send them reversed to check the client orders by index
        const data = input.map((t, index) => ({ object: 'embedding', index, embedding: serverVector(t) })).reverse();
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ object: 'list', data, model: j.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
      } else if (req.method === 'POST' && req.url === '/api/embed') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ model: j.model, embeddings: input.map(serverVector) }));
      } else {
        res.writeHead(404).end('not found');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('HTTP embedders', () => {
  it('OpenAI-compatible: batches, orders by index, normalises, learns the dimension, sends the key', async () => {
    const e = createEmbedder(`openai:${base}/v1#text-embedding-test`, { RUVLLM_MCP_EMBED_API_KEY: 'sk-test' });
    expect(e.dim).toBe(0);
    const [a, b] = await e.embed(['alpha beta', 'gamma']);
    expect(e.dim).toBe(64);
    const expectA = serverVector('alpha beta');
    const norm = Math.hypot(...expectA);
    expect(Array.from(a).map((x) => Math.round(x * 1e5))).toEqual(expectA.map((x) => Math.round((x / norm) * 1e5)));
    expect(Array.from(b)).not.toEqual(Array.from(a));
    const last = seen[seen.length - 1];
    expect(last).toEqual({ path: '/v1/embeddings', auth: 'Bearer sk-test', model: 'text-embedding-test', n: 2 });
    const many = await new HttpEmbedder({ kind: 'openai', baseUrl: `${base}/v1`, model: 'm', batchSize: 3 }).embed(
      Array.from({ length: 7 }, (_, i) => `t${i}`),
    );
    expect(many.length).toBe(7);
    expect(seen.slice(-3).map((s) => s.n)).toEqual([3, 3, 1]);
  });

  it('Ollama /api/embed and clear errors from a failing server or a dead port', async () => {
    const e = createEmbedder(`ollama:${base}#nomic-test`);
    const [v] = await e.embed(['hello world']);
    expect(v.length).toBe(64);
    expect(seen[seen.length - 1].path).toBe('/api/embed');
    await expect(createEmbedder(`ollama:${base}#missing-model`).embed(['x'])).rejects.toThrow(/answered 404: .*missing-model/);
    await expect(createEmbedder('ollama:http://127.0.0.1:9#m').embed(['x'])).rejects.toThrow(
      /request to http:\/\/127.0.0.1:9\/api\/embed failed: .*is the server running/,
    );
  });

  it('switchEmbedder re-embeds in the background with progress, keeps serving, never mixes vector spaces', async () => {
    const dir = tempDir('ruvllm-switch-');
    const db = openDatabase(join(dir, 'b.db'), migrations);
    const bank = await PatternBank.open({ db, indexPath: join(dir, 'b.hnsw'), embedder: createDefaultEmbedder(), persistIntervalMs: 0 });
    const tasks = Array.from({ length: 150 }, (_, i) => `task ${i} rotate the ${['logs', 'keys', 'certs'][i % 3]} of service ${i * 31}`);
    for (const t of tasks) await bank.store({ task: t, approach: `approach ${t}`, quality: 0.7 });
    const target = createEmbedder(`ollama:${base}#nomic-test`);
    const progress: ReembedProgress[] = [];
    const p = bank.switchEmbedder(target, (x) => progress.push({ ...x }));
    // still answering with the old embedder while re-embedding
    const during = await bank.find({ query: tasks[7], k: 1 });
    expect(during.embedder).toBe(createDefaultEmbedder().id);
    expect(during.matches[0].pattern.task).toBe(tasks[7]);
    // a store during the switch is embedded with both embedders
    await bank.store({ task: 'stored while switching', approach: 'both spaces', quality: 0.5 });
    await p;
    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toEqual({ done: 151, total: 151 });
    const st = await bank.stats();
    expect(st.embedder).toBe('ollama:nomic-test');
    expect(st.dim).toBe(64);
    expect(st.indexed).toBe(151);
    expect(st.reembedding).toBeNull();
    const spaces = db.prepare('SELECT embedder, dim, COUNT(*) AS n FROM pattern_vectors GROUP BY embedder, dim').all();
    expect(spaces).toEqual([{ embedder: 'ollama:nomic-test', dim: 64, n: 151 }]);
    const after = await bank.find({ query: tasks[42], k: 1 });
    expect(after.embedder).toBe('ollama:nomic-test');
    expect(after.matches[0].pattern.task).toBe(tasks[42]);
    expect((await bank.find({ query: 'stored while switching', k: 1 })).matches[0].pattern.approach).toBe('both spaces');
    await bank.close();
    db.close();

    // reopening with yet another embedder re-embeds at open; queries are lexical until it is done
    const db2 = openDatabase(join(dir, 'b.db'), migrations);
    const bank2 = await PatternBank.open({
      db: db2,
      indexPath: join(dir, 'b.hnsw'),
      embedder: createDefaultEmbedder(),
      persistIntervalMs: 0,
    });
    const early = await bank2.find({ query: tasks[9], k: 1 });
    if ((await bank2.stats()).reembedding) expect(early.embedder).toMatch(/lexical-only/);
    await bank2.whenReembedded();
    expect((await bank2.stats()).embedder).toBe(createDefaultEmbedder().id);
    expect((await bank2.stats()).indexed).toBe(151);
    expect((await bank2.find({ query: tasks[9], k: 1 })).matches[0].pattern.task).toBe(tasks[9]);
    expect(db2.prepare('SELECT DISTINCT embedder FROM pattern_vectors').all()).toEqual([{ embedder: createDefaultEmbedder().id }]);
    await bank2.close();
    db2.close();
  });
});
