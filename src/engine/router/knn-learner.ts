/**
 * A plain nearest-neighbour vote over the outcome history. Each route (and, for local, each model) keeps its
 * most recent outcomes (a ring of `maxHistory`, default 4,096) as unit feature vectors in an hnswlib graph;
 * evidence for a task is the similarity-weighted (sim²) mean quality of the k = 16 most similar past outcomes
 * whose cosine similarity passes `minSimilarity`.
 */
import hnswlib from 'hnswlib-node';
import type { Evidence, Learner, LearnerOptions } from './learner.js';

const { HierarchicalNSW } = hnswlib;
type HierarchicalNSW = InstanceType<typeof HierarchicalNSW>;
/** Candidates hnswlib explores per lookup (k is 16): recall of the 16 nearest is near-exact at this size. */
const EF_SEARCH = 64;

const MAX_LOCAL_MODELS = 16;

/**
 * One route's (or one local model's) most recent outcomes: an hnswlib graph over their unit feature vectors
 * (inner product = cosine) whose labels are slots of a ring; the oldest slot is overwritten in place.
 */
class Ring {
  private readonly hnsw: HierarchicalNSW;
  readonly qual: Float32Array;
  n = 0;
  next = 0;
  added = 0;
  constructor(
    dim: number,
    readonly capacity: number,
  ) {
    this.hnsw = new HierarchicalNSW('ip', dim);
    this.hnsw.initIndex({ maxElements: capacity, m: 16, efConstruction: 64, randomSeed: 7 });
    this.hnsw.setEf(EF_SEARCH);
    this.qual = new Float32Array(capacity);
  }
  add(v: number[], q: number): void {
    // a label already in the graph is updated in place (hnswlib repairs its links)
    this.hnsw.addPoint(v, this.next, false);
    this.qual[this.next] = q;
    this.next = (this.next + 1) % this.capacity;
    if (this.n < this.capacity) this.n++;
    this.added++;
  }
  nearest(q: number[], k: number): { distances: number[]; neighbors: number[] } {
    return this.hnsw.searchKnn(q, Math.min(k, this.n));
  }
}

export class KnnLearner implements Learner {
  readonly dim: number;
  private readonly minSim: number;
  private readonly k: number;
  private readonly capacity: number;
  private readonly rings = new Map<string, Ring>();

  constructor(opts: LearnerOptions & { k?: number }) {
    if (!(Number.isInteger(opts.dim) && opts.dim >= 8 && opts.dim <= 4096))
      throw new Error(`feature dimension must be an integer in [8, 4096], got ${opts.dim}`);
    this.dim = opts.dim;
    this.minSim = opts.minSimilarity ?? 0.6;
    this.k = opts.k ?? 16;
    this.capacity = Math.min(opts.maxHistory ?? 4096, 1 << 16);
  }

  private ring(route: 'local' | 'cloud', model: string | null | undefined, create: boolean): Ring | undefined {
    const key = route === 'cloud' ? 'cloud' : `local:${model ?? ''}`;
    let r = this.rings.get(key);
    if (r) {
      this.rings.delete(key);
      this.rings.set(key, r);
      return r;
    }
    if (!create) return undefined;
    r = new Ring(this.dim, this.capacity);
    this.rings.set(key, r);
    const locals = [...this.rings.keys()].filter((k) => k !== 'cloud');
    if (locals.length > MAX_LOCAL_MODELS) this.rings.delete(locals[0]);
    return r;
  }

  add(route: 'local' | 'cloud', vec: Float32Array, quality: number, model?: string | null): void {
    if (vec.length !== this.dim) throw new Error(`feature vector has ${vec.length} dimensions, the learner was built for ${this.dim}`);
    this.ring(route, model, true)!.add(this.unitArray(vec), Math.max(0, Math.min(1, quality)));
  }

  evidence(route: 'local' | 'cloud', vec: Float32Array, model?: string | null): Evidence {
    const r = this.ring(route, model, false);
    if (!r || r.n === 0) return { samples: 0, successRate: null };
    const { distances, neighbors } = r.nearest(this.unitArray(vec), this.k);
    let samples = 0;
    let w = 0;
    let q = 0;
    for (let i = 0; i < neighbors.length; i++) {
      const sim = 1 - distances[i];
      if (sim < this.minSim) continue;
      const s2 = sim * sim;
      w += s2;
      q += s2 * r.qual[neighbors[i]];
      samples++;
    }
    return samples === 0 ? { samples: 0, successRate: null } : { samples, successRate: q / w };
  }

  /** A unit-length copy as the plain array hnswlib takes. */
  private unitArray(vec: Float32Array): number[] {
    let n = 0;
    for (let i = 0; i < vec.length; i++) n += vec[i] * vec[i];
    n = Math.sqrt(n) || 1;
    const out = new Array<number>(vec.length);
    for (let i = 0; i < vec.length; i++) out[i] = vec[i] / n;
    return out;
  }

  stats(): { local: number; cloud: number; patterns: number; localModels: number } {
    const out = { local: 0, cloud: 0, patterns: 0, localModels: 0 };
    for (const [key, r] of this.rings) {
      if (key === 'cloud') out.cloud += r.added;
      else {
        out.local += r.added;
        out.localModels++;
      }
      out.patterns += r.n;
    }
    return out;
  }
}
