// open.each(list) answers, for every gate of a list at once (from the keys present in the text), what open(gate)
// answers for each: the special categories ask it for their 5,800 words' gates instead of 5,800 calls of open.
import { describe, expect, it } from 'vitest';
import { GateList, Prefilter } from '../../src/engine/privacy/prefilter.js';

describe('Prefilter: open.each', () => {
  const p = new Prefilter();
  const gates = [
    p.gate(/passport/i),
    p.gate(/Licen[cs]e/), // (case-sensitive: the key found, then the literal confirmed)
    p.gate(/\d+/), // (no literal: always open)
    p.gate(/tax id|steuer/i),
    p.all(p.gate(/national/i), p.gate(/ID/)),
    p.gate(/passport number/i),
    p.gate(/ДНК|λεσβία/i),
    p.gate(/同性恋/),
  ];
  const list = new GateList(gates);
  const words = ['passport', 'PASSPORT', 'Licence', 'licence', 'License', 'tax id', 'Steuer', 'national', 'ID', 'id'];
  const more = ['passport number', 'днк', 'ДНК', 'λεσβία', '同性恋', 'x', ' ', 'Ö'];

  it('answers as open(gate) does for each gate, on texts with and without their words', () => {
    let s = 3;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const pool = [...words, ...more];
    const seen = new Set<string>();
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const k = Math.floor(rnd() * 4);
      for (let j = 0; j < k; j++) text += pool[Math.floor(rnd() * pool.length)] + (rnd() < 0.5 ? ' ' : '');
      const open = p.scan(text);
      const each = open.each(list);
      const want = gates.map((g) => (open(g) ? 1 : 0));
      expect([...each], JSON.stringify(text)).toEqual(want);
      seen.add(want.join(''));
    }
    // (many different answers: the comparison is not of always-open or always-shut gates)
    expect(seen.size).toBeGreaterThan(20);
  });

  it('opens every gate when the prefilter is off', () => {
    const off = new Prefilter();
    const g = [off.gate(/passport/i), off.gate(/tax/)];
    off.enabled = false;
    expect([...off.scan('nothing here').each(new GateList(g))]).toEqual([1, 1]);
  });
});
