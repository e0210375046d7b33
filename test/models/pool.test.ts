/**
 * A pool of real OpenAI-compatible servers (each a process serving a generated GGUF through
 * node-llama-cpp): balancing, a 4xx that is not retried, an endpoint killed mid-load, cooldown and
 * return, a first-token timeout, and the pool as the manager's active model with its endpoint states.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { loadConfig } from '../../src/config.js';
import { errorKind } from '../../src/engine/errors.js';
import { engineOptions } from '../../src/serve.js';
import { ModelManager } from '../../src/engine/models/index.js';
import { loadPool } from '../../src/engine/models/pool.js';
import type { EndpointState, ModelInfo } from '../../src/engine/models/types.js';
import { spawnGgufServer, type GgufServerProcess } from '../helpers/gguf-server.js';
import { connectInProcess } from '../helpers/mcp.js';
import { closedPort, startOpenAIServer } from '../helpers/openai-server.js';
import { modelsFixture } from '../helpers/models.js';
import { tempDir } from '../helpers/tmp.js';

const NAME = 'tiny-pool';
let model: string;
const servers: GgufServerProcess[] = [];

/** Each server runs one sequence and paces its stream, so calls beyond one per server wait with nothing sent. */
const DELAY = 15;

beforeAll(async () => {
  model = join(tempDir('ruvllm-pool-'), `${NAME}.gguf`);
  writeTinyGguf(model, { name: NAME, seed: 3 });
  servers.push(...(await Promise.all([0, 1, 2].map(() => spawnGgufServer({ model, name: NAME, parallel: 1, tokenDelayMs: DELAY })))));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
});

function poolInfo(urls: string[]): ModelInfo {
  return { id: `pool:${NAME}`, name: NAME, backend: 'openai', source: 'pool', endpoints: urls };
}

const ask = (maxTokens: number, onText?: () => void) => ({
  messages: [{ role: 'user' as const, content: 'Tell me something.' }],
  maxTokens,
  temperature: 0,
  signal: new AbortController().signal,
  onText,
});

