/**
 * Writes a tiny, real GGUF v3 llama model (random seeded F32 weights) that
 * llama.cpp / node-llama-cpp load and generate from. Used by tests, benchmarks
 * and demos: nothing here can download real weights.
 *
 * Layout (GGUF v3, little endian): magic "GGUF", version, tensor count,
 * metadata count, metadata key/values, tensor infos, padding to the alignment,
 * tensor data (each tensor aligned).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface TinyGgufOptions {
  /** general.name (default "tiny-llama"). */
  name?: string;
  /** Seed for the deterministic weights (default 1). */
  seed?: number;
  /** Extra vocabulary entries (normal tokens) appended after the built-in ones. */
  vocabExtra?: string[];
  /** llama.embedding_length (default 32; must be a multiple of the 4 heads). */
  embeddingLength?: number;
  /** llama.block_count (default 2). */
  blockCount?: number;
  /** llama.context_length (default 2048). */
  contextLength?: number;
  /** general.size_label, e.g. "1.5B" or "32B": what the model says its size is (absent by default). */
  sizeLabel?: string;
}

const ALIGNMENT = 32;

// GGUF metadata value types
const T_UINT32 = 4;
const T_INT32 = 5;
const T_FLOAT32 = 6;
const T_STRING = 8;
const T_ARRAY = 9;

// ggml tensor type
const GGML_F32 = 0;

type KV =
  | { key: string; type: 'u32'; value: number }
  | { key: string; type: 'f32'; value: number }
  | { key: string; type: 'str'; value: string }
  | { key: string; type: 'str[]'; value: string[] }
  | { key: string; type: 'f32[]'; value: number[] }
  | { key: string; type: 'i32[]'; value: number[] };

