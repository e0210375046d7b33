/**
 * Sends fuzz cases to a spawned MCP server over stdio or HTTP and checks the answers.
 * Also used by bench/ code through the compiled server: nothing here imports the server itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { FuzzCase, ToolInfo } from './generator.js';

export interface FuzzReport {
  transport: 'stdio' | 'http' | 'sse';
  cases: number;
  expectingAnswer: number;
  answered: number;
  jsonRpcErrors: number;
  toolErrors: number;
  successes: number;
  unanswered: Array<{ n: number; kind: string }>;
  wrongId: Array<{ n: number; kind: string; got: unknown; want: unknown }>;
  mustFailButSucceeded: Array<{ n: number; kind: string; text: string }>;
  unexpectedAnswers: Array<{ n: number; kind: string; got: unknown }>;
  httpStatus: Record<string, number>;
  byKind: Record<string, number>;
  aliveAfter: boolean;
  pingAfterOk: boolean;
  rssBeforeKb: number;
  rssAfterKb: number;
  rssPeakKb: number;
  /** VmRSS (kB) every 1,000 cases: flat after warm-up means no leak. */
  rssTraceKb: number[];
  durationMs: number;
  bytesSent: number;
  aborted?: string;
}

export function rssKb(pid: number): { rss: number; hwm: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const get = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
  return { rss: get('VmRSS'), hwm: get('VmHWM') };
}

type Msg = {
  jsonrpc?: string;
  id?: string | number | null;
  result?: { isError?: unknown; tools?: unknown; serverInfo?: { name?: unknown } };
  error?: { code: number; message: string };
  method?: string;
};

const isAnswer = (m: Msg) => m && typeof m === 'object' && ('result' in m || 'error' in m);
const failed = (m: Msg) => 'error' in m || m.result?.isError === true;

export const INIT_MSG = {
  jsonrpc: '2.0',
  id: 'init',
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } },
};

// ------------------------------------------------------------------ answers arriving on a stream
/** Answers that arrive on a stream (stdio, legacy SSE), taken by predicate; the stream's end wakes waiters. */
class AnswerInbox {
  private queue: Msg[] = [];
  private waiters: Array<() => void> = [];
  protected ended = false;

  protected deliver(m: Msg | null): void {
    if (m) this.queue.push(m);
    this.waiters.splice(0).forEach((w) => w());
  }

  protected end(): void {
    this.ended = true;
    this.waiters.splice(0).forEach((w) => w());
  }

  /** Next answer matching `pred`, or null after `timeoutMs` / once the stream ended. Non-matching answers are kept. */
  async take(pred: (m: Msg) => boolean, timeoutMs: number): Promise<Msg | null> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const i = this.queue.findIndex(pred);
      if (i >= 0) return this.queue.splice(i, 1)[0];
      if (this.ended || Date.now() > end) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, end - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  drain(): Msg[] {
    return this.queue.splice(0);
  }
}

// ------------------------------------------------------------------ stdio peer
export class StdioPeer extends AnswerInbox {
  readonly child: ChildProcess;
  private buf = Buffer.alloc(0);
  stderr = '';

  get exited(): boolean {
    return this.ended;
  }

  constructor(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
    super();
    this.child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      let i: number;
      while ((i = this.buf.indexOf(0x0a)) >= 0) {
        const line = this.buf.subarray(0, i).toString('utf8');
        this.buf = this.buf.subarray(i + 1);
        if (!line.trim()) continue;
        let m: Msg;
        try {
          m = JSON.parse(line);
        } catch {
          m = { error: { code: 0, message: `NON-JSON ON STDOUT: ${line.slice(0, 200)}` } } as Msg;
        }
        this.deliver(isAnswer(m) ? m : null); // server notifications (logging etc.) are not answers
      }
    });
    this.child.stderr!.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString('utf8')).slice(-20_000);
    });
    this.child.on('exit', () => this.end());
    this.child.stdin!.on('error', () => undefined);
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve) => {
      const ok = this.child.stdin!.write(Buffer.concat([bytes, Buffer.from('\n')]));
      if (ok) resolve();
      else this.child.stdin!.once('drain', resolve);
    });
  }

  async request(msg: object, timeoutMs = 30_000): Promise<Msg | null> {
    const id = (msg as { id: string | number }).id;
    await this.write(Buffer.from(JSON.stringify(msg)));
    return this.take((m) => m.id === id, timeoutMs);
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    const done = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(t);
  }
}

