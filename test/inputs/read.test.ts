// Reading files by reference from real temporary folders: roots, escapes, .gitignore, limits, encodings.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { tempDir } from '../helpers/tmp.js';
import { allowedRoots } from '../../src/engine/inputs/roots.js';
import { readInputs } from '../../src/engine/inputs/read.js';
import { CallerError } from '../../src/engine/errors.js';

let base: string;
let project: string;
let outside: string;

beforeAll(() => {
  base = tempDir('ruvllm-inputs-');
  project = join(base, 'app');
  outside = join(base, 'app-secrets'); // shares a prefix with the project: must still be outside
  mkdirSync(join(project, 'src', 'build'), { recursive: true });
  mkdirSync(join(project, '.git'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(project, 'README.md'), '# App\nhello\n');
  writeFileSync(join(project, 'src', 'a.ts'), 'export const a = 1; // TODO: b\n');
  writeFileSync(join(project, 'src', 'b.log'), 'log line\n');
  writeFileSync(join(project, 'src', 'build', 'out.js'), 'built\n');
  writeFileSync(join(project, '.gitignore'), '*.log\n');
  writeFileSync(join(project, 'src', '.gitignore'), 'build/\n');
  writeFileSync(join(project, '.git', 'config'), '[core]\n');
  writeFileSync(join(outside, 'secret.txt'), 'the secret\n');
  symlinkSync(join(outside, 'secret.txt'), join(project, 'link-out.txt'));
  symlinkSync(outside, join(project, 'src', 'dir-out'));
});

const roots = (extra: { allowDirs?: string[]; cwd?: string; home?: string } = {}, client: string[] = []) =>
  allowedRoots({ cwd: extra.cwd ?? project, allowDirs: extra.allowDirs, home: extra.home ?? '/nonexistent-home' }, client);

async function refused(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (x) => x as Error,
  );
  expect(e).toBeInstanceOf(CallerError);
  return e!.message;
}

describe('roots', () => {
  it('the working directory is a root, unless it is the filesystem root or the home folder', async () => {
    expect((await roots()).roots).toHaveLength(1);
    const slash = await roots({ cwd: '/' });
    expect(slash.roots).toEqual([]);
    const home = await roots({ cwd: homedir(), home: homedir() });
    expect(home.roots).toEqual([]);
    expect(await refused(readInputs(['x.txt'], { roots: home }))).toMatch(/--allow-dirs/);
  });

  it('--allow-dirs and client roots add folders', async () => {
    const r = await roots({ cwd: '/', allowDirs: [outside] });
    const set = await readInputs([join(outside, 'secret.txt')], { roots: r });
    expect(set.files[0].text).toBe('the secret\n');
    const c = await roots({ cwd: '/' }, [outside]);
    expect((await readInputs([join(outside, 'secret.txt')], { roots: c })).files).toHaveLength(1);
  });
});

describe('path escapes are refused', () => {
  it('".." out of the root', async () => {
    const m = await refused(readInputs(['../app-secrets/secret.txt'], { roots: await roots() }));
    expect(m).toMatch(/outside the allowed folders/);
    expect(m).toMatch(/--allow-dirs/);
  });

  it('an absolute path outside the roots (even one sharing the root as a string prefix)', async () => {
    expect(await refused(readInputs([join(outside, 'secret.txt')], { roots: await roots() }))).toMatch(/outside the allowed folders/);
    expect(await refused(readInputs(['/etc/passwd'], { roots: await roots() }))).toMatch(/outside the allowed folders/);
  });

  it('a symlink that leads out, named explicitly', async () => {
    const m = await refused(readInputs(['link-out.txt'], { roots: await roots() }));
    expect(m).toMatch(/outside the allowed folders.*resolves to/);
  });

  it('a glob reaching out', async () => {
    expect(await refused(readInputs(['../app-secrets/*.txt'], { roots: await roots() }))).toMatch(/outside the allowed folders/);
    expect(await refused(readInputs(['src/**/../../../app-secrets/*'], { roots: await roots() }))).toMatch(/climbs out/);
    expect(await refused(readInputs([join(outside, '*.txt')], { roots: await roots() }))).toMatch(/outside the allowed folders/);
  });

  it('a folder walk does not follow links (neither link-out.txt nor src/dir-out is read)', async () => {
    const set = await readInputs(['.'], { roots: await roots() });
    expect(set.files.some((f) => f.text.includes('the secret'))).toBe(false);
    expect(set.files.map((f) => f.path).some((p) => p.includes('out'))).toBe(false);
    expect(await refused(readInputs(['src/dir-out/*.txt'], { roots: await roots() }))).toMatch(/outside the allowed folders/);
  });
});

