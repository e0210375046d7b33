/**
 * A node's in-memory read model of the pattern bank on PostgreSQL (issue 14): what a find reads and returns, kept
 * beside the node's HNSW replica and caught up from the same commit-ordered change log (`pattern_log`), so a find on
 * a PostgreSQL node touches no database.
 *
 * It holds every row as PostgreSQL returns it (with the uses finds counted; the short strings rows repeat kept once),
 * its stored tsvector (the text PostgreSQL stemmed), the float16 vector of the active embedder (all of them in one
 * VectorSlab, a slot per row), and a posting list per lexeme. From these it answers what the
 * SQL find path asked PostgreSQL: document frequencies (`docFreq`), the text candidates ranked by `ts_rank` with the
 * same weights (computed here as PostgreSQL computes it, in single precision: `tsRank`), the rows with whether they
 * pass a filter, and the text-only candidates' vectors. The bank then scores candidates with its own JavaScript
 * BM25 (patterns/lexical.ts) as on SQLite: the ranking is the SQL path's, row for row.
 *
 * Catching up: every change a find can observe is a log entry (patterns-repo.ts: inserts and vector changes
 * `upsert`, deletes and prunes `delete`, merges, outcomes, redactions and vectors put later `update`, usage counts
 * `uses`, an embedder switch `reset`). A catch-up reads the entries after its mark and reads those rows again (a row
 * gone: removed), in one snapshot with the entries; a usage flush's entry carries its counts (migration v4), added to
 * the rows held without reading any; a `reset`, or entries trimmed before it read them, loads everything again. The first load reads
 * the rows and the highest lsn in one snapshot (REPEATABLE READ), so no change falls between them.
 *
 * Query terms become lexemes as PostgreSQL stems them: learned from the rows (the i-th `[a-z0-9]` run of a text is
 * the tsvector's i-th position), asked of PostgreSQL once for a word no row has (cached), and only when PostgreSQL is
 * unreachable then guessed with the bank's Porter stemmer (Snowball English, which PostgreSQL uses, agrees on most
 * words).
 */
import { logger } from '../../log.js';
import { stem } from '../../patterns/hashed-embedder.js';
import { blobToVec } from '../float16.js';
import type { FindRows, FindRowsQuery, PatternFilter, PatternRow } from '../patterns-repo.js';
import { type PgPool } from './db.js';

const log = logger('postgres');

/** Rows read per query when loading. */
const LOAD_PAGE = 5000;
/** After a failed catch-up, finds do not wait for another one for this long (PostgreSQL unreachable). */
const RETRY_AFTER_MS = 1000;

/** The lexeme of a word PostgreSQL's configuration drops: in no posting list. */
const NO_LEXEME = '\u0000';

/** ts_rank's weights as float4 (PostgreSQL parses '{0.1, 0.2, 0.3, 1.0}' as real[]): D, C, B, A. */
const W = [Math.fround(0.1), Math.fround(0.2), Math.fround(0.3), Math.fround(1.0)];
const WEIGHT_INDEX: Record<string, number> = { A: 3, B: 2, C: 1, D: 0 };

interface Rec {
  row: PatternRow;
  /** The stored tsvector as text: 'lexeme':1A,4B ... (its lexemes are the keys of the row's posting lists). */
  tsv: string;
  /** The slot of the row's vector of the model's embedder in the model's VectorSlab (-1: none). */
  slot: number;
  /** The text search that last visited the row (a stamp, so a search needs no set of the rows it saw). */
  seen: number;
}

/**
 * The vectors of the model's rows, as PostgreSQL stores them (float16, little-endian), in one growing byte array, a
 * slot per row: one object for all of them instead of a Buffer per row (100,000 rows: 100,000 fewer objects for every
 * major GC to visit). A vector of another length (a float32 blob of an older version) is kept as it came, by slot.
 */
export class VectorSlab {
  private bytes: Uint8Array;
  /** Slots the bytes have room for. */
  private cap: number;
  private readonly free: number[] = [];
  private used = 0;
  private readonly odd = new Map<number, Uint8Array>();
  /** Bytes of one float16 vector. */
  readonly stride: number;

  constructor(dim: number, capacity = 0) {
    this.stride = dim * 2;
    this.cap = Math.max(0, capacity);
    this.bytes = new Uint8Array(this.cap * this.stride);
  }

  /** Slots in use. */
  get size(): number {
    return this.used - this.free.length;
  }

