/**
 * Real OpenAI-compatible servers for tests: each one a process running dist/devtools/openai-gguf-server.js
 * (a generated GGUF through node-llama-cpp behind /v1/chat/completions and /v1/models), so that a test
 * can kill one with SIGKILL mid-load and start it again on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../dist/devtools/openai-gguf-server.js', import.meta.url));

export interface GgufServerProcess {
  url: string;
  port: number;
  proc: ChildProcess;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

export interface GgufServerArgs {
  model: string;
  name?: string;
  port?: number;
  parallel?: number;
  tokenDelayMs?: number;
  threads?: number;
}

export async function spawnGgufServer(a: GgufServerArgs): Promise<GgufServerProcess> {
  const args = [
    SCRIPT,
    '--model',
    a.model,
    '--port',
    String(a.port ?? 0),
    '--threads',
    String(a.threads ?? 1),
    '--parallel',
    String(a.parallel ?? 1),
  ];
  if (a.name) args.push('--name', a.name);
  if (a.tokenDelayMs) args.push('--token-delay-ms', String(a.tokenDelayMs));
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUVLLM_MCP_LOG_LEVEL: 'warn' } });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.once('line', (l) => resolve(l));
    proc.once('exit', (code) => reject(new Error(`openai-gguf-server exited (${code}) before listening: ${stderr}`)));
  });
  const { url, port } = JSON.parse(line) as { url: string; port: number };
  return {
    url,
    port,
    proc,
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}
