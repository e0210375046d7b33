// A node's read model on PostgreSQL (issue 14, store/postgres/read-model.ts): a find reads the rows, the text
// candidates and their vectors from memory, caught up from the change log. Against a real throwaway cluster: the
// model answers exactly what the SQL find path answers on the same data (candidates, ts_rank scores, rows, filters,
// vectors, document frequencies); merges, outcomes and deletes on node A reach a find on node B; a find on B answers
// with PostgreSQL stopped; usage counts flushed at a clean close are not lost and reach the other node.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PatternBank, createDefaultEmbedder } from '../../src/engine/patterns/index.js';
import { lexTerms } from '../../src/engine/patterns/lexical.js';
import { PgPatternsRepo } from '../../src/engine/store/postgres/patterns-repo.js';
import { VectorSlab } from '../../src/engine/store/postgres/read-model.js';
import type { FindRows, PatternFilter } from '../../src/engine/store/patterns-repo.js';
import { startPostgres, type TestPostgres } from '../helpers/pg.js';
import { tempDir } from '../helpers/tmp.js';

const embedder = createDefaultEmbedder();
let server: TestPostgres;
const open: { bank: PatternBank | null; repo: PgPatternsRepo }[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.bank?.close();
    await o.repo.close();
  }
});
afterAll(() => server?.stop());

async function node(url: string, o: { readModel?: boolean } = {}) {
  const repo = await PgPatternsRepo.open(url, o);
  const bank = await PatternBank.open({ repo, indexPath: join(tempDir('ruvllm-rm-'), 'patterns.hnsw'), embedder, persistIntervalMs: 0 });
  const n = { bank: bank as PatternBank | null, repo };
  open.push(n);
  return { bank, repo };
}

async function loaded(repo: PgPatternsRepo): Promise<void> {
  await expect.poll(() => repo.model!.ready(), { timeout: 10_000 }).toBe(true);
}

const words = [
  'cache',
  'caching',
  'cached',
  'run',
  'running',
  'runs',
  'deploy',
  'deployment',
  'database',
  'index',
  'indexes',
  'indexing',
  'queue',
  'retry',
  'retries',
  'schema',
  'migration',
  'migrate',
  'build',
  'builds',
  'docker',
  'kubernetes',
  'certificate',
  'token',
  'tokens',
  'parse',
  'parser',
  'stream',
  'log',
  'logs',
  'logging',
  'shard',
  'replica',
  'backup',
  'compress',
  'http2',
  'utf8',
  '2024',
];

/** A deterministic pseudo-random word list. */
function pick(seed: number, n: number): string[] {
  const out: string[] = [];
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(words[x % words.length]);
  }
  return out;
}

describe('the read model against the SQL find path', () => {
  it('answers findRows and docFreq exactly as PostgreSQL does on the same data (ts_rank scores bit for bit)', async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    for (let i = 0; i < 160; i++)
      await a.bank.store({
        task: `${pick(i, 4 + (i % 5)).join(' ')} task ${i}`,
        approach: `${pick(i + 1000, 3).join(' ')} ${pick(i, 2).join(' ')}`,
        quality: 0.3 + (i % 7) / 10,
        tags: i % 3 ? [pick(i + 7, 1)[0]] : [],
        domain: i % 4 === 0 ? 'ops' : undefined,
        converged: i % 2 === 0,
      });
    await loaded(a.repo);
    await a.repo.model!.catchUp();
    const sql = await PgPatternsRepo.open(url, { readModel: false });
    open.push({ bank: null, repo: sql });
    const filters: (PatternFilter | null)[] = [null, { domain: 'ops' }, { minQuality: 0.6 }, { tags: ['cache'] }, { converged: true }];
    let compared = 0;
    for (let i = 0; i < 40; i++) {
      const text = pick(i + 5000, 3).join(' ');
      const terms = [...new Set(lexTerms(text))];
      const [vec] = await embedder.embed([text]);
      const hits = (await a.bank.vectorSearch(vec, 20)).map((h) => h.seq);
      for (const filter of filters) {
        const fq = { seqs: hits, terms, filter, limit: 15, embedder: embedder.id, dim: vec.length };
        const norm = (r: FindRows) => ({
          lex: r.lex,
          rows: [...r.rows].sort((x, y) => x.seq - y.seq),
          vecs: [...r.vecs.entries()].sort((x, y) => x[0] - y[0]).map(([s, v]) => [s, [...v]]),
        });
        const want = await sql.findRows(fq);
        expect(norm(await a.repo.findRows(fq))).toEqual(norm(want));
        compared += want.lex.length;
        // the ranks themselves: PostgreSQL's float4 ts_rank, bit for bit
        const sqlScores = await sql.textSearch(terms, filter, 15);
        const local = a.repo.model!.textSearch(terms, filter, 15);
        expect(local.map((x) => [x.seq, x.score])).toEqual(sqlScores.map((x) => [x.seq, Math.fround(x.score)]));
      }
      for (const t of terms) expect(await a.repo.docFreq(t)).toBe(await sql.docFreq(t));
    }
    expect(compared).toBeGreaterThan(200);
    // a word no pattern has, stemmed by PostgreSQL (learned from no row): 'indexed' matches the rows with 'index'
    expect(await a.repo.docFreq('indexed')).toBe(await sql.docFreq('indexed'));
    expect(await a.repo.docFreq('indexed')).toBeGreaterThan(0);
  });
});