async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pool of endpoints', () => {
  it('spreads concurrent calls over the endpoints by calls in flight', async () => {
    const pool = await loadPool(poolInfo(servers.map((s) => s.url)), { healthIntervalMs: 0 });
    try {
      const calls = Array.from({ length: 6 }, () => pool.generate(ask(8)));
      // least in flight: two on each before any finished
      expect(pool.state().map((e) => e.inFlight)).toEqual([2, 2, 2]);
      const results = await Promise.all(calls);
      for (const r of results) expect(r.completionTokens).toBeGreaterThan(0);
      const st = pool.state();
      expect(st.map((e) => e.calls)).toEqual([2, 2, 2]);
      expect(st.every((e) => e.healthy && e.failures === 0 && e.inFlight === 0 && e.latencyMs !== null)).toBe(true);
    } finally {
      await pool.dispose();
    }
  });

  it('answers a non-streaming server too (stream ignored: one JSON document)', async () => {
    // The dev server streams only when asked; a plain POST gets one document, which the client accepts as well.
    const res = await fetch(`${servers[0].url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: NAME, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 }),
    });
    const j = (await res.json()) as { choices: { message: { content: string } }[]; usage: { completion_tokens: number } };
    expect(res.status).toBe(200);
    expect(j.choices[0].message.content.length).toBeGreaterThan(0);
    expect(j.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('a caller error (HTTP 400) is neither retried nor counted against the endpoint', async () => {
    const pool = await loadPool(poolInfo(servers.map((s) => s.url)), { healthIntervalMs: 0 });
    try {
      const err = await pool.generate(ask(0)).catch((e) => e);
      expect(errorKind(err)).toBe('caller');
      expect((err as Error).message).toMatch(/HTTP 400/);
      const st = pool.state();
      expect(st.reduce((n, e) => n + e.calls, 0)).toBe(1);
      expect(st.every((e) => e.healthy && e.failures === 0 && e.cooldownUntil === null)).toBe(true);
    } finally {
      await pool.dispose();
    }
  });

  it('an HTTP 5xx before the first byte is retried once on another endpoint, which answers', async () => {
    // The protocol helper answers "#500" with HTTP 500 (a server out of memory); the real endpoint answers anything.
    const failing = await startOpenAIServer({ models: [NAME] });
    const pool = await loadPool(poolInfo([failing.url, servers[0].url]), { healthIntervalMs: 0, cooldownMs: 600_000 });
    try {
      const r = await pool.generate({ ...ask(4), messages: [{ role: 'user', content: 'say hi #500' }] });
      expect(r.completionTokens).toBeGreaterThan(0);
      const [f, ok] = pool.state();
      expect(failing.requests.filter((q) => q.path === '/v1/chat/completions')).toHaveLength(1);
      expect(f).toMatchObject({ calls: 1, failures: 1, healthy: false });
      expect(f.lastError).toMatch(/HTTP 500/);
      expect(f.cooldownUntil).not.toBeNull();
      expect(ok).toMatchObject({ calls: 1, failures: 0, healthy: true });
      // while it cools down, calls go to the other endpoint only
      await pool.generate(ask(4));
      expect(pool.state().map((e) => e.calls)).toEqual([1, 2]);
    } finally {
      await pool.dispose();
      await failing.close();
    }
  });

  it('a call that sees no first token in time moves to another endpoint; the silent one cools down', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s)); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const pool = await loadPool(poolInfo([silentUrl, servers[0].url]), {
      healthIntervalMs: 0,
      firstTokenTimeoutMs: 1000,
      listTimeoutMs: 300,
    });
    try {
      const r = await pool.generate(ask(4));
      expect(r.completionTokens).toBeGreaterThan(0);
      const [s, ok] = pool.state();
      expect(s.calls).toBe(1);
      expect(s.failures).toBe(1);
      expect(s.healthy).toBe(false);
      expect(s.cooldownUntil).not.toBeNull();
      expect(s.lastError).toMatch(/no token within/);
      expect(ok.calls).toBe(1);
      expect(ok.failures).toBe(0);
    } finally {
      await pool.dispose();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('an endpoint killed mid-load: only calls streaming from it fail; it cools down and comes back after a restart', async () => {
    const victim = servers[1];
    const pool = await loadPool(poolInfo(servers.map((s) => s.url)), { healthIntervalMs: 0, cooldownMs: 200, maxCooldownMs: 400 });
    try {
      type Outcome = { streamed: number; ok: boolean; error?: unknown };
      const launch = (n: number): Promise<Outcome>[] =>
        Array.from({ length: n }, () => {
          let streamed = 0;
          return pool.generate(ask(120, () => streamed++)).then(
            () => ({ streamed, ok: true }),
            (error) => ({ streamed, ok: false, error }),
          );
        });
      // 9 calls on 3 one-sequence servers: on each, one streams and two wait with nothing sent yet.
      const first = launch(9);
      expect(pool.state().map((e) => e.inFlight)).toEqual([3, 3, 3]);
      await waitFor(() => pool.state()[1].streaming >= 1, 'a call streaming from the victim');
      const waitingOnVictim = pool.state()[1].inFlight - pool.state()[1].streaming;
      await victim.kill();
      const later = launch(6); // arrive after the kill, nothing streamed yet
      const outcomes = await Promise.all([...first, ...later]);

      const failed = outcomes.filter((o) => !o.ok);
      // Calls that had not streamed anything all succeeded somewhere else.
      expect(outcomes.filter((o) => !o.ok && o.streamed === 0)).toEqual([]);
      // The call streaming from the victim failed, as a backend error naming the endpoint, and was not replayed.
      expect(failed.length).toBeGreaterThanOrEqual(1);
      for (const f of failed) {
        expect(f.streamed).toBeGreaterThan(0);
        expect(errorKind(f.error)).toBe('backend');
        expect((f.error as Error).message).toContain(victim.url);
        expect((f.error as Error).message).toMatch(/not replayed/);
      }
      expect(outcomes.filter((o) => o.ok).length).toBe(15 - failed.length);
      expect(waitingOnVictim).toBeGreaterThanOrEqual(1); // it had calls waiting with nothing streamed: they succeeded elsewhere
      // Every attempt on the victim failed; each one that had not streamed was retried once elsewhere,
      // and the streamed ones were not replayed: attempts = calls + (victim failures - streamed failures).
      const st = pool.state();
      expect(st[1].failures).toBe(st[1].calls);
      expect(st[1].calls).toBeGreaterThan(failed.length);
      expect(st.reduce((n, e) => n + e.calls, 0)).toBe(15 + (st[1].failures - failed.length));
      expect(st[0].failures + st[2].failures).toBe(0);

      // down: not healthy, cooling down, still failing its health checks while it is dead
      expect(st[1].healthy).toBe(false);
      expect(st[1].lastError).toMatch(/cannot|broke off|ECONNREFUSED|terminated|other side/i);
      await waitFor(
        async () => (await pool.checkHealth(), pool.state()[1].failures > st[1].failures),
        'a failed health check of the dead endpoint',
      );
      expect(pool.state()[1].healthy).toBe(false);

      // back on the same port: the health check returns it to service and calls reach it again
      const again = await spawnGgufServer({ model, name: NAME, parallel: 1, tokenDelayMs: DELAY, port: victim.port });
      servers[1] = again;
      await waitFor(async () => (await pool.checkHealth(), pool.state()[1].healthy), 'the victim back after its restart');
      const before = pool.state()[1].calls;
      const back = await Promise.all(Array.from({ length: 3 }, () => pool.generate(ask(4))));
      expect(back.every((r) => r.completionTokens > 0)).toBe(true);
      expect(pool.state()[1].calls).toBe(before + 1);
      expect(pool.state()[1].consecutiveFailures).toBe(0);
    } finally {
      await pool.dispose();
    }
  });

  it('--pool-health-timeout-ms: a health check slower than the timeout cools the endpoint down; a longer timeout waits for it', async () => {
    const slow = await startOpenAIServer({ models: [NAME] });
    const short = await loadPool(poolInfo([slow.url]), { healthIntervalMs: 0, healthTimeoutMs: 150 });
    const long = await loadPool(poolInfo([slow.url]), { healthIntervalMs: 0, healthTimeoutMs: 10_000 });
    try {
      slow.modelsDelayMs = 800;
      await Promise.all([short.checkHealth(), long.checkHealth()]);
      const [s] = short.state();
      expect(s.healthy).toBe(false);
      expect(s.cooldownUntil).not.toBeNull();
      expect(s.lastError).toMatch(/150 ms|timed out|timeout/i);
      expect(long.state()[0]).toMatchObject({ healthy: true, cooldownUntil: null, lastError: null });
    } finally {
      await Promise.all([short.dispose(), long.dispose()]);
      await slow.close();
    }
  });

  it('the servers named in --servers that serve the same model form pool:<name>, the active model, with each endpoint in the status', async () => {
    const fx = modelsFixture();
    const mm = new ModelManager(
      fx.options({ servers: servers.map((s) => s.url), defaultModel: `pool:${NAME}`, pool: { healthIntervalMs: 0 } }),
    );
    try {
      const list = await mm.discover();
      const p = list.find((m) => m.id === `pool:${NAME}`)!;
      expect(p).toMatchObject({ source: 'pool', backend: 'openai', name: NAME });
      expect([...p.endpoints!].sort()).toEqual(servers.map((s) => s.url).sort());
      // each server stays listed on its own too
      for (const s of servers) expect(list.some((m) => m.id === `openai:${new URL(s.url).host}/${NAME}`)).toBe(true);
      mm.start();
      await mm.ready();
      expect(mm.status().active?.id).toBe(`pool:${NAME}`);
      const rs = await Promise.all(Array.from({ length: 3 }, () => mm.complete({ prompt: 'hi', maxTokens: 4 })));
      expect(rs.every((r) => r.model === `pool:${NAME}` && r.completionTokens > 0)).toBe(true);
      const st = mm.status();
      expect(st.queue.parallel).toBe(fx.options().parallel * 3);
      expect(st.endpoints).toHaveLength(3);
      for (const e of st.endpoints!) {
        expect(Object.keys(e).sort()).toEqual(
          [
            'busyUntil',
            'calls',
            'consecutiveFailures',
            'cooldownUntil',
            'failures',
            'healthy',
            'inFlight',
            'lastError',
            'latencyMs',
            'streaming',
            'url',
          ].sort(),
        );
        expect(e.healthy).toBe(true);
        expect(e.inFlight).toBe(0);
      }
      // three calls at once (the load check excluded): one each
      expect(st.endpoints!.map((e) => e.calls)).toEqual([1, 1, 1]);
    } finally {
      await mm.close();
    }
  });

  it('a configured server that was down when the pool formed joins it once it serves the model', async () => {
    const port = await closedPort();
    const lateUrl = `http://127.0.0.1:${port}`;
    const fx = modelsFixture();
    const mm = new ModelManager(
      fx.options({ servers: [servers[0].url, servers[2].url, lateUrl], defaultModel: `pool:${NAME}`, pool: { healthIntervalMs: 100 } }),
    );
    let late: GgufServerProcess | null = null;
    try {
      mm.start();
      await mm.ready();
      expect(mm.status().active?.id).toBe(`pool:${NAME}`);
      expect(mm.status().endpoints!.map((e) => e.url)).toEqual([servers[0].url, servers[2].url]);
      expect(mm.status().queue.parallel).toBe(fx.options().parallel * 3); // room for the one that may join
      late = await spawnGgufServer({ model, name: NAME, parallel: 1, port });
      await waitFor(() => mm.status().endpoints!.length === 3, 'the late server joining the pool');
      expect(mm.status().endpoints![2]).toMatchObject({ url: lateUrl, healthy: true, calls: 0 });
      const rs = await Promise.all(Array.from({ length: 3 }, () => mm.complete({ prompt: 'hi', maxTokens: 4 })));
      expect(rs.every((r) => r.completionTokens > 0)).toBe(true);
      expect(mm.status().endpoints![2].calls).toBe(1);
      // the model listing names the pool's live members, not the ones discovery found when it formed
      const listed = (await mm.discover()).find((m) => m.id === `pool:${NAME}`);
      expect(listed?.endpoints).toEqual([servers[0].url, servers[2].url, lateUrl]);
    } finally {
      await mm.close();
      await late?.kill();
    }
  });

  it('the models resource shows each endpoint of the active pool (through a real MCP client)', async () => {
    const h = await connectInProcess({ servers: servers.map((s) => s.url), model: `pool:${NAME}` });
    try {
      // on a loaded machine a discovery probe can time out, and that server joins the pool a moment later
      await waitFor(async () => {
        const r = await h.client.readResource({ uri: 'ruvllm://models' });
        const st = JSON.parse((r.contents[0] as { text: string }).text).status;
        return st.active !== null && st.endpoints?.length === 3 && st.endpoints.every((e: { healthy: boolean }) => e.healthy);
      }, 'the pool loaded with all three endpoints');
      const r = await h.client.readResource({ uri: 'ruvllm://models' });
      const body = JSON.parse((r.contents[0] as { text: string }).text);
      expect(body.status.active.id).toBe(`pool:${NAME}`);
      expect(body.models.find((m: ModelInfo) => m.id === `pool:${NAME}`).endpoints).toHaveLength(3);
      expect(body.status.endpoints.map((e: { url: string }) => e.url).sort()).toEqual(servers.map((s) => s.url).sort());
      for (const e of body.status.endpoints) expect(e).toMatchObject({ healthy: true, inFlight: 0, failures: 0, cooldownUntil: null });
    } finally {
      await h.close();
    }
  });

  it("the models resource shows a failed endpoint cooling down for --pool-cooldown-ms and the other's latency (real MCP client)", async () => {
    // The protocol helper answers "#500" with HTTP 500; the real endpoint answers anything. The pool's timing comes
    // from the command line, through the configuration and the engine, to the pool.
    const failing = await startOpenAIServer({ models: [NAME] });
    const { config } = loadConfig(
      ['--pool-cooldown-ms', '600000', '--pool-max-cooldown-ms', '900000', '--pool-health-interval-ms', '0'],
      {},
    );
    const h = await connectInProcess({ servers: [failing.url, servers[0].url], model: `pool:${NAME}`, pool: engineOptions(config).pool });
    const read = async () => JSON.parse(((await h.client.readResource({ uri: 'ruvllm://models' })).contents[0] as { text: string }).text);
    try {
      await waitFor(async () => (await read()).status.endpoints?.length === 2, 'the pool loaded with both endpoints');
      // sequential calls: an unmeasured endpoint ranks first, so the failing one is tried within two calls
      for (
        let i = 0;
        i < 2 && !failing.requests.some((q) => q.body?.messages?.some((m: { content: string }) => m.content.includes('#500')));
        i++
      ) {
        const r = (await h.client.callTool({ name: 'local_complete', arguments: { prompt: 'say hi #500', maxTokens: 4 } })) as {
          isError?: boolean;
        };
        expect(r.isError).toBeFalsy(); // retried on the other endpoint
      }
      const before = Date.now();
      const st = (await read()).status.endpoints as EndpointState[];
      const f = st.find((e) => e.url === failing.url)!;
      const ok = st.find((e) => e.url === servers[0].url)!;
      expect(f).toMatchObject({ healthy: false, failures: 1, consecutiveFailures: 1, inFlight: 0, busyUntil: null });
      expect(f.lastError).toMatch(/HTTP 500/);
      // the configured 600 s, not the default 2 s
      expect(Date.parse(f.cooldownUntil!) - before).toBeGreaterThan(500_000);
      expect(ok).toMatchObject({ healthy: true, failures: 0, inFlight: 0, cooldownUntil: null });
      expect(ok.calls).toBeGreaterThanOrEqual(1);
      expect(ok.latencyMs).toBeGreaterThan(0);
    } finally {
      await h.close();
      await failing.close();
    }
  });
});
