/**
 * Literal prefilter for the privacy scanner's rules: which rules can find anything in a text, from one pass over it.
 *
 * Most rules look for words ("salary", "passport", "diagnosed with"...) that ordinary text, code and logs do not
 * contain, yet each of them scans the whole prompt with its own pattern (or its own gate pattern) to learn that.
 * Here the literals a pattern needs are read off the pattern itself (`requiredLiterals`: every match contains one
 * of them), the literals of all gated rules go into one Aho-Corasick automaton, and one pass over the text says
 * which are present. A rule whose patterns all need a literal that is absent cannot match, so skipping it changes
 * no finding; a pattern the analysis cannot bound (a class of many characters, a back-reference, ...) makes its
 * rule run always.
 *
 * Presence is tested ASCII case-insensitively (the automaton folds A-Z); a literal of a case-sensitive pattern is
 * then confirmed with an exact `includes`. Non-ASCII characters with a case are cut out of the literals of
 * case-insensitive patterns (a piece of a needed literal is needed too); caseless ones (CJK, arrows) are kept.
 */

// ---------------------------------------------------------------- what a pattern needs

/** Strings of which every match of a node (or the text around it, for lookarounds) contains one; null: unknown. */
type Need = string[] | null;

interface Info {
  /** Every string the node can match, when few (null otherwise). */
  exact: string[] | null;
  /** A set of strings of which one is in the text wherever the node matches; null when none is known. */
  need: Need;
}

const MAX_EXACT = 64;
const MAX_LEN = 40;
const ANY: Info = { exact: null, need: null };
const EMPTY: Info = { exact: [''], need: null };

