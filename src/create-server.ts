/**
 * The server factory: createServer() returns one McpServer wired to the engine (the tool
 * registry in tools/index.ts, the resources, subscriptions, MCP logging and the client's
 * roots) and a cleanup for when its connection ends. Transports call it once per
 * connection/session; the engine is shared and owned by the caller (src/serve.ts).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  RootsListChangedNotificationSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type LoggingLevel,
} from '@modelcontextprotocol/sdk/types.js';
import { fileURLToPath } from 'node:url';
import type { Engine, EngineEvent } from './engine/engine.js';
import { addLogSink, logger, type LogRecord } from './engine/log.js';
import { registerTools } from './tools/index.js';
import { registerResources } from './resources/index.js';
import { STATS_URI } from './resources/stats.js';
import { MODELS_URI } from './resources/models.js';
import { PATTERNS_URI, patternUri } from './resources/patterns.js';
import { VERSION } from './version.js';

export interface CreateServerOptions {
  engine: () => Promise<Engine>;
  /** Least time between two stats updates sent to a subscriber. */
  statsUpdateMs?: number;
}

const SEVERITY: LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

export const INSTRUCTIONS =
  'Offload private or simple work to a local model. Call route_task first: when it says local (or local_required), use local_complete; ' +
  'after the task, report how it went (report_outcome or store_trm_pattern with decisionId). find_similar_patterns recalls approaches that worked. ' +
  'Pass material as files (paths, folders, globs), never pasted: what you read or write is sent to the cloud and billed; files are read here only.';

/** How long a tool call waits for the client's roots/list answer. */
const ROOTS_TIMEOUT_MS = 3000;
const log = logger('mcp');

export function createServer(opts: CreateServerOptions): { server: McpServer; cleanup: () => Promise<void> } {
  const server = new McpServer(
    { name: 'ruvllm-mcp', title: 'ruvllm local model offload', version: VERSION },
    {
      capabilities: { tools: {}, resources: { subscribe: true, listChanged: true }, logging: {} },
      instructions: INSTRUCTIONS,
    },
  );
  // The client's roots (where it offers them): asked once, again after roots/list_changed.
  let roots: Promise<string[]> | null = null;
  const fetchRoots = async (): Promise<string[]> => {
    if (!server.server.getClientCapabilities()?.roots) return [];
    try {
      const r = await server.server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS });
      const paths: string[] = [];
      for (const root of r.roots) {
        try {
          if (root.uri.startsWith('file://')) paths.push(fileURLToPath(root.uri));
        } catch {
          /* not a local file URI: not a folder we can read */
        }
      }
      return paths;
    } catch (e) {
      log.warn('the client did not list its roots', { error: (e as Error).message });
      roots = null; // ask again on the next call
      return [];
    }
  };
  const clientRoots = () => (roots ??= fetchRoots());
  server.server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
    roots = null;
  });
  const ctx = { engine: opts.engine, clientRoots };
  registerTools(server, ctx);
  registerResources(server, ctx);

  const subscribed = new Set<string>();
  server.server.setRequestHandler(SubscribeRequestSchema, async (req) => {
    subscribed.add(req.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
    subscribed.delete(req.params.uri);
    return {};
  });

  // MCP logging: only to a client that asked for it with logging/setLevel.
  let clientLevel: LoggingLevel | null = null;
  server.server.setRequestHandler(SetLevelRequestSchema, async (req) => {
    clientLevel = req.params.level;
    return {};
  });
  const removeSink = addLogSink((rec: LogRecord) => {
    if (!clientLevel || !server.isConnected()) return;
    if (SEVERITY.indexOf(rec.level) < SEVERITY.indexOf(clientLevel)) return;
    const { level, module, msg, time, ...rest } = rec;
    void server.sendLoggingMessage({ level, logger: module, data: { msg, time, ...rest } }).catch(() => undefined);
  });

  const updated = (uri: string) => {
    if (subscribed.has(uri) && server.isConnected()) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  };
  const statsEvery = opts.statsUpdateMs ?? 1000;
  let statsTimer: NodeJS.Timeout | null = null;
  let lastStats = 0;
  const statsChanged = () => {
    if (!subscribed.has(STATS_URI) || statsTimer) return;
    const wait = Math.max(0, lastStats + statsEvery - Date.now());
    statsTimer = setTimeout(() => {
      statsTimer = null;
      lastStats = Date.now();
      updated(STATS_URI);
    }, wait);
    statsTimer.unref();
  };
  const onEvent = (ev: EngineEvent) => {
    if (ev.type === 'stats') statsChanged();
    else if (ev.type === 'models') updated(MODELS_URI);
    else if (ev.type === 'patterns') {
      updated(PATTERNS_URI);
      updated(patternUri(ev.change.id));
      if (ev.change.type !== 'updated' && server.isConnected()) server.sendResourceListChanged();
    }
  };
  let detach: (() => void) | null = null;
  let closed = false;
  void opts
    .engine()
    .then((engine) => {
      if (!closed) detach = engine.on(onEvent);
    })
    .catch(() => undefined);

  return {
    server,
    cleanup: async () => {
      closed = true;
      detach?.();
      removeSink();
      if (statsTimer) clearTimeout(statsTimer);
      await server.close().catch(() => undefined);
    },
  };
}
