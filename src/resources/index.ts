import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolContext } from '../tools/util.js';
import type { RegisterResource } from './util.js';
import { registerStatsResource } from './stats.js';
import { registerModelsResource } from './models.js';
import { registerPatternResources } from './patterns.js';

/** The resource registry: one file per resource (or family of URIs), registered in this order. */
export const RESOURCES: RegisterResource[] = [registerStatsResource, registerModelsResource, registerPatternResources];

export function registerResources(server: McpServer, ctx: ToolContext): void {
  for (const register of RESOURCES) register(server, ctx);
}
