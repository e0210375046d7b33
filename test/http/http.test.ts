import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { startHttpServer, type HttpServerHandle } from '../../src/transports/http.js';
import { INIT, MCP_HEADERS, json, makeFactory, readMessages, until } from './helpers.js';

const TOKEN = 'test-token-0123456789abcdef';
let handles: HttpServerHandle[] = [];
let clients: Client[] = [];

async function start(extra: Partial<Parameters<typeof startHttpServer>[0]> = {}) {
  const f = makeFactory();
  const h = await startHttpServer({ factory: f.factory, host: '127.0.0.1', port: 0, ...extra });
  handles.push(h);
  return { h, stats: f.stats };
}

afterEach(async () => {
  for (const c of clients) await c.close().catch(() => {});
  for (const h of handles) await h.close();
  clients = [];
  handles = [];
});

async function connectStreamable(url: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: 'test', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

async function connectSse(url: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: 'test', version: '1' });
  const transport = new SSEClientTransport(new URL(url), {
    requestInit: { headers },
    eventSourceInit: { fetch: (u, init) => fetch(u, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) },
  });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

describe('HTTP transport: MCP over both transports', () => {
  it('initializes, lists and calls tools over Streamable HTTP', async () => {
    const { h } = await start();
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client, transport } = await connectStreamable(h.url);
    expect(client.getServerVersion()?.name).toBe('http-test');
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(['add', 'echo', 'fail', 'sleep']);
    const r = await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } });
    expect(r.content).toEqual([{ type: 'text', text: '42' }]);
    const bad = await client.callTool({ name: 'fail', arguments: {} });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('deliberate failure');
    expect(h.sessions()).toBe(1);
  });

  it('initializes, lists and calls tools over legacy SSE', async () => {
    const { h } = await start();
    const { client } = await connectSse(h.sseUrl);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('echo');
    const r = await client.callTool({ name: 'echo', arguments: { text: 'héllo' } });
    expect(r.content).toEqual([{ type: 'text', text: 'héllo' }]);
    expect(h.sessions()).toBe(1);
  });

  it('serves both transports at once with one server per session', async () => {
    const { h, stats } = await start();
    const a = await connectStreamable(h.url);
    const b = await connectSse(h.sseUrl);
    const c = await connectStreamable(h.url);
    expect(h.sessions()).toBe(3);
    expect(stats.created).toBe(3);
    const results = await Promise.all([a, b, c].map(({ client }, i) => client.callTool({ name: 'add', arguments: { a: i, b: 1 } })));
    expect(results.map((r) => (r.content as { text: string }[])[0].text)).toEqual(['1', '2', '3']);
  });

  it('stateless mode: a fresh server per request, no session id, GET/DELETE answer 405', async () => {
    const { h, stats } = await start({ stateless: true });
    const { client, transport } = await connectStreamable(h.url);
    expect(transport.sessionId).toBeUndefined();
    const r = await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });
    expect((r.content as { text: string }[])[0].text).toBe('2');
    expect(stats.created).toBeGreaterThanOrEqual(2);
    expect(h.sessions()).toBe(0);
    const g = await fetch(h.url, { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(g.status).toBe(405);
    const d = await fetch(h.url, { method: 'DELETE' });
    expect(d.status).toBe(405);
    await until(() => stats.cleaned === stats.created);
  });
});

