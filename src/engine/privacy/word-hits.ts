/**
 * The matches of an alternation of words, `s.matchAll(new RegExp(words.join('|'), 'g'))`, found without compiling that
 * alternation, for any subset of the words (the special categories' gate words the prefilter's pass left open).
 *
 * The words' alternation finds, from the current index, the leftmost index where a word matches, there the first word
 * (in the alternation's order) that matches, and goes on from that match's end. Here each word is a literal (compared
 * with `startsWith`) or, for a word with a class, an optional character or a dot, a small sticky pattern of its own;
 * a table of the words' first code units (first two or three, for the literals) says which words may start at an index. With
 * few words, each word's next index comes from `indexOf` (its own search) instead, merged in the same order.
 *
 * Why: the special categories' sets hold up to 2,800 words, and on text outside ASCII the prefilter's pass leaves
 * hundreds of them open (it reads each non-ASCII code unit as one symbol); an alternation of those words compiled for
 * each text cost the compilation (and V8's tier-up of it) on every text.
 */

/** One word: a literal, or a sticky pattern and the code units a match may start with. */
interface Word {
  lit: string | null;
  sticky: RegExp | null;
  global: RegExp | null;
  firsts: number[];
}

// (scratch tables shared by every finder: find() runs to its end without calling another's; each find clears what it set)
const SIZE = 0x10000;
let head1: Int32Array | null = null;
let head2: Int32Array | null = null;
let head3: Int32Array | null = null;
let starts: Uint8Array | null = null;
/** chains of the tables: a word, and the next entry of its chain (-1 at the end) */
let entryWord = new Int32Array(256);
let entryNext = new Int32Array(256);
// (the literals of two units by both, of three or more by their first three: a table slot from a multiplicative hash;
// words whose slots collide share a chain, and startsWith tells them apart)
const hash2 = (c0: number, c1: number) => Math.imul((c0 << 16) | c1, 0x9e3779b1) >>> 16;
const hash3 = (c0: number, c1: number, c2: number) => Math.imul(Math.imul((c0 << 16) | c1, 0x9e3779b1) ^ c2, 0x85ebca6b) >>> 16;

/** Below this many words, each word's own `indexOf` (or pattern) search, merged; from it on, the table's one pass. */
export const FEW_WORDS = 6;

/**
 * A word of the alternation parsed: plain characters, an escaped syntax character, a class of plain characters (no
 * range, no negation), a dot, each optionally followed by "?". Null for anything else, or for a word that may match the
 * empty string.
 */
