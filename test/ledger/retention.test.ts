// The engine rolls old ledger rows up at start, as --ledger-retention-days says, and the cost report keeps its totals.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const entry = (i: number) => ({
  model: 'qwen-tiny',
  backend: 'gguf',
  promptTokens: 1000 + i,
  completionTokens: 200,
  tokenCountMethod: 'tokenizer',
  latencyMs: 900,
  ttftMs: 50,
  tokensPerSecond: 25,
  overheadTokensIn: 240,
  overheadTokensOut: 60,
  agentId: `agent-${i % 2}`,
  ok: i % 5 !== 0,
});

describe('ledger retention in the engine', () => {
  it('rolls rows older than ledgerRetentionDays up at start (0 keeps them), and reports keep their totals', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-retention-'));
    dirs.push(dataDir);
    const opts = { dataDir, scanDefaultDirs: false, servers: [] as string[] };
    const count = (e: Engine) =>
      (e.internalsForTests().db.prepare('SELECT count(*) AS n FROM ledger_completions').get() as { n: number }).n;
    const a = new Engine({ ...opts, ledgerRetentionDays: 0 });
    let before;
    try {
      for (let i = 0; i < 20; i++) await a.internalsForTests().ledger.recordCompletion(entry(i));
      // 12 of them 200 days old, 8 recent
      a.internalsForTests().db.prepare('UPDATE ledger_completions SET ts = ts - 200 * 86400000 WHERE id <= 12').run();
      a.start();
      await new Promise((r) => setTimeout(r, 200));
      expect(count(a)).toBe(20);
      before = await a.costReport({ period: 'all', groupBy: 'agent' });
    } finally {
      await a.close();
    }
    const b = new Engine({ ...opts, ledgerRetentionDays: 30 });
    try {
      b.start();
      for (let i = 0; i < 100 && count(b) > 8; i++) await new Promise((r) => setTimeout(r, 50));
      expect(count(b)).toBe(8);
      const after = await b.costReport({ period: 'all', groupBy: 'agent' });
      expect({ ...after, to: null }).toEqual({ ...before, to: null });
      expect(after.totals.calls).toBe(20);
    } finally {
      await b.close();
    }
  });
});
