/**
 * The pattern bank: approaches that worked (or failed) on earlier tasks, found again by
 * meaning (vector index) and by words (SQLite FTS5 bm25).
 *
 * Durability: SQLite is the source of truth. A store commits its row, its vector and a
 * change-log entry in one transaction before returning, so an acknowledged store survives
 * kill -9. The HNSW index is a cache: persisted periodically (never per request) with the
 * highest change-log sequence it contains; opening loads it and replays later changes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { logger } from '../log.js';
import { writeTx, type DB } from '../store/db.js';
import { decodeBundle, encodeBundle, type BundlePattern } from './bundle.js';
import { isProbing } from './embedders.js';
import { isStopword, stem } from './hashed-embedder.js';
import type {
  Embedder,
  FindQuery,
  FindResult,
  Pattern,
  PatternBankStats,
  PatternChange,
  PatternInput,
  PatternMatch,
  StoreResult,
} from './types.js';
import { IndexThread } from './hnsw-thread.js';
import { PRIVACY_SCAN_VERSION, mergeCategories, parseCategories, redactPatternText } from './redact.js';
import type { IndexParams } from './hnsw-index.js';

const log = logger('patterns');

export interface PruneOptions {
  /** A pattern idle for unusedDays with fewer uses than this is pruned; also the outcome count needed before the failure rate counts (default 3). */
  minUses?: number;
  /** Patterns with at least minUses reported outcomes and a failure rate above this are pruned (default 0.8). */
  maxFailureRate?: number;
  /** Days without use (since creation or last use) after which a rarely used pattern is pruned (default 90). */
  unusedDays?: number;
}

export interface PatternBankOptions {
  db: DB;
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
}

export interface ReembedProgress {
  done: number;
  total: number;
}

interface Row {
  seq: number;
  id: string;
  task: string;
  approach: string;
  approach_key: string;
  outcome: string | null;
  quality: number;
  iterations: number;
  converged: number;
  model: string | null;
  backend: string | null;
  route: string | null;
  tags: string;
  domain: string | null;
  agent_id: string | null;
  count: number;
  uses: number;
  successes: number;
  failures: number;
  embedder: string;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  privacy_categories: string;
}

/** A store's input as the bank keeps it: text redacted, with the categories redacted. */
type StoredInput = PatternInput & { privacyCategories: string[] };

const MAX_TEXT = 20_000;
/** At most this many stores share one group-commit transaction. */
const MAX_BATCH = 256;
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

/** One store written in a batch: lsn 0 when it merged (the vector index does not change). */
interface Committed {
  seq: number;
  lsn: number;
  result: StoreResult;
}
/** Up to this many patterns with one approach, a store's near-duplicate check compares their vectors exactly. */
const EXACT_DEDUP_LIMIT = 64;
const MAX_TAGS = 32;
/** Rows a privacy rescan reads (and writes, when any changed) in one transaction. */
const RESCAN_BATCH = 1000;

export function approachKey(approach: string): string {
  return approach.toLowerCase().replace(/\s+/g, ' ').trim();
}

function toPattern(r: Row): Pattern {
  const n = r.successes + r.failures;
  return {
    id: r.id,
    task: r.task,
    approach: r.approach,
    outcome: r.outcome,
    quality: r.quality,
    iterations: r.iterations,
    converged: r.converged === 1,
    model: r.model,
    backend: r.backend,
    route: r.route,
    tags: JSON.parse(r.tags) as string[],
    domain: r.domain,
    agentId: r.agent_id,
    count: r.count,
    uses: r.uses,
    successes: r.successes,
    failures: r.failures,
    successRate: n > 0 ? r.successes / n : null,
    embedder: r.embedder,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    privacyCategories: parseCategories(r.privacy_categories),
  };
}

// Vectors are stored as IEEE half floats (2 bytes a dimension): a 512-d vector then fits three to a
// 4 KB page instead of one; cosine rankings are unchanged at this precision. Blobs of 4 bytes a
// dimension (float32) are read too.
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const HALF_TO_FLOAT = (() => {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    t[h] = exp === 0 ? sign * mant * 2 ** -24 : exp === 31 ? (mant ? NaN : sign * Infinity) : sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  return t;
})();

function toHalf(x: number): number {
  F32[0] = x;
  const b = U32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = ((b >>> 23) & 0xff) - 112;
  const mant = b & 0x7fffff;
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = (mant | 0x800000) >> (1 - exp);
    return sign | ((m + 0x1000) >> 13);
  }
  if (exp >= 31) return sign | 0x7c00;
  return sign | ((exp << 10) + ((mant + 0x1000) >> 13));
}

export function vecToBlob(v: Float32Array): Buffer {
  const b = Buffer.allocUnsafe(v.length * 2);
  for (let i = 0; i < v.length; i++) b.writeUInt16LE(toHalf(v[i]), i * 2);
  return b;
}

export function blobToVec(b: Buffer | Uint8Array, dim: number): Float32Array {
  if (b.byteLength === dim * 2) {
    const out = new Float32Array(dim);
    for (let i = 0; i < dim; i++) out[i] = HALF_TO_FLOAT[b[i * 2] | (b[i * 2 + 1] << 8)];
    return out;
  }
  if (b.byteLength === dim * 4) {
    const copy = new Uint8Array(b.byteLength);
    copy.set(b);
    return new Float32Array(copy.buffer);
  }
  throw new Error(`stored vector has ${b.byteLength} bytes, expected ${dim * 2} (float16) or ${dim * 4} (float32) for ${dim} dimensions`);
}

function dot(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] * b[i];
  return d;
}

function newId(): string {
  return 'pat_' + randomBytes(9).toString('base64url');
}

function validateInput(p: PatternInput): void {
  if (typeof p.task !== 'string' || !p.task.trim()) throw new Error('pattern task must be a non-empty string');
  if (typeof p.approach !== 'string' || !p.approach.trim()) throw new Error('pattern approach must be a non-empty string');
  if (p.task.length > MAX_TEXT || p.approach.length > MAX_TEXT || (p.outcome?.length ?? 0) > MAX_TEXT) {
    throw new Error(`pattern task, approach and outcome must each be at most ${MAX_TEXT} characters`);
  }
  if (typeof p.quality !== 'number' || !(p.quality >= 0 && p.quality <= 1)) throw new Error(`pattern quality must be a number from 0 to 1, got ${String(p.quality)}`);
  if (p.iterations !== undefined && (!Number.isInteger(p.iterations) || p.iterations < 0)) throw new Error(`pattern iterations must be a non-negative integer, got ${p.iterations}`);
  if (p.tags && (p.tags.length > MAX_TAGS || p.tags.some((t) => typeof t !== 'string' || t.length > 100))) {
    throw new Error(`pattern tags: at most ${MAX_TAGS} strings of at most 100 characters`);
  }
}

function normTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter(Boolean))].sort();
}