// ------------------------------------------------------------------ HTTP peer
export function parseHttpAnswer(contentType: string, text: string): Msg[] {
  if (!text) return [];
  if (contentType.includes('text/event-stream')) {
    return text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trim())
      .filter(Boolean)
      .flatMap((l) => {
        try {
          const v = JSON.parse(l);
          return Array.isArray(v) ? v : [v];
        } catch {
          return [];
        }
      });
  }
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v : [v];
  } catch {
    return [{ error: { code: 0, message: `NON-JSON BODY: ${text.slice(0, 200)}` } }];
  }
}

export class HttpPeer {
  sessionId: string | undefined;
  constructor(
    readonly url: string,
    readonly headers: Record<string, string> = {},
  ) {}

  async post(body: Buffer | string): Promise<{ status: number; messages: Msg[] }> {
    const h: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...this.headers,
    };
    if (this.sessionId) {
      h['mcp-session-id'] = this.sessionId;
      h['mcp-protocol-version'] = '2025-06-18';
    }
    const res = await fetch(this.url, { method: 'POST', headers: h, body });
    const sid = res.headers.get('mcp-session-id');
    if (sid && !this.sessionId) this.sessionId = sid;
    const text = await res.text();
    return { status: res.status, messages: parseHttpAnswer(res.headers.get('content-type') ?? '', text) };
  }

  async initialize(): Promise<void> {
    const r = await this.post(JSON.stringify(INIT_MSG));
    if (r.status !== 200 || !this.sessionId)
      throw new Error(`initialize failed: HTTP ${r.status} ${JSON.stringify(r.messages).slice(0, 300)}`);
    await this.post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  }

  async request(msg: object): Promise<Msg | null> {
    const id = (msg as { id: string | number }).id;
    const r = await this.post(JSON.stringify(msg));
    return r.messages.find((m) => m.id === id && isAnswer(m)) ?? r.messages.find(isAnswer) ?? null;
  }
}

// ------------------------------------------------------------------ legacy SSE peer
/** GET /sse for the stream, POST /messages?sessionId=... for each message. */
export class SsePeer extends AnswerInbox {
  private endpoint = '';
  private abort = new AbortController();

  get closed(): boolean {
    return this.ended;
  }

  constructor(readonly sseUrl: string) {
    super();
  }

  async open(): Promise<void> {
    const res = await fetch(this.sseUrl, { headers: { accept: 'text/event-stream' }, signal: this.abort.signal });
    if (res.status !== 200 || !res.body) throw new Error(`GET /sse failed: HTTP ${res.status}`);
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    const gotEndpoint = new Promise<void>((resolve, reject) => {
      const pump = async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            buf += dec.decode(value, { stream: true });
            let i: number;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              const ev = buf.slice(0, i);
              buf = buf.slice(i + 2);
              const type = /^event: (.*)$/m.exec(ev)?.[1] ?? 'message';
              const data = ev
                .split('\n')
                .filter((l) => l.startsWith('data: '))
                .map((l) => l.slice(6))
                .join('\n');
              if (type === 'endpoint') {
                this.endpoint = new URL(data, this.sseUrl).href;
                resolve();
              } else if (type === 'message') {
                let m: Msg | null;
                try {
                  m = JSON.parse(data);
                  if (!isAnswer(m!)) m = null;
                } catch {
                  m = { error: { code: 0, message: `NON-JSON SSE DATA: ${data.slice(0, 200)}` } } as Msg;
                }
                this.deliver(m);
              }
            }
          }
        } catch (e) {
          reject(e);
        }
        this.end();
      };
      void pump();
    });
    await gotEndpoint;
  }

  /** POSTs one body; returns the HTTP status and, for a refusal, the JSON-RPC error in the body. */
  async post(body: Buffer | string): Promise<{ status: number; messages: Msg[] }> {
    const res = await fetch(this.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await res.text();
    return { status: res.status, messages: res.status === 202 ? [] : parseHttpAnswer(res.headers.get('content-type') ?? '', text) };
  }

  async request(msg: object, timeoutMs = 30_000): Promise<Msg | null> {
    const id = (msg as { id: string | number }).id;
    const r = await this.post(JSON.stringify(msg));
    if (r.status !== 202) return r.messages.find(isAnswer) ?? null;
    return this.take((m) => m.id === id, timeoutMs);
  }

  close(): void {
    this.abort.abort();
  }
}

