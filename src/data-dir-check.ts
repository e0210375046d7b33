/**
 * Checked before the server starts: a data directory that cannot be written would otherwise start
 * a server whose every tool fails with SQLite's raw message. The check writes for real (a probe
 * file created and removed, the database files opened for writing), because a permission check
 * alone passes for root on a read-only mount or an immutable file.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { dataPaths } from './engine/store/paths.js';

export class DataDirError extends Error {
  override name = 'DataDirError';
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message.replace(/^[A-Z]+: /, '')}` : String(e);
}

/** Throws a DataDirError naming the path and the fix unless `dataDir` (and its database) can be written. */
export function assertDataDirWritable(dataDir: string): void {
  const { dataDir: dir, database } = dataPaths(dataDir);
  const fix = 'choose a writable directory with --data-dir <dir> (or RUVLLM_MCP_DATA_DIR), ' + 'or give this user write access to it';
  const fail = (what: string, e: unknown): never => {
    throw new DataDirError(`${what} is not writable (${reason(e)}); ${fix}`);
  };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    fail(`data directory ${dir}`, e);
  }
  if (!statSync(dir).isDirectory()) fail(`data directory ${dir}`, new Error('it is not a directory'));
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    fail(`data directory ${dir}`, e);
  }
  const probe = join(dir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fd = openSync(probe, 'wx', 0o600);
    try {
      writeSync(fd, 'ok');
    } finally {
      closeSync(fd);
    }
    unlinkSync(probe);
  } catch (e) {
    try {
      unlinkSync(probe);
    } catch {
      /* never created */
    }
    fail(`data directory ${dir}`, e);
  }
  // An existing database (or its WAL files) owned by someone else, e.g. created with sudo.
  for (const file of [database, `${database}-wal`, `${database}-shm`]) {
    if (!existsSync(file)) continue;
    try {
      closeSync(openSync(file, 'r+'));
    } catch (e) {
      fail(`database file ${file}`, e);
    }
  }
}
