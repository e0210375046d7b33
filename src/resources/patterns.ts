import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RegisterResource } from './util.js';
import { jsonContents } from './util.js';

export const PATTERNS_URI = 'ruvllm://patterns';
export const patternUri = (id: string) => `${PATTERNS_URI}/${encodeURIComponent(id)}`;
const PAGE_SIZE = 50;

export const registerPatternResources: RegisterResource = (server, ctx) => {
  const page = async (uri: string, cursor?: string) => {
    const { total, items, nextCursor } = await (await ctx.engine()).listPatterns({ cursor, limit: PAGE_SIZE });
    return jsonContents(uri, {
      total,
      items,
      nextCursor,
      next: nextCursor ? `${PATTERNS_URI}/page/${encodeURIComponent(nextCursor)}` : null,
    });
  };
  server.registerResource(
    'patterns',
    PATTERNS_URI,
    {
      title: 'Pattern bank',
      description: `Stored reasoning patterns, ${PAGE_SIZE} a page in the order they were stored; "next" is the URI of the next page. One pattern: ${PATTERNS_URI}/{id}.`,
      mimeType: 'application/json',
    },
    async (uri) => page(uri.href),
  );
  server.registerResource(
    'patterns-page',
    new ResourceTemplate(`${PATTERNS_URI}/page/{cursor}`, { list: undefined }),
    { title: 'Pattern bank page', description: 'A further page of the pattern bank.', mimeType: 'application/json' },
    async (uri, vars) => page(uri.href, decodeURIComponent(String(vars.cursor))),
  );
  server.registerResource(
    'pattern',
    new ResourceTemplate(`${PATTERNS_URI}/{id}`, { list: undefined }),
    { title: 'One pattern', description: 'One stored pattern by id.', mimeType: 'application/json' },
    async (uri, vars) => {
      const id = decodeURIComponent(String(vars.id));
      return jsonContents(uri.href, await (await ctx.engine()).getPattern(id));
    },
  );
};
