// Routing decision latency on the 8 KB prompt of bench/router.mjs (privacy scan, complexity, learner lookup and the
// decision's commit to SQLite, WAL checkpoints in their background thread), and what its tail is made of:
//  - "no commit": the same build with the decision's insert skipped, measured only (the engine always commits
//    before it answers), to show what the commit costs;
//  - GC: pauses (perf_hooks 'gc' entries) that fell inside a timed decision;
//  - waiting for a core: the process's CPU time against wall time in the slowest 1%;
//  - the steps of a decision (wall ms): scan and assess (validation, catch-up, privacy scan, complexity), policy (the
//    learner's features and nearest-neighbour lookup, the policy), record (the decision object and its commit).
// The benchmark prompt's sides are interleaved in rounds in one process, so machine noise falls on each alike.
// And the same decision on 8 KB cut from real files (bench/_real-prompts.mjs), a different one each time (84 in
// turn), in a second phase: the benchmark's prompt repeats one small block of code, which most rules' prefilter gates
// shut. That phase runs each build in a child process of its own (this file with --real-phase), several runs per
// build in the order A B B A A B B A ..., so drift falls on both alike: with two builds loaded in one process, both
// builds' real-text decisions read about three times slower than either alone (tenth session), and `npm run bench`
// loads every bench's routers into one process. The real-text phase also runs a copy of the current build whose
// decisions reuse each text's first privacy scan (measured only): what a real-text decision costs apart from its scan.
//   node bench/decision-latency.mjs [--baseline <dist dir of an older build>] [--quick] [--rounds 30] [--per-round 100]
//     [--real-runs 4] [--secret]
// `npm run bench` runs it for the current build only.
import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { root, percentile, round, tempDir, benchRouter, option } from './_util.mjs';
import { prompt8k } from './_privacy-prompts.mjs';
import { realPrompts } from './_real-prompts.mjs';

/**
 * CPU ms of each thread of this process (Linux: /proc/self/task, in clock ticks), keyed main/other: process.cpuUsage(),
 * which the CPU figures use, counts every thread (V8's GC and compiler helpers, the WAL checkpointer), and those run
 * beside the main thread, on the other core. Null elsewhere.
 */
function threadCpu() {
  try {
    const tick = 10; // USER_HZ 100
    const out = { main: 0, other: 0 };
    for (const tid of readdirSync('/proc/self/task')) {
      const f = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
      const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
      out[Number(tid) === process.pid ? 'main' : 'other'] += (Number(v[11]) + Number(v[12])) * tick;
    }
    return out;
  } catch {
    return null;
  }
}

async function side(dist, noCommit) {
  let checkpointer;
  const { router, db } = await benchRouter(dist, {
    prefix: 'decision-latency-',
    onOpen: async (db, file) => {
      const { Checkpointer } = await import(join(dist, 'engine', 'store', 'checkpointer.js'));
      checkpointer = new Checkpointer(db, file);
    },
  });
  const s = {
    router,
    db,
    checkpointer,
    noCommit,
    insertMs: 0,
    wall: [],
    cpu: [],
    insert: [],
    spans: [],
    steps: { policyAt: 0, policyMs: 0, recordMs: 0 },
  };
  const steps = { scanAssess: [], policy: [], record: [] };
  s.stepTimes = steps;
  // the steps, timed by wrapping the router's private step methods (decide: scan, assess, policyStep, record)
  const policyStep = router.policyStep.bind(router);
  router.policyStep = (...a) => {
    s.steps.policyAt = performance.now();
    const r = policyStep(...a);
    s.steps.policyMs = performance.now() - s.steps.policyAt;
    return r;
  };
  const record = router.record.bind(router);
  router.record = async (...a) => {
    const t = performance.now();
    const r = await record(...a);
    s.steps.recordMs = performance.now() - t;
    return r;
  };
  const repo = router.decisions; // the router's decisions repository (private in TypeScript)
  const insert = repo.insert.bind(repo);
  repo.insert = async (...a) => {
    const t0 = performance.now();
    if (!(s.noCommit && s.measuring)) await insert(...a);
    s.insertMs = performance.now() - t0;
  };
  return s;
}

/** The current build's privacy scan alone on the same prompt, timed in the same rounds (what the rest of a decision adds to it). */
async function scanSide(dist) {
  const R = await import(join(dist, 'engine', 'router', 'index.js'));
  const nothing = async () => {};
  const router = {
    decide: async ({ task }) => {
      R.scanPrivacy(task);
    },
  };
  return {
    router,
    db: { close() {} },
    checkpointer: { close: nothing },
    scanOnly: true,
    insertMs: 0,
    wall: [],
    cpu: [],
    insert: [],
    spans: [],
  };
}

const self = fileURLToPath(import.meta.url);

