// Privacy scanner equivalence check: runs scanPrivacy over a fixed corpus and saves (or compares) every
// finding (category, start, end, rule) and the redacted text, so a speed change to the scanner can be shown
// to change no finding.
//
// Corpus: every text in data/router/*.jsonl, the 8 KB bench prompts (with and without a secret), 4 KB
// windows of the repo's src/**/*.ts and README.md (the committed files, read from git HEAD so the corpus
// does not move while the scanner is edited), and seeded random strings mixing keys, digits, base64,
// unicode look-alikes and invisible characters.
//
//   node bench/privacy-equivalence.mjs --write out.json [--dist dir]   # save findings
//   node bench/privacy-equivalence.mjs --check out.json [--dist dir]   # compare; exit 1 on any difference
//   node bench/privacy-equivalence.mjs --write-fixture [--dist dir]    # the sample test/router checks (no
//        src windows, 300 random strings; findings + a hash of each text) into test/privacy/fixtures/
//   options: --random N (default 4000), --rev <git rev> for the src/README windows (default HEAD at write time,
//   stored in the output so --check uses the same windows)
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { prompt8k } from './_privacy-prompts.mjs';
import { realPrompts } from './_real-prompts.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');

export function lcg(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOOKALIKE = [
  'а',
  'е',
  'о',
  'р',
  'с',
  'х',
  'А',
  'В',
  'Е',
  'К',
  'О',
  'Р',
  'Ѕ',
  'Α',
  'Ο',
  'ο',
  'ı',
  '０',
  '１',
  '７',
  'Ａ',
  'ｓ',
  'ｋ',
  '\u2013',
  '\u2019',
  '\u201c',
  '\u00a0',
  'ﬁ',
  '𝐀',
  '𝟗',
];
const INVISIBLE = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\u00ad',
  '\ufeff',
  '\u202e',
  '\u202c',
  '\u2066',
  '\u2069',
  '\ufe0f',
  '\u{e0041}',
  '\u180e',
];
const WORDS = [
  'password',
  'passwd',
  'pwd',
  'token',
  'api_key',
  'apiKey',
  'secret',
  'client_secret',
  'Authorization: Bearer',
  'X-Api-Key:',
  'the password is',
  'my token:',
  'DOB',
  'born',
  'date of birth',
  'SSN',
  'passport',
  'BSN',
  'DNI',
  'Steuer-ID',
  'Aadhaar',
  'PESEL',
  'CPF',
  'IBAN',
  'phone',
  'call',
  'tel',
  'mobile',
  'Telefon',
  'salary',
  'earns',
  'employee',
  'account',
  'patient',
  'diagnosed with',
  'diabetes',
  'metformin',
  'pt',
  'c/o',
  'BP',
  'HR',
  '45 yo M',
  '10 mg BID',
  'HTN',
  'fever',
  'cough',
  'Dr.',
  'Mr',
  'Frau',
  'Sarah Jones',
  'Rahul Mehta',
  'Sanne de Vries',
  'name:',
  'lives at',
  '221B Baker Street, London NW1 6XE',
  'Hauptstraße 12, 10115 Berlin',
  'new Client(',
  'createClient(',
  'hash(',
  'sha256:',
  'commit',
  'https://',
  'postgres://',
  '@',
  'user@example.com',
  'ana.perez@gmail.com',
  '-----BEGIN RSA PRIVATE KEY-----',
  '-----END RSA PRIVATE KEY-----',
  'Cookie: session=',
  'aws_account_id: 1234-5678-9012',
  'AWS_SECRET_ACCESS_KEY=',
  'https://hooks.slack.com/services/T0123ABCD/B0123ABCD/',
  ':x-oauth-basic@github.com/',
  'AccountKey=',
  'curl -u',
  '--password',
  'const',
  '=',
  ':',
  '"',
  "'",
  '(',
  ')',
  '\n',
  '\t',
  ' ',
  ' ',
  ' ',
  ',',
  ';',
  '.',
  'Germany',
  'Paris',
  'Madrid',
  '.de',
  '.fr',
  'Switzerland',
  '%',
  '%20',
  '%3D',
  'MRN',
  'discharge summary',
  'average salary',
  'template',
];
const KEY_PREFIXES = [
  'sk_live_',
  'sk_test_',
  'rk_live_',
  'ghp_',
  'gho_',
  'github_pat_',
  'xoxb-',
  'xoxp-',
  'AKIA',
  'ASIA',
  'AIza',
  'eyJ',
  'SK',
  'glpat-',
  'npm_',
  'sk-',
  'sk-proj-',
  'AGE-SECRET-KEY-1',
  'shpat_',
  'SG.',
  'pypi-',
  'dop_v1_',
  'hvs.',
  'hvb.',
  'vcp_',
  'vck_',
  'dapi',
  'dckr_pat_',
  'figd_',
  'ops_ey',
  'glc_eyJ',
  'glsa_',
  'gsk_',
  'hf_',
  'lin_api_',
  'ntn_',
  'sk-ant-api03-',
  'xapp-',
  'A3TX',
  'AIDA',
  'aws_secret_access_key = ',
  'AWS_ACCOUNT_ID=',
  'account: ',
  '_authToken=',
  'mongodb://u:',
  'postgres://',
  'mysql://',
  '',
];

