import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { estimateTokens, jsonResult, MAX_TEXT, shortText, text } from './util.js';
import type { CompleteRequest } from '../engine/models/types.js';

const inputSchema = {
  prompt: text('prompt').optional(),
  messages: z
    .array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().max(MAX_TEXT) }))
    .min(1)
    .max(256)
    .optional()
    .describe('chat messages instead of prompt'),
  system: text('system').optional(),
  maxTokens: z.number().int().min(1).max(32_768).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  stop: z.array(z.string().min(1).max(200)).max(16).optional(),
  jsonSchema: z.record(z.string(), z.unknown()).optional().describe('JSON Schema the output must match'),
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  trm: z
    .object({ maxIterations: z.number().int().min(1).max(8), threshold: z.number().min(0).max(1).optional() })
    .optional()
    .describe('recursive refinement: draft, self-critique, refine'),
  agentId: shortText('agentId').optional(),
  decisionId: shortText('decisionId').optional().describe('route_task decision this completes'),
};

const outputSchema = {
  text: z.string(),
  json: z.unknown().optional(),
  model: z.string(),
  backend: z.string(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  tokenCountMethod: z.string(),
  latencyMs: z.number(),
  ttftMs: z.number().nullable(),
  tokensPerSecond: z.number(),
  finishReason: z.string(),
  trm: z
    .object({
      iterations: z.number(),
      scores: z.array(z.number()),
      converged: z.boolean(),
      scoreMethod: z.string(),
      drafts: z.array(z.string()),
    })
    .optional(),
};

/** Progress notifications are coalesced to at most one per this many ms. */
const PROGRESS_EVERY_MS = 50;

export const registerLocalComplete: RegisterTool = (server, ctx) => {
  server.registerTool(
    'local_complete',
    {
      title: 'Local completion',
      description:
        'Run a completion on the active local model (in-process GGUF or a local OpenAI-compatible server). Streams progress when given a progressToken.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      if ((args.prompt === undefined) === (args.messages === undefined))
        throw new Error('give exactly one of "prompt" (a string) or "messages" (a list of {role, content})');
      const engine = await ctx.engine();
      const progressToken = extra._meta?.progressToken;
      let pending = '';
      let lastSent = 0;
      let sentTokens = 0;
      const flush = (tokens: number) => {
        if (progressToken === undefined || (!pending && tokens === sentTokens)) return;
        const message = pending;
        pending = '';
        lastSent = performance.now();
        sentTokens = tokens;
        void extra
          .sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: tokens, ...(args.maxTokens ? { total: args.maxTokens } : {}), message },
          })
          .catch(() => undefined);
      };
      const req: CompleteRequest = {
        prompt: args.prompt,
        messages: args.messages,
        system: args.system,
        maxTokens: args.maxTokens,
        temperature: args.temperature,
        topP: args.topP,
        stop: args.stop,
        jsonSchema: args.jsonSchema,
        timeoutMs: args.timeoutMs,
        trm: args.trm,
        signal: extra.signal,
        onToken:
          progressToken === undefined
            ? undefined
            : (ev) => {
                pending += ev.chunk;
                if (performance.now() - lastSent >= PROGRESS_EVERY_MS) flush(ev.tokens);
              },
      };
      const res = await engine.complete(req, {
        agentId: args.agentId,
        decisionId: args.decisionId,
        // The host's model writes the arguments (output tokens) and reads the result (input tokens).
        overheadTokensOut: estimateTokens(args),
        resultOverhead: (r) => estimateTokens(r),
      });
      flush(res.completionTokens);
      return jsonResult(res);
    },
  );
};
