/**
 * A find: the query's vector side (HNSW, filtered) and lexical side (full-text candidates), merged into one
 * candidate set and ranked by the hybrid score (vector 0.75, lexical 0.25 by default); the recommendation and
 * the usage counts of the matches.
 */
import type { PatternFilter, PatternRow } from '../store/patterns-repo.js';
import type { BankState } from './bank-state.js';
import { syncForFind } from './index-sync.js';
import { lexicalCandidates, lexicalLimit, lexicalScores, lexicalTerms, type LexicalCandidates } from './lexical.js';
import { dot } from './merging.js';
import { MAX_TEXT, normTags, toPattern } from './pattern-input.js';
import { recommend, round4 } from './recommend.js';
import type { FindQuery, FindResult, PatternMatch } from './types.js';
import type { UsageCounter } from './usage.js';

function filterOf(q: FindQuery): PatternFilter | null {
  const f: PatternFilter = {};
  if (q.minQuality !== undefined) f.minQuality = q.minQuality;
  if (q.domain !== undefined) f.domain = q.domain;
  if (q.agentId !== undefined) f.agentId = q.agentId;
  if (q.converged !== undefined) f.converged = q.converged;
  if (q.tags && q.tags.length) f.tags = normTags(q.tags);
  return Object.keys(f).length ? f : null;
}

export async function find(s: BankState, usage: UsageCounter, q: FindQuery): Promise<FindResult> {
  s.ensureOpen();
  const k = q.k ?? 5;
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new Error(`k must be an integer from 1 to 100, got ${k}`);
  if (q.minQuality !== undefined && !(q.minQuality >= 0 && q.minQuality <= 1))
    throw new Error(`minQuality must be from 0 to 1, got ${q.minQuality}`);
  let text: string;
  let vec: Float32Array | null = null;
  let exclude = -1;
  if (q.patternId) {
    if (typeof q.patternId !== 'string') throw new Error('pattern id must be a non-empty string');
    const r = await s.repo.rowById(q.patternId);
    if (!r) throw new Error(`unknown pattern id "${q.patternId}"; list patterns to see existing ids`);
    text = r.task;
    exclude = r.seq;
    vec = s.embedder ? await s.repo.vectorOf(r.seq, s.activeId, s.activeDim) : null;
  } else if (typeof q.query === 'string' && q.query.trim()) {
    text = q.query;
    if (text.length > MAX_TEXT) throw new Error(`query must be at most ${MAX_TEXT} characters`);
  } else {
    throw new Error('find needs a query text or a patternId');
  }
  if (!vec && s.embedder) vec = (await s.embedder.embed([text]))[0];
  s.ensureOpen();
  if (!s.switching) await syncForFind(s);
  return await rank(s, usage, text, vec, q, k, exclude);
}

async function rank(
  s: BankState,
  usage: UsageCounter,
  text: string,
  vec: Float32Array | null,
  q: FindQuery,
  k: number,
  exclude: number,
): Promise<FindResult> {
  const filter = filterOf(q);
  const nCand = Math.max(k * 2, 20);
  if (s.repo.findRows) return await rankOneQuery(s, usage, text, vec, filter, k, exclude, nCand);
  const cand = new Map<number, { v: number; l: number }>();
  // the vector search runs in the index worker while this thread does the lexical candidate search
  const pendingHits = vec ? s.index.search(vec, nCand + 1) : null;
  pendingHits?.catch(() => undefined); // awaited below; no unhandled rejection if the lexical side throws first
  const lexical = await lexicalCandidates(s, text, filter, k);
  // vector side
  if (vec) {
    let hits = await pendingHits!;
    if (filter) {
      const ok = await s.repo.filterSeqs(
        hits.map((h) => h.label),
        filter,
      );
      const kept = hits.filter((h) => ok.has(h.label));
      if (kept.length < k + 1) {
        const allowed = await s.repo.filterSeqs(null, filter);
        hits = allowed.size ? await s.index.search(vec, nCand + 1, allowed) : [];
      } else hits = kept;
    }
    for (const h of hits) if (h.label !== exclude) cand.set(h.label, { v: h.sim, l: 0 });
  }
  // lexical side: full-text search finds candidates through the query's rarer terms (bounded posting-list
  // work), then every candidate gets a lexical score (lexical.ts)
  const { lex } = lexical;
  const only = lex.filter((x) => x !== exclude && !cand.has(x));
  for (const x of only) cand.set(x, { v: 0, l: 0 });
  // the candidates' rows, and the stored vectors of the lexical-only ones (their vector similarity: hnswlib's getPoint
  // is slow), asked together: one round trip to a remote database instead of three
  const [rowList, vecs] = await Promise.all([
    cand.size ? s.repo.rowsBySeqs([...cand.keys()]) : [],
    vec && only.length ? s.repo.vectorsOf(only, s.activeId, vec.length) : new Map<number, Float32Array>(),
  ]);
  for (const [seq, v] of vecs) cand.get(seq)!.v = dot(v, vec!);
  return await score(s, usage, text, vec, k, lexical, cand, rowList);
}

