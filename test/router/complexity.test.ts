import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assessComplexity, CLOUD_THRESHOLD, estimateTokens } from '../../src/engine/router/complexity.js';

interface Row {
  text: string;
  label: 'local' | 'cloud';
  split: 'tune' | 'holdout';
}
const rows: Row[] = readFileSync(fileURLToPath(new URL('../../data/router/complexity-set.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Row);
const predict = (t: string) => (assessComplexity(t).score >= CLOUD_THRESHOLD ? 'cloud' : 'local');

describe('complexity set', () => {
  it('has >= 60 labelled tasks with a held-out split containing both labels', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    const hold = rows.filter((r) => r.split === 'holdout');
    expect(hold.length).toBeGreaterThanOrEqual(20);
    expect(hold.some((r) => r.label === 'cloud') && hold.some((r) => r.label === 'local')).toBe(true);
  });

  it('agrees with >= 90% of the local/cloud labels on the holdout split (not tuned on)', () => {
    const hold = rows.filter((r) => r.split === 'holdout');
    const wrong = hold.filter((r) => predict(r.text) !== r.label);
    expect(1 - wrong.length / hold.length, wrong.map((r) => `${r.label}: ${r.text.slice(0, 80)}`).join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it('does not decide by length: long-but-simple tasks stay below the threshold, short hard ones go above', () => {
    const long = rows.filter((r) => r.label === 'local' && r.text.length > 2000);
    expect(long.length).toBeGreaterThan(0);
    for (const r of long) expect(predict(r.text)).toBe('local');
    expect(predict('Prove that every planar graph is 5-colorable.')).toBe('cloud');
  });
});

describe('assessComplexity', () => {
  it('reports task type, features and reasons', () => {
    const a = assessComplexity('Translate to German: "Good morning"');
    expect(a.taskType).toBe('translate');
    expect(a.level).toBe('low');
    expect(a.features.tokens).toBe(estimateTokens('Translate to German: "Good morning"'));
    const b = assessComplexity('Design a multi-region architecture with strong consistency, explain the trade-offs and a migration plan under a $20k budget.');
    expect(b.level).toBe('high');
    expect(b.reasons.some((r) => /reasoning|domain|constraint/.test(r))).toBe(true);
  });

  it('counts attached context size', () => {
    const small = assessComplexity('Summarize this.');
    const big = assessComplexity('Summarize this.', { contextTokens: 50_000 });
    expect(big.features.tokens).toBeGreaterThan(small.features.tokens);
    expect(big.score).toBeGreaterThan(small.score);
  });

  it('rejects non-string input', () => {
    expect(() => assessComplexity(undefined as unknown as string)).toThrow(/string/);
  });
});

describe('demands: scope and rigour, not vocabulary', () => {
  it('escalates plain-worded organisation-scale deliverables and keeps look-alikes on given material local', () => {
    const cloud = [
      'Put together a threat model for our mobile banking app.',
      'Go through all of our vendor contracts and tell me which ones expose us to liability if a supplier gets breached.',
    ];
    const local = [
      'Review this sentence for typos: "Teh meeting is moved to Tuesday."',
      'Sort all of these employee names alphabetically: Zoe, Adam, Maya, Liam.',
      'Draft a short plan for my weekend trip to Rome.',
    ];
    for (const t of cloud) expect(predict(t), t).toBe('cloud');
    for (const t of local) expect(predict(t), t).toBe('local');
    const a = assessComplexity(cloud[1]);
    expect(a.features.review).toBe(1);
    expect(a.features.scope).toBeGreaterThan(0);
    expect(a.reasons.join(' ')).toMatch(/demands: a review/);
  });
});

describe('fresh set written blind (round 2, never tuned on)', () => {
  const fresh = readFileSync(fileURLToPath(new URL('../../data/router/complexity-fresh.jsonl', import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; label: 'local' | 'cloud'; split: string })
    .filter((r) => r.split === 'fresh-2');

  it('keeps at least the agreement and escalation measured when it was frozen (77.5%, 23 of 40)', () => {
    expect(fresh.length).toBe(80);
    const agree = fresh.filter((r) => predict(r.text) === r.label).length;
    const escalated = fresh.filter((r) => r.label === 'cloud' && predict(r.text) === 'cloud').length;
    expect(agree).toBeGreaterThanOrEqual(62);
    expect(escalated).toBeGreaterThanOrEqual(23);
  });
});