describe('HTTP transport: session lifecycle', () => {
  it('issues a session id, reuses it, DELETE ends it, then the id is unknown (404)', async () => {
    const { h, stats } = await start();
    const init = await fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    expect(init.status).toBe(200);
    const sid = init.headers.get('mcp-session-id');
    expect(sid).toBeTruthy();
    const [initAnswer] = await readMessages(init);
    expect(initAnswer.result.serverInfo.name).toBe('http-test');
    const headers = { ...MCP_HEADERS, 'mcp-session-id': sid!, 'mcp-protocol-version': '2025-06-18' };
    await fetch(h.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    const list = await fetch(h.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(list.status).toBe(200);
    expect((await readMessages(list))[0].result.tools.length).toBe(4);
    expect(h.sessions()).toBe(1);

    const del = await fetch(h.url, { method: 'DELETE', headers });
    expect(del.status).toBe(200);
    await until(() => h.sessions() === 0);
    await until(() => stats.cleaned === 1);

    const after = await fetch(h.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }) });
    expect(after.status).toBe(404);
    expect((await json(after)).error.code).toBe(-32001);
  });

  it('an unknown session id gets 404; a request without a session that is not initialize gets 400', async () => {
    const { h } = await start();
    const r = await fetch(h.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'mcp-session-id': '00000000-0000-0000-0000-000000000000' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(r.status).toBe(404);
    const body = await json(r);
    expect(body.jsonrpc).toBe('2.0');
    expect(body.error.message).toMatch(/Session not found/);
    const n = await fetch(h.url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(n.status).toBe(400);
    const m = await fetch(`${h.sseUrl.replace('/sse', '/messages')}?sessionId=nope`, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(m.status).toBe(404);
  });

  it('expires idle sessions, closing their servers and running cleanup', async () => {
    const { h, stats } = await start({ sessionIdleMs: 150 });
    const init = await fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    const sid = init.headers.get('mcp-session-id')!;
    await init.text();
    expect(h.sessions()).toBe(1);
    await until(() => h.sessions() === 0);
    await until(() => stats.cleaned === 1);
    const after = await fetch(h.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(after.status).toBe(404);
  });

  it('a session with a request running is not idle: a call longer than the idle time completes', async () => {
    const { h, stats } = await start({ sessionIdleMs: 100 });
    const { client } = await connectStreamable(h.url);
    const r = await client.callTool({ name: 'sleep', arguments: { ms: 600 } });
    expect(r.content).toEqual([{ type: 'text', text: 'slept 600' }]);
    // and once idle, it expires
    await until(() => h.sessions() === 0);
    await until(() => stats.cleaned === 1);
  });

  it('an SSE session ends (and is cleaned up) when its stream closes', async () => {
    const { h, stats } = await start();
    const { client } = await connectSse(h.sseUrl);
    expect(h.sessions()).toBe(1);
    await client.close();
    await until(() => h.sessions() === 0);
    await until(() => stats.cleaned === 1);
  });

  it('refuses sessions beyond the limit with 503 and Retry-After, and accepts again once one ends', async () => {
    const { h } = await start({ maxSessions: 2 });
    const a = await connectStreamable(h.url);
    await connectSse(h.sseUrl);
    const r = await fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    expect(r.status).toBe(503);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await json(r);
    expect(body.error.message).toMatch(/2 sessions are open/);
    expect(body.id).toBe(1);
    const s = await fetch(h.sseUrl, { headers: { accept: 'text/event-stream' } });
    expect(s.status).toBe(503);
    await a.transport.terminateSession();
    await until(() => h.sessions() === 1);
    const ok = await fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    expect(ok.status).toBe(200);
    await ok.text();
    expect(h.sessions()).toBe(2);
  });

  it('at the limit, a session abandoned without DELETE (idle, no open stream) gives way to a new one', async () => {
    const { h, stats } = await start({ maxSessions: 1, evictIdleMs: 50 });
    const init = await fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    const abandoned = init.headers.get('mcp-session-id')!;
    await init.text();
    await new Promise((r) => setTimeout(r, 120));
    const { client } = await connectStreamable(h.url); // replaces the abandoned session
    expect(h.sessions()).toBe(1);
    expect(stats.cleaned).toBe(1);
    const gone = await fetch(h.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'mcp-session-id': abandoned, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(gone.status).toBe(404);
    // the SDK client keeps its GET stream open: it is listening, so it is not evicted
    await new Promise((r) => setTimeout(r, 120));
    const refused = await fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    expect(refused.status).toBe(503);
    expect((await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } })).content).toEqual([{ type: 'text', text: '2' }]);
  });

  it('close() ends every session and runs every cleanup', async () => {
    const { h, stats } = await start();
    await connectStreamable(h.url);
    await connectSse(h.sseUrl);
    await h.close();
    expect(h.sessions()).toBe(0);
    expect(stats.cleaned).toBe(2);
    await expect(fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) })).rejects.toThrow();
  });
});

