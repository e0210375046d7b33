// A long file summarised by reference on a generated GGUF through a real MCP client: split with
// the model's own tokenizer, read part by part with progress per part, combined, stopped on cancel,
// refused past maxInputTokens. Speed figures are in bench/inputs.mjs, not here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { connectInProcess, tempDir, type InProcess } from '../helpers/mcp.js';

let h: InProcess;
let project: string;
let modelPath: string;
const CONTEXT = 1024;

const logLines = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `2026-11-27T01:${String(i % 60).padStart(2, '0')}:${String(i % 59).padStart(2, '0')}Z worker-${i % 7} request ${i} took ${(i * 37) % 1000} ms`,
  ).join('\n') + '\n';

beforeAll(async () => {
  const dataDir = tempDir();
  const modelsDir = join(dataDir, 'models');
  mkdirSync(modelsDir, { recursive: true });
  const model = (modelPath = join(modelsDir, 'tiny-mr.gguf'));
  writeTinyGguf(model, { name: 'tiny-mr', seed: 5 });
  project = tempDir('ruvllm-mr-');
  writeFileSync(join(project, 'app.log'), logLines(120)); // ~7 KB: several parts of a 1,024-token context
  writeFileSync(join(project, 'short.txt'), 'a short note\n');
  h = await connectInProcess({ model, threads: 1, contextSize: CONTEXT, parallel: 1, cwd: project }, dataDir);
});

afterAll(async () => {
  await h?.close();
});

type Progress = { progress: number; total?: number; message?: string };
const call = async (args: Record<string, unknown>, onprogress?: (p: Progress) => void, signal?: AbortSignal) =>
  (await h.client.callTool({ name: 'local_complete', arguments: args }, undefined, {
    ...(onprogress ? { onprogress } : {}),
    ...(signal ? { signal } : {}),
  })) as CallToolResult & {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tool's structured output, read field by field by the assertions
    structuredContent?: any;
  };

