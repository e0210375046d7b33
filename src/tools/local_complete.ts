import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { filesArg, intIn, jsonResult, listOf, numIn, payloadTokens, shortText, text } from './util.js';
import type { CompleteRequest } from '../engine/models/types.js';
import { CallerError } from '../engine/errors.js';

const inputSchema = {
  prompt: text('prompt').optional(),
  messages: listOf(
    z.object({ role: z.enum(['system', 'user', 'assistant']), content: text('message content') }),
    'messages',
    1,
    256,
  ).optional(),
  system: text('system').optional(),
  maxTokens: intIn('maxTokens', 1, 32_768).optional(),
  temperature: numIn('temperature', 0, 2).optional(),
  topP: numIn('topP', 0, 1, true).optional(),
  stop: listOf(text('stop sequence', 200), 'stop', 0, 16).optional(),
  jsonSchema: z.looseObject({}).optional(),
  timeoutMs: intIn('timeoutMs', 100, 3_600_000).optional(),
  trm: z.object({ maxIterations: intIn('trm.maxIterations', 1, 8), threshold: numIn('trm.threshold', 0, 1).optional() }).optional(),
  agentId: shortText('agentId').optional(),
  decisionId: shortText('decisionId').optional(),
  files: filesArg().optional(),
  redactOutput: z.enum(['auto', 'always', 'never']).optional(),
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
        'Local model completion (GGUF or local OpenAI-compatible server). Pass files (paths, globs), not their text: ' +
        'read here, never in your context. Progress via progressToken.',
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
      const byRef = Boolean(args.files);
      const flush = (tokens: number) => {
        if (progressToken === undefined || (!pending && tokens === sentTokens)) return;
        const message = pending;
        pending = '';
        lastSent = performance.now();
        sentTokens = tokens;
        if (byRef) return sendParts(partBase + Math.min(0.49, (tokens / (args.maxTokens ?? 512)) * 0.49), partTotal, '');
        void extra
          .sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: tokens, ...(args.maxTokens ? { total: args.maxTokens } : {}), message },
          })
          .catch(() => undefined);
      };
      // With files, progress counts parts read (map-reduce) on one increasing scale; the answer's tokens only nudge it.
      let partBase = 0;
      let partTotal = 1;
      let lastProgress = -1;
      const sendParts = (progress: number, total: number | undefined, message: string) => {
        if (progressToken === undefined || progress <= lastProgress) return;
        lastProgress = progress;
        void extra
          .sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) },
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
      const res = await engine.offload(
        req,
        {
          files: args.files,
          clientRoots: args.files ? await ctx.clientRoots?.() : undefined,
          redactOutput: args.redactOutput,
          signal: extra.signal,
          onProgress: (p) => {
            partBase = p.progress;
            if (p.total !== undefined) partTotal = p.total;
            sendParts(p.progress, p.total, p.message);
          },
        },
        {
          agentId: args.agentId,
          decisionId: args.decisionId,
          // The host's model writes the arguments (output tokens) and reads the result (input tokens).
          overheadTokensOut: payloadTokens(args),
          resultOverhead: (r) => payloadTokens(r),
        },
      );
      if (byRef) sendParts(partTotal, partTotal, 'done');
      else flush(res.completionTokens);
      return jsonResult(res);
    },
  );
};
