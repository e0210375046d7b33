/**
 * Keeping the HNSW index (a cache) in step with the database (the source of truth): loading the persisted
 * index at open and replaying the change log after its mark (or rebuilding), replaying changes other
 * processes committed, reconciling when entries were trimmed meanwhile, and persisting the index and trimming
 * the log it contains.
 */
import { logger } from '../log.js';
import type { PatternsRepo, VecLogEntry } from '../store/patterns-repo.js';
import type { BankState } from './bank-state.js';
import type { IndexParams } from './hnsw-index.js';
import { IndexThread } from './hnsw-thread.js';

const log = logger('patterns');

/** Vectors read per query when replaying or reconciling (one round trip each, however many entries). */
const VECTOR_CHUNK = 512;

/**
 * Applies change-log entries to an index in order: a delete removes, an upsert takes the pattern's current vector
 * of `embedder` (none: the pattern or its vector is gone since, and a later entry says so). Vectors are read in
 * chunks; `onDelete` runs for every delete (e.g. on a running switch's index).
 */
async function applyEntries(
  repo: PatternsRepo,
  index: IndexThread,
  entries: VecLogEntry[],
  embedder: string,
  dim: number,
  onDelete?: (seq: number) => void,
): Promise<void> {
  for (let i = 0; i < entries.length; i += VECTOR_CHUNK) {
    const chunk = entries.slice(i, i + VECTOR_CHUNK);
    // other entries ('update', 'uses', 'reset' on PostgreSQL) are for the read model: no vector changed
    const ups = [...new Set(chunk.filter((c) => c.op === 'upsert').map((c) => c.seq))];
    const vecs = ups.length ? await repo.vectorsOf(ups, embedder, dim) : new Map<number, Float32Array>();
    for (const c of chunk) {
      if (c.op === 'delete') {
        index.remove(c.seq);
        onDelete?.(c.seq);
      } else if (c.op === 'upsert') {
        const v = vecs.get(c.seq);
        if (v) index.upsert(c.seq, v);
      }
    }
  }
}

