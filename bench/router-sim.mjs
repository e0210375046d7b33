// Routing simulator (the distribution is fixed in bench/router-sim.md, written before it was run):
// learned routing (the router's nearest-neighbour learner on an hnswlib graph), the plain exact-scan
// nearest-neighbour vote over the same outcomes, and static rules, side by side on identical task streams
// with noisy feedback and a model swap halfway. (The @ruvector/sona learner was measured here too and
// removed: see bench/router-sim.md.)
import { join } from 'node:path';
import { root, percentile, round, tempDir } from './_util.mjs';

const R = await import(join(root, 'dist', 'engine', 'router', 'index.js'));
const { openDatabase } = await import(join(root, 'dist', 'engine', 'store', 'db.js'));
const { SqliteDecisionsRepo, SqliteOutcomesRepo } = await import(join(root, 'dist', 'engine', 'store', 'sqlite', 'decisions.js'));
const repos = (db) => ({ decisions: new SqliteDecisionsRepo(db), outcomes: new SqliteOutcomesRepo(db) });

function lcg(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const pick = (r, a) => a[Math.floor(r() * a.length)];
function gauss(r) {
  const u = Math.max(1e-12, r());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const clamp = (x) => Math.max(0, Math.min(1, x));

// 16 families; the wording is written without regard to the difficulty assigned below.
const T = (parts) => (r) => parts.map((p) => (Array.isArray(p) ? pick(r, p) : p)).join('');
const FAMILIES = [
  T([
    'Translate to ',
    ['French', 'German', 'Spanish', 'Portuguese', 'Dutch'],
    ': "',
    ['Your parcel is on its way.', 'The meeting moved to Friday.', 'Thanks for the quick reply.', 'Please sign the attached form.'],
    '"',
  ]),
  T([
    'Summarize the ',
    ['release notes', 'meeting notes', 'support thread', 'status update'],
    ' below in ',
    ['two', 'three', 'four'],
    ' bullet points for the ',
    ['team', 'customer', 'manager'],
    '.',
  ]),
  T([
    'Write a ',
    ['Python', 'JavaScript', 'Go', 'Rust'],
    ' function that ',
    ['parses', 'validates', 'normalizes'],
    ' ',
    ['phone numbers', 'postal codes', 'currency amounts', 'dates'],
    ' from ',
    ['user input', 'a CSV column', 'form fields'],
    '.',
  ]),
  T([
    'Design the ',
    ['database schema', 'REST API', 'event model', 'permission model'],
    ' for a ',
    ['bakery', 'book club', 'dog walking', 'recipe sharing'],
    ' app and explain the trade-offs you made.',
  ]),
  T([
    'Explain why our ',
    ['Kafka consumers', 'Postgres replicas', 'Redis cluster', 'Kubernetes pods'],
    ' ',
    ['lag', 'stall', 'restart', 'drop messages'],
    ' under ',
    ['peak load', 'a network partition', 'rolling deploys'],
    ' and how to fix it for good.',
  ]),
  T([
    'Classify these ',
    ['support tickets', 'app reviews', 'survey answers'],
    ' as ',
    ['bug, billing or feature request', 'positive, neutral or negative', 'urgent or not urgent'],
    '.',
  ]),
  T([
    'Write a SQL query that finds ',
    ['customers', 'accounts', 'devices', 'stores'],
    ' whose ',
    ['monthly spend', 'error rate', 'weekly logins', 'refund count'],
    ' ',
    ['grew three months in a row', 'is above their own 90-day median', 'dropped after the price change'],
    '.',
  ]),
  T([
    'Review the ',
    ['onboarding', 'checkout', 'password reset', 'invoice'],
    ' flow of our app and list every way a user could get stuck, with a fix for each.',
  ]),
  T([
    'Draft a ',
    ['polite', 'short', 'friendly', 'firm'],
    ' reply to a customer asking about ',
    ['a late delivery', 'a double charge', 'a broken item', 'changing their plan'],
    '.',
  ]),
  T([
    'Prove that ',
    [
      'the sum of two odd numbers is even',
      'there is no largest prime',
      'the square root of 2 is irrational',
      'a tree with n nodes has n-1 edges',
    ],
    '.',
  ]),
  T([
    'Refactor this ',
    ['callback-based', 'class-based', 'deeply nested', 'global-state'],
    ' ',
    ['Node.js', 'Python', 'Java'],
    ' module so it is easier to test, without changing behaviour.',
  ]),
  T([
    'Extract the ',
    ['invoice number and total', 'sender and date', 'order id and address', 'names and roles'],
    ' from this ',
    ['email', 'PDF text', 'chat message', 'form'],
    ' as JSON.',
  ]),
  T([
    'Plan the migration of our ',
    ['monolith', 'on-prem database', 'cron jobs', 'auth system'],
    ' to ',
    ['microservices', 'a managed cloud database', 'a workflow engine', 'OIDC'],
    ' with zero downtime.',
  ]),
  T([
    'Rewrite this ',
    ['paragraph', 'error message', 'product description', 'tweet'],
    ' to be ',
    ['clearer', 'more formal', 'shorter', 'friendlier'],
    '.',
  ]),
  T([
    'Write unit tests for the ',
    ['retry', 'rate limiting', 'caching', 'pagination'],
    ' logic in our ',
    ['HTTP client', 'job queue', 'API gateway'],
    ', covering the edge cases.',
  ]),
  T([
    'Estimate how many ',
    ['servers', 'database shards', 'support agents', 'GPUs'],
    ' we need for ',
    ['10x traffic', 'the holiday peak', 'the new region', 'a million users'],
    ' and show the reasoning.',
  ]),
];
// Difficulty per family: evenly spaced 0.05..0.95, in a fixed shuffled order (seed 2026) unrelated to wording.
const BASE = (() => {
  const v = FAMILIES.map((_, i) => 0.05 + (0.9 * i) / (FAMILIES.length - 1));
  const r = lcg(2026);
  for (let i = v.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [v[i], v[j]] = [v[j], v[i]];
  }
  return v;
})();
const CAP = { small: { c: 0.35, label: '1.5B' }, medium: { c: 0.55, label: '8B' }, large: { c: 0.75, label: '32B' } };
const CLOUD_C = 0.97;
const SLOPE = 12;

function makeStream(n, seed) {
  const r = lcg(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const f = Math.floor(r() * FAMILIES.length);
    const text = FAMILIES[f](r);
    const hidden = r() < 0.3 ? 0.25 : 0;
    const d = clamp(BASE[f] + 0.08 * gauss(r) + hidden);
    out.push({ f, text, d, u: [r(), r(), r(), r()] });
  }
  return out;
}

/** The baseline: every outcome kept, every lookup scans them all (same k, threshold and weighting). */
class ExactKnn {
  constructor({ dim, minSimilarity = 0.6, maxHistory = 4096 }) {
    this.dim = dim;
    this.minSim = minSimilarity;
    this.cap = maxHistory;
    this.mem = new Map();
  }
  key(route, model) {
    return route === 'cloud' ? 'cloud' : `local:${model ?? ''}`;
  }
  add(route, vec, quality, model) {
    const k = this.key(route, model);
    const m = this.mem.get(k) ?? [];
    let n = 0;
    for (const x of vec) n += x * x;
    n = Math.sqrt(n) || 1;
    m.push({ v: Float32Array.from(vec, (x) => x / n), q: quality });
    if (m.length > this.cap) m.shift();
    this.mem.set(k, m);
  }
  evidence(route, vec, model) {
    const m = this.mem.get(this.key(route, model)) ?? [];
    let n = 0;
    for (const x of vec) n += x * x;
    n = Math.sqrt(n) || 1;
    const sims = [];
    for (const o of m) {
      let s = 0;
      for (let i = 0; i < vec.length; i++) s += (vec[i] / n) * o.v[i];
      if (s >= this.minSim) sims.push([s, o.q]);
    }
    sims.sort((a, b) => b[0] - a[0]);
    let w = 0;
    let q = 0;
    for (const [s, qq] of sims.slice(0, 16)) {
      w += s * s;
      q += s * s * qq;
    }
    return { samples: Math.min(16, sims.length), successRate: w > 0 ? q / w : null };
  }
  stats() {
    return { local: 0, cloud: 0, patterns: 0, localModels: 0 };
  }
}

const estimate = (i, o) => ({ localUsd: 0, cloudUsd: (i * 3 + o * 15) / 1e6, cloudModel: 'bench $3/$15 per Mtok' });

async function runScenario(kind, stream, from, to, dir) {
  const db = openDatabase(join(dir, `${kind}-${from}-${to}-${Math.random().toString(36).slice(2)}.db`), R.migrations);
  let tier = from;
  const local = () => ({
    available: true,
    modelId: `sim-${tier}`,
    latencyP50Ms: 900,
    backend: 'sim',
    model: { id: `sim-${tier}`, name: `sim-${tier}`, parameters: CAP[tier].label },
  });
  const router = new R.Router({
    ...repos(db),
    local,
    estimate,
    learning: kind !== 'static',
    ...(kind === 'exact' ? { learnerFactory: (o) => new ExactKnn(o) } : {}),
  });
  const half = stream.length / 2;
  let accepted = 0;
  let cloud = 0;
  let usd = 0;
  let after = 0;
  let afterN = 0;
  for (let i = 0; i < stream.length; i++) {
    if (i === half) tier = to;
    const t = stream[i];
    const explore = t.u[0] < 0.1;
    const d = await router.decide({ task: t.text, ...(explore ? { force: 'local' } : {}) });
    const c = d.route === 'cloud' ? CLOUD_C : CAP[tier].c;
    const ok = t.u[1] < sigmoid((c - t.d) * SLOPE);
    if (d.route === 'cloud') {
      cloud++;
      usd += d.estimate.cloudUsd;
    }
    if (ok) accepted++;
    if (i >= half && i < half + 500) {
      afterN++;
      if (ok) after++;
    }
    const reported = t.u[2] < 0.1 ? !ok : ok;
    await router.reportOutcome({ decisionId: d.decisionId, success: reported, quality: reported ? 0.9 : 0.1 });
  }
  await router.close();
  db.close();
  return { acceptance: accepted / stream.length, cloudShare: cloud / stream.length, cloudUsd: usd, afterSwap500: after / afterN };
}

/** Decision latency on 8 KB prompts with a learner that holds `n` outcomes. */
async function decisionLatency(kind, dir, n) {
  const db = openDatabase(join(dir, `lat-${kind}.db`), R.migrations);
  const local = () => ({
    available: true,
    modelId: 'sim-medium',
    latencyP50Ms: 900,
    backend: 'sim',
    model: { id: 'sim-medium', name: 'sim-medium', parameters: '8B' },
  });
  const router = new R.Router({ ...repos(db), local, estimate, ...(kind === 'exact' ? { learnerFactory: (o) => new ExactKnn(o) } : {}) });
  const stream = makeStream(n, 99);
  for (const t of stream) {
    const d = await router.decide({ task: t.text, force: t.u[0] < 0.5 ? 'local' : undefined });
    await router.reportOutcome({ decisionId: d.decisionId, success: t.u[1] < 0.5 });
  }
  const filler = 'The quarterly report covers revenue, churn and hiring across all regions. ';
  const prompt = ('Summarize this report for the team. ' + filler.repeat(120)).slice(0, 8192);
  const times = [];
  for (let i = 0; i < 1500; i++) {
    const t0 = performance.now();
    await router.decide({ task: prompt.slice(0, 8192 - (i % 7)) });
    times.push(performance.now() - t0);
  }
  await router.close();
  db.close();
  return { p50: round(percentile(times, 50), 4), p99: round(percentile(times, 99), 4) };
}

export async function run(opts = {}) {
  const n = opts.quick ? 1000 : 4000;
  const seeds = opts.quick ? [1] : [1, 2, 3];
  const dir = tempDir('router-sim-');
  const scenarios = [
    ['small', 'large'],
    ['large', 'small'],
  ];
  const kinds = ['static', 'learned', 'exact'];
  const results = {};
  for (const [from, to] of scenarios) {
    const key = `${from}->${to}`;
    results[key] = {};
    for (const kind of kinds) {
      const runs = [];
      for (const s of seeds) runs.push(await runScenario(kind, makeStream(n, s), from, to, dir));
      const mean = (k) => round(runs.reduce((a, x) => a + x[k], 0) / runs.length, 4);
      results[key][kind] = {
        acceptance: mean('acceptance'),
        cloudShare: mean('cloudShare'),
        cloudUsd: mean('cloudUsd'),
        afterSwap500: mean('afterSwap500'),
        perSeed: runs.map((x) => round(x.acceptance, 4)),
      };
    }
  }
  const latency = {
    learned: await decisionLatency('learned', dir, opts.quick ? 500 : 3000),
    exact: await decisionLatency('exact', dir, opts.quick ? 500 : 3000),
  };
  const table = [];
  for (const [key, byKind] of Object.entries(results)) {
    const { learned: L, exact: E, static: S } = byKind;
    table.push([
      `acceptance ${key}: learned / static rules`,
      L.acceptance,
      S.acceptance,
      round(L.acceptance / S.acceptance, 3),
      '> static',
    ]);
    table.push([
      `acceptance ${key}: learned / exact-scan nearest neighbours`,
      L.acceptance,
      E.acceptance,
      round(L.acceptance / E.acceptance, 3),
      '>= exact (within noise)',
    ]);
    table.push([`cloud share ${key}: learned / exact`, L.cloudShare, E.cloudShare, '', `static ${S.cloudShare}`]);
    table.push([`cloud $ ${key}: learned / exact`, round(L.cloudUsd, 3), round(E.cloudUsd, 3), '', `static ${round(S.cloudUsd, 3)}`]);
    table.push([
      `acceptance, 500 tasks after the swap ${key}: learned / exact`,
      L.afterSwap500,
      E.afterSwap500,
      '',
      `static ${S.afterSwap500}`,
    ]);
  }
  table.push([
    'decision p99 in process, 8 KB, learner with 3,000 outcomes: learned / exact (ms)',
    latency.learned.p99,
    latency.exact.p99,
    round(latency.learned.p99 / latency.exact.p99, 3),
    '< 1 ms',
  ]);
  return { tasks: n, seeds, families: FAMILIES.length, results, latency, table };
}
