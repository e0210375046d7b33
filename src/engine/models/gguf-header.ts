/**
 * A bounded reader of GGUF headers (metadata key/values and tensor infos). Every file in a
 * models folder may be hostile: node-llama-cpp's own parser trusts the counts in the header
 * and, for a 4 KB file claiming 2^40 entries, reads zeros past the end of the file forever
 * while its memory grows. This reader refuses such a header in milliseconds:
 * - counts (metadata entries, tensors) are capped and must fit in the bytes the file has;
 * - every string and array length is capped and must fit in the rest of the file;
 * - arrays of arrays and unknown value types are refused (llama.cpp refuses them too);
 * - the bytes read and the time spent are capped;
 * - reads go through one fixed-size buffer, and only the few values discovery needs are kept.
 * A file is handed to node-llama-cpp only after this reader accepted it (see gguf.ts).
 *
 * Layout (GGUF v2/v3, little endian): "GGUF", u32 version, u64 tensor count, u64 metadata
 * count, metadata (string key, u32 type, value), tensor infos (string name, u32 n_dims,
 * u64 dims[n_dims], u32 ggml type, u64 offset), padding, tensor data.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { CallerError } from '../errors.js';

export interface GgufLimits {
  /** Metadata key/value entries. Real models have tens. */
  maxMetadataEntries: number;
  /** Tensor infos. The largest models have a few thousand per file. */
  maxTensors: number;
  /** Bytes of one string (key, value or array element). Chat templates are tens of KB. */
  maxStringBytes: number;
  /** Elements of one array (vocabularies are at most a few hundred thousand tokens). */
  maxArrayElements: number;
  /** Elements of all arrays together. */
  maxTotalArrayElements: number;
  /** Bytes of the whole header (metadata + tensor infos). Real headers are at most tens of MB. */
  maxHeaderBytes: number;
  /** Time one header may take to read, in ms. */
  maxMs: number;
}

export const GGUF_LIMITS: Readonly<GgufLimits> = Object.freeze({
  maxMetadataEntries: 65_536,
  maxTensors: 1_048_576,
  maxStringBytes: 4 * 1024 * 1024,
  maxArrayElements: 16_777_216,
  maxTotalArrayElements: 33_554_432,
  maxHeaderBytes: 256 * 1024 * 1024,
  maxMs: 10_000,
});

/** ggml's limits on tensor infos (GGML_MAX_DIMS, GGML_MAX_NAME). */
const MAX_DIMS = 4;
const MAX_TENSOR_NAME = 64;
/** ggml tensor types are small numbers (about 40 today); anything far past that is not a tensor type. */
const MAX_GGML_TYPE = 1024;

const GGUF_MAGIC = 0x46554747; // "GGUF" little endian
const T_UINT8 = 0;
const T_INT8 = 1;
const T_UINT16 = 2;
const T_INT16 = 3;
const T_UINT32 = 4;
const T_INT32 = 5;
const T_FLOAT32 = 6;
const T_BOOL = 7;
const T_STRING = 8;
const T_ARRAY = 9;
const T_UINT64 = 10;
const T_INT64 = 11;
const T_FLOAT64 = 12;
const FIXED_SIZE: Record<number, number> = {
  [T_UINT8]: 1,
  [T_INT8]: 1,
  [T_BOOL]: 1,
  [T_UINT16]: 2,
  [T_INT16]: 2,
  [T_UINT32]: 4,
  [T_INT32]: 4,
  [T_FLOAT32]: 4,
  [T_UINT64]: 8,
  [T_INT64]: 8,
  [T_FLOAT64]: 8,
};
/** Smallest encoding of one metadata entry: key length (8) + type (4) + a 1-byte value. */
const MIN_ENTRY_BYTES = 13;
/** Smallest encoding of one tensor info: name length (8) + n_dims (4) + one dim (8) + type (4) + offset (8). */
const MIN_TENSOR_BYTES = 32;
/** Values longer than this are never kept (only the short general.* and context-length values are). */
const MAX_KEPT_STRING = 4096;
const BUFFER_BYTES = 64 * 1024;

