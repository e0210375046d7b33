// A fleet on one PostgreSQL (issue 14): two nodes, each a pattern bank with its own pool, repository and HNSW replica
// (its own index file), on a real throwaway cluster. A pattern stored through one node is found through the other;
// deletes and prunes disappear there too; concurrent stores leave both replicas with the same set; a node whose
// listener was cut (PostgreSQL restarted) catches up after reconnecting.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PatternBank, createDefaultEmbedder } from '../../src/engine/patterns/index.js';
import { PgPatternsRepo } from '../../src/engine/store/postgres/patterns-repo.js';
import { startPostgres, type TestPostgres } from '../helpers/pg.js';
import { tempDir } from '../helpers/tmp.js';

const embedder = createDefaultEmbedder();
let server: TestPostgres;
const open: { bank: PatternBank; repo: PgPatternsRepo }[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.bank.close();
    await o.repo.close();
  }
});
afterAll(() => server?.stop());

async function node(url: string, over: Partial<Parameters<typeof PatternBank.open>[0]> = {}) {
  const repo = await PgPatternsRepo.open(url);
  const bank = await PatternBank.open({
    repo,
    indexPath: join(tempDir('ruvllm-node-'), 'patterns.hnsw'),
    embedder,
    persistIntervalMs: 0,
    ...over,
  });
  open.push({ bank, repo });
  return { bank, repo };
}

/** The labels the node's HNSW replica holds (read without a find, so without the find-time catch-up). */
/** Makes the repository's reads of the log's highest lsn hang (a slow database) until release(), which restores them. */
function stallMaxLsn(repo: PgPatternsRepo): { checks: () => number; release: () => void } {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let checks = 0;
  const maxLsn = repo.maxLsn.bind(repo);
  repo.maxLsn = () => {
    checks++;
    return gate.then(maxLsn);
  };
  return {
    checks: () => checks,
    release: () => {
      open();
      repo.maxLsn = maxLsn;
    },
  };
}

function replica(bank: PatternBank): number[] {
  return [...(bank as unknown as { index: { live: Iterable<number> } }).index.live].sort((a, b) => a - b);
}

/** Nearest neighbours in the replica, without a find: what the NOTIFY / timer catch-up put there. */
async function inReplica(bank: PatternBank, task: string): Promise<number[]> {
  const [v] = await embedder.embed([task]);
  return (await bank.vectorSearch(v, 5)).map((h) => h.seq);
}

