/**
 * Which server a baseUrl from a tool call may point the server at: a configured server, a
 * literal loopback address or localhost; any other name only when every address it resolves
 * to is loopback, at swap time and again at every connection (DNS rebinding). A persisted swap
 * never wins over what the user configured, and one the current rules refuse is ignored.
 * Host names are resolved by an injected resolver: no traffic leaves the machine.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelManagerExtraOptions } from '../../src/engine/models/index.js';
import { checkServerAddress, isLoopbackAddress, type HostLookup } from '../../src/engine/models/server-address.js';
import type { ModelManagerOptions } from '../../src/engine/models/types.js';
import { modelsFixture, withManager } from '../helpers/models.js';
import { startOpenAIServer, type FakeServer } from '../helpers/openai-server.js';
import { tempDir } from '../helpers/tmp.js';

const EVIL = '127.0.0.1.evil.example';
const PUBLIC = '203.0.113.7'; // TEST-NET-3: documentation only, never routed

/** A resolver answering from a table the test can change; counts its calls. */
function resolver(table: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup: HostLookup = async (host) => {
    calls.push(host);
    const addrs = table[host];
    if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, calls, table };
}

/** Used as fetchImpl so that code which ignores the resolver still only ever talks to 127.0.0.1. */
const loopbackOnlyFetch: typeof fetch = (input, init) => {
  const u = new URL(String(input instanceof Request ? input.url : input));
  u.hostname = '127.0.0.1';
  return fetch(u, init);
};

describe('checkServerAddress', () => {
  const rules = (over: Partial<Parameters<typeof checkServerAddress>[1]> = {}) => ({
    servers: [] as string[],
    allowRemote: false,
    ...over,
  });

  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1'])
      expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['128.0.0.1', '0.0.0.0', '10.0.0.1', '169.254.169.254', '::2', '::', '::ffff:8.8.8.8', 'localhost', EVIL, ''])
      expect(isLoopbackAddress(a), a).toBe(false);
  });

  it('allows literal loopback addresses and localhost without resolving anything', async () => {
    const r = resolver({});
    for (const u of [
      'http://127.0.0.1:11434',
      'http://127.8.9.10:1/v1',
      'http://[::1]:8080',
      'http://[::ffff:127.0.0.1]:1',
      'http://localhost:1234',
      'http://127.1:9',
    ])
      expect((await checkServerAddress(u, rules({ lookup: r.lookup }))).via, u).toMatch(/loopback|localhost/);
    expect(r.calls).toEqual([]);
  });

  it('allows a configured server whatever it resolves to, by origin', async () => {
    const r = resolver({});
    const v = await checkServerAddress('http://gpu-box.lan:11434/v1/', rules({ servers: ['http://gpu-box.lan:11434'], lookup: r.lookup }));
    expect(v.via).toBe('configured');
    expect(r.calls).toEqual([]);
    await expect(
      checkServerAddress('http://gpu-box.lan:11435', rules({ servers: ['http://gpu-box.lan:11434'], lookup: r.lookup })),
    ).rejects.toThrow(/neither on this machine nor one of the configured servers/);
  });

  it('refuses a host name that resolves to a public address, naming the host and the address (the reported defect)', async () => {
    const r = resolver({ [EVIL]: [PUBLIC] });
    const err = await checkServerAddress(`http://${EVIL}:8080`, rules({ lookup: r.lookup })).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(EVIL);
    expect((err as Error).message).toContain(PUBLIC);
    expect((err as Error).message).toMatch(/neither on this machine nor one of the configured servers/);
    expect((err as Error).message).toMatch(/--allow-remote-servers/);
    expect((err as { kind?: string }).kind).toBe('caller');
    expect(r.calls).toEqual([EVIL]);
  });

  it('refuses a name with any non-loopback address, and a name that does not resolve', async () => {
    const r = resolver({ [EVIL]: ['127.0.0.1', PUBLIC], 'six.example': ['::1', '2001:db8::1'] });
    await expect(checkServerAddress(`http://${EVIL}:1`, rules({ lookup: r.lookup }))).rejects.toThrow(PUBLIC);
    await expect(checkServerAddress('http://six.example:1', rules({ lookup: r.lookup }))).rejects.toThrow('2001:db8::1');
    await expect(checkServerAddress('http://nowhere.example:1', rules({ lookup: r.lookup }))).rejects.toThrow(
      /cannot resolve nowhere\.example/,
    );
  });

  it('allows a name whose every address is loopback (it is checked again at every connection)', async () => {
    const r = resolver({ [EVIL]: ['127.0.0.1'], 'dual.example': ['127.0.0.1', '::1'] });
    expect((await checkServerAddress(`http://${EVIL}:1`, rules({ lookup: r.lookup }))).via).toBe('resolved to loopback');
    expect((await checkServerAddress('http://dual.example:1', rules({ lookup: r.lookup }))).via).toBe('resolved to loopback');
  });

  it('refuses addresses that are not loopback, credentials and other schemes', async () => {
    const r = resolver({});
    for (const u of ['http://169.254.169.254:80', 'http://10.0.0.1:11434', 'http://0.0.0.0:1', 'http://[::2]:1', 'http://128.0.0.1:1'])
      await expect(checkServerAddress(u, rules({ lookup: r.lookup })), u).rejects.toThrow(/neither on this machine/);
    await expect(checkServerAddress('http://user:pass@127.0.0.1:1', rules())).rejects.toThrow(/user name or password/);
    await expect(checkServerAddress('file:///etc/passwd', rules())).rejects.toThrow(/http/);
    await expect(checkServerAddress('not a url', rules())).rejects.toThrow(/not a URL/);
    expect(r.calls).toEqual([]);
  });

  it('allows anything with allowRemote (--allow-remote-servers), resolving nothing', async () => {
    const r = resolver({});
    expect((await checkServerAddress('http://10.0.0.1:11434', rules({ allowRemote: true, lookup: r.lookup }))).via).toBe(
      'remote servers allowed',
    );
    expect((await checkServerAddress(`http://${EVIL}:1`, rules({ allowRemote: true, lookup: r.lookup }))).via).toBe(
      'remote servers allowed',
    );
    expect(r.calls).toEqual([]);
  });
});

