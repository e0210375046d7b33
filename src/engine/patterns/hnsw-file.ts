/**
 * The persisted HNSW file, checked before hnswlib sees it. hnswlib trusts its file: a neighbour id past the end,
 * a level that does not match, or an absurd element count makes it read or allocate out of bounds (a flipped
 * word in the file was a SIGSEGV at every start). So a file is handed to hnswlib only when
 * - its size and CRC-32 equal what the manifest recorded when this server wrote it (accidental damage), and
 * - its structure is one hnswlib can read safely (a hostile file with a matching manifest): header fields
 *   consistent with the dimension and M, counts bounded, every neighbour id inside the index, every upper-level
 *   neighbour present on that level, the entry point on the top level, nothing left over.
 * One sequential pass over the file does both (reads of 1 MB, never the whole file in memory).
 *
 * hnswlib's layout (hnswalg.h saveIndex): a 96-byte header; cur_element_count level-0 records of
 * size_data_per_element bytes (a 4-byte link header whose low 16 bits count the links and whose third byte is
 * the deleted mark, maxM0 4-byte neighbour ids, the vector, an 8-byte label); then per element a 4-byte byte
 * length of its upper-level link lists followed by them (per level: a 4-byte count, maxM ids).
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

const CHUNK = 1 << 20;
export const HEADER_BYTES = 96;
/** Highest HNSW level accepted (hnswlib draws levels with mult 1/ln(M): above 30 never happens for real data). */
const MAX_LEVEL = 64;

export interface FileCheck {
  /** CRC-32 of the whole file (8 hex digits). */
  crc32: string;
  bytes: number;
}

/** CRC-32 and size of a file, after an fsync (the file is durable before a manifest names it). */
export async function checksumAndSync(path: string): Promise<FileCheck> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
    let crc = 0;
    let bytes = 0;
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, bytes);
      if (bytesRead === 0) break;
      crc = crc32(buf.subarray(0, bytesRead), crc);
      bytes += bytesRead;
    }
    return { crc32: hex(crc), bytes };
  } finally {
    await fh.close();
  }
}

function hex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}

class Bad extends Error {}

/** Reads the file front to back, keeping the CRC of everything read. */
class Reader {
  private buf = Buffer.alloc(0);
  private pos = 0;
  private fileOffset = 0;
  crc = 0;

  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  get consumed(): number {
    return this.fileOffset - (this.buf.length - this.pos);
  }

  /** The next n bytes when they are already read (no promise: the per-element loop stays cheap), else null. */
  takeBuffered(n: number): Buffer | null {
    if (this.buf.length - this.pos < n || this.consumed + n > this.size) return null;
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  async take(n: number): Promise<Buffer> {
    if (this.consumed + n > this.size) throw new Bad(`file ends at byte ${this.size}, ${n} more bytes were needed at ${this.consumed}`);
    while (this.buf.length - this.pos < n) {
      const rest = this.buf.subarray(this.pos);
      const want = Math.max(CHUNK, n - rest.length);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await this.fh.read(chunk, 0, want, this.fileOffset);
      if (bytesRead === 0) throw new Bad(`file shorter than its size (${this.size} bytes)`);
      const got = chunk.subarray(0, bytesRead);
      this.crc = crc32(got, this.crc);
      this.fileOffset += bytesRead;
      this.buf = rest.length ? Buffer.concat([rest, got]) : got;
      this.pos = 0;
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads (and checksums) whatever is left. */
  async drain(): Promise<void> {
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    const chunk = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await this.fh.read(chunk, 0, CHUNK, this.fileOffset);
      if (bytesRead === 0) return;
      this.crc = crc32(chunk.subarray(0, bytesRead), this.crc);
      this.fileOffset += bytesRead;
    }
  }
}

export interface VerifyExpect {
  /** From the manifest (absent in a manifest of an older version: then only the structure is checked). */
  crc32?: string;
  bytes?: number;
  dim: number;
  m: number;
  /** Most elements the header may reserve room for (hnswlib allocates for all of them at load). */
  maxCapacity?: number;
}

/**
 * Null when the file may be handed to hnswlib; else why not (a checksum mismatch is reported as such even when
 * the structure is also wrong).
 */
export async function verifyIndexFile(path: string, expect: VerifyExpect): Promise<string | null> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    return `index data file unreadable: ${(e as Error).message}`;
  }
  try {
    const size = (await fh.stat()).size;
    if (expect.bytes !== undefined && size !== expect.bytes)
      return `index data file has ${size} bytes, its manifest recorded ${expect.bytes} (checksum not matched)`;
    const r = new Reader(fh, size);
    let structural: string | null = null;
    try {
      await checkStructure(r, expect);
      if (r.consumed !== size) throw new Bad(`${size - r.consumed} bytes left over after the last element`);
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      structural = e.message;
    }
    await r.drain();
    const crc = hex(r.crc);
    if (expect.crc32 !== undefined && crc !== expect.crc32)
      return `index data file checksum mismatch (crc32 ${crc}, manifest recorded ${expect.crc32})`;
    return structural ? `index data file is not a valid HNSW index: ${structural}` : null;
  } catch (e) {
    return `index data file unreadable: ${(e as Error).message}`;
  } finally {
    await fh.close();
  }
}

function u64(b: Buffer, at: number, what: string): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Bad(`${what} is ${v}`);
  return Number(v);
}

