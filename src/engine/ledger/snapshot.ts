/**
 * The ledger's in-memory snapshot of its newest successful completions: what the router's policy step reads while
 * it decides, synchronously and without touching the store (Ledger.estimate's local tokens/s, recentLatencyP50).
 *
 * Loaded from the ledger repository when the ledger is built (Ledger.ready resolves then), updated after every
 * completion the ledger records itself (once it committed), and reloaded in the background when it is more than
 * REFRESH_MS old and read again, or when the store reports another process's commits (the engine wires
 * Store.onExternalChange to Ledger.refreshSnapshot): other processes' completions show within about a second.
 */

/** Latencies kept per backend and over all backends (recentLatencyP50 reads at most this many). */
export const SNAPSHOT_LATENCIES = 200;
/** Tokens/s of the newest successful completions kept for the estimate's median. */
export const SNAPSHOT_TPS = 1000;
/** A snapshot older than this is reloaded in the background when read. */
export const REFRESH_MS = 1000;

export interface SnapshotLoad {
  /** Newest first, at most SNAPSHOT_LATENCIES each. */
  all: number[];
  byBackend: Map<string, number[]>;
  /** Tokens/s (> 0) of the newest SNAPSHOT_TPS successful completions, any order. */
  tps: number[];
}

export class RecentCompletions {
  private all: number[] = [];
  private byBackend = new Map<string, number[]>();
  private tps: number[] = [];
  /** Tokens/s of completions recorded since the load (the load's values carry no order to drop the oldest by). */
  private tpsSince: number[] = [];
  /** Moves on every change: memos of computed medians are keyed by it. */
  version = 0;
  /** performance.now() of the last load (-Infinity: never loaded). */
  loadedAt = -Infinity;

  replace(load: SnapshotLoad, at: number): void {
    this.all = load.all.slice(0, SNAPSHOT_LATENCIES);
    this.byBackend = new Map([...load.byBackend].map(([b, v]) => [b, v.slice(0, SNAPSHOT_LATENCIES)]));
    this.tps = load.tps.slice(0, SNAPSHOT_TPS);
    this.tpsSince = [];
    this.loadedAt = at;
    this.version++;
  }

  /** A completion this process recorded (after its commit). */
  add(c: { backend: string; ok: boolean; latencyMs: number; tokensPerSecond: number }): void {
    if (!c.ok) return;
    const push = (list: number[], v: number) => {
      list.unshift(v);
      if (list.length > SNAPSHOT_LATENCIES) list.length = SNAPSHOT_LATENCIES;
    };
    push(this.all, c.latencyMs);
    let b = this.byBackend.get(c.backend);
    if (!b) this.byBackend.set(c.backend, (b = []));
    push(b, c.latencyMs);
    if (c.tokensPerSecond > 0) {
      this.tpsSince.push(c.tokensPerSecond);
      if (this.tpsSince.length > SNAPSHOT_TPS) this.tpsSince.splice(0, this.tpsSince.length - SNAPSHOT_TPS);
    }
    this.version++;
  }

  /** Latencies of the newest successful completions (of one backend if given), newest first. */
  latencies(backend?: string): readonly number[] {
    return backend ? (this.byBackend.get(backend) ?? []) : this.all;
  }

  /**
   * Tokens/s of about the newest SNAPSHOT_TPS successful completions: the loaded ones and those recorded since
   * (until the next load trims them back to SNAPSHOT_TPS).
   */
  tokensPerSecond(): readonly number[] {
    if (this.tpsSince.length >= SNAPSHOT_TPS) return this.tpsSince;
    return this.tpsSince.length ? [...this.tps, ...this.tpsSince] : this.tps;
  }
}
