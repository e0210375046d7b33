// The special-category rule skips its case-insensitive gate test on texts without the characters of
// SPECIAL_FOLD_ODD_RE, searching the lowercased copy instead: the two agree exactly where every character of the text
// folds (case-insensitive pattern without the u flag) as its lower case does. This checks the list against every BMP
// character, and that a text with such a character is still judged by the gate.
import { describe, expect, it } from 'vitest';
import { SPECIAL_FOLD_ODD_RE, scanPrivacy, setPrivacyPrefilter } from '../../src/engine/privacy/privacy.js';

describe('special categories: characters whose lower case is not their case folding', () => {
  it('lists exactly the BMP characters a case-insensitive pattern does not match against their lower case', () => {
    const odd: number[] = [];
    for (let cp = 0; cp < 0x10000; cp++) {
      if (cp >= 0xd800 && cp < 0xe000) continue;
      const c = String.fromCharCode(cp);
      const l = c.toLowerCase();
      if (l === c) continue;
      const escaped = l.length === 1 ? `\\u${l.charCodeAt(0).toString(16).padStart(4, '0')}` : null;
      if (escaped === null || !new RegExp(`^${escaped}$`, 'i').test(c)) odd.push(cp);
    }
    const listed: number[] = [];
    for (let cp = 0; cp < 0x10000; cp++) if (SPECIAL_FOLD_ODD_RE.test(String.fromCharCode(cp))) listed.push(cp);
    expect(odd.length).toBeGreaterThan(0);
    expect(listed).toEqual(odd);
  });

  it('finds a named person\u2019s special-category term in non-ASCII text with and without such characters', () => {
    const base = 'Notiz für das Team – Jürgen Köhler aus dem Lager ist seit Jahren Gewerkschaftsmitglied bei der IG Metall.';
    expect(scanPrivacy(base).findings.map((f) => f.category)).toContain('special_category');
    // (the Kelvin sign lowercases to "k": the words' search and the gate differ on it, and the gate decides)
    const kelvin = base.replace('Köhler', '\u212aöhler');
    expect(scanPrivacy(kelvin).sensitive).toBe(scanPrivacy(base).sensitive);
  });

  it('judges a text with a dotted capital I by gates read from its lowercased copy, as with every rule run', () => {
    // (U+0130 lowercases to "i" + U+0307: the prefilter's pass over the text reads it as one non-ASCII symbol, the words
    // are searched in the lowercased copy, and their gates come from a pass over that copy)
    const texts = [
      'Notiz: Jürgen Köhler aus dem Lager ist seit Jahren Gewerkschaftsmitglied. Gesendet aus İstanbul',
      'Komşum Ayşe Yılmaz geçen ay engelli raporu aldı, işe dönemiyor. İYİ GÜNLER',
      'Komşum Ayşe Yılmaz geçen ay ENGELLİ raporu aldı, işe dönemiyor. Kızı da HİV tedavisi görüyor.',
      'İstanbul şubesindeki toplantı notları: bütçe, takvim ve ofis taşınması.',
    ];
    const withGates = texts.map((t) => scanPrivacy(t).findings);
    setPrivacyPrefilter(false);
    let everyRule: ReturnType<typeof scanPrivacy>['findings'][];
    try {
      everyRule = texts.map((t) => scanPrivacy(t).findings);
    } finally {
      setPrivacyPrefilter(true);
    }
    expect(withGates).toEqual(everyRule);
    expect(withGates[0].map((f) => f.category)).toContain('special_category');
    expect(withGates[1].map((f) => f.category)).toContain('medical');
    expect(withGates[3]).toEqual([]);
  });
});