/** A character's weight for choosing the rarer of two needs (common ones count less). */
function charWeight(c: string): number {
  if (c === ' ' || c === '\n' || c === '\t') return 0.2;
  if (/[.,:;()=\-_/'"0-9]/.test(c)) return 0.5;
  if (/[a-z]/.test(c)) return 1;
  if (/[A-Z]/.test(c)) return 1.1;
  return 1.5;
}
function score(set: readonly string[]): number {
  let min = Infinity;
  for (const s of set) {
    let w = 0;
    for (const c of s) w += charWeight(c);
    min = Math.min(min, w);
  }
  return min - 0.3 * Math.log2(set.length);
}

class Parser {
  private i = 0;
  private readonly src: string;
  private readonly icase: boolean;
  private readonly unicode: boolean;
  constructor(re: RegExp) {
    this.src = re.source;
    this.icase = re.flags.includes('i');
    this.unicode = re.flags.includes('u') || re.flags.includes('v');
  }

  parse(): Info {
    const r = this.alternation();
    if (this.i < this.src.length) throw new Error(`unparsed at ${this.i}`);
    return r;
  }

  private peek(): string {
    return this.src[this.i];
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0];
    let exact: string[] | null = [];
    let need: string[] | null = [];
    for (const b of branches) {
      if (exact && b.exact && exact.length + b.exact.length <= MAX_EXACT) exact.push(...b.exact);
      else exact = null;
      const bn = best(b);
      if (need && bn) need.push(...bn);
      else need = null;
    }
    return { exact: exact ? [...new Set(exact)] : null, need: need ? [...new Set(need)] : null };
  }

  private sequence(): Info {
    const terms: Info[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') terms.push(this.quantified());
    // candidates: each term's own need, and the products of runs of consecutive terms with exact strings
    const candidates: string[][] = [];
    for (const t of terms) if (t.need) candidates.push(t.need);
    let run: string[] | null = null;
    const flush = () => {
      if (run && !run.includes('')) candidates.push(run);
      run = null;
    };
    for (const t of terms) {
      if (!t.exact) {
        flush();
        continue;
      }
      if (run === null) {
        run = t.exact;
        continue;
      }
      const p = product(run, t.exact);
      if (p) run = p;
      else {
        flush();
        run = t.exact;
      }
    }
    flush();
    let exact: string[] | null = [''];
    for (const t of terms) exact = exact && t.exact ? product(exact, t.exact) : null;
    let need: Need = null;
    for (const c of candidates) if (need === null || score(c) > score(need)) need = c;
    return { exact, need };
  }

  private quantified(): Info {
    const atom = this.atom();
    let min = 1;
    let max = 1;
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Infinity;
    } else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i));
      if (m) {
        this.i += m[0].length;
        min = Number(m[1]);
        max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
      }
    } else return atom;
    if (this.peek() === '?') this.i++; // lazy
    if (min === 0) {
      if (max === 1 && atom.exact) return { exact: [...new Set(['', ...atom.exact])], need: null };
      return EMPTY_OR_ANY;
    }
    let exact: string[] | null = null;
    if (atom.exact && min === max && min <= 8) {
      exact = [''];
      for (let k = 0; k < min && exact; k++) exact = product(exact, atom.exact);
    }
    return { exact, need: best(atom) };
  }

  private atom(): Info {
    const c = this.src[this.i++];
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '.':
        return ANY;
      case '^':
      case '$':
        return EMPTY;
      case '\\':
        return this.escape();
      default:
        return this.char(c);
    }
  }

  private char(c: string): Info {
    return { exact: [this.fold(c)], need: null };
  }

  private fold(c: string): string {
    return this.icase ? c.toLowerCase() : c;
  }

  private group(): Info {
    let kind: 'capture' | 'plain' | 'look' | 'negative' = 'capture';
    if (this.peek() === '?') {
      const rest = this.src.slice(this.i, this.i + 3);
      if (rest.startsWith('?:')) {
        kind = 'plain';
        this.i += 2;
      } else if (rest.startsWith('?=') || rest.startsWith('?<=')) {
        kind = 'look';
        this.i += rest.startsWith('?=') ? 2 : 3;
      } else if (rest.startsWith('?!') || rest.startsWith('?<!')) {
        kind = 'negative';
        this.i += rest.startsWith('?!') ? 2 : 3;
      } else if (rest.startsWith('?<')) {
        const end = this.src.indexOf('>', this.i);
        if (end < 0) throw new Error('named group');
        this.i = end + 1;
      } else throw new Error(`group modifier ${rest}`);
    }
    const inner = this.alternation();
    if (this.src[this.i++] !== ')') throw new Error('unclosed group');
    // A lookaround matches nothing itself; a positive one needs its content in the text all the same.
    if (kind === 'look') return { exact: [''], need: best(inner) };
    if (kind === 'negative') return EMPTY;
    return inner;
  }

  /** A class: its characters when few (folded), else unknown. */
  private charClass(): Info {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const chars = new Set<string>();
    let unbounded = false;
    while (this.i < this.src.length && this.peek() !== ']') {
      const a = this.classAtom();
      if (typeof a !== 'string') {
        if (a === null) unbounded = true;
        else for (const c of a) chars.add(c);
        continue;
      }
      if (this.peek() === '-' && this.i + 1 < this.src.length && this.src[this.i + 1] !== ']') {
        this.i++;
        const b = this.classAtom();
        if (typeof b !== 'string') {
          // "[a-\d]": a, "-" and the class (non-unicode patterns only)
          if (b === null) unbounded = true;
          else for (const c of b) chars.add(c);
          chars.add(a);
          chars.add('-');
          continue;
        }
        const lo = a.codePointAt(0)!;
        const hi = b.codePointAt(0)!;
        if (hi - lo > 32) unbounded = true;
        else for (let x = lo; x <= hi; x++) chars.add(String.fromCodePoint(x));
        continue;
      }
      chars.add(a);
    }
    if (this.src[this.i++] !== ']') throw new Error('unclosed class');
    if (negated || unbounded) return ANY;
    const folded = [...new Set([...chars].map((c) => this.fold(c)))];
    return folded.length <= 16 ? { exact: folded, need: null } : ANY;
  }

  /** One character of a class, the digits for \d, or null for another class escape (\w, \s, \p{..}...). */
  private classAtom(): string | string[] | null {
    const c = this.src[this.i++];
    if (c !== '\\') {
      if (this.unicode) {
        const cp = this.src.codePointAt(this.i - 1)!;
        if (cp > 0xffff) {
          this.i++;
          return String.fromCodePoint(cp);
        }
      }
      return c;
    }
    const e = this.src[this.i++];
    if (e === 'd') return DIGITS;
    if ('DwWsSpP'.includes(e)) {
      if ((e === 'p' || e === 'P') && this.peek() === '{') this.i = this.src.indexOf('}', this.i) + 1;
      return null;
    }
    if (e === 'b') return '\b';
    return this.escapedChar(e);
  }

  /** The character an escape (after the backslash, `e` already read) stands for. */
  private escapedChar(e: string): string {
    switch (e) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case '0':
        return '\0';
      case 'x': {
        const h = this.src.slice(this.i, this.i + 2);
        this.i += 2;
        return String.fromCharCode(parseInt(h, 16));
      }
      case 'u': {
        if (this.peek() === '{' && this.unicode) {
          const end = this.src.indexOf('}', this.i);
          const cp = parseInt(this.src.slice(this.i + 1, end), 16);
          this.i = end + 1;
          return String.fromCodePoint(cp);
        }
        const h = this.src.slice(this.i, this.i + 4);
        this.i += 4;
        return String.fromCharCode(parseInt(h, 16));
      }
      case 'c': {
        const l = this.src[this.i++];
        return String.fromCharCode(l.charCodeAt(0) % 32);
      }
      default:
        return e;
    }
  }

  private escape(): Info {
    const e = this.src[this.i];
    if (e === 'b' || e === 'B') {
      this.i++;
      return EMPTY;
    }
    if (/[1-9]/.test(e)) {
      while (/[0-9]/.test(this.peek() ?? '')) this.i++;
      return ANY; // a back-reference repeats a group (whose own needs already count)
    }
    if (e === 'k' && this.src[this.i + 1] === '<') {
      this.i = this.src.indexOf('>', this.i) + 1;
      return ANY;
    }
    if (e === 'd') {
      this.i++;
      return { exact: DIGITS, need: null };
    }
    if ('DwWsS'.includes(e)) {
      this.i++;
      return ANY;
    }
    if (e === 'p' || e === 'P') {
      this.i++;
      if (this.peek() === '{') this.i = this.src.indexOf('}', this.i) + 1;
      return ANY;
    }
    this.i++;
    return this.char(this.escapedChar(e));
  }
}

