// A fleet on one PostgreSQL (issue 14): 1, 2 and 4 server processes (`node dist/cli.js --store postgres://…`, each
// with its own data directory, real SDK clients over stdio) on a throwaway PostgreSQL cluster started here
// (src/devtools/pg-cluster.ts: Debian's initdb/pg_ctl, fsync on). Baseline in the same run: one process on SQLite
// (the default store). Measured:
// - aggregate store_trm_pattern stores/s (16 calls in flight per process, fixed time);
// - find_similar_patterns p99 on every process once the bank holds `patterns` patterns (full: 100,000; --quick:
//   10,000), after the processes were restarted so each builds its replicas from PostgreSQL, and only once every
//   process's replicas are caught up and idle (`settle`: finds measured earlier raced the other processes' builds);
//   beside it, per process, the same finds' p99 inside the server (ruvllm://stats patterns.findLatency) and an MCP
//   ping's p99 right after (the transport's floor), for SQLite too; and the floor of any MCP call here: a bare SDK
//   server's ping and echo call over stdio (bench/_bare-server.mjs);
// - each process's resident set size then;
// - the lag until a pattern stored on one process is found on another (2 and 4 processes): a unique task stored on
//   process 0, then process 1 asked every 10 ms until its find returns that pattern.
import { execSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectStdio, fillPatterns, percentile, rng, round, serverPath, tempDir, WORDS } from './_util.mjs';
import { startPostgres } from '../dist/devtools/pg-cluster.js';
import { PatternBank, createDefaultEmbedder, migrations as sqliteMigrations } from '../dist/engine/patterns/index.js';
import { openDatabase } from '../dist/engine/store/db.js';
import { PgPatternsRepo } from '../dist/engine/store/postgres/patterns-repo.js';

async function startNodes(n, store, root) {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      connectStdio(serverPath, [
        '--data-dir',
        join(root, `node${i}`),
        '--store',
        store,
        '--no-scan-default-dirs',
        '--servers',
        'http://127.0.0.1:9',
        '--log-level',
        'error',
      ]),
    ),
  );
}

const call = (s, name, args) => s.client.callTool({ name, arguments: args }, undefined, { timeout: 300_000 });

/** Stores for `seconds` with `inflight` calls per node; returns stores/s and errors. */
async function storePhase(nodes, seconds, inflight, tag) {
  let ok = 0;
  let errors = 0;
  let firstError = null;
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    nodes.flatMap((s, p) =>
      Array.from({ length: inflight }, async (_, w) => {
        const r = rng(p * 7919 + w * 104729 + tag.length);
        const word = () => WORDS[Math.floor(r() * WORDS.length)];
        for (let i = 0; performance.now() < deadline; i++) {
          const res = await call(s, 'store_trm_pattern', {
            task: `${tag} n${p} w${w} i${i}: ${Array.from({ length: 8 }, word).join(' ')}`,
            approach: `${word()} then ${word()} ${i}`,
            quality: 0.6,
          });
          if (res.isError) {
            errors++;
            firstError ??= res.content?.[0]?.text ?? null;
          } else ok++;
        }
      }),
    ),
  );
  return { perSecond: round(ok / ((performance.now() - t0) / 1000), 0), ok, errors, firstError };
}

/** Fills the bank up to `target` patterns, as fast as the nodes go. */
async function fill(nodes, target, have) {
  let next = have;
  await Promise.all(
    nodes.flatMap((s, p) =>
      Array.from({ length: 16 }, async (_, w) => {
        const r = rng(p * 31 + w * 17 + 5);
        const word = () => WORDS[Math.floor(r() * WORDS.length)];
        while (next < target) {
          const i = next++;
          await call(s, 'store_trm_pattern', {
            task: `fill ${i}: ${Array.from({ length: 10 }, word).join(' ')}`,
            approach: `${word()} ${word()} ${i % 977}`,
            quality: 0.5 + (i % 5) / 10,
          });
        }
      }),
    ),
  );
}

