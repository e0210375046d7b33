// The `ruvllm-mcp` command line (node dist/cli.js) end to end, on real data dirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTinyGguf, writeTinyGguf } from '../src/devtools/tiny-gguf.js';
import { connectInProcess, tempDir } from './helpers/mcp.js';
import { cli, ruvllm } from './helpers/cli.js';

const isolated = ['--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9'];

/**
 * Starts the stdio server (stdin kept open, as a client would) and waits for it to exit on its own,
 * at most `ms`; a server still running then is killed and reported with code null.
 */
function serveUntilExit(
  args: string[],
  opts: { uid?: number; gid?: number } = {},
  ms = 20_000,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...opts });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: null, stderr, stdout });
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

/** Runs as the unprivileged "nobody" when the tests run as root (for whom file modes do not stop writes). */
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

let source: string;
beforeAll(async () => {
  // A data dir with three patterns and some ledger rows, written through the real server.
  source = tempDir();
  const h = await connectInProcess({}, source);
  for (const [task, approach] of [
    ['Parse an nginx access log and count 5xx responses per hour', 'stream lines, regex the status, bucket by hour'],
    ['Convert a CSV of invoices to JSON grouped by customer', 'streaming CSV reader, group by customer id'],
    ['Write unit tests for a date parsing helper', 'table-driven cases incl. leap years and time zones'],
  ])
    await h.client.callTool({ name: 'store_trm_pattern', arguments: { task, approach, quality: 0.8 } });
  await h.client.callTool({ name: 'route_task', arguments: { task: 'Summarize the release notes in three bullets' } });
  await h.close();
});

