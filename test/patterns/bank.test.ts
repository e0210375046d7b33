import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PatternBank, migrations, BUNDLE_VERSION, type PatternChange } from '../../src/engine/patterns/index.js';
import { blobToVec, vecToBlob } from '../../src/engine/patterns/bank.js';
import { openDatabase } from '../../src/engine/store/db.js';
import { tempDir } from '../helpers/tmp.js';
import { closeOpenBanks, embedder, openBank, openBankOn, openBanks, stopBankPostgres } from '../helpers/banks.js';

const fixture = openBank;
const open = openBanks;

afterEach(closeOpenBanks);
afterAll(stopBankPostgres);

const TASKS = [
  ['Fix the failing unit test in the authentication module', 'run the test alone, read the assertion diff, fix the token expiry check'],
  ['Add pagination to the REST endpoint that lists orders', 'cursor pagination on created_at with a limit parameter'],
  ['Write a Dockerfile for the Node.js application', 'multi-stage build on node:20-slim, npm ci --omit=dev'],
  ['Detect and redact credit card numbers in log files', 'regex for 13-19 digit runs then a Luhn check before masking'],
  ['Implement a retry with exponential backoff for HTTP calls', 'retry 5 times with jittered exponential delay, only on 429/5xx'],
  ['Translate the error messages into German', 'extract strings to a locale file and translate each entry'],
] as const;

