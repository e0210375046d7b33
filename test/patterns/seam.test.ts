// The pattern bank's layout rules and its second lexical scoring: the repository interface names no database
// engine, the HNSW files do not import each other, and FTS5's bm25() scoring ranks and scores in [0, 1].
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closeOpenBanks, openBank } from '../helpers/banks.js';

afterEach(closeOpenBanks);

const src = (p: string) => readFileSync(fileURLToPath(new URL(`../../src/engine/${p}`, import.meta.url)), 'utf8');
const imports = (text: string) => [...text.matchAll(/^import[^;]*?from '([^']+)'/gms)].map((m) => m[1]);

describe('layout', () => {
  it('the patterns repository interface imports nothing (no database engine type leaks through it)', () => {
    const text = src('store/patterns-repo.ts');
    expect(imports(text)).toEqual([]);
    expect(text).not.toMatch(/better-sqlite3|Database\b|Statement\b|Buffer\b/);
  });

  it('the bank logic reaches the database only through the repository', () => {
    for (const f of [
      'bank.ts',
      'bank-state.ts',
      'write-queue.ts',
      'merging.ts',
      'search.ts',
      'lexical.ts',
      'index-sync.ts',
      'lifecycle.ts',
      'usage.ts',
      'privacy-rescan.ts',
      'bundle-io.ts',
    ]) {
      const used = imports(src(`patterns/${f}`));
      expect(
        used.filter((m) => m.includes('better-sqlite3') || (f !== 'bank.ts' && (m.endsWith('store/db.js') || m.includes('store/sqlite/')))),
        f,
      ).toEqual([]);
    }
  });

  it('hnsw-core and hnsw-thread do not import each other', () => {
    expect(imports(src('patterns/hnsw-core.ts'))).not.toContain('./hnsw-thread.js');
    expect(imports(src('patterns/hnsw-thread.ts'))).toContain('./hnsw-core.js');
    expect(imports(src('patterns/hnsw-worker.ts'))).not.toContain('./hnsw-thread.js');
  });
});

describe("lexicalScoring 'fts5-bm25'", () => {
  it('ranks by words with lexical scores in [0, 1], the best candidate scoring 1', async () => {
    const { bank } = await openBank({ lexicalScoring: 'fts5-bm25', weights: { vector: 0, lexical: 1 } });
    await bank.store({ task: 'Rotate the TLS certificates of the ingress controller', approach: 'cert-manager renewal', quality: 0.8 });
    await bank.store({ task: 'Compress the nightly database backup', approach: 'zstd at level 19', quality: 0.8 });
    await bank.store({ task: 'Rotate log files of the web server daily', approach: 'logrotate', quality: 0.8 });
    // FTS5 clamps the idf of a term in half the documents or more to ~0: enough other documents keep "rotate" rare
    for (const t of [
      'Add pagination to the orders endpoint',
      'Translate the error messages into German',
      'Write a Dockerfile for the app',
      'Profile the slow search query',
    ])
      await bank.store({ task: t, approach: t.split(' ')[0], quality: 0.8 });
    const r = await bank.find({ query: 'rotate TLS certificates', k: 3 });
    expect(r.matches[0].pattern.task).toBe('Rotate the TLS certificates of the ingress controller');
    expect(r.matches[0].lexicalScore).toBe(1);
    for (const m of r.matches) expect(m.lexicalScore).toBeGreaterThanOrEqual(0);
    const logs = r.matches.find((m) => m.pattern.task.startsWith('Rotate log'));
    expect(logs && logs.lexicalScore).toBeGreaterThan(0);
    expect(logs!.lexicalScore).toBeLessThan(1);
  });
});