/**
 * A find on a repository reached over the network (findRows, PostgreSQL): the vector hits come from the local
 * replica and the terms' frequencies from the cache, then one query brings the text candidates, the rows of all
 * candidates (with whether they pass the filter) and the lexical-only candidates' vectors: one round trip, where
 * text search, then rows and vectors, were two in a row. A filter that leaves fewer than k + 1 hits searches the
 * index again among the allowed patterns (more round trips, as on the other path).
 */
async function rankOneQuery(
  s: BankState,
  usage: UsageCounter,
  text: string,
  vec: Float32Array | null,
  filter: PatternFilter | null,
  k: number,
  exclude: number,
  nCand: number,
): Promise<FindResult> {
  const pendingHits = vec ? s.index.search(vec, nCand + 1) : null;
  pendingHits?.catch(() => undefined);
  const terms = await lexicalTerms(s, text);
  let hits = pendingHits ? await pendingHits : [];
  const got = await s.repo.findRows!({
    seqs: hits.map((h) => h.label),
    terms: terms.pick,
    filter,
    limit: lexicalLimit(k),
    embedder: s.activeId,
    dim: vec ? vec.length : s.activeDim,
  });
  const rowsBySeq = new Map<number, PatternRow & { ok?: boolean }>();
  for (const r of got.rows) rowsBySeq.set(r.seq, r);
  const vecs = got.vecs;
  if (vec && filter) {
    const kept = hits.filter((h) => rowsBySeq.get(h.label)?.ok);
    if (kept.length < k + 1) {
      const allowed = await s.repo.filterSeqs(null, filter);
      hits = allowed.size ? await s.index.search(vec, nCand + 1, allowed) : [];
    } else hits = kept;
  }
  const cand = new Map<number, { v: number; l: number }>();
  for (const h of hits) if (h.label !== exclude) cand.set(h.label, { v: h.sim, l: 0 });
  const only = got.lex.filter((x) => x !== exclude && !cand.has(x));
  for (const x of only) cand.set(x, { v: 0, l: 0 });
  // after a filtered search again: the rows and vectors the one query did not bring
  const noRow: number[] = [];
  for (const x of cand.keys()) if (!rowsBySeq.has(x)) noRow.push(x);
  const noVec = vec ? only.filter((x) => !vecs.has(x)) : [];
  if (noRow.length || noVec.length) {
    const [more, moreVecs] = await Promise.all([
      noRow.length ? s.repo.rowsBySeqs(noRow) : [],
      noVec.length ? s.repo.vectorsOf(noVec, s.activeId, vec!.length) : new Map<number, Float32Array>(),
    ]);
    for (const r of more) rowsBySeq.set(r.seq, r);
    for (const [seq, v] of moreVecs) vecs.set(seq, v);
  }
  if (vec)
    for (const x of only) {
      const v = vecs.get(x);
      if (v) cand.get(x)!.v = dot(v, vec);
    }
  const rowList: PatternRow[] = [];
  for (const x of cand.keys()) {
    const r = rowsBySeq.get(x);
    if (r) rowList.push(r);
  }
  return await score(s, usage, text, vec, k, { idf: terms.idf, terms: terms.terms, lex: got.lex }, cand, rowList);
}

/** Scores the candidates (lexical score from their task texts) and returns the best k with the recommendation. */
async function score(
  s: BankState,
  usage: UsageCounter,
  text: string,
  vec: Float32Array | null,
  k: number,
  lexical: LexicalCandidates,
  cand: Map<number, { v: number; l: number }>,
  rowList: PatternRow[],
): Promise<FindResult> {
  const full = new Map<number, PatternRow>();
  const rows = new Map<number, string>();
  for (const r of rowList) {
    full.set(r.seq, r);
    rows.set(r.seq, r.task);
  }
  for (const [seq, l] of await lexicalScores(s, text, lexical, rows)) {
    const c = cand.get(seq);
    if (c) c.l = l;
  }
  const wv = vec ? s.opts.weights.vector : 0;
  const wl = vec ? s.opts.weights.lexical : 1;
  // in the candidates' order, then sorted (stable): ties keep it
  const all: { seq: number; v: number; l: number; score: number }[] = [];
  for (const [seq, c] of cand) if (rows.has(seq)) all.push({ seq, v: c.v, l: c.l, score: wv * c.v + wl * c.l });
  const scored = all.sort((a, b) => b.score - a.score).slice(0, k);
  const matches: PatternMatch[] = [];
  for (const x of scored) {
    const row = full.get(x.seq);
    if (!row) continue;
    const p = toPattern(row);
    p.uses += usage.pending(x.seq) + 1;
    matches.push({ pattern: p, score: round4(x.score), vectorScore: round4(x.v), lexicalScore: round4(x.l) });
  }
  if (matches.length) usage.record(scored.map((x) => x.seq));
  return { matches, recommendation: recommend(matches), embedder: s.embedder ? s.activeId : 'lexical-only (re-embedding)' };
}

/** Diagnostic: raw nearest neighbours of a vector in the active index (labels are pattern_vectors.seq). */
export async function vectorSearch(s: BankState, vec: Float32Array, k: number): Promise<{ seq: number; sim: number }[]> {
  return (await s.index.search(vec, k)).map((h) => ({ seq: h.label, sim: h.sim }));
}
