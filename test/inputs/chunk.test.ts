// Token-aware splitting with the counters the engine uses: the chars/4 estimate (servers) and a GGUF model's tokenizer.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { splitByTokens } from '../../src/engine/inputs/chunk.js';
import { estimateTokens } from '../../src/engine/tokens.js';
import { writeTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { tempDir } from '../helpers/tmp.js';

const log =
  Array.from(
    { length: 3000 },
    (_, i) => `2026-11-27T01:${String(i % 60).padStart(2, '0')}:00Z worker-${i % 7} handled request ${i} in ${(i * 37) % 1000} ms`,
  ).join('\n') + '\n';

describe('splitByTokens', () => {
  it('keeps every part within the budget, loses nothing and cuts at line ends', () => {
    const parts = splitByTokens(log, 500, estimateTokens);
    expect(parts.length).toBeGreaterThan(10);
    expect(parts.map((p) => p.text).join('')).toBe(log);
    for (const p of parts) {
      expect(p.tokens).toBeLessThanOrEqual(500);
      expect(p.tokens).toBe(estimateTokens(p.text));
    }
    for (const p of parts.slice(0, -1)) {
      expect(p.text.endsWith('\n')).toBe(true);
      expect(p.tokens).toBeGreaterThan(400); // parts are filled, not tiny
    }
  });

  it('cuts a text without line ends or spaces, and never between surrogate halves', () => {
    const s = '🚀'.repeat(1000);
    const parts = splitByTokens(s, 37, estimateTokens);
    expect(parts.map((p) => p.text).join('')).toBe(s);
    for (const p of parts) expect(p.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('stops when cancelled', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => splitByTokens(log, 100, estimateTokens, ac.signal)).toThrow();
  });

  it('fits the budget as a GGUF model tokenizer counts it', async () => {
    const { getLlama } = await import('node-llama-cpp');
    const file = join(tempDir('ruvllm-chunk-'), 'tiny.gguf');
    writeTinyGguf(file, { name: 'tiny-chunk', seed: 3 });
    const llama = await getLlama({ gpu: false });
    const model = await llama.loadModel({ modelPath: file });
    try {
      const count = (t: string) => model.tokenize(t).length;
      const text = log.slice(0, 40_000);
      const parts = splitByTokens(text, 1000, count);
      expect(parts.map((p) => p.text).join('')).toBe(text);
      for (const p of parts) expect(count(p.text)).toBeLessThanOrEqual(1000);
      expect(parts.length).toBeGreaterThan(1);
    } finally {
      await model.dispose();
    }
  });
});
