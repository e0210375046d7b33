import { describe, expect, it } from 'vitest';
import { denseDigitLines, jsonStringSpans, linesWith, matchAllOnLinesWith, percentRuns } from '../../src/engine/privacy/fast-match.js';
import { NATIONAL_IDS } from '../../src/engine/privacy/national-ids.js';
import { rng } from '../fuzz/generator.js';
import {
  CHUNKED_VENDOR_RE,
  EMAIL_RE,
  FEW_DIGIT_KINDS,
  JSON_STRING_RE,
  KNOWN_TOKENS,
  URL_CREDS_RE,
  VAR_REF_CONCAT_RE,
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

  it('jsonStringSpans: the matches of the JSON-string pattern, in one pass', () => {
    const spans = (t: string, re: RegExp) => [...t.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);
    // (short texts: with the pattern's limits, and with small ones that strings of random texts go over)
    const alphabet = ['"', '"', '\\', '\\"', '\\\\', 'a', 'b', 'c', '\n', '\r', '\u2028', '\u2029', ' ', 'xyzxyzxyz', 'é'];
    let found = 0;
    let long = 0;
    for (const [k, t] of texts(alphabet, 6000, 80, 2).entries()) {
      expect(jsonStringSpans(t), JSON.stringify(t)).toEqual(spans(t, JSON_STRING_RE));
      const min = 1 + (k % 5);
      const max = min + (k % 7);
      const want = spans(t, new RegExp(String.raw`"((?:[^"\\\n]|\\.){${min},${max}})"`, 'g'));
      expect(jsonStringSpans(t, 0, t.length, min, max), `${min},${max} ${JSON.stringify(t)}`).toEqual(want);
      found += want.length;
      // (strings whose first quote reads more than max units, matched from an escaped quote inside)
      long += want.filter(([s]) => t.slice(s - 1, s + 1) === '\\"').length;
    }
    expect(found).toBeGreaterThan(1000);
    expect(long).toBeGreaterThan(100);
    // (the pattern's limits: 15, 16, 4,096 and 4,097 units, a backslash pair counting as one; strings longer than a
    // read of 4,096 characters; a backslash before a line terminator or at the end; an unterminated string)
    const edges = [
      `"${'a'.repeat(15)}"`,
      `"${'a'.repeat(16)}"`,
      `"${'\\"'.repeat(15)}"`,
      `"${'\\"'.repeat(16)}"`,
      `"${'\\"'.repeat(4096)}"`,
      `"${'\\"'.repeat(4097)}"`,
      `"${'a'.repeat(4096)}"`,
      `"${'a'.repeat(4097)}"`,
      `"${'a'.repeat(4095)}\\""`,
      `x"${'a'.repeat(4096)}\\""y"${'\\"'.repeat(20)}"`,
      `"${'a'.repeat(5000)}\\"${'b'.repeat(4095)}"`,
      `"${'a'.repeat(5000)}\\"${'b'.repeat(4096)}"`,
      `"${'a'.repeat(5000)}\\"${'b'.repeat(4094)}\\"c"`,
      `"${'a\\\\'.repeat(3000)}\\"${'b'.repeat(20)}"`,
      `"${'\\\\'.repeat(9000)}"`,
      `"${'\\\\'.repeat(9000)}\\"${'a'.repeat(15)}"`,
      `"${'a'.repeat(20)}\\\n${'b'.repeat(20)}"`,
      `"${'a'.repeat(20)}\\\r${'b'.repeat(20)}"`,
      `"${'a'.repeat(20)}\\\u2028"${'b'.repeat(20)}"`,
      `"${'a'.repeat(20)}\r${'b'.repeat(20)}"`,
      `"${'a'.repeat(20)}\\`,
      `"${'a'.repeat(20)}`,
      `"${'a'.repeat(20)}\\"`,
      `""${'a'.repeat(20)}""`,
    ];
    // (and long strings of random units, a few quotes and newlines among them)
    const units = ['a', 'b', '\\"', '\\\\', '\\n', 'é'];
    for (const [k, t] of texts(units, 40, 13000, 5).entries())
      edges.push(
        t
          .split('')
          .map((c, i) => ((i * 7919 + k) % 4001 === 0 ? '"' : (i * 104729 + k) % 9001 === 0 ? '\n' : c))
          .join(''),
      );
    for (const t of edges) expect(jsonStringSpans(t), JSON.stringify(t).slice(0, 200)).toEqual(spans(t, JSON_STRING_RE));
  });

  it('JSON strings holding \\": jsonStringSpans over the lines with \\" only gives the pattern\'s matches that hold one', () => {
    const alphabet = ['"', '"', '\\', '\\"', 'a', 'b', 'c', 'd', 'e', 'f', '\n', '\r', '\u2028', ' ', 'xyzxyzxyz'];
    const cases = texts(alphabet, 4000, 80, 2);
    cases.push(
      `"${'\\"'.repeat(4096)}"`,
      `"${'\\"'.repeat(4097)}"`,
      `"${'a'.repeat(4095)}\\""`,
      `x"${'a'.repeat(4096)}\\""y"${'\\"'.repeat(20)}"`,
    );
    for (const [k, t] of cases.entries()) {
      const want = [...t.matchAll(JSON_STRING_RE)].filter((m) => m[1].includes('\\"')).map((m) => [m.index, m.index + m[0].length]);
      // (a small gap too: several spans per text)
      const got = linesWith(t, '\\"', k % 2 ? 256 : 2)
        .flatMap(([from, to]) => jsonStringSpans(t, from, to))
        .filter(([s, e]) => t.slice(s + 1, e - 1).includes('\\"'));
      expect(got, JSON.stringify(t).slice(0, 200)).toEqual(want);
    }
  });

  it('VAR_REF_CONCAT_RE: its look behind read after the "[" matches as the look behind before it', () => {
    // (the pattern as written before: the last alternative looks behind at every position of the text)
    const before =
      /(?:\$\{?[A-Za-z_]\w*\}?){2,}|\b[A-Za-z_]\w*(?:[ \t]*(?:\+|\.{2})[ \t]*[A-Za-z_]\w*)+|\[[ \t]*[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)+[ \t]*\](?=\.join\([ \t]*(["'`])\1[ \t]*\))|(?<=(?:""|''|``)\.join\(\s*)\[[ \t]*[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)+[ \t]*\]/g;
    const forms = ['[a, b]', '[x,y_ ,z]', '.join(', '"".join(', "''.join(", '.join("")', '``', '""', '..', '+', ', '];
    const alphabet = [...forms, '[', ']', ')', ' ', '\t', '\n', 'a', 'b_', ',', '$', '{', '}', '"', "'", '9'];
    let joins = 0;
    for (const t of texts(alphabet, 6000, 40, 6)) {
      const want = [...t.matchAll(before)].map((m) => [m.index, ...m]);
      expect(
        [...t.matchAll(VAR_REF_CONCAT_RE)].map((m) => [m.index, ...m]),
        JSON.stringify(t),
      ).toEqual(want);
      joins += want.filter((m) => String(m[1]).startsWith('[')).length;
    }
    expect(joins).toBeGreaterThan(50);
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

// A small reading of a pattern's source (the forms the scanner's patterns use: groups and lookarounds, classes,
// escapes, characters, quantifiers), read by masks() and minLength() below.
type Atom = { group: Alternation; look: boolean } | { cls: string; negated: boolean } | { esc: string } | { ch: string };
type Alternation = { atom: Atom; min: number; max: number }[][];
function readPattern(src: string): Alternation {
  let i = 0;
  const alternation = (): Alternation => {
    const out = [sequence()];
    while (src[i] === '|') {
      i++;
      out.push(sequence());
    }
    return out;
  };
  const sequence = (): Alternation[number] => {
    const out: Alternation[number] = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') out.push(quantified());
    return out;
  };
  const quantified = (): Alternation[number][number] => {
    const atom = readAtom();
    let min = 1;
    let max = 1;
    const c = src[i];
    if (c === '?' || c === '*' || c === '+') {
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Infinity;
      i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(src.slice(i))!;
      min = Number(m[1]);
      max = !m[2] ? min : m[3] === '' ? Infinity : Number(m[3]);
      i += m[0].length;
    } else return { atom, min, max };
    if (src[i] === '?') i++;
    return { atom, min, max };
  };
  const readAtom = (): Atom => {
    const c = src[i++];
    if (c === '(') {
      let look = false;
      if (src[i] === '?') {
        const m = /^\?(?::|=|!|<=|<!|<[A-Za-z]\w*>)/.exec(src.slice(i))!;
        look = ['?=', '?!', '?<=', '?<!'].includes(m[0]);
        i += m[0].length;
      }
      const group = alternation();
      i++; // ')'
      return { group, look };
    }
    if (c === '[') {
      const negated = src[i] === '^';
      const start = i;
      while (src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      return { cls: src.slice(negated ? start + 1 : start, i++), negated };
    }
    if (c === '\\') return { esc: src[i++] };
    return { ch: c };
  };
  const out = alternation();
  if (i !== src.length) throw new Error(`unread at ${i}: ${src}`);
  return out;
}

// Every match a pattern can have as a mask of digits ("d") and other characters ("n"), a character class that can be
// either giving both (lookarounds read, not matched: only checked for newlines), and whether the pattern (lookarounds
// too) can read a newline or has an anchor (^, $) that would take a span's edge for the text's.
function masks(src: string): { masks: Set<string>; newline: boolean } {
  let newline = false;
  const cross = (a: Set<string>, b: Set<string>) => {
    const out = new Set<string>();
    for (const x of a) for (const y of b) out.add(x + y);
    if (out.size > 200_000) throw new Error(`too many masks: ${src}`);
    return out;
  };
  const alternation = (alt: Alternation): Set<string> => {
    const out = new Set<string>();
    for (const seq of alt) {
      let acc = new Set(['']);
      for (const { atom, min, max } of seq) {
        if (max === Infinity) throw new Error(`unbounded: ${src}`);
        const a = atomMasks(atom);
        const q = new Set<string>();
        let k = new Set(['']);
        for (let n = 0; n <= max; n++) {
          if (n >= min) for (const m of k) q.add(m);
          if (n < max) k = cross(k, a);
        }
        acc = cross(acc, q);
      }
      for (const m of acc) out.add(m);
    }
    return out;
  };
  const atomMasks = (atom: Atom): Set<string> => {
    if ('group' in atom) {
      const inner = alternation(atom.group);
      return atom.look ? new Set(['']) : inner;
    }
    if ('cls' in atom) {
      const { cls: body, negated } = atom;
      if (negated || /\\[sSDWn]/.test(body)) newline = true;
      const digit = negated || /\\[dwDW]|[0-9]|0-|-9/.test(body);
      const other = negated || body.replace(/\\d|0-9|[0-9]/g, '') !== '';
      return new Set([...(digit ? ['d'] : []), ...(other ? ['n'] : [])]);
    }
    if ('esc' in atom) {
      const e = atom.esc;
      if (e === 'd') return new Set(['d']);
      if (e === 'b' || e === 'B') return new Set(['']);
      if ('sSDWn'.includes(e)) newline = true;
      if (e === 'w' || e === 'W' || e === 'S' || e === 'D') return new Set(e === 'D' ? ['n'] : ['d', 'n']);
      return new Set(['n']);
    }
    const c = atom.ch;
    if (c === '^' || c === '$' || c === '.') newline = true;
    if (c === '^' || c === '$') return new Set(['']);
    return new Set([/[0-9]/.test(c) ? 'd' : 'n']);
  };
  return { masks: alternation(readPattern(src)), newline };
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
  const alternation = (alt: Alternation): number =>
    Math.min(...alt.map((seq) => seq.reduce((sum, { atom, min }) => sum + atomLength(atom) * min, 0)));
  const atomLength = (atom: Atom): number => {
    if ('group' in atom) return atom.look ? 0 : alternation(atom.group);
    if ('esc' in atom) return atom.esc === 'b' || atom.esc === 'B' ? 0 : 1;
    if ('ch' in atom) return atom.ch === '^' || atom.ch === '$' ? 0 : 1;
    return 1;
  };
  return alternation(readPattern(src));
}

describe('concatenated literals shorter than 24 characters are skipped', () => {
  it('every vendor and known token pattern needs 20+ characters', () => {
    expect(minLength(String.raw`(?<!x)AKIA[A-Z0-9]{16}\b|ab(?:cd)?e{2,}`)).toBe(4);
    for (const re of [CHUNKED_VENDOR_RE, ...KNOWN_TOKENS.map((t) => t.re)])
      expect(minLength(re.source), re.source).toBeGreaterThanOrEqual(20);
  });
});
