#!/usr/bin/env node
// The steps of a routing decision other than the privacy scan, on the real 8 KB texts (bench/_real-prompts.mjs), this
// build (dist/) against a baseline build: each build, in processes of its own, takes the texts in turn and times
//  - complexity: assessComplexity of the task (what the assess step runs), then the learner's features of its
//    redacted text (defaultFeaturize, which assesses the redacted text again), as the router calls them; and those
//    features alone on the texts where the scan found something (featuresFound: the redacted text differs);
//  - a whole decision of a Router of its own (SQLite in a temporary folder, a learner holding the 300 outcomes of
//    bench/decision-latency.mjs), its policy step (features, nearest-neighbour lookup, policy) and record step (the
//    decision object and its commit) timed by wrapping the router's private step methods, as that bench does;
//  - the same two steps of the bench prompt of bench/decision-latency.mjs (one 8 KB prompt): repeated, and each
//    decision right after a privacy scan of the next real text (benchPrompt*, afterScan*).
// Each build runs `rounds` child processes (two passes of warm-up, one timed pass over the texts each), the builds
// alternating A B B A A B ..., so drift falls on both alike; the figures are medians and 99th percentiles (wall ms).
//   node bench/decision-steps.mjs --baseline <dist dir of the older build> [--rounds 8]
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { root, percentile, round, benchRouter, option } from './_util.mjs';
import { realPrompts } from './_real-prompts.mjs';
import { prompt8k } from './_privacy-prompts.mjs';

const args = process.argv.slice(2);
const baseline = option('--baseline');
if (!baseline) {
  console.error('usage: node bench/decision-steps.mjs --baseline <dist dir of the older build> [--rounds 8]');
  process.exit(2);
}
const rounds = Number(option('--rounds') ?? 8);

const series = () => ({
  complexity: [],
  features: [],
  featuresFound: [],
  decision: [],
  policy: [],
  record: [],
  benchPromptPolicy: [],
  benchPromptRecord: [],
  afterScanPolicy: [],
  afterScanRecord: [],
});

async function build(name, dist) {
  const imp = (p) => import(pathToFileURL(join(dist, 'engine', ...p.split('/'))).href);
  const cx = await imp('router/complexity.js');
  const { defaultFeaturize } = await imp('router/learner.js');
  const { R, db, router } = await benchRouter(dist, { prefix: 'decision-steps-' });
  const t = series();
  const step = (key, fn) =>
    function (...a) {
      const t0 = performance.now();
      const r = fn.apply(this, a);
      if (r instanceof Promise) return r.then((x) => (t[key].push(performance.now() - t0), x));
      t[key].push(performance.now() - t0);
      return r;
    };
  router.policyStep = step('policy', router.policyStep.bind(router));
  router.record = step('record', router.record.bind(router));
  return { name, R, cx, defaultFeaturize, db, router, t };
}

const self = fileURLToPath(import.meta.url);
const texts = realPrompts().map((p) => p.text);

/** One build's run, in this process: two passes of warm-up, then `passes` timed passes over the texts. */
async function run(name, dist, passes) {
  const b = await build(name, dist);
  const redacted = texts.map((x) => b.R.scanPrivacy(x).redacted);
  async function once(i, keep) {
    const c0 = performance.now();
    b.cx.assessComplexity(texts[i], { contextTokens: 0, messages: 0 });
    const c1 = performance.now();
    b.defaultFeaturize(redacted[i]);
    const c2 = performance.now();
    await b.router.decide({ task: texts[i] });
    const c3 = performance.now();
    if (keep) {
      b.t.complexity.push(c1 - c0);
      b.t.features.push(c2 - c1);
      if (redacted[i] !== texts[i]) b.t.featuresFound.push(c2 - c1);
      b.t.decision.push(c3 - c2);
    } else {
      b.t.policy.pop();
      b.t.record.pop();
    }
  }
  for (let r = 0; r < 2; r++) for (let i = 0; i < texts.length; i++) await once(i, false);
  for (let r = 0; r < passes; r++)
    for (let i = 0; i < texts.length; i++) {
      await new Promise((res) => setImmediate(res));
      await once(i, true);
    }
  // Why the real texts' policy and record steps take longer than the bench prompt's: the bench prompt's decisions
  // repeated (as bench/decision-latency.mjs's first phase makes them), then each one right after a privacy scan of a
  // real text (what comes before a real text's policy step), the decision itself unchanged.
  const prompt = prompt8k(false);
  for (const [key, pre] of [
    ['benchPrompt', () => undefined],
    ['afterScan', (i) => b.R.scanPrivacy(texts[i])],
  ])
    for (let r = 0; r < passes; r++)
      for (let i = 0; i < texts.length; i++) {
        await new Promise((res) => setImmediate(res));
        pre(i);
        await b.router.decide({ task: prompt });
        b.t[`${key}Policy`].push(b.t.policy.pop());
        b.t[`${key}Record`].push(b.t.record.pop());
      }
  await b.router.close();
  b.db.close();
  return b.t;
}

if (args.includes('--child')) {
  process.stdout.write(JSON.stringify(await run(option('--name'), option('--dist'), Number(option('--passes')))));
  process.exit(0);
}

// each build in child processes of its own (two builds loaded in one process slow the second one's decisions about
// twofold: bench/decision-latency.mjs), one pass each, in the order A B B A A B ...
const dists = [
  ['baseline', resolve(baseline)],
  ['current', join(root, 'dist')],
];
const builds = dists.map(([name]) => ({ name, t: series() }));
for (let r = 0; r < rounds; r++)
  for (const k of r % 2 ? [1, 0] : [0, 1]) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [self, '--child', '--baseline', baseline, '--name', dists[k][0], '--dist', dists[k][1], '--passes', '1'],
      { maxBuffer: 1 << 26 },
    );
    const t = JSON.parse(stdout);
    for (const key of Object.keys(t)) builds[k].t[key].push(...t[key]);
  }

const p = (a, q) => round(percentile(a, q), 3);
const out = {};
for (const key of Object.keys(builds[0].t)) {
  const [a, c] = builds.map((b) => b.t[key]);
  out[key] = {
    baseline: { p50: p(a, 50), p99: p(a, 99) },
    current: { p50: p(c, 50), p99: p(c, 99) },
    ratioP50: round(p(a, 50) / p(c, 50), 2),
  };
}
console.log(JSON.stringify({ texts: texts.length, rounds, samples: builds[1].t.decision.length, steps: out }, null, 1));
for (const [key, v] of Object.entries(out))
  console.error(
    `${key.padEnd(11)} p50 / p99 ms: current ${v.current.p50} / ${v.current.p99}, baseline ${v.baseline.p50} / ${v.baseline.p99} (baseline / current p50 ${v.ratioP50})`,
  );
