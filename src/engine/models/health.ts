/**
 * Backend health: one circuit breaker per backend (a local backend such as
 * "llama-cpp" or "openai-compat", and "cloud" when the host reports cloud
 * outcomes) plus a rolling latency median.
 *
 * closed --(failureThreshold consecutive failures)--> open
 * open --(openMs elapsed; canUse() lets one probe through)--> half_open
 * half_open --success--> closed ; half_open --failure--> open (timer restarts)
 * A half-open probe that never reports back is given up after openMs and another one is allowed.
 *
 * Health is a property of the backends, so it lives with the models; the engine owns one registry,
 * the completion path records into it and the router reads it (and records the host's cloud outcomes).
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BackendHealth {
  backend: string;
  state: BreakerState;
  failures: number;
  successes: number;
  lastError?: string;
  latencyP50Ms: number | null;
}

export interface HealthOptions {
  /** Consecutive failures that open the breaker. Default 3. */
  failureThreshold?: number;
  /** How long an open breaker rejects calls before a half-open probe. Default 30 000 ms. */
  openMs?: number;
  /** Latency samples kept per backend for the median. Default 100. */
  latencyWindow?: number;
  now?: () => number;
}

interface Breaker {
  state: BreakerState;
  consecutiveFailures: number;
  failures: number;
  successes: number;
  openedAt: number;
  probeAt: number | null;
  lastError?: string;
  lastChangeAt: number;
  latencies: number[];
  latencyPos: number;
}

export interface BackendHealthDetail extends BackendHealth {
  consecutiveFailures: number;
  /** When an open breaker will allow a probe (epoch ms), if open. */
  retryAt?: number;
}

const MAX_BACKEND_NAME = 200;

export class HealthRegistry {
  readonly failureThreshold: number;
  readonly openMs: number;
  private readonly window: number;
  private readonly now: () => number;
  private readonly breakers = new Map<string, Breaker>();

  constructor(opts: HealthOptions = {}) {
    this.failureThreshold = opts.failureThreshold ?? 3;
    this.openMs = opts.openMs ?? 30_000;
    this.window = opts.latencyWindow ?? 100;
    this.now = opts.now ?? Date.now;
    if (!(Number.isInteger(this.failureThreshold) && this.failureThreshold >= 1))
      throw new Error(`failureThreshold must be an integer >= 1, got ${opts.failureThreshold}`);
    if (!(this.openMs >= 0)) throw new Error(`openMs must be >= 0, got ${opts.openMs}`);
  }

  private get(backend: string): Breaker {
    if (typeof backend !== 'string' || backend.length === 0 || backend.length > MAX_BACKEND_NAME)
      throw new Error(`backend name must be a non-empty string of at most ${MAX_BACKEND_NAME} characters`);
    let b = this.breakers.get(backend);
    if (!b) {
      b = {
        state: 'closed',
        consecutiveFailures: 0,
        failures: 0,
        successes: 0,
        openedAt: 0,
        probeAt: null,
        lastChangeAt: this.now(),
        latencies: [],
        latencyPos: 0,
      };
      this.breakers.set(backend, b);
    }
    return b;
  }

  recordSuccess(backend: string, latencyMs: number): void {
    const b = this.get(backend);
    b.successes++;
    b.consecutiveFailures = 0;
    if (Number.isFinite(latencyMs) && latencyMs >= 0) {
      if (b.latencies.length < this.window) b.latencies.push(latencyMs);
      else {
        b.latencies[b.latencyPos] = latencyMs;
        b.latencyPos = (b.latencyPos + 1) % this.window;
      }
    }
    if (b.state !== 'closed') {
      b.state = 'closed';
      b.probeAt = null;
      b.lastChangeAt = this.now();
    }
  }

  recordFailure(backend: string, error: string | Error): void {
    const b = this.get(backend);
    b.failures++;
    b.consecutiveFailures++;
    const msg = typeof error === 'string' ? error : (error?.message ?? String(error));
    b.lastError = msg.slice(0, 500);
    const t = this.now();
    if (b.state === 'half_open' || (b.state === 'closed' && b.consecutiveFailures >= this.failureThreshold)) {
      b.state = 'open';
      b.openedAt = t;
      b.probeAt = null;
      b.lastChangeAt = t;
    } else if (b.state === 'open') {
      b.openedAt = t;
    }
  }

  /** The breaker's state, moving open -> half_open when the open timeout has passed. Does not reserve a probe. */
  state(backend: string): BreakerState {
    const b = this.breakers.get(backend);
    if (!b) return 'closed';
    if (b.state === 'open' && this.now() - b.openedAt >= this.openMs) {
      b.state = 'half_open';
      b.probeAt = null;
      b.lastChangeAt = this.now();
    }
    return b.state;
  }

  /** True when a call may be made without reserving anything: closed, or half-open with no probe in flight. */
  isUp(backend: string): boolean {
    const s = this.state(backend);
    if (s === 'closed') return true;
    if (s === 'open') return false;
    const b = this.breakers.get(backend)!;
    return b.probeAt === null || this.now() - b.probeAt >= this.openMs;
  }

  /** True when a call may be made now. In half-open state this reserves the single probe call. */
  canUse(backend: string): boolean {
    if (!this.isUp(backend)) return false;
    const b = this.breakers.get(backend);
    if (b && b.state === 'half_open') b.probeAt = this.now();
    return true;
  }

  /**
   * A call that ended without saying anything about the backend (a caller's mistake, a busy queue) gives
   * back the half-open probe it reserved, so the next call probes instead of waiting out openMs.
   */
  release(backend: string): void {
    const b = this.breakers.get(backend);
    if (b && b.state === 'half_open') b.probeAt = null;
  }

  latencyP50(backend: string): number | null {
    const b = this.breakers.get(backend);
    if (!b || b.latencies.length === 0) return null;
    const s = [...b.latencies].sort((x, y) => x - y);
    return s[Math.floor((s.length - 1) / 2)];
  }

  all(): BackendHealthDetail[] {
    return [...this.breakers.keys()].sort().map((name) => {
      const state = this.state(name);
      const b = this.breakers.get(name)!;
      return {
        backend: name,
        state,
        failures: b.failures,
        successes: b.successes,
        consecutiveFailures: b.consecutiveFailures,
        ...(b.lastError !== undefined ? { lastError: b.lastError } : {}),
        latencyP50Ms: this.latencyP50(name),
        ...(state === 'open' ? { retryAt: b.openedAt + this.openMs } : {}),
      };
    });
  }
}
