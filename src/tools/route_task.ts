import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, shortText, text } from './util.js';
import { STRATEGIES } from '../engine/router/types.js';

const strategy = z.enum(STRATEGIES as [string, ...string[]]);

const inputSchema = {
  task: text('task'),
  messages: z
    .array(z.object({ role: z.string(), content: text('message content') }))
    .max(256)
    .optional(),
  contextTokens: z.number().int().min(0).optional(),
  strategy: strategy.optional(),
  constraints: z
    .object({
      maxCostUsd: z.number().min(0).optional(),
      maxLatencyMs: z.number().positive().optional(),
      minQuality: z.number().min(0).max(1).optional(),
    })
    .optional(),
  force: z.enum(['local', 'cloud']).optional(),
  agentId: shortText('agentId').optional(),
};

/** Key fields; the full decision (complexity, privacy findings, estimate, confidence) is in the README. */
const outputSchema = z.looseObject({
  decisionId: z.string(),
  route: z.enum(['local', 'cloud', 'local_required']),
  redactedTask: z.string().optional(),
  reasons: z.array(z.string()),
});

export const registerRouteTask: RegisterTool = (server, ctx) => {
  server.registerTool(
    'route_task',
    {
      title: 'Route a task',
      description:
        'Local model or cloud for a task? Credentials and personal data never go to the cloud.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args) => {
      const engine = await ctx.engine();
      return jsonResult(engine.route({ ...args, strategy: args.strategy as (typeof STRATEGIES)[number] | undefined }));
    },
  );
};
