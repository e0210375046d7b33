/**
 * stdout belongs to JSON-RPC. Imported first by the entry point: from here on,
 * anything written to process.stdout (console.log, a dependency's progress
 * output) goes to stderr instead, and only `protocolStdout` reaches fd 1.
 */
import { Writable } from 'node:stream';

const realWrite = process.stdout.write.bind(process.stdout) as (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;

process.stdout.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) =>
  (process.stderr.write as (c: unknown, e?: unknown, cb?: unknown) => boolean)(chunk, encoding, cb)) as typeof process.stdout.write;

/** The one writer of fd 1: give it to the stdio transport. */
export const protocolStdout = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    try {
      realWrite(chunk, undefined, (err?: Error | null) => callback(err ?? null));
    } catch (e) {
      callback(e as Error);
    }
  },
  highWaterMark: 1 << 20,
});
protocolStdout.on('error', () => undefined);

/** Writes to the real stdout for CLI output that is not JSON-RPC (--help, --version). */
export function writeRealStdout(text: string): Promise<void> {
  return new Promise((resolve) => realWrite(text, undefined, () => resolve()));
}
