/**
 * PostgreSQL under the storage seam (issue 14): the connection pool, migrations applied once however many nodes
 * start together, transactions, and which errors mean "PostgreSQL is not there right now" (retryable).
 *
 * A write is acknowledged only after PostgreSQL committed it: every repository method that writes awaits its COMMIT
 * before it resolves. While the server is unreachable, calls fail fast (connection timeout below) with a
 * RetryableError that says so; the pool reconnects by itself on the next call once the server is back.
 */
import pg from 'pg';
import { AsyncLocalStorage } from 'node:async_hooks';
import { hostname } from 'node:os';
import { RetryableError } from '../../errors.js';
import { logger } from '../../log.js';
export { isPostgresUrl, redactUrl } from './url.js';

const log = logger('postgres');

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** Anything that runs a query: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** How long a call waits to get a connection before it fails as retryable (fail fast while PostgreSQL is down). */
export const CONNECT_TIMEOUT_MS = 2000;
/** What a caller is told to wait before retrying when PostgreSQL was unreachable. */
export const PG_RETRY_AFTER_MS = 1000;

/** A schema change owned by one engine module, applied exactly once per database, in ascending version order. */
export interface PgMigration {
  module: string;
  version: number;
  description: string;
  up: string;
}

/** The advisory lock that serialises migrations across every node starting on this database. */
const MIGRATION_LOCK = 0x72756c6d; // 'rulm'

/** SQLSTATE classes and socket errors that mean the server is (for now) not reachable or shutting down. */
export function isUnavailable(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const code = String((e as { code?: unknown }).code ?? '');
  if (/^(08|57P)/.test(code)) return true; // connection exception; admin/crash shutdown, cannot connect now
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'].includes(code)) return true;
  const msg = String((e as { message?: unknown }).message ?? '');
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|Connection terminated unexpectedly/i.test(
    msg,
  );
}

/** Serialization failures and deadlocks: the transaction was rolled back and can simply run again. */
export function isConflict(e: unknown): boolean {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  return code === '40001' || code === '40P01';
}

/** An unreachable PostgreSQL as a RetryableError (nothing of the call was committed); other errors unchanged. */
export function retryableIfUnavailable(e: unknown): unknown {
  if (e instanceof RetryableError) return e;
  if (isUnavailable(e))
    return new RetryableError(
      `the PostgreSQL store is unreachable (${(e as Error).message}); nothing of this call was committed, retry after ${PG_RETRY_AFTER_MS} ms`,
      PG_RETRY_AFTER_MS,
      { cause: e },
    );
  if (isConflict(e))
    return new RetryableError(`a concurrent write conflicted in PostgreSQL; nothing of this call was committed, retry`, 50, {
      cause: e,
    });
  return e;
}

/** This process as a fleet node: host and process id (stored on ledger rows, shown by the fleet's reports). */
export function nodeName(): string {
  return process.env.RUVLLM_MCP_NODE || `${hostname()}:${process.pid}`;
}

/** Opens a pool on `url` (postgres://user:pass@host:port/db) that reconnects by itself and never crashes the process. */
export function openPool(url: string, o: { max?: number; applicationName?: string } = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: o.max ?? 8,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    application_name: o.applicationName ?? `ruvllm-mcp ${nodeName()}`,
    // BIGINT (int8) as a JS number: sequences and counters stay far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled it would end the process.
  pool.on('error', (e) => log.warn('a PostgreSQL connection was lost; the pool reconnects on the next call', { error: e.message }));
  return pool;
}

/** The transaction the current async call chain runs in (withTransaction), so repositories compose in one unit of work. */
const ambient = new AsyncLocalStorage<PgClient>();

/** The client of the enclosing withTransaction, if any. */
export function currentTransaction(): PgClient | undefined {
  return ambient.getStore();
}

/**
 * Runs `fn` in one transaction on one client; COMMIT before it resolves; rolled back on any error. Called inside
 * another withTransaction (on any repository) it joins that transaction (a savepoint, so its own failure can be
 * caught by the caller without losing the outer work), which is how a unit of work spanning two repositories
 * commits once: the repositories' methods run their queries through `run()` below, on the ambient client.
 */
