/**
 * The lexical side of a find: the query's terms, their document frequencies (cached), the full-text candidates
 * through the query's rarer terms, and the score of each candidate in [0, 1]. Two scorings:
 * - 'js-bm25' (default): BM25 over each candidate's task text computed here (stems, k1 1.2, b 0.75, a fixed
 *   average length of 8 content words), normalised by the query's score against itself;
 * - 'fts5-bm25': the database's own BM25 over task, approach and tags (weights 1.0, 0.3, 0.2), normalised by
 *   the best candidate's. Measured against each other in bench/patterns.mjs (see README.md).
 */
import type { BankState } from './bank-state.js';
import { isStopword, stem } from './hashed-embedder.js';
import type { PatternFilter } from '../store/patterns-repo.js';

/** Upper bound on posting-list entries the lexical candidate query may touch (keeps find fast at 100k+). */
const LEX_POSTING_BUDGET = 400;

/** Terms as FTS5's unicode61 tokenizer sees them (lower-case alphanumeric runs), minus stopwords. */
export function lexTerms(text: string): string[] {
  const out: string[] = [];
  for (const t of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) if (!isStopword(t)) out.push(t);
  return out;
}

/** Calls `fn` with each of lexTerms(text), in order, without building the list (a find scores dozens of tasks). */
export function forEachTerm(text: string, fn: (t: string) => void): void {
  const s = text.toLowerCase();
  const n = s.length;
  let i = 0;
  while (i < n) {
    let c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) {
      i++;
      continue;
    }
    const start = i;
    do c = s.charCodeAt(++i);
    while (i < n && ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)));
    const t = s.slice(start, i);
    if (!isStopword(t)) fn(t);
  }
}

export function bm25(q: Map<string, number>, d: Map<string, number>, dlen: number, idf: Map<string, number>): number {
  const k1 = 1.2;
  const b = 0.75;
  const avg = 8; // typical task length in content words
  let s = 0;
  for (const [t, qn] of q) {
    const f = d.get(t);
    if (!f) continue;
    s += qn * (idf.get(t) ?? 0) * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * dlen) / avg)));
  }
  return s;
}

async function docCount(s: BankState): Promise<number> {
  if (s.docs < 0) s.docs = await s.repo.count();
  return s.docs;
}

/** Documents containing a term (posting list length), cached until the bank changes by ~5%. */
async function docFreq(s: BankState, term: string): Promise<number> {
  const hit = s.dfCache.get(term);
  if (hit !== undefined) return hit;
  const n = await s.repo.docFreq(term);
  if (s.dfCache.size > 20_000) s.dfCache.clear();
  s.dfCache.set(term, n);
  return n;
}

export interface LexicalCandidates {
  /** idf of the (stemmed) query terms found in the bank. */
  idf: Map<string, number>;
  /** The query terms found in the bank, as the database tokenises them. */
  terms: string[];
  lex: number[];
}

/** The query's terms found in the bank, their idf, and the rarer ones to search (bounded posting-list work). */
export interface LexicalTerms {
  idf: Map<string, number>;
  terms: string[];
  /** The terms the full-text candidate search asks for (empty: no candidates). */
  pick: string[];
}

/** How many full-text candidates a find of k asks for. */
export function lexicalLimit(k: number): number {
  return Math.max(k + 5, 15);
}

/** The query's terms with their document frequencies (cached) and idf, and the rarer ones to search for. */
export async function lexicalTerms(s: BankState, text: string): Promise<LexicalTerms> {
  const terms = [...new Set(lexTerms(text))].slice(0, 32);
  const idf = new Map<string, number>();
  if (!terms.length) return { idf, terms: [], pick: [] };
  const N = Math.max(1, await docCount(s));
  // asked together: a repository may answer them in one round trip (PostgreSQL does)
  const dfs = await Promise.all(terms.map((t) => docFreq(s, t)));
  const withDf = terms.flatMap((t, i) => (dfs[i] > 0 ? [{ t, df: dfs[i] }] : []));
  for (const x of withDf) idf.set(stem(x.t), Math.log(1 + (N - x.df + 0.5) / (x.df + 0.5)));
  const found = withDf.map((x) => x.t);
  withDf.sort((a, b) => a.df - b.df);
  const pick: string[] = [];
  let budget = LEX_POSTING_BUDGET;
  for (const x of withDf) {
    if (x.df > budget) break;
    pick.push(x.t);
    budget -= x.df;
  }
  return { idf, terms: found, pick };
}

/** Full-text candidates through the query's rarer terms (bounded posting-list work) and the terms' idf. */
export async function lexicalCandidates(s: BankState, text: string, filter: PatternFilter | null, k: number): Promise<LexicalCandidates> {
  const { idf, terms, pick } = await lexicalTerms(s, text);
  if (!pick.length) return { idf, terms, lex: [] };
  const lex = await s.repo.textSearch(pick, filter, lexicalLimit(k));
  return { idf, terms, lex: lex.map((r) => r.seq) };
}

/** Lexical scores in [0, 1] of the candidates (whose task texts are given), by the bank's configured scoring. */
export async function lexicalScores(
  s: BankState,
  text: string,
  lc: LexicalCandidates,
  tasks: Map<number, string>,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!lc.idf.size) return out;
  if (s.opts.lexicalScoring === 'fts5-bm25') {
    const raw = await s.repo.textScores(lc.terms, [...tasks.keys()]);
    let best = 0;
    for (const v of raw.values()) best = Math.max(best, v);
    if (best > 0) for (const [seq, v] of raw) out.set(seq, Math.max(0, v) / best);
    return out;
  }
  const qTerms = new Map<string, number>();
  for (const t of lexTerms(text)) {
    const st = stem(t);
    if (lc.idf.has(st)) qTerms.set(st, (qTerms.get(st) ?? 0) + 1);
  }
  const self = bm25(
    qTerms,
    qTerms,
    [...qTerms.values()].reduce((a, b) => a + b, 0),
    lc.idf,
  );
  if (self <= 0) return out;
  // bm25(qTerms, the task's stem counts, its length, idf) without a map per task: only the query's stems are counted
  // (bm25 reads no other), in an array in qTerms' order, and summed in that order (the same floats)
  const qIndex = new Map<string, number>();
  const qn: number[] = [];
  const qIdf: number[] = [];
  for (const [t, n] of qTerms) {
    qIndex.set(t, qn.length);
    qn.push(n);
    qIdf.push(lc.idf.get(t) ?? 0);
  }
  const f = new Array<number>(qn.length);
  const k1 = 1.2;
  const b = 0.75;
  const avg = 8;
  for (const [seq, task] of tasks) {
    f.fill(0);
    let len = 0;
    forEachTerm(task, (t) => {
      const i = qIndex.get(stem(t));
      if (i !== undefined) f[i]++;
      len++;
    });
    let sc = 0;
    for (let i = 0; i < qn.length; i++) {
      if (!f[i]) continue;
      sc += qn[i] * qIdf[i] * ((f[i] * (k1 + 1)) / (f[i] + k1 * (1 - b + (b * len) / avg)));
    }
    out.set(seq, Math.min(1, sc / self));
  }
  return out;
}
