// The routing counters on PostgreSQL: a counter row updated by every decision (the SQLite way: UPSERT into
// router_counters in the decision's transaction) against the deltas PgDecisionsRepo appends (and folds now and then).
// A throwaway cluster (initdb + pg_ctl, as the postgres user when root), W concurrent writers on 2 pools ("nodes"),
// rounds alternating the two ways, medians. Build first (npx tsc -p tsconfig.json).
//   node bench/pg-counters.mjs [decisionsPerRound=2000] [writers=16] [rounds=5] [fsync=on|off]
// With fsync on, a commit waits for its WAL flush while it holds its row locks: that is where a row every writer
// updates serialises them (fsync off shows the CPU-bound case).
import { join } from 'node:path';
import { median, root, round } from './_util.mjs';

const { migrate, openPool, query } = await import(join(root, 'dist/engine/store/postgres/db.js'));
const { pgMigrations } = await import(join(root, 'dist/engine/store/postgres/migrations.js'));
const { PgDecisionsRepo, decisionValues, deltaArrays, insertDecisionSql } = await import(
  join(root, 'dist/engine/store/postgres/decisions-repo.js')
);
const { decisionRecord } = await import(join(root, 'dist/devtools/decision-record.js'));
const { PgNames } = await import(join(root, 'dist/engine/store/postgres/names.js'));

const N = Number(process.argv[2] ?? 2000);
const W = Number(process.argv[3] ?? 16);
const ROUNDS = Number(process.argv[4] ?? 5);
const FSYNC = process.argv[5] ?? 'on';

// ---- a throwaway cluster (src/devtools/pg-cluster.ts)
const { startPostgres } = await import(join(root, 'dist/devtools/pg-cluster.js'));
const cluster = await startPostgres({ fsync: FSYNC === 'on' });
const port = cluster.port;

const admin = openPool(`postgres://postgres@127.0.0.1:${port}/postgres`);
async function newDb(name) {
  await query(admin, `CREATE DATABASE ${name}`);
  const url = `postgres://postgres@127.0.0.1:${port}/${name}`;
  const pools = [openPool(url, { max: W / 2 }), openPool(url, { max: W / 2 })];
  await migrate(pools[0], pgMigrations);
  return pools;
}

const decision = (id) =>
  decisionRecord(id, { createdAt: Date.now(), route: id.length % 2 ? 'local' : 'cloud', features: new Float32Array(16) });
// what the router appends per decision (router.ts: decisions, route, complexity, strategy, a reason each)
const countersOf = (d) =>
  [
    ['decisions', '', 1, d.savingUsd],
    ['route', d.route, 1, 0],
    ['complexity', d.level, 1, 0],
    ['strategy', d.strategy, 1, 0],
    ['reason', 'complexity_low', 1, 0],
  ].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1)); // one lock order: concurrent upserts do not deadlock

/**
 * The hot-row way, the baseline this bench measures against (not a copy of current code): the decision (the same
 * INSERT as PgDecisionsRepo, insertDecisionSql) and an UPSERT of each counter row, one statement, so one row is updated
 * by every request.
 */
function hotRowRepo(pool) {
  const names = new PgNames(pool);
  return {
    async insert(d, counters) {
      const node = await names.id('bench');
      const model = await names.id(d.localModel);
      await query(
        pool,
        `WITH d AS (${insertDecisionSql(5)} RETURNING 1)
         INSERT INTO router_counters (metric, key, n, v)
           SELECT u.* FROM unnest($1::text[], $2::text[], $3::bigint[], $4::float8[]) AS u, d
           ON CONFLICT (metric, key) DO UPDATE SET n = router_counters.n + excluded.n, v = router_counters.v + excluded.v`,
        [...deltaArrays(counters), ...decisionValues(d, node, model)],
      );
    },
  };
}

async function drive(repos, tag) {
  let next = 0;
  const lat = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: W }, async (_, w) => {
      const repo = repos[w % repos.length];
      for (let i = next++; i < N; i = next++) {
        const d = decision(`${tag}-${i}`);
        const s = performance.now();
        await repo.insert(d, countersOf(d));
        lat.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { perSec: N / secs, p50: median(lat), p99: lat[Math.floor(lat.length * 0.99)] };
}

const hotPools = await newDb('hot');
const deltaPools = await newDb('deltas');
const hot = hotPools.map(hotRowRepo);
const deltas = deltaPools.map((p) => new PgDecisionsRepo(p, { node: 'bench' }));
const res = { hot: [], deltas: [] };
for (let r = 0; r < ROUNDS; r++) {
  res.hot.push(await drive(hot, `r${r}`));
  res.deltas.push(await drive(deltas, `r${r}`));
}
await Promise.all(deltas.map((d) => d.folder.idle()));

// reading the counters: totals + unfolded deltas (at most about FOLD_EVERY per node), against the hot rows
const readMs = async (fn) => {
  const t = [];
  for (let i = 0; i < 30; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return median(t);
};
const unfolded = Number((await query(deltaPools[0], 'SELECT count(*) AS n FROM router_counter_deltas')).rows[0].n);
const readDeltas = await readMs(() => deltas[0].counters());
const readHot = await readMs(() => query(hotPools[0], 'SELECT metric, key, n, v FROM router_counters'));
const sum = (pool) => query(pool, "SELECT n FROM router_counters WHERE metric = 'decisions'");
const check = {
  hot: Number((await sum(hotPools[0])).rows[0].n),
  deltas: (await deltas[0].counters()).find((c) => c.metric === 'decisions').n,
  expected: N * ROUNDS,
};

const summary = (xs) => ({
  decisionsPerSec: round(median(xs.map((x) => x.perSec)), 0),
  p50Ms: round(median(xs.map((x) => x.p50)), 2),
  p99Ms: round(median(xs.map((x) => x.p99)), 2),
});
console.log(
  JSON.stringify(
    {
      bench: 'pg-counters',
      decisionsPerRound: N,
      writers: W,
      nodes: 2,
      fsync: FSYNC,
      rounds: ROUNDS,
      hotRowUpsert: summary(res.hot),
      appendedDeltas: summary(res.deltas),
      ratioDeltasToHot: round(median(res.deltas.map((x) => x.perSec)) / median(res.hot.map((x) => x.perSec)), 2),
      counterReadMs: { hotRows: round(readHot, 2), totalsPlusDeltas: round(readDeltas, 2), unfoldedDeltas: unfolded },
      check,
    },
    null,
    2,
  ),
);

for (const p of [...hotPools, ...deltaPools, admin]) await p.end();
cluster.stop();
