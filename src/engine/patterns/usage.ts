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

  constructor(private readonly s: BankState) {}

  /** Uses counted but not yet written for a pattern. */
  pending(seq: number): number {
    return this.counts.get(seq) ?? 0;
  }

  record(seqs: number[]): void {
    for (const x of seqs) this.counts.set(x, (this.counts.get(x) ?? 0) + 1);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), 1000);
      this.timer.unref();
    }
  }

  /**
   * Writes the batched usage counts (one transaction; grouped by count, one statement per group). The counts are
   * dropped only once the write committed: a failed write (e.g. the database stayed locked) keeps them for the next
   * flush, retried within a few seconds. Synchronous: readers that flush first see every count.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.counts.size || this.s.closed) return;
    const now = new Date().toISOString();
    const byCount = new Map<number, number[]>();
    for (const [seq, n] of this.counts) {
      const list = byCount.get(n);
      if (list) list.push(seq);
      else byCount.set(n, [seq]);
    }
    try {
      this.s.repo.addUsesSync(byCount, now);
    } catch (e) {
      log.warn('pattern usage counts not written; kept and retried', { patterns: this.counts.size, error: (e as Error).message });
      if (!this.s.closing) {
        this.timer = setTimeout(() => this.flush(), 5000);
        this.timer.unref();
      }
      return;
    }
    this.counts.clear(); // the write is synchronous: no find added counts meanwhile
  }
}
