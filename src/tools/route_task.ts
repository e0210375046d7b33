import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, MAX_TEXT, shortText, text } from './util.js';
import { STRATEGIES } from '../engine/router/types.js';

const strategy = z.enum(STRATEGIES as [string, ...string[]]);

const inputSchema = {
  task: text('task'),
  messages: z
    .array(z.object({ role: z.string().min(1).max(32), content: z.string().max(MAX_TEXT) }))
    .max(256)
    .optional(),
  contextTokens: z.number().int().min(0).max(10_000_000).optional().describe('size of attached context'),
  strategy: strategy.optional(),
  constraints: z
    .object({
      maxCostUsd: z.number().min(0).optional(),
      maxLatencyMs: z.number().int().min(1).optional(),
      minQuality: z.number().min(0).max(1).optional(),
    })
    .optional(),
  force: z.enum(['local', 'cloud']).optional().describe('override; recorded'),
  agentId: shortText('agentId').optional(),
};

const finding = z.object({ category: z.string(), rule: z.string(), start: z.number(), end: z.number() });

const outputSchema = {
  decisionId: z.string(),
  route: z.enum(['local', 'cloud', 'local_required']),
  strategy: z.string(),
  complexity: z.object({ level: z.string(), score: z.number(), taskType: z.string() }),
  privacy: z.object({ sensitive: z.boolean(), findings: z.array(finding) }),
  redactedTask: z.string(),
  localModel: z.string().nullable(),
  estimate: z.object({
    inputTokens: z.number(),
    outputTokens: z.number(),
    localUsd: z.number(),
    cloudUsd: z.number(),
    savingUsd: z.number(),
    cloudModel: z.string(),
  }),
  confidence: z.number(),
  reasons: z.array(z.string()),
  forced: z.boolean(),
  learned: z.object({ samples: z.number(), localSuccessRate: z.number().nullable() }).optional(),
};

export const registerRouteTask: RegisterTool = (server, ctx) => {
  server.registerTool(
    'route_task',
    {
      title: 'Route a task',
      description:
        'Decide whether a task should run on the local model or in the cloud. Credentials and personal data never go to the cloud; returns reasons, a redacted text and a decisionId.',
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
