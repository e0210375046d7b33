// The pattern bank through a real MCP client: patterns stored with secrets come back from
// find_similar_patterns, ruvllm://patterns, ruvllm://patterns/{id} and exported bundles (bank API and
// `ruvllm-mcp patterns export`) without any of them; a data dir whose bank was written before redaction
// is rescanned when the server opens it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectInProcess, root, tempDir, type InProcess } from '../helpers/mcp.js';
import { SECRET_PATTERNS, expectNoSecret, writeOldPatterns } from '../helpers/secrets.js';
import { embedder } from '../helpers/banks.js';
import { openDatabase } from '../../src/engine/store/db.js';
import { dataPaths } from '../../src/engine/store/paths.js';
import { migrations as modelMigrations } from '../../src/engine/models/index.js';
import { migrations as routerMigrations } from '../../src/engine/router/index.js';
import { migrations as patternMigrations } from '../../src/engine/patterns/index.js';
import { migrations as ledgerMigrations } from '../../src/engine/ledger/index.js';

const run = promisify(execFile);
const cli = join(root, 'dist', 'cli.js');
const isolated = ['--no-scan-default-dirs', '--servers', 'http://127.0.0.1:9'];

/** The raw text of a tool result: every content block and the structured content. */
function rawTool(r: CallToolResult): string {
  return JSON.stringify(r.content) + JSON.stringify(r.structuredContent ?? null);
}

async function rawResource(h: InProcess, uri: string): Promise<string> {
  const r = await h.client.readResource({ uri });
  return r.contents.map((c) => ('text' in c ? c.text : '')).join('\n');
}

/** find, both resources (every page) and both bundle formats: none may carry a secret. */
async function expectNothingLeaks(h: InProcess, ids: string[]): Promise<void> {
  for (const p of SECRET_PATTERNS) {
    const f = (await h.client.callTool({ name: 'find_similar_patterns', arguments: { query: p.task, k: 5 } })) as CallToolResult;
    expect(f.isError).toBeFalsy();
    expect((f.structuredContent as { matches: unknown[] }).matches.length).toBeGreaterThan(0);
    expectNoSecret(rawTool(f), 'find_similar_patterns');
  }
  for (const id of ids) {
    const f = (await h.client.callTool({ name: 'find_similar_patterns', arguments: { patternId: id, k: 5 } })) as CallToolResult;
    expectNoSecret(rawTool(f), 'find_similar_patterns by id');
    const one = await rawResource(h, `ruvllm://patterns/${encodeURIComponent(id)}`);
    expect(one).toContain('[REDACTED:');
    expectNoSecret(one, `ruvllm://patterns/${id}`);
  }
  for (let uri: string | null = 'ruvllm://patterns'; uri;) {
    const page = await rawResource(h, uri);
    expectNoSecret(page, uri);
    uri = (JSON.parse(page) as { next: string | null }).next;
  }
  expectNoSecret((await h.engine.exportPatterns('json')).bundle, 'json bundle');
  expectNoSecret((await h.engine.exportPatterns('msgpack')).bundle, 'msgpack bundle');
}

describe('pattern bank privacy over MCP', () => {
  let h: InProcess;
  let dataDir: string;
  const ids: string[] = [];
  beforeAll(async () => {
    h = await connectInProcess();
    dataDir = h.dataDir;
    await h.client.callTool({
      name: 'store_trm_pattern',
      arguments: { task: 'Write unit tests for a date parsing helper', approach: 'table-driven cases', quality: 0.8 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stores tasks carrying an AWS key, a password, an email and phone, a PEM key: no response carries them', async () => {
    for (const p of SECRET_PATTERNS) {
      const r = (await h.client.callTool({
        name: 'store_trm_pattern',
        arguments: { ...p, quality: 0.9, success: true },
      })) as CallToolResult;
      expect(r.isError).toBeFalsy();
      expectNoSecret(rawTool(r), 'store_trm_pattern');
      const pattern = (r.structuredContent as { pattern: { privacyCategories: string[] } }).pattern;
      expect(pattern.privacyCategories.length).toBeGreaterThan(0);
      ids.push((r.structuredContent as { id: string }).id);
    }
    await expectNothingLeaks(h, ids);
  });

  it('`ruvllm-mcp patterns export` writes bundles without them', async () => {
    await h.close();
    for (const format of ['msgpack', 'json']) {
      const file = join(tempDir(), `bank.${format}`);
      await run(process.execPath, [cli, 'patterns', 'export', file, '--format', format, '--data-dir', dataDir, ...isolated]);
      const buf = readFileSync(file);
      expect(buf.length).toBeGreaterThan(100);
      expectNoSecret(buf, `cli ${format} bundle`);
    }
    h = await connectInProcess({}, dataDir);
  });
});

describe('`ruvllm-mcp patterns import` of a bundle carrying secrets', () => {
  it('stores them redacted: a later export and find carry none', async () => {
    const now = new Date().toISOString();
    const bundle = {
      format: 'ruvllm-mcp-patterns',
      version: 1,
      embedder: 'hashed-ngram-v1',
      dim: 512,
      exportedAt: now,
      patterns: SECRET_PATTERNS.map((p, i) => ({ id: `pat_b${i}`, ...p, quality: 0.8, createdAt: now, updatedAt: now })),
    };
    const file = join(tempDir(), 'in.json');
    writeFileSync(file, JSON.stringify(bundle));
    const dataDir = tempDir();
    const imp = await run(process.execPath, [cli, 'patterns', 'import', file, '--data-dir', dataDir, ...isolated]);
    expect(JSON.parse(imp.stdout)).toMatchObject({ imported: 4 });
    const out = join(tempDir(), 'out.json');
    await run(process.execPath, [cli, 'patterns', 'export', out, '--data-dir', dataDir, ...isolated]);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('[REDACTED:private_key]');
    expectNoSecret(text, 'export after a cli import');
    const h = await connectInProcess({}, dataDir);
    try {
      await expectNothingLeaks(h, ['pat_b0', 'pat_b1', 'pat_b2', 'pat_b3']);
    } finally {
      await h.close();
    }
  });
});

describe('a data dir written before redaction', () => {
  it('is rescanned when the server opens its bank: find, resources and bundles carry no secret', async () => {
    const dataDir = tempDir();
    const db = openDatabase(dataPaths(dataDir).database, [
      ...modelMigrations,
      ...routerMigrations,
      ...patternMigrations.filter((m) => m.version <= 4),
      ...ledgerMigrations,
    ]);
    await writeOldPatterns(db, embedder, [
      ...SECRET_PATTERNS,
      { task: 'Translate the error messages into German', approach: 'extract strings to a locale file' },
    ]);
    db.close();
    const h = await connectInProcess({}, dataDir);
    try {
      await expectNothingLeaks(h, ['pat_old0', 'pat_old1', 'pat_old2', 'pat_old3']);
    } finally {
      await h.close();
    }
  });
});
