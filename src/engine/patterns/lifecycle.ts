/**
 * A bank's lifecycle besides stores and finds: deleting patterns, pruning the ones that keep failing or are
 * never used, and switching embedders (re-embedding every pattern in the background into a new index, then
 * switching over atomically).
 */
import { logger } from '../log.js';
import type { BankState, Switching } from './bank-state.js';
import { isProbing } from './embedders.js';
import { advanceTo, flush, noteChange, serialIndexStep } from './index-sync.js';
import { IndexThread } from './hnsw-thread.js';
import type { Embedder } from './types.js';
import type { UsageCounter } from './usage.js';

const log = logger('patterns');

export interface ReembedProgress {
  done: number;
  total: number;
}

/** Deletes patterns (by seq) from the database and the index(es); returns the seqs this call deleted (another process may have deleted some of them first). */
export async function deleteSeqs(s: BankState, seqs: number[]): Promise<number[]> {
  const { first, last, deleted } = await s.repo.delete(seqs);
  await advanceTo(s, first, last, () => {
    for (const x of seqs) {
      s.index.remove(x);
      s.switching?.index.remove(x);
      noteChange(s);
    }
  });
  return deleted;
}

export async function prune(s: BankState, usage: UsageCounter, now: Date): Promise<{ pruned: number; ids: string[] }> {
  s.ensureOpen();
  await usage.flush();
  const o = s.opts.prune;
  const cutoff = new Date(now.getTime() - o.unusedDays * 86_400_000).toISOString();
  const candidates = await s.repo.pruneCandidates({ minUses: o.minUses, maxFailureRate: o.maxFailureRate, cutoff });
  // Another process pruning at the same moment read the same candidates: count (and report) only what this one
  // deleted, so that the shared pruned_total counts every pattern once.
  const seqs = candidates.map((r) => r.seq);
  const deleted = new Set(seqs.length ? await deleteSeqs(s, seqs) : []);
  const rows = candidates.filter((r) => deleted.has(r.seq));
  await s.repo.notePrune(rows.length, now.toISOString());
  if (rows.length) log.notice('pruned patterns', { pruned: rows.length, ids: rows.slice(0, 20).map((r) => r.id) });
  for (const r of rows) s.emit({ type: 'deleted', id: r.id });
  return { pruned: rows.length, ids: rows.map((r) => r.id) };
}

/**
 * Re-embeds every pattern with `e` in the background. Until it is done, queries keep
 * using the current embedder and index; then the new index replaces the old one and the
 * old vectors are deleted. Vectors of different embedders never share an index.
 */
export async function switchEmbedder(s: BankState, e: Embedder, onProgress?: (p: ReembedProgress) => void): Promise<void> {
  s.ensureOpen();
  if (isProbing(e)) await e.ready();
  if (e.id === s.activeId && !s.switching) return;
  if (s.switching) {
    if (s.switching.target.id === e.id) return s.switching.promise;
    s.switching.cancelled = true;
    await s.switching.promise.catch(() => undefined);
  }
  return (await startSwitch(s, e, onProgress)).promise;
}

/** Starts a re-embedding with `target` in the background; resolves once it runs (its `promise` settles when done). */
export async function startSwitch(s: BankState, target: Embedder, onProgress?: (p: ReembedProgress) => void): Promise<Switching> {
  if (!target.dim) throw new Error(`embedder ${target.id} reports no dimension`);
  // recorded before any vector of the target is written: an interrupted switch's vectors are dropped at the next open
  await s.repo.setMeta('target_embedder', target.id);
  const total = await s.repo.count();
  const other = s.switching;
  if (other && !other.cancelled) {
    // another switch started while this one read the bank: the later request replaces it, as in switchEmbedder
    other.cancelled = true;
    await other.promise.catch(() => undefined);
  }
  s.ensureOpen();
  const sw: Switching = {
    target,
    index: IndexThread.create(target.dim, target.id, s.params, Math.max(1000, Math.ceil(total * 1.2)), s.index.thread),
    done: 0,
    total,
    cancelled: false,
    promise: Promise.resolve(),
  };
  s.switching = sw;
  sw.promise = runSwitch(s, sw, onProgress)
    .catch((err: Error) => {
      log.error('re-embedding failed; keeping the current embedder', { target: target.id, error: err.message });
      if (s.switching === sw) s.switching = null;
      throw err;
    })
    .finally(() => {
      if (s.index !== sw.index) void sw.index.close(); // cancelled or failed: its worker goes
    });
  sw.promise.catch(() => undefined);
  return sw;
}

async function runSwitch(s: BankState, sw: Switching, onProgress?: (p: ReembedProgress) => void): Promise<void> {
  const tid = sw.target.id;
  // vectors left by an interrupted switch to the same embedder
  for (const r of await s.repo.vectorsOfEmbedder(tid, sw.target.dim)) {
    sw.index.upsert(r.seq, r.vec);
    sw.done++;
  }
  let after = 0;
  onProgress?.({ done: sw.done, total: sw.total });
  for (;;) {
    if (sw.cancelled || s.closed) return;
    const rows = await s.repo.missingVectors(tid, after, 64);
    if (!rows.length) break;
    after = rows[rows.length - 1].seq;
    const vecs = await sw.target.embed(rows.map((r) => r.task));
    if (sw.cancelled || s.closed) return;
    if (vecs.some((v) => v.length !== sw.target.dim)) throw new Error(`embedder ${tid} returned vectors of the wrong dimension`);
    const stored = await s.repo.putVectors(
      tid,
      rows.map((r, i) => ({ seq: r.seq, vec: vecs[i] })),
    );
    for (const i of stored) sw.index.upsert(rows[i].seq, vecs[i]);
    sw.done += rows.length;
    sw.total = Math.max(sw.total, sw.done);
    onProgress?.({ done: sw.done, total: sw.total });
    await new Promise((r) => setImmediate(r));
  }
  // switch over atomically in the database, then in memory
  const old = s.activeId;
  await s.repo.switchActive(old, tid, sw.target.dim);
  await serialIndexStep(s, async () => {
    // read before the swap, which follows in one synchronous step: entries committed in between are replayed
    // again later (replays are idempotent), none is skipped
    const hwm = await s.repo.maxLsn();
    const oldIndex = s.index;
    s.index = sw.index;
    void oldIndex.close();
    s.embedder = sw.target;
    s.activeId = tid;
    s.activeDim = sw.target.dim;
    s.switching = null;
    s.hwm = hwm;
    s.unsaved = 1;
  });
  await flush(s);
  onProgress?.({ done: sw.total, total: sw.total });
  log.notice('embedder switched', { from: old, to: tid, patterns: s.index.size });
}
