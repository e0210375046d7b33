/**
 * The pattern bank's repository on PostgreSQL (issue 14): the source of truth for a fleet of nodes, each of which
 * keeps its HNSW index as a replica caught up from the change log `pattern_log`.
 *
 * The change log's order is the commit order. A sequence alone is not: transaction A takes lsn 5, B takes 6, B
 * commits first; a node that read 6 and then asks for "after 6" would never see 5. So every transaction that
 * appends to the log first takes one transaction-scoped advisory lock (LOG_LOCK), held until its COMMIT, and only
 * then takes its lsns: a later lsn is taken only after every earlier one committed (PostgreSQL releases the lock
 * after the commit is visible). A reader that saw lsn L has therefore seen everything below L. The group-commit
 * queue hands a whole batch to one transaction, and the batch's entries are appended together at its end, so the
 * lock is held for one INSERT and the COMMIT: one lock per batch.
 *
 * The log holds what a replica must apply: new vectors (upsert), changed vectors (a redaction that changed the
 * task: upsert, or delete when the vector was dropped), deletes and prunes (delete: a tombstone). A merge into a
 * near-duplicate changes no vector (the row's counts and quality are read from PostgreSQL at find time), so it is
 * not logged. The transaction that appends also NOTIFYs `ruvllm_patterns` (delivered at COMMIT); `watch()` wakes a
 * node on that, on every reconnect of its listener, and on a timer that compares the highest lsn.
 *
 * Full text: a stored tsvector of task (weight A), approach (B) and tags (C), stemmed, with a GIN index
 * (migrations-patterns.ts). The bank's default ranking ('js-bm25', lexical.ts) asks only for document frequencies
 * (docFreq) and for candidates (textSearch: which ~15 patterns, through the query's rarer terms); it scores them
 * itself. The database-ranked path (textScores, 'fts5-bm25' on SQLite) gets PostgreSQL's ts_rank here, which is not
 * BM25: term frequency with the column weights, no inverse document frequency, no length normalisation.
 *
 * Besides PatternsRepo: `watch` (ChangeFeed: the bank's catch-up is woken by other nodes' commits) and `countOutcome`
 * (the outcome unit of work's tally of a decision's patterns, inside its transaction).
 */
import { randomUUID } from 'node:crypto';
import { blobToVec, vecToBlob } from '../float16.js';
import type {
  BankInit,
  ChangeFeed,
  CommittedStore,
  DuplicateCandidate,
  FindRows,
  FindRowsQuery,
  NewPatternRow,
  PatternFilter,
  PatternRow,
  PatternsRepo,
  RedactionChange,
  StoreWrite,
  VecLogEntry,
  WritePolicy,
} from '../patterns-repo.js';
import { currentTransaction, migrate, openPool, PgListener, query, run, withTransaction, type PgPool } from './db.js';
import { migrations } from './migrations-patterns.js';
import { PgReadModel } from './read-model.js';

/** The NOTIFY channel of pattern changes (payload: `<last lsn> <origin>`). */
export const PATTERNS_CHANNEL = 'ruvllm_patterns';
/** Transaction-scoped advisory lock taken right before appending to pattern_log: lsns in commit order. */
const LOG_LOCK = 0x72706c67; // 'rplg'
/** Advisory lock namespace for approach keys: stores of the same approach on any node check near-duplicates in turn. */
const APPROACH_LOCKS = 0x72706170; // 'rpap'
/** Serialises init() across nodes opening together. */
const INIT_LOCK = 0x72706969; // 'rpii'
/** How long log entries are kept after every local index saved past them: nodes away for less catch up entry by entry. */
export const LOG_RETENTION_MS = 60 * 60_000;
/** How often watch() compares the highest lsn (when a NOTIFY was missed). */
export const WATCH_POLL_MS = 500;

/** Placeholder seqs of rows new in the batch being planned (real seqs stay far below). */
const FRESH_BASE = 2 ** 50;

const TS_CONFIG = 'ruvllm_patterns';
/** ts_rank weights {D, C, B, A}: tags (C) 0.2, approach (B) 0.3, task (A) 1.0, as FTS5's bm25() weights on SQLite. */
const RANK_WEIGHTS = "'{0.1, 0.2, 0.3, 1.0}'";

const COLS = [
  'seq',
  'id',
  'task',
  'approach',
  'approach_key',
  'outcome',
  'quality',
  'iterations',
  'converged',
  'model',
  'backend',
  'route',
  'tags',
  'domain',
  'agent_id',
  'decision_id',
  'count',
  'uses',
  'successes',
  'failures',
  'embedder',
  'created_at',
  'updated_at',
  'last_used_at',
  'privacy_categories',
];
/** Rows with the uses finds counted (pattern_usage) added. */
const ROW_COLS = COLS.map((c) => (c === 'uses' ? 'p.uses + COALESCE(u.uses, 0) AS uses' : `p.${c}`)).join(', ');
const ROWS = `SELECT ${ROW_COLS}
  FROM patterns p LEFT JOIN pattern_usage u ON u.seq = p.seq`;
const INSERT_COLS = COLS.filter((c) => c !== 'seq');
/** PostgreSQL array types of the inserted columns (rows go in as one unnest of column arrays). */
const COL_TYPES: Record<string, string> = Object.fromEntries(
  INSERT_COLS.map((c) => [
    c,
    c === 'quality' ? 'float8' : ['iterations', 'converged', 'count', 'uses', 'successes', 'failures'].includes(c) ? 'int' : 'text',
  ]),
);

/** A tsquery OR of already tokenised terms ([a-z0-9] runs); the text search configuration stems them as it stemmed the rows. */
function orQuery(terms: string[]): string {
  return terms
    .map((t) => t.toLowerCase().replace(/[^a-z0-9]+/g, ''))
    .filter(Boolean)
    .join(' | ');
}

function filterSql(f: PatternFilter | null, params: unknown[], alias = 'p'): string {
  const parts: string[] = [];
  if (!f) return '';
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.minQuality !== undefined) parts.push(`${alias}.quality >= ${p(f.minQuality)}`);
  if (f.domain !== undefined) parts.push(`${alias}.domain = ${p(f.domain)}`);
  if (f.agentId !== undefined) parts.push(`${alias}.agent_id = ${p(f.agentId)}`);
  if (f.converged !== undefined) parts.push(`${alias}.converged = ${p(f.converged ? 1 : 0)}`);
  if (f.tags && f.tags.length) parts.push(`${alias}.tags::jsonb @> ${p(JSON.stringify(f.tags))}::jsonb`);
  return parts.join(' AND ');
}

export class PgPatternsRepo implements PatternsRepo, ChangeFeed {
  /** Tells this repository's own NOTIFYs apart from other nodes'. */
  readonly origin = randomUUID().slice(0, 8);
  private readonly watchers = new Set<{ close(): Promise<void> }>();
  private dfPending: { term: string; resolve: (n: number) => void; reject: (e: unknown) => void }[] = [];
  private approachPending: { key: string; limit: number; resolve: (n: number) => void; reject: (e: unknown) => void }[] = [];
  /**
   * The node's read model (read-model.ts): what a find reads, in memory, caught up from the change log; null when
   * turned off (`readModel: false`: every find reads PostgreSQL, as before).
   */
  readonly model: PgReadModel | null;

