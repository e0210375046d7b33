// PostgreSQL under the storage seam (issue 14): a real throwaway cluster (initdb + pg_ctl from Debian's postgresql,
// test/helpers/pg.ts). Migrations run once however many processes start together; an unreachable server fails fast
// with a retryable error and the same pool works again once it is back; LISTEN comes back by itself.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startPostgres, type TestPostgres } from '../helpers/pg.js';
import { RetryableError } from '../../src/engine/errors.js';
import { migrate, openPool, PgListener, query, run, withTransaction } from '../../src/engine/store/postgres/db.js';

const root = join(import.meta.dirname, '..', '..');
let server: TestPostgres;

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server?.stop());

function runNode(code: string, env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: root, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (c) => resolve({ code: c, out, err }));
  });
}

describe('PostgreSQL store basics', () => {
  it('applies each migration exactly once when six processes start together', async () => {
    const url = await server.newDatabase();
    // The first migration is not idempotent (CREATE TABLE, INSERT): applied twice it would fail or count 2.
    const code = `
      import { migrate, openPool } from './dist/engine/store/postgres/db.js';
      const pool = openPool(process.env.URL);
      const ms = [
        { module: 'm', version: 1, description: 'one', up: 'CREATE TABLE once (n INT); INSERT INTO once VALUES (1);' },
        { module: 'm', version: 2, description: 'two', up: 'UPDATE once SET n = n + 10;' },
      ];
      const applied = await migrate(pool, ms);
      console.log(JSON.stringify(applied));
      await pool.end();
    `;
    const runs = await Promise.all(Array.from({ length: 6 }, () => runNode(code, { URL: url })));
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const applied = runs.flatMap((r) => JSON.parse(r.out.trim()) as string[]);
    expect(applied.sort()).toEqual(['m@1', 'm@2']);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = (await c.query('SELECT n FROM once')).rows;
    const versions = (await c.query('SELECT module, version, applied_by FROM schema_migrations ORDER BY version')).rows;
    await c.end();
    expect(rows).toEqual([{ n: 11 }]);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0].applied_by).toMatch(/:\d+$/);
  });

  it('fails fast with a retryable error while the server is down, and the same pool works once it is back', async () => {
    const url = await server.newDatabase();
    const pool = openPool(url);
    await migrate(pool, [{ module: 'k', version: 1, description: 'kv', up: 'CREATE TABLE kv (k TEXT PRIMARY KEY, v INT NOT NULL)' }]);
    await withTransaction(pool, (c) => c.query("INSERT INTO kv VALUES ('a', 1)"));
    let notified = 0;
    let connects = 0;
    const listener = new PgListener(
      url,
      'kv_changed',
      () => notified++,
      () => connects++,
    );
    listener.start();
    await expect.poll(() => connects, { timeout: 10_000 }).toBe(1);
    server.pause();
    try {
      const err = await withTransaction(pool, (c) => c.query("INSERT INTO kv VALUES ('b', 2)")).catch((e) => e);
      expect(err).toBeInstanceOf(RetryableError);
      expect(String(err.message)).toMatch(/unreachable.*nothing of this call was committed/);
      const err2 = await query(pool, 'SELECT 1').catch((e) => e);
      expect(err2).toBeInstanceOf(RetryableError);
    } finally {
      server.resume();
    }
    // the same pool reconnects by itself; what failed was not written
    const rows = (await query<{ k: string }>(pool, 'SELECT k FROM kv ORDER BY k')).rows.map((r) => r.k);
    expect(rows).toEqual(['a']);
    // the listener reconnected (onConnect again, so it can catch up) and hears NOTIFY again
    await expect.poll(() => connects, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await query(pool, "SELECT pg_notify('kv_changed', '7')");
    await expect.poll(() => notified, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    await listener.close();
    await pool.end();
  });

  it('rolls a failed transaction back: nothing of it is visible', async () => {
    const url = await server.newDatabase();
    const pool = openPool(url);
    await migrate(pool, [{ module: 'k', version: 1, description: 'kv', up: 'CREATE TABLE kv (k TEXT PRIMARY KEY, v INT NOT NULL)' }]);
    const err = await withTransaction(pool, async (c) => {
      await c.query("INSERT INTO kv VALUES ('x', 1)");
      await c.query("INSERT INTO kv VALUES ('x', 2)"); // duplicate key
    }).catch((e) => e);
    expect(err).not.toBeInstanceOf(RetryableError);
    expect(String(err.message)).toMatch(/duplicate key/);
    expect((await query(pool, 'SELECT count(*)::int AS n FROM kv')).rows[0].n).toBe(0);
    await pool.end();
  });
});

describe('units of work across repositories', () => {
  it('a nested withTransaction joins the outer one: both commit together, or neither', async () => {
    const url = await server.newDatabase();
    const pool = openPool(url);
    await migrate(pool, [{ module: 'k', version: 1, description: 'kv', up: 'CREATE TABLE kv (k TEXT PRIMARY KEY, v INT NOT NULL)' }]);
    // a "repository" method: its own transaction when called alone, the caller's when inside one
    const put = (k: string, v: number) => withTransaction(pool, () => run(pool, 'INSERT INTO kv VALUES ($1, $2)', [k, v]));
    const err = await withTransaction(pool, async () => {
      await put('a', 1);
      await put('b', 2);
      throw new Error('the second step of the unit failed');
    }).catch((e) => e);
    expect(String(err.message)).toMatch(/second step/);
    expect((await query(pool, 'SELECT count(*)::int AS n FROM kv')).rows[0].n).toBe(0);
    await withTransaction(pool, async () => {
      await put('a', 1);
      await put('b', 2);
    });
    expect((await query(pool, 'SELECT k FROM kv ORDER BY k')).rows.map((r) => r.k)).toEqual(['a', 'b']);
    await pool.end();
  });
});

describe('store URLs in logs and stats', () => {
  it('hides the password, in the user info and as a query parameter', async () => {
    const { redactUrl } = await import('../../src/engine/store/postgres/url.js');
    expect(redactUrl('postgres://ruvllm:s3cret@db:5432/x')).not.toContain('s3cret');
    const q = redactUrl('postgresql://db:5432/x?user=ruvllm&password=s3cret&sslmode=require');
    expect(q).not.toContain('s3cret');
    expect(q).toContain('sslmode=require');
    expect(redactUrl('not a url')).not.toContain('not a url');
  });
});