export type GgufValue = string | number | bigint | boolean;

export interface GgufHeader {
  version: number;
  tensorCount: number;
  metadataCount: number;
  /** The scalar values of the keys asked for (see readGgufHeader's `keep`). */
  metadata: Map<string, GgufValue>;
  alignment: number;
  /** Bytes from the start of the file to the end of the tensor infos. */
  headerBytes: number;
  fileBytes: number;
}

/** A GGUF file this reader refuses: the message names the file and what is wrong with it. */
export class GgufHeaderError extends CallerError {
  override name = 'GgufHeaderError';
}

/** Sequential reads through one fixed buffer, never past the end of the file, within a byte and time budget. */
class Reader {
  private buf = Buffer.alloc(BUFFER_BYTES);
  private start = 0; // file offset of buf[0]
  private end = 0; // bytes valid in buf
  pos = 0; // file offset of the next byte
  private readonly deadline: number;
  private skips = 0;

  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
    private readonly limits: GgufLimits,
    private readonly fail: (msg: string) => never,
  ) {
    this.deadline = performance.now() + limits.maxMs;
  }

  /** Bytes left in the file after the current position. */
  get left(): number {
    return this.size - this.pos;
  }

  private async fill(n: number): Promise<void> {
    if (this.pos + n > this.size) this.fail(`it ends at byte ${this.size} in the middle of the header (truncated or damaged)`);
    if (this.pos + n > this.limits.maxHeaderBytes) this.fail(`its header is larger than ${this.limits.maxHeaderBytes} bytes (limit)`);
    if (performance.now() > this.deadline) this.fail(`reading its header took longer than ${this.limits.maxMs} ms (limit)`);
    if (n > this.buf.length) this.buf = Buffer.alloc(n); // n is at most a key (65535 bytes): never past 64 KiB
    const want = Math.min(this.buf.length, this.size - this.pos);
    const { bytesRead } = await this.fh.read(this.buf, 0, want, this.pos);
    this.start = this.pos;
    this.end = bytesRead;
    if (bytesRead < n) this.fail(`it ends at byte ${this.pos + bytesRead} in the middle of the header (truncated or changed while read)`);
  }

  private async need(n: number): Promise<number> {
    const off = this.pos - this.start;
    if (off >= 0 && off + n <= this.end) return off;
    await this.fill(n);
    return 0;
  }

  async u32(): Promise<number> {
    const o = await this.need(4);
    this.pos += 4;
    return this.buf.readUInt32LE(o);
  }

  /** The next u64 when it is already buffered (no I/O, no await), else undefined. */
  u64Buffered(): bigint | undefined {
    const off = this.pos - this.start;
    if (off < 0 || off + 8 > this.end) return undefined;
    this.pos += 8;
    return this.buf.readBigUInt64LE(off);
  }

  async u64(): Promise<bigint> {
    const o = await this.need(8);
    this.pos += 8;
    return this.buf.readBigUInt64LE(o);
  }

  async bytes(n: number): Promise<Buffer> {
    const o = await this.need(n);
    this.pos += n;
    return Buffer.from(this.buf.subarray(o, o + n));
  }

  /** Moves past n bytes without reading them (they must lie inside the file and the byte budget). */
  skip(n: number): void {
    if (this.pos + n > this.size) this.fail(`it ends at byte ${this.size} in the middle of the header (truncated or damaged)`);
    if (this.pos + n > this.limits.maxHeaderBytes) this.fail(`its header is larger than ${this.limits.maxHeaderBytes} bytes (limit)`);
    this.pos += n;
    if ((++this.skips & 1023) === 0 && performance.now() > this.deadline)
      this.fail(`reading its header took longer than ${this.limits.maxMs} ms (limit)`);
  }
}

/**
 * Reads and checks a GGUF header within `limits`. Keeps the scalar values of the keys for which
 * `keep(key)` is true. Throws a GgufHeaderError naming the file and the limit for anything absurd.
 */