// ------------------------------------------------------------------ spawning the real server
export interface Spawned {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
}

/** Spawns `node dist/cli.js --http --port 0 ...` and waits for the URL it logs on stderr. */
export async function spawnHttpServer(serverJs: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Spawned> {
  const child = spawn(process.execPath, [serverJs, '--http', '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`server did not print its URL within ${timeoutMs} ms; stderr:\n${err.slice(-3000)}`)),
      timeoutMs,
    );
    child.stderr!.on('data', (c: Buffer) => {
      err = (err + c.toString('utf8')).slice(-50_000);
      const m = /"url":"(http:\/\/[^"]+\/mcp)"/.exec(err);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`server exited with ${code} before listening; stderr:\n${err.slice(-3000)}`));
    });
  });
  return {
    child,
    url,
    stderr: () => err + (out ? `\nSTDOUT (must be empty in HTTP mode):\n${out}` : ''),
    kill: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(t);
    },
  };
}

// ------------------------------------------------------------------ the runs
function newReport(transport: 'stdio' | 'http' | 'sse'): FuzzReport {
  return {
    transport,
    cases: 0,
    expectingAnswer: 0,
    answered: 0,
    jsonRpcErrors: 0,
    toolErrors: 0,
    successes: 0,
    unanswered: [],
    wrongId: [],
    mustFailButSucceeded: [],
    unexpectedAnswers: [],
    httpStatus: {},
    byKind: {},
    aliveAfter: false,
    pingAfterOk: false,
    rssBeforeKb: NaN,
    rssAfterKb: NaN,
    rssPeakKb: NaN,
    rssTraceKb: [],
    durationMs: 0,
    bytesSent: 0,
  };
}

function count(rep: FuzzReport, m: Msg, answersCase = true) {
  if (answersCase) rep.answered++;
  if ('error' in m) rep.jsonRpcErrors++;
  else if (m.result?.isError) rep.toolErrors++;
  else rep.successes++;
}

const MAX_UNANSWERED = 10;

