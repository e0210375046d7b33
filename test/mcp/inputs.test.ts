// Files by reference through a real MCP client: the server reads them, the host gets only a
// small, guarded result. An OpenAI-compatible server started here echoes the prompt it was
// given (a model that repeats what it read), so the output guard, not luck, stops a leak.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import { createServer } from '../../src/create-server.js';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';
import { isolatedEngineOptions, tempDir } from '../helpers/mcp.js';
import { startOpenAIServer, type FakeServer } from '../helpers/openai-server.js';

const SECRETS = {
  github: 'ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5',
  stripe: 'sk_live_' + '51HqLyjWDarjtT1zdp7dcXq9',
  aws: 'AKIA' + 'Z7QW3ERT5YUI8OPL',
  password: 'Tr0ub4dor&3xyzQ!',
  email: 'maria.gonzalez@clinic-mail.org',
  card: '4539 1488 0343 6467',
  ssn: '512-44-9021',
};
const VALUES = Object.values(SECRETS);

interface Harness {
  client: Client;
  engine: Engine;
  close(): Promise<void>;
  setRoots(paths: string[]): Promise<void>;
}

/** A real server and client in process; the client offers `roots` when given. */
async function connect(opts: Partial<EngineOptions>, roots?: string[]): Promise<Harness> {
  const engine = new Engine(isolatedEngineOptions(tempDir(), opts));
  engine.start();
  const { server, cleanup } = createServer({ engine: async () => engine });
  const [ct, st] = InMemoryTransport.createLinkedPair();
  await server.connect(st);
  let current = roots ?? [];
  const client = new Client({ name: 'inputs-test', version: '0.0.0' }, roots ? { capabilities: { roots: { listChanged: true } } } : {});
  if (roots)
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: current.map((p) => ({ uri: pathToFileURL(p).href, name: p })),
    }));
  await client.connect(ct);
  return {
    client,
    engine,
    setRoots: async (p) => {
      current = p;
      await client.sendRootsListChanged();
    },
    close: async () => {
      await client.close();
      await cleanup();
      await engine.close();
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tool's structured output, read field by field by the assertions
type ToolResult = CallToolResult & { structuredContent?: any };
const call = async (
  h: Harness,
  args: Record<string, unknown>,
  name = 'local_complete',
  onprogress?: (p: { progress: number; total?: number; message?: string }) => void,
) => (await h.client.callTool({ name, arguments: args }, undefined, onprogress ? { onprogress } : undefined)) as ToolResult;

const errorText = (r: CallToolResult) => {
  expect(r.isError).toBe(true);
  return (r.content[0] as { text: string }).text;
};

/** Everything the host receives from a call: the result and every progress notification. */
const received = (r: CallToolResult, progress: unknown[]) => JSON.stringify(r) + JSON.stringify(progress);

let srv: FakeServer;
let project: string;
let elsewhere: string;
let h: Harness;

beforeAll(async () => {
  srv = await startOpenAIServer({ models: ['echo'], echo: true });
  const base = tempDir('ruvllm-mcp-inputs-');
  project = join(base, 'project');
  elsewhere = join(base, 'elsewhere');
  mkdirSync(join(project, 'config'), { recursive: true });
  mkdirSync(elsewhere);
  const csv = `id,email,card,ssn,order\n1,${SECRETS.email},${SECRETS.card},${SECRETS.ssn},ORDER-7781\n`;
  const env = `GITHUB_TOKEN=${SECRETS.github}\nSTRIPE_KEY=${SECRETS.stripe}\naws_access_key_id=${SECRETS.aws}\npassword=${SECRETS.password}\nREGION=eu-west-1\n`;
  writeFileSync(join(project, 'customers.csv'), csv);
  writeFileSync(join(project, 'config', 'deploy.env'), env);
  writeFileSync(join(elsewhere, 'notes.txt'), 'NOTE-4242 nothing private here\n');
  writeFileSync(join(base, 'outside.txt'), 'OUTSIDE-1 must never be read\n');
  // The seeded values are what the scanner detects today: otherwise this test would prove nothing.
  const covered = (text: string, v: string) => {
    const at = text.indexOf(v);
    return at >= 0 && scanPrivacy(text).findings.some((f) => f.start <= at && f.end >= at + v.length);
  };
  for (const v of VALUES) expect(covered(csv, v) || covered(env, v), v.slice(0, 6)).toBe(true);
  h = await connect({ servers: [srv.url], model: `openai:${new URL(srv.url).host}/echo`, cwd: project });
});

afterAll(async () => {
  await h?.close();
  await srv?.close();
});

describe('local_complete with files, on a model that repeats what it read', () => {
  it('reads the files itself; no seeded secret or personal value reaches the host, in the result or in progress', async () => {
    const progress: unknown[] = [];
    const r = await call(h, { prompt: 'Summarise these files', files: ['customers.csv', 'config/'] }, 'local_complete', (p) =>
      progress.push(p),
    );
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent;
    // The model did read the files (the harmless parts come back) ...
    expect(s.text).toContain('ORDER-7781');
    expect(s.text).toContain('REGION=eu-west-1');
    // ... and the guard took out every finding.
    const all = received(r, progress);
    for (const v of VALUES) expect(all).not.toContain(v);
    expect(s.text).toContain('[REDACTED:');
    expect(s.guard).toMatchObject({ applied: true, why: 'the inputs came from files' });
    const cats = new Set(s.guard.redactions.map((x: { category: string }) => x.category));
    for (const c of ['email', 'payment_card', 'national_id', 'credential']) expect(cats).toContain(c);
    for (const x of s.guard.redactions) expect(Object.keys(x).sort()).toEqual(['category', 'end', 'field', 'rule', 'start']);
    expect(s.input).toMatchObject({ files: 2, mode: 'direct', parts: 1 });
    expect(s.input.bytes).toBeGreaterThan(100);
  });

  it('a value found in a file is kept back when the model repeats it without the label that made it findable', async () => {
    // A BSN is a plain 9-digit run: found after its label, not on its own; a short password only after "password".
    writeFileSync(join(project, 'client.txt'), 'Klant: BSN 231456700, wifi password: Tr0ub4dor&3xQ\nORDER-7781\n');
    for (const v of ['231456700', 'Tr0ub4dor&3xQ']) {
      expect(scanPrivacy(`see ${v}`).sensitive, v).toBe(false);
      expect(scanPrivacy('Klant: BSN 231456700, wifi password: Tr0ub4dor&3xQ').findings.length).toBeGreaterThanOrEqual(2);
    }
    const r = await call(h, { prompt: 'List the numbers #values', files: ['client.txt'] });
    const s = r.structuredContent;
    expect(s.text).toContain('ORDER-7781'); // the model did list what it read
    for (const v of ['231456700', 'Tr0ub4dor&3xQ']) expect(JSON.stringify(r)).not.toContain(v);
    const rules = s.guard.redactions.map((x: { rule: string }) => x.rule);
    expect(rules).toContain('input-finding');
  });

  it('without the guard the same model hands the values back (so the guard is what stopped them)', async () => {
    const r = await call(h, { prompt: 'Summarise', files: ['config/deploy.env'], redactOutput: 'never' });
    expect(r.structuredContent.text).toContain(SECRETS.github);
    expect(r.structuredContent.guard.applied).toBe(false);
  });

  it('guards a by-value call whose prompt carries private data (auto), and any call with always', async () => {
    const r = await call(h, { prompt: `Reply to ${SECRETS.email} about the invoice` });
    expect(JSON.stringify(r)).not.toContain(SECRETS.email);
    expect(r.structuredContent.guard).toMatchObject({ applied: true, why: 'the inputs carry private data' });
    const plain = await call(h, { prompt: 'Say hello' });
    expect(plain.structuredContent.guard.applied).toBe(false);
    const always = await call(h, { prompt: 'Say hello', redactOutput: 'always' });
    expect(always.structuredContent.guard.applied).toBe(true);
  });

  it('refuses files outside the allowed folders, saying how to allow one', async () => {
    for (const f of ['../outside.txt', join(project, '..', 'outside.txt'), '../*.txt', join(elsewhere, 'notes.txt')]) {
      const m = errorText(await call(h, { prompt: 'Read', files: [f] }));
      expect(m).toMatch(/outside the allowed folders/);
      expect(m).toMatch(/--allow-dirs/);
      expect(m).not.toContain('OUTSIDE-1');
    }
    expect(errorText(await call(h, { messages: [{ role: 'user', content: 'x' }], files: ['customers.csv'] }))).toMatch(
      /instruction as "prompt"/,
    );
  });
});

describe('route_task with files', () => {
  it('scans their content and sizes it without returning any of it', async () => {
    const r = await call(h, { task: 'Summarise the customer file', files: ['customers.csv', 'config/deploy.env'] }, 'route_task');
    expect(r.isError).toBeFalsy();
    const d = r.structuredContent;
    expect(d.route).not.toBe('cloud');
    expect(d.privacy.sensitive).toBe(true);
    const sources = new Set(d.privacy.findings.map((f: { source?: string }) => f.source));
    expect(sources).toEqual(new Set(['file:customers.csv', 'file:config/deploy.env']));
    const all = JSON.stringify(r);
    for (const v of VALUES) expect(all).not.toContain(v);
    expect(all).not.toContain('ORDER-7781'); // not even the harmless content
    expect(all).not.toContain('REGION=eu-west-1');
    expect(d.input).toMatchObject({ files: 2, mode: 'direct', parts: 1 });
    expect(d.input.tokens).toBeGreaterThan(20);
    expect(d.redactedTask).toBeUndefined();
  });

  it('a harmless file does not make the task sensitive', async () => {
    writeFileSync(join(project, 'README.md'), '# Project\nA small tool that converts units.\n');
    const d = (await call(h, { task: 'Explain this README', files: ['README.md'] }, 'route_task')).structuredContent;
    expect(d.privacy.sensitive).toBe(false);
  });
});

describe("the client's roots", () => {
  it('are allowed folders while the client lists them, and not after it changes the list', async () => {
    const c = await connect({ servers: [srv.url], model: `openai:${new URL(srv.url).host}/echo`, cwd: '/' }, [elsewhere]);
    try {
      const ok = await call(c, { prompt: 'Read', files: [join(elsewhere, 'notes.txt')] });
      expect(ok.isError).toBeFalsy();
      expect(ok.structuredContent.text).toContain('NOTE-4242');
      // The working directory "/" is not an implicit root: a relative path has nowhere to be found but the client root.
      expect(errorText(await call(c, { prompt: 'Read', files: ['/etc/hostname'] }))).toMatch(/outside the allowed folders/);
      await c.setRoots([project]);
      await new Promise((r) => setTimeout(r, 50));
      expect(errorText(await call(c, { prompt: 'Read', files: [join(elsewhere, 'notes.txt')] }))).toMatch(/outside the allowed folders/);
      expect((await call(c, { prompt: 'Read', files: [join(project, 'README.md')] })).isError).toBeFalsy();
    } finally {
      await c.close();
    }
  });

  it('without client roots and with / as working directory, the error says how to add a folder', async () => {
    const c = await connect({ servers: [srv.url], model: `openai:${new URL(srv.url).host}/echo`, cwd: '/' });
    try {
      const m = errorText(await call(c, { prompt: 'Read', files: ['notes.txt'] }));
      expect(m).toMatch(/no folder is allowed/);
      expect(m).toMatch(/--allow-dirs/);
    } finally {
      await c.close();
    }
  });
});
