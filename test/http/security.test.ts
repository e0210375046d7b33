import { describe, expect, it } from 'vitest';
import {
  defaultHostRules,
  hostAllowed,
  isLoopbackHost,
  normalizeOrigin,
  originAllowed,
  parseHostRule,
  tokenMatches,
} from '../../src/transports/security.js';
import { parseJsonRpc, validateJsonRpc } from '../../src/transports/guard.js';

describe('security helpers', () => {
  it('recognises loopback bind addresses only', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.0.1', '127.0.0.1.evil.com', '128.0.0.1', '127.999.0.1', 'localhost.evil']) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });

  it('checks Host against loopback names on the bound port plus extras', () => {
    const rules = defaultHostRules('127.0.0.1', 3000, ['mcp.lan']);
    expect(hostAllowed('localhost:3000', rules)).toBe(true);
    expect(hostAllowed('LOCALHOST:3000', rules)).toBe(true);
    expect(hostAllowed('[::1]:3000', rules)).toBe(true);
    expect(hostAllowed('mcp.lan:1234', rules)).toBe(true);
    expect(hostAllowed('localhost:3001', rules)).toBe(false);
    expect(hostAllowed('localhost', rules)).toBe(false); // port 80 implied
    expect(hostAllowed('evil.com:3000', rules)).toBe(false);
    expect(hostAllowed(undefined, rules)).toBe(false);
    expect(hostAllowed('localhost:3000/x', rules)).toBe(false);
    expect(hostAllowed('a b', rules)).toBe(false);
    expect(parseHostRule('[::1]:8080')).toEqual({ hostname: '[::1]', port: 8080 });
    expect(parseHostRule('::1')).toEqual({ hostname: '[::1]' });
    expect(() => parseHostRule('http://x/y')).toThrow(/invalid allowed host/);
  });

  it("allows absent origins, the server's own and configured ones; refuses other ports, foreign and opaque ones", () => {
    const allowed = new Set([normalizeOrigin('https://app.example.com/')]);
    const self = { hostRules: defaultHostRules('127.0.0.1', 3000, ['mcp.lan']), port: 3000 };
    expect(originAllowed(undefined, allowed, self)).toBe(true);
    expect(originAllowed('http://localhost:3000', allowed, self)).toBe(true);
    expect(originAllowed('http://127.0.0.1:3000', allowed, self)).toBe(true);
    expect(originAllowed('http://[::1]:3000', allowed, self)).toBe(true);
    expect(originAllowed('http://mcp.lan:3000', allowed, self)).toBe(true); // an allowed Host on the server's port
    expect(originAllowed('https://app.example.com', allowed, self)).toBe(true);
    for (const o of [
      'http://localhost:1',
      'http://localhost',
      'https://[::1]',
      'https://localhost:3000',
      'http://mcp.lan:3001',
      'null',
      '',
      'https://evil.com',
      'http://localhost.evil.com:3000',
      'ftp://localhost:3000',
      'http://app.example.com',
    ]) {
      expect(originAllowed(o, allowed, self), o).toBe(false);
    }
    expect(() => normalizeOrigin('app.example.com')).toThrow(/scheme:\/\/host/);
    expect(() => normalizeOrigin('https://a.com/path')).toThrow(/no path/);
  });

  it('compares tokens exactly', () => {
    expect(tokenMatches('abcdefabcdefabcdef', 'abcdefabcdefabcdef')).toBe(true);
    expect(tokenMatches('abcdefabcdefabcdeF', 'abcdefabcdefabcdef')).toBe(false);
    expect(tokenMatches('abc', 'abcdefabcdefabcdef')).toBe(false);
    expect(tokenMatches('', 'x')).toBe(false);
  });
});

describe('JSON-RPC guard', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('passes valid messages and batches', () => {
    const r = parseJsonRpc(enc('{"jsonrpc":"2.0","id":1,"method":"ping"}'));
    expect(r.ok && r.messages.length).toBe(1);
    const b = parseJsonRpc(enc('[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"}]'), {
      allowBatch: true,
    });
    expect(b.ok && b.batch).toBe(true);
  });
  it('answers parse errors and invalid requests with the id when recoverable', () => {
    const cases: Array<[string | Uint8Array, number, string | number | null, RegExp]> = [
      ['{', -32700, null, /Parse error/],
      [new Uint8Array([0x22, 0xc3, 0x28, 0x22]), -32700, null, /UTF-8/],
      ['[]', -32600, null, /batch/],
      ['"x"', -32600, null, /must be an object, got string/],
      ['{"jsonrpc":"1.0","id":3,"method":"ping"}', -32600, 3, /"jsonrpc"/],
      ['{"jsonrpc":"2.0","id":"a","method":{}}', -32600, 'a', /"method" must be a string/],
      ['{"jsonrpc":"2.0","id":1.5,"method":"ping"}', -32600, null, /"id"/],
      ['{"jsonrpc":"2.0","id":4,"method":"ping","params":[1]}', -32600, 4, /"params"/],
      ['{"jsonrpc":"2.0","id":5,"method":"ping","x":1}', -32600, 5, /unexpected field/],
      ['{"jsonrpc":"2.0","id":6}', -32600, 6, /needs "method"/],
    ];
    for (const [input, code, id, msg] of cases) {
      const r = parseJsonRpc(typeof input === 'string' ? enc(input) : input, { allowBatch: true });
      expect(r.ok, String(input)).toBe(false);
      if (!r.ok) {
        expect(r.error.error.code, String(input)).toBe(code);
        expect(r.error.id, String(input)).toBe(id);
        expect(r.error.error.message, String(input)).toMatch(msg);
      }
    }
    expect(validateJsonRpc([{ jsonrpc: '2.0', id: 1, method: 'ping' }]).ok).toBe(false); // batches off by default
  });
});
