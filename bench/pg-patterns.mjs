// The pattern bank on PostgreSQL (issue 14) against the embedded SQLite bank, in the same run, in process:
//  - stores/s with 32 stores in flight (group commit) on a fresh bank of each;
//  - find p50/p99 (hybrid, default JS BM25) over the stored bank, the same queries on each: SQLite, PostgreSQL with
//    the node's read model (a find touches no database) and PostgreSQL without it (`readModel: false`: the find's
//    rows and text candidates in one query, the previous path), interleaved;
//  - the lag until a pattern stored through node A is in node B's HNSW replica (two banks, two pools, one database;
//    B is woken by NOTIFY and checked by a timer), p50/p99, and that B then finds it.
// PostgreSQL is a throwaway cluster (dist/devtools/pg-cluster.js, as the tests use; fsync off like theirs).
// `node bench/pg-patterns.mjs [--quick] [--patterns N]` or `node bench/run.mjs pg-patterns`. Build first (npx tsc).
import { join } from 'node:path';
import { percentile, root, round, tempDir } from './_util.mjs';

const { PatternBank, createDefaultEmbedder, migrations } = await import(join(root, 'dist', 'engine', 'patterns', 'index.js'));
const { openDatabase } = await import(join(root, 'dist', 'engine', 'store', 'db.js'));
const { PgPatternsRepo } = await import(join(root, 'dist', 'engine', 'store', 'postgres', 'patterns-repo.js'));
const { startPostgres } = await import(join(root, 'dist', 'devtools', 'pg-cluster.js'));

const WORDS =
  'parse render compile index migrate cache shard route queue retry backoff schema lexer token buffer stream socket invoice ledger report export import sort merge dedupe certificate ingress backup upload deploy rollback'.split(
    ' ',
  );

function tasks(n, seed) {
  let s = seed;
  const w = () => WORDS[(s = (s * 1103515245 + 12345) % 2147483648) % WORDS.length];
  return Array.from({ length: n }, (_, i) => ({
    task: `${w()} the ${w()} of the ${w()} ${w()} service ${i % 97}`,
    approach: `${w()} then ${w()} (${i})`,
    quality: 0.5 + (i % 5) / 10,
  }));
}

async function storeAll(bank, items, inflight) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < items.length) await bank.store(items[next++]);
    }),
  );
  return items.length / ((performance.now() - t0) / 1000);
}

