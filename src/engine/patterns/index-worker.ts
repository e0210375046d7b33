/**
 * Worker thread owning one HNSW index (see index-thread.ts for the main-thread side). hnswlib inserts are the
 * most expensive part of a store; here they run beside the main thread, which keeps serving requests.
 *
 * Changes are queued and applied in slices of a few milliseconds, so a search never waits behind a burst of
 * stores: it searches the HNSW graph and scans the queued vectors exactly, and so sees every upsert and remove
 * posted before it. A save waits until everything posted before it is applied, then writes the file on a libuv
 * thread; meanwhile searches go on and new changes stay queued (the graph must not change while written).
 */
import { parentPort } from 'node:worker_threads';
import type { ToWorker, FromWorker } from './index-thread.js';
import { VectorIndex } from './vector-index.js';

const port = parentPort;
if (!port) throw new Error('index-worker.js must run as a worker thread');

let index: VectorIndex | null = null;
/** Upserts not yet in the graph, by label, in arrival order; n numbers them. */
const pending = new Map<number, { vec: Float32Array; n: number }>();
/** Removes that arrived while a save was writing the graph. */
const removes = new Set<number>();
let counter = 0;
/** Saves wait for every upsert numbered up to `upTo`. */
const saves: { id: number; path: string; bankId: string; hwm: number; upTo: number }[] = [];
const syncs: { id: number; upTo: number }[] = [];
let writing = false;
let scheduled = false;
const SLICE_MS = 4;

function reply(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(m, transfer);
}

function need(): VectorIndex {
  if (!index) throw new Error('index worker has no index (create or load first)');
  return index;
}

function schedule(): void {
  if (scheduled || writing) return;
  if (!pending.size && !removes.size && !saves.length && !syncs.length) return;
  scheduled = true;
  setImmediate(step); // messages that arrived meanwhile (searches) are handled before the next slice
}

/** Number of the oldest queued upsert (Infinity when none). */
function oldest(): number {
  for (const e of pending.values()) return e.n;
  return Infinity;
}

function step(): void {
  scheduled = false;
  if (writing) return;
  const idx = need();
  try {
    for (const l of removes) idx.remove(l);
    removes.clear();
    const stopAt = saves.length ? saves[0].upTo : Infinity;
    const t0 = performance.now();
    for (const [label, e] of pending) {
      if (e.n > stopAt || performance.now() - t0 > SLICE_MS) break;
      pending.delete(label);
      idx.upsert(label, e.vec);
    }
  } catch (err) {
    reply({ t: 'error', id: undefined, op: 'upsert', message: (err as Error).message });
  }
  const done = oldest();
  while (syncs.length && syncs[0].upTo < done) reply({ t: 'ok', id: syncs.shift()!.id });
  reply({ t: 'backlog', n: pending.size }); // the main thread holds new stores back while this is large
  if (saves.length && saves[0].upTo < done) {
    const s = saves.shift()!;
    writing = true;
    idx
      .save(s.path, s.bankId, s.hwm)
      .then((manifest) => reply({ t: 'saved', id: s.id, manifest }))
      .catch((err: Error) => reply({ t: 'error', id: s.id, op: 'save', message: err.message }))
      .finally(() => {
        writing = false;
        schedule();
      });
    return;
  }
  schedule();
}

function dot(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] * b[i];
  return d;
}

function queue(label: number, vec: Float32Array): void {
  pending.delete(label); // a later version goes to the back of the queue
  removes.delete(label);
  pending.set(label, { vec, n: ++counter });
}

port.on('message', (m: ToWorker) => {
  try {
    switch (m.t) {
      case 'upsert':
        need();
        queue(m.label, m.vec);
        schedule();
        return;
      case 'upsertMany':
        need();
        for (let i = 0; i < m.labels.length; i++) queue(m.labels[i], m.vecs.subarray(i * m.dim, (i + 1) * m.dim));
        schedule();
        return;
      case 'remove':
        pending.delete(m.label);
        if (writing) {
          removes.add(m.label);
          schedule();
        } else need().remove(m.label);
        return;
      case 'create':
        index = VectorIndex.create(m.dim, m.embedder, m.params, m.capacity);
        reply({ t: 'ok', id: m.id });
        return;
      case 'load': {
        const r = VectorIndex.load(m.path, m.expect, m.efSearch);
        if (!r.index) {
          reply({ t: 'loaded', id: m.id, reason: r.reason });
          return;
        }
        index = r.index;
        const labels = Int32Array.from(r.index.live);
        reply({ t: 'loaded', id: m.id, manifest: r.manifest, labels, params: r.index.params }, [labels.buffer]);
        return;
      }
      case 'search': {
        const allow = m.allow ? new Set(m.allow) : null;
        let hits = need().search(m.vec, m.k, allow ? (l) => allow.has(l) : undefined, m.ef);
        if (pending.size || removes.size) {
          // queued vectors, exactly; a queued update replaces the graph's older copy, a queued remove hides it
          hits = hits.filter((h) => !pending.has(h.label) && !removes.has(h.label));
          for (const [label, e] of pending) if (!allow || allow.has(label)) hits.push({ label, sim: dot(e.vec, m.vec) });
          hits.sort((a, b) => b.sim - a.sim);
          if (hits.length > m.k) hits.length = m.k;
        }
        const labels = new Int32Array(hits.length);
        const sims = new Float32Array(hits.length);
        hits.forEach((h, i) => {
          labels[i] = h.label;
          sims[i] = h.sim;
        });
        reply({ t: 'hits', id: m.id, labels, sims }, [labels.buffer, sims.buffer]);
        return;
      }
      case 'save':
        need();
        saves.push({ id: m.id, path: m.path, bankId: m.bankId, hwm: m.hwm, upTo: counter });
        schedule();
        return;
      case 'setEf':
        need().setEf(m.ef);
        return;
      case 'sync':
        syncs.push({ id: m.id, upTo: counter });
        schedule();
        return;
    }
  } catch (e) {
    const id = 'id' in m ? m.id : undefined;
    reply({ t: 'error', id, op: m.t, message: (e as Error).message });
  }
});
