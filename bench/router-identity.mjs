#!/usr/bin/env node
// Same-run identity check of everything in a routing decision but the privacy scan, between this build (dist/) and a
// baseline build: for a speed change that must not change any output.
//   node bench/router-identity.mjs --baseline <dist dir of the older build> [--quick]
// The texts: every row of data/router/*.jsonl (the complexity sets and the privacy sets: short tasks, many with
// findings in their first line), the 8 KB real texts of bench/_real-prompts.mjs (findings mostly past the
// instruction), and each real text behind six instructions (a short one, one with a quotation, one with an email
// address in it, three that end just before or just after the 700 characters an instruction is cut to). Compared, as
// JSON or bytes:
//  1. complexity: assessComplexity and assessLexical (score, level, task type, every feature, the reasons) of each text
//     and of its redacted text, with and without context/messages options, called in the router's order (task, then
//     its redacted text) and again in a shuffled order (so no result leans on what the previous call left memoised);
//     complexityInstruction;
//  2. the learner's features: defaultFeaturize of each text and of its redacted text (Float32 bytes);
//  3. decisions: a Router of each build over SQLite, its learner holding the bench's 300 outcomes, deciding every text
//     in turn with strategies, constraints (minQuality reads the cloud's evidence) and force cycling, and an outcome
//     reported for two decisions in three (so later decisions find similar outcomes): each decision as returned
//     (without its random id), each stored row as read back (every column but id, created_at and latency_ms), the
//     counters, and the router's stats at the end.
// Exits 1 on any difference, printing the first few.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, tempDir, rng, option } from './_util.mjs';
import { realPrompts } from './_real-prompts.mjs';

const args = process.argv.slice(2);
const baseline = option('--baseline');
if (!baseline) {
  console.error('usage: node bench/router-identity.mjs --baseline <dist dir of the older build> [--quick]');
  process.exit(2);
}
const quick = args.includes('--quick');
// (the routers' warnings, e.g. a sensitive task forced to the cloud, are expected here)
process.env.RUVLLM_MCP_LOG_LEVEL ??= 'error';

async function load(dist) {
  const imp = (p) => import(pathToFileURL(join(dist, 'engine', ...p.split('/'))).href);
  const R = await imp('router/index.js');
  return {
    dist,
    R,
    cx: await imp('router/complexity.js'),
    learner: await imp('router/learner.js'),
    db: await imp('store/db.js'),
    sqlite: await imp('store/sqlite/decisions.js'),
  };
}
const builds = [await load(resolve(baseline)), await load(join(root, 'dist'))];

// ---- the texts
const labelled = [];
for (const f of readdirSync(join(root, 'data', 'router'))
  .filter((f) => f.endsWith('.jsonl'))
  .sort())
  for (const line of readFileSync(join(root, 'data', 'router', f), 'utf8').split('\n'))
    if (line.trim()) {
      const r = JSON.parse(line);
      if (typeof r.text === 'string' && r.text.trim()) labelled.push(r.text);
    }
const real = realPrompts().map((p) => p.text);
const heads = [
  'Summarize what this file does and what could go wrong in production:\n\n',
  'Classify these: "app crashes on start", then review the rest for our compliance audit:\n',
  'Forward this to jane.doe@example.com after you check whether the config below is safe:\n\n',
];
// and instructions that end just before and just after the 700 characters an instruction is cut to
const long = (n) => 'Review the following configuration for problems and explain each one; '.repeat(12).slice(0, n);
heads.push(long(698) + '\n\n', long(701) + ':\n', long(699) + '\n```');
const texts = [...labelled, ...real, ...real.flatMap((t) => heads.map((h) => h + t))];
const corpus = quick ? texts.filter((_, i) => i % 7 === 0 || i >= labelled.length) : texts;
console.error(
  `texts: ${labelled.length} labelled rows, ${real.length} real 8 KB texts, ${real.length * heads.length} real texts behind an instruction; checking ${corpus.length}`,
);