describe('folders and globs', () => {
  it('honour .gitignore from the root down and skip .git', async () => {
    const set = await readInputs(['.'], { roots: await roots() });
    const paths = set.files.map((f) => f.path).sort();
    expect(paths).toEqual(['.gitignore', 'README.md', 'src/.gitignore', 'src/a.ts']);
    expect(set.ignored).toBe(2); // src/b.log, src/build/out.js
  });

  it('a glob matches below its folder; an explicitly named ignored file is still read', async () => {
    const g = await readInputs(['src/*.ts'], { roots: await roots() });
    expect(g.files.map((f) => f.path)).toEqual(['src/a.ts']);
    const e = await readInputs(['src/b.log'], { roots: await roots() });
    expect(e.files[0].text).toBe('log line\n');
  });

  it('says what was not found', async () => {
    expect(await refused(readInputs(['nope.txt'], { roots: await roots() }))).toMatch(/"nope.txt" was not found/);
    expect(await refused(readInputs(['src/*.rs'], { roots: await roots() }))).toMatch(/matches no readable file/);
  });
});

describe('limits and content', () => {
  it('refuses a binary file and an oversized file, naming the file and the limit', async () => {
    const dir = tempDir('ruvllm-inputs-lim-');
    writeFileSync(join(dir, 'img.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]));
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(2 * 1024 * 1024 + 1));
    const r = await roots({ cwd: dir });
    expect(await refused(readInputs(['img.png'], { roots: r }))).toMatch(/img\.png is not text/);
    const m = await refused(readInputs(['big.txt'], { roots: r, limits: { maxFileBytes: 2 * 1024 * 1024 } }));
    expect(m).toMatch(/big\.txt/);
    expect(m).toMatch(/2 MiB, the limit for one file/);
    // In a folder they are skipped with the reason, and the rest is read.
    writeFileSync(join(dir, 'ok.txt'), 'fine\n');
    const set = await readInputs(['.'], { roots: r, limits: { maxFileBytes: 2 * 1024 * 1024 } });
    expect(set.files.map((f) => f.path)).toEqual(['ok.txt']);
    expect(set.skipped.map((s) => s.path).sort()).toEqual(['big.txt', 'img.png']);
  });

  it('refuses too many files and too many bytes in total', async () => {
    const dir = tempDir('ruvllm-inputs-many-');
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `f${i}.txt`), 'y'.repeat(100));
    const r = await roots({ cwd: dir });
    expect(await refused(readInputs(['.'], { roots: r, limits: { maxFiles: 4 } }))).toMatch(/more than 4 files/);
    expect(await refused(readInputs(['.'], { roots: r, limits: { maxTotalBytes: 250 } }))).toMatch(/together/);
    expect(await refused(readInputs(Array(65).fill('f0.txt'), { roots: r }))).toMatch(/at most 64/);
  });

  it('detects UTF-8 (with BOM), UTF-16 LE/BE with BOM, and falls back to latin1', async () => {
    const dir = tempDir('ruvllm-inputs-enc-');
    const s = 'Grüße, 東京 ✓\n';
    writeFileSync(join(dir, 'u8.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]));
    writeFileSync(join(dir, 'le.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]));
    const be = Buffer.from(s, 'utf16le');
    be.swap16();
    writeFileSync(join(dir, 'be.txt'), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    writeFileSync(join(dir, 'l1.txt'), Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'));
    const set = await readInputs(['u8.txt', 'le.txt', 'be.txt', 'l1.txt'], { roots: await roots({ cwd: dir }) });
    expect(set.files.map((f) => [f.path, f.encoding, f.text])).toEqual([
      ['u8.txt', 'utf-8', s],
      ['le.txt', 'utf-16le', s],
      ['be.txt', 'utf-16be', s],
      ['l1.txt', 'latin1', 'café crème\n'],
    ]);
  });
});