const EMPTY_OR_ANY: Info = { exact: null, need: null };
const DIGITS = '0123456789'.split('');

function product(a: readonly string[], b: readonly string[]): string[] | null {
  if (a.length * b.length > MAX_EXACT) return null;
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  if (out.some((s) => s.length > MAX_LEN)) return null;
  return [...new Set(out)];
}

/** The better of a node's need and its exact strings (when none of them is empty). */
function best(n: Info): Need {
  const e = n.exact && !n.exact.includes('') ? n.exact : null;
  if (!e) return n.need;
  if (!n.need) return e;
  return score(e) >= score(n.need) ? e : n.need;
}

/**
 * Whether, case-insensitively under `flags`, the non-ASCII character `c` matches an ASCII one (the Kelvin sign and
 * "k", the long s and "s" with /iu). Otherwise every character it matches is outside ASCII, which the automaton
 * reads as one symbol whatever its case (as 127): `c` can stay in a key.
 */
const asciiTwins = new Map<string, boolean>();
function hasAsciiTwin(c: string, flags: string): boolean {
  const k = flags + c;
  let r = asciiTwins.get(k);
  if (r === undefined) {
    const re = new RegExp(`^${c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')}$`, flags);
    r = false;
    for (let x = 0; x < 128 && !r; x++) r = re.test(String.fromCharCode(x));
    asciiTwins.set(k, r);
  }
  return r;
}

/**
 * The pieces of `s` that can be looked for: ASCII characters, and non-ASCII ones (in a case-insensitive pattern,
 * a cased one only when none of its case variants is ASCII: the automaton reads every non-ASCII code unit as one
 * symbol, so its case does not matter; one that may match an ASCII character cuts the literal). The longest piece.
 */
function searchable(s: string, icase: boolean, unicode: boolean): string {
  let bestPiece = '';
  let cur = '';
  for (const c of s) {
    const cased = c.toLowerCase() !== c.toUpperCase();
    // (with /iu, "k" and "s" also match the Kelvin sign and the long s)
    const ok =
      c.charCodeAt(0) < 128
        ? !(icase && unicode && (c === 'k' || c === 's'))
        : c.length === 1 && !(icase && cased && hasAsciiTwin(c, unicode ? 'iu' : 'i'));
    if (ok) cur += c;
    else {
      if (cur.length > bestPiece.length) bestPiece = cur;
      cur = '';
    }
  }
  return cur.length > bestPiece.length ? cur : bestPiece;
}

export interface Literal {
  /** As the pattern needs it (case-sensitive patterns: exact case). */
  text: string;
  /** Whether the pattern is case-insensitive (ASCII folding is then the whole test). */
  icase: boolean;
}

/**
 * Literals of which every match of `re` (a lookahead's or lookbehind's content included) has one in the text, or
 * null when none can be read off the pattern (the caller must then treat the pattern as able to match anything).
 */
export function requiredLiterals(re: RegExp): Literal[] | null {
  let info: Info;
  try {
    info = new Parser(re).parse();
  } catch {
    return null;
  }
  const need = best(info);
  if (!need) return null;
  const icase = re.flags.includes('i');
  const unicode = re.flags.includes('u') || re.flags.includes('v');
  const out = new Map<string, Literal>();
  for (const s of need) {
    const piece = searchable(s, icase, unicode);
    if (!piece) return null;
    out.set(piece, { text: piece, icase });
  }
  return [...out.values()];
}

/**
 * The branches of a pattern's top-level alternation (`a|b(c|d)|[|]` gives `a`, `b(c|d)`, `[|]`), or null when the
 * pattern has a back-reference (a branch on its own would mean something else) or its brackets do not balance.
 */
export function topLevelBranches(src: string): string[] | null {
  if (/\\(?:[1-9]|k<)/.test(src)) return null;
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (--depth < 0) return null;
    } else if (c === '|' && depth === 0) {
      out.push(src.slice(from, i));
      from = i + 1;
    }
  }
  if (depth !== 0 || inClass) return null;
  out.push(src.slice(from));
  return out;
}

// ---------------------------------------------------------------- one pass: which literals are in a text

