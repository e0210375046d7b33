// Acceptance through a real MCP client (in process): cancellation mid-generation, a swap
// under 20 concurrent completions, a scripted session whose cost_report equals a hand
// calculation from the ledger rows and the price file (and survives a restart), MCP
// logging, and stats updates to a subscriber.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { connectInProcess, root, tempDir, type InProcess } from '../helpers/mcp.js';

const LOCAL_USD_PER_HOUR = 0.36;

let dataDir: string;
let modelA: string;
let modelB: string;
let h: InProcess;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tool's structured output, read field by field by the assertions
type ToolResult = CallToolResult & { structuredContent?: any };
const call = async (name: string, args: Record<string, unknown>) => (await h.client.callTool({ name, arguments: args })) as ToolResult;

const open = () => connectInProcess({ model: modelA, threads: 1, localCostPerHour: LOCAL_USD_PER_HOUR }, dataDir);

beforeAll(async () => {
  dataDir = tempDir();
  mkdirSync(join(dataDir, 'models'));
  modelA = join(dataDir, 'models', 'tiny-a.gguf');
  modelB = join(dataDir, 'models', 'tiny-b.gguf');
  writeTinyGguf(modelA, { name: 'tiny-a', seed: 1 });
  writeTinyGguf(modelB, { name: 'tiny-b', seed: 2 });
  h = await open();
});

afterAll(async () => {
  await h?.close();
});

/** Rows of the ledger, read with a separate read-only connection. */
function ledgerRows() {
  const db = new Database(join(dataDir, 'ruvllm-mcp.db'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM ledger_completions ORDER BY id').all() as {
      prompt_tokens: number;
      completion_tokens: number;
      overhead_in: number;
      overhead_out: number;
      latency_ms: number;
      ok: number;
    }[];
  } finally {
    db.close();
  }
}

async function waitFor<T>(fn: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('through a real MCP client', () => {
  it('stops generation when the client cancels (notifications/cancelled)', async () => {
    const before = ledgerRows().length;
    const ac = new AbortController();
    const maxTokens = 1500;
    const pending = h.client.callTool(
      { name: 'local_complete', arguments: { prompt: 'Tell me a long story', maxTokens, temperature: 0.8 } },
      undefined,
      {
        signal: ac.signal,
        onprogress: (p) => {
          if (p.progress > 0) ac.abort('user stopped it');
        },
      },
    );
    await expect(pending).rejects.toThrow();
    // The server records the completion when generation actually stops.
    const row = await waitFor(() => ledgerRows()[before]);
    expect(row.ok).toBe(1);
    expect(row.completion_tokens).toBeGreaterThan(0);
    expect(row.completion_tokens).toBeLessThan(maxTokens);
  });

  it('swaps models under 20 concurrent completions with none failing', async () => {
    const calls = Array.from({ length: 20 }, (_, i) => call('local_complete', { prompt: `request ${i}`, maxTokens: 24 }));
    const swap = call('hot_swap_model', { path: modelB });
    const results = await Promise.all(calls);
    const s = await swap;
    expect(s.isError).toBeFalsy();
    for (const r of results) {
      expect(r.isError).toBeFalsy();
      expect(['gguf:tiny-a', 'gguf:tiny-b']).toContain(r.structuredContent.model);
    }
    const after = await call('local_complete', { prompt: 'after the swap', maxTokens: 4 });
    expect(after.structuredContent.model).toBe('gguf:tiny-b');
    expect((await call('hot_swap_model', { path: modelA })).isError).toBeFalsy();
  });

  it('reports cost figures equal to a hand calculation from the ledger and the price table, also after a restart', async () => {
    await call('route_task', { task: 'Summarize this changelog in two lines: fixed login bug, faster search.' });
    const d = (await call('route_task', { task: 'Rewrite this sentence in the passive voice: the team shipped the release.' }))
      .structuredContent;
    await call('route_task', { task: 'Email jane.doe@acme-corp.com the invoice for order 1182', strategy: 'cost_optimized' });
    await call('local_complete', { prompt: 'Rewrite: the team shipped the release.', maxTokens: 16, decisionId: d.decisionId });
    await call('local_complete', { messages: [{ role: 'user', content: 'List three colours' }], maxTokens: 12, agentId: 'agent-7' });
    // A failed call: longer than the model's context. It still cost the host its arguments and the error.
    const failed = await call('local_complete', { prompt: 'word '.repeat(30_000), maxTokens: 8 });
    expect(failed.isError).toBe(true);

    // Independent calculation: the price file and the raw rows, no ledger code.
    const table = JSON.parse(readFileSync(join(root, 'data', 'prices.json'), 'utf8')) as {
      hostModel: string;
      prices: { model: string; input: number; output: number }[];
    };
    const price = table.prices.find((p) => p.model === table.hostModel)!;
    const rows = ledgerRows();
    expect(rows.some((r) => r.ok === 0)).toBe(true);
    const perM = (tokensIn: number, tokensOut: number) => (tokensIn * price.input + tokensOut * price.output) / 1e6;
    let gross = 0;
    let overhead = 0;
    let local = 0;
    for (const r of rows) {
      if (r.ok) gross += perM(r.prompt_tokens, r.completion_tokens);
      overhead += perM(r.overhead_in, r.overhead_out);
      local += (r.latency_ms / 3_600_000) * LOCAL_USD_PER_HOUR;
    }
    const net = gross - overhead - local;

    const check = async () => {
      const rep = (await call('cost_report', { period: 'all' })).structuredContent.report;
      expect(rep.hostModel).toBe(table.hostModel);
      expect(rep.totals.calls).toBe(rows.length);
      expect(rep.totals.grossUsd).toBeCloseTo(gross, 9);
      expect(rep.totals.overheadUsd).toBeCloseTo(overhead, 9);
      expect(rep.totals.localCostUsd).toBeCloseTo(local, 9);
      expect(rep.totals.netUsd).toBeCloseTo(net, 9);
      expect(rep.method).toMatch(/overhead/i);
      const byAgent = (await call('cost_report', { period: 'all', groupBy: 'agent' })).structuredContent.report;
      const agent7 = byAgent.rows.find((r: { group: string }) => r.group === 'agent-7');
      expect(agent7.calls).toBe(1);
    };
    await check();
    expect(gross).toBeGreaterThan(0);
    expect(overhead).toBeGreaterThan(0);

    await h.close();
    h = await open();
    await check();
  });

  it('sends log messages to a client that set a level, and stats updates to a subscriber', async () => {
    const logs: { level: string; logger?: string }[] = [];
    h.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
    });
    const updated: string[] = [];
    h.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updated.push(n.params.uri);
    });
    await h.client.setLoggingLevel('info');
    await h.client.subscribeResource({ uri: 'ruvllm://stats' });
    await call('hot_swap_model', { path: modelB });
    await call('route_task', { task: 'Sort these names alphabetically: Bo, Al, Cy' });
    await waitFor(() => (updated.includes('ruvllm://stats') ? true : undefined), 3000);
    expect(logs.some((l) => l.logger === 'models' && l.level === 'info')).toBe(true);
    await h.client.setLoggingLevel('error');
    const n = logs.length;
    await call('hot_swap_model', { path: modelA });
    await new Promise((r) => setTimeout(r, 100));
    expect(
      logs.slice(n).every((l) => l.level === 'error' || l.level === 'critical' || l.level === 'alert' || l.level === 'emergency'),
    ).toBe(true);
  });
});