/**
 * A copy of the build at `dist` whose routing decisions take each text's privacy scan from a cache filled by the
 * first scan of that text (measured only, never how the engine runs): what a real-text decision costs apart from its
 * scan. Its scan step (engine/router/scan.js) is rewritten to memoise scanPrivacy by text; the copy sits in a temp
 * folder beside links to the project's node_modules and data. Returns the copy's dist folder and the temp folder (to remove).
 */
function scanGivenCopy(dist) {
  const dir = tempDir('decision-latency-scan-given-');
  cpSync(dist, join(dir, 'dist'), { recursive: true });
  for (const x of ['node_modules', 'data']) symlinkSync(join(root, x), join(dir, x));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  const file = join(dir, 'dist', 'engine', 'router', 'scan.js');
  const src = readFileSync(file, 'utf8');
  const line = "import { scanPrivacy } from '../privacy/privacy.js';";
  if (!src.includes(line)) throw new Error(`decision-latency: ${file} no longer imports scanPrivacy as "${line}": update scanGivenCopy`);
  const memo =
    "import { scanPrivacy as scanOnce } from '../privacy/privacy.js';\n" +
    'const given = new Map();\n' +
    'const scanPrivacy = (t) => { let r = given.get(t); if (r === undefined) given.set(t, (r = scanOnce(t))); return r; };';
  writeFileSync(file, src.replace(line, memo));
  return { dist: join(dir, 'dist'), dir };
}

/** Wall ms of GC pauses (`gcs`: [start, duration]) inside the span [a, b]. */
const gcInside = (gcs, [a, b]) => gcs.filter(([t, d]) => t < b && t + d > a).reduce((x, [, d]) => x + d, 0);

/** Watches GC pauses (perf_hooks 'gc' entries) into `gcs` until the returned stop() resolves. */
function watchGc(gcs) {
  const obs = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) gcs.push([e.startTime, e.duration]);
  });
  obs.observe({ entryTypes: ['gc'] });
  return async () => {
    await new Promise((res) => setTimeout(res, 100));
    obs.disconnect();
  };
}

/** One timed decision of side `s` on `task`, after an event-loop turn (as in the server). */
async function timedDecision(s, task) {
  await new Promise((res) => setImmediate(res));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await s.router.decide({ task });
  const t1 = performance.now();
  const c = process.cpuUsage(c0);
  s.wall.push(t1 - t0);
  s.cpu.push((c.user + c.system) / 1000);
  s.insert.push(s.insertMs);
  s.spans.push([t0, t1]);
  if (s.scanOnly) return;
  s.stepTimes.scanAssess.push(s.steps.policyAt - t0);
  s.stepTimes.policy.push(s.steps.policyMs);
  s.stepTimes.record.push(s.steps.recordMs);
}

function summary(s, gcs) {
  const p = (a, q) => round(percentile(a, q), 3);
  const p99 = percentile(s.wall, 99);
  const tail = s.wall.map((w, i) => i).filter((i) => s.wall[i] >= p99);
  const sum = (f) => tail.reduce((a, i) => a + f(i), 0);
  // (the real-text phase's pauses were matched to its decisions in the child process that measured them)
  const gcIn = (i) => (s.gcMs ? s.gcMs[i] : gcInside(gcs, s.spans[i]));
  return {
    samples: s.wall.length,
    wallMs: { p50: p(s.wall, 50), p99: p(s.wall, 99), p999: p(s.wall, 99.9) },
    cpuMs: { p50: p(s.cpu, 50), p99: p(s.cpu, 99), p999: p(s.cpu, 99.9) },
    insertWallMs: { p50: p(s.insert, 50), p99: p(s.insert, 99) },
    ...(s.stepTimes
      ? { stepsWallMs: Object.fromEntries(Object.entries(s.stepTimes).map(([k, a]) => [k, { p50: p(a, 50), p99: p(a, 99) }])) }
      : {}),
    decisionsWithGcInside: s.wall.filter((w, i) => gcIn(i) > 0).length,
    slowest1pct: {
      meanWallMs: round(sum((i) => s.wall[i]) / tail.length, 3),
      cpuShare: round(sum((i) => s.cpu[i]) / sum((i) => s.wall[i]), 3),
      insertShare: round(sum((i) => s.insert[i]) / sum((i) => s.wall[i]), 3),
      gcShare: round(sum((i) => gcIn(i)) / sum((i) => s.wall[i]), 3),
    },
  };
}

/**
 * The real-text phase of one build, in this process (the child's side of --real-phase): a router of the build at
 * `dist` with its 300 outcomes, warmed on 200 decisions over the texts, then `decisions` timed decisions on the texts
 * in turn from number `offset`. Returns the raw samples, each decision's GC pause time, and the threads' CPU.
 */
