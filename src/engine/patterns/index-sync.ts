/**
 * Keeping the HNSW index (a cache) in step with the database (the source of truth): loading the persisted
 * index at open and replaying the change log after its mark (or rebuilding), replaying changes other
 * processes committed, reconciling when entries were trimmed meanwhile, and persisting the index and trimming
 * the log it contains.
 */
import { logger } from '../log.js';
import type { PatternsRepo } from '../store/patterns-repo.js';
import type { BankState } from './bank-state.js';
import type { IndexParams } from './hnsw-index.js';
import { IndexThread } from './hnsw-thread.js';

const log = logger('patterns');

/** Makes the index hold exactly the vectors the database has for the embedder; returns how many were added (-1: nothing to do). */
export function reconcile(repo: PatternsRepo, index: IndexThread, embedder: string, dim: number, force = false): number {
  const liveInDb = repo.countVectorsSync(embedder);
  if (index.size === liveInDb && !force) return -1;
  const want = new Set(repo.vectorSeqsSync(embedder));
  for (const l of [...index.live]) if (!want.has(l)) index.remove(l);
  let added = 0;
  for (const s of want) {
    if (index.has(s)) continue;
    index.upsert(s, repo.vectorOfSync(s, embedder, dim)!);
    added++;
  }
  return added;
}

export interface LoadedIndex {
  index: IndexThread;
  hwm: number;
  /** Log entries replayed after the file's mark; -1: rebuilt from the database. */
  replayed: number;
  /** Vectors added by reconciling (-1: none needed). */
  added: number;
  rebuildReason?: string;
  /** The file is of an older format: save it again. */
  resave: boolean;
}

/** Opens the index of the active embedder: from its file plus the log after the file's mark, else rebuilt. */
export async function loadIndex(
  repo: PatternsRepo,
  o: {
    indexPath: string;
    bankId: string;
    activeId: string;
    activeDim: number;
    params: IndexParams;
    thread: boolean;
    maxElements: number | undefined;
    total: number;
  },
): Promise<LoadedIndex> {
  const loaded = await IndexThread.load(
    o.indexPath,
    { bankId: o.bankId, embedder: o.activeId, dim: o.activeDim },
    o.params.efSearch,
    o.thread,
  );
  let index: IndexThread;
  let hwm: number;
  let replayed = 0;
  let rebuildReason: string | undefined;
  let resave = false;
  const maxLsn = await repo.maxLsn();
  const trimmed = Number((await repo.getMeta('log_trimmed_upto')) ?? 0);
  // a gap: entries after the file's mark were trimmed by another writer (or the database is older than the file)
  let gap = false;
  if (loaded.index) {
    gap = loaded.manifest.hwm < trimmed || loaded.manifest.hwm > maxLsn;
    resave = loaded.manifest.format !== 2; // saved again with a checksum
    index = loaded.index;
    hwm = loaded.manifest.hwm;
    for (const c of repo.changesAfterSync(hwm)) {
      if (c.op === 'delete') index.remove(c.seq);
      else {
        const v = repo.vectorOfSync(c.seq, o.activeId, o.activeDim);
        if (v) index.upsert(c.seq, v);
      }
      hwm = c.lsn;
      replayed++;
    }
  } else {
    rebuildReason = loaded.reason;
    if (loaded.reason !== 'no persisted index') log.warn('rebuilding pattern index from the database', { reason: loaded.reason });
    index = IndexThread.create(o.activeDim, o.activeId, o.params, Math.max(o.maxElements ?? 10_000, Math.ceil(o.total * 1.2)), o.thread);
    hwm = maxLsn;
    replayed = -1;
  }
  // Reconcile with the source of truth when counts disagree (or after a rebuild).
  const added = reconcile(repo, index, o.activeId, o.activeDim, gap);
  if (gap) hwm = maxLsn;
  if (added >= 0 && replayed >= 0) log.warn('pattern index reconciled with the database', { added, live: index.size });
  return { index, hwm, replayed, added, rebuildReason, resave };
}

/** Counts an index change: search caches go stale, and enough unsaved changes persist the index. */
export function noteChange(s: BankState): void {
  s.unsaved++;
  s.docs = -1;
  if (++s.changesSinceDf > Math.max(100, s.index.size * 0.05)) {
    s.dfCache.clear();
    s.changesSinceDf = 0;
  }
  const every = s.opts.persistEvery ?? Math.max(2000, Math.floor(s.index.size * 0.05));
  if (s.unsaved >= every && !s.flushing && !s.closed) {
    // the index worker writes the file; the main thread only trims the change log afterwards
    flush(s).catch((e: Error) => log.error('index save failed', { error: e.message }));
  }
}

/**
 * Another process (e.g. a CLI import) may write to the same database: its changes are log entries
 * this bank did not make. Replays those with lsn in (hwm, below); reconciles if some were already trimmed.
 */
export function replayExternal(s: BankState, below: number): void {
  if (below <= s.hwm + 1) return;
  const rows = s.repo.logRangeSync(s.hwm, below);
  for (const c of rows) {
    if (c.op === 'delete') {
      s.index.remove(c.seq);
      s.switching?.index.remove(c.seq);
    } else {
      const v = s.repo.vectorOfSync(c.seq, s.activeId, s.activeDim);
      if (v) s.index.upsert(c.seq, v);
    }
    s.unsaved++;
  }
  s.docs = -1;
  s.dfCache.clear();
  if (rows.length < below - 1 - s.hwm) {
    const added = reconcile(s.repo, s.index, s.activeId, s.activeDim);
    log.info('pattern index reconciled after changes by another process', { added, live: s.index.size });
  }
  if (rows.length) log.debug('applied pattern changes made by another process', { changes: rows.length });
}

/** After this bank committed log entries first..last: replays other processes' entries before them, then moves the mark. */
export function advanceTo(s: BankState, first: number, last: number): void {
  if (!first) return;
  replayExternal(s, first);
  s.hwm = last;
}

/** Picks up changes other processes committed (checked at most every 200 ms, from reads: one indexed lookup). */
export function syncExternal(s: BankState): void {
  const now = Date.now();
  if (now - s.lastSync < 200) return;
  s.lastSync = now;
  const max = s.repo.maxLsnSync();
  if (max > s.hwm) {
    replayExternal(s, max + 1);
    s.hwm = max;
  }
}

/**
 * Persists the index (written by the index worker with every change posted so far) and then trims the
 * change log it contains. Concurrent calls share one save.
 */
export function flush(s: BankState): Promise<void> {
  if (s.closed) return Promise.resolve();
  if (s.flushing) return s.flushing.then(() => (s.unsaved > 0 ? flush(s) : undefined));
  s.flushing = save(s).finally(() => {
    s.flushing = null;
  });
  return s.flushing;
}

async function save(s: BankState): Promise<void> {
  const hwm = s.hwm;
  const changes = s.unsaved;
  const index = s.index;
  await index.save(s.indexPath, s.bankId, hwm);
  if (s.index !== index) return; // an embedder switch replaced the index meanwhile (and saved its own)
  await s.repo.trimLog(hwm);
  s.unsaved = Math.max(0, s.unsaved - changes);
}