  /** Keeps a copy of `blob` in a slot of its own; returns the slot. */
  put(blob: Uint8Array): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (slot >= this.cap) this.grow(slot + 1);
    }
    if (blob.byteLength === this.stride) this.bytes.set(blob, slot * this.stride);
    else this.odd.set(slot, Uint8Array.from(blob));
    return slot;
  }

  private grow(min: number): void {
    this.cap = Math.max(min, Math.ceil(this.cap * 1.25) + 1024);
    const next = new Uint8Array(this.cap * this.stride);
    next.set(this.bytes);
    this.bytes = next;
  }

  /** Room for `n` slots without growing. */
  reserve(n: number): void {
    if (n > this.cap) this.grow(n);
  }

  release(slot: number): void {
    if (slot < 0) return;
    this.odd.delete(slot);
    this.free.push(slot);
  }

  /** The stored bytes of a slot (a view: read before the next put). */
  blob(slot: number): Uint8Array {
    return this.odd.get(slot) ?? this.bytes.subarray(slot * this.stride, (slot + 1) * this.stride);
  }

  vec(slot: number, dim: number): Float32Array {
    return blobToVec(this.blob(slot), dim);
  }
}

/** The lexemes of a tsvector's text form (the keys of parseTsv, without the positions). */
export function tsvLexemes(tsv: string): string[] {
  return [...parseTsv(tsv).keys()];
}

/** Parses a tsvector's text form into lexeme -> weight indexes in position order. Lexemes here are [a-z0-9] runs. */
export function parseTsv(tsv: string): Map<string, { pos: number[]; w: number[] }> {
  const out = new Map<string, { pos: number[]; w: number[] }>();
  const re = /'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(tsv))) {
    const lex = m[1].replace(/''/g, "'");
    const pos: number[] = [];
    const w: number[] = [];
    for (const p of (m[2] ?? '').split(',').filter(Boolean)) {
      const mm = /^(\d+)([A-D]?)$/.exec(p);
      if (!mm) continue;
      pos.push(Number(mm[1]));
      w.push(WEIGHT_INDEX[mm[2] || 'D']);
    }
    out.set(lex, { pos, w });
  }
  return out;
}

/**
 * The weight indexes of one lexeme's positions in a tsvector's text form (in position order), or null when absent:
 * a find ranks hundreds of candidates, so only the query's lexemes are read from each, not the whole tsvector.
 */
export function lexemeWeights(tsv: string, lex: string): number[] | null {
  const key = `'${lex.replace(/'/g, "''")}':`;
  let at = tsv.indexOf(key);
  // a match must start an entry (the text's start or after a space): 'ab': inside 'xab': is another lexeme
  while (at > 0 && tsv[at - 1] !== ' ') at = tsv.indexOf(key, at + 1);
  if (at < 0) return null;
  const w: number[] = [];
  let i = at + key.length;
  while (i < tsv.length && tsv[i] !== ' ') {
    while (i < tsv.length && tsv[i] >= '0' && tsv[i] <= '9') i++;
    const c = tsv[i];
    if (c === 'A' || c === 'B' || c === 'C') {
      w.push(WEIGHT_INDEX[c]);
      i++;
    } else w.push(0);
    if (tsv[i] === ',') i++;
  }
  return w;
}

/**
 * PostgreSQL's ts_rank(weights, tsv, query) for an OR of lexemes with normalization 0 (tsrank.c calc_rank_or), in
 * float4 as PostgreSQL computes it, so that equal ranks tie here as they tie there. `entries`: the document's weight
 * indexes per lexeme, in position order; `query`: the query's distinct lexemes.
 */
export function tsRank(entries: Map<string, { w: number[] }> | string, query: string[]): number {
  const f = Math.fround;
  let res = f(0);
  for (const q of query) {
    const e = typeof entries === 'string' ? { w: lexemeWeights(entries, q) } : entries.get(q);
    if (!e || !e.w) continue;
    let resj = f(0);
    let wjm = f(-1);
    let jm = 0;
    for (let j = 0; j < e.w.length; j++) {
      const wp = W[e.w[j]];
      resj = f(resj + f(wp / ((j + 1) * (j + 1))));
      if (wp > wjm) {
        wjm = wp;
        jm = j;
      }
    }
    // (float expression) / 1.64493406685 (a double literal), added to res as a double, stored back as float
    res = f(res + f(f(wjm + resj) - f(wjm / ((jm + 1) * (jm + 1)))) / 1.64493406685);
  }
  if (query.length > 0) res = f(res / query.length);
  return res < 0 ? f(1e-20) : res;
}

