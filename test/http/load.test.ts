// 50 concurrent HTTP clients against the spawned server (the quick form of bench/load.mjs):
// every call answered without error. Speed is reported by `npm run bench`, not asserted here.
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM benchmark module without type declarations
import { run } from '../../bench/load.mjs';

describe('load over HTTP', () => {
  it('50 concurrent clients making mixed route_task / find_similar_patterns calls get zero errors', { timeout: 360_000 }, async () => {
    const r = await run({ quick: true });
    process.stderr.write(`load (quick): ${JSON.stringify(r.figures)}\n`);
    expect(r.figures.mixed.firstErrors).toEqual([]);
    expect(r.figures.mixed.errors).toBe(0);
    expect(r.figures.pingBaseline.errors).toBe(0);
    expect(r.figures.mixed.calls).toBe(50 * r.figures.callsPerClient);
    expect(r.figures.zeroErrors).toBe(true);
  });
});