// What a bank does whatever its database: on SQLite (a file) and on PostgreSQL (PgPatternsRepo on a throwaway cluster).
describe.each(['sqlite', 'postgres'] as const)('pattern bank on %s', (engine) => {
  const fixture = (over: Parameters<typeof openBankOn>[1] = {}) => openBankOn(engine, over);

  describe('PatternBank store / find', () => {
    it('stores, finds by paraphrase with score parts, recommends the best approach, records usage', async () => {
      const { bank } = await fixture();
      const ids: string[] = [];
      for (const [task, approach] of TASKS)
        ids.push((await bank.store({ task, approach, quality: 0.9, converged: true, tags: ['dev'] })).id);
      expect(new Set(ids).size).toBe(TASKS.length);
      const r = await bank.find({ query: 'the auth tests are broken, please repair them', k: 3 });
      expect(r.matches.length).toBe(3);
      expect(r.matches[0].pattern.id).toBe(ids[0]);
      expect(r.matches[0].vectorScore).toBeGreaterThan(r.matches[1].vectorScore);
      expect(r.matches[0].score).toBeGreaterThan(0);
      for (const m of r.matches) expect(m.score).toBeCloseTo(0.75 * m.vectorScore + 0.25 * m.lexicalScore, 3);
      expect(r.recommendation?.patternId).toBe(ids[0]);
      expect(r.recommendation?.approach).toBe(TASKS[0][1]);
      expect(r.recommendation!.confidence).toBeGreaterThan(0);
      expect(r.recommendation!.confidence).toBeLessThanOrEqual(1);
      expect(r.embedder).toBe(embedder.id);
      const returned = new Set(r.matches.map((m) => m.pattern.id));
      for (const id of ids) expect((await bank.get(id)).uses).toBe(returned.has(id) ? 1 : 0);
      expect(r.matches[0].pattern.uses).toBe(1);
    });

    it('merges a near-duplicate with the same approach and keeps a different approach separate', async () => {
      const { bank } = await fixture();
      const a = await bank.store({
        task: 'Fix the failing unit test in the auth module',
        approach: 'Read the assertion diff',
        quality: 0.6,
        tags: ['a'],
      });
      const b = await bank.store({
        task: 'fix the failing unit tests in the auth module',
        approach: '  read the ASSERTION diff ',
        quality: 1,
        tags: ['b'],
      });
      expect(b.merged).toBe(true);
      expect(b.id).toBe(a.id);
      expect(b.pattern.count).toBe(2);
      expect(b.pattern.quality).toBeCloseTo(0.8, 5);
      expect(b.pattern.tags).toEqual(['a', 'b']);
      const c = await bank.store({ task: 'fix the failing unit tests in the auth module', approach: 'delete the test', quality: 0.1 });
      expect(c.merged).toBe(false);
      const d = await bank.store({ task: 'Translate the error messages into German', approach: 'Read the assertion diff', quality: 0.5 });
      expect(d.merged).toBe(false);
      expect((await bank.stats()).total).toBe(3);
    });

    it('recommends the approach that keeps working over a similar one that keeps failing', async () => {
      const { bank } = await fixture();
      const good = await bank.store({
        task: 'Fix the race condition in the job queue',
        approach: 'lock the job row with SELECT ... FOR UPDATE SKIP LOCKED',
        quality: 0.8,
      });
      const bad = await bank.store({
        task: 'Fix the race condition in the job queue workers',
        approach: 'add a sleep before taking a job',
        quality: 0.8,
      });
      for (let i = 0; i < 3; i++) {
        await bank.recordOutcome(good.id, true);
        await bank.recordOutcome(bad.id, false);
      }
      const r = await bank.find({ query: 'queue workers grab the same job concurrently, fix it', k: 5 });
      expect(r.matches.map((m) => m.pattern.id)).toEqual(expect.arrayContaining([good.id, bad.id]));
      expect(r.recommendation?.patternId).toBe(good.id);
      // with only failing evidence the confidence is low
      await bank.delete(good.id);
      const r2 = await bank.find({ query: 'queue workers grab the same job concurrently, fix it', k: 5 });
      expect(r2.recommendation?.patternId).toBe(bad.id);
      expect(r2.recommendation!.confidence).toBeLessThan(r.recommendation!.confidence);
    });

    it('finds by pattern id (excluding itself) and applies filters', async () => {
      const { bank } = await fixture();
      const s1 = await bank.store({
        task: 'Write a bash script that backs up the database every night',
        approach: 'pg_dump in cron',
        quality: 0.9,
        domain: 'ops',
        agentId: 'a1',
        converged: true,
        tags: ['db', 'cron'],
      });
      const s2 = await bank.store({
        task: 'Nightly backup of the Postgres database with a shell script',
        approach: 'pg_dump piped to gzip',
        quality: 0.4,
        domain: 'ops',
        agentId: 'a2',
        converged: false,
        tags: ['db'],
      });
      const s3 = await bank.store({
        task: 'Back up the database to S3 every night',
        approach: 'aws s3 cp of a dump',
        quality: 0.7,
        domain: 'cloud',
        agentId: 'a1',
        converged: true,
        tags: ['db', 's3'],
      });
      const byId = await bank.find({ patternId: s1.id, k: 5 });
      expect(byId.matches.map((m) => m.pattern.id)).not.toContain(s1.id);
      expect(byId.matches.map((m) => m.pattern.id).sort()).toEqual([s2.id, s3.id].sort());
      const q = 'back up the database every night';
      expect((await bank.find({ query: q, minQuality: 0.5 })).matches.map((m) => m.pattern.id).sort()).toEqual([s1.id, s3.id].sort());
      expect((await bank.find({ query: q, domain: 'cloud' })).matches.map((m) => m.pattern.id)).toEqual([s3.id]);
      expect((await bank.find({ query: q, agentId: 'a2' })).matches.map((m) => m.pattern.id)).toEqual([s2.id]);
      expect((await bank.find({ query: q, converged: false })).matches.map((m) => m.pattern.id)).toEqual([s2.id]);
      expect((await bank.find({ query: q, tags: ['db', 'cron'] })).matches.map((m) => m.pattern.id)).toEqual([s1.id]);
      const none = await bank.find({ query: q, domain: 'nowhere' });
      expect(none.matches).toEqual([]);
      expect(none.recommendation).toBeNull();
    });

    it('rejects bad input and unknown ids with messages naming the problem', async () => {
      const { bank } = await fixture();
      await expect(bank.store({ task: '', approach: 'x', quality: 0.5 })).rejects.toThrow(/task must be a non-empty string/);
      await expect(bank.store({ task: 't', approach: 'x', quality: 1.5 })).rejects.toThrow(/quality must be a number from 0 to 1/);
      await expect(bank.find({})).rejects.toThrow(/query text or a patternId/);
      await expect(bank.find({ query: 'x', k: 0 })).rejects.toThrow(/k must be an integer/);
      await expect(bank.find({ patternId: 'pat_nope' })).rejects.toThrow(/unknown pattern id "pat_nope"/);
      await expect(bank.get('pat_missing')).rejects.toThrow(/pat_missing/);
      await expect(bank.delete('pat_missing')).rejects.toThrow(/pat_missing/);
      await expect(bank.recordOutcome('pat_missing', true)).rejects.toThrow(/pat_missing/);
      await expect(bank.list({ cursor: '!!!' })).rejects.toThrow(/invalid cursor/);
    });
  });

  describe('PatternBank lifecycle', () => {
    it('lists with a cursor, deletes (index follows), emits changes', async () => {
      const { bank } = await fixture();
      const changes: PatternChange[] = [];
      const off = bank.onChange((c) => changes.push(c));
      const ids: string[] = [];
      for (let i = 0; i < 7; i++)
        ids.push((await bank.store({ task: `task number ${i} about topic ${'abcdefg'[i]}`, approach: `approach ${i}`, quality: 0.5 })).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await bank.list({ cursor, limit: 3 });
        seen.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(ids);
      await bank.delete(ids[2]);
      expect((await bank.stats()).total).toBe(6);
      expect((await bank.stats()).indexed).toBe(6);
      const r = await bank.find({ query: 'task number 2 about topic c', k: 10 });
      expect(r.matches.map((m) => m.pattern.id)).not.toContain(ids[2]);
      expect(changes.filter((c) => c.type === 'created').length).toBe(7);
      expect(changes).toContainEqual({ type: 'deleted', id: ids[2] });
      off();
      await bank.store({ task: 'after unsubscribe', approach: 'z', quality: 0.5 });
      expect(changes.length).toBe(8);
    });

    it('success rate follows outcomes; prune removes failing and unused patterns and reports it in stats', async () => {
      const { bank } = await fixture({ prune: { minUses: 3, maxFailureRate: 0.6, unusedDays: 30 } });
      const good = await bank.store({
        task: 'Generate TypeScript types from the JSON schema',
        approach: 'json-schema-to-typescript',
        quality: 0.8,
      });
      const bad = await bank.store({ task: 'Convert the Markdown README into HTML', approach: 'hand-written regexes', quality: 0.8 });
      const idle = await bank.store({ task: 'Sort the leaderboard by score and then by name', approach: 'sort twice', quality: 0.8 });
      expect((await bank.get(good.id)).successRate).toBeNull();
      await bank.recordOutcome(good.id, true);
      await bank.recordOutcome(good.id, true);
      const g = await bank.recordOutcome(good.id, false, 0.2);
      expect(g.successes).toBe(2);
      expect(g.failures).toBe(1);
      expect(g.successRate).toBeCloseTo(2 / 3, 5);
      expect(g.quality).toBeCloseTo(0.8 * 0.7 + 0.2 * 0.3, 5);
      for (let i = 0; i < 3; i++) await bank.recordOutcome(bad.id, false);
      const before = await bank.prune();
      expect(before.ids).toEqual([bad.id]);
      // 40 days later: the idle pattern (never used) goes, the recently used good one stays
      const later = await bank.prune(new Date(Date.now() + 40 * 86_400_000));
      expect(later.ids).toEqual([idle.id]);
      const st = await bank.stats();
      expect(st.pruned).toBe(2);
      expect(st.lastPrune).not.toBeNull();
      expect(st.total).toBe(1);
      expect(st.indexed).toBe(1);
    });
  });

  describe('bundles', () => {
    it('round-trips msgpack and JSON bundles with de-duplication', async () => {
      const a = await fixture();
      for (const [task, approach] of TASKS) await a.bank.store({ task, approach, quality: 0.8, tags: ['x'], domain: 'dev' });
      const first = (await a.bank.list({ limit: 1 })).items[0];
      await a.bank.recordOutcome(first.id, true);
      const bin = await a.bank.exportBundle('msgpack');
      expect(bin.subarray(0, 4).toString('latin1')).toBe('RVPB');
      const json = await a.bank.exportBundle('json');
      expect(JSON.parse(json.toString('utf8')).patterns.length).toBe(TASKS.length);

      const b = await fixture();
      // b already has a near-duplicate of one task with the same approach: it merges
      await b.bank.store({ task: 'fix the failing unit tests in the authentication module', approach: TASKS[0][1], quality: 0.4 });
      const r1 = await b.bank.importBundle(bin);
      expect(r1).toEqual({ imported: TASKS.length - 1, merged: 1, skipped: 0 });
      expect((await b.bank.stats()).total).toBe(TASKS.length);
      const merged = (await b.bank.find({ query: TASKS[0][0], k: 1 })).matches[0].pattern;
      expect(merged.count).toBe(2);
      expect(merged.successes).toBe(1);
      // importing again: every id is known
      expect(await b.bank.importBundle(bin)).toEqual({ imported: 0, merged: 0, skipped: TASKS.length });
      const c = await fixture();
      expect(await c.bank.importBundle(json)).toEqual({ imported: TASKS.length, merged: 0, skipped: 0 });
      const p = await c.bank.get(first.id);
      expect(p.successes).toBe(1);
      expect(p.domain).toBe('dev');
      expect((await c.bank.find({ query: 'containerize the node app', k: 1 })).matches[0].pattern.task).toBe(TASKS[2][0]);
    });

    it('refuses corrupt, truncated, newer-format and foreign bundles with clear errors', async () => {
      const a = await fixture();
      await a.bank.store({ task: 'one', approach: 'two', quality: 0.5 });
      const bin = await a.bank.exportBundle('msgpack');
      const flipped = Buffer.from(bin);
      flipped[flipped.length - 3] ^= 0xff;
      await expect(a.bank.importBundle(flipped)).rejects.toThrow(/checksum mismatch/);
      await expect(a.bank.importBundle(bin.subarray(0, bin.length - 5))).rejects.toThrow(/corrupt or truncated/);
      const newer = Buffer.from(bin);
      newer.writeUInt16BE(BUNDLE_VERSION + 1, 4);
      await expect(a.bank.importBundle(newer)).rejects.toThrow(/version 2 is newer than this ruvllm-mcp supports \(1\)/);
      const jsonNewer = Buffer.from(JSON.stringify({ format: 'ruvllm-mcp-patterns', version: 9, patterns: [] }));
      await expect(a.bank.importBundle(jsonNewer)).rejects.toThrow(/version 9 is newer/);
      await expect(a.bank.importBundle(Buffer.from('{"format":"ruvllm-mcp-patterns","version":1,"patterns":[{"id":1}]}'))).rejects.toThrow(
        /entry 0 is malformed/,
      );
      await expect(a.bank.importBundle(Buffer.from('hello'))).rejects.toThrow(/not a pattern bundle/);
      await expect(a.bank.importBundle(Buffer.from('{"broken'))).rejects.toThrow(/JSON pattern bundle is corrupt/);
      expect((await a.bank.stats()).total).toBe(1);
    });
  });
});

describe('PatternBank lifecycle on SQLite', () => {
  it('keeps the uses counted by finds in pattern_usage: they add to the pattern, survive a reopen, count for pruning and go with the pattern', async () => {
    const dir = tempDir('ruvllm-usage-');
    const first = await fixture({ prune: { minUses: 3, maxFailureRate: 0.6, unusedDays: 30 } }, dir);
    const used = await first.bank.store({
      task: 'Compress the nightly database backup before upload',
      approach: 'zstd -19 then upload',
      quality: 0.7,
    });
    const idle = await first.bank.store({ task: 'Rename the CSS classes to BEM notation', approach: 'codemod', quality: 0.7 });
    for (let i = 0; i < 3; i++) {
      const r = await first.bank.find({ query: 'compress the backup of the database', k: 1 });
      expect(r.matches[0].pattern.id).toBe(used.id);
    }
    expect((await first.bank.get(used.id)).uses).toBe(3);
    // the find counts went to the narrow table, not into the pattern row
    expect((first.db.prepare('SELECT uses FROM patterns WHERE id = ?').get(used.id) as { uses: number }).uses).toBe(0);
    expect(
      (
        first.db.prepare('SELECT u.uses FROM pattern_usage u JOIN patterns p ON p.seq = u.seq WHERE p.id = ?').get(used.id) as {
          uses: number;
        }
      ).uses,
    ).toBe(3);
    await first.bank.close();
    open.splice(
      open.findIndex((o) => o.bank === first.bank),
      1,
    );
    first.db.close();

    const again = await fixture({ prune: { minUses: 3, maxFailureRate: 0.6, unusedDays: 30 } }, dir);
    expect((await again.bank.get(used.id)).uses).toBe(3);
    expect((await again.bank.list()).items.find((p) => p.id === used.id)!.uses).toBe(3);
    // 40 days on: the idle pattern is pruned, the one used 3 times (minUses) is not
    const later = await again.bank.prune(new Date(Date.now() + 40 * 86_400_000));
    expect(later.ids).toEqual([idle.id]);
    await again.bank.delete(used.id);
    expect((again.db.prepare('SELECT count(*) AS n FROM pattern_usage').get() as { n: number }).n).toBe(0);
  });
});

describe('PatternBank persistence', () => {
  it('stores vectors as float16 without changing cosine rankings, and still reads float32 blobs', () => {
    const v = embedder.embedSync('Fix the failing unit test in the authentication module');
    const blob = vecToBlob(v);
    expect(blob.length).toBe(v.length * 2);
    const back = blobToVec(blob, v.length);
    let maxErr = 0;
    let dot = 0;
    for (let i = 0; i < v.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(back[i] - v[i]));
      dot += back[i] * v[i];
    }
    expect(maxErr).toBeLessThan(1e-3);
    expect(dot).toBeGreaterThan(0.9999);
    expect(Array.from(blobToVec(Buffer.from(v.buffer.slice(0)), v.length))).toEqual(Array.from(v));
    expect(() => blobToVec(Buffer.alloc(10), v.length)).toThrow(/stored vector has 10 bytes/);
  });

  it('loads the persisted index at open and catches up from the change log instead of rebuilding', async () => {
    const dir = tempDir('ruvllm-patterns-');
    const { bank, db } = await fixture({}, dir);
    const ids: string[] = [];
    for (const [task, approach] of TASKS.slice(0, 4)) ids.push((await bank.store({ task, approach, quality: 0.7 })).id);
    await bank.flush();
    const manifest = JSON.parse(readFileSync(join(dir, 'patterns.hnsw.json'), 'utf8'));
    expect(manifest.live).toBe(4);
    expect(manifest.embedder).toBe(embedder.id);
    // changes after the save: 2 stores and 1 delete, then the process "stops" without saving
    for (const [task, approach] of TASKS.slice(4)) ids.push((await bank.store({ task, approach, quality: 0.7 })).id);
    await bank.delete(ids[1]);
    const pending = (db.prepare('SELECT COUNT(*) AS n FROM pattern_vec_log WHERE lsn > ?').get(manifest.hwm) as { n: number }).n;
    expect(pending).toBe(3);
    open.splice(0); // do not close (no final save)
    db.close();

    const db2 = openDatabase(join(dir, 'bank.db'), migrations);
    const bank2 = await PatternBank.open({ db: db2, indexPath: join(dir, 'patterns.hnsw'), embedder, persistIntervalMs: 0 });
    open.push({ bank: bank2, db: db2 });
    expect((await bank2.stats()).total).toBe(5);
    expect((await bank2.stats()).indexed).toBe(5);
    expect((await bank2.stats()).indexLoad).toMatchObject({ from: 'file', replayed: 3 });
    const r = await bank2.find({ query: TASKS[5][0], k: 1 });
    expect(r.matches[0].pattern.id).toBe(ids[5]);
    const gone = await bank2.find({ query: TASKS[1][0], k: 5 });
    expect(gone.matches.map((m) => m.pattern.id)).not.toContain(ids[1]);
    // the catch-up was saved (in the background after open): a new generation, old data files removed, log trimmed
    await bank2.flush();
    const files = readdirSync(dir).filter((f) => f.endsWith('.hnsw'));
    expect(files.length).toBe(1);
    const m2 = JSON.parse(readFileSync(join(dir, 'patterns.hnsw.json'), 'utf8'));
    expect(m2.hwm).toBeGreaterThan(manifest.hwm);
    expect(m2.live).toBe(5);
    expect(existsSync(join(dir, m2.file))).toBe(true);
    // a clean close saves everything: the next open loads the file and replays nothing
    await bank2.close();
    open.splice(0);
    db2.close();
    const db3 = openDatabase(join(dir, 'bank.db'), migrations);
    const bank3 = await PatternBank.open({ db: db3, indexPath: join(dir, 'patterns.hnsw'), embedder, persistIntervalMs: 0 });
    open.push({ bank: bank3, db: db3 });
    expect((await bank3.stats()).indexLoad).toMatchObject({ from: 'file', replayed: 0 });
    expect((await bank3.stats()).indexed).toBe(5);
  });

  it('an index file older than the trimmed log is reused and reconciled, not rebuilt', async () => {
    const dir = tempDir('ruvllm-patterns-');
    const { bank, db } = await fixture({}, dir);
    const ids: string[] = [];
    for (const [task, approach] of TASKS.slice(0, 3)) ids.push((await bank.store({ task, approach, quality: 0.7 })).id);
    await bank.flush();
    const fs = await import('node:fs');
    const m = JSON.parse(fs.readFileSync(join(dir, 'patterns.hnsw.json'), 'utf8'));
    fs.copyFileSync(join(dir, m.file), join(dir, 'old.bin'));
    fs.copyFileSync(join(dir, 'patterns.hnsw.json'), join(dir, 'old.json'));
    for (const [task, approach] of TASKS.slice(3)) ids.push((await bank.store({ task, approach, quality: 0.7 })).id);
    await bank.delete(ids[0]);
    await bank.close(); // saves and trims the log past the old file's mark
    open.splice(0);
    db.close();
    for (const f of fs.readdirSync(dir)) if (f.startsWith('patterns.hnsw')) fs.rmSync(join(dir, f));
    fs.copyFileSync(join(dir, 'old.bin'), join(dir, m.file));
    fs.copyFileSync(join(dir, 'old.json'), join(dir, 'patterns.hnsw.json'));
    const db2 = openDatabase(join(dir, 'bank.db'), migrations);
    const bank2 = await PatternBank.open({ db: db2, indexPath: join(dir, 'patterns.hnsw'), embedder, persistIntervalMs: 0 });
    open.push({ bank: bank2, db: db2 });
    expect((await bank2.stats()).indexLoad.from).toBe('file');
    expect((await bank2.stats()).indexed).toBe(TASKS.length - 1);
    expect((await bank2.find({ query: TASKS[0][0], k: 10 })).matches.map((x) => x.pattern.id)).not.toContain(ids[0]);
    expect((await bank2.find({ query: TASKS[5][0], k: 1 })).matches[0].pattern.id).toBe(ids[5]);
  });

  it('rebuilds from SQLite when the index files are gone, and grows past its initial capacity', async () => {
    const dir = tempDir('ruvllm-patterns-');
    const { bank, db } = await fixture({ maxElements: 16 }, dir);
    for (let i = 0; i < 60; i++)
      await bank.store({ task: `unique task ${i} ${'x'.repeat(i % 5)} ${i * 7919}`, approach: `a${i}`, quality: 0.5 });
    expect((await bank.stats()).indexed).toBe(60);
    await bank.close();
    open.splice(0);
    db.close();
    for (const f of readdirSync(dir)) if (f.startsWith('patterns.hnsw')) (await import('node:fs')).rmSync(join(dir, f));
    const db2 = openDatabase(join(dir, 'bank.db'), migrations);
    const bank2 = await PatternBank.open({ db: db2, indexPath: join(dir, 'patterns.hnsw'), embedder, persistIntervalMs: 0 });
    open.push({ bank: bank2, db: db2 });
    expect((await bank2.stats()).indexed).toBe(60);
    expect((await bank2.stats()).indexLoad.from).toBe('rebuild');
    const r = await bank2.find({ query: 'unique task 42', k: 1 });
    expect(r.matches[0].pattern.task.startsWith('unique task 42 ')).toBe(true);
  });
});

