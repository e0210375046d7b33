/**
 * The HNSW vector index (hnswlib-node, inner product over L2-normalised vectors = cosine)
 * with the bookkeeping hnswlib does not expose: which labels are live, which are
 * marked deleted, and persistence through a manifest so the file on disk and the
 * high-water mark it claims always belong together.
 *
 * Files: `<indexPath>.json` (manifest) names the data file `<indexPath>.<gen>-<hwm>-<pid>-<random>.hnsw`
 * and records its size and CRC-32. Several processes share one data directory, so every file a save writes
 * has a name of its own (temp files too): a save writes the data file under a temp name, fsyncs it, renames
 * it, then writes the manifest the same way (temp, fsync, rename). It removes only files this process wrote
 * (and files of processes that no longer run), never the file the manifest names. A crash at any point leaves
 * a manifest naming a complete file. Loading checks the file against the manifest's size and checksum and
 * its structure (hnsw-file.ts) before hnswlib reads it; anything wrong means a rebuild from SQLite.
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { checksumAndSync, verifyIndexFile } from './hnsw-file.js';

const { HierarchicalNSW } = hnswlib;
type HNSW = InstanceType<typeof HierarchicalNSW>;

export interface IndexParams {
  m: number;
  efConstruction: number;
  efSearch: number;
}

export interface IndexManifest {
  /** 2: records the data file's size and CRC-32 (format 1, of older versions, has none: its file gets the structure check only). */
  format: 1 | 2;
  bankId: string;
  embedder: string;
  dim: number;
  /** Highest pattern_vec_log lsn whose change the data file contains. */
  hwm: number;
  live: number;
  /** Labels marked deleted (not yet replaced) in the data file. */
  deleted: number[];
  file: string;
  /** Size in bytes and CRC-32 (8 hex digits) of the data file. */
  bytes: number;
  crc32: string;
  m: number;
  efConstruction: number;
  savedAt: string;
}

/** Largest manifest read (its deleted list grows with the index; 64 MB is millions of labels). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** This process's part of every file name it writes. */
const OWN_TAG = `${process.pid}-${randomBytes(4).toString('hex')}`;
/** Data files this process wrote, by directory/base: removed by its later saves once no manifest names them. */
const ownFiles = new Map<string, Set<string>>();

function readManifest(mf: string): { m: IndexManifest } | { reason: string } {
  try {
    const size = statSync(mf).size;
    if (size > MAX_MANIFEST_BYTES) return { reason: `manifest ${mf} is ${size} bytes (at most ${MAX_MANIFEST_BYTES})` };
    const m = JSON.parse(readFileSync(mf, 'utf8')) as IndexManifest;
    if (!m || typeof m !== 'object') return { reason: `manifest ${mf} is not an object` };
    return { m };
  } catch (e) {
    return { reason: `unreadable manifest ${mf}: ${(e as Error).message}` };
  }
}

/** Whether a process with this id runs on this machine (EPERM: it runs as another user). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported on every platform (Windows): the rename is still atomic */
  }
}

export class VectorIndex {
  private readonly hnsw: HNSW;
  /** Live labels. */
  readonly live = new Set<number>();
  /** Labels marked deleted in the graph; exact until hnswlib reuses a deleted slot (it does not say whose). */
  private readonly marked = new Set<number>();
  private markedExact = true;
  private readonly buf: number[];

  private constructor(
    readonly dim: number,
    readonly embedder: string,
    readonly params: IndexParams,
    hnsw: HNSW,
  ) {
    this.hnsw = hnsw;
    this.buf = new Array<number>(dim).fill(0);
  }

  static create(dim: number, embedder: string, params: IndexParams, capacity: number): VectorIndex {
    const h = new HierarchicalNSW('ip', dim);
    h.initIndex({
      maxElements: Math.max(16, capacity),
      m: params.m,
      efConstruction: params.efConstruction,
      randomSeed: 100,
      allowReplaceDeleted: true,
    });
    h.setEf(params.efSearch);
    return new VectorIndex(dim, embedder, params, h);
  }

  /**
   * Loads the index named by the manifest at `<indexPath>.json`; null (with the reason) when absent, not matching
   * its manifest's checksum, not a valid HNSW file, or unreadable. The file is verified before hnswlib reads it.
   */
  static async load(
    indexPath: string,
    expect: { bankId: string; embedder: string; dim: number },
    efSearch: number,
  ): Promise<{ index: VectorIndex; manifest: IndexManifest } | { index: null; reason: string }> {
    const mf = `${indexPath}.json`;
    // another process may replace the manifest and remove the file it named while this reads: read it again
    for (let attempt = 0; ; attempt++) {
      if (!existsSync(mf)) return { index: null, reason: 'no persisted index' };
      const r = await VectorIndex.loadOnce(indexPath, mf, expect, efSearch);
      if (r.index || !('missing' in r) || attempt >= 3) return r.index ? r : { index: null, reason: r.reason };
    }
  }

