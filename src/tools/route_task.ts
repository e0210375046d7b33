import { z } from 'zod';
import type { RegisterTool } from './util.js';
import { filesArg, intIn, jsonResult, listOf, numIn, shortText, text } from './util.js';
import { STRATEGIES } from '../engine/router/types.js';

const strategy = z.enum(STRATEGIES as [string, ...string[]]);

const inputSchema = {
  task: text('task'),
  messages: listOf(z.object({ role: z.string(), content: text('message content') }), 'messages', 0, 256).optional(),
  contextTokens: intIn('contextTokens', 0, Number.MAX_SAFE_INTEGER).optional(),
  strategy: strategy.optional(),
  constraints: z
    .object({
      maxCostUsd: numIn('maxCostUsd', 0, Infinity).optional(),
      maxLatencyMs: numIn('maxLatencyMs', 0, Infinity, true).optional(),
      minQuality: numIn('minQuality', 0, 1).optional(),
    })
    .optional(),
  force: z.enum(['local', 'cloud']).optional(),
  agentId: shortText('agentId').optional(),
  files: filesArg().optional(),
};

/** Key fields; the full decision (complexity, privacy findings, estimate, confidence) is in the README. */
const outputSchema = z.looseObject({
  decisionId: z.string(),
  route: z.enum(['local', 'cloud', 'local_required']),
  redactedTask: z.string().optional(),
  reasons: z.array(z.string()),
});

export const registerRouteTask: RegisterTool = (server, ctx) => {
  server.registerTool(
    'route_task',
    {
      title: 'Route a task',
      description:
        'Local model or cloud for a task? Credentials and personal data never go to the cloud. files (paths) are scanned here, never returned.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      const engine = await ctx.engine();
      const { files, ...rest } = args;
      const input = { ...rest, strategy: args.strategy as (typeof STRATEGIES)[number] | undefined };
      if (!files) return jsonResult(await engine.route(input));
      return jsonResult(await engine.routeFiles(input, { files, clientRoots: await ctx.clientRoots?.(), signal: extra.signal }));
    },
  );
};