describe('two processes on one database', () => {
  it('a bank sees stores and deletes another bank (e.g. a CLI import) committed, and survives its log trims', async () => {
    const dir = tempDir('ruvllm-patterns-');
    const a = await fixture({}, dir);
    const dbB = openDatabase(join(dir, 'bank.db'), migrations);
    const b = await PatternBank.open({ db: dbB, indexPath: join(dir, 'other.hnsw'), embedder, persistIntervalMs: 0 });
    open.push({ bank: b, db: dbB });
    const x = await a.bank.store({ task: TASKS[0][0], approach: TASKS[0][1], quality: 0.8 });
    const y = await b.store({ task: TASKS[1][0], approach: TASKS[1][1], quality: 0.8 }); // b replays a's entry first
    expect((await b.stats()).indexed).toBe(2);
    await new Promise((r) => setTimeout(r, 600));
    const seenByA = await a.bank.find({ query: TASKS[1][0], k: 1 });
    expect(seenByA.matches[0].pattern.id).toBe(y.id);
    expect((await a.bank.stats()).indexed).toBe(2);
    // b saves (trimming the log), then deletes: a must still converge
    await b.flush();
    await b.store({ task: TASKS[2][0], approach: TASKS[2][1], quality: 0.8 });
    await b.flush();
    await b.delete(x.id);
    await b.flush();
    await new Promise((r) => setTimeout(r, 600));
    const r = await a.bank.find({ query: TASKS[0][0], k: 5 });
    expect(r.matches.map((m) => m.pattern.id)).not.toContain(x.id);
    expect((await a.bank.stats()).indexed).toBe(2);
  });

  it("a bank's own stores, deletes and finds interleaved with its catch-up on another bank's writes leave its index equal to the database", async () => {
    const dir = tempDir('ruvllm-patterns-');
    const a = await fixture({}, dir);
    const dbB = openDatabase(join(dir, 'bank.db'), migrations);
    const b = await PatternBank.open({ db: dbB, indexPath: join(dir, 'other.hnsw'), embedder, persistIntervalMs: 0 });
    open.push({ bank: b, db: dbB });
    const task = (who: string, i: number) => `${who} round ${i}: migrate the ${i % 7} shard of table t${i} to schema v${i}`;
    const mine: string[] = [];
    const theirs: string[] = [];
    for (let i = 0; i < 12; i++) {
      // b writes (a store, and every third round a delete of one of a's patterns) while a stores, deletes and finds at
      // once: a's catch-up (a find 200 ms after the last) replays b's entries between a's own commits and index updates
      theirs.push((await b.store({ task: task('b', i), approach: `b approach ${i}`, quality: 0.6 })).id);
      if (i % 3 === 2) await b.delete(mine.shift()!);
      await new Promise((r) => setTimeout(r, 210));
      const [stored] = await Promise.all([
        a.bank.store({ task: task('a', i), approach: `a approach ${i}`, quality: 0.6 }),
        a.bank.find({ query: task('b', i), k: 3 }),
        i % 4 === 3 ? a.bank.delete(theirs.shift()!) : Promise.resolve(),
        a.bank.find({ query: task('a', i - 1), k: 3 }),
      ]);
      mine.push(stored.id);
    }
    await new Promise((r) => setTimeout(r, 210));
    const st = await a.bank.stats();
    const rows = a.db.prepare('SELECT COUNT(*) AS n FROM patterns').get() as { n: number };
    const maxLsn = a.db.prepare("SELECT seq AS m FROM sqlite_sequence WHERE name = 'pattern_vec_log'").get() as { m: number };
    expect(st.total).toBe(rows.n);
    expect(st.indexed).toBe(rows.n);
    expect(st.hwm).toBe(maxLsn.m);
    for (const id of [...mine, ...theirs]) {
      const p = await a.bank.get(id);
      expect((await a.bank.find({ query: p.task, k: 5 })).matches.map((m) => m.pattern.id)).toContain(id);
    }
  });
});
