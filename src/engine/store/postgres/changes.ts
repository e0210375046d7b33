/**
 * Word of other nodes' commits (Store.onExternalChange on PostgreSQL): each node's repositories mark "I wrote" after
 * a commit, and the node sends at most one NOTIFY per interval naming itself (never one per request: every NOTIFY
 * takes the server's notification-queue lock at commit, so one per write would serialise the fleet's writers); each
 * node LISTENs (PgListener, which reconnects by itself) and tells its listeners of every other node's word, and once
 * after each reconnect (what was written while it was away).
 */
import { logger } from '../../log.js';
import { PgListener, query, type PgPool } from './db.js';

const log = logger('postgres');

/** The channel of the store's change word. */
export const CHANGES_CHANNEL = 'ruvllm_store_changed';
/** At most one NOTIFY per node per this many ms. */
export const NOTIFY_EVERY_MS = 250;

/** What a repository calls after its write committed. */
export interface ChangeMarker {
  wrote(): void;
}

export class PgChanges implements ChangeMarker {
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private listener: PgListener | null = null;
  private readonly listeners = new Set<() => void>();
  private connects = 0;
  private closed = false;

  constructor(
    private readonly pool: PgPool,
    private readonly url: string,
    private readonly node: string,
    private readonly everyMs = NOTIFY_EVERY_MS,
  ) {}

  wrote(): void {
    if (this.closed) return;
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.everyMs);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    this.timer = null;
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    try {
      await query(this.pool, 'SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, this.node]);
    } catch (e) {
      log.debug('the change notice was not sent (the store is unreachable); other nodes catch up when it is back', {
        error: (e as Error).message,
      });
    }
  }

  /** Calls `listener` when another node committed; returns the unsubscribe function. */
  onExternalChange(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.listener && !this.closed) {
      this.listener = new PgListener(
        this.url,
        CHANGES_CHANNEL,
        (payload) => {
          if (payload !== this.node) this.tell();
        },
        () => {
          // after a reconnect (not the first connect): others may have written while this node was not listening
          if (this.connects++ > 0) this.tell();
        },
      );
      this.listener.start();
    }
    return () => this.listeners.delete(listener);
  }

  private tell(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch (e) {
        log.warn('external change listener failed', { error: (e as Error).message });
      }
    }
  }

  /** Sends the pending notice, stops listening. */
  async close(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      await this.flush();
    }
    this.closed = true;
    this.listeners.clear();
    await this.listener?.close();
    this.listener = null;
  }
}
