/**
 * The state the pattern bank's parts share: the repository, the active embedder and its HNSW index, a running
 * embedder switch, the index's sync position and the change listeners. PatternBank (bank.ts) owns one; the
 * write queue, index sync, search, usage, lifecycle and bundle modules work on it.
 */
import { logger } from '../log.js';
import type { PatternsRepo } from '../store/patterns-repo.js';
import type { IndexParams } from './hnsw-index.js';
import type { IndexThread } from './hnsw-thread.js';
import { PRIVACY_SCAN_VERSION } from './redact.js';
import type { Embedder, PatternChange } from './types.js';

const log = logger('patterns');

export interface Switching {
  target: Embedder;
  index: IndexThread;
  done: number;
  total: number;
  cancelled: boolean;
  promise: Promise<void>;
}

export interface PruneOptions {
  /** A pattern idle for unusedDays with fewer uses than this is pruned; also the outcome count needed before the failure rate counts (default 3). */
  minUses?: number;
  /** Patterns with at least minUses reported outcomes and a failure rate above this are pruned (default 0.8). */
  maxFailureRate?: number;
  /** Days without use (since creation or last use) after which a rarely used pattern is pruned (default 90). */
  unusedDays?: number;
}

/** How the lexical side of a find scores its candidates. */
export type LexicalScoring = 'js-bm25' | 'fts5-bm25';

export class BankState {
  /** The embedder serving queries (null while an open-time re-embedding runs). */
  embedder: Embedder | null;
  /** The embedder id whose vectors the index holds (equals embedder.id unless an open-time switch is running). */
  activeId: string;
  activeDim: number;
  index: IndexThread;
  switching: Switching | null = null;
  closed = false;
  closing: Promise<void> | null = null;
  readonly listeners = new Set<(c: PatternChange) => void>();

  // ---- index sync (index-sync.ts)
  /** The highest change-log entry the index holds. */
  hwm = 0;
  lastSync = 0;
  /** Index-sync steps that read the change log and move hwm run one after another on this chain (serialIndexStep). */
  syncChain: Promise<unknown> = Promise.resolve();
  /** A catch-up on other processes' changes in progress (syncExternal): finds arriving meanwhile wait for it. */
  syncing: Promise<void> | null = null;
  /** A catch-up woken by the repository's change feed runs (wakeSync), and it was woken again meanwhile. */
  waking = false;
  wakeAgain = false;
  /** The repository's change feed wakes the catch-up (another node's commit): a find need not wait for its check. */
  followed = false;
  /** Index changes not yet persisted. */
  unsaved = 0;
  flushing: Promise<void> | null = null;
  openInfo: { from: 'file' | 'rebuild'; replayed: number; ms: number; reason?: string } = { from: 'file', replayed: 0, ms: 0 };

  // ---- search caches (search.ts)
  docs = -1;
  readonly dfCache = new Map<string, number>();
  changesSinceDf = 0;

  /** What the open-time privacy rescan did (privacy-rescan.ts). */
  privacyScan = { version: PRIVACY_SCAN_VERSION, scanned: 0, redacted: 0, ms: 0 };

  constructor(
    readonly repo: PatternsRepo,
    readonly bankId: string,
    readonly indexPath: string,
    readonly params: IndexParams,
    readonly opts: {
      mergeThreshold: number;
      prune: Required<PruneOptions>;
      weights: { vector: number; lexical: number };
      lexicalScoring: LexicalScoring;
      persistEvery: number | undefined;
    },
    embedder: Embedder | null,
    activeId: string,
    activeDim: number,
    index: IndexThread,
  ) {
    this.embedder = embedder;
    this.activeId = activeId;
    this.activeDim = activeDim;
    this.index = index;
  }

  ensureOpen(): void {
    if (this.closed) throw new Error('pattern bank is closed');
  }

  emit(c: PatternChange): void {
    for (const l of this.listeners) {
      try {
        l(c);
      } catch (e) {
        log.warn('pattern change listener threw', { error: (e as Error).message });
      }
    }
  }

  /** Embeds task texts with the active embedder and (during a switch) the target one. */
  async embedFor(texts: string[]): Promise<{ active: Float32Array[] | null; target: Float32Array[] | null }> {
    const active = this.embedder ? await this.embedder.embed(texts) : null;
    const sw = this.switching;
    const target = sw ? await sw.target.embed(texts) : null;
    return { active, target };
  }
}