export async function runStdio(
  peer: StdioPeer,
  cases: FuzzCase[],
  opts: { answerTimeoutMs?: number; warmup?: number } = {},
): Promise<FuzzReport> {
  const rep = newReport('stdio');
  const t0 = Date.now();
  const timeout = opts.answerTimeoutMs ?? 20_000;
  const warm = opts.warmup ?? Math.min(200, cases.length);
  let sentinel = 0;
  for (const c of cases) {
    if (rep.cases === warm) rep.rssBeforeKb = rssKb(peer.child.pid!).rss;
    if (rep.cases % 1000 === 0 && rep.cases > 0 && !peer.exited) rep.rssTraceKb.push(rssKb(peer.child.pid!).rss);
    rep.cases++;
    rep.bytesSent += c.bytes.length + 1;
    rep.byKind[c.kind.split(':')[0]] = (rep.byKind[c.kind.split(':')[0]] ?? 0) + 1;
    await peer.write(c.bytes);
    // stdio answers batches with one refusal (id null)
    const want = c.batchIds ? null : c.answerId;
    if (c.expectsAnswer) {
      rep.expectingAnswer++;
      const m = await peer.take((x) => x.id === want, timeout);
      if (!m) {
        rep.unanswered.push({ n: c.n, kind: c.kind });
        if (peer.exited || rep.unanswered.length >= MAX_UNANSWERED) {
          rep.aborted = peer.exited ? `server exited at case ${c.n} (${c.kind})` : `${MAX_UNANSWERED} messages went unanswered; stopped`;
          break;
        }
        continue;
      }
      count(rep, m);
      if (c.mustFail && !failed(m)) rep.mustFailButSucceeded.push({ n: c.n, kind: c.kind, text: c.bytes.toString('utf8').slice(0, 300) });
    } else {
      // a ping barrier: anything answered before it (besides late tool answers) is unexpected
      const id = `sentinel-${sentinel++}`;
      const p = await peer.request({ jsonrpc: '2.0', id, method: 'ping' }, timeout);
      if (!p) {
        rep.unanswered.push({ n: c.n, kind: 'sentinel ping' });
        if (peer.exited) {
          rep.aborted = `server exited at case ${c.n} (${c.kind})`;
          break;
        }
      }
    }
    for (const extra of peer.drain()) rep.unexpectedAnswers.push({ n: c.n, kind: c.kind, got: JSON.stringify(extra).slice(0, 300) });
  }
  if (!peer.exited) {
    const p = await peer.request({ jsonrpc: '2.0', id: 'final-ping', method: 'ping' }, timeout);
    rep.pingAfterOk = !!p && 'result' in p;
    const st = rssKb(peer.child.pid!);
    rep.rssAfterKb = st.rss;
    rep.rssPeakKb = st.hwm;
  }
  rep.aliveAfter = !peer.exited;
  rep.durationMs = Date.now() - t0;
  return rep;
}

/**
 * One HTTP-posted case (Streamable HTTP or legacy SSE): counts it, samples RSS every 1,000 cases,
 * posts it, and records a failed POST (aborting when the server is gone).
 */
async function postCase(
  rep: FuzzReport,
  peer: { post(body: Buffer | string): Promise<{ status: number; messages: Msg[] }> },
  pid: number,
  c: FuzzCase,
  warm: number,
  isAlive: (() => boolean) | undefined,
  traceOnlyWhileAlive: boolean,
): Promise<{ status: number; messages: Msg[] } | 'skip' | 'abort'> {
  if (rep.cases === warm) rep.rssBeforeKb = rssKb(pid).rss;
  if (rep.cases % 1000 === 0 && rep.cases > 0 && (!traceOnlyWhileAlive || !isAlive || isAlive())) rep.rssTraceKb.push(rssKb(pid).rss);
  rep.cases++;
  rep.bytesSent += c.bytes.length;
  rep.byKind[c.kind.split(':')[0]] = (rep.byKind[c.kind.split(':')[0]] ?? 0) + 1;
  let r: { status: number; messages: Msg[] };
  try {
    r = await peer.post(c.bytes);
  } catch (e) {
    rep.unanswered.push({
      n: c.n,
      kind: `${c.kind} (fetch failed: ${(e as Error).message}: ${String((e as { cause?: unknown }).cause ?? '')})`,
    });
    if (isAlive && !isAlive()) {
      rep.aborted = `server exited at case ${c.n} (${c.kind})`;
      return 'abort';
    }
    return 'skip';
  }
  rep.httpStatus[r.status] = (rep.httpStatus[r.status] ?? 0) + 1;
  return r;
}