  /** `url` is the pool's database (the change listener opens its own connection there). */
  constructor(
    readonly pool: PgPool,
    private readonly url: string,
    private readonly ownsPool = false,
    o: { readModel?: boolean } = {},
  ) {
    this.model = o.readModel === false ? null : new PgReadModel({ pool, rowCols: ROW_COLS, tsConfig: TS_CONFIG });
  }

  /** Opens a pool on `url` (or uses `pool`), applies the patterns migrations once, returns the repository. */
  static async open(url: string, o: { pool?: PgPool; readModel?: boolean } = {}): Promise<PgPatternsRepo> {
    const pool = o.pool ?? openPool(url);
    try {
      await migrate(pool, migrations);
    } catch (e) {
      if (!o.pool) await pool.end().catch(() => undefined);
      throw e;
    }
    return new PgPatternsRepo(pool, url, !o.pool, { readModel: o.readModel });
  }

  /** Stops the change watchers (and ends the pool when open() created it). */
  async close(): Promise<void> {
    this.model?.close();
    await Promise.all([...this.watchers].map((w) => w.close()));
    if (this.ownsPool) await this.pool.end().catch(() => undefined);
  }

  /** The read model when it is loaded for `embedder` (any when not given), else null (the SQL path answers). */
  private local(embedder?: string): PgReadModel | null {
    return this.model && this.model.ready(embedder) ? this.model : null;
  }

  /** Loads the read model in the background (finds read PostgreSQL until it is loaded). */
  private startModel(embedder: string, dim: number): void {
    if (!this.model || this.model.ready(embedder)) return;
    this.model.load(embedder, dim).catch((e: Error) => {
      // unreachable now: the next find on another embedder or the next open tries again; finds use the SQL path
      void e;
    });
  }

  /** The read model's size and log mark (null when off or not loaded). */
  readModelStats(): { patterns: number; lsn: number } | null {
    const m = this.local();
    return m ? { patterns: m.size, lsn: m.mark } : null;
  }

  /** After a write committed (or, inside a unit of work, was written): the read model catches up. */
  private wrote(): void {
    this.model?.wrote();
  }

