/**
 * Learning from outcomes with @ruvector/sona.
 *
 * One SonaEngine per route ("local", "cloud"). Every reported outcome becomes a
 * trajectory: the task's feature vector as the query embedding, one step with
 * the reward, the route set on the trajectory, and the outcome quality
 * (success ? quality ?? 1 : 0) as the trajectory quality. Every `batchSize`
 * outcomes the engine runs a learning cycle (forceLearn), which clusters the
 * batch into learned patterns (centroid, size, average quality). A query looks
 * up the nearest learned patterns (findPatterns) and, for outcomes not yet in a
 * learned batch, the pending buffer exactly, so a failure counts from the very
 * next decision. Evidence = similarity-weighted average quality of the
 * patterns/samples whose cosine similarity to the query passes `minSimilarity`.
 */
import { SonaEngine } from '@ruvector/sona';
import { assessComplexity } from './complexity.js';

export interface Evidence {
  /** Outcomes behind the evidence (sum of cluster sizes + pending samples that matched). */
  samples: number;
  /** Similarity-weighted mean quality on this route, null without matching samples. */
  successRate: number | null;
}

export interface LearnerOptions {
  dim: number;
  /** Outcomes per learning cycle. Default 8. */
  batchSize?: number;
  /** Cosine similarity a learned pattern or sample needs to count as "similar". Default 0.6 (paraphrases of one task score 0.7-0.9 with the default featurizer, different tasks of the same type 0.2-0.45). */
  minSimilarity?: number;
  /** Patterns looked up per query. Default 8. */
  k?: number;
}

interface Sample {
  vec: Float32Array;
  quality: number;
}

/**
 * Sona drops learned clusters whose average quality is (close to) zero: measured with 0.9.x, batches of
 * 0.0- or 0.01-quality trajectories yield no patterns while 0.05 does. Failures are exactly what we need
 * to remember, so outcome quality q in [0,1] is stored as FLOOR + (1 - FLOOR) * q and mapped back on lookup.
 */
const SONA_FLOOR = 0.1;
const toSona = (q: number) => SONA_FLOOR + (1 - SONA_FLOOR) * q;
const fromSona = (q: number) => Math.max(0, Math.min(1, (q - SONA_FLOOR) / (1 - SONA_FLOOR)));

class RouteMemory {
  readonly engine: SonaEngine;
  pending: Sample[] = [];
  learned = 0;
  cycles = 0;
  private readonly attention: number[];

  constructor(private readonly dim: number, private readonly batchSize: number) {
    this.engine = SonaEngine.withConfig({
      hiddenDim: dim,
      embeddingDim: dim,
      // Failures must be learned too (see SONA_FLOOR): nothing is filtered by quality.
      qualityThreshold: 0,
      // Each learning cycle clusters one batch; a few clusters per batch keep distinct task families apart.
      patternClusters: Math.max(2, Math.ceil(batchSize / 2)),
      trajectoryCapacity: 10_000,
      // No timer-driven background cycles: learning happens when a batch is full (and at rebuild).
      backgroundIntervalMs: 2_147_483_647,
    });
    this.attention = new Array<number>(dim).fill(1 / dim);
  }

  add(vec: Float32Array, quality: number, route: string): void {
    const q = Array.from(vec);
    const id = this.engine.beginTrajectory(q);
    this.engine.setTrajectoryRoute(id, route);
    this.engine.addTrajectoryStep(id, q, this.attention, toSona(quality));
    this.engine.endTrajectory(id, toSona(quality));
    this.pending.push({ vec, quality });
    if (this.pending.length >= this.batchSize) this.learn();
  }

  learn(): void {
    if (this.pending.length === 0) return;
    this.engine.forceLearn();
    this.learned += this.pending.length;
    this.cycles++;
    this.pending = [];
  }

