// 8 KB prompts cut from real files a developer pastes, for timing the privacy scan and the routing decision on text
// that is not the benchmarks' own (bench/privacy-eval.mjs --speed, bench/decision-latency.mjs).
//
// The distribution, fixed before any tuning on it (seventh session of 2026-11-27): the first 8 KB of files that
// `npm ci` puts in node_modules (so a fresh machine has the same corpus for the same lock file), of four kinds:
//   docs  README.md and CHANGELOG.md of at least 8 KB (depth <= 3);
//   code  .js files of at least 8 KB (depth <= 4, not under a test folder);
//   i18n  TypeScript's translated diagnostic messages (typescript/lib/<lang>/diagnosticMessages.generated.json:
//         prose in 13 languages and scripts, with numbers);
//   data  other .json files of at least 8 KB.
// Files sorted by path, each kind taken evenly spread to at most `perKind`; alternate files (0, 2, 4, ...) are the
// `tune` half a speed change may be measured on while it is made, the others (1, 3, 5, ...) the `holdout` half that
// reports it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './_util.mjs';

const SIZE = 8192;

function walk(dir, depth, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    // (not dot-folders and files: node_modules/.vite holds vitest's results, rewritten by every test run)
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0 && e.name !== 'test' && e.name !== 'tests' && e.name !== '__tests__') walk(p, depth - 1, out);
    } else if (e.isFile()) out.push(p);
  }
}

function kindOf(rel) {
  if (/(^|\/)(README|CHANGELOG)\.md$/i.test(rel)) return 'docs';
  if (/^typescript\/lib\/[^/]+\/diagnosticMessages\.generated\.json$/.test(rel)) return 'i18n';
  if (rel.endsWith('.json')) return 'data';
  if (rel.endsWith('.js')) return 'code';
  return null;
}

/** Evenly spread picks of at most `n` from `a` (all of it when shorter). */
function spread(a, n) {
  if (a.length <= n) return a;
  return Array.from({ length: n }, (_, i) => a[Math.floor((i * a.length) / n)]);
}

/**
 * The corpus: `{ kind, split, file, text }` for each picked file (text: its first 8 KB, UTF-8 decoded, cut to 8,192
 * code units). `perKind` caps each kind (default 24).
 */
export function realPrompts({ perKind = 24 } = {}) {
  const base = join(root, 'node_modules');
  const files = [];
  walk(base, 4, files);
  const byKind = new Map();
  for (const f of files.sort()) {
    const rel = relative(base, f);
    const kind = kindOf(rel);
    if (kind === null) continue;
    const depth = rel.split('/').length - 1;
    if ((kind === 'docs' && depth > 3) || statSync(f).size < SIZE) continue;
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind).push(rel);
  }
  const out = [];
  for (const kind of ['docs', 'code', 'i18n', 'data'])
    spread(byKind.get(kind) ?? [], perKind).forEach((rel, i) => {
      const text = readFileSync(join(base, rel), 'utf8').slice(0, SIZE);
      if (text.length === SIZE) out.push({ kind, split: i % 2 === 0 ? 'tune' : 'holdout', file: rel, text });
    });
  return out;
}
