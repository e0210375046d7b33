// Stores in flight together: the vector index lives in a worker thread and inserts land after the store is
// acknowledged, so near-duplicate merging and reads must not depend on the index having caught up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { PatternBank, migrations } from '../../src/engine/patterns/index.js';
import { openDatabase } from '../../src/engine/store/db.js';
import { tempDir } from '../helpers/tmp.js';
import { closeOpenBanks, embedder, openBank } from '../helpers/banks.js';

let indexThread = false;

const fixture = (dir = tempDir('ruvllm-pipeline-')) => openBank({ indexThread }, dir);

afterEach(closeOpenBanks);

const WORDS =
  'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu parse render compile index migrate cache shard route queue retry backoff schema lexer token buffer stream socket'.split(
    ' ',
  );
/** A task sharing few words with task(j) for j != i. */
function task(i: number): string {
  const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length];
  return `${w(0)} the ${w(1)} ${w(2)} near ${w(3)} with ${w(4)} ticket ${i}`;
}

describe.each([
  ['on the bank thread', false],
  ['in a worker thread', true],
])('stores in flight together, index %s', (_name, thread) => {
  beforeEach(() => {
    indexThread = thread;
  });

  it('a near-duplicate sent together with its original merges into it (exact check over the stored vectors)', async () => {
    const { bank } = await fixture();
    const originals = Array.from({ length: 12 }, (_, i) => ({
      task: `Fix the failing ${WORDS[i]} test in the ${WORDS[i + 20]} module`,
      approach: `approach ${i}`,
      quality: 0.4,
    }));
    // the same tasks (case and spacing changed) with the same approaches, all in flight at once
    const dups = originals.map((o) => ({ ...o, task: `  ${o.task.toUpperCase()} `, approach: o.approach.toUpperCase(), quality: 0.8 }));
    const res = await Promise.all([...originals, ...dups].map((p) => bank.store(p)));
    const first = res.slice(0, 12);
    const second = res.slice(12);
    expect(first.every((r) => !r.merged)).toBe(true);
    second.forEach((r, i) => {
      expect(r.merged).toBe(true);
      expect(r.id).toBe(first[i].id);
      expect(r.pattern.count).toBe(2);
      expect(r.pattern.quality).toBeCloseTo(0.6, 5);
    });
    expect((await bank.stats()).total).toBe(12);
  });

  it('with many patterns sharing one approach, a duplicate of a store still in the index queue merges (index worker keeps order)', async () => {
    const { bank } = await fixture();
    // more patterns with this approach than the exact check covers: the vector index decides
    for (let i = 0; i < 80; i++) await bank.store({ task: task(i), approach: 'shared approach', quality: 0.5 });
    expect((await bank.stats()).total).toBe(80);
    const fresh = Array.from({ length: 8 }, (_, i) => ({
      task: `${task(1000 + i)} and the ${WORDS[i]} ${WORDS[i + 9]} report`,
      approach: 'Shared  approach',
      quality: 0.5,
    }));
    const res = await Promise.all([...fresh, ...fresh].map((p) => bank.store(p)));
    for (let i = 0; i < 8; i++) {
      expect(res[i].merged).toBe(false);
      expect(res[8 + i].merged).toBe(true);
      expect(res[8 + i].id).toBe(res[i].id);
    }
    expect((await bank.stats()).total).toBe(88);
  });

  it('a find issued right after a store sees it through the vector index', async () => {
    const { bank } = await fixture();
    for (let i = 0; i < 40; i++) await bank.store({ task: task(i), approach: `a${i}`, quality: 0.5 });
    const stored = bank.store({ task: 'zanzibar quokka xylophone', approach: 'unique', quality: 0.9 });
    const found = stored.then(() => bank.find({ query: 'zanzibar quokka xylophone', k: 1 }));
    const [s, f] = await Promise.all([stored, found]);
    expect(f.matches[0].pattern.id).toBe(s.id);
    expect(f.matches[0].vectorScore).toBeGreaterThan(0.99);
    expect((await bank.stats()).indexThread).toBe(thread);
    expect((await bank.vectorSearch(embedder.embedSync('zanzibar quokka xylophone'), 1))[0].seq).toBeGreaterThan(0);
  });

  it('stores committed after the last index save are replayed into the index at the next open', async () => {
    const dir = tempDir('ruvllm-pipeline-');
    const db = openDatabase(join(dir, 'bank.db'), migrations);
    const bank = await PatternBank.open({
      db,
      indexPath: join(dir, 'patterns.hnsw'),
      embedder,
      persistIntervalMs: 0,
      persistEveryChanges: 1_000_000,
      indexThread,
    });
    for (let i = 0; i < 30; i++) await bank.store({ task: task(i), approach: `a${i}`, quality: 0.5 });
    await bank.flush();
    const late = [];
    for (let i = 30; i < 50; i++) late.push(await bank.store({ task: task(i), approach: `a${i}`, quality: 0.5 }));
    // no close: the 20 late stores are in SQLite but not in the saved index file (as after kill -9)
    const again = await fixture(dir);
    const st = await again.bank.stats();
    expect(st.indexLoad.from).toBe('file');
    expect(st.indexLoad.replayed).toBe(20);
    expect(st.indexed).toBe(50);
    for (const r of late.slice(0, 5)) expect((await again.bank.find({ query: r.pattern.task, k: 1 })).matches[0].pattern.id).toBe(r.id);
    await bank.close();
    db.close();
  });

  it('each store in a batch is acknowledged only after its transaction committed (another connection sees it)', async () => {
    const { bank, dir } = await fixture();
    const other = openDatabase(join(dir, 'bank.db'), migrations);
    const seen = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        bank
          .store({ task: task(i), approach: `a${i}`, quality: 0.5 })
          .then((r) => (other.prepare('SELECT task FROM patterns WHERE id = ?').get(r.id) as { task: string } | undefined)?.task),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => task(i)));
    other.close();
  });

  it('stores queued when close() is called are committed before the bank closes', async () => {
    const dir = tempDir('ruvllm-pipeline-');
    const db = openDatabase(join(dir, 'bank.db'), migrations);
    const bank = await PatternBank.open({ db, indexPath: join(dir, 'patterns.hnsw'), embedder, persistIntervalMs: 0, indexThread });
    const pending = Array.from({ length: 10 }, (_, i) => bank.store({ task: task(i), approach: `a${i}`, quality: 0.5 }));
    await bank.close();
    const ids = (await Promise.all(pending)).map((r) => r.id);
    await expect(bank.store({ task: 'late', approach: 'x', quality: 0.5 })).rejects.toThrow('closed');
    db.close();
    const again = await fixture(dir);
    expect((await again.bank.stats()).total).toBe(10);
    expect((await again.bank.stats()).indexed).toBe(10);
    for (const id of ids) expect((await again.bank.get(id)).id).toBe(id);
  });

  it.runIf(thread)(
    'if the index worker dies, stores still commit and are acknowledged; the next open replays them into the index',
    async () => {
      const dir = tempDir('ruvllm-pipeline-');
      const db = openDatabase(join(dir, 'bank.db'), migrations);
      const bank = await PatternBank.open({ db, indexPath: join(dir, 'patterns.hnsw'), embedder, persistIntervalMs: 0, indexThread });
      for (let i = 0; i < 10; i++) await bank.store({ task: task(i), approach: `a${i}`, quality: 0.5 });
      await bank.flush();
      // the worker thread ends (as if it crashed)
      await (bank as unknown as { index: { worker: { terminate(): Promise<number> } } }).index.worker.terminate();
      const late = await Promise.all(
        Array.from({ length: 5 }, (_, i) => bank.store({ task: task(100 + i), approach: `b${i}`, quality: 0.5 })),
      );
      expect(late.every((r) => !r.merged)).toBe(true);
      await expect(bank.find({ query: task(100), k: 1 })).rejects.toThrow('pattern index unavailable');
      await bank.close();
      db.close();
      const again = await fixture(dir);
      expect((await again.bank.stats()).indexed).toBe(15);
      expect((await again.bank.stats()).indexLoad.replayed).toBe(5);
      for (const r of late) expect((await again.bank.find({ query: r.pattern.task, k: 1 })).matches[0].pattern.id).toBe(r.id);
    },
  );

  it('finds stores still queued for the HNSW graph (exact scan of the queue), with and without filters', async () => {
    const { bank } = await fixture();
    const burst = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        bank.store({ task: `${task(i)} ${WORDS[i % 7]}-${i}`, approach: `a${i}`, quality: 0.5, domain: i % 2 ? 'odd' : 'even' }),
      ),
    );
    // asked at once: most of the burst is still queued in the worker
    const probe = [0, 1, 199, 398, 399];
    const before = await Promise.all(probe.map((i) => bank.find({ query: burst[i].pattern.task, k: 1 })));
    const filtered = await Promise.all(probe.map((i) => bank.find({ query: burst[i].pattern.task, k: 1, domain: i % 2 ? 'odd' : 'even' })));
    probe.forEach((i, j) => {
      expect(before[j].matches[0].pattern.id).toBe(burst[i].id);
      expect(before[j].matches[0].vectorScore).toBeGreaterThan(0.99);
      expect(filtered[j].matches[0].pattern.id).toBe(burst[i].id);
    });
    await bank.whenIndexed();
    const after = await Promise.all(probe.map((i) => bank.vectorSearch(embedder.embedSync(burst[i].pattern.task), 1)));
    for (const h of after) expect(h[0].sim).toBeGreaterThan(0.99); // now from the graph
    const seqs = new Map(
      (await Promise.all(probe.map((i) => bank.find({ query: burst[i].pattern.task, k: 1 })))).map((r, j) => [
        probe[j],
        r.matches[0].pattern.id,
      ]),
    );
    for (const i of probe) expect(seqs.get(i)).toBe(burst[i].id);
  });
});
