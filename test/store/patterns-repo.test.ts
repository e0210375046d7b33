// The pattern bank's repository contract, run against both implementations: SQLite (a real file) and PostgreSQL (a
// real throwaway cluster, test/helpers/pg.ts). Then what only PostgreSQL has: a change log whose order is the commit
// order under concurrent writers from several pools, the change watcher (NOTIFY, reconnect), countOutcome.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultEmbedder, migrations as sqliteMigrations } from '../../src/engine/patterns/index.js';
import { writePolicy, type StoreItem } from '../../src/engine/patterns/merging.js';
import { approachKey, newId, type StoredInput } from '../../src/engine/patterns/pattern-input.js';
import { openDatabase } from '../../src/engine/store/db.js';
import { withTransaction } from '../../src/engine/store/postgres/db.js';
import type { PatternsRepo, StoreWrite } from '../../src/engine/store/patterns-repo.js';
import { SqlitePatternsRepo } from '../../src/engine/store/sqlite/patterns-repo.js';
import { startPostgres, type TestPostgres } from '../helpers/pg.js';
import { decisionRecord } from '../helpers/decisions.js';
import { openPostgresStore } from '../../src/engine/store/postgres/store.js';
import { PgPatternsRepo, pgPatternsSlot } from '../../src/engine/store/postgres/patterns-repo.js';
import { tempDir } from '../helpers/tmp.js';

const embedder = createDefaultEmbedder();
const policy = writePolicy(0.9, 256);
let server: TestPostgres;
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  for (const c of closers.splice(0)) await c();
  server?.stop();
});

const factories: [string, () => Promise<PatternsRepo>][] = [
  [
    'sqlite',
    async () => {
      const db = openDatabase(join(tempDir('ruvllm-repo-'), 'bank.db'), sqliteMigrations);
      closers.push(() => db.close());
      return new SqlitePatternsRepo(db);
    },
  ],
  [
    'postgres',
    async () => {
      const repo = await PgPatternsRepo.open(await server.newDatabase());
      closers.push(() => repo.close());
      return repo;
    },
  ],
];

type Input = Partial<StoredInput> & { task: string; approach: string };

async function writesFor(inputs: Input[], over: Partial<StoreWrite<StoreItem>> = {}): Promise<StoreWrite<StoreItem>[]> {
  const vecs = await embedder.embed(inputs.map((i) => i.task));
  return inputs.map((i, n) => ({
    item: { input: { quality: 0.8, privacyCategories: [], ...i }, imported: null },
    key: approachKey(i.approach),
    vec: vecs[n],
    targetVec: null,
    importedId: null,
    fallbackId: newId(),
    ...over,
  }));
}

async function store(repo: PatternsRepo, inputs: Input[], over: Partial<StoreWrite<StoreItem>> = {}) {
  return repo.commitStores(await writesFor(inputs, over), policy, { active: embedder.id, target: null });
}

function ok<T>(d: { ok: T } | { err: Error }): T {
  if ('err' in d) throw d.err;
  return d.ok;
}

