import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from './util.js';
import { registerLocalComplete } from './local_complete.js';
import { registerRouteTask } from './route_task.js';
import { registerReportOutcome } from './report_outcome.js';
import { registerStoreTrmPattern } from './store_trm_pattern.js';
import { registerFindSimilarPatterns } from './find_similar_patterns.js';
import { registerCostReport } from './cost_report.js';
import { registerHotSwapModel } from './hot_swap_model.js';

export const TOOLS = [
  registerLocalComplete,
  registerRouteTask,
  registerReportOutcome,
  registerStoreTrmPattern,
  registerFindSimilarPatterns,
  registerCostReport,
  registerHotSwapModel,
];

export function registerTools(server: McpServer, ctx: ToolContext): void {
  for (const register of TOOLS) register(server, ctx);
}
