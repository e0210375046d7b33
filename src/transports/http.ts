/**
 * HTTP transport: Streamable HTTP at /mcp (one McpServer per session from a factory, or stateless:
 * one per request) and the legacy HTTP+SSE endpoints (GET /sse + POST /messages?sessionId=...) in
 * one Express server, bound to 127.0.0.1 by default.
 *
 * Every request passes the guards in security.ts (Host, Origin, bearer token). Bodies are read
 * here with a size limit (413) and validated as JSON-RPC (guard.ts) before the SDK sees them.
 * Sessions are limited in number (503 + Retry-After) and closed after an idle period; a closed
 * session's server is closed and its cleanup run. Logs go to stderr only.
 */
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { logger } from '../engine/log.js';
import { HTTP_DEFAULTS } from './defaults.js';
import { parseJsonRpc } from './guard.js';
import { defaultHostRules, isLoopbackHost, jsonRpcError, normalizeOrigin, securityMiddleware } from './security.js';

const log = logger('http');

export type ServerFactory = () => { server: McpServer; cleanup?: () => Promise<void> };

export interface HttpServerOptions {
  /** Called once per session (or per request when stateless) to build a fresh McpServer. */
  factory: ServerFactory;
  /** Bind address. Default 127.0.0.1. Anything but loopback requires `token`. */
  host?: string;
  /** Port; 0 lets the OS choose (the chosen port is returned). */
  port: number;
  /** Bearer token required on every request when set. */
  token?: string;
  /** Browser origins allowed besides the server's own (http://localhost|127.0.0.1|[::1] on its port). */
  allowedOrigins?: string[];
  /** Extra Host header values allowed ("name" any port, "name:port"). */
  allowedHosts?: string[];
  /** Streamable HTTP without sessions: a new server per POST; GET/DELETE /mcp answer 405. */
  stateless?: boolean;
  /** Largest accepted request body in bytes (413 beyond). Default 4 MiB. */
  maxBodyBytes?: number;
  /** Most concurrently open sessions (Streamable HTTP + SSE). Default 100. */
  maxSessions?: number;
  /** Close a session after this long without a request. Default 30 minutes. */
  sessionIdleMs?: number;
  /**
   * At the session limit, a new session may replace the longest-idle Streamable HTTP session that
   * has no request running and no open stream (a client that went away without DELETE) once it
   * has been idle this long. Default min(60 s, sessionIdleMs).
   */
  evictIdleMs?: number;
}

export interface HttpServerHandle {
  /** The Streamable HTTP endpoint, e.g. http://127.0.0.1:3000/mcp. */
  url: string;
  /** The legacy SSE endpoint, e.g. http://127.0.0.1:3000/sse. */
  sseUrl: string;
  port: number;
  host: string;
  close(): Promise<void>;
  /** Open sessions (Streamable HTTP + SSE). */
  sessions(): number;
}

export { HTTP_DEFAULTS };

interface Session {
  id: string;
  kind: 'streamable' | 'sse';
  transport: StreamableHTTPServerTransport | SSEServerTransport;
  server: McpServer;
  cleanup?: () => Promise<void>;
  /** POST requests in flight: a session with one running is never idle. */
  inFlight: number;
  /** Open GET (standalone SSE) streams: a client listening is not gone. */
  streams: number;
  lastActive: number;
  closed: boolean;
}

type BodyRequest = Request & { jsonRpc?: { body: unknown; messages: JSONRPCMessage[] } };

