/**
 * An oversized message over stdio (node dist/cli.js) is answered with the request's own id, so
 * the client's pending request fails at once instead of waiting out its own timeout (60 s in the
 * SDK). The SDK client writes `id` last, after a 5 MB `params`, so the id must be found anywhere
 * at the top level of the line, and only there.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { cleanupDir, connectStdio, serverPath, tempDir } from '../helpers/mcp.js';

const isolated = ['--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9'];
const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanupDir));
const dataDir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

const FIVE_MB = 5 * 1024 * 1024;

describe('oversized stdio messages', () => {
  it('a real SDK client gets the error for its own request, not its timeout, and the server keeps serving', async () => {
    const s = await connectStdio(['--data-dir', dataDir(), ...isolated]);
    try {
      let caught: unknown;
      try {
        // the default limit is 4 MiB; the request timeout here is shorter than the SDK's 60 s so a
        // server that never answers fails this test with a timeout error instead of hanging it
        await s.client.callTool({ name: 'route_task', arguments: { task: 'x'.repeat(FIVE_MB) } }, undefined, { timeout: 30_000 });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(McpError);
      expect((caught as McpError).code).toBe(-32600); // not -32001 (request timed out)
      expect((caught as McpError).message).toMatch(/longer than 4194304 bytes/);
      const ok = await s.client.callTool({ name: 'route_task', arguments: { task: 'rename a variable' } });
      expect(ok.isError).toBeFalsy();
    } finally {
      await s.close();
    }
  });

  it('finds the top-level id wherever it is in the line, ignores nested ids, and never answers a response with its id', async () => {
    const child = spawn(process.execPath, [serverPath, '--data-dir', dataDir(), ...isolated], { stdio: ['pipe', 'pipe', 'pipe'] });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON-RPC answers parsed from stdout, read field by field by the assertions
    const answers: any[] = [];
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      let i;
      while ((i = out.indexOf('\n')) >= 0) {
        answers.push(JSON.parse(out.slice(0, i)));
        out = out.slice(i + 1);
      }
    });
    child.stderr.resume();
    const big = 'y'.repeat(FIVE_MB);
    const lines = [
      // id first
      `{"jsonrpc":"2.0","id":"first-1","method":"tools/call","params":{"name":"route_task","arguments":{"task":"${big}"}}}`,
      // id last, after nested "id" keys, strings that look like ids and escaped quotes
      `{"jsonrpc":"2.0","method":"tools/call","params":{"id":999,"arguments":{"id":"nested","task":"\\"id\\":7 ${big}"},"list":[{"id":5}]},"id":42}`,
      // a response from the client: not answered with its id (ids of both directions could collide)
      `{"jsonrpc":"2.0","id":77,"result":{"content":"${big}"}}`,
      // an id that is not a valid JSON-RPC id (a fraction): answered with null
      `{"jsonrpc":"2.0","id":1.5,"method":"ping","params":{"x":"${big}"}}`,
      // a string id with escapes
      `{"jsonrpc":"2.0","method":"ping","params":{"x":"${big}"},"id":"a\\"b\\u0063"}`,
      `{"jsonrpc":"2.0","id":8,"method":"ping"}`,
    ];
    for (const l of lines) child.stdin.write(l + '\n');
    const deadline = Date.now() + 60_000;
    while (answers.length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.stdin.end();
    await new Promise((r) => child.on('exit', r));
    expect(answers.length).toBe(6);
    const ids = answers.map((a) => a.id);
    expect(ids).toEqual(['first-1', 42, null, null, 'a"bc', 8]);
    for (const a of answers.slice(0, 5)) {
      expect(a.error.code).toBe(-32600);
      expect(a.error.message).toMatch(/longer than 4194304 bytes/);
    }
    expect(answers[5]).toEqual({ jsonrpc: '2.0', id: 8, result: {} });
  });
});
