/**
 * The pattern bank: approaches that worked (or failed) on earlier tasks, found again by
 * meaning (vector index) and by words (full-text search). This file is the facade; the parts:
 * write-queue.ts (group commit) with merging.ts (near-duplicates), search.ts with lexical.ts and
 * recommend.ts, usage.ts, index-sync.ts (HNSW cache vs database), lifecycle.ts (delete, prune,
 * embedder switch), privacy-rescan.ts, bundle-io.ts; the database behind store/patterns-repo.ts.
 *
 * Durability: the database is the source of truth. A store commits its row, its vector and a
 * change-log entry in one transaction before returning, so an acknowledged store survives
 * kill -9. The HNSW index is a cache: persisted periodically (never per request) with the
 * highest change-log sequence it contains; opening loads it and replays later changes.
 */
import { logger } from '../log.js';
import type { DB } from '../store/db.js';
import type { ChangeFeed, PatternsRepo } from '../store/patterns-repo.js';
import { SqlitePatternsRepo } from '../store/sqlite/patterns-repo.js';
import { BankState, type LexicalScoring, type PruneOptions } from './bank-state.js';
import { exportBundle, importBundle } from './bundle-io.js';
import { isProbing } from './embedders.js';
import type { IndexParams } from './hnsw-index.js';
import type { IndexThread } from './hnsw-thread.js';
import { flush, loadIndex, syncExternal, wakeSync } from './index-sync.js';
import { deleteSeqs, prune, startSwitch, switchEmbedder, type ReembedProgress } from './lifecycle.js';
import { toPattern, validateInput, type StoredInput } from './pattern-input.js';
import { rescanPrivacy } from './privacy-rescan.js';
import { redactPatternText } from './redact.js';
import { find, vectorSearch } from './search.js';
import type { Embedder, FindQuery, FindResult, Pattern, PatternBankStats, PatternChange, PatternInput, StoreResult } from './types.js';
import { UsageCounter } from './usage.js';
import { FindTimes, type FindLatency } from './find-times.js';
import { WriteQueue, type StoreOptions } from './write-queue.js';

export { approachKey } from './pattern-input.js';
export { recommend } from './recommend.js';
export { vecToBlob, blobToVec } from '../store/float16.js';
export type { PruneOptions, LexicalScoring, ReembedProgress, StoreOptions };

const log = logger('patterns');

export interface PatternBankOptions {
  /** The SQLite database holding the bank's tables (when no `repo` is given). */
  db?: DB;
  /**
   * The repository to run on instead (e.g. PgPatternsRepo: a fleet's PostgreSQL). One that also offers `watch`
   * (ChangeFeed) wakes the bank's index catch-up when another node committed; the caller closes the repository.
   */
  repo?: PatternsRepo & Partial<ChangeFeed>;
  /** Where the HNSW index is persisted: `<indexPath>.json` (manifest) and `<indexPath>.<gen>.hnsw`. */
  indexPath: string;
  embedder: Embedder;
  /** Cosine similarity above which a store with the same approach merges into an existing pattern (default 0.9). */
  mergeThreshold?: number;
  /** HNSW ef at query time (default 48: recall@10 0.988 against exact search at 100k). */
  efSearch?: number;
  /** Initial index capacity; grows automatically (default 10 000). */
  maxElements?: number;
  /** HNSW M (default 16). */
  m?: number;
  /**
   * HNSW efConstruction for a new or rebuilt index (default 64). An index loaded from its file keeps the value
   * it was built with (hnswlib stores it in the file). 64 instead of 100 makes inserts, the bulk of a store's
   * work, about a third cheaper; recall@10 at efSearch 48 measured 0.978 vs 0.988 at 20k (see README).
   */
  efConstruction?: number;
  prune?: PruneOptions;
  /** Persist the index at most this often when it changed (default 60 000 ms; 0 disables the timer). */
  persistIntervalMs?: number;
  /** Also persist after this many unsaved index changes (default max(2 000, 5% of patterns)). */
  persistEveryChanges?: number;
  /**
   * Where the HNSW index runs. false (default): on the bank's thread; inserts are queued and applied in 4 ms
   * slices between requests, searches answer without a thread hop. true: in a worker thread; inserts happen
   * beside the thread serving requests (about twice the store throughput), but every search crosses threads,
   * which on a busy 2-core machine doubled find's p99. The server's `--index-thread` sets it.
   */
  indexThread?: boolean;
  /** Weights of the hybrid score (default vector 0.75, lexical 0.25). */
  weights?: { vector: number; lexical: number };
  /** How the lexical side scores candidates (default 'js-bm25'; see lexical.ts and README.md for the measurements). */
  lexicalScoring?: LexicalScoring;
}