export class PatternBank {
  private readonly db: DB;
  private readonly indexPath: string;
  private embedder: Embedder | null;
  /** The embedder id whose vectors the index holds (equals embedder.id unless an open-time switch is running). */
  private activeId: string;
  private activeDim: number;
  private index: IndexThread;
  private readonly params: IndexParams;
  private readonly mergeThreshold: number;
  private readonly pruneOpts: Required<PruneOptions>;
  private readonly weights: { vector: number; lexical: number };
  private readonly bankId: string;
  private readonly listeners = new Set<(c: PatternChange) => void>();
  private hwm = 0;
  private lastSync = 0;
  private readonly pendingUses = new Map<number, number>();
  private usesTimer: NodeJS.Timeout | null = null;
  private docs = -1;
  private readonly dfCache = new Map<string, number>();
  private changesSinceDf = 0;
  private openInfo: { from: 'file' | 'rebuild'; replayed: number; ms: number; reason?: string } = { from: 'file', replayed: 0, ms: 0 };
  private unsaved = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly persistEvery: number | undefined;
  private closed = false;
  private switching: { target: Embedder; index: IndexThread; done: number; total: number; cancelled: boolean; promise: Promise<void> } | null = null;
  private readonly st: ReturnType<PatternBank['prepare']>;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly queue: QueuedStore[] = [];
  private readonly tx: {
    batch: (fn: () => void) => void;
    one: (it: QueuedStore, viaIndex: { label: number; sim: number }[] | undefined, fresh: { seq: number; key: string; vec: Float32Array }[], sw: PatternBank['switching']) => Committed;
  };
  private flushing: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  private constructor(opts: PatternBankOptions, bankId: string, activeId: string, activeDim: number, index: IndexThread, params: IndexParams) {
    this.db = opts.db;
    this.indexPath = opts.indexPath;
    this.embedder = opts.embedder;
    this.activeId = activeId;
    this.activeDim = activeDim;
    this.index = index;
    this.params = params;
    this.bankId = bankId;
    this.mergeThreshold = opts.mergeThreshold ?? 0.9;
    if (!(this.mergeThreshold > 0 && this.mergeThreshold <= 1)) throw new Error(`mergeThreshold must be in (0, 1], got ${opts.mergeThreshold}`);
    this.pruneOpts = { minUses: opts.prune?.minUses ?? 3, maxFailureRate: opts.prune?.maxFailureRate ?? 0.8, unusedDays: opts.prune?.unusedDays ?? 90 };
    this.weights = opts.weights ?? { vector: 0.75, lexical: 0.25 };
    this.persistEvery = opts.persistEveryChanges;
    this.st = this.prepare();
    this.tx = {
      batch: writeTx(this.db, (fn: () => void) => fn()),
      one: writeTx(this.db, (it: QueuedStore, via: { label: number; sim: number }[] | undefined, fresh: { seq: number; key: string; vec: Float32Array }[], sw: PatternBank['switching']) =>
        this.writeOne(it, via, fresh, sw),
      ),
    };
    const interval = opts.persistIntervalMs ?? 60_000;
    if (interval > 0) {
      this.timer = setInterval(() => {
        if (this.unsaved > 0 && !this.flushing) this.flush().catch((e: Error) => log.error('periodic index save failed', { error: e.message }));
      }, interval);
      this.timer.unref();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM pattern_meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO pattern_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      delMeta: db.prepare('DELETE FROM pattern_meta WHERE key = ?'),
      insert: db.prepare(`INSERT INTO patterns (id, task, approach, approach_key, outcome, quality, iterations, converged, model, backend, route, tags, domain, agent_id, decision_id,
        count, uses, successes, failures, embedder, created_at, updated_at, last_used_at, privacy_categories)
        VALUES (@id, @task, @approach, @approach_key, @outcome, @quality, @iterations, @converged, @model, @backend, @route, @tags, @domain, @agent_id, @decision_id,
        @count, @uses, @successes, @failures, @embedder, @created_at, @updated_at, @last_used_at, @privacy_categories)`),
      insertVec: db.prepare('INSERT OR REPLACE INTO pattern_vectors (seq, embedder, dim, vector) VALUES (?, ?, ?, ?)'),
      log: db.prepare("INSERT INTO pattern_vec_log (seq, op) VALUES (?, ?)"),
      bySeq: db.prepare<[number], Row>('SELECT * FROM patterns WHERE seq = ?'),
      byId: db.prepare<[string], Row>('SELECT * FROM patterns WHERE id = ?'),
      bySeqs: db.prepare<[string], Row>('SELECT * FROM patterns WHERE seq IN (SELECT value FROM json_each(?))'),
      vecsOf: db.prepare<[string, string], { seq: number; vector: Buffer }>('SELECT seq, vector FROM pattern_vectors WHERE embedder = ? AND seq IN (SELECT value FROM json_each(?))'),
      sameKey: db.prepare<[string, string, number], { seq: number; vector: Buffer }>(
        'SELECT p.seq, v.vector FROM patterns p CROSS JOIN pattern_vectors v ON v.seq = p.seq AND v.embedder = ? WHERE p.approach_key = ? LIMIT ?',
      ),
      merge: db.prepare(
        `UPDATE patterns SET count = ?, quality = ?, iterations = ?, converged = ?, outcome = COALESCE(?, outcome), model = COALESCE(?, model),
         backend = COALESCE(?, backend), route = COALESCE(?, route), tags = ?, domain = COALESCE(domain, ?), agent_id = COALESCE(agent_id, ?),
         uses = uses + ?, successes = successes + ?, failures = failures + ?, updated_at = ?, privacy_categories = ? WHERE seq = ?`,
      ),
      countKey: db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM (SELECT 1 FROM patterns WHERE approach_key = ? LIMIT ?)'),
      sameApproach: db.prepare<[string, string], { seq: number }>('SELECT seq FROM patterns WHERE approach_key = ? AND seq IN (SELECT value FROM json_each(?))'),
      tasksOf: db.prepare<[string], { seq: number; task: string }>('SELECT seq, task FROM patterns WHERE seq IN (SELECT value FROM json_each(?))'),
      vecOf: db.prepare<[number, string], { vector: Buffer }>('SELECT vector FROM pattern_vectors WHERE seq = ? AND embedder = ?'),
      del: db.prepare('DELETE FROM patterns WHERE seq = ?'),
      alias: db.prepare<[string], { seq: number }>('SELECT seq FROM pattern_aliases WHERE alias = ?'),
      addAlias: db.prepare('INSERT OR IGNORE INTO pattern_aliases (alias, seq) VALUES (?, ?)'),
      // Patterns deleted since the find are skipped by the join (a usage row needs its pattern).
      use: db.prepare(
        `INSERT INTO pattern_usage (seq, uses, last_used_at) SELECT p.seq, ?, ? FROM json_each(?) j JOIN patterns p ON p.seq = j.value WHERE true
         ON CONFLICT(seq) DO UPDATE SET uses = uses + excluded.uses, last_used_at = excluded.last_used_at`,
      ),
      usageOf: db.prepare<[string], { seq: number; uses: number }>('SELECT seq, uses FROM pattern_usage WHERE seq IN (SELECT value FROM json_each(?))'),
      usageAll: db.prepare<[], { seq: number; uses: number }>('SELECT seq, uses FROM pattern_usage'),
      ftsCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM patterns_fts WHERE patterns_fts MATCH ?'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM patterns'),
      logRange: db.prepare<[number, number], { lsn: number; seq: number; op: string }>('SELECT lsn, seq, op FROM pattern_vec_log WHERE lsn > ? AND lsn < ? ORDER BY lsn'),
      maxLsn: db.prepare<[], { m: number | null }>("SELECT seq AS m FROM sqlite_sequence WHERE name = 'pattern_vec_log'"),
      fts: db.prepare<[string, number], { seq: number }>('SELECT rowid AS seq FROM patterns_fts WHERE patterns_fts MATCH ? ORDER BY bm25(patterns_fts, 1.0, 0.3, 0.2) LIMIT ?'),
    };
  }

  static async open(opts: PatternBankOptions): Promise<PatternBank> {
    const { db, embedder } = opts;
    if (isProbing(embedder)) await embedder.ready();
    if (!embedder.dim || embedder.dim < 1) throw new Error(`embedder ${embedder.id} reports no dimension`);
    const meta = (k: string) => (db.prepare('SELECT value FROM pattern_meta WHERE key = ?').get(k) as { value: string } | undefined)?.value;
    const setMeta = (k: string, v: string) => db.prepare('INSERT INTO pattern_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(k, v);
    // read and set in one write transaction: processes opening together agree on one bank id and embedder
    const { bankId, total, activeId, activeDim } = writeTx(db, () => {
      let id = meta('bank_id');
      if (!id) {
        id = randomUUID();
        setMeta('bank_id', id);
      }
      const n = (db.prepare('SELECT COUNT(*) AS n FROM patterns').get() as { n: number }).n;
      let active = meta('active_embedder');
      let dim = Number(meta('active_dim') ?? 0);
      if (!active || n === 0) {
        active = embedder.id;
        dim = embedder.dim;
        setMeta('active_embedder', active);
        setMeta('active_dim', String(dim));
        db.prepare("DELETE FROM pattern_meta WHERE key = 'target_embedder'").run();
      }
      return { bankId: id, total: n, activeId: active, activeDim: dim };
    })();
    const params: IndexParams = { m: opts.m ?? 16, efConstruction: opts.efConstruction ?? 64, efSearch: opts.efSearch ?? 48 };
    const started = Date.now();
    const thread = opts.indexThread ?? false;
    const loaded = await IndexThread.load(opts.indexPath, { bankId, embedder: activeId, dim: activeDim }, params.efSearch, thread);
    let index: IndexThread;
    let hwm: number;
    let replayed = 0;
    let rebuildReason: string | undefined;
    let resave = false;
    // the log is trimmed after each save: the AUTOINCREMENT counter remembers the highest lsn ever issued
    const maxLsn = (db.prepare("SELECT seq AS m FROM sqlite_sequence WHERE name = 'pattern_vec_log'").get() as { m: number } | undefined)?.m ?? 0;
    const trimmed = Number(meta('log_trimmed_upto') ?? 0);
    // a gap: entries after the file's mark were trimmed by another writer (or the database is older than the file)
    let gap = false;
    if (loaded.index) {
      gap = loaded.manifest.hwm < trimmed || loaded.manifest.hwm > maxLsn;
      resave = loaded.manifest.format !== 2; // saved again with a checksum
      index = loaded.index;
      hwm = loaded.manifest.hwm;
      const changes = db.prepare('SELECT lsn, seq, op FROM pattern_vec_log WHERE lsn > ? ORDER BY lsn').all(hwm) as { lsn: number; seq: number; op: string }[];
      const vecOf = db.prepare('SELECT vector FROM pattern_vectors WHERE seq = ? AND embedder = ?');
      for (const c of changes) {
        if (c.op === 'delete') index.remove(c.seq);
        else {
          const r = vecOf.get(c.seq, activeId) as { vector: Buffer } | undefined;
          if (r) index.upsert(c.seq, blobToVec(r.vector, activeDim));
        }
        hwm = c.lsn;
        replayed++;
      }
    } else {
      rebuildReason = loaded.reason;
      if (loaded.reason !== 'no persisted index') log.warn('rebuilding pattern index from the database', { reason: loaded.reason });
      index = IndexThread.create(activeDim, activeId, params, Math.max(opts.maxElements ?? 10_000, Math.ceil(total * 1.2)), thread);
      hwm = maxLsn;
      replayed = -1;
    }
    // Reconcile with the source of truth when counts disagree (or after a rebuild).
    const added = reconcile(db, index, activeId, activeDim, gap);
    if (gap) hwm = maxLsn;
    if (added >= 0 && replayed >= 0) log.warn('pattern index reconciled with the database', { added, live: index.size });
    const bank = new PatternBank(opts, bankId, activeId, activeDim, index, params);
    bank.hwm = hwm;
    bank.openInfo = { from: replayed < 0 ? 'rebuild' : 'file', replayed: Math.max(0, replayed), ms: Date.now() - started, ...(rebuildReason ? { reason: rebuildReason } : {}) };
    bank.unsaved = replayed === 0 && !resave ? 0 : Math.max(1, replayed);
    log.info('pattern bank open', { patterns: total, indexed: index.size, replayed: Math.max(0, replayed), rebuilt: replayed < 0, ms: Date.now() - started });
    // rows stored before redaction (or checked by an older scanner) are redacted before the bank serves
    await bank.rescanPrivacy();
    // written by the index worker while the bank already serves
    if (replayed !== 0 || added >= 0 || bank.privacyScan.redacted > 0 || resave) bank.flush().catch((e: Error) => log.error('index save after open failed', { error: e.message }));
    // An embedder different from the one the vectors were made with: re-embed in the background.
    if (activeId !== embedder.id) {
      log.notice('embedder changed; re-embedding patterns in the background', { from: activeId, to: embedder.id });
      bank.embedder = null; // the old embedder is not available: queries use lexical ranking until done
      bank.startSwitch(embedder);
    } else {
      const target = meta('target_embedder');
      if (target) db.prepare("DELETE FROM pattern_vectors WHERE embedder = ? AND embedder != ?").run(target, activeId);
      bank.st.delMeta.run('target_embedder');
    }
    return bank;
  }

  // ---------------------------------------------------------------- events

  onChange(listener: (c: PatternChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(c: PatternChange): void {
    for (const l of this.listeners) {
      try {
        l(c);
      } catch (e) {
        log.warn('pattern change listener threw', { error: (e as Error).message });
      }
    }
  }

  // ---------------------------------------------------------------- writes

  private ensureOpen(): void {
    if (this.closed) throw new Error('pattern bank is closed');
  }

  /** Embeds task texts with the active embedder and (during a switch) the target one. */
  private async embedFor(texts: string[]): Promise<{ active: Float32Array[] | null; target: Float32Array[] | null }> {
    const active = this.embedder ? await this.embedder.embed(texts) : null;
    const sw = this.switching;
    const target = sw ? await sw.target.embed(texts) : null;
    return { active, target };
  }

  async store(raw: PatternInput, opts?: StoreOptions): Promise<StoreResult> {
    this.ensureOpen();
    validateInput(raw);
    if (opts?.success !== undefined && typeof opts.success !== 'boolean') throw new Error('outcome success must be true or false');
    // scanned before anything is kept: the row, its FTS entry and its vector only ever see the redacted text
    const red = redactPatternText(raw);
    const input: StoredInput = { ...red.value, privacyCategories: red.categories };
    const { active, target } = await this.embedFor([input.task]);
    this.ensureOpen();
    return this.enqueue(input, active?.[0] ?? null, target?.[0] ?? null, null, opts);
  }

  /**
   * Group commit: stores that arrive together (e.g. the requests of one read from stdin) are written in one
   * SQLite transaction, in arrival order, and each is acknowledged only after that transaction committed.
   * Batches run one after another, so a store sees every store before it, committed or earlier in its batch.
   */
  private enqueue(input: StoredInput, vec: Float32Array | null, targetVec: Float32Array | null, imported: BundlePattern | null, opts?: StoreOptions): Promise<StoreResult> {
    return new Promise<StoreResult>((resolve, reject) => {
      this.queue.push({ input, vec, targetVec, imported, opts, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => void this.serial(() => this.commitQueued()));
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async commitQueued(): Promise<void> {
    // the index worker is far behind (a long burst of stores): wait until it has caught up halfway
    const room = this.index.roomFor(MAX_INDEX_BACKLOG);
    if (room) await room;
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length) setImmediate(() => void this.serial(() => this.commitQueued()));
    if (!batch.length) return;
    try {
      this.ensureOpen();
      // approaches shared by many patterns: their candidates come from the vector index (asked before the
      // transaction; the worker answers after applying every insert posted so far)
      const viaIndex = new Map<number, { label: number; sim: number }[]>();
      const shared = batch.flatMap((it, i) => (it.vec && this.st.countKey.get(approachKey(it.input.approach), EXACT_DEDUP_LIMIT + 1)!.n > EXACT_DEDUP_LIMIT ? [i] : []));
      if (shared.length) {
        await Promise.all(shared.map(async (i) => viaIndex.set(i, (await this.index.search(batch[i].vec!, 5, null, 16)).filter((h) => h.sim >= this.mergeThreshold))));
        this.ensureOpen();
      }
      const sw = this.switching;
      const done: ({ ok: Committed } | { err: Error })[] = [];
      const fresh: { seq: number; key: string; vec: Float32Array }[] = [];
      if (batch.length === 1) {
        try {
          this.tx.batch(() => done.push({ ok: this.writeOne(batch[0], viaIndex.get(0), fresh, sw) }));
        } catch (e) {
          done.splice(0, done.length, { err: e as Error });
        }
      } else {
        this.tx.batch(() => {
          batch.forEach((it, i) => {
            try {
              // each store in its own savepoint: one that fails leaves the others in the batch alone
              done.push({ ok: this.tx.one(it, viaIndex.get(i), fresh, sw) });
            } catch (e) {
              done.push({ err: e as Error });
            }
          });
        });
      }
      // committed: now the vector index(es), the events and the acknowledgements
      let first = 0;
      let last = 0;
      for (const d of done) if ('ok' in d && d.ok.lsn) (first ||= d.ok.lsn), (last = d.ok.lsn);
      if (first) {
        this.replayExternal(first);
        this.hwm = last;
      }
      const adds = done.flatMap((d, i) => ('ok' in d && d.ok.lsn && batch[i].vec ? [{ label: d.ok.seq, vec: batch[i].vec! }] : []));
      if (adds.length === 1) this.index.upsert(adds[0].label, adds[0].vec);
      else this.index.upsertMany(adds);
      done.forEach((d, i) => {
        const it = batch[i];
        if ('err' in d) return it.reject(d.err);
        if (d.ok.lsn) {
          if (it.targetVec && sw && this.switching === sw) {
            sw.index.upsert(d.ok.seq, it.targetVec);
            sw.total++;
            sw.done++;
          }
          this.noteChange();
        }
        const r = d.ok.result;
        this.emit({ type: r.merged ? 'updated' : 'created', id: r.id });
        it.resolve(r);
      });
    } catch (e) {
      for (const it of batch) it.reject(e as Error);
    }
  }

  /**
   * The same-approach near-duplicate of a store, or null: exact over the stored vectors when at most
   * EXACT_DEDUP_LIMIT patterns share the approach (this sees rows written earlier in the same transaction),
   * else among the vector index's candidates plus the patterns this batch added (not in the index yet).
   */
  private findDuplicate(vec: Float32Array | null, key: string, viaIndex: { label: number; sim: number }[] | undefined, fresh: { seq: number; key: string; vec: Float32Array }[]): Row | null {
    if (!vec) return null;
    let best = -1;
    let bestSim = -Infinity;
    const consider = (seq: number, sim: number) => {
      if (sim > bestSim) {
        best = seq;
        bestSim = sim;
      }
    };
    if (!viaIndex) {
      for (const r of this.st.sameKey.all(this.activeId, key, EXACT_DEDUP_LIMIT + MAX_BATCH)) consider(r.seq, dot(blobToVec(r.vector, vec.length), vec));
    } else {
      if (viaIndex.length) {
        const ok = new Set(this.st.sameApproach.all(key, JSON.stringify(viaIndex.map((h) => h.label))).map((r) => r.seq));
        for (const h of viaIndex) if (ok.has(h.label)) consider(h.label, h.sim);
      }
      for (const f of fresh) if (f.key === key) consider(f.seq, dot(f.vec, vec));
    }
    // stored vectors are half floats: a vector's similarity to its own stored copy is just below 1
    if (best < 0 || bestSim < this.mergeThreshold - 1e-3) return null;
    return this.st.bySeq.get(best) ?? null;
  }

  /** Writes one store inside the batch transaction: a merge into its near-duplicate, or a new pattern. */
  private writeOne(it: QueuedStore, viaIndex: { label: number; sim: number }[] | undefined, fresh: { seq: number; key: string; vec: Float32Array }[], sw: PatternBank['switching']): Committed {
    const { input, vec, targetVec, imported } = it;
    it.opts?.inTransaction?.();
    const won = it.opts?.success === true ? 1 : 0;
    const lost = it.opts?.success === false ? 1 : 0;
    const key = approachKey(input.approach);
    const now = new Date().toISOString();
    const tags = normTags(input.tags);
    const dup = this.findDuplicate(vec, key, viaIndex, fresh);
    if (dup) {
      const addCount = imported?.count ?? 1;
      const n = dup.count + addCount;
      const merged = normTags([...(JSON.parse(dup.tags) as string[]), ...tags]);
      this.st.merge.run(
        n,
        (dup.quality * dup.count + input.quality * addCount) / n,
        Math.round((dup.iterations * dup.count + (input.iterations ?? 0) * addCount) / n),
        dup.converged === 1 || input.converged ? 1 : 0,
        input.outcome ?? null,
        input.model ?? null,
        input.backend ?? null,
        input.route ?? null,
        JSON.stringify(merged),
        input.domain ?? null,
        input.agentId ?? null,
        imported?.uses ?? 0,
        (imported?.successes ?? 0) + won,
        (imported?.failures ?? 0) + lost,
        now,
        JSON.stringify(mergeCategories(parseCategories(dup.privacy_categories), input.privacyCategories)),
        dup.seq,
      );
      // an imported pattern merged under another id: remember its id so a re-import skips it
      if (imported) this.st.addAlias.run(imported.id, dup.seq);
      const pattern = this.patternOf(this.st.bySeq.get(dup.seq)!);
      return { seq: dup.seq, lsn: 0, result: { id: pattern.id, merged: true, pattern } };
    }
    const id = imported?.id && !this.st.byId.get(imported.id) ? imported.id : newId();
    const activeId = this.activeId;
    const row: Omit<Row, 'seq'> & { decision_id: string | null } = {
      id,
      task: input.task,
      approach: input.approach,
      approach_key: key,
      outcome: input.outcome ?? null,
      quality: input.quality,
      iterations: input.iterations ?? 0,
      converged: input.converged ? 1 : 0,
      model: input.model ?? null,
      backend: input.backend ?? null,
      route: input.route ?? null,
      tags: JSON.stringify(tags),
      domain: input.domain ?? null,
      agent_id: input.agentId ?? null,
      decision_id: input.decisionId ?? null,
      count: imported?.count ?? 1,
      uses: imported?.uses ?? 0,
      successes: (imported?.successes ?? 0) + won,
      failures: (imported?.failures ?? 0) + lost,
      embedder: vec ? activeId : (sw?.target.id ?? activeId),
      created_at: imported?.createdAt ?? now,
      updated_at: now,
      last_used_at: won || lost ? now : null,
      privacy_categories: JSON.stringify(input.privacyCategories),
    };
    const seq = Number(this.st.insert.run(row).lastInsertRowid);
    if (vec) this.st.insertVec.run(seq, activeId, vec.length, vecToBlob(vec));
    if (targetVec && sw) this.st.insertVec.run(seq, sw.target.id, targetVec.length, vecToBlob(targetVec));
    const lsn = Number(this.st.log.run(seq, 'upsert').lastInsertRowid);
    if (vec) fresh.push({ seq, key, vec });
    return { seq, lsn, result: { id, merged: false, pattern: toPattern({ ...row, seq }) } };
  }

  private noteChange(): void {
    this.unsaved++;
    this.docs = -1;
    if (++this.changesSinceDf > Math.max(100, this.index.size * 0.05)) {
      this.dfCache.clear();
      this.changesSinceDf = 0;
    }
    const every = this.persistEvery ?? Math.max(2000, Math.floor(this.index.size * 0.05));
    if (this.unsaved >= every && !this.flushing && !this.closed) {
      // the index worker writes the file; the main thread only trims the change log afterwards
      this.flush().catch((e: Error) => log.error('index save failed', { error: e.message }));
    }
  }

  /**
   * Another process (e.g. a CLI import) may write to the same database: its changes are log entries
   * this bank did not make. Replays those with lsn in (hwm, below); reconciles if some were already trimmed.
   */
  private replayExternal(below: number): void {
    if (below <= this.hwm + 1) return;
    const rows = this.st.logRange.all(this.hwm, below);
    for (const c of rows) {
      if (c.op === 'delete') {
        this.index.remove(c.seq);
        this.switching?.index.remove(c.seq);
      } else {
        const r = this.st.vecOf.get(c.seq, this.activeId);
        if (r) this.index.upsert(c.seq, blobToVec(r.vector, this.activeDim));
      }
      this.unsaved++;
    }
    this.docs = -1;
    this.dfCache.clear();
    if (rows.length < below - 1 - this.hwm) {
      const added = reconcile(this.db, this.index, this.activeId, this.activeDim);
      log.info('pattern index reconciled after changes by another process', { added, live: this.index.size });
    }
    if (rows.length) log.debug('applied pattern changes made by another process', { changes: rows.length });
  }

  /** Picks up changes other processes committed (checked at most every 200 ms, from reads: one indexed lookup). */
  private syncExternal(): void {
    const now = Date.now();
    if (now - this.lastSync < 200) return;
    this.lastSync = now;
    const max = this.st.maxLsn.get()?.m ?? 0;
    if (max > this.hwm) {
      this.replayExternal(max + 1);
      this.hwm = max;
    }
  }

  private rowOrThrow(id: string): Row {
    if (typeof id !== 'string' || !id) throw new Error('pattern id must be a non-empty string');
    const r = this.st.byId.get(id);
    if (!r) throw new Error(`unknown pattern id "${id}"; list patterns to see existing ids`);
    return r;
  }

  /** Adds the uses counted by finds (table pattern_usage) to rows read from patterns, in place. */
  private withUsage<T extends Row>(rows: T[], all = false): T[] {
    if (!rows.length) return rows;
    const usage = all ? this.st.usageAll.all() : this.st.usageOf.all(JSON.stringify(rows.map((r) => r.seq)));
    if (!usage.length) return rows;
    const bySeq = new Map(usage.map((u) => [u.seq, u.uses]));
    for (const r of rows) r.uses += bySeq.get(r.seq) ?? 0;
    return rows;
  }

  /** One pattern row with its uses, as a Pattern. */
  private patternOf(r: Row): Pattern {
    return toPattern(this.withUsage([r])[0]);
  }

  get(id: string): Pattern {
    this.ensureOpen();
    this.flushUses();
    return this.patternOf(this.rowOrThrow(id));
  }

  list(opts: { cursor?: string | null; limit?: number } = {}): { items: Pattern[]; nextCursor: string | null } {
    this.ensureOpen();
    this.flushUses();
    const limit = opts.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new Error(`list limit must be an integer from 1 to 1000, got ${limit}`);
    let after = 0;
    if (opts.cursor) {
      const raw = Buffer.from(opts.cursor, 'base64url').toString('utf8');
      const n = raw.startsWith('seq:') ? Number(raw.slice(4)) : NaN;
      if (!Number.isInteger(n) || n < 0) throw new Error(`invalid cursor "${opts.cursor}"; pass the nextCursor of a previous page`);
      after = n;
    }
    const rows = this.db.prepare('SELECT * FROM patterns WHERE seq > ? ORDER BY seq LIMIT ?').all(after, limit + 1) as Row[];
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return {
      items: this.withUsage(items).map(toPattern),
      nextCursor: more ? Buffer.from(`seq:${items[items.length - 1].seq}`).toString('base64url') : null,
    };
  }

  delete(id: string): void {
    this.ensureOpen();
    const r = this.rowOrThrow(id);
    this.deleteSeqs([r.seq]);
    this.emit({ type: 'deleted', id });
  }

  private deleteSeqs(seqs: number[]): void {
    let first = 0;
    let last = 0;
    writeTx(this.db, () => {
      for (const s of seqs) {
        this.st.del.run(s);
        last = Number(this.st.log.run(s, 'delete').lastInsertRowid);
        if (!first) first = last;
      }
    })();
    if (first) {
      this.replayExternal(first);
      this.hwm = last;
    }
    for (const s of seqs) {
      this.index.remove(s);
      this.switching?.index.remove(s);
      this.noteChange();
    }
  }

  recordOutcome(id: string, success: boolean, quality?: number): Pattern {
    this.ensureOpen();
    if (typeof success !== 'boolean') throw new Error('outcome success must be true or false');
    if (quality !== undefined && !(quality >= 0 && quality <= 1)) throw new Error(`outcome quality must be from 0 to 1, got ${quality}`);
    // read and updated in one transaction: another process's report in between is not overwritten
    const p = writeTx(this.db, () => {
      const r = this.rowOrThrow(id);
      const now = new Date().toISOString();
      // quality follows reported outcomes as an exponential moving average (weight 0.3 on the new report)
      const q = quality === undefined ? r.quality : r.quality * 0.7 + quality * 0.3;
      this.db
        .prepare('UPDATE patterns SET successes = successes + ?, failures = failures + ?, quality = ?, updated_at = ?, last_used_at = ? WHERE seq = ?')
        .run(success ? 1 : 0, success ? 0 : 1, q, now, now, r.seq);
      return this.patternOf(this.st.bySeq.get(r.seq)!);
    })();
    this.emit({ type: 'updated', id });
    return p;
  }

  /** Ids of the patterns stored with this routing decision id. */
  idsForDecision(decisionId: string): string[] {
    this.ensureOpen();
    return (this.db.prepare('SELECT id FROM patterns WHERE decision_id = ?').all(decisionId) as { id: string }[]).map((r) => r.id);
  }

  prune(now: Date = new Date()): { pruned: number; ids: string[] } {
    this.ensureOpen();
    this.flushUses();
    const o = this.pruneOpts;
    const cutoff = new Date(now.getTime() - o.unusedDays * 86_400_000).toISOString();
    const rows = this.db
      .prepare(
        `SELECT p.seq, p.id FROM patterns p LEFT JOIN pattern_usage u ON u.seq = p.seq WHERE
           (p.successes + p.failures >= @minUses AND CAST(p.failures AS REAL) / (p.successes + p.failures) > @maxFailureRate)
           OR (p.uses + COALESCE(u.uses, 0) + p.successes + p.failures < @minUses
               AND max(COALESCE(p.last_used_at, p.created_at), COALESCE(u.last_used_at, '')) < @cutoff)`,
      )
      .all({ minUses: o.minUses, maxFailureRate: o.maxFailureRate, cutoff }) as { seq: number; id: string }[];
    if (rows.length) this.deleteSeqs(rows.map((r) => r.seq));
    // read and written in one transaction: processes pruning at once add up, neither overwrites the other
    writeTx(this.db, () => {
      this.st.setMeta.run('pruned_total', String(Number(this.st.getMeta.get('pruned_total')?.value ?? 0) + rows.length));
      this.st.setMeta.run('last_prune', now.toISOString());
    })();
    if (rows.length) log.notice('pruned patterns', { pruned: rows.length, ids: rows.slice(0, 20).map((r) => r.id) });
    for (const r of rows) this.emit({ type: 'deleted', id: r.id });
    return { pruned: rows.length, ids: rows.map((r) => r.id) };
  }

  // ---------------------------------------------------------------- reads

  async find(q: FindQuery): Promise<FindResult> {
    this.ensureOpen();
    const k = q.k ?? 5;
    if (!Number.isInteger(k) || k < 1 || k > 100) throw new Error(`k must be an integer from 1 to 100, got ${k}`);
    if (q.minQuality !== undefined && !(q.minQuality >= 0 && q.minQuality <= 1)) throw new Error(`minQuality must be from 0 to 1, got ${q.minQuality}`);
    let text: string;
    let vec: Float32Array | null = null;
    let exclude = -1;
    if (q.patternId) {
      const r = this.rowOrThrow(q.patternId);
      text = r.task;
      exclude = r.seq;
      const stored = this.embedder ? this.st.vecOf.get(r.seq, this.activeId) : undefined;
      vec = stored ? blobToVec(stored.vector, this.activeDim) : null;
    } else if (typeof q.query === 'string' && q.query.trim()) {
      text = q.query;
      if (text.length > MAX_TEXT) throw new Error(`query must be at most ${MAX_TEXT} characters`);
    } else {
      throw new Error('find needs a query text or a patternId');
    }
    if (!vec && this.embedder) vec = (await this.embedder.embed([text]))[0];
    this.ensureOpen();
    if (!this.switching) this.syncExternal();
    return await this.rank(text, vec, q, k, exclude);
  }

  private filterSql(q: FindQuery): { sql: string; params: Record<string, unknown> } {
    const parts: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.minQuality !== undefined) {
      parts.push('quality >= @minQuality');
      params.minQuality = q.minQuality;
    }
    if (q.domain !== undefined) {
      parts.push('domain = @domain');
      params.domain = q.domain;
    }
    if (q.agentId !== undefined) {
      parts.push('agent_id = @agentId');
      params.agentId = q.agentId;
    }
    if (q.converged !== undefined) {
      parts.push('converged = @converged');
      params.converged = q.converged ? 1 : 0;
    }
    if (q.tags && q.tags.length) {
      parts.push('NOT EXISTS (SELECT 1 FROM json_each(@tags) t WHERE t.value NOT IN (SELECT value FROM json_each(patterns.tags)))');
      params.tags = JSON.stringify(normTags(q.tags));
    }
    return { sql: parts.join(' AND '), params };
  }

  /** FTS5 candidates through the query's rarer terms (bounded posting-list work) and the terms' idf. */
  private lexicalCandidates(text: string, filter: { sql: string; params: Record<string, unknown> }, hasFilter: boolean, k: number): { idf: Map<string, number>; lex: number[] } {
    const terms = [...new Set(lexTerms(text))].slice(0, 32);
    const lexCand = Math.max(k + 5, 15);
    const idf = new Map<string, number>();
    if (!terms.length) return { idf, lex: [] };
    const N = Math.max(1, this.docCount());
    const withDf = terms.map((t) => ({ t, df: this.docFreq(t) })).filter((x) => x.df > 0);
    for (const x of withDf) idf.set(stem(x.t), Math.log(1 + (N - x.df + 0.5) / (x.df + 0.5)));
    withDf.sort((a, b) => a.df - b.df);
    const pick: string[] = [];
    let budget = LEX_POSTING_BUDGET;
    for (const x of withDf) {
      if (x.df > budget) break;
      pick.push(x.t);
      budget -= x.df;
    }
    if (!pick.length) return { idf, lex: [] };
    const match = pick.map((t) => `"${t}"`).join(' OR ');
    const lex = hasFilter
      ? (this.db
          .prepare(
            `SELECT f.rowid AS seq FROM patterns_fts f JOIN patterns ON patterns.seq = f.rowid
             WHERE patterns_fts MATCH @match AND ${filter.sql} ORDER BY bm25(patterns_fts, 1.0, 0.3, 0.2) LIMIT @lim`,
          )
          .all({ ...filter.params, match, lim: lexCand }) as { seq: number }[])
      : this.st.fts.all(match, lexCand);
    return { idf, lex: lex.map((r) => r.seq) };
  }

  private async rank(text: string, vec: Float32Array | null, q: FindQuery, k: number, exclude: number): Promise<FindResult> {
    const filter = this.filterSql(q);
    const hasFilter = filter.sql !== '';
    const nCand = Math.max(k * 2, 20);
    const cand = new Map<number, { v: number; l: number }>();
    let allowed: Set<number> | null = null;
    // the vector search runs in the index worker while this thread does the lexical candidate search
    const pendingHits = vec ? this.index.search(vec, nCand + 1) : null;
    pendingHits?.catch(() => undefined); // awaited below; no unhandled rejection if the lexical side throws first
    const lexical = this.lexicalCandidates(text, filter, hasFilter, k);
    // vector side
    if (vec) {
      let hits = await pendingHits!;
      if (hasFilter) {
        const ok = this.filterSeqs(hits.map((h) => h.label), filter);
        const kept = hits.filter((h) => ok.has(h.label));
        if (kept.length < k + 1) {
          allowed = new Set((this.db.prepare(`SELECT seq FROM patterns WHERE ${filter.sql}`).all(filter.params) as { seq: number }[]).map((r) => r.seq));
          const a = allowed;
          hits = a.size ? await this.index.search(vec, nCand + 1, a) : [];
        } else hits = kept;
      }
      for (const h of hits) if (h.label !== exclude) cand.set(h.label, { v: h.sim, l: 0 });
    }
    // lexical side: FTS5 finds candidates through the query's rarer terms (bounded posting-list work),
    // then every candidate gets a BM25 score over its task text, normalised by the query's self-score.
    const { idf, lex } = lexical;
    if (lex.length) {
      const only = lex.filter((q) => q !== exclude && !cand.has(q));
      for (const q of only) cand.set(q, { v: 0, l: 0 });
      // lexical-only candidates: their vector similarity from the stored vectors (hnswlib's getPoint is slow)
      if (vec && only.length) {
        for (const r of this.st.vecsOf.all(this.activeId, JSON.stringify(only))) cand.get(r.seq)!.v = dot(blobToVec(r.vector, vec.length), vec);
      }
    }
    const candRows = cand.size ? this.st.tasksOf.all(JSON.stringify([...cand.keys()])) : [];
    const rows = new Map(candRows.map((r) => [r.seq, r.task]));
    if (idf.size) {
      const qTerms = new Map<string, number>();
      for (const t of lexTerms(text)) {
        const st = stem(t);
        if (idf.has(st)) qTerms.set(st, (qTerms.get(st) ?? 0) + 1);
      }
      const self = bm25(qTerms, qTerms, [...qTerms.values()].reduce((a, b) => a + b, 0), idf);
      for (const [seq, c] of cand) {
        const task = rows.get(seq);
        if (task === undefined || self <= 0) continue;
        const dt = new Map<string, number>();
        let len = 0;
        for (const t of lexTerms(task)) {
          const st = stem(t);
          dt.set(st, (dt.get(st) ?? 0) + 1);
          len++;
        }
        c.l = Math.min(1, bm25(qTerms, dt, len, idf) / self);
      }
    }
    const wv = vec ? this.weights.vector : 0;
    const wl = vec ? this.weights.lexical : 1;
    const scored = [...cand.entries()]
      .filter(([seq]) => rows.has(seq))
      .map(([seq, c]) => ({ seq, v: c.v, l: c.l, score: wv * c.v + wl * c.l }))
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
    const full = scored.length ? new Map(this.withUsage(this.st.bySeqs.all(JSON.stringify(scored.map((x) => x.seq)))).map((r) => [r.seq, r])) : new Map<number, Row>();
    const matches: PatternMatch[] = [];
    for (const s of scored) {
      const row = full.get(s.seq);
      if (!row) continue;
      const p = toPattern(row);
      p.uses += (this.pendingUses.get(s.seq) ?? 0) + 1;
      matches.push({ pattern: p, score: round4(s.score), vectorScore: round4(s.v), lexicalScore: round4(s.l) });
    }
    if (matches.length) this.recordUses(scored.map((s) => s.seq));
    return { matches, recommendation: recommend(matches), embedder: this.embedder ? this.activeId : 'lexical-only (re-embedding)' };
  }

  /** Usage counts are batched: written within a second (and at close), not inside every find. */
  private recordUses(seqs: number[]): void {
    for (const s of seqs) this.pendingUses.set(s, (this.pendingUses.get(s) ?? 0) + 1);
    if (!this.usesTimer) {
      this.usesTimer = setTimeout(() => this.flushUses(), 1000);
      this.usesTimer.unref();
    }
  }

  /**
   * Writes the batched usage counts (one transaction; grouped by count, one statement per group). The counts are
   * dropped only once the write committed: a failed write (e.g. the database stayed locked) keeps them for the next
   * flush, retried within a few seconds.
   */
  private flushUses(): void {
    if (this.usesTimer) clearTimeout(this.usesTimer);
    this.usesTimer = null;
    if (!this.pendingUses.size || this.closed) return;
    const now = new Date().toISOString();
    const byCount = new Map<number, number[]>();
    for (const [seq, n] of this.pendingUses) {
      const list = byCount.get(n);
      if (list) list.push(seq);
      else byCount.set(n, [seq]);
    }
    try {
      writeTx(this.db, () => {
        for (const [n, seqs] of byCount) this.st.use.run(n, now, JSON.stringify(seqs));
      })();
    } catch (e) {
      log.warn('pattern usage counts not written; kept and retried', { patterns: this.pendingUses.size, error: (e as Error).message });
      if (!this.closing) {
        this.usesTimer = setTimeout(() => this.flushUses(), 5000);
        this.usesTimer.unref();
      }
      return;
    }
    this.pendingUses.clear(); // the write is synchronous: no find added counts meanwhile
  }

  private docCount(): number {
    if (this.docs < 0) this.docs = this.st.count.get()!.n;
    return this.docs;
  }

  /** Documents containing a term (FTS5 posting list length), cached until the bank changes by ~5%. */
  private docFreq(term: string): number {
    const hit = this.dfCache.get(term);
    if (hit !== undefined) return hit;
    const n = this.st.ftsCount.get(`"${term}"`)!.n;
    if (this.dfCache.size > 20_000) this.dfCache.clear();
    this.dfCache.set(term, n);
    return n;
  }

  private filterSeqs(seqs: number[], f: { sql: string; params: Record<string, unknown> }): Set<number> {
    if (!seqs.length) return new Set();
    const rows = this.db
      .prepare(`SELECT seq FROM patterns WHERE seq IN (SELECT value FROM json_each(@seqs)) AND ${f.sql}`)
      .all({ ...f.params, seqs: JSON.stringify(seqs) }) as { seq: number }[];
    return new Set(rows.map((r) => r.seq));
  }

  /** Diagnostic: raw nearest neighbours of a vector in the active index (labels are pattern_vectors.seq). */
  async vectorSearch(vec: Float32Array, k: number): Promise<{ seq: number; sim: number }[]> {
    return (await this.index.search(vec, k)).map((h) => ({ seq: h.label, sim: h.sim }));
  }

  /**
   * Resolves when the HNSW graph holds every committed store. Not needed for correctness (searches also scan the
   * vectors still queued for insertion, exactly); benchmarks use it to measure the insert backlog.
   */
  async whenIndexed(): Promise<void> {
    await this.index.sync();
  }

  /** The embedder serving queries (null while an open-time re-embedding runs). */
  get activeEmbedder(): Embedder | null {
    return this.embedder;
  }

  // ---------------------------------------------------------------- bundles

  exportBundle(format: 'msgpack' | 'json' = 'msgpack'): Buffer {
    this.ensureOpen();
    this.flushUses();
    const rows = this.withUsage(this.db.prepare('SELECT * FROM patterns ORDER BY seq').all() as Row[], true);
    const vecs = new Map<number, Buffer>();
    if (format === 'msgpack') {
      for (const r of this.db.prepare('SELECT seq, vector FROM pattern_vectors WHERE embedder = ?').all(this.activeId) as { seq: number; vector: Buffer }[]) vecs.set(r.seq, r.vector);
    }
    const patterns: BundlePattern[] = rows.map((r) => {
      const p = toPattern(r);
      // Rows are redacted when stored and when the bank opens; a bundle leaves the machine, so it is checked
      // once more (a row another process wrote with an older scanner): text that changes loses its vector.
      const red = redactPatternText({ task: p.task, approach: p.approach, outcome: p.outcome, tags: p.tags });
      if (red.changed) {
        Object.assign(p, red.value, { privacyCategories: mergeCategories(p.privacyCategories, red.categories) });
        vecs.delete(r.seq);
      }
      return {
        id: p.id,
        task: p.task,
        approach: p.approach,
        outcome: p.outcome,
        quality: p.quality,
        iterations: p.iterations,
        converged: p.converged,
        model: p.model,
        backend: p.backend,
        route: p.route,
        tags: p.tags,
        domain: p.domain,
        agentId: p.agentId,
        count: p.count,
        uses: p.uses,
        successes: p.successes,
        failures: p.failures,
        createdAt: p.createdAt,
        updatedAt: p.updatedAt,
        privacyCategories: p.privacyCategories,
        vector: vecs.has(r.seq) ? new Uint8Array(vecs.get(r.seq)!) : undefined,
      };
    });
    return encodeBundle(format, { embedder: this.activeId, dim: this.activeDim, exportedAt: new Date().toISOString(), patterns });
  }

  async importBundle(buf: Buffer): Promise<{ imported: number; merged: number; skipped: number }> {
    this.ensureOpen();
    const b = decodeBundle(buf);
    let imported = 0;
    let merged = 0;
    let skipped = 0;
    const reuse = b.embedder === this.activeId && b.dim === this.activeDim && !!this.embedder;
    const BATCH = 64;
    for (let i = 0; i < b.patterns.length; i += BATCH) {
      const batch = b.patterns.slice(i, i + BATCH).filter((p) => {
        if (this.st.byId.get(p.id) || this.st.alias.get(p.id)) {
          skipped++;
          return false;
        }
        return true;
      });
      // a bundle's text is scanned like a store's; a vector it carries for text that had to be redacted is not kept
      const red = new Map(batch.map((p) => [p, redactPatternText({ task: p.task, approach: p.approach, outcome: p.outcome, tags: p.tags })]));
      const need = batch.filter((p) => red.get(p)!.changed || !(reuse && p.vector && (p.vector.byteLength === this.activeDim * 2 || p.vector.byteLength === this.activeDim * 4)));
      const emb = need.length ? await this.embedFor(need.map((p) => red.get(p)!.value.task)) : { active: null, target: null };
      this.ensureOpen();
      for (const p of batch) {
        const ni = need.indexOf(p);
        const vec = ni >= 0 ? (emb.active?.[ni] ?? null) : blobToVec(p.vector!, this.activeDim);
        const tv = ni >= 0 ? (emb.target?.[ni] ?? null) : null;
        const input: PatternInput = {
          task: p.task,
          approach: p.approach,
          outcome: p.outcome ?? undefined,
          quality: p.quality,
          iterations: p.iterations,
          converged: p.converged,
          model: p.model ?? undefined,
          backend: p.backend ?? undefined,
          route: p.route ?? undefined,
          tags: p.tags,
          domain: p.domain ?? undefined,
          agentId: p.agentId ?? undefined,
        };
        validateInput(input);
        const r0 = red.get(p)!;
        const stored: StoredInput = {
          ...input,
          task: r0.value.task,
          approach: r0.value.approach,
          outcome: r0.value.outcome ?? undefined,
          tags: r0.value.tags,
          privacyCategories: mergeCategories(p.privacyCategories ?? [], r0.categories),
        };
        const targetVec = tv ?? (this.switching && ni < 0 ? (await this.switching.target.embed([stored.task]))[0] : null);
        const r = await this.enqueue(stored, vec, targetVec, p);
        if (r.merged) merged++;
        else imported++;
      }
    }
    log.info('bundle imported', { imported, merged, skipped });
    return { imported, merged, skipped };
  }

  // ---------------------------------------------------------------- embedder switch

  /**
   * Re-embeds every pattern with `e` in the background. Until it is done, queries keep
   * using the current embedder and index; then the new index replaces the old one and the
   * old vectors are deleted. Vectors of different embedders never share an index.
   */
  async switchEmbedder(e: Embedder, onProgress?: (p: ReembedProgress) => void): Promise<void> {
    this.ensureOpen();
    if (isProbing(e)) await e.ready();
    if (e.id === this.activeId && !this.switching) return;
    if (this.switching) {
      if (this.switching.target.id === e.id) return this.switching.promise;
      this.switching.cancelled = true;
      await this.switching.promise.catch(() => undefined);
    }
    this.startSwitch(e, onProgress);
    return this.switching!.promise;
  }

  /** Resolves when a running re-embedding finishes (immediately when none runs); rejects if it failed. */
  whenReembedded(): Promise<void> {
    return this.switching ? this.switching.promise : Promise.resolve();
  }

  private startSwitch(target: Embedder, onProgress?: (p: ReembedProgress) => void): void {
    if (!target.dim) throw new Error(`embedder ${target.id} reports no dimension`);
    this.st.setMeta.run('target_embedder', target.id);
    const total = this.st.count.get()!.n;
    const sw = {
      target,
      index: IndexThread.create(target.dim, target.id, this.params, Math.max(1000, Math.ceil(total * 1.2)), this.index.thread),
      done: 0,
      total,
      cancelled: false,
      promise: Promise.resolve(),
    };
    this.switching = sw;
    sw.promise = this.runSwitch(sw, onProgress)
      .catch((err: Error) => {
        log.error('re-embedding failed; keeping the current embedder', { target: target.id, error: err.message });
        if (this.switching === sw) this.switching = null;
        throw err;
      })
      .finally(() => {
        if (this.index !== sw.index) void sw.index.close(); // cancelled or failed: its worker goes
      });
    sw.promise.catch(() => undefined);
  }

  private async runSwitch(sw: NonNullable<PatternBank['switching']>, onProgress?: (p: ReembedProgress) => void): Promise<void> {
    const tid = sw.target.id;
    // vectors left by an interrupted switch to the same embedder
    for (const r of this.db.prepare('SELECT v.seq, v.vector FROM pattern_vectors v JOIN patterns p ON p.seq = v.seq WHERE v.embedder = ?').all(tid) as { seq: number; vector: Buffer }[]) {
      sw.index.upsert(r.seq, blobToVec(r.vector, sw.target.dim));
      sw.done++;
    }
    const next = this.db.prepare(
      `SELECT p.seq, p.task FROM patterns p WHERE p.seq > ? AND NOT EXISTS (SELECT 1 FROM pattern_vectors v WHERE v.seq = p.seq AND v.embedder = ?) ORDER BY p.seq LIMIT 64`,
    );
    let after = 0;
    onProgress?.({ done: sw.done, total: sw.total });
    for (;;) {
      if (sw.cancelled || this.closed) return;
      const rows = next.all(after, tid) as { seq: number; task: string }[];
      if (!rows.length) break;
      after = rows[rows.length - 1].seq;
      const vecs = await sw.target.embed(rows.map((r) => r.task));
      if (sw.cancelled || this.closed) return;
      if (vecs.some((v) => v.length !== sw.target.dim)) throw new Error(`embedder ${tid} returned vectors of the wrong dimension`);
      const stored: number[] = [];
      writeTx(this.db, () => {
        rows.forEach((r, i) => {
          if (!this.st.bySeq.get(r.seq)) return; // deleted meanwhile
          this.st.insertVec.run(r.seq, tid, vecs[i].length, vecToBlob(vecs[i]));
          stored.push(i);
        });
      })();
      for (const i of stored) sw.index.upsert(rows[i].seq, vecs[i]);
      sw.done += rows.length;
      sw.total = Math.max(sw.total, sw.done);
      onProgress?.({ done: sw.done, total: sw.total });
      await new Promise((r) => setImmediate(r));
    }
    // switch over atomically in the database, then in memory
    const old = this.activeId;
    writeTx(this.db, () => {
      this.db.prepare('UPDATE patterns SET embedder = ?').run(tid);
      this.db.prepare('DELETE FROM pattern_vectors WHERE embedder = ?').run(old);
      this.st.setMeta.run('active_embedder', tid);
      this.st.setMeta.run('active_dim', String(sw.target.dim));
      this.st.delMeta.run('target_embedder');
    })();
    const oldIndex = this.index;
    this.index = sw.index;
    void oldIndex.close();
    this.embedder = sw.target;
    this.activeId = tid;
    this.activeDim = sw.target.dim;
    this.switching = null;
    this.hwm = this.st.maxLsn.get()?.m ?? 0;
    this.unsaved = 1;
    await this.flush();
    onProgress?.({ done: sw.total, total: sw.total });
    log.notice('embedder switched', { from: old, to: tid, patterns: this.index.size });
  }

  // ---------------------------------------------------------------- privacy rescan

  /** What the open-time privacy rescan did: rows read, rows redacted, time taken. */
  private privacyScan = { version: PRIVACY_SCAN_VERSION, scanned: 0, redacted: 0, ms: 0 };

  /**
   * Redacts in place the rows stored before redaction existed, or checked with an older scanner version
   * (pattern_meta privacy_scan: {version, after, done}), in batches of RESCAN_BATCH rows, each batch one
   * write transaction that also records how far the pass got (an interrupted pass resumes there). Text and
   * categories are updated (the FTS triggers follow); a row whose task changed gets the vector of its
   * redacted task (vectors of other embedders are dropped: a running switch re-embeds from the new text).
   * A row changed meanwhile by another process is read again. Afterwards the FTS index is optimised and
   * the WAL checkpointed, with secure_delete on, so the old text leaves the database files too.
   */
  private async rescanPrivacy(): Promise<void> {
    const started = Date.now();
    let state: { version?: number; after?: number; done?: boolean } = {};
    try {
      state = JSON.parse(this.st.getMeta.get('privacy_scan')?.value ?? '{}') as typeof state;
    } catch {
      /* unreadable: rescan from the start */
    }
    if (state.version === PRIVACY_SCAN_VERSION && state.done) return;
    let after = state.version === PRIVACY_SCAN_VERSION && Number.isInteger(state.after) ? state.after! : 0;
    const embedder = this.embedder && this.embedder.id === this.activeId ? this.embedder : null;
    const db = this.db;
    const next = db.prepare<[number, number], { seq: number; task: string; approach: string; outcome: string | null; tags: string; privacy_categories: string }>(
      'SELECT seq, task, approach, outcome, tags, privacy_categories FROM patterns WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    const update = db.prepare(
      `UPDATE patterns SET task = @task, approach = @approach, approach_key = @key, outcome = @outcome, tags = @tags, privacy_categories = @cats
       WHERE seq = @seq AND task = @oldTask AND approach = @oldApproach AND outcome IS @oldOutcome AND tags = @oldTags`,
    );
    const dropOthers = db.prepare('DELETE FROM pattern_vectors WHERE seq = ? AND embedder != ?');
    const dropAll = db.prepare('DELETE FROM pattern_vectors WHERE seq = ?');
    const secureDelete = db.pragma('secure_delete', { simple: true });
    db.pragma('secure_delete = ON');
    let scanned = 0;
    let redacted = 0;
    let retries = 0;
    try {
      for (;;) {
        const rows = next.all(after, RESCAN_BATCH);
        if (!rows.length) break;
        scanned += rows.length;
        const changed: { seq: number; old: (typeof rows)[number]; task: string; approach: string; outcome: string | null; tags: string; cats: string[]; vec: Float32Array | null }[] = [];
        for (const r of rows) {
          const red = redactPatternText({ task: r.task, approach: r.approach, outcome: r.outcome, tags: JSON.parse(r.tags) as string[] });
          if (!red.changed) continue;
          const v = red.value;
          changed.push({ seq: r.seq, old: r, task: v.task, approach: v.approach, outcome: v.outcome ?? null, tags: JSON.stringify(normTags(v.tags)), cats: mergeCategories(parseCategories(r.privacy_categories), red.categories), vec: null });
        }
        const reembed = changed.filter((c) => c.task !== c.old.task);
        if (embedder && reembed.length) {
          try {
            const vecs = await embedder.embed(reembed.map((c) => c.task));
            reembed.forEach((c, i) => (c.vec = vecs[i]?.length === this.activeDim ? vecs[i] : null));
          } catch (e) {
            log.warn('re-embedding redacted patterns failed; they are found by words until re-embedded', { patterns: reembed.length, error: (e as Error).message });
          }
        }
        this.ensureOpen();
        let retryFrom = Infinity;
        let first = 0;
        let last = 0;
        const indexed: { seq: number; vec: Float32Array | null }[] = [];
        writeTx(db, () => {
          for (const c of changed) {
            const o = c.old;
            const ok = update.run({ seq: c.seq, task: c.task, approach: c.approach, key: approachKey(c.approach), outcome: c.outcome, tags: c.tags, cats: JSON.stringify(c.cats),
              oldTask: o.task, oldApproach: o.approach, oldOutcome: o.outcome, oldTags: o.tags }).changes;
            if (!ok) {
              if (this.st.bySeq.get(c.seq)) retryFrom = Math.min(retryFrom, c.seq); // changed by another process: read it again
              continue;
            }
            redacted++;
            if (c.task === o.task) continue;
            if (c.vec) {
              dropOthers.run(c.seq, this.activeId);
              this.st.insertVec.run(c.seq, this.activeId, c.vec.length, vecToBlob(c.vec));
            } else dropAll.run(c.seq);
            last = Number(this.st.log.run(c.seq, c.vec ? 'upsert' : 'delete').lastInsertRowid);
            first ||= last;
            indexed.push({ seq: c.seq, vec: c.vec });
          }
          if (retryFrom !== Infinity && ++retries > 100) {
            log.warn('patterns keep changing during the privacy rescan; the next open checks them again', { seq: retryFrom });
            retryFrom = Infinity;
          }
          after = retryFrom !== Infinity ? retryFrom - 1 : rows[rows.length - 1].seq;
          this.st.setMeta.run('privacy_scan', JSON.stringify({ version: PRIVACY_SCAN_VERSION, after, done: false }));
        })();
        if (first) {
          this.replayExternal(first);
          this.hwm = last;
        }
        for (const x of indexed) {
          if (x.vec) this.index.upsert(x.seq, x.vec);
          else this.index.remove(x.seq);
          this.noteChange();
        }
        await new Promise((r) => setImmediate(r));
      }
      this.st.setMeta.run('privacy_scan', JSON.stringify({ version: PRIVACY_SCAN_VERSION, after, done: true }));
      // deleted FTS entries stay in older segments until merged: merge them all, so no old token remains
      if (redacted) db.prepare("INSERT INTO patterns_fts(patterns_fts) VALUES ('optimize')").run();
    } finally {
      db.pragma(`secure_delete = ${secureDelete ? 'ON' : 'OFF'}`);
    }
    if (redacted) {
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (e) {
        log.warn('checkpoint after the privacy rescan failed', { error: (e as Error).message });
      }
    }
    this.privacyScan = { version: PRIVACY_SCAN_VERSION, scanned, redacted, ms: Date.now() - started };
    if (scanned) log.notice('patterns rescanned for secrets and personal data', { scanned, redacted, ms: this.privacyScan.ms });
  }

  // ---------------------------------------------------------------- lifecycle

  stats(): PatternBankStats & {
    hwm: number;
    unsavedChanges: number;
    switchingTo: string | null;
    /** How the index was obtained at open: loaded from its file (plus replayed log entries) or rebuilt from SQLite, and why. */
    indexLoad: { from: 'file' | 'rebuild'; replayed: number; ms: number; reason?: string };
    /** Committed vectors still queued for the HNSW graph (searched exactly meanwhile), and where the index runs. */
    indexQueue: number;
    indexThread: boolean;
    /** The open-time privacy rescan: rows read and redacted (0 and 0 when the bank was already scanned). */
    privacyScan: { version: number; scanned: number; redacted: number; ms: number };
  } {
    if (!this.switching && !this.closed) this.syncExternal(); // `indexed` includes other processes' stores
    return {
      total: this.st.count.get()!.n,
      indexed: this.index.size,
      embedder: this.activeId,
      dim: this.activeDim,
      reembedding: this.switching ? { done: this.switching.done, total: this.switching.total } : null,
      pruned: Number(this.st.getMeta.get('pruned_total')?.value ?? 0),
      lastPrune: this.st.getMeta.get('last_prune')?.value ?? null,
      hwm: this.hwm,
      unsavedChanges: this.unsaved,
      switchingTo: this.switching?.target.id ?? null,
      indexLoad: { ...this.openInfo },
      indexQueue: this.index.backlog,
      indexThread: this.index.thread,
      privacyScan: { ...this.privacyScan },
    };
  }

  /**
   * Persists the index (written by the index worker with every change posted so far) and then trims the
   * change log it contains. Concurrent calls share one save.
   */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.flushing) return this.flushing.then(() => (this.unsaved > 0 ? this.flush() : undefined));
    this.flushing = this.save().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async save(): Promise<void> {
    const hwm = this.hwm;
    const changes = this.unsaved;
    const index = this.index;
    await index.save(this.indexPath, this.bankId, hwm);
    if (this.index !== index) return; // an embedder switch replaced the index meanwhile (and saved its own)
    writeTx(this.db, () => {
      this.db.prepare('DELETE FROM pattern_vec_log WHERE lsn <= ?').run(hwm);
      this.st.setMeta.run('log_trimmed_upto', String(hwm));
    })();
    this.unsaved = Math.max(0, this.unsaved - changes);
  }

  async close(): Promise<void> {
    if (this.closed || this.closing) return this.closing ?? undefined;
    this.closing = (async () => {
      if (this.timer) clearInterval(this.timer);
      if (this.switching) {
        this.switching.cancelled = true;
        await this.switching.promise.catch(() => undefined);
      }
      while (this.queue.length) await this.serial(() => this.commitQueued());
      await this.chain;
      this.flushUses();
      await this.flushing?.catch(() => undefined);
      if (this.unsaved > 0) await this.flush().catch((e: Error) => log.error('index save at close failed', { error: e.message }));
      this.closed = true;
      await this.index.close();
    })();
    return this.closing;
  }
}

/** Makes the index hold exactly the vectors SQLite has for the embedder; returns how many were added (-1: nothing to do). */
function reconcile(db: DB, index: IndexThread, embedder: string, dim: number, force = false): number {
  const liveInDb = (db.prepare('SELECT COUNT(*) AS n FROM pattern_vectors WHERE embedder = ?').get(embedder) as { n: number }).n;
  if (index.size === liveInDb && !force) return -1;
  const rows = db.prepare('SELECT seq FROM pattern_vectors WHERE embedder = ?').all(embedder) as { seq: number }[];
  const want = new Set(rows.map((r) => r.seq));
  for (const l of [...index.live]) if (!want.has(l)) index.remove(l);
  const vecOf = db.prepare('SELECT vector FROM pattern_vectors WHERE seq = ? AND embedder = ?');
  let added = 0;
  for (const s of want) {
    if (index.has(s)) continue;
    index.upsert(s, blobToVec((vecOf.get(s, embedder) as { vector: Buffer }).vector, dim));
    added++;
  }
  return added;
}

/** Upper bound on posting-list entries the lexical candidate query may touch (keeps find fast at 100k+). */
const LEX_POSTING_BUDGET = 400;

/** Terms as FTS5's unicode61 tokenizer sees them (lower-case alphanumeric runs), minus stopwords. */
function lexTerms(text: string): string[] {
  const out: string[] = [];
  for (const t of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) if (!isStopword(t)) out.push(t);
  return out;
}

function bm25(q: Map<string, number>, d: Map<string, number>, dlen: number, idf: Map<string, number>): number {
  const k1 = 1.2;
  const b = 0.75;
  const avg = 8; // typical task length in content words
  let s = 0;
  for (const [t, qn] of q) {
    const f = d.get(t);
    if (!f) continue;
    s += qn * (idf.get(t) ?? 0) * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * dlen) / avg)));
  }
  return s;
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** The best approach among the matches: similarity x quality x reliability, summed per approach. */
export function recommend(matches: PatternMatch[]): FindResult['recommendation'] {
  if (!matches.length) return null;
  const groups = new Map<string, { value: number; best: PatternMatch; reliability: number }>();
  let sum = 0;
  for (const m of matches) {
    const p = m.pattern;
    // with no reported outcomes the stored quality stands in for the success rate
    const reliability = (p.successes + 2 * p.quality) / (p.successes + p.failures + 2);
    const value = Math.max(0, m.score) * p.quality * reliability * Math.log2(1 + p.count);
    sum += value;
    const key = approachKey(p.approach);
    const g = groups.get(key);
    if (!g) groups.set(key, { value, best: m, reliability });
    else {
      g.value += value;
      if (m.score > g.best.score) {
        g.best = m;
        g.reliability = reliability;
      }
    }
  }
  let top: { value: number; best: PatternMatch; reliability: number } | null = null;
  for (const g of groups.values()) if (!top || g.value > top.value) top = g;
  if (!top || top.value <= 0) return null;
  const share = sum > 0 ? top.value / sum : 0;
  const confidence = Math.min(1, Math.max(0, top.best.score)) * top.reliability * (0.5 + 0.5 * share);
  return { approach: top.best.pattern.approach, patternId: top.best.pattern.id, confidence: round4(confidence) };
}
