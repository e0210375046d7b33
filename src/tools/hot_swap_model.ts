import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, shortText, text } from './util.js';

export const registerHotSwapModel: RegisterTool = (server, ctx) => {
  server.registerTool(
    'hot_swap_model',
    {
      title: 'Switch the local model',
      description: 'Switch the local model by id (models resource), GGUF path or server model; running requests finish first.',
      inputSchema: {
        id: shortText('id').optional(),
        path: text('path', 4096).optional(),
        serverModel: shortText('serverModel').optional(),
        baseUrl: z.url().optional(),
      },
      outputSchema: z.looseObject({ current: z.looseObject({ id: z.string() }), loadMs: z.number() }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) => {
      const given = [args.id, args.path, args.serverModel].filter((x) => x !== undefined).length;
      if (given !== 1)
        throw new Error(
          'give exactly one of "id" (from the models resource), "path" (a .gguf file) or "serverModel" (with optional "baseUrl")',
        );
      if (args.baseUrl && !args.serverModel) throw new Error('"baseUrl" goes with "serverModel"');
      const engine = await ctx.engine();
      return jsonResult(await engine.swap(args));
    },
  );
};
