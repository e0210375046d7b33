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
 * Several finders over one text (`findEach`: the special categories' sets over the lowercased text) read its units once:
 * the indexes where a unit starts an open word of a finder are listed for each, and each finder's chains of its open
 * words are built for its turn and looked up only there. In a text much shorter than a finder's words (the decoded blobs'
 * strings, tens of units: listing and chaining hundreds of open words cost more than the search), and for all the words,
 * the chains of all its words, built once, are looked up at each index, skipping the words not open.
 *
 * Why: the special categories' sets hold up to 2,800 words, and on text outside ASCII the prefilter's pass leaves
 * hundreds of them open (it reads each non-ASCII code unit as one symbol); an alternation of those words compiled for
 * each text cost the compilation (and V8's tier-up of it) on every text.
 */

/** A hit: where, and the text matched. */
export type Hit = { index: number; 0: string };
/** A finder and the words it looks for: word i iff `on[off + i] === 1` (all of them when `on` is null). */
export interface WordJob {
  hits: WordHits;
  on: Uint8Array | null;
  off: number;
}

/** One word: a literal, or a sticky pattern and the code units a match may start with. */
interface Word {
  lit: string | null;
  sticky: RegExp | null;
  global: RegExp | null;
  firsts: number[];
}

const ONE = 1;
const TWO = 2;
const THREE = 4;
// (the keys: one unit; two units packed; three units' 32-bit hash (startsWith confirms))
const key2 = (c0: number, c1: number) => (c0 << 16) | c1;
const key3 = (k2: number, c2: number) => Math.imul(Math.imul(k2, 0x9e3779b1) ^ c2, 0x85ebca6b);
const slotOf = (key: number, bits: number) => Math.imul(key, 0x9e3779b1) >>> (32 - bits);

/** How long word `w`'s match at `i` is (0: none). */
function matchLength(w: Word, s: string, i: number): number {
  if (w.lit !== null) return s.startsWith(w.lit, i) ? w.lit.length : 0;
  const re = w.sticky!;
  re.lastIndex = i;
  return re.test(s) ? re.lastIndex - i : 0;
}

/**
 * Chains of words by their first units: a word of one unit or with a pattern by each unit it may start with (ONE),
 * a literal of two units by both (TWO), a longer one by its first three (THREE); each chain in three tables of
 * 2 ** bits slots (a slot from a hash of the key; an entry keeps its key, the slot's other keys are skipped), and a
 * byte a unit saying which of the three hold a word starting with it. A chain lists its words in the alternation's order
 * (built from the last word to the first).
 */
class Chains {
  readonly bits: number;
  readonly slots: number;
  /** the chains' heads: by one unit from 0, by two from `slots`, by three from 2 * `slots` (-1: none) */
  readonly heads: Int32Array;
  /** per code unit: ONE | TWO | THREE, which tables hold a word starting with it */
  readonly starts = new Uint8Array(0x10000);
  /** the entries: a word, its key, the next entry of its chain (-1 at the end) */
  word = new Int32Array(256);
  key = new Int32Array(256);
  next = new Int32Array(256);
  size = 0;

  constructor(bits: number) {
    this.bits = bits;
    this.slots = 1 << bits;
    this.heads = new Int32Array(3 * this.slots).fill(-1);
  }

  /** Word `w` of `hits` added before the chains' words (so add them from the last to the first). */
  add(hits: WordHits, w: number): void {
    const kind = hits.kind[w];
    if (kind === ONE) for (const c0 of hits.words[w].firsts) this.push(slotOf(c0, this.bits), c0, w, c0, ONE);
    else {
      const key = hits.key[w];
      this.push((kind === TWO ? this.slots : 2 * this.slots) + slotOf(key, this.bits), key, w, hits.first[w], kind);
    }
  }

  private push(h: number, key: number, w: number, c0: number, kind: number): void {
    if (this.size === this.word.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.word = grow(this.word);
      this.key = grow(this.key);
      this.next = grow(this.next);
    }
    this.word[this.size] = w;
    this.key[this.size] = key;
    this.next[this.size] = this.heads[h];
    this.heads[h] = this.size++;
    this.starts[c0] |= kind;
  }

  /** Word `w` of `hits` taken out again, with every word sharing one of its slots (the scratch chains emptied). */
  clear(hits: WordHits, w: number): void {
    const kind = hits.kind[w];
    if (kind === ONE)
      for (const c0 of hits.words[w].firsts) {
        this.heads[slotOf(c0, this.bits)] = -1;
        this.starts[c0] = 0;
      }
    else {
      this.heads[(kind === TWO ? this.slots : 2 * this.slots) + slotOf(hits.key[w], this.bits)] = -1;
      this.starts[hits.first[w]] = 0;
    }
    this.size = 0;
  }

  /**
   * How long the hit at `i` of `s` is (0: none): the first word in the alternation's order, of the chains' words that
   * `on` selects (all when null), that matches at `i`.
   */
  hitAt(words: Word[], s: string, i: number, on: Uint8Array | null, off: number): number {
    const c0 = s.charCodeAt(i);
    const k = this.starts[c0];
    if (k === 0) return 0;
    const { heads, word, key, next, bits, slots } = this;
    let best = -1;
    let bestLen = 0;
    // (the words a unit or a pattern starts: the first of them that matches here)
    if (k & ONE)
      for (let e = heads[slotOf(c0, bits)]; e >= 0; e = next[e]) {
        if (key[e] !== c0 || (on !== null && on[off + word[e]] !== 1)) continue;
        const l = matchLength(words[word[e]], s, i);
        if (l > 0) {
          best = word[e];
          bestLen = l;
          break;
        }
      }
    // (the literals of two units or more, by their first two or three; one before `best` in the order wins)
    const n = s.length;
    if (k & (TWO | THREE) && i + 1 < n) {
      const k2 = key2(c0, s.charCodeAt(i + 1));
      if (k & TWO)
        for (let e = heads[slots + slotOf(k2, bits)]; e >= 0; e = next[e]) {
          const w = word[e];
          if (best >= 0 && w > best) break;
          if (key[e] === k2 && (on === null || on[off + w] === 1)) {
            best = w;
            bestLen = 2;
            break;
          }
        }
      if (k & THREE && i + 2 < n) {
        const k3 = key3(k2, s.charCodeAt(i + 2));
        for (let e = heads[2 * slots + slotOf(k3, bits)]; e >= 0; e = next[e]) {
          const w = word[e];
          if (best >= 0 && w > best) break;
          const lit = words[w].lit!;
          if (key[e] === k3 && (on === null || on[off + w] === 1) && s.startsWith(lit, i)) {
            bestLen = lit.length;
            break;
          }
        }
      }
    }
    return bestLen;
  }
}

// (scratch chains shared by every finder for its selected words: findEach() runs to its end without calling another's,
// and clears what it set. Small, so that they stay in the cache through a pass: the scan's other rules run between two
// finds, and tables of 256 KB each, indexed by a unit or a 16-bit hash, cost a cache miss at each lookup)
const scratch = new Chains(12);
/** per code unit: which of the pass's finders (a bit each, at most 16 a pass) have a selected word starting with it */
let finders: Uint16Array | null = null;
/** the selected words of the finders of a findEach, each finder's in order */
let selected = new Int32Array(1024);

/** Below this many words, each word's own `indexOf` (or pattern) search, merged; from it on, the table's one pass. */
export const FEW_WORDS = 6;
/** A text whose length times this is at most a finder's number of words: searched with the chains of all its words. */
export const WHOLE = 4;

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
  /** (the fields are the module's: Chains reads them) */
  readonly words: Word[];
  /** each word's chain (ONE: by its first units, `firsts`; TWO, THREE: a literal by its first two or three units) */
  readonly kind: Uint8Array;
  /** each literal's key and first unit */
  readonly key: Int32Array;
  readonly first: Uint16Array;
  /** the chains of all the words, built when first asked for (`whole`) */
  private all: Chains | null = null;

  private constructor(words: Word[]) {
    this.words = words;
    const n = words.length;
    this.kind = new Uint8Array(n);
    this.key = new Int32Array(n);
    this.first = new Uint16Array(n);
    words.forEach((w, i) => {
      if (w.lit === null || w.lit.length < 2) {
        this.kind[i] = ONE;
        return;
      }
      const k2 = key2(w.lit.charCodeAt(0), w.lit.charCodeAt(1));
      const k = w.lit.length === 2 ? k2 : key3(k2, w.lit.charCodeAt(2));
      this.kind[i] = w.lit.length === 2 ? TWO : THREE;
      this.key[i] = k;
      this.first[i] = w.lit.charCodeAt(0);
    });
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

  /**
   * The matches in `s` of the alternation of the words `on` selects (word i iff `on[off + i] === 1`; all when `on` is
   * null), in order: what `s.matchAll(new RegExp(selected.join('|'), 'g'))` gives, as `{ index, 0 }`.
   */
  find(s: string, on: Uint8Array | null, off = 0): Hit[] {
    return WordHits.findEach(s, [{ hits: this, on, off }])[0];
  }

  /**
   * What `find` gives for each of `jobs` (finders with their selections) in the same text: the text's units read once
   * for all of the finders with many words selected (the special categories' sets each read the same 8 KB).
   */
  static findEach(s: string, jobs: readonly WordJob[]): Hit[][] {
    const out: Hit[][] = jobs.map(() => []);
    // (each job's selected words, listed once, in order: job j's from from[j] to from[j + 1] in `selected`)
    const from = new Int32Array(jobs.length + 1);
    let total = 0;
    // (a job for all the words, or in a text much shorter than its words: the chains of all the words, built once)
    const whole = jobs.map(({ hits, on }) => on === null || WHOLE * s.length <= hits.words.length);
    jobs.forEach(({ hits, on, off }, j) => {
      from[j + 1] = total;
      if (whole[j]) {
        out[j] = hits.whole(s, on, off);
        return;
      }
      const n = hits.words.length;
      if (selected.length < total + n) {
        const grown = new Int32Array(2 * (total + n));
        grown.set(selected.subarray(0, total));
        selected = grown;
      }
      const sel = selected;
      for (let w = 0; w < n; w++) {
        sel[total] = w;
        total += on![off + w] === 1 ? 1 : 0;
      }
      from[j + 1] = total;
    });
    // (fewer than FEW_WORDS words: each searched on its own; more: the pass, 16 finders at a time)
    const many: number[] = [];
    jobs.forEach(({ hits }, j) => {
      if (whole[j]) return;
      if (from[j + 1] - from[j] >= FEW_WORDS) many.push(j);
      else if (from[j + 1] > from[j]) out[j] = hits.merged(s, Array.from(selected.subarray(from[j], from[j + 1])));
    });
    for (let b = 0; b < many.length; b += 16) {
      const batch = many.slice(b, b + 16);
      const at = WordHits.candidates(
        s,
        batch.map((j) => [jobs[j].hits, from[j], from[j + 1]] as const),
      );
      batch.forEach((j, bit) => (out[j] = jobs[j].hits.scanned(s, from[j], from[j + 1], at[bit])));
    }
    return out;
  }

  /**
   * For each of `jobs` (at most 16), the indexes of `s` whose unit starts one of its selected words (in `selected`,
   * from `start` to `end`), in order.
   */
  private static candidates(s: string, jobs: readonly (readonly [WordHits, number, number])[]): number[][] {
    const fs = (finders ??= new Uint16Array(0x10000));
    const sel = selected;
    const mark = (clear: boolean) =>
      jobs.forEach(([{ words, kind, first }, start, end], bit) => {
        for (let k = start; k < end; k++) {
          const w = sel[k];
          if (kind[w] !== ONE) fs[first[w]] = clear ? 0 : fs[first[w]] | (1 << bit);
          else for (const c0 of words[w].firsts) fs[c0] = clear ? 0 : fs[c0] | (1 << bit);
        }
      });
    mark(false);
    const at: number[][] = jobs.map(() => []);
    const n = s.length;
    for (let i = 0; i < n; i++) {
      let m = fs[s.charCodeAt(i)];
      // (each job of the unit's bits, the lowest first)
      for (; m !== 0; m &= m - 1) at[31 - Math.clz32(m & -m)].push(i);
    }
    // (the table cleared for the next pass)
    mark(true);
    return at;
  }

  /** Each selected word's next match from its own search; the leftmost, the first word at one index, taken. */
  private merged(s: string, sel: number[]): Hit[] {
    const out: Hit[] = [];
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

  /**
   * The hits of the selected words (`selected`, from `start` to `end`) at `at`, the indexes whose unit starts one of
   * them (`candidates`): at each, the selected words that may start there (by the table), in order.
   */
  private scanned(s: string, start: number, end: number, at: number[]): Hit[] {
    const sel = selected;
    for (let k = end - 1; k >= start; k--) scratch.add(this, sel[k]);
    const out: Hit[] = [];
    // (the index the search goes on from: a hit's end)
    let from = 0;
    for (const i of at) {
      if (i < from) continue;
      const l = scratch.hitAt(this.words, s, i, null, 0);
      if (l === 0) continue;
      out.push({ index: i, 0: s.slice(i, i + l) });
      from = i + l;
    }
    // (the chains emptied for the next finder)
    for (let k = start; k < end; k++) scratch.clear(this, sel[k]);
    return out;
  }

  /**
   * The hits of the words `on` selects (all when null) by the chains of all the words, built once: the search of a
   * text shorter than the selection of the words would take to list, or of all the words.
   */
  private whole(s: string, on: Uint8Array | null, off: number): Hit[] {
    const all = (this.all ??= (() => {
      // (two slots a word, at least 16, in each table)
      const c = new Chains(Math.max(4, Math.ceil(Math.log2(2 * this.words.length))));
      for (let w = this.words.length - 1; w >= 0; w--) c.add(this, w);
      return c;
    })());
    const out: Hit[] = [];
    const st = all.starts;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      if (st[s.charCodeAt(i)] === 0) continue;
      const l = all.hitAt(this.words, s, i, on, off);
      if (l === 0) continue;
      out.push({ index: i, 0: s.slice(i, i + l) });
      i += l - 1;
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
