/**
 * Reads the material a caller names by reference: file paths, folders and globs, inside the
 * allowed roots only. Folders and globs honour .gitignore (each folder's own, from the root
 * down) and skip .git; a file named explicitly is read even when ignored. Every match is
 * checked by its real path (symlinks resolved) and, after opening, by what the descriptor
 * really points to, so a link swapped in between cannot lead out of the roots.
 */
import { constants } from 'node:fs';
import { lstat, open, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { glob, isDynamicPattern } from 'tinyglobby';
import { CallerError } from '../errors.js';
import { isPathWithin, isSafePathString } from './path-check.js';
import { assertSomeRoot, rootOf, type AllowedRoots } from './roots.js';
import { decodeText, type TextEncoding } from './encoding.js';

export interface InputLimits {
  /** Files read in one call. */
  maxFiles: number;
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Bytes of all files together. */
  maxTotalBytes: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxFiles: 500, maxFileBytes: 8 * 1024 * 1024, maxTotalBytes: 32 * 1024 * 1024 };

/** Entries of `files` in one call, and the longest entry. */
export const MAX_SPECS = 64;
export const MAX_SPEC_CHARS = 4096;

export interface InputFile {
  /** The path shown to the caller: relative to the working directory when inside it, else absolute. */
  path: string;
  realPath: string;
  bytes: number;
  encoding: TextEncoding;
  text: string;
}

export interface InputSet {
  files: InputFile[];
  bytes: number;
  /** Files of folders and globs left out, with why (binary, too large, a link out of the roots). */
  skipped: { path: string; reason: string }[];
  /** Files of folders and globs left out by .gitignore. */
  ignored: number;
}

export interface ReadOptions {
  roots: AllowedRoots;
  limits?: Partial<InputLimits>;
  signal?: AbortSignal;
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Splits a glob into its literal leading folder and the pattern below it. */
function splitGlob(spec: string): { base: string; pattern: string } {
  const parts = spec.split(/[\\/]+/);
  const lit: string[] = [];
  let i = 0;
  for (; i < parts.length - 1; i++) {
    if (isDynamicPattern(parts[i])) break;
    lit.push(parts[i]);
  }
  // ['', 'etc'] (from "/etc/*") joins to "/etc"; [''] (from "/*") to "/".
  return { base: lit.length === 0 ? '.' : lit.join('/') || '/', pattern: parts.slice(i).join('/') };
}

/** .gitignore rules of each folder, read once per call. */
class GitIgnores {
  private cache = new Map<string, Ignore | null>();
  private async forDir(dir: string): Promise<Ignore | null> {
    if (this.cache.has(dir)) return this.cache.get(dir)!;
    let ig: Ignore | null;
    try {
      const text = await readFile(join(dir, '.gitignore'), 'utf8');
      // A hostile .gitignore is only rules for the ignore library; bound its size anyway.
      ig = ignore().add(text.slice(0, 1_000_000));
    } catch {
      ig = null;
    }
    this.cache.set(dir, ig);
    return ig;
  }
  /** Is `file` (a real path inside `root`) ignored by a .gitignore between `root` and its folder? */
  async ignored(file: string, root: string): Promise<boolean> {
    const dirs: string[] = [];
    for (let d = dirname(file); isPathWithin(d, root); d = dirname(d)) {
      dirs.unshift(d);
      if (d === root) break;
    }
    for (const d of dirs) {
      const ig = await this.forDir(d);
      if (ig && ig.ignores(relative(d, file).split(sep).join('/'))) return true;
    }
    return false;
  }
}

/**
 * Expands and reads `specs` (paths, folders, globs) inside the allowed roots. Refusals are
 * CallerErrors that name the entry and say what to change.
 */
export async function readInputs(specs: readonly string[], opts: ReadOptions): Promise<InputSet> {
  const limits = { ...DEFAULT_INPUT_LIMITS, ...opts.limits };
  const r = opts.roots;
  if (!Array.isArray(specs) || specs.length === 0) throw new CallerError('files is empty: give file paths, folders or globs');
  if (specs.length > MAX_SPECS)
    throw new CallerError(`files has ${specs.length} entries; at most ${MAX_SPECS}: use a folder or a glob instead`);
  for (const s of specs) {
    if (typeof s !== 'string' || !isSafePathString(s) || s.trim() === '')
      throw new CallerError('each entry of files must be a non-empty path, folder or glob');
    if (s.length > MAX_SPEC_CHARS) throw new CallerError(`an entry of files is ${s.length} characters; at most ${MAX_SPEC_CHARS}`);
  }
  assertSomeRoot(r);
  const starts = r.base ? [r.base] : r.roots;
  const display = (real: string) => (r.base && isPathWithin(real, r.base) ? relative(r.base, real) || '.' : real);

  // 1. Expand every entry into real file paths, remembering whether each was named explicitly.
  const wanted = new Map<string, { explicit: boolean; root: string }>();
  const skipped: InputSet['skipped'] = [];
  let ignoredCount = 0;
  const gi = new GitIgnores();
  const addFile = (real: string, explicit: boolean, root: string) => {
    const prev = wanted.get(real);
    if (!prev) wanted.set(real, { explicit, root });
    else if (explicit) prev.explicit = true;
    if (wanted.size > limits.maxFiles)
      throw new CallerError(
        `files selects more than ${limits.maxFiles} files (the limit of one call); name fewer folders or a narrower glob`,
      );
  };

  const walk = async (dirReal: string, pattern: string, given: string) => {
    const root = rootOf(dirReal, given, r);
    const matches = await glob(pattern, {
      cwd: dirReal,
      absolute: true,
      dot: true,
      followSymbolicLinks: false,
      onlyFiles: true,
      expandDirectories: false,
      ignore: ['**/.git/**'],
      signal: opts.signal,
    });
    matches.sort();
    for (const m of matches) {
      opts.signal?.throwIfAborted();
      let real: string;
      try {
        real = await realpath(m);
      } catch {
        continue; // a dangling link or a file gone meanwhile
      }
      const shown = display(m);
      if (!r.roots.some((x) => isPathWithin(real, x))) {
        skipped.push({ path: shown, reason: 'a link to a place outside the allowed folders' });
        continue;
      }
      if (await gi.ignored(real, root)) {
        ignoredCount++;
        continue;
      }
      addFile(real, false, root);
    }
  };

  for (const spec of specs) {
    opts.signal?.throwIfAborted();
    if (isDynamicPattern(spec)) {
      const { base, pattern } = splitGlob(spec);
      if (pattern.split('/').includes('..'))
        throw new CallerError(
          `the glob "${spec}" climbs out with "..": globs may only reach below their folder; name the folder itself instead`,
        );
      const baseReal = await resolveExisting(base, spec, starts, r, true);
      const st = await stat(baseReal);
      if (!st.isDirectory()) throw new CallerError(`the glob "${spec}" starts at ${base}, which is not a folder`);
      const before = wanted.size;
      await walk(baseReal, pattern, spec);
      if (wanted.size === before && !skipped.length)
        throw new CallerError(`the glob "${spec}" matches no readable file (.gitignore'd files are left out)`);
      continue;
    }
    const real = await resolveExisting(spec, spec, starts, r, false);
    const st = await stat(real);
    if (st.isDirectory()) await walk(real, '**/*', spec);
    else if (st.isFile()) addFile(real, true, rootOf(real, spec, r));
    else throw new CallerError(`"${spec}" is not a regular file or folder`);
  }
  if (wanted.size === 0)
    throw new CallerError(
      `files names no readable file${ignoredCount ? ` (${ignoredCount} left out by .gitignore)` : ''}${skipped.length ? `; skipped: ${skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}` : ''}`,
    );

  // 2. Read each file, bounded.
  const files: InputFile[] = [];
  let total = 0;
  for (const [real, { explicit }] of wanted) {
    opts.signal?.throwIfAborted();
    const shown = display(real);
    const res = await readOne(real, shown, limits, r);
    if ('refused' in res) {
      if (explicit) throw new CallerError(res.refused);
      skipped.push({ path: shown, reason: res.reason });
      continue;
    }
    total += res.bytes;
    if (total > limits.maxTotalBytes)
      throw new CallerError(
        `the files hold more than ${mib(limits.maxTotalBytes)} together (the limit of one call, reached at ${shown}); name fewer or smaller files`,
      );
    files.push({ path: shown, realPath: real, bytes: res.bytes, encoding: res.encoding, text: res.text });
  }
  if (files.length === 0)
    throw new CallerError(`files names no readable text file; skipped: ${skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}`);
  return { files, bytes: total, skipped, ignored: ignoredCount };
}

/** The real path of an existing entry (relative entries are looked up in each start folder in turn), inside a root. */
async function resolveExisting(p: string, given: string, starts: string[], r: AllowedRoots, isGlobBase: boolean): Promise<string> {
  const candidates = isAbsolute(p) ? [resolve(p)] : starts.map((s) => resolve(s, p));
  for (const c of candidates) {
    if (!(await exists(c))) continue;
    let real: string;
    try {
      real = await realpath(c);
    } catch {
      throw new CallerError(`"${given}" is a link that leads nowhere (its target does not exist)`);
    }
    rootOf(real, given, r);
    return real;
  }
  // Say "outside" rather than "not found" for a path that would be outside anyway (it tells no more than the path itself).
  if (isAbsolute(p) && !r.roots.some((x) => isPathWithin(resolve(p), x))) rootOf(resolve(p), given, r);
  throw new CallerError(
    `${isGlobBase ? `the folder of the glob "${given}"` : `"${given}"`} was not found${isAbsolute(p) ? '' : ` in ${starts.join(', ')}`}; check the path`,
  );
}

type ReadOne = { bytes: number; encoding: TextEncoding; text: string } | { refused: string; reason: string };

async function readOne(real: string, shown: string, limits: InputLimits, r: AllowedRoots): Promise<ReadOne> {
  let fh;
  try {
    // O_NOFOLLOW: the real path has no link in its last part; if one was swapped in since, refuse.
    fh = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const reason = `cannot be opened (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    return { refused: `${shown} ${reason}`, reason };
  }
  try {
    if (process.platform === 'linux') {
      // What the descriptor really is, whatever happened to the path's folders meanwhile.
      const actual = await readlink(`/proc/self/fd/${fh.fd}`).catch(() => real);
      if (!r.roots.some((x) => isPathWithin(actual, x))) {
        const reason = 'moved outside the allowed folders while being opened';
        return { refused: `${shown} ${reason}`, reason };
      }
    }
    const st = await fh.stat();
    if (!st.isFile()) return { refused: `${shown} is not a regular file`, reason: 'not a regular file' };
    if (st.size > limits.maxFileBytes) {
      const reason = `larger than ${mib(limits.maxFileBytes)}, the limit for one file`;
      return { refused: `${shown} is ${mib(st.size)}, ${reason}; name a smaller file or a part of it`, reason };
    }
    // Read at most the limit plus one byte: a file growing meanwhile is still bounded.
    const buf = Buffer.alloc(Math.min(limits.maxFileBytes + 1, st.size + 1));
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > limits.maxFileBytes) {
      const reason = `larger than ${mib(limits.maxFileBytes)}, the limit for one file`;
      return { refused: `${shown} is ${reason}`, reason };
    }
    const d = decodeText(buf.subarray(0, n));
    if (d.binary) return { refused: `${shown} is not text: ${d.reason}; only text files can be read`, reason: `not text: ${d.reason}` };
    return { bytes: n, encoding: d.encoding, text: d.text };
  } finally {
    await fh.close();
  }
}
