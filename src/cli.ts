#!/usr/bin/env node
/**
 * The entry point (the `ruvllm-mcp` bin, dist/cli.js):
 *   ruvllm-mcp [options]                         serve MCP (stdio, or HTTP with --http)
 *   ruvllm-mcp models list [--json]              what discovery finds
 *   ruvllm-mcp models pull <url|hf:owner/repo/file.gguf> [--sha256 HEX]
 *   ruvllm-mcp patterns export <file> [--format msgpack|json]
 *   ruvllm-mcp patterns import <file>
 *   ruvllm-mcp report [--out report.html] [--period day|week|month|all]
 * Every server option (--data-dir, --models-dir, ...) applies to the commands too.
 */
import { writeRealStdout } from './stdout-guard.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, helpText, loadConfig, OPTIONS } from './config.js';
import { openEngine, serve } from './serve.js';
import { setLogLevel } from './engine/log.js';
import { assertDataDirWritable } from './data-dir-check.js';

const COMMAND_HELP = `Commands:
  ruvllm-mcp [options]                                   serve MCP over stdio (or HTTP with --http)
  ruvllm-mcp models list [--json]                        list the models discovery finds
  ruvllm-mcp models pull <https-url | hf:owner/repo/file.gguf> [--sha256 HEX]
                                                         download a GGUF into the models folder (resumes, verifies)
  ruvllm-mcp patterns export <file> [--format msgpack|json]
  ruvllm-mcp patterns import <file>                      merge a bundle into the pattern bank
  ruvllm-mcp report [--out ruvllm-report.html] [--period hour|day|week|month|all]
                                                         write a self-contained HTML report with charts
`;

/** Flags that belong to a subcommand, not to the server configuration. */
const SUB_FLAGS = new Set(['--json', '--sha256', '--format', '--out', '--period']);
const SUB_BOOL = new Set(['--json']);
/** Server options that take no value (so the next word is not theirs). */
const CONFIG_BOOL = new Set([
  '-h',
  '-v',
  '--help',
  '--version',
  ...OPTIONS.filter((o) => o.kind === 'bool').flatMap((o) => [`--${o.flag}`, `--no-${o.flag}`]),
]);

function split(argv: string[]): { config: string[]; sub: Record<string, string | true>; words: string[] } {
  const config: string[] = [];
  const sub: Record<string, string | true> = {};
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] = a.startsWith('--') ? (a.split(/=(.*)/s, 2) as [string, string | undefined]) : [a, undefined];
    if (SUB_FLAGS.has(name)) {
      if (SUB_BOOL.has(name)) sub[name] = true;
      else {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new ConfigError(`${name} needs a value`);
        sub[name] = v;
      }
    } else if (a.startsWith('-')) {
      config.push(a);
      // Pass the option's value along with it (anything that isn't itself a flag).
      if (inline === undefined && !CONFIG_BOOL.has(a) && argv[i + 1] !== undefined) config.push(argv[++i]);
    } else words.push(a);
  }
  return { config, sub, words };
}

const out = (s: string) => writeRealStdout(s.endsWith('\n') ? s : s + '\n');

