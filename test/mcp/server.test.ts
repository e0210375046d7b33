// The real server through a real SDK Client over InMemoryTransport: every tool
// with valid and invalid input, resources, subscriptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { connectInProcess, tempDir, type InProcess } from '../helpers/mcp.js';

let h: InProcess;
let modelA: string;
let modelB: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tool's structured output, read field by field by the assertions
type ToolResult = CallToolResult & { structuredContent?: any };
const call = async (name: string, args: Record<string, unknown>) => (await h.client.callTool({ name, arguments: args })) as ToolResult;

const errorText = (r: CallToolResult) => {
  expect(r.isError).toBe(true);
  return (r.content[0] as { text: string }).text;
};

beforeAll(async () => {
  const dataDir = tempDir();
  const modelsDir = join(dataDir, 'models');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(modelsDir, { recursive: true });
  modelA = join(modelsDir, 'tiny-a.gguf');
  modelB = join(modelsDir, 'tiny-b.gguf');
  writeTinyGguf(modelA, { name: 'tiny-a', seed: 1 });
  writeTinyGguf(modelB, { name: 'tiny-b', seed: 2 });
  h = await connectInProcess({ model: modelA, threads: 1 }, dataDir);
});

afterAll(async () => {
  await h?.close();
});

describe('tools/list', () => {
  it('lists the tools, each with input and output schemas and all four annotations', async () => {
    const { tools } = await h.client.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual(
      [
        'cost_report',
        'find_similar_patterns',
        'hot_swap_model',
        'local_complete',
        'report_outcome',
        'route_task',
        'store_trm_pattern',
      ].sort(),
    );
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      expect(Object.keys(t.annotations ?? {}).sort()).toEqual(['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint']);
      expect((t.description ?? '').length).toBeLessThan(300);
    }
    // The whole list costs the host's context on every turn: keep it under ~2,000 tokens (~4 chars a token).
    expect(JSON.stringify(tools).length / 4).toBeLessThan(2000);
  });
});

describe('resources', () => {
  it('lists stats, patterns and models, and a template for one pattern', async () => {
    const { resources } = await h.client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['ruvllm://models', 'ruvllm://patterns', 'ruvllm://stats']);
    const { resourceTemplates } = await h.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('ruvllm://patterns/{id}');
  });

  it('reads the models resource with the generated GGUF files in it', async () => {
    const r = await h.client.readResource({ uri: 'ruvllm://models' });
    const body = JSON.parse((r.contents[0] as { text: string }).text);
    const paths = body.models.map((m: { path?: string }) => m.path);
    expect(paths).toContain(modelA);
    expect(paths).toContain(modelB);
  });

  it('answers an unknown pattern id with an error naming it', async () => {
    await expect(h.client.readResource({ uri: 'ruvllm://patterns/nope-123' })).rejects.toThrow(/nope-123/);
  });
});