/** End of an HTTP-posted run: a final ping, RSS at the end (while the server is up), the duration. */
async function finishPosted(
  rep: FuzzReport,
  peer: { request(msg: object, timeoutMs?: number): Promise<Msg | null> },
  pid: number,
  t0: number,
  isAlive: (() => boolean) | undefined,
  timeoutMs?: number,
): Promise<FuzzReport> {
  const p = await peer.request({ jsonrpc: '2.0', id: 'final-ping', method: 'ping' }, timeoutMs).catch(() => null);
  rep.pingAfterOk = !!p && 'result' in p;
  rep.aliveAfter = isAlive ? isAlive() : true;
  if (rep.aliveAfter) {
    const st = rssKb(pid);
    rep.rssAfterKb = st.rss;
    rep.rssPeakKb = st.hwm;
  }
  rep.durationMs = Date.now() - t0;
  return rep;
}

export async function runHttp(
  peer: HttpPeer,
  pid: number,
  cases: FuzzCase[],
  opts: { warmup?: number; isAlive?: () => boolean } = {},
): Promise<FuzzReport> {
  const rep = newReport('http');
  const t0 = Date.now();
  const warm = opts.warmup ?? Math.min(200, cases.length);
  for (const c of cases) {
    const r = await postCase(rep, peer, pid, c, warm, opts.isAlive, true);
    if (r === 'abort') break;
    if (r === 'skip') continue;
    const answers = r.messages.filter(isAnswer);
    if (c.batchIds) {
      rep.expectingAnswer++;
      if (!c.batchValid) {
        // a refused batch: one JSON-RPC error for the HTTP request
        if (answers.length && answers.every((m) => 'error' in m)) count(rep, answers[0]);
        else rep.unanswered.push({ n: c.n, kind: c.kind });
        continue;
      }
      // a valid batch: every request in it is answered (a transport-level refusal also counts)
      const refused = answers.length === 1 && 'error' in answers[0] && answers[0].id == null;
      const missing = c.batchIds.filter((id) => !answers.some((m) => m.id === id));
      if (refused) count(rep, answers[0]);
      else if (missing.length) rep.unanswered.push({ n: c.n, kind: `${c.kind} (missing ${missing.length})` });
      else answers.forEach((m, i) => count(rep, m, i === 0));
      continue;
    }
    if (c.expectsAnswer) {
      rep.expectingAnswer++;
      // over HTTP the POST's own response is the answer: a transport-level error may carry id null
      const m = answers.find((x) => x.id === c.answerId) ?? answers.find((x) => 'error' in x && x.id == null);
      if (!m) {
        rep.unanswered.push({ n: c.n, kind: `${c.kind} (HTTP ${r.status})` });
        continue;
      }
      if (m.id !== c.answerId && c.answerId !== null && !(r.status >= 400))
        rep.wrongId.push({ n: c.n, kind: c.kind, got: m.id, want: c.answerId });
      count(rep, m);
      if (c.mustFail && !failed(m)) rep.mustFailButSucceeded.push({ n: c.n, kind: c.kind, text: c.bytes.toString('utf8').slice(0, 300) });
    } else if (answers.length || r.status !== 202) {
      rep.unexpectedAnswers.push({ n: c.n, kind: c.kind, got: `${r.status} ${JSON.stringify(answers).slice(0, 200)}` });
    }
  }
  return finishPosted(rep, peer, pid, t0, opts.isAlive);
}

