import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, payloadTokens, shortText, text } from './util.js';
import type { CompleteRequest } from '../engine/models/types.js';
import { CallerError } from '../engine/errors.js';

const inputSchema = {
  prompt: text('prompt').optional(),
  messages: z
    .array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: text('message content') }))
    .min(1)
    .max(256)
    .optional(),
  system: text('system').optional(),
  maxTokens: z.number().int().min(1).max(32_768).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  stop: z.array(text('stop sequence', 200)).max(16).optional(),
  jsonSchema: z.looseObject({}).optional(),
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  trm: z
    .object({ maxIterations: z.number().int().min(1).max(8), threshold: z.number().min(0).max(1).optional() })
    .optional(),
  agentId: shortText('agentId').optional(),
  decisionId: shortText('decisionId').optional(),
};

/** Key fields; the full result (token counts, latency, ttft, tokens/s, trm) is in the README. */
const outputSchema = z.looseObject({
  text: z.string(),
  model: z.string(),
  backend: z.string(),
  completionTokens: z.number(),
  finishReason: z.string(),
});

/** Progress notifications are coalesced to at most one per this many ms. */
const PROGRESS_EVERY_MS = 50;

export const registerLocalComplete: RegisterTool = (server, ctx) => {
  server.registerTool(
    'local_complete',
    {
      title: 'Local completion',
      description:
        'Completion on the active local model (GGUF or local OpenAI-compatible server). Streams progress with a progressToken.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      if ((args.prompt === undefined) === (args.messages === undefined))
        throw new CallerError('give exactly one of "prompt" (a string) or "messages" (a list of {role, content})');
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
        overheadTokensOut: payloadTokens(args),
        resultOverhead: (r) => payloadTokens(r),
      });
      flush(res.completionTokens);
      return jsonResult(res);
    },
  );
};
