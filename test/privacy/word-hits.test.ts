// WordHits finds the special categories' gate hits without compiling the alternation of the open words: its hits must
// be exactly `s.matchAll(new RegExp(words.join('|'), 'g'))`'s (index, text, order, leftmost-first, earlier word wins).
import { describe, expect, it } from 'vitest';
import { FEW_WORDS, WHOLE, WordHits, canonical } from '../../src/engine/privacy/word-hits.js';
import { SPECIAL_GATE_WORDS, specialTerms } from '../../src/engine/privacy/privacy.js';

const viaRegex = (words: string[], s: string) =>
  [...s.matchAll(new RegExp(words.join('|') || '(?!)', 'g'))].map((m) => [m.index, m[0]] as [number, string]);
const viaHits = (words: string[], s: string, on: ((i: number) => boolean) | null = null) =>
  WordHits.of(words, 'test words')
    .find(s, on === null ? null : Uint8Array.from(words, (_, i) => (on(i) ? 1 : 0)))
    .map((m) => [m.index, m[0]] as [number, string]);

// (a fixed pseudo-random sequence: the same texts every run)
function rng(seed: number) {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

describe('WordHits: the hits of an alternation of words', () => {
  it('takes the leftmost hit, at one index the earlier word, and goes on from its end', () => {
    const s = 'xabcdx abcd ab bcd';
    // (a word that is another's prefix, before or after it; overlapping words; the same index)
    for (const words of [
      ['ab', 'abc'],
      ['abc', 'ab'],
      ['bcd', 'abc'],
      ['abc', 'bcd', 'cd'],
      ['cd', 'bcd', 'abcd', 'b'],
      ['d', 'x', 'a'],
    ])
      expect(viaHits(words, s), words.join('|')).toEqual(viaRegex(words, s));
    expect(viaHits(['ab', 'abc'], 'abc')).toEqual([[0, 'ab']]);
    expect(viaHits(['abc', 'ab'], 'abc')).toEqual([[0, 'abc']]);
    // (after a hit the search goes on from its end: "bcd" inside "abcd" is not a hit after "abc")
    expect(viaHits(['abc', 'bcd'], 'abcd')).toEqual([[0, 'abc']]);
  });

  it('agrees with the alternation on random words and texts, with few words and with many, and for a subset', () => {
    const r = rng(7);
    const letters = 'abcé字 ';
    const pick = (n: number) => Array.from({ length: n }, () => letters[Math.floor(r() * letters.length)]).join('');
    let hits = 0;
    for (let round = 0; round < 400; round++) {
      const n = 1 + Math.floor(r() * 3 * FEW_WORDS);
      const words = Array.from({ length: n }, () => {
        let w = pick(1 + Math.floor(r() * 4)).trim() || 'a';
        // (now and then a class, an optional character or a dot)
        const k = r();
        if (k < 0.1) w = `[${pick(2).replace(/ /g, 'b')}]${w}`;
        else if (k < 0.2 && w.length > 1) w = `${w.slice(0, -1)}${w.slice(-1)}?`;
        else if (k < 0.25) w = `${w}.c`;
        return w;
      });
      const s = pick(200);
      expect(viaHits(words, s), words.join('|')).toEqual(viaRegex(words, s));
      const on = (i: number) => i % 3 !== round % 3;
      expect(viaHits(words, s, on), words.join('|')).toEqual(
        viaRegex(
          words.filter((_, i) => on(i)),
          s,
        ),
      );
      hits += viaRegex(words, s).length;
    }
    expect(hits).toBeGreaterThan(1000);
  });

  it('finds each of many finders\u2019 hits in one text as its own alternation does, its words selected from an offset, in short texts too', () => {
    const r = rng(3);
    const letters = 'abcé字 ';
    const pick = (n: number) => Array.from({ length: n }, () => letters[Math.floor(r() * letters.length)]).join('');
    let hits = 0;
    let wholes = 0;
    for (let round = 0; round < 60; round++) {
      // (up to 40 finders: more than one pass's 16; some with fewer than FEW_WORDS words selected, some with none; a
      // round in three a short text, searched by the chains of all the words of the finders with WHOLE times its length)
      const short = round % 3 === 0;
      const s = pick(short ? 2 + Math.floor(r() * 10) : 300);
      const sets = Array.from({ length: 1 + Math.floor(r() * 40) }, () =>
        Array.from({ length: 1 + Math.floor(r() * (short ? 20 : 4) * FEW_WORDS) }, () => {
          const w = pick(1 + Math.floor(r() * 4)).trim() || 'a';
          return r() < 0.1 ? `[${pick(2).replace(/ /g, 'b')}]${w}` : w;
        }),
      );
      // (one list of flags for all the sets' words, as the prefilter gives them, each set's from its offset)
      const offsets: number[] = [];
      let total = 0;
      for (const words of sets) {
        offsets.push(total);
        total += words.length;
      }
      const flags = Uint8Array.from({ length: total }, () => (r() < 0.6 ? 1 : 0));
      if (short) wholes += sets.filter((words) => WHOLE * s.length <= words.length).length;
      const got = WordHits.findEach(
        s,
        sets.map((words, k) => ({ hits: WordHits.of(words, 'test words'), on: round % 5 === 0 ? null : flags, off: offsets[k] })),
      );
      sets.forEach((words, k) => {
        const selected = round % 5 === 0 ? words : words.filter((_, i) => flags[offsets[k] + i] === 1);
        const want = viaRegex(selected, s);
        expect(
          got[k].map((m) => [m.index, m[0]]),
          selected.join('|'),
        ).toEqual(want);
        hits += want.length;
      });
    }
    expect(hits).toBeGreaterThan(1000);
    expect(wholes).toBeGreaterThan(100);
  });

  it('refuses a word it cannot read with an error naming the words\u2019 set and the word', () => {
    for (const w of ['a\\b', 'a*', 'a+', '(ab)', 'a{2}', '[a-z]x', '[^a]', 'a??', 'a?', '\\d', '.ab', 'a]'])
      expect(() => WordHits.of(['ok', w], 'the set X'), w).toThrow(`the set X: WordHits cannot read the word "${w}"`);
    expect(() => WordHits.of(['ver\\.di', 'd[íi]vida', 'burn-?out', 'ver.di-'], 'the set Y')).not.toThrow();
  });

  it('makes the special categories\u2019 sets fail when built with a word WordHits cannot read, naming set and word', () => {
    expect(() => specialTerms('SPECIAL_GATE_TEST', /ok|burn-?out|a+b/, null, /x/giu)).toThrow(
      'special-category set SPECIAL_GATE_TEST: WordHits cannot read the word "a+b"',
    );
    expect(specialTerms('SPECIAL_GATE_TEST', /ok|burn-?out|ab/, null, /x/giu).words).toEqual(['ok', 'burn-?out', 'ab']);
  });

  it('reads every special-category set\u2019s words and finds their hits as their alternation does', () => {
    expect(SPECIAL_GATE_WORDS.length).toBeGreaterThan(10);
    const r = rng(11);
    for (const words of SPECIAL_GATE_WORDS) {
      // (a text of the set's words (their classes' first choice), cut and joined so they overlap and share prefixes)
      const plain = words.map((w) =>
        w
          .replace(/\\(.)/g, '$1')
          .replace(/\[(.)[^\]]*\]/g, '$1')
          .replace(/\?/g, '')
          .replace(/\./g, '-'),
      );
      let s = '';
      for (let i = 0; i < 300; i++) {
        const w = plain[Math.floor(r() * plain.length)];
        s += r() < 0.3 ? w.slice(0, Math.max(1, Math.floor(r() * w.length))) : w;
        if (r() < 0.3) s += ' ';
      }
      const own = words.length > 300 ? words.filter((w, i) => i % 4 === 0 || s.includes(plain[i])) : [...words];
      const want = viaRegex(own, s);
      expect(want.length).toBeGreaterThan(20);
      expect(
        WordHits.of(own, 'test words')
          .find(s, null)
          .map((m) => [m.index, m[0]]),
      ).toEqual(want);
    }
  });

  it('makes a case-insensitive match a case-sensitive one of canonical forms, as V8 matches the words\u2019 characters', () => {
    // (every BMP code unit that /c/i matches, for each character c of the sets' words, against those of c's canonical form)
    const all = Array.from({ length: 0x10000 }, (_, u) => String.fromCharCode(u)).join('');
    const canonAll = canonical(all);
    const chars = new Set<number>();
    for (const words of SPECIAL_GATE_WORDS) for (const w of words) for (let i = 0; i < w.length; i++) chars.add(w.charCodeAt(i));
    expect(chars.size).toBeGreaterThan(200);
    for (const c of [...chars, 0x4b, 0x212a, 0x130, 0x131, 0x3b8, 0x3f4, 0xdf, 0x1e9e]) {
      if (/[\\.*+?^${}()|[\]]/.test(String.fromCharCode(c))) continue;
      const re = new RegExp(`\\u${c.toString(16).padStart(4, '0')}`, 'gi');
      const v8 = [...all.matchAll(re)].map((m) => m.index);
      const own: number[] = [];
      for (let u = 0; u < 0x10000; u++) if (canonAll.charCodeAt(u) === canonAll.charCodeAt(c)) own.push(u);
      expect(own, c.toString(16)).toEqual(v8);
    }
  });

  it('answers a set\u2019s case-insensitive gate on text with characters whose lower case is not their folding', () => {
    const r = rng(5);
    const odd = ['\u212a', '\u212b', '\u2126', '\u0130', '\u03f4', '\u1e9e', '\u1f88', 'K', 'S', 'I', 'ı', 'ſ'];
    let yes = 0;
    for (const words of SPECIAL_GATE_WORDS) {
      const hitsI = WordHits.of(words.map(canonical), 'test words');
      const gateI = new RegExp(words.join('|'), 'i');
      const plain = words.map((w) =>
        w
          .replace(/\\(.)/g, '$1')
          .replace(/\[(.)[^\]]*\]/g, '$1')
          .replace(/\?/g, '')
          .replace(/\./g, '-'),
      );
      for (let t = 0; t < 60; t++) {
        // (a word, upper-cased or not, with one of its characters replaced by an odd one now and then)
        let w = plain[Math.floor(r() * plain.length)];
        if (r() < 0.5) w = w.toUpperCase();
        const at = Math.floor(r() * w.length);
        if (r() < 0.7) w = w.slice(0, at) + odd[Math.floor(r() * odd.length)] + w.slice(at + 1);
        const text = `Notiz ${w} Ende`;
        const want = gateI.test(text);
        yes += want ? 1 : 0;
        expect(hitsI.find(canonical(text), null).length > 0, text).toBe(want);
      }
    }
    expect(yes).toBeGreaterThan(100);
  });
});
