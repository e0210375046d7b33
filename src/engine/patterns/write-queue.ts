/**
 * The group-commit write queue: stores that arrive together (e.g. the requests of one read from stdin) are
 * written in one transaction, in arrival order, and each is acknowledged only after that transaction
 * committed. Batches run one after another, so a store sees every store before it, committed or earlier in its
 * batch. After the commit: the vector index(es), the change events, the acknowledgements.
 */
import type { BankState } from './bank-state.js';
import type { BundlePattern } from './bundle.js';
import { advanceTo, noteChange } from './index-sync.js';
import { EXACT_DEDUP_LIMIT, writePolicy, type StoreItem } from './merging.js';
import { approachKey, newId, toPattern, type StoredInput } from './pattern-input.js';
import type { StoreResult } from './types.js';
import type { StoreWrite, WritePolicy } from '../store/patterns-repo.js';

/** At most this many stores share one group-commit transaction. */
export const MAX_BATCH = 256;
/**
 * Stores wait while more than this many committed vectors are still queued for the HNSW graph: a search scans
 * that queue exactly (4,096 x 512 dimensions: about 2 ms), so it must stay bounded.
 */
const MAX_INDEX_BACKLOG = 4096;

/** What a store carries besides the pattern. */
export interface StoreOptions {
  /** How the task went: counted on the pattern (new or merged) in the same transaction. */
  success?: boolean;
  /**
   * Runs inside the store's transaction, before the pattern is written (e.g. recording the routing outcome the
   * pattern reports): both commit or neither does. If it throws, nothing of this store is written.
   */
  inTransaction?: () => void;
}

interface QueuedStore {
  input: StoredInput;
  vec: Float32Array | null;
  targetVec: Float32Array | null;
  imported: BundlePattern | null;
  opts?: StoreOptions;
  resolve: (r: StoreResult) => void;
  reject: (e: Error) => void;
}

export class WriteQueue {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly queue: QueuedStore[] = [];
  private readonly policy: WritePolicy<StoreItem>;

  constructor(private readonly s: BankState) {
    this.policy = writePolicy(s.opts.mergeThreshold, MAX_BATCH);
  }

  get length(): number {
    return this.queue.length;
  }

  enqueue(
    input: StoredInput,
    vec: Float32Array | null,
    targetVec: Float32Array | null,
    imported: BundlePattern | null,
    opts?: StoreOptions,
  ): Promise<StoreResult> {
    return new Promise<StoreResult>((resolve, reject) => {
      this.queue.push({ input, vec, targetVec, imported, opts, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => void this.serial(() => this.commitQueued()));
    });
  }

  /** Commits everything queued and waits for batches in flight (at close). */
  async drain(): Promise<void> {
    while (this.queue.length) await this.serial(() => this.commitQueued());
    await this.chain;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async commitQueued(): Promise<void> {
    const s = this.s;
    // the index worker is far behind (a long burst of stores): wait until it has caught up halfway
    const room = s.index.roomFor(MAX_INDEX_BACKLOG);
    if (room) await room;
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length) setImmediate(() => void this.serial(() => this.commitQueued()));
    if (!batch.length) return;
    try {
      s.ensureOpen();
      const writes: StoreWrite<StoreItem>[] = batch.map((it) => ({
        item: { input: it.input, imported: it.imported, success: it.opts?.success },
        key: approachKey(it.input.approach),
        vec: it.vec,
        targetVec: it.targetVec,
        inTransaction: it.opts?.inTransaction,
        importedId: it.imported?.id ?? null,
        fallbackId: newId(),
      }));
      // approaches shared by many patterns: their candidates come from the vector index (asked before the
      // transaction; the worker answers after applying every insert posted so far)
      const counts = await Promise.all(writes.map((w) => (w.vec ? s.repo.countApproach(w.key, EXACT_DEDUP_LIMIT + 1) : 0)));
      const shared = writes.filter((_, i) => counts[i] > EXACT_DEDUP_LIMIT);
      if (shared.length) {
        await Promise.all(
          shared.map(async (w) => (w.viaIndex = (await s.index.search(w.vec!, 5, null, 16)).filter((h) => h.sim >= s.opts.mergeThreshold))),
        );
        s.ensureOpen();
      }
      const sw = s.switching;
      const done = await s.repo.commitStores(writes, this.policy, { active: s.activeId, target: sw?.target.id ?? null });
      // committed: now the vector index(es), the events and the acknowledgements
      let first = 0;
      let last = 0;
      for (const d of done)
        if ('ok' in d && d.ok.lsn) {
          first ||= d.ok.lsn;
          last = d.ok.lsn;
        }
      const adds = done.flatMap((d, i) => ('ok' in d && d.ok.lsn && batch[i].vec ? [{ label: d.ok.seq, vec: batch[i].vec! }] : []));
      // the index(es) take the new vectors in the same index-sync step (an embedder switch-over runs in one too)
      await advanceTo(s, first, last, () => {
        if (adds.length === 1) s.index.upsert(adds[0].label, adds[0].vec);
        else s.index.upsertMany(adds);
        if (!sw || s.switching !== sw) return;
        done.forEach((d, i) => {
          const tv = batch[i].targetVec;
          if (!('ok' in d) || !d.ok.lsn || !tv) return;
          sw.index.upsert(d.ok.seq, tv);
          sw.total++;
          sw.done++;
        });
      });
      done.forEach((d, i) => {
        const it = batch[i];
        if ('err' in d) return it.reject(d.err);
        if (d.ok.lsn) noteChange(s);
        const pattern = toPattern(d.ok.row);
        const r: StoreResult = { id: pattern.id, merged: d.ok.merged, pattern };
        s.emit({ type: r.merged ? 'updated' : 'created', id: r.id });
        it.resolve(r);
      });
    } catch (e) {
      for (const it of batch) it.reject(e as Error);
    }
  }
}