describe('hot swap to a server given by a tool call', () => {
  let srv: FakeServer;
  let port: string;
  beforeAll(async () => {
    srv = await startOpenAIServer({ models: ['m1'] });
    port = new URL(srv.url).port;
  });
  afterAll(async () => {
    await srv?.close();
  });

  /** A manager with no GGUF model (an empty models folder) and no configured servers. */
  const serverOnly = (lookup: HostLookup, over: Partial<ModelManagerOptions & ModelManagerExtraOptions> = {}) => {
    const fx = modelsFixture();
    const empty = join(tempDir('ruvllm-empty-'), 'models');
    mkdirSync(empty);
    return fx.options({ modelsDir: empty, lookup, fetchImpl: loopbackOnlyFetch, ...over } as Partial<
      ModelManagerOptions & ModelManagerExtraOptions
    >);
  };

  it('refuses a disguised loopback name that resolves to a public address, sending nothing', async () => {
    const r = resolver({ [EVIL]: [PUBLIC] });
    await withManager(serverOnly(r.lookup), async (mm) => {
      const before = srv.requests.length;
      const err = await mm.swap({ serverModel: 'm1', baseUrl: `http://${EVIL}:${port}` }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(PUBLIC);
      expect(srv.requests.length).toBe(before);
      expect(mm.status().active).toBeNull();
    });
  });

  it('a name that resolved to loopback at swap time but to a public address later is refused at connect time', async () => {
    const r = resolver({ [EVIL]: ['127.0.0.1'] });
    await withManager(serverOnly(r.lookup), async (mm) => {
      const s = await mm.swap({ serverModel: 'm1', baseUrl: `http://${EVIL}:${port}` });
      expect(s.current.baseUrl).toBe(`http://${EVIL}:${port}`);
      const ok = await mm.complete({ prompt: 'hi', maxTokens: 3 });
      expect(ok.text.length).toBeGreaterThan(0);
      // DNS rebinding: the same name now points elsewhere
      r.table[EVIL] = [PUBLIC];
      const before = srv.requests.length;
      const err = await mm.complete({ prompt: 'my password is hunter2', maxTokens: 3 }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(PUBLIC);
      expect(srv.requests.length).toBe(before);
    });
  });

  it('a name that turns public between the check and the connection is refused during the swap', async () => {
    const r = resolver({ [EVIL]: ['127.0.0.1'] });
    let n = 0;
    const flipping: HostLookup = async (h) => (n++ === 0 ? r.lookup(h) : [{ address: PUBLIC, family: 4 }]);
    await withManager(serverOnly(flipping), async (mm) => {
      const before = srv.requests.length;
      const err = await mm.swap({ serverModel: 'm1', baseUrl: `http://${EVIL}:${port}` }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(PUBLIC);
      expect(srv.requests.length).toBe(before);
      expect(mm.status().active).toBeNull();
    });
  });

  it('a literal loopback server needs no resolver and works', async () => {
    const r = resolver({});
    await withManager(serverOnly(r.lookup), async (mm) => {
      await mm.swap({ serverModel: 'm1', baseUrl: srv.url });
      expect((await mm.complete({ prompt: 'hi', maxTokens: 2 })).text.length).toBeGreaterThan(0);
      expect(r.calls).toEqual([]);
    });
  });
});

describe('a persisted swap at the next start', () => {
  let srv: FakeServer;
  beforeAll(async () => {
    srv = await startOpenAIServer({ models: ['m1'] });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('never wins over the model configured at start; the models status and log say it was ignored', async () => {
    const fx = modelsFixture();
    const r = resolver({});
    const opts = fx.options({ defaultModel: fx.modelA, lookup: r.lookup } as Partial<ModelManagerOptions & ModelManagerExtraOptions>);
    await withManager(opts, async (mm) => {
      mm.start();
      await mm.ready();
      await mm.swap({ serverModel: 'm1', baseUrl: srv.url });
      expect(mm.status().active?.backend).toBe('openai');
    });
    await withManager(opts, async (mm) => {
      mm.start();
      await mm.ready();
      const s = mm.status();
      expect(s.active?.id).toBe('gguf:tiny-a');
      expect(s.lastSwap).toMatchObject({ action: 'ignored', target: { serverModel: 'm1', baseUrl: srv.url } });
      expect(s.lastSwap?.reason).toMatch(/--model/);
    });
  });

  it('is restored without a configured model when the current rules allow it, and says so', async () => {
    const fx = modelsFixture();
    const r = resolver({});
    const opts = fx.options({ lookup: r.lookup } as Partial<ModelManagerOptions & ModelManagerExtraOptions>);
    await withManager(opts, async (mm) => {
      mm.start();
      await mm.ready();
      await mm.swap({ serverModel: 'm1', baseUrl: srv.url });
    });
    await withManager(opts, async (mm) => {
      mm.start();
      await mm.ready();
      const s = mm.status();
      expect(s.active?.backend).toBe('openai');
      expect(s.lastSwap).toMatchObject({ action: 'restored', target: { serverModel: 'm1', baseUrl: srv.url } });
    });
  });

  it('is ignored, with the reason, when the current rules refuse its server', async () => {
    const fx = modelsFixture();
    const port = new URL(srv.url).port;
    const r = resolver({ [EVIL]: ['127.0.0.1'] });
    const opts = fx.options({ lookup: r.lookup, fetchImpl: loopbackOnlyFetch } as Partial<ModelManagerOptions & ModelManagerExtraOptions>);
    await withManager(opts, async (mm) => {
      mm.start();
      await mm.ready();
      await mm.swap({ serverModel: 'm1', baseUrl: `http://${EVIL}:${port}` });
      expect(mm.status().active?.backend).toBe('openai');
    });
    r.table[EVIL] = [PUBLIC];
    const before = srv.requests.length;
    await withManager(opts, async (mm) => {
      mm.start();
      await mm.ready();
      const s = mm.status();
      expect(s.active?.backend).toBe('gguf'); // discovery's first model instead
      expect(s.lastSwap).toMatchObject({ action: 'ignored', target: { serverModel: 'm1', baseUrl: `http://${EVIL}:${port}` } });
      expect(s.lastSwap?.reason).toContain(PUBLIC);
    });
    expect(srv.requests.length).toBe(before);
  });

  it('made with --allow-any-model-path is ignored once that flag is off', async () => {
    const fx = modelsFixture();
    const other = tempDir('ruvllm-any-');
    const { writeTinyGguf } = await import('../../src/devtools/tiny-gguf.js');
    writeTinyGguf(join(other, 'elsewhere.gguf'), { name: 'elsewhere', seed: 5 });
    await withManager(fx.options({ allowAnyPath: true }), async (mm) => {
      mm.start();
      await mm.ready();
      await mm.swap({ path: join(other, 'elsewhere.gguf') });
    });
    await withManager(fx.options(), async (mm) => {
      mm.start();
      await mm.ready();
      const s = mm.status();
      expect(s.active?.name).not.toBe('elsewhere');
      expect(s.lastSwap).toMatchObject({ action: 'ignored' });
      expect(s.lastSwap?.reason).toMatch(/outside the model folders/);
    });
  });
});
