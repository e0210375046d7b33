/**
 * Usage counting: every find counts a use on the patterns it returns. Counts are batched in memory and
 * written within a second (and at close), not inside every find.
 */
import { logger } from '../log.js';
import type { BankState } from './bank-state.js';

const log = logger('patterns');

export class UsageCounter {
  private readonly counts = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly s: BankState) {}

  /** Uses counted but not yet handed to the database for a pattern. */
  pending(seq: number): number {
    return this.counts.get(seq) ?? 0;
  }

  record(seqs: number[]): void {
    for (const x of seqs) this.counts.set(x, (this.counts.get(x) ?? 0) + 1);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), 1000);
      this.timer.unref();
    }
  }

  /**
   * Writes the batched usage counts (one transaction; grouped by count, one statement per group). Flushes run one
   * after another; each writes the counts recorded until it starts, so a reader that awaits flush() first sees
   * every count recorded before it called. The counts are taken out of the batch when the write starts and put
   * back if it fails (e.g. the database stayed locked): kept for the next flush, retried within a few seconds.
   * Never rejects.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const p = this.chain.then(() => this.write());
    this.chain = p;
    return p;
  }

  private async write(): Promise<void> {
    if (!this.counts.size || this.s.closed) return;
    const now = new Date().toISOString();
    const taken = new Map(this.counts);
    this.counts.clear();
    const byCount = new Map<number, number[]>();
    for (const [seq, n] of taken) {
      const list = byCount.get(n);
      if (list) list.push(seq);
      else byCount.set(n, [seq]);
    }
    try {
      await this.s.repo.addUses(byCount, now);
    } catch (e) {
      for (const [seq, n] of taken) this.counts.set(seq, (this.counts.get(seq) ?? 0) + n);
      log.warn('pattern usage counts not written; kept and retried', { patterns: this.counts.size, error: (e as Error).message });
      if (!this.s.closing && !this.timer) {
        this.timer = setTimeout(() => void this.flush(), 5000);
        this.timer.unref();
      }
    }
  }
}
