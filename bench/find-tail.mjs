// Where a PostgreSQL node's slow finds go (issue 14): one node in this process (a PatternBank on a PgPatternsRepo with
// its read model) on a throwaway cluster, `--patterns N` filled in process, then `--finds F` finds one after another
// (k 5, four-word queries as bench/fleet.mjs asks). Every find's start and end is kept, with what overlapped it:
// GC pauses (perf_hooks 'gc' entries: kind and duration) and read-model catch-ups (the model's catchUp, timed here).
// `--others K`: K other "nodes" (repositories without a read model) each flush the uses of 5 × 500 random patterns
// once a second, as a fleet's other nodes do while this node is measured (their log entries reach this node's model).
// Prints p50/p99/max, the GC and catch-up totals of the measured span, the model's catch-up counters and the slowest
// finds with their overlaps, and this process's CPU time and minor GCs per find (steadier than latencies on a shared
// machine). Nothing is dropped: every find after the 50 warm-up finds counts.
// `node bench/find-tail.mjs [--patterns 20000] [--finds 2000] [--others 0] [--alloc] [--json]`. Build first (npx tsc).
// Comparing builds: `--builds DIR,DIR [--rounds 3]` (each DIR a checkout with its dist/ built, e.g. main's and this
// one): the cluster is filled once (and the node's HNSW index built and saved once), then each build is measured in
// a process of its own, the builds taking turns (A B, B A, ...) `--rounds` times; prints each run and each build's
// medians. A measuring process is `--url URL --index PATH [--root DIR]`: a database filled already and the saved index.
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillPatterns, median, percentile, rng, root, round, tempDir, WORDS } from './_util.mjs';

const argStr = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const arg = (name, dflt) => (argStr(name) === undefined ? dflt : Number(argStr(name)));
const N = arg('patterns', 20_000);
const F = arg('finds', 2000);
const OTHERS = arg('others', 0);
const JSON_OUT = process.argv.includes('--json');
// `--alloc`: sample the allocations of the measured finds (collected ones included) and print the top allocators
const ALLOC = process.argv.includes('--alloc');
// `--profile`: a CPU profile of the measured finds; prints where the slowest 1% of finds and all finds spent their time
const PROFILE = process.argv.includes('--profile');
const URL_ARG = argStr('url');
const INDEX_ARG = argStr('index');
const BUILDS = argStr('builds')?.split(',').filter(Boolean) ?? null;
const ROUNDS = arg('rounds', 3);
// the build measured (a measuring process of a comparison imports the build it measures)
const buildRoot = argStr('root') ?? root;

const { PatternBank, createDefaultEmbedder } = await import(join(buildRoot, 'dist', 'engine', 'patterns', 'index.js'));
const { PgPatternsRepo } = await import(join(buildRoot, 'dist', 'engine', 'store', 'postgres', 'patterns-repo.js'));

const GC_KIND = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** Fills the database with n patterns; with `indexPath`, the node index built meanwhile is saved there. */
async function fill(url, n, indexPath) {
  const dir = tempDir('ruvllm-bench-tail-fill-');
  const repo = await PgPatternsRepo.open(url, { readModel: false });
  const bank = await PatternBank.open({
    repo,
    indexPath: indexPath ?? join(dir, 'fill.hnsw'),
    embedder: createDefaultEmbedder(),
    persistIntervalMs: 0,
  });
  await fillPatterns(bank, 0, n);
  await bank.close(); // waits for the queued index inserts and saves the index
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
}

/** This thread's CPU time and run-queue wait so far, ns (Linux schedstat; null elsewhere). */
let schedOk = true;
function sched() {
  if (!schedOk) return null;
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return [run, wait];
  } catch {
    schedOk = false;
    return null;
  }
}

/** CPU time (ms) of this process's threads (Linux /proc/self/task; {} elsewhere). */
function threadsCpu() {
  const out = {};
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        // Node's threads share one name: the main thread (its id is the process's) and the others by id
        const name = Number(tid) === process.pid ? 'main' : `${st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'))} ${tid}`;
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        out[name] = (out[name] ?? 0) + ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, 100 Hz ticks
      } catch {
        // the thread ended
      }
    }
  } catch {
    // not Linux
  }
  return out;
}

