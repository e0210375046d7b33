/**
 * The folders a caller may read files from: the server's working directory (unless it is the
 * filesystem root or the home folder: Claude Desktop may start servers there), folders given
 * with --allow-dirs, and the MCP client's roots where it offers them. Each is resolved to its
 * real path (symlinks followed) once per call, so a root that is itself a link is compared by
 * what it points to.
 */
import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parse, resolve } from 'node:path';
import { CallerError } from '../errors.js';
import { logger } from '../log.js';
import { isPathWithin } from './path-check.js';

const log = logger('inputs');

export interface RootsOptions {
  /** The server's working directory (default process.cwd()). */
  cwd?: string;
  /** Folders given with --allow-dirs. */
  allowDirs?: readonly string[];
  /** The user's home folder (default os.homedir()); never an implicit root. */
  home?: string;
}

export interface AllowedRoots {
  /** Real paths of every allowed folder, without duplicates. */
  roots: string[];
  /** Where relative paths are resolved first: the working directory when it is a root, else null. */
  base: string | null;
  /** Why the working directory is not a root, when it is not. */
  cwdNote?: string;
}

async function real(p: string): Promise<string | null> {
  try {
    return await realpath(p);
  } catch {
    return null;
  }
}

/** Is this folder too broad to be an implicit root (the filesystem root or the home folder)? */
export function tooBroadForImplicitRoot(dir: string, home: string): boolean {
  const d = resolve(dir);
  return d === parse(d).root || d === resolve(home);
}

/**
 * The allowed roots for one call. `clientRoots` are file system paths from the MCP client's
 * roots/list (already turned from file:// URIs into paths).
 */
export async function allowedRoots(opts: RootsOptions, clientRoots: readonly string[] = []): Promise<AllowedRoots> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const home = opts.home ?? homedir();
  const roots: string[] = [];
  const add = (p: string | null) => {
    if (p && !roots.includes(p)) roots.push(p);
  };
  let base: string | null = null;
  let cwdNote: string | undefined;
  const realCwd = await real(cwd);
  const realHome = (await real(home)) ?? resolve(home);
  if (realCwd && !tooBroadForImplicitRoot(realCwd, realHome) && !tooBroadForImplicitRoot(cwd, home)) {
    base = realCwd;
    add(realCwd);
  } else
    cwdNote = `the server's working directory (${cwd}) is the filesystem root or the home folder, so it is not an allowed folder by itself`;
  for (const d of opts.allowDirs ?? []) {
    const r = await real(resolve(cwd, d));
    if (!r) log.warn('an --allow-dirs folder does not exist; ignored', { dir: d });
    add(r);
  }
  for (const d of clientRoots) add(await real(d));
  return { roots, base, cwdNote };
}

/** How to add a root, for error messages. */
export const HOW_TO_ADD_ROOT =
  'start the server with --allow-dirs <folder,...> (or RUVLLM_MCP_ALLOW_DIRS, config key allowDirs), or use an MCP client that offers roots';

/** Refuses a call when no root applies at all. */
export function assertSomeRoot(r: AllowedRoots): void {
  if (r.roots.length === 0)
    throw new CallerError(`no folder is allowed for reading files: ${r.cwdNote ?? 'none is configured'}. To allow one, ${HOW_TO_ADD_ROOT}`);
}

/** The containing root of a real path, or a CallerError saying the path is outside every root. */
export function rootOf(realPath: string, given: string, r: AllowedRoots): string {
  for (const root of r.roots) if (isPathWithin(realPath, root)) return root;
  const where = realPath === given ? '' : ` (it resolves to ${realPath})`;
  throw new CallerError(
    `"${given}" is outside the allowed folders${where}: ${r.roots.join(', ') || 'none'}. To read it, ${HOW_TO_ADD_ROOT}`,
  );
}
