#!/usr/bin/env node
// Trains the learned half of the complexity scorer (src/engine/router/complexity-model.ts) on every labelled set in
// data/router/ and writes its weights to data/router/complexity-model.json. Deterministic: zero start, full-batch
// gradient descent with a fixed number of steps, rows in file order, weights rounded to 6 decimals.
//
//   npx tsc -p tsconfig.json && node bench/complexity-train.mjs            print the leave-one-round-out table, write the weights
//   node bench/complexity-train.mjs --check                                 same, but fail (exit 1) if the committed weights differ
//   node bench/complexity-train.mjs --no-write                              only the table
//   node bench/complexity-train.mjs --check --final-only                    only retrain the committed model and compare (a few seconds)
//
// The model reads the rules' features, hashed words and word pairs, and hashed character 4-grams of the instruction
// (complexity-model.ts); one sparse weight vector, written to the JSON as dense / hashed / chars.
// Leave-one-round-out: each labelled round (complexity-set, complexity-demands-tune, complexity-fresh rounds 1-4,
// complexity-fresh-5, complexity-train-6a, complexity-train-6b) is
// held out in turn; the model is trained on the others and its threshold set there (from out-of-fold logits of an
// inner leave-one-round-out, never from the held-out round). Three methods, medium tier:
//   (a) the hand-set lexical scorer alone (score >= CLOUD_THRESHOLD); it was tuned by hand on every round but
//       fresh-4, so its figures on the other rounds are in-sample, and its blind figures are in data/router/README.md;
//   (b) the learned model alone, its threshold the one with the best out-of-fold agreement in training;
//   (c) either says hard: lexical >= CLOUD_THRESHOLD or the model's logit >= a threshold set so that the union
//       escalates >= RECALL_TARGET of the hard tasks out-of-fold in training (the lexical half is in-sample on most training
//       rounds, so this threshold comes out too high to add much);
//   (c') either says hard, the model's threshold set so that the model alone escalates >= RECALL_TARGET (97%) of the
//       hard tasks out-of-fold in training (what the router used until train-6a/6b);
//   (d) either says hard, the model's threshold (b)'s: what the router uses (complexity.ts, assessComplexity). Over
//       all nine rounds it keeps about 20 more local tasks than (c') for one or two fewer hard tasks escalated.
// With --frozen (below) the held-out fresh rounds are read by the scorer as it was before each was written: the
// honest figures. Without it, (a) and the features are today's, tuned by hand on every round but fresh-4.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './_util.mjs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const write = !args.includes('--no-write') && !check;
const finalOnly = args.includes('--final-only');

const dist = join(root, 'dist', 'engine', 'router');
const cx = await import(pathToFileURL(join(dist, 'complexity.js')).href);
const cm = await import(pathToFileURL(join(dist, 'complexity-model.js')).href);

const LAMBDA = 0.001; // L2 on every weight but the bias (mean log-loss + LAMBDA/2 |w|^2)
const STEPS = 1500;
const LR = 0.05;
const MOMENTUM = 0.9;
const RECALL_TARGET = Number(process.env.RECALL_TARGET ?? 0.97);
const SCALE = 0.1; // score units per logit unit (complexity-model.ts, modelScore)