/** The automaton's alphabet: ASCII folded to lower case; every other code unit is one symbol (127). */
const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c < 127 ? c : 127);
/** Literals are looked for by their first characters (a prefix of a needed literal is needed too): fewer states. */
const KEY_LEN = 8;

/** Whether a pattern's source holds a capturing group (numbered or named) or a back-reference (`\\1`, `\\k<name>`). */
export function capturesOrRefers(src: string): boolean {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const d = src[i + 1] ?? '';
      if (!inClass && ((d >= '1' && d <= '9') || d === 'k')) return true;
      i++;
    } else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && (src[i + 1] !== '?' || (src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!'))) return true;
  }
  return false;
}

/** A run table of no character (a second run table that collects nothing). */
const NO_RUN_CHARS = new Uint8Array(128);

/**
 * Aho-Corasick over the literals' keys (folded, at most KEY_LEN characters) as a dense table; a pass marks every
 * state reached. Text is mostly far from any key, so the few rows in use stay cached.
 */
class Automaton {
  private readonly sym = new Uint8Array(128);
  private readonly shift: number;
  private readonly delta: Uint16Array | Int32Array;
  private readonly fail: Int32Array;
  readonly terminal: Int32Array;
  private readonly states: number;
  /** For each state, the key that ends there (-1: none): the keys present, read off the states marked. */
  private readonly stateKey: Int32Array;
  /** States from this number on have a key on their failure chain: the only ones worth marking. */
  private readonly firstOut: number;
  private readonly start: number;
  /** The same with a second run table (bit 256: the first table's characters, bit 512: the second's). */
  private cls2 = new Uint16Array(128);
  private cls2Tables: [Uint8Array, Uint8Array] | null = null;

  constructor(keys: readonly string[]) {
    // symbols: 0 for characters in no key
    let n = 1;
    for (const k of keys)
      for (let i = 0; i < k.length; i++) {
        const c = fold(k.charCodeAt(i));
        if (this.sym[c] === 0) this.sym[c] = n++;
      }
    for (let c = 65; c <= 90; c++) this.sym[c] = this.sym[c + 32];
    let shift = 0;
    while (1 << shift < n) shift++;
    this.shift = shift;
    const width = 1 << shift;
    // the trie of the keys
    const next: number[][] = [new Array<number>(width).fill(-1)];
    const terminal = new Int32Array(keys.length);
    keys.forEach((k, ki) => {
      let s = 0;
      for (let i = 0; i < k.length; i++) {
        const y = this.sym[fold(k.charCodeAt(i))];
        if (next[s][y] < 0) {
          next[s][y] = next.length;
          next.push(new Array<number>(width).fill(-1));
        }
        s = next[s][y];
      }
      terminal[ki] = s;
    });
    // its transitions completed breadth first through the failure links
    const states = next.length;
    const delta = states < 0x10000 ? new Uint16Array(states * width) : new Int32Array(states * width);
    const fail = new Int32Array(states);
    const order = new Int32Array(states);
    let head = 0;
    let tail = 0;
    for (let y = 0; y < width; y++) {
      const t = next[0][y];
      if (t > 0) {
        delta[y] = t;
        order[tail++] = t;
      }
    }
    while (head < tail) {
      const s = order[head++];
      for (let y = 0; y < width; y++) {
        const t = next[s][y];
        if (t > 0) {
          fail[t] = delta[fail[s] * width + y];
          delta[s * width + y] = t;
          order[tail++] = t;
        } else delta[s * width + y] = delta[fail[s] * width + y];
      }
    }
    const output = new Uint8Array(states);
    for (const t of terminal) output[t] = 1;
    for (let k = 0; k < tail; k++) if (output[fail[order[k]]] === 1) output[order[k]] = 1;
    // states renumbered with those worth marking last, so the pass tests a number (s >= firstOut), not a table; each
    // group breadth first (the root, then by depth): the shallow states, where text mostly is, share cache lines
    const byDepth = [0, ...order.subarray(0, tail)];
    const perm = new Int32Array(states);
    let id = 0;
    for (const x of byDepth) if (output[x] === 0) perm[x] = id++;
    this.firstOut = id;
    for (const x of byDepth) if (output[x] === 1) perm[x] = id++;
    const delta2 = states < 0x10000 ? new Uint16Array(states * width) : new Int32Array(states * width);
    const fail2 = new Int32Array(states);
    for (let x = 0; x < states; x++) {
      fail2[perm[x]] = perm[fail[x]];
      for (let y = 0; y < width; y++) delta2[perm[x] * width + y] = perm[delta[x * width + y]];
    }
    this.delta = delta2;
    this.fail = fail2;
    this.terminal = terminal.map((x) => perm[x]);
    this.stateKey = new Int32Array(states).fill(-1);
    this.marked = new Int32Array(states);
    this.seen = new Uint8Array(states);
    this.terminal.forEach((t, k) => (this.stateKey[t] = k));
    this.start = perm[0];
    this.states = states;
  }

