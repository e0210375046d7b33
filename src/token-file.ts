/**
 * Reads the HTTP bearer token from a file (--token-file), so it never appears on the command line,
 * where every local user can read it in the process list. The read is bounded, the token trimmed,
 * and a file other users can read is refused: it would give the token away just the same.
 * Messages name the file and never contain what is in it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const MAX_TOKEN_FILE_BYTES = 4096;

/** Returns the token in `path`, or throws an Error saying what to fix. */
export function readTokenFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(`cannot read token file ${path} (${err.code ?? err.message}); give a file holding the bearer token`, { cause: e });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`token file ${path} is not a regular file; give a file holding the bearer token`);
    if (process.platform !== 'win32' && (st.mode & 0o006) !== 0) {
      const how = st.mode & 0o004 ? 'readable' : 'writable';
      throw new Error(
        `token file ${path} is ${how} by other users (mode ${(st.mode & 0o777).toString(8)}), which gives the token away; ` +
          `make it private: chmod 600 ${path}`,
      );
    }
    const buf = Buffer.alloc(MAX_TOKEN_FILE_BYTES + 1);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    if (n > MAX_TOKEN_FILE_BYTES)
      throw new Error(`token file ${path} is larger than ${MAX_TOKEN_FILE_BYTES} bytes; it must hold only the token`);
    const token = buf.subarray(0, n).toString('utf8').trim();
    if (token === '')
      throw new Error(`token file ${path} is empty; put the bearer token in it (e.g. umask 077; openssl rand -hex 32 > ${path})`);
    if (/[\r\n]/.test(token)) throw new Error(`token file ${path} must hold the token on one line, and nothing else`);
    return token;
  } finally {
    closeSync(fd);
  }
}