async function finds(bank, queries) {
  const lat = [];
  for (const q of queries) {
    const t = performance.now();
    await bank.find({ query: q, k: 5 });
    lat.push(performance.now() - t);
  }
  return { p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

const live = (bank) => bank.index.live; // the replica's labels (a private getter tests and benches reach)

export async function run({ quick = false, patterns } = {}) {
  const n = patterns ?? (quick ? 1000 : 4000);
  const nq = quick ? 200 : 500;
  const lagN = quick ? 60 : 200;
  const embedder = createDefaultEmbedder();
  const items = tasks(n, 7);
  const queries = tasks(nq, 99).map((t) => t.task);
  const pg = await startPostgres();
  const closers = [];
  try {
    // SQLite, the single-node baseline
    const dir = tempDir('ruvllm-bench-pgp-');
    const db = openDatabase(join(dir, 'bank.db'), migrations);
    const sq = await PatternBank.open({ db, indexPath: join(dir, 'sq.hnsw'), embedder, persistIntervalMs: 0 });
    closers.push(async () => {
      await sq.close();
      db.close();
    });
    // PostgreSQL, one node
    const url = await pg.newDatabase();
    const repoA = await PgPatternsRepo.open(url);
    const a = await PatternBank.open({ repo: repoA, indexPath: join(dir, 'a.hnsw'), embedder, persistIntervalMs: 0 });
    closers.push(async () => {
      await a.close();
      await repoA.close();
    });

    const sqStores = await storeAll(sq, items, 32);
    const pgStores = await storeAll(a, items, 32);
    await sq.whenIndexed();
    await a.whenIndexed();
    // the previous path on the same database: a node without a read model (its own replica, rebuilt at open)
    const repoC = await PgPatternsRepo.open(url, { readModel: false });
    const c = await PatternBank.open({ repo: repoC, indexPath: join(dir, 'c.hnsw'), embedder, persistIntervalMs: 0 });
    closers.push(async () => {
      await c.close();
      await repoC.close();
    });
    await c.whenIndexed();
    const t0 = performance.now();
    await repoA.model.load(embedder.id, embedder.dim); // how long a node takes to load its read model (again)
    const modelLoadMs = performance.now() - t0;
    // warm all, then alternate so load on the shared machine hits each alike
    for (const x of [sq, a, c]) await finds(x, queries.slice(0, 20));
    const half = Math.floor(nq / 2);
    const f1 = await finds(sq, queries.slice(0, half));
    const g1 = await finds(a, queries.slice(0, half));
    const h1 = await finds(c, queries.slice(0, half));
    const h2 = await finds(c, queries.slice(half));
    const g2 = await finds(a, queries.slice(half));
    const f2 = await finds(sq, queries.slice(half));
    const sqFind = { p50: (f1.p50 + f2.p50) / 2, p99: Math.max(f1.p99, f2.p99) };
    const pgFind = { p50: (g1.p50 + g2.p50) / 2, p99: Math.max(g1.p99, g2.p99) };
    const sqlFind = { p50: (h1.p50 + h2.p50) / 2, p99: Math.max(h1.p99, h2.p99) };

    // a second node on the same database: its replica loads from PostgreSQL, then follows A's stores
    const repoB = await PgPatternsRepo.open(url);
    const b = await PatternBank.open({ repo: repoB, indexPath: join(dir, 'b.hnsw'), embedder, persistIntervalMs: 0 });
    closers.push(async () => {
      await b.close();
      await repoB.close();
    });
    const lags = [];
    const more = tasks(lagN, 12345);
    for (const it of more) {
      const r = await a.store(it);
      const seq = (await repoA.rowById(r.id)).seq;
      const t = performance.now();
      while (!live(b).has(seq)) await new Promise((res) => setTimeout(res, 1));
      lags.push(performance.now() - t);
      await new Promise((res) => setTimeout(res, 10));
    }
    const last = more[more.length - 1];
    const foundOnB = (await b.find({ query: last.task, k: 3 })).matches.some((m) => m.pattern.task === last.task);

    const r = {
      patterns: n,
      storesPerSecond: { sqlite: round(sqStores, 0), postgres: round(pgStores, 0) },
      findMs: {
        sqlite: { p50: round(sqFind.p50), p99: round(sqFind.p99) },
        postgres: { p50: round(pgFind.p50), p99: round(pgFind.p99) },
        postgresSql: { p50: round(sqlFind.p50), p99: round(sqlFind.p99) },
      },
      modelLoadMs: round(modelLoadMs, 0),
      replicaLagMs: {
        p50: round(percentile(lags, 50)),
        p99: round(percentile(lags, 99)),
        max: round(Math.max(...lags)),
        samples: lags.length,
      },
      foundOnB,
    };
    r.table = [
      ['stores/s (32 in flight)', r.storesPerSecond.postgres, r.storesPerSecond.sqlite, round(pgStores / sqStores, 2), ''],
      ['find p50 ms (read model)', r.findMs.postgres.p50, r.findMs.sqlite.p50, round(pgFind.p50 / sqFind.p50, 2), ''],
      [
        'find p99 ms (read model)',
        r.findMs.postgres.p99,
        r.findMs.sqlite.p99,
        round(pgFind.p99 / sqFind.p99, 2),
        '<= 2 ms at 100k (issue 14)',
      ],
      ['find p50 ms (SQL path, before)', r.findMs.postgresSql.p50, r.findMs.sqlite.p50, round(sqlFind.p50 / sqFind.p50, 2), ''],
      ['find p99 ms (SQL path, before)', r.findMs.postgresSql.p99, r.findMs.sqlite.p99, round(sqlFind.p99 / sqFind.p99, 2), ''],
      [`read model load ms, ${n} patterns`, r.modelLoadMs, '', '', 'info'],
      ['store on A -> in B replica p50 ms', r.replicaLagMs.p50, '', '', ''],
      ['store on A -> in B replica p99 ms', r.replicaLagMs.p99, '', '', '<= 1000 ms'],
    ];
    return r;
  } finally {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    pg.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--patterns');
  const r = await run({ quick: process.argv.includes('--quick'), patterns: i > 0 ? Number(process.argv[i + 1]) : undefined });
  console.log(JSON.stringify(r, null, 2));
}
