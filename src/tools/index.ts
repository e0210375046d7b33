import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { withErrorKind, type RegisterTool, type ToolContext } from './util.js';
import { registerLocalComplete } from './local_complete.js';
import { registerRouteTask } from './route_task.js';
import { registerReportOutcome } from './report_outcome.js';
import { registerStoreTrmPattern } from './store_trm_pattern.js';
import { registerFindSimilarPatterns } from './find_similar_patterns.js';
import { registerCostReport } from './cost_report.js';
import { registerHotSwapModel } from './hot_swap_model.js';

/** The tool registry: one file per tool, registered in this order (tools/list shows this order). */
export const TOOLS: RegisterTool[] = [
  registerLocalComplete,
  registerRouteTask,
  registerReportOutcome,
  registerStoreTrmPattern,
  registerFindSimilarPatterns,
  registerCostReport,
  registerHotSwapModel,
];

export function registerTools(server: McpServer, ctx: ToolContext): void {
  // Every tool's errors carry their kind (see withErrorKind): the tools register through this view of the server.
  const kinded = Object.create(server) as McpServer;
  kinded.registerTool = ((name: string, config: object, handler: (...a: unknown[]) => unknown) =>
    (server.registerTool as (...a: unknown[]) => unknown)(name, config, withErrorKind(handler))) as McpServer['registerTool'];
  for (const register of TOOLS) register(kinded, ctx);
}