/** The search key of a lexeme in a tsvector's text form: 'lexeme': (quotes doubled). */
export function lexemeKey(lex: string): string {
  return `'${lex.replace(/'/g, "''")}':`;
}

/**
 * tsRank over a tsvector's text form, reading the weights of each query lexeme (`keys`: lexemeKey of the sorted
 * distinct lexemes) in place: the same float4 operations in the same order as tsRank(tsv, query), without an array
 * per lexeme (a find ranks hundreds of candidates).
 */
export function tsRankText(tsv: string, keys: string[]): number {
  const f = Math.fround;
  let res = f(0);
  const n = tsv.length;
  for (const key of keys) {
    let at = tsv.indexOf(key);
    // a match must start an entry (the text's start or after a space): 'ab': inside 'xab': is another lexeme
    while (at > 0 && tsv.charCodeAt(at - 1) !== 32) at = tsv.indexOf(key, at + 1);
    if (at < 0) continue;
    let resj = f(0);
    let wjm = f(-1);
    let jm = 0;
    let j = 0;
    let i = at + key.length;
    while (i < n && tsv.charCodeAt(i) !== 32) {
      let c = tsv.charCodeAt(i);
      while (i < n && c >= 48 && c <= 57) c = tsv.charCodeAt(++i);
      let wi = 0; // D: not printed
      if (c === 65 || c === 66 || c === 67) {
        wi = 68 - c; // A 3, B 2, C 1
        i++;
      }
      const wp = W[wi];
      resj = f(resj + f(wp / ((j + 1) * (j + 1))));
      if (wp > wjm) {
        wjm = wp;
        jm = j;
      }
      j++;
      if (tsv.charCodeAt(i) === 44) i++;
    }
    res = f(res + f(f(wjm + resj) - f(wjm / ((jm + 1) * (jm + 1)))) / 1.64493406685);
  }
  if (keys.length > 0) res = f(res / keys.length);
  return res < 0 ? f(1e-20) : res;
}

/**
 * A find's copy of a row held (with its uses and whether it passes the filter), field by field: one allocation of a
 * fixed shape, where a spread and two more properties cloned the row and then changed its shape. Every column of the
 * row SELECT, decision_id included (the compiler checks the PatternRow fields; the test against the SQL path, all).
 */
type HeldRow = PatternRow & { decision_id?: string | null };
function rowCopy(r: HeldRow, uses: number, ok: boolean): HeldRow & { ok: boolean } {
  return {
    seq: r.seq,
    id: r.id,
    task: r.task,
    approach: r.approach,
    approach_key: r.approach_key,
    outcome: r.outcome,
    quality: r.quality,
    iterations: r.iterations,
    converged: r.converged,
    model: r.model,
    backend: r.backend,
    route: r.route,
    tags: r.tags,
    domain: r.domain,
    agent_id: r.agent_id,
    decision_id: r.decision_id,
    count: r.count,
    uses,
    successes: r.successes,
    failures: r.failures,
    embedder: r.embedder,
    created_at: r.created_at,
    updated_at: r.updated_at,
    last_used_at: r.last_used_at,
    privacy_categories: r.privacy_categories,
    ok,
  };
}

/** A text's tokens as the tsvector column cuts them: lower-cased, [a-z0-9] runs. */
function tokens(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter(Boolean);
}

function passes(row: PatternRow, f: PatternFilter | null): boolean {
  if (!f) return true;
  if (f.minQuality !== undefined && !(row.quality >= f.minQuality)) return false;
  if (f.domain !== undefined && row.domain !== f.domain) return false;
  if (f.agentId !== undefined && row.agent_id !== f.agentId) return false;
  if (f.converged !== undefined && row.converged !== (f.converged ? 1 : 0)) return false;
  if (f.tags && f.tags.length) {
    let have: unknown;
    try {
      have = JSON.parse(row.tags);
    } catch {
      return false;
    }
    if (!Array.isArray(have)) return false;
    for (const t of f.tags) if (!have.includes(t)) return false;
  }
  return true;
}

interface LogEntry {
  lsn: number;
  seq: number;
  op: string;
  /** A usage flush's patterns and counts, comma-separated (null: an entry of another kind, or logged before v4). */
  us: string | null;
  un: string | null;
}