async function withEngine<T>(configArgs: string[], fn: (engine: import('./engine/engine.js').Engine) => Promise<T>): Promise<T> {
  const { config } = loadConfig(configArgs);
  setLogLevel(config.logLevel === 'info' ? 'warning' : config.logLevel);
  assertDataDirWritable(config.dataDir);
  const engine = await openEngine(config);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

function fmtBytes(n?: number): string {
  if (!n) return '';
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}

async function run(argv: string[]): Promise<number> {
  const cmd = argv.find((a) => !a.startsWith('-'));
  if (!cmd || !['models', 'patterns', 'report', 'serve'].includes(cmd)) {
    if (argv.includes('--help') || argv.includes('-h')) {
      await out(helpText() + '\n\n' + COMMAND_HELP);
      return 0;
    }
    if (cmd && !argv.slice(0, argv.indexOf(cmd)).some((a) => a.startsWith('-'))) {
      process.stderr.write(`ruvllm-mcp: unknown command "${cmd}"\n${COMMAND_HELP}`);
      return 2;
    }
    await serve(argv);
    return -1;
  }
  const { config, sub, words } = split(argv.filter((a, i) => i !== argv.indexOf(cmd)));
  if (cmd === 'serve') {
    await serve([...config, ...words]);
    return -1;
  }
  if (cmd === 'models') {
    const action = words[0];
    if (action === 'list') {
      return withEngine(config, async (engine) => {
        const { models, status } = await engine.listModels(true);
        if (sub['--json']) await out(JSON.stringify({ models, active: status.active?.id ?? null }, null, 2));
        else if (!models.length) await out(`no local models found.\n${status.unavailableReason ?? ''}`);
        else
          await out(
            models
              .map((m) =>
                [
                  m.id,
                  m.backend + (m.experimental ? ' (experimental)' : ''),
                  m.architecture ?? '',
                  m.quantization ?? '',
                  m.contextLength ? `ctx ${m.contextLength}` : '',
                  fmtBytes(m.sizeBytes),
                  m.path ?? m.baseUrl ?? m.endpoints?.join(',') ?? '',
                ]
                  .filter(Boolean)
                  .join('  '),
              )
              .join('\n'),
          );
        return 0;
      });
    }
    if (action === 'pull') {
      const source = words[1];
      if (!source) throw new ConfigError('models pull needs a source: an https:// URL or hf:owner/repo/file.gguf');
      const { config: cfg } = loadConfig(config);
      const { dataPaths } = await import('./engine/store/paths.js');
      const { pullModel } = await import('./engine/models/index.js');
      const dest = dataPaths(cfg.dataDir, cfg.modelsDir).modelsDir;
      let last = 0;
      const res = await pullModel(source, dest, {
        sha256: typeof sub['--sha256'] === 'string' ? sub['--sha256'] : undefined,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last < 200 && done !== total) return;
          last = now;
          const pct = total ? Math.floor((done / total) * 100) : null;
          const bar = pct === null ? '' : '[' + '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.') + `] ${pct}% `;
          process.stderr.write(`\r${bar}${fmtBytes(done)}${total ? ' / ' + fmtBytes(total) : ''}   `);
        },
      });
      process.stderr.write('\n');
      await out(JSON.stringify(res, null, 2));
      return 0;
    }
    throw new ConfigError(`unknown models command "${action ?? ''}": use "models list" or "models pull <source>"`);
  }
  if (cmd === 'patterns') {
    const [action, file] = words;
    if (!file || (action !== 'export' && action !== 'import'))
      throw new ConfigError('use "patterns export <file> [--format msgpack|json]" or "patterns import <file>"');
    return withEngine(config, async (engine) => {
      if (action === 'export') {
        const format = (sub['--format'] ?? (file.endsWith('.json') ? 'json' : 'msgpack')) as string;
        if (format !== 'json' && format !== 'msgpack') throw new ConfigError(`--format must be msgpack or json, not "${format}"`);
        const { bundle, patterns } = await engine.exportPatterns(format);
        writeFileSync(resolve(file), bundle);
        await out(JSON.stringify({ file: resolve(file), format, patterns, bytes: bundle.length }));
      } else {
        let buf: Buffer;
        try {
          buf = readFileSync(resolve(file));
        } catch (e) {
          throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
        }
        await out(JSON.stringify(await engine.importPatterns(buf)));
      }
      return 0;
    });
  }
  // report
  return withEngine(config, async (engine) => {
    const period = (sub['--period'] as string | undefined) ?? 'all';
    if (!['hour', 'day', 'week', 'month', 'all'].includes(period))
      throw new ConfigError(`--period must be hour, day, week, month or all, not "${period}"`);
    const file = resolve((sub['--out'] as string | undefined) ?? 'ruvllm-report.html');
    const { html, report } = await engine.htmlReport({ period: period as 'all', title: 'ruvllm-mcp report' });
    writeFileSync(file, html);
    await out(JSON.stringify({ file, period, netUsd: report.totals.netUsd, grossUsd: report.totals.grossUsd }));
    return 0;
  });
}

run(process.argv.slice(2))
  .then((code) => {
    if (code >= 0) process.exitCode = code;
  })
  .catch((e) => {
    process.stderr.write(`ruvllm-mcp: ${(e as Error).message}\n`);
    process.exitCode = e instanceof ConfigError ? 2 : 1;
  });
