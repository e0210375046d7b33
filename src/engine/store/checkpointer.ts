/**
 * WAL checkpoints off the main thread.
 *
 * SQLite's automatic checkpoint runs inside whichever commit pushes the WAL past
 * 1,000 pages: that commit copies the pages into the database file and fsyncs it,
 * which took 4 ms here, against 0.04 ms for an ordinary commit. With routing
 * decisions and pattern stores committing hundreds of times a second, every
 * few-hundredth request paid that, which is what the p99 figures showed.
 *
 * Here the main connection turns automatic checkpoints off, and a worker thread
 * with its own connection to the same file runs PASSIVE checkpoints whenever the
 * WAL has grown past the threshold (checked by a cheap stat every 250 ms; the WAL is
 * cut back to the threshold when it restarts, so its size says what is waiting).
 * PASSIVE never blocks writers, so commits on the main thread go on while it
 * copies. Durability is unchanged: a commit is in the WAL before it is
 * acknowledged, and the WAL is replayed on open after a crash.
 *
 * A PASSIVE checkpoint copies the frames that were in the WAL when it began; under steady writes (a commit every
 * millisecond or so, as a server routing steadily makes) it never catches up with the last commit, so the WAL
 * never restarts and grows by every commit (20 KB a routing decision). Past `maxWalBytes` the worker follows its
 * passive checkpoint with a RESTART one, which holds the write lock while it copies what the passive one left
 * (a few frames) and syncs the database file: one commit waits for that, and the next restarts the WAL at its
 * start and cuts it back to the threshold.
 *
 * The worker starts on first need (short-lived engines never start one). If it
 * cannot start or dies, the main connection goes back to automatic checkpoints.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DB } from './db.js';
import { logger } from '../log.js';

const log = logger('store');
const require = createRequire(import.meta.url);

/** SQLite's own default threshold (1,000 pages of 4 KiB). */
const DEFAULT_THRESHOLD_BYTES = 1000 * 4096;
const DEFAULT_POLL_MS = 250;
/** How long a restarting checkpoint waits for the write lock and for readers of the old WAL (it holds the lock meanwhile). */
const RESTART_WAIT_MS = 20;

