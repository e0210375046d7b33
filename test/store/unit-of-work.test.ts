// The outcome unit of work's contract (store/unit-of-work.ts), on the SQLite implementation: a reported outcome and
// the tally of the patterns stored with its decision commit together or not at all.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { migrations as routerMigrations } from '../../src/engine/router/index.js';
import { PatternBank, migrations as patternMigrations, patternQualityAfter } from '../../src/engine/patterns/index.js';
import { SqliteDecisionsRepo } from '../../src/engine/store/sqlite/decisions.js';
import { SqliteOutcomeUnitOfWork } from '../../src/engine/store/sqlite/unit-of-work.js';
import { embedder } from '../helpers/banks.js';
import { decisionRecord } from '../helpers/decisions.js';
import { tempDir } from '../helpers/tmp.js';

const open: { db: DB; bank: PatternBank; dir: string }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.bank.close();
    o.db.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
});

const decision = (id: string) => decisionRecord(id, { outputTokens: 10, cloudUsd: 0.001, savingUsd: 0.001, features: null, latencyMs: 1 });

async function setup() {
  const dir = tempDir('unit-of-work-');
  const db = openDatabase(join(dir, 'state.db'), [...routerMigrations, ...patternMigrations]);
  const bank = await PatternBank.open({ db, indexPath: join(dir, 'patterns.hnsw'), embedder, persistIntervalMs: 0 });
  open.push({ db, bank, dir });
  await new SqliteDecisionsRepo(db).insert(decision('d1'), [['decisions', '', 1, 0]]);
  const p = await bank.store({ task: 'Sort the lines of a file', approach: 'sort -u', quality: 0.8, decisionId: 'd1' });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return { db, bank, uow: new SqliteOutcomeUnitOfWork(db), patternId: p.id, count };
}

const outcome = (success: boolean) => ({ decisionId: 'd1', success, quality: 0.4, notes: null, reportedAt: 2000 });

describe('the outcome unit of work (SQLite)', () => {
  it('writes the outcome and the tally of the decision’s patterns together, once', async () => {
    const { bank, uow, patternId, count } = await setup();
    const w = await uow.reportOutcome(outcome(false), 'local', patternQualityAfter(0.4));
    expect(w).toMatchObject({ patterns: [patternId] });
    expect('mark' in w && w.mark).toBeGreaterThan(0);
    expect(count('SELECT count(*) AS n FROM router_outcomes')).toBe(1);
    const p = await bank.get(patternId);
    expect(p.failures).toBe(1);
    expect(p.quality).toBeCloseTo(0.8 * 0.7 + 0.4 * 0.3, 6);
    // a second report of the same decision writes nothing and says when the first was
    expect(await uow.reportOutcome(outcome(true), 'local', patternQualityAfter(1))).toEqual({ reportedAt: 2000 });
    expect(count('SELECT count(*) AS n FROM router_outcomes')).toBe(1);
    expect((await bank.get(patternId)).successes).toBe(0);
  });

  it('a pattern write that fails leaves no outcome behind, and a retry works', async () => {
    const { db, bank, uow, patternId, count } = await setup();
    db.exec("CREATE TEMP TRIGGER fail_update BEFORE UPDATE ON patterns BEGIN SELECT RAISE(ABORT, 'disk full (injected)'); END");
    await expect(uow.reportOutcome(outcome(true), 'local', patternQualityAfter(1))).rejects.toThrow(/disk full/);
    expect(count('SELECT count(*) AS n FROM router_outcomes')).toBe(0);
    expect(count("SELECT coalesce(sum(n), 0) AS n FROM router_counters WHERE metric = 'outcome'")).toBe(0);
    db.exec('DROP TRIGGER fail_update');
    expect(await uow.reportOutcome(outcome(true), 'local', patternQualityAfter(1))).toMatchObject({ patterns: [patternId] });
    expect((await bank.get(patternId)).successes).toBe(1);
  });

  it('an outcome carried by a pattern store commits with it, or not at all', async () => {
    const { db, bank, uow, count } = await setup();
    const already = (at: number) => new Error(`already reported at ${at}`);
    // the pattern's insert fails after the outcome was written in its transaction: neither remains
    db.exec("CREATE TEMP TRIGGER fail_insert BEFORE INSERT ON patterns BEGIN SELECT RAISE(ABORT, 'disk full (injected)'); END");
    await expect(
      uow.storeWithOutcome(outcome(true), 'local', already, (inStore) =>
        bank.store({ task: 'Count the words in a file', approach: 'wc -w', quality: 0.9, decisionId: 'd1' }, { inTransaction: inStore }),
      ),
    ).rejects.toThrow(/disk full/);
    expect(count('SELECT count(*) AS n FROM router_outcomes')).toBe(0);
    expect(count("SELECT coalesce(sum(n), 0) AS n FROM router_counters WHERE metric = 'outcome'")).toBe(0);
    db.exec('DROP TRIGGER fail_insert');
    const w = await uow.storeWithOutcome(outcome(true), 'local', already, (inStore) =>
      bank.store({ task: 'Count the words in a file', approach: 'wc -w', quality: 0.9, decisionId: 'd1' }, { inTransaction: inStore }),
    );
    expect(w.mark).toBeGreaterThan(0);
    expect(w.result.id).toBeTruthy();
    expect(count('SELECT count(*) AS n FROM router_outcomes')).toBe(1);
    // the decision has its outcome now: a second store carrying it stores nothing
    const before = count('SELECT count(*) AS n FROM patterns');
    await expect(
      uow.storeWithOutcome(outcome(false), 'local', already, (inStore) =>
        bank.store({ task: 'Something else entirely', approach: 'echo', quality: 0.5, decisionId: 'd1' }, { inTransaction: inStore }),
      ),
    ).rejects.toThrow(/already reported at 2000/);
    expect(count('SELECT count(*) AS n FROM patterns')).toBe(before);
  });
});
