/**
 * The one containment rule for model files: a file may be listed or loaded only if its real
 * path (every symbolic link resolved) lies inside the real path of one of the allowed folders.
 * Used for paths a caller gives (hot_swap_model), for files discovery lists, for Ollama blobs,
 * and again for an id right before its file is loaded (the file may have been replaced by a
 * link since it was listed). `--allow-any-model-path` lifts the rule for hot_swap_model paths only.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { CallerError } from '../errors.js';

/** True when absolute path `file` lies strictly inside folder `dir` (by name; no file system access). */
export function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel);
}

/** The real paths of the folders that exist (a missing folder holds nothing). */
export async function realFolders(dirs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of dirs) {
    try {
      out.push(await realpath(resolve(d)));
    } catch {
      /* missing */
    }
  }
  return [...new Set(out)];
}

/**
 * The real path of `file` when it lies inside one of `dirs` once links are resolved; null when
 * it does not, or does not exist. Pass `realDirs` already resolved (realFolders) when checking
 * many files; plain folders are resolved here.
 */
export async function containedRealPath(file: string, dirs: string[], opts: { resolved?: boolean } = {}): Promise<string | null> {
  const roots = opts.resolved ? dirs : await realFolders(dirs);
  let real: string;
  try {
    real = await realpath(resolve(file));
  } catch {
    return null;
  }
  return roots.some((r) => isInside(real, r)) ? real : null;
}

export function outsideError(abs: string, allowed: string[]): CallerError {
  return new CallerError(
    `model path ${abs} is outside the model folders (${allowed.join(', ') || 'none configured'}); ` +
      `move or copy the file into one of them, add its folder with --model-dirs, or start with --allow-any-model-path`,
  );
}

/**
 * Resolves a GGUF path a caller gave and checks it may be loaded. A relative path is taken
 * relative to `base` (the models folder for callers, the working directory for the user's own
 * configuration). Unless any path is allowed, the path must lie inside a model folder, checked
 * before the file system is touched (so an error never tells whether an outside file exists),
 * and must still lie inside one once symbolic links are resolved. Returns the real path.
 */
export async function checkModelPath(p: string, allowed: string[], allowAnyPath: boolean, base: string = process.cwd()): Promise<string> {
  if (!p || typeof p !== 'string') throw new CallerError('model path is empty');
  if (p.includes('\0')) throw new CallerError('model path contains a NUL byte');
  const abs = resolve(base, p);
  if (!allowAnyPath && !allowed.some((d) => isInside(abs, resolve(d)))) throw outsideError(abs, allowed);
  let real: string;
  try {
    real = await realpath(abs);
  } catch {
    throw new CallerError(`model file not found: ${abs}`);
  }
  if (allowAnyPath) return real;
  if (await containedRealPath(real, allowed)) return real;
  throw outsideError(abs, allowed);
}
