/**
 * `models pull`: download a GGUF file from an https URL or an `hf:<owner>/<repo>/<file>`
 * reference into the models folder, resuming an interrupted download (HTTP Range),
 * verifying the sha256 (given, from Hugging Face's X-Linked-ETag, or from a
 * `<url>.sha256` sidecar) and renaming atomically into place.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../log.js';
import { excerpt, networkErrorText } from './backend.js';

const log = logger('models');

export interface PullOptions {
  sha256?: string;
  onProgress?: (done: number, total: number | null) => void;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}

export interface PullResult {
  path: string;
  bytes: number;
  sha256: string;
  resumed: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/i;

/** Turns a source into the URL to fetch and the file name to save as. */
export function resolvePullSource(source: string): { url: string; file: string } {
  const s = source.trim();
  let url: string;
  if (s.startsWith('hf:')) {
    const parts = s.slice(3).replace(/^\/+/, '').split('/');
    if (parts.length < 3 || parts.some((p) => !p))
      throw new Error(
        `bad Hugging Face reference "${source}": use hf:<owner>/<repo>/<file.gguf>, e.g. hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf`,
      );
    const [owner, repoRev, ...file] = parts;
    const [repo, rev = 'main'] = repoRev.split('@');
    url = `https://huggingface.co/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/resolve/${encodeURIComponent(rev)}/${file.map(encodeURIComponent).join('/')}`;
  } else if (/^https?:\/\//i.test(s)) {
    url = s;
  } else {
    throw new Error(`cannot pull "${source}": give an https:// URL of a .gguf file or hf:<owner>/<repo>/<file.gguf>`);
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`cannot pull "${source}": not a valid URL`);
  }
  const last = decodeURIComponent(u.pathname.split('/').pop() ?? '');
  if (!last || last === '.' || last === '..' || /[\\/\0]/.test(last) || last.startsWith('.'))
    throw new Error(`cannot pull "${source}": the URL does not end in a file name`);
  if (!/\.gguf$/i.test(last)) throw new Error(`cannot pull "${source}": the file "${last}" is not a .gguf file`);
  return { url, file: last };
}

async function fileSha256(path: string, hash = createHash('sha256')): Promise<ReturnType<typeof createHash>> {
  await new Promise<void>((resolve, reject) => {
    const rs = createReadStream(path);
    rs.on('data', (d) => hash.update(d));
    rs.on('end', () => resolve());
    rs.on('error', reject);
  });
  return hash;
}

