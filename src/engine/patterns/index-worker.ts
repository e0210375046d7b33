/**
 * Worker thread owning one HNSW index (see index-thread.ts for the main-thread side). hnswlib inserts are the
 * most expensive part of a store; here they run beside the main thread, which keeps serving requests. Messages
 * are handled strictly in arrival order, so a search sees every upsert and remove posted before it.
 */
import { parentPort } from 'node:worker_threads';
import type { ToWorker, FromWorker } from './index-thread.js';
import { VectorIndex } from './vector-index.js';

const port = parentPort;
if (!port) throw new Error('index-worker.js must run as a worker thread');

let index: VectorIndex | null = null;

function reply(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(m, transfer);
}

function need(): VectorIndex {
  if (!index) throw new Error('index worker has no index (create or load first)');
  return index;
}

port.on('message', (m: ToWorker) => {
  try {
    switch (m.t) {
      case 'upsert':
        need().upsert(m.label, m.vec);
        return;
      case 'upsertMany':
        for (let i = 0; i < m.labels.length; i++) need().upsert(m.labels[i], m.vecs.subarray(i * m.dim, (i + 1) * m.dim));
        return;
      case 'remove':
        need().remove(m.label);
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
        const hits = need().search(m.vec, m.k, allow ? (l) => allow.has(l) : undefined, m.ef);
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
        reply({ t: 'saved', id: m.id, manifest: need().save(m.path, m.bankId, m.hwm) });
        return;
      case 'setEf':
        need().setEf(m.ef);
        return;
      case 'sync':
        reply({ t: 'ok', id: m.id });
        return;
    }
  } catch (e) {
    const id = 'id' in m ? m.id : undefined;
    reply({ t: 'error', id, op: m.t, message: (e as Error).message });
  }
});