describe('local_complete', () => {
  it('completes on the active GGUF model with real token counts', async () => {
    const r = await call('local_complete', { prompt: 'Hello there', maxTokens: 8, temperature: 0 });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent;
    expect(s.backend).toBe('gguf');
    expect(s.model).toContain('tiny-a');
    expect(s.completionTokens).toBeGreaterThan(0);
    expect(s.completionTokens).toBeLessThanOrEqual(8);
    expect(s.promptTokens).toBeGreaterThan(0);
    expect(s.tokenCountMethod).toBe('tokenizer');
    expect(JSON.parse((r.content[0] as { text: string }).text)).toEqual(s);
  });

  it('streams progress notifications when given a progressToken', async () => {
    const progress: { progress: number; message?: string }[] = [];
    const r = (await h.client.callTool(
      { name: 'local_complete', arguments: { prompt: 'Count', maxTokens: 24, temperature: 0 } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    )) as ToolResult;
    expect(r.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThan(0);
    const last = progress[progress.length - 1];
    expect(last.progress).toBe(r.structuredContent.completionTokens);
    expect(progress.map((p) => p.message ?? '').join('')).toBe(r.structuredContent.text);
  });

  it('rejects bad input with a message that says what to fix', async () => {
    expect(errorText(await call('local_complete', {}))).toMatch(/exactly one of "prompt".*"messages"/);
    expect(errorText(await call('local_complete', { prompt: '' }))).toMatch(/prompt is empty/);
    expect(errorText(await call('local_complete', { prompt: 'x', maxTokens: -1 }))).toMatch(/maxTokens/);
    expect(errorText(await call('local_complete', { prompt: 'x', temperature: 'hot' }))).toMatch(/temperature/);
    expect(errorText(await call('local_complete', { prompt: 'x'.repeat(200_001) }))).toMatch(/longer than 200000/);
  });
});

describe('route_task', () => {
  it('keeps a prompt with a credential local and never returns the secret', async () => {
    const secret = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const r = await call('route_task', { task: `Fix the deploy script, it uses token ${secret} to push`, strategy: 'cost_optimized' });
    expect(r.isError).toBeFalsy();
    const d = r.structuredContent;
    expect(d.route).not.toBe('cloud');
    expect(d.privacy.sensitive).toBe(true);
    expect(JSON.stringify(d)).not.toContain(secret);
    expect(d.redactedTask).toContain('[REDACTED');
    expect(d.decisionId).toMatch(/\S/);
  });

  it('reports an outcome on a decision, and refuses an unknown decision id', async () => {
    const d = (await call('route_task', { task: 'Summarize this paragraph in one sentence: the cat sat on the mat.' })).structuredContent;
    const ok = await call('report_outcome', { decisionId: d.decisionId, success: true, quality: 0.9 });
    expect(ok.isError).toBeFalsy();
    expect(ok.structuredContent).toMatchObject({ decisionId: d.decisionId, recorded: true });
    expect(errorText(await call('report_outcome', { decisionId: 'no-such-decision', success: false }))).toMatch(/no-such-decision/);
  });

  it('rejects bad input', async () => {
    expect(errorText(await call('route_task', { task: '   ' }))).toMatch(/white space/);
    expect(errorText(await call('route_task', { task: 'x', strategy: 'cheapest' }))).toMatch(/strategy/);
    expect(errorText(await call('route_task', { task: 'x', constraints: { minQuality: 7 } }))).toMatch(/minQuality/);
  });
});

describe('patterns', () => {
  it('stores patterns, merges a near-duplicate, and finds a paraphrase', async () => {
    const a = await call('store_trm_pattern', {
      task: 'Write a SQL query that returns the ten customers with the highest total order value',
      approach: 'join orders to customers, group by customer, sum totals, order desc, limit 10',
      quality: 0.9,
      tags: ['sql'],
    });
    expect(a.isError).toBeFalsy();
    expect(a.structuredContent.merged).toBe(false);
    const again = await call('store_trm_pattern', {
      task: 'Write a SQL query that returns the ten customers with the highest total order value',
      approach: 'join orders to customers, group by customer, sum totals, order desc, limit 10',
      quality: 0.8,
    });
    expect(again.structuredContent.merged).toBe(true);
    expect(again.structuredContent.id).toBe(a.structuredContent.id);
    await call('store_trm_pattern', {
      task: 'Translate a README from English to German',
      approach: 'translate section by section, keep code blocks',
      quality: 0.7,
    });

    const f = await call('find_similar_patterns', { query: 'SQL to list the top 10 clients by the sum of their purchases', k: 2 });
    expect(f.isError).toBeFalsy();
    expect(f.structuredContent.matches[0].pattern.id).toBe(a.structuredContent.id);
    expect(f.structuredContent.recommendation.approach).toContain('group by customer');

    const one = await h.client.readResource({ uri: `ruvllm://patterns/${a.structuredContent.id}` });
    expect(JSON.parse((one.contents[0] as { text: string }).text).count).toBe(2);
  });

  it("lets a routed task's outcome reach the patterns stored with its decision, and refuses an unknown decision without storing", async () => {
    const d = (await call('route_task', { task: 'Format this JSON file with two-space indentation' })).structuredContent;
    const stored = await call('store_trm_pattern', {
      task: 'Format this JSON file with two-space indentation',
      approach: 'JSON.parse then JSON.stringify(value, null, 2)',
      quality: 0.9,
      decisionId: d.decisionId,
      success: true,
    });
    expect(stored.isError).toBeFalsy();
    expect(stored.structuredContent.outcomeRecorded).toBe(true);
    expect(stored.structuredContent.pattern.successes).toBe(1);
    // A second report on the same decision is refused by the router.
    expect(errorText(await call('report_outcome', { decisionId: d.decisionId, success: false }))).toMatch(new RegExp(d.decisionId));

    const d2 = (await call('route_task', { task: 'Sort the lines of a text file and drop duplicates' })).structuredContent;
    const p2 = await call('store_trm_pattern', {
      task: 'Sort the lines of a text file and drop duplicates',
      approach: 'sort -u',
      quality: 0.8,
      decisionId: d2.decisionId,
    });
    const rep = await call('report_outcome', { decisionId: d2.decisionId, success: false, quality: 0.1 });
    expect(rep.structuredContent.patternsUpdated).toBe(1);
    const after = JSON.parse(
      ((await h.client.readResource({ uri: `ruvllm://patterns/${p2.structuredContent.id}` })).contents[0] as { text: string }).text,
    );
    expect(after.failures).toBe(1);
    expect(after.quality).toBeLessThan(0.8);

    const before = (await h.engine.patternStats()).total;
    const bad = await call('store_trm_pattern', {
      task: 'anything at all',
      approach: 'x',
      quality: 0.5,
      decisionId: 'no-such-decision',
      success: true,
    });
    expect(errorText(bad)).toMatch(/no-such-decision/);
    expect((await h.engine.patternStats()).total).toBe(before);
  });

  it('patterns stored with the route they ran on and how it went teach route_task', async () => {
    const tasks = [
      'Write a regex that matches UK postcodes with or without the space.',
      'Write a regex to match UK postcodes including the optional space.',
      'Write a regex that matches UK postcodes, with the space optional.',
      'Write one regex matching UK postcodes with or without the space.',
    ];
    const before = (await call('route_task', { task: tasks[3] })).structuredContent;
    expect(before.route, before.reasons.join('; ')).toBe('local');
    for (const t of tasks.slice(0, 3)) {
      const r = await call('store_trm_pattern', {
        task: t,
        approach: `one big regex, attempt ${t.length}`,
        quality: 0.1,
        converged: false,
        route: 'local',
      });
      expect(r.isError).toBeFalsy();
    }
    await h.engine.learningSettled(); // observations are learned between requests
    const after = (await call('route_task', { task: tasks[3] })).structuredContent;
    expect(after.route, after.reasons.join('; ')).toBe('cloud');
    expect(after.reasons.join(' ')).toMatch(/similar tasks did poorly locally/);
    const stats = JSON.parse(((await h.client.readResource({ uri: 'ruvllm://stats' })).contents[0] as { text: string }).text);
    expect(stats.routing.learned.observations).toBeGreaterThanOrEqual(3);
  });

  it('pages through the pattern bank resource with its next URIs', async () => {
    for (let i = 0; i < 60; i++)
      await h.engine.storePattern({
        task: `Paging fixture ${i}: convert invoice batch ${i * 7919} to ledger lines`,
        approach: `approach variant ${i}`,
        quality: 0.5,
      });
    const total = (await h.engine.patternStats()).total;
    const seen = new Set<string>();
    let uri: string | null = 'ruvllm://patterns';
    let pages = 0;
    while (uri) {
      const page = JSON.parse(((await h.client.readResource({ uri })).contents[0] as { text: string }).text);
      expect(page.items.length).toBeLessThanOrEqual(50);
      for (const p of page.items) seen.add(p.id);
      uri = page.next;
      pages++;
    }
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen.size).toBe(total);
  });

  it('sends resources/updated to a subscriber when the bank changes', async () => {
    const seen: string[] = [];
    h.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      seen.push(n.params.uri);
    });
    await h.client.subscribeResource({ uri: 'ruvllm://patterns' });
    await call('store_trm_pattern', {
      task: 'Rename a variable across a TypeScript project',
      approach: 'use the language server rename',
      quality: 0.8,
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toContain('ruvllm://patterns');
  });

  it('rejects bad input', async () => {
    expect(errorText(await call('store_trm_pattern', { task: 'x', approach: 'y', quality: 1.5 }))).toMatch(/quality/);
    expect(errorText(await call('store_trm_pattern', { task: 'x', quality: 0.5 }))).toMatch(/approach/);
    expect(errorText(await call('find_similar_patterns', {}))).toMatch(/exactly one of "query"/);
    expect(errorText(await call('find_similar_patterns', { patternId: 'missing-id' }))).toMatch(/missing-id/);
    expect(errorText(await call('find_similar_patterns', { query: 'x', k: 0 }))).toMatch(/k/);
  });
});

describe('cost_report', () => {
  it('sums the real ledger: the completions above are in it', async () => {
    const r = await call('cost_report', { period: 'all', groupBy: 'model' });
    expect(r.isError).toBeFalsy();
    const rep = r.structuredContent.report;
    expect(rep.totals.calls).toBeGreaterThanOrEqual(2);
    expect(rep.totals.grossUsd).toBeGreaterThan(0);
    expect(rep.totals.netUsd).toBeCloseTo(rep.totals.grossUsd - rep.totals.overheadUsd - rep.totals.localCostUsd, 9);
    expect(rep.rows.some((row: { group: string }) => row.group.includes('tiny-a'))).toBe(true);
    const csv = await call('cost_report', { period: 'all', format: 'csv' });
    expect(csv.structuredContent.csv.split('\n')[0]).toMatch(/group/);
  });

  it('rejects bad input', async () => {
    expect(errorText(await call('cost_report', { period: 'fortnight' }))).toMatch(/period/);
    expect(errorText(await call('cost_report', { from: 'yesterday-ish' }))).toMatch(/not a date/);
    expect(errorText(await call('cost_report', { period: 'day', from: '2026-01-01' }))).toMatch(/either "period" or/);
  });
});

describe('hot_swap_model', () => {
  it('swaps to the second model and back', async () => {
    const r = await call('hot_swap_model', { path: modelB });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent.previous.path).toBe(modelA);
    expect(r.structuredContent.current.path).toBe(modelB);
    const c = await call('local_complete', { prompt: 'hi', maxTokens: 4 });
    expect(c.structuredContent.model).toContain('tiny-b');
    const back = await call('hot_swap_model', { path: modelA });
    expect(back.isError).toBeFalsy();
  });

  it('refuses a corrupt file and a path outside the model folders, keeping the old model', async () => {
    const bad = join(h.dataDir, 'models', 'corrupt.gguf');
    writeFileSync(bad, Buffer.from('GGUF this is not a model'));
    expect(errorText(await call('hot_swap_model', { path: bad }))).toMatch(/corrupt\.gguf/);
    expect(errorText(await call('hot_swap_model', { path: '../../etc/passwd' }))).toMatch(/model folder|outside/i);
    expect(errorText(await call('hot_swap_model', {}))).toMatch(/exactly one of "id"/);
    // A caller may not point the server at an arbitrary host.
    expect(errorText(await call('hot_swap_model', { serverModel: 'llama3', baseUrl: 'http://169.254.169.254:80' }))).toMatch(
      /neither on this machine nor one of the configured servers/,
    );
    const c = await call('local_complete', { prompt: 'still there?', maxTokens: 4 });
    expect(c.isError).toBeFalsy();
    expect(c.structuredContent.model).toContain('tiny-a');
  });
});

describe('stats resource', () => {
  it('reflects the routing decisions and completions made', async () => {
    const r = await h.client.readResource({ uri: 'ruvllm://stats' });
    const s = JSON.parse((r.contents[0] as { text: string }).text);
    expect(s.routing.total ?? s.routing.decisions?.total).toBeGreaterThanOrEqual(2);
    expect(s.backends.some((b: { backend: string; calls: number }) => b.backend === 'gguf' && b.calls >= 2)).toBe(true);
    expect(s.models.active.path).toBe(modelA);
  });
});
