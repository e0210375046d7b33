import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, shortText, text } from './util.js';

export const registerReportOutcome: RegisterTool = (server, ctx) => {
  server.registerTool(
    'report_outcome',
    {
      title: 'Report a routed task\'s outcome',
      description: 'Tell the router how a task routed by route_task went, so similar tasks are routed better next time.',
      inputSchema: {
        decisionId: shortText('decisionId'),
        success: z.boolean(),
        quality: z.number().min(0).max(1).optional(),
        notes: text('notes', 4000).optional(),
      },
      outputSchema: { decisionId: z.string(), recorded: z.boolean(), route: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args) => {
      const engine = await ctx.engine();
      return jsonResult(engine.reportOutcome(args));
    },
  );
};
