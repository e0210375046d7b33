/** The recommendation a find returns: the best approach among its matches. */
import { approachKey } from './pattern-input.js';
import type { FindResult, PatternMatch } from './types.js';

export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** The best approach among the matches: similarity x quality x reliability, summed per approach. */
export function recommend(matches: PatternMatch[]): FindResult['recommendation'] {
  if (!matches.length) return null;
  const groups = new Map<string, { value: number; best: PatternMatch; reliability: number }>();
  let sum = 0;
  for (const m of matches) {
    const p = m.pattern;
    // with no reported outcomes the stored quality stands in for the success rate
    const reliability = (p.successes + 2 * p.quality) / (p.successes + p.failures + 2);
    const value = Math.max(0, m.score) * p.quality * reliability * Math.log2(1 + p.count);
    sum += value;
    const key = approachKey(p.approach);
    const g = groups.get(key);
    if (!g) groups.set(key, { value, best: m, reliability });
    else {
      g.value += value;
      if (m.score > g.best.score) {
        g.best = m;
        g.reliability = reliability;
      }
    }
  }
  let top: { value: number; best: PatternMatch; reliability: number } | null = null;
  for (const g of groups.values()) if (!top || g.value > top.value) top = g;
  if (!top || top.value <= 0) return null;
  const share = sum > 0 ? top.value / sum : 0;
  const confidence = Math.min(1, Math.max(0, top.best.score)) * top.reliability * (0.5 + 0.5 * share);
  return { approach: top.best.pattern.approach, patternId: top.best.pattern.id, confidence: round4(confidence) };
}
