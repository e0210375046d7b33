// A bank that keeps no secrets: task, approach, outcome and tags are scanned and stored redacted (with the
// categories), so nothing a find, a read or a bundle returns carries a detected secret; banks written before
// are rescanned when opened (rows, FTS and vectors).
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrations, encodeBundle, type Pattern } from '../../src/engine/patterns/index.js';
import { vecToBlob } from '../../src/engine/patterns/bank.js';
import { IndexThread } from '../../src/engine/patterns/hnsw-thread.js';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { scanPrivacy } from '../../src/engine/privacy/privacy.js';
import { PRIVACY_SCAN_VERSION } from '../../src/engine/patterns/redact.js';
import { tempDir } from '../helpers/tmp.js';
import { closeOpenBanks, embedder, openBank, openBanks } from '../helpers/banks.js';
import { AWS_KEY_ID, PASSWORD, SECRET_PATTERNS, expectNoSecret, writeOldPatterns } from '../helpers/secrets.js';

afterEach(closeOpenBanks);

const EXPECTED_CATEGORIES = [['credential'], ['credential'], ['email', 'phone'], ['private_key']];

function dot(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] * b[i];
  return d;
}

/** The raw bytes of the database files (main file and WAL). */
function dbBytes(dir: string): Buffer {
  const files = ['bank.db', 'bank.db-wal'].map((f) => join(dir, f)).filter(existsSync);
  return Buffer.concat(files.map((f) => readFileSync(f)));
}

function ftsHits(db: DB, term: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM patterns_fts WHERE patterns_fts MATCH ?').get(`"${term}"`) as { n: number }).n;
}

function expectRedactedPattern(p: Pattern, i: number): void {
  expectNoSecret(JSON.stringify(p), `pattern ${i}`);
  expect(p.task).toContain('[REDACTED:');
  expect(p.approach).toContain('[REDACTED:');
  expect(p.privacyCategories).toEqual(EXPECTED_CATEGORIES[i]);
}

function oldDb(dir: string): DB {
  return openDatabase(
    join(dir, 'bank.db'),
    migrations.filter((m) => m.version <= 4),
  );
}

