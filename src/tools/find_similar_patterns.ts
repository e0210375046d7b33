import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, shortText, text } from './util.js';
import { patternOutput } from './store_trm_pattern.js';

export const registerFindSimilarPatterns: RegisterTool = (server, ctx) => {
  server.registerTool(
    'find_similar_patterns',
    {
      title: 'Find similar patterns',
      description: 'Nearest stored reasoning patterns to a task (or to a stored pattern), with scores and a recommended approach.',
      inputSchema: {
        query: text('query', 20_000).optional(),
        patternId: shortText('patternId').optional(),
        k: z.number().int().min(1).max(100).optional(),
        minQuality: z.number().min(0).max(1).optional(),
        tags: z.array(z.string().min(1).max(64)).max(32).optional(),
        domain: shortText('domain').optional(),
        agentId: shortText('agentId').optional(),
        converged: z.boolean().optional(),
      },
      outputSchema: {
        matches: z.array(
          z.object({ pattern: patternOutput.loose(), score: z.number(), vectorScore: z.number(), lexicalScore: z.number() }),
        ),
        recommendation: z.object({ approach: z.string(), patternId: z.string(), confidence: z.number() }).nullable(),
        embedder: z.string(),
      },
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
