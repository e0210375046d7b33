// The bank times its finds (patterns/find-times.ts): stats().findLatency counts every find answered and reports the
// p50/p99/max of the last 1,000, nearest rank, so a benchmark can put the server's own time beside its round trip.
import { afterEach, describe, expect, it } from 'vitest';
import { FindTimes } from '../../src/engine/patterns/find-times.js';
import { closeOpenBanks, openBank } from '../helpers/banks.js';

afterEach(closeOpenBanks);

describe('find latency', () => {
  it('summarises the last 1,000 finds by nearest rank', () => {
    const t = new FindTimes();
    expect(t.summary()).toEqual({ finds: 0, window: 0, p50Ms: null, p99Ms: null, maxMs: null });
    // 1,500 finds: 1..1500 ms; the window holds the last 1,000 (501..1500)
    for (let i = 1; i <= 1500; i++) t.add(i);
    expect(t.summary()).toEqual({ finds: 1500, window: 1000, p50Ms: 1000, p99Ms: 1490, maxMs: 1500 });
    const few = new FindTimes();
    for (const ms of [3, 1, 2]) few.add(ms);
    expect(few.summary()).toEqual({ finds: 3, window: 3, p50Ms: 2, p99Ms: 3, maxMs: 3 });
  });

  it("a bank's stats count its finds and time them", async () => {
    const { bank } = await openBank();
    await bank.store({ task: 'Cache the npm install between CI runs', approach: 'actions/cache keyed on the lockfile', quality: 0.8 });
    for (let i = 0; i < 5; i++) await bank.find({ query: 'cache npm install in CI', k: 1 });
    await expect(bank.find({ query: '   ' })).rejects.toThrow();
    const l = (await bank.stats()).findLatency;
    expect([l.finds, l.window]).toEqual([5, 5]);
    expect(l.p50Ms).toBeGreaterThan(0);
    expect(l.p99Ms!).toBeGreaterThanOrEqual(l.p50Ms!);
    expect(l.maxMs).toBe(l.p99Ms);
  });
});
