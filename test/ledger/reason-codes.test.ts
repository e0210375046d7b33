// Reports group routing decisions by reason code, not by the human text (which carries scores and so varies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { renderHtmlReport } from '../../src/engine/ledger/html.js';
import { isolatedEngineOptions } from '../helpers/mcp.js';
import { tempDir } from '../helpers/tmp.js';
import { startOpenAIServer, type FakeServer } from '../helpers/openai-server.js';

describe('reasons in the reports', () => {
  let fake: FakeServer;
  let engine: Engine;

  beforeAll(async () => {
    fake = await startOpenAIServer({ models: ['m1'] });
    engine = new Engine(
      isolatedEngineOptions(tempDir('reason-codes-'), { servers: [fake.url], model: `openai:${new URL(fake.url).host}/m1` }),
    );
    engine.start();
    await engine.models.ready();
  });
  afterAll(async () => {
    await engine?.close();
    await fake?.close();
  });

  it('60 decisions with 2 kinds of reason show as 2 reasons in stats and in the HTML report', async () => {
    const simple = (i: number) =>
      'Classify the sentiment of this review as positive or negative: "the soup was good".' +
      ' Then list the dishes mentioned, and explain why.'.repeat(i % 6);
    const hard = (i: number) =>
      'Design a distributed consensus protocol that tolerates byzantine faults, prove its safety and liveness formally, analyse the message complexity' +
      ', compare it with PBFT, HotStuff and Tendermint, and write a step by step migration plan'.repeat(i % 3) +
      ' for a production system without downtime.' +
      ' Include a formal proof of correctness in TLA+.'.repeat(i % 4);
    const seen = new Set<string>();
    const decisions = [];
    for (let i = 0; i < 30; i++) {
      for (const task of [simple(i), hard(i)]) {
        const d = await engine.route({ task, strategy: 'balanced' });
        for (const r of d.reasons) seen.add(r);
        decisions.push(d);
      }
    }
    // the human text differs between decisions of the same kind (it carries the score)
    expect(seen.size).toBeGreaterThan(2);
    const row = /<tr><td>top reasons<\/td><td>([^<]*)<\/td><\/tr>/.exec(
      renderHtmlReport(await engine.ledger.reportData({ period: 'all' })),
    );
    expect(row).not.toBeNull();
    expect(row![1].split(' · ').length).toBe(2);
    for (const d of decisions) expect(d.reasonCodes).toHaveLength(1);
    const codes = (await engine.stats()).routing.byReason;
    expect(Object.keys(codes).sort()).toEqual(['complexity_high', 'complexity_low']);
    const data = await engine.ledger.reportData({ period: 'all' });
    expect(data.decisions!.byReason.map((r) => r.code).sort()).toEqual(['complexity_high', 'complexity_low']);
    expect(data.decisions!.byReason.reduce((n, r) => n + r.count, 0)).toBe(60);
    expect(row![1]).toMatch(/complexity_high 30/);
    const report = await engine.costReport({ period: 'all' });
    expect(report.decisions.byReason).toEqual({ complexity_high: 30, complexity_low: 30 });
  });
});