function randomString(rnd) {
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const int = (n) => Math.floor(rnd() * n);
  const parts = [];
  const n = 1 + int(24);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.25) parts.push(pick(WORDS));
    else if (r < 0.4) {
      // a key: prefix + random base62 (sometimes base64 chars, hex, dots)
      let k = pick(KEY_PREFIXES);
      const len = 8 + int(60);
      const alpha = rnd() < 0.2 ? '0123456789abcdef' : rnd() < 0.2 ? B62 + '+/=-_.' : B62;
      for (let j = 0; j < len; j++) k += alpha[int(alpha.length)];
      parts.push(k);
    } else if (r < 0.55) {
      // digits with separators: phones, cards, ids, dates
      const groups = 1 + int(5);
      const sep = pick(['', ' ', '-', '.', '/', ' ', '']);
      const g = [];
      for (let j = 0; j < groups; j++) {
        let d = '';
        const len = 1 + int(6);
        for (let q = 0; q < len; q++) d += String(int(10));
        g.push(d);
      }
      parts.push((rnd() < 0.15 ? '+' : '') + g.join(sep));
    } else if (r < 0.63) {
      // base64 / hex / url-encoding of a fragment with a secret
      const inner = `${pick(['password=', 'token: ', 'user:', 'api_key=', 'ssn ', ''])}${pick(['hunter2Secret!', 'sk_live_' + 'a1B2c3D4e5F6g7H8i9J0k1L2', '123-45-6789', 'alice:S3cr3tPa55', '4111 1111 1111 1111', 'hello world text'])}`;
      const enc =
        rnd() < 0.5 ? Buffer.from(inner).toString('base64') : rnd() < 0.5 ? Buffer.from(inner).toString('hex') : encodeURIComponent(inner);
      parts.push(enc);
    } else if (r < 0.73) {
      parts.push(pick(LOOKALIKE));
    } else if (r < 0.8) {
      parts.push(pick(INVISIBLE));
    } else if (r < 0.9) {
      let w = '';
      const len = 1 + int(10);
      for (let j = 0; j < len; j++) w += B62[int(52)];
      parts.push(w);
    } else {
      // a random code point (BMP or astral), or punctuation
      const cp = rnd() < 0.5 ? 0x20 + int(0x5f) : rnd() < 0.8 ? 0xa0 + int(0x2f00) : 0x10000 + int(0x2000);
      parts.push(String.fromCodePoint(cp));
    }
    // sometimes splice an invisible or look-alike inside the last part
    if (rnd() < 0.08 && parts[parts.length - 1].length > 2) {
      const p = parts[parts.length - 1];
      const at = 1 + int(p.length - 1);
      const c = p.charCodeAt(at - 1);
      if (!(c >= 0xd800 && c <= 0xdbff)) parts[parts.length - 1] = p.slice(0, at) + pick(rnd() < 0.5 ? INVISIBLE : LOOKALIKE) + p.slice(at);
    }
    parts.push(rnd() < 0.6 ? ' ' : pick(['', '\n', '=', ': ', '"', "'", ', ', '(', ')']));
  }
  return parts.join('');
}

