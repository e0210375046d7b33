// The decisions and outcomes repositories' contract, the same test bodies on SQLite and on PostgreSQL (describe.each).
import { describe, expect, it } from 'vitest';
import { decisionRecord } from '../helpers/decisions.js';
import { REPO_ENGINES, usePostgres } from '../helpers/repo-engines.js';

usePostgres();

const record = decisionRecord;

describe.each(REPO_ENGINES)('decisions and outcomes repositories ($name)', (engine) => {
  it('a decision bumps any number of counters in its transaction, the same counter twice included', async () => {
    const { decisions } = await engine.open();
    // 20 counters (past what one statement carries), one of them twice
    const many: [string, string, number, number][] = Array.from({ length: 19 }, (_, i) => ['reason', `r${i}`, 1, 0]);
    await decisions.insert(record('a'), [['decisions', '', 1, 0.5], ...many, ['reason', 'r3', 2, 0.25]]);
    await decisions.insert(record('b'), [
      ['decisions', '', 1, 0.5],
      ['reason', 'r3', 1, 0],
    ]);
    const counters = Object.fromEntries((await decisions.counters()).map((c) => [`${c.metric}/${c.key}`, [c.n, c.v]]));
    expect(counters['decisions/']).toEqual([2, 1]);
    expect(counters['reason/r3']).toEqual([4, 0.25]);
    expect(counters['reason/r18']).toEqual([1, 0]);
    expect(Object.keys(counters).filter((k) => k.startsWith('reason/'))).toHaveLength(19);
  });

  it('store a decision with its counters, read it back, and stream outcomes and observations with marks', async () => {
    const { decisions, outcomes } = await engine.open();
    await decisions.insert(record('a'), [
      ['decisions', '', 1, 0.01],
      ['reason', 'complexity_low', 1, 0],
    ]);
    await decisions.insert(record('b', { route: 'cloud', features: null }), [['decisions', '', 1, 0]]);
    expect(await decisions.get('a')).toEqual({ id: 'a', route: 'local', features: new Float32Array([0.5, -1, 2]), localModel: 'm' });
    expect(await decisions.get('nope')).toBeNull();
    const counters = Object.fromEntries((await decisions.counters()).map((c) => [`${c.metric}/${c.key}`, [c.n, c.v]]));
    expect(counters).toMatchObject({ 'decisions/': [2, 0.01], 'reason/complexity_low': [1, 0] });

    const m0 = await outcomes.marks();
    expect(await outcomes.reportedAt('a')).toBeNull();
    await outcomes.insertOutcome({ decisionId: 'a', success: true, quality: 0.7, notes: null, reportedAt: 2000 }, 'local');
    expect(await outcomes.reportedAt('a')).toBe(2000);
    await expect(
      outcomes.insertOutcome({ decisionId: 'a', success: false, quality: null, notes: null, reportedAt: 2001 }, 'local'),
    ).rejects.toThrow();
    const ids = await outcomes.insertObservations([
      {
        createdAt: 3000,
        route: 'cloud',
        success: false,
        quality: null,
        source: 'pattern:1',
        features: new Float32Array([1, 1, 1]),
        model: null,
      },
      {
        createdAt: 3001,
        route: 'local',
        success: true,
        quality: 0.9,
        source: 'pattern:2',
        features: new Float32Array([2, 2, 2]),
        model: 'm',
      },
    ]);
    expect(ids).toHaveLength(2);
    const since = await outcomes.since(m0.outcome, m0.observation, 100);
    expect(since.map((r) => [r.kind, r.route, r.success, r.quality, r.model, Array.from(r.features ?? [])])).toEqual([
      ['outcome', 'local', true, 0.7, 'm', [0.5, -1, 2]],
      ['observation', 'cloud', false, null, null, [1, 1, 1]],
      ['observation', 'local', true, 0.9, 'm', [2, 2, 2]],
    ]);
    const m1 = await outcomes.marks();
    expect(await outcomes.since(m1.outcome, m1.observation, 100)).toEqual([]);
    // the learner's replay: newest first by time, returned oldest first, at most `limit`
    expect((await outcomes.recent(2)).map((r) => r.kind + ':' + r.route)).toEqual(['observation:cloud', 'observation:local']);
    expect((await outcomes.recent(10)).map((r) => r.kind)).toEqual(['outcome', 'observation', 'observation']);
    const c2 = Object.fromEntries((await decisions.counters()).map((c) => [`${c.metric}/${c.key}`, [c.n, c.v]]));
    expect(c2).toMatchObject({ 'outcome/local': [1, 1], 'outcome_quality/local': [1, 0.7], 'observations/': [2, 0] });
    expect(await outcomes.pruneObservations(1)).toBe(1);
    expect((await outcomes.recent(10)).map((r) => r.kind + ':' + r.route)).toEqual(['outcome:local', 'observation:local']);
  });
});