describe('HTTP transport: security', () => {
  it('DNS rebinding: a wrong Host header gets 403 on every endpoint', async () => {
    const { h } = await start();
    // fetch forbids overriding Host, so speak raw HTTP
    const { request } = await import('node:http');
    const send = (path: string, method: string, host: string, body?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: h.port, path, method, headers: { host, ...MCP_HEADERS } }, (res) => {
          let b = '';
          res.on('data', (c) => (b += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: b }));
        });
        req.on('error', reject);
        req.end(body);
      });
    for (const host of ['evil.example', `evil.example:${h.port}`, `attacker.com:${h.port}`, '127.0.0.1.nip.io', 'localhost@evil.example']) {
      for (const [path, method] of [
        ['/mcp', 'POST'],
        ['/sse', 'GET'],
        ['/messages?sessionId=x', 'POST'],
        ['/mcp', 'DELETE'],
      ] as const) {
        const r = await send(path, method, host, method === 'POST' ? JSON.stringify(INIT) : undefined);
        expect(r.status, `${method} ${path} Host=${host}`).toBe(403);
        expect(JSON.parse(r.body).error.message).toMatch(/Host/);
      }
    }
    // right hostname, wrong port: refused too
    expect((await send('/mcp', 'POST', `localhost:${h.port + 1}`, JSON.stringify(INIT))).status).toBe(403);
    // the allowed names pass
    for (const host of [`localhost:${h.port}`, `127.0.0.1:${h.port}`, `[::1]:${h.port}`]) {
      expect((await send('/mcp', 'POST', host, JSON.stringify(INIT))).status, host).toBe(200);
    }
    expect(h.sessions()).toBe(3);
  });

  it('allowedHosts adds names (with or without a port)', async () => {
    const { h } = await start({ allowedHosts: ['mcp.internal', 'other.internal:1'] });
    const { request } = await import('node:http');
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: h.port, path: '/healthz', method: 'GET', headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status(`mcp.internal:${h.port}`)).toBe(200);
    expect(await status('mcp.internal')).toBe(200);
    expect(await status(`other.internal:${h.port}`)).toBe(403);
    expect(await status('other.internal:1')).toBe(200);
  });

  it('a page on another origin cannot call the server (403, also for the CORS preflight)', async () => {
    const { h, stats } = await start();
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null', 'file://', 'chrome-extension://abc']) {
      const r = await fetch(h.url, { method: 'POST', headers: { ...MCP_HEADERS, origin }, body: JSON.stringify(INIT) });
      expect(r.status, origin).toBe(403);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      const body = await json(r);
      expect(body.jsonrpc).toBe('2.0');
      expect(body.error.message).toMatch(/Origin/);
      // a "simple" text/plain request, which browsers send without a preflight
      const simple = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'text/plain', origin }, body: JSON.stringify(INIT) });
      expect(simple.status).toBe(403);
      const pre = await fetch(h.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(pre.status).toBe(403);
      const sse = await fetch(h.sseUrl, { headers: { origin, accept: 'text/event-stream' } });
      expect(sse.status).toBe(403);
    }
    expect(stats.created).toBe(0);
    expect(h.sessions()).toBe(0);
  });

  it('a page on another localhost port is another origin: 403 unless it is in allowedOrigins', async () => {
    const { h, stats } = await start({ allowedOrigins: ['http://localhost:5173'] });
    for (const origin of [
      'http://localhost:8080',
      'http://127.0.0.1:8080',
      'http://[::1]:8080',
      'https://localhost',
      `https://127.0.0.1:${h.port}`,
      'http://127.0.0.2:' + h.port,
    ]) {
      const r = await fetch(h.url, { method: 'POST', headers: { ...MCP_HEADERS, origin }, body: JSON.stringify(INIT) });
      expect(r.status, origin).toBe(403);
      expect((await json(r)).error.message).toMatch(/--allowed-origins/);
      const pre = await fetch(h.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(pre.status, origin).toBe(403);
    }
    expect(stats.created).toBe(0);
    const ok = await fetch(h.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, origin: 'http://localhost:5173' },
      body: JSON.stringify(INIT),
    });
    expect(ok.status).toBe(200);
    await ok.text();
    // no Origin at all: a non-browser client
    const none = await fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    expect(none.status).toBe(200);
    await none.text();
  });

  it("the server's own origin (loopback forms, its port) and configured origins are allowed, with CORS headers", async () => {
    const { h } = await start({ allowedOrigins: ['https://app.example.com'] });
    for (const origin of [
      `http://localhost:${h.port}`,
      `http://127.0.0.1:${h.port}`,
      `http://[::1]:${h.port}`,
      'https://app.example.com',
    ]) {
      const pre = await fetch(h.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(pre.status, origin).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
      const r = await fetch(h.url, { method: 'POST', headers: { ...MCP_HEADERS, origin }, body: JSON.stringify(INIT) });
      expect(r.status, origin).toBe(200);
      expect(r.headers.get('access-control-expose-headers')).toMatch(/Mcp-Session-Id/);
      await r.text();
    }
    const r = await fetch(h.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, origin: 'https://app.example.com:8443' },
      body: JSON.stringify(INIT),
    });
    expect(r.status).toBe(403);
  });

  it('with a token: missing or wrong token gets 401 with WWW-Authenticate; the right one works on both transports', async () => {
    const { h } = await start({ token: TOKEN });
    const none = await fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await json(none)).error.message).toMatch(/Authorization: Bearer/);
    for (const auth of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      const r = await fetch(h.url, { method: 'POST', headers: { ...MCP_HEADERS, authorization: auth }, body: JSON.stringify(INIT) });
      expect(r.status, auth).toBe(401);
      await r.text();
    }
    const sse = await fetch(h.sseUrl, { headers: { accept: 'text/event-stream' } });
    expect(sse.status).toBe(401);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const { client } = await connectStreamable(h.url, auth);
    expect((await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } })).content).toEqual([{ type: 'text', text: '3' }]);
    const { client: c2 } = await connectSse(h.sseUrl, auth);
    expect((await c2.listTools()).tools.length).toBe(4);
  });

  it('refuses to start on a non-loopback address without a token', async () => {
    const { factory } = makeFactory();
    await expect(startHttpServer({ factory, host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /refusing to listen on 0\.0\.0\.0 without a token/,
    );
    await expect(startHttpServer({ factory, host: '::', port: 0 })).rejects.toThrow(/without a token/);
    await expect(startHttpServer({ factory, host: '192.168.1.10', port: 0 })).rejects.toThrow(/RUVLLM_MCP_TOKEN/);
    await expect(startHttpServer({ factory, host: '0.0.0.0', port: 0, token: 'short' })).rejects.toThrow(/at least 16 characters/);
    // with a token it starts, and the token is enforced
    const h = await startHttpServer({ factory, host: '0.0.0.0', port: 0, token: TOKEN });
    handles.push(h);
    const r = await fetch(`http://127.0.0.1:${h.port}/mcp`, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    expect(r.status).toBe(401);
  });

  it('an oversized body gets 413 (declared or streamed), and the server keeps serving', async () => {
    const { h } = await start({ maxBodyBytes: 10_000 });
    const big = JSON.stringify({ ...INIT, params: { ...INIT.params, pad: 'x'.repeat(20_000) } });
    const r = await fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: big });
    expect(r.status).toBe(413);
    expect((await json(r)).error.message).toMatch(/must not exceed 10000 bytes/);
    // chunked, no Content-Length
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode('x'.repeat(4000)));
        c.close();
      },
    });
    const r2 = await fetch(h.url, { method: 'POST', headers: MCP_HEADERS, body: stream, duplex: 'half' } as RequestInit);
    expect(r2.status).toBe(413);
    await r2.text();
    const { client } = await connectSse(h.sseUrl);
    await expect(client.callTool({ name: 'echo', arguments: { text: 'y'.repeat(20_000) } })).rejects.toThrow();
    const ok = await connectStreamable(h.url);
    expect((await ok.client.callTool({ name: 'echo', arguments: { text: 'small' } })).content).toEqual([{ type: 'text', text: 'small' }]);
  });

  it('malformed bodies get JSON-RPC errors: 400 -32700 for bad JSON / UTF-8, -32600 for bad messages, 415 for other media types', async () => {
    const { h } = await start();
    const post = (body: string | Uint8Array, headers: Record<string, string> = MCP_HEADERS) =>
      fetch(h.url, { method: 'POST', headers, body });
    const pj = await post('{"jsonrpc":"2.0",');
    expect(pj.status).toBe(400);
    expect((await json(pj)).error.code).toBe(-32700);
    const bad = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    const pu = await post(bad);
    expect((await json(pu)).error.message).toMatch(/UTF-8/);
    const pr = await post(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 42 }));
    expect(pr.status).toBe(400);
    const prb = await json(pr);
    expect(prb.error.code).toBe(-32600);
    expect(prb.id).toBe(7);
    expect(prb.error.message).toMatch(/"method" must be a string/);
    let deep: unknown = 1;
    for (let i = 0; i < 1000; i++) deep = [deep];
    const pd = await post(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/list', params: { deep } }));
    expect((await json(pd)).error.message).toMatch(/nested deeper/);
    const pt = await post(JSON.stringify(INIT), { 'content-type': 'text/plain', accept: MCP_HEADERS.accept });
    expect(pt.status).toBe(415);
    const nf = await fetch(h.url.replace('/mcp', '/nope'));
    expect(nf.status).toBe(404);
    expect((await json(nf)).error.message).toMatch(/\/mcp/);
  });
});