describe('map-reduce over a file larger than the local context', () => {
  it('reads it in parts counted by the model tokenizer, with progress per part, and says so in the result', async () => {
    const progress: Progress[] = [];
    const r = await call({ prompt: 'Summarise the log', files: ['app.log'], maxTokens: 32, temperature: 0 }, (p) => progress.push(p));
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    const s = r.structuredContent;
    expect(s.input.mode).toBe('map-reduce');
    expect(s.input.tokenCountMethod).toBe('tokenizer');
    expect(s.input.tokens).toBeGreaterThan(CONTEXT);
    expect(s.input.parts).toBeGreaterThan(2);
    expect(s.input.reduceCalls).toBeGreaterThanOrEqual(1);
    // A few parts: notes up to 1/32 of the context each, which the answer reads without combining.
    expect(s.input.noteTokens).toBe(CONTEXT / 32);
    expect(s.input.reduceCalls).toBe(1);
    expect(s.finishReason).not.toBe('cancelled');
    // Every part read took the model a whole prompt: all parts' tokens are counted.
    expect(s.promptTokens).toBeGreaterThan(s.input.tokens);
    // One "read part i/n" per part, increasing, ending at the total.
    const reads = progress.filter((p) => /^read part \d+\/\d+$/.test(p.message ?? ''));
    expect(reads.map((p) => p.message)).toEqual(Array.from({ length: s.input.parts }, (_, i) => `read part ${i + 1}/${s.input.parts}`));
    for (let i = 1; i < progress.length; i++) expect(progress[i].progress).toBeGreaterThan(progress[i - 1].progress);
    expect(progress[progress.length - 1].progress).toBe(progress[progress.length - 1].total);
    expect(s.guard.applied).toBe(true);
  });

  it('with more parts than the answer can read notes of, writes shorter notes and combines them in one round of groups', async () => {
    writeFileSync(join(project, 'many.log'), logLines(600));
    const progress: Progress[] = [];
    // A long answer leaves the notes less room in the final request.
    const r = await call({ prompt: 'Summarise', files: ['many.log'], maxTokens: 600, temperature: 0 }, (p) => progress.push(p));
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    const s = r.structuredContent;
    expect(s.input.mode).toBe('map-reduce');
    expect(s.input.parts).toBeGreaterThan(30);
    // The least notes a part gets: a line (the parts' notes together still exceed the answer's room).
    expect(s.input.noteTokens).toBe(16);
    const rounds = progress.map((p) => /^combining notes \(round (\d+), (\d+) groups\)$/.exec(p.message ?? '')).filter((m) => m !== null);
    expect(new Set(rounds.map((m) => m[1]))).toEqual(new Set(['1']));
    const groups = Number(rounds[0]![2]);
    expect(groups).toBeGreaterThan(1);
    expect(groups).toBeLessThan(s.input.parts / 4);
    // One completion per group, then the answer.
    expect(s.input.reduceCalls).toBe(groups + 1);
    for (let i = 1; i < progress.length; i++) expect(progress[i].progress).toBeGreaterThan(progress[i - 1].progress);
  });

  it('reads a file that fits in one direct completion', async () => {
    const r = await call({ prompt: 'What does it say?', files: ['short.txt'], maxTokens: 8 });
    expect(r.structuredContent.input).toMatchObject({ mode: 'direct', parts: 1, files: 1, tokenCountMethod: 'tokenizer' });
  });

  it('refuses past maxInputTokens before reading any part, with a clear message', async () => {
    const capped = await connectInProcess({
      model: modelPath,
      threads: 1,
      contextSize: CONTEXT,
      parallel: 1,
      cwd: project,
      maxInputTokens: 500,
    });
    try {
      const r = (await capped.client.callTool({
        name: 'local_complete',
        arguments: { prompt: 'Summarise', files: ['app.log'] },
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect((r.content[0] as { text: string }).text).toMatch(/more than maxInputTokens \(500\).*--max-input-tokens/);
    } finally {
      await capped.close();
    }
    // A library caller may lower the cap per call.
    await expect(h.engine.offload({ prompt: 'Summarise' }, { files: ['app.log'], maxInputTokens: 400 })).rejects.toThrow(
      /maxInputTokens \(400\)/,
    );
  });

  it('stops on cancel: the queue is free again and later calls run', async () => {
    writeFileSync(join(project, 'long.log'), logLines(600));
    const ac = new AbortController();
    let reads = 0;
    const p = call(
      { prompt: 'Summarise', files: ['long.log'], maxTokens: 16 },
      (pr) => {
        if (/^read part/.test(pr.message ?? '') && ++reads === 1) ac.abort();
      },
      ac.signal,
    );
    await expect(p).rejects.toThrow();
    // The server saw the cancel: the model's queue empties instead of reading the remaining parts.
    const t0 = Date.now();
    while (h.engine.modelStatus().queue.running > 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 10));
    expect(h.engine.modelStatus().queue.running).toBe(0);
    expect(reads).toBe(1);
    const after = await call({ prompt: 'Hi', files: ['short.txt'], maxTokens: 4 });
    expect(after.isError).toBeFalsy();
  });

  it('the engine reports a cancelled map-reduce as cancelled, with the parts it planned', async () => {
    const ac = new AbortController();
    let done = 0;
    const res = await h.engine.offload(
      { prompt: 'Summarise', maxTokens: 16, signal: ac.signal },
      {
        files: ['long.log'],
        signal: ac.signal,
        onProgress: (p) => {
          if (/^read part/.test(p.message) && ++done === 2) ac.abort();
        },
      },
    );
    expect(res.finishReason).toBe('cancelled');
    expect(res.input!.mode).toBe('map-reduce');
    expect(res.input!.parts).toBeGreaterThan(done);
    expect(done).toBe(2);
  });
});