/** Makes the index hold exactly the vectors the database has for the embedder; returns how many were added (-1: nothing to do). */
export async function reconcile(repo: PatternsRepo, index: IndexThread, embedder: string, dim: number, force = false): Promise<number> {
  const liveInDb = await repo.countVectors(embedder);
  if (index.size === liveInDb && !force) return -1;
  const want = new Set(await repo.vectorSeqs(embedder));
  for (const l of [...index.live]) if (!want.has(l)) index.remove(l);
  const missing = [...want].filter((s) => !index.has(s));
  let added = 0;
  for (let i = 0; i < missing.length; i += VECTOR_CHUNK) {
    const vecs = await repo.vectorsOf(missing.slice(i, i + VECTOR_CHUNK), embedder, dim);
    // a vector deleted since vectorSeqs was read is not added (its delete is in the log after)
    for (const [seq, v] of vecs) {
      if (index.has(seq)) continue;
      index.upsert(seq, v);
      added++;
    }
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
  let replayed: number;
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
    const changes = await repo.changesAfter(hwm);
    await applyEntries(repo, index, changes, o.activeId, o.activeDim);
    if (changes.length) hwm = changes[changes.length - 1].lsn;
    replayed = changes.length;
  } else {
    rebuildReason = loaded.reason;
    if (loaded.reason !== 'no persisted index') log.warn('rebuilding pattern index from the database', { reason: loaded.reason });
    index = IndexThread.create(o.activeDim, o.activeId, o.params, Math.max(o.maxElements ?? 10_000, Math.ceil(o.total * 1.2)), o.thread);
    hwm = maxLsn;
    replayed = -1;
  }
  // Reconcile with the source of truth when counts disagree (or after a rebuild).
  const added = await reconcile(repo, index, o.activeId, o.activeDim, gap);
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
 * Runs an index-sync step after the ones before it: steps read the change log and move hwm across awaits, so two
 * must not interleave (one replaying what the other already moved past, or moving hwm back).
 */
export function serialIndexStep<T>(s: BankState, fn: () => Promise<T> | T): Promise<T> {
  const p = s.syncChain.then(fn);
  s.syncChain = p.catch(() => undefined);
  return p;
}

/**
 * Another process (e.g. a CLI import) may write to the same database: its changes are log entries
 * this bank did not make. Replays those with lsn in (hwm, below); reconciles if some were already trimmed.
 * Call it inside serialIndexStep.
 */
async function replayExternal(s: BankState, below: number): Promise<void> {
  if (below <= s.hwm + 1) return;
  const rows = await s.repo.logRange(s.hwm, below);
  await applyEntries(s.repo, s.index, rows, s.activeId, s.activeDim, (seq) => s.switching?.index.remove(seq));
  const changed = rows.filter((r) => r.op === 'upsert' || r.op === 'delete').length;
  s.unsaved += changed;
  s.docs = -1;
  // document frequencies are kept until the bank changed by ~5%, whoever changed it (clearing them at every replay
  // made every find after another node's store ask them all again)
  s.changesSinceDf += changed;
  if (s.changesSinceDf > Math.max(100, s.index.size * 0.05)) {
    s.dfCache.clear();
    s.changesSinceDf = 0;
  }
  if (rows.length < below - 1 - s.hwm) {
    const added = await reconcile(s.repo, s.index, s.activeId, s.activeDim);
    log.info('pattern index reconciled after changes by another process', { added, live: s.index.size });
  }
  if (rows.length) log.debug('applied pattern changes made by another process', { changes: rows.length });
}

/**
 * After this bank committed log entries first..last: replays other processes' entries before them, runs `apply`
 * (this bank's own index changes for those entries), then moves the mark; all in one index-sync step.
 */
export function advanceTo(s: BankState, first: number, last: number, apply?: () => void): Promise<void> {
  if (!first) {
    apply?.();
    return Promise.resolve();
  }
  return serialIndexStep(s, async () => {
    await replayExternal(s, first);
    apply?.();
    // a catch-up that ran between this bank's commit and now may have replayed these entries already
    if (last > s.hwm) s.hwm = last;
  });
}

/**
 * Picks up changes other processes committed (checked at most every 200 ms, from reads: one indexed lookup). A call
 * while a catch-up runs waits for it.
 */
export function syncExternal(s: BankState): Promise<void> {
  const now = Date.now();
  if (now - s.lastSync < 200) return s.syncing ?? Promise.resolve();
  s.lastSync = now;
  const run = serialIndexStep(s, async () => {
    const max = await s.repo.maxLsn();
    if (max > s.hwm) {
      await replayExternal(s, max + 1);
      s.hwm = max;
    }
  }).finally(() => {
    if (s.syncing === run) s.syncing = null;
  });
  s.syncing = run;
  return run;
}

/**
 * What a find waits for before it searches. Without a change feed (SQLite: other processes on the same file), the
 * check of syncExternal and the catch-up it starts. With one (PostgreSQL: another node's commit wakes a catch-up
 * through NOTIFY, a reconnect or the feed's timer), a catch-up the feed woke and still running, while a due check
 * runs beside the find instead of before it (on PostgreSQL that check is a round trip, which added one to every find
 * due), and no find waits for such a check started by an earlier find: five a second, each a round trip or two, they
 * held up about 1% of a busy node's finds, its p99. A woken catch-up is waited for at most WOKEN_WAIT_MS.
 */
export function syncForFind(s: BankState): Promise<void> {
  const running = s.waking ? s.syncing : null;
  const run = syncExternal(s);
  if (!s.followed) return run;
  // with a feed a find never fails for the catch-up (the database unreachable): it answers from the replica
  const quiet = (e: Error) =>
    log.warn("catching up on other nodes' pattern changes failed; retried at the next change or read", { error: e.message });
  run.catch(quiet);
  if (!running) return Promise.resolve();
  // nor waits long for it: a catch-up stalled on a slow database leaves the find to answer from the replica as it
  // stands after WOKEN_WAIT_MS (the catch-up goes on; the next find sees what it applied)
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, WOKEN_WAIT_MS);
    timer.unref();
  });
  return Promise.race([running.catch(quiet), waited]).finally(() => clearTimeout(timer));
}

/** The longest a find waits for a catch-up the change feed woke before it answers from the replica. */
const WOKEN_WAIT_MS = 100;

/**
 * Catches up at once on changes another node committed (its repository's ChangeFeed woke us): one catch-up at a
 * time, and one more after it when woken meanwhile. Failures (the database unreachable) are logged; the next wake
 * (the listener's reconnect) or read tries again.
 */
export function wakeSync(s: BankState): void {
  if (s.closed || s.closing) return;
  if (s.waking) {
    s.wakeAgain = true;
    return;
  }
  s.waking = true;
  void (async () => {
    do {
      s.wakeAgain = false;
      s.lastSync = 0;
      await syncExternal(s);
    } while (s.wakeAgain && !s.closed && !s.closing);
  })()
    .catch((e: Error) =>
      log.warn("catching up on other nodes' pattern changes failed; retried at the next change or read", { error: e.message }),
    )
    .finally(() => (s.waking = false));
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
