/**
 * Text normalisation for the privacy scanner: what a reader sees, not how it is encoded.
 *
 *  - invisible characters are removed: zero-width space/joiners, word joiner, soft hyphen, bidi controls
 *    (embeddings, overrides, isolates, marks), BOM, variation selectors, Mongolian vowel separator,
 *    Hangul fillers, tag characters;
 *  - Latin look-alikes (Cyrillic and Greek letters that render as Latin ones, typographic quotes and
 *    dashes) are mapped to the Latin/ASCII character (a small confusables map in the spirit of Unicode
 *    TR39, limited to what can stand in for ASCII in a key, a keyword or a number);
 *  - everything else non-ASCII goes through NFKC (fullwidth letters and digits, ligatures, no-break spaces,
 *    mathematical alphanumerics).
 *
 * `toOriginal` maps a span of the normalised text back to the original text, so a finding made on the
 * normalised text redacts the right characters of the original (the invisible ones inside it included).
 * Pure-ASCII text (the common case) is returned as it is, with the identity map.
 */

export interface Normalised {
  text: string;
  /** [start, end) in the normalised text -> [start, end) in the original text. */
  toOriginal(start: number, end: number): [number, number];
  /** True when the text changed. */
  changed: boolean;
  /** True when the text is known to be pure ASCII (lets the scanner match case-insensitive patterns on a lowercased copy). */
  ascii?: boolean;
}

