#!/usr/bin/env node
// Evaluates the complexity scorer (local vs cloud) on JSONL files of { text, label: "local" | "cloud", split?, id? } rows.
//
//   npx tsc -p tsconfig.json && node bench/complexity-eval.mjs data/router/complexity-fresh.jsonl
//   node bench/complexity-eval.mjs <file.jsonl> [more.jsonl ...] --baseline <dir> [--tier small|medium|large] [--split <name>] [--list]
//   node bench/complexity-eval.mjs --speed [--baseline <dir>]    per-call scoring time on 8 KB prompts, both builds interleaved
//
// <dir> is a baseline build: a checkout whose `dist/` was compiled (e.g. `git archive main | tar -x -C /tmp/base`,
// then `npx tsc -p tsconfig.json` there), or that `dist/` itself. The current build is this repository's `dist/`.
// A task is predicted "cloud" when its score reaches the balanced strategy's threshold (CLOUD_THRESHOLD) shifted by
// the local model's capability tier (--tier; default medium, what the router assumes when a model's size is unknown
// and the tier the thresholds were calibrated for). Rows are grouped by `split` when they have one.
// Prints, per file and split: agreement, cloud ("hard") tasks escalated, local tasks kept, for each build;
// --list adds every disagreement of the current build (id, label, score, text).
import { existsSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, percentile, median, round } from './_util.mjs';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
};
const baselineDir = opt('--baseline');
const tier = opt('--tier') ?? 'medium';
const onlySplit = opt('--split');
const list = flag('--list');
const speed = flag('--speed');
const files = args;

function distOf(dir) {
  for (const d of [join(dir, 'dist'), dir]) if (existsSync(join(d, 'engine', 'router', 'complexity.js'))) return d;
  throw new Error(`${dir}: no compiled engine/router/complexity.js in it or in its dist/ (run npx tsc -p tsconfig.json there)`);
}

async function load(dir) {
  const dist = distOf(dir);
  const cx = await import(pathToFileURL(join(dist, 'engine', 'router', 'complexity.js')).href);
  const capPath = join(dist, 'engine', 'router', 'capability.js');
  const shift = existsSync(capPath) ? (await import(pathToFileURL(capPath).href)).assessCapability(null, tier).thresholdShift : 0;
  const at = cx.CLOUD_THRESHOLD + shift;
  return { dist, at, assess: cx.assessComplexity, predict: (t) => (cx.assessComplexity(t).score >= at ? 'cloud' : 'local') };
}

const readRows = (file) =>
  readFileSync(resolve(file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = JSON.parse(l);
      if (typeof r.text !== 'string' || (r.label !== 'local' && r.label !== 'cloud'))
        throw new Error(`${file} line ${i + 1}: each row needs text (string) and label ("local" or "cloud")`);
      return { ...r, id: r.id ?? `line ${i + 1}` };
    });

function evaluate(build, rows) {
  let agree = 0;
  let hard = 0;
  let escalated = 0;
  let simple = 0;
  let kept = 0;
  const wrong = [];
  for (const r of rows) {
    const p = build.predict(r.text);
    if (p === r.label) agree++;
    else wrong.push(r);
    if (r.label === 'cloud') {
      hard++;
      if (p === 'cloud') escalated++;
    } else {
      simple++;
      if (p === 'local') kept++;
    }
  }
  return { rows: rows.length, agree, agreement: rows.length ? agree / rows.length : 0, hard, escalated, simple, kept, wrong };
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const line = (name, e) =>
  `  ${name.padEnd(10)} agreement ${pct(e.agreement).padStart(6)} (${e.agree}/${e.rows})   hard escalated ${e.escalated}/${e.hard} (${pct(e.hard ? e.escalated / e.hard : 0)})   local kept ${e.kept}/${e.simple}`;

async function evalFiles() {
  const mine = await load(root);
  const base = baselineDir ? await load(resolve(baselineDir)) : null;
  console.log(
    `tier ${tier}: cloud at score >= ${round(mine.at, 3)} (current ${mine.dist})${base ? `, >= ${round(base.at, 3)} (baseline ${base.dist})` : ''}`,
  );
  for (const f of files) {
    const all = readRows(f);
    const splits = [...new Set(all.map((r) => r.split ?? null))];
    for (const s of splits) {
      if (onlySplit && s !== onlySplit) continue;
      const rows = all.filter((r) => (r.split ?? null) === s);
      console.log(`\n${f}${s ? ` [split ${s}]` : ''}: ${rows.length} rows`);
      const e = evaluate(mine, rows);
      if (base) console.log(line('baseline', evaluate(base, rows)));
      console.log(line('current', e));
      if (list)
        for (const r of e.wrong) {
          const a = mine.assess(r.text);
          console.log(`    ${r.id} ${r.label} score ${a.score} (${a.taskType}) ${r.text.replace(/\s+/g, ' ').slice(0, 160)}`);
        }
    }
  }
}

/** 8 KB prompts of several shapes (prose with a question, code, a log, a task with a pasted report). */
function speedPrompts() {
  const para =
    'The quarterly report covers revenue, churn and hiring across our three regions. Sales grew in the north but fell in the south, where two large customers left after the price change. ';
  const code = 'function add(a, b) {\n  const s = a + b;\n  return s;\n}\n';
  const log = '2026-11-27T03:00:00Z INFO request id=42 path=/api/orders status=200 latency=12ms\n';
  const fill = (head, unit) => {
    let s = head;
    while (s.length < 8192) s += unit;
    return s.slice(0, 8192);
  };
  return [
    fill('Summarise this report for the leadership team in five bullets:\n\n', para),
    fill('Review our whole codebase for security issues and write a prioritised report. Here is one file:\n```js\n', code),
    fill('Why does our checkout fail only on phones since we moved to the new CDN? Logs:\n', log),
    fill('Should we keep the south region open, given these figures? ', para),
  ];
}

async function speedRun() {
  const builds = [['current', await load(root)]];
  if (baselineDir) builds.unshift(['baseline', await load(resolve(baselineDir))]);
  const prompts = speedPrompts();
  // Distinct strings each call (the scorer memoises the last text): a varying prefix.
  const variants = (p, i) => `${i % 97} ${p}`;
  const times = Object.fromEntries(builds.map(([n]) => [n, []]));
  // CPU time too: on a shared machine the wall-clock p99 is mostly the process waiting for a core.
  const cpu = Object.fromEntries(builds.map(([n]) => [n, []]));
  for (const [, b] of builds) for (let i = 0; i < 200; i++) b.assess(variants(prompts[i % prompts.length], i)); // warm-up
  for (let round_ = 0; round_ < 20; round_++)
    for (const [n, b] of builds)
      for (let i = 0; i < 100; i++) {
        const t = variants(prompts[i % prompts.length], round_ * 100 + i);
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        b.assess(t);
        times[n].push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu[n].push((c.user + c.system) / 1000);
      }
  for (const [n] of builds)
    console.log(
      `${n.padEnd(9)} 8 KB prompts, ${times[n].length} calls: wall median ${round(median(times[n]), 4)} ms, p99 ${round(percentile(times[n], 99), 4)} ms; ` +
        `CPU median ${round(median(cpu[n]), 4)} ms, p99 ${round(percentile(cpu[n], 99), 4)} ms`,
    );
}

if (speed) await speedRun();
else if (!files.length) {
  console.error(
    'usage: node bench/complexity-eval.mjs <file.jsonl> [...] [--baseline <dir>] [--tier small|medium|large] [--split <name>] [--list] | --speed [--baseline <dir>]',
  );
  process.exit(2);
} else await evalFiles();