/** The corpus: [{ id, text }], deterministic for a given git revision of src/ and README.md. */
export function corpus({ random = 4000, rev = 'HEAD', windows = true } = {}) {
  const out = [];
  const dataDir = join(root, 'data', 'router');
  for (const f of readdirSync(dataDir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    readFileSync(join(dataDir, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .forEach((l, i) => out.push({ id: `${f}:${i}`, text: JSON.parse(l).text }));
  }
  out.push({ id: 'prompt8k:clean', text: prompt8k(false) });
  out.push({ id: 'prompt8k:secret', text: prompt8k(true) });
  if (windows) {
    // 8 KB of real files (bench/_real-prompts.mjs: docs, code, 13 languages' messages, data), the texts the speed work
    // is measured on; and the labelled rows upper-cased, and with characters whose lower case is not what a
    // case-insensitive pattern folds them to (Kelvin and Ångström signs, dotted capital I, final sigma)
    for (const p of realPrompts({ perKind: 48 })) out.push({ id: `real:${p.file}`, text: p.text });
    const labelled = out.filter((o) => o.id.includes('.jsonl:'));
    for (const o of labelled) {
      const up = o.text.toUpperCase();
      out.push({ id: `upper:${o.id}`, text: up });
      out.push({
        id: `odd:${o.id}`,
        text: o.text
          .replace(/k/gi, '\u212a')
          .replace(/å/gi, '\u212b')
          .replace(/I/g, '\u0130')
          .replace(/σ(?=\s)/g, 'ς'),
      });
    }
    const files = execFileSync('git', ['-C', root, 'ls-tree', '-r', '--name-only', rev, '--', 'src', 'README.md'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts') || f.endsWith('.md'));
    for (const f of files) {
      const text = execFileSync('git', ['-C', root, 'show', `${rev}:${f}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
      // 4 KB windows overlapping by half
      for (let s = 0; s < text.length; s += 2048) {
        out.push({ id: `${f}@${s}`, text: text.slice(s, s + 4096) });
        if (s + 4096 >= text.length) break;
      }
    }
  }
  const rnd = lcg(20261127);
  for (let i = 0; i < random; i++) out.push({ id: `random:${i}`, text: randomString(rnd) });
  return out;
}

export async function loadScanner(dist = join(root, 'dist')) {
  const mod = await import(pathToFileURL(join(dist, 'engine', 'privacy', 'privacy.js')).href);
  return mod.scanPrivacy;
}

export function record(scan, text) {
  const r = scan(text);
  return { sensitive: r.sensitive, findings: r.findings.map((f) => [f.category, f.start, f.end, f.rule]), redacted: r.redacted };
}

export const FIXTURE = join(root, 'test', 'privacy', 'fixtures', 'privacy-equivalence.json');
export const FIXTURE_RANDOM = 300;
export const textHash = (t) => createHash('sha256').update(t).digest('hex').slice(0, 16);

/** `npm run bench` entry: the current scanner against the committed fixture of the frozen scanner's findings. */
export async function run() {
  const scan = await loadScanner();
  const saved = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const items = corpus({ random: FIXTURE_RANDOM, windows: false });
  let same = 0;
  for (const { id, text } of items) {
    const r = record(scan, text);
    const was = saved[id];
    if (
      was &&
      was.hash === textHash(text) &&
      JSON.stringify(r.findings) === JSON.stringify(was.findings) &&
      textHash(r.redacted) === was.redacted
    )
      same++;
  }
  return {
    name: 'privacy-equivalence',
    texts: items.length,
    identical: same,
    table: [
      [
        'privacy scanner: texts with findings identical to the frozen scanner',
        same,
        items.length,
        +(same / items.length).toFixed(4),
        'all',
      ],
    ],
  };
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
  const write = opt('--write');
  const check = opt('--check');
  if (args.includes('--write-fixture')) {
    const scan = await loadScanner(opt('--dist'));
    const results = {};
    for (const { id, text } of corpus({ random: FIXTURE_RANDOM, windows: false })) {
      const r = record(scan, text);
      results[id] = { hash: textHash(text), findings: r.findings, redacted: textHash(r.redacted) };
    }
    writeFileSync(FIXTURE, JSON.stringify(results, null, 0).replace(/\},"/g, '},\n"') + '\n');
    console.error(`wrote ${Object.keys(results).length} texts to ${FIXTURE}`);
    return;
  }
  if (!write && !check) {
    console.error('usage: node bench/privacy-equivalence.mjs --write FILE | --check FILE [--dist DIR] [--random N] [--rev REV]');
    process.exit(2);
  }
  const scan = await loadScanner(opt('--dist'));
  if (write) {
    const rev = execFileSync('git', ['-C', root, 'rev-parse', opt('--rev', 'HEAD')], { encoding: 'utf8' }).trim();
    const random = Number(opt('--random', 4000));
    const items = corpus({ random, rev });
    const results = {};
    for (const { id, text } of items) results[id] = record(scan, text);
    writeFileSync(write, JSON.stringify({ rev, random, count: items.length, results }));
    const flagged = Object.values(results).filter((r) => r.sensitive).length;
    console.error(`wrote ${items.length} texts (${flagged} with findings) to ${write}`);
    return;
  }
  const saved = JSON.parse(readFileSync(check, 'utf8'));
  const items = corpus({ random: saved.random, rev: saved.rev });
  let diffs = 0;
  for (const { id, text } of items) {
    const now = JSON.stringify(record(scan, text));
    const was = JSON.stringify(saved.results[id]);
    if (now !== was) {
      if (diffs++ < 10) console.error(`DIFF ${id}\n  was ${was.slice(0, 400)}\n  now ${now.slice(0, 400)}`);
    }
  }
  if (items.length !== saved.count) {
    console.error(`corpus size changed: ${saved.count} -> ${items.length}`);
    diffs++;
  }
  console.error(diffs ? `${diffs} texts differ out of ${items.length}` : `identical: ${items.length} texts`);
  process.exit(diffs ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
