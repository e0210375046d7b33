/**
 * A stdio server transport that answers malformed input instead of ignoring it.
 *
 * The SDK's StdioServerTransport drops a line that is not valid JSON-RPC (the client then waits
 * forever for an answer) and closes the whole transport when more than 10 MB arrive without a
 * newline. This one speaks the same newline-delimited JSON-RPC, but:
 * - a line that is not UTF-8 JSON gets a -32700 Parse error (id null);
 * - JSON that is not a valid JSON-RPC message gets -32600 Invalid Request (with its id if usable);
 * - a line longer than `maxLineBytes` is discarded up to its newline and answered with -32600,
 *   carrying the request's id when a bounded scan of the discarded bytes finds one (id-scan.ts),
 *   so the client's request fails at once instead of timing out; the transport stays open.
 * Valid messages are handed to the server unchanged.
 */
import process from 'node:process';
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { logger } from '../engine/log.js';
import { INVALID_REQUEST, parseJsonRpc } from './guard.js';
import { TopLevelIdScanner } from './id-scan.js';

const log = logger('stdio');

export const STDIO_DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;

export class GuardedStdioServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Set while an oversized line is being discarded: looks for its id in the bytes that pass. */
  private discarding: TopLevelIdScanner | null = null;
  private started = false;
  private closed = false;
  private readonly maxLineBytes: number;

  constructor(
    private readonly stdin: Readable = process.stdin,
    private readonly stdout: Writable = process.stdout,
    options: { maxLineBytes?: number } = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? STDIO_DEFAULT_MAX_LINE_BYTES;
  }

  private readonly onData = (chunk: Buffer | string) => {
    try {
      this.ingest(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    } catch (e) {
      this.onerror?.(e instanceof Error ? e : new Error(String(e)));
    }
  };
  private readonly onStdinError = (e: Error) => this.onerror?.(e);
  private readonly onEnd = () => {
    void this.close();
  };

  async start(): Promise<void> {
    if (this.started) throw new Error('GuardedStdioServerTransport already started; connect() starts it, do not call start() too');
    this.started = true;
    this.stdin.on('data', this.onData);
    this.stdin.on('error', this.onStdinError);
    this.stdin.on('end', this.onEnd);
  }

  private ingest(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) {
        const rest = chunk.subarray(start);
        if (rest.length === 0) return;
        if (this.discarding) {
          this.discarding.push(rest);
          return;
        }
        if (this.buffered + rest.length > this.maxLineBytes) {
          this.beginDiscard(rest);
          return;
        }
        this.chunks.push(rest);
        this.buffered += rest.length;
        return;
      }
      const part = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.discarding || this.buffered + part.length > this.maxLineBytes) {
        if (!this.discarding) this.beginDiscard(part);
        else this.discarding.push(part);
        const id = this.discarding!.result();
        this.discarding = null;
        this.reply(
          id,
          INVALID_REQUEST,
          `Invalid Request: message longer than ${this.maxLineBytes} bytes was discarded; send smaller messages`,
        );
        continue;
      }
      let line = this.chunks.length ? Buffer.concat([...this.chunks, part]) : part;
      this.chunks = [];
      this.buffered = 0;
      if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      this.handleLine(line);
    }
  }

  /** Drops the buffered start of an oversized line, scanning it (and `more`) for the request id. */
  private beginDiscard(more: Buffer): void {
    const scanner = new TopLevelIdScanner();
    for (const c of this.chunks) scanner.push(c);
    scanner.push(more);
    this.chunks = [];
    this.buffered = 0;
    this.discarding = scanner;
    log.warn('discarding an oversized stdin message', { maxLineBytes: this.maxLineBytes });
  }

  private handleLine(line: Buffer): void {
    // blank lines are keep-alives some clients send; nothing to answer
    if (line.every((b) => b === 0x20 || b === 0x09)) return;
    const r = parseJsonRpc(line, { allowBatch: false });
    if (!r.ok) {
      this.onerror?.(new Error(r.error.error.message));
      void this.send(r.error as unknown as JSONRPCMessage);
      return;
    }
    this.onmessage?.(r.messages[0]);
  }

  private reply(id: string | number | null, code: number, message: string): void {
    void this.send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stdin.off('data', this.onData);
    this.stdin.off('error', this.onStdinError);
    this.stdin.off('end', this.onEnd);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.chunks = [];
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      const json = JSON.stringify(message) + '\n';
      if (this.stdout.write(json)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }
}