describe.each(factories)('patterns repository on %s', (_name, make) => {
  it('init agrees on one bank id and takes the embedder of an empty bank', async () => {
    const repo = await make();
    const a = await repo.init(embedder.id, embedder.dim);
    const b = await repo.init('other', 3);
    expect(b.bankId).toBe(a.bankId);
    expect(a).toMatchObject({ total: 0, activeId: embedder.id, activeDim: embedder.dim });
    expect(b.activeId).toBe('other'); // still empty: the new embedder is taken
  });

  it('stores in one batch, merges a near-duplicate of the same approach, logs new vectors in order', async () => {
    const repo = await make();
    await repo.init(embedder.id, embedder.dim);
    const before = await repo.maxLsn();
    const done = (
      await store(repo, [
        { task: 'Fix the failing unit test in the auth module', approach: 'Read the assertion diff', quality: 0.6, tags: ['a'] },
        { task: 'fix the failing unit tests in the auth module', approach: '  read the ASSERTION diff ', quality: 1, tags: ['b'] },
        { task: 'Translate the error messages into German', approach: 'locale file' },
      ])
    ).map(ok);
    expect(done.map((d) => d.merged)).toEqual([false, true, false]);
    expect(done[1].seq).toBe(done[0].seq);
    expect(done[1].row.count).toBe(2);
    expect(done[1].row.quality).toBeCloseTo(0.8, 5);
    expect(JSON.parse(done[1].row.tags)).toEqual(['a', 'b']);
    expect(done[0].lsn).toBeGreaterThan(before);
    expect(done[2].lsn).toBeGreaterThan(done[0].lsn);
    expect(done[1].lsn).toBe(0);
    expect(await repo.count()).toBe(2);
    // on PostgreSQL the merge is logged too (after the new vectors), for the nodes' read models
    const pg = repo instanceof PgPatternsRepo;
    expect(await repo.maxLsn()).toBe(pg ? done[2].lsn + 1 : done[2].lsn);
    const log = await repo.changesAfter(before);
    expect(log.map((e) => [e.seq, e.op])).toEqual([
      [done[0].seq, 'upsert'],
      [done[2].seq, 'upsert'],
      ...(pg ? [[done[0].seq, 'update']] : []),
    ]);
    const v = await repo.vectorOf(done[0].seq, embedder.id, embedder.dim);
    expect(v).not.toBeNull();
    expect(await repo.countVectors(embedder.id)).toBe(2);
    expect((await repo.vectorSeqs(embedder.id)).sort()).toEqual([done[0].seq, done[2].seq].sort());
    const row = await repo.rowById(done[2].row.id);
    expect(row).toMatchObject({ task: 'Translate the error messages into German', converged: 0, uses: 0 });
    expect(await repo.idTaken(done[2].row.id)).toBe(true);
    expect(await repo.idTaken('pat_nobody')).toBe(false);
  });

  it('a store whose transaction step throws is undone alone; the rest of its batch commits', async () => {
    const repo = await make();
    await repo.init(embedder.id, embedder.dim);
    const writes = await writesFor([
      { task: 'Add pagination to the orders endpoint', approach: 'cursor on created_at' },
      { task: 'Write a Dockerfile for the app', approach: 'multi-stage build' },
      { task: 'Profile the slow search query', approach: 'EXPLAIN ANALYZE' },
    ]);
    writes[1].inTransaction = () => {
      throw new Error('the outcome was already reported');
    };
    const done = await repo.commitStores(writes, policy, { active: embedder.id, target: null });
    expect('ok' in done[0] && 'ok' in done[2]).toBe(true);
    expect('err' in done[1] && done[1].err.message).toBe('the outcome was already reported');
    expect(await repo.count()).toBe(2);
    expect((await repo.allRows()).map((r) => r.task)).toEqual(['Add pagination to the orders endpoint', 'Profile the slow search query']);
  });

  it('counts document frequencies with stemming, finds text candidates, filters', async () => {
    const repo = await make();
    await repo.init(embedder.id, embedder.dim);
    const done = (
      await store(repo, [
        {
          task: 'Rotate the TLS certificates of the ingress controller',
          approach: 'cert-manager renewal',
          tags: ['ops', 'tls'],
          domain: 'infra',
        },
        { task: 'Rotate log files of the web server daily', approach: 'logrotate', tags: ['ops'] },
        { task: 'Fix the failing tests', approach: 'run them alone', quality: 0.3 },
        { task: 'A test that fails on Windows', approach: 'path separators', converged: true },
      ])
    ).map(ok);
    expect(await repo.docFreq('rotate')).toBe(2);
    // stems: "tests" and "test" are one term, as FTS5's porter tokenizer counts them
    expect(await repo.docFreq('tests')).toBe(2);
    expect(await repo.docFreq('test')).toBe(2);
    expect(await repo.docFreq('kubernetes')).toBe(0);
    // asked together (as a find asks for its terms)
    expect(await Promise.all(['rotate', 'certificates', 'windows'].map((t) => repo.docFreq(t)))).toEqual([2, 1, 1]);
    const hits = await repo.textSearch(['certificates', 'rotate'], null, 10);
    expect(hits[0].seq).toBe(done[0].seq);
    expect(hits.map((h) => h.seq).sort()).toEqual([done[0].seq, done[1].seq].sort());
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    expect((await repo.textSearch(['rotate'], { tags: ['tls'] }, 10)).map((h) => h.seq)).toEqual([done[0].seq]);
    expect((await repo.textSearch(['rotate'], { domain: 'infra' }, 10)).map((h) => h.seq)).toEqual([done[0].seq]);
    const scores = await repo.textScores(['rotate', 'certificates'], [done[0].seq, done[1].seq, done[2].seq]);
    expect([...scores.keys()].sort()).toEqual([done[0].seq, done[1].seq].sort());
    const all = done.map((d) => d.seq);
    expect([...(await repo.filterSeqs(all, { minQuality: 0.5 }))].sort()).toEqual([done[0].seq, done[1].seq, done[3].seq].sort());
    expect([...(await repo.filterSeqs(null, { converged: true }))]).toEqual([done[3].seq]);
    expect([...(await repo.filterSeqs(all, { tags: ['ops'] }))].sort()).toEqual([done[0].seq, done[1].seq].sort());
    expect((await repo.tasksOf([done[2].seq])).get(done[2].seq)).toBe('Fix the failing tests');
    expect((await repo.vectorsOf(all, embedder.id, embedder.dim)).size).toBe(4);
  });

  it('deletes with a tombstone in the log; outcomes, uses, prune candidates, pages', async () => {
    const repo = await make();
    await repo.init(embedder.id, embedder.dim);
    const done = (
      await store(repo, [
        { task: 'Compress the nightly database backup', approach: 'zstd' },
        { task: 'Cache the npm install in CI', approach: 'actions/cache on the lockfile hash' },
        { task: 'Upgrade the ORM to the next major version', approach: 'codemod then fix types' },
      ])
    ).map(ok);
    const mark = await repo.maxLsn();
    const del = await repo.delete([done[1].seq]);
    expect(del.first).toBe(del.last);
    expect(del.first).toBeGreaterThan(mark);
    expect(await repo.changesAfter(mark)).toEqual([{ lsn: del.first, seq: done[1].seq, op: 'delete' }]);
    expect(await repo.logRange(0, del.first)).toHaveLength(3);
    expect(await repo.rowById(done[1].row.id)).toBeNull();
    expect(await repo.countVectors(embedder.id)).toBe(2);

    const after = await repo.recordOutcome(done[0].row.id, false, (q) => q / 2, new Date().toISOString());
    expect(after).toMatchObject({ failures: 1, successes: 0 });
    expect(after!.quality).toBeCloseTo(0.4, 5);
    expect(await repo.recordOutcome('pat_nobody', true, (q) => q, new Date().toISOString())).toBeNull();

    await repo.addUses(
      new Map([
        [2, [done[2].seq]],
        [1, [done[0].seq]],
      ]),
      new Date().toISOString(),
    );
    await repo.addUses(new Map([[1, [done[2].seq, 999_999]]]), new Date().toISOString());
    expect((await repo.rowById(done[2].row.id))!.uses).toBe(3);
    expect((await repo.rowsBySeqs([done[0].seq])).map((r) => r.uses)).toEqual([1]);

    // idle and rarely used: a cutoff in the future prunes the pattern with fewer than 3 uses + outcomes
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await repo.pruneCandidates({ minUses: 3, maxFailureRate: 0.8, cutoff: future })).map((r) => r.seq)).toEqual([done[0].seq]);
    await repo.notePrune(1, 'a');
    await repo.notePrune(2, 'b');
    expect(await repo.getMeta('pruned_total')).toBe('3');
    expect(await repo.getMeta('last_prune')).toBe('b');

    const page = await repo.page(0, 1);
    expect(page.map((r) => r.seq)).toEqual([done[0].seq]);
    expect((await repo.page(done[0].seq, 10)).map((r) => r.seq)).toEqual([done[2].seq]);
    expect((await repo.storedVectors(embedder.id)).size).toBe(2);
  });

  it('re-embedding: missing vectors, stored for live patterns only, switched over', async () => {
    const repo = await make();
    await repo.init(embedder.id, embedder.dim);
    const done = (
      await store(repo, [
        { task: 'one task', approach: 'a' },
        { task: 'two task', approach: 'b' },
      ])
    ).map(ok);
    expect((await repo.missingVectors('e2', 0, 10)).map((r) => r.seq)).toEqual(done.map((d) => d.seq));
    await repo.delete([done[1].seq]);
    const v = new Float32Array([0.6, 0.8, 0]);
    expect(
      await repo.putVectors('e2', [
        { seq: done[1].seq, vec: v },
        { seq: done[0].seq, vec: v },
      ]),
    ).toEqual([1]);
    expect((await repo.vectorsOfEmbedder('e2', 3)).map((r) => r.seq)).toEqual([done[0].seq]);
    await repo.switchActive(embedder.id, 'e2', 3);
    expect(await repo.getMeta('active_embedder')).toBe('e2');
    expect(await repo.countVectors(embedder.id)).toBe(0);
    expect((await repo.rowById(done[0].row.id))!.embedder).toBe('e2');
  });

  it('applies redactions unless the row changed meanwhile, and logs changed vectors', async () => {
    const repo = await make();
    await repo.init(embedder.id, embedder.dim);
    const [a, b] = (
      await store(repo, [
        { task: 'call me at 555 0100', approach: 'x' },
        { task: 'unchanged text', approach: 'y' },
      ])
    ).map(ok);
    const mark = await repo.maxLsn();
    const vec = (await embedder.embed(['call me at [REDACTED:phone]']))[0];
    const r = await repo.applyRedactions(
      [
        {
          seq: a.seq,
          old: { task: 'call me at 555 0100', approach: 'x', outcome: null, tags: '[]' },
          task: 'call me at [REDACTED:phone]',
          approach: 'x',
          key: 'x',
          outcome: null,
          tags: '[]',
          cats: '["phone"]',
          vec,
        },
        {
          seq: b.seq,
          old: { task: 'something else', approach: 'y', outcome: null, tags: '[]' },
          task: 'x',
          approach: 'y',
          key: 'y',
          outcome: null,
          tags: '[]',
          cats: '[]',
          vec: null,
        },
      ],
      embedder.id,
      (stale) => ['privacy_scan', JSON.stringify({ stale })],
    );
    expect(r.applied).toBe(1);
    expect(r.stale).toEqual([b.seq]);
    expect(r.logged.map((l) => l.seq)).toEqual([a.seq]);
    expect(r.logged[0].lsn).toBeGreaterThan(mark);
    expect((await repo.changesAfter(mark)).map((e) => [e.seq, e.op])).toEqual([[a.seq, 'upsert']]);
    expect((await repo.rowById(a.row.id))!.task).toBe('call me at [REDACTED:phone]');
    expect(await repo.docFreq('555')).toBe(0);
    expect(await repo.getMeta('privacy_scan')).toBe(JSON.stringify({ stale: [b.seq] }));
    await repo.withSecureDelete(() => repo.purgeDeletedText());
    await repo.checkpoint();
  });

  it('trims the log up to a mark and remembers how far', async () => {
    const repo = await make();
    await repo.init(embedder.id, embedder.dim);
    const done = (await store(repo, [{ task: 'trim me', approach: 't' }])).map(ok);
    await repo.trimLog(done[0].lsn);
    // SQLite trims at once; PostgreSQL keeps entries other nodes may still need (LOG_RETENTION_MS)
    expect(await repo.maxLsn()).toBe(done[0].lsn);
  });
});