  private static async loadOnce(
    indexPath: string,
    mf: string,
    expect: { bankId: string; embedder: string; dim: number },
    efSearch: number,
  ): Promise<{ index: VectorIndex; manifest: IndexManifest } | { index: null; reason: string; missing?: true }> {
    const read = readManifest(mf);
    if ('reason' in read) return { index: null, reason: read.reason };
    const m = read.m;
    // format 1 (an older version) recorded no checksum: its file is trusted only after the structure check below
    if (m.format !== 2 && m.format !== 1) return { index: null, reason: `manifest format ${String(m.format)} unknown` };
    if (m.bankId !== expect.bankId) return { index: null, reason: 'index belongs to another database' };
    if (m.embedder !== expect.embedder || m.dim !== expect.dim)
      return { index: null, reason: `index holds ${m.embedder}/${m.dim} vectors, bank uses ${expect.embedder}/${expect.dim}` };
    if (
      typeof m.file !== 'string' ||
      basename(m.file) !== m.file ||
      !m.file.startsWith(`${basename(indexPath)}.`) ||
      !m.file.endsWith('.hnsw')
    )
      return {
        index: null,
        reason: `manifest names a data file outside the index's own files: ${JSON.stringify(String(m.file)).slice(0, 200)}`,
      };
    if (
      (m.format === 2 && (!Number.isSafeInteger(m.bytes) || typeof m.crc32 !== 'string')) ||
      !Number.isInteger(m.m) ||
      m.m < 2 ||
      m.m > 10_000 ||
      !Number.isSafeInteger(m.live) ||
      !Array.isArray(m.deleted)
    )
      return { index: null, reason: 'manifest fields missing or malformed' };
    const file = join(dirname(indexPath), m.file);
    if (!existsSync(file)) return { index: null, reason: `index data file ${file} missing`, missing: true };
    const bad = await verifyIndexFile(
      file,
      m.format === 2 ? { crc32: m.crc32, bytes: m.bytes, dim: m.dim, m: m.m } : { dim: m.dim, m: m.m },
    );
    if (bad)
      return existsSync(file) ? { index: null, reason: bad } : { index: null, reason: `index data file ${file} missing`, missing: true };
    const h = new HierarchicalNSW('ip', m.dim);
    try {
      await h.readIndex(file, true);
    } catch (e) {
      return existsSync(file)
        ? { index: null, reason: `index data file ${file} unreadable: ${(e as Error).message}` }
        : { index: null, reason: `index data file ${file} missing`, missing: true };
    }
    h.setEf(efSearch);
    const idx = new VectorIndex(m.dim, m.embedder, { m: m.m, efConstruction: m.efConstruction, efSearch }, h);
    const del = new Set(m.deleted);
    for (const l of h.getIdsList()) if (!del.has(l)) idx.live.add(l);
    for (const l of del) idx.marked.add(l);
    if (idx.live.size !== m.live)
      return { index: null, reason: `index data file holds ${idx.live.size} live vectors, manifest says ${m.live}` };
    return { index: idx, manifest: m };
  }

  get size(): number {
    return this.live.size;
  }

  get capacity(): number {
    return this.hnsw.getMaxElements();
  }

  setEf(ef: number): void {
    this.params.efSearch = ef;
    this.hnsw.setEf(ef);
  }

  has(label: number): boolean {
    return this.live.has(label);
  }

  private toArray(v: Float32Array): number[] {
    if (v.length !== this.dim) throw new Error(`vector has ${v.length} dimensions, index expects ${this.dim}`);
    const b = this.buf;
    for (let i = 0; i < v.length; i++) b[i] = v[i];
    return b;
  }

  /** Labels of the marked-deleted points (listing every id of a large graph only after a deleted slot was reused). */
  private deletedLabels(): number[] {
    if (this.deletedCount === 0) {
      this.marked.clear();
      this.markedExact = true;
      return [];
    }
    if (!this.markedExact) {
      this.marked.clear();
      for (const l of this.hnsw.getIdsList()) if (!this.live.has(l)) this.marked.add(l);
      this.markedExact = true;
    }
    return [...this.marked];
  }

  /** Slots holding marked-deleted points (reused by the next additions). */
  get deletedCount(): number {
    return this.hnsw.getCurrentCount() - this.live.size;
  }

  upsert(label: number, v: Float32Array): void {
    const arr = this.toArray(v);
    if (this.live.has(label)) {
      this.hnsw.addPoint(arr, label, false); // update in place
      return;
    }
    if (this.hnsw.getCurrentCount() < this.hnsw.getMaxElements()) {
      this.hnsw.addPoint(arr, label, false); // a fresh slot: the cheap path
    } else if (this.deletedCount > this.hnsw.getMaxElements() * 0.1) {
      // full, with many deleted slots: reuse one (hnswlib repairs its neighbours, which costs more than an add)
      this.hnsw.addPoint(arr, label, true);
      this.markedExact = false;
    } else {
      this.hnsw.resizeIndex(Math.ceil(this.hnsw.getMaxElements() * 1.5) + 16);
      this.hnsw.addPoint(arr, label, false);
    }
    this.live.add(label);
  }