/** An entry the rows must be read again for: every kind but a usage flush that carries its counts. */
const needsRow = (e: LogEntry): boolean => e.op !== 'uses' || e.us === null;

/** The log after `after` (lsn order); `reload`: a reset, or entries trimmed before they were read. */
async function readLog(db: Pick<PgPool, 'query'>, after: number): Promise<{ entries: LogEntry[]; reload: boolean }> {
  const r = await db.query<LogEntry & { trimmed: number | null }>(
    `SELECT l.lsn, l.seq, l.op, array_to_string(l.uses_seqs, ',') AS us, array_to_string(l.uses_n, ',') AS un, NULL::bigint AS trimmed
     FROM pattern_log l WHERE l.lsn > $1
     UNION ALL SELECT NULL, NULL, 'trimmed', NULL, NULL, (SELECT value::bigint FROM pattern_meta WHERE key = 'log_trimmed_upto')
     ORDER BY 1 NULLS FIRST`,
    [after],
  );
  const trimmed = Number(r.rows[0]?.trimmed ?? 0);
  const entries = r.rows.slice(1);
  return { entries, reload: trimmed > after || entries.some((e) => e.op === 'reset') };
}

/**
 * Walks two comma-separated lists of integers side by side (a flush's seqs and counts) without splitting them into
 * strings; `add` says whether the pair was applied. Returns how many were.
 */
export function addCounts(seqs: string, counts: string, add: (seq: number, n: number) => boolean): number {
  let i = 0;
  let j = 0;
  let applied = 0;
  while (i < seqs.length && j < counts.length) {
    let seq = 0;
    for (let c = seqs.charCodeAt(i); i < seqs.length && c !== 44; c = seqs.charCodeAt(++i)) seq = seq * 10 + (c - 48);
    i++;
    let n = 0;
    let neg = false;
    if (counts.charCodeAt(j) === 45) {
      neg = true;
      j++;
    }
    for (let c = counts.charCodeAt(j); j < counts.length && c !== 44; c = counts.charCodeAt(++j)) n = n * 10 + (c - 48);
    j++;
    if (add(seq, neg ? -n : n)) applied++;
  }
  return applied;
}

/** What the read model needs from the repository: its SQL (row columns) and the text search configuration. */
export interface ReadModelSource {
  pool: PgPool;
  /** SELECT list of a row with uses, over `patterns p LEFT JOIN pattern_usage u`. */
  rowCols: string;
  tsConfig: string;
}

export class PgReadModel {
  private recs = new Map<number, Rec>();
  private postings = new Map<string, number[]>();
  private slab = new VectorSlab(0);
  /** One copy of the short strings many rows repeat (embedder, tags, domain, ...): see compact(). */
  private readonly strings = new Map<string, string>();
  /** raw word -> lexeme, learned from rows and asked of PostgreSQL. */
  private readonly lexemeOf = new Map<string, string>();
  /** The last change-log lsn the model has read (its rows hold every change up to it). */
  private hwm = 0;
  private embedder: string | null = null;
  private dim = 0;
  private loading: Promise<void> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private running: Promise<void> | null = null;
  private again = false;
  private lastFailure = 0;
  /** This node committed changes the model has not read yet (its next read catches up first). */
  private dirty = false;
  /** Uses this node flushed (committed), by the lsn of their log entry, until a catch-up past that lsn reads them. */
  private ownUses: { lsn: number; counts: Map<number, number> }[] = [];
  private closed = false;
  /** A change feed (the repository's watch) kicks catch-ups; without one, reads check at most every 200 ms. */
  followed = false;
  private lastCatchUp = 0;
  private freshening: Promise<void> | null = null;
  /** The running catch-up was started by this node's write (a read waits for it). */
  private dirtyRunning = false;
  /** Stamps of text searches and findRows (Rec.seen). */
  private visits = 0;
  /** Counters since start: catch-ups run, full loads, rows read from PostgreSQL, usage counts added in place. */
  readonly stats = { catchUps: 0, loads: 0, rowsRead: 0, usesApplied: 0 };

  constructor(private readonly src: ReadModelSource) {}

  /** Loaded (for `embedder`) and usable. */
  ready(embedder?: string): boolean {
    return this.embedder !== null && !this.closed && (embedder === undefined || embedder === this.embedder);
  }

  get size(): number {
    return this.recs.size;
  }

  get mark(): number {
    return this.hwm;
  }

