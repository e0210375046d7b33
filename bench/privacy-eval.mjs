#!/usr/bin/env node
// Evaluates the privacy scanner on a JSONL file of { text, sensitive, id?, categories?, class? } rows.
//
//   npx tsc -p tsconfig.json && node bench/privacy-eval.mjs data/router/privacy-tune-2.jsonl [more.jsonl ...]
//   node bench/privacy-eval.mjs <file> --baseline <path/to/an older dist/engine/privacy/privacy.js (or dist/engine/router/privacy.js before the move)>
//   node bench/privacy-eval.mjs --speed [--baseline <privacy.js>]     8 KB prompt scan time, both scanners interleaved:
//     the benchmarks' two prompts, then 8 KB of real files (bench/_real-prompts.mjs), holdout and tune halves
//
// Prints, per file: misses (sensitive rows not flagged) and false flags (harmless rows flagged), each by row id
// (or line number) with the categories and rules found or expected. Never prints a matched value or the text.
// Exit code 1 when a file has a miss or more than 3% of its harmless rows flagged.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, percentile, round } from './_util.mjs';

const loadMine = () => import(pathToFileURL(join(root, 'dist', 'engine', 'privacy', 'privacy.js')).href);
const readRows = (file) =>
  readFileSync(resolve(file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = JSON.parse(l);
      if (typeof r.text !== 'string' || typeof r.sensitive !== 'boolean')
        throw new Error(`${file} line ${i + 1}: each row needs text (string) and sensitive (boolean)`);
      return r;
    });

function evaluate(scan, rows) {
  const misses = [];
  const falseFlags = [];
  for (const [i, r] of rows.entries()) {
    const id = r.id ?? `line ${i + 1}`;
    const s = scan(r.text);
    const cats = [...new Set(s.findings.map((f) => f.category))];
    if (r.sensitive && !s.sensitive)
      misses.push(`${id}${r.class ? ` [${r.class}]` : ''}: expected ${JSON.stringify(r.categories ?? [])}, found nothing`);
    if (!r.sensitive && s.sensitive)
      falseFlags.push(
        `${id}${r.class ? ` [${r.class}]` : ''}: flagged ${JSON.stringify(cats)} by ${JSON.stringify([...new Set(s.findings.map((f) => f.rule))])}`,
      );
  }
  const sens = rows.filter((r) => r.sensitive).length;
  const harm = rows.length - sens;
  return {
    rows: rows.length,
    sensitive: sens,
    harmless: harm,
    missed: misses.length,
    falselyFlagged: falseFlags.length,
    fpRate: harm ? round(falseFlags.length / harm, 4) : 0,
    misses,
    falseFlags,
  };
}

/** As a module of `npm run bench`: the labelled sets in data/router/ (those present), misses and false-flag rate. */
export async function run() {
  const mine = await loadMine();
  const table = [];
  const figures = {};
  for (const f of ['privacy-set.jsonl', 'privacy-tune-2.jsonl', 'privacy-blind.jsonl']) {
    let rows;
    try {
      rows = readRows(join(root, 'data', 'router', f));
    } catch {
      continue;
    }
    const e = evaluate(mine.scanPrivacy, rows);
    figures[f] = { rows: e.rows, missed: e.missed, falselyFlagged: e.falselyFlagged, fpRate: e.fpRate };
    table.push([`privacy ${f}: sensitive rows missed (of ${e.sensitive})`, e.missed, null, null, '0']);
    table.push([
      `privacy ${f}: harmless rows flagged % (of ${e.harmless})`,
      round(e.fpRate * 100, 1),
      null,
      null,
      f === 'privacy-set.jsonl' ? '<= 5' : '<= 3',
    ]);
  }
  return { name: 'privacy-eval', figures, table };
}