async function realPhase({ dist, decisions, offset }) {
  const real = realPrompts().map((p) => p.text);
  const s = await side(dist, false);
  for (let i = 0; i < 200; i++) await s.router.decide({ task: real[i % real.length] });
  const gcs = [];
  const stop = watchGc(gcs);
  s.measuring = true;
  const threads0 = threadCpu();
  for (let i = 0; i < decisions; i++) await timedDecision(s, real[(offset + i) % real.length]);
  const threads1 = threadCpu();
  await stop();
  await s.checkpointer.close();
  s.db.close();
  return {
    texts: real.length,
    wall: s.wall,
    cpu: s.cpu,
    insert: s.insert,
    stepTimes: s.stepTimes,
    gcMs: s.spans.map((sp) => gcInside(gcs, sp)),
    threadsCpuMs: threads0 && threads1 ? { main: threads1.main - threads0.main, other: threads1.other - threads0.other } : null,
  };
}

/** realPhase in a child process of its own (a fresh V8 with only this build loaded), its samples read from stdout. */
async function realPhaseInChild(dist, decisions, offset) {
  const args = [...process.execArgv, self, '--real-phase', '--dist', dist, '--decisions', String(decisions), '--offset', String(offset)];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 28 });
  return JSON.parse(stdout);
}

