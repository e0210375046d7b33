// Where a PostgreSQL node's slow finds go (issue 14): one node in this process (a PatternBank on a PgPatternsRepo with
// its read model) on a throwaway cluster, `--patterns N` filled in process, then `--finds F` finds one after another
// (k 5, four-word queries as bench/fleet.mjs asks). Every find's start and end is kept, with what overlapped it:
// GC pauses (perf_hooks 'gc' entries: kind and duration) and read-model catch-ups (the model's catchUp, timed here).
// `--others K`: K other "nodes" (repositories without a read model) each flush the uses of 5 × 500 random patterns
// once a second, as a fleet's other nodes do while this node is measured (their log entries reach this node's model).
// Prints p50/p99/max, the GC and catch-up totals of the measured span, the model's catch-up counters and the slowest
// finds with their overlaps, and this process's CPU time and minor GCs per find (steadier than latencies on a shared
// machine). Nothing is dropped: every find after the 50 warm-up finds counts.
// `node bench/find-tail.mjs [--patterns 20000] [--finds 2000] [--others 0] [--json]`. Build first (npx tsc).
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fillPatterns, percentile, rng, root, round, tempDir, WORDS } from './_util.mjs';

const { PatternBank, createDefaultEmbedder } = await import(join(root, 'dist', 'engine', 'patterns', 'index.js'));
const { PgPatternsRepo } = await import(join(root, 'dist', 'engine', 'store', 'postgres', 'patterns-repo.js'));
const { startPostgres } = await import(join(root, 'dist', 'devtools', 'pg-cluster.js'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('patterns', 20_000);
const F = arg('finds', 2000);
const OTHERS = arg('others', 0);
const JSON_OUT = process.argv.includes('--json');
// `--alloc`: sample the allocations of the measured finds (collected ones included) and print the top allocators
const ALLOC = process.argv.includes('--alloc');

const GC_KIND = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

async function fill(url, n) {
  const dir = tempDir('ruvllm-bench-tail-fill-');
  const repo = await PgPatternsRepo.open(url, { readModel: false });
  const bank = await PatternBank.open({ repo, indexPath: join(dir, 'fill.hnsw'), embedder: createDefaultEmbedder(), persistIntervalMs: 0 });
  await fillPatterns(bank, 0, n);
  await bank.close();
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
}

const overlap = (a0, a1, b0, b1) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

const pgc = await startPostgres();
const dir = tempDir('ruvllm-bench-tail-');
const closers = [];
try {
  const url = await pgc.newDatabase('findtail');
  const t0 = performance.now();
  await fill(url, N);
  const fillMs = performance.now() - t0;

  const repo = await PgPatternsRepo.open(url);
  const bank = await PatternBank.open({ repo, indexPath: join(dir, 'node.hnsw'), embedder: createDefaultEmbedder(), persistIntervalMs: 0 });
  closers.push(async () => {
    await bank.close();
    await repo.close();
  });
  // measured once the node's HNSW replica is built (a search meanwhile also scans the queued vectors), as
  // bench/fleet.mjs measures once every node settled
  const s0 = performance.now();
  while ((await bank.stats()).indexQueue > 0) await new Promise((res) => setTimeout(res, 200));
  const settleMs = performance.now() - s0;
  // catch-ups, timed (the model's own method wrapped: kicks and finds' fresh() both call it)
  const model = repo.model;
  const catchUps = [];
  const orig = model.catchUp.bind(model);
  model.catchUp = () => {
    const c = { start: performance.now(), end: Infinity };
    catchUps.push(c);
    return orig().finally(() => (c.end = performance.now()));
  };
  // other nodes' use flushes
  const others = [];
  for (let k = 0; k < OTHERS; k++) {
    const o = await PgPatternsRepo.open(url, { readModel: false });
    closers.push(() => o.close());
    others.push(o);
  }
  const r = rng(99);
  const word = () => WORDS[Math.floor(r() * WORDS.length)];
  for (let i = 0; i < 50; i++) await bank.find({ query: `${word()} ${word()} ${word()}`, k: 5 });
  await bank.usage.flush(); // the warm-up's uses written before the measure

  const gcs = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push({ start: e.startTime, end: e.startTime + e.duration, kind: GC_KIND[e.detail?.kind ?? e.kind] ?? 'other' });
  });
  obs.observe({ entryTypes: ['gc'] });
  const statsBefore = model.stats ? { ...model.stats } : null;
  let stop = false;
  const flushers = others.map(async (o, k) => {
    const rr = rng(1000 + k);
    while (!stop) {
      await new Promise((res) => setTimeout(res, 1000));
      if (stop) break;
      const seqs = new Set();
      while (seqs.size < 2500) seqs.add(1 + Math.floor(rr() * N));
      await o.addUses(new Map([[1, [...seqs]]]), new Date().toISOString()).catch(() => undefined);
    }
  });
  let session = null;
  if (ALLOC) {
    const { Session } = await import('node:inspector/promises');
    session = new Session();
    session.connect();
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  const finds = [];
  const cpu0 = process.cpuUsage();
  const m0 = performance.now();
  for (let i = 0; i < F; i++) {
    // the event loop turns between finds, as between a server's requests (a find answered from memory alone never
    // yields to it: notifications, timers and the other nodes' flushes would wait for the end of the loop)
    await new Promise((res) => setImmediate(res));
    const start = performance.now();
    await bank.find({ query: `${word()} ${word()} ${word()} ${word()}`, k: 5 });
    finds.push({ start, end: performance.now() });
  }
  const m1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  let allocTop = null;
  if (session) {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    // bytes sampled per allocating function (self), per find
    const by = new Map();
    let total = 0;
    const name = (cf) => `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
    // a builtin (Map.set, String.match, ...) is named with the function that called it
    const walk = (n, parent) => {
      const cf = n.callFrame;
      const key = cf.url ? name(cf) : `${cf.functionName || '(anon)'} <- ${parent}`;
      by.set(key, (by.get(key) ?? 0) + n.selfSize);
      total += n.selfSize;
      for (const c of n.children) walk(c, cf.url ? name(cf) : parent);
    };
    walk(profile.head, '(root)');
    allocTop = {
      kbPerFind: round(total / 1024 / F, 1),
      top: [...by]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([k, v]) => [k, round(v / 1024 / F, 2)]),
    };
  }
  stop = true;
  await Promise.all(flushers);
  await new Promise((res) => setTimeout(res, 50));
  obs.disconnect();
  const statsAfter = model.stats ? { ...model.stats } : null;

  const lat = finds.map((f) => f.end - f.start);
  const inSpan = (x) => x.end > m0 && x.start < m1;
  const spanGc = gcs.filter(inSpan);
  const spanCu = catchUps.filter(inSpan);
  const slow = finds
    .map((f) => ({
      ms: round(f.end - f.start, 2),
      gcMs: round(
        gcs.reduce((s, g) => s + overlap(f.start, f.end, g.start, g.end), 0),
        2,
      ),
      gcKinds: [...new Set(gcs.filter((g) => overlap(f.start, f.end, g.start, g.end) > 0).map((g) => g.kind))].join('+'),
      catchUps: catchUps.filter((c) => overlap(f.start, f.end, c.start, Math.min(c.end, m1)) > 0).length,
    }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 20);
  const byKind = {};
  for (const g of spanGc) {
    const k = (byKind[g.kind] ??= { n: 0, ms: 0, maxMs: 0 });
    k.n++;
    k.ms += g.end - g.start;
    k.maxMs = Math.max(k.maxMs, g.end - g.start);
  }
  for (const k of Object.values(byKind)) {
    k.ms = round(k.ms, 1);
    k.maxMs = round(k.maxMs, 2);
  }
  const counters =
    statsBefore && statsAfter ? Object.fromEntries(Object.keys(statsAfter).map((k) => [k, statsAfter[k] - (statsBefore[k] ?? 0)])) : null;
  const out = {
    patterns: N,
    finds: F,
    others: OTHERS,
    fillS: round(fillMs / 1000, 1),
    settleS: round(settleMs / 1000, 1),
    load: (await import('node:os')).loadavg().map((x) => round(x, 2)),
    p50: round(percentile(lat, 50), 2),
    p99: round(percentile(lat, 99), 2),
    max: round(Math.max(...lat), 2),
    measuredS: round((m1 - m0) / 1000, 2),
    // on a shared machine the latencies follow the load; this process's CPU time and GC counts per find do not
    cpuMsPerFind: round((cpu.user + cpu.system) / 1000 / F, 3),
    minorGcPer1000Finds: round(((byKind.minor?.n ?? 0) * 1000) / F, 1),
    gc: byKind,
    catchUps: {
      n: spanCu.length,
      ms: round(
        spanCu.reduce((s, c) => s + (Math.min(c.end, m1) - Math.max(c.start, m0)), 0),
        1,
      ),
    },
    modelCounters: counters,
    heapMb: round(process.memoryUsage().heapUsed / 2 ** 20, 0),
    rssMb: round(process.memoryUsage().rss / 2 ** 20, 0),
    alloc: allocTop,
    slowest: slow,
    slowWithGc: slow.filter((s) => s.gcMs > 0).length,
    slowWithCatchUp: slow.filter((s) => s.catchUps > 0).length,
  };
  if (JSON_OUT) console.log(JSON.stringify(out));
  else {
    const { slowest, ...rest } = out;
    console.log(JSON.stringify(rest, null, 1));
    console.log('slowest finds (ms, GC ms overlapping, GC kinds, catch-ups overlapping):');
    for (const s of slowest) console.log(`  ${s.ms}\t${s.gcMs}\t${s.gcKinds || '-'}\t${s.catchUps}`);
  }
} finally {
  for (const c of closers.reverse()) await c().catch(() => undefined);
  pgc.stop();
  rmSync(dir, { recursive: true, force: true });
}
