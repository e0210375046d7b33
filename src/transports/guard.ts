/**
 * Validation of raw JSON-RPC input before it reaches the MCP SDK, shared by the HTTP and stdio
 * transports. The SDK drops a line it cannot parse on stdio without answering, so a client waits
 * forever; here every malformed message that could expect an answer gets a JSON-RPC error:
 * -32700 for bytes that are not UTF-8 JSON, -32600 for JSON that is not a valid JSON-RPC message
 * (with the request id when one can be recovered, else null).
 */
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
/** Deepest JSON nesting accepted; MCP messages need a handful of levels, tool arguments a few more. */
export const MAX_JSON_DEPTH = 64;

export interface JsonRpcErrorMessage {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

export type GuardResult = { ok: true; messages: JSONRPCMessage[]; batch: boolean } | { ok: false; error: JsonRpcErrorMessage };

function err(code: number, message: string, id: string | number | null = null): { ok: false; error: JsonRpcErrorMessage } {
  return { ok: false, error: { jsonrpc: '2.0', id, error: { code, message } } };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Deepest nesting of arrays/objects, computed without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH + 1): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max >= limit) return max;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return max;
}

/** A usable id from something that failed validation, so the client can match the error. */
function recoverId(v: unknown): string | number | null {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const id = (v as Record<string, unknown>).id;
    if (typeof id === 'string' && id.length <= 256) return id;
    if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
  }
  return null;
}

function describe(v: unknown): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return `a JSON-RPC message must be an object, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`;
  }
  const o = v as Record<string, unknown>;
  if (o.jsonrpc !== '2.0') return 'field "jsonrpc" must be the string "2.0"';
  if ('method' in o) {
    if (typeof o.method !== 'string') return 'field "method" must be a string';
    if ('id' in o && !(typeof o.id === 'string' || (typeof o.id === 'number' && Number.isSafeInteger(o.id)))) {
      return 'field "id" must be a string or an integer';
    }
    if ('params' in o && (o.params === null || typeof o.params !== 'object' || Array.isArray(o.params))) {
      return 'field "params" must be an object when present';
    }
    const extra = Object.keys(o).filter((k) => !['jsonrpc', 'id', 'method', 'params'].includes(k));
    if (extra.length)
      return `unexpected field(s) ${extra
        .slice(0, 5)
        .map((k) => JSON.stringify(k.slice(0, 40)))
        .join(', ')}`;
    return 'malformed request';
  }
  if ('result' in o || 'error' in o) return 'malformed response';
  return 'a JSON-RPC message needs "method" (request/notification) or "result"/"error" (response)';
}

/** Validates an already-parsed JSON value (one message or a batch). */
export function validateJsonRpc(value: unknown, opts: { allowBatch?: boolean; maxBatch?: number } = {}): GuardResult {
  const depth = jsonDepth(value);
  if (depth > MAX_JSON_DEPTH) {
    return err(INVALID_REQUEST, `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`, recoverId(value));
  }
  if (Array.isArray(value)) {
    if (!opts.allowBatch) return err(INVALID_REQUEST, 'Invalid Request: batches are not accepted here; send one message per line');
    const max = opts.maxBatch ?? 100;
    if (value.length === 0) return err(INVALID_REQUEST, 'Invalid Request: empty batch');
    if (value.length > max) return err(INVALID_REQUEST, `Invalid Request: a batch must not exceed ${max} messages`);
    const messages: JSONRPCMessage[] = [];
    for (let i = 0; i < value.length; i++) {
      const r = JSONRPCMessageSchema.safeParse(value[i]);
      if (!r.success) return err(INVALID_REQUEST, `Invalid Request: batch item ${i}: ${describe(value[i])}`, recoverId(value[i]));
      messages.push(r.data);
    }
    return { ok: true, messages, batch: true };
  }
  const r = JSONRPCMessageSchema.safeParse(value);
  if (!r.success) return err(INVALID_REQUEST, `Invalid Request: ${describe(value)}`, recoverId(value));
  return { ok: true, messages: [r.data], batch: false };
}

/** Decodes (strict UTF-8), parses and validates raw bytes. */
export function parseJsonRpc(bytes: Uint8Array, opts: { allowBatch?: boolean; maxBatch?: number } = {}): GuardResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return err(PARSE_ERROR, 'Parse error: the message is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message.slice(0, 200) : 'invalid JSON';
    return err(PARSE_ERROR, `Parse error: ${detail}`);
  }
  return validateJsonRpc(value, opts);
}