export async function run(opts = {}) {
  const rounds = opts.rounds ?? (opts.quick ? 6 : 20);
  const perRound = opts.perRound ?? 100;
  const realRuns = Math.max(1, opts.realRuns ?? (opts.quick ? 2 : 4));
  const builds = [['current', join(root, 'dist')]];
  if (opts.baseline) builds.unshift(['baseline', resolve(opts.baseline)]);
  const sides = [];
  for (const [name, dist] of builds) sides.push([name, await side(dist, false)]);
  sides.push(['current, commit skipped (measured only)', await side(join(root, 'dist'), true)]);
  sides.push(['current, privacy scan alone', await scanSide(join(root, 'dist'))]);
  const task = prompt8k(!!opts.secret);
  for (const [, s] of sides) for (let i = 0; i < 200; i++) await s.router.decide({ task });
  const gcs = [];
  const stopGc = watchGc(gcs);
  for (const [, s] of sides) s.measuring = true;
  const threads0 = threadCpu();
  // first phase: the benchmark's prompt, its sides interleaved in rounds in this process
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...sides].reverse() : sides;
    for (const [, s] of order) for (let i = 0; i < perRound; i++) await timedDecision(s, task);
  }
  const threads1 = threadCpu();
  await stopGc();
  const figures = {};
  // (all of the first phase's builds together: the threads are the process's)
  if (threads0 && threads1) {
    const main = threads1.main - threads0.main;
    const other = threads1.other - threads0.other;
    figures.threadsCpuMs = { main, other, otherShare: round(other / (main + other), 3) };
  }
  for (const [name, s] of sides) {
    figures[name] = summary(s, gcs);
    await s.checkpointer.close();
    s.db.close();
  }
  // second phase: the same decisions on 8 KB cut from real files (bench/_real-prompts.mjs), a different text each
  // time, in turn; each build's decisions in `realRuns` child processes of its own, the builds alternating
  // A B B A A B ..., each run going on through the texts where the build's previous run stopped
  const total = rounds * perRound;
  // (and the current build with each text's scan given: what the rest of a real-text decision costs, measured only)
  const given = scanGivenCopy(join(root, 'dist'));
  const realBuilds = [...builds, ['current, scan given (measured only)', given.dist]];
  const real = realBuilds.map(([name]) => [
    name,
    { wall: [], cpu: [], insert: [], stepTimes: { scanAssess: [], policy: [], record: [] }, gcMs: [], runs: [], other: 0, main: 0 },
  ]);
  let texts = 0;
  for (let k = 0; k < realRuns; k++) {
    const order = k % 2 ? [...realBuilds.keys()].reverse() : [...realBuilds.keys()];
    for (const b of order) {
      const s = real[b][1];
      const n = Math.floor((total * (k + 1)) / realRuns) - Math.floor((total * k) / realRuns);
      const r = await realPhaseInChild(realBuilds[b][1], n, s.wall.length);
      texts = r.texts;
      for (const key of ['wall', 'cpu', 'insert', 'gcMs']) s[key].push(...r[key]);
      for (const key of Object.keys(s.stepTimes)) s.stepTimes[key].push(...r.stepTimes[key]);
      s.runs.push({ run: k, samples: r.wall.length, wallP50: round(percentile(r.wall, 50), 3), wallP99: round(percentile(r.wall, 99), 3) });
      if (r.threadsCpuMs) {
        s.main += r.threadsCpuMs.main;
        s.other += r.threadsCpuMs.other;
      }
    }
  }
  rmSync(given.dir, { recursive: true, force: true });
  for (const [name, s] of real)
    figures[`${name}, real 8 KB texts`] = {
      ...summary(s, []),
      childRuns: s.runs,
      threadsCpuMs: { main: s.main, other: s.other, otherShare: round(s.other / (s.main + s.other), 3) },
    };
  const cur = figures.current;
  const base = figures.baseline;
  const nc = figures['current, commit skipped (measured only)'];
  const scan = figures['current, privacy scan alone'];
  const realCur = figures['current, real 8 KB texts'];
  const realBase = figures['baseline, real 8 KB texts'];
  const realGiven = figures['current, scan given (measured only), real 8 KB texts'];
  const table = [
    [
      'decision 8 KB wall p50 / p99 / p99.9 ms',
      `${cur.wallMs.p50} / ${cur.wallMs.p99} / ${cur.wallMs.p999}`,
      base ? `${base.wallMs.p50} / ${base.wallMs.p99} / ${base.wallMs.p999}` : null,
      base ? round(base.wallMs.p50 / cur.wallMs.p50, 2) : null,
      'p99 < 1 ms',
    ],
    [
      'decision 8 KB CPU p50 / p99 ms (process)',
      `${cur.cpuMs.p50} / ${cur.cpuMs.p99}`,
      base ? `${base.cpuMs.p50} / ${base.cpuMs.p99}` : null,
      base ? round(base.cpuMs.p50 / cur.cpuMs.p50, 2) : null,
      '',
    ],
    [
      'without the commit (measured only): wall p50 / p99, CPU p50 / p99 ms',
      `${nc.wallMs.p50} / ${nc.wallMs.p99}, ${nc.cpuMs.p50} / ${nc.cpuMs.p99}`,
      null,
      null,
      '',
    ],
    [
      "CPU of the process's other threads (GC and compiler helpers, checkpointer), share of the process's CPU (benchmark prompt)",
      figures.threadsCpuMs ? String(figures.threadsCpuMs.otherShare) : 'n/a',
      null,
      null,
      '',
    ],
    ['privacy scan alone, same rounds: wall p50 / p99 ms', `${scan.wallMs.p50} / ${scan.wallMs.p99}`, null, null, ''],
    [
      `decision on real 8 KB texts (${texts} files from node_modules, in turn; each build in ${realRuns} processes of its own): wall p50 / p99 / p99.9 ms`,
      `${realCur.wallMs.p50} / ${realCur.wallMs.p99} / ${realCur.wallMs.p999}`,
      realBase ? `${realBase.wallMs.p50} / ${realBase.wallMs.p99} / ${realBase.wallMs.p999}` : null,
      realBase ? round(realBase.wallMs.p50 / realCur.wallMs.p50, 2) : null,
      'p99 < 1 ms',
    ],
    [
      "the same with each text's privacy scan given (its first scan's result reused, measured only): wall p50 / p99 / p99.9 ms",
      `${realGiven.wallMs.p50} / ${realGiven.wallMs.p99} / ${realGiven.wallMs.p999}`,
      null,
      null,
      '',
    ],
    [
      'steps p50 ms: scan+assess / policy (learner lookup) / record (commit p50)',
      `${cur.stepsWallMs.scanAssess.p50} / ${cur.stepsWallMs.policy.p50} / ${cur.stepsWallMs.record.p50} (${cur.insertWallMs.p50})`,
      base
        ? `${base.stepsWallMs.scanAssess.p50} / ${base.stepsWallMs.policy.p50} / ${base.stepsWallMs.record.p50} (${base.insertWallMs.p50})`
        : null,
      null,
      '',
    ],
    [
      'slowest 1%: share on CPU / in the commit / in GC',
      `${cur.slowest1pct.cpuShare} / ${cur.slowest1pct.insertShare} / ${cur.slowest1pct.gcShare}`,
      null,
      null,
      '',
    ],
  ];
  return { name: 'decision-latency', figures: { rounds, perRound, realRuns, ...figures }, table };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (n) => option(n);
  const num = (n) => (arg(n) === undefined ? undefined : Number(arg(n)));
  if (process.argv.includes('--real-phase')) {
    // a child of run(): one build's real-text phase, its raw samples as JSON on stdout
    const r = await realPhase({ dist: resolve(arg('--dist')), decisions: num('--decisions'), offset: num('--offset') ?? 0 });
    process.stdout.write(JSON.stringify(r));
  } else {
    const r = await run({
      baseline: arg('--baseline'),
      quick: process.argv.includes('--quick'),
      rounds: num('--rounds'),
      perRound: num('--per-round'),
      realRuns: num('--real-runs'),
      secret: process.argv.includes('--secret'),
    });
    console.log(JSON.stringify(r.figures, null, 1));
    for (const row of r.table) console.error(row.map((x) => (x === null ? '' : String(x))).join(' | '));
  }
}
