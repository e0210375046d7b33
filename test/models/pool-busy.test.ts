/**
 * A pool endpoint answering HTTP 429 (busy, as llama.cpp's server does with every slot taken and vLLM or a proxy in
 * front of one under rate limits): it is not failed or cooled down, the call moves to another endpoint once, and
 * while its Retry-After lasts other endpoints are tried first. The busy endpoint is a real HTTP server that answers
 * 429 while told to, and otherwise hands the request to a real OpenAI-compatible server (a generated GGUF through
 * node-llama-cpp) and streams its answer back.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { errorKind } from '../../src/engine/errors.js';
import { loadPool } from '../../src/engine/models/pool.js';
import type { ModelInfo } from '../../src/engine/models/types.js';
import { spawnGgufServer, type GgufServerProcess } from '../helpers/gguf-server.js';
import { tempDir } from '../helpers/tmp.js';

const NAME = 'tiny-busy';
let real: GgufServerProcess[] = [];

interface BusyServer {
  url: string;
  /** Answer chat completions with 429 while true. */
  busy: boolean;
  /** Chat completion requests received, and how many were answered 429. */
  chats: number;
  refused: number;
  close(): Promise<void>;
}

/** A server that answers 429 (Retry-After: `retryAfterS`) while `busy`, and otherwise forwards to `backend`. */
async function startBusyServer(backend: string, retryAfterS = 30): Promise<BusyServer> {
  const state = { busy: true, chats: 0, refused: 0 };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'POST' && req.url === '/v1/chat/completions') {
      state.chats++;
      if (state.busy) {
        state.refused++;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterS) });
        res.end(JSON.stringify({ error: { code: 429, message: 'all slots are busy', type: 'unavailable_error' } }));
        return;
      }
    }
    const up = await fetch(`${backend}${req.url}`, {
      method: req.method,
      headers: { 'content-type': 'application/json' },
      body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
    if (up.body) Readable.fromWeb(up.body as import('node:stream/web').ReadableStream).pipe(res);
    else res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
}

beforeAll(async () => {
  const model = join(tempDir('ruvllm-pool-busy-'), `${NAME}.gguf`);
  writeTinyGguf(model, { name: NAME, seed: 5 });
  real = await Promise.all([0, 1].map(() => spawnGgufServer({ model, name: NAME, parallel: 1 })));
});

afterAll(async () => {
  await Promise.all(real.map((s) => s.kill()));
});

function poolInfo(urls: string[]): ModelInfo {
  return { id: `pool:${NAME}`, name: NAME, backend: 'openai', source: 'pool', endpoints: urls };
}

const ask = (maxTokens = 4) => ({
  messages: [{ role: 'user' as const, content: 'Tell me something.' }],
  maxTokens,
  temperature: 0,
  signal: new AbortController().signal,
});

describe('a pool endpoint answering HTTP 429', () => {
  it('is not failed or cooled down; the call moves to another endpoint once, which answers', async () => {
    const busy = await startBusyServer(real[0].url);
    const pool = await loadPool(poolInfo([busy.url, real[1].url]), { healthIntervalMs: 0 });
    try {
      // both idle and unmeasured: the first call goes to the busy one (listed first), gets 429, moves on
      const r = await pool.generate(ask());
      expect(r.completionTokens).toBeGreaterThan(0);
      expect(busy.refused).toBe(1);
      const [b, ok] = pool.state();
      expect(b).toMatchObject({ calls: 1, failures: 0, consecutiveFailures: 0, healthy: true, cooldownUntil: null, inFlight: 0 });
      // shown as busy (not down) until its Retry-After of 30 s has passed
      expect(Date.parse(b.busyUntil!) - Date.now()).toBeGreaterThan(20_000);
      expect(ok.busyUntil).toBeNull();
      expect(ok).toMatchObject({ calls: 1, failures: 0, healthy: true });
      // a health check of the busy one (GET /v1/models answers) keeps it in service
      await pool.checkHealth();
      expect(pool.state()[0]).toMatchObject({ healthy: true, failures: 0, cooldownUntil: null });
    } finally {
      await pool.dispose();
      await busy.close();
    }
  });

  it('when every endpoint is busy, the call fails as retryable after exactly one move, with no endpoint cooled down', async () => {
    const busy = await Promise.all(real.map((s) => startBusyServer(s.url, 2)));
    const third = await startBusyServer(real[0].url, 2);
    const pool = await loadPool(poolInfo([...busy.map((b) => b.url), third.url]), { healthIntervalMs: 0 });
    try {
      const err = await pool.generate(ask()).catch((e) => e);
      expect(errorKind(err)).toBe('retryable');
      expect((err as Error).message).toMatch(/429/);
      // two attempts (the first endpoint and one other), not three
      expect(busy[0].chats + busy[1].chats + third.chats).toBe(2);
      for (const e of pool.state()) expect(e).toMatchObject({ failures: 0, healthy: true, cooldownUntil: null });
    } finally {
      await pool.dispose();
      await Promise.all([...busy, third].map((b) => b.close()));
    }
  });

  it('while its Retry-After lasts, calls go to the other endpoints first; afterwards it serves again', async () => {
    const busy = await startBusyServer(real[0].url, 1);
    const pool = await loadPool(poolInfo([busy.url, real[1].url]), { healthIntervalMs: 0 });
    try {
      await pool.generate(ask());
      expect(busy.chats).toBe(1);
      // sequential calls: both idle, the one that said "busy, retry after 1 s" is not asked again within that second
      for (let i = 0; i < 3; i++) await pool.generate(ask());
      expect(busy.chats).toBe(1);
      expect(pool.state().map((e) => e.calls)).toEqual([1, 4]);
      // it stops being busy and its Retry-After has passed: with the other one busy with a call, it gets the next
      busy.busy = false;
      await new Promise((r) => setTimeout(r, 1100));
      const both = await Promise.all([pool.generate(ask(16)), pool.generate(ask(16))]);
      expect(both.every((r) => r.completionTokens > 0)).toBe(true);
      expect(busy.chats).toBe(2);
      expect(busy.refused).toBe(1);
      expect(pool.state()[0]).toMatchObject({ calls: 2, failures: 0, healthy: true });
    } finally {
      await pool.dispose();
      await busy.close();
    }
  });

  it("a busy endpoint at the pool's load check is not failed; the pool loads and the endpoint serves once free", async () => {
    const busy = await startBusyServer(real[0].url, 1);
    const pool = await loadPool(poolInfo([busy.url, real[1].url]), { healthIntervalMs: 0 });
    try {
      await pool.check();
      expect(busy.refused).toBe(1);
      expect(pool.state()[0]).toMatchObject({ failures: 0, consecutiveFailures: 0, healthy: true, cooldownUntil: null, lastError: null });
      busy.busy = false;
      await new Promise((r) => setTimeout(r, 1100));
      await Promise.all([pool.generate(ask(16)), pool.generate(ask(16))]);
      expect(busy.chats).toBe(2);
      expect(pool.state()[0]).toMatchObject({ calls: 1, failures: 0 });
    } finally {
      await pool.dispose();
      await busy.close();
    }
  });

  it('a pool whose every endpoint is busy at its load check loads (busy is not down)', async () => {
    const busy = await Promise.all(real.map((s) => startBusyServer(s.url, 1)));
    const pool = await loadPool(poolInfo(busy.map((b) => b.url)), { healthIntervalMs: 0 });
    try {
      await expect(pool.check()).resolves.toBeUndefined();
      for (const e of pool.state()) expect(e).toMatchObject({ failures: 0, healthy: true, cooldownUntil: null });
    } finally {
      await pool.dispose();
      await Promise.all(busy.map((b) => b.close()));
    }
  });
});