export async function readGgufHeader(
  file: string,
  opts: { keep?: (key: string) => boolean; limits?: Partial<GgufLimits> } = {},
): Promise<GgufHeader> {
  const limits: GgufLimits = { ...GGUF_LIMITS, ...opts.limits };
  const keep = opts.keep ?? (() => false);
  const fail = (msg: string): never => {
    throw new GgufHeaderError(`refused GGUF file ${file}: ${msg}`);
  };
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new GgufHeaderError(
      code === 'ENOENT' ? `model file not found: ${file}` : `cannot open model file ${file}: ${(err as Error).message}`,
    );
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) fail('it is not a regular file');
    const r = new Reader(fh, st.size, limits, fail);
    if (st.size < 4 || (await r.u32()) !== GGUF_MAGIC)
      throw new GgufHeaderError(
        `not a GGUF file: ${file} (it does not start with the "GGUF" magic bytes); convert it to GGUF or pick a .gguf model`,
      );
    if (st.size < 24) fail(`it is only ${st.size} bytes, smaller than a GGUF header`);
    const version = await r.u32();
    if (version < 2 || version > 3) fail(`unsupported GGUF version ${version} (supported: 2, 3)`);
    const tensors = await r.u64();
    const entries = await r.u64();
    if (entries > BigInt(limits.maxMetadataEntries))
      fail(`its header claims ${entries} metadata entries (limit: ${limits.maxMetadataEntries}); the file is damaged or not a model`);
    if (tensors > BigInt(limits.maxTensors))
      fail(`its header claims ${tensors} tensors (limit: ${limits.maxTensors}); the file is damaged or not a model`);
    const nEntries = Number(entries);
    const nTensors = Number(tensors);
    const minBytes = nEntries * MIN_ENTRY_BYTES + nTensors * MIN_TENSOR_BYTES;
    if (minBytes > r.left)
      fail(
        `its header claims ${nEntries} metadata entries and ${nTensors} tensors, which need at least ${minBytes} bytes, ` +
          `but only ${r.left} follow (limit: the file's size); the file is damaged or truncated`,
      );

    let arrayElements = 0;
    const readValue = async (key: string, type: number, keepIt: boolean, inArray: boolean): Promise<GgufValue | undefined> => {
      const fixed = FIXED_SIZE[type];
      if (fixed !== undefined) {
        if (!keepIt) {
          r.skip(fixed);
          return undefined;
        }
        switch (type) {
          case T_UINT8:
          case T_INT8:
          case T_BOOL: {
            const b = await r.bytes(1);
            return type === T_BOOL ? b[0] !== 0 : type === T_INT8 ? b.readInt8(0) : b[0];
          }
          case T_UINT16:
          case T_INT16: {
            const b = await r.bytes(2);
            return type === T_INT16 ? b.readInt16LE(0) : b.readUInt16LE(0);
          }
          case T_UINT32:
            return r.u32();
          case T_INT32:
            return (await r.u32()) | 0;
          case T_FLOAT32:
            return (await r.bytes(4)).readFloatLE(0);
          case T_FLOAT64:
            return (await r.bytes(8)).readDoubleLE(0);
          case T_UINT64:
          case T_INT64: {
            const v = await r.u64();
            const big = type === T_INT64 ? BigInt.asIntN(64, v) : v;
            return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
          }
        }
      }
      if (type === T_STRING) {
        const n = await r.u64();
        if (n > BigInt(limits.maxStringBytes)) fail(`the value of "${key}" is a string of ${n} bytes (limit: ${limits.maxStringBytes})`);
        const len = Number(n);
        if (len > r.left) fail(`the value of "${key}" is a string of ${len} bytes but only ${r.left} bytes follow (truncated or damaged)`);
        if (keepIt && len <= MAX_KEPT_STRING) return (await r.bytes(len)).toString('utf8');
        r.skip(len);
        return undefined;
      }
      if (type === T_ARRAY) {
        if (inArray) fail(`the value of "${key}" is a nested array (arrays of arrays are not supported)`);
        const elemType = await r.u32();
        if (elemType === T_ARRAY) fail(`the value of "${key}" is a nested array (arrays of arrays are not supported)`);
        if (elemType !== T_STRING && FIXED_SIZE[elemType] === undefined)
          fail(`the value of "${key}" is an array of unknown value type ${elemType}`);
        const n = await r.u64();
        if (n > BigInt(limits.maxArrayElements))
          fail(`the value of "${key}" is an array of ${n} elements (limit: ${limits.maxArrayElements})`);
        const len = Number(n);
        const minEach = elemType === T_STRING ? 8 : FIXED_SIZE[elemType];
        if (len * minEach > r.left)
          fail(`the value of "${key}" is an array of ${len} elements but only ${r.left} bytes follow (truncated or damaged)`);
        arrayElements += len;
        if (arrayElements > limits.maxTotalArrayElements)
          fail(`its arrays hold more than ${limits.maxTotalArrayElements} elements in all (limit)`);
        if (elemType !== T_STRING) {
          r.skip(len * minEach);
          return undefined;
        }
        for (let i = 0; i < len; i++) {
          const sn = r.u64Buffered() ?? (await r.u64());
          if (sn > BigInt(limits.maxStringBytes))
            fail(`element ${i} of "${key}" is a string of ${sn} bytes (limit: ${limits.maxStringBytes})`);
          r.skip(Number(sn));
        }
        return undefined;
      }
      return fail(`the value of "${key}" has unknown value type ${type}`);
    };

    const metadata = new Map<string, GgufValue>();
    for (let i = 0; i < nEntries; i++) {
      const klen = await r.u64();
      if (klen > 65_535n) fail(`the key of metadata entry ${i} is a string of ${klen} bytes (limit: 65535)`);
      if (Number(klen) > r.left)
        fail(`the key of metadata entry ${i} is a string of ${klen} bytes but only ${r.left} bytes follow (truncated or damaged)`);
      const key = (await r.bytes(Number(klen))).toString('utf8');
      const type = await r.u32();
      const k = key === 'general.alignment' || keep(key);
      const v = await readValue(key, type, k, false);
      if (k && v !== undefined) metadata.set(key, v);
    }

    const alignRaw = metadata.get('general.alignment');
    const alignment = typeof alignRaw === 'number' ? alignRaw : 32;
    if (!Number.isInteger(alignment) || alignment < 1 || alignment > 1 << 20 || (alignment & (alignment - 1)) !== 0)
      fail(`general.alignment is ${String(alignRaw)} (must be a power of two up to 1048576)`);

    const offsets: bigint[] = [];
    for (let i = 0; i < nTensors; i++) {
      const nlen = await r.u64();
      if (nlen > BigInt(MAX_TENSOR_NAME)) fail(`the name of tensor ${i} is ${nlen} bytes (limit: ${MAX_TENSOR_NAME})`);
      r.skip(Number(nlen));
      const dims = await r.u32();
      if (dims < 1 || dims > MAX_DIMS) fail(`tensor ${i} has ${dims} dimensions (limit: ${MAX_DIMS})`);
      for (let d = 0; d < dims; d++) {
        const v = await r.u64();
        if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`dimension ${d} of tensor ${i} is ${v} (limit: ${Number.MAX_SAFE_INTEGER})`);
      }
      const gtype = await r.u32();
      if (gtype > MAX_GGML_TYPE) fail(`tensor ${i} has unknown ggml type ${gtype}`);
      const off = await r.u64();
      if (off % BigInt(alignment) !== 0n) fail(`tensor ${i}'s data offset ${off} is not a multiple of the alignment ${alignment}`);
      offsets.push(off);
    }
    const headerBytes = r.pos;
    const dataStart = Math.ceil(headerBytes / alignment) * alignment;
    const dataBytes = BigInt(Math.max(0, st.size - dataStart));
    for (let i = 0; i < offsets.length; i++)
      if (offsets[i] > dataBytes)
        fail(`tensor ${i}'s data starts at ${offsets[i]}, past the end of the file's ${dataBytes} data bytes (truncated or damaged)`);
    return { version, tensorCount: nTensors, metadataCount: nEntries, metadata, alignment, headerBytes, fileBytes: st.size };
  } finally {
    await fh.close();
  }
}
