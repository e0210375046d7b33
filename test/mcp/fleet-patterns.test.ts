// Two MCP servers (separate processes, separate data directories) on one PostgreSQL with --store: a pattern stored
// through one server is found through the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, tempDir, type Spawned } from '../helpers/mcp.js';
import { startPostgres, type TestPostgres } from '../helpers/pg.js';

let server: TestPostgres;
const spawned: Spawned[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  for (const s of spawned.splice(0)) await s.close().catch(() => undefined);
  server?.stop();
});

const text = (r: unknown) => ((r as { content: { type: string; text: string }[] }).content[0]?.text ?? '') as string;

describe('a fleet of MCP servers on one PostgreSQL', () => {
  it('store_trm_pattern through node A is found by find_similar_patterns through node B', async () => {
    const url = await server.newDatabase();
    const node = async () => {
      const s = await connectStdio([
        '--store',
        url,
        '--data-dir',
        tempDir('ruvllm-fleet-'),
        '--no-scan-default-dirs',
        '--servers',
        'http://127.0.0.1:9',
        '--log-level',
        'error',
      ]);
      spawned.push(s);
      return s;
    };
    const [a, b] = [await node(), await node()];
    // both banks open (and B's replica listens) before A stores
    for (const s of [a, b]) await s.client.callTool({ name: 'find_similar_patterns', arguments: { query: 'warm up' } });
    const task = 'Rotate the TLS certificates of the ingress controller before they expire';
    const stored = await a.client.callTool({
      name: 'store_trm_pattern',
      arguments: { task, approach: 'cert-manager with a 30 day renewal window', quality: 0.9 },
    });
    expect(stored.isError, text(stored)).toBeFalsy();
    const id = (JSON.parse(text(stored)) as { id: string }).id;
    await expect
      .poll(
        async () =>
          text(await b.client.callTool({ name: 'find_similar_patterns', arguments: { query: 'renew the ingress TLS certificates' } })),
        {
          timeout: 10_000,
        },
      )
      .toContain(id);
  });
});