  /**
   * Marks the states with a key reached in `text`, and every state on their failure chains; returns the keys present
   * (those whose state is marked). With
   * `runs`, the same pass also collects the maximal runs of `runs.table` characters at least `runs.min` long (the end
   * taken past up to `runs.pad` "=" after them) into `runs.out`; with `runs2` too, the runs of its table as well.
   */
  run(text: string, runs?: RunSpec, runs2?: RunSpec): Int32Array {
    // (one method per kind of pass, each with its own loop and type feedback: the one method with three loops (two run
    // tables, one, none) deoptimised when a loop first ran, and inside scans of real 8 KB texts its passes took 0.41-0.42 ms per scan
    // against 0.32-0.35 ms for these, same process, interleaved)
    // (one run table: the pass with two, the second collecting nothing)
    const nm = runs ? this.passTwoRuns(text, runs, runs2 ?? { table: NO_RUN_CHARS, min: Infinity, pad: 0, out: [] }) : this.pass(text);
    return this.present(nm);
  }

  /** The pass with two run tables: the same pass, a second run start (`pad` applies to the first only). */
  private passTwoRuns(text: string, runs: RunSpec, runs2: RunSpec): number {
    const { sym, shift, delta, firstOut, seen, marked } = this;
    const other = sym[127];
    const { table, min, pad, out } = runs;
    const t2 = runs2.table;
    const min2 = runs2.min;
    const out2 = runs2.out;
    if (this.cls2Tables === null || this.cls2Tables[0] !== table || this.cls2Tables[1] !== t2) {
      for (let c = 0; c < 128; c++) this.cls2[c] = sym[c] | (table[c] === 1 ? 256 : 0) | (t2[c] === 1 ? 512 : 0);
      this.cls2Tables = [table, t2];
    }
    const cls = this.cls2;
    const n = text.length;
    let s = this.start;
    let nm = 0;
    let rs = -1;
    let rs2 = -1;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      const x = c < 128 ? cls[c] : other;
      if ((x & 256) !== 0) {
        if (rs < 0) rs = i;
      } else if (rs >= 0) {
        if (i - rs >= min) {
          let end = i;
          while (end < n && end - i < pad && text.charCodeAt(end) === 61) end++;
          out.push([rs, end]);
        }
        rs = -1;
      }
      if ((x & 512) !== 0) {
        if (rs2 < 0) rs2 = i;
      } else if (rs2 >= 0) {
        if (i - rs2 >= min2) out2.push([rs2, i]);
        rs2 = -1;
      }
      s = delta[(s << shift) | (x & 127)];
      if (s >= firstOut && seen[s] === 0) {
        seen[s] = 1;
        marked[nm++] = s;
      }
    }
    if (rs >= 0 && n - rs >= min) out.push([rs, n]);
    if (rs2 >= 0 && n - rs2 >= min2) out2.push([rs2, n]);
    return nm;
  }

  /** The pass alone. */
  private pass(text: string): number {
    const { sym, shift, delta, firstOut, seen, marked } = this;
    const other = sym[127];
    const n = text.length;
    let s = this.start;
    let nm = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      s = delta[(s << shift) | (c < 128 ? sym[c] : other)];
      if (s >= firstOut && seen[s] === 0) {
        seen[s] = 1;
        marked[nm++] = s;
      }
    }
    return nm;
  }

  /**
   * The keys present after a pass that marked `nm` states (in `marked`, each once, `seen` set): the states on their
   * failure chains marked too, then every mark cleared (`seen` all zero again for the next pass).
   */
  private present(nm: number): Int32Array {
    const { seen, marked, firstOut } = this;
    // a state reached means its suffixes (failure chain) were present too (only those with a key on their chain count:
    // a key's state is one of them)
    const fail = this.fail;
    for (let k = 0; k < nm; k++) {
      const f = fail[marked[k]];
      if (f >= firstOut && seen[f] === 0) {
        seen[f] = 1;
        marked[nm++] = f;
      }
    }
    const stateKey = this.stateKey;
    let np = 0;
    for (let k = 0; k < nm; k++) if (stateKey[marked[k]] >= 0) np++;
    const present = new Int32Array(np);
    np = 0;
    for (let k = 0; k < nm; k++) {
      const key = stateKey[marked[k]];
      if (key >= 0) present[np++] = key;
      seen[marked[k]] = 0;
    }
    return present;
  }
  /** (scratch for run: the states marked in a pass) */
  private readonly seen: Uint8Array;
  /** (scratch for run: at most every state is marked once) */
  private readonly marked: Int32Array;
}

/** Runs of characters to collect in the same pass (see Automaton.run). */
export interface RunSpec {
  table: Uint8Array;
  min: number;
  pad: number;
  out: [number, number][];
}