/** A node's pattern stats (ruvllm://stats): its HNSW replica's mark and queue, its read model. */
async function patternStats(s) {
  const r = await s.client.readResource({ uri: 'ruvllm://stats' });
  return JSON.parse(r.contents[0].text).patterns;
}

/** CPU ms (user + system) a process has used so far (Linux /proc, clock ticks of 10 ms); null elsewhere. */
function cpuMsOf(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(v[11]) + Number(v[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * Waits until every node's replicas are caught up and idle: the same log mark on every node (HNSW replica and read
 * model), no vectors queued for the HNSW graph, the same state twice 1 s apart (nothing still catching up), and no
 * node process using more than 5% of a core in that second (work after the catch-up: saving the index built, GC).
 * Finds measured before that raced the other nodes' replica builds for the two cores.
 */
async function settle(nodes, timeoutMs = 900_000) {
  const t0 = performance.now();
  let last = '';
  let cpu = nodes.map((x) => cpuMsOf(x.pid));
  for (;;) {
    const st = await Promise.all(nodes.map(patternStats));
    const marks = st.map((x) => [x.readModel?.lsn ?? x.hwm, x.indexQueue, x.indexed, x.readModel?.patterns ?? null]);
    const key = JSON.stringify(marks);
    const same = new Set(marks.map((m) => m[0])).size === 1 && st.every((x) => x.indexQueue === 0);
    const now = nodes.map((x) => cpuMsOf(x.pid));
    // (the loop's period is 1 s plus the stats round trips: 50 ms of CPU is at most 5% of a core)
    const idle = now.every((c, i) => c === null || cpu[i] === null || c - cpu[i] <= 50);
    cpu = now;
    if (same && key === last && idle) return { settled: true, ms: round(performance.now() - t0, 0), stats: marks };
    // measured anyway, and said so
    if (performance.now() - t0 > timeoutMs) return { settled: false, ms: round(performance.now() - t0, 0), stats: marks };
    last = key;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Resident set size (MB) of this bench's child processes whose command line contains `marker`. */
function rssOf(marker) {
  const out = execSync(`ps -o rss=,args= --ppid ${process.pid}`, { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(marker))
    .map((l) => round(Number(l.trim().split(/\s+/)[0]) / 1024, 0));
}

/**
 * Fills the bank up to `target` patterns in this process (the processes stopped), through a PatternBank on the same
 * store (64 stores in flight, group commit): the same rows, vectors and change log as stores over MCP, at the rate
 * of the bank instead of the MCP round trips (FLEET_FILL=direct; on a loaded 2-core machine the MCP fill of 100,000
 * patterns through 4 processes would take hours).
 */
async function fillDirect(store, dataDir, target, have) {
  const embedder = createDefaultEmbedder();
  const dir = tempDir('ruvllm-bench-fill-');
  let bank;
  let done;
  if (store === 'sqlite') {
    const db = openDatabase(join(dataDir, 'ruvllm-mcp.db'), sqliteMigrations);
    bank = await PatternBank.open({ db, indexPath: join(dir, 'fill.hnsw'), embedder, persistIntervalMs: 0 });
    done = async () => {
      await bank.close();
      db.close();
    };
  } else {
    const repo = await PgPatternsRepo.open(store, { readModel: false });
    bank = await PatternBank.open({ repo, indexPath: join(dir, 'fill.hnsw'), embedder, persistIntervalMs: 0 });
    done = async () => {
      await bank.close();
      await repo.close();
    };
  }
  await fillPatterns(bank, have, target);
  await done();
  rmSync(dir, { recursive: true, force: true });
}

async function findP99(nodes, finds) {
  const perNode = [];
  for (const s of nodes) {
    const others = nodes.filter((x) => x !== s);
    const othersCpu = () => others.reduce((a, x) => a + (cpuMsOf(x.pid) ?? 0), 0);
    const r = rng(99);
    const word = () => WORDS[Math.floor(r() * WORDS.length)];
    for (let i = 0; i < 20; i++) await call(s, 'find_similar_patterns', { query: `${word()} ${word()} ${word()}`, k: 5 });
    const lat = [];
    const c0 = othersCpu();
    const w0 = performance.now();
    for (let i = 0; i < finds; i++) {
      const t = performance.now();
      await call(s, 'find_similar_patterns', { query: `${word()} ${word()} ${word()} ${word()}`, k: 5 });
      lat.push(performance.now() - t);
    }
    // the other node processes' CPU while this one was measured (share of one core): what competed with it
    const othersCpuShare = round((othersCpu() - c0) / (performance.now() - w0), 3);
    // the same finds timed inside the server (ruvllm://stats patterns.findLatency: its last 1,000 finds; the measured
    // ones when `finds` is 1,000), and MCP pings right after: the transport's own floor on this process
    const server = (await patternStats(s)).findLatency;
    const ping = [];
    for (let i = 0; i < finds; i++) {
      const t = performance.now();
      await s.client.ping();
      ping.push(performance.now() - t);
    }
    perNode.push({
      p50: round(percentile(lat, 50), 2),
      p99: round(percentile(lat, 99), 2),
      server: server ? { finds: server.window, p50: round(server.p50Ms, 2), p99: round(server.p99Ms, 2) } : null,
      pingP99: round(percentile(ping, 99), 2),
      othersCpuShare,
    });
  }
  return { worstP99: Math.max(...perNode.map((x) => x.p99)), perNode };
}

/**
 * The floor of any MCP call on this machine: a bare SDK server with one echo tool (bench/_bare-server.mjs) over stdio,
 * `n` pings and `n` echo calls, timed as the finds are.
 */
async function transportFloor(n) {
  const s = await connectStdio(join(import.meta.dirname, '_bare-server.mjs'));
  try {
    for (let i = 0; i < 100; i++) await s.client.ping();
    const time = async (f) => {
      const a = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await f(i);
        a.push(performance.now() - t);
      }
      return { p50: round(percentile(a, 50), 2), p99: round(percentile(a, 99), 2) };
    };
    const ping = await time(() => s.client.ping());
    const echo = await time((i) => s.client.callTool({ name: 'echo', arguments: { text: `parse the invoice ledger ${i}` } }));
    return { ping, echo };
  } finally {
    await s.close();
  }
}

/** A row for the floor: the bare SDK server's ping and echo call. */
const floorRow = (f) => [
  'the floor: a bare MCP SDK server (one echo tool) over stdio, same run: ping p50 / p99, echo call p50 / p99 ms',
  `${f.ping.p50} / ${f.ping.p99}, ${f.echo.p50} / ${f.echo.p99}`,
  null,
  null,
  'no call through MCP is faster on this machine',
];

/** Rows: per process, the find p99 inside the server beside the MCP round trip's, and an MCP ping's p99 (the floor). */
function findBreakdown(pg, sqlite) {
  const b = sqlite.perNode[0];
  const fmt = (x) => `${x.server ? x.server.p99 : '?'} / ${x.p99} / ${x.pingP99} / ${x.othersCpuShare}`;
  return pg.perNode.map((x, i) => [
    `find p99 ms inside the server / MCP round trip / MCP ping p99 / the other processes' CPU meanwhile (cores), process ${i} of ${pg.perNode.length}`,
    fmt(x),
    fmt(b),
    x.server && b.server ? round(x.server.p99 / b.server.p99, 2) : null,
    'where the time goes; baseline: SQLite, 1 process',
  ]);
}

/**
 * Rows of 4 restarted processes' finds against SQLite's one process: each process's p50 / p99 (`label` after its
 * number, `target` in the last column), where the time goes (findBreakdown), and the processes' RSS.
 */
function findRows(pg, base, patterns, label, target) {
  return [
    ...pg.find.perNode.map((x, i) => [
      `find p50 / p99 ms, process ${i} of ${pg.find.perNode.length}${label}`,
      `${x.p50} / ${x.p99}`,
      `${base.find.perNode[0].p50} / ${base.find.perNode[0].p99}`,
      round(x.p99 / base.find.perNode[0].p99, 2),
      target,
    ]),
    ...findBreakdown(pg.find, base.find),
    [`RSS MB per process, ${patterns} patterns`, pg.rssMb.join(' / '), base.rssMb.join(' / '), null, 'baseline: SQLite, 1 process'],
  ];
}

async function lagPhase(nodes, samples) {
  const lags = [];
  let lost = 0;
  for (let i = 0; i < samples; i++) {
    const task = `lag probe ${i} ${Math.random().toString(36).slice(2)} ${WORDS[i % WORDS.length]} zebra quokka`;
    const stored = await call(nodes[0], 'store_trm_pattern', { task, approach: `probe approach ${i}`, quality: 0.9 });
    const id = stored.structuredContent?.id;
    const t0 = performance.now();
    let found = false;
    while (performance.now() - t0 < 10_000) {
      const f = await call(nodes[1], 'find_similar_patterns', { query: task, k: 3 });
      if (f.structuredContent?.matches?.some((m) => m.pattern.id === id)) {
        found = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    if (found) lags.push(performance.now() - t0);
    else lost++;
  }
  return { p50Ms: round(percentile(lags, 50), 0), p99Ms: round(percentile(lags, 99), 0), notFoundIn10s: lost, samples };
}

/**
 * PostgreSQL stopped for `downSeconds` under store load on every node, then started again: acknowledged stores that
 * are missing afterwards (read back through another node), and how long after PostgreSQL's return each node's next
 * store succeeded.
 */
async function faultPhase(nodes, pgc, downSeconds) {
  const acked = new Map();
  let stop = false;
  let resumedAt = null;
  const back = new Map();
  let failedWhileDown = 0;
  const workers = nodes.flatMap((s, p) =>
    Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const task = `fault n${p} w${w} i${i} ${WORDS[(p + w + i) % WORDS.length]}`;
        const r = await call(s, 'store_trm_pattern', { task, approach: `fault approach ${i}`, quality: 0.6 }).catch((e) => ({
          isError: true,
          e,
        }));
        if (!r.isError) {
          acked.set(r.structuredContent.id, task);
          if (resumedAt !== null && !back.has(p)) back.set(p, performance.now() - resumedAt);
        } else {
          failedWhileDown++;
          await new Promise((res) => setTimeout(res, 100));
        }
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 2000));
  pgc.pause();
  await new Promise((r) => setTimeout(r, downSeconds * 1000));
  pgc.resume();
  resumedAt = performance.now();
  const deadline = performance.now() + 30_000;
  while (back.size < nodes.length && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 1000));
  stop = true;
  await Promise.all(workers);
  let lost = 0;
  for (const id of acked.keys()) {
    const r = await nodes[nodes.length - 1].client.readResource({ uri: `ruvllm://patterns/${id}` }).catch(() => null);
    if (!r) lost++;
  }
  const backMs = nodes.map((_, p) => (back.has(p) ? round(back.get(p), 0) : null));
  return {
    acked: acked.size,
    lost,
    failedWhileDown,
    servingAgainMs: backMs,
    worstServingAgainMs: Math.max(...backMs.map((x) => x ?? Infinity)),
  };
}

async function closeAll(nodes) {
  await Promise.all(nodes.map((s) => s.close()));
}

/**
 * FLEET_ONLY=find: only the find measurement at `patterns` (filled in process), 4 processes on PostgreSQL against
 * one on SQLite, each measured once every process's replicas settled. FLEET_FIND_NODES=1,4: groups of 1 and then 4
 * new processes on the same PostgreSQL fill (default 4), each group measured and closed before the next starts.
 */
async function findOnly(patterns, finds) {
  const pgc = await startPostgres({ fsync: true });
  const root = tempDir('ruvllm-bench-fleet-');
  const groups = (process.env.FLEET_FIND_NODES || '4')
    .split(',')
    .map(Number)
    .filter((n) => n >= 1);
  const out = { patterns, fill: 'direct (in process)', sqlite: {}, postgres: {}, groups: {} };
  try {
    const sdir = join(root, 'sqlite');
    await closeAll(await startNodes(1, 'sqlite', sdir)); // creates the database with every module's tables
    await fillDirect('sqlite', join(sdir, 'node0'), patterns, 0);
    const s = await startNodes(1, 'sqlite', sdir);
    out.sqlite.settle = await settle(s);
    out.sqlite.rssMb = rssOf(sdir);
    out.sqlite.find = await findP99(s, finds);
    await closeAll(s);
    const url = await pgc.newDatabase('fleetfind');
    await closeAll(await startNodes(1, url, join(root, 'pg-init')));
    await fillDirect(url, null, patterns, 0);
    for (const n of groups) {
      const g = (out.groups[n] = {});
      const t0 = performance.now();
      const nodes = await startNodes(n, url, join(root, `pg${n}`));
      await Promise.all(nodes.map((x) => call(x, 'find_similar_patterns', { query: 'warm up', k: 1 })));
      g.replicaBuildMs = round(performance.now() - t0, 0);
      g.settle = await settle(nodes);
      g.rssMb = rssOf(join(root, `pg${n}`));
      g.find = await findP99(nodes, finds);
      await closeAll(nodes);
    }
    out.postgres = out.groups[groups[groups.length - 1]];
    out.floor = await transportFloor(finds);
  } finally {
    pgc.stop();
    rmSync(root, { recursive: true, force: true });
  }
  const base = out.sqlite;
  return {
    name: 'fleet',
    figures: out,
    table: groups
      .flatMap((n) => {
        const P = out.groups[n];
        return [
          ...findRows(
            P,
            base,
            patterns,
            `, ${patterns} patterns (settled: ${P.settle.settled}, ${P.settle.ms} ms)`,
            '<= 2 ms; baseline: SQLite, 1 process',
          ),
          [`${n} new processes: open with ${patterns} patterns, ms`, P.replicaBuildMs, null, null, 'info'],
        ];
      })
      .concat([floorRow(out.floor)]),
  };
}

export async function run({ quick } = {}) {
  if (process.env.FLEET_ONLY === 'find')
    return findOnly(Number(process.env.FLEET_PATTERNS) || (quick ? 10_000 : 100_000), quick ? 200 : 1000);
  const seconds = quick ? 6 : 20;
  const patterns = Number(process.env.FLEET_PATTERNS) || (quick ? 10_000 : 100_000);
  const finds = quick ? 200 : 1000;
  const inflight = 16;
  const direct = process.env.FLEET_FILL === 'direct';
  const pgc = await startPostgres({ fsync: true });
  const root = tempDir('ruvllm-bench-fleet-');
  const out = { seconds, patterns, fill: direct ? 'direct (in process)' : 'over MCP', inflightPerNode: inflight, sqlite: {}, postgres: {} };
  try {
    // Baseline: one process on SQLite.
    {
      const nodes = await startNodes(1, 'sqlite', join(root, 'sqlite'));
      out.sqlite.stores = await storePhase(nodes, seconds, inflight, 'base');
      const t0 = performance.now();
      if (direct) {
        await closeAll(nodes);
        await fillDirect('sqlite', join(root, 'sqlite', 'node0'), patterns, out.sqlite.stores.ok);
      } else {
        await fill(nodes, patterns, out.sqlite.stores.ok);
        await closeAll(nodes);
      }
      out.sqlite.fillMs = round(performance.now() - t0, 0);
      const again = await startNodes(1, 'sqlite', join(root, 'sqlite'));
      await settle(again);
      out.sqlite.rssMb = rssOf(join(root, 'sqlite'));
      out.sqlite.find = await findP99(again, finds);
      await closeAll(again);
    }
    // 1, 2 and 4 processes on one PostgreSQL database: stores/s (each on a fresh database), lag.
    for (const n of [1, 2, 4]) {
      const url = await pgc.newDatabase(`fleet${n}`);
      const nodes = await startNodes(n, url, join(root, `pg${n}`));
      const r = { stores: await storePhase(nodes, seconds, inflight, `n${n}`) };
      if (n >= 2) r.lag = await lagPhase(nodes, quick ? 20 : 60);
      if (n === 2) r.fault = await faultPhase(nodes, pgc, 10);
      if (n === 4) {
        const t1 = performance.now();
        if (direct) {
          await closeAll(nodes);
          await fillDirect(url, null, patterns, r.stores.ok + (r.lag ? r.lag.samples : 0));
        } else {
          await fill(nodes, patterns, r.stores.ok);
          await closeAll(nodes);
        }
        r.fillMs = round(performance.now() - t1, 0);
        // restarted on the same data dirs and fresh ones: each node's replica is caught up / built from PostgreSQL
        const t0 = performance.now();
        const again = await startNodes(4, url, join(root, `pg${n}-restart`));
        await Promise.all(again.map((s) => call(s, 'find_similar_patterns', { query: 'warm up', k: 1 })));
        r.replicaBuildMs = round(performance.now() - t0, 0);
        // every node's replicas caught up and idle before any node's finds are measured
        r.settle = await settle(again);
        r.rssMb = rssOf(join(root, `pg${n}-restart`));
        r.find = await findP99(again, finds);
        await closeAll(again);
      } else await closeAll(nodes);
      out.postgres[n] = r;
    }
    out.floor = await transportFloor(finds);
  } finally {
    pgc.stop();
    rmSync(root, { recursive: true, force: true });
  }
  const P = out.postgres;
  const base = out.sqlite;
  return {
    name: 'fleet',
    figures: out,
    table: [
      [
        'stores/s, 1 process on PostgreSQL',
        P[1].stores.perSecond,
        base.stores.perSecond,
        round(P[1].stores.perSecond / base.stores.perSecond, 2),
        'baseline: 1 process on SQLite, same run',
      ],
      [
        'stores/s, 2 processes on PostgreSQL',
        P[2].stores.perSecond,
        base.stores.perSecond,
        round(P[2].stores.perSecond / base.stores.perSecond, 2),
        'baseline: 1 process on SQLite',
      ],
      [
        'stores/s, 4 processes on PostgreSQL',
        P[4].stores.perSecond,
        base.stores.perSecond,
        round(P[4].stores.perSecond / base.stores.perSecond, 2),
        'baseline: 1 process on SQLite',
      ],
      [
        'failed stores (PostgreSQL 1/2/4, SQLite)',
        `${P[1].stores.errors}/${P[2].stores.errors}/${P[4].stores.errors}, ${base.stores.errors}`,
        null,
        null,
        '0',
      ],
      [
        `find p99 ms, worst of 4 processes, ${patterns} patterns`,
        P[4].find.worstP99,
        base.find.worstP99,
        round(P[4].find.worstP99 / base.find.worstP99, 2),
        '<= 2 ms; baseline: SQLite, 1 process',
      ],
      ...findRows(P[4], base, patterns, ' (replicas settled)', 'baseline: SQLite, 1 process'),
      floorRow(out.floor),
      ['store→found on another process, p50 / p99 ms (2 processes)', `${P[2].lag.p50Ms} / ${P[2].lag.p99Ms}`, null, null, 'p99 <= 1000'],
      ['store→found on another process, p50 / p99 ms (4 processes)', `${P[4].lag.p50Ms} / ${P[4].lag.p99Ms}`, null, null, 'p99 <= 1000'],
      [`4 new processes: replicas of ${patterns} patterns ready, ms`, P[4].replicaBuildMs, null, null, 'info'],
      [
        'PostgreSQL stopped 10 s under load (2 processes): acknowledged stores lost',
        `${P[2].fault.lost} of ${P[2].fault.acked}`,
        null,
        null,
        '0',
      ],
      ['… each process storing again after PostgreSQL returned, worst ms', P[2].fault.worstServingAgainMs, null, null, '<= 5000'],
    ],
  };
}
