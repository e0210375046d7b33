import { describe, expect, it } from 'vitest';
import { escapedQuoteStrings, percentRuns } from '../../src/engine/privacy/fast-match.js';

// Random texts over a few characters that matter to a matcher (and others), with a fixed seed: each matcher must give
// exactly what the pattern it stands for gives.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function texts(alphabet: readonly string[], count: number, maxLen: number, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const n = Math.floor(r() * maxLen);
    let t = '';
    for (let i = 0; i < n; i++) t += alphabet[Math.floor(r() * alphabet.length)];
    out.push(t);
  }
  return out;
}

describe('fast matchers give what their patterns give', () => {
  it('percentRuns: the runs of [^\\s"\'<>]+ that hold a "%"', () => {
    const alphabet = ['a', 'b', '%', '%2', 'F', '4', ' ', '\n', '"', "'", '<', '>', '\u00a0', '\u2028', '\u3000', 'é', '\ud83d\ude00', '='];
    for (const t of texts(alphabet, 3000, 60, 1)) {
      const want = [...t.matchAll(/[^\s"'<>]+/g)].filter((m) => m[0].includes('%')).map((m) => ({ index: m.index, run: m[0] }));
      expect(percentRuns(t), JSON.stringify(t)).toEqual(want);
    }
  });

  it('escapedQuoteStrings: the matches of /"((?:[^"\\\\\\n]|\\\\.){16,4096})"/g whose string holds \\"', () => {
    const alphabet = ['"', '"', '\\', '\\"', 'a', 'b', 'c', 'd', 'e', 'f', '\n', '\r', '\u2028', ' ', 'xyzxyzxyz'];
    const cases = texts(alphabet, 4000, 80, 2);
    // (the upper bound: 4,096 units, a backslash pair counting as one)
    cases.push(
      `"${'\\"'.repeat(4096)}"`,
      `"${'\\"'.repeat(4097)}"`,
      `"${'a'.repeat(4095)}\\""`,
      `x"${'a'.repeat(4096)}\\""y"${'\\"'.repeat(20)}"`,
    );
    for (const t of cases) {
      const want = [...t.matchAll(/"((?:[^"\\\n]|\\.){16,4096})"/g)]
        .filter((m) => m[1].includes('\\"'))
        .map((m) => ({ index: m.index, string: m[0] }));
      expect(escapedQuoteStrings(t), JSON.stringify(t).slice(0, 200)).toEqual(want);
    }
  });
});
