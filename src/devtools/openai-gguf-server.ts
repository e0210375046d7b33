/**
 * A small OpenAI-compatible server with a real model behind it: a GGUF file (a generated tiny one in
 * tests and benchmarks) run through node-llama-cpp by the engine's own GGUF backend. It answers
 * GET /v1/models and POST /v1/chat/completions, streaming (SSE with usage and [DONE]) or not, with the
 * status codes llama.cpp's server uses: 400 for a request that cannot be served as given (no messages,
 * a bad max_tokens, a prompt longer than the context), 404 for another model name, 500 when generation fails.
 *
 * Used by the pool tests and bench/pool.mjs as several endpoints serving the same model. Run as a
 * process (so it can really be killed):
 *   node dist/devtools/openai-gguf-server.js --model tiny.gguf [--port 0] [--name tiny] [--threads 1]
 *     [--parallel 2] [--context-size 512] [--token-delay-ms 0]
 * It prints one JSON line {"url": "http://127.0.0.1:<port>"} on stdout once it listens; logs go to stderr.
 * --token-delay-ms paces the stream (a pause before each chunk is written), standing in for a slower model: a
 * sequence stays busy until its stream is written, so calls beyond --parallel wait with nothing sent yet.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorKind } from '../engine/errors.js';
import type { LoadedModel } from '../engine/models/backend.js';
import { loadGgufModel, readGgufModelInfo } from '../engine/models/gguf.js';
import { ModelQueue } from '../engine/models/queue.js';
import type { ChatMessage } from '../engine/models/types.js';

export interface GgufOpenAIServerOptions {
  model: string;
  /** Model name served (default: the file name without .gguf). */
  name?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  threads?: number;
  parallel?: number;
  contextSize?: number;
  tokenDelayMs?: number;
}