const INVISIBLE = new Set<number>([0x00ad, 0x034f, 0x061c, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x3164, 0xfeff, 0xffa0]);
function invisible(cp: number): boolean {
  return (
    INVISIBLE.has(cp) ||
    (cp >= 0x180b && cp <= 0x180f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x2066 && cp <= 0x206f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x1bca0 && cp <= 0x1bca3) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

// Cyrillic and Greek letters that look like Latin ones, and typographic punctuation with an ASCII twin.
const CONFUSABLE_PAIRS =
  // Cyrillic lower / upper
  'а a в b е e о o р p с c у y х x ѕ s і i ј j ԁ d һ h ԛ q ԝ w ӏ l ɩ i ү y ' +
  'А A В B Е E К K М M Н H О O Р P С C Т T Х X Ѕ S І I Ј J Ү Y Ԛ Q Ԝ W Ӏ I ' +
  // Greek
  'Α A Β B Ε E Ζ Z Η H Ι I Κ K Μ M Ν N Ο O Ρ P Τ T Υ Y Χ X ο o ν v ι i ρ p α a κ k υ u ' +
  // Latin look-alikes outside ASCII
  'ı i ɡ g ɑ a ʟ L ǀ l';
const CONFUSABLE = new Map<number, string>();
{
  const t = CONFUSABLE_PAIRS.trim().split(/\s+/);
  for (let i = 0; i + 1 < t.length; i += 2) CONFUSABLE.set(t[i].codePointAt(0)!, t[i + 1]);
  for (const cp of [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x2043, 0xfe58, 0xfe63, 0xff0d]) CONFUSABLE.set(cp, '-');
  for (const cp of [0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0x02bc, 0x02b9]) CONFUSABLE.set(cp, "'");
  for (const cp of [0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0x00ab, 0x00bb]) CONFUSABLE.set(cp, '"');
  // (privacy version 20) decimal digits of other scripts are their ASCII digits: a phone number or an identifier written
  // in Bengali, Devanagari, Arabic-Indic or Thai digits is the same number (NFKC keeps them; fullwidth digits it maps)
  for (const zero of [
    0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x17e0,
    0x1810,
  ])
    for (let d = 0; d < 10; d++) CONFUSABLE.set(zero + d, String(d));
}

interface Edit {
  /** start in the normalised text */
  n: number;
  /** length in the normalised text (0 for a removed character) */
  len: number;
  /** [o, oe) in the original */
  o: number;
  oe: number;
}

// eslint-disable-next-line no-control-regex -- the ASCII range starts at \x00: any character outside it is non-ASCII
const NON_ASCII = /[^\x00-\x7f]/;

// eslint-disable-next-line no-control-regex -- a run of ASCII, from \x00
const ASCII_RUN_Y = /[\x00-\x7f]+/y;

const same = (s: number, e: number): [number, number] => [s, e];
const identity = (text: string): Normalised => ({ text, changed: false, toOriginal: same });

/**
 * (speed) What a character outside ASCII becomes, memoised: each is replaced on its own (invisible, a confusable, or
 * its NFKC form), so the answer for a code point never changes. `KEPT[cu]` is 1 for a BMP code unit (not a
 * surrogate) known to stay as it is, 2 for one known to change (its replacement in `REPLACED`).
 */
const KEPT = new Uint8Array(0x10000);
const REPLACED = new Map<number, string>();
function replacement(cp: number, ch: string): string {
  return invisible(cp) ? '' : (CONFUSABLE.get(cp) ?? ch.normalize('NFKC'));
}

export function normalise(text: string): Normalised {
  if (!NON_ASCII.test(text)) return { text, changed: false, toOriginal: same, ascii: true };
  const edits: Edit[] = [];
  let out = '';
  let copied = 0; // original index up to which text has been copied unchanged
  const n = text.length;
  for (let i = 0; i < n;) {
    const cu = text.charCodeAt(i);
    if (cu < 0x80) {
      // (speed) a run of ASCII passed over by the regex engine, several times faster than this loop, when it is long
      // (the characters after this one ASCII too; a lone space between words of another script is stepped over)
      if (i + 2 < n && text.charCodeAt(i + 1) < 0x80 && text.charCodeAt(i + 2) < 0x80) {
        ASCII_RUN_Y.lastIndex = i;
        ASCII_RUN_Y.test(text);
        i = ASCII_RUN_Y.lastIndex;
      } else i++;
      continue;
    }
    let rep: string;
    let w = 1;
    if (cu < 0xd800 || cu > 0xdfff) {
      // (a BMP character, not a surrogate: one code unit, its code point)
      const known = KEPT[cu];
      if (known === 1) {
        i++;
        continue;
      }
      if (known === 2) rep = REPLACED.get(cu)!;
      else {
        const ch = text[i];
        rep = replacement(cu, ch);
        if (rep === ch) {
          KEPT[cu] = 1;
          i++;
          continue;
        }
        KEPT[cu] = 2;
        REPLACED.set(cu, rep);
      }
    } else {
      const cp = text.codePointAt(i)!;
      w = cp > 0xffff ? 2 : 1;
      const ch = text.slice(i, i + w);
      rep = replacement(cp, ch);
      if (rep === ch) {
        i += w;
        continue;
      }
    }
    out += text.slice(copied, i);
    edits.push({ n: out.length, len: rep.length, o: i, oe: i + w });
    out += rep;
    copied = i + w;
    i += w;
  }
  if (edits.length === 0) return identity(text);
  out += text.slice(copied);

  /** The last edit whose normalised start is <= q (edits are in order), or -1. */
  const find = (q: number): number => {
    let lo = 0;
    let hi = edits.length - 1;
    let r = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (edits[mid].n <= q) {
        r = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return r;
  };
  const charStart = (q: number): number => {
    const k = find(q);
    if (k < 0) return q;
    const e = edits[k];
    return q < e.n + e.len ? e.o : q - (e.n + e.len) + e.oe;
  };
  const charEnd = (q: number): number => {
    const k = find(q);
    if (k < 0) return q + 1;
    const e = edits[k];
    return q < e.n + e.len ? e.oe : q - (e.n + e.len) + e.oe + 1;
  };
  return {
    text: out,
    changed: true,
    toOriginal: (s, e) => {
      const os = s >= out.length ? text.length : charStart(s);
      let oe = e <= s ? os : charEnd(e - 1);
      // invisible characters right after the span go with it (a bidi control closing a reordered number)
      for (let k = find(e); k >= 0 && edits[k].n === e; k--) if (edits[k].len === 0) oe = Math.max(oe, edits[k].oe);
      return [os, oe];
    },
  };
}