const overlap = (a0, a1, b0, b1) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

async function main() {
  if (BUILDS) return compare();
  if (URL_ARG) return print(await measure(URL_ARG, INDEX_ARG, { fillMs: null }));
  const { startPostgres } = await import(join(root, 'dist', 'devtools', 'pg-cluster.js'));
  const pgc = await startPostgres();
  const dir = tempDir('ruvllm-bench-tail-');
  try {
    const url = await pgc.newDatabase('findtail');
    const t0 = performance.now();
    await fill(url, N);
    const fillMs = performance.now() - t0;
    print(await measure(url, join(dir, 'node.hnsw'), { fillMs }));
  } finally {
    pgc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Fills once (or takes `--url`, filled already, and `--index`), then measures each build in a process of its own, in
 * turn, ROUNDS times; medians per build.
 */
async function compare() {
  let pgc = null;
  const dir = tempDir('ruvllm-bench-tail-');
  try {
    let url = URL_ARG;
    const indexPath = INDEX_ARG ?? join(dir, 'node.hnsw');
    if (!url) {
      const { startPostgres } = await import(join(root, 'dist', 'devtools', 'pg-cluster.js'));
      pgc = await startPostgres();
      url = await pgc.newDatabase('findtail');
      const t0 = performance.now();
      await fill(url, N, indexPath);
      process.stderr.write(`filled ${N} in ${round((performance.now() - t0) / 1000, 1)} s\n`);
    }
    const runs = BUILDS.map(() => []);
    const flags = ['--finds', String(F), '--others', String(OTHERS), '--patterns', String(N), ...(ALLOC ? ['--alloc'] : [])];
    for (let r = 0; r < ROUNDS; r++) {
      const order = BUILDS.map((_, i) => i);
      if (r % 2) order.reverse();
      for (const b of order) {
        const out = execFileSync(
          process.execPath,
          [fileURLToPath(import.meta.url), '--url', url, '--index', indexPath, '--root', BUILDS[b], '--json', ...flags],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 },
        );
        const res = JSON.parse(out.trim().split('\n').pop());
        runs[b].push(res);
        process.stderr.write(
          `round ${r + 1} ${BUILDS[b]}: p50 ${res.p50} p99 ${res.p99} cpu/find ${res.cpuMsPerFind} GC ms/find ${res.gcMsPerFind} rss ${res.rssMb}\n`,
        );
      }
    }
    const keys = [
      'p50',
      'p99',
      'max',
      'cpuMsPerFind',
      'gcMsPerFind',
      'minorGcPer1000Finds',
      'majorGcPer1000Finds',
      'heapMb',
      'rssMb',
      'loadS',
    ];
    const summary = BUILDS.map((b, i) => ({
      build: b,
      runs: runs[i].length,
      ...Object.fromEntries(keys.map((k) => [k, round(median(runs[i].map((x) => x[k] ?? 0)), 3)])),
      slowest1pct: Object.fromEntries(
        ['medianMs', 'medianThreadCpuMs', 'medianRunQueueMs'].map((k) => [k, round(median(runs[i].map((x) => x.slowest1pct[k])), 2)]),
      ),
      ...(ALLOC ? { allocKbPerFind: round(median(runs[i].map((x) => x.alloc?.kbPerFind ?? 0)), 1) } : {}),
    }));
    const out = { patterns: N, finds: F, others: OTHERS, rounds: ROUNDS, medians: summary, runs };
    if (JSON_OUT) console.log(JSON.stringify(out));
    else {
      console.log(JSON.stringify({ ...out, runs: undefined }, null, 1));
      if (ALLOC) for (const [i, b] of BUILDS.entries()) console.log(b, JSON.stringify(runs[i][0].alloc, null, 1));
    }
  } finally {
    pgc?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function print(out) {
  if (JSON_OUT) console.log(JSON.stringify(out));
  else {
    const { slowest, ...rest } = out;
    console.log(JSON.stringify(rest, null, 1));
    console.log(
      'slowest finds (ms, process CPU ms, thread CPU ms, waiting for a CPU ms, GC ms overlapping, GC kinds, catch-ups overlapping):',
    );
    for (const s of slowest)
      console.log(`  ${s.ms}\t${s.cpuMs}\t${s.threadMs}\t${s.runqMs}\t${s.gcMs}\t${s.gcKinds || '-'}\t${s.catchUps}`);
  }
}

/**
 * Self time by function (a builtin named with its caller) in all finds and in the slowest 1%, from a CPU profile: the
 * profile's clock (µs, monotonic) is mapped to performance.now()'s through process.hrtime, both monotonic.
 */
function profileOfFinds(profile, finds) {
  const offsetMs = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id) => {
    let n = byId.get(id);
    const cf = n.callFrame;
    if (cf.url) return `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
    let p = parent.get(id);
    while (p !== undefined && !byId.get(p).callFrame.url) p = parent.get(p);
    n = p === undefined ? null : byId.get(p);
    return `${cf.functionName || '(anon)'} <- ${n ? `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}` : '-'}`;
  };
  const sorted = [...finds].sort((a, b) => b.end - b.start - (a.end - a.start));
  const slow = sorted.slice(0, Math.max(1, Math.ceil(finds.length / 100))).sort((a, b) => a.start - b.start);
  const byStart = [...finds].sort((a, b) => a.start - b.start);
  const all = new Map();
  const inSlow = new Map();
  let t = profile.startTime;
  let fi = 0;
  let si = 0;
  let nAll = 0;
  let nSlow = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const ms = t / 1000 - offsetMs;
    while (fi < byStart.length && byStart[fi].end < ms) fi++;
    while (si < slow.length && slow[si].end < ms) si++;
    const inFind = fi < byStart.length && byStart[fi].start <= ms;
    if (!inFind) continue;
    const key = label(profile.samples[i]);
    all.set(key, (all.get(key) ?? 0) + 1);
    nAll++;
    if (si < slow.length && slow[si].start <= ms) {
      inSlow.set(key, (inSlow.get(key) ?? 0) + 1);
      nSlow++;
    }
  }
  const top = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, v]) => [k, round((v / n) * 100, 1)]);
  return { samplesInFinds: nAll, samplesInSlowest: nSlow, slowestPct: top(inSlow, nSlow || 1), allPct: top(all, nAll || 1) };
}

/** One node on `url` (its index saved at indexPath, or built there), measured. */
async function measure(url, indexPath, { fillMs }) {
  const closers = [];
  const tmp = indexPath ? null : tempDir('ruvllm-bench-tail-');
  try {
    const l0 = performance.now();
    const repo = await PgPatternsRepo.open(url);
    const bank = await PatternBank.open({
      repo,
      indexPath: indexPath ?? join(tmp, 'node.hnsw'),
      embedder: createDefaultEmbedder(),
      persistIntervalMs: 0,
    });
    closers.push(async () => {
      await bank.close();
      await repo.close();
    });
    const loadMs = performance.now() - l0;
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
    let prof = null;
    if (PROFILE) {
      const { Session } = await import('node:inspector/promises');
      prof = new Session();
      prof.connect();
      await prof.post('Profiler.enable');
      await prof.post('Profiler.setSamplingInterval', { interval: 100 });
      await prof.post('Profiler.start');
    }
    const finds = [];
    const thr0 = threadsCpu();
    const cpu0 = process.cpuUsage();
    const m0 = performance.now();
    for (let i = 0; i < F; i++) {
      // the event loop turns between finds, as between a server's requests (a find answered from memory alone never
      // yields to it: notifications, timers and the other nodes' flushes would wait for the end of the loop)
      await new Promise((res) => setImmediate(res));
      const c0 = process.cpuUsage();
      const t0 = sched();
      const start = performance.now();
      await bank.find({ query: `${word()} ${word()} ${word()} ${word()}`, k: 5 });
      const end = performance.now();
      const t1 = sched();
      const c1 = process.cpuUsage(c0);
      // this process's CPU time during the find (all its threads), this thread's, and the time this thread was ready
      // to run but waited for a CPU (Linux: /proc/thread-self/schedstat): a slow find that worked, or that waited
      // for the machine's other processes
      finds.push({
        start,
        end,
        cpuMs: (c1.user + c1.system) / 1000,
        threadMs: t1 && (t1[0] - t0[0]) / 1e6,
        runqMs: t1 && (t1[1] - t0[1]) / 1e6,
      });
    }
    const m1 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const thr1 = threadsCpu();
    let profTop = null;
    if (prof) {
      const { profile } = await prof.post('Profiler.stop');
      prof.disconnect();
      profTop = profileOfFinds(profile, finds);
    }
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
        cpuMs: round(f.cpuMs, 2),
        threadMs: round(f.threadMs, 2),
        runqMs: round(f.runqMs, 2),
        gcMs: round(
          gcs.reduce((s, g) => s + overlap(f.start, f.end, g.start, g.end), 0),
          2,
        ),
        gcKinds: [...new Set(gcs.filter((g) => overlap(f.start, f.end, g.start, g.end) > 0).map((g) => g.kind))].join('+'),
        catchUps: catchUps.filter((c) => overlap(f.start, f.end, c.start, Math.min(c.end, m1)) > 0).length,
      }))
      .sort((a, b) => b.ms - a.ms);
    // the slowest 1% (the finds past p99): how much of their time this thread worked, and how much it waited for a CPU
    const tail = slow.slice(0, Math.max(1, Math.ceil(F / 100)));
    const tailOf = (k) => round(median(tail.map((x) => x[k] ?? 0)), 2);
    const slowest1pct = {
      n: tail.length,
      medianMs: tailOf('ms'),
      medianThreadCpuMs: tailOf('threadMs'),
      medianRunQueueMs: tailOf('runqMs'),
      withGc: tail.filter((x) => x.gcMs > 0).length,
      withCatchUp: tail.filter((x) => x.catchUps > 0).length,
    };
    slow.length = Math.min(slow.length, 20);
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
      fillS: fillMs === null ? null : round(fillMs / 1000, 1),
      loadS: round(loadMs / 1000, 1),
      settleS: round(settleMs / 1000, 1),
      load: (await import('node:os')).loadavg().map((x) => round(x, 2)),
      p50: round(percentile(lat, 50), 2),
      p99: round(percentile(lat, 99), 2),
      max: round(Math.max(...lat), 2),
      measuredS: round((m1 - m0) / 1000, 2),
      // on a shared machine the latencies follow the load; this process's CPU time and GC counts per find do not
      cpuMsPerFind: round((cpu.user + cpu.system) / 1000 / F, 3),
      minorGcPer1000Finds: round(((byKind.minor?.n ?? 0) * 1000) / F, 1),
      majorGcPer1000Finds: round(((byKind.major?.n ?? 0) * 1000) / F, 1),
      // GC pauses inside the measured span, per find
      gcMsPerFind: round(spanGc.reduce((t, g) => t + Math.min(g.end, m1) - Math.max(g.start, m0), 0) / F, 3),
      gc: byKind,
      // CPU ms of the measured span per thread (ticks of 10 ms; threads that used none left out)
      threadsCpuMs: Object.fromEntries(
        Object.entries(thr1)
          .map(([k, v]) => [k, round(v - (thr0[k] ?? 0), 0)])
          .filter(([, v]) => v > 0),
      ),
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
      profile: profTop,
      slowest: slow,
      slowest1pct,
      slowWithGc: slow.filter((s) => s.gcMs > 0).length,
      slowWithCatchUp: slow.filter((s) => s.catchUps > 0).length,
    };
    return out;
  } finally {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