async function exists(p: string): Promise<number | null> {
  try {
    const st = await stat(p);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/** Hugging Face token (HF_TOKEN / HUGGING_FACE_HUB_TOKEN) for gated repositories, sent to huggingface.co only. */
function authHeaders(url: string): Record<string, string> {
  const token = process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN;
  return token && new URL(url).hostname === 'huggingface.co' ? { authorization: `Bearer ${token}` } : {};
}

/** sha256 published by the server: X-Linked-ETag (Hugging Face, before the CDN redirect) or a `.sha256` sidecar. */
async function publishedSha256(url: string, fetchImpl: typeof fetch, signal?: AbortSignal): Promise<string | null> {
  try {
    const r = await fetchImpl(url, { method: 'HEAD', redirect: 'manual', signal, headers: authHeaders(url) });
    for (const h of ['x-linked-etag', 'etag']) {
      const v = (r.headers.get(h) ?? '').replace(/^W\//, '').replace(/"/g, '').trim();
      if (HEX64.test(v)) return v.toLowerCase();
    }
  } catch {
    /* no HEAD support */
  }
  try {
    const r = await fetchImpl(url + '.sha256', { signal });
    if (r.ok) {
      const m = /\b([0-9a-f]{64})\b/i.exec((await r.text()).slice(0, 4096));
      if (m) return m[1].toLowerCase();
    } else await r.body?.cancel();
  } catch {
    /* no sidecar */
  }
  return null;
}

export async function pullModel(source: string, destDir: string, opts: PullOptions = {}): Promise<PullResult> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const { url, file } = resolvePullSource(source);
  if (opts.sha256 !== undefined && !HEX64.test(opts.sha256)) throw new Error(`sha256 must be 64 hex characters, got "${opts.sha256}"`);
  await mkdir(destDir, { recursive: true });
  const dest = join(destDir, file);
  const partial = dest + '.partial';

  const expected = opts.sha256?.toLowerCase() ?? (await publishedSha256(url, fetchImpl, opts.signal));

  const have = await exists(dest);
  if (have !== null) {
    const sha = (await fileSha256(dest)).digest('hex');
    if (expected && sha !== expected)
      throw new Error(`${dest} already exists with a different sha256 (${sha}, expected ${expected}); delete it to download again`);
    return { path: dest, bytes: have, sha256: sha, resumed: false };
  }

  let offset = (await exists(partial)) ?? 0;
  const headers: Record<string, string> = { ...authHeaders(url) };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  let res: Response;
  try {
    res = await fetchImpl(url, { headers, signal: opts.signal, redirect: 'follow' });
  } catch (err) {
    if (opts.signal?.aborted) throw new Error(`download of ${file} aborted; run the same pull again to resume`, { cause: err });
    throw new Error(`cannot download ${url}: ${networkErrorText(err)}`, { cause: err });
  }
  let resumed = false;
  let total: number | null;
  if (res.status === 416 && offset > 0) {
    // The partial file already holds everything.
    await res.body?.cancel();
    total = offset;
    resumed = true;
  } else if (res.status === 206 && offset > 0) {
    resumed = true;
    const cr = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
    const start = /bytes\s+(\d+)-/.exec(res.headers.get('content-range') ?? '');
    if (start && Number(start[1]) !== offset) {
      await res.body?.cancel();
      throw new Error(`server resumed ${url} at byte ${start[1]} instead of ${offset}; delete ${partial} and pull again`);
    }
    total = cr ? Number(cr[1]) : res.headers.get('content-length') ? offset + Number(res.headers.get('content-length')) : null;
  } else if (res.ok) {
    if (offset > 0) log.info('server ignored the Range request; downloading from the start', { url });
    offset = 0;
    total = res.headers.get('content-length') ? Number(res.headers.get('content-length')) : null;
  } else {
    const body = await res.text().catch(() => '');
    throw new Error(`cannot download ${url}: HTTP ${res.status} ${res.statusText}${body ? `: ${excerpt(body)}` : ''}`);
  }

  const hash = offset > 0 ? await fileSha256(partial) : createHash('sha256');
  let done = offset;
  if (res.status !== 416) {
    const ws = createWriteStream(partial, { flags: offset > 0 ? 'a' : 'w' });
    const wsError = new Promise<never>((_, reject) => ws.on('error', reject));
    wsError.catch(() => {});
    try {
      const reader = res.body!.getReader();
      opts.onProgress?.(done, total);
      for (;;) {
        const { value, done: eof } = await Promise.race([reader.read(), wsError]);
        if (eof) break;
        hash.update(value);
        done += value.length;
        if (!ws.write(value)) await Promise.race([new Promise<void>((r) => ws.once('drain', () => r())), wsError]);
        opts.onProgress?.(done, total);
      }
    } catch (err) {
      await new Promise((r) => ws.end(r));
      if (opts.signal?.aborted)
        throw new Error(`download of ${file} aborted at ${done} bytes; run the same pull again to resume`, { cause: err });
      throw new Error(`download of ${url} broke off at ${done} bytes (${networkErrorText(err)}); run the same pull again to resume`, {
        cause: err,
      });
    }
    await new Promise<void>((resolve, reject) => ws.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  if (total !== null && done !== total)
    throw new Error(`download of ${url} ended at ${done} of ${total} bytes; run the same pull again to resume`);

  const sha = hash.digest('hex');
  if (expected && sha !== expected) {
    await unlink(partial).catch(() => {});
    throw new Error(`checksum mismatch for ${file}: expected sha256 ${expected}, got ${sha}; the download was deleted`);
  }
  const fh = await open(partial, 'r');
  try {
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, 0);
    if (b.toString('latin1') !== 'GGUF') {
      await fh.close();
      await unlink(partial).catch(() => {});
      throw new Error(`${url} is not a GGUF file (it does not start with "GGUF"); the download was deleted`);
    }
  } finally {
    await fh.close().catch(() => {});
  }
  await rename(partial, dest);
  log.info('model pulled', { path: dest, bytes: done, resumed, verified: Boolean(expected) });
  return { path: dest, bytes: done, sha256: sha, resumed };
}
