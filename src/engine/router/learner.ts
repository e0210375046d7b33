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
 * next decision. The learned patterns are copied out of the engine after each
 * cycle into a flat Float32Array, so a lookup is one allocation-free scan. Evidence = similarity-weighted average quality of the
 * patterns/samples whose cosine similarity to the query passes `minSimilarity`.
 */
import { SonaEngine } from '@ruvector/sona';
import { assessComplexity } from './complexity.js';
import { logger } from '../log.js';

const log = logger('router');

export interface Evidence {
  /** Outcomes behind the evidence (sum of cluster sizes + pending samples that matched). */
  samples: number;
  /** Similarity-weighted mean quality on this route, null without matching samples. */
  successRate: number | null;
}

export interface LearnerOptions {
  dim: number;
  /** Outcomes per learning cycle at first (grows to learned/8, at most 128). Default 8. */
  batchSize?: number;
  /** Cosine similarity a learned pattern or sample needs to count as "similar". Default 0.6 (paraphrases of one task score 0.7-0.9 with the default featurizer, different tasks of the same type 0.2-0.45). */
  minSimilarity?: number;
  /**
   * Similarity a learned pattern's (unit) centroid needs. Higher than for single outcomes: the centroid of
   * a cluster that mixed two unrelated tasks still scores ~0.74 against each of them. Default 0.78.
   */
  minPatternSimilarity?: number;
  /** Learned patterns kept per route before the engine is compacted. Default 1024. */
  maxPatterns?: number;
  /** Recent outcomes kept per route for compaction. Default 8192. */
  maxHistory?: number;
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
const MAX_BATCH = 128;
/** Learned patterns per learning cycle. */
const CLUSTERS_PER_CYCLE = 8;
const toSona = (q: number) => SONA_FLOOR + (1 - SONA_FLOOR) * q;
const fromSona = (q: number) => Math.max(0, Math.min(1, (q - SONA_FLOOR) / (1 - SONA_FLOOR)));

class RouteMemory {
  engine: SonaEngine;
  pending: Sample[] = [];
  learned = 0;
  cycles = 0;
  compactions = 0;
  /** Recent outcomes (normalised vectors), the material a compaction re-learns from. */
  private history: Sample[] = [];
  private readonly attention: number[];
  // Mirror of the engine's learned patterns: unit centroids row-major, cluster sizes, qualities (outcome scale).
  private cent = new Float32Array(0);
  private size = new Float32Array(0);
  private qual = new Float32Array(0);
  private n = 0;
  bulk = false;
  private compacting: Promise<void> | null = null;
  private next: SonaEngine | null = null;

  constructor(
    private readonly dim: number,
    private readonly batchSize: number,
    private readonly maxPatterns: number,
    private readonly maxHistory: number,
  ) {
    this.engine = this.newEngine(CLUSTERS_PER_CYCLE);
    this.attention = new Array<number>(dim).fill(1 / dim);
  }

  private newEngine(clusters: number): SonaEngine {
    return SonaEngine.withConfig({
      hiddenDim: this.dim,
      embeddingDim: this.dim,
      // Failures must be learned too (see SONA_FLOOR): nothing is filtered by quality.
      qualityThreshold: 0,
      // Each learning cycle clusters one batch into this many learned patterns.
      patternClusters: clusters,
      trajectoryCapacity: 10_000,
      // No timer-driven background cycles: learning happens when a batch is full (and at rebuild).
      backgroundIntervalMs: 2_147_483_647,
    });
  }

  private feed(engine: SonaEngine, s: Sample, route: string): void {
    const q = Array.from(s.vec);
    const id = engine.beginTrajectory(q);
    engine.setTrajectoryRoute(id, route);
    engine.addTrajectoryStep(id, q, this.attention, toSona(s.quality));
    engine.endTrajectory(id, toSona(s.quality));
  }

  add(vec: Float32Array, quality: number, route: string): void {
    const s = { vec, quality };
    this.feed(this.engine, s, route);
    if (this.next) this.feed(this.next, s, route);
    this.pending.push(s);
    this.history.push(s);
    if (this.history.length > this.maxHistory) this.history.splice(0, this.history.length - this.maxHistory);
    // The batch grows with experience (learned / 8, capped at 128): Sona keeps every learned pattern and
    // its learning cycle slows down as they accumulate (measured: 3 ms at 400 patterns, 72 ms at 1,600),
    // so later outcomes are summarised in larger batches. Outcomes waiting for a cycle are matched exactly.
    // During a start-up replay (bulk) history is summarised in full-size batches: fewer, cheaper cycles.
    if (this.pending.length >= (this.bulk ? MAX_BATCH : this.scheduledBatch())) this.learn(route);
  }

