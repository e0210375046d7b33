// Writes that fail (a fault injected with a real SQLite trigger, or another connection holding the write lock)
// must leave nothing half-done and lose nothing that a later write can still record.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { RetryableError } from '../../src/engine/errors.js';
import { isolatedEngineOptions } from '../helpers/mcp.js';
import { closeOpenBanks, openBank } from '../helpers/banks.js';
import { tempDir } from '../helpers/tmp.js';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  await closeOpenBanks();
});

describe('a store that carries a routing outcome', () => {
  it('a refused pattern is named before its decision is checked, and writes no outcome', async () => {
    const engine = new Engine(isolatedEngineOptions(tempDir('ruvllm-outcome-')));
    engines.push(engine);
    const d = await engine.route({ task: 'Count the words in a file' });
    await expect(
      engine.storePattern({ task: 'Count the words in a file', approach: 'wc -w', quality: 2, decisionId: 'nope' }, { success: true }),
    ).rejects.toThrow(/pattern quality must be a number from 0 to 1, got 2/);
    await expect(
      engine.storePattern(
        { task: 'Count the words in a file', approach: 'wc -w', quality: 2, decisionId: d.decisionId },
        { success: true },
      ),
    ).rejects.toThrow(/pattern quality must be a number from 0 to 1, got 2/);
    expect((engine.internalsForTests().db.prepare('SELECT count(*) AS n FROM router_outcomes').get() as { n: number }).n).toBe(0);
    await expect(
      engine.storePattern({ task: 'Count the words in a file', approach: 'wc -w', quality: 0.9, decisionId: 'nope' }, { success: true }),
    ).rejects.toThrow(/unknown decision id "nope"/);
  });

  it('commits with it: a failed store records no outcome, and its retry succeeds', async () => {
    const engine = new Engine(isolatedEngineOptions(tempDir('ruvllm-outcome-')));
    engines.push(engine);
    const d = await engine.route({ task: 'Convert the CSV export of invoices to JSON lines' });
    await engine.patternsReady();
    // the pattern's write fails (as a full disk would), after the outcome would have been written
    engine
      .internalsForTests()
      .db.exec("CREATE TEMP TRIGGER fail_store BEFORE INSERT ON patterns BEGIN SELECT RAISE(ABORT, 'disk full (injected)'); END");
    const input = {
      task: 'Convert the CSV export of invoices to JSON lines',
      approach: 'csv-parse then JSON.stringify per row',
      quality: 0.8,
      decisionId: d.decisionId,
    };
    await expect(engine.storePattern(input, { success: true })).rejects.toThrow(/disk full/);
    const outcomes = () =>
      (
        engine.internalsForTests().db.prepare('SELECT count(*) AS n FROM router_outcomes WHERE decision_id = ?').get(d.decisionId) as {
          n: number;
        }
      ).n;
    expect(outcomes()).toBe(0);
    engine.internalsForTests().db.exec('DROP TRIGGER fail_store');
    const r = await engine.storePattern(input, { success: true });
    expect(r.outcomeRecorded).toBe(true);
    expect(r.pattern.successes).toBe(1);
    expect(outcomes()).toBe(1);
    // and reported once only
    await expect(engine.storePattern({ ...input, approach: 'another approach entirely' }, { success: true })).rejects.toThrow(
      /already reported/,
    );
    expect((engine.internalsForTests().db.prepare('SELECT count(*) AS n FROM patterns').get() as { n: number }).n).toBe(1);
  });

  it('report_outcome and the patterns it updates commit together', async () => {
    const engine = new Engine(isolatedEngineOptions(tempDir('ruvllm-outcome-')));
    engines.push(engine);
    const d = await engine.route({ task: 'Sort the lines of a text file and drop duplicates' });
    const s = await engine.storePattern({
      task: 'Sort the lines of a text file and drop duplicates',
      approach: 'sort -u',
      quality: 0.8,
      decisionId: d.decisionId,
    });
    engine
      .internalsForTests()
      .db.exec("CREATE TEMP TRIGGER fail_update BEFORE UPDATE ON patterns BEGIN SELECT RAISE(ABORT, 'disk full (injected)'); END");
    await expect(engine.reportOutcome({ decisionId: d.decisionId, success: false })).rejects.toThrow(/disk full/);
    expect((engine.internalsForTests().db.prepare('SELECT count(*) AS n FROM router_outcomes').get() as { n: number }).n).toBe(0);
    engine.internalsForTests().db.exec('DROP TRIGGER fail_update');
    const r = await engine.reportOutcome({ decisionId: d.decisionId, success: false });
    expect(r.patternsUpdated).toBe(1);
    expect((await engine.getPattern(s.id)).failures).toBe(1);
  });
});

describe('a database locked by another process', () => {
  it('a store that waited past the busy timeout fails with a RetryableError saying to retry and when', async () => {
    const { bank, db, dir } = await openBank();
    db.pragma('busy_timeout = 100');
    const other = new Database(join(dir, 'bank.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const err = await bank
        .store({ task: 'Rename every .jpeg file to .jpg in a folder', approach: 'for f in *.jpeg; mv', quality: 0.7 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetryableError);
      expect((err as RetryableError).retryAfterMs).toBeGreaterThan(0);
      expect((err as Error).message).toMatch(/retry after \d+ ms/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // and the retry succeeds
    expect(
      (await bank.store({ task: 'Rename every .jpeg file to .jpg in a folder', approach: 'for f in *.jpeg; mv', quality: 0.7 })).merged,
    ).toBe(false);
  });

  it('usage counts whose write failed are kept and written later, not lost', async () => {
    const { bank, db, dir } = await openBank();
    const s = await bank.store({
      task: 'Compress a folder of logs older than a week',
      approach: 'find -mtime +7 | xargs gzip',
      quality: 0.7,
    });
    for (let i = 0; i < 3; i++)
      expect((await bank.find({ query: 'compress old log files in a folder', k: 1 })).matches[0].pattern.id).toBe(s.id);
    db.pragma('busy_timeout = 100');
    const other = new Database(join(dir, 'bank.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      // a read flushes the batched counts first: that write fails while the other connection holds the lock
      try {
        await bank.list();
      } catch {
        /* on a build that lets the failed flush escape, the counts are what this test is about */
      }
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await bank.get(s.id)).uses).toBe(3);
    const stored = db.prepare('SELECT uses FROM pattern_usage').all() as { uses: number }[];
    expect(stored).toEqual([{ uses: 3 }]);
  });
});

describe('writes of another process', () => {
  it('stats subscribers hear of them: the engine emits a stats event when another connection committed', async () => {
    const dir = tempDir('ruvllm-external-');
    const a = new Engine(isolatedEngineOptions(dir));
    const b = new Engine(isolatedEngineOptions(dir));
    engines.push(a, b);
    let events = 0;
    a.on((ev) => {
      if (ev.type === 'stats') events++;
    });
    await new Promise((r) => setTimeout(r, 1200)); // a's first look at the database
    expect(events).toBe(0);
    const d = await b.route({ task: 'Summarise the release notes in three bullet points' });
    const t0 = Date.now();
    while (events === 0 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 100));
    expect(events).toBeGreaterThan(0);
    // and what a reads includes b's decision
    expect(
      (a.internalsForTests().db.prepare('SELECT 1 AS ok FROM router_decisions WHERE id = ?').get(d.decisionId) as { ok: number }).ok,
    ).toBe(1);
  });
});
