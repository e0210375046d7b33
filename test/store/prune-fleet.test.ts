// Two nodes pruning at the same moment on one store (issue 14): both read the same candidates, but each pattern is
// deleted once, so the shared pruned_total counts it once and each node reports only what it deleted itself. On
// PostgreSQL (two pools, a real throwaway cluster) and on SQLite (two connections to one file, as two processes).
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PatternBank, createDefaultEmbedder, migrations as sqliteMigrations } from '../../src/engine/patterns/index.js';
import { openDatabase } from '../../src/engine/store/db.js';
import type { PatternsRepo } from '../../src/engine/store/patterns-repo.js';
import { PgPatternsRepo } from '../../src/engine/store/postgres/patterns-repo.js';
import { SqlitePatternsRepo } from '../../src/engine/store/sqlite/patterns-repo.js';
import { startPostgres, type TestPostgres } from '../helpers/pg.js';
import { tempDir } from '../helpers/tmp.js';

const embedder = createDefaultEmbedder();
let server: TestPostgres;
const open: { bank: PatternBank; close: () => Promise<void> | void }[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.bank.close();
    await o.close();
  }
});
afterAll(() => server?.stop());

async function node(repo: PatternsRepo, close: () => Promise<void> | void) {
  const bank = await PatternBank.open({
    repo,
    indexPath: join(tempDir('ruvllm-prune-'), 'patterns.hnsw'),
    embedder,
    persistIntervalMs: 0,
    prune: { minUses: 1, maxFailureRate: 0.5, unusedDays: 90 },
  });
  open.push({ bank, close });
  return { bank, repo };
}

type Node = Awaited<ReturnType<typeof node>>;

const stores: [string, () => Promise<Node[]>][] = [
  [
    'PostgreSQL',
    async () => {
      const url = await server.newDatabase();
      const [ra, rb] = [await PgPatternsRepo.open(url), await PgPatternsRepo.open(url)];
      return [await node(ra, () => ra.close()), await node(rb, () => rb.close())];
    },
  ],
  [
    'SQLite',
    async () => {
      const file = join(tempDir('ruvllm-prune-db-'), 'bank.db');
      const [da, db] = [openDatabase(file, sqliteMigrations), openDatabase(file, sqliteMigrations)];
      return [await node(new SqlitePatternsRepo(da), () => da.close()), await node(new SqlitePatternsRepo(db), () => db.close())];
    },
  ],
];

describe.each(stores)('two nodes pruning at once on one %s store', (_name, make) => {
  it('count every pruned pattern once in pruned_total, and each reports only the patterns it deleted', async () => {
    const [a, b] = await make();
    const topics = 'backups certificates caching migrations sharding retries queues schemas logging tracing'.split(' ');
    let failing = 0;
    for (let round = 0; round < 3; round++) {
      const ids: string[] = [];
      for (const t of topics.slice(round * 3, round * 3 + 3)) {
        const p = await a.bank.store({
          task: `Round ${round}: set up ${t} for the payments service`,
          approach: `the usual ${t} recipe`,
          quality: 0.6,
        });
        await a.bank.recordOutcome(p.id, false); // one outcome, a failure: a prune candidate
        ids.push(p.id);
      }
      failing += ids.length;
      // a pattern that keeps working stays
      const kept = await b.bank.store({ task: `Round ${round}: write the release notes`, approach: 'from the merged PRs', quality: 0.9 });
      await b.bank.recordOutcome(kept.id, true);

      const [ra, rb] = await Promise.all([a.bank.prune(), b.bank.prune()]);
      // every failing pattern of the round pruned by exactly one node
      expect([...ra.ids, ...rb.ids].sort()).toEqual([...ids].sort());
      expect(ra.pruned + rb.pruned).toBe(ids.length);
      expect(ra.pruned).toBe(ra.ids.length);
      expect(rb.pruned).toBe(rb.ids.length);
      expect(await a.repo.rowById(kept.id)).not.toBeNull();
      expect(Number(await a.repo.getMeta('pruned_total'))).toBe(failing);
    }
    // both nodes' stats show the fleet's total
    expect((await a.bank.stats()) as { pruned: number }).toMatchObject({ pruned: failing });
    expect((await b.bank.stats()) as { pruned: number }).toMatchObject({ pruned: failing });
  });
});
