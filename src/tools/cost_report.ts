import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, shortText } from './util.js';

const isoDate = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a date: use ISO 8601, e.g. 2026-11-01 or 2026-11-01T12:00:00Z');

export const registerCostReport: RegisterTool = (server, ctx) => {
  server.registerTool(
    'cost_report',
    {
      title: 'Cost report',
      description: 'Savings of offloading (gross, delegation overhead, local cost, net) for a period.',
      inputSchema: {
        period: z.enum(['hour', 'day', 'week', 'month', 'all']).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        groupBy: z.enum(['model', 'route', 'strategy', 'agent', 'day', 'node', 'none']).optional(),
        format: z.enum(['json', 'csv']).optional(),
        hostModel: shortText('hostModel').optional(),
      },
      outputSchema: z.looseObject({ report: z.looseObject({}), csv: z.string().optional() }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) => {
      if (args.period && (args.from || args.to)) throw new Error('give either "period" or a "from"/"to" range, not both');
      const engine = await ctx.engine();
      const report = await engine.costReport(args);
      const out: { report: typeof report; csv?: string } = { report };
      if (args.format === 'csv') out.csv = engine.costReportCsv(report);
      return jsonResult(out);
    },
  );
};