/** A rule's gate: always open, open when one of its literals is in the text, or open when all of its parts are. */
type Lit = { key: number; exact: string | null };
export type Gate = { always: true; lits?: undefined } | { always: false; lits: Lit[] } | { always: false; all: Gate[]; lits?: undefined };
/**
 * Gates asked together, each for itself (`open.each`): their literals by key, so the answers come from the keys present in
 * the text (a few hundred) instead of from each gate's literals (the special categories' 5,800 words, one gate each).
 */
export class GateList {
  readonly size: number;
  /** gates always open */
  readonly always: number[] = [];
  /** gates made with all(): asked one by one */
  readonly parts: [number, Gate][] = [];
  /**
   * The gates with a literal of each key, flat (speed: read by key number, not through a map): those of key `k` are
   * entries `keyStart[k]` to `keyStart[k + 1]` (keys above `keyStart.length - 2` have none); entry `j` is gate
   * `gateOf[j]` with its exact literal `exactOf[j]` (null: case-insensitive, the key decides).
   */
  readonly keyStart: Int32Array;
  readonly gateOf: Int32Array;
  readonly exactOf: (string | null)[];
  constructor(gates: readonly Gate[]) {
    this.size = gates.length;
    const byKey = new Map<number, [number, string | null][]>();
    let maxKey = -1;
    let entries = 0;
    gates.forEach((g, i) => {
      if (g.always) this.always.push(i);
      else if (g.lits === undefined) this.parts.push([i, g]);
      else
        for (const l of g.lits) {
          let list = byKey.get(l.key);
          if (list === undefined) byKey.set(l.key, (list = []));
          list.push([i, l.exact]);
          if (l.key > maxKey) maxKey = l.key;
          entries++;
        }
    });
    this.keyStart = new Int32Array(maxKey + 2);
    this.gateOf = new Int32Array(entries);
    this.exactOf = new Array<string | null>(entries);
    let j = 0;
    for (let k = 0; k <= maxKey; k++) {
      this.keyStart[k] = j;
      for (const [i, exact] of byKey.get(k) ?? []) {
        this.gateOf[j] = i;
        this.exactOf[j++] = exact;
      }
    }
    this.keyStart[maxKey + 1] = j;
  }
}
/**
 * Marks in `out` each gate of `list` that has a literal whose key is among the keys present in `text` (and, for an exact
 * literal, that is in the text itself): what `open(gate)` answers for a gate of literals.
 */
function markFromKeys(list: GateList, present: Int32Array, text: string, out: Uint8Array): void {
  const { keyStart, gateOf, exactOf } = list;
  const keys = keyStart.length - 1;
  for (let k = 0; k < present.length; k++) {
    const key = present[k];
    if (key >= keys) continue;
    for (let j = keyStart[key], end = keyStart[key + 1]; j < end; j++) {
      const i = gateOf[j];
      if (out[i] === 0) {
        const exact = exactOf[j];
        if (exact === null || text.includes(exact)) out[i] = 1;
      }
    }
  }
}
/** The answers of a pass over a text (`Prefilter.scan`): `open(gate)`, and `each(list)`, 1 for each open gate of the list. */
export type Open = ((g: Gate) => boolean) & { ran: boolean; each(list: GateList): Uint8Array };

/** A gate of at least this many literals may be answered from the keys present in the text (Prefilter.openBig). */
const BIG_GATE = 64;

/**
 * Gates for rules, built once (at module load), then one pass per text: `scan(text)` returns `open(gate)`, true when
 * the rule may find something in `text`.
 */
export class Prefilter {
  private readonly keys: string[] = [];
  private readonly keyIndex = new Map<string, number>();
  private automaton: Automaton | null = null;
  /** Off: every gate open (tests compare the scanner with and without the prefilter). */
  enabled = true;

  /** A gate open when any of `patterns` could match (or always, when one of them needs no literal). */
  gate(...patterns: readonly RegExp[]): Gate {
    // (one pattern's gate is kept by its source and flags: twins of a word list ask for the same words' gates)
    const memoKey = patterns.length === 1 ? `${patterns[0].flags.replace(/[gy]/g, '')}/${patterns[0].source}` : null;
    const memo = memoKey === null ? undefined : this.gateMemo.get(memoKey);
    if (memo !== undefined) return memo;
    const g = this.gateOf(patterns);
    if (memoKey !== null) this.gateMemo.set(memoKey, g);
    return g;
  }

  private readonly gateMemo = new Map<string, Gate>();

