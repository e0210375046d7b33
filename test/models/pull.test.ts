import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyGguf } from '../../src/devtools/tiny-gguf.js';
import { pullModel, readGgufModelInfo, resolvePullSource } from '../../src/engine/models/index.js';
import { tempDir } from '../helpers/tmp.js';

const file = buildTinyGguf({ name: 'pulled', seed: 7 });
const sha = createHash('sha256').update(file).digest('hex');
let server: Server;
let base: string;
const log: { method: string; url: string; range?: string }[] = [];
/** Byte count after which the next GET drops the connection (once). */
let cutAfter: number | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    log.push({ method: req.method ?? '', url, range: req.headers.range });
    if (url === '/m/with-etag.gguf' && req.method === 'HEAD') {
      res.writeHead(302, { location: '/m/model.gguf', 'x-linked-etag': `"${sha}"` });
      return res.end();
    }
    if (url === '/m/sidecar.gguf.sha256') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(`${'0'.repeat(64)}  sidecar.gguf\n`);
    }
    if (url === '/m/not-a-model.gguf') {
      res.writeHead(200, { 'content-length': '11' });
      return res.end('hello world');
    }
    if (!['/m/model.gguf', '/m/with-etag.gguf', '/m/sidecar.gguf', '/m/resume.gguf'].includes(url)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('no such file');
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'content-length': String(file.length), 'accept-ranges': 'bytes' });
      return res.end();
    }
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      start = Number(m[1]);
      if (start >= file.length) {
        res.writeHead(416, { 'content-range': `bytes */${file.length}` });
        return res.end();
      }
      res.writeHead(206, {
        'content-range': `bytes ${start}-${file.length - 1}/${file.length}`,
        'content-length': String(file.length - start),
      });
    } else {
      res.writeHead(200, { 'content-length': String(file.length), 'accept-ranges': 'bytes' });
    }
    const body = file.subarray(start);
    if (cutAfter !== null) {
      const n = cutAfter;
      cutAfter = null;
      res.write(body.subarray(0, n), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

describe('pullModel', () => {
  it('resolves hf: references and rejects bad sources', () => {
    expect(resolvePullSource('hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf')).toEqual({
      url: 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf',
      file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
    });
    expect(resolvePullSource('hf:o/r@v1/sub/f.gguf').url).toBe('https://huggingface.co/o/r/resolve/v1/sub/f.gguf');
    expect(() => resolvePullSource('hf:onlyowner')).toThrow(/hf:<owner>\/<repo>\/<file.gguf>/);
    expect(() => resolvePullSource('/etc/passwd')).toThrow(/https:\/\//);
    expect(() => resolvePullSource('https://x.org/a/model.bin')).toThrow(/not a \.gguf file/);
    expect(() => resolvePullSource('https://x.org/a/..%2F..%2Fevil.gguf')).toThrow(/file name/);
  });

  it('downloads with progress and verifies a given sha256', async () => {
    const dir = tempDir('ruvllm-pull-');
    const progress: [number, number | null][] = [];
    const r = await pullModel(`${base}/m/model.gguf`, dir, { sha256: sha, onProgress: (d, t) => progress.push([d, t]) });
    expect(r).toEqual({ path: join(dir, 'model.gguf'), bytes: file.length, sha256: sha, resumed: false });
    expect(readFileSync(r.path).equals(file)).toBe(true);
    expect(existsSync(r.path + '.partial')).toBe(false);
    expect(progress[progress.length - 1]).toEqual([file.length, file.length]);
    expect((await readGgufModelInfo(r.path)).name).toBe('pulled');
  });

  it('resumes an interrupted download with a Range request', async () => {
    const dir = tempDir('ruvllm-pull-');
    cutAfter = 50_000;
    const err = await pullModel(`${base}/m/resume.gguf`, dir, { sha256: sha }).catch((e) => e);
    expect(err.message).toMatch(/broke off|ended at/);
    expect(err.message).toMatch(/run the same pull again to resume/);
    const partial = join(dir, 'resume.gguf.partial');
    expect(statSync(partial).size).toBe(50_000);
    const r = await pullModel(`${base}/m/resume.gguf`, dir, { sha256: sha });
    expect(r.resumed).toBe(true);
    expect(r.sha256).toBe(sha);
    expect(readFileSync(r.path).equals(file)).toBe(true);
    expect(log.filter((l) => l.url === '/m/resume.gguf' && l.method === 'GET').pop()?.range).toBe('bytes=50000-');
  });

  it('refuses a checksum mismatch and deletes the download', async () => {
    const dir = tempDir('ruvllm-pull-');
    const wrong = 'f'.repeat(64);
    await expect(pullModel(`${base}/m/model.gguf`, dir, { sha256: wrong })).rejects.toThrow(
      /checksum mismatch for model\.gguf: expected sha256 f{64}, got [0-9a-f]{64}/,
    );
    expect(existsSync(join(dir, 'model.gguf'))).toBe(false);
    expect(existsSync(join(dir, 'model.gguf.partial'))).toBe(false);
  });

  it('uses the X-Linked-ETag and the .sha256 sidecar when no checksum is given', async () => {
    const dir = tempDir('ruvllm-pull-');
    const ok = await pullModel(`${base}/m/with-etag.gguf`, dir);
    expect(ok.sha256).toBe(sha);
    // the sidecar publishes a wrong sum: the download must be refused
    await expect(pullModel(`${base}/m/sidecar.gguf`, dir)).rejects.toThrow(/checksum mismatch/);
  });

  it('refuses a file that is not a GGUF and reports HTTP errors', async () => {
    const dir = tempDir('ruvllm-pull-');
    await expect(pullModel(`${base}/m/not-a-model.gguf`, dir)).rejects.toThrow(/not a GGUF file/);
    await expect(pullModel(`${base}/m/missing.gguf`, dir)).rejects.toThrow(/HTTP 404.*no such file/);
  });

  it('returns an existing file instead of downloading again, refusing one with another checksum', async () => {
    const dir = tempDir('ruvllm-pull-');
    writeFileSync(join(dir, 'model.gguf'), file);
    const n = log.length;
    const r = await pullModel(`${base}/m/model.gguf`, dir, { sha256: sha });
    expect(r.resumed).toBe(false);
    expect(log.slice(n).filter((l) => l.method === 'GET' && l.url === '/m/model.gguf')).toEqual([]);
    await expect(pullModel(`${base}/m/model.gguf`, dir, { sha256: 'a'.repeat(64) })).rejects.toThrow(
      /already exists with a different sha256/,
    );
  });
});
