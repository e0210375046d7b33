/**
 * Which model server a baseUrl from a tool call may point this process at. A tool argument may
 * come from a prompt-injected model, and the active model's server receives every prompt routed
 * "local", secrets included, so the rule is strict:
 * - the origin of a configured server (--servers) is allowed as is;
 * - a literal loopback address (127.0.0.0/8, ::1, IPv4-mapped 127/8) or `localhost` is allowed;
 * - any other host name is resolved (every address) and allowed only when EVERY address is
 *   loopback. Such a name is resolved again for every connection and the connection goes to
 *   the address just checked (pinnedLoopbackFetch), so a name that later resolves elsewhere
 *   (DNS rebinding) is refused before a byte is sent;
 * - anything else only with --allow-remote-servers (allowRemote).
 * Names that resolve to loopback are allowed because they reach nothing but this machine (an
 * /etc/hosts alias for a local server); the check at each connection keeps them there.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { CallerError } from '../errors.js';

/** Resolves a host name to all its addresses (dns.promises.lookup with all: true by default). */
export type HostLookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface ServerAddressRules {
  /** Configured servers (--servers): their origins are allowed as they are. */
  servers: string[];
  /** --allow-remote-servers: any http(s) server. */
  allowRemote: boolean;
  /** Resolver for host names (tests inject one so no traffic leaves the machine). */
  lookup?: HostLookup;
}

export type AddressVia = 'configured' | 'loopback' | 'localhost' | 'resolved to loopback' | 'remote servers allowed';

export interface AddressVerdict {
  origin: string;
  via: AddressVia;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for a literal IP address in 127.0.0.0/8 or ::1 (IPv4-mapped forms included). Never resolves names. */
export function isLoopbackAddress(ip: string): boolean {
  const a = ip.replace(/^\[(.*)\]$/, '$1');
  const v = isIP(a);
  return v !== 0 && LOOPBACK.check(a, v === 6 ? 'ipv6' : 'ipv4');
}

function origins(servers: string[]): Set<string> {
  const out = new Set<string>();
  for (const s of servers) {
    try {
      out.add(new URL(s).origin);
    } catch {
      /* config validation reports it */
    }
  }
  return out;
}

function parse(baseUrl: string): URL {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new CallerError(`baseUrl "${baseUrl}" is not a URL; give e.g. http://127.0.0.1:11434`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new CallerError(`baseUrl must start with http:// or https://, got "${baseUrl}"`);
  if (u.username || u.password) throw new CallerError('baseUrl must not contain a user name or password');
  return u;
}

/**
 * How `baseUrl` is reached without a check at connection: 'direct' (a configured server, a
 * loopback literal, localhost, or remote servers allowed) or 'pinned' (a host name that must be
 * resolved and checked again at every connection). Pure: resolves nothing.
 */
export function connectionKind(baseUrl: string, rules: ServerAddressRules): 'direct' | 'pinned' {
  const u = parse(baseUrl);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (rules.allowRemote || origins(rules.servers).has(u.origin) || host === 'localhost' || isIP(host) !== 0) return 'direct';
  return 'pinned';
}

function refused(origin: string, servers: string[], detail: string): CallerError {
  return new CallerError(
    `baseUrl ${origin} is neither on this machine nor one of the configured servers (${servers.join(', ') || 'none'}): ${detail}; ` +
      'add it with --servers, or start with --allow-remote-servers',
  );
}

/** Resolves `host` and returns its addresses when every one is loopback; throws a CallerError naming the others. */
async function loopbackAddresses(host: string, origin: string, rules: ServerAddressRules): Promise<{ address: string; family: number }[]> {
  let addrs: { address: string; family: number }[];
  try {
    addrs = await (rules.lookup ?? systemLookup)(host);
  } catch (err) {
    throw refused(origin, rules.servers, `cannot resolve ${host} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!addrs.length) throw refused(origin, rules.servers, `${host} resolves to no address`);
  const outside = addrs.filter((a) => !isLoopbackAddress(a.address));
  if (outside.length)
    throw refused(origin, rules.servers, `${host} resolves to ${outside.map((a) => a.address).join(', ')}, which is not this machine`);
  return addrs;
}

/** Decides whether a baseUrl from a tool call (or a persisted swap) is allowed; throws a CallerError saying why not. */
export async function checkServerAddress(baseUrl: string, rules: ServerAddressRules): Promise<AddressVerdict> {
  const u = parse(baseUrl);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (origins(rules.servers).has(u.origin)) return { origin: u.origin, via: 'configured' };
  if (rules.allowRemote) return { origin: u.origin, via: 'remote servers allowed' };
  if (host === 'localhost') return { origin: u.origin, via: 'localhost' };
  if (isIP(host) !== 0) {
    if (isLoopbackAddress(host)) return { origin: u.origin, via: 'loopback' };
    throw refused(u.origin, rules.servers, `${host} is not a loopback address`);
  }
  await loopbackAddresses(host, u.origin, rules);
  return { origin: u.origin, via: 'resolved to loopback' };
}

/**
 * A fetch that resolves the host name itself at every connection, refuses it unless every
 * address is loopback, and connects to the address it checked (node:http's `lookup` hook), so
 * the name cannot be re-pointed between the check and the connection. Only what the OpenAI
 * client uses: string bodies, streaming responses, abort signals.
 */
export function pinnedLoopbackFetch(rules: ServerAddressRules): typeof fetch {
  const lookup: LookupFunction = (hostname, options, callback) => {
    const cb = callback as (err: Error | null, address?: string | { address: string; family: number }[], family?: number) => void;
    loopbackAddresses(hostname, hostname, rules).then(
      (addrs) => {
        const fam = typeof options === 'object' && options?.family ? Number(options.family) : 0;
        const usable = fam === 4 || fam === 6 ? addrs.filter((a) => a.family === fam) : addrs;
        if (!usable.length) return cb(Object.assign(new Error(`${hostname} has no IPv${fam} loopback address`), { code: 'ENOTFOUND' }));
        if (typeof options === 'object' && options?.all) return cb(null, usable);
        cb(null, usable[0].address, usable[0].family);
      },
      (err: Error) => cb(Object.assign(new Error(err.message), { code: 'ENOTLOOPBACK' })),
    );
  };
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string')
      throw new TypeError('pinnedLoopbackFetch sends string bodies only');
    const body = init.body as string | undefined | null;
    if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined, lookup }, resolve);
      req.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
      req.end(body ?? undefined);
    });
    const status = res.statusCode ?? 0;
    const h = new Headers();
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
    const nullBody = status === 204 || status === 205 || status === 304 || init.method === 'HEAD';
    if (nullBody) res.resume();
    try {
      return new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
        status,
        statusText: res.statusMessage,
        headers: h,
      });
    } catch (err) {
      res.destroy();
      throw new TypeError('fetch failed', { cause: err });
    }
  }) as typeof fetch;
}