describe('the read model after changes (vectors kept in one slab, slots freed and reused)', () => {
  it("B's model holds PostgreSQL's rows and vectors after deletes, merges and new stores on A", async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++)
      ids.push(
        (await a.bank.store({ task: `${pick(i, 5).join(' ')} first ${i}`, approach: `${pick(i + 300, 3).join(' ')}`, quality: 0.5 })).id,
      );
    const b = await node(url);
    await loaded(b.repo);
    // deletes free slots, new stores take them, merges bring the merged rows again
    for (let i = 0; i < 60; i += 3) await a.bank.delete(ids[i]);
    for (let i = 0; i < 30; i++)
      await a.bank.store({ task: `${pick(i + 900, 6).join(' ')} second ${i}`, approach: `${pick(i + 1300, 3).join(' ')}`, quality: 0.7 });
    for (let i = 1; i < 60; i += 3) {
      const p = await a.bank.get(ids[i]);
      await a.bank.store({ task: p.task, approach: p.approach.toUpperCase(), quality: 0.9 });
    }
    await b.repo.model!.catchUp();
    const sql = await PgPatternsRepo.open(url, { readModel: false });
    open.push({ bank: null, repo: sql });
    const seqs = (await sql.vectorSeqs(embedder.id)).sort((x, y) => x - y);
    expect(b.repo.model!.size).toBe(await sql.count());
    const norm = (m: Map<number, Float32Array>) => [...m.entries()].sort((x, y) => x[0] - y[0]).map(([s, v]) => [s, [...v]]);
    expect(norm(await b.repo.vectorsOf(seqs, embedder.id, embedder.dim))).toEqual(
      norm(await sql.vectorsOf(seqs, embedder.id, embedder.dim)),
    );
    expect(seqs.length).toBe(await sql.count());
    const byseq = (r: { seq: number }[]) => [...r].sort((x, y) => x.seq - y.seq);
    expect(byseq(await b.repo.rowsBySeqs(seqs))).toEqual(byseq(await sql.rowsBySeqs(seqs)));
    // findRows: the text candidates' vectors come from the slab
    for (let i = 0; i < 10; i++) {
      const terms = [...new Set(lexTerms(pick(i + 77, 2).join(' ')))];
      const fq = { seqs: [], terms, filter: null, limit: 15, embedder: embedder.id, dim: embedder.dim };
      const got = await b.repo.findRows(fq);
      const want = await sql.findRows(fq);
      expect(got.lex).toEqual(want.lex);
      expect(norm(got.vecs)).toEqual(norm(want.vecs));
    }
  });
});

describe('VectorSlab', () => {
  const blob = (dim: number, x: number) => Uint8Array.from({ length: dim * 2 }, (_, i) => (x * 31 + i) & 0xff);
  it('keeps each vector in its slot across growth, releases and reuse; other lengths are kept as they came', () => {
    const slab = new VectorSlab(4, 2);
    const slots = Array.from({ length: 3000 }, (_, i) => slab.put(blob(4, i)));
    expect(new Set(slots).size).toBe(3000);
    for (const [i, s] of slots.entries()) expect([...slab.blob(s)]).toEqual([...blob(4, i)]);
    for (let i = 0; i < 3000; i += 2) slab.release(slots[i]);
    expect(slab.size).toBe(1500);
    const again = Array.from({ length: 1500 }, (_, i) => slab.put(blob(4, 10_000 + i)));
    // the freed slots are taken again before the slab grows
    expect(new Set(again)).toEqual(new Set(slots.filter((_, i) => i % 2 === 0)));
    for (const [i, s] of again.entries()) expect([...slab.blob(s)]).toEqual([...blob(4, 10_000 + i)]);
    for (let i = 1; i < 3000; i += 2) expect([...slab.blob(slots[i])]).toEqual([...blob(4, i)]);
    // a float32 blob (4 bytes a dimension): kept whole, decoded as before
    const f32 = new Float32Array([0.5, -0.25, 1, 0]);
    const s32 = slab.put(new Uint8Array(f32.buffer));
    expect([...slab.vec(s32, 4)]).toEqual([0.5, -0.25, 1, 0]);
    slab.release(s32);
    const s16 = slab.put(blob(4, 7));
    expect(s16).toBe(s32);
    expect([...slab.blob(s16)]).toEqual([...blob(4, 7)]);
  });
});