function sendError(
  res: Response,
  status: number,
  code: number,
  message: string,
  id: string | number | null = null,
  headers: Record<string, string> = {},
) {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(status).json(jsonRpcError(code, message, id));
}

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number, got ${String(v)}`);
  return v;
}

/**
 * Starts the HTTP server. Refuses (throws) to bind a non-loopback address without a token.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServerHandle> {
  const host = opts.host ?? HTTP_DEFAULTS.host;
  const maxBodyBytes = positive('maxBodyBytes', opts.maxBodyBytes, HTTP_DEFAULTS.maxBodyBytes);
  const maxSessions = positive('maxSessions', opts.maxSessions, HTTP_DEFAULTS.maxSessions);
  const sessionIdleMs = positive('sessionIdleMs', opts.sessionIdleMs, HTTP_DEFAULTS.sessionIdleMs);
  const evictIdleMs = positive('evictIdleMs', opts.evictIdleMs, Math.min(60_000, sessionIdleMs));
  const token = opts.token === undefined || opts.token === '' ? undefined : opts.token;
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new Error(`port must be an integer from 0 to 65535 (0 = any free port), got ${String(opts.port)}`);
  }
  if (!isLoopbackHost(host) && token === undefined) {
    throw new Error(
      `refusing to listen on ${host} without a token: anyone who can reach this address could run the tools. ` +
        'Set a bearer token (RUVLLM_MCP_TOKEN or --token-file) or bind to 127.0.0.1 (the default).',
    );
  }
  if (token !== undefined && (token.length < 16 || /\s/.test(token))) {
    throw new Error('the bearer token must be at least 16 characters with no whitespace; generate one with `openssl rand -hex 32`');
  }
  const allowedOrigins = new Set((opts.allowedOrigins ?? []).map(normalizeOrigin));
  // Validate allowed hosts now (so a typo fails at start); rules are built once the port is known.
  defaultHostRules(host, 1, opts.allowedHosts ?? []);

  const sessions = new Map<string, Session>();
  /** Sessions being created (counted against the limit until they initialise or fail). */
  let pending = 0;
  let closing = false;

  const closeSession = async (s: Session, reason: string): Promise<void> => {
    if (s.closed) return;
    s.closed = true;
    sessions.delete(s.id);
    log.info('session closed', { session: s.id, kind: s.kind, reason });
    try {
      await s.server.close(); // closes the transport too
    } catch (e) {
      log.warn('error closing session server', { session: s.id, error: String(e) });
    }
    if (s.cleanup) {
      try {
        await s.cleanup();
      } catch (e) {
        log.warn('session cleanup failed', { session: s.id, error: String(e) });
      }
    }
  };

  const atCapacity = () => sessions.size + pending >= maxSessions;
  /** Frees a slot by closing the longest-idle abandoned Streamable HTTP session, if there is one. */
  const evictAbandoned = async (): Promise<boolean> => {
    const cutoff = Date.now() - evictIdleMs;
    let victim: Session | undefined;
    for (const s of sessions.values()) {
      if (s.kind !== 'streamable' || s.inFlight > 0 || s.streams > 0 || s.lastActive > cutoff) continue;
      if (!victim || s.lastActive < victim.lastActive) victim = s;
    }
    if (!victim) return false;
    await closeSession(victim, 'evicted at the session limit (idle, no open stream)');
    return true;
  };
  const retryAfterS = Math.max(1, Math.min(60, Math.ceil(sessionIdleMs / 1000 / 10)));
  const refuseCapacity = (res: Response, id: string | number | null = null) =>
    sendError(
      res,
      503,
      -32000,
      `Service Unavailable: ${maxSessions} sessions are open (the limit); retry after ${retryAfterS} s, ` +
        'close unused sessions (DELETE /mcp) or raise --max-sessions',
      id,
      { 'Retry-After': String(retryAfterS) },
    );

  const trackPost = (s: Session, res: Response) => {
    s.inFlight++;
    s.lastActive = Date.now();
    res.on('close', () => {
      s.inFlight--;
      s.lastActive = Date.now();
    });
  };

  /** Body reader: size limit, strict UTF-8, JSON, JSON-RPC shape. */
  const readBody = (req: BodyRequest, res: Response, next: NextFunction): void => {
    const ct = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (ct !== 'application/json') {
      sendError(res, 415, -32000, 'Unsupported Media Type: send the JSON-RPC message with Content-Type: application/json');
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length']);
    const tooLarge = () => {
      sendError(res, 413, -32000, `Payload Too Large: the request body must not exceed ${maxBodyBytes} bytes (--max-body)`, null, {
        Connection: 'close',
      });
      // Drain a little so the client can read the answer, then drop the connection.
      let drained = 0;
      req.on('data', (c: Buffer) => {
        drained += c.length;
        if (drained > 8 * maxBodyBytes) req.destroy();
      });
      req.resume();
    };
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      tooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > maxBodyBytes) {
        done = true;
        chunks.length = 0;
        req.off('data', onData);
        tooLarge();
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('error', (e) => {
      if (done) return;
      done = true;
      log.debug('request stream error', { error: String(e) });
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      const r = parseJsonRpc(Buffer.concat(chunks), { allowBatch: true, maxBatch: 100 });
      if (!r.ok) {
        sendError(res, 400, r.error.error.code, r.error.error.message, r.error.id);
        return;
      }
      const body = r.batch ? r.messages : r.messages[0];
      req.jsonRpc = { body, messages: r.messages };
      next();
    });
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Rules depend on the bound port, known only after listen(); the middleware reads them lazily.
  const security = { hostRules: defaultHostRules(host, opts.port, opts.allowedHosts ?? []), port: opts.port, allowedOrigins, token };
  app.use(securityMiddleware(security));

  // ---------------------------------------------------------------- Streamable HTTP
  const handleStateless = async (req: BodyRequest, res: Response) => {
    const { server, cleanup } = opts.factory();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      transport.close().catch(() => {});
      server.close().catch(() => {});
      cleanup?.().catch((e) => log.warn('stateless cleanup failed', { error: String(e) }));
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.jsonRpc?.body);
  };

  const handleMcp = async (req: BodyRequest, res: Response) => {
    if (closing) return sendError(res, 503, -32000, 'Service Unavailable: the server is shutting down', null, { 'Retry-After': '5' });
    if (opts.stateless) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return sendError(res, 405, -32000, 'Method Not Allowed: this server is stateless; only POST /mcp is supported');
      }
      return handleStateless(req, res);
    }
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId !== undefined) {
      const s = sessions.get(sessionId);
      if (!s || s.closed) {
        return sendError(res, 404, -32001, 'Session not found: it ended or expired; start a new one with an initialize request');
      }
      if (s.kind !== 'streamable') {
        return sendError(res, 400, -32000, 'Bad Request: this session id belongs to an SSE session; post to /messages?sessionId=...');
      }
      if (req.method === 'POST') trackPost(s, res);
      else {
        s.lastActive = Date.now();
        if (req.method === 'GET') {
          s.streams++;
          res.on('close', () => {
            s.streams--;
            s.lastActive = Date.now();
          });
        }
      }
      await (s.transport as StreamableHTTPServerTransport).handleRequest(req, res, req.jsonRpc?.body);
      return;
    }
    if (req.method !== 'POST' || !req.jsonRpc || !req.jsonRpc.messages.some(isInitializeRequest)) {
      const initButNotPost = req.method !== 'POST';
      return sendError(
        res,
        400,
        -32000,
        initButNotPost
          ? 'Bad Request: Mcp-Session-Id header is required; initialize a session with POST /mcp first'
          : 'Bad Request: no Mcp-Session-Id header; the first request of a session must be initialize',
      );
    }
    const initId = (req.jsonRpc.messages.find(isInitializeRequest) as { id?: string | number } | undefined)?.id ?? null;
    if (atCapacity() && !(await evictAbandoned())) return refuseCapacity(res, initId);
    pending++;
    let reserved = true;
    const release = () => {
      if (reserved) {
        reserved = false;
        pending--;
      }
    };
    let created: { server: McpServer; cleanup?: () => Promise<void> };
    try {
      created = opts.factory();
    } catch (e) {
      release();
      throw e;
    }
    const session: Session = {
      id: '',
      kind: 'streamable',
      transport: undefined as unknown as StreamableHTTPServerTransport,
      server: created.server,
      cleanup: created.cleanup,
      inFlight: 0,
      streams: 0,
      lastActive: Date.now(),
      closed: false,
    };
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        session.id = sid;
        release();
        sessions.set(sid, session);
        log.info('session opened', { session: sid, kind: 'streamable', open: sessions.size });
      },
    });
    session.transport = transport;
    transport.onclose = () => {
      if (session.id) void closeSession(session, 'transport closed');
    };
    try {
      await created.server.connect(transport);
      trackPost(session, res);
      await transport.handleRequest(req, res, req.jsonRpc.body);
    } finally {
      release();
      if (!session.id) {
        // initialize was refused by the transport: nothing will ever use this server again
        session.closed = true;
        await created.server.close().catch(() => {});
        await created.cleanup?.().catch(() => {});
      }
    }
  };

  const wrap = (fn: (req: BodyRequest, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => {
    fn(req as BodyRequest, res).catch(next);
  };

  app.post('/mcp', readBody, wrap(handleMcp));
  app.get('/mcp', wrap(handleMcp));
  app.delete('/mcp', wrap(handleMcp));
  app.all('/mcp', (_req, res) => {
    res.setHeader('Allow', 'GET, POST, DELETE');
    sendError(res, 405, -32000, 'Method Not Allowed: use GET, POST or DELETE on /mcp');
  });

  // ---------------------------------------------------------------- legacy HTTP+SSE
  app.get(
    '/sse',
    wrap(async (_req, res) => {
      if (closing) return sendError(res, 503, -32000, 'Service Unavailable: the server is shutting down', null, { 'Retry-After': '5' });
      if (atCapacity() && !(await evictAbandoned())) return refuseCapacity(res);
      const { server, cleanup } = opts.factory();
      const transport = new SSEServerTransport('/messages', res);
      const session: Session = {
        id: transport.sessionId,
        kind: 'sse',
        transport,
        server,
        cleanup,
        inFlight: 0,
        streams: 0,
        lastActive: Date.now(),
        closed: false,
      };
      sessions.set(session.id, session);
      transport.onclose = () => void closeSession(session, 'stream closed');
      res.on('close', () => void closeSession(session, 'client disconnected'));
      log.info('session opened', { session: session.id, kind: 'sse', open: sessions.size });
      await server.connect(transport);
    }),
  );
  app.post(
    '/messages',
    readBody,
    wrap(async (req, res) => {
      const sid = typeof req.query.sessionId === 'string' ? req.query.sessionId : undefined;
      if (!sid) return sendError(res, 400, -32000, 'Bad Request: the sessionId query parameter is required (from the /sse endpoint event)');
      const s = sessions.get(sid);
      if (!s || s.closed) return sendError(res, 404, -32001, 'Session not found: open a new SSE stream with GET /sse');
      if (s.kind !== 'sse') return sendError(res, 400, -32000, 'Bad Request: this is a Streamable HTTP session; post to /mcp');
      trackPost(s, res);
      const messages = req.jsonRpc!.messages;
      const transport = s.transport as SSEServerTransport;
      if (messages.length === 1) {
        await transport.handlePostMessage(req, res, messages[0]);
        return;
      }
      // a batch: each message is handled; the answers arrive on the SSE stream
      const requestInfo = { headers: req.headers };
      for (const m of messages) await transport.handleMessage(m, { requestInfo });
      res.status(202).end('Accepted');
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, sessions: sessions.size });
  });

  app.use((req: Request, res: Response) => {
    sendError(
      res,
      404,
      -32000,
      `Not Found: ${req.method} ${req.path.slice(0, 200)}; the MCP endpoints are /mcp (Streamable HTTP) and /sse + /messages (legacy SSE)`,
    );
  });
  // four parameters: Express treats a handler as an error handler by its arity
  app.use((e: unknown, _req: Request, res: Response, _next: NextFunction) => {
    log.error('request failed', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    sendError(res, 500, -32603, 'Internal error');
  });

  const httpServer: HttpServer = await new Promise((resolve, reject) => {
    const srv = app.listen(opts.port, host);
    srv.once('listening', () => resolve(srv));
    srv.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `port ${opts.port} on ${host} is already in use; pick another with --port (0 = any free port)`
            : `cannot listen on ${host}:${opts.port}: ${e.message}`,
        ),
      );
    });
  });
  // Idle keep-alive sockets stay open longer than common client pools keep them (undici 4 s from
  // the hint, others up to 60 s), so a client never sends on a socket the server is closing.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const port = (httpServer.address() as AddressInfo).port;
  security.hostRules = defaultHostRules(host, port, opts.allowedHosts ?? []);
  security.port = port;

  const sweepEvery = Math.max(20, Math.min(60_000, Math.floor(sessionIdleMs / 2)));
  const sweeper = setInterval(() => {
    const cutoff = Date.now() - sessionIdleMs;
    for (const s of [...sessions.values()]) {
      if (s.inFlight === 0 && s.lastActive < cutoff) void closeSession(s, 'idle');
    }
  }, sweepEvery);
  sweeper.unref();

  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const base = `http://${urlHost}:${port}`;
  log.info('HTTP transport listening', {
    url: `${base}/mcp`,
    sse: `${base}/sse`,
    stateless: !!opts.stateless,
    auth: token ? 'bearer' : 'none',
    maxSessions,
    sessionIdleMs,
    maxBodyBytes,
  });

  return {
    url: `${base}/mcp`,
    sseUrl: `${base}/sse`,
    port,
    host,
    sessions: () => sessions.size,
    close: async () => {
      if (closing) return;
      closing = true;
      clearInterval(sweeper);
      await Promise.all([...sessions.values()].map((s) => closeSession(s, 'server shutting down')));
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}