describe('pattern bank redaction on store', () => {
  it('stores task, approach, outcome and tags redacted with their categories: find, get, list, bundles, FTS and the database file carry no secret', async () => {
    const { bank, db, dir } = await openBank();
    const ids: string[] = [];
    for (const [i, p] of SECRET_PATTERNS.entries()) {
      const r = await bank.store({ ...p, quality: 0.9 });
      expectRedactedPattern(r.pattern, i);
      ids.push(r.id);
    }
    expect((await bank.get(ids[0])).outcome).toBe('worked; the key [REDACTED:credential] needs s3:PutObject only');
    expect((await bank.get(ids[0])).tags).toEqual(['[REDACTED:credential]', 'backup']);
    for (const [i, id] of ids.entries()) expectRedactedPattern(await bank.get(id), i);
    for (const p of SECRET_PATTERNS) {
      // the query itself carries the secret: what comes back must not
      const f = await bank.find({ query: p.task, k: 4 });
      expect(f.matches.length).toBe(4);
      expectNoSecret(JSON.stringify(f), 'find result');
      expect(f.recommendation?.approach).toContain('[REDACTED:');
    }
    expectNoSecret(JSON.stringify(await bank.find({ patternId: ids[1], k: 4 })), 'find by pattern id');
    expectNoSecret(JSON.stringify(await bank.list({ limit: 10 })), 'list');
    expectNoSecret(await bank.exportBundle('json'), 'json bundle');
    expectNoSecret(await bank.exportBundle('msgpack'), 'msgpack bundle');
    // FTS holds the redacted text only (its tokens of the AWS key id and the password are absent)
    expect(ftsHits(db, 'redacted')).toBe(4);
    expect(ftsHits(db, AWS_KEY_ID.toLowerCase())).toBe(0);
    expect(ftsHits(db, 'tr0ub4dor')).toBe(0);
    // the vector is the redacted task's
    const redactedTask = (await bank.get(ids[0])).task;
    const [vr] = await embedder.embed([redactedTask]);
    const hit = (await bank.vectorSearch(vr, 1))[0];
    expect(hit.sim).toBeGreaterThan(0.999);
    expect((await bank.get(ids[0])).task).toBe(redactedTask);
    // nothing secret was ever written to the database files
    await bank.close();
    openBanks.splice(0);
    db.close();
    expectNoSecret(dbBytes(dir), 'database file');
  });

  it('merges near-duplicates that differ only in their secrets (approach keys are compared on redacted text)', async () => {
    const { bank } = await openBank();
    const a = await bank.store({
      task: 'Rotate the deploy credentials of the build server, old key id AKIAQ3EGRKWZLV7XJT4N',
      approach: 'create a new key pair, store it with password=Xk9#mQ2vLp7wRt, revoke the old one',
      quality: 0.7,
    });
    const b = await bank.store({
      task: 'Rotate the deploy credentials of the build server, old key id AKIAZ7XJT4NQ3EGRKWLV',
      approach: 'create a new key pair, store it with password=Hn3$vB8cXz1qWe, revoke the old one',
      quality: 0.9,
    });
    expect(b.merged).toBe(true);
    expect(b.id).toBe(a.id);
    expect(b.pattern.count).toBe(2);
    expect(b.pattern.approach).toBe('create a new key pair, store it with password=[REDACTED:credential], revoke the old one');
    expect(b.pattern.task).toBe('Rotate the deploy credentials of the build server, old key id [REDACTED:credential]');
    expect(b.pattern.privacyCategories).toEqual(['credential']);
  });

  it('redacts what a bundle carries on import and does not keep the vectors computed from its unredacted text', async () => {
    const { bank, db } = await openBank();
    const vecs = await embedder.embed(SECRET_PATTERNS.map((p) => p.task));
    const now = new Date().toISOString();
    const body = {
      embedder: embedder.id,
      dim: embedder.dim,
      exportedAt: now,
      patterns: SECRET_PATTERNS.map((p, i) => ({
        id: `pat_in${i}`,
        task: p.task,
        approach: p.approach,
        outcome: p.outcome,
        quality: 0.8,
        iterations: 0,
        converged: true,
        model: null,
        backend: null,
        route: null,
        tags: p.tags,
        domain: null,
        agentId: null,
        count: 1,
        uses: 0,
        successes: 0,
        failures: 0,
        createdAt: now,
        updatedAt: now,
        vector: new Uint8Array(vecToBlob(vecs[i])),
      })),
    };
    expect(await bank.importBundle(encodeBundle('msgpack', body))).toEqual({ imported: 4, merged: 0, skipped: 0 });
    for (let i = 0; i < 4; i++) {
      const p = await bank.get(`pat_in${i}`);
      expectRedactedPattern(p, i);
      const [vr] = await embedder.embed([p.task]);
      const stored = db
        .prepare('SELECT vector FROM pattern_vectors p JOIN patterns q ON q.seq = p.seq WHERE q.id = ?')
        .get(`pat_in${i}`) as { vector: Buffer };
      expect(stored.vector.equals(vecToBlob(vr))).toBe(true);
    }
    // a JSON bundle (no vectors) from another bank: redacted too
    const { bank: other } = await openBank();
    const json = Buffer.from(
      JSON.stringify({
        format: 'ruvllm-mcp-patterns',
        version: 1,
        ...body,
        patterns: body.patterns.map(({ vector: _v, ...rest }) => rest),
      }),
    );
    expect((await other.importBundle(json)).imported).toBe(4);
    expectNoSecret(await other.exportBundle('json'), 'bank imported from a JSON bundle');
    expectNoSecret(JSON.stringify(await other.find({ query: SECRET_PATTERNS[0].task, k: 4 })), 'find after import');
  });
});

