import { describe, expect, it } from 'vitest';
import { defaultFeaturize, DEFAULT_FEATURE_DIM } from '../../src/engine/router/learner.js';
import { KnnLearner } from '../../src/engine/router/knn-learner.js';

function family(seed: number, dim: number, noise: number, rnd: () => number): Float32Array {
  const v = new Float32Array(dim);
  for (let i = 0; i < dim; i++) v[i] = (i % 4 === seed ? 1 : 0) + (rnd() - 0.5) * noise;
  return v;
}
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe('KnnLearner (nearest-neighbour vote on an hnswlib graph)', () => {
  it('learns per-family success from outcomes, failures included', () => {
    const rnd = lcg(1);
    const l = new KnnLearner({ dim: 32 });
    for (let i = 0; i < 64; i++) l.add('local', family(i % 2, 32, 0.2, rnd), i % 2 === 0 ? 0 : 1);
    const st = l.stats();
    expect(st.local).toBe(64);
    expect(st.patterns).toBe(64);
    const a = l.evidence('local', family(0, 32, 0.2, rnd));
    const b = l.evidence('local', family(1, 32, 0.2, rnd));
    expect(a.successRate!).toBeLessThan(0.1);
    expect(b.successRate!).toBeGreaterThan(0.9);
    expect(a.samples).toBe(16);
    expect(l.evidence('cloud', family(0, 32, 0.2, rnd))).toEqual({ samples: 0, successRate: null });
    expect(l.evidence('local', family(3, 32, 0.05, rnd)).successRate).toBeNull();
  });

  it('keeps outcomes per local model, and only the most recent maxHistory of each', () => {
    const rnd = lcg(2);
    const l = new KnnLearner({ dim: 32, maxHistory: 40 });
    for (let i = 0; i < 40; i++) l.add('local', family(0, 32, 0.2, rnd), 0, 'small');
    expect(l.evidence('local', family(0, 32, 0.2, rnd), 'small').successRate!).toBeLessThan(0.1);
    expect(l.evidence('local', family(0, 32, 0.2, rnd), 'large')).toEqual({ samples: 0, successRate: null });
    // newer outcomes overwrite the oldest in place
    for (let i = 0; i < 40; i++) l.add('local', family(0, 32, 0.2, rnd), 1, 'small');
    expect(l.stats().patterns).toBe(40);
    expect(l.evidence('local', family(0, 32, 0.2, rnd), 'small').successRate!).toBeGreaterThan(0.9);
  });

  it('rejects vectors of the wrong size', () => {
    const l = new KnnLearner({ dim: 16 });
    expect(() => l.add('local', new Float32Array(8), 1)).toThrow(/8 dimensions, the learner was built for 16/);
  });

  it('default featurizer: deterministic, unit length, paraphrases close, unrelated tasks far', () => {
    const a = defaultFeaturize('Write a regex that validates RFC 5322 email addresses including quoted local parts.');
    const a2 = defaultFeaturize('Write a regex validating RFC 5322 email addresses with quoted local parts.');
    const b = defaultFeaturize('Translate to French: the meeting moved to Thursday.');
    expect(a.length).toBe(DEFAULT_FEATURE_DIM);
    expect(defaultFeaturize('Write a regex that validates RFC 5322 email addresses including quoted local parts.')).toEqual(a);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(dot(a, a)).toBeCloseTo(1, 5);
    expect(dot(a, a2)).toBeGreaterThan(0.6);
    expect(dot(a, b)).toBeLessThan(0.3);
  });
});
