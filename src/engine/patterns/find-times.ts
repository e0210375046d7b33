/**
 * How long this process's finds took (inside the server: from the bank's find call to its answer, without the MCP
 * transport), over the last WINDOW finds: what `ruvllm://stats` reports as `patterns.findLatency`, so a benchmark can
 * put the server's own p99 beside the round trip its client measured.
 */
const WINDOW = 1000;

export interface FindLatency {
  /** Finds timed since the process started. */
  finds: number;
  /** Over the last `window` finds (fewer when fewer were made): p50, p99 and the slowest, ms. */
  window: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export class FindTimes {
  private readonly ms = new Float64Array(WINDOW);
  private n = 0;

  add(ms: number): void {
    this.ms[this.n % WINDOW] = ms;
    this.n++;
  }

  summary(): FindLatency {
    const k = Math.min(this.n, WINDOW);
    if (!k) return { finds: 0, window: 0, p50Ms: null, p99Ms: null, maxMs: null };
    const s = this.ms.slice(0, k).sort();
    // nearest rank, as the benchmarks compute theirs (bench/_util.mjs percentile)
    const at = (p: number) => s[Math.min(k - 1, Math.max(0, Math.ceil((p / 100) * k) - 1))];
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return { finds: this.n, window: k, p50Ms: r(at(50)), p99Ms: r(at(99)), maxMs: r(s[k - 1]) };
  }
}
