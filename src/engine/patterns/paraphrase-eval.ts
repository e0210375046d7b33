/**
 * Paraphrase retrieval evaluation: every query must find its own task among all
 * task descriptions of the set. Used by the tests and the benchmark; the TF-IDF
 * baseline is measured the same way in the same run.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tokenize } from './hashed-embedder.js';

export interface ParaphraseItem {
  id: string;
  task: string;
  query: string;
  split: 'tune' | 'holdout';
}

export const PARAPHRASE_SET_PATH = fileURLToPath(new URL('../../../data/patterns/paraphrase-set.jsonl', import.meta.url));

export function loadParaphraseSet(file: string = PARAPHRASE_SET_PATH): ParaphraseItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const o = JSON.parse(l) as ParaphraseItem;
      if (!o.id || !o.task || !o.query || (o.split !== 'tune' && o.split !== 'holdout')) {
        throw new Error(`${file}:${i + 1}: each line needs id, task, query and split ("tune" | "holdout")`);
      }
      return o;
    });
}

export interface RecallResult {
  queries: number;
  corpus: number;
  recallAt1: number;
  recallAt5: number;
  /** Ids of queries whose task was not ranked first. */
  misses: string[];
}

/** Ranks all tasks for each query of `split` by cosine of the given vectors. */
export function evaluateVectors(
  items: ParaphraseItem[],
  split: 'tune' | 'holdout' | 'all',
  vec: (text: string, role: 'task' | 'query') => Float32Array,
): RecallResult {
  const corpus = items.map((it) => ({ id: it.id, v: vec(it.task, 'task') }));
  const qs = items.filter((it) => split === 'all' || it.split === split);
  let r1 = 0;
  let r5 = 0;
  const misses: string[] = [];
  for (const q of qs) {
    const qv = vec(q.query, 'query');
    const target = corpus.find((c) => c.id === q.id)!;
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

export function cosine(a: Float32Array, b: Float32Array): number {
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
export function tfidfVectorizer(corpusTexts: string[]): (text: string) => Float32Array {
  const df = new Map<string, number>();
  for (const t of corpusTexts) for (const w of new Set(tokenize(t))) df.set(w, (df.get(w) ?? 0) + 1);
  const vocab = [...df.keys()];
  const index = new Map(vocab.map((w, i) => [w, i]));
  const n = corpusTexts.length;
  return (text) => {
    const v = new Float32Array(vocab.length);
    for (const w of tokenize(text)) {
      const i = index.get(w);
      if (i !== undefined) v[i] += Math.log((1 + n) / (1 + df.get(w)!)) + 1;
    }
    return v;
  };
}

export function evaluateTfidf(items: ParaphraseItem[], split: 'tune' | 'holdout' | 'all'): RecallResult {
  const vz = tfidfVectorizer(items.map((i) => i.task));
  return evaluateVectors(items, split, (t) => vz(t));
}

/** The paraphrase sets shipped in data/patterns (see src/engine/patterns/README.md). */
export const PARAPHRASE_SETS = {
  /** 80 tasks with one paraphrase each, split tune / holdout. */
  main: PARAPHRASE_SET_PATH,
  /** The same 80 tasks with paraphrases that share (almost) no words with the task, split tune / holdout. */
  hard: fileURLToPath(new URL('../../../data/patterns/paraphrase-hard.jsonl', import.meta.url)),
  /** 60 independently written pairs, all holdout, written after the embedder was tuned: evaluation only. */
  fresh: fileURLToPath(new URL('../../../data/patterns/paraphrase-fresh.jsonl', import.meta.url)),
} as const;

export interface RecallPair {
  r1: number;
  r5: number;
}

export interface ParaphraseComparison {
  set: string;
  split: 'tune' | 'holdout' | 'all';
  queries: number;
  corpus: number;
  embedder: RecallPair;
  /** TF-IDF fitted on the same task corpus, measured in the same call. */
  tfidf: RecallPair;
}

/** Recall of `embed` and of the TF-IDF baseline on one split of one paraphrase set file. */
export function compareWithTfidf(
  embed: (text: string) => Float32Array,
  file: string,
  split: 'tune' | 'holdout' | 'all',
  name: string = file,
): ParaphraseComparison {
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
