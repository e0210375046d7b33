// store_trm_pattern throughput through MCP over stdio, against a spawned `node dist/cli.js`, with requests
// pipelined (32 in flight): into an empty bank (baseline) and into a bank of 100,000 patterns (10,000 with --quick),
// in the same run. The large bank is the one bench/patterns.mjs builds and caches; it is copied into a fresh data
// directory laid out as the server expects (src/engine/store/paths.ts: ruvllm-mcp.db, patterns.hnsw.json + data file).
// Also: bank.store in process on the same copy (one store at a time, awaited).
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectStdio, percentile, root, round, serverPath, tempDir } from './_util.mjs';
import { ensureBank, rng, taskText } from './patterns.mjs';

const P = await import(join(root, 'dist', 'engine', 'patterns', 'index.js'));
const { openDatabase } = await import(join(root, 'dist', 'engine', 'store', 'db.js'));

/** A fresh data dir holding a copy of the cached bank, under the server's file names. */
function copyBank(src) {
  const dir = tempDir('ruvllm-bench-stores-');
  for (const ext of ['', '-wal'])
    if (existsSync(join(src, `bank.db${ext}`))) copyFileSync(join(src, `bank.db${ext}`), join(dir, `ruvllm-mcp.db${ext}`));
  const manifest = JSON.parse(readFileSync(join(src, 'patterns.hnsw.json'), 'utf8'));
  copyFileSync(join(src, 'patterns.hnsw.json'), join(dir, 'patterns.hnsw.json'));
  copyFileSync(join(src, manifest.file), join(dir, manifest.file));
  return dir;
}

/**
 * The i-th store: a task drawn like the bank's own (bench/patterns.mjs), so inserts land among its neighbours.
 * Every 10th store repeats the task and approach of the store 3 before it (often still in flight): it must merge.
 */
function storeArgs(i, salt, withRoute = false) {
  const base = i % 10 === 9 ? i - 3 : i;
  const seed = base * 31 + salt.charCodeAt(0);
  return {
    task: taskText(rng(seed), 20_000_000 + seed),
    approach: `approach ${salt}-${base}`,
    quality: (base % 10) / 10,
    tags: [`t${base % 7}`],
    // with the route it ran on, each store is also an observation the router learns from
    ...(withRoute ? { route: base % 3 === 0 ? 'cloud' : 'local' } : {}),
  };
}
const expectedMerges = (n) => Math.floor(n / 10);

/** Spawns the server on `dir`, waits until the pattern bank is open, then pipelines `stores` stores. */
async function storesThroughMcp(dir, stores, salt, withRoute = false) {
  const t0 = performance.now();
  const s = await connectStdio(serverPath, [
    '--data-dir',
    dir,
    '--no-scan-default-dirs',
    '--servers',
    'http://127.0.0.1:9',
    '--log-level',
    'warning',
  ]);
  const { client } = s;
  await client.callTool({ name: 'find_similar_patterns', arguments: { query: 'warm up' } }); // pattern bank ready
  const readyMs = performance.now() - t0;
  const inflight = 32;
  let next = 0;
  let errors = 0;
  let merged = 0;
  let firstError = null;
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (next < stores) {
        const i = next++;
        const r = await client.callTool({ name: 'store_trm_pattern', arguments: storeArgs(i, salt, withRoute) });
        if (r.isError) {
          errors++;
          firstError ??= r.content?.[0]?.text;
        } else if (r.structuredContent?.merged) merged++;
      }
    }),
  );
  const secs = (performance.now() - t1) / 1000;
  // stores are acknowledged once committed; the HNSW graph (a worker thread) may still be inserting. A find scans
  // the inserts still queued exactly, so the first find after the burst pays for that backlog.
  const t2 = performance.now();
  await client.callTool({ name: 'find_similar_patterns', arguments: { query: storeArgs(stores - 1, salt).task, k: 3 } });
  const drainMs = performance.now() - t2;
  // until the HNSW graph holds every store (the server reports its insert queue in the stats resource)
  const stat = async () => JSON.parse((await client.readResource({ uri: 'ruvllm://stats' })).contents[0].text).patterns;
  let queued = (await stat()).indexQueue ?? 0;
  const queuedAtEnd = queued;
  while (queued > 0) {
    await new Promise((r) => setTimeout(r, 10));
    queued = (await stat()).indexQueue ?? 0;
  }
  const indexedSecs = (performance.now() - t1) / 1000;
  const stats = JSON.parse((await client.readResource({ uri: 'ruvllm://stats' })).contents[0].text);
  await s.close();
  return {
    observations: stats.routing?.learned?.observations ?? null,
    perSecond: round(stores / secs, 0),
    indexedPerSecond: round(stores / indexedSecs, 0),
    queuedAtEnd,
    drainMs: round(drainMs, 1),
    errors,
    merged,
    firstError,
    readyMs: round(readyMs, 0),
    total: stats.patterns?.total ?? null,
  };
}

