import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, shortText, text } from './util.js';

export const registerFindSimilarPatterns: RegisterTool = (server, ctx) => {
  server.registerTool(
    'find_similar_patterns',
    {
      title: 'Find similar patterns',
      description: 'Stored patterns nearest to a task or pattern, with a recommended approach.',
      inputSchema: {
        query: text('query', 20_000).optional(),
        patternId: shortText('patternId').optional(),
        k: z.number().int().min(1).max(100).optional(),
        minQuality: z.number().min(0).max(1).optional(),
        tags: z.array(text('tag', 64)).max(32).optional(),
        domain: shortText('domain').optional(),
        agentId: shortText('agentId').optional(),
        converged: z.boolean().optional(),
      },
      outputSchema: z.looseObject({
        matches: z.array(z.looseObject({ score: z.number() })),
        recommendation: z.looseObject({ approach: z.string() }).nullable(),
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args) => {
      if ((args.query === undefined) === (args.patternId === undefined))
        throw new Error('give exactly one of "query" (task text) or "patternId" (an id from store_trm_pattern)');
      const engine = await ctx.engine();
      return jsonResult(await engine.findPatterns(args));
    },
  );
};
