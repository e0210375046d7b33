import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { PatternBank, createDefaultEmbedder, migrations } from '../../src/engine/patterns/index.js';
import { openDatabase } from '../../src/engine/store/db.js';
import { tempDir } from '../helpers/tmp.js';

const child = fileURLToPath(new URL('./fixtures/crash-child.mjs', import.meta.url));

/** Runs the child until it has acknowledged `acks` stores, then SIGKILLs it. */
function runAndKill(dir: string, acks: number, indexThread: boolean): Promise<{ acked: Map<string, string>; deleted: Set<string> }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, dir, indexThread ? 'thread' : 'main'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<string, string>();
    const deleted = new Set<string>();
    let buf = '';
    let err = '';
    let killed = false;
    p.stderr.on('data', (d) => (err += d));
    p.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^ACK (\S+) (.*)$/.exec(line);
        if (m) acked.set(m[1], m[2]);
        const d2 = /^DEL (\S+)$/.exec(line);
        if (d2) deleted.add(d2[1]);
        if (!killed && acked.size >= acks) {
          killed = true;
          p.kill('SIGKILL');
        }
      }
    });
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ acked, deleted });
      else reject(new Error(`child exited ${code} before being killed: ${err.slice(-2000)}`));
    });
  });
}

describe.each([
  ['on the bank thread', false],
  ['in a worker thread', true],
])('crash safety, index %s', (_name, indexThread) => {
  it('every acknowledged store survives kill -9; the index catches up and matches the database', async () => {
    const dir = tempDir('ruvllm-crash-');
    const first = await runAndKill(dir, 230, indexThread);
    const second = await runAndKill(dir, 120, indexThread); // a second crash on top of a recovered bank
    const acked = new Map([...first.acked, ...second.acked]);
    const deleted = new Set([...first.deleted, ...second.deleted]);
    expect(acked.size).toBeGreaterThanOrEqual(350);

    // the children saved the index mid-stream (every 40 changes), so reopening loads it and replays the rest
    expect(existsSync(join(dir, 'patterns.hnsw.json'))).toBe(true);
    const db = openDatabase(join(dir, 'bank.db'), migrations);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const bank = await PatternBank.open({
      db,
      indexPath: join(dir, 'patterns.hnsw'),
      embedder: createDefaultEmbedder(),
      persistIntervalMs: 0,
      indexThread,
    });
    expect((await bank.stats()).indexThread).toBe(indexThread);
    const total = (db.prepare('SELECT COUNT(*) AS n FROM patterns').get() as { n: number }).n;
    const st = await bank.stats();
    expect(st.total).toBe(total);
    expect(st.indexed).toBe(total);
    for (const [id, task] of acked) {
      if (deleted.has(id)) {
        // a delete printed before the kill was committed before it was printed
        await expect(bank.get(id)).rejects.toThrow(id);
        continue;
      }
      expect((await bank.get(id)).task).toBe(task);
    }
    // vector search finds acknowledged patterns (a sample across both runs)
    const live = [...acked].filter(([id]) => !deleted.has(id));
    for (const [id, task] of live.filter((_, i) => i % 15 === 0)) {
      const r = await bank.find({ query: task, k: 3 });
      expect(r.matches.map((m) => m.pattern.id)).toContain(id);
    }
    await bank.close();
    db.close();
  });
});
