import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { jsonResult, shortText, text } from './util.js';

const model = z
  .object({
    id: z.string(),
    name: z.string(),
    backend: z.string(),
    source: z.string(),
    path: z.string().optional(),
    baseUrl: z.string().optional(),
    sizeBytes: z.number().optional(),
    architecture: z.string().optional(),
    contextLength: z.number().optional(),
    quantization: z.string().optional(),
    experimental: z.boolean().optional(),
  })
  .loose();

export const registerHotSwapModel: RegisterTool = (server, ctx) => {
  server.registerTool(
    'hot_swap_model',
    {
      title: 'Switch the local model',
      description:
        'Switch the active local model without a restart: by id (see the models resource), GGUF path, or server model name. Running requests finish on the old model.',
      inputSchema: {
        id: shortText('id').optional(),
        path: text('path', 4096).optional(),
        serverModel: shortText('serverModel').optional(),
        baseUrl: z.string().url().max(2048).optional(),
      },
      outputSchema: { previous: model.nullable(), current: model, loadMs: z.number() },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) => {
      const given = [args.id, args.path, args.serverModel].filter((x) => x !== undefined).length;
      if (given !== 1) throw new Error('give exactly one of "id" (from the models resource), "path" (a .gguf file) or "serverModel" (with optional "baseUrl")');
      if (args.baseUrl && !args.serverModel) throw new Error('"baseUrl" goes with "serverModel"');
      const engine = await ctx.engine();
      return jsonResult(await engine.swap(args));
    },
  );
};
