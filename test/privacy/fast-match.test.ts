import { describe, expect, it } from 'vitest';
import { denseDigitLines, matchAllOnLinesWith, percentRuns } from '../../src/engine/privacy/fast-match.js';
import { NATIONAL_IDS } from '../../src/engine/privacy/national-ids.js';
import { rng } from '../fuzz/generator.js';
import {
  CHUNKED_VENDOR_RE,
  EMAIL_RE,
  FEW_DIGIT_KINDS,
  JSON_STRING_RE,
  KNOWN_TOKENS,
  URL_CREDS_RE,
} from '../../src/engine/privacy/privacy.js';

// Random texts over a few characters that matter to a matcher (and others), with a fixed seed: each matcher must give
// exactly what the pattern it stands for gives.
function texts(alphabet: readonly string[], count: number, maxLen: number, seed: number): string[] {
  const r = rng(seed).next;
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const n = Math.floor(r() * maxLen);
    let t = '';
    for (let i = 0; i < n; i++) t += alphabet[Math.floor(r() * alphabet.length)];
    out.push(t);
  }
  return out;
}

describe('fast matchers give what their patterns give', () => {
  it('percentRuns: the runs of [^\\s"\'<>]+ that hold a "%"', () => {
    const alphabet = ['a', 'b', '%', '%2', 'F', '4', ' ', '\n', '"', "'", '<', '>', '\u00a0', '\u2028', '\u3000', 'é', '\ud83d\ude00', '='];
    for (const t of texts(alphabet, 3000, 60, 1)) {
      const want = [...t.matchAll(/[^\s"'<>]+/g)].filter((m) => m[0].includes('%')).map((m) => ({ index: m.index, run: m[0] }));
      expect(percentRuns(t), JSON.stringify(t)).toEqual(want);
    }
  });

  it('JSON strings holding \\": the matches of the JSON-string pattern over the lines with \\" only', () => {
    const alphabet = ['"', '"', '\\', '\\"', 'a', 'b', 'c', 'd', 'e', 'f', '\n', '\r', '\u2028', ' ', 'xyzxyzxyz'];
    const cases = texts(alphabet, 4000, 80, 2);
    // (the upper bound: 4,096 units, a backslash pair counting as one)
    cases.push(
      `"${'\\"'.repeat(4096)}"`,
      `"${'\\"'.repeat(4097)}"`,
      `"${'a'.repeat(4095)}\\""`,
      `x"${'a'.repeat(4096)}\\""y"${'\\"'.repeat(20)}"`,
    );
    for (const t of cases) {
      const want = [...t.matchAll(/"((?:[^"\\\n]|\\.){16,4096})"/g)]
        .filter((m) => m[1].includes('\\"'))
        .map((m) => ({ index: m.index, string: m[0] }));
      const got = matchAllOnLinesWith(t, JSON_STRING_RE, '\\"')
        .filter((m) => m[1].includes('\\"'))
        .map((m) => ({ index: m.index, string: m[0] }));
      expect(got, JSON.stringify(t).slice(0, 200)).toEqual(want);
    }
  });

  it('matchAllOnLinesWith: the matches of the e-mail and URL-credential patterns, from the lines with their needle', () => {
    const cases: [RegExp, string, string[]][] = [
      [EMAIL_RE, '@', ['a', 'b.', 'x', '@', '@', '-', '.', 'com', ' ', '\n', '\n', '_', '+', '9', 'é', '\r', 'x@a.com']],
      [URL_CREDS_RE, '://', ['http', 's', '://', ':', '@', 'u', 'p', 'w', '/', ' ', '\n', '\n', '"', 'h.io', '.', '\r', 'ftp://u:p@']],
    ];
    for (const [re, needle, alphabet] of cases) {
      let found = 0;
      for (const [k, t] of texts(alphabet, 4000, 60, 4).entries()) {
        const want = [...t.matchAll(re)].map((m) => [m.index, ...m]);
        // (a small gap too: several spans per text)
        const got = matchAllOnLinesWith(t, re, needle, k % 2 ? 256 : 2).map((m) => [m.index, ...m]);
        expect(got, JSON.stringify(t)).toEqual(want);
        found += want.length;
      }
      expect(found).toBeGreaterThan(100);
    }
  });

  it('denseDigitLines: every line with seven digits close together, whole, in order, near ones merged', () => {
    const alphabet = ['1', '2', '3', 'a', ' ', '\n', '\n', '.', '-', '\r', 'xyz'];
    for (const t of texts(alphabet, 3000, 80, 3)) {
      const spans = denseDigitLines(t, 5);
      let at = 0;
      for (const line of t.split('\n')) {
        const start = at;
        at += line.length + 1;
        if (/\d(?:\D{0,3}\d){6}/.test(line))
          expect(
            spans.some(([s, e]) => s <= start && start + line.length <= e),
            JSON.stringify(t),
          ).toBe(true);
      }
      for (const [s, e] of spans) {
        expect(s === 0 || t[s - 1] === '\n').toBe(true);
        expect(e === t.length || t[e] === '\n').toBe(true);
      }
      for (let k = 1; k < spans.length; k++) expect(spans[k][0] - spans[k - 1][1]).toBeGreaterThanOrEqual(5);
    }
  });
});

// A small reading of a pattern's source: every match it can have as a mask of digits ("d") and other characters ("n"),
// a character class that can be either giving both (lookarounds read, not matched: only checked for newlines), and
// whether the pattern (lookarounds too) can read a newline or has an anchor (^, $) that would take a span's edge for
// the text's.
function masks(src: string): { masks: Set<string>; newline: boolean } {
  let i = 0;
  let newline = false;
  const cross = (a: Set<string>, b: Set<string>) => {
    const out = new Set<string>();
    for (const x of a) for (const y of b) out.add(x + y);
    if (out.size > 200_000) throw new Error(`too many masks: ${src}`);
    return out;
  };
  const alternation = (): Set<string> => {
    const out = new Set(sequence());
    while (src[i] === '|') {
      i++;
      for (const m of sequence()) out.add(m);
    }
    return out;
  };
  const sequence = (): Set<string> => {
    let acc = new Set(['']);
    while (i < src.length && src[i] !== '|' && src[i] !== ')') acc = cross(acc, quantified());
    return acc;
  };
  const quantified = (): Set<string> => {
    const a = atom();
    let min: number;
    let max: number;
    const c = src[i];
    if (c === '?') {
      min = 0;
      max = 1;
      i++;
    } else if (c === '*' || c === '+') throw new Error(`unbounded: ${src}`);
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(src.slice(i))!;
      min = Number(m[1]);
      max = m[2] ? Number(m[3]) : min;
      if (!Number.isFinite(max) || m[3] === '') throw new Error(`unbounded: ${src}`);
      i += m[0].length;
    } else return a;
    if (src[i] === '?') i++;
    const out = new Set<string>();
    let acc = new Set(['']);
    for (let k = 0; k <= max; k++) {
      if (k >= min) for (const m of acc) out.add(m);
      if (k < max) acc = cross(acc, a);
    }
    return out;
  };
  const atom = (): Set<string> => {
    const c = src[i++];
    if (c === '(') {
      let look = false;
      if (src[i] === '?') {
        const m = /^\?(?::|=|!|<=|<!|<[A-Za-z]\w*>)/.exec(src.slice(i))!;
        look = ['?=', '?!', '?<=', '?<!'].includes(m[0]);
        i += m[0].length;
      }
      const inner = alternation();
      i++; // ')'
      return look ? new Set(['']) : inner;
    }
    if (c === '[') {
      const negated = src[i] === '^';
      const start = i;
      while (src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      const body = src.slice(negated ? start + 1 : start, i++);
      if (negated || /\\[sSDWn]/.test(body)) newline = true;
      const digit = negated || /\\[dwDW]|[0-9]|0-|-9/.test(body);
      const other = negated || body.replace(/\\d|0-9|[0-9]/g, '') !== '';
      return new Set([...(digit ? ['d'] : []), ...(other ? ['n'] : [])]);
    }
    if (c === '\\') {
      const e = src[i++];
      if (e === 'd') return new Set(['d']);
      if (e === 'b' || e === 'B') return new Set(['']);
      if ('sSDWn'.includes(e)) newline = true;
      if (e === 'w' || e === 'W' || e === 'S' || e === 'D') return new Set(e === 'D' ? ['n'] : ['d', 'n']);
      return new Set(['n']);
    }
    if (c === '^' || c === '$' || c === '.') newline = true;
    if (c === '^' || c === '$') return new Set(['']);
    return new Set([/[0-9]/.test(c) ? 'd' : 'n']);
  };
  const out = alternation();
  if (i !== src.length) throw new Error(`unread at ${i}: ${src}`);
  return { masks: out, newline };
}

describe('national identifiers over the lines with dense digits', () => {
  it('every kind but FEW_DIGIT_KINDS has seven close digits in each match, and no pattern reads a newline or an anchor', () => {
    // (the reading itself)
    expect(masks(String.raw`(?<![\w.-])(?:\d{2}[ -]?\d)(?![\w-]|\.\d)`)).toEqual({ masks: new Set(['ddd', 'ddnd']), newline: false });
    expect(masks(String.raw`\b[A-Z]\d[\dX]\b`)).toEqual({ masks: new Set(['ndd', 'ndn']), newline: false });
    expect(masks(String.raw`a\s?\d{1,2}|^`).newline).toBe(true);
    const dense = /d(?:n{0,3}d){6}/;
    for (const k of NATIONAL_IDS) {
      const r = masks(k.re.source);
      expect(r.newline, k.id).toBe(false);
      if (!FEW_DIGIT_KINDS.has(k.id)) for (const m of r.masks) expect(dense.test(m), `${k.id}: ${m}`).toBe(true);
    }
    // (and the kinds let through do need it: each has a match without)
    for (const id of FEW_DIGIT_KINDS)
      expect(
        [...masks(NATIONAL_IDS.find((k) => k.id === id)!.re.source).masks].some((m) => !dense.test(m)),
        id,
      ).toBe(true);
  });
});

/** The length of a pattern's shortest match (lookarounds and \b count nothing, a class or an escape one character). */
function minLength(src: string): number {
  let i = 0;
  const alternation = (): number => {
    let best = sequence();
    while (src[i] === '|') {
      i++;
      best = Math.min(best, sequence());
    }
    return best;
  };
  const sequence = (): number => {
    let sum = 0;
    while (i < src.length && src[i] !== '|' && src[i] !== ')') sum += quantified();
    return sum;
  };
  const quantified = (): number => {
    const a = atom();
    let min = 1;
    const c = src[i];
    if (c === '*' || c === '?') min = 0;
    if (c === '*' || c === '?' || c === '+') i++;
    else if (c === '{') {
      const m = /^\{(\d+)(?:,\d*)?\}/.exec(src.slice(i))!;
      min = Number(m[1]);
      i += m[0].length;
    } else return a;
    if (src[i] === '?') i++;
    return a * min;
  };
  const atom = (): number => {
    const c = src[i++];
    if (c === '(') {
      let look = false;
      if (src[i] === '?') {
        const m = /^\?(?::|=|!|<=|<!|<[A-Za-z]\w*>)/.exec(src.slice(i))!;
        look = ['?=', '?!', '?<=', '?<!'].includes(m[0]);
        i += m[0].length;
      }
      const inner = alternation();
      i++; // ')'
      return look ? 0 : inner;
    }
    if (c === '[') {
      while (src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      i++;
      return 1;
    }
    if (c === '\\') {
      const e = src[i++];
      return e === 'b' || e === 'B' ? 0 : 1;
    }
    return c === '^' || c === '$' ? 0 : 1;
  };
  const r = alternation();
  if (i !== src.length) throw new Error(`unread at ${i}: ${src}`);
  return r;
}

describe('concatenated literals shorter than 24 characters are skipped', () => {
  it('every vendor and known token pattern needs 20+ characters', () => {
    expect(minLength(String.raw`(?<!x)AKIA[A-Z0-9]{16}\b|ab(?:cd)?e{2,}`)).toBe(4);
    for (const re of [CHUNKED_VENDOR_RE, ...KNOWN_TOKENS.map((t) => t.re)])
      expect(minLength(re.source), re.source).toBeGreaterThanOrEqual(20);
  });
});
