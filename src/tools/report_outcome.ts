import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, shortText, text } from './util.js';

export const registerReportOutcome: RegisterTool = (server, ctx) => {
  server.registerTool(
    'report_outcome',
    {
      title: "Report a routed task's outcome",
      description: 'How a route_task decision turned out; routing learns from it.',
      inputSchema: {
        decisionId: shortText('decisionId'),
        success: z.boolean(),
        quality: z.number().min(0).max(1).optional(),
        notes: text('notes', 4000).optional(),
        failure: z.enum(['quality', 'unavailable']).optional(),
      },
      outputSchema: z.looseObject({ recorded: z.boolean() }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args) => {
      const engine = await ctx.engine();
      return jsonResult(await engine.reportOutcome(args));
    },
  );
};
