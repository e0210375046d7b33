/**
 * What the router's learners share: the evidence a lookup returns, their options and interface, and the
 * default task featurizer. The learner itself is the nearest-neighbour vote in knn-learner.ts: measured in
 * bench/router-sim.mjs against the @ruvector/sona learner this project used before, it routed as well or
 * better (acceptance 0.794 / 0.801 vs 0.784 / 0.783 over two drift scenarios, three seeds) with cheaper
 * lookups and adds, so Sona was removed.
 */
import { assessComplexity } from './complexity.js';
import { TASK_TYPES } from './complexity-model.js';

/**
 * Most recent outcomes replayed into the learner at start. The ledger's day rollup keeps the decisions of this many
 * newest outcomes (their features are the learner's evidence) whatever their age.
 */
export const REPLAY_OUTCOMES = 8192;

export interface Evidence {
  /** Past outcomes behind the evidence (similar enough to count). */
  samples: number;
  /** Similarity-weighted mean quality on this route, null without matching samples. */
  successRate: number | null;
}

export interface LearnerOptions {
  dim: number;
  /** Cosine similarity a past outcome needs to count as "similar". Default 0.6 (paraphrases of one task score 0.7-0.9 with the default featurizer, different tasks of the same type 0.2-0.45). */
  minSimilarity?: number;
  /** Recent outcomes kept per route (and per local model). Default 4096. */
  maxHistory?: number;
}

/** Outcomes by route and, on the local route, by model; the router asks for evidence on similar tasks. */
export interface Learner {
  readonly dim: number;
  add(route: 'local' | 'cloud', vec: Float32Array, quality: number, model?: string | null): void;
  evidence(route: 'local' | 'cloud', vec: Float32Array, model?: string | null): Evidence;
  stats(): { local: number; cloud: number; patterns: number; localModels: number };
}

// ---------------------------------------------------------------- default featurizer

export const DEFAULT_FEATURE_DIM = 128;
const HASHED = DEFAULT_FEATURE_DIM - 16;
const TYPES: readonly string[] = TASK_TYPES; // one-hot position of the task type in the feature vector

/**
 * Cheap deterministic task features (default `featurize`): hashed word unigrams
 * and bigrams of the first 1,500 characters (signed feature hashing into 112
 * buckets), plus 16 dimensions from the complexity assessment (task type,
 * reasoning, domain, constraints, steps, size, code). L2-normalised.
 */
export function defaultFeaturize(text: string): Float32Array {
  const v = new Float32Array(DEFAULT_FEATURE_DIM);
  // Hand-rolled tokenizer (no regex match objects, no substrings): words are runs of [a-z0-9+#.-], case-folded.
  const end = Math.min(text.length, 1500);
  let prev = -1;
  let h = 0x811c9dc5;
  let inWord = false;
  for (let i = 0; i <= end; i++) {
    let c = i < end ? text.charCodeAt(i) : 32;
    if (c >= 65 && c <= 90) c += 32;
    const wordChar = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (inWord && (c === 43 || c === 35 || c === 46 || c === 45));
    if (wordChar) {
      h ^= c;
      h = Math.imul(h, 0x01000193);
      inWord = true;
    } else if (inWord) {
      const w = h >>> 0;
      v[w % HASHED] += w & 0x80000000 ? -1 : 1;
      if (prev >= 0) {
        const hb = (Math.imul(prev, 31) ^ w) >>> 0;
        v[hb % HASHED] += hb & 0x40000000 ? -0.5 : 0.5;
      }
      prev = w;
      h = 0x811c9dc5;
      inWord = false;
    }
  }
  // normalise the hashed part to unit length, then append weighted complexity features
  let n = 0;
  for (let i = 0; i < HASHED; i++) n += v[i] * v[i];
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < HASHED; i++) v[i] /= n;
  const c = assessComplexity(text);
  const f = c.features;
  const ti = TYPES.indexOf(c.taskType);
  const o = HASHED;
  v[o + (ti >= 0 ? ti % 8 : 7)] += 0.5;
  v[o + 8] = 0.5 * c.score;
  v[o + 9] = 0.1 * Math.min(5, f.reasoning);
  v[o + 10] = 0.1 * Math.min(5, f.domain);
  v[o + 11] = 0.1 * Math.min(5, f.constraints);
  v[o + 12] = 0.1 * Math.min(5, f.steps);
  v[o + 13] = 0.1 * Math.min(5, Math.log10(1 + f.tokens));
  v[o + 14] = 0.2 * f.hasCode;
  v[o + 15] = 0.1;
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i] * v[i];
  m = Math.sqrt(m) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= m;
  return v;
}
