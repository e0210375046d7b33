/**
 * Pattern bundles: move a pattern bank between machines.
 *
 * Binary (msgpack) layout:
 *   bytes 0..3   magic "RVPB"
 *   bytes 4..5   format version (uint16 BE), currently 1
 *   bytes 6..7   flags (uint16 BE), 0
 *   bytes 8..11  payload length (uint32 BE)
 *   bytes 12..43 SHA-256 of the payload
 *   bytes 44..   payload: msgpackr-encoded BundleBody (vectors as raw float16 bytes)
 * JSON: { "format": "ruvllm-mcp-patterns", "version": 1, ...BundleBody } without vectors.
 */
import { createHash } from 'node:crypto';
import { Packr } from 'msgpackr';

export const BUNDLE_MAGIC = 'RVPB';
export const BUNDLE_VERSION = 1;
const HEADER = 44;
const JSON_FORMAT = 'ruvllm-mcp-patterns';

export interface BundlePattern {
  id: string;
  task: string;
  approach: string;
  outcome: string | null;
  quality: number;
  iterations: number;
  converged: boolean;
  model: string | null;
  backend: string | null;
  route: string | null;
  tags: string[];
  domain: string | null;
  agentId: string | null;
  count: number;
  uses: number;
  successes: number;
  failures: number;
  createdAt: string;
  updatedAt: string;
  /** Categories redacted from the pattern's text (absent in bundles of older versions). */
  privacyCategories?: string[];
  /** The stored vector: little-endian float16 (2 bytes a dimension) or float32 (4); msgpack bundles only. */
  vector?: Uint8Array;
}

export interface BundleBody {
  embedder: string;
  dim: number;
  exportedAt: string;
  patterns: BundlePattern[];
}

const packr = new Packr({ useRecords: false });

export function encodeBundle(format: 'msgpack' | 'json', body: BundleBody): Buffer {
  if (format === 'json') {
    const patterns = body.patterns.map(({ vector: _v, ...rest }) => rest);
    return Buffer.from(JSON.stringify({ format: JSON_FORMAT, version: BUNDLE_VERSION, ...body, patterns }, null, 1));
  }
  if (format !== 'msgpack') throw new Error(`unknown bundle format "${String(format)}"; use "msgpack" or "json"`);
  const payload = packr.pack(body);
  const head = Buffer.alloc(HEADER);
  head.write(BUNDLE_MAGIC, 0, 'latin1');
  head.writeUInt16BE(BUNDLE_VERSION, 4);
  head.writeUInt16BE(0, 6);
  head.writeUInt32BE(payload.length, 8);
  createHash('sha256').update(payload).digest().copy(head, 12);
  return Buffer.concat([head, payload]);
}

export function decodeBundle(buf: Buffer): BundleBody {
  if (!Buffer.isBuffer(buf) || buf.length === 0) throw new Error('pattern bundle is empty');
  let body: BundleBody;
  if (buf.subarray(0, 4).toString('latin1') === BUNDLE_MAGIC) {
    if (buf.length < HEADER) throw new Error(`pattern bundle is truncated: ${buf.length} bytes, the header alone is ${HEADER}`);
    const version = buf.readUInt16BE(4);
    if (version > BUNDLE_VERSION) {
      throw new Error(
        `pattern bundle format version ${version} is newer than this ruvllm-mcp supports (${BUNDLE_VERSION}); upgrade ruvllm-mcp to import it`,
      );
    }
    if (version < 1) throw new Error(`pattern bundle format version ${version} is invalid`);
    const len = buf.readUInt32BE(8);
    if (buf.length !== HEADER + len)
      throw new Error(`pattern bundle is corrupt or truncated: header says ${len} payload bytes, found ${buf.length - HEADER}`);
    const payload = buf.subarray(HEADER);
    const sum = createHash('sha256').update(payload).digest();
    if (!sum.equals(buf.subarray(12, 44)))
      throw new Error('pattern bundle is corrupt: checksum mismatch (the file was altered or damaged in transfer)');
    try {
      body = packr.unpack(payload) as BundleBody;
    } catch (e) {
      throw new Error(`pattern bundle payload cannot be decoded: ${(e as Error).message}`, { cause: e });
    }
  } else {
    const text = buf.toString('utf8').trim();
    if (!text.startsWith('{'))
      throw new Error(`not a pattern bundle: expected the "${BUNDLE_MAGIC}" header of a binary bundle or a JSON bundle`);
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`JSON pattern bundle is corrupt: ${(e as Error).message}`, { cause: e });
    }
    if (o.format !== JSON_FORMAT) throw new Error(`JSON is not a pattern bundle (format must be "${JSON_FORMAT}")`);
    const v = Number(o.version);
    if (!Number.isInteger(v) || v < 1) throw new Error(`JSON pattern bundle has an invalid version ${String(o.version)}`);
    if (v > BUNDLE_VERSION)
      throw new Error(
        `pattern bundle format version ${v} is newer than this ruvllm-mcp supports (${BUNDLE_VERSION}); upgrade ruvllm-mcp to import it`,
      );
    body = o as unknown as BundleBody;
  }
  if (!body || !Array.isArray(body.patterns)) throw new Error('pattern bundle has no patterns array');
  body.patterns.forEach((p, i) => {
    if (!p || typeof p.id !== 'string' || typeof p.task !== 'string' || typeof p.approach !== 'string' || typeof p.quality !== 'number') {
      throw new Error(`pattern bundle entry ${i} is malformed: needs id, task, approach and quality`);
    }
    p.tags = Array.isArray(p.tags) ? p.tags : [];
    p.count = Number.isInteger(p.count) && p.count > 0 ? p.count : 1;
    p.uses = Number.isInteger(p.uses) && p.uses >= 0 ? p.uses : 0;
    p.successes = Number.isInteger(p.successes) && p.successes >= 0 ? p.successes : 0;
    p.failures = Number.isInteger(p.failures) && p.failures >= 0 ? p.failures : 0;
    p.iterations = Number.isInteger(p.iterations) && p.iterations >= 0 ? p.iterations : 0;
    p.converged = !!p.converged;
    p.privacyCategories = Array.isArray(p.privacyCategories)
      ? p.privacyCategories.filter((c) => typeof c === 'string' && /^[a-z_]{1,40}$/.test(c)).slice(0, 32)
      : [];
  });
  return body;
}
