// A data directory written by the code before the bank was split (fixtures/bank-before-split, made with the
// then current main: its database and its persisted HNSW index) opens unchanged: the index loads from its file
// (or, when its data file is gone, is rebuilt from the database), no migration runs again, finds work.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrations } from '../../src/engine/patterns/index.js';
import { closeOpenBanks, openBank } from '../helpers/banks.js';
import { PRIVACY_SCAN_VERSION } from '../../src/engine/patterns/redact.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/bank-before-split', import.meta.url));

afterEach(closeOpenBanks);

function copyFixture(): string {
  const dir = tempDir('ruvllm-patterns-compat-');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe('a data directory from before the split', () => {
  it('keeps the patterns migrations as module "patterns", versions 1 to 5', () => {
    expect(migrations.map((m) => [m.module, m.version])).toEqual([1, 2, 3, 4, 5].map((v) => ['patterns', v]));
  });

  it('opens with its persisted index loaded from the file, applies no migration again, and finds by paraphrase', async () => {
    const dir = copyFixture();
    const { bank, db } = await openBank({}, dir);
    const st = await bank.stats();
    expect(st.indexLoad.from).toBe('file');
    expect(st.indexLoad.replayed).toBe(0);
    expect(st.total).toBe(8);
    expect(st.indexed).toBe(8);
    // the fixture was written at privacy scan version 3: a newer scanner rescans every pattern once (finding
    // nothing to redact in these), an unchanged one scans none
    expect(st.privacyScan.version).toBe(PRIVACY_SCAN_VERSION);
    expect(st.privacyScan.scanned).toBe(PRIVACY_SCAN_VERSION === 3 ? 0 : 8);
    expect(st.privacyScan.redacted).toBe(0);
    const applied = db.prepare("SELECT version FROM schema_migrations WHERE module = 'patterns' ORDER BY version").all() as {
      version: number;
    }[];
    expect(applied.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
    const r = await bank.find({ query: 'make the database query for invoices faster', k: 3 });
    expect(r.matches[0].pattern.task).toBe('Speed up the slow SQL query on the invoices table');
    expect(r.matches[0].vectorScore).toBeGreaterThan(0);
    expect(r.matches[0].pattern.tags).toEqual(['fixture']);
  });

  it('rebuilds the index from the database when its data file is missing, and serves the same patterns', async () => {
    const dir = copyFixture();
    for (const f of readdirSync(dir)) if (f.endsWith('.hnsw')) rmSync(join(dir, f));
    const { bank } = await openBank({}, dir);
    const st = await bank.stats();
    expect(st.indexLoad.from).toBe('rebuild');
    expect(st.indexed).toBe(8);
    const r = await bank.find({ query: 'retry HTTP requests with growing delays', k: 3 });
    expect(r.matches[0].pattern.task).toBe('Implement a retry with exponential backoff for HTTP calls');
    expect(r.matches[0].vectorScore).toBeGreaterThan(0);
  });
});
