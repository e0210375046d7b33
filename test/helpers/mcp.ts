// Real MCP clients for tests: in process over InMemoryTransport, or a spawned
// `node dist/cli.js` over stdio.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { rmSync } from 'node:fs';
import { tempDir } from './tmp.js';
import { join } from 'node:path';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import { createServer } from '../../src/create-server.js';

export const root = join(import.meta.dirname, '..', '..');
export const serverPath = join(root, 'dist', 'cli.js');

export { tempDir };

/** Options that keep a test engine away from the user's real model folders and servers. */
export function isolatedEngineOptions(dataDir: string, extra: Partial<EngineOptions> = {}): EngineOptions {
  return { dataDir, scanDefaultDirs: false, servers: [], ...extra };
}

export interface InProcess {
  client: Client;
  engine: Engine;
  dataDir: string;
  close(): Promise<void>;
}

export async function connectInProcess(extra: Partial<EngineOptions> = {}, dataDir = tempDir()): Promise<InProcess> {
  const engine = new Engine(isolatedEngineOptions(dataDir, extra));
  engine.start();
  const { server, cleanup } = createServer({ engine: async () => engine, statsUpdateMs: 50 });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'ruvllm-test', version: '0.0.0' });
  await client.connect(clientTransport);
  return {
    client,
    engine,
    dataDir,
    close: async () => {
      await client.close();
      await cleanup();
      await engine.close();
    },
  };
}

export interface Spawned {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  close(): Promise<void>;
}

export async function connectStdio(args: string[] = [], env: Record<string, string> = {}): Promise<Spawned> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [serverPath, ...args],
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'ruvllm-test', version: '0.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => err, close: () => client.close() };
}

export function cleanupDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