class Writer {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v | 0);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(alignment: number): void {
    const rem = this.length % alignment;
    if (rem) this.push(Buffer.alloc(alignment - rem));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

/** mulberry32: small, fast, deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE_WORDS = [
  'the',
  'a',
  'and',
  'of',
  'to',
  'in',
  'is',
  'it',
  'that',
  'for',
  'on',
  'with',
  'as',
  'was',
  'be',
  'this',
  'model',
  'local',
  'answer',
  'yes',
  'no',
  'hello',
  'world',
  'code',
  'test',
  'data',
  'file',
  'run',
  'fast',
  'small',
  'good',
  'score',
  'true',
  'false',
  'json',
  'text',
];

function buildVocab(extra: string[]): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [2, 3, 3];
  for (let i = 0; i < 256; i++) {
    tokens.push(`<0x${i.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  const seen = new Set(tokens);
  const add = (t: string) => {
    if (!t || seen.has(t)) return;
    seen.add(t);
    tokens.push(t);
    types.push(1);
  };
  add('\u2581');
  for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789.,:;!?{}[]"') add(c);
  // SentencePiece merges pairs of existing pieces, so every prefix of a word must be a piece too.
  const addWithPrefixes = (w: string) => {
    for (let i = 2; i <= w.length; i++) add(w.slice(0, i));
  };
  for (const w of BASE_WORDS) {
    addWithPrefixes('\u2581' + w);
    addWithPrefixes(w);
  }
  for (const w of extra) addWithPrefixes(w.replace(/ /g, '\u2581'));
  // SentencePiece scores: higher = merged earlier; longer pieces score higher.
  const scores = tokens.map((t, i) => (types[i] === 1 ? -i / 1000 + t.length * 0.01 : 0));
  return { tokens, scores, types };
}

/** Builds the GGUF bytes of a tiny llama model. */
export function buildTinyGguf(opts: TinyGgufOptions = {}): Buffer {
  const name = opts.name ?? 'tiny-llama';
  const seed = opts.seed ?? 1;
  const nEmbd = opts.embeddingLength ?? 32;
  const nBlock = opts.blockCount ?? 2;
  const nCtx = opts.contextLength ?? 2048;
  const nHead = 4;
  const nHeadKv = 2;
  if (!Number.isInteger(nEmbd) || nEmbd < 8 || nEmbd % (nHead * 2) !== 0)
    throw new Error(`embeddingLength must be an integer >= 8 and a multiple of ${nHead * 2}, got ${nEmbd}`);
  if (!Number.isInteger(nBlock) || nBlock < 1 || nBlock > 64) throw new Error(`blockCount must be 1..64, got ${nBlock}`);
  if (!Number.isInteger(nCtx) || nCtx < 16) throw new Error(`contextLength must be an integer >= 16, got ${nCtx}`);
  const headDim = nEmbd / nHead;
  const nEmbdKv = headDim * nHeadKv;
  const nFf = nEmbd * 2;
  const vocab = buildVocab(opts.vocabExtra ?? []);
  const nVocab = vocab.tokens.length;

  const kvs: KV[] = [
    { key: 'general.architecture', type: 'str', value: 'llama' },
    { key: 'general.name', type: 'str', value: name },
    { key: 'general.alignment', type: 'u32', value: ALIGNMENT },
    { key: 'general.file_type', type: 'u32', value: 0 }, // ALL_F32
    ...(opts.sizeLabel ? [{ key: 'general.size_label', type: 'str', value: opts.sizeLabel } as KV] : []),
    { key: 'llama.context_length', type: 'u32', value: nCtx },
    { key: 'llama.embedding_length', type: 'u32', value: nEmbd },
    { key: 'llama.block_count', type: 'u32', value: nBlock },
    { key: 'llama.feed_forward_length', type: 'u32', value: nFf },
    { key: 'llama.attention.head_count', type: 'u32', value: nHead },
    { key: 'llama.attention.head_count_kv', type: 'u32', value: nHeadKv },
    { key: 'llama.attention.layer_norm_rms_epsilon', type: 'f32', value: 1e-5 },
    { key: 'llama.rope.dimension_count', type: 'u32', value: headDim },
    { key: 'llama.vocab_size', type: 'u32', value: nVocab },
    { key: 'tokenizer.ggml.model', type: 'str', value: 'llama' },
    { key: 'tokenizer.ggml.tokens', type: 'str[]', value: vocab.tokens },
    { key: 'tokenizer.ggml.scores', type: 'f32[]', value: vocab.scores },
    { key: 'tokenizer.ggml.token_type', type: 'i32[]', value: vocab.types },
    { key: 'tokenizer.ggml.unknown_token_id', type: 'u32', value: 0 },
    { key: 'tokenizer.ggml.bos_token_id', type: 'u32', value: 1 },
    { key: 'tokenizer.ggml.eos_token_id', type: 'u32', value: 2 },
  ];

  const tensors: { name: string; dims: number[]; init: 'ones' | 'rand' }[] = [
    { name: 'token_embd.weight', dims: [nEmbd, nVocab], init: 'rand' },
    { name: 'output_norm.weight', dims: [nEmbd], init: 'ones' },
    { name: 'output.weight', dims: [nEmbd, nVocab], init: 'rand' },
  ];
  for (let b = 0; b < nBlock; b++) {
    const p = `blk.${b}.`;
    tensors.push(
      { name: p + 'attn_norm.weight', dims: [nEmbd], init: 'ones' },
      { name: p + 'attn_q.weight', dims: [nEmbd, nEmbd], init: 'rand' },
      { name: p + 'attn_k.weight', dims: [nEmbd, nEmbdKv], init: 'rand' },
      { name: p + 'attn_v.weight', dims: [nEmbd, nEmbdKv], init: 'rand' },
      { name: p + 'attn_output.weight', dims: [nEmbd, nEmbd], init: 'rand' },
      { name: p + 'ffn_norm.weight', dims: [nEmbd], init: 'ones' },
      { name: p + 'ffn_gate.weight', dims: [nEmbd, nFf], init: 'rand' },
      { name: p + 'ffn_up.weight', dims: [nEmbd, nFf], init: 'rand' },
      { name: p + 'ffn_down.weight', dims: [nFf, nEmbd], init: 'rand' },
    );
  }

  const w = new Writer();
  w.push(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kvs.length);
  for (const kv of kvs) {
    w.str(kv.key);
    switch (kv.type) {
      case 'u32':
        w.u32(T_UINT32);
        w.u32(kv.value);
        break;
      case 'f32':
        w.u32(T_FLOAT32);
        w.f32(kv.value);
        break;
      case 'str':
        w.u32(T_STRING);
        w.str(kv.value);
        break;
      case 'str[]':
        w.u32(T_ARRAY);
        w.u32(T_STRING);
        w.u64(kv.value.length);
        for (const s of kv.value) w.str(s);
        break;
      case 'f32[]':
        w.u32(T_ARRAY);
        w.u32(T_FLOAT32);
        w.u64(kv.value.length);
        for (const f of kv.value) w.f32(f);
        break;
      case 'i32[]':
        w.u32(T_ARRAY);
        w.u32(T_INT32);
        w.u64(kv.value.length);
        for (const n of kv.value) w.i32(n);
        break;
    }
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(GGML_F32);
    w.u64(offset);
    offsets.push(offset);
    const bytes = t.dims.reduce((a, b) => a * b, 1) * 4;
    offset += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
  }
  w.pad(ALIGNMENT);

  const data = Buffer.alloc(offset);
  const rnd = prng(seed);
  tensors.forEach((t, i) => {
    const n = t.dims.reduce((a, b) => a * b, 1);
    const fan = t.dims[0];
    const scale = t.init === 'rand' ? 1 / Math.sqrt(fan) : 0;
    for (let j = 0; j < n; j++) {
      const v = t.init === 'ones' ? 1 : (rnd() * 2 - 1) * scale * 1.7;
      data.writeFloatLE(v, offsets[i] + j * 4);
    }
  });
  w.push(data);
  return w.toBuffer();
}

/** Writes a tiny GGUF v3 llama model to `file` (creating its folder). */
export function writeTinyGguf(file: string, opts: TinyGgufOptions = {}): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, buildTinyGguf(opts));
}