export async function withTransaction<T>(pool: PgPool, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const outer = ambient.getStore();
  if (outer) {
    await outer.query('SAVEPOINT nested');
    try {
      const r = await fn(outer);
      await outer.query('RELEASE SAVEPOINT nested');
      return r;
    } catch (e) {
      if (!isUnavailable(e)) await outer.query('ROLLBACK TO SAVEPOINT nested').catch(() => {});
      throw retryableIfUnavailable(e);
    }
  }
  let client: PgClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw retryableIfUnavailable(e);
  }
  let broken = false;
  // A checked-out client has no 'error' listener (pg-pool listens only while a client is idle): the server going away
  // between two queries of this transaction would be an uncaught 'error' that ends the process. Listened to here, it
  // marks the client broken; the next query fails (unreachable: RetryableError) and nothing was committed.
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const r = await ambient.run(client, () => fn(client));
    await client.query('COMMIT');
    return r;
  } catch (e) {
    if (isUnavailable(e)) broken = true;
    else
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
    throw retryableIfUnavailable(e);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** A query on the enclosing transaction's client when there is one, else on the pool (its own implicit transaction). */
export async function run<R extends pg.QueryResultRow = pg.QueryResultRow>(
  pool: PgPool,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  return query<R>(ambient.getStore() ?? pool, text, values);
}

/** A single query on the pool, its unreachable-server errors as RetryableError. */
export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(
  q: Queryable,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  try {
    return await q.query<R>(text, values);
  } catch (e) {
    throw retryableIfUnavailable(e);
  }
}

/**
 * Applies the migrations not yet applied, in one transaction holding a transaction-scoped advisory lock: nodes
 * starting together wait for the first, then find nothing left to do. Returns the migrations this call applied.
 */
export async function migrate(pool: PgPool, migrations: PgMigration[]): Promise<string[]> {
  return withTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      module TEXT NOT NULL,
      version INTEGER NOT NULL,
      description TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      applied_by TEXT NOT NULL,
      PRIMARY KEY (module, version)
    )`);
    const done = new Set(
      (await c.query<{ module: string; version: number }>('SELECT module, version FROM schema_migrations')).rows.map(
        (r) => `${r.module}@${r.version}`,
      ),
    );
    const applied: string[] = [];
    const sorted = [...migrations].sort((a, b) => (a.module === b.module ? a.version - b.version : 0));
    for (const m of sorted) {
      const k = `${m.module}@${m.version}`;
      if (done.has(k)) continue;
      await c.query(m.up);
      await c.query('INSERT INTO schema_migrations (module, version, description, applied_by) VALUES ($1, $2, $3, $4)', [
        m.module,
        m.version,
        m.description,
        nodeName(),
      ]);
      applied.push(k);
    }
    if (applied.length) log.info('applied PostgreSQL migrations', { applied });
    return applied;
  });
}

/**
 * A LISTEN on a dedicated connection that comes back by itself: `onNotify` for each NOTIFY on `channel`, and
 * `onConnect` after every (re)connect, so the listener catches up on what it missed while it was away.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private backoff = 100;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: (payload: string | undefined) => void,
    private readonly onConnect: () => void,
  ) {}

  start(): void {
    void this.connect();
  }

  get connected(): boolean {
    return this.client !== null;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const c = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    const retry = () => {
      if (this.client === c) this.client = null;
      c.removeAllListeners();
      c.on('error', () => {});
      void c.end().catch(() => {});
      if (this.closed || this.timer) return;
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.connect();
      }, this.backoff);
      this.timer.unref();
      this.backoff = Math.min(this.backoff * 2, 2000);
    };
    c.on('error', retry);
    c.on('end', retry);
    c.on('notification', (n) => {
      if (n.channel === this.channel) this.onNotify(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(this.channel)}`);
    } catch {
      retry();
      return;
    }
    if (this.closed) {
      void c.end().catch(() => {});
      return;
    }
    this.client = c;
    this.backoff = 100;
    this.onConnect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners();
      c.on('error', () => {});
      await c.end().catch(() => {});
    }
  }
}