export class PatternBank {
  private readonly s: BankState;
  private readonly queue: WriteQueue;
  private readonly usage: UsageCounter;
  /** Server-side find latency (stats().findLatency). */
  private readonly findTimes = new FindTimes();
  private timer: NodeJS.Timeout | null = null;
  /** Word of other nodes' commits (a repository with a ChangeFeed): the index catches up at once. */
  private feed: { close(): Promise<void> } | null = null;

  private constructor(s: BankState, persistIntervalMs: number) {
    this.s = s;
    this.queue = new WriteQueue(s);
    this.usage = new UsageCounter(s);
    if (persistIntervalMs > 0) {
      this.timer = setInterval(() => {
        if (s.unsaved > 0 && !s.flushing) flush(s).catch((e: Error) => log.error('periodic index save failed', { error: e.message }));
      }, persistIntervalMs);
      this.timer.unref();
    }
  }

  /** The HNSW index in use (tests reach its worker through this). */
  private get index(): IndexThread {
    return this.s.index;
  }

  static async open(opts: PatternBankOptions): Promise<PatternBank> {
    const { embedder } = opts;
    if (isProbing(embedder)) await embedder.ready();
    if (!embedder.dim || embedder.dim < 1) throw new Error(`embedder ${embedder.id} reports no dimension`);
    const mergeThreshold = opts.mergeThreshold ?? 0.9;
    if (!(mergeThreshold > 0 && mergeThreshold <= 1)) throw new Error(`mergeThreshold must be in (0, 1], got ${opts.mergeThreshold}`);
    if (!opts.repo && !opts.db) throw new Error('a pattern bank needs a database (db) or a repository (repo)');
    const repo: PatternsRepo = opts.repo ?? new SqlitePatternsRepo(opts.db!);
    // read and set in one write transaction: processes opening together agree on one bank id and embedder
    const { bankId, total, activeId, activeDim } = await repo.init(embedder.id, embedder.dim);
    const params: IndexParams = { m: opts.m ?? 16, efConstruction: opts.efConstruction ?? 64, efSearch: opts.efSearch ?? 48 };
    const started = Date.now();
    const loaded = await loadIndex(repo, {
      indexPath: opts.indexPath,
      bankId,
      activeId,
      activeDim,
      params,
      thread: opts.indexThread ?? false,
      maxElements: opts.maxElements,
      total,
    });
    const { replayed, added, resave } = loaded;
    const s = new BankState(
      repo,
      bankId,
      opts.indexPath,
      params,
      {
        mergeThreshold,
        prune: {
          minUses: opts.prune?.minUses ?? 3,
          maxFailureRate: opts.prune?.maxFailureRate ?? 0.8,
          unusedDays: opts.prune?.unusedDays ?? 90,
        },
        weights: opts.weights ?? { vector: 0.75, lexical: 0.25 },
        lexicalScoring: opts.lexicalScoring ?? 'js-bm25',
        persistEvery: opts.persistEveryChanges,
      },
      embedder,
      activeId,
      activeDim,
      loaded.index,
    );
    const bank = new PatternBank(s, opts.persistIntervalMs ?? 60_000);
    s.hwm = loaded.hwm;
    s.openInfo = {
      from: replayed < 0 ? 'rebuild' : 'file',
      replayed: Math.max(0, replayed),
      ms: Date.now() - started,
      ...(loaded.rebuildReason ? { reason: loaded.rebuildReason } : {}),
    };
    s.unsaved = replayed === 0 && !resave ? 0 : Math.max(1, replayed);
    log.info('pattern bank open', {
      patterns: total,
      indexed: s.index.size,
      replayed: Math.max(0, replayed),
      rebuilt: replayed < 0,
      ms: Date.now() - started,
    });
    // rows stored before redaction (or checked by an older scanner) are redacted before the bank serves
    await rescanPrivacy(s);
    // written by the index worker while the bank already serves
    if (replayed !== 0 || added >= 0 || s.privacyScan.redacted > 0 || resave)
      flush(s).catch((e: Error) => log.error('index save after open failed', { error: e.message }));
    // An embedder different from the one the vectors were made with: re-embed in the background.
    if (activeId !== embedder.id) {
      log.notice('embedder changed; re-embedding patterns in the background', { from: activeId, to: embedder.id });
      s.embedder = null; // the old embedder is not available: queries use lexical ranking until done
      await startSwitch(s, embedder);
    } else {
      const target = await repo.getMeta('target_embedder');
      if (target) await repo.dropVectors(target, activeId);
      await repo.delMeta('target_embedder');
    }
    // another node's commit wakes the catch-up (NOTIFY, a listener's reconnect, a timer), not only this node's reads
    if (opts.repo?.watch) {
      bank.feed = opts.repo.watch(() => wakeSync(s));
      s.followed = true;
    }
    return bank;
  }

