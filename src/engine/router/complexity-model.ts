/**
 * The learned half of the complexity scorer: a logistic regression over the lexical scorer's own features (task type,
 * demands, reasoning cues …), hashed words and word pairs and hashed character 4-grams of the instruction. It was
 * added because three blind rounds in a row showed the hand-set rules, tuned on one set, reaching about 87% on the
 * next: what the rules miss are judgement calls worded plainly, and a model trained on every labelled set reads
 * more of that wording than cue lists do.
 *
 * The weights are data (data/router/complexity-model.json), trained deterministically by
 * `node bench/complexity-train.mjs` from the labelled sets in data/router/ (which also prints the leave-one-round-out
 * figures the method was chosen by). A few hundred additions per call: the cost is the hashing of at most 700
 * characters of instruction (words, pairs, 4-grams). The character 4-grams came with fresh round 5: plainly worded
 * hard tasks the word hashes had not seen, whose stems and endings the 4-grams share with training tasks.
 */
import { readFileSync } from 'node:fs';

/** Hashed word and word-pair features: 2^HASH_BITS buckets. */
export const HASH_BITS = 12;
const HASH_MASK = (1 << HASH_BITS) - 1;

/** The lexical features the model reads, each divided by its cap and clipped to [0, 1]. */
export const DENSE_FEATURES: readonly [string, number][] = [
  ['lexical', 1],
  ['typeWeight', 0.6],
  ['reasoning', 4],
  ['domain', 4],
  ['constraints', 6],
  ['steps', 6],
  ['clauses', 12],
  ['instrWords', 80],
  ['hasCode', 1],
  ['demand', 0.5],
  ['deliverable', 2],
  ['review', 1],
  ['scope', 3],
  ['audience', 2],
  ['stakes', 3],
  ['rigour', 2],
  ['inlineMaterial', 1],
  ['parts', 5],
  ['diagnosis', 1],
  ['decision', 1],
  ['advice', 1],
  ['recommend', 1],
  ['evidence', 4],
  ['mechanical', 1],
  ['jurisdictions', 3],
  ['inference', 1],
];

export const TASK_TYPES = [
  'classify',
  'extract',
  'summarize',
  'translate',
  'format',
  'rewrite',
  'qa',
  'generate',
  'code_simple',
  'explain',
  'analyze',
  'implement',
  'debug',
  'optimize',
  'plan',
  'design',
  'architecture',
  'prove',
] as const;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** A word's FNV-1a state for the start of an instruction (a word no instruction contains). */
const START = 0x2545f491;

/** murmur3's finaliser: spreads a word's (or a pair's) hash over the buckets. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// Deduplication without a Set: a bucket is taken when its stamp equals the current call's.
const stamp = new Uint32Array(1 << HASH_BITS);
let generation = 0;
// The distinct buckets of the last scan (grown when an instruction has more words than fit).
let scratch = new Int32Array(1024);

/** An ASCII letter or digit, lower-cased (A-Z folded); -1 for anything else. */
function wordChar(c: number): number {
  if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return c;
  if (c >= 65 && c <= 90) return c + 32;
  return -1;
}
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * The distinct bucket indices of an instruction's words (runs of ASCII letters and digits, case-folded, with one
 * "'s"-style apostrophe suffix) and adjacent word pairs (the first paired with a start mark). Each word is hashed
 * once (FNV-1a); its bucket is that hash mixed with a unigram mark, a pair's the previous word's hash combined with
 * it, mixed (murmur3's finaliser), masked to HASH_BITS. One pass over the characters, no strings built. Written to
 * `scratch`; returns how many.
 */
function scanBuckets(instruction: string): number {
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    stamp.fill(0);
    generation = 1;
  }
  const n = instruction.length;
  // a word has at least one character: at most n / 2 + 1 words, two buckets each
  if (scratch.length < n + 2) scratch = new Int32Array(n + 2);
  let count = 0;
  let prev = START;
  let i = 0;
  while (i < n) {
    let c = wordChar(instruction.charCodeAt(i));
    if (c < 0) {
      i++;
      continue;
    }
    let h = FNV_OFFSET;
    while (i < n) {
      c = instruction.charCodeAt(i);
      const w = wordChar(c);
      if (w >= 0) {
        h = Math.imul(h ^ w, FNV_PRIME);
        i++;
      } else if (c === 39 && i + 1 < n && isLetter(instruction.charCodeAt(i + 1))) {
        h = Math.imul(h ^ c, FNV_PRIME);
        i++;
        // after the apostrophe only letters continue the word
        while (i < n && isLetter(instruction.charCodeAt(i))) {
          h = Math.imul(h ^ wordChar(instruction.charCodeAt(i)), FNV_PRIME);
          i++;
        }
        break;
      } else break;
    }
    const bu = fmix(h ^ 0x75) & HASH_MASK;
    if (stamp[bu] !== generation) {
      stamp[bu] = generation;
      scratch[count++] = bu;
    }
    const bb = fmix(Math.imul(prev, 0x9e3779b1) ^ h ^ 0x62) & HASH_MASK;
    if (stamp[bb] !== generation) {
      stamp[bb] = generation;
      scratch[count++] = bb;
    }
    prev = h;
  }
  return count;
}

