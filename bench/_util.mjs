// Shared helpers for the benchmark modules.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const serverPath = join(root, 'dist', 'cli.js');

export function percentile(values, p) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}
export const median = (v) => percentile(v, 50);
export const round = (x, d = 3) => (x === null || x === undefined ? null : +x.toFixed(d));

export function tempDir(prefix = 'ruvllm-bench-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Spawns `node <script> ...args` as an MCP stdio server and connects a real SDK client. */
export async function connectStdio(script, args = [], env = {}) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [script, ...args],
    env: { ...process.env, ...env },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', () => undefined);
  const client = new Client({ name: 'ruvllm-bench', version: '0.0.0' });
  const t0 = performance.now();
  await client.connect(transport);
  return { client, connectMs: performance.now() - t0, pid: transport.pid, close: () => client.close() };
}
