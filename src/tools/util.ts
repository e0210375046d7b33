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
    else if (s.length > max) ctx.addIssue({ code: 'custom', message: `${what} is longer than ${max} characters: shorten it or split the work` });
    else if (s.trim().length === 0) ctx.addIssue({ code: 'custom', message: `${what} is only white space: give some text` });
  });

export const shortText = (what: string) => text(what, MAX_SHORT);

/** What a tool handler reaches the engine through: it may still be starting. */
export interface ToolContext {
  engine: () => Promise<Engine>;
}

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
