/**
 * Request guards for the HTTP transport: DNS-rebinding protection (Host), cross-origin
 * protection (Origin), bearer-token authentication and CORS for the allowed origins.
 *
 * Every guard answers a refused request itself with a JSON-RPC error body, so a client
 * always gets a machine-readable reason. Nothing here writes to stdout.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import type { NextFunction, Request, Response } from 'express';
import { logger } from '../engine/log.js';

const log = logger('http');

/** Hostnames that always mean "this machine over loopback". IPv6 in URL (bracketed) form. */
export const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

/** True when `host` (a bind address or hostname, IPv6 with or without brackets) is loopback only. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (/^127(\.\d{1,3}){3}$/.test(h)) return h.split('.').every((p) => Number(p) <= 255);
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice(7));
  return false;
}

/** True for wildcard bind addresses (every interface). */
export function isWildcardHost(host: string): boolean {
  const h = host.trim().replace(/^\[(.*)\]$/, '$1');
  return h === '0.0.0.0' || h === '::' || h === '';
}

/** The JSON-RPC error body used for every refusal made by the transport itself. */
export function jsonRpcError(code: number, message: string, id: string | number | null = null, data?: unknown) {
  return { jsonrpc: '2.0' as const, error: data === undefined ? { code, message } : { code, message, data }, id };
}

function refuse(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(status).json(jsonRpcError(-32000, message));
}

/** Normalises a hostname for comparison: lower case, IPv6 bracketed. */
function normHostname(h: string): string {
  const lower = h.trim().toLowerCase();
  if (lower.includes(':') && !lower.startsWith('[')) return `[${lower}]`;
  return lower;
}

export interface HostRule {
  hostname: string;
  /** undefined: any port. */
  port?: number;
}

/**
 * Parses an allowed-host entry: "example.com" (any port), "example.com:8080", "[::1]:3000", "::1".
 */
export function parseHostRule(entry: string): HostRule {
  const e = entry.trim();
  if (!e) throw new Error('empty entry in allowed hosts; give hostnames like "myhost.local" or "myhost.local:8080"');
  // Bare IPv6 without brackets: whole thing is the hostname.
  if (!e.startsWith('[') && (e.match(/:/g)?.length ?? 0) > 1) return { hostname: normHostname(e) };
  let url: URL;
  try {
    url = new URL(`http://${e}`);
  } catch {
    throw new Error(`invalid allowed host "${entry}"; give a hostname with an optional port, e.g. "myhost.local:8080"`);
  }
  if (url.pathname !== '/' || url.username || url.search) {
    throw new Error(`invalid allowed host "${entry}"; give only a hostname and optional port, no scheme or path`);
  }
  const hasPort = /:\d+$/.test(e);
  return { hostname: normHostname(url.hostname), port: hasPort ? Number(e.slice(e.lastIndexOf(':') + 1)) : undefined };
}

/**
 * The Host rules a server bound to `bindHost:port` accepts by default: loopback names on the bound
 * port, the bound address itself, and for a wildcard bind every local interface address and the
 * machine's hostname. `extra` entries (from allowedHosts) are added as given.
 */
export function defaultHostRules(bindHost: string, port: number, extra: string[] = []): HostRule[] {
  const rules: HostRule[] = LOOPBACK_HOSTNAMES.map((hostname) => ({ hostname, port }));
  if (!isLoopbackHost(bindHost)) {
    if (isWildcardHost(bindHost)) {
      for (const list of Object.values(networkInterfaces())) {
        for (const ni of list ?? []) rules.push({ hostname: normHostname(ni.address.replace(/%.*$/, '')), port });
      }
      rules.push({ hostname: normHostname(osHostname()), port });
    } else {
      rules.push({ hostname: normHostname(bindHost), port });
    }
  }
  for (const e of extra) rules.push(parseHostRule(e));
  return rules;
}

/** Checks a Host header value against the rules. A Host without a port means port 80. */
export function hostAllowed(hostHeader: string | undefined, rules: HostRule[]): boolean {
  if (!hostHeader) return false;
  let url: URL;
  try {
    url = new URL(`http://${hostHeader}`);
  } catch {
    return false;
  }
  if (url.pathname !== '/' || url.username || url.password || url.search || url.hash) return false;
  const hostname = normHostname(url.hostname);
  const port = url.port === '' ? 80 : Number(url.port);
  return rules.some((r) => r.hostname === hostname && (r.port === undefined || r.port === port));
}