describe('two nodes, each with a read model', () => {
  it('a merge, an outcome and a delete on A are seen by a find on B after its catch-up', async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const b = await node(url);
    await loaded(b.repo);
    const task = 'Speed up the docker image build of the billing service';
    const first = await a.bank.store({ task, approach: 'multi-stage build with a cached dependency layer', quality: 0.6 });
    const other = await a.bank.store({ task: 'Rotate the TLS certificates of the ingress', approach: 'cert-manager', quality: 0.8 });
    const query = 'make the billing docker build faster';
    const onB = async () => (await b.bank.find({ query, k: 3 })).matches.find((m) => m.pattern.id === first.id)?.pattern;
    await expect.poll(() => onB().then((p) => p?.count), { timeout: 5_000 }).toBe(1);
    const merged = await a.bank.store({ task, approach: 'Multi-stage build with a cached dependency layer', quality: 1 });
    expect(merged.id).toBe(first.id);
    await a.bank.recordOutcome(first.id, true);
    const onA = await a.bank.get(first.id);
    await expect.poll(() => onB().then((p) => [p?.count, p?.successes, p?.quality]), { timeout: 5_000 }).toEqual([2, 1, onA.quality]);
    expect(b.repo.model!.ready()).toBe(true);
    await a.bank.delete(other.id);
    await expect
      .poll(() => b.bank.find({ query: 'rotate TLS certificates ingress', k: 5 }).then((r) => r.matches.map((m) => m.pattern.id)), {
        timeout: 5_000,
      })
      .not.toContain(other.id);
    expect(b.repo.model!.has((await a.repo.rowById(first.id))!.seq)).toBe(true);
    expect(b.repo.model!.size).toBe(1);
  });

  it('a find on B answers from its replica while PostgreSQL is stopped', async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const b = await node(url);
    await loaded(b.repo);
    const task = 'Compress the nightly database backup before the upload';
    const stored = await a.bank.store({ task, approach: 'zstd at level 19', quality: 0.8, domain: 'ops' });
    await a.bank.store({ task: 'Cache the npm install between CI runs', approach: 'actions/cache keyed on the lockfile', quality: 0.7 });
    await expect.poll(() => b.bank.find({ query: task, k: 2 }).then((r) => r.matches.length), { timeout: 5_000 }).toBe(2);
    const before = await b.bank.find({ query: 'shrink the database backup', k: 2 });
    server.pause();
    try {
      const r = await b.bank.find({ query: 'shrink the database backup', k: 2 });
      expect(r.matches.map((m) => [m.pattern.id, m.score])).toEqual(before.matches.map((m) => [m.pattern.id, m.score]));
      // filtered, and with a word no pattern has (PostgreSQL cannot stem it now)
      const f = await b.bank.find({ query: 'zstandard compress nightly backups', k: 1, domain: 'ops' });
      expect(f.matches[0].pattern.id).toBe(stored.id);
      // writes still fail fast: nothing is acknowledged that was not committed
      await expect(b.bank.store({ task: 'never stored', approach: 'x', quality: 0.5 })).rejects.toThrow(/unreachable|retry/i);
    } finally {
      server.resume();
    }
  });

  it("a use flush on A reaches the uses B's find reports without B reading any row again (the log entry carries the counts)", async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const b = await node(url);
    await loaded(b.repo);
    const task = 'Partition the events table of the analytics service by month';
    const stored = await a.bank.store({ task, approach: 'declarative partitions created a month ahead', quality: 0.8 });
    await a.bank.store({ task: 'Retry the webhook deliveries with backoff', approach: 'exponential backoff with jitter', quality: 0.7 });
    const seq = (await a.repo.rowById(stored.id))!.seq;
    await expect.poll(() => b.repo.model!.size, { timeout: 5_000 }).toBe(2);
    await b.repo.model!.catchUp(); // every row change read: what follows logs uses only
    const before = { ...b.repo.model!.stats };
    for (let i = 0; i < 3; i++) expect((await a.bank.find({ query: task, k: 1 })).matches[0].pattern.id).toBe(stored.id);
    const flushUses = () => (a.bank as unknown as { usage: { flush(): Promise<void> } }).usage.flush();
    await flushUses();
    for (let i = 0; i < 2; i++) expect((await a.bank.find({ query: task, k: 1 })).matches[0].pattern.id).toBe(stored.id);
    await flushUses();
    expect((await a.repo.rowById(stored.id))!.uses).toBe(5);
    // B's find reports A's uses, and its own use on top (counted in B's memory)
    await expect.poll(() => b.repo.model!.rowsBySeqs([seq])[0]?.uses, { timeout: 5_000 }).toBe(5);
    const found = (await b.bank.find({ query: task, k: 1 })).matches[0].pattern;
    expect([found.id, found.uses]).toEqual([stored.id, 6]);
    const after = b.repo.model!.stats;
    expect(after.catchUps).toBeGreaterThan(before.catchUps);
    expect(after.usesApplied - before.usesApplied).toBe(2); // two flushes, one entry each for the pattern
    expect(after.rowsRead).toBe(before.rowsRead);
  });

  it('one catch-up over a row change, a carried usage flush and a pre-v4 uses entry shows the uses PostgreSQL holds, counted once', async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const s1 = await a.bank.store({
      task: 'Vacuum the orders table of the shop nightly',
      approach: 'autovacuum tuned per table',
      quality: 0.6,
    });
    const s2 = await a.bank.store({ task: 'Rotate the API keys of the payment provider', approach: 'two keys live at once', quality: 0.7 });
    const seq1 = (await a.repo.rowById(s1.id))!.seq;
    const seq2 = (await a.repo.rowById(s2.id))!.seq;
    // B: a read model caught up only when told (no change feed)
    const b = await PgPatternsRepo.open(url);
    open.push({ bank: null, repo: b });
    await b.init(embedder.id, embedder.dim);
    expect(b.model!.size).toBe(2);
    // after B's mark: a flush of uses of both (carried counts), a merge into s1 (its row read again), a row-only
    // 'uses' entry as a node before migration v4 logged it (B reads that row again)
    const flushUses = () => (a.bank as unknown as { usage: { flush(): Promise<void> } }).usage.flush();
    for (let i = 0; i < 2; i++) await a.bank.find({ query: 'vacuum orders table nightly', k: 2 });
    await flushUses();
    await a.bank.store({ task: 'Vacuum the orders table of the shop nightly', approach: 'Autovacuum tuned per table', quality: 0.9 });
    await a.bank.find({ query: 'vacuum orders table nightly', k: 2 });
    await flushUses();
    await a.repo.pool.query('UPDATE pattern_usage SET uses = uses + 4 WHERE seq = $1', [seq2]);
    await a.repo.pool.query("INSERT INTO pattern_log (seq, op) VALUES ($1, 'uses')", [seq2]);
    const before = { ...b.model!.stats };
    await b.model!.catchUp();
    const sql = await PgPatternsRepo.open(url, { readModel: false }); // PostgreSQL's rows
    open.push({ bank: null, repo: sql });
    const inPg = (await sql.rowsBySeqs([seq1, seq2])).sort((x, y) => x.seq - y.seq);
    expect(inPg.map((r) => [r.seq, r.uses])).toEqual([
      [seq1, 3],
      [seq2, 7], // 3 finds and the 4 added by hand
    ]);
    expect(b.model!.rowsBySeqs([seq1, seq2])).toEqual(inPg);
    expect(b.model!.stats.rowsRead - before.rowsRead).toBe(2); // s1 (merged) and s2 (the pre-v4 entry)
  });

  it("usage counts flushed at a clean close are not lost, and reach the other node's read model", async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const b = await node(url);
    await loaded(b.repo);
    const task = 'Shard the search index of the product catalogue by region';
    const stored = await a.bank.store({ task, approach: 'one index per region behind an alias', quality: 0.8 });
    const seq = (await a.repo.rowById(stored.id))!.seq;
    for (let i = 0; i < 7; i++) expect((await a.bank.find({ query: task, k: 1 })).matches[0].pattern.id).toBe(stored.id);
    // the counts are still batched in A's memory (flushed within a second); close flushes them
    const nodeA = open.find((o) => o.repo === a.repo)!;
    await a.bank.close();
    nodeA.bank = null;
    expect((await a.repo.rowById(stored.id))!.uses).toBe(7);
    // B reads them back through the log ('uses' entries), without a find of its own
    await expect.poll(() => b.repo.model!.rowsBySeqs([seq])[0]?.uses, { timeout: 5_000 }).toBe(7);
  });
});