  private q<R extends object = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]> {
    // on the enclosing transaction's client when there is one (a unit of work), else on the pool
    return run(this.pool, text, values).then((r) => r.rows as R[]);
  }

  private tx<T>(fn: () => Promise<T>): Promise<T> {
    return withTransaction(this.pool, () => fn());
  }

  /**
   * Appends entries to the change log in commit order: the advisory lock first (held until COMMIT), then the lsns,
   * then a NOTIFY (sent at COMMIT). Must run inside a transaction; call it last, right before the commit.
   */
  private async appendLog(entries: { seq: number; op: VecLogEntry['op'] }[]): Promise<number[]> {
    if (!entries.length) return [];
    await this.q('SELECT pg_advisory_xact_lock($1)', [LOG_LOCK]);
    // the entries and the NOTIFY (its payload the last lsn) in one statement: the aggregate runs pg_notify once
    const r = await this.q<{ lsns: number[] }>(
      `WITH ins AS (
         INSERT INTO pattern_log (seq, op)
         SELECT e.seq, e.op FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS e(seq, op, o) ORDER BY e.o
         RETURNING lsn)
       SELECT array_agg(lsn ORDER BY lsn) AS lsns, pg_notify($3, max(lsn)::text || ' ' || $4) AS n FROM ins`,
      [entries.map((e) => e.seq), entries.map((e) => e.op), PATTERNS_CHANNEL, this.origin],
    );
    // lsns are taken in the order the rows are inserted (ORDER BY e.o): the i-th lsn is the i-th entry's
    const lsns = r[0].lsns.map(Number);
    return lsns;
  }

  // ------------------------------------------------------------------ the replica's wake-up

  /**
   * Calls `onChange` when changes committed elsewhere may be waiting in the log: on a NOTIFY from another
   * repository, after every (re)connect of the listener (what was missed while it was away), and when the timer
   * sees a higher lsn than it saw last (a lost NOTIFY). The caller reads the log after its own mark.
   */
  watch(onChange: () => void, o: { pollMs?: number } = {}): { close(): Promise<void> } {
    let seen = -1;
    let polling = false;
    // the read model catches up on every commit, this node's own too (one made inside a unit of work is visible
    // only after that transaction's COMMIT, which its NOTIFY announces)
    if (this.model) this.model.followed = true;
    const listener = new PgListener(
      this.url,
      PATTERNS_CHANNEL,
      (payload) => {
        const [lsn, origin, kind] = (payload ?? '').split(' ');
        if (Number(lsn) > seen) seen = Number(lsn);
        this.model?.kick();
        // a usage flush changes no vector: only the read model has something to read (the replica's mark passes
        // it with the next change it reads)
        if (origin !== this.origin && kind !== 'uses') onChange();
      },
      () => {
        this.model?.kick();
        onChange();
      },
    );
    listener.start();
    const timer = setInterval(() => {
      if (polling) return;
      polling = true;
      this.maxLsn()
        .then((m) => {
          if (m > seen) {
            const first = seen < 0;
            seen = m;
            if (!first) onChange();
          }
          if (this.model && m > this.model.mark) this.model.kick();
        })
        .catch(() => undefined) // unreachable: the listener's reconnect wakes the caller when it is back
        .finally(() => (polling = false));
    }, o.pollMs ?? WATCH_POLL_MS);
    timer.unref();
    const w = {
      close: async () => {
        clearInterval(timer);
        this.watchers.delete(w);
        await listener.close();
      },
    };
    this.watchers.add(w);
    return w;
  }

  // ------------------------------------------------------------------ meta and counts

  async init(embedder: string, dim: number): Promise<BankInit> {
    return this.tx(async () => {
      // nodes opening together agree on one bank id and one active embedder
      await this.q('SELECT pg_advisory_xact_lock($1)', [INIT_LOCK]);
      let id = await this.getMeta('bank_id');
      if (!id) {
        id = randomUUID();
        await this.setMeta('bank_id', id);
      }
      const n = await this.sqlCount();
      let active = await this.getMeta('active_embedder');
      let activeDim = Number((await this.getMeta('active_dim')) ?? 0);
      if (!active || n === 0) {
        active = embedder;
        activeDim = dim;
        await this.setMeta('active_embedder', active);
        await this.setMeta('active_dim', String(activeDim));
        await this.delMeta('target_embedder');
      }
      return { bankId: id, total: n, activeId: active, activeDim };
    }).then(async (r) => {
      // the node serves finds from its read model from the first one: loaded before the bank opens (a start builds
      // the replicas; PostgreSQL unreachable now: the open fails as retryable, as the init itself would)
      if (this.model && !this.model.ready(r.activeId) && !currentTransaction()) await this.model.load(r.activeId, r.activeDim);
      return r;
    });
  }
  async getMeta(key: string): Promise<string | null> {
    return (await this.q<{ value: string }>('SELECT value FROM pattern_meta WHERE key = $1', [key]))[0]?.value ?? null;
  }
  async setMeta(key: string, value: string): Promise<void> {
    await this.q('INSERT INTO pattern_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      value,
    ]);
  }
  async delMeta(key: string): Promise<void> {
    await this.q('DELETE FROM pattern_meta WHERE key = $1', [key]);
  }
  /** From the read model when it is loaded (outside a transaction), else PostgreSQL's count. */
  async count(): Promise<number> {
    const m = currentTransaction() ? null : this.local();
    if (m) {
      await m.fresh();
      return m.count();
    }
    return this.sqlCount();
  }
  private async sqlCount(): Promise<number> {
    return Number((await this.q<{ n: number }>('SELECT count(*) AS n FROM patterns'))[0].n);
  }
  /**
   * The highest committed lsn (what is visible, not the sequence's last value, which may belong to a transaction
   * still in flight); after the log was trimmed empty, how far it was trimmed.
   */
  async maxLsn(): Promise<number> {
    const r = await this.q<{ m: number | null }>(
      `SELECT GREATEST((SELECT max(lsn) FROM pattern_log), (SELECT value::bigint FROM pattern_meta WHERE key = 'log_trimmed_upto'), 0) AS m`,
    );
    return Number(r[0].m ?? 0);
  }

  // ------------------------------------------------------------------ writes

  /** Calls made together (the write queue asks for every store of a batch at once) share one query. */
  countApproach(key: string, limit: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.approachPending.push({ key, limit, resolve, reject });
      if (this.approachPending.length === 1) queueMicrotask(() => void this.flushCountApproach());
    });
  }

  private async flushCountApproach(): Promise<void> {
    const batch = this.approachPending;
    this.approachPending = [];
    const limit = Math.max(...batch.map((b) => b.limit));
    try {
      const rows = await this.q<{ k: string; n: number }>(
        'SELECT k, (SELECT count(*) FROM (SELECT 1 FROM patterns WHERE approach_key = k LIMIT $2) x) AS n FROM unnest($1::text[]) k',
        [[...new Set(batch.map((b) => b.key))], limit],
      );
      const by = new Map(rows.map((r) => [r.k, Number(r.n)]));
      for (const b of batch) b.resolve(Math.min(b.limit, by.get(b.key) ?? 0));
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  }

  /**
   * Group commit, set-based: a batch costs a fixed number of round trips whatever its size (a round trip is the
   * cost here, not the rows): approach locks, the same-approach candidates of every store, the rows of the
   * near-duplicates merged into (locked), one INSERT of the new rows with their vectors, one UPDATE of the merged
   * rows, the change log. The near-duplicate decisions run here in order, as on SQLite, so a store sees the stores
   * before it in its batch. A store's `inTransaction` step runs in its own savepoint first (one that throws undoes
   * that store alone); a failure of the batch's writes themselves fails the whole batch (nothing committed).
   */
  async commitStores<I>(
    writes: StoreWrite<I>[],
    policy: WritePolicy<I>,
    embedders: { active: string; target: string | null },
  ): Promise<({ ok: CommittedStore } | { err: Error })[]> {
    try {
      const r = await this.tx(() => this.writeBatch(writes, policy, embedders));
      this.wrote();
      return r;
    } catch (e) {
      // nothing of the batch committed
      return writes.map(() => ({ err: e as Error }));
    }
  }

  private async writeBatch<I>(
    writes: StoreWrite<I>[],
    policy: WritePolicy<I>,
    embedders: { active: string; target: string | null },
  ): Promise<({ ok: CommittedStore } | { err: Error })[]> {
    const done: ({ ok: CommittedStore } | { err: Error } | null)[] = writes.map(() => null);
    // 1. each store's step (e.g. a routing outcome), in order, in its own savepoint
    for (let i = 0; i < writes.length; i++) {
      const step = writes[i].inTransaction;
      if (!step) continue;
      try {
        // may return a Promise (a unit of work's step writing through run(), which joins this transaction)
        await this.tx(async () => {
          await (step() as unknown);
        });
      } catch (e) {
        done[i] = { err: e as Error };
      }
    }
    const live = writes.map((w, i) => (done[i] ? null : w));
    // 2. near-duplicates across nodes: stores of the same approach check and write in turn (one advisory lock per
    // approach, taken in one order by every batch, so batches never wait on each other in a cycle). The statements
    // after the lock see what another node committed before it.
    const keys = [...new Set(live.flatMap((w) => (w?.vec ? [w.key] : [])))];
    if (keys.length)
      await this.q('SELECT pg_advisory_xact_lock($1, h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) k) x ORDER BY h', [
        APPROACH_LOCKS,
        keys,
      ]);
    const exactKeys = [...new Set(live.flatMap((w) => (w?.vec && !w.viaIndex ? [w.key] : [])))];
    const stored = new Map<string, { seq: number; vector: Float32Array | null; raw: Buffer }[]>();
    if (exactKeys.length)
      for (const r of await this.q<{ seq: number; approach_key: string; vector: Buffer }>(
        `SELECT seq, approach_key, vector FROM (
           SELECT p.seq, p.approach_key, v.vector, row_number() OVER (PARTITION BY p.approach_key ORDER BY p.seq) AS rn
           FROM patterns p JOIN pattern_vectors v ON v.seq = p.seq AND v.embedder = $1 WHERE p.approach_key = ANY($2::text[])) x
         WHERE rn <= $3 ORDER BY seq`,
        [embedders.active, exactKeys, policy.exactScanLimit],
      )) {
        const list = stored.get(r.approach_key) ?? [];
        list.push({ seq: Number(r.seq), vector: null, raw: r.vector });
        stored.set(r.approach_key, list);
      }
    const labels = [...new Set(live.flatMap((w) => (w?.vec && w.viaIndex ? w.viaIndex.map((h) => h.label) : [])))];
    const keyOfLabel = new Map<number, string>();
    if (labels.length)
      for (const r of await this.q<{ seq: number; approach_key: string }>(
        'SELECT seq, approach_key FROM patterns WHERE seq = ANY($1::bigint[])',
        [labels],
      ))
        keyOfLabel.set(Number(r.seq), r.approach_key);
    // 3. which store merges into what, in order: a stored row (its seq), or a row new in this batch (its store's index)
    type Plan = { kind: 'new' } | { kind: 'merge'; seq: number } | { kind: 'mergeNew'; ref: number };
    const fresh: { ref: number; key: string; vec: Float32Array }[] = [];
    const plan: (Plan | null)[] = writes.map(() => null);
    live.forEach((w, i) => {
      if (!w) return;
      if (!w.vec) {
        plan[i] = { kind: 'new' };
        return;
      }
      const cands: DuplicateCandidate[] = [];
      if (!w.viaIndex) {
        for (const c of stored.get(w.key) ?? []) cands.push({ seq: c.seq, vector: (c.vector ??= blobToVec(c.raw, w.vec.length)) });
      } else for (const h of w.viaIndex) if (keyOfLabel.get(h.label) === w.key) cands.push({ seq: h.label, sim: h.sim });
      // stores earlier in this batch, by a placeholder seq (FRESH_BASE + index) until their seq exists
      for (const f of fresh) if (f.key === w.key) cands.push({ seq: FRESH_BASE + f.ref, vector: f.vec });
      const dup = policy.pickDuplicate(w.vec, cands);
      if (dup === null) {
        plan[i] = { kind: 'new' };
        fresh.push({ ref: i, key: w.key, vec: w.vec });
      } else plan[i] = dup >= FRESH_BASE ? { kind: 'mergeNew', ref: dup - FRESH_BASE } : { kind: 'merge', seq: dup };
    });
    // 4. the stored rows merged into, locked, with their uses (one deleted meanwhile: the store becomes a new row)
    const mergeSeqs = [...new Set(plan.flatMap((p) => (p?.kind === 'merge' ? [p.seq] : [])))];
    const rows = new Map<number, PatternRow>();
    if (mergeSeqs.length)
      for (const r of await this.q<PatternRow>(`${ROWS} WHERE p.seq = ANY($1::bigint[]) FOR UPDATE OF p`, [mergeSeqs]))
        rows.set(Number(r.seq), r);
    plan.forEach((p, i) => {
      if (p?.kind === 'merge' && !rows.has(p.seq)) plan[i] = { kind: 'new' };
    });
    // 5. the new rows and their vectors, one statement
    const now = new Date().toISOString();
    const newIdx = plan.flatMap((p, i) => (p?.kind === 'new' ? [i] : []));
    const taken = new Set<string>();
    const imported = newIdx.flatMap((i) => (writes[i].importedId ? [writes[i].importedId!] : []));
    if (imported.length)
      for (const r of await this.q<{ id: string }>(
        'SELECT id FROM patterns WHERE id = ANY($1::text[]) UNION SELECT alias FROM pattern_aliases WHERE alias = ANY($1::text[])',
        [imported],
      ))
        taken.add(r.id);
    const newRows = new Map<number, NewPatternRow>();
    for (const i of newIdx) {
      const w = writes[i];
      const id = w.importedId && !taken.has(w.importedId) ? w.importedId : w.fallbackId;
      taken.add(id);
      newRows.set(i, policy.newRow(w.item, id, w.vec ? embedders.active : (embedders.target ?? embedders.active), now));
    }
    const seqOf = new Map<number, number>();
    if (newIdx.length) {
      const rs = newIdx.map((i) => newRows.get(i)! as unknown as Record<string, unknown>);
      const vecs: { id: string; embedder: string; vec: Float32Array }[] = [];
      for (const i of newIdx) {
        const w = writes[i];
        const id = newRows.get(i)!.id;
        if (w.vec) vecs.push({ id, embedder: embedders.active, vec: w.vec });
        if (w.targetVec && embedders.target) vecs.push({ id, embedder: embedders.target, vec: w.targetVec });
      }
      const cols = INSERT_COLS.map((c, k) => `$${k + 1}::${COL_TYPES[c]}[]`).join(', ');
      const n = INSERT_COLS.length;
      const ins = await this.q<{ seq: number; id: string }>(
        `WITH ins AS (
           INSERT INTO patterns (${INSERT_COLS.join(', ')})
           SELECT ${INSERT_COLS.map((c) => `r.${c}`).join(', ')} FROM unnest(${cols}) WITH ORDINALITY AS r(${INSERT_COLS.join(', ')}, o) ORDER BY r.o
           RETURNING seq, id),
         vec AS (
           INSERT INTO pattern_vectors (seq, embedder, dim, vector)
           SELECT ins.seq, v.embedder, v.dim, v.vector FROM ins JOIN unnest($${n + 1}::text[], $${n + 2}::text[], $${n + 3}::int[], $${n + 4}::bytea[])
             AS v(id, embedder, dim, vector) ON v.id = ins.id)
         SELECT seq, id FROM ins`,
        [
          ...INSERT_COLS.map((c) => rs.map((r) => r[c] ?? null)),
          vecs.map((v) => v.id),
          vecs.map((v) => v.embedder),
          vecs.map((v) => v.vec.length),
          vecs.map((v) => vecToBlob(v.vec)),
        ],
      );
      const byId = new Map(ins.map((r) => [r.id, Number(r.seq)]));
      for (const i of newIdx) seqOf.set(i, byId.get(newRows.get(i)!.id)!);
      for (const i of newIdx) {
        const { decision_id: _d, ...rest } = newRows.get(i)!;
        rows.set(seqOf.get(i)!, { ...rest, seq: seqOf.get(i)! });
      }
    }
    // 6. merges, in order, applied to the row as the stores before left it; then one UPDATE with the final values
    const merged = new Map<number, { addUses: number; addSuccesses: number; addFailures: number }>();
    const aliases: { alias: string; seq: number }[] = [];
    plan.forEach((p, i) => {
      if (!p || p.kind === 'new') return;
      const target = p.kind === 'merge' ? p.seq : seqOf.get(p.ref)!;
      const row = rows.get(target)!;
      const u = policy.mergeInto(writes[i].item, row, now);
      const next: PatternRow = {
        ...row,
        count: u.count,
        quality: u.quality,
        iterations: u.iterations,
        converged: u.converged,
        outcome: u.outcome ?? row.outcome,
        model: u.model ?? row.model,
        backend: u.backend ?? row.backend,
        route: u.route ?? row.route,
        tags: u.tags,
        domain: row.domain ?? u.domain,
        agent_id: row.agent_id ?? u.agentId,
        uses: row.uses + u.addUses,
        successes: row.successes + u.addSuccesses,
        failures: row.failures + u.addFailures,
        updated_at: u.updatedAt,
        privacy_categories: u.privacyCategories,
      };
      rows.set(target, next);
      const m = merged.get(target) ?? { addUses: 0, addSuccesses: 0, addFailures: 0 };
      m.addUses += u.addUses;
      m.addSuccesses += u.addSuccesses;
      m.addFailures += u.addFailures;
      merged.set(target, m);
      // an imported pattern merged under another id: remember its id so a re-import skips it
      if (writes[i].importedId) aliases.push({ alias: writes[i].importedId!, seq: target });
      done[i] = { ok: { seq: target, lsn: 0, merged: true, row: { ...next } } };
    });
    if (merged.size) {
      const seqs = [...merged.keys()];
      const r = seqs.map((s) => rows.get(s)!);
      const d = seqs.map((s) => merged.get(s)!);
      await this.q(
        `UPDATE patterns p SET count = u.count, quality = u.quality, iterations = u.iterations, converged = u.converged, outcome = u.outcome,
           model = u.model, backend = u.backend, route = u.route, tags = u.tags, domain = u.domain, agent_id = u.agent_id,
           uses = p.uses + u.add_uses, successes = p.successes + u.add_s, failures = p.failures + u.add_f, updated_at = u.updated_at,
           privacy_categories = u.cats
         FROM unnest($1::bigint[], $2::int[], $3::float8[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
           $11::text[], $12::text[], $13::int[], $14::int[], $15::int[], $16::text[], $17::text[])
           AS u(seq, count, quality, iterations, converged, outcome, model, backend, route, tags, domain, agent_id, add_uses, add_s, add_f, updated_at, cats)
         WHERE p.seq = u.seq`,
        [
          seqs,
          r.map((x) => x.count),
          r.map((x) => x.quality),
          r.map((x) => x.iterations),
          r.map((x) => x.converged),
          r.map((x) => x.outcome),
          r.map((x) => x.model),
          r.map((x) => x.backend),
          r.map((x) => x.route),
          r.map((x) => x.tags),
          r.map((x) => x.domain),
          r.map((x) => x.agent_id),
          d.map((x) => x.addUses),
          d.map((x) => x.addSuccesses),
          d.map((x) => x.addFailures),
          r.map((x) => x.updated_at),
          r.map((x) => x.privacy_categories),
        ],
      );
    }
    if (aliases.length)
      await this.q(
        'INSERT INTO pattern_aliases (alias, seq) SELECT a, s FROM unnest($1::text[], $2::bigint[]) AS x(a, s) ON CONFLICT DO NOTHING',
        [aliases.map((a) => a.alias), aliases.map((a) => a.seq)],
      );
    // 7. the new vectors to the change log, last: the log lock is held for one INSERT and the COMMIT; then the rows the
    // read models must read again (merged into, or new without a vector of the active embedder)
    const logged = newIdx.filter((i) => writes[i].vec);
    const changed = [...merged.keys(), ...newIdx.filter((i) => !writes[i].vec).map((i) => seqOf.get(i)!)];
    const lsns = await this.appendLog([
      ...logged.map((i) => ({ seq: seqOf.get(i)!, op: 'upsert' as const })),
      ...changed.map((seq) => ({ seq, op: 'update' as const })),
    ]);
    const lsnOf = new Map(logged.map((i, k) => [i, lsns[k]]));
    for (const i of newIdx) {
      const seq = seqOf.get(i)!;
      // a new row's result: as inserted (a later store of the batch may have merged into it: that store's result shows it)
      const { decision_id: _d, ...rest } = newRows.get(i)!;
      done[i] = { ok: { seq, lsn: lsnOf.get(i) ?? 0, merged: false, row: { ...rest, seq } } };
    }
    return done.map((d) => d ?? { err: new Error('store not written') });
  }

  private async putVectorRows(items: { seq: number; embedder: string; vec: Float32Array }[]): Promise<number[]> {
    // only for patterns that still exist (deleted meanwhile: nothing stored)
    const rows = await this.q<{ seq: number }>(
      `INSERT INTO pattern_vectors (seq, embedder, dim, vector)
       SELECT i.seq, i.embedder, i.dim, i.vector FROM unnest($1::bigint[], $2::text[], $3::int[], $4::bytea[]) AS i(seq, embedder, dim, vector)
       JOIN patterns p ON p.seq = i.seq
       ON CONFLICT (seq, embedder) DO UPDATE SET dim = excluded.dim, vector = excluded.vector
       RETURNING seq`,
      [items.map((i) => i.seq), items.map((i) => i.embedder), items.map((i) => i.vec.length), items.map((i) => vecToBlob(i.vec))],
    );
    return rows.map((r) => Number(r.seq));
  }

  async idTaken(id: string): Promise<boolean> {
    const r = await this.q('SELECT 1 FROM patterns WHERE id = $1 UNION ALL SELECT 1 FROM pattern_aliases WHERE alias = $1 LIMIT 1', [id]);
    return r.length > 0;
  }

  /**
   * Trims the change log up to `lsn`, keeping entries younger than LOG_RETENTION_MS (other nodes may not have
   * read them yet; one away for longer reconciles its index with pattern_vectors), and records how far it trimmed.
   */
  async trimLog(lsn: number): Promise<void> {
    await this.tx(async () => {
      const r = await this.q<{ m: number | null }>(
        `WITH d AS (DELETE FROM pattern_log WHERE lsn <= $1 AND at < now() - make_interval(secs => $2) RETURNING lsn) SELECT max(lsn) AS m FROM d`,
        [lsn, LOG_RETENTION_MS / 1000],
      );
      const m = r[0].m === null ? 0 : Number(r[0].m);
      if (m > 0)
        await this.q(
          `INSERT INTO pattern_meta (key, value) VALUES ('log_trimmed_upto', $1)
           ON CONFLICT (key) DO UPDATE SET value = GREATEST(pattern_meta.value::bigint, excluded.value::bigint)::text`,
          [String(m)],
        );
    });
  }

  // ------------------------------------------------------------------ reads

  async rowById(id: string): Promise<PatternRow | null> {
    return (await this.q<PatternRow>(`${ROWS} WHERE p.id = $1`, [id]))[0] ?? null;
  }
  /** With `lock`, the row is locked until the transaction ends (a merge reads and updates it). */
  async rowBySeq(seq: number, lock = false): Promise<PatternRow | null> {
    return (await this.q<PatternRow>(`${ROWS} WHERE p.seq = $1${lock ? ' FOR UPDATE OF p' : ''}`, [seq]))[0] ?? null;
  }
  async page(afterSeq: number, limit: number): Promise<PatternRow[]> {
    return this.q<PatternRow>(`${ROWS} WHERE p.seq > $1 ORDER BY p.seq LIMIT $2`, [afterSeq, limit]);
  }
  /** From the read model when it is loaded (a find's rows), else PostgreSQL. */
  async rowsBySeqs(seqs: number[]): Promise<PatternRow[]> {
    if (!seqs.length) return [];
    const m = currentTransaction() ? null : this.local();
    if (m) {
      await m.fresh(seqs);
      return m.rowsBySeqs(seqs);
    }
    return this.q<PatternRow>(`${ROWS} WHERE p.seq = ANY($1::bigint[])`, [seqs]);
  }
  async allRows(): Promise<PatternRow[]> {
    return this.q<PatternRow>(`${ROWS} ORDER BY p.seq`);
  }
  async idsForDecision(decisionId: string): Promise<string[]> {
    return (await this.q<{ id: string }>('SELECT id FROM patterns WHERE decision_id = $1 ORDER BY seq', [decisionId])).map((r) => r.id);
  }
  async vectorOf(seq: number, embedder: string, dim: number): Promise<Float32Array | null> {
    const r = await this.q<{ vector: Buffer }>('SELECT vector FROM pattern_vectors WHERE seq = $1 AND embedder = $2', [seq, embedder]);
    return r.length ? blobToVec(r[0].vector, dim) : null;
  }
  async vectorsOf(seqs: number[], embedder: string, dim: number): Promise<Map<number, Float32Array>> {
    const out = new Map<number, Float32Array>();
    if (!seqs.length) return out;
    for (const r of await this.q<{ seq: number; vector: Buffer }>(
      'SELECT seq, vector FROM pattern_vectors WHERE embedder = $1 AND seq = ANY($2::bigint[])',
      [embedder, seqs],
    ))
      out.set(Number(r.seq), blobToVec(r.vector, dim));
    return out;
  }
  async storedVectors(embedder: string): Promise<Map<number, Uint8Array>> {
    const out = new Map<number, Uint8Array>();
    for (const r of await this.q<{ seq: number; vector: Buffer }>('SELECT seq, vector FROM pattern_vectors WHERE embedder = $1', [
      embedder,
    ]))
      out.set(Number(r.seq), r.vector);
    return out;
  }
  async vectorSeqs(embedder: string): Promise<number[]> {
    return (await this.q<{ seq: number }>('SELECT seq FROM pattern_vectors WHERE embedder = $1', [embedder])).map((r) => Number(r.seq));
  }
  async countVectors(embedder: string): Promise<number> {
    return Number((await this.q<{ n: number }>('SELECT count(*) AS n FROM pattern_vectors WHERE embedder = $1', [embedder]))[0].n);
  }
  async tasksOf(seqs: number[]): Promise<Map<number, string>> {
    if (!seqs.length) return new Map();
    return new Map(
      (await this.q<{ seq: number; task: string }>('SELECT seq, task FROM patterns WHERE seq = ANY($1::bigint[])', [seqs])).map((r) => [
        Number(r.seq),
        r.task,
      ]),
    );
  }
  async changesAfter(lsn: number): Promise<VecLogEntry[]> {
    return this.modelFirst(await this.q<VecLogEntry>('SELECT lsn, seq, op FROM pattern_log WHERE lsn > $1 ORDER BY lsn', [lsn]));
  }
  async logRange(after: number, below: number): Promise<VecLogEntry[]> {
    return this.modelFirst(
      await this.q<VecLogEntry>('SELECT lsn, seq, op FROM pattern_log WHERE lsn > $1 AND lsn < $2 ORDER BY lsn', [after, below]),
    );
  }

  /**
   * Before the HNSW replica applies log entries, the read model catches up at least as far: a vector the index holds
   * always has its row in the model, and a row deleted from the index is gone from the model's text candidates too.
   */
  private async modelFirst(entries: VecLogEntry[]): Promise<VecLogEntry[]> {
    const m = this.local();
    if (!m || !entries.length || entries[entries.length - 1].lsn <= m.mark) return entries;
    // awaited only for deletes (rare): a store's acknowledgement replays other nodes' entries before its own, and
    // must not wait for the model; a hit the model lacks makes the find catch up first (PgReadModel.fresh)
    if (entries.some((e) => e.op === 'delete')) await m.catchUp().catch(() => undefined);
    else m.kick();
    return entries;
  }

  // ------------------------------------------------------------------ text search

  /**
   * Documents whose text has the term (stemmed as the rows were). Calls made together (e.g. a find's terms asked
   * in parallel) share one query.
   */
  docFreq(term: string): Promise<number> {
    const m = this.local();
    if (m)
      return (async () => {
        await m.fresh();
        await m.prepareTerms([term]);
        return m.docFreq(term);
      })();
    return new Promise((resolve, reject) => {
      this.dfPending.push({ term, resolve, reject });
      if (this.dfPending.length === 1) queueMicrotask(() => void this.flushDocFreq());
    });
  }

  private async flushDocFreq(): Promise<void> {
    const batch = this.dfPending;
    this.dfPending = [];
    const terms = [...new Set(batch.map((b) => orQuery([b.term])))];
    try {
      const rows = await this.q<{ t: string; n: number }>(
        `SELECT t, (SELECT count(*) FROM patterns WHERE tsv @@ to_tsquery('${TS_CONFIG}', t)) AS n FROM unnest($1::text[]) t WHERE t <> ''`,
        [terms.filter(Boolean)],
      );
      const by = new Map(rows.map((r) => [r.t, Number(r.n)]));
      for (const b of batch) b.resolve(by.get(orQuery([b.term])) ?? 0);
    } catch (e) {
      for (const b of batch) b.reject(e);
    }
  }

  async textSearch(terms: string[], filter: PatternFilter | null, limit: number): Promise<{ seq: number; score: number }[]> {
    const q = orQuery(terms);
    if (!q) return [];
    const params: unknown[] = [q, limit];
    const f = filterSql(filter, params);
    const rows = await this.q<{ seq: number; score: number }>(
      `SELECT p.seq, ts_rank(${RANK_WEIGHTS}, p.tsv, q) AS score FROM patterns p, to_tsquery('${TS_CONFIG}', $1) q
       WHERE p.tsv @@ q${f ? ` AND ${f}` : ''} ORDER BY score DESC, p.seq LIMIT $2`,
      params,
    );
    return rows.map((r) => ({ seq: Number(r.seq), score: Number(r.score) }));
  }

  async textScores(terms: string[], seqs: number[]): Promise<Map<number, number>> {
    const q = orQuery(terms);
    if (!q || !seqs.length) return new Map();
    const rows = await this.q<{ seq: number; score: number }>(
      `SELECT p.seq, ts_rank(${RANK_WEIGHTS}, p.tsv, q) AS score FROM patterns p, to_tsquery('${TS_CONFIG}', $1) q
       WHERE p.seq = ANY($2::bigint[]) AND p.tsv @@ q`,
      [q, seqs],
    );
    return new Map(rows.map((r) => [Number(r.seq), Number(r.score)]));
  }

  /**
   * A find's reads in one query (one round trip instead of a text search followed by the rows and vectors): the
   * text candidates (ts_rank order, filtered), the rows with uses of those and of the vector hits (`ok`: the row
   * passes the filter), and the stored vectors of the text candidates that are not hits.
   */
  async findRows(fq: FindRowsQuery): Promise<FindRows> {
    const m = this.local(fq.embedder);
    if (m) {
      await m.fresh(fq.seqs);
      await m.prepareTerms(fq.terms);
      return m.findRows(fq);
    }
    // loaded for another embedder (a switch happened): load for this one, the SQL path meanwhile
    if (this.model?.ready()) this.startModel(fq.embedder, fq.dim);
    return this.sqlFindRows(fq);
  }

  /** findRows in one SQL statement (the read model off or not loaded yet); the model's answer equals it. */
  async sqlFindRows(fq: FindRowsQuery): Promise<FindRows> {
    const params: unknown[] = [fq.seqs, fq.embedder];
    const f = filterSql(fq.filter, params);
    const tq = orQuery(fq.terms);
    let lex = 'SELECT NULL::bigint AS seq, NULL::real AS score WHERE false';
    if (tq) {
      params.push(tq, fq.limit);
      lex = `SELECT p.seq, ts_rank(${RANK_WEIGHTS}, p.tsv, q) AS score FROM patterns p, to_tsquery('${TS_CONFIG}', $${params.length - 1}) q
        WHERE p.tsv @@ q${f ? ` AND ${f}` : ''} ORDER BY score DESC, p.seq LIMIT $${params.length}`;
    }
    const rows = await this.q<PatternRow & { ok: boolean; lex_score: number | null; vector: Buffer | null }>(
      `WITH lex AS MATERIALIZED (${lex}),
         want AS (SELECT unnest($1::bigint[]) AS seq UNION SELECT seq FROM lex)
       SELECT ${ROW_COLS}, ${f ? `COALESCE(${f}, false)` : 'true'} AS ok, lex.score AS lex_score,
         CASE WHEN lex.seq IS NOT NULL AND NOT (p.seq = ANY($1::bigint[]))
           THEN (SELECT v.vector FROM pattern_vectors v WHERE v.seq = p.seq AND v.embedder = $2) END AS vector
       FROM want w JOIN patterns p ON p.seq = w.seq LEFT JOIN pattern_usage u ON u.seq = p.seq LEFT JOIN lex ON lex.seq = p.seq`,
      params,
    );
    const lexRows: { seq: number; score: number }[] = [];
    const vecs = new Map<number, Float32Array>();
    const out: (PatternRow & { ok: boolean })[] = [];
    for (const r of rows) {
      const { lex_score, vector, ...row } = r;
      if (lex_score !== null) lexRows.push({ seq: row.seq, score: Number(lex_score) });
      if (vector) vecs.set(row.seq, blobToVec(vector, fq.dim));
      out.push(row);
    }
    lexRows.sort((a, b) => b.score - a.score || a.seq - b.seq);
    return { lex: lexRows.map((x) => x.seq), rows: out, vecs };
  }

  async filterSeqs(seqs: number[] | null, filter: PatternFilter): Promise<Set<number>> {
    if (seqs && !seqs.length) return new Set();
    const m = currentTransaction() ? null : this.local();
    if (m) {
      await m.fresh(seqs ?? []);
      return m.filterSeqs(seqs, filter);
    }
    const params: unknown[] = [];
    const parts = [filterSql(filter, params)].filter(Boolean);
    if (seqs) {
      params.push(seqs);
      parts.push(`p.seq = ANY($${params.length}::bigint[])`);
    }
    const rows = await this.q<{ seq: number }>(`SELECT p.seq FROM patterns p WHERE ${parts.join(' AND ') || 'true'}`, params);
    return new Set(rows.map((r) => Number(r.seq)));
  }

  // ------------------------------------------------------------------ lifecycle

  /** Deletes the patterns and logs each delete (a tombstone for every replica); the first and last lsn (0 when none). */
  async delete(seqs: number[]): Promise<{ first: number; last: number; deleted: number[] }> {
    if (!seqs.length) return { first: 0, last: 0, deleted: [] };
    return this.tx(async () => {
      const gone = (await this.q<{ seq: number }>('DELETE FROM patterns WHERE seq = ANY($1::bigint[]) RETURNING seq', [seqs])).map((r) =>
        Number(r.seq),
      );
      const lsns = await this.appendLog(gone.sort((a, b) => a - b).map((seq) => ({ seq, op: 'delete' as const })));
      return { first: lsns[0] ?? 0, last: lsns[lsns.length - 1] ?? 0, deleted: gone };
    }).then((r) => {
      this.wrote();
      return r;
    });
  }

  async recordOutcome(id: string, success: boolean, quality: (old: number) => number, now: string): Promise<PatternRow | null> {
    // read and updated in one transaction, the row locked: another node's report in between is not overwritten
    return this.tx(async () => {
      const r = (await this.q<{ seq: number; quality: number }>('SELECT seq, quality FROM patterns WHERE id = $1 FOR UPDATE', [id]))[0];
      if (!r) return null;
      await this.q(
        'UPDATE patterns SET successes = successes + $1, failures = failures + $2, quality = $3, updated_at = $4, last_used_at = $4 WHERE seq = $5',
        [success ? 1 : 0, success ? 0 : 1, quality(Number(r.quality)), now, r.seq],
      );
      await this.appendLog([{ seq: Number(r.seq), op: 'update' }]);
      return this.rowBySeq(Number(r.seq));
    }).then((row) => {
      if (row) this.wrote();
      return row;
    });
  }

  /**
   * Counts an outcome on every pattern stored with the decision (success or failure, `quality` applied to the
   * stored quality); returns their ids. Through run(): inside a unit of work's transaction it joins it.
   */
  async countOutcome(decisionId: string, success: boolean, quality: (old: number) => number): Promise<string[]> {
    return this.tx(async () => {
      const rows = await this.q<{ seq: number; id: string; quality: number }>(
        'SELECT seq, id, quality FROM patterns WHERE decision_id = $1 ORDER BY seq FOR UPDATE',
        [decisionId],
      );
      if (!rows.length) return [];
      const now = new Date().toISOString();
      await this.q(
        `UPDATE patterns p SET successes = p.successes + $1, failures = p.failures + $2, quality = u.q, updated_at = $3, last_used_at = $3
         FROM unnest($4::bigint[], $5::float8[]) AS u(seq, q) WHERE p.seq = u.seq`,
        [success ? 1 : 0, success ? 0 : 1, now, rows.map((r) => r.seq), rows.map((r) => quality(Number(r.quality)))],
      );
      await this.appendLog(rows.map((r) => ({ seq: Number(r.seq), op: 'update' as const })));
      return rows.map((r) => r.id);
    }).then((ids) => {
      if (ids.length) this.wrote();
      return ids;
    });
  }

  async pruneCandidates(o: { minUses: number; maxFailureRate: number; cutoff: string }): Promise<{ seq: number; id: string }[]> {
    const rows = await this.q<{ seq: number; id: string }>(
      `SELECT p.seq, p.id FROM patterns p LEFT JOIN pattern_usage u ON u.seq = p.seq WHERE
         (p.successes + p.failures >= $1 AND p.failures::float8 / (p.successes + p.failures) > $2)
         OR (p.uses + COALESCE(u.uses, 0) + p.successes + p.failures < $1
             AND GREATEST(COALESCE(p.last_used_at, p.created_at), COALESCE(u.last_used_at, '')) < $3)
       ORDER BY p.seq`,
      [o.minUses, o.maxFailureRate, o.cutoff],
    );
    return rows.map((r) => ({ seq: Number(r.seq), id: r.id }));
  }

  async notePrune(pruned: number, at: string): Promise<void> {
    // one statement each: nodes pruning at once add up, neither overwrites the other
    await this.tx(async () => {
      await this.q(
        `INSERT INTO pattern_meta (key, value) VALUES ('pruned_total', $1)
         ON CONFLICT (key) DO UPDATE SET value = (pattern_meta.value::bigint + excluded.value::bigint)::text`,
        [String(pruned)],
      );
      await this.setMeta('last_prune', at);
    });
  }

  async addUses(byCount: Map<number, number[]>, now: string): Promise<void> {
    const seqs: number[] = [];
    const ns: number[] = [];
    for (const [n, list] of byCount)
      for (const s of list) {
        seqs.push(s);
        ns.push(n);
      }
    if (!seqs.length) return;
    // Usage counts are counters, not acknowledged user writes: the bank batches them per node in memory and flushes
    // them as deltas about once a second (usage.ts), never one round trip per find; a node killed before a flush
    // loses its last second of counts. They rank nothing (the hybrid score and the recommendation read quality,
    // counts and outcomes), so other nodes' read models need them only for the `uses` they show: one 'uses' log
    // entry per flush carrying the patterns and the counts added (patterns migration v4), which the read models add
    // to the rows they hold without reading any row.
    const lsn = await this.tx(async () => {
      // one statement, rows in seq order: two nodes counting the same patterns lock them in the same order.
      // Patterns deleted since the find are skipped by the join.
      const done = await this.q<{ seq: number; n: number }>(
        `INSERT INTO pattern_usage AS t (seq, uses, last_used_at)
         SELECT p.seq, u.n, $3 FROM unnest($1::bigint[], $2::int[]) AS u(seq, n) JOIN patterns p ON p.seq = u.seq ORDER BY p.seq
         ON CONFLICT (seq) DO UPDATE SET uses = t.uses + excluded.uses, last_used_at = excluded.last_used_at
         RETURNING seq`,
        [seqs, ns, now],
      );
      if (!done.length) return 0;
      const nOf = new Map(seqs.map((s, i) => [s, ns[i]]));
      const us = done.map((r) => Number(r.seq));
      await this.q('SELECT pg_advisory_xact_lock($1)', [LOG_LOCK]);
      const r = await this.q<{ lsn: number }>(
        `WITH ins AS (INSERT INTO pattern_log (seq, op, uses_seqs, uses_n) VALUES (0, 'uses', $1::bigint[], $2::int[]) RETURNING lsn)
         SELECT lsn, pg_notify($3, lsn::text || ' ' || $4 || ' uses') AS n FROM ins`,
        [us, us.map((s) => nOf.get(s)!), PATTERNS_CHANNEL, this.origin],
      );
      return Number(r[0].lsn);
    });
    // shown by this node's read model until its catch-up reads them back (the bank counts them as pending until here)
    if (lsn) this.model?.ownUsesCommitted(lsn, new Map(seqs.map((s, i) => [s, ns[i]])));
  }

  async scanPage(
    afterSeq: number,
    limit: number,
  ): Promise<Pick<PatternRow, 'seq' | 'task' | 'approach' | 'outcome' | 'tags' | 'privacy_categories'>[]> {
    const rows = await this.q<Pick<PatternRow, 'seq' | 'task' | 'approach' | 'outcome' | 'tags' | 'privacy_categories'>>(
      'SELECT seq, task, approach, outcome, tags, privacy_categories FROM patterns WHERE seq > $1 ORDER BY seq LIMIT $2',
      [afterSeq, limit],
    );
    return rows;
  }

  async applyRedactions(
    changes: RedactionChange[],
    embedder: string,
    meta: (stale: number[]) => [string, string],
  ): Promise<{ applied: number; stale: number[]; logged: { seq: number; lsn: number; vec: Float32Array | null }[] }> {
    return this.tx(async () => {
      let applied = 0;
      const stale: number[] = [];
      const logged: { seq: number; lsn: number; vec: Float32Array | null }[] = [];
      // rows whose text changed but not their task (no vector changed): for the read models only
      const texts: number[] = [];
      for (const c of changes) {
        const o = c.old;
        const ok = await this.q(
          `UPDATE patterns SET task = $1, approach = $2, approach_key = $3, outcome = $4, tags = $5, privacy_categories = $6
           WHERE seq = $7 AND task = $8 AND approach = $9 AND outcome IS NOT DISTINCT FROM $10 AND tags = $11 RETURNING seq`,
          [c.task, c.approach, c.key, c.outcome, c.tags, c.cats, c.seq, o.task, o.approach, o.outcome, o.tags],
        );
        if (!ok.length) {
          if (await this.rowBySeq(c.seq)) stale.push(c.seq); // changed by another node: read it again
          continue;
        }
        applied++;
        if (c.task === o.task) {
          texts.push(c.seq);
          continue;
        }
        if (c.vec) {
          await this.q('DELETE FROM pattern_vectors WHERE seq = $1 AND embedder <> $2', [c.seq, embedder]);
          await this.putVectorRows([{ seq: c.seq, embedder, vec: c.vec }]);
        } else await this.q('DELETE FROM pattern_vectors WHERE seq = $1', [c.seq]);
        logged.push({ seq: c.seq, lsn: 0, vec: c.vec });
      }
      const [k, v] = meta(stale);
      await this.setMeta(k, v);
      const lsns = await this.appendLog([
        ...logged.map((l) => ({ seq: l.seq, op: l.vec ? ('upsert' as const) : ('delete' as const) })),
        ...texts.map((seq) => ({ seq, op: 'update' as const })),
      ]);
      logged.forEach((l, i) => (l.lsn = lsns[i]));
      return { applied, stale, logged };
    }).then((r) => {
      if (r.applied) this.wrote();
      return r;
    });
  }

  /** PostgreSQL has no secure_delete: old row versions stay in the table's pages until VACUUM reuses them. */
  async withSecureDelete<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /** Removes dead row versions (the text before a redaction) and their full-text index entries: VACUUM. */
  async purgeDeletedText(): Promise<void> {
    await query(this.pool, 'VACUUM patterns');
  }

  /** The server manages its write-ahead log (checkpoints and recycling): nothing to do from a node. */
  async checkpoint(): Promise<void> {}

  async vectorsOfEmbedder(embedder: string, dim: number): Promise<{ seq: number; vec: Float32Array }[]> {
    return (
      await this.q<{ seq: number; vector: Buffer }>(
        'SELECT v.seq, v.vector FROM pattern_vectors v JOIN patterns p ON p.seq = v.seq WHERE v.embedder = $1 ORDER BY v.seq',
        [embedder],
      )
    ).map((r) => ({ seq: Number(r.seq), vec: blobToVec(r.vector, dim) }));
  }
  async missingVectors(embedder: string, afterSeq: number, limit: number): Promise<{ seq: number; task: string }[]> {
    return (
      await this.q<{ seq: number; task: string }>(
        `SELECT p.seq, p.task FROM patterns p WHERE p.seq > $1 AND NOT EXISTS (SELECT 1 FROM pattern_vectors v WHERE v.seq = p.seq AND v.embedder = $2)
         ORDER BY p.seq LIMIT $3`,
        [afterSeq, embedder, limit],
      )
    ).map((r) => ({ seq: Number(r.seq), task: r.task }));
  }
  async putVectors(embedder: string, items: { seq: number; vec: Float32Array }[]): Promise<number[]> {
    if (!items.length) return [];
    const stored = new Set(
      await this.tx(async () => {
        const seqs = await this.putVectorRows(items.map((i) => ({ seq: i.seq, embedder, vec: i.vec })));
        await this.appendLog(seqs.map((seq) => ({ seq, op: 'update' as const })));
        return seqs;
      }),
    );
    this.wrote();
    return items.flatMap((it, i) => (stored.has(it.seq) ? [i] : []));
  }
  async switchActive(from: string, to: string, dim: number): Promise<void> {
    await this.tx(async () => {
      await this.q('UPDATE patterns SET embedder = $1', [to]);
      await this.q('DELETE FROM pattern_vectors WHERE embedder = $1', [from]);
      await this.setMeta('active_embedder', to);
      await this.setMeta('active_dim', String(dim));
      await this.delMeta('target_embedder');
      // every row's embedder and vectors changed: read models load again
      await this.appendLog([{ seq: 0, op: 'reset' }]);
    });
    this.wrote();
  }
  async dropVectors(embedder: string, keep: string): Promise<void> {
    await this.q('DELETE FROM pattern_vectors WHERE embedder = $1 AND embedder <> $2', [embedder, keep]);
  }
}

/**
 * The patterns slot of the PostgreSQL store bundle (openPostgresStore): these migrations applied with the others,
 * and the repository on the store's pool (which the store ends; `close` stops the change watchers).
 */
export const pgPatternsSlot = {
  migrations,
  open: (pool: PgPool, o: { url: string }): PgPatternsRepo => new PgPatternsRepo(pool, o.url),
};