  // ---------------------------------------------------------------- events

  onChange(listener: (c: PatternChange) => void): () => void {
    this.s.listeners.add(listener);
    return () => this.s.listeners.delete(listener);
  }

  // ---------------------------------------------------------------- writes

  /** Throws what store() throws for an input it refuses, before anything is written (for a caller that checks more first). */
  checkInput(raw: PatternInput, opts?: { success?: boolean }): void {
    this.s.ensureOpen();
    validateInput(raw);
    if (opts?.success !== undefined && typeof opts.success !== 'boolean') throw new Error('outcome success must be true or false');
  }

  async store(raw: PatternInput, opts?: StoreOptions): Promise<StoreResult> {
    const s = this.s;
    this.checkInput(raw, opts);
    // scanned before anything is kept: the row, its FTS entry and its vector only ever see the redacted text
    const red = redactPatternText(raw);
    const input: StoredInput = { ...red.value, privacyCategories: red.categories };
    const { active, target } = await s.embedFor([input.task]);
    s.ensureOpen();
    return this.queue.enqueue(input, active?.[0] ?? null, target?.[0] ?? null, null, opts);
  }

  private async rowOrThrow(id: string) {
    if (typeof id !== 'string' || !id) throw new Error('pattern id must be a non-empty string');
    const r = await this.s.repo.rowById(id);
    if (!r) throw new Error(`unknown pattern id "${id}"; list patterns to see existing ids`);
    return r;
  }

  async get(id: string): Promise<Pattern> {
    this.s.ensureOpen();
    await this.usage.flush();
    return toPattern(await this.rowOrThrow(id));
  }

  async list(opts: { cursor?: string | null; limit?: number } = {}): Promise<{ items: Pattern[]; nextCursor: string | null }> {
    this.s.ensureOpen();
    await this.usage.flush();
    const limit = opts.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new Error(`list limit must be an integer from 1 to 1000, got ${limit}`);
    let after = 0;
    if (opts.cursor) {
      const raw = Buffer.from(opts.cursor, 'base64url').toString('utf8');
      const n = raw.startsWith('seq:') ? Number(raw.slice(4)) : NaN;
      if (!Number.isInteger(n) || n < 0) throw new Error(`invalid cursor "${opts.cursor}"; pass the nextCursor of a previous page`);
      after = n;
    }
    const rows = await this.s.repo.page(after, limit + 1);
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return {
      items: items.map(toPattern),
      nextCursor: more ? Buffer.from(`seq:${items[items.length - 1].seq}`).toString('base64url') : null,
    };
  }

  async delete(id: string): Promise<void> {
    this.s.ensureOpen();
    const r = await this.rowOrThrow(id);
    await deleteSeqs(this.s, [r.seq]);
    this.s.emit({ type: 'deleted', id });
  }

  async recordOutcome(id: string, success: boolean, quality?: number): Promise<Pattern> {
    this.s.ensureOpen();
    if (typeof success !== 'boolean') throw new Error('outcome success must be true or false');
    if (quality !== undefined && !(quality >= 0 && quality <= 1)) throw new Error(`outcome quality must be from 0 to 1, got ${quality}`);
    if (typeof id !== 'string' || !id) throw new Error('pattern id must be a non-empty string');
    const row = await this.s.repo.recordOutcome(id, success, patternQualityAfter(quality), new Date().toISOString());
    if (!row) throw new Error(`unknown pattern id "${id}"; list patterns to see existing ids`);
    this.s.emit({ type: 'updated', id });
    return toPattern(row);
  }

  /** Tells listeners these patterns changed (their tally was written by the engine's outcome unit of work). */
  outcomeRecorded(ids: string[]): void {
    for (const id of ids) this.s.emit({ type: 'updated', id });
  }

  /** Ids of the patterns stored with this routing decision id. */
  async idsForDecision(decisionId: string): Promise<string[]> {
    this.s.ensureOpen();
    return this.s.repo.idsForDecision(decisionId);
  }

  prune(now: Date = new Date()): Promise<{ pruned: number; ids: string[] }> {
    return prune(this.s, this.usage, now);
  }

  // ---------------------------------------------------------------- reads

  find(q: FindQuery): Promise<FindResult> {
    const t0 = performance.now();
    return find(this.s, this.usage, q).then((r) => {
      this.findTimes.add(performance.now() - t0);
      return r;
    });
  }

  /** Diagnostic: raw nearest neighbours of a vector in the active index (labels are pattern_vectors.seq). */
  vectorSearch(vec: Float32Array, k: number): Promise<{ seq: number; sim: number }[]> {
    return vectorSearch(this.s, vec, k);
  }