describe('PostgreSQL only', () => {
  it('the change log is read in commit order: a reader polling while writers on several pools commit out of lsn order misses nothing', async () => {
    const url = await server.newDatabase();
    const writers = await Promise.all(Array.from({ length: 4 }, () => PgPatternsRepo.open(url)));
    const reader = await PgPatternsRepo.open(url);
    closers.push(...[...writers, reader].map((r) => () => r.close()));
    await reader.init(embedder.id, embedder.dim);
    let stop = false;
    const seen = new Set<number>();
    let hwm = 0;
    const poll = (async () => {
      while (!stop) {
        for (const e of await reader.changesAfter(hwm)) {
          seen.add(e.lsn);
          hwm = e.lsn;
        }
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    // each writer's transaction sleeps a random while after its log append and before its COMMIT (it joins the
    // enclosing transaction): with lsns taken outside commit order, a later lsn would commit first and the
    // reader, past it, would never read the earlier one
    let n = 0;
    await Promise.all(
      writers.map(async (w, i) => {
        for (let k = 0; k < 12; k++) {
          await withTransaction(w.pool, async () => {
            const done = await store(w, [{ task: `writer ${i} store ${k} ${n++}`, approach: `w${i}-${k}` }]);
            ok(done[0]);
            if (k % 4 === 3) await w.delete([ok(done[0]).seq]);
            await new Promise((r) => setTimeout(r, Math.random() * 25));
          });
        }
      }),
    );
    await expect.poll(async () => (await reader.changesAfter(hwm)).length === 0 && hwm === (await reader.maxLsn())).toBe(true);
    stop = true;
    await poll;
    const all = (await reader.changesAfter(0)).map((e) => e.lsn);
    expect(all.length).toBe(4 * 12 + 4 * 3);
    expect([...seen].sort((a, b) => a - b)).toEqual(all);
  });

  it('the full-text index keeps no pending list (fastupdate off): stored rows are in the GIN index a text search uses', async () => {
    const repo = await PgPatternsRepo.open(await server.newDatabase());
    closers.push(() => repo.close());
    await repo.init(embedder.id, embedder.dim);
    const r = await repo.pool.query<{ reloptions: string[] | null }>("SELECT reloptions FROM pg_class WHERE relname = 'patterns_tsv'");
    expect(r.rows[0].reloptions).toContain('fastupdate=off');
    await store(
      repo,
      Array.from({ length: 50 }, (_, i) => ({ task: `Rotate the key number ${i}`, approach: `vault ${i}` })),
    );
    const c = await repo.pool.connect();
    try {
      // the index alone answers (no sequential scan of the table); its pending list would be scanned whole
      await c.query('SET enable_seqscan = off');
      const plan = await c.query<{ 'QUERY PLAN': string }>(
        "EXPLAIN SELECT seq FROM patterns WHERE tsv @@ to_tsquery('ruvllm_patterns', 'rotate')",
      );
      expect(plan.rows.map((x) => x['QUERY PLAN']).join('\n')).toContain('patterns_tsv');
    } finally {
      c.release();
    }
    expect((await repo.textSearch(['rotate'], null, 100)).length).toBe(50);
  });

  it('findRows answers in one query what textSearch, rowsBySeqs and vectorsOf answer, with whether each row passes the filter', async () => {
    const repo = await PgPatternsRepo.open(await server.newDatabase());
    closers.push(() => repo.close());
    await repo.init(embedder.id, embedder.dim);
    const done = (
      await store(repo, [
        { task: 'Rotate the TLS certificates of the ingress controller', approach: 'cert-manager renewal', tags: ['ops', 'tls'] },
        { task: 'Rotate log files of the web server daily', approach: 'logrotate', tags: ['ops'], quality: 0.3 },
        { task: 'Fix the failing tests', approach: 'run them alone' },
        { task: 'A test that fails on Windows', approach: 'path separators' },
      ])
    ).map(ok);
    const [s0, s1, s2, s3] = done.map((d) => d.seq);
    await repo.addUses(new Map([[2, [s0]]]), new Date().toISOString());
    // hits s2 and s0 (a hit that is also a text candidate gets no vector); text candidates of "rotate": s0, s1
    const got = await repo.findRows({
      seqs: [s2, s0],
      terms: ['rotate', 'certificates'],
      filter: null,
      limit: 10,
      embedder: embedder.id,
      dim: embedder.dim,
    });
    expect(got.lex).toEqual((await repo.textSearch(['rotate', 'certificates'], null, 10)).map((h) => h.seq));
    expect(got.lex[0]).toBe(s0);
    const rows = new Map(got.rows.map((r) => [r.seq, r]));
    expect([...rows.keys()].sort()).toEqual([s0, s1, s2].sort());
    for (const r of await repo.rowsBySeqs([s0, s1, s2])) expect(rows.get(r.seq)).toEqual({ ...r, ok: true });
    expect(rows.get(s0)!.uses).toBe(2);
    expect([...got.vecs.keys()]).toEqual([s1]);
    expect([...got.vecs.get(s1)!]).toEqual([...(await repo.vectorOf(s1, embedder.id, embedder.dim))!]);
    // a filter: text candidates pass it, every row says whether it does
    const f = await repo.findRows({
      seqs: [s2, s3],
      terms: ['rotate'],
      filter: { minQuality: 0.5, tags: ['ops'] },
      limit: 10,
      embedder: embedder.id,
      dim: embedder.dim,
    });
    expect(f.lex).toEqual([s0]);
    expect(new Map(f.rows.map((r) => [r.seq, r.ok]))).toEqual(
      new Map([
        [s0, true],
        [s2, false],
        [s3, false],
      ]),
    );
    // no terms: only the hits' rows; the limit bounds the text candidates
    const none = await repo.findRows({ seqs: [s3], terms: [], filter: null, limit: 10, embedder: embedder.id, dim: embedder.dim });
    expect(none).toEqual({ lex: [], rows: [{ ...(await repo.rowBySeq(s3))!, ok: true }], vecs: new Map() });
    expect(
      (await repo.findRows({ seqs: [], terms: ['rotate'], filter: null, limit: 1, embedder: embedder.id, dim: embedder.dim })).lex,
    ).toEqual([s0]);
  });

  it('concurrent stores of one near-duplicate from two nodes merge into one pattern', async () => {
    const url = await server.newDatabase();
    const [a, b] = await Promise.all([PgPatternsRepo.open(url), PgPatternsRepo.open(url)]);
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    await a.init(embedder.id, embedder.dim);
    const task = 'Fix the flaky integration test of the payment service';
    const r = await Promise.all(
      Array.from({ length: 6 }, (_, i) => store(i % 2 ? a : b, [{ task, approach: 'retry the HTTP mock setup' }]).then((d) => ok(d[0]))),
    );
    expect(r.filter((x) => !x.merged)).toHaveLength(1);
    expect(await a.count()).toBe(1);
    expect((await b.allRows())[0].count).toBe(6);
  });

  it('watch wakes a node when another commits, and again after its listener reconnects', async () => {
    const url = await server.newDatabase();
    const a = await PgPatternsRepo.open(url);
    const b = await PgPatternsRepo.open(url);
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    await a.init(embedder.id, embedder.dim);
    let wakes = 0;
    const w = b.watch(() => wakes++, { pollMs: 60_000 }); // the timer out of the way: NOTIFY and reconnect only
    await expect.poll(() => wakes, { timeout: 10_000 }).toBe(1); // connected
    let own = 0;
    const wa = a.watch(() => own++, { pollMs: 60_000 });
    await expect.poll(() => own, { timeout: 10_000 }).toBe(1);
    await store(a, [{ task: 'notify the other node', approach: 'n' }]);
    await expect.poll(() => wakes, { timeout: 5_000 }).toBe(2);
    expect(own).toBe(1); // its own NOTIFY does not wake the writer
    server.pause();
    server.resume();
    await expect.poll(() => wakes, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await w.close();
    await wa.close();
  });

  it('countOutcome counts an outcome on the patterns of a decision, inside the caller’s transaction', async () => {
    const url = await server.newDatabase();
    const repo = await PgPatternsRepo.open(url);
    closers.push(() => repo.close());
    await repo.init(embedder.id, embedder.dim);
    const writes = await writesFor([
      { task: 'first of the decision', approach: 'p' },
      { task: 'second of the decision', approach: 'q' },
      { task: 'another decision', approach: 'r' },
    ]);
    const ids = (await repo.commitStores(writes, policy, { active: embedder.id, target: null })).map((d) => ok(d).seq);
    // decision ids are written by newRow from the item: set them directly here
    await withTransaction(repo.pool, (c) =>
      c.query("UPDATE patterns SET decision_id = 'd1' WHERE seq = ANY($1::bigint[])", [ids.slice(0, 2)]),
    );
    const err = await withTransaction(repo.pool, async () => {
      await repo.countOutcome('d1', true, (q) => q + 0.1);
      throw new Error('the outcome write failed');
    }).catch((e) => e);
    expect(err.message).toBe('the outcome write failed');
    expect((await repo.allRows()).map((r) => r.successes)).toEqual([0, 0, 0]);
    const counted = await withTransaction(repo.pool, () => repo.countOutcome('d1', false, (q) => q / 2));
    expect(counted.sort()).toEqual((await repo.idsForDecision('d1')).sort());
    const rows = await repo.allRows();
    expect(rows.map((r) => r.failures)).toEqual([1, 1, 0]);
    expect(rows[0].quality).toBeCloseTo(0.4, 5);
    expect(await repo.countOutcome('nobody', true, (q) => q)).toEqual([]);
  });
  it('in the PostgreSQL store bundle, a reported outcome is counted on the patterns of its decision, once', async () => {
    const url = await server.newDatabase();
    const bundle = await openPostgresStore(url, { database: join(tempDir('ruvllm-pgstore-'), 'local.db'), patterns: pgPatternsSlot });
    closers.push(() => bundle.close());
    const repo = bundle.patterns as PgPatternsRepo;
    expect(repo).toBeInstanceOf(PgPatternsRepo);
    await repo.init(embedder.id, embedder.dim);
    await bundle.decisions.insert(decisionRecord('d1'), [['decisions', '', 1, 0]]);
    const [a, , c] = (
      await store(repo, [
        { task: 'stored with the decision', approach: 'p', decisionId: 'd1', quality: 0.5 },
        { task: 'stored without one', approach: 'q', quality: 0.5 },
        { task: 'also stored with the decision', approach: 'r', decisionId: 'd1', quality: 0.5 },
      ])
    ).map(ok);
    const w = await bundle.outcomeWork.reportOutcome(
      { decisionId: 'd1', success: false, quality: 0.1, notes: null, reportedAt: 2000 },
      'local',
      (q) => q - 0.1,
    );
    expect('patterns' in w && w.patterns.sort()).toEqual([a.row.id, c.row.id].sort());
    const again = await bundle.outcomeWork.reportOutcome(
      { decisionId: 'd1', success: true, quality: 0.9, notes: null, reportedAt: 3000 },
      'local',
      (q) => q + 0.1,
    );
    expect(again).toEqual({ reportedAt: 2000 });
    const rows = await repo.allRows();
    expect(rows.map((r) => [r.failures, r.successes])).toEqual([
      [1, 0],
      [0, 0],
      [1, 0],
    ]);
    expect(rows[0].quality).toBeCloseTo(0.4, 10);
  });
});
