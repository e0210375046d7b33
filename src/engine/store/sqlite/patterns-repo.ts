/**
 * The pattern bank's repository on SQLite (better-sqlite3): tables from migrations-patterns.ts, full-text
 * search through FTS5, vectors as float16 blobs. Every statement runs synchronously on the caller's thread;
 * the repository's Promise methods resolve with an already computed result (the seam's contract allows a remote
 * database). The synchronous statements live in SqlitePatternQueries, which only SQLite's own code in store/sqlite
 * uses directly (the outcome unit of work runs them inside its transaction).
 */
import { randomUUID } from 'node:crypto';
import { writeTx, type DB } from '../db.js';
import { blobToVec, vecToBlob } from '../float16.js';
import type {
  BankInit,
  CommittedStore,
  DuplicateCandidate,
  PatternFilter,
  PatternRow,
  PatternsRepo,
  RedactionChange,
  StoreWrite,
  VecLogEntry,
  WritePolicy,
} from '../patterns-repo.js';

/** Column weights of FTS5's bm25() for task, approach, tags. */
const BM25_WEIGHTS = '1.0, 0.3, 0.2';

function filterSql(f: PatternFilter | null): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (!f) return { sql: '', params };
  if (f.minQuality !== undefined) {
    parts.push('quality >= @minQuality');
    params.minQuality = f.minQuality;
  }
  if (f.domain !== undefined) {
    parts.push('domain = @domain');
    params.domain = f.domain;
  }
  if (f.agentId !== undefined) {
    parts.push('agent_id = @agentId');
    params.agentId = f.agentId;
  }
  if (f.converged !== undefined) {
    parts.push('converged = @converged');
    params.converged = f.converged ? 1 : 0;
  }
  if (f.tags && f.tags.length) {
    parts.push('NOT EXISTS (SELECT 1 FROM json_each(@tags) t WHERE t.value NOT IN (SELECT value FROM json_each(patterns.tags)))');
    params.tags = JSON.stringify(f.tags);
  }
  return { sql: parts.join(' AND '), params };
}

const ftsMatch = (terms: string[]) => terms.map((t) => `"${t}"`).join(' OR ');

/**
 * The patterns repository's synchronous statements on one connection (better-sqlite3). For store/sqlite only:
 * SqlitePatternsRepo wraps them in Promises, and SQLite's outcome unit of work (unit-of-work.ts) calls them inside
 * its own IMMEDIATE transaction. Nothing outside store/sqlite may call them: the bank sees PatternsRepo.
 */
export class SqlitePatternQueries {
  readonly st: ReturnType<SqlitePatternQueries['prepare']>;

