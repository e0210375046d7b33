/**
 * The learned half of the complexity scorer: a logistic regression over the lexical scorer's own features (task type,
 * demands, reasoning cues …) and hashed words and word pairs of the instruction. It was added because three blind
 * rounds in a row showed the hand-set rules, tuned on one set, reaching about 87% on the next: what the rules miss
 * are judgement calls worded plainly, and a model trained on every labelled set reads more of that wording than
 * cue lists do.
 *
 * The weights are data (data/router/complexity-model.json), trained deterministically by
 * `node bench/complexity-train.mjs` from the labelled sets in data/router/ (which also prints the leave-one-round-out
 * figures the method was chosen by). A few hundred multiply-adds per call: the cost is the tokenising of at most
 * 700 characters of instruction.
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
const fnvChar = (h: number, c: number) => Math.imul(h ^ c, FNV_PRIME);
const fnvOf = (s: string, h = FNV_OFFSET) => {
  for (let i = 0; i < s.length; i++) h = fnvChar(h, s.charCodeAt(i));
  return h;
};
/** FNV-1a states after "u " and after "b " (the prefixes of a word's and a word pair's key), and the start word "^". */
const UNI = fnvOf('u ');
const BI_START = fnvOf('^ ', fnvOf('b '));
const SPACE = 32;

// Deduplication without a Set: a bucket is taken when its stamp equals the current call's.
const stamp = new Uint32Array(1 << HASH_BITS);
let generation = 0;

/** An ASCII letter or digit, lower-cased (A-Z folded); -1 for anything else. */
function wordChar(c: number): number {
  if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return c;
  if (c >= 65 && c <= 90) return c + 32;
  return -1;
}
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * The distinct bucket indices of an instruction's words (runs of ASCII letters and digits, case-folded, with one
 * "'s"-style apostrophe suffix) and adjacent word pairs (the first paired with a start mark): FNV-1a of "u <word>"
 * and "b <previous> <word>", masked to HASH_BITS. One pass over the characters, no strings built.
 */
export function hashedFeatures(instruction: string): number[] {
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    stamp.fill(0);
    generation = 1;
  }
  const out: number[] = [];
  const take = (h: number) => {
    const b = (h >>> 0) & HASH_MASK;
    if (stamp[b] !== generation) {
      stamp[b] = generation;
      out.push(b);
    }
  };
  const n = instruction.length;
  let biPrefix = BI_START; // FNV state of "b <previous word> "
  let i = 0;
  while (i < n) {
    let c = wordChar(instruction.charCodeAt(i));
    if (c < 0) {
      i++;
      continue;
    }
    let u = UNI;
    let b = biPrefix;
    let next = fnvOf('b '); // becomes the state of "b <this word> "
    while (i < n) {
      c = instruction.charCodeAt(i);
      const w = wordChar(c);
      if (w >= 0) {
        u = fnvChar(u, w);
        b = fnvChar(b, w);
        next = fnvChar(next, w);
        i++;
      } else if (c === 39 && i + 1 < n && isLetter(instruction.charCodeAt(i + 1))) {
        u = fnvChar(u, c);
        b = fnvChar(b, c);
        next = fnvChar(next, c);
        i++;
        // after the apostrophe only letters continue the word
        while (i < n && isLetter(instruction.charCodeAt(i))) {
          const l = wordChar(instruction.charCodeAt(i));
          u = fnvChar(u, l);
          b = fnvChar(b, l);
          next = fnvChar(next, l);
          i++;
        }
        break;
      } else break;
    }
    take(u);
    take(b);
    biPrefix = fnvChar(next, SPACE);
  }
  return out;
}

/** The dense feature vector: DENSE_FEATURES scaled, then a one-hot task type. */
export function denseFeatures(features: Record<string, number>, taskType: string, lexical: number): number[] {
  const out: number[] = [];
  for (const [name, cap] of DENSE_FEATURES)
    out.push(Math.max(0, Math.min(1, (name === 'lexical' ? lexical : (features[name] ?? 0)) / cap)));
  for (const t of TASK_TYPES) out.push(t === taskType ? 1 : 0);
  return out;
}

export interface ComplexityModel {
  /** What the weights were trained on and how (written by bench/complexity-train.mjs). */
  trainedOn: string;
  hashBits: number;
  bias: number;
  dense: number[];
  hashed: number[];
  /** The logit at and above which the model alone calls a task hard (medium tier). */
  threshold: number;
  /** Score units per logit unit when the logit is mapped onto the lexical score's scale. */
  scale: number;
}

export function modelLogit(m: ComplexityModel, dense: readonly number[], hashed: readonly number[]): number {
  let z = m.bias;
  for (let i = 0; i < dense.length; i++) z += m.dense[i] * dense[i];
  for (const h of hashed) z += m.hashed[h];
  return z;
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
  if (m.hashBits !== HASH_BITS || m.hashed.length !== 1 << HASH_BITS || m.dense.length !== DENSE_FEATURES.length + TASK_TYPES.length)
    throw new Error(
      'data/router/complexity-model.json does not match this build (hash bits or feature count): run node bench/complexity-train.mjs',
    );
  loaded = m;
  return m;
}
