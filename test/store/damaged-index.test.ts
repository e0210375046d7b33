import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { tempDir } from '../helpers/tmp.js';

const child = fileURLToPath(new URL('./fixtures/damaged-index-child.mjs', import.meta.url));

function run(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [child, dir, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The persisted index data file named by the manifest. */
function dataFile(dir: string): string {
  const m = JSON.parse(readFileSync(join(dir, 'patterns.hnsw.json'), 'utf8')) as { file: string };
  return join(dir, m.file);
}

// hnswlib's file: a 96-byte header, then max_elements records of size_data_per_element bytes, each starting
// with its level-0 link list (a 4-byte count, then 4-byte neighbour ids).
const HEADER = 96;

describe('a damaged persisted index', () => {
  it('flipped 4-byte words inside the file (size and manifest intact): open and find work, stats say rebuilt', () => {
    const dir = tempDir('ruvllm-damaged-');
    const fill = run(dir, 'fill', '120');
    expect(fill.stdout, fill.stderr).toContain('FILLED');
    const file = dataFile(dir);
    const buf = readFileSync(file);
    const size = buf.length;
    const perElement = Number(buf.readBigUInt64LE(24));
    // neighbour ids of the first elements' level-0 link lists overwritten with ids far past the end
    for (let e = 0; e < 6; e++) buf.writeUInt32LE(0x3fffffff + e, HEADER + e * perElement + 4);
    writeFileSync(file, buf);
    expect(readFileSync(file).length).toBe(size);

    for (let round = 0; round < 2; round++) {
      // twice: a crash loop would fail at every start
      const r = run(dir, 'find');
      expect(r.signal, `round ${round}: child died: ${r.stderr.slice(-1500)}`).toBeNull();
      expect(r.code, r.stderr.slice(-1500)).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
        found: boolean[];
        indexLoad: { from: string; reason?: string };
        indexed: number;
        total: number;
      };
      expect(out.found).toEqual([true, true, true, true]);
      expect(out.indexed).toBe(out.total);
      if (round === 0) {
        expect(out.indexLoad.from).toBe('rebuild');
        expect(out.indexLoad.reason).toMatch(/checksum/);
        expect(r.stderr).toMatch(/rebuilding pattern index/);
      } else expect(out.indexLoad.from).toBe('file'); // the rebuilt index was saved and is trusted again
    }
  });

  it('a hostile file whose manifest checksum matches is refused by its structure, not handed to hnswlib', () => {
    const dir = tempDir('ruvllm-hostile-');
    const fill = run(dir, 'fill', '120');
    expect(fill.stdout, fill.stderr).toContain('FILLED');
    const file = dataFile(dir);
    const buf = readFileSync(file);
    const perElement = Number(buf.readBigUInt64LE(24));
    for (let e = 0; e < 6; e++) buf.writeUInt32LE(0x3fffffff + e, HEADER + e * perElement + 4);
    writeFileSync(file, buf);
    // whoever wrote the file also rewrote the manifest's checksum
    const mf = join(dir, 'patterns.hnsw.json');
    const m = JSON.parse(readFileSync(mf, 'utf8')) as Record<string, unknown>;
    m.crc32 = (crc32(buf) >>> 0).toString(16).padStart(8, '0');
    writeFileSync(mf, JSON.stringify(m));
    const r = run(dir, 'find');
    expect(r.signal, r.stderr.slice(-1500)).toBeNull();
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { found: boolean[]; indexLoad: { from: string; reason?: string } };
    expect(out.found).toEqual([true, true, true, true]);
    expect(out.indexLoad.from).toBe('rebuild');
    expect(out.indexLoad.reason).toMatch(/not a valid HNSW index: element 0 links to 1073741823/);
  });

  it('a manifest of an older version (no checksum) is trusted after the structure check, and a damaged one rebuilt', () => {
    const dir = tempDir('ruvllm-oldmanifest-');
    const fill = run(dir, 'fill', '120');
    expect(fill.stdout, fill.stderr).toContain('FILLED');
    const mf = join(dir, 'patterns.hnsw.json');
    const m = JSON.parse(readFileSync(mf, 'utf8')) as Record<string, unknown>;
    delete m.crc32;
    delete m.bytes;
    m.format = 1;
    writeFileSync(mf, JSON.stringify(m));
    const ok = run(dir, 'find');
    const a = JSON.parse(ok.stdout.trim().split('\n').pop()!) as { found: boolean[]; indexLoad: { from: string } };
    expect(a.indexLoad.from).toBe('file');
    expect(a.found).toEqual([true, true, true, true]);
    // the close saved it again, with a checksum; make it an old manifest again, then damage its file
    const m2 = JSON.parse(readFileSync(mf, 'utf8')) as Record<string, unknown>;
    expect(m2.format).toBe(2);
    const file = join(dir, m2.file as string);
    delete m2.crc32;
    delete m2.bytes;
    m2.format = 1;
    writeFileSync(mf, JSON.stringify(m2));
    const buf = readFileSync(file);
    const perElement = Number(buf.readBigUInt64LE(24));
    for (let e = 0; e < 6; e++) buf.writeUInt32LE(0x3fffffff + e, HEADER + e * perElement + 4);
    writeFileSync(file, buf);
    const r = run(dir, 'find');
    expect(r.signal, r.stderr.slice(-1500)).toBeNull();
    const b = JSON.parse(r.stdout.trim().split('\n').pop()!) as { found: boolean[]; indexLoad: { from: string; reason?: string } };
    expect(b.indexLoad.from).toBe('rebuild');
    expect(b.indexLoad.reason).toMatch(/not a valid HNSW index/);
    expect(b.found).toEqual([true, true, true, true]);
  });
});

describe('index saves of several processes on one data directory', () => {
  it('three processes saving at once: no save fails, the manifest always names a file that loads', async () => {
    const { spawn } = await import('node:child_process');
    const saver = fileURLToPath(new URL('./fixtures/saver-child.mjs', import.meta.url));
    const dir = tempDir('ruvllm-savers-');
    for (let round = 0; round < 3; round++) {
      const outs = await Promise.all(
        ['a', 'b', 'c'].map(
          (tag) =>
            new Promise<string>((resolve) => {
              const p = spawn(process.execPath, [saver, dir, `${tag}${round}`, '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
              let out = '';
              p.stdout.on('data', (d) => (out += d));
              p.on('exit', () => resolve(out));
            }),
        ),
      );
      for (const out of outs) {
        expect(
          out.split('\n').filter((l) => l.startsWith('SAVEFAIL')),
          `round ${round}`,
        ).toEqual([]);
        expect(out).toContain('DONE');
      }
      const r = run(dir, 'find');
      const st = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
        indexLoad: { from: string; reason?: string };
        indexed: number;
        total: number;
      };
      expect(st.indexLoad.from, st.indexLoad.reason).toBe('file');
      expect(st.indexed).toBe(st.total);
    }
  });
});

describe('the index file check, fuzzed', () => {
  it('random words overwritten anywhere in a real HNSW file: what the check accepts, hnswlib loads and searches without crashing', () => {
    const fuzz = fileURLToPath(new URL('./fixtures/index-fuzz-child.mjs', import.meta.url));
    for (const seed of [1, 2]) {
      const dir = tempDir('ruvllm-indexfuzz-');
      const r = spawnSync(process.execPath, [fuzz, dir, String(seed), '400'], { encoding: 'utf8', timeout: 120_000 });
      expect(r.signal, `seed ${seed}: ${r.stderr.slice(-1500)}`).toBeNull();
      expect(r.status, r.stderr.slice(-1500)).toBe(0);
      const m = /^FUZZ (\d+) (\d+) (\d+)$/m.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      // most damage is caught; what passes (e.g. a changed vector value) is harmless to hnswlib
      expect(Number(m![3])).toBeGreaterThan(0);
    }
  });
});