  private scheduledBatch(): number {
    return Math.min(MAX_BATCH, Math.max(this.batchSize, Math.floor(this.learned / 8)));
  }

  /** After a replay: runs the cycle the live schedule would already have run for the outcomes still pending. */
  settle(route: string): void {
    if (this.pending.length >= this.scheduledBatch()) this.learn(route);
  }

  learn(route = 'local'): void {
    if (this.pending.length === 0) return;
    this.engine.forceLearn();
    this.learned += this.pending.length;
    this.cycles++;
    this.pending = [];
    const stored = this.bulk ? storedPatterns(this.engine) : -1;
    if (!this.bulk) this.refresh();
    if ((this.bulk ? stored : this.n) > this.maxPatterns) this.compact(route);
  }

  /**
   * Sona keeps every learned pattern (8 per learning cycle). Past maxPatterns, a fresh engine learns the
   * recent history in larger batches, so the same outcomes are summarised by about maxPatterns / 2
   * clusters and lookups stay bounded. A learning cycle costs ~0.3 ms per outcome, so outside a start-up
   * replay the new engine is built one batch per event-loop turn while the old one keeps serving;
   * outcomes that arrive meanwhile are fed to both. `idle()` resolves when no compaction is running.
   */
  private compact(route: string): void {
    if (this.compacting) return;
    const hist = this.history.slice();
    const clusters = 8;
    const batch = Math.max(this.batchSize, Math.ceil((hist.length * clusters) / Math.max(clusters, Math.floor(this.maxPatterns / 2))));
    const engine = this.newEngine(clusters);
    const swap = () => {
      this.engine = engine;
      this.compactions++;
      this.next = null;
      if (!this.bulk) this.refresh();
    };
    if (this.bulk) {
      for (let i = 0; i < hist.length; i += batch) {
        for (const s of hist.slice(i, i + batch)) this.feed(engine, s, route);
        engine.forceLearn();
      }
      swap();
      return;
    }
    this.next = engine;
    this.compacting = new Promise<void>((resolve) => {
      let i = 0;
      const step = () => {
        try {
          for (const s of hist.slice(i, i + batch)) this.feed(engine, s, route);
          engine.forceLearn();
          i += batch;
          if (i < hist.length) {
            setImmediate(step);
            return;
          }
          engine.forceLearn(); // outcomes fed to both engines while this ran
          swap();
        } catch (e) {
          this.next = null;
          log.error('compacting the routing learner failed; keeping the current one', { error: (e as Error).message });
        }
        this.compacting = null;
        resolve();
      };
      setImmediate(step);
    });
  }

  /** Resolves when no compaction is running. */
  idle(): Promise<void> {
    return this.compacting ?? Promise.resolve();
  }

  /** Copies the learned patterns out of the engine once per learning cycle (lookups then allocate nothing). */
  refresh(): void {
    const zero = new Array<number>(this.dim).fill(0);
    const ps = this.engine.findPatterns(zero, 1_000_000);
    const d = this.dim;
    const cent = new Float32Array(ps.length * d);
    const size = new Float32Array(ps.length);
    const qual = new Float32Array(ps.length);
    let n = 0;
    for (const p of ps) {
      let norm = 0;
      for (let i = 0; i < d; i++) norm += p.centroid[i] * p.centroid[i];
      norm = Math.sqrt(norm);
      if (!(norm > 0)) continue;
      for (let i = 0; i < d; i++) cent[n * d + i] = p.centroid[i] / norm;
      size[n] = p.clusterSize;
      qual[n] = fromSona(p.avgQuality);
      n++;
    }
    this.cent = cent;
    this.size = size;
    this.qual = qual;
    this.n = n;
  }

  get patterns(): number {
    return this.n;
  }

