/**
 * Fuzz the real server (`node dist/cli.js`, built by the global setup) over stdio and over HTTP
 * with FUZZ_CASES (default 10,000) seeded malformed or mistyped JSON-RPC messages each:
 * every message that expects an answer gets one (an error, or a tool result), path traversal in
 * hot_swap_model never succeeds, the process stays up and answers a ping afterwards, memory stays
 * bounded, and data stored before the fuzz is still found afterwards (SQL-like input is data).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCases } from './generator.js';
import {
  HttpPeer,
  INIT_MSG,
  SsePeer,
  StdioPeer,
  listTools,
  runHttp,
  runSse,
  runStdio,
  spawnHttpServer,
  summary,
  type FuzzReport,
  type Spawned,
} from './runner.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SERVER = join(ROOT, 'dist', 'cli.js');
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
/** The legacy SSE transport gets a smaller share (it shares the body guard with /mcp). */
const SSE_CASES = Number(process.env.FUZZ_SSE_CASES ?? 2_000);

const dirs: string[] = [];
function env(logLevel = 'error'): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'ruvllm-fuzz-'));
  dirs.push(dir);
  return {
    ...process.env,
    RUVLLM_MCP_DATA_DIR: dir,
    RUVLLM_MCP_SCAN_DEFAULT_DIRS: 'false',
    RUVLLM_MCP_SERVERS: 'http://127.0.0.1:9',
    RUVLLM_MCP_LOG_LEVEL: logLevel,
  };
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const CANARY_TASK = 'canary: rotate the quarterly compliance report spreadsheet into a pivot table';

function checkReport(rep: FuzzReport, cases = CASES) {
  process.stderr.write(`fuzz ${rep.transport}: ${summary(rep)}\n`);
  expect(rep.aborted).toBeUndefined();
  expect(rep.cases).toBe(cases);
  expect(rep.unanswered).toEqual([]);
  expect(rep.wrongId).toEqual([]);
  expect(rep.unexpectedAnswers).toEqual([]);
  expect(rep.mustFailButSucceeded).toEqual([]);
  expect(rep.answered).toBe(rep.expectingAnswer);
  expect(rep.aliveAfter).toBe(true);
  expect(rep.pingAfterOk).toBe(true);
  // memory: reported, and bounded generously (behaviour, not speed)
  expect(rep.rssAfterKb).toBeLessThan(rep.rssBeforeKb * 3);
}

const NO_CANARY = process.env.FUZZ_NO_CANARY === '1';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON-RPC answers, read field by field by the assertions
async function storeCanary(peer: { request(m: object): Promise<any> }) {
  if (NO_CANARY) return '';
  const r = await peer.request({
    jsonrpc: '2.0',
    id: 'canary-store',
    method: 'tools/call',
    params: {
      name: 'store_trm_pattern',
      arguments: { task: CANARY_TASK, approach: 'use a pivot on quarter and region', quality: 0.9, tags: ['canary'] },
    },
  });
  expect(r?.result?.isError, JSON.stringify(r).slice(0, 500)).toBeFalsy();
  return r.result.structuredContent.id as string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON-RPC answers, read field by field by the assertions
async function findCanary(peer: { request(m: object): Promise<any> }, id: string) {
  if (NO_CANARY) return;
  const r = await peer.request({
    jsonrpc: '2.0',
    id: 'canary-find',
    method: 'tools/call',
    params: { name: 'find_similar_patterns', arguments: { query: CANARY_TASK, k: 5, tags: ['canary'] } },
  });
  expect(r?.result?.isError, JSON.stringify(r).slice(0, 500)).toBeFalsy();
  const ids = (r.result.structuredContent.matches as Array<{ pattern: { id: string } }>).map((m) => m.pattern.id);
  expect(ids).toContain(id);
}

describe('fuzz: spawned server over stdio', () => {
  let peer: StdioPeer;
  beforeAll(async () => {
    peer = new StdioPeer(process.execPath, [SERVER], env());
    const init = await peer.request(INIT_MSG, 60_000);
    expect(init?.result?.serverInfo?.name, peer.stderr).toBe('ruvllm-mcp');
    await peer.write(Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })));
  });
  afterAll(async () => peer?.kill());

  // 10,000 calls through a real server: minutes on a loaded 2-core machine (the default 120 s was hit under load)
  it(`answers ${CASES} malformed messages and stays up`, { timeout: 360_000 }, async () => {
    const tools = await listTools(peer);
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'local_complete',
        'route_task',
        'store_trm_pattern',
        'find_similar_patterns',
        'cost_report',
        'hot_swap_model',
      ]),
    );
    const cases = generateCases(SEED, CASES, tools);
    const canary = await storeCanary(peer);
    const rep = await runStdio(peer, cases);
    checkReport(rep);
    await findCanary(peer, canary);
  });
});

describe('fuzz: spawned server over HTTP', () => {
  let srv: Spawned;
  beforeAll(async () => {
    srv = await spawnHttpServer(SERVER, [], env('notice')); // the URL is logged at notice
  });
  afterAll(async () => srv?.kill());

  // 10,000 calls through a real server: minutes on a loaded 2-core machine (the default 120 s was hit under load)
  it(`answers ${CASES} malformed messages and stays up`, { timeout: 360_000 }, async () => {
    const peer = new HttpPeer(srv.url);
    await peer.initialize();
    const tools = await listTools(peer);
    const cases = generateCases(SEED + 1, CASES, tools);
    const canary = await storeCanary(peer);
    const rep = await runHttp(peer, srv.child.pid!, cases, {
      isAlive: () => srv.child.exitCode === null && srv.child.signalCode === null,
    });
    checkReport(rep);
    await findCanary(peer, canary);
    expect(srv.stderr()).not.toContain('STDOUT (must be empty');
  });
});

describe('fuzz: spawned server over legacy SSE', () => {
  let srv: Spawned;
  beforeAll(async () => {
    srv = await spawnHttpServer(SERVER, [], env('notice'));
  });
  afterAll(async () => srv?.kill());

  it(`answers ${SSE_CASES} malformed messages posted to /messages and stays up`, async () => {
    const peer = new SsePeer(srv.url.replace(/\/mcp$/, '/sse'));
    await peer.open();
    const init = await peer.request(INIT_MSG);
    expect(init?.result?.serverInfo?.name).toBe('ruvllm-mcp');
    await peer.post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    const tools = await listTools(peer);
    const cases = generateCases(SEED + 2, SSE_CASES, tools);
    await peer.request({ jsonrpc: '2.0', id: 'warm', method: 'ping' });
    const rep = await runSse(peer, srv.child.pid!, cases, {
      isAlive: () => srv.child.exitCode === null && srv.child.signalCode === null,
    });
    peer.close();
    checkReport(rep, SSE_CASES);
  });
});
