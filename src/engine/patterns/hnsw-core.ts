/**
 * One HNSW index and its change queue, driven by messages (see hnsw-thread.ts). Runs in a worker thread
 * (hnsw-worker.ts) or on the bank's own thread; the protocol and the guarantees are the same.
 *
 * Changes are queued and applied in slices of a few milliseconds, so a search never waits behind a burst of
 * stores: it searches the HNSW graph and scans the queued vectors exactly, and so sees every upsert and remove
 * handed in before it. A save waits until everything handed in before it is applied, then writes the file on
 * a libuv thread; meanwhile searches go on and new changes stay queued (the graph must not change while written).
 */
import type { FromWorker, ToWorker } from './hnsw-protocol.js';
import { VectorIndex } from './hnsw-index.js';

const SLICE_MS = 4;

function dot(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] * b[i];
  return d;
}

export class IndexCore {
  private index: VectorIndex | null = null;
  /** Upserts not yet in the graph, by label, in arrival order; n numbers them. */
  private readonly pending = new Map<number, { vec: Float32Array; n: number }>();
  /** Removes that arrived while a save was writing the graph. */
  private readonly removes = new Set<number>();
  private counter = 0;
  /** Saves wait for every upsert numbered up to `upTo`. */
  private readonly saves: { id: number; path: string; bankId: string; hwm: number; upTo: number }[] = [];
  private readonly syncs: { id: number; upTo: number }[] = [];
  private writing = false;
  private scheduled = false;
  private stopped = false;

  constructor(private readonly reply: (m: FromWorker, transfer?: ArrayBuffer[]) => void) {}

  /** No more slices (the owner is closing). */
  stop(): void {
    this.stopped = true;
  }

  private need(): VectorIndex {
    if (!this.index) throw new Error('index worker has no index (create or load first)');
    return this.index;
  }

  private schedule(): void {
    if (this.scheduled || this.writing || this.stopped) return;
    if (!this.pending.size && !this.removes.size && !this.saves.length && !this.syncs.length) return;
    this.scheduled = true;
    setImmediate(() => this.step()); // messages that arrived meanwhile (searches) are handled before the next slice
  }

  /** Number of the oldest queued upsert (Infinity when none). */
  private oldest(): number {
    for (const e of this.pending.values()) return e.n;
    return Infinity;
  }

  private step(): void {
    this.scheduled = false;
    if (this.writing || this.stopped) return;
    const idx = this.need();
    try {
      for (const l of this.removes) idx.remove(l);
      this.removes.clear();
      const stopAt = this.saves.length ? this.saves[0].upTo : Infinity;
      const t0 = performance.now();
      for (const [label, e] of this.pending) {
        if (e.n > stopAt || performance.now() - t0 > SLICE_MS) break;
        this.pending.delete(label);
        idx.upsert(label, e.vec);
      }
    } catch (err) {
      this.reply({ t: 'error', id: undefined, op: 'upsert', message: (err as Error).message });
    }
    const done = this.oldest();
    while (this.syncs.length && this.syncs[0].upTo < done) this.reply({ t: 'ok', id: this.syncs.shift()!.id });
    this.reply({ t: 'backlog', n: this.pending.size }); // the bank holds new stores back while this is large
    if (this.saves.length && this.saves[0].upTo < done) {
      const s = this.saves.shift()!;
      this.writing = true;
      idx
        .save(s.path, s.bankId, s.hwm)
        .then((manifest) => this.reply({ t: 'saved', id: s.id, manifest }))
        .catch((err: Error) => this.reply({ t: 'error', id: s.id, op: 'save', message: err.message }))
        .finally(() => {
          this.writing = false;
          this.schedule();
        });
      return;
    }
    this.schedule();
  }

  private queue(label: number, vec: Float32Array): void {
    this.pending.delete(label); // a later version goes to the back of the queue
    this.removes.delete(label);
    this.pending.set(label, { vec, n: ++this.counter });
  }

  /** True when nothing is queued or being written (the worker may poll for the next message). */
  get idle(): boolean {
    return !this.pending.size && !this.writing && !this.removes.size;
  }

  handle(m: ToWorker): void {
    try {
      switch (m.t) {
        case 'upsert':
          this.need();
          this.queue(m.label, m.vec);
          this.schedule();
          return;
        case 'upsertMany':
          this.need();
          for (let i = 0; i < m.labels.length; i++) this.queue(m.labels[i], m.vecs.subarray(i * m.dim, (i + 1) * m.dim));
          this.schedule();
          return;
        case 'remove':
          this.pending.delete(m.label);
          if (this.writing) {
            this.removes.add(m.label);
            this.schedule();
          } else this.need().remove(m.label);
          return;
        case 'create':
          this.index = VectorIndex.create(m.dim, m.embedder, m.params, m.capacity);
          this.reply({ t: 'ok', id: m.id });
          return;
        case 'load':
          // verified before hnswlib reads it (hnsw-file.ts); the bank posts nothing else until this answers
          VectorIndex.load(m.path, m.expect, m.efSearch).then(
            (r) => {
              if (!r.index) {
                this.reply({ t: 'loaded', id: m.id, reason: r.reason });
                return;
              }
              this.index = r.index;
              const labels = Int32Array.from(r.index.live);
              this.reply({ t: 'loaded', id: m.id, manifest: r.manifest, labels, params: r.index.params }, [labels.buffer]);
            },
            (e: Error) => this.reply({ t: 'loaded', id: m.id, reason: `index load failed: ${e.message}` }),
          );
          return;
        case 'search': {
          const allow = m.allow ? new Set(m.allow) : null;
          let hits = this.need().search(m.vec, m.k, allow ? (l) => allow.has(l) : undefined, m.ef);
          if (this.pending.size || this.removes.size) {
            // queued vectors, exactly; a queued update replaces the graph's older copy, a queued remove hides it
            hits = hits.filter((h) => !this.pending.has(h.label) && !this.removes.has(h.label));
            for (const [label, e] of this.pending) if (!allow || allow.has(label)) hits.push({ label, sim: dot(e.vec, m.vec) });
            hits.sort((a, b) => b.sim - a.sim);
            if (hits.length > m.k) hits.length = m.k;
          }
          const labels = new Int32Array(hits.length);
          const sims = new Float32Array(hits.length);
          hits.forEach((h, i) => {
            labels[i] = h.label;
            sims[i] = h.sim;
          });
          this.reply({ t: 'hits', id: m.id, labels, sims }, [labels.buffer, sims.buffer]);
          return;
        }
        case 'save':
          this.need();
          this.saves.push({ id: m.id, path: m.path, bankId: m.bankId, hwm: m.hwm, upTo: this.counter });
          this.schedule();
          return;
        case 'setEf':
          this.need().setEf(m.ef);
          return;
        case 'sync':
          this.syncs.push({ id: m.id, upTo: this.counter });
          this.schedule();
          return;
      }
    } catch (e) {
      const id = 'id' in m ? m.id : undefined;
      this.reply({ t: 'error', id, op: m.t, message: (e as Error).message });
    }
  }
}
