/**
 * The plain alternative to the Sona-backed learner: a nearest-neighbour vote over the outcome history.
 * Each route (and, for local, each model) keeps its most recent outcomes as unit feature vectors in one
 * flat Float32Array ring; evidence for a task is the similarity-weighted (sim²) mean quality of the k most
 * similar past outcomes whose cosine similarity passes `minSimilarity`. Same interface as OutcomeLearner.
 */
import type { Evidence, LearnerOptions } from './learner.js';

const MAX_LOCAL_MODELS = 16;

function argMin(a: Float32Array, n: number): number {
  let m = 0;
  for (let t = 1; t < n; t++) if (a[t] < a[m]) m = t;
  return m;
}

class Ring {
  readonly vecs: Float32Array;
  readonly qual: Float32Array;
  n = 0;
  next = 0;
  added = 0;
  constructor(
    private readonly dim: number,
    readonly capacity: number,
  ) {
    this.vecs = new Float32Array(dim * capacity);
    this.qual = new Float32Array(capacity);
  }
  add(v: Float32Array, q: number): void {
    this.vecs.set(v, this.next * this.dim);
    this.qual[this.next] = q;
    this.next = (this.next + 1) % this.capacity;
    if (this.n < this.capacity) this.n++;
    this.added++;
  }
}

export class KnnLearner {
  readonly dim: number;
  private readonly minSim: number;
  private readonly k: number;
  private readonly capacity: number;
  private readonly rings = new Map<string, Ring>();
  // scratch for the k best (similarity, index) of one query
  private readonly topSim: Float32Array;
  private readonly topQ: Float32Array;

  constructor(opts: LearnerOptions & { k?: number }) {
    if (!(Number.isInteger(opts.dim) && opts.dim >= 8 && opts.dim <= 4096)) throw new Error(`feature dimension must be an integer in [8, 4096], got ${opts.dim}`);
    this.dim = opts.dim;
    this.minSim = opts.minSimilarity ?? 0.6;
    this.k = opts.k ?? 16;
    this.capacity = Math.min(opts.maxHistory ?? 4096, 1 << 16);
    this.topSim = new Float32Array(this.k);
    this.topQ = new Float32Array(this.k);
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
    let n = 0;
    for (let i = 0; i < vec.length; i++) n += vec[i] * vec[i];
    n = Math.sqrt(n);
    const u = new Float32Array(vec.length);
    if (n > 0) for (let i = 0; i < vec.length; i++) u[i] = vec[i] / n;
    this.ring(route, model, true)!.add(u, Math.max(0, Math.min(1, quality)));
  }

  bulk(fn: () => void): void {
    fn();
  }
  settle(): void {}
  async idle(): Promise<void> {}
  flush(): void {}

  evidence(route: 'local' | 'cloud', vec: Float32Array, model?: string | null): Evidence {
    const r = this.ring(route, model, false);
    if (!r || r.n === 0) return { samples: 0, successRate: null };
    let qn = 0;
    for (let i = 0; i < vec.length; i++) qn += vec[i] * vec[i];
    qn = Math.sqrt(qn) || 1;
    const d = this.dim;
    const k = this.k;
    const topSim = this.topSim;
    const topQ = this.topQ;
    let found = 0;
    let worst = 0; // index of the smallest kept similarity once full
    const vecs = r.vecs;
    for (let j = 0; j < r.n; j++) {
      let sim = 0;
      const o = j * d;
      for (let i = 0; i < d; i++) sim += vec[i] * vecs[o + i];
      sim /= qn;
      if (sim < this.minSim) continue;
      if (found < k) {
        topSim[found] = sim;
        topQ[found] = r.qual[j];
        found++;
        if (found === k) worst = argMin(topSim, k);
      } else if (sim > topSim[worst]) {
        topSim[worst] = sim;
        topQ[worst] = r.qual[j];
        worst = argMin(topSim, k);
      }
    }
    if (found === 0) return { samples: 0, successRate: null };
    let w = 0;
    let q = 0;
    for (let t = 0; t < found; t++) {
      const s2 = topSim[t] * topSim[t];
      w += s2;
      q += s2 * topQ[t];
    }
    return { samples: found, successRate: q / w };
  }

  stats(): { local: number; cloud: number; cycles: number; patterns: number; compactions: number; localModels: number } {
    const out = { local: 0, cloud: 0, cycles: 0, patterns: 0, compactions: 0, localModels: 0 };
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