describe('pattern bank rescan of banks stored before redaction', () => {
  it('redacts rows in place when opened, in batches, and FTS, vectors and the database file follow', async () => {
    const dir = tempDir('ruvllm-patterns-');
    const db0 = oldDb(dir);
    const clean = Array.from({ length: 1300 }, (_, i) => ({
      task: `Summarise log file number ${i} of the nightly batch`,
      approach: `read it in chunks, approach ${i % 7}`,
    }));
    // secrets before, between and after the clean rows, so more than one batch holds some
    const rows = [
      SECRET_PATTERNS[0],
      ...clean.slice(0, 700),
      SECRET_PATTERNS[1],
      SECRET_PATTERNS[2],
      ...clean.slice(700),
      SECRET_PATTERNS[3],
    ];
    const seqs = await writeOldPatterns(db0, embedder, rows);
    expect(ftsHits(db0, AWS_KEY_ID.toLowerCase())).toBe(1);
    db0.close();
    expect(dbBytes(dir).includes(AWS_KEY_ID)).toBe(true);

    const { bank, db } = await openBank({}, dir);
    expect((await bank.stats()).privacyScan).toMatchObject({ scanned: rows.length, redacted: 4 });
    const secretSeqs = [seqs[0], seqs[701], seqs[702], seqs[rows.length - 1]];
    const all: Pattern[] = [];
    for (let cursor: string | null = null; ;) {
      const page = await bank.list({ cursor, limit: 1000 });
      all.push(...page.items);
      if (!(cursor = page.nextCursor)) break;
    }
    expect(all.length).toBe(rows.length);
    expectNoSecret(JSON.stringify(all), 'list after rescan');
    const byId = new Map(all.map((p) => [p.id, p]));
    secretSeqs.forEach((s, i) => expectRedactedPattern(byId.get(`pat_old${seqs.indexOf(s)}`)!, i));
    // clean rows untouched
    expect(byId.get('pat_old1')!.task).toBe(clean[0].task);
    expect(byId.get('pat_old1')!.privacyCategories).toEqual([]);
    // FTS followed the updates
    expect(ftsHits(db, AWS_KEY_ID.toLowerCase())).toBe(0);
    expect(ftsHits(db, 'tr0ub4dor')).toBe(0);
    expect(ftsHits(db, 'redacted')).toBe(4);
    // the vectors are the redacted tasks'
    for (const [i, s] of secretSeqs.entries()) {
      const p = byId.get(`pat_old${seqs.indexOf(s)}`)!;
      const [vr] = await embedder.embed([p.task]);
      const hit = (await bank.vectorSearch(vr, 1))[0];
      expect(hit.seq, `pattern ${i}`).toBe(s);
      expect(hit.sim).toBeGreaterThan(0.999);
    }
    expectNoSecret(JSON.stringify(await bank.find({ query: SECRET_PATTERNS[0].task, k: 10 })), 'find after rescan');
    expectNoSecret(await bank.exportBundle('msgpack'), 'bundle after rescan');
    await bank.close();
    openBanks.splice(0);
    db.close();
    // the old text is gone from the database files too (rows, FTS segments, freed pages)
    expectNoSecret(dbBytes(dir), 'database file after rescan');

    // a second open has nothing left to rescan
    const again = await openBank({}, dir);
    expect((await again.bank.stats()).privacyScan).toMatchObject({ scanned: 0, redacted: 0 });
    expect((await again.bank.get(`pat_old0`)).privacyCategories).toEqual(['credential']);
  });

  it('resumes an interrupted rescan where it stopped, and rescans everything after a scanner version bump', async () => {
    const dir = tempDir('ruvllm-patterns-');
    const db0 = oldDb(dir);
    const seqs = await writeOldPatterns(db0, embedder, [
      SECRET_PATTERNS[0],
      { task: 'Explain the diff', approach: 'read it' },
      SECRET_PATTERNS[1],
      SECRET_PATTERNS[2],
    ]);
    db0.close();
    // a pass that stopped after the first two rows (its progress record, as the pass writes it)
    const db1 = openDatabase(join(dir, 'bank.db'), migrations);
    const setScan = (v: object) =>
      db1
        .prepare("INSERT INTO pattern_meta (key, value) VALUES ('privacy_scan', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .run(JSON.stringify(v));
    setScan({ version: PRIVACY_SCAN_VERSION, after: seqs[1], done: false });
    db1.close();
    const first = await openBank({}, dir);
    expect((await first.bank.stats()).privacyScan).toMatchObject({ scanned: 2, redacted: 2 });
    expect((await first.bank.get('pat_old2')).privacyCategories).toEqual(['credential']);
    await first.bank.close();
    first.db.close();
    openBanks.splice(0);
    // an older scanner version recorded as done: everything is scanned again with this one
    const db2 = openDatabase(join(dir, 'bank.db'), migrations);
    db2
      .prepare("UPDATE pattern_meta SET value = ? WHERE key = 'privacy_scan'")
      .run(JSON.stringify({ version: PRIVACY_SCAN_VERSION - 1, after: seqs[3], done: true }));
    db2.close();
    const second = await openBank({}, dir);
    expect((await second.bank.stats()).privacyScan).toMatchObject({ scanned: 4, redacted: 1 });
    expectNoSecret(await second.bank.exportBundle('json'), 'bundle after a version bump');
  });

  it('replaces the vectors of redacted rows in a persisted HNSW index', async () => {
    const dir = tempDir('ruvllm-patterns-');
    const db0 = oldDb(dir);
    const rows = [
      { task: 'Convert the CSV export of orders into JSON grouped by customer', approach: 'stream the csv, group by customer id' },
      SECRET_PATTERNS[0],
      { task: 'Explain the diff of the last release branch merge', approach: 'git diff --stat then per file' },
    ];
    const seqs = await writeOldPatterns(db0, embedder, rows);
    // the index file the old code persisted: vectors of the unredacted tasks
    const bankId = 'old-bank-id';
    db0.prepare("INSERT INTO pattern_meta (key, value) VALUES ('bank_id', ?)").run(bankId);
    const hwm = (db0.prepare("SELECT seq AS m FROM sqlite_sequence WHERE name = 'pattern_vec_log'").get() as { m: number }).m;
    const old = IndexThread.create(embedder.dim, embedder.id, { m: 16, efConstruction: 64, efSearch: 48 }, 100, false);
    const oldVecs = await embedder.embed(rows.map((r) => r.task));
    seqs.forEach((s, i) => old.upsert(s, oldVecs[i]));
    await old.save(join(dir, 'patterns.hnsw'), bankId, hwm);
    await old.close();
    db0.close();

    const { bank } = await openBank({}, dir);
    expect((await bank.stats()).indexLoad.from).toBe('file');
    expect((await bank.stats()).indexed).toBe(3);
    const p = await bank.get('pat_old1');
    expectRedactedPattern(p, 0);
    const [vr] = await embedder.embed([p.task]);
    const top = (await bank.vectorSearch(vr, 1))[0];
    expect(top.seq).toBe(seqs[1]);
    expect(top.sim).toBeGreaterThan(0.999);
    // the unredacted task's vector is no longer in the index
    const near = (await bank.vectorSearch(oldVecs[1], 3)).find((h) => h.seq === seqs[1])!;
    expect(near.sim).toBeCloseTo(dot(oldVecs[1], vr), 2);
    expect(near.sim).toBeLessThan(0.99);
    await bank.close();
    openBanks.splice(0);

    // the saved index holds the replaced vector
    const re = await openBank({}, dir);
    expect((await re.bank.stats()).indexLoad.from).toBe('file');
    const top2 = (await re.bank.vectorSearch(vr, 1))[0];
    expect(top2.seq).toBe(seqs[1]);
    expect(top2.sim).toBeGreaterThan(0.999);
  });

  it('keeps a redaction marker as it is when text is scanned again (redacting twice changes nothing)', async () => {
    // the scanner itself re-flags "password=[REDACTED:credential]"; the bank must not mangle its own markers
    expect(scanPrivacy('DB_PASSWORD=[REDACTED:credential] here').sensitive).toBe(true);
    const { bank } = await openBank();
    const r = await bank.store({
      task: `connect with DB_PASSWORD=${PASSWORD} please`,
      approach: 'token=[REDACTED:credential] is kept',
      quality: 0.5,
    });
    expect(r.pattern.task).toBe('connect with DB_PASSWORD=[REDACTED:credential] please');
    expect(r.pattern.approach).toBe('token=[REDACTED:credential] is kept');
  });
});