let differences = 0;
const shown = [];
function same(what, a, b) {
  if (a === b) return;
  differences++;
  if (shown.length < 8) shown.push(`${what}\n  baseline: ${String(a).slice(0, 400)}\n  current:  ${String(b).slice(0, 400)}`);
}
const bytes = (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');

// ---- 1 and 2: complexity and features, per text
const redacted = corpus.map((t) => builds[0].R.scanPrivacy(t).redacted);
let withFindings = 0;
for (let i = 0; i < corpus.length; i++) {
  if (redacted[i] !== corpus[i]) withFindings++;
  same(`redacted text of #${i}`, redacted[i], builds[1].R.scanPrivacy(corpus[i]).redacted);
}
const optsList = [undefined, { contextTokens: 5000, messages: 12 }];
function complexityOf(b, i, o) {
  const t = o.redacted ? redacted[i] : corpus[i];
  return JSON.stringify([
    b.cx.assessComplexity(t, o.opts),
    b.cx.assessLexical(t, o.opts),
    b.cx.complexityInstruction(t),
    bytes(b.learner.defaultFeaturize(t)),
  ]);
}
let complexityCalls = 0;
function pass(order) {
  for (const [i, o] of order) {
    const r = builds.map((b) => complexityOf(b, i, o));
    complexityCalls++;
    same(`complexity/features of #${i} ${o.redacted ? '(redacted)' : ''} opts ${JSON.stringify(o.opts)}`, r[0], r[1]);
  }
}
const routerOrder = [];
for (let i = 0; i < corpus.length; i++)
  for (const opts of optsList) for (const red of [false, true]) routerOrder.push([i, { redacted: red, opts }]);
pass(routerOrder);
const r = rng(11);
const shuffled = routerOrder
  .map((x) => [r(), x])
  .sort((a, b) => a[0] - b[0])
  .map(([, x]) => x);
pass(shuffled);
console.error(`complexity and features: ${complexityCalls} calls of each build compared (${withFindings} texts with findings)`);

// ---- 3: decisions and what is stored
async function decisions(b) {
  const db = b.db.openDatabase(join(tempDir('router-identity-'), 'd.db'), b.R.migrations);
  let clock = 1_700_000_000_000;
  const router = new b.R.Router({
    decisions: new b.sqlite.SqliteDecisionsRepo(db),
    outcomes: new b.sqlite.SqliteOutcomesRepo(db),
    local: () => ({ available: true, modelId: 'bench-local', latencyP50Ms: 900, backend: 'llama-cpp', contextTokens: 32768 }),
    estimate: (i, o) => ({ localUsd: 0, cloudUsd: (i * 3 + o * 15) / 1e6, cloudModel: 'bench' }),
    now: () => (clock += 1000),
  });
  await router.learningReady;
  for (let i = 0; i < 300; i++) {
    const d = await router.decide({ task: `Translate to French: the order ${i} has shipped`, force: i % 2 ? 'local' : undefined });
    await router.reportOutcome({ decisionId: d.decisionId, success: i % 3 > 0 });
  }
  const strategies = b.R.STRATEGIES ?? ['balanced', 'cost_optimized', 'quality_optimized', 'latency_optimized', 'privacy_first'];
  const out = [];
  for (let i = 0; i < corpus.length; i++) {
    const input = {
      task: corpus[i],
      strategy: strategies[i % strategies.length],
      ...(i % 4 === 1 ? { constraints: { minQuality: 0.8 } } : {}),
      ...(i % 4 === 3 ? { constraints: { maxCostUsd: 0.001, maxLatencyMs: 2000 } } : {}),
      ...(i % 11 === 5 ? { force: 'cloud' } : i % 11 === 7 ? { force: 'local' } : {}),
      ...(i % 5 === 2 ? { messages: [{ role: 'user', content: corpus[(i * 7) % corpus.length] }], contextTokens: 1200 } : {}),
    };
    const d = await router.decide(input);
    const { decisionId, ...rest } = d;
    out.push(JSON.stringify(rest));
    if (i % 3 !== 0) await router.reportOutcome({ decisionId, success: i % 5 !== 0, ...(i % 2 ? { quality: (i % 10) / 10 } : {}) });
  }
  const rows = db
    .prepare('SELECT * FROM router_decisions ORDER BY rowid')
    .all()
    .map(({ id: _id, created_at: _createdAt, latency_ms: _latencyMs, features, ...row }) =>
      JSON.stringify({ ...row, features: features ? features.toString('hex') : null }),
    );
  const counters = JSON.stringify(db.prepare('SELECT * FROM router_counters ORDER BY metric, key').all());
  const stats = JSON.stringify(await router.stats());
  await router.close();
  db.close();
  return { out, rows, counters, stats };
}
const [d0, d1] = [await decisions(builds[0]), await decisions(builds[1])];
same('decisions made', d0.out.length, d1.out.length);
d0.out.forEach((x, i) => same(`decision #${i}`, x, d1.out[i]));
same('stored rows', d0.rows.length, d1.rows.length);
d0.rows.forEach((x, i) => same(`stored row #${i}`, x, d1.rows[i]));
same('counters', d0.counters, d1.counters);
same('stats', d0.stats, d1.stats);
const learned = d0.out.filter((x) => JSON.parse(x).learned?.samples > 0).length;
console.error(
  `decisions: ${d0.out.length} of each build compared (${learned} with learned evidence), ${d0.rows.length} stored rows, counters, stats`,
);

for (const s of shown) console.error(s);
console.log(differences === 0 ? 'identical' : `${differences} difference(s)`);
process.exit(differences === 0 ? 0 : 1);