  private gateOf(patterns: readonly RegExp[]): Gate {
    const need: Literal[] = [];
    for (const re of patterns) {
      const n = requiredLiterals(re);
      if (n === null) return { always: true };
      need.push(...n);
    }
    // a literal that contains another of the gate is present only where that one is: the shorter one will do
    const lower = (t: string) => t.replace(/[A-Z]/g, (c) => c.toLowerCase());
    // (each literal lowered once: the test below pairs every literal with every other, and gates of a thousand
    // literals lowered both sides of each pair for half of the privacy module's load time)
    const low = need.map((l) => lower(l.text));
    const implied = (i: number, j: number) =>
      i !== j && (need[j].icase ? low[i].includes(low[j]) : !need[i].icase && need[i].text.includes(need[j].text));
    const kept = need.filter((_, i) => !need.some((_y, j) => implied(i, j) && !(implied(j, i) && j > i)));
    const lits: { key: number; exact: string | null }[] = [];
    for (const l of kept) {
      // (code units: a character outside ASCII is one symbol per unit, in the text as in the key)
      const k = lower(l.text)
        .slice(0, KEY_LEN)
        .split('')
        .map((c) => (c.charCodeAt(0) < 127 ? c : '\x7f'))
        .join('');
      let key = this.keyIndex.get(k);
      if (key === undefined) {
        key = this.keys.length;
        this.keys.push(k);
        this.keyIndex.set(k, key);
        this.automaton = null;
      }
      // the key found says "maybe": a case-sensitive literal is then confirmed exactly; a case-insensitive one stays
      // a "maybe" (the rule runs)
      lits.push({ key, exact: l.icase ? null : l.text });
    }
    return { always: false, lits };
  }

  /**
   * A gate open when one of `gates` is: their literals together (one test instead of one per gate), or always open when
   * one of them is. Gates made with `all` are not merged: give those one by one.
   */
  any(...gates: Gate[]): Gate {
    const lits: { key: number; exact: string | null }[] = [];
    const seen = new Set<string>();
    for (const g of gates) {
      if (g.always) return { always: true };
      if ('all' in g) throw new Error('Prefilter.any: a gate made with all() cannot be merged');
      for (const l of g.lits) {
        const id = `${l.key}\u0000${l.exact ?? ''}\u0000${l.exact === null ? 'i' : 'x'}`;
        if (!seen.has(id)) {
          seen.add(id);
          lits.push(l);
        }
      }
    }
    return { always: false, lits };
  }

  /** A gate open when every one of `gates` is (a rule that returns unless each of several patterns matches). */
  all(...gates: Gate[]): Gate {
    const parts = gates.filter((g) => !g.always);
    return parts.length === 0 ? { always: true } : { always: false, all: parts };
  }

  /**
   * One pass over `text`; the returned function answers for any gate of this prefilter. With `runs` (and `runs2`),
   * the pass also collects runs of characters into `runs.out` (`runs2.out`) (when the prefilter is off it does not: `runs.out` stays empty and
   * the caller must collect them itself; the function returned then has `ran` false).
   */
  scan(text: string, runs?: RunSpec, runs2?: RunSpec): Open {
    if (!this.enabled) return Object.assign(() => true, { ran: false, each: (list: GateList) => new Uint8Array(list.size).fill(1) });
    this.automaton ??= new Automaton(this.keys);
    const a = this.automaton;
    const present = a.run(text, runs, runs2);
    // (1 for each key present: a literal's key looked up directly)
    const keyOn = new Uint8Array(this.keys.length);
    for (let k = 0; k < present.length; k++) keyOn[present[k]] = 1;
    const open = (g: Gate): boolean => {
      if (g.always) return true;
      const lits = g.lits;
      if (lits === undefined) return g.all.every(open);
      // (no key in the text: no literal gate is open)
      if (present.length === 0) return false;
      // (a gate of more literals than the text has keys: its keys looked up from the text's, the same answer)
      if (lits.length > present.length * 4 && lits.length >= BIG_GATE) return this.openBig(g, present, text);
      for (const l of lits) if (keyOn[l.key] === 1 && (l.exact === null || text.includes(l.exact))) return true;
      return false;
    };
    // (what open(g) answers for each gate of the list: a gate is open iff one of its literals' keys is present and,
    // for an exact literal, the literal is in the text)
    const each = (list: GateList): Uint8Array => {
      const out = new Uint8Array(list.size);
      for (const i of list.always) out[i] = 1;
      for (const [i, g] of list.parts) if (open(g)) out[i] = 1;
      markFromKeys(list, present, text, out);
      return out;
    };
    this.last = { text, open, each };
    return Object.assign(open, { ran: true, each });
  }

