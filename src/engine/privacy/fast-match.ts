/**
 * (speed) Matchers for the privacy scanner that give what a pattern's `matchAll` over a whole text gives (or the part of
 * it a rule reads), in fewer steps: from the few places a match can be (a "%", the lines holding a needle) instead of a
 * search at every position. Each says which pattern it stands for;
 * test/privacy/fast-match.test.ts compares it with that pattern on random texts.
 */

const URLENC_STOP_RE = /[\s"'<>]/;
/** 1 for an ASCII character that ends a run of `[^\s"'<>]` (a space, a quote, a bracket) */
const URLENC_STOP = Uint8Array.from({ length: 128 }, (_, c) => (URLENC_STOP_RE.test(String.fromCharCode(c)) ? 1 : 0));
const urlencStop = (c: number) => (c < 128 ? URLENC_STOP[c] === 1 : URLENC_STOP_RE.test(String.fromCharCode(c)));
/**
 * The runs of `[^\s"'<>]+` that hold a "%", in order: what `text.matchAll(/[^\s"'<>]+/g)` gives, filtered to those
 * (the runs are the same wherever the search starts a run: found from each "%" instead of matched over the whole text).
 */
export function percentRuns(text: string): { index: number; run: string }[] {
  const out: { index: number; run: string }[] = [];
  for (let q = text.indexOf('%'); q >= 0;) {
    let s = q;
    while (s > 0 && !urlencStop(text.charCodeAt(s - 1))) s--;
    let e = q + 1;
    while (e < text.length && !urlencStop(text.charCodeAt(e))) e++;
    out.push({ index: s, run: text.slice(s, e) });
    q = text.indexOf('%', e);
  }
  return out;
}

/** Seven digits with at most three other characters (no newline) between each two. */
const DENSE_DIGITS_RE = /\d(?:[^\d\n]{0,3}\d){6}/g;
/**
 * Spans of whole lines (from a line's start to the end of a later line, its newline excluded) that hold every line with
 * seven digits close together (DENSE_DIGITS_RE); lines in between are in a span when the gap to the previous span is
 * under `gap` characters (fewer, longer spans). A pattern that cannot match a newline and whose every match has seven
 * such digits finds, over these spans (each read as a text of its own: a newline or the text's end on either side of
 * it, for the lookarounds), what it finds over the whole text.
 */
export function denseDigitLines(text: string, gap: number): [number, number][] {
  const out: [number, number][] = [];
  const re = DENSE_DIGITS_RE;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = text.lastIndexOf('\n', m.index) + 1;
    let end = text.indexOf('\n', m.index + m[0].length);
    if (end < 0) end = text.length;
    const last = out.length > 0 ? out[out.length - 1] : null;
    if (last !== null && start - last[1] < gap) last[1] = end;
    else out.push([start, end]);
    // (the rest of the line is in the span already)
    re.lastIndex = end;
  }
  return out;
}

/**
 * The spans [start, end) of whole lines (a newline or the text's edge on either side, the newlines excluded) that hold
 * every line holding `needle`, in order; lines in between are in a span when the gap to the previous line with `needle`
 * is under `gap` characters (fewer, longer spans).
 */
export function linesWith(text: string, needle: string, gap = 256): [number, number][] {
  const out: [number, number][] = [];
  const n = text.length;
  for (let k = text.indexOf(needle); k >= 0;) {
    const start = text.lastIndexOf('\n', k) + 1;
    let end = text.indexOf('\n', k + needle.length);
    if (end < 0) end = n;
    // (the next lines with the needle, when near: one span)
    let next = end < n ? text.indexOf(needle, end) : -1;
    while (next >= 0 && next - end < gap) {
      end = text.indexOf('\n', next + needle.length);
      if (end < 0) end = n;
      next = end < n ? text.indexOf(needle, end) : -1;
    }
    out.push([start, end]);
    k = next;
  }
  return out;
}

/**
 * What `[...text.matchAll(re)]` gives (`re` global, its lastIndex 0), for a pattern whose every match holds `needle`
 * and no newline, and whose lookarounds read a newline as they read the text's edge (\b, a class without \n): the
 * pattern runs over the lines that hold `needle` only (linesWith: lines near each other read as one span), each span as
 * a text of its own, the matches' index moved back into `text`. (A global search goes on from a match's end; no match
 * spans a newline, so none is lost or added where the lines without `needle`, which hold none, are left out.)
 */