  remove(label: number): boolean {
    if (!this.live.has(label)) return false;
    this.hnsw.markDelete(label);
    this.live.delete(label);
    this.marked.add(label);
    return true;
  }

  search(v: Float32Array, k: number, filter?: (label: number) => boolean, ef?: number): { label: number; sim: number }[] {
    if (this.live.size === 0 || k <= 0) return [];
    const n = Math.min(k, this.live.size);
    if (ef !== undefined) this.hnsw.setEf(ef);
    let r: { distances: number[]; neighbors: number[] };
    try {
      r = filter ? this.hnsw.searchKnn(this.toArray(v), n, filter) : this.hnsw.searchKnn(this.toArray(v), n);
    } finally {
      if (ef !== undefined) this.hnsw.setEf(this.params.efSearch);
    }
    const out: { label: number; sim: number }[] = [];
    for (let i = 0; i < r.neighbors.length; i++) out.push({ label: r.neighbors[i], sim: 1 - r.distances[i] });
    return out;
  }

  getVector(label: number): Float32Array | null {
    if (!this.live.has(label)) return null;
    return Float32Array.from(this.hnsw.getPoint(label));
  }

  /**
   * Writes the data file on a libuv thread (under a name of this process's own), fsyncs it and records its size and
   * checksum in the manifest, which replaces the current one atomically unless that one is newer (a higher
   * high-water mark: another process saved more). The caller must not change the index until the promise settles
   * (searches are fine: the write only reads).
   */
  async save(indexPath: string, bankId: string, hwm: number): Promise<IndexManifest> {
    const dir = dirname(indexPath);
    const base = basename(indexPath);
    const file = `${base}.${Date.now().toString(36)}-${hwm}-${OWN_TAG}.hnsw`;
    const tmp = join(dir, `${file}.tmp`);
    const deleted = this.deletedLabels();
    const mine = ownFiles.get(indexPath) ?? new Set<string>();
    ownFiles.set(indexPath, mine);
    mine.add(file);
    let check;
    try {
      await this.hnsw.writeIndex(tmp);
      check = await checksumAndSync(tmp);
      renameSync(tmp, join(dir, file));
    } catch (e) {
      mine.delete(file);
      await rm(tmp, { force: true });
      throw e;
    }
    // the manifest describes the state written (nothing changed it meanwhile)
    const m: IndexManifest = {
      format: 2,
      bankId,
      embedder: this.embedder,
      dim: this.dim,
      hwm,
      live: this.live.size,
      deleted,
      file,
      bytes: check.bytes,
      crc32: check.crc32,
      m: this.params.m,
      efConstruction: this.params.efConstruction,
      savedAt: new Date().toISOString(),
    };
    const mf = `${indexPath}.json`;
    const current = existsSync(mf) ? readManifest(mf) : null;
    const newer =
      current &&
      'm' in current &&
      current.m.format === 2 &&
      current.m.bankId === bankId &&
      current.m.embedder === this.embedder &&
      current.m.hwm > hwm;
    if (!newer) {
      const mtmp = `${mf}.${OWN_TAG}.tmp`;
      const fd = openSync(mtmp, 'w');
      try {
        writeFileSync(fd, JSON.stringify(m));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(mtmp, mf);
      fsyncDir(dir);
    }
    await removeStale(indexPath, mine);
    return m;
  }
}

/**
 * Removes this process's data files that the manifest does not name, and files (data, temp) left by processes
 * that no longer run. Files of running processes are theirs to remove.
 */
async function removeStale(indexPath: string, mine: Set<string>): Promise<void> {
  const dir = dirname(indexPath);
  const base = basename(indexPath);
  const current = readManifest(`${indexPath}.json`);
  const named = 'm' in current ? current.m.file : null;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const f of names) {
    if (f === named || !f.startsWith(`${base}.`)) continue;
    let remove = false;
    if (mine.has(f)) remove = true;
    else if (/^[0-9a-z]+-\d+\.hnsw(\.tmp)?$/.test(f.slice(base.length + 1))) {
      // named by an older version (no process id): removed once nothing could still be writing it
      remove = Date.now() - mtimeMs(join(dir, f)) > 10 * 60_000;
    } else {
      // <base>.<gen>-<hwm>-<pid>-<random>.hnsw[.tmp] or <base>.json.<pid>-<random>.tmp
      const pid = /-(\d+)-[0-9a-f]{8}\.hnsw(\.tmp)?$/.exec(f)?.[1] ?? /^\.json\.(\d+)-[0-9a-f]{8}\.tmp$/.exec(f.slice(base.length))?.[1];
      if (pid !== undefined) remove = !alive(Number(pid));
    }
    if (!remove) continue;
    mine.delete(f);
    await rm(join(dir, f), { force: true }); // a large file's unlink stays off this thread
  }
}
