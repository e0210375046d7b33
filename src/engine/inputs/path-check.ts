/**
 * The security-critical path check of inputs read by reference, kept small and on its own
 * (like modelcontextprotocol/servers' filesystem path-validation.ts) so it can be read and
 * tested alone. Callers resolve symlinks first (fs.realpath) and pass real, absolute paths.
 *
 * Containment is by path segments, never by string prefix: /work/app-secrets is not inside
 * /work/app, and /work/app/../etc is normalised before it is compared.
 */
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';

/** True when `child` is `parent` itself or lies below it (both absolute; compared segment by segment). */
export function isPathWithin(child: string, parent: string): boolean {
  if (!isSafePathString(child) || !isSafePathString(parent)) return false;
  if (!isAbsolute(child) || !isAbsolute(parent)) return false;
  const c = resolve(normalize(child));
  const p = resolve(normalize(parent));
  if (c === p) return true;
  const rel = relative(p, c);
  // relative() gives '' for the same path, a path starting with '..' for one outside, and an
  // absolute path when the two are on different roots (another drive on Windows).
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel);
}

/** The first of `roots` that contains `path`, or null. */
export function containingRoot(path: string, roots: readonly string[]): string | null {
  for (const r of roots) if (isPathWithin(path, r)) return r;
  return null;
}

/** A path string a caller may give at all: not empty, no NUL byte (which some APIs would cut the path at). */
export function isSafePathString(p: string): boolean {
  return typeof p === 'string' && p.length > 0 && !p.includes('\0');
}
