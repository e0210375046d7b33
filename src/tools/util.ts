import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Engine } from '../engine/engine.js';
import { estimateTokens } from '../engine/tokens.js';
import { errorKind } from '../engine/errors.js';

/** Longest text accepted in any prompt/task field (characters). */
export const MAX_TEXT = 200_000;
/** Longest short field (ids, names, tags). */
export const MAX_SHORT = 512;

export const text = (what: string, max = MAX_TEXT) =>
  // Limits are checked in a refinement rather than minLength/maxLength: same messages, but
  // they stay out of the advertised JSON Schema, which costs the host's context every turn.
  z.string().superRefine((s, ctx) => {
    if (s.length === 0) ctx.addIssue({ code: 'custom', message: `${what} is empty: give some text` });
    else if (s.length > max)
      ctx.addIssue({ code: 'custom', message: `${what} is longer than ${max} characters: shorten it or split the work` });
    else if (s.trim().length === 0) ctx.addIssue({ code: 'custom', message: `${what} is only white space: give some text` });
  });

export const shortText = (what: string) => text(what, MAX_SHORT);

/** What a tool handler reaches the engine through: it may still be starting. */
export interface ToolContext {
  engine: () => Promise<Engine>;
  /** Folders the MCP client offers as roots (file:// URIs as paths); [] when it offers none. */
  clientRoots?: () => Promise<string[]>;
}

/**
 * An integer in [min, max]; like `text`, the bounds are checked in a refinement so they stay out of
 * the advertised JSON Schema (tools/list is paid for on every turn of the host).
 */
export const intIn = (what: string, min: number, max: number) =>
  z.number().superRefine((n, ctx) => {
    if (!Number.isInteger(n) || n < min || n > max)
      ctx.addIssue({ code: 'custom', message: `${what} must be a whole number from ${min} to ${max}, got ${n}` });
  });

/** A number in [min, max] (above min when `above`), bounds checked the same way. */
export const numIn = (what: string, min: number, max: number, above = false) =>
  z.number().superRefine((n, ctx) => {
    if (!(above ? n > min : n >= min) || n > max)
      ctx.addIssue({ code: 'custom', message: `${what} must be ${above ? 'above' : 'at least'} ${min} and at most ${max}, got ${n}` });
  });

/** A list of min..max items, bounds checked the same way. */
export const listOf = <T extends z.ZodType>(item: T, what: string, min: number, max: number) =>
  z.array(item).superRefine((a, ctx) => {
    if (a.length < min || a.length > max)
      ctx.addIssue({ code: 'custom', message: `${what} must hold ${min} to ${max} entries, got ${a.length}` });
  });

/** Files read by reference: paths, folders or globs (the server reads them, the host never does). */
export const filesArg = () => listOf(text('file path', 4096), 'files', 1, 64);

export type RegisterTool = (server: McpServer, ctx: ToolContext) => void;

/** A tool result with structuredContent and the same JSON as text (MCP 2025-06-18 §tools). */
export function jsonResult<T extends object>(obj: T) {
  return {
    content: [{ type: 'text' as const, text: JSON.stringify(obj) }],
    structuredContent: obj as unknown as Record<string, unknown>,
  };
}

/**
 * Tokens a JSON payload costs the host's model, estimated at 4 characters a
 * token (the host's tokenizer is not available here; the ledger names the method).
 */
export function payloadTokens(value: unknown): number {
  return estimateTokens(typeof value === 'string' ? value : JSON.stringify(value ?? null));
}

/**
 * Wraps a tool handler so that an error with a kind becomes an isError result whose text is the error's
 * message and whose `_meta` says the kind (caller, backend, retryable) and, when a retry fixes it, the wait
 * (`retryAfterMs`). Not structuredContent: clients check that against the tool's output schema.
 * Errors without a kind are left to the SDK (same text, no `_meta`).
 */
export function withErrorKind<A extends unknown[], R>(handler: (...args: A) => R | Promise<R>) {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (e) {
      const kind = errorKind(e);
      if (!kind) throw e;
      const retryAfterMs = (e as { retryAfterMs?: unknown }).retryAfterMs;
      return {
        content: [{ type: 'text' as const, text: (e as Error).message }],
        isError: true,
        _meta: { kind, ...(kind === 'retryable' && typeof retryAfterMs === 'number' ? { retryAfterMs } : {}) },
      };
    }
  };
}