function parse(src: string): Word | null {
  const atoms: { chars: string | null; optional: boolean }[] = [];
  for (let i = 0; i < src.length;) {
    const c = src[i];
    let chars: string | null;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined || !/[\^$\\.*+?()[\]{}|/-]/.test(n)) return null;
      chars = n;
      i += 2;
    } else if (c === '[') {
      const close = src.indexOf(']', i + 1);
      if (close < 0) return null;
      chars = src.slice(i + 1, close);
      if (chars === '' || chars.startsWith('^') || /[\\[]/.test(chars) || /.-./s.test(chars)) return null;
      i = close + 1;
    } else if (c === '.') {
      chars = null;
      i++;
    } else if (/[\^$*+?()[\]{}|]/.test(c)) return null;
    else {
      chars = c;
      i++;
    }
    let optional = false;
    if (src[i] === '?') {
      optional = true;
      i++;
      if (/[?*+{]/.test(src[i] ?? '')) return null;
    } else if (/[*+{]/.test(src[i] ?? '')) return null;
    atoms.push({ chars, optional });
  }
  if (atoms.every((a) => a.optional)) return null;
  if (atoms.every((a) => !a.optional && a.chars !== null && a.chars.length === 1))
    return { lit: atoms.map((a) => a.chars).join(''), sticky: null, global: null, firsts: [atoms[0].chars!.charCodeAt(0)] };
  // (the code units a match starts with: those of the atoms up to the first one that is not optional)
  const firsts = new Set<number>();
  for (const a of atoms) {
    if (a.chars === null) return null; // (a dot first: any character)
    for (let k = 0; k < a.chars.length; k++) firsts.add(a.chars.charCodeAt(k));
    if (!a.optional) break;
  }
  return { lit: null, sticky: new RegExp(src, 'y'), global: null, firsts: [...firsts] };
}

export class WordHits {
  private readonly words: Word[];

  private constructor(words: Word[]) {
    this.words = words;
  }

  /**
   * The finder of `words` (sources of the alternation's branches). Throws, naming `what` (the words' set) and the word,
   * when a word is not of the forms handled: there is no slower path to fall back to.
   */
  static of(words: readonly string[], what: string): WordHits {
    const parsed: Word[] = [];
    for (const w of words) {
      const p = parse(w);
      if (p === null)
        throw new Error(
          `${what}: WordHits cannot read the word "${w}" (it reads plain characters, escaped punctuation, classes of plain characters and dots, each optionally followed by "?", not a word that may match the empty string)`,
        );
      parsed.push(p);
    }
    return new WordHits(parsed);
  }

  /** How long word `w`'s match at `i` is (0: none). */
  private at(w: Word, s: string, i: number): number {
    if (w.lit !== null) return s.startsWith(w.lit, i) ? w.lit.length : 0;
    const re = w.sticky!;
    re.lastIndex = i;
    return re.test(s) ? re.lastIndex - i : 0;
  }

  /**
   * The matches in `s` of the alternation of the words `on` selects (all when null), in order: what
   * `s.matchAll(new RegExp(selected.join('|'), 'g'))` gives, as `{ index, 0 }`.
   */
  find(s: string, on: ((i: number) => boolean) | null): { index: number; 0: string }[] {
    const sel: number[] = [];
    for (let i = 0; i < this.words.length; i++) if (on === null || on(i)) sel.push(i);
    if (sel.length === 0) return [];
    return sel.length < FEW_WORDS ? this.merged(s, sel) : this.scanned(s, sel);
  }

  /** Each selected word's next match from its own search; the leftmost, the first word at one index, taken. */
  private merged(s: string, sel: number[]): { index: number; 0: string }[] {
    const out: { index: number; 0: string }[] = [];
    const next = new Array<number>(sel.length);
    const len = new Array<number>(sel.length);
    const search = (k: number, from: number) => {
      const w = this.words[sel[k]];
      if (w.lit !== null) {
        next[k] = s.indexOf(w.lit, from);
        len[k] = w.lit.length;
      } else {
        const re = (w.global ??= new RegExp(w.sticky!.source, 'g'));
        re.lastIndex = from;
        const m = re.exec(s);
        next[k] = m === null ? -1 : m.index;
        len[k] = m === null ? 0 : m[0].length;
      }
    };
    for (let k = 0; k < sel.length; k++) search(k, 0);
    for (;;) {
      let best = -1;
      for (let k = 0; k < sel.length; k++) if (next[k] >= 0 && (best < 0 || next[k] < next[best])) best = k;
      if (best < 0) return out;
      const index = next[best];
      const end = index + len[best];
      out.push({ index, 0: s.slice(index, end) });
      for (let k = 0; k < sel.length; k++) if (next[k] >= 0 && next[k] < end) search(k, end);
    }
  }

  /** One pass over `s`: at each index, the selected words that may start there (by the table), in order. */
  private scanned(s: string, sel: number[]): { index: number; 0: string }[] {
    head1 ??= new Int32Array(SIZE).fill(-1);
    head2 ??= new Int32Array(SIZE).fill(-1);
    head3 ??= new Int32Array(SIZE).fill(-1);
    starts ??= new Uint8Array(SIZE);
    const h1 = head1;
    const h2 = head2;
    const h3 = head3;
    const st = starts;
    const words = this.words;
    // (the chains, built from the last word to the first: each chain lists its words in the alternation's order)
    let entries = 0;
    const add = (table: Int32Array, slot: number, w: number) => {
      if (entries === entryWord.length) {
        const ew = new Int32Array(entries * 2);
        ew.set(entryWord);
        entryWord = ew;
        const en = new Int32Array(entries * 2);
        en.set(entryNext);
        entryNext = en;
      }
      entryWord[entries] = w;
      entryNext[entries] = table[slot];
      table[slot] = entries++;
    };
    for (let k = sel.length - 1; k >= 0; k--) {
      const w = words[sel[k]];
      if (w.lit !== null && w.lit.length >= 2) {
        const c0 = w.lit.charCodeAt(0);
        if (w.lit.length === 2) add(h2, hash2(c0, w.lit.charCodeAt(1)), sel[k]);
        else add(h3, hash3(c0, w.lit.charCodeAt(1), w.lit.charCodeAt(2)), sel[k]);
        st[c0] = 1;
      } else
        for (const c0 of w.firsts) {
          add(h1, c0, sel[k]);
          st[c0] = 1;
        }
    }
    const out: { index: number; 0: string }[] = [];
    const ew = entryWord;
    const en = entryNext;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c0 = s.charCodeAt(i);
      if (st[c0] === 0) continue;
      let best = -1;
      let bestLen = 0;
      // (the words a unit or a pattern starts: the first of them that matches here)
      for (let e = h1[c0]; e >= 0; e = en[e]) {
        const l = this.at(words[ew[e]], s, i);
        if (l > 0) {
          best = ew[e];
          bestLen = l;
          break;
        }
      }
      // (the literals of two units or more, by their first two; one before `best` in the order wins)
      if (i + 1 < n) {
        const c1 = s.charCodeAt(i + 1);
        for (let e = h2[hash2(c0, c1)]; e >= 0; e = en[e]) {
          const w = ew[e];
          if (best >= 0 && w > best) break;
          const lit = words[w].lit!;
          if (s.startsWith(lit, i)) {
            best = w;
            bestLen = 2;
            break;
          }
        }
        if (i + 2 < n)
          for (let e = h3[hash3(c0, c1, s.charCodeAt(i + 2))]; e >= 0; e = en[e]) {
            const w = ew[e];
            if (best >= 0 && w > best) break;
            const lit = words[w].lit!;
            if (s.startsWith(lit, i)) {
              best = w;
              bestLen = lit.length;
              break;
            }
          }
      }
      if (best < 0) continue;
      out.push({ index: i, 0: s.slice(i, i + bestLen) });
      i += bestLen - 1;
    }
    // (the tables cleared for the next finder)
    for (const k of sel) {
      const w = words[k];
      if (w.lit !== null && w.lit.length >= 2) {
        const c0 = w.lit.charCodeAt(0);
        if (w.lit.length === 2) h2[hash2(c0, w.lit.charCodeAt(1))] = -1;
        else h3[hash3(c0, w.lit.charCodeAt(1), w.lit.charCodeAt(2))] = -1;
        st[c0] = 0;
      } else
        for (const c0 of w.firsts) {
          h1[c0] = -1;
          st[c0] = 0;
        }
    }
    return out;
  }
}

let canon: Uint16Array | null = null;
/**
 * `s` with each code unit replaced by its canonical form in a case-insensitive pattern without the u flag (ECMA-262
 * Canonicalize: the upper case when it is one unit, unless that takes a unit outside ASCII into it). `/w/i` matches
 * at an index of a text iff `canonical(w)` matches there, case-sensitively, in `canonical(text)` (for the words
 * WordHits reads: plain characters, escaped punctuation, classes of plain characters, dots; test/privacy/word-hits.test.ts
 * checks the special categories' characters against V8's own matching).
 */
export function canonical(s: string): string {
  if (canon === null) {
    canon = new Uint16Array(0x10000);
    for (let c = 0; c < 0x10000; c++) {
      const u = String.fromCharCode(c).toUpperCase();
      canon[c] = u.length !== 1 || (c >= 128 && u.charCodeAt(0) < 128) ? c : u.charCodeAt(0);
    }
  }
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = canon[s.charCodeAt(i)];
  let r = '';
  for (let i = 0; i < out.length; i += 4096) r += String.fromCharCode(...out.subarray(i, i + 4096));
  return r;
}