export function matchAllOnLinesWith(text: string, re: RegExp, needle: string, gap = 256): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  for (const [start, end] of linesWith(text, needle, gap)) {
    const span = start === 0 && end === text.length ? text : text.slice(start, end);
    for (const m of span.matchAll(re)) {
      m.index += start;
      out.push(m);
    }
  }
  return out;
}

/**
 * JSON_STRING_RE's units from lastIndex on, up to 4,096 of them a call (V8's backtracking stack grows with the units
 * of one match: a run of millions overflows it); read again from there while a call reads 4,096 characters or more
 */
const UNITS_Y = /(?:[^"\\\n]|\\.){0,4096}/y;
/**
 * The matches of `/"((?:[^"\\\n]|\\.){min,max})"/g` (JSON_STRING_RE: min 16, max 4,096) as [start, end] of each
 * m[0] (m.index, m.index + m[0].length), in order: what `matchAll` gives, in one pass.
 *
 * Why it holds: the two alternatives start with different characters (any but `"`, `\`, newline; a backslash and any
 * character but a line terminator), so from a quote the units are read one way only, to the first character that
 * starts none (E: a quote, a newline, a backslash before a line terminator or the text's end, or the end). Every quote
 * before E is the second character of an escaped pair, so no shorter count of units ends on a quote: an attempt at a
 * quote matches when its count of units up to E is min..max and E is a quote. A quote inside the run (escaped) starts
 * its units where the run's next unit starts, so it has the same E and the run's count from there. A global search
 * tries the quotes in order and goes on after a match's end; so: the run's first quote, then its escaped quotes, up to
 * the first that matches (the search then goes on after E); none matching, the search goes on at E. (The pattern
 * itself reads on to E again from every escaped quote of a long run: 6 ms for 8 KB of packed JSON, one line of 400.)
 *
 * Over text[from, to) (the pattern's matches over that slice, their index in `text`): `to` is the text's end or a
 * newline's place (a line's end, as linesWith gives), so no unit reads past it.
 */
export function jsonStringSpans(text: string, from = 0, to = text.length, min = 16, max = 4096): [number, number][] {
  const out: [number, number][] = [];
  // the first backslash at or after a place (the places asked for only grow: one search forward over the text)
  let bs = text.indexOf('\\', from);
  const backslashFrom = (i: number) => (bs >= 0 && bs < i ? (bs = text.indexOf('\\', i)) : bs);
  // the escaped quotes of a run too long for a match from its first quote, each with the pairs up to it
  const quoteAt: number[] = [];
  const pairsAt: number[] = [];
  for (let p = text.indexOf('"', from); p >= 0 && p < to;) {
    let e = p + 1;
    for (let read = 4096; read >= 4096;) {
      UNITS_Y.lastIndex = e;
      UNITS_Y.test(text);
      read = UNITS_Y.lastIndex - e;
      e = UNITS_Y.lastIndex;
    }
    if (e >= to || text.charCodeAt(e) !== 34) {
      p = text.indexOf('"', e);
      continue;
    }
    // the units: the characters less one for each escaped pair (a backslash and the character after it)
    const chars = e - p - 1;
    let at = -1;
    if (chars >= min) {
      let pairs = 0;
      quoteAt.length = 0;
      pairsAt.length = 0;
      for (let b = backslashFrom(p + 1); b >= 0 && b < e; b = backslashFrom(b + 2)) {
        pairs++;
        if (chars > max && text.charCodeAt(b + 1) === 34) {
          quoteAt.push(b + 1);
          pairsAt.push(pairs);
        }
      }
      const units = chars - pairs;
      if (units >= min && units <= max) at = p;
      else if (units > max)
        for (let k = 0; k < quoteAt.length; k++) {
          // (the units after the escaped quote: the run's less those up to it)
          const left = units - (quoteAt[k] - p - pairsAt[k]);
          if (left < min) break;
          if (left <= max) {
            at = quoteAt[k];
            break;
          }
        }
    }
    if (at >= 0) {
      out.push([at, e + 1]);
      p = text.indexOf('"', e + 1);
    } else p = e; // (the quote at E opens the next attempt)
  }
  return out;
}