async function checkStructure(r: Reader, x: VerifyExpect): Promise<void> {
  const h = await r.take(HEADER_BYTES);
  const offsetLevel0 = u64(h, 0, 'offsetLevel0');
  const maxElements = u64(h, 8, 'max_elements');
  const count = u64(h, 16, 'cur_element_count');
  const perElement = u64(h, 24, 'size_data_per_element');
  const labelOffset = u64(h, 32, 'label_offset');
  const offsetData = u64(h, 40, 'offset_data');
  const maxLevel = h.readInt32LE(48);
  const enterPoint = h.readUInt32LE(52);
  const maxM = u64(h, 56, 'maxM');
  const maxM0 = u64(h, 64, 'maxM0');
  const M = u64(h, 72, 'M');
  const mult = h.readDoubleLE(80);
  if (offsetLevel0 !== 0) throw new Bad(`offsetLevel0 is ${offsetLevel0}`);
  if (M !== x.m || maxM !== M || maxM0 !== 2 * M) throw new Bad(`M ${M}, maxM ${maxM}, maxM0 ${maxM0}; the manifest says M ${x.m}`);
  const linksLevel0 = maxM0 * 4 + 4;
  const linksUpper = maxM * 4 + 4;
  if (offsetData !== linksLevel0 || labelOffset !== linksLevel0 + x.dim * 4 || perElement !== labelOffset + 8)
    throw new Bad(
      `element layout (${perElement} bytes, data at ${offsetData}, label at ${labelOffset}) does not fit ${x.dim} dimensions and M ${M}`,
    );
  if (!(Number.isFinite(mult) && mult > 0 && mult < 10)) throw new Bad(`level multiplier ${mult}`);
  if (HEADER_BYTES + count * (perElement + 4) > r.size) throw new Bad(`${count} elements do not fit in ${r.size} bytes`);
  const capLimit = Math.max(x.maxCapacity ?? 0, 2 * count + 16, 1_000_000);
  if (maxElements > capLimit) throw new Bad(`capacity ${maxElements} is beyond the limit ${capLimit}`);
  if (count > 0 && (maxLevel < 0 || maxLevel > MAX_LEVEL)) throw new Bad(`top level ${maxLevel}`);
  if (count > 0 && enterPoint >= count) throw new Bad(`entry point ${enterPoint} of ${count} elements`);

  // level 0: every record's links
  const per = Math.max(1, Math.floor(CHUNK / perElement));
  for (let i = 0; i < count; i += per) {
    const n = Math.min(per, count - i);
    const slab = await r.take(n * perElement);
    // 32-bit words (records are a multiple of 4 bytes: links, floats, a 64-bit label); copied when unaligned
    const words =
      slab.byteOffset % 4 === 0
        ? new Uint32Array(slab.buffer, slab.byteOffset, slab.length / 4)
        : new Uint32Array(Uint8Array.from(slab).buffer);
    const per4 = perElement / 4;
    for (let j = 0; j < n; j++) {
      const at = j * per4;
      const head = words[at];
      const links = head & 0xffff;
      if (links > maxM0) throw new Bad(`element ${i + j} has ${links} level-0 links (at most ${maxM0})`);
      if (((head >>> 16) & 0xff) > 1) throw new Bad(`element ${i + j} has deleted mark ${(head >>> 16) & 0xff}`);
      for (let k = 1; k <= links; k++) {
        const id = words[at + k];
        if (id >= count) throw new Bad(`element ${i + j} links to ${id} of ${count} elements`);
      }
    }
  }
  // upper levels: each element's level, its links (checked against the neighbours' levels once all are known)
  const levels = new Uint8Array(count);
  const upper: number[] = []; // triples: element, level, neighbour
  for (let i = 0; i < count; i++) {
    const bytes = (r.takeBuffered(4) ?? (await r.take(4))).readUInt32LE(0);
    if (bytes === 0) continue;
    if (bytes % linksUpper !== 0) throw new Bad(`element ${i}: upper link lists of ${bytes} bytes, not a multiple of ${linksUpper}`);
    const level = bytes / linksUpper;
    if (level > maxLevel) throw new Bad(`element ${i} is on level ${level}, above the top level ${maxLevel}`);
    levels[i] = level;
    const b = r.takeBuffered(bytes) ?? (await r.take(bytes));
    for (let l = 1; l <= level; l++) {
      const at = (l - 1) * linksUpper;
      const links = b.readUInt16LE(at);
      if (links > maxM) throw new Bad(`element ${i} has ${links} links on level ${l} (at most ${maxM})`);
      for (let k = 0; k < links; k++) {
        const id = b.readUInt32LE(at + 4 + k * 4);
        if (id >= count) throw new Bad(`element ${i} links to ${id} of ${count} elements on level ${l}`);
        upper.push(i, l, id);
      }
    }
  }
  for (let t = 0; t < upper.length; t += 3) {
    if (levels[upper[t + 2]] < upper[t + 1])
      throw new Bad(`element ${upper[t]} links to ${upper[t + 2]} on level ${upper[t + 1]}, which that element is not on`);
  }
  if (count > 0 && levels[enterPoint] !== maxLevel)
    throw new Bad(`entry point ${enterPoint} is on level ${levels[enterPoint]}, not the top level ${maxLevel}`);
}
