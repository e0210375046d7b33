import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { protocolStdout } from '../stdout-guard.js';
import { GuardedStdioServerTransport } from './guarded-stdio.js';

/**
 * Serves one McpServer over stdin/stdout (the guarded transport answers
 * malformed lines instead of dropping them); resolves `closed` when stdin ends.
 */
export async function serveStdio(server: McpServer): Promise<{ closed: Promise<void> }> {
  const transport = new GuardedStdioServerTransport(process.stdin, protocolStdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  // server.connect() keeps this onclose and chains its own behind it.
  await server.connect(transport);
  return { closed };
}
