/**
 * A node whose engine fails to start after its PostgreSQL store was opened (here: the engine refuses a --prices file
 * it cannot read) closes that store: no connection to the database stays open (the pool is ended), so nothing keeps
 * the process alive and a fleet's failing nodes do not hold PostgreSQL connections. In process (serve.ts's engine
 * loader) and through a real server process over stdio.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { engineLoader } from '../../src/serve.js';
import { cleanupDir, connectStdio, tempDir } from '../helpers/mcp.js';
import { startPostgres, type TestPostgres } from '../helpers/pg.js';

let server: TestPostgres;
const root = tempDir('ruvllm-start-');

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => {
  server?.stop();
  cleanupDir(root);
});

/** Connections to the database of `url` other than the one asking (pg_stat_activity), with their application names. */
async function connectionsTo(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ application_name: string }>(
      'SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return r.rows.map((x) => x.application_name);
  } finally {
    await c.end();
  }
}

const args = (url: string, dir: string) => [
  '--data-dir',
  dir,
  '--store',
  url,
  '--prices',
  join(dir, 'no-such-prices.json'),
  '--no-scan-default-dirs',
  '--servers',
  'http://127.0.0.1:9',
  '--log-level',
  'error',
];

describe('an engine start that fails after the PostgreSQL store was opened', () => {
  it('closes the store: its connections are gone once the start has failed (engine loader, in process)', async () => {
    const url = await server.newDatabase();
    const { config } = loadConfig(args(url, join(root, 'inproc')), {});
    const loader = engineLoader(config);
    await expect(loader.get()).rejects.toThrow(/cannot read price file .*no-such-prices\.json/);
    // the store was opened (its migrations ran) ...
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const tables = (await c.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'patterns'")).rows[0].n;
    await c.end();
    expect(tables).toBe(1);
    // ... and closed again: no connection of its pool is left
    expect(await connectionsTo(url)).toEqual([]);
    await loader.close();
  });

  it('a server process whose engine cannot start says why and holds no PostgreSQL connection', async () => {
    const url = await server.newDatabase();
    const s = await connectStdio(args(url, join(root, 'proc')));
    try {
      const r = (await s.client.callTool({ name: 'find_similar_patterns', arguments: { query: 'anything' } })) as {
        isError?: boolean;
        content?: { text?: string }[];
      };
      expect(r.isError).toBe(true);
      expect(r.content?.[0]?.text).toMatch(/cannot read price file/);
      expect(await connectionsTo(url)).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