  /**
   * `re.test` with the same answer, faster where few of its branches can match: for a pattern that is an alternation
   * at its top level (`passport|licen[cs]e|\btin\b|...`), each branch runs on its own, and only where the latest pass
   * (`scan`) over `passText` saw a literal the branch needs; when the latest pass was over another text, the whole
   * pattern runs. (A pattern matches somewhere iff one of its top-level branches
   * does.) `twin`, when given, is what runs on `s` (e.g. the lowercase twin of `re` on a lowercased copy of
   * `passText`): the same branches, the same literals up to ASCII case. Patterns it cannot split (a back-reference,
   * unbalanced brackets, a single branch) always run whole.
   */
  anyOf(re: RegExp, twin: RegExp = re): (s: string, passText: string) => boolean {
    const whole = new RegExp(twin.source, twin.flags.replace(/[gy]/g, ''));
    const a = topLevelBranches(re.source);
    const b = topLevelBranches(twin.source);
    if (a === null || b === null || a.length !== b.length || a.length < 2) return (s) => whole.test(s);
    const flagsA = re.flags.replace(/[gy]/g, '');
    const flagsB = twin.flags.replace(/[gy]/g, '');
    const branches = a.map((src, i) => ({ gate: this.gate(new RegExp(src, flagsA)), re: new RegExp(b[i], flagsB) }));
    return (s, passText) => {
      const last = this.last;
      if (!this.enabled || last === null || last.text !== passText) return whole.test(s);
      // (each open branch alone, however many: on 8 KB of real text, 14 to 17 open branches of 64 ran 5-10 times
      // faster one by one than the whole alternation, 0.3-0.5 ms against 2.5-3.6 ms)
      for (const br of branches) if (last.open(br.gate) && br.re.test(s)) return true;
      return false;
    };
  }

  /** Big gates, each as a list of one (its literals by key, as `open.each` reads a list). */
  private readonly bigGates = new WeakMap<Gate, GateList>();
  private openBig(g: Gate & { lits: Lit[] }, present: Int32Array, text: string): boolean {
    let list = this.bigGates.get(g);
    if (list === undefined) this.bigGates.set(g, (list = new GateList([g])));
    const out = new Uint8Array(1);
    markFromKeys(list, present, text, out);
    return out[0] === 1;
  }

  /** The latest pass: its text and its answers (see mayMatch). */
  private last: { text: string; open: (g: Gate) => boolean; each: (list: GateList) => Uint8Array } | null = null;

  /**
   * The global pattern `prefix(?:b0|b1|…)suffix` (flags `flags`, case-insensitive) for matching all over a text, with
   * the same matches and faster where few branches can match: made of the branches whose literals the latest pass
   * (`scan`) over `passText` saw, in their order. (A branch whose literal is nowhere in the text matches at no position,
   * and the others are tried in the same order at each position: the same leftmost match everywhere.) With `lower`,
   * the pattern's lowercase twin (source lowercased, no "i" flag) for `passText` lowercased (pure ASCII; the caller
   * checks the whole pattern with lowerTwin). Null when no branch can match (a pattern of none would still be tried at
   * every position). When the latest pass was over another text, the whole pattern. The patterns made are kept (up
   * to 256 sets of branches).
   */
  alternation(
    prefix: string,
    branches: readonly string[],
    suffix: string,
    flags: string,
  ): (passText: string, lower: boolean) => RegExp | null {
    if (!flags.includes('g') || !flags.includes('i')) throw new Error('Prefilter.alternation: flags need g and i');
    // (a branch left out must not move the groups after it: no branch may hold a capturing group or a back-reference)
    for (const b of branches)
      if (capturesOrRefers(b))
        throw new Error(`Prefilter.alternation: the branch ${b.slice(0, 40)} holds a capturing group or a back-reference`);
    const make = (bs: readonly string[], lower: boolean) => {
      const src = `${prefix}(?:${bs.join('|')})${suffix}`;
      return lower ? new RegExp(src.toLowerCase(), flags.replace('i', '')) : new RegExp(src, flags);
    };
    // (each set of branches as [pattern, lowercase twin], the twin made when first asked: a unicode pattern has none)
    type Made = [RegExp, RegExp | null, readonly string[]];
    const twinOf = (m: Made) => (m[1] ??= make(m[2], true));
    const whole: Made = [make(branches, false), null, branches];
    const list = new GateList(branches.map((b) => this.gate(new RegExp(b, flags.replace(/[gy]/g, '')))));
    const made = new Map<string, Made | null>();
    return (passText, lower) => {
      const last = this.last;
      if (!this.enabled || last === null || last.text !== passText) return lower ? twinOf(whole) : whole[0];
      const on = last.each(list);
      let key = '';
      for (let i = 0; i < on.length; i++) if (on[i] === 1) key += `${i},`;
      let res = made.get(key);
      if (res === undefined) {
        if (made.size >= 256) made.clear();
        const bs = branches.filter((_, i) => on[i] === 1);
        res = bs.length === 0 ? null : [make(bs, false), null, bs];
        made.set(key, res);
      }
      return res === null ? null : lower ? twinOf(res) : res[0];
    };
  }

  /**
   * False only when the latest pass (`scan`) was over `text` itself and `g` is shut there: for a test inside a rule
   * (`mayMatch(gate, text) && RE.test(text)`) without passing the pass's answers down. On any other text (a nested
   * scan ran since, a slice, a lowercased copy) it answers true, and the rule's own test decides.
   */
  mayMatch(g: Gate, text: string): boolean {
    const last = this.last;
    return !this.enabled || last === null || last.text !== text || last.open(g);
  }

  /** Drops the latest pass (and the text it holds): call when the scan of a text is over. */
  forget(): void {
    this.last = null;
  }
}
