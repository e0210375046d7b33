/**
 * The messages between the bank's handle on the HNSW index (hnsw-thread.ts) and the index itself (hnsw-core.ts),
 * whether that runs inline or in the worker thread (hnsw-worker.ts). Types only: both sides import it, neither
 * imports the other.
 */
import type { IndexManifest, IndexParams } from './hnsw-index.js';

export type ToWorker =
  | { t: 'create'; id: number; dim: number; embedder: string; params: IndexParams; capacity: number }
  | { t: 'load'; id: number; path: string; expect: { bankId: string; embedder: string; dim: number }; efSearch: number }
  | { t: 'upsert'; label: number; vec: Float32Array }
  | { t: 'upsertMany'; labels: Int32Array; vecs: Float32Array; dim: number }
  | { t: 'remove'; label: number }
  | { t: 'search'; id: number; vec: Float32Array; k: number; ef?: number; allow?: Int32Array }
  | { t: 'save'; id: number; path: string; bankId: string; hwm: number }
  | { t: 'setEf'; ef: number }
  | { t: 'sync'; id: number };

export type FromWorker =
  | { t: 'ok'; id: number }
  | { t: 'backlog'; n: number }
  | { t: 'loaded'; id: number; reason: string }
  | { t: 'loaded'; id: number; manifest: IndexManifest; labels: Int32Array; params: IndexParams }
  | { t: 'hits'; id: number; labels: Int32Array; sims: Float32Array }
  | { t: 'saved'; id: number; manifest: IndexManifest }
  | { t: 'error'; id: number | undefined; op: string; message: string };
