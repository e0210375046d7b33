import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';
// The corpus generator and fixture of bench/privacy-equivalence.mjs (the full check runs there, over ~5k-20k texts).
// @ts-expect-error plain ESM module without types
import { FIXTURE, FIXTURE_RANDOM, corpus, textHash } from '../../bench/privacy-equivalence.mjs';

interface Saved {
  hash: string;
  findings: [string, number, number, string][];
  redacted: string;
}

// The scanner was frozen for a blind evaluation: speed work on it must not change a single finding. The fixture
// holds what the frozen scanner found (category, start, end, rule, and a hash of the redacted text) on every
// labelled prompt in data/router, the 8 KB bench prompts and 300 seeded random strings mixing keys, digits,
// base64, look-alikes and invisible characters. Regenerate it only for an intended change of behaviour:
// node bench/privacy-equivalence.mjs --write-fixture
describe('privacy scanner equivalence', () => {
  const saved = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, Saved>;
  const items = (corpus as (o: object) => { id: string; text: string }[])({ random: FIXTURE_RANDOM, windows: false });

  it('covers the same texts as the fixture', () => {
    expect(items.length).toBe(Object.keys(saved).length);
    const changed = items.filter(({ id, text }) => saved[id]?.hash !== (textHash as (t: string) => string)(text)).map((i) => i.id);
    expect(changed).toEqual([]);
    // the sample exercises the scanner: many texts with findings, of many rules
    const rules = new Set(Object.values(saved).flatMap((s) => s.findings.map((f) => f[3].split(':')[0])));
    expect(Object.values(saved).filter((s) => s.findings.length > 0).length).toBeGreaterThan(300);
    expect(rules.size).toBeGreaterThan(25);
  });

  it('finds exactly what the frozen scanner found, at the same positions, and redacts the same', () => {
    const diffs: string[] = [];
    for (const { id, text } of items) {
      const r = scanPrivacy(text);
      const now = {
        findings: r.findings.map((f) => [f.category, f.start, f.end, f.rule]),
        redacted: (textHash as (t: string) => string)(r.redacted),
      };
      const was = { findings: saved[id].findings, redacted: saved[id].redacted };
      if (JSON.stringify(now) !== JSON.stringify(was))
        diffs.push(`${id}: was ${JSON.stringify(was).slice(0, 300)} now ${JSON.stringify(now).slice(0, 300)}`);
    }
    expect(diffs).toEqual([]);
  });
});
