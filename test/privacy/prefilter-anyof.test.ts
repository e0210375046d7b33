import { describe, expect, it } from 'vitest';
import { Prefilter, topLevelBranches } from '../../src/engine/privacy/prefilter.js';

describe('topLevelBranches', () => {
  it('splits at the top level only (not inside groups, classes or escapes)', () => {
    expect(topLevelBranches('a|b(c|d)|[|]|\\||e')).toEqual(['a', 'b(c|d)', '[|]', '\\|', 'e']);
    expect(topLevelBranches('passport|licen[cs]e|\\btin\\b')).toEqual(['passport', 'licen[cs]e', '\\btin\\b']);
    expect(topLevelBranches('(?:a|b)')).toEqual(['(?:a|b)']);
  });

  it('refuses back-references and unbalanced brackets', () => {
    expect(topLevelBranches('(a)\\1|b')).toBeNull();
    expect(topLevelBranches('(?<q>a)\\k<q>|b')).toBeNull();
    expect(topLevelBranches('(a|b')).toBeNull();
    expect(topLevelBranches('a)|b')).toBeNull();
  });
});

describe('Prefilter.anyOf', () => {
  const RE = /passport|licen[cs]e|national id|tax id|\btin\b|\bsin\b|\bdni\b|steuer|\d{3}-XY/i;
  const LC = new RegExp(RE.source.toLowerCase(), '');
  const words = ['passport', 'Licence', 'LICENSE', 'national id', 'tax', 'id', 'tin', 'waiting', 'Tin', 'sin', 'using', 'DNI', 'dnix'];
  const more = ['steuer', 'Steuerklasse', '123-xy', '123-XY', '12-XY', 'a', ' ', '-', '_', '\n', '.', 'x', 'TIN_', '_tin'];

  function texts(): string[] {
    let s = 11;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const pool = [...words, ...more];
    const out: string[] = [];
    for (let n = 0; n < 3000; n++) {
      let t = '';
      const k = 1 + Math.floor(rnd() * 6);
      for (let i = 0; i < k; i++) t += pool[Math.floor(rnd() * pool.length)] + (rnd() < 0.5 ? ' ' : '');
      out.push(t);
    }
    return out;
  }

  it('answers as the pattern does, on the text of the latest pass and on its lowercased copy', () => {
    const pf = new Prefilter();
    const any = pf.anyOf(RE);
    const anyLc = pf.anyOf(RE, LC);
    let hits = 0;
    for (const t of texts()) {
      pf.scan(t);
      const want = RE.test(t);
      if (want) hits++;
      expect(any(t, t), t).toBe(want);
      if (/^[\x20-\x7e\n]*$/.test(t)) expect(anyLc(t.toLowerCase(), t), t).toBe(LC.test(t.toLowerCase()));
    }
    // (the sample has both answers, plenty of each)
    expect(hits).toBeGreaterThan(300);
    expect(hits).toBeLessThan(2700);
  });

  it('runs the whole pattern when the latest pass was over another text, or the prefilter is off', () => {
    const pf = new Prefilter();
    const any = pf.anyOf(RE);
    pf.scan('nothing to see here');
    expect(any('my passport', 'my passport')).toBe(true); // the pass saw another text: no gate applies
    pf.scan('my passport');
    expect(any('my passport', 'my passport')).toBe(true);
    pf.scan('nothing');
    pf.enabled = false;
    expect(any('tin', 'tin')).toBe(true);
  });

  it('skips the branches whose literals the pass did not see', () => {
    const pf = new Prefilter();
    const any = pf.anyOf(/alpha|beta/);
    pf.scan('alpha');
    // (the pass was over "alpha": "beta" in another string is not looked for, by design: callers pass the scanned text)
    expect(any('beta', 'alpha')).toBe(false);
    expect(any('alpha', 'alpha')).toBe(true);
  });
});