/** Hashed character 4-grams: 2^CHAR_BITS buckets. */
export const CHAR_BITS = 13;
const CHAR_MASK = (1 << CHAR_BITS) - 1;
const charStamp = new Uint32Array(1 << CHAR_BITS);
let charGeneration = 0;
let charScratch = new Int32Array(1024);

/**
 * The distinct bucket indices of an instruction's character 4-grams: the instruction read as lower-cased ASCII
 * letters and digits, every run of other characters one space, a space before and after; each window of four
 * characters (packed into 32 bits) mixed (murmur3's finaliser) and masked to CHAR_BITS. They carry what word hashes
 * miss across phrasings: stems shared by inflections ("diagnos", "interact", "statist"), word endings and short
 * word pairs. One pass, no strings built. Written to `charScratch`; returns how many.
 */
function scanCharBuckets(instruction: string): number {
  charGeneration = (charGeneration + 1) >>> 0;
  if (charGeneration === 0) {
    charStamp.fill(0);
    charGeneration = 1;
  }
  const n = instruction.length;
  if (charScratch.length < n + 2) charScratch = new Int32Array(n + 2);
  let count = 0;
  let packed = 32; // the leading space
  let seen = 1;
  let space = true;
  const push = (c: number) => {
    packed = ((packed << 8) | c) >>> 0;
    if (++seen >= 4) {
      const b = fmix(packed ^ 0x4d1c3a57) & CHAR_MASK;
      if (charStamp[b] !== charGeneration) {
        charStamp[b] = charGeneration;
        charScratch[count++] = b;
      }
    }
  };
  for (let i = 0; i < n; i++) {
    const c = wordChar(instruction.charCodeAt(i));
    if (c >= 0) {
      push(c);
      space = false;
    } else if (!space) {
      push(32);
      space = true;
    }
  }
  if (!space) push(32);
  return count;
}

/** The distinct bucket indices of an instruction's character 4-grams (see scanCharBuckets), in order of appearance. */
export function charFeatures(instruction: string): number[] {
  return Array.from(charScratch.subarray(0, scanCharBuckets(instruction)));
}

/** The character part of the model's logit: the sum of the weights of the instruction's distinct 4-gram buckets. */
export function charLogit(m: ComplexityModel, instruction: string): number {
  const count = scanCharBuckets(instruction);
  let z = 0;
  for (let k = 0; k < count; k++) z += m.chars[charScratch[k]];
  return z;
}

/** The distinct bucket indices of an instruction's words and word pairs (see scanBuckets), in order of appearance. */
export function hashedFeatures(instruction: string): number[] {
  return Array.from(scratch.subarray(0, scanBuckets(instruction)));
}

/** The hashed part of the model's logit: the sum of the weights of the instruction's distinct buckets. */
export function hashedLogit(m: ComplexityModel, instruction: string): number {
  const count = scanBuckets(instruction);
  let z = 0;
  for (let k = 0; k < count; k++) z += m.hashed[scratch[k]];
  return z;
}

