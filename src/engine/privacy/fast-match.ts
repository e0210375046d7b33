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
 * What `[...text.matchAll(re)]` gives (`re` global, its lastIndex 0), for a pattern whose every match holds `needle`
 * and no newline, and whose lookarounds read a newline as they read the text's edge (\b, a class without \n): the
 * pattern runs over the lines that hold `needle` only (lines near each other read as one span), each span as a text of
 * its own, the matches' index moved back into `text`. (A global search goes on from a match's end; no match spans a
 * newline, so none is lost or added where the lines without `needle`, which hold none, are left out.)
 */
export function matchAllOnLinesWith(text: string, re: RegExp, needle: string, gap = 256): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
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
    const span = start === 0 && end === n ? text : text.slice(start, end);
    for (const m of span.matchAll(re)) {
      m.index += start;
      out.push(m);
    }
    k = next;
  }
  return out;
}