  evidence(query: Float32Array, k: number, minSim: number): Evidence {
    let wSum = 0;
    let qSum = 0;
    let samples = 0;
    if (this.learned > 0) {
      for (const p of this.engine.findPatterns(Array.from(query), k)) {
        const sim = cosine(query, p.centroid);
        if (sim < minSim) continue;
        const w = p.clusterSize * sim * sim;
        wSum += w;
        qSum += w * fromSona(p.avgQuality);
        samples += p.clusterSize;
      }
    }
    for (const s of this.pending) {
      const sim = dot(query, s.vec);
      if (sim < minSim) continue;
      const w = sim * sim;
      wSum += w;
      qSum += w * s.quality;
      samples++;
    }
    return { samples, successRate: wSum > 0 ? qSum / wSum : null };
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function cosine(a: Float32Array, b: ArrayLike<number>): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? s / Math.sqrt(na * nb) : 0;
}

export class OutcomeLearner {
  readonly dim: number;
  private readonly k: number;
  private readonly minSim: number;
  private readonly memories: Record<'local' | 'cloud', RouteMemory>;

  constructor(opts: LearnerOptions) {
    if (!(Number.isInteger(opts.dim) && opts.dim >= 8 && opts.dim <= 4096)) throw new Error(`feature dimension must be an integer in [8, 4096], got ${opts.dim}`);
    this.dim = opts.dim;
    this.k = opts.k ?? 8;
    this.minSim = opts.minSimilarity ?? 0.6;
    const batch = opts.batchSize ?? 8;
    this.memories = { local: new RouteMemory(opts.dim, batch), cloud: new RouteMemory(opts.dim, batch) };
  }

  add(route: 'local' | 'cloud', vec: Float32Array, quality: number): void {
    if (vec.length !== this.dim) throw new Error(`feature vector has ${vec.length} dimensions, the learner was built for ${this.dim}`);
    this.memories[route].add(vec, Math.max(0, Math.min(1, quality)), route);
  }

  /** Closes the open batches (used after a rebuild and in tests). */
  flush(): void {
    this.memories.local.learn();
    this.memories.cloud.learn();
  }

  evidence(route: 'local' | 'cloud', vec: Float32Array): Evidence {
    return this.memories[route].evidence(vec, this.k, this.minSim);
  }

  stats(): { local: number; cloud: number; cycles: number; patterns: number } {
    let patterns = 0;
    for (const m of Object.values(this.memories)) {
      try {
        patterns += (JSON.parse(m.engine.getStats()) as { patterns_stored?: number }).patterns_stored ?? 0;
      } catch {
        /* stats are informative only */
      }
    }
    return {
      local: this.memories.local.learned + this.memories.local.pending.length,
      cloud: this.memories.cloud.learned + this.memories.cloud.pending.length,
      cycles: this.memories.local.cycles + this.memories.cloud.cycles,
      patterns,
    };
  }
}

// ---------------------------------------------------------------- default featurizer

export const DEFAULT_FEATURE_DIM = 128;
const HASHED = DEFAULT_FEATURE_DIM - 16;
const TYPES = ['classify', 'extract', 'summarize', 'translate', 'format', 'rewrite', 'qa', 'generate', 'code_simple', 'explain', 'analyze', 'implement', 'debug', 'optimize', 'plan', 'design', 'architecture', 'prove'];

function fnv1a(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Cheap deterministic task features (default `featurize`): hashed word unigrams
 * and bigrams of the first 1,500 characters (signed feature hashing into 112
 * buckets), plus 16 dimensions from the complexity assessment (task type,
 * reasoning, domain, constraints, steps, size, code). L2-normalised.
 */
export function defaultFeaturize(text: string): Float32Array {
  const v = new Float32Array(DEFAULT_FEATURE_DIM);
  const t = text.slice(0, 1500).toLowerCase();
  const words: [number, number][] = [];
  const re = /[a-z0-9][a-z0-9+#.-]*/g;
  for (let m = re.exec(t); m; m = re.exec(t)) words.push([m.index, m.index + m[0].length]);
  let prev = -1;
  for (const [s, e] of words) {
    const h = fnv1a(t, s, e);
    v[h % HASHED] += h & 0x80000000 ? -1 : 1;
    if (prev >= 0) {
      const hb = (Math.imul(prev, 31) ^ h) >>> 0;
      v[hb % HASHED] += (hb & 0x40000000 ? -0.5 : 0.5);
    }
    prev = h;
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
