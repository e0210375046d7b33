/**
 * Paraphrase retrieval evaluation: every query must find its own task among all
 * task descriptions of the set. Used by the tests (test/patterns/embedder.test.ts) and the benchmark
 * (bench/patterns.mjs); the TF-IDF baseline is measured the same way in the same run. Not part of the
 * shipped package (eval/ is outside src/ and package.json "files"); it uses the compiled tokenizer in dist/
 * (`npm run build` first; the tests' global setup rebuilds dist/ when a source is newer).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tokenize } from '../dist/engine/patterns/hashed-embedder.js';

/** @typedef {{ id: string; task: string; query: string; split: 'tune' | 'holdout' }} ParaphraseItem */
/** @typedef {{ queries: number; corpus: number; recallAt1: number; recallAt5: number; misses: string[] }} RecallResult */
/** @typedef {{ r1: number; r5: number }} RecallPair */
/** @typedef {{ set: string; split: 'tune' | 'holdout' | 'all'; queries: number; corpus: number; embedder: RecallPair; tfidf: RecallPair }} ParaphraseComparison */

export const PARAPHRASE_SET_PATH = fileURLToPath(new URL('../data/patterns/paraphrase-set.jsonl', import.meta.url));

/** @returns {ParaphraseItem[]} */
export function loadParaphraseSet(file = PARAPHRASE_SET_PATH) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      /** @type {ParaphraseItem} */
      const o = JSON.parse(l);
      if (!o.id || !o.task || !o.query || (o.split !== 'tune' && o.split !== 'holdout')) {
        throw new Error(`${file}:${i + 1}: each line needs id, task, query and split ("tune" | "holdout")`);
      }
      return o;
    });
}

/** Ranks all tasks for each query of `split` by cosine of the given vectors. */
/**
 * @param {ParaphraseItem[]} items
 * @param {'tune' | 'holdout' | 'all'} split
 * @param {(text: string, role: 'task' | 'query') => Float32Array} vec
 * @returns {RecallResult}
 */
export function evaluateVectors(items, split, vec) {
  const corpus = items.map((it) => ({ id: it.id, v: vec(it.task, 'task') }));
  const qs = items.filter((it) => split === 'all' || it.split === split);
  let r1 = 0;
  let r5 = 0;
  const misses = [];
  for (const q of qs) {
    const qv = vec(q.query, 'query');
    const target = corpus.find((c) => c.id === q.id);
    const ts = cosine(qv, target.v);
    // rank = number of other tasks scoring strictly higher (ties count against us)
    let better = 0;
    for (const c of corpus) if (c.id !== q.id && cosine(qv, c.v) >= ts) better++;
    if (better === 0) r1++;
    else misses.push(q.id);
    if (better < 5) r5++;
  }
  return { queries: qs.length, corpus: corpus.length, recallAt1: r1 / qs.length, recallAt5: r5 / qs.length, misses };
}

/** @param {Float32Array} a @param {Float32Array} b */
export function cosine(a, b) {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? d / Math.sqrt(na * nb) : 0;
}

/** The baseline: TF-IDF over lower-cased words, IDF fitted on the task corpus, no stemming or stopwords. */
/** @param {string[]} corpusTexts @returns {(text: string) => Float32Array} */
export function tfidfVectorizer(corpusTexts) {
  const df = new Map();
  for (const t of corpusTexts) for (const w of new Set(tokenize(t))) df.set(w, (df.get(w) ?? 0) + 1);
  const vocab = [...df.keys()];
  const index = new Map(vocab.map((w, i) => [w, i]));
  const n = corpusTexts.length;
  return (text) => {
    const v = new Float32Array(vocab.length);
    for (const w of tokenize(text)) {
      const i = index.get(w);
      if (i !== undefined) v[i] += Math.log((1 + n) / (1 + df.get(w))) + 1;
    }
    return v;
  };
}

/** @param {ParaphraseItem[]} items @param {'tune' | 'holdout' | 'all'} split @returns {RecallResult} */
export function evaluateTfidf(items, split) {
  const vz = tfidfVectorizer(items.map((i) => i.task));
  return evaluateVectors(items, split, (t) => vz(t));
}

/** The paraphrase sets shipped in data/patterns (see src/engine/patterns/README.md). */
export const PARAPHRASE_SETS = {
  /** 80 tasks with one paraphrase each, split tune / holdout. */
  main: PARAPHRASE_SET_PATH,
  /** The same 80 tasks with paraphrases that share (almost) no words with the task, split tune / holdout. */
  hard: fileURLToPath(new URL('../data/patterns/paraphrase-hard.jsonl', import.meta.url)),
  /** 60 independently written pairs, all holdout, written after the embedder was tuned: evaluation only. */
  fresh: fileURLToPath(new URL('../data/patterns/paraphrase-fresh.jsonl', import.meta.url)),
};

/** Recall of `embed` and of the TF-IDF baseline on one split of one paraphrase set file. */
/**
 * @param {(text: string) => Float32Array} embed
 * @param {string} file
 * @param {'tune' | 'holdout' | 'all'} split
 * @returns {ParaphraseComparison}
 */
export function compareWithTfidf(embed, file, split, name = file) {
  const items = loadParaphraseSet(file);
  const ours = evaluateVectors(items, split, (t) => embed(t));
  const base = evaluateTfidf(items, split);
  return {
    set: name,
    split,
    queries: ours.queries,
    corpus: ours.corpus,
    embedder: { r1: ours.recallAt1, r5: ours.recallAt5 },
    tfidf: { r1: base.recallAt1, r5: base.recallAt5 },
  };
}
