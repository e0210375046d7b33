/**
 * A small HTTP server speaking the real OpenAI chat-completions protocol (SSE
 * streaming, usage, [DONE], /v1/models) and optionally Ollama's /api/tags. The
 * user message selects failure modes: "#500", "#400" (the request does not fit, as llama.cpp's server says), "#hang", "#malformed", "#cut",
 * "#long", "#nousage", "#midstream-error".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeServer {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the request body as the client sent it (JSON, or the raw text when not JSON), read field by field
  requests: { method: string; path: string; body: any }[];
  /** GET /v1/models answers after this many ms (0: at once); a test may change it while the server runs. */
  modelsDelayMs: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes `payload` in small pieces with pauses so the client sees many TCP packets (splitting lines, JSON and UTF-8 sequences). */
async function writeSplit(res: ServerResponse, payload: string, piece = 7): Promise<void> {
  const bytes = Buffer.from(payload, 'utf8');
  for (let i = 0; i < bytes.length; i += piece) {
    res.write(bytes.subarray(i, i + piece));
    await sleep(1);
  }
}

export const STREAM_PIECES = ['Hel', 'lo', ' wör', 'ld', ' 🚀'];

/**
 * `echo`: the model answers with the prompt it was given (every message's content, in order), as a model
 * that repeats what it read would; tests of the output guard use it so that the guard, not luck, stops a leak.
 * With "#values" in the prompt it answers with the values only (words with a digit), their labels left out.
 */
export async function startOpenAIServer(opts: { models?: string[]; ollama?: boolean; echo?: boolean } = {}): Promise<FakeServer> {
  const models = opts.models ?? ['m1', 'm2'];
  const requests: FakeServer['requests'] = [];
  const open = new Set<ServerResponse>();
  const fake: FakeServer = {
    url: '',
    requests,
    modelsDelayMs: 0,
    close: async () => {
      for (const r of open) r.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server: Server = createServer(async (req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const path = (req.url ?? '/').split('?')[0];
    const raw = req.method === 'POST' ? await readBody(req) : '';
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the request body as the client sent it (JSON, or the raw text when not JSON), read field by field
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    requests.push({ method: req.method ?? '', path, body });
    if (req.method === 'GET' && path === '/v1/models') {
      if (fake.modelsDelayMs > 0) await sleep(fake.modelsDelayMs);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'test' })) }));
      return;
    }
    if (req.method === 'GET' && path === '/api/tags' && opts.ollama) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          models: models.map((name) => ({
            name,
            model: name,
            size: 1234567,
            details: { format: 'gguf', family: 'llama', parameter_size: '1.2B', quantization_level: 'Q4_K_M' },
          })),
        }),
      );
      return;
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      const last = String(body?.messages?.[body.messages.length - 1]?.content ?? '');
      if (!models.includes(body?.model)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `model "${body?.model}" not found` } }));
        return;
      }
      if (last.includes('#500')) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'out of memory loading model' } }));
        return;
      }
      if (last.includes('#400')) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              code: 400,
              message: 'the request exceeds the available context size, try increasing it',
              type: 'exceed_context_size_error',
            },
          }),
        );
        return;
      }
      if (last.includes('#hang')) return; // never answers
      const id = 'chatcmpl-1';
      const chunk = (delta: object, finish: string | null = null) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model: body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      if (last.includes('#malformed')) {
        await writeSplit(res, chunk({ role: 'assistant', content: 'ok' }) + 'data: {"choices": [oops\n\n');
        res.end();
        return;
      }
      if (last.includes('#midstream-error')) {
        await writeSplit(res, chunk({ content: 'a' }) + `data: ${JSON.stringify({ error: { message: 'model crashed' } })}\n\n`);
        res.end();
        return;
      }
      if (last.includes('#long')) {
        for (let i = 0; i < 2000 && !res.destroyed; i++) {
          res.write(chunk({ content: ` t${i}` }));
          await sleep(5);
        }
        res.end();
        return;
      }
      if (opts.echo) {
        let said = (body.messages as { content: string }[]).map((m) => String(m.content)).join('\n');
        // "#values" in the prompt: the model lists the values it read without their labels (every word with a digit,
        // 6+ characters), as a model asked to "list the numbers" would; a leak the scanner cannot see out of context
        if (said.includes('#values'))
          said = (said.match(/\S+/g) ?? [])
            .map((w) => w.replace(/^[^\p{L}\p{N}]+|[,;.:)\]]+$/gu, ''))
            .filter((w) => /\d/.test(w) && w.length >= 6)
            .join(', ');
        let payload = chunk({ role: 'assistant', content: '' });
        const pieces = said.match(/[\s\S]{1,40}/g) ?? [];
        for (const p of pieces) payload += chunk({ content: p });
        payload += chunk({}, 'stop');
        payload += `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: Math.ceil(said.length / 4), completion_tokens: pieces.length, total_tokens: Math.ceil(said.length / 4) + pieces.length } })}\n\n`;
        res.end(payload + 'data: [DONE]\n\n');
        return;
      }
      const maxTokens = Number(body.max_tokens ?? 100);
      const wantsJson = body.response_format?.type === 'json_schema';
      const pieces = wantsJson ? ['{"ok"', ': true}'] : STREAM_PIECES.slice(0, maxTokens);
      let payload = ': keep-alive comment\n\n' + chunk({ role: 'assistant', content: '' });
      for (const p of pieces) payload += chunk({ content: p });
      payload += chunk({}, pieces.length < STREAM_PIECES.length && !wantsJson ? 'length' : 'stop');
      if (last.includes('#cut')) {
        // connection dropped before the final chunk
        await writeSplit(res, payload.slice(0, payload.indexOf(' wör') - 10));
        res.destroy();
        return;
      }
      if (body.stream_options?.include_usage && !last.includes('#nousage')) {
        payload += `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 11, completion_tokens: pieces.length, total_tokens: 11 + pieces.length } })}\n\n`;
      }
      payload += 'data: [DONE]\n\n';
      await writeSplit(res, payload);
      res.end();
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${port}`;
  return fake;
}

/** A port on which nothing listens (connection refused). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
