import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from '../tools/util.js';
import { registerStatsResource } from './stats.js';
import { registerModelsResource } from './models.js';
import { registerPatternResources } from './patterns.js';

export function registerResources(server: McpServer, ctx: ToolContext): void {
  registerStatsResource(server, ctx);
  registerModelsResource(server, ctx);
  registerPatternResources(server, ctx);
}
