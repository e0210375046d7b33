import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, shortText, text } from './util.js';

const inputSchema = {
  task: text('task', 20_000),
  approach: text('approach', 20_000),
  outcome: text('outcome', 20_000).optional(),
  quality: z.number().min(0).max(1),
  iterations: z.number().int().min(0).max(1000).optional(),
  converged: z.boolean().optional(),
  success: z.boolean().optional(),
  model: shortText('model').optional(),
  backend: shortText('backend').optional(),
  route: z.enum(['local', 'cloud', 'local_required']).optional(),
  tags: z.array(text('tag', 64)).max(32).optional(),
  domain: shortText('domain').optional(),
  agentId: shortText('agentId').optional(),
  decisionId: shortText('decisionId').optional(),
};

export const registerStoreTrmPattern: RegisterTool = (server, ctx) => {
  server.registerTool(
    'store_trm_pattern',
    {
      title: 'Store a reasoning pattern',
      description: 'Save an approach that worked (or failed) on a task. Near-duplicates merge, with counts.',
      inputSchema,
      outputSchema: z.looseObject({ id: z.string(), merged: z.boolean() }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args) => {
      const engine = await ctx.engine();
      const { success, ...input } = args;
      const quality = input.quality;
      const res = await engine.storePattern({ ...input, quality }, success === undefined ? undefined : { success });
      return jsonResult(res);
    },
  );
};
