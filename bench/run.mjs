#!/usr/bin/env node
// `npm run bench [-- --quick] [-- name ...]`: runs the benchmark modules in bench/,
// prints every figure as JSON (also saved to bench-results/latest.json) and as a table.
// Every module measures its own baseline in the same run; compare ratios, not absolutes.
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const only = args.filter((a) => !a.startsWith('--'));
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .map((f) => f.replace(/\.mjs$/, ''))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();

const results = [];
for (const name of modules) {
  const t0 = performance.now();
  process.stderr.write(`bench ${name}${quick ? ' (quick)' : ''} ...\n`);
  try {
    const mod = await import(pathToFileURL(join(here, `${name}.mjs`)).href);
    const r = await mod.run({ quick });
    results.push({ module: name, seconds: +((performance.now() - t0) / 1000).toFixed(1), ...r });
  } catch (e) {
    results.push({ module: name, error: String(e?.stack ?? e) });
    process.exitCode = 1;
  }
}

const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1) };
const out = { date: new Date().toISOString(), quick, machine, results };
mkdirSync(join(here, '..', 'bench-results'), { recursive: true });
writeFileSync(join(here, '..', 'bench-results', 'latest.json'), JSON.stringify(out, null, 2));
console.log(JSON.stringify(out, null, 2));

const fmt = (v) =>
  v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v);
const rows = [['module', 'measure', 'value', 'baseline (same run)', 'ratio', 'target']];
for (const r of results) {
  if (r.error) rows.push([r.module, 'ERROR', r.error.split('\n')[0], '', '', '']);
  for (const row of r.table ?? []) rows.push([r.module, ...row.map(fmt)]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
const line = (r) => '| ' + r.map((c, i) => String(c ?? '').padEnd(widths[i])).join(' | ') + ' |';
console.log('\n' + line(rows[0]) + '\n|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows.slice(1)) console.log(line(r));