describe('two nodes on one PostgreSQL', () => {
  it('a pattern stored on node A is found on node B, and its replica takes it without a find', async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const b = await node(url);
    const task = 'Rotate the TLS certificates of the ingress controller before they expire';
    const stored = await a.bank.store({ task, approach: 'cert-manager with a renewal window of 30 days', quality: 0.9 });
    const seq = (await a.repo.rowById(stored.id))!.seq;
    // B's replica was woken by A's NOTIFY (no find on B yet)
    await expect.poll(() => inReplica(b.bank, task), { timeout: 5_000 }).toContain(seq);
    const r = await b.bank.find({ query: 'renew the ingress TLS certificates', k: 3 });
    expect(r.matches[0].pattern.id).toBe(stored.id);
    expect(r.matches[0].vectorScore).toBeGreaterThan(0.5);
  });

  it('a delete and a prune on A disappear from B', async () => {
    const url = await server.newDatabase();
    const a = await node(url, { prune: { minUses: 1, maxFailureRate: 0.5, unusedDays: 90 } });
    const b = await node(url);
    const t1 = 'Compress the nightly database backup before the upload';
    const t2 = 'Cache the npm install between CI runs';
    const keep = 'Translate the error messages into German';
    const p1 = await a.bank.store({ task: t1, approach: 'zstd at level 19', quality: 0.8 });
    const p2 = await a.bank.store({ task: t2, approach: 'actions/cache keyed on the lockfile', quality: 0.8 });
    const p3 = await a.bank.store({ task: keep, approach: 'a locale file per language', quality: 0.8 });
    const found = async (q: string) => (await b.bank.find({ query: q, k: 5 })).matches.map((m) => m.pattern.id);
    await expect.poll(() => found(t1), { timeout: 5_000 }).toContain(p1.id);
    expect(await found(t2)).toContain(p2.id);
    const s1 = (await a.repo.rowById(p1.id))!.seq;
    const s2 = (await a.repo.rowById(p2.id))!.seq;
    await a.bank.delete(p1.id);
    await expect.poll(() => inReplica(b.bank, t1), { timeout: 5_000 }).not.toContain(s1);
    expect(await found(t1)).not.toContain(p1.id);
    // p2 keeps failing: pruned on A (one outcome, all failures)
    await a.bank.recordOutcome(p2.id, false);
    expect((await a.bank.prune()).ids).toEqual([p2.id]);
    await expect.poll(() => inReplica(b.bank, t2), { timeout: 5_000 }).not.toContain(s2);
    expect(await found(t2)).not.toContain(p2.id);
    expect(await found(keep)).toContain(p3.id);
  });

  it("a merge and an outcome on A show in B's find results (counts, quality, successes), filtered finds too", async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const b = await node(url);
    const task = 'Speed up the docker image build of the billing service';
    const first = await a.bank.store({ task, approach: 'multi-stage build with a cached dependency layer', quality: 0.6, tags: ['ci'] });
    await a.bank.store({
      task: 'Translate the error messages into German',
      approach: 'a locale file per language',
      quality: 0.9,
      domain: 'i18n',
    });
    const query = 'make the billing docker build faster';
    const onB = async (q: Parameters<PatternBank['find']>[0]) => (await b.bank.find(q)).matches.find((m) => m.pattern.id === first.id);
    await expect.poll(() => onB({ query, k: 3 }).then((m) => m?.pattern.count), { timeout: 5_000 }).toBe(1);
    // a near-duplicate stored on A merges (no vector changes, nothing for the replica to apply)
    const merged = await a.bank.store({ task, approach: 'Multi-stage build with a cached dependency layer', quality: 1 });
    expect(merged.id).toBe(first.id);
    await a.bank.recordOutcome(first.id, true);
    // B's find reads its read model, caught up from the change log (the merge and the outcome are entries there)
    const quality = (await a.bank.get(first.id)).quality;
    await expect
      .poll(() => onB({ query, k: 3 }).then((x) => [x?.pattern.count, x?.pattern.successes, x?.pattern.quality]), { timeout: 5_000 })
      .toEqual([2, 1, quality]);
    // filters on B: one the hits pass, one that leaves fewer than k + 1 hits (the index is searched again), one none passes
    expect((await onB({ query, k: 3, tags: ['ci'] }))?.pattern.count).toBe(2);
    const strict = await b.bank.find({ query, k: 1, domain: 'i18n' });
    expect(strict.matches.map((x) => x.pattern.task)).toEqual(['Translate the error messages into German']);
    expect((await b.bank.find({ query, k: 3, domain: 'nowhere' })).matches).toEqual([]);
  });

  it("a find on a node with a change feed does not wait for the due check of the log's highest lsn (a round trip)", async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const b = await node(url);
    const task = 'Shard the search index of the product catalogue by region';
    const stored = await a.bank.store({ task, approach: 'one index per region behind an alias', quality: 0.8 });
    await expect.poll(() => b.bank.find({ query: task, k: 1 }).then((r) => r.matches[0]?.pattern.id), { timeout: 5_000 }).toBe(stored.id);
    // B's check of the highest lsn hangs until released: a find due for it answers anyway, from its caught-up replica
    const stall = stallMaxLsn(b.repo);
    await new Promise((r) => setTimeout(r, 250)); // past the 200 ms between a find's checks
    const r = await Promise.race([b.bank.find({ query: task, k: 1 }), new Promise<null>((res) => setTimeout(() => res(null), 3_000))]);
    expect(stall.checks()).toBeGreaterThan(0);
    expect(r?.matches[0].pattern.id).toBe(stored.id);
    stall.release();
    // the check ran beside the find; a store on A is still caught up by B (its feed)
    const later = await a.bank.store({ task: 'Archive the audit log to cold storage monthly', approach: 'a lifecycle rule', quality: 0.8 });
    await expect
      .poll(() => b.bank.find({ query: 'archive the audit log', k: 1 }).then((x) => x.matches[0]?.pattern.id), { timeout: 5_000 })
      .toBe(later.id);
  });

  it('a find waits only briefly for a catch-up another node woke: a stalled catch-up does not hold it up', async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const b = await node(url);
    const task = 'Rotate the signing keys of the internal token service';
    const stored = await a.bank.store({ task, approach: 'two keys live, the old one retired after a day', quality: 0.8 });
    await expect.poll(() => b.bank.find({ query: task, k: 1 }).then((r) => r.matches[0]?.pattern.id), { timeout: 5_000 }).toBe(stored.id);
    // B's reads of the log's highest lsn stall (a slow database) from now on
    const stall = stallMaxLsn(b.repo);
    try {
      // a store on A wakes B's catch-up (NOTIFY), which stalls in its first read
      await a.bank.store({ task: 'Compress the nightly exports before upload', approach: 'zstd level 3', quality: 0.7 });
      await expect.poll(() => stall.checks(), { timeout: 5_000 }).toBeGreaterThan(0);
      const r = await Promise.race([b.bank.find({ query: task, k: 1 }), new Promise<null>((res) => setTimeout(() => res(null), 3_000))]);
      expect(r?.matches[0]?.pattern.id).toBe(stored.id);
    } finally {
      stall.release();
    }
  });

  it('concurrent stores from both nodes leave both replicas with exactly the same set', async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const b = await node(url);
    const words = 'parse render compile index migrate cache shard route queue retry backoff schema lexer token buffer stream'.split(' ');
    const task = (n: number, i: number) =>
      `node ${n} store ${i}: ${words[i % words.length]} the ${words[(i * 7 + n) % words.length]} layer`;
    const stores = [a, b].flatMap((x, n) =>
      Array.from({ length: 60 }, (_, i) =>
        x.bank.store({ task: task(n, i), approach: `${words[i % words.length]} ${n} ${i}`, quality: 0.7 }),
      ),
    );
    const done = await Promise.all(stores);
    expect(done.every((d) => !d.merged)).toBe(true);
    const want = (await a.repo.vectorSeqs(embedder.id)).sort((x, y) => x - y);
    expect(want).toHaveLength(120);
    await expect.poll(() => replica(a.bank), { timeout: 10_000 }).toEqual(want);
    await expect.poll(() => replica(b.bank), { timeout: 10_000 }).toEqual(want);
  });

  it('PostgreSQL restarted: the replica catches up after reconnecting, with stores made while its listener was down', async () => {
    const url = await server.newDatabase();
    const a = await node(url);
    const b = await node(url);
    const before = await a.bank.store({ task: 'Profile the slow search query', approach: 'EXPLAIN ANALYZE', quality: 0.8 });
    await expect.poll(async () => replica(b.bank).length, { timeout: 5_000 }).toBe(1);
    server.pause();
    try {
      // while PostgreSQL is down a store fails fast with a retryable error: nothing is acknowledged
      await expect(a.bank.store({ task: 'never stored', approach: 'x', quality: 0.5 })).rejects.toThrow(/unreachable|retry/i);
    } finally {
      server.resume();
    }
    // B's listener is still reconnecting (backoff): A's stores now are made while B hears nothing
    const after: string[] = [];
    for (let i = 0; i < 5; i++)
      after.push((await a.bank.store({ task: `Upgrade dependency number ${i} of the web app`, approach: `bump ${i}`, quality: 0.7 })).id);
    const seqs = (await a.repo.rowsBySeqs(await a.repo.vectorSeqs(embedder.id))).filter((r) => after.includes(r.id)).map((r) => r.seq);
    expect(seqs).toHaveLength(5);
    await expect
      .poll(() => replica(b.bank), { timeout: 20_000 })
      .toEqual([(await b.repo.rowById(before.id))!.seq, ...seqs].sort((x, y) => x - y));
    const r = await b.bank.find({ query: 'Upgrade dependency number 3 of the web app', k: 1 });
    expect(r.matches[0].pattern.id).toBe(after[3]);
    expect(await b.repo.rowById('never stored')).toBeNull();
    expect(await b.repo.count()).toBe(6);
  });
});
