import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, shortText, text } from './util.js';

const inputSchema = {
  task: text('task', 20_000),
  approach: text('approach', 20_000).describe('strategy or reasoning steps that were used'),
  outcome: text('outcome', 20_000).optional(),
  quality: z.number().min(0).max(1),
  iterations: z.number().int().min(0).max(1000).optional(),
  converged: z.boolean().optional(),
  success: z.boolean().optional().describe('with decisionId: reports the routed task\'s outcome'),
  model: shortText('model').optional(),
  backend: shortText('backend').optional(),
  route: z.enum(['local', 'cloud', 'local_required']).optional(),
  tags: z.array(z.string().min(1).max(64)).max(32).optional(),
  domain: shortText('domain').optional(),
  agentId: shortText('agentId').optional(),
  decisionId: shortText('decisionId').optional(),
};

export const patternOutput = z.object({
  id: z.string(),
  task: z.string(),
  approach: z.string(),
  outcome: z.string().nullable(),
  quality: z.number(),
  iterations: z.number(),
  converged: z.boolean(),
  tags: z.array(z.string()),
  domain: z.string().nullable(),
  agentId: z.string().nullable(),
  model: z.string().nullable(),
  backend: z.string().nullable(),
  route: z.string().nullable(),
  count: z.number(),
  uses: z.number(),
  successRate: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const registerStoreTrmPattern: RegisterTool = (server, ctx) => {
  server.registerTool(
    'store_trm_pattern',
    {
      title: 'Store a reasoning pattern',
      description:
        'Save an approach that worked (or failed) on a task in the pattern bank. Near-duplicates merge into one pattern with counts.',
      inputSchema,
      outputSchema: { id: z.string(), merged: z.boolean(), outcomeRecorded: z.boolean(), pattern: patternOutput.loose() },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args) => {
      const engine = await ctx.engine();
      const { success, ...input } = args;
      const quality = input.quality;
      const res = await engine.storePattern(
        { ...input, quality },
        success === undefined ? undefined : { success },
      );
      return jsonResult(res);
    },
  );
};
