/**
 * The HNSW vector index (hnswlib-node, inner product over L2-normalised vectors = cosine)
 * with the bookkeeping hnswlib does not expose: which labels are live, which are
 * marked deleted, and persistence through a manifest so the file on disk and the
 * high-water mark it claims always belong together.
 *
 * Files: `<indexPath>.json` (manifest) names the data file `<indexPath>.<generation>.hnsw`.
 * A save writes a new data file, then atomically replaces the manifest, then removes
 * older data files; a crash at any point leaves a manifest naming a complete file.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
type HNSW = InstanceType<typeof HierarchicalNSW>;

export interface IndexParams {
  m: number;
  efConstruction: number;
  efSearch: number;
}

export interface IndexManifest {
  format: 1;
  bankId: string;
  embedder: string;
  dim: number;
  /** Highest pattern_vec_log lsn whose change the data file contains. */
  hwm: number;
  live: number;
  /** Labels marked deleted (not yet replaced) in the data file. */
  deleted: number[];
  file: string;
  m: number;
  efConstruction: number;
  savedAt: string;
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
    h.initIndex({ maxElements: Math.max(16, capacity), m: params.m, efConstruction: params.efConstruction, randomSeed: 100, allowReplaceDeleted: true });
    h.setEf(params.efSearch);
    return new VectorIndex(dim, embedder, params, h);
  }

  /** Loads the index named by the manifest at `<indexPath>.json`; null when absent or unusable. */
  static load(indexPath: string, expect: { bankId: string; embedder: string; dim: number }, efSearch: number): { index: VectorIndex; manifest: IndexManifest } | { index: null; reason: string } {
    const mf = `${indexPath}.json`;
    if (!existsSync(mf)) return { index: null, reason: 'no persisted index' };
    let m: IndexManifest;
    try {
      m = JSON.parse(readFileSync(mf, 'utf8')) as IndexManifest;
    } catch (e) {
      return { index: null, reason: `unreadable manifest ${mf}: ${(e as Error).message}` };
    }
    if (m.format !== 1) return { index: null, reason: `manifest format ${String(m.format)} unknown` };
    if (m.bankId !== expect.bankId) return { index: null, reason: 'index belongs to another database' };
    if (m.embedder !== expect.embedder || m.dim !== expect.dim) return { index: null, reason: `index holds ${m.embedder}/${m.dim} vectors, bank uses ${expect.embedder}/${expect.dim}` };
    const file = join(dirname(indexPath), m.file);
    if (!existsSync(file)) return { index: null, reason: `index data file ${file} missing` };
    const h = new HierarchicalNSW('ip', m.dim);
    try {
      h.readIndexSync(file, true);
    } catch (e) {
      return { index: null, reason: `index data file ${file} unreadable: ${(e as Error).message}` };
    }
    h.setEf(efSearch);
    const idx = new VectorIndex(m.dim, m.embedder, { m: m.m, efConstruction: m.efConstruction, efSearch }, h);
    const del = new Set(m.deleted);
    for (const l of h.getIdsList()) if (!del.has(l)) idx.live.add(l);
    for (const l of del) idx.marked.add(l);
    if (idx.live.size !== m.live) return { index: null, reason: `index data file holds ${idx.live.size} live vectors, manifest says ${m.live}` };
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
   * Writes the data file on a libuv thread, then the manifest. The caller must not change the index until the
   * promise settles (searches are fine: the write only reads).
   */
  async save(indexPath: string, bankId: string, hwm: number): Promise<IndexManifest> {
    const dir = dirname(indexPath);
    const base = basename(indexPath);
    const file = `${base}.${Date.now().toString(36)}-${hwm}.hnsw`;
    const tmp = join(dir, `${file}.tmp`);
    // the manifest describes the state being written (nothing changes it meanwhile)
    const m: IndexManifest = {
      format: 1,
      bankId,
      embedder: this.embedder,
      dim: this.dim,
      hwm,
      live: this.live.size,
      deleted: this.deletedLabels(),
      file,
      m: this.params.m,
      efConstruction: this.params.efConstruction,
      savedAt: new Date().toISOString(),
    };
    await this.hnsw.writeIndex(tmp);
    renameSync(tmp, join(dir, file));
    const mtmp = `${indexPath}.json.tmp`;
    writeFileSync(mtmp, JSON.stringify(m));
    renameSync(mtmp, `${indexPath}.json`);
    // remove data files of older generations
    for (const f of readdirSync(dir)) {
      if (f !== file && f.startsWith(`${base}.`) && (f.endsWith('.hnsw') || f.endsWith('.hnsw.tmp'))) {
        await rm(join(dir, f), { force: true }); // a large file's unlink stays off this thread
      }
    }
    return m;
  }
}