  constructor(readonly db: DB) {
    this.st = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM pattern_meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO pattern_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      delMeta: db.prepare('DELETE FROM pattern_meta WHERE key = ?'),
      insert:
        db.prepare(`INSERT INTO patterns (id, task, approach, approach_key, outcome, quality, iterations, converged, model, backend, route, tags, domain, agent_id, decision_id,
        count, uses, successes, failures, embedder, created_at, updated_at, last_used_at, privacy_categories)
        VALUES (@id, @task, @approach, @approach_key, @outcome, @quality, @iterations, @converged, @model, @backend, @route, @tags, @domain, @agent_id, @decision_id,
        @count, @uses, @successes, @failures, @embedder, @created_at, @updated_at, @last_used_at, @privacy_categories)`),
      insertVec: db.prepare('INSERT OR REPLACE INTO pattern_vectors (seq, embedder, dim, vector) VALUES (?, ?, ?, ?)'),
      log: db.prepare('INSERT INTO pattern_vec_log (seq, op) VALUES (?, ?)'),
      bySeq: db.prepare<[number], PatternRow>('SELECT * FROM patterns WHERE seq = ?'),
      byId: db.prepare<[string], PatternRow>('SELECT * FROM patterns WHERE id = ?'),
      bySeqs: db.prepare<[string], PatternRow>('SELECT * FROM patterns WHERE seq IN (SELECT value FROM json_each(?))'),
      vecsOf: db.prepare<[string, string], { seq: number; vector: Buffer }>(
        'SELECT seq, vector FROM pattern_vectors WHERE embedder = ? AND seq IN (SELECT value FROM json_each(?))',
      ),
      sameKey: db.prepare<[string, string, number], { seq: number; vector: Buffer }>(
        'SELECT p.seq, v.vector FROM patterns p CROSS JOIN pattern_vectors v ON v.seq = p.seq AND v.embedder = ? WHERE p.approach_key = ? LIMIT ?',
      ),
      merge: db.prepare(
        `UPDATE patterns SET count = ?, quality = ?, iterations = ?, converged = ?, outcome = COALESCE(?, outcome), model = COALESCE(?, model),
         backend = COALESCE(?, backend), route = COALESCE(?, route), tags = ?, domain = COALESCE(domain, ?), agent_id = COALESCE(agent_id, ?),
         uses = uses + ?, successes = successes + ?, failures = failures + ?, updated_at = ?, privacy_categories = ? WHERE seq = ?`,
      ),
      countKey: db.prepare<[string, number], { n: number }>(
        'SELECT COUNT(*) AS n FROM (SELECT 1 FROM patterns WHERE approach_key = ? LIMIT ?)',
      ),
      sameApproach: db.prepare<[string, string], { seq: number }>(
        'SELECT seq FROM patterns WHERE approach_key = ? AND seq IN (SELECT value FROM json_each(?))',
      ),
      tasksOf: db.prepare<[string], { seq: number; task: string }>(
        'SELECT seq, task FROM patterns WHERE seq IN (SELECT value FROM json_each(?))',
      ),
      vecOf: db.prepare<[number, string], { vector: Buffer }>('SELECT vector FROM pattern_vectors WHERE seq = ? AND embedder = ?'),
      del: db.prepare('DELETE FROM patterns WHERE seq = ?'),
      alias: db.prepare<[string], { seq: number }>('SELECT seq FROM pattern_aliases WHERE alias = ?'),
      addAlias: db.prepare('INSERT OR IGNORE INTO pattern_aliases (alias, seq) VALUES (?, ?)'),
      // Patterns deleted since the find are skipped by the join (a usage row needs its pattern).
      use: db.prepare(
        `INSERT INTO pattern_usage (seq, uses, last_used_at) SELECT p.seq, ?, ? FROM json_each(?) j JOIN patterns p ON p.seq = j.value WHERE true
         ON CONFLICT(seq) DO UPDATE SET uses = uses + excluded.uses, last_used_at = excluded.last_used_at`,
      ),
      usageOf: db.prepare<[string], { seq: number; uses: number }>(
        'SELECT seq, uses FROM pattern_usage WHERE seq IN (SELECT value FROM json_each(?))',
      ),
      usageAll: db.prepare<[], { seq: number; uses: number }>('SELECT seq, uses FROM pattern_usage'),
      ftsCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM patterns_fts WHERE patterns_fts MATCH ?'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM patterns'),
      logRange: db.prepare<[number, number], VecLogEntry>(
        'SELECT lsn, seq, op FROM pattern_vec_log WHERE lsn > ? AND lsn < ? ORDER BY lsn',
      ),
      logAfter: db.prepare<[number], VecLogEntry>('SELECT lsn, seq, op FROM pattern_vec_log WHERE lsn > ? ORDER BY lsn'),
      // the log is trimmed after each save: the AUTOINCREMENT counter remembers the highest lsn ever issued
      maxLsn: db.prepare<[], { m: number | null }>("SELECT seq AS m FROM sqlite_sequence WHERE name = 'pattern_vec_log'"),
      fts: db.prepare<[string, number], { seq: number; score: number }>(
        `SELECT rowid AS seq, -bm25(patterns_fts, ${BM25_WEIGHTS}) AS score FROM patterns_fts WHERE patterns_fts MATCH ? ORDER BY bm25(patterns_fts, ${BM25_WEIGHTS}) LIMIT ?`,
      ),
      ftsOf: db.prepare<[string, string], { seq: number; score: number }>(
        `SELECT rowid AS seq, -bm25(patterns_fts, ${BM25_WEIGHTS}) AS score FROM patterns_fts WHERE patterns_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
      ),
    };
  }

  // ------------------------------------------------------------------ helpers

  /** Adds the uses counted by finds (table pattern_usage) to rows read from patterns, in place. */
  withUsage<T extends PatternRow>(rows: T[], all = false): T[] {
    if (!rows.length) return rows;
    const usage = all ? this.st.usageAll.all() : this.st.usageOf.all(JSON.stringify(rows.map((r) => r.seq)));
    if (!usage.length) return rows;
    const bySeq = new Map(usage.map((u) => [u.seq, u.uses]));
    for (const r of rows) r.uses += bySeq.get(r.seq) ?? 0;
    return rows;
  }

  // ------------------------------------------------------------------ statements

  getMeta(key: string): string | null {
    return this.st.getMeta.get(key)?.value ?? null;
  }
  setMeta(key: string, value: string): void {
    this.st.setMeta.run(key, value);
  }
  count(): number {
    return this.st.count.get()!.n;
  }
  maxLsn(): number {
    return this.st.maxLsn.get()?.m ?? 0;
  }
  rowById(id: string): PatternRow | null {
    const r = this.st.byId.get(id);
    return r ? this.withUsage([r])[0] : null;
  }
  rowBySeq(seq: number): PatternRow | null {
    const r = this.st.bySeq.get(seq);
    return r ? this.withUsage([r])[0] : null;
  }
  page(afterSeq: number, limit: number): PatternRow[] {
    return this.withUsage(
      this.db.prepare('SELECT * FROM patterns WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as PatternRow[],
    );
  }
  idsForDecision(decisionId: string): string[] {
    return (this.db.prepare('SELECT id FROM patterns WHERE decision_id = ?').all(decisionId) as { id: string }[]).map((r) => r.id);
  }
  delete(seqs: number[]): { first: number; last: number; deleted: number[] } {
    let first = 0;
    let last = 0;
    const deleted: number[] = [];
    writeTx(this.db, () => {
      for (const s of seqs) {
        if (this.st.del.run(s).changes > 0) deleted.push(s);
        last = Number(this.st.log.run(s, 'delete').lastInsertRowid);
        if (!first) first = last;
      }
    })();
    return { first, last, deleted };
  }
  recordOutcome(id: string, success: boolean, quality: (old: number) => number, now: string): PatternRow | null {
    // read and updated in one transaction: another process's report in between is not overwritten
    return writeTx(this.db, () => {
      const r = this.st.byId.get(id);
      if (!r) return null;
      this.db
        .prepare(
          'UPDATE patterns SET successes = successes + ?, failures = failures + ?, quality = ?, updated_at = ?, last_used_at = ? WHERE seq = ?',
        )
        .run(success ? 1 : 0, success ? 0 : 1, quality(r.quality), now, now, r.seq);
      return this.rowBySeq(r.seq);
    })();
  }
  pruneCandidates(o: { minUses: number; maxFailureRate: number; cutoff: string }): { seq: number; id: string }[] {
    return this.db
      .prepare(
        `SELECT p.seq, p.id FROM patterns p LEFT JOIN pattern_usage u ON u.seq = p.seq WHERE
           (p.successes + p.failures >= @minUses AND CAST(p.failures AS REAL) / (p.successes + p.failures) > @maxFailureRate)
           OR (p.uses + COALESCE(u.uses, 0) + p.successes + p.failures < @minUses
               AND max(COALESCE(p.last_used_at, p.created_at), COALESCE(u.last_used_at, '')) < @cutoff)`,
      )
      .all(o) as { seq: number; id: string }[];
  }
  notePrune(pruned: number, at: string): void {
    // read and written in one transaction: processes pruning at once add up, neither overwrites the other
    writeTx(this.db, () => {
      this.st.setMeta.run('pruned_total', String(Number(this.st.getMeta.get('pruned_total')?.value ?? 0) + pruned));
      this.st.setMeta.run('last_prune', at);
    })();
  }
  addUses(byCount: Map<number, number[]>, now: string): void {
    writeTx(this.db, () => {
      for (const [n, seqs] of byCount) this.st.use.run(n, now, JSON.stringify(seqs));
    })();
  }
  allRows(): PatternRow[] {
    return this.withUsage(this.db.prepare('SELECT * FROM patterns ORDER BY seq').all() as PatternRow[], true);
  }
  storedVectors(embedder: string): Map<number, Uint8Array> {
    const out = new Map<number, Uint8Array>();
    for (const r of this.db.prepare('SELECT seq, vector FROM pattern_vectors WHERE embedder = ?').all(embedder) as {
      seq: number;
      vector: Buffer;
    }[])
      out.set(r.seq, r.vector);
    return out;
  }
  changesAfter(lsn: number): VecLogEntry[] {
    return this.st.logAfter.all(lsn);
  }
  logRange(after: number, below: number): VecLogEntry[] {
    return this.st.logRange.all(after, below);
  }
  vectorOf(seq: number, embedder: string, dim: number): Float32Array | null {
    const r = this.st.vecOf.get(seq, embedder);
    return r ? blobToVec(r.vector, dim) : null;
  }
  vectorSeqs(embedder: string): number[] {
    return (this.db.prepare('SELECT seq FROM pattern_vectors WHERE embedder = ?').all(embedder) as { seq: number }[]).map((r) => r.seq);
  }
  countVectors(embedder: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM pattern_vectors WHERE embedder = ?').get(embedder) as { n: number }).n;
  }
}

export class SqlitePatternsRepo implements PatternsRepo {
  private readonly q: SqlitePatternQueries;
  private readonly st: SqlitePatternQueries['st'];

  constructor(private readonly db: DB) {
    this.q = new SqlitePatternQueries(db);
    this.st = this.q.st;
  }

  private withUsage<T extends PatternRow>(rows: T[], all = false): T[] {
    return this.q.withUsage(rows, all);
  }

  async init(embedder: string, dim: number): Promise<BankInit> {
    return writeTx(this.db, () => {
      let id = this.q.getMeta('bank_id');
      if (!id) {
        id = randomUUID();
        this.q.setMeta('bank_id', id);
      }
      const n = this.q.count();
      let active = this.q.getMeta('active_embedder');
      let activeDim = Number(this.q.getMeta('active_dim') ?? 0);
      if (!active || n === 0) {
        active = embedder;
        activeDim = dim;
        this.q.setMeta('active_embedder', active);
        this.q.setMeta('active_dim', String(activeDim));
        this.st.delMeta.run('target_embedder');
      }
      return { bankId: id, total: n, activeId: active, activeDim };
    })();
  }
  async getMeta(key: string): Promise<string | null> {
    return this.q.getMeta(key);
  }
  async setMeta(key: string, value: string): Promise<void> {
    this.q.setMeta(key, value);
  }
  async delMeta(key: string): Promise<void> {
    this.st.delMeta.run(key);
  }
  async count(): Promise<number> {
    return this.q.count();
  }
  async maxLsn(): Promise<number> {
    return this.q.maxLsn();
  }

  async countApproach(key: string, limit: number): Promise<number> {
    return this.st.countKey.get(key, limit)!.n;
  }

  async commitStores<I>(
    writes: StoreWrite<I>[],
    policy: WritePolicy<I>,
    embedders: { active: string; target: string | null },
  ): Promise<({ ok: CommittedStore } | { err: Error })[]> {
    const done: ({ ok: CommittedStore } | { err: Error })[] = [];
    const fresh: { seq: number; key: string; vec: Float32Array }[] = [];
    const one = (w: StoreWrite<I>) => this.writeOne(w, policy, embedders, fresh);
    if (writes.length === 1) {
      try {
        writeTx(this.db, () => done.push({ ok: one(writes[0]) }))();
      } catch (e) {
        done.splice(0, done.length, { err: e as Error });
      }
    } else {
      const savepoint = writeTx(this.db, one);
      writeTx(this.db, () => {
        for (const w of writes) {
          try {
            // each store in its own savepoint: one that fails leaves the others in the batch alone
            done.push({ ok: savepoint(w) });
          } catch (e) {
            done.push({ err: e as Error });
          }
        }
      })();
    }
    return done;
  }

  /** One store inside the batch transaction: a merge into its near-duplicate, or a new pattern. */
  private writeOne<I>(
    w: StoreWrite<I>,
    policy: WritePolicy<I>,
    embedders: { active: string; target: string | null },
    fresh: { seq: number; key: string; vec: Float32Array }[],
  ): CommittedStore {
    w.inTransaction?.();
    const now = new Date().toISOString();
    let dupSeq: number | null = null;
    if (w.vec) {
      // exact over the stored vectors when few patterns share the approach (this sees rows written earlier in
      // the same transaction), else the index's candidates with this approach plus the ones this batch added
      const cands: DuplicateCandidate[] = [];
      if (!w.viaIndex) {
        for (const r of this.st.sameKey.all(embedders.active, w.key, policy.exactScanLimit))
          cands.push({ seq: r.seq, vector: blobToVec(r.vector, w.vec.length) });
      } else {
        if (w.viaIndex.length) {
          const ok = new Set(this.st.sameApproach.all(w.key, JSON.stringify(w.viaIndex.map((h) => h.label))).map((r) => r.seq));
          for (const h of w.viaIndex) if (ok.has(h.label)) cands.push({ seq: h.label, sim: h.sim });
        }
        for (const f of fresh) if (f.key === w.key) cands.push({ seq: f.seq, vector: f.vec });
      }
      dupSeq = policy.pickDuplicate(w.vec, cands);
    }
    const dup = dupSeq === null ? undefined : this.st.bySeq.get(dupSeq);
    if (dup) {
      const u = policy.mergeInto(w.item, dup, now);
      this.st.merge.run(
        u.count,
        u.quality,
        u.iterations,
        u.converged,
        u.outcome,
        u.model,
        u.backend,
        u.route,
        u.tags,
        u.domain,
        u.agentId,
        u.addUses,
        u.addSuccesses,
        u.addFailures,
        u.updatedAt,
        u.privacyCategories,
        dup.seq,
      );
      // an imported pattern merged under another id: remember its id so a re-import skips it
      if (w.importedId) this.st.addAlias.run(w.importedId, dup.seq);
      return { seq: dup.seq, lsn: 0, merged: true, row: this.q.rowBySeq(dup.seq)! };
    }
    const id = w.importedId && !this.st.byId.get(w.importedId) ? w.importedId : w.fallbackId;
    const row = policy.newRow(w.item, id, w.vec ? embedders.active : (embedders.target ?? embedders.active), now);
    const seq = Number(this.st.insert.run(row).lastInsertRowid);
    if (w.vec) this.st.insertVec.run(seq, embedders.active, w.vec.length, vecToBlob(w.vec));
    if (w.targetVec && embedders.target) this.st.insertVec.run(seq, embedders.target, w.targetVec.length, vecToBlob(w.targetVec));
    const lsn = Number(this.st.log.run(seq, 'upsert').lastInsertRowid);
    if (w.vec) fresh.push({ seq, key: w.key, vec: w.vec });
    const { decision_id: _d, ...rest } = row;
    return { seq, lsn, merged: false, row: { ...rest, seq } };
  }

  async idTaken(id: string): Promise<boolean> {
    return !!(this.st.byId.get(id) || this.st.alias.get(id));
  }

  async trimLog(lsn: number): Promise<void> {
    writeTx(this.db, () => {
      this.db.prepare('DELETE FROM pattern_vec_log WHERE lsn <= ?').run(lsn);
      this.st.setMeta.run('log_trimmed_upto', String(lsn));
    })();
  }

  async delete(seqs: number[]): Promise<{ first: number; last: number; deleted: number[] }> {
    return this.q.delete(seqs);
  }
  async recordOutcome(id: string, success: boolean, quality: (old: number) => number, now: string): Promise<PatternRow | null> {
    return this.q.recordOutcome(id, success, quality, now);
  }
  async addUses(byCount: Map<number, number[]>, now: string): Promise<void> {
    this.q.addUses(byCount, now);
  }
  async notePrune(pruned: number, at: string): Promise<void> {
    this.q.notePrune(pruned, at);
  }

  async rowById(id: string): Promise<PatternRow | null> {
    return this.q.rowById(id);
  }
  async rowBySeq(seq: number): Promise<PatternRow | null> {
    return this.q.rowBySeq(seq);
  }
  async page(afterSeq: number, limit: number): Promise<PatternRow[]> {
    return this.q.page(afterSeq, limit);
  }
  async idsForDecision(decisionId: string): Promise<string[]> {
    return this.q.idsForDecision(decisionId);
  }
  async pruneCandidates(o: { minUses: number; maxFailureRate: number; cutoff: string }): Promise<{ seq: number; id: string }[]> {
    return this.q.pruneCandidates(o);
  }
  async allRows(): Promise<PatternRow[]> {
    return this.q.allRows();
  }
  async storedVectors(embedder: string): Promise<Map<number, Uint8Array>> {
    return this.q.storedVectors(embedder);
  }
  async changesAfter(lsn: number): Promise<VecLogEntry[]> {
    return this.q.changesAfter(lsn);
  }
  async logRange(after: number, below: number): Promise<VecLogEntry[]> {
    return this.q.logRange(after, below);
  }
  async vectorSeqs(embedder: string): Promise<number[]> {
    return this.q.vectorSeqs(embedder);
  }
  async countVectors(embedder: string): Promise<number> {
    return this.q.countVectors(embedder);
  }
  async vectorOf(seq: number, embedder: string, dim: number): Promise<Float32Array | null> {
    return this.q.vectorOf(seq, embedder, dim);
  }
  async vectorsOf(seqs: number[], embedder: string, dim: number): Promise<Map<number, Float32Array>> {
    const out = new Map<number, Float32Array>();
    if (!seqs.length) return out;
    for (const r of this.st.vecsOf.all(embedder, JSON.stringify(seqs))) out.set(r.seq, blobToVec(r.vector, dim));
    return out;
  }
  async tasksOf(seqs: number[]): Promise<Map<number, string>> {
    if (!seqs.length) return new Map();
    return new Map(this.st.tasksOf.all(JSON.stringify(seqs)).map((r) => [r.seq, r.task]));
  }
  async rowsBySeqs(seqs: number[]): Promise<PatternRow[]> {
    if (!seqs.length) return [];
    return this.withUsage(this.st.bySeqs.all(JSON.stringify(seqs)));
  }
  async docFreq(term: string): Promise<number> {
    return this.st.ftsCount.get(`"${term}"`)!.n;
  }
  async textSearch(terms: string[], filter: PatternFilter | null, limit: number): Promise<{ seq: number; score: number }[]> {
    const match = ftsMatch(terms);
    const f = filterSql(filter);
    if (!f.sql) return this.st.fts.all(match, limit);
    return this.db
      .prepare(
        `SELECT f.rowid AS seq, -bm25(patterns_fts, ${BM25_WEIGHTS}) AS score FROM patterns_fts f JOIN patterns ON patterns.seq = f.rowid
         WHERE patterns_fts MATCH @match AND ${f.sql} ORDER BY bm25(patterns_fts, ${BM25_WEIGHTS}) LIMIT @lim`,
      )
      .all({ ...f.params, match, lim: limit }) as { seq: number; score: number }[];
  }
  async textScores(terms: string[], seqs: number[]): Promise<Map<number, number>> {
    if (!terms.length || !seqs.length) return new Map();
    return new Map(this.st.ftsOf.all(ftsMatch(terms), JSON.stringify(seqs)).map((r) => [r.seq, r.score]));
  }
  async filterSeqs(seqs: number[] | null, filter: PatternFilter): Promise<Set<number>> {
    const f = filterSql(filter);
    if (seqs && !seqs.length) return new Set();
    const where = f.sql || 'true';
    const rows = seqs
      ? (this.db
          .prepare(`SELECT seq FROM patterns WHERE seq IN (SELECT value FROM json_each(@seqs)) AND ${where}`)
          .all({ ...f.params, seqs: JSON.stringify(seqs) }) as { seq: number }[])
      : (this.db.prepare(`SELECT seq FROM patterns WHERE ${where}`).all(f.params) as { seq: number }[]);
    return new Set(rows.map((r) => r.seq));
  }

  async scanPage(afterSeq: number, limit: number) {
    return this.db
      .prepare<
        [number, number],
        { seq: number; task: string; approach: string; outcome: string | null; tags: string; privacy_categories: string }
      >('SELECT seq, task, approach, outcome, tags, privacy_categories FROM patterns WHERE seq > ? ORDER BY seq LIMIT ?')
      .all(afterSeq, limit);
  }

  async applyRedactions(
    changes: RedactionChange[],
    embedder: string,
    meta: (stale: number[]) => [string, string],
  ): Promise<{ applied: number; stale: number[]; logged: { seq: number; lsn: number; vec: Float32Array | null }[] }> {
    const update = this.db.prepare(
      `UPDATE patterns SET task = @task, approach = @approach, approach_key = @key, outcome = @outcome, tags = @tags, privacy_categories = @cats
       WHERE seq = @seq AND task = @oldTask AND approach = @oldApproach AND outcome IS @oldOutcome AND tags = @oldTags`,
    );
    const dropOthers = this.db.prepare('DELETE FROM pattern_vectors WHERE seq = ? AND embedder != ?');
    const dropAll = this.db.prepare('DELETE FROM pattern_vectors WHERE seq = ?');
    return writeTx(this.db, () => {
      let applied = 0;
      const stale: number[] = [];
      const logged: { seq: number; lsn: number; vec: Float32Array | null }[] = [];
      for (const c of changes) {
        const o = c.old;
        const ok = update.run({
          seq: c.seq,
          task: c.task,
          approach: c.approach,
          key: c.key,
          outcome: c.outcome,
          tags: c.tags,
          cats: c.cats,
          oldTask: o.task,
          oldApproach: o.approach,
          oldOutcome: o.outcome,
          oldTags: o.tags,
        }).changes;
        if (!ok) {
          if (this.st.bySeq.get(c.seq)) stale.push(c.seq); // changed by another process: read it again
          continue;
        }
        applied++;
        if (c.task === o.task) continue;
        if (c.vec) {
          dropOthers.run(c.seq, embedder);
          this.st.insertVec.run(c.seq, embedder, c.vec.length, vecToBlob(c.vec));
        } else dropAll.run(c.seq);
        logged.push({ seq: c.seq, lsn: Number(this.st.log.run(c.seq, c.vec ? 'upsert' : 'delete').lastInsertRowid), vec: c.vec });
      }
      const [k, v] = meta(stale);
      this.st.setMeta.run(k, v);
      return { applied, stale, logged };
    })();
  }

  async withSecureDelete<T>(fn: () => Promise<T>): Promise<T> {
    const was = this.db.pragma('secure_delete', { simple: true });
    this.db.pragma('secure_delete = ON');
    try {
      return await fn();
    } finally {
      this.db.pragma(`secure_delete = ${was ? 'ON' : 'OFF'}`);
    }
  }

  async purgeDeletedText(): Promise<void> {
    // deleted FTS entries stay in older segments until merged: merge them all, so no old token remains
    this.db.prepare("INSERT INTO patterns_fts(patterns_fts) VALUES ('optimize')").run();
  }

  async vectorsOfEmbedder(embedder: string, dim: number): Promise<{ seq: number; vec: Float32Array }[]> {
    return (
      this.db
        .prepare('SELECT v.seq, v.vector FROM pattern_vectors v JOIN patterns p ON p.seq = v.seq WHERE v.embedder = ?')
        .all(embedder) as { seq: number; vector: Buffer }[]
    ).map((r) => ({ seq: r.seq, vec: blobToVec(r.vector, dim) }));
  }
  async missingVectors(embedder: string, afterSeq: number, limit: number): Promise<{ seq: number; task: string }[]> {
    return this.db
      .prepare(
        `SELECT p.seq, p.task FROM patterns p WHERE p.seq > ? AND NOT EXISTS (SELECT 1 FROM pattern_vectors v WHERE v.seq = p.seq AND v.embedder = ?) ORDER BY p.seq LIMIT ?`,
      )
      .all(afterSeq, embedder, limit) as { seq: number; task: string }[];
  }
  async putVectors(embedder: string, items: { seq: number; vec: Float32Array }[]): Promise<number[]> {
    const stored: number[] = [];
    writeTx(this.db, () => {
      items.forEach((it, i) => {
        if (!this.st.bySeq.get(it.seq)) return; // deleted meanwhile
        this.st.insertVec.run(it.seq, embedder, it.vec.length, vecToBlob(it.vec));
        stored.push(i);
      });
    })();
    return stored;
  }
  async switchActive(from: string, to: string, dim: number): Promise<void> {
    writeTx(this.db, () => {
      this.db.prepare('UPDATE patterns SET embedder = ?').run(to);
      this.db.prepare('DELETE FROM pattern_vectors WHERE embedder = ?').run(from);
      this.st.setMeta.run('active_embedder', to);
      this.st.setMeta.run('active_dim', String(dim));
      this.st.delMeta.run('target_embedder');
    })();
  }
  async dropVectors(embedder: string, keep: string): Promise<void> {
    this.db.prepare('DELETE FROM pattern_vectors WHERE embedder = ? AND embedder != ?').run(embedder, keep);
  }

  async checkpoint(): Promise<void> {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
