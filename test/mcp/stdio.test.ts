// The built server spawned as a real stdio process: nothing but JSON-RPC on
// stdout, real SDK client round trips, flags, env and bad command lines.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import type { CostReport } from '../../src/engine/ledger/types.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, serverPath, tempDir } from '../helpers/mcp.js';

const isolated = ['--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9'];

/** Sends raw JSON-RPC lines and collects every stdout line until `expectIds` are all answered. */
function rawSession(args: string[], env: Record<string, string>, messages: object[], expectIds: number[]) {
  return new Promise<{ lines: string[]; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(process.execPath, [serverPath, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const answered = new Set<number>();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; stdout so far:\n${out}\nstderr:\n${err}`));
    }, 90_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n').slice(0, -1)) {
        try {
          const m = JSON.parse(line);
          if (typeof m.id === 'number') answered.add(m.id);
        } catch {
          /* asserted below */
        }
      }
      if (expectIds.every((id) => answered.has(id))) child.stdin.end();
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ lines: out.split('\n').filter((l) => l.length > 0), stderr: err, code });
    });
    for (const m of messages) child.stdin.write(JSON.stringify(m) + '\n');
  });
}

describe('stdio server (node dist/cli.js)', () => {
  it('puts nothing but JSON-RPC on stdout, even while a model loads and generates', async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'models'));
    writeTinyGguf(join(dataDir, 'models', 'tiny.gguf'), { name: 'tiny', seed: 3 });
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    };
    const { lines, stderr, code } = await rawSession(
      ['--threads', '1', ...isolated],
      { RUVLLM_MCP_DATA_DIR: dataDir, RUVLLM_MCP_LOG_LEVEL: 'debug' },
      [
        init,
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'local_complete', arguments: { prompt: 'hello', maxTokens: 6 } } },
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'route_task', arguments: { task: 'my password is hunter2-Xq9!' } } },
        { jsonrpc: '2.0', id: 5, method: 'no/such/method' },
      ],
      [1, 2, 3, 4, 5],
    );
    expect(code).toBe(0);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      const m = JSON.parse(line);
      expect(m.jsonrpc).toBe('2.0');
    }
    const byId = new Map(
      lines
        .map((l) => JSON.parse(l))
        .filter((m) => 'id' in m)
        .map((m) => [m.id, m]),
    );
    expect(byId.get(1).result.serverInfo.name).toBe('ruvllm-mcp');
    expect(byId.get(3).result.isError).toBeFalsy();
    expect(byId.get(3).result.structuredContent.completionTokens).toBeGreaterThan(0);
    expect(byId.get(4).result.structuredContent.route).not.toBe('cloud');
    expect(byId.get(5).error.code).toBe(-32601);
    // Logs went to stderr as JSON lines.
    expect(stderr).toMatch(/"level":"(info|debug)"/);
  });

  it('answers initialize and tools through the SDK client, with the data dir from the flag', async () => {
    const dataDir = tempDir();
    const s = await connectStdio(['--data-dir', dataDir, ...isolated]);
    try {
      const { tools } = await s.client.listTools();
      expect(tools.length).toBe(7);
      const r = (await s.client.callTool({ name: 'cost_report', arguments: { period: 'all' } })) as CallToolResult & {
        structuredContent: { report: CostReport };
      };
      expect(r.structuredContent.report.totals.calls).toBe(0);
      const m = (await s.client.callTool({ name: 'local_complete', arguments: { prompt: 'hi' } })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      expect(m.isError).toBe(true);
      expect(m.content[0].text).toMatch(/no local model/i);
      expect(m.content[0].text).toMatch(/models pull|\.gguf|Ollama/);
    } finally {
      await s.close();
    }
    expect(existsSync(join(dataDir, 'ruvllm-mcp.db'))).toBe(true);
  });

  it('dist/server.js, the path of earlier client configurations, still serves: the same entry point', async () => {
    const dataDir = tempDir();
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    };
    const child = spawnSync(process.execPath, [join(serverPath, '..', 'server.js'), '--data-dir', dataDir, ...isolated], {
      input: JSON.stringify(init) + '\n',
      encoding: 'utf8',
      timeout: 60_000,
    });
    const answer = JSON.parse(child.stdout.split('\n')[0]);
    expect(answer.id).toBe(1);
    expect(answer.result.serverInfo.name).toBe('ruvllm-mcp');
  });

  it('prints --help with every option, and refuses a bad flag with exit code 2', () => {
    const help = spawnSync(process.execPath, [serverPath, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--data-dir');
    expect(help.stdout).toContain('RUVLLM_MCP_MODELS_DIR');
    const bad = spawnSync(process.execPath, [serverPath, '--threads', 'lots'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--threads: expected a whole number/);
  });
});