/** Legacy SSE: a 202 means the answer comes over the stream (matched by id); anything else is the answer. */
export async function runSse(
  peer: SsePeer,
  pid: number,
  cases: FuzzCase[],
  opts: { answerTimeoutMs?: number; isAlive?: () => boolean } = {},
): Promise<FuzzReport> {
  const rep = newReport('sse');
  const t0 = Date.now();
  const timeout = opts.answerTimeoutMs ?? 20_000;
  const warm = Math.min(200, cases.length);
  let sentinel = 0;
  for (const c of cases) {
    const r = await postCase(rep, peer, pid, c, warm, opts.isAlive, false);
    if (r === 'abort') break;
    if (r === 'skip') continue;
    // the SSE transport takes one message per POST: batches are refused in the HTTP answer
    const expects = c.expectsAnswer;
    if (r.status !== 202) {
      const m = r.messages.find(isAnswer);
      if (expects) rep.expectingAnswer++;
      if (!m) {
        rep.unanswered.push({ n: c.n, kind: `${c.kind} (HTTP ${r.status}, no JSON-RPC body)` });
        continue;
      }
      if (!expects) rep.unexpectedAnswers.push({ n: c.n, kind: c.kind, got: `${r.status}` });
      else {
        count(rep, m);
        if (c.mustFail && !failed(m)) rep.mustFailButSucceeded.push({ n: c.n, kind: c.kind, text: c.bytes.toString('utf8').slice(0, 300) });
      }
      continue;
    }
    if (c.batchIds) {
      // an accepted batch: every request in it is answered on the stream
      if (c.batchIds.length === 0) continue;
      rep.expectingAnswer++;
      let all = true;
      for (const id of c.batchIds) {
        const m = await peer.take((x) => x.id === id, timeout);
        if (!m) all = false;
        else count(rep, m, id === c.batchIds[0]);
      }
      if (!all) rep.unanswered.push({ n: c.n, kind: c.kind });
      continue;
    }
    if (expects) {
      rep.expectingAnswer++;
      const m = await peer.take((x) => x.id === c.answerId, timeout);
      if (!m) {
        rep.unanswered.push({ n: c.n, kind: c.kind });
        if (peer.closed || rep.unanswered.length >= MAX_UNANSWERED) {
          rep.aborted = peer.closed
            ? `SSE stream closed at case ${c.n} (${c.kind})`
            : `${MAX_UNANSWERED} messages went unanswered; stopped`;
          break;
        }
        continue;
      }
      count(rep, m);
      if (c.mustFail && !failed(m)) rep.mustFailButSucceeded.push({ n: c.n, kind: c.kind, text: c.bytes.toString('utf8').slice(0, 300) });
    } else {
      const p = await peer.request({ jsonrpc: '2.0', id: `sentinel-${sentinel++}`, method: 'ping' }, timeout);
      if (!p) rep.unanswered.push({ n: c.n, kind: 'sentinel ping' });
    }
    for (const extra of peer.drain()) rep.unexpectedAnswers.push({ n: c.n, kind: c.kind, got: JSON.stringify(extra).slice(0, 300) });
  }
  return finishPosted(rep, peer, pid, t0, opts.isAlive, timeout);
}

/** tools/list through a peer, as generator input. */
export async function listTools(peer: { request(msg: object): Promise<Msg | null> }): Promise<ToolInfo[]> {
  const r = await peer.request({ jsonrpc: '2.0', id: 'tools-list', method: 'tools/list' });
  if (!r || !r.result?.tools) throw new Error(`tools/list failed: ${JSON.stringify(r).slice(0, 300)}`);
  return r.result.tools as ToolInfo[];
}

export function summary(rep: FuzzReport): string {
  return JSON.stringify({
    transport: rep.transport,
    cases: rep.cases,
    expectingAnswer: rep.expectingAnswer,
    answered: rep.answered,
    jsonRpcErrors: rep.jsonRpcErrors,
    toolErrors: rep.toolErrors,
    successes: rep.successes,
    unanswered: rep.unanswered.length,
    wrongId: rep.wrongId.length,
    mustFailButSucceeded: rep.mustFailButSucceeded.length,
    unexpectedAnswers: rep.unexpectedAnswers.length,
    httpStatus: rep.httpStatus,
    byKind: rep.byKind,
    rssBeforeKb: rep.rssBeforeKb,
    rssAfterKb: rep.rssAfterKb,
    rssPeakKb: rep.rssPeakKb,
    rssTraceKb: rep.rssTraceKb,
    durationMs: rep.durationMs,
    bytesSent: rep.bytesSent,
    aborted: rep.aborted,
  });
}