// CommonJS, evaluated as the worker's script: no file to find next to the compiled code.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
parentPort.on('message', (m) => {
  if (m === 'close') {
    try { db.close(); } finally { parentPort.close(); }
    return;
  }
  try {
    const t0 = performance.now();
    let r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    // (restart: the passive pass copied the bulk without blocking writers; this one copies the rest and resets the WAL.
    // It holds the write lock while it waits for readers of the old WAL, so it waits briefly: a reader in another
    // process that keeps its snapshot makes it give up (busy), and it is tried again at the next check)
    if (m === 'restart') {
      db.pragma('busy_timeout = ' + workerData.restartWaitMs);
      try {
        r = db.pragma('wal_checkpoint(RESTART)')[0];
      } finally {
        db.pragma('busy_timeout = 5000');
      }
    }
    parentPort.postMessage({ t: 'done', tried: m === 'restart', restart: m === 'restart' && r.busy === 0, busy: r.busy, log: r.log, checkpointed: r.checkpointed, ms: performance.now() - t0 });
  } catch (e) {
    parentPort.postMessage({ t: 'error', message: String((e && e.message) || e) });
  }
});
parentPort.postMessage({ t: 'ready' });
`;

export interface CheckpointerOptions {
  /** WAL size that triggers a checkpoint. Default 4 MB (SQLite's 1,000 pages). */
  thresholdBytes?: number;
  /** How often the WAL size is checked. Default 250 ms. */
  pollMs?: number;
  /** WAL size past which a checkpoint also restarts the WAL (see above). Default 16 times the threshold (64 MB). */
  maxWalBytes?: number;
}

export interface CheckpointerStats {
  mode: 'background' | 'automatic';
  checkpoints: number;
  /** Checkpoints that restarted a WAL grown past maxWalBytes. */
  restarts: number;
  lastMs: number | null;
  lastError: string | null;
}

export class Checkpointer {
  private worker: Worker | null = null;
  private ready = false;
  private busy = false;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly walFile: string;
  private readonly threshold: number;
  private readonly maxWal: number;
  /** WAL size past which the next checkpoint restarts it: maxWal, or more after a restart a reader held up. */
  private restartAt: number;
  private posted = 0;
  private stats_: CheckpointerStats = { mode: 'background', checkpoints: 0, restarts: 0, lastMs: null, lastError: null };
  private closing: Promise<void> | null = null;

  constructor(
    private readonly db: DB,
    private readonly file: string,
    opts: CheckpointerOptions = {},
  ) {
    this.walFile = `${file}-wal`;
    this.threshold = opts.thresholdBytes ?? DEFAULT_THRESHOLD_BYTES;
    if (!(this.threshold > 0)) throw new Error(`checkpoint threshold must be a positive number of bytes, got ${opts.thresholdBytes}`);
    this.maxWal = opts.maxWalBytes ?? 16 * this.threshold;
    this.restartAt = this.maxWal;
    if (!(this.maxWal >= this.threshold))
      throw new Error(`maxWalBytes must be at least the checkpoint threshold (${this.threshold}), got ${opts.maxWalBytes}`);
    db.pragma('wal_autocheckpoint = 0');
    // When the WAL restarts after a complete checkpoint, it is cut back to the threshold, so its size
    // on disk says how much is waiting (otherwise the file stays at its largest size ever).
    db.pragma(`journal_size_limit = ${Math.ceil(this.threshold)}`);
    this.timer = setInterval(() => this.poll(), opts.pollMs ?? DEFAULT_POLL_MS);
    this.timer.unref();
  }

  stats(): CheckpointerStats {
    return { ...this.stats_ };
  }

  /** Checks the WAL size; starts the worker or asks it for a checkpoint when the WAL is past the threshold. */
  poll(): void {
    if (this.closed || this.busy || this.stats_.mode !== 'background') return;
    let size: number;
    try {
      size = statSync(this.walFile).size;
    } catch {
      return; // no WAL yet
    }
    if (size <= this.threshold) return;
    if (!this.worker) this.start();
    if (this.ready && this.worker) {
      this.busy = true;
      this.posted = size;
      this.worker.postMessage(size > this.restartAt ? 'restart' : 'checkpoint');
    }
  }

  private start(): void {
    try {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { file: this.file, sqlite: require.resolve('better-sqlite3'), restartWaitMs: RESTART_WAIT_MS },
      });
      w.unref();
      w.on('message', (m: { t: string; tried?: boolean; restart?: boolean; busy?: number; ms?: number; message?: string }) => {
        if (m.t === 'ready') {
          this.ready = true;
          this.poll();
        } else if (m.t === 'done') {
          this.busy = false;
          this.stats_.checkpoints++;
          if (m.restart) this.stats_.restarts++;
          // (held up by a reader of the old WAL: tried again once the WAL has grown by maxWal more, not at every check)
          if (m.tried) this.restartAt = m.restart ? this.maxWal : this.posted + this.maxWal;
          this.stats_.lastMs = Math.round((m.ms ?? 0) * 100) / 100;
        } else if (m.t === 'error') {
          this.busy = false;
          this.stats_.lastError = m.message ?? 'unknown error';
          log.warn('background WAL checkpoint failed; retried at the next check', { error: this.stats_.lastError });
        }
      });
      w.on('error', (e) => this.fallBack(e.message));
      w.on('exit', (code) => {
        if (!this.closed) this.fallBack(`checkpoint worker exited with code ${code}`);
      });
      this.worker = w;
    } catch (e) {
      this.fallBack((e as Error).message);
    }
  }

  /** Back to SQLite's automatic checkpoints in the main connection. */
  private fallBack(reason: string): void {
    if (this.stats_.mode === 'automatic' || this.closed) return;
    this.stats_.mode = 'automatic';
    this.stats_.lastError = reason;
    this.worker = null;
    this.busy = false;
    try {
      this.db.pragma('wal_autocheckpoint = 1000');
    } catch {
      /* the database is closing */
    }
    log.warn('background WAL checkpoints stopped; SQLite checkpoints automatically again', { reason });
  }

  /** Stops the worker and closes its connection (before the main connection closes, so that one cleans up the WAL). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    clearInterval(this.timer);
    const w = this.worker;
    this.worker = null;
    this.closing = !w
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const done = setTimeout(() => void w.terminate().finally(resolve), 5000);
          w.once('exit', () => {
            clearTimeout(done);
            resolve();
          });
          w.postMessage('close');
        });
    return this.closing;
  }
}
