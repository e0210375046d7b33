/**
 * The HTTP transport as wired into the real entry point (`node dist/cli.js --http ...`):
 * flags and env vars reach startHttpServer, a foreign Origin / wrong Host / missing token is
 * refused, and a non-loopback bind without a token refuses to start.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { spawnHttpServer, type Spawned } from '../fuzz/runner.js';
import { INIT, MCP_HEADERS } from './helpers.js';

const SERVER = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const TOKEN = 'cli-test-token-0123456789';
const dirs: string[] = [];
const servers: Spawned[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'ruvllm-cli-'));
  dirs.push(dir);
  return { ...process.env, RUVLLM_MCP_DATA_DIR: dir, RUVLLM_MCP_SCAN_DEFAULT_DIRS: 'false', RUVLLM_MCP_LOG_LEVEL: 'notice', ...extra };
}

async function start(args: string[], extraEnv: Record<string, string> = {}) {
  const s = await spawnHttpServer(SERVER, args, env(extraEnv));
  servers.push(s);
  return s;
}

function rawStatus(url: string, headers: Record<string, string>, body?: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: body ? 'POST' : 'GET', headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('dist/cli.js --http', () => {
  it('serves Streamable HTTP and SSE on 127.0.0.1 with the product tools, and refuses foreign Origin and Host', async () => {
    const s = await start([]);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const c = new Client({ name: 'cli', version: '1' });
    await c.connect(new StreamableHTTPClientTransport(new URL(s.url)));
    const names = (await c.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'local_complete',
        'route_task',
        'store_trm_pattern',
        'find_similar_patterns',
        'cost_report',
        'hot_swap_model',
      ]),
    );
    const r = await c.callTool({ name: 'route_task', arguments: { task: 'rename a variable' } });
    expect(r.isError).toBeFalsy();
    await c.close();

    const sse = new Client({ name: 'cli-sse', version: '1' });
    await sse.connect(new SSEClientTransport(new URL(s.url.replace(/\/mcp$/, '/sse'))));
    expect((await sse.listTools()).tools.length).toBe(names.length);
    await sse.close();

    const port = new URL(s.url).port;
    const body = JSON.stringify(INIT);
    expect(await rawStatus(s.url, { ...MCP_HEADERS, host: `127.0.0.1:${port}`, origin: 'https://evil.example' }, body)).toBe(403);
    expect(await rawStatus(s.url, { ...MCP_HEADERS, host: `evil.example:${port}` }, body)).toBe(403);
    expect(await rawStatus(s.url, { ...MCP_HEADERS, host: `localhost:${port}`, origin: `http://localhost:5173` }, body)).toBe(403);
    expect(await rawStatus(s.url, { ...MCP_HEADERS, host: `localhost:${port}`, origin: `http://localhost:${port}` }, body)).toBe(200);
    expect(s.stderr()).not.toContain('STDOUT (must be empty');
  });

  it('passes --token, --allowed-origins, --allowed-hosts and --max-sessions through (flags and env)', async () => {
    const s = await start(['--allowed-origins', 'https://app.example.com', '--allowed-hosts', 'mcp.lan', '--max-sessions', '1'], {
      RUVLLM_MCP_TOKEN: TOKEN,
    });
    const port = new URL(s.url).port;
    const body = JSON.stringify(INIT);
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect(await rawStatus(s.url, { ...MCP_HEADERS, host: `127.0.0.1:${port}` }, body)).toBe(401);
    expect(await rawStatus(s.url, { ...MCP_HEADERS, ...auth, host: `mcp.lan:${port}`, origin: 'https://app.example.com' }, body)).toBe(200);
    // the only session slot is taken now
    expect(await rawStatus(s.url, { ...MCP_HEADERS, ...auth, host: `127.0.0.1:${port}` }, body)).toBe(503);
    expect(await rawStatus(s.url, { ...MCP_HEADERS, ...auth, host: `127.0.0.1:${port}`, origin: 'https://other.example.com' }, body)).toBe(
      403,
    );
  });

  it('takes the token from --token-file without it appearing on the command line; --token still works but warns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruvllm-token-'));
    dirs.push(dir);
    const file = join(dir, 'token');
    writeFileSync(file, TOKEN + '\n');
    chmodSync(file, 0o600);
    const body = JSON.stringify(INIT);
    for (const s of [await start(['--token-file', file]), await start([], { RUVLLM_MCP_TOKEN_FILE: file })]) {
      const host = { host: `127.0.0.1:${new URL(s.url).port}` };
      expect(await rawStatus(s.url, { ...MCP_HEADERS, ...host }, body)).toBe(401);
      expect(await rawStatus(s.url, { ...MCP_HEADERS, ...host, authorization: `Bearer ${TOKEN}` }, body)).toBe(200);
      expect(s.stderr()).not.toMatch(/process list/);
      expect(s.stderr()).not.toContain(TOKEN);
    }
    const flagged = await start(['--token', TOKEN]);
    const host = { host: `127.0.0.1:${new URL(flagged.url).port}` };
    expect(await rawStatus(flagged.url, { ...MCP_HEADERS, ...host, authorization: `Bearer ${TOKEN}` }, body)).toBe(200);
    expect(flagged.stderr()).toMatch(/--token .*visible .*process list.*(RUVLLM_MCP_TOKEN|--token-file)/);
    expect(flagged.stderr()).not.toContain(TOKEN);
  });

  it('refuses to start with a token file other users can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruvllm-token-'));
    dirs.push(dir);
    const file = join(dir, 'token');
    writeFileSync(file, TOKEN + '\n');
    chmodSync(file, 0o644);
    const child = spawn(process.execPath, [SERVER, '--http', '--port', '0', '--token-file', file], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).not.toBe(0);
    expect(err).toContain(file);
    expect(err).toMatch(/chmod 600/);
    expect(err).not.toContain(TOKEN);
  });

  it('refuses to start on a non-loopback address without a token', async () => {
    const child = spawn(process.execPath, [SERVER, '--http', '--host', '0.0.0.0', '--port', '0'], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).not.toBe(0);
    expect(err).toMatch(/refusing to listen on 0\.0\.0\.0 without a token/);
  });
});