export async function run({ quick } = {}) {
  const N = quick ? 10_000 : 100_000;
  const stores = quick ? 2000 : 10_000;
  const { dir: cached, built } = await ensureBank(N);

  // ------------------------------------------------ baseline: empty bank, same run
  const emptyDir = tempDir();
  let empty;
  try {
    empty = await storesThroughMcp(emptyDir, stores, 'e');
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
  }

  // ------------------------------------------------ in process, bank.store one at a time, on a copy of the large bank
  const dir = copyBank(cached);
  let inProcess;
  let large;
  try {
    const db = openDatabase(join(dir, 'ruvllm-mcp.db'), P.migrations);
    const bank = await P.PatternBank.open({
      db,
      indexPath: join(dir, 'patterns.hnsw'),
      embedder: P.createDefaultEmbedder(),
      persistIntervalMs: 0,
    });
    const nIn = quick ? 500 : 2000;
    const ts = [];
    const ids = [];
    const ti = performance.now();
    for (let i = 0; i < nIn; i++) {
      const t = performance.now();
      ids.push((await bank.store(storeArgs(i, 'p'))).id);
      ts.push(performance.now() - t);
    }
    const inSecs = (performance.now() - ti) / 1000;
    const td = performance.now();
    if (bank.whenIndexed) await bank.whenIndexed(); // the HNSW graph holds them all
    inProcess = {
      perSecond: round(nIn / inSecs, 0),
      p50Ms: round(percentile(ts, 50), 3),
      p99Ms: round(percentile(ts, 99), 3),
      drainMs: round(performance.now() - td, 1),
    };
    for (const id of new Set(ids)) await bank.delete(id);
    await bank.close();
    db.close();

    // ------------------------------------------------ through MCP into the large bank
    large = await storesThroughMcp(dir, stores, 'l');
  } finally {
    rmSync(dir, { recursive: true, force: true }); // a copy of several hundred MB
  }

  // ------------------------------------------------ the same, each store carrying the route it ran on (router observations)
  const routedDir = copyBank(cached);
  let routed;
  try {
    routed = await storesThroughMcp(routedDir, stores, 'l', true);
  } finally {
    rmSync(routedDir, { recursive: true, force: true });
  }
  if (routed.observations !== stores)
    throw new Error(`expected ${stores} routing observations from the routed stores, the server counted ${routed.observations}`);

  const figures = {
    bankPatterns: N,
    stores,
    storesPerSecondThroughMcp: large.perSecond,
    storesPerSecondThroughMcpEmptyBank: empty.perSecond,
    storesPerSecondInProcess: inProcess.perSecond,
    storesPerSecondThroughMcpWithRoute: routed.perSecond,
    storedAndIndexedPerSecondLarge: large.indexedPerSecond,
    storedAndIndexedPerSecondEmpty: empty.indexedPerSecond,
    indexQueueAtEndLarge: large.queuedAtEnd,
    findAfterBurstMsLarge: large.drainMs,
    findAfterBurstMsEmpty: empty.drainMs,
    inProcessIndexDrainMs: inProcess.drainMs,
    inProcessStoreP50Ms: inProcess.p50Ms,
    inProcessStoreP99Ms: inProcess.p99Ms,
    mergedLarge: large.merged,
    mergedEmpty: empty.merged,
    mergesExpected: expectedMerges(stores),
    storeErrors: large.errors + empty.errors + routed.errors,
    firstError: large.firstError ?? empty.firstError ?? routed.firstError,
    serverReadyMsLarge: large.readyMs,
    patternsAfter: large.total,
    bankBuiltThisRun: built,
  };
  return {
    name: 'stores-mcp',
    figures,
    table: [
      [
        `store_trm_pattern through MCP (stores/s, 32 in flight), ${N} patterns`,
        large.perSecond,
        empty.perSecond,
        round(large.perSecond / empty.perSecond, 2),
        '>= 1000/s; baseline: empty bank',
      ],
      [
        `the same, each store with its route (the router learns from it), ${N} patterns`,
        routed.perSecond,
        large.perSecond,
        round(routed.perSecond / large.perSecond, 2),
        '>= 1000/s; baseline: without route',
      ],
      [
        `stored and in the HNSW graph (stores/s until the insert queue is empty), ${N} patterns`,
        large.indexedPerSecond,
        empty.indexedPerSecond,
        round(large.indexedPerSecond / empty.indexedPerSecond, 2),
        'baseline: empty bank',
      ],
      ['first find_similar_patterns right after the burst (ms)', large.drainMs, empty.drainMs, null, 'info: scans inserts still queued'],
      [`bank.store in process (stores/s, sequential), ${N} patterns`, inProcess.perSecond, null, null, 'info'],
      ['server spawn to pattern bank ready (ms), large bank', large.readyMs, null, null, 'info'],
      ['store errors', figures.storeErrors, null, null, '0'],
      [
        'merged stores (large bank / empty bank)',
        `${large.merged} / ${empty.merged}`,
        expectedMerges(stores),
        null,
        'every 10th store repeats one 3 earlier',
      ],
    ],
  };
}