async function main() {
  const mine = await loadMine();
  const args = process.argv.slice(2);
  const flag = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const baselinePath = flag('--baseline');
  const speed = args.includes('--speed');
  const files = args.filter((a) => !a.startsWith('--'));
  if (!speed && files.length === 0) {
    console.error('usage: node bench/privacy-eval.mjs <file.jsonl> [...] [--baseline <privacy.js>] | --speed [--baseline <privacy.js>]');
    process.exitCode = 2;
    return;
  }

  const base = baselinePath ? await import(pathToFileURL(resolve(baselinePath)).href) : null;

  let failed = false;
  for (const file of files) {
    const rows = readRows(file);
    const now = evaluate(mine.scanPrivacy, rows);
    console.log(`\n== ${file}: ${now.rows} rows (${now.sensitive} sensitive, ${now.harmless} harmless)`);
    console.log(`scanner: ${now.missed} missed, ${now.falselyFlagged} falsely flagged (${round(now.fpRate * 100, 1)}% of harmless)`);
    for (const m of now.misses) console.log(`  MISS  ${m}`);
    for (const f of now.falseFlags) console.log(`  FLAG  ${f}`);
    if (base) {
      const b = evaluate(base.scanPrivacy, rows);
      console.log(
        `baseline (${baselinePath}): ${b.missed} missed, ${b.falselyFlagged} falsely flagged (${round(b.fpRate * 100, 1)}% of harmless)`,
      );
    }
    if (now.missed > 0 || now.fpRate > 0.03) failed = true;
  }

  if (speed) {
    // The 8 KB prompts of bench/router.mjs (code + log lines), plus one with non-ASCII text and an encoded blob.
    const { buildPrompts } = await import('./_privacy-prompts.mjs');
    const prompts = buildPrompts();
    const N = Number(process.env.PRIVACY_SPEED_N ?? 3000);
    const time = (scan, text) => {
      const t = [];
      const c = [];
      for (let i = 0; i < 200; i++) scan(text);
      return { t, c };
    };
    for (const [name, text] of Object.entries(prompts)) {
      const a = time(mine.scanPrivacy, text);
      const b = base ? time(base.scanPrivacy, text) : null;
      // interleaved, so both see the same machine load
      for (let i = 0; i < N; i++) {
        for (const [scan, acc] of base
          ? [
              [mine.scanPrivacy, a],
              [base.scanPrivacy, b],
            ]
          : [[mine.scanPrivacy, a]]) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          scan(text);
          acc.t.push(performance.now() - t0);
          const d = process.cpuUsage(c0);
          acc.c.push((d.user + d.system) / 1000);
        }
      }
      const sum = (x) => ({
        p50: round(percentile(x.t, 50), 4),
        p99: round(percentile(x.t, 99), 4),
        cpuP50: round(percentile(x.c, 50), 4),
        cpuP99: round(percentile(x.c, 99), 4),
      });
      console.log(
        `\nspeed ${name} (${text.length} chars, ${N} scans each, ms): scanner ${JSON.stringify(sum(a))}${b ? `  baseline ${JSON.stringify(sum(b))}` : ''}`,
      );
    }
    // 8 KB cut from real files (bench/_real-prompts.mjs: docs, code, translated messages, JSON), each scanned
    // PRIVACY_SPEED_REPS times in rounds, both scanners interleaved; per text its median, then per kind and split
    // the median, 90th percentile and worst of those
    const { realPrompts } = await import('./_real-prompts.mjs');
    const real = realPrompts();
    const reps = Number(process.env.PRIVACY_SPEED_REPS ?? 9);
    const scanners = base
      ? [
          ['scanner', mine.scanPrivacy],
          ['baseline', base.scanPrivacy],
        ]
      : [['scanner', mine.scanPrivacy]];
    const times = new Map(scanners.map(([n]) => [n, real.map(() => [])]));
    for (const [, scan] of scanners) for (const p of real) scan(p.text);
    for (let r = 0; r < reps; r++)
      real.forEach((p, i) => {
        for (const [n, scan] of r % 2 ? [...scanners].reverse() : scanners) {
          const t0 = performance.now();
          scan(p.text);
          times.get(n)[i].push(performance.now() - t0);
        }
      });
    console.log(
      `\nspeed of real 8 KB texts (${real.length} files from node_modules, ${reps} scans each, ms: median / p90 / worst of the texts' medians)`,
    );
    for (const split of ['holdout', 'tune'])
      for (const kind of ['docs', 'code', 'i18n', 'data', 'all']) {
        const idx = real.map((p, i) => i).filter((i) => real[i].split === split && (kind === 'all' || real[i].kind === kind));
        const cells = scanners.map(([n]) => {
          const med = idx.map((i) => percentile(times.get(n)[i], 50));
          return `${n} ${round(percentile(med, 50), 3)} / ${round(percentile(med, 90), 3)} / ${round(Math.max(...med), 3)}`;
        });
        console.log(`  ${split.padEnd(7)} ${kind.padEnd(4)} (${String(idx.length).padStart(2)}): ${cells.join('   ')}`);
      }
    // a new text: each holdout text scanned once by a process prepared by bench/_scan-first.mjs, PRIVACY_SPEED_PROCS
    // processes per case, alternating; per text the median of its first scans, then the median, 90th percentile and
    // worst of those, and their sum (what the 40 first decisions of a session would spend in the scan)
    const procs = Number(process.env.PRIVACY_SPEED_PROCS ?? 5);
    const own = join(root, 'dist', 'engine', 'privacy', 'privacy.js');
    const cases = [
      ['scanner, warmed on the tune half', own, 'tune'],
      ...(base ? [['baseline, warmed on the tune half', resolve(baselinePath), 'tune']] : []),
      ['scanner, fresh process', own, 'cold'],
      ...(base ? [['baseline, fresh process', resolve(baselinePath), 'cold']] : []),
      ['scanner, fresh process after its warm-up (privacy/warm-up.ts)', own, 'warm-up'],
    ];
    const runs = cases.map(() => []);
    for (let k = 0; k < procs; k++)
      for (const j of k % 2 ? [...cases.keys()].reverse() : [...cases.keys()]) {
        const out = execFileSync(process.execPath, [join(root, 'bench', '_scan-first.mjs'), cases[j][1], cases[j][2]], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        runs[j].push(JSON.parse(out));
      }
    console.log(
      `\nnew texts: the holdout half's first scans (${procs} processes per case; ms: median / p90 / worst / sum of the texts' medians)`,
    );
    cases.forEach(([name], j) => {
      const med = runs[j][0].first.map((_, i) =>
        percentile(
          runs[j].map((r) => r.first[i]),
          50,
        ),
      );
      const prep = percentile(
        runs[j].map((r) => r.prepMs),
        50,
      );
      console.log(
        `  ${name}: ${round(percentile(med, 50), 3)} / ${round(percentile(med, 90), 3)} / ${round(Math.max(...med), 3)} / ${round(
          med.reduce((a, b) => a + b, 0),
          1,
        )}${cases[j][2] === 'warm-up' ? ` (the warm-up took ${round(prep, 0)} ms)` : ''}`,
      );
    });
  }
  process.exitCode = failed ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
