// The find's JS BM25 (patterns/lexical.ts) scores candidates without a list of terms or a map per task
// (forEachTerm, counts of the query's stems only): the same terms and the same floats as lexTerms and bm25.
import { describe, expect, it } from 'vitest';
import type { BankState } from '../../src/engine/patterns/bank-state.js';
import { stem } from '../../src/engine/patterns/hashed-embedder.js';
import { bm25, forEachTerm, lexicalScores, lexTerms } from '../../src/engine/patterns/lexical.js';

const texts = [
  'Speed up the Docker image build of the billing service',
  'a b c 1 22 the of and',
  'İstanbul ÉCOLE naïve café-au-lait x86_64 utf8/UTF-16 v2.3.4',
  '  leading and trailing  ',
  '',
  '!!!',
  'cache caching cached caches CACHE; run running runs ran',
  'k8s 2024-11-27T10:00:00Z ids: pat_abc123, pat_DEF456',
];

function terms(text: string): string[] {
  const out: string[] = [];
  forEachTerm(text, (t) => out.push(t));
  return out;
}

describe('lexical scoring', () => {
  it('forEachTerm yields exactly lexTerms', () => {
    for (const t of texts) expect(terms(t)).toEqual(lexTerms(t));
  });

  it("lexicalScores equals bm25 over each task's stem counts, float for float", async () => {
    const s = { opts: { lexicalScoring: 'js-bm25' } } as unknown as BankState;
    const query = 'make the cached docker build of billing run faster, caching builds';
    const idf = new Map<string, number>();
    let i = 0;
    for (const t of lexTerms(query)) idf.set(stem(t), 0.37 + 1.3 * i++);
    idf.delete(stem('make')); // a query term not in the bank
    const tasks = new Map(texts.map((t, k) => [k + 1, t]));
    const got = await lexicalScores(s, query, { idf, terms: [], lex: [] }, tasks);
    // the reference: the maps bm25 was given before
    const q = new Map<string, number>();
    for (const t of lexTerms(query)) if (idf.has(stem(t))) q.set(stem(t), (q.get(stem(t)) ?? 0) + 1);
    const self = bm25(
      q,
      q,
      [...q.values()].reduce((a, b) => a + b, 0),
      idf,
    );
    const want = new Map<number, number>();
    for (const [seq, task] of tasks) {
      const d = new Map<string, number>();
      for (const t of lexTerms(task)) d.set(stem(t), (d.get(stem(t)) ?? 0) + 1);
      want.set(seq, Math.min(1, bm25(q, d, lexTerms(task).length, idf) / self));
    }
    expect([...got]).toEqual([...want]);
    expect([...got.values()].some((v) => v > 0 && v < 1)).toBe(true);
  });
});

describe('stem', () => {
  it("answers a number (not cached) and a word as the Porter stemmer (package 'stemmer') does", async () => {
    const { stemmer } = await import('stemmer');
    const words = ['0', '7', '42', '007', '12345', '98765432109876543210', 'running', 'indexes', 'http2', 'utf8', 'v2', '2024s', 'caching'];
    for (const w of words) expect(stem(w)).toBe(stemmer(w));
    for (let i = 0; i < 5000; i += 7) expect(stem(String(i))).toBe(String(i));
  });
});