const read = (f) =>
  readFileSync(join(root, 'data', 'router', f), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
const rows = [
  ...read('complexity-set.jsonl').map((r) => ({ ...r, round: 'set' })),
  ...read('complexity-demands-tune.jsonl').map((r) => ({ ...r, round: 'demands' })),
  ...read('complexity-fresh.jsonl').map((r) => ({ ...r, round: r.split })),
  ...read('complexity-fresh-5.jsonl').map((r) => ({ ...r, round: 'fresh-5' })),
  ...read('complexity-train-6a.jsonl').map((r) => ({ ...r, round: 'train-6a' })),
  ...read('complexity-train-6b.jsonl').map((r) => ({ ...r, round: 'train-6b' })),
];
const ROUNDS = [...new Set(rows.map((r) => r.round))];
const nDense = cm.DENSE_FEATURES.length + cm.TASK_TYPES.length;
const nHash = 1 << cm.HASH_BITS;
const nChar = 1 << cm.CHAR_BITS;
// One weight vector: dense features, then word buckets, then character 4-gram buckets, then the bias.
const NF = nDense + nHash + nChar;

// --frozen fresh-3=<dir>: for that held-out round, read every row's lexical features and score with the scorer as
// it was frozen before the round was written (a directory holding its compiled complexity.js), so that neither the
// lexical half nor the features the model reads have seen the held-out round. Repeatable.
const frozen = new Map();
for (let i = 0; i < args.length; i++)
  if (args[i] === '--frozen') {
    const [round, dir] = args[++i].split('=');
    frozen.set(round, await import(pathToFileURL(join(dir, 'complexity.js')).href));
  }

function featurize(scorer) {
  return rows.map((r) => {
    const a = (scorer.assessLexical ?? scorer.assessComplexity)(r.text);
    const instr = cx.complexityInstruction(r.text);
    const idx = [];
    const val = [];
    const add = (i, x) => {
      idx.push(i);
      val.push(x);
    };
    cm.denseFeatures(a.features, a.taskType, a.score).forEach((x, i) => {
      if (x) add(i, x);
    });
    for (const h of cm.hashedFeatures(instr)) add(nDense + h, 1);
    for (const h of cm.charFeatures(instr)) add(nDense + nHash + h, 1);
    return {
      round: r.round,
      y: r.label === 'cloud' ? 1 : 0,
      lexical: a.score,
      at: scorer.CLOUD_THRESHOLD,
      idx: Int32Array.from(idx),
      val: Float64Array.from(val),
    };
  });
}
const data = featurize(cx);

function logit(w, d) {
  let z = w[NF];
  for (let k = 0; k < d.idx.length; k++) z += w[d.idx[k]] * d.val[k];
  return z;
}

function train(set) {
  const w = new Float64Array(NF + 1);
  const v = new Float64Array(NF + 1);
  const g = new Float64Array(NF + 1);
  const n = set.length;
  for (let step = 0; step < STEPS; step++) {
    g.fill(0);
    for (const d of set) {
      const e = (1 / (1 + Math.exp(-logit(w, d))) - d.y) / n;
      g[NF] += e;
      for (let k = 0; k < d.idx.length; k++) g[d.idx[k]] += e * d.val[k];
    }
    for (let i = 0; i < NF; i++) {
      v[i] = MOMENTUM * v[i] - LR * (g[i] + LAMBDA * w[i]);
      w[i] += v[i];
    }
    v[NF] = MOMENTUM * v[NF] - LR * g[NF];
    w[NF] += v[NF];
  }
  return w.map((x) => Math.round(x * 1e6) / 1e6);
}

/** Out-of-fold logits of `set` by leave-one-round-out over its own rounds. */
function outOfFold(set) {
  const z = new Map();
  for (const r of [...new Set(set.map((d) => d.round))]) {
    const w = train(set.filter((d) => d.round !== r));
    for (const d of set) if (d.round === r) z.set(d, logit(w, d));
  }
  return z;
}

const candidates = (zs) => [...new Set([...zs].map((x) => Math.round(x * 100) / 100))].sort((a, b) => a - b);

/** (b): the threshold with the best out-of-fold agreement (ties: the lower, which escalates more). */
function thresholdAlone(set, z) {
  let best = { t: 0, agree: -1 };
  for (const t of candidates(z.values())) {
    const agree = set.filter((d) => (z.get(d) >= t ? 1 : 0) === d.y).length;
    if (agree > best.agree) best = { t, agree };
  }
  return best.t;
}

/** (c): the highest threshold at which the union (lexical or model) escalates >= RECALL_TARGET of hard tasks out of fold. */
function thresholdUnion(set, z) {
  const hard = set.filter((d) => d.y === 1);
  let best = -Infinity;
  for (const t of candidates(z.values())) {
    const hit = hard.filter((d) => d.lexical >= d.at || z.get(d) >= t).length;
    if (hit / hard.length >= RECALL_TARGET) best = t;
  }
  return best;
}

/** (c'): the highest threshold at which the model alone escalates >= RECALL_TARGET of hard tasks out of fold. */
function thresholdRecall(set, z) {
  const hard = set.filter((d) => d.y === 1);
  let best = -Infinity;
  for (const t of candidates(z.values())) if (hard.filter((d) => z.get(d) >= t).length / hard.length >= RECALL_TARGET) best = t;
  return best;
}

function figures(set, predict) {
  let agree = 0;
  let hard = 0;
  let esc = 0;
  let kept = 0;
  for (const d of set) {
    const p = predict(d);
    if (p === d.y) agree++;
    if (d.y === 1) {
      hard++;
      if (p === 1) esc++;
    } else if (p === 0) kept++;
  }
  return { n: set.length, agree, hard, esc, local: set.length - hard, kept };
}

const fmt = (f) =>
  `${((100 * f.agree) / f.n).toFixed(1).padStart(5)}% ${`${f.esc}/${f.hard}`.padStart(5)} ${`${f.kept}/${f.local}`.padStart(5)}`;
console.log(`leave-one-round-out, medium tier (agreement, hard escalated, local kept)`);
console.log(
  `${'held out'.padEnd(9)} ${'(a) lexical'.padEnd(18)} ${'(b) learned'.padEnd(18)} ${'(c) either'.padEnd(18)} ${`(c') either, model ${Math.round(RECALL_TARGET * 100)}%`.padEnd(18)} ${'(d) either, at b (chosen)'.padEnd(18)} thresholds b / c / c'`,
);
const total = { a: [], b: [], c: [], c2: [], d: [] };
for (const r of finalOnly ? [] : ROUNDS) {
  const foldData = frozen.has(r) ? featurize(frozen.get(r)) : data;
  const trainSet = foldData.filter((d) => d.round !== r);
  const test = foldData.filter((d) => d.round === r);
  const z = outOfFold(trainSet);
  const tb = thresholdAlone(trainSet, z);
  const tc = thresholdUnion(trainSet, z);
  const tc2 = thresholdRecall(trainSet, z);
  const w = train(trainSet);
  const fa = figures(test, (d) => (d.lexical >= d.at ? 1 : 0));
  const fb = figures(test, (d) => (logit(w, d) >= tb ? 1 : 0));
  const fc = figures(test, (d) => (d.lexical >= d.at || logit(w, d) >= tc ? 1 : 0));
  const fc2 = figures(test, (d) => (d.lexical >= d.at || logit(w, d) >= tc2 ? 1 : 0));
  const fd = figures(test, (d) => (d.lexical >= d.at || logit(w, d) >= tb ? 1 : 0));
  for (const [k, f] of Object.entries({ a: fa, b: fb, c: fc, c2: fc2, d: fd })) total[k].push(f);
  console.log(
    `${(r + (frozen.has(r) ? '*' : '')).padEnd(9)} ${fmt(fa)}  ${fmt(fb)}  ${fmt(fc)}  ${fmt(fc2)}  ${fmt(fd)}  ${tb} / ${tc} / ${tc2}`,
  );
}
const sum = (fs) =>
  fs.reduce((s, f) => ({
    n: s.n + f.n,
    agree: s.agree + f.agree,
    hard: s.hard + f.hard,
    esc: s.esc + f.esc,
    local: s.local + f.local,
    kept: s.kept + f.kept,
  }));
if (!finalOnly)
  console.log(
    `${'all'.padEnd(9)} ${fmt(sum(total.a))}  ${fmt(sum(total.b))}  ${fmt(sum(total.c))}  ${fmt(sum(total.c2))}  ${fmt(sum(total.d))}`,
  );
if (frozen.size) console.log('* features and lexical decisions from the scorer frozen before that round was written (--frozen)');

// The committed model: trained on every round, its (c') threshold from out-of-fold logits over every round.
const zAll = outOfFold(data);
const w = train(data);
const model = {
  trainedOn: `${data.length} tasks of data/router/complexity-set.jsonl, complexity-demands-tune.jsonl, complexity-fresh.jsonl, complexity-fresh-5.jsonl and complexity-train-6a/6b.jsonl (${ROUNDS.join(', ')}); logistic regression over the lexical features, hashed words and word pairs and hashed character 4-grams, L2 ${LAMBDA}, ${STEPS} full-batch steps (bench/complexity-train.mjs); threshold: the model alone's best agreement out of fold; used as: cloud if the lexical score or the model says so`,
  hashBits: cm.HASH_BITS,
  bias: w[NF],
  dense: [...w.subarray(0, nDense)],
  hashed: [...w.subarray(nDense, nDense + nHash)],
  charBits: cm.CHAR_BITS,
  chars: [...w.subarray(nDense + nHash, NF)],
  threshold: thresholdAlone(data, zAll),
  scale: SCALE,
};
const out = JSON.stringify(model) + '\n';
const file = join(root, 'data', 'router', 'complexity-model.json');
if (check) {
  const same = readFileSync(file, 'utf8') === out;
  console.log(same ? 'committed weights reproduced exactly' : 'committed weights differ from a fresh training run');
  process.exit(same ? 0 : 1);
}
if (write) {
  writeFileSync(file, out);
  console.log(`wrote ${file} (threshold ${model.threshold})`);
}
