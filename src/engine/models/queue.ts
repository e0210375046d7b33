/**
 * A bounded FIFO queue per model: at most `parallel` jobs run, at most `limit`
 * wait. When full, `run` throws a BusyError telling the caller when to retry
 * instead of piling up memory.
 */
import type { QueueStatus } from './types.js';
import { RetryableError } from '../errors.js';

/** A full queue: retryable, with an estimated wait. */
export class BusyError extends RetryableError {
  override name = 'BusyError';
  readonly code = 'busy';
  constructor(
    readonly waiting: number,
    readonly model: string,
    retryAfterMs: number,
  ) {
    super(`busy: ${waiting} requests queued on ${model}; retry after ${retryAfterMs} ms`, retryAfterMs);
  }
}

interface Waiter {
  start: () => void;
  reject: (err: unknown) => void;
}

export class ModelQueue {
  private running = 0;
  private waiters: Waiter[] = [];
  /** Exponential moving average of job durations (ms), for retry-after estimates. */
  private avgMs = 0;
  private idleResolvers: (() => void)[] = [];

  constructor(
    readonly model: string,
    readonly parallel: number,
    readonly limit: number,
  ) {
    if (!(parallel >= 1)) throw new Error(`parallel must be >= 1, got ${parallel}`);
    if (!(limit >= 0)) throw new Error(`queueLimit must be >= 0, got ${limit}`);
  }

  status(): QueueStatus {
    return { running: this.running, waiting: this.waiters.length, parallel: this.parallel, limit: this.limit };
  }

  get idle(): boolean {
    return this.running === 0 && this.waiters.length === 0;
  }

  /** Resolves once nothing runs or waits. */
  drained(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((r) => this.idleResolvers.push(r));
  }

  /** Estimated wait until a slot frees, in ms (at least 100). */
  retryAfterMs(): number {
    const per = this.avgMs || 1000;
    return Math.max(100, Math.round((per * (this.waiters.length + 1)) / this.parallel));
  }

  /**
   * Runs `job` when a slot is free. A job still waiting when `signal` aborts is
   * removed from the queue and `onCancelWait` is returned instead.
   */
  async run<T>(job: () => Promise<T>, signal?: AbortSignal, onCancelWait?: () => T): Promise<T> {
    if (this.running >= this.parallel) {
      if (this.waiters.length >= this.limit) throw new BusyError(this.waiters.length, this.model, this.retryAfterMs());
      let cancelled = false;
      await new Promise<void>((resolve, reject) => {
        const w: Waiter = {
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          reject,
        };
        const onAbort = () => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          cancelled = true;
          this.checkIdle();
          resolve();
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(w);
      });
      if (cancelled) {
        if (onCancelWait) return onCancelWait();
        throw new Error('cancelled while waiting in the queue');
      }
    } else {
      this.running++;
    }
    // running was incremented either above or by release() on our behalf
    const t0 = performance.now();
    try {
      return await job();
    } finally {
      const ms = performance.now() - t0;
      this.avgMs = this.avgMs ? this.avgMs * 0.8 + ms * 0.2 : ms;
      this.release();
    }
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) {
      // hand the slot over: running stays the same
      next.start();
    } else {
      this.running--;
      this.checkIdle();
    }
  }

  private checkIdle(): void {
    if (this.idle) {
      const rs = this.idleResolvers;
      this.idleResolvers = [];
      for (const r of rs) r();
    }
  }
}