export interface GgufOpenAIServer {
  url: string;
  port: number;
  name: string;
  /** Chat completions answered so far (each one counted when it starts). */
  completions: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function badRequest(res: ServerResponse, message: string, type = 'invalid_request_error'): void {
  sendJson(res, 400, { error: { code: 400, message, type } });
}

/** The fields of a chat-completion request read here: the client's JSON, so each is checked before use. */
interface CompletionRequest {
  messages?: unknown;
  model?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  stream?: unknown;
  temperature?: unknown;
  top_p?: unknown;
  stop?: unknown;
  /** Read with ?.: any other JSON value has no include_usage either. */
  stream_options?: { include_usage?: unknown } | null;
}

export async function startGgufOpenAIServer(opts: GgufOpenAIServerOptions): Promise<GgufOpenAIServer> {
  const info = await readGgufModelInfo(opts.model);
  const name = opts.name ?? basename(opts.model).replace(/\.gguf$/i, '');
  const parallel = Math.max(1, opts.parallel ?? 2);
  const model: LoadedModel = await loadGgufModel(info, {
    gpu: false,
    threads: opts.threads ?? 1,
    contextSize: opts.contextSize ?? 512,
    parallel,
  });
  const queue = new ModelQueue(name, parallel, 10_000);
  const delay = Math.max(0, opts.tokenDelayMs ?? 0);
  const open = new Set<ServerResponse>();
  const state = { completions: 0 };

  const complete = async (req: IncomingMessage, res: ServerResponse, parsed: unknown): Promise<void> => {
    // Request JSON: a non-object has no fields (so no messages and a 400, as reading them off it would give).
    const body: CompletionRequest = typeof parsed === 'object' && parsed !== null ? parsed : {};
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) return badRequest(res, "'messages' must be a non-empty array");
    for (const m of messages)
      if (!m || typeof m.content !== 'string' || !['system', 'user', 'assistant'].includes(m.role))
        return badRequest(res, 'each message needs a role (system, user, assistant) and a string content');
    if (body.model !== undefined && body.model !== name)
      return sendJson(res, 404, { error: { code: 404, message: `model "${body.model}" not found`, type: 'not_found_error' } });
    const maxTokens = body.max_tokens ?? body.max_completion_tokens ?? 128;
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)
      return badRequest(res, `'max_tokens' must be a positive integer, got ${JSON.stringify(maxTokens)}`);
    const stream = body.stream === true;
    const id = `chatcmpl-${++state.completions}`;
    const created = Math.floor(Date.now() / 1000);
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) ac.abort();
    });

    // The stream is written by one writer in order (paced by --token-delay-ms); headers go out with
    // the first chunk, so a failure before any token still gets its status code.
    let chain: Promise<void> = Promise.resolve();
    const write = (s: string) => {
      chain = chain.then(async () => {
        if (delay) await sleep(delay);
        if (res.destroyed) return;
        if (!res.headersSent)
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(s);
      });
    };
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: name, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    let first = true;
    try {
      // The slot is held until the paced stream is written, as a server whose model is that slow would.
      const r = await queue.run(
        async () => {
          const out = await model.generate({
            messages: messages as ChatMessage[],
            maxTokens,
            temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
            topP: typeof body.top_p === 'number' ? body.top_p : undefined,
            stop: Array.isArray(body.stop) ? body.stop : typeof body.stop === 'string' ? [body.stop] : undefined,
            signal: ac.signal,
            onText: stream
              ? (text) => {
                  write(chunk(first ? { role: 'assistant', content: text } : { content: text }));
                  first = false;
                }
              : undefined,
          });
          await chain;
          return out;
        },
        ac.signal,
        () => null,
      );
      if (!r || r.stopReason === 'abort') {
        await chain;
        res.destroy();
        return;
      }
      const finish = r.stopReason === 'length' ? 'length' : 'stop';
      const usage = {
        prompt_tokens: r.promptTokens,
        completion_tokens: r.completionTokens,
        total_tokens: r.promptTokens + r.completionTokens,
      };
      if (!stream) {
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created,
          model: name,
          choices: [{ index: 0, message: { role: 'assistant', content: r.text }, finish_reason: finish }],
          usage,
        });
        return;
      }
      write(chunk({}, finish));
      if (body.stream_options?.include_usage)
        write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: name, choices: [], usage })}\n\n`);
      write('data: [DONE]\n\n');
      await chain;
      res.end();
    } catch (err) {
      await chain.catch(() => {});
      const msg = (err as Error).message;
      if (res.headersSent) {
        // Mid-stream: the way llama.cpp's server reports it, an error event, then the end.
        res.end(`data: ${JSON.stringify({ error: { message: msg } })}\n\n`);
        return;
      }
      if (errorKind(err) === 'caller') return badRequest(res, msg, 'exceed_context_size_error');
      sendJson(res, 500, { error: { code: 500, message: msg, type: 'server_error' } });
    }
  };

  const server: Server = createServer(async (req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
        return sendJson(res, 200, { object: 'list', data: [{ id: name, object: 'model', created: 0, owned_by: 'llamacpp' }] });
      }
      if (req.method === 'GET' && path === '/health') return sendJson(res, 200, { status: 'ok' });
      if (req.method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) {
        const raw = await readBody(req);
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          return badRequest(res, 'the request body is not JSON');
        }
        return await complete(req, res, body);
      }
      sendJson(res, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
    } catch (err) {
      sendJson(res, 500, { error: { code: 500, message: (err as Error).message, type: 'server_error' } });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    name,
    get completions() {
      return state.completions;
    },
    close: async () => {
      for (const r of open) r.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await queue.drained().catch(() => {});
      await model.dispose();
    },
  };
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const model = flag(args, 'model');
  if (!model) {
    process.stderr.write(
      'usage: openai-gguf-server --model <file.gguf> [--port 0] [--name n] [--threads 1] [--parallel 2] [--context-size 512] [--token-delay-ms 0]\n',
    );
    process.exit(2);
  }
  const num = (n: string) => (flag(args, n) !== undefined ? Number(flag(args, n)) : undefined);
  const srv = await startGgufOpenAIServer({
    model,
    name: flag(args, 'name'),
    host: flag(args, 'host'),
    port: num('port'),
    threads: num('threads'),
    parallel: num('parallel'),
    contextSize: num('context-size'),
    tokenDelayMs: num('token-delay-ms'),
  });
  process.stdout.write(JSON.stringify({ url: srv.url, port: srv.port, name: srv.name }) + '\n');
  const stop = () => void srv.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`openai-gguf-server: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