  /** Loads every row of `embedder` (once; again after a reset). Rejects when PostgreSQL is unreachable. */
  load(embedder: string, dim: number): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = this.serial(() => this.loadNow(embedder, dim)).finally(() => (this.loading = null));
    return this.loading;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  private async loadNow(embedder: string, dim: number): Promise<void> {
    const t0 = Date.now();
    const client = await this.src.pool.connect();
    const recs = new Map<number, Rec>();
    // vectors go to the new slab as their page arrives (the page's buffers are garbage at once)
    const slab = new VectorSlab(dim);
    let hwm: number;
    try {
      // one snapshot: the rows hold every change up to the lsn read with them
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const m = await client.query<{ m: number | null }>(
        `SELECT GREATEST((SELECT max(lsn) FROM pattern_log), (SELECT value::bigint FROM pattern_meta WHERE key = 'log_trimmed_upto'), 0) AS m`,
      );
      hwm = Number(m.rows[0].m ?? 0);
      const n = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM patterns');
      slab.reserve(Math.ceil(Number(n.rows[0].n) * 1.05) + 64);
      let after = 0;
      for (;;) {
        const r = await client.query<PatternRow & { tsv: string; vector: Buffer | null }>(
          `SELECT ${this.src.rowCols}, p.tsv::text AS tsv, v.vector
           FROM patterns p LEFT JOIN pattern_usage u ON u.seq = p.seq LEFT JOIN pattern_vectors v ON v.seq = p.seq AND v.embedder = $1
           WHERE p.seq > $2 ORDER BY p.seq LIMIT $3`,
          [embedder, after, LOAD_PAGE],
        );
        for (const x of r.rows) {
          const { tsv, vector, ...row } = x;
          recs.set(row.seq, { row: this.compact(row), tsv, slot: vector ? slab.put(vector) : -1, seen: 0 });
        }
        if (r.rows.length < LOAD_PAGE) break;
        after = r.rows[r.rows.length - 1].seq;
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    this.recs = new Map();
    this.postings = new Map();
    this.slab = slab;
    for (const [seq, rec] of recs) this.put(seq, rec);
    this.stats.loads++;
    this.stats.rowsRead += recs.size;
    this.hwm = hwm;
    this.embedder = embedder;
    this.dim = dim;
    this.ownUses = [];
    this.dirty = false;
    log.info('pattern read model loaded', { patterns: this.recs.size, lsn: hwm, ms: Date.now() - t0 });
  }

  private put(seq: number, rec: Rec): void {
    const old = this.recs.get(seq);
    if (old) this.slab.release(old.slot);
    if (!old || old.tsv !== rec.tsv) {
      if (old) this.unindex(seq, old);
      const parsed = parseTsv(rec.tsv);
      for (const l of parsed.keys()) {
        const list = this.postings.get(l);
        if (list) list.push(seq);
        else this.postings.set(l, [seq]);
      }
      this.learn(rec.row, parsed);
    }
    this.recs.set(seq, rec);
  }

  /**
   * The row with one copy of the strings rows repeat (the embedder, tags, privacy categories, model, route, domain,
   * ...; the update and last-use times when equal to the creation time): PostgreSQL's rows bring a string per field.
   */
  private compact(row: PatternRow): PatternRow {
    const one = (v: string | null): string | null => {
      if (v === null || v.length > 64) return v;
      const have = this.strings.get(v);
      if (have !== undefined) return have;
      if (this.strings.size < 20_000) this.strings.set(v, v);
      return v;
    };
    row.embedder = one(row.embedder)!;
    row.tags = one(row.tags)!;
    row.privacy_categories = one(row.privacy_categories)!;
    row.model = one(row.model);
    row.backend = one(row.backend);
    row.route = one(row.route);
    row.domain = one(row.domain);
    row.agent_id = one(row.agent_id);
    if (row.updated_at === row.created_at) row.updated_at = row.created_at;
    if (row.last_used_at === row.created_at) row.last_used_at = row.created_at;
    else if (row.last_used_at === row.updated_at) row.last_used_at = row.updated_at;
    return row;
  }

  private unindex(seq: number, rec: Rec): void {
    for (const l of tsvLexemes(rec.tsv)) {
      const list = this.postings.get(l);
      if (!list) continue;
      const i = list.indexOf(seq);
      if (i >= 0) list.splice(i, 1);
      if (!list.length) this.postings.delete(l);
    }
  }

  private remove(seq: number): void {
    const old = this.recs.get(seq);
    if (!old) return;
    this.unindex(seq, old);
    this.slab.release(old.slot);
    this.recs.delete(seq);
  }

  /** Learns word -> lexeme from a row: task (weight A) positions 1..n, then approach (B), then tags (C). */
  private learn(row: PatternRow, parsed: Map<string, { pos: number[]; w: number[] }>): void {
    if (this.lexemeOf.size > 200_000) return;
    const at = new Map<number, string>();
    let maxA = 0;
    let maxAB = 0;
    for (const [lex, e] of parsed)
      e.pos.forEach((p, i) => {
        at.set(p, lex);
        if (e.w[i] === 3) maxA = Math.max(maxA, p);
        if (e.w[i] >= 2) maxAB = Math.max(maxAB, p);
      });
    const parts: [string[], number][] = [
      [tokens(row.task), 0],
      [tokens(row.approach), maxA],
      [tokens(row.tags), maxAB],
    ];
    // only when every token has its position (a long text's positions are capped, and then nothing is learned)
    if (parts[0][0].length !== maxA || parts[0][0].length + parts[1][0].length !== maxAB) return;
    for (const [toks, off] of parts)
      toks.forEach((t, i) => {
        const lex = at.get(off + i + 1);
        if (lex !== undefined && !this.lexemeOf.has(t)) this.lexemeOf.set(t, lex);
      });
  }

  /** Query words the model has no lexeme for: ask PostgreSQL to stem them (cached); unreachable: Porter's guess. */
  async prepareTerms(terms: string[]): Promise<void> {
    const want = [...new Set(terms.map((t) => t.toLowerCase().replace(/[^a-z0-9]+/g, '')).filter((t) => t && !this.lexemeOf.has(t)))];
    if (!want.length || Date.now() - this.lastFailure < RETRY_AFTER_MS) return;
    try {
      const r = await this.src.pool.query<{ t: string; l: string }>(
        `SELECT t, (SELECT string_agg(lexeme, ' ') FROM unnest(to_tsvector('${this.src.tsConfig}', t))) AS l FROM unnest($1::text[]) t`,
        [want],
      );
      // a word PostgreSQL gives no single lexeme matches nothing (NO_LEXEME)
      for (const x of r.rows) this.lexemeOf.set(x.t, x.l && !x.l.includes(' ') ? x.l : NO_LEXEME);
    } catch {
      // unreachable: lexemeFor guesses (not cached)
      this.lastFailure = Date.now();
    }
  }

  private lexemeFor(term: string): string | null {
    const t = term.toLowerCase().replace(/[^a-z0-9]+/g, '');
    if (!t) return null;
    return this.lexemeOf.get(t) ?? stem(t);
  }

  docFreq(term: string): number {
    const l = this.lexemeFor(term);
    return l === null ? 0 : (this.postings.get(l)?.length ?? 0);
  }

  count(): number {
    return this.recs.size;
  }

  has(seq: number): boolean {
    return this.recs.has(seq);
  }

  /** This node's flushed uses of `seq` the rows do not hold yet. */
  private ownUsesOf(seq: number): number {
    let add = 0;
    for (const o of this.ownUses) add += o.counts.get(seq) ?? 0;
    return add;
  }

  private withOwnUses(row: PatternRow): PatternRow {
    const add = this.ownUses.length ? this.ownUsesOf(row.seq) : 0;
    return add ? { ...row, uses: row.uses + add } : { ...row };
  }

  /**
   * Text candidates (ts_rank order, filtered, at most `limit`) with their rank, as findRows' SQL. Allocates only for
   * the candidates kept: rows are marked visited with a stamp, ranked in place, and kept in a sorted top list.
   */
  textSearch(terms: string[], filter: PatternFilter | null, limit: number): { seq: number; score: number }[] {
    // PostgreSQL sums the query's distinct lexemes in sorted order (SortAndUniqItems): the same float sums here
    const q = [...new Set(terms.flatMap((t) => this.lexemeFor(t) ?? []))].sort();
    if (!q.length || limit <= 0) return [];
    const keys = q.map(lexemeKey);
    const stamp = ++this.visits;
    const out: { seq: number; score: number }[] = [];
    for (const l of q) {
      const list = this.postings.get(l);
      if (!list) continue;
      for (let i = 0; i < list.length; i++) {
        const seq = list[i];
        const rec = this.recs.get(seq)!;
        if (rec.seen === stamp) continue;
        rec.seen = stamp;
        if (filter && !passes(rec.row, filter)) continue;
        const score = tsRankText(rec.tsv, keys);
        // ordered by score descending, then seq: insert where it belongs when it makes the top `limit`
        let at = out.length;
        while (at > 0 && (out[at - 1].score < score || (out[at - 1].score === score && out[at - 1].seq > seq))) at--;
        if (at >= limit) continue;
        if (out.length === limit) out.pop();
        out.splice(at, 0, { seq, score });
      }
    }
    return out;
  }

  /** findRows from memory: the same answer as the SQL statement on the same data. */
  findRows(fq: FindRowsQuery): FindRows {
    const lexRows = fq.terms.length ? this.textSearch(fq.terms, fq.filter, fq.limit) : [];
    const rows: (PatternRow & { ok: boolean })[] = [];
    const vecs = new Map<number, Float32Array>();
    const lex: number[] = [];
    const stamp = ++this.visits;
    const own = this.ownUses.length > 0;
    const add = (seq: number, hit: boolean): void => {
      const rec = this.recs.get(seq);
      if (!rec || rec.seen === stamp) return;
      rec.seen = stamp;
      const row = rec.row;
      const more = own ? this.ownUsesOf(seq) : 0;
      rows.push(rowCopy(row, row.uses + more, passes(row, fq.filter)));
      if (!hit && rec.slot >= 0) vecs.set(seq, this.slab.vec(rec.slot, fq.dim));
    };
    for (const seq of fq.seqs) add(seq, true);
    // the text candidates' vectors, when not hits of the vector search
    for (const x of lexRows) {
      lex.push(x.seq);
      add(x.seq, false);
    }
    return { lex, rows, vecs };
  }

  filterSeqs(seqs: number[] | null, filter: PatternFilter): Set<number> {
    const out = new Set<number>();
    if (seqs) {
      for (const s of seqs) {
        const r = this.recs.get(s);
        if (r && passes(r.row, filter)) out.add(s);
      }
    } else for (const [s, r] of this.recs) if (passes(r.row, filter)) out.add(s);
    return out;
  }

  rowsBySeqs(seqs: number[]): PatternRow[] {
    return seqs.flatMap((s) => {
      const r = this.recs.get(s);
      return r ? [this.withOwnUses(r.row)] : [];
    });
  }

  vectorsOf(seqs: number[], dim: number): Map<number, Float32Array> {
    const out = new Map<number, Float32Array>();
    for (const s of seqs) {
      const slot = this.recs.get(s)?.slot ?? -1;
      if (slot >= 0) out.set(s, this.slab.vec(slot, dim));
    }
    return out;
  }

  // ------------------------------------------------------------------ catching up

  /** This node committed a change: the next read catches up first (read your writes), and one starts soon. */
  wrote(): void {
    this.dirty = true;
    // followed: this node's own NOTIFY kicks the catch-up at COMMIT (a kick here too would double it)
    if (!this.followed) this.kick();
    if (this.running) this.dirtyRunning = true;
  }

  /** This node's usage flush committed with log entries up to `lsn`: shown until a catch-up past `lsn` reads them. */
  ownUsesCommitted(lsn: number, counts: Map<number, number>): void {
    if (!this.ready() || lsn <= this.hwm) return;
    this.ownUses.push({ lsn, counts });
  }

  /** Starts a catch-up (one at a time; one more after it when kicked meanwhile). Never rejects. */
  kick(): void {
    if (!this.ready()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.dirtyRunning = this.dirty;
    this.running = (async () => {
      do {
        this.again = false;
        await this.catchUp();
      } while (this.again && !this.closed);
    })()
      .catch((e: Error) => {
        this.lastFailure = Date.now();
        log.debug('the pattern read model did not catch up; retried at the next change', { error: e.message });
      })
      .finally(() => {
        this.running = null;
        this.dirtyRunning = false;
      });
  }

  /**
   * Before a find reads the model: when this node wrote since the last catch-up, or the find's hits include a row
   * the model has not read yet, one catch-up (not when one failed within the last second: PostgreSQL unreachable,
   * the find answers from what the model holds).
   */
  async fresh(hits: number[] = []): Promise<void> {
    if (!this.ready()) return;
    // a catch-up this node's write started: its result first
    if (this.running && this.dirtyRunning) await this.running;
    const behind = this.dirty || hits.some((h) => !this.recs.has(h)) || (!this.followed && Date.now() - this.lastCatchUp >= 200);
    if (!behind || Date.now() - this.lastFailure < RETRY_AFTER_MS) return;
    // reads arriving together (a find's terms) share one catch-up
    this.freshening ??= this.catchUp()
      .catch((e: Error) => {
        this.lastFailure = Date.now();
        log.debug('the pattern read model did not catch up before a find; answering from the replica', { error: e.message });
      })
      .finally(() => (this.freshening = null));
    await this.freshening;
  }

  /**
   * Reads the log after the mark and the rows it names; a reset or a trimmed gap loads everything again. A usage
   * flush's entry carries its counts (patterns migration v4): they are added to the rows held, reading no row. When
   * rows must be read, the log and the rows are read in one snapshot, so a row read holds exactly the uses of the
   * entries read (a later flush's counts are in the next catch-up's entries, added once).
   */
  catchUp(): Promise<void> {
    return this.serial(async () => {
      if (!this.embedder || this.closed) return;
      this.dirty = false;
      this.lastCatchUp = Date.now();
      this.stats.catchUps++;
      const pool = this.src.pool;
      let log = await readLog(pool, this.hwm);
      if (log.reload) return this.loadNow(this.embedder, this.dim);
      if (!log.entries.length) return;
      if (!log.entries.some(needsRow)) {
        this.applyUses(log.entries, null);
        this.advance(log.entries);
        return;
      }
      const client = await pool.connect();
      let rows: (PatternRow & { tsv: string | null; vector: Buffer | null })[];
      let full: Set<number>;
      let reread: Set<number>;
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        log = await readLog(client, this.hwm);
        if (log.reload) {
          await client.query('COMMIT');
          client.release();
          return this.loadNow(this.embedder, this.dim);
        }
        full = new Set<number>();
        reread = new Set<number>();
        for (const e of log.entries)
          if (e.op !== 'uses') full.add(Number(e.seq));
          else if (e.us === null) reread.add(Number(e.seq)); // a flush logged before migration v4: the row again
        for (const x of full) reread.delete(x);
        const seqs = [...full, ...reread];
        rows = (
          await client.query<PatternRow & { tsv: string | null; vector: Buffer | null }>(
            `SELECT ${this.src.rowCols}, CASE WHEN p.seq = ANY($2::bigint[]) THEN p.tsv::text END AS tsv,
               CASE WHEN p.seq = ANY($2::bigint[]) THEN v.vector END AS vector
             FROM patterns p LEFT JOIN pattern_usage u ON u.seq = p.seq LEFT JOIN pattern_vectors v ON v.seq = p.seq AND v.embedder = $3
             WHERE p.seq = ANY($1::bigint[])`,
            [seqs, [...full], this.embedder],
          )
        ).rows;
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        throw e;
      }
      client.release();
      this.stats.rowsRead += rows.length;
      const got = new Set<number>();
      for (const x of rows) {
        const { tsv, vector, ...row } = x;
        got.add(row.seq);
        const old = this.recs.get(row.seq);
        if (tsv === null) {
          // uses only: the rest of the row as the model has it
          if (old) old.row = this.compact(row);
          continue;
        }
        this.put(row.seq, { row: this.compact(row), tsv, slot: vector ? this.slab.put(vector) : -1, seen: 0 });
      }
      for (const s of full) if (!got.has(s)) this.remove(s);
      // the rows read hold every count of the entries read: counts are added to the other rows only
      this.applyUses(log.entries, got);
      this.advance(log.entries);
    });
  }

  /** Adds the counts the 'uses' entries carry to the rows held (not to those in `skip`, read with them). */
  private applyUses(entries: LogEntry[], skip: Set<number> | null): void {
    for (const e of entries) {
      if (e.op !== 'uses' || e.us === null || e.un === null) continue;
      this.stats.usesApplied += addCounts(e.us, e.un, (seq, n) => {
        if (skip?.has(seq)) return false;
        const rec = this.recs.get(seq);
        if (!rec) return false; // deleted since
        rec.row.uses += n;
        return true;
      });
    }
  }

  private advance(entries: LogEntry[]): void {
    this.hwm = Number(entries[entries.length - 1].lsn);
    this.ownUses = this.ownUses.filter((o) => o.lsn > this.hwm);
  }

  close(): void {
    this.closed = true;
  }
}