  evidence(query: Float32Array, minSim: number, minPatternSim: number): Evidence {
    let wSum = 0;
    let qSum = 0;
    let samples = 0;
    const d = this.dim;
    const cent = this.cent;
    for (let j = 0; j < this.n; j++) {
      let sim = 0;
      const o = j * d;
      for (let i = 0; i < d; i++) sim += query[i] * cent[o + i];
      // a one-outcome pattern is that outcome: it gets the single-outcome threshold
      if (sim < (this.size[j] <= 1 ? minSim : minPatternSim)) continue;
      const w = this.size[j] * sim * sim;
      wSum += w;
      qSum += w * this.qual[j];
      samples += this.size[j];
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

function storedPatterns(engine: SonaEngine): number {
  try {
    return (JSON.parse(engine.getStats()) as { patterns_stored?: number }).patterns_stored ?? 0;
  } catch {
    return 0;
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** A unit-length copy (zero vectors stay zero). */
function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n);
  const out = new Float32Array(v.length);
  if (n > 0) for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

/** Local models whose outcomes are kept apart; past this the least recently used model's memory is dropped. */
const MAX_LOCAL_MODELS = 16;

/**
 * Outcomes are kept per route and, on the local route, per model: what a 0.5B model failed at says little
 * about a 32B one, so after hot_swap_model the new model starts from its own evidence (and the rules).
 */
export class OutcomeLearner {
  readonly dim: number;
  private readonly minSim: number;
  private readonly minPatternSim: number;
  private readonly batch: number;
  private readonly maxPatterns: number;
  private readonly maxHistory: number;
  private readonly memories = new Map<string, RouteMemory>();

  constructor(opts: LearnerOptions) {
    if (!(Number.isInteger(opts.dim) && opts.dim >= 8 && opts.dim <= 4096)) throw new Error(`feature dimension must be an integer in [8, 4096], got ${opts.dim}`);
    this.dim = opts.dim;
    this.minSim = opts.minSimilarity ?? 0.6;
    this.minPatternSim = opts.minPatternSimilarity ?? 0.78;
    this.batch = opts.batchSize ?? 8;
    this.maxPatterns = opts.maxPatterns ?? 1024;
    this.maxHistory = opts.maxHistory ?? 8192;
  }

  private static key(route: 'local' | 'cloud', model?: string | null): string {
    return route === 'cloud' ? 'cloud' : `local:${model ?? ''}`;
  }

  private memory(route: 'local' | 'cloud', model: string | null | undefined, create: boolean): RouteMemory | undefined {
    const key = OutcomeLearner.key(route, model);
    let m = this.memories.get(key);
    if (m) {
      // most recently used last
      this.memories.delete(key);
      this.memories.set(key, m);
      return m;
    }
    if (!create) return undefined;
    m = new RouteMemory(this.dim, this.batch, this.maxPatterns, this.maxHistory);
    this.memories.set(key, m);
    const locals = [...this.memories.keys()].filter((k) => k !== 'cloud');
    if (locals.length > MAX_LOCAL_MODELS) this.memories.delete(locals[0]);
    return m;
  }

  /** Records an outcome on a route (and, for local, the model that ran it). */
  add(route: 'local' | 'cloud', vec: Float32Array, quality: number, model?: string | null): void {
    if (vec.length !== this.dim) throw new Error(`feature vector has ${vec.length} dimensions, the learner was built for ${this.dim}`);
    const m = this.memory(route, model, true)!;
    if (this.inBulk) m.bulk = true;
    m.add(unit(vec), Math.max(0, Math.min(1, quality)), route);
  }

  private inBulk = false;

  /** Replays many outcomes (start-up rebuild): pattern mirrors are refreshed once at the end. */
  bulk(fn: () => void): void {
    this.inBulk = true;
    for (const m of this.memories.values()) m.bulk = true;
    try {
      fn();
    } finally {
      this.inBulk = false;
      for (const m of this.memories.values()) {
        m.bulk = false;
        m.refresh();
      }
    }
  }

  /** Ends a replay: outcomes still pending get the learning cycle the live schedule would have given them. */
  settle(): void {
    for (const [k, m] of this.memories) m.settle(k === 'cloud' ? 'cloud' : 'local');
  }

  /** Resolves when no background compaction is running. */
  async idle(): Promise<void> {
    await Promise.all([...this.memories.values()].map((m) => m.idle()));
  }

  /** Closes the open batches (used in tests). */
  flush(): void {
    for (const [k, m] of this.memories) m.learn(k === 'cloud' ? 'cloud' : 'local');
  }

  /** Evidence from similar past tasks on a route (for local: on that model). */
  evidence(route: 'local' | 'cloud', vec: Float32Array, model?: string | null): Evidence {
    const m = this.memory(route, model, false);
    return m ? m.evidence(unit(vec), this.minSim, this.minPatternSim) : { samples: 0, successRate: null };
  }

  stats(): { local: number; cloud: number; cycles: number; patterns: number; compactions: number; localModels: number } {
    const out = { local: 0, cloud: 0, cycles: 0, patterns: 0, compactions: 0, localModels: 0 };
    for (const [k, m] of this.memories) {
      const n = m.learned + m.pending.length;
      if (k === 'cloud') out.cloud += n;
      else {
        out.local += n;
        out.localModels++;
      }
      out.cycles += m.cycles;
      out.patterns += m.patterns;
      out.compactions += m.compactions;
    }
    return out;
  }
}

// ---------------------------------------------------------------- default featurizer

export const DEFAULT_FEATURE_DIM = 128;
const HASHED = DEFAULT_FEATURE_DIM - 16;
const TYPES = ['classify', 'extract', 'summarize', 'translate', 'format', 'rewrite', 'qa', 'generate', 'code_simple', 'explain', 'analyze', 'implement', 'debug', 'optimize', 'plan', 'design', 'architecture', 'prove'];

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
