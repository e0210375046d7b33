/**
 * The HNSW vector index, run in a worker thread (hnsw-worker.ts). The main thread keeps the set of live labels
 * (so size and membership are answered at once) and posts changes without waiting; searches and saves are
 * answered asynchronously. The worker handles messages in the order they were posted: a search sees every
 * change posted before it, and a save at high-water mark `hwm` contains every change posted before it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { logger } from '../log.js';
import { IndexCore } from './hnsw-core.js';
import type { IndexManifest, IndexParams } from './hnsw-index.js';
import type { FromWorker, ToWorker } from './hnsw-protocol.js';

const log = logger('patterns');

/** How long a search polls for its answer before it waits asynchronously. */
const SPIN_MS = 3;

/**
 * The compiled worker script. Running from the TypeScript sources (tests), the compiled copy in dist/ is
 * used: test/helpers/global-setup.ts rebuilds dist/ whenever a source file is newer.
 */
function workerFile(): URL {
  const here = new URL('./hnsw-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const p = fileURLToPath(here);
  const dist = p.replace(/([\\/])src([\\/]engine[\\/]patterns[\\/]hnsw-worker\.js)$/, '$1dist$2');
  if (dist !== p && existsSync(dist)) return new URL(`file://${dist}`);
  throw new Error(`pattern index worker script not found at ${p} (nor in dist/); run \`npm run build\``);
}

export class IndexThread {
  /** Live labels (as posted; the worker applies them in order). */
  readonly live = new Set<number>();
  private readonly worker: Worker | null = null;
  private readonly port: MessagePort | null = null;
  /** Inline mode: the index runs on this thread (searches answer synchronously). */
  private readonly core: IndexCore | null = null;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();
  private dead: Error | null = null;
  private reported = false;
  /** Inserts queued in the worker at its last report, and posted since. */
  private reportedBacklog = 0;
  private sinceReport = 0;
  private waitingBacklog: { below: number; resolve: () => void; promise: Promise<void> } | null = null;
  params: IndexParams;

  private constructor(
    readonly dim: number,
    readonly embedder: string,
    params: IndexParams,
    readonly thread: boolean,
  ) {
    this.params = { ...params };
    if (!thread) {
      this.core = new IndexCore((m) => this.onMessage(m));
      return;
    }
    const { port1, port2 } = new MessageChannel();
    const port = port1;
    const worker = new Worker(workerFile(), {
      // not the parent's flags: e.g. --input-type (node -e) is refused for a worker started from a file
      execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type') && !a.startsWith('--eval') && a !== '-e'),
      workerData: { port: port2 },
      transferList: [port2],
    });
    worker.unref();
    port.on('message', (m: FromWorker) => this.onMessage(m));
    port.unref(); // ref'd only while an answer is awaited
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`pattern index worker exited (code ${code})`)));
    this.worker = worker;
    this.port = port;
  }

  private onMessage(m: FromWorker): void {
    if (m.t === 'backlog') {
      this.reportedBacklog = m.n;
      this.sinceReport = 0;
      if (this.waitingBacklog && m.n <= this.waitingBacklog.below) {
        this.waitingBacklog.resolve();
        this.waitingBacklog = null;
        if (this.waiting.size === 0) this.port?.unref();
      }
      return;
    }
    if (m.t === 'error' && m.id === undefined) {
      log.error('pattern index worker: change failed', { op: m.op, error: m.message });
      return;
    }
    const w = this.waiting.get(m.id!);
    if (!w) return;
    this.waiting.delete(m.id!);
    if (this.waiting.size === 0) this.port?.unref();
    if (m.t === 'error') w.reject(new Error(`pattern index ${m.op} failed: ${m.message}`));
    else w.resolve(m);
  }

  private fail(e: Error): void {
    if (this.dead) return;
    this.dead = e;
    log.error('pattern index worker failed', { error: e.message });
    this.waitingBacklog?.resolve();
    this.waitingBacklog = null;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  /**
   * Posts a change. A dead worker (it should not die; if it does) drops changes with one error in the log: the
   * database has them, saves fail so the change log is kept, and the next open replays it into the index.
   */
  private post(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    if (this.dead) {
      if (!this.reported) log.error('pattern index worker is gone; index changes wait for the next open', { error: this.dead.message });
      this.reported = true;
      return;
    }
    if (this.core) this.core.handle(m);
    else this.port!.postMessage(m, transfer);
  }

  private ask<T extends FromWorker>(m: ToWorker & { id: number }, transfer: ArrayBuffer[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(m.id, { resolve: resolve as (m: FromWorker) => void, reject });
      if (this.dead) {
        this.waiting.delete(m.id);
        reject(new Error(`pattern index unavailable: ${this.dead.message}`));
        return;
      }
      this.port?.ref(); // an answer is awaited: keep the process alive until it comes
      this.post(m, transfer);
    });
  }

  /** A new empty index (the worker creates it before handling anything posted later). */
  static create(dim: number, embedder: string, params: IndexParams, capacity: number, thread = true): IndexThread {
    const t = new IndexThread(dim, embedder, params, thread);
    t.ask({ t: 'create', id: t.next++, dim, embedder, params, capacity }).catch((e: Error) =>
      log.error('pattern index creation failed', { error: e.message }),
    );
    return t;
  }

  /** Loads the index named by the manifest at `<indexPath>.json`; null when absent or unusable. */
  static async load(
    indexPath: string,
    expect: { bankId: string; embedder: string; dim: number },
    efSearch: number,
    thread = true,
  ): Promise<{ index: IndexThread; manifest: IndexManifest } | { index: null; reason: string }> {
    const t = new IndexThread(expect.dim, expect.embedder, { m: 16, efConstruction: 100, efSearch }, thread);
    let r: Extract<FromWorker, { t: 'loaded' }>;
    try {
      r = await t.ask({ t: 'load', id: t.next++, path: indexPath, expect, efSearch });
    } catch (e) {
      await t.close();
      return { index: null, reason: (e as Error).message };
    }
    if ('reason' in r) {
      await t.close();
      return { index: null, reason: r.reason };
    }
    t.params = { ...r.params };
    for (const l of r.labels) t.live.add(l);
    return { index: t, manifest: r.manifest };
  }

  get size(): number {
    return this.live.size;
  }

  has(label: number): boolean {
    return this.live.has(label);
  }

  setEf(ef: number): void {
    this.params.efSearch = ef;
    this.post({ t: 'setEf', ef });
  }

  private check(v: Float32Array): void {
    if (v.length !== this.dim) throw new Error(`vector has ${v.length} dimensions, index expects ${this.dim}`);
  }

  /** Posts an insert or update (applied by the worker in order; not awaited). */
  upsert(label: number, v: Float32Array): void {
    this.check(v);
    this.post({ t: 'upsert', label, vec: v });
    this.live.add(label);
    this.sinceReport++;
  }

  /** Posts many inserts in one message. */
  upsertMany(items: { label: number; vec: Float32Array }[]): void {
    if (!items.length) return;
    const vecs = new Float32Array(items.length * this.dim);
    const labels = new Int32Array(items.length);
    items.forEach((it, i) => {
      this.check(it.vec);
      vecs.set(it.vec, i * this.dim);
      labels[i] = it.label;
    });
    this.post({ t: 'upsertMany', labels, vecs, dim: this.dim }, [vecs.buffer, labels.buffer]);
    for (const it of items) this.live.add(it.label);
    this.sinceReport += items.length;
  }

  remove(label: number): boolean {
    if (!this.live.has(label)) return false;
    this.post({ t: 'remove', label });
    this.live.delete(label);
    return true;
  }

  /** k nearest live labels (cosine similarity), optionally only among `allow`; sees every change posted before. */
  async search(v: Float32Array, k: number, allow?: Set<number> | null, ef?: number): Promise<{ label: number; sim: number }[]> {
    if (this.live.size === 0 || k <= 0) return [];
    this.check(v);
    const m: ToWorker & { id: number } = { t: 'search', id: this.next++, vec: v, k, ef };
    if (allow) (m as { allow?: Int32Array }).allow = Int32Array.from(allow);
    const answer = this.ask<Extract<FromWorker, { t: 'hits' }>>(m);
    if (this.port && this.backlog === 0) this.spin(m.id);
    const r = await answer;
    const out: { label: number; sim: number }[] = [];
    for (let i = 0; i < r.labels.length; i++) out.push({ label: r.labels[i], sim: r.sims[i] });
    return out;
  }

  /**
   * Polls for the answer for up to SPIN_MS instead of sleeping until the event loop delivers it (an idle worker
   * answers a search in about 0.4 ms at 100k): the thread wake-ups a sleeping wait costs made the slow tail of
   * find on a busy 2-core machine. Other messages that arrive meanwhile are handled as usual.
   */
  private spin(id: number): void {
    const until = performance.now() + SPIN_MS;
    while (this.waiting.has(id) && !this.dead && performance.now() < until) {
      const r = receiveMessageOnPort(this.port!);
      if (r) this.onMessage(r.message as FromWorker);
    }
  }

  /** Writes the index with every change posted so far, recorded as containing the log up to `hwm`. */
  async save(indexPath: string, bankId: string, hwm: number): Promise<IndexManifest> {
    return (await this.ask<Extract<FromWorker, { t: 'saved' }>>({ t: 'save', id: this.next++, path: indexPath, bankId, hwm })).manifest;
  }

  /** Inserts posted but not yet in the HNSW graph (as last reported by the worker, plus posted since). */
  get backlog(): number {
    return this.dead ? 0 : this.reportedBacklog + this.sinceReport;
  }

  /**
   * Backpressure: resolves at once while the backlog is at most `limit`, else when the worker reports it has
   * worked it down to half of that (searches scan queued inserts exactly, so the queue must stay bounded).
   */
  roomFor(limit: number): Promise<void> | null {
    if (this.backlog <= limit) return null;
    if (!this.waitingBacklog) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.waitingBacklog = { below: Math.floor(limit / 2), resolve, promise };
      this.port?.ref();
    }
    return this.waitingBacklog.promise;
  }

  /** Resolves when the worker has applied every change posted so far. */
  async sync(): Promise<void> {
    await this.ask({ t: 'sync', id: this.next++ });
  }

  async close(): Promise<void> {
    if (!this.dead) this.dead = new Error('pattern index closed');
    for (const w of this.waiting.values()) w.reject(this.dead);
    this.waiting.clear();
    this.core?.stop();
    this.port?.close();
    await this.worker?.terminate();
  }
}
