/**
 * Worker thread owning one HNSW index (see hnsw-thread.ts for the bank's side and hnsw-core.ts for the
 * index and its change queue). hnswlib inserts are the most expensive part of a store; here they run beside
 * the bank's thread, which keeps serving requests.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { IndexCore } from './hnsw-core.js';
import type { ToWorker } from './hnsw-protocol.js';

/** The channel to the bank (one port for everything, so messages keep their order). */
const port = (workerData as { port?: MessagePort } | null)?.port;
if (!port) throw new Error('hnsw-worker.js must run as a worker thread started by hnsw-thread.js');

const core = new IndexCore((m, transfer) => port.postMessage(m, transfer ?? []));
port.on('message', (m: ToWorker) => core.handle(m));
