/**
 * Token-aware splitting for map-reduce: parts of at most `budget` tokens as the given counter
 * (the model's own tokenizer for GGUF, an estimate for servers) counts them, cut at line ends
 * (else at white space) where one is near. Each part is counted once or twice; the chars-per-
 * token ratio learned on one part sizes the next, so a long text costs about one tokenization.
 */
export interface Part {
  text: string;
  tokens: number;
  /** Offsets of the part in the whole text. */
  start: number;
  end: number;
}

/** Moves `end` back to just after a newline (or white space) in the second half of [start, end). */
function snap(text: string, start: number, end: number): number {
  const floor = start + Math.floor((end - start) / 2);
  const nl = text.lastIndexOf('\n', end - 1);
  if (nl >= floor) return nl + 1;
  for (let i = end - 1; i >= floor; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09) return i + 1;
  }
  return end;
}

/** Never cut between the two halves of a surrogate pair. */
function safeEnd(text: string, end: number): number {
  if (end > 0 && end < text.length) {
    const c = text.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) return end - 1;
  }
  return end;
}

export function splitByTokens(text: string, budget: number, count: (s: string) => number, signal?: AbortSignal): Part[] {
  return [...partsOf(text, budget, count, signal)];
}

/**
 * The same, yielding to the event loop every `yieldMs` so that a long text neither blocks other
 * requests nor holds back progress notifications while it is tokenized.
 */
export async function splitByTokensAsync(
  text: string,
  budget: number,
  count: (s: string) => number,
  o: { signal?: AbortSignal; onPart?: (p: Part) => void; yieldMs?: number } = {},
): Promise<Part[]> {
  const parts: Part[] = [];
  let since = performance.now();
  for (const p of partsOf(text, budget, count, o.signal)) {
    parts.push(p);
    o.onPart?.(p);
    if (performance.now() - since >= (o.yieldMs ?? 50)) {
      await new Promise((r) => setImmediate(r));
      since = performance.now();
    }
  }
  return parts;
}

function* partsOf(text: string, budget: number, count: (s: string) => number, signal?: AbortSignal): Generator<Part> {
  if (!(budget >= 1)) throw new Error(`splitByTokens needs a budget of at least 1 token, got ${budget}`);
  let pos = 0;
  let ratio = 3; // characters per token: a first guess, then learned
  while (pos < text.length) {
    signal?.throwIfAborted();
    let len = Math.max(1, Math.floor(budget * ratio));
    let end: number;
    let tokens: number;
    for (let attempt = 0; ; attempt++) {
      end = pos + Math.min(len, text.length - pos);
      if (end < text.length) end = safeEnd(text, snap(text, pos, end));
      if (end <= pos) end = Math.min(text.length, pos + Math.max(1, len));
      tokens = count(text.slice(pos, end));
      if (tokens <= budget || end - pos <= 1) break;
      // Too long: shrink in proportion, a little under, and never by less than one character.
      len = Math.max(1, Math.min(end - pos - 1, Math.floor((((end - pos) * budget) / tokens) * (attempt < 3 ? 0.97 : 0.8))));
    }
    // Well under the budget and more text to come: grow once toward it.
    if (end < text.length && tokens < budget * 0.85 && tokens > 0) {
      const grown = Math.floor((((end - pos) * budget) / tokens) * 0.97);
      let end2 = pos + Math.min(grown, text.length - pos);
      if (end2 < text.length) end2 = safeEnd(text, snap(text, pos, end2));
      if (end2 > end) {
        const t2 = count(text.slice(pos, end2));
        if (t2 <= budget) {
          end = end2;
          tokens = t2;
        }
      }
    }
    if (tokens > 0) ratio = Math.max(0.25, (end - pos) / tokens);
    yield { text: text.slice(pos, end), tokens, start: pos, end };
    pos = end;
  }
}
