import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type Migration } from '../../src/engine/store/db.js';
import { Checkpointer } from '../../src/engine/store/checkpointer.js';
import { tempDir } from '../helpers/tmp.js';

const migrations: Migration[] = [
  { module: 'demo', version: 1, description: 'rows', up: 'CREATE TABLE demo_rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)' },
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const THRESHOLD = 256 * 1024;

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('background WAL checkpoints', () => {
  it('keeps the WAL bounded from a worker thread while the main connection never checkpoints itself', async () => {
    const file = join(tempDir(), 'cp.db');
    const db = openDatabase(file, migrations);
    const cp = new Checkpointer(db, file, { thresholdBytes: THRESHOLD, pollMs: 10 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(THRESHOLD);
    const insert = db.prepare('INSERT INTO demo_rows (body) VALUES (?)');
    const body = Buffer.alloc(2000, 7);
    // About 40 thresholds' worth of commits, one row each, with pauses that let the worker run.
    for (let batch = 0; batch < 40; batch++) {
      for (let i = 0; i < 130; i++) insert.run(body);
      await sleep(15);
    }
    const after = cp.stats().checkpoints;
    // +2: the first may have started before the last write; the second surely started after it.
    await until(() => cp.stats().checkpoints >= after + 2, 'a checkpoint after the last write');
    expect(cp.stats().mode).toBe('background');
    expect(cp.stats().lastError).toBeNull();
    // The next commit restarts the WAL and cuts it back: without the worker it would hold every commit (> 40 thresholds).
    insert.run(body);
    expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(THRESHOLD + 64 * 1024);
    // What the worker copied is in the database file: a reader that ignores the WAL is not possible,
    // so check the data through a second connection and after the main one is gone.
    await cp.close();
    db.close();
    const again = new Database(file, { readonly: true });
    expect((again.prepare('SELECT count(*) AS n FROM demo_rows').get() as { n: number }).n).toBe(40 * 130 + 1);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
  });

  it('goes back to automatic checkpoints if the worker dies', async () => {
    const file = join(tempDir(), 'cp2.db');
    const db = openDatabase(file, migrations);
    const cp = new Checkpointer(db, file, { thresholdBytes: 4096, pollMs: 10 });
    const insert = db.prepare('INSERT INTO demo_rows (body) VALUES (?)');
    for (let i = 0; i < 50; i++) insert.run(Buffer.alloc(2000, 1));
    await until(() => cp.stats().checkpoints > 0, 'the worker to start and checkpoint');
    // Kill the worker as a crash would.
    await (cp as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await until(() => cp.stats().mode === 'automatic', 'the fallback');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(cp.stats().lastError).toMatch(/exited/);
    await cp.close();
    db.close();
  });

  it('never starts a worker for a database whose WAL stays small, and closes cleanly', async () => {
    const file = join(tempDir(), 'cp3.db');
    const db = openDatabase(file, migrations);
    const cp = new Checkpointer(db, file, { pollMs: 5 });
    db.prepare('INSERT INTO demo_rows (body) VALUES (?)').run(Buffer.from('x'));
    await sleep(30);
    expect((cp as unknown as { worker: unknown }).worker).toBeNull();
    await cp.close();
    db.close();
    expect(() => statSync(`${file}-wal`)).toThrow(); // the last connection removed the WAL
  });

  it('rejects a threshold that is not a positive number', () => {
    const file = join(tempDir(), 'cp4.db');
    const db = openDatabase(file, migrations);
    expect(() => new Checkpointer(db, file, { thresholdBytes: 0 })).toThrow(/positive number of bytes/);
    db.close();
  });
});

describe('background WAL checkpoints under steady writes', () => {
  it('restarts the WAL when commits never pause long enough for a passive checkpoint to catch up', async () => {
    // A passive checkpoint copies the frames that were in the WAL when it began; commits made meanwhile stay, so
    // under steady writes it never catches up, the WAL never restarts and grows with every commit (a server routing
    // steadily: 20 KB of WAL per decision, 67 MB after 3,600 decisions in bench/decision-latency.mjs's setting).
    const file = join(tempDir(), 'cp5.db');
    const db = openDatabase(file, migrations);
    const threshold = 64 * 1024;
    const maxWal = 256 * 1024;
    const cp = new Checkpointer(db, file, { thresholdBytes: threshold, maxWalBytes: maxWal, pollMs: 5 });
    const insert = db.prepare('INSERT INTO demo_rows (body) VALUES (?)');
    const body = Buffer.alloc(3000, 3);
    // one row per commit, an event-loop turn between commits (as between requests): 12 KB of WAL a commit; at least
    // 5,000 commits, and on until the worker has restarted the WAL (a loaded machine may give its thread the core late)
    let commits = 0;
    let last = 0;
    let cutBack = 0;
    for (let i = 0; i < 5000 || ((cp.stats().restarts === 0 || cutBack === 0) && i < 20_000); i++, commits++) {
      insert.run(body);
      if (i % 25 === 0) {
        const size = statSync(`${file}-wal`).size;
        if (size < last) cutBack++;
        last = size;
      }
      await new Promise((r) => setImmediate(r));
    }
    // the WAL restarted (and was cut back to the threshold) while the commits went on: it grows without end otherwise
    expect(cutBack).toBeGreaterThan(0);
    expect(cp.stats().checkpoints).toBeGreaterThan(0);
    expect(cp.stats().restarts).toBeGreaterThan(0);
    expect(cp.stats().lastError).toBeNull();
    await cp.close();
    db.close();
    const again = new Database(file, { readonly: true });
    expect((again.prepare('SELECT count(*) AS n FROM demo_rows').get() as { n: number }).n).toBe(commits);
    again.close();
  });
});

describe('background WAL restarts and readers', () => {
  it('gives up a restart that a reader of the old WAL holds up, instead of holding the write lock meanwhile', async () => {
    // The restarting checkpoint holds the write lock while it waits for readers of the old WAL. Waiting as long as
    // the busy timeout (5 s), it kept every writer out that long whenever a reader held a snapshot.
    const file = join(tempDir(), 'cp6.db');
    const db = openDatabase(file, migrations);
    db.pragma('busy_timeout = 1000'); // writers here give up after 1 s
    const cp = new Checkpointer(db, file, { thresholdBytes: 64 * 1024, maxWalBytes: 128 * 1024, pollMs: 5 });
    const insert = db.prepare('INSERT INTO demo_rows (body) VALUES (?)');
    const body = Buffer.alloc(3000, 5);
    for (let i = 0; i < 100; i++) insert.run(body);
    // the worker up (its first checkpoint done), then the WAL past the cap again
    await until(() => cp.stats().checkpoints > 0, 'the worker to start and checkpoint');
    for (let i = 0; i < 100; i++) insert.run(body);
    const restarts = cp.stats().restarts;
    const checkpoints = cp.stats().checkpoints;
    // a reader holding its snapshot of the WAL as it is now
    const reader = new Database(file, { readonly: true });
    reader.prepare('BEGIN').run();
    expect((reader.prepare('SELECT count(*) AS n FROM demo_rows').get() as { n: number }).n).toBe(200);
    // writes go on while the worker checkpoints (and tries to restart) twice
    let failed = 0;
    for (let i = 0; i < 20_000 && cp.stats().checkpoints < checkpoints + 2; i++) {
      try {
        insert.run(body);
      } catch {
        failed++;
      }
      await new Promise((r) => setImmediate(r));
    }
    expect(cp.stats().checkpoints).toBeGreaterThanOrEqual(checkpoints + 2);
    expect(failed).toBe(0);
    expect(cp.stats().restarts).toBe(restarts);
    // the reader done, a later restart goes through
    reader.prepare('COMMIT').run();
    reader.close();
    for (let i = 0; i < 20_000 && cp.stats().restarts === restarts; i++) {
      insert.run(body);
      await new Promise((r) => setImmediate(r));
    }
    expect(cp.stats().restarts).toBeGreaterThan(restarts);
    expect(cp.stats().lastError).toBeNull();
    await cp.close();
    db.close();
  });
});