describe('ruvllm-mcp CLI', () => {
  it('exports the pattern bank and imports it into another data dir, de-duplicating on a second import', async () => {
    const bundle = join(tempDir(), 'bank.msgpack');
    const exp = await ruvllm(['patterns', 'export', bundle, '--data-dir', source, ...isolated]);
    expect(exp.code).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ format: 'msgpack', patterns: 3 });
    const target = tempDir();
    const imp = await ruvllm(['patterns', 'import', bundle, '--data-dir', target, ...isolated]);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout).imported).toBe(3);
    const again = await ruvllm(['patterns', 'import', bundle, '--data-dir', target, ...isolated]);
    expect(JSON.parse(again.stdout).imported).toBe(0);
    const json = join(tempDir(), 'bank.json');
    const j = await ruvllm(['patterns', 'export', json, '--data-dir', target, ...isolated]);
    expect(j.code).toBe(0);
    expect(readFileSync(json, 'utf8')).toContain('nginx access log');
  });

  it('refuses a corrupt bundle and a missing file with a clear message', async () => {
    const bad = join(tempDir(), 'bad.msgpack');
    writeFileSync(bad, Buffer.from('not a bundle at all'));
    const r = await ruvllm(['patterns', 'import', bad, '--data-dir', tempDir(), ...isolated]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/bundle/i);
    const m = await ruvllm(['patterns', 'import', '/no/such/file.msgpack', '--data-dir', tempDir(), ...isolated]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/cannot read \/no\/such\/file\.msgpack/);
  });

  it('writes a self-contained HTML report', async () => {
    const out = join(tempDir(), 'report.html');
    const r = await ruvllm(['report', '--out', out, '--period', 'all', '--data-dir', source, ...isolated]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).file).toBe(out);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<canvas/);
    expect(html).not.toMatch(/<script[^>]+src=/); // nothing fetched from the network
    const bad = await ruvllm(['report', '--period', 'fortnight', '--data-dir', source]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--period must be/);
  });

  it('lists the GGUF models discovery finds', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'models'));
    writeTinyGguf(join(dir, 'models', 'listed.gguf'), { name: 'listed', seed: 5 });
    const r = await ruvllm(['models', 'list', '--json', '--data-dir', dir, ...isolated]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.models.map((m: { path?: string }) => m.path)).toContain(join(dir, 'models', 'listed.gguf'));
    expect(body.models[0].architecture).toBe('llama');
  });

  describe('models pull', () => {
    let server: Server;
    let base: string;
    const gguf = buildTinyGguf({ name: 'pulled', seed: 9 });
    const sha = createHash('sha256').update(gguf).digest('hex');
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url !== '/m/pulled.gguf') {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': gguf.length });
        res.end(gguf);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('downloads into the models folder and verifies the checksum', async () => {
      const dir = tempDir();
      const r = await ruvllm(['models', 'pull', `${base}/m/pulled.gguf`, '--sha256', sha, '--data-dir', dir]);
      expect(r.code).toBe(0);
      const res = JSON.parse(r.stdout);
      expect(res.sha256).toBe(sha);
      expect(res.path).toBe(join(dir, 'models', 'pulled.gguf'));
      expect(readFileSync(res.path).equals(gguf)).toBe(true);
    });

    it('refuses a checksum mismatch and leaves no model file behind', async () => {
      const dir = tempDir();
      const r = await ruvllm(['models', 'pull', `${base}/m/pulled.gguf`, '--sha256', '0'.repeat(64), '--data-dir', dir]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/sha256|checksum/i);
      expect(existsSync(join(dir, 'models', 'pulled.gguf'))).toBe(false);
    });
  });

  describe('a data directory that cannot be written', () => {
    it('under a regular file: refuses to start, naming the path and the fix', async () => {
      const file = join(tempDir(), 'not-a-dir');
      writeFileSync(file, 'x');
      const dataDir = join(file, 'data');
      const r = await serveUntilExit(['--data-dir', dataDir, ...isolated]);
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBeNull(); // it exits by itself instead of serving tools that all fail
      expect(r.stderr).toContain(dataDir);
      expect(r.stderr).toMatch(/--data-dir|RUVLLM_MCP_DATA_DIR/);
      expect(r.stdout).toBe('');
    });

    it('read-only: refuses to start, naming the path and the fix', async () => {
      const parent = tempDir();
      chmodSync(parent, 0o755);
      const dataDir = join(parent, 'data');
      mkdirSync(dataDir);
      chmodSync(dataDir, 0o555);
      const r = await serveUntilExit(['--data-dir', dataDir, ...isolated], asNobody);
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.stderr).toContain(dataDir);
      expect(r.stderr).toMatch(/not writable/);
      expect(r.stderr).toMatch(/--data-dir|RUVLLM_MCP_DATA_DIR/);
      expect(r.stderr).not.toMatch(/SQLITE|readonly database/i);
    });

    it('a database file the user cannot write (e.g. created with sudo): refuses to start, naming the file', async () => {
      if (process.getuid?.() !== 0) return; // needs a file owned by another user
      const parent = tempDir();
      chmodSync(parent, 0o755);
      const dataDir = join(parent, 'data');
      mkdirSync(dataDir);
      chownSync(dataDir, 65534, 65534);
      const db = join(dataDir, 'ruvllm-mcp.db');
      writeFileSync(db, '');
      chmodSync(db, 0o644); // root's file: readable, not writable, by nobody
      const r = await serveUntilExit(['--data-dir', dataDir, ...isolated], asNobody);
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.stderr).toContain(db);
      expect(r.stderr).toMatch(/not writable/);
    });

    it('a writable one still serves (as the same user)', async () => {
      const parent = tempDir();
      chmodSync(parent, 0o755);
      const dataDir = join(parent, 'data');
      mkdirSync(dataDir);
      if (process.getuid?.() === 0) chownSync(dataDir, 65534, 65534);
      const r = await serveUntilExit(['--data-dir', dataDir, ...isolated], asNobody, 8_000);
      expect(r.code).toBeNull(); // still serving when stopped
      expect(r.stderr).not.toMatch(/not writable|cannot start/);
    });
  });

  it('says what is wrong with an unknown command', async () => {
    const r = await ruvllm(['modles', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "modles"/);
  });
});
