/**
 * The command line's `patterns export|import` and `report` on a fleet's PostgreSQL store (`--store postgres://…`):
 * they read and write the fleet's shared state, not the local data directory's SQLite files, which on a fleet node
 * hold only the models. Real server process over stdio, real `node dist/cli.js`, throwaway PostgreSQL cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupDir, connectStdio, tempDir } from '../helpers/mcp.js';
import { ruvllm } from '../helpers/cli.js';
import { startPostgres, type TestPostgres } from '../helpers/pg.js';

const isolated = ['--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9', '--log-level', 'error'];

let server: TestPostgres;
const dir = tempDir('ruvllm-pg-cli-');
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => {
  server?.stop();
  cleanupDir(dir);
});

describe('the CLI on a PostgreSQL store', () => {
  it('exports the fleet’s patterns, reports its ledger and imports into it, from a node with an empty data dir', async () => {
    const url = await server.newDatabase();
    // node A stores two patterns and routes a task, through a real server process
    const a = await connectStdio(['--data-dir', join(dir, 'a'), '--store', url, ...isolated]);
    try {
      for (const [task, approach] of [
        ['Parse an nginx access log and count 5xx responses per hour', 'stream lines, regex the status, bucket by hour'],
        ['Convert a CSV of invoices to JSON grouped by customer', 'streaming CSV reader, group by customer id'],
      ]) {
        const r = (await a.client.callTool({ name: 'store_trm_pattern', arguments: { task, approach, quality: 0.8 } })) as {
          isError?: boolean;
        };
        expect(r.isError).toBeFalsy();
      }
      for (const task of ['Summarise the release notes in three bullets', 'Translate "good morning" to German', 'Sort these five names'])
        expect(((await a.client.callTool({ name: 'route_task', arguments: { task } })) as { isError?: boolean }).isError).toBeFalsy();
    } finally {
      await a.close();
    }

    // the CLI on another machine's (empty) data dir, same store
    const bundle = join(dir, 'fleet.json');
    const exp = await ruvllm(['patterns', 'export', bundle, '--data-dir', join(dir, 'b'), '--store', url, ...isolated]);
    expect(exp.code, exp.stderr).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ format: 'json', patterns: 2 });
    expect(readFileSync(bundle, 'utf8')).toContain('nginx access log');

    const html = join(dir, 'report.html');
    const rep = await ruvllm(['report', '--out', html, '--data-dir', join(dir, 'b'), '--store', url, ...isolated]);
    expect(rep.code, rep.stderr).toBe(0);
    // the fleet's ledger holds node A's three decisions, not the empty ledger of dir b
    expect(readFileSync(html, 'utf8')).toContain('Routing decisions<b>3</b>');

    // a bundle exported from a node's own SQLite bank, imported through the CLI, lands in the fleet
    const local = await connectStdio(['--data-dir', join(dir, 'solo'), ...isolated]);
    try {
      await local.client.callTool({
        name: 'store_trm_pattern',
        arguments: {
          task: 'Rotate the API gateway logs daily and keep two weeks',
          approach: 'logrotate daily rotate 14 compress',
          quality: 0.7,
        },
      });
    } finally {
      await local.close();
    }
    const soloBundle = join(dir, 'solo.json');
    expect((await ruvllm(['patterns', 'export', soloBundle, '--data-dir', join(dir, 'solo'), ...isolated])).code).toBe(0);
    const imp = await ruvllm(['patterns', 'import', soloBundle, '--data-dir', join(dir, 'c'), '--store', url, ...isolated]);
    expect(imp.code, imp.stderr).toBe(0);
    const after = await ruvllm(['patterns', 'export', join(dir, 'after.json'), '--data-dir', join(dir, 'd'), '--store', url, ...isolated]);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ patterns: 3 });
    expect(readFileSync(join(dir, 'after.json'), 'utf8')).toContain('API gateway logs');
  });
});
