import { describe, expect, it } from 'vitest';
import { generateCases, type ToolInfo } from './generator.js';
import { HttpPeer, listTools, runHttp, summary } from './runner.js';
import { startHttpServer } from '../../src/transports/http.js';
import { makeFactory } from '../http/helpers.js';

const TOOLS: ToolInfo[] = [
  {
    name: 'hot_swap_model',
    inputSchema: { type: 'object', properties: { path: { type: 'string', maxLength: 4096 }, id: { type: 'string' } } },
  },
  {
    name: 'find_similar_patterns',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1 },
        k: { type: 'integer', minimum: 1, maximum: 100 },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
  },
];

describe('fuzz generator', () => {
  it('is deterministic for a seed and covers every category', () => {
    const a = generateCases(7, 3000, TOOLS);
    const b = generateCases(7, 3000, TOOLS);
    expect(a.map((c) => c.bytes.toString('base64'))).toEqual(b.map((c) => c.bytes.toString('base64')));
    expect(generateCases(8, 50, TOOLS).map((c) => c.bytes.toString('base64'))).not.toEqual(
      a.slice(0, 50).map((c) => c.bytes.toString('base64')),
    );
    const kinds = new Set(a.map((c) => c.kind.split(':')[0]));
    for (const k of [
      'tool',
      'invalid_json',
      'invalid_utf8',
      'bad_envelope',
      'unknown_method',
      'no_answer',
      'batch',
      'batch_invalid',
      'huge_method',
      'deep_params',
    ]) {
      expect(kinds, k).toContain(k);
    }
    const text = a.map((c) => c.bytes.toString('latin1')).join('\n');
    expect(text).toContain('../../etc/passwd');
    expect(text).toContain('DROP TABLE');
    expect(text).toContain('1e400');
    expect(a.some((c) => c.bytes.length > 100_000)).toBe(true);
    expect(a.some((c) => !c.expectsAnswer)).toBe(true);
    expect(a.every((c) => !c.bytes.includes(0x0a))).toBe(true);
  });

  it('runs against an in-process server: every case that expects an answer gets one, the server keeps serving', async () => {
    const { factory } = makeFactory();
    const h = await startHttpServer({ factory, host: '127.0.0.1', port: 0 });
    try {
      const peer = new HttpPeer(h.url);
      await peer.initialize();
      const tools = await listTools(peer);
      const cases = generateCases(42, 1500, tools as ToolInfo[]);
      const rep = await runHttp(peer, process.pid, cases);
      process.stderr.write(`in-process fuzz: ${summary(rep)}\n`);
      expect(rep.unanswered).toEqual([]);
      expect(rep.wrongId).toEqual([]);
      expect(rep.unexpectedAnswers).toEqual([]);
      expect(rep.mustFailButSucceeded).toEqual([]);
      expect(rep.answered).toBe(rep.expectingAnswer);
      expect(rep.pingAfterOk).toBe(true);
      expect(h.sessions()).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('runs against an in-process stateless server: same guarantees, and every per-request server is cleaned up', async () => {
    const { factory, stats } = makeFactory();
    const h = await startHttpServer({ factory, host: '127.0.0.1', port: 0, stateless: true });
    try {
      const peer = new HttpPeer(h.url);
      const tools = await listTools(peer);
      const rep = await runHttp(peer, process.pid, generateCases(43, 800, tools as ToolInfo[]));
      process.stderr.write(`in-process stateless fuzz: ${summary(rep)}\n`);
      expect(rep.unanswered).toEqual([]);
      expect(rep.unexpectedAnswers).toEqual([]);
      expect(rep.mustFailButSucceeded).toEqual([]);
      expect(rep.answered).toBe(rep.expectingAnswer);
      expect(rep.pingAfterOk).toBe(true);
      const start = Date.now();
      while (stats.cleaned < stats.created && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 20));
      expect(stats.cleaned).toBe(stats.created);
      expect(h.sessions()).toBe(0);
    } finally {
      await h.close();
    }
  });
});
