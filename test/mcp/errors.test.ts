/**
 * Through a real MCP client: a tool's error says its kind in `_meta` (caller, backend, retryable, with
 * retryAfterMs when a retry fixes it); caller mistakes leave the local model serving; and cloud routes the
 * host reports as failed open the cloud's breaker, which route_task and ruvllm://stats then show.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { connectInProcess, tempDir, type InProcess } from '../helpers/mcp.js';

const HARD_TASK =
  'Design a multi-region active-active architecture for our payments ledger with strong consistency, explain the trade-offs and a migration plan under a $20k/month budget.';

let s: InProcess;
beforeAll(async () => {
  const dir = tempDir('ruvllm-mcp-errors-');
  const model = join(dir, 'models', 'tiny.gguf');
  writeTinyGguf(model, { name: 'tiny', seed: 5 });
  s = await connectInProcess({ modelsDir: join(dir, 'models'), model, contextSize: 2048, parallel: 1 }, join(dir, 'data'));
  await s.engine.modelReady();
});
afterAll(async () => {
  await s?.close();
});

type ToolResult = {
  isError?: boolean;
  content: { type: string; text: string }[];
  _meta?: Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tool's structured output, read field by field by the assertions
  structuredContent?: any;
};
const call = (name: string, args: Record<string, unknown>) => s.client.callTool({ name, arguments: args }) as Promise<ToolResult>;

describe('tool errors carry their kind', () => {
  it('{"$ref": "#"} is a caller error with a clear text; ten of them leave local_complete working', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await call('local_complete', { prompt: 'answer in JSON', jsonSchema: { $ref: '#' }, maxTokens: 8 });
      expect(r.isError).toBe(true);
      expect(r.content[0].text).toMatch(/^jsonSchema: \$ref "#" .*"#\/\$defs\/<name>"/);
      expect(r._meta).toEqual({ kind: 'caller' });
    }
    const ok = await call('local_complete', { prompt: 'hello', maxTokens: 4, temperature: 0 });
    expect(ok.isError).toBeFalsy();
    expect(ok.structuredContent.backend).toBe('gguf');
  });

  it('a prompt longer than the context is a caller error', async () => {
    const r = await call('local_complete', { prompt: 'hello world the model '.repeat(1200), maxTokens: 4 });
    expect(r.isError).toBe(true);
    expect(r.content[0].text).toMatch(/prompt is \d+ tokens but gguf:tiny's context holds 2048/);
    expect(r._meta).toEqual({ kind: 'caller' });
  });

  it('an open local breaker is retryable, with the wait', async () => {
    for (let i = 0; i < 3; i++) s.engine.internalsForTests().health.recordFailure('gguf', 'crashed');
    try {
      const r = await call('local_complete', { prompt: 'hello', maxTokens: 4 });
      expect(r.isError).toBe(true);
      expect(r.content[0].text).toMatch(/local backend gguf \(gguf:tiny\) is failing \(last error: crashed\); it is tried again in \d+ s/);
      expect(r._meta?.kind).toBe('retryable');
      expect(r._meta?.retryAfterMs).toBeGreaterThan(0);
      expect(r._meta?.retryAfterMs).toBeLessThanOrEqual(30_000);
    } finally {
      s.engine.internalsForTests().health.recordSuccess('gguf', 1);
    }
  });
});

describe('the cloud breaker learns from report_outcome', () => {
  it('three failed cloud routes open it: route_task keeps hard work local and says why; stats show it', async () => {
    for (let i = 0; i < 3; i++) {
      const d = await call('route_task', { task: HARD_TASK });
      expect(d.structuredContent.route).toBe('cloud');
      const rep = await call('report_outcome', { decisionId: d.structuredContent.decisionId, success: false, failure: 'unavailable' });
      expect(rep.isError).toBeFalsy();
    }
    const d = await call('route_task', { task: HARD_TASK });
    expect(d.structuredContent.route).toBe('local');
    expect(d.structuredContent.reasons.join(' ')).toMatch(/cloud circuit breaker is open: ran locally instead/);
    const stats = await s.client.readResource({ uri: 'ruvllm://stats' });
    const health = JSON.parse((stats.contents[0] as { text: string }).text).health as { backend: string; state: string }[];
    expect(health.find((h) => h.backend === 'cloud')?.state).toBe('open');
  });
});
