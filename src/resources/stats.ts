import type { RegisterResource } from './util.js';
import { jsonContents } from './util.js';

export const STATS_URI = 'ruvllm://stats';

export const registerStatsResource: RegisterResource = (server, ctx) => {
  server.registerResource(
    'stats',
    STATS_URI,
    {
      title: 'Routing and backend stats',
      description:
        'Decisions by route, reason and complexity; privacy catches; latency p50/p95/p99 and tokens/s per backend; circuit breakers; queue depth. Subscribe for updates.',
      mimeType: 'application/json',
    },
    async (uri) => jsonContents(uri.href, await (await ctx.engine()).stats()),
  );
};