/**
 * Normalises an allowed-origin entry to URL origin form ("http://localhost:5173").
 * Throws with a usable message on anything that is not a scheme://host[:port].
 */
export function normalizeOrigin(entry: string): string {
  let url: URL;
  try {
    url = new URL(entry.trim());
  } catch {
    throw new Error(`invalid allowed origin "${entry}"; give scheme://host[:port], e.g. "http://localhost:5173"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`invalid allowed origin "${entry}"; only http: and https: origins can be allowed`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new Error(`invalid allowed origin "${entry}"; give only scheme://host[:port], no path`);
  }
  return url.origin;
}

/** What the server's own origin is: the Host rules it answers to, on the port it listens on. */
export interface SelfOrigin {
  hostRules: HostRule[];
  port: number;
}

/**
 * Origin check. An absent Origin is a non-browser client and is allowed. A present Origin
 * (including the opaque "null") must be in `allowed` or be the server's own origin: http: on the
 * server's port with a host the server answers to (its loopback names, bound address, allowed
 * hosts). A page on another port of localhost is another origin (another local app, or anything
 * a browser opened there) and is refused unless it is in `allowed`.
 */
export function originAllowed(origin: string | undefined, allowed: Set<string>, self?: SelfOrigin): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null", garbage
  }
  if (allowed.has(url.origin)) return true;
  if (!self || url.protocol !== 'http:') return false;
  const port = url.port === '' ? 80 : Number(url.port);
  return port === self.port && hostAllowed(url.host, self.hostRules);
}

/** Constant-time token comparison (hashing first so length differences do not leak either). */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

export interface SecurityOptions {
  hostRules: HostRule[];
  /** The port the server listens on (its own origin's port). */
  port: number;
  allowedOrigins: Set<string>;
  token?: string;
}

/**
 * One middleware for every request: Host, then Origin (with CORS headers and preflight answers
 * for allowed browser origins), then the bearer token.
 */
export function securityMiddleware(opts: SecurityOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const host = req.headers.host;
    if (!hostAllowed(host, opts.hostRules)) {
      log.warn('refused request: Host not allowed', { host: String(host ?? '').slice(0, 200), path: req.path });
      refuse(
        res,
        403,
        `Forbidden: Host "${String(host ?? '').slice(0, 200)}" is not allowed (DNS rebinding protection); ` +
          'connect through localhost/127.0.0.1 on the server port or add the name to --allowed-hosts',
      );
      return;
    }
    const origin = req.headers.origin;
    if (!originAllowed(origin, opts.allowedOrigins, opts)) {
      log.warn('refused request: Origin not allowed', { origin: String(origin).slice(0, 200), path: req.path });
      refuse(
        res,
        403,
        `Forbidden: Origin "${String(origin).slice(0, 200)}" is not allowed; ` +
          'a web page on another origin cannot call this server (add it to --allowed-origins if you trust it)',
      );
      return;
    }
    if (origin !== undefined) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', 'Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
        res.setHeader(
          'Access-Control-Allow-Headers',
          'Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID',
        );
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    if (opts.token !== undefined) {
      const auth = req.headers.authorization;
      const m = typeof auth === 'string' ? /^Bearer[ ]+(\S+)\s*$/i.exec(auth) : null;
      if (!m) {
        refuse(
          res,
          401,
          'Unauthorized: send "Authorization: Bearer <token>" (the token the server was given in RUVLLM_MCP_TOKEN or --token-file)',
          {
            'WWW-Authenticate': 'Bearer realm="ruvllm-mcp"',
          },
        );
        return;
      }
      if (!tokenMatches(m[1], opts.token)) {
        log.warn('refused request: wrong bearer token', { path: req.path });
        refuse(res, 401, 'Unauthorized: the bearer token is wrong', {
          'WWW-Authenticate': 'Bearer realm="ruvllm-mcp", error="invalid_token"',
        });
        return;
      }
    }
    next();
  };
}
