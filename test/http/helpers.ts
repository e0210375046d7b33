import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { setLogLevel } from '../../src/engine/log.js';

setLogLevel('error');

/** A real McpServer with a few tools, and counters proving the transport's lifecycle handling. */
export function makeFactory() {
  const stats = { created: 0, cleaned: 0 };
  const factory = () => {
    stats.created++;
    const server = new McpServer({ name: 'http-test', version: '0.0.1' });
    server.registerTool('echo', { description: 'echo text', inputSchema: { text: z.string().max(100_000) } }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    server.registerTool('add', { description: 'add numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
    }));
    server.registerTool('sleep', { description: 'waits', inputSchema: { ms: z.number().int().min(0).max(10_000) } }, async ({ ms }) => {
      await new Promise((r) => setTimeout(r, ms));
      return { content: [{ type: 'text', text: `slept ${ms}` }] };
    });
    server.registerTool('fail', { description: 'always fails' }, async () => {
      throw new Error('deliberate failure');
    });
    let cleaned = false;
    return {
      server,
      cleanup: async () => {
        if (!cleaned) {
          cleaned = true;
          stats.cleaned++;
        }
      },
    };
  };
  return { factory, stats };
}

export const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
} as const;

export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
} as const;

/** A JSON body, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read the body field by field
export async function json(res: Response): Promise<any> {
  return res.json();
}

/** Reads a Streamable HTTP answer (JSON or SSE) and returns the JSON-RPC messages in it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read the messages field by field
export async function readMessages(res: Response): Promise<any[]> {
  const text = await res.text();
  const ct = res.headers.get('content-type') ?? '';
  if (ct.includes('text/event-stream')) {
    return text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trim())
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l));
  }
  return text ? [JSON.parse(text)] : [];
}

export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