  /**
   * Resolves when the HNSW graph holds every committed store. Not needed for correctness (searches also scan the
   * vectors still queued for insertion, exactly); benchmarks use it to measure the insert backlog.
   */
  async whenIndexed(): Promise<void> {
    await this.s.index.sync();
  }

  /** The embedder serving queries (null while an open-time re-embedding runs). */
  get activeEmbedder(): Embedder | null {
    return this.s.embedder;
  }

  // ---------------------------------------------------------------- bundles

  exportBundle(format: 'msgpack' | 'json' = 'msgpack'): Promise<Buffer> {
    return exportBundle(this.s, this.usage, format);
  }

  importBundle(buf: Buffer): Promise<{ imported: number; merged: number; skipped: number }> {
    return importBundle(this.s, this.queue, buf);
  }

  // ---------------------------------------------------------------- embedder switch

  /**
   * Re-embeds every pattern with `e` in the background. Until it is done, queries keep
   * using the current embedder and index; then the new index replaces the old one and the
   * old vectors are deleted. Vectors of different embedders never share an index.
   */
  switchEmbedder(e: Embedder, onProgress?: (p: ReembedProgress) => void): Promise<void> {
    return switchEmbedder(this.s, e, onProgress);
  }

  /** Resolves when a running re-embedding finishes (immediately when none runs); rejects if it failed. */
  whenReembedded(): Promise<void> {
    return this.s.switching ? this.s.switching.promise : Promise.resolve();
  }

  // ---------------------------------------------------------------- lifecycle

  async stats(): Promise<
    PatternBankStats & {
      hwm: number;
      unsavedChanges: number;
      switchingTo: string | null;
      /** How the index was obtained at open: loaded from its file (plus replayed log entries) or rebuilt from SQLite, and why. */
      indexLoad: { from: 'file' | 'rebuild'; replayed: number; ms: number; reason?: string };
      /** Committed vectors still queued for the HNSW graph (searched exactly meanwhile), and where the index runs. */
      indexQueue: number;
      indexThread: boolean;
      /** A PostgreSQL node's read model (what finds read): its patterns and change-log mark; null: none. */
      readModel: { patterns: number; lsn: number } | null;
      /** The open-time privacy rescan: rows read and redacted (0 and 0 when the bank was already scanned). */
      privacyScan: { version: number; scanned: number; redacted: number; ms: number };
      /** This process's finds, timed inside the server: p50/p99/max of the last 1,000 (find-times.ts). */
      findLatency: FindLatency;
    }
  > {
    const s = this.s;
    if (!s.switching && !s.closed) await syncExternal(s); // `indexed` includes other processes' stores
    const [total, pruned, lastPrune] = await Promise.all([s.repo.count(), s.repo.getMeta('pruned_total'), s.repo.getMeta('last_prune')]);
    return {
      total,
      indexed: s.index.size,
      embedder: s.activeId,
      dim: s.activeDim,
      reembedding: s.switching ? { done: s.switching.done, total: s.switching.total } : null,
      pruned: Number(pruned ?? 0),
      lastPrune: lastPrune ?? null,
      hwm: s.hwm,
      unsavedChanges: s.unsaved,
      switchingTo: s.switching?.target.id ?? null,
      indexLoad: { ...s.openInfo },
      indexQueue: s.index.backlog,
      indexThread: s.index.thread,
      readModel: s.repo.readModelStats?.() ?? null,
      privacyScan: { ...s.privacyScan },
      findLatency: this.findTimes.summary(),
    };
  }

  /**
   * Persists the index (written by the index worker with every change posted so far) and then trims the
   * change log it contains. Concurrent calls share one save.
   */
  flush(): Promise<void> {
    return flush(this.s);
  }

  async close(): Promise<void> {
    const s = this.s;
    if (s.closed || s.closing) return s.closing ?? undefined;
    s.closing = (async () => {
      if (this.timer) clearInterval(this.timer);
      await this.feed?.close();
      if (s.switching) {
        s.switching.cancelled = true;
        await s.switching.promise.catch(() => undefined);
      }
      await this.queue.drain();
      await this.usage.flush();
      await s.flushing?.catch(() => undefined);
      if (s.unsaved > 0) await flush(s).catch((e: Error) => log.error('index save at close failed', { error: e.message }));
      s.closed = true;
      await s.index.close();
    })();
    return s.closing;
  }
}

/** A pattern's stored quality follows reported outcomes as an exponential moving average (weight 0.3 on the new report). */
export function patternQualityAfter(quality: number | undefined): (old: number) => number {
  return (q) => (quality === undefined ? q : q * 0.7 + quality * 0.3);
}