/** The dense feature vector: DENSE_FEATURES scaled, then a one-hot task type. */
export function denseFeatures(features: Record<string, number>, taskType: string, lexical: number): number[] {
  const out: number[] = [];
  for (const [name, cap] of DENSE_FEATURES)
    out.push(Math.max(0, Math.min(1, (name === 'lexical' ? lexical : (features[name] ?? 0)) / cap)));
  for (const t of TASK_TYPES) out.push(t === taskType ? 1 : 0);
  return out;
}

/** The features the lexical scorer reports (the names DENSE_FEATURES reads). */
type LexicalFeatures = Record<string, number>;

const clip = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * The bias and dense part of the model's logit without building the vector: the same sum as over denseFeatures,
 * written out with named property reads (a keyed read per name cost more than the rest of the model).
 */
export function denseLogit(m: ComplexityModel, f: LexicalFeatures, taskType: string, lexical: number): number {
  const d = m.dense;
  let z = m.bias;
  z += d[0] * clip(lexical / 1);
  z += d[1] * clip(f.typeWeight / 0.6);
  z += d[2] * clip(f.reasoning / 4);
  z += d[3] * clip(f.domain / 4);
  z += d[4] * clip(f.constraints / 6);
  z += d[5] * clip(f.steps / 6);
  z += d[6] * clip(f.clauses / 12);
  z += d[7] * clip(f.instrWords / 80);
  z += d[8] * clip(f.hasCode / 1);
  z += d[9] * clip(f.demand / 0.5);
  z += d[10] * clip(f.deliverable / 2);
  z += d[11] * clip(f.review / 1);
  z += d[12] * clip(f.scope / 3);
  z += d[13] * clip(f.audience / 2);
  z += d[14] * clip(f.stakes / 3);
  z += d[15] * clip(f.rigour / 2);
  z += d[16] * clip(f.inlineMaterial / 1);
  z += d[17] * clip(f.parts / 5);
  z += d[18] * clip(f.diagnosis / 1);
  z += d[19] * clip(f.decision / 1);
  z += d[20] * clip(f.advice / 1);
  z += d[21] * clip(f.recommend / 1);
  z += d[22] * clip(f.evidence / 4);
  z += d[23] * clip(f.mechanical / 1);
  z += d[24] * clip(f.jurisdictions / 3);
  z += d[25] * clip(f.inference / 1);
  const t = (TASK_TYPES as readonly string[]).indexOf(taskType);
  if (t >= 0) z += d[DENSE_FEATURES.length + t];
  return z;
}

export interface ComplexityModel {
  /** What the weights were trained on and how (written by bench/complexity-train.mjs). */
  trainedOn: string;
  hashBits: number;
  bias: number;
  dense: number[];
  hashed: number[];
  charBits: number;
  /** Weights of the character 4-gram buckets (charFeatures). */
  chars: number[];
  /** The logit at and above which the model alone calls a task hard (medium tier). */
  threshold: number;
  /** Score units per logit unit when the logit is mapped onto the lexical score's scale. */
  scale: number;
}

/**
 * The model's logit on the lexical scorer's scale: the model's threshold lands on the cloud threshold, and the
 * capability tiers' shifts of that threshold move the model's cut with it (a small model keeps less).
 */
export function modelScore(m: ComplexityModel, logit: number, cloudThreshold: number): number {
  return Math.max(0, Math.min(1, cloudThreshold + (logit - m.threshold) * m.scale));
}

let loaded: ComplexityModel | undefined;

/** The committed weights (data/router/complexity-model.json, shipped with the package), read once. */
export function complexityModel(): ComplexityModel {
  if (loaded) return loaded;
  const m = JSON.parse(readFileSync(new URL('../../../data/router/complexity-model.json', import.meta.url), 'utf8')) as ComplexityModel;
  if (
    m.hashBits !== HASH_BITS ||
    m.hashed.length !== 1 << HASH_BITS ||
    m.charBits !== CHAR_BITS ||
    m.chars?.length !== 1 << CHAR_BITS ||
    m.dense.length !== DENSE_FEATURES.length + TASK_TYPES.length
  )
    throw new Error(
      'data/router/complexity-model.json does not match this build (hash bits or feature count): run node bench/complexity-train.mjs',
    );
  loaded = m;
  return m;
}
