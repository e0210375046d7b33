/**
 * Finds the models a user already has: GGUF files in the model folders (and the
 * usual default folders), Ollama's own model store, and OpenAI-compatible
 * servers (Ollama /api/tags, LM Studio and others /v1/models). Every probe has
 * a short timeout so discovery never stalls.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { logger } from '../log.js';
import { readGgufModelInfo } from './gguf.js';
import { containedRealPath, isInside, realFolders } from './model-paths.js';
import { listOllamaTags, listOpenAIModels, normalizeBaseUrl, type FetchImpl } from './openai.js';
import type { ModelInfo } from './types.js';

const log = logger('models');

/** The folders where LM Studio, Hugging Face, llama.cpp and people usually keep GGUF files. */
export function defaultModelDirs(home = homedir()): string[] {
  return [
    join(home, '.cache', 'lm-studio', 'models'),
    join(home, '.lmstudio', 'models'),
    join(home, '.cache', 'huggingface', 'hub'),
    join(home, '.cache', 'llama.cpp'),
    join(home, 'models'),
  ];
}

/** Ollama's model store (manifests + blobs; the model blob of each manifest is a GGUF file). */
export function defaultOllamaStore(home = homedir()): string {
  return process.env.OLLAMA_MODELS || join(home, '.ollama', 'models');
}

const SPLIT_RE = /-(\d{5})-of-(\d{5})\.gguf$/i;

/** Recursively lists *.gguf files (following symlinks, depth and count bounded). Missing folders are skipped. */
export async function scanGgufFiles(dirs: string[], opts: { maxDepth?: number; maxFiles?: number } = {}): Promise<string[]> {
  const maxDepth = opts.maxDepth ?? 6;
  const maxFiles = opts.maxFiles ?? 2000;
  const out: string[] = [];
  const seen = new Set<string>();
  // Links are followed only while they stay inside the folders scanned (model-paths.ts).
  const roots = await realFolders(dirs);
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (out.length >= maxFiles || depth > maxDepth) return;
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      return;
    }
    if (!roots.some((r) => real === r || isInside(real, r))) {
      log.debug('skipping a folder link that leaves the model folders', { path: dir, target: real });
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (out.length >= maxFiles) return;
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = await stat(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) await walk(p, depth + 1);
      else if (isFile && /\.gguf$/i.test(e.name)) {
        if (/mmproj/i.test(e.name)) continue; // vision projectors are not language models
        const m = SPLIT_RE.exec(e.name);
        if (m && m[1] !== '00001') continue; // only the first part of a split model
        if (!(await containedRealPath(p, roots, { resolved: true }))) {
          log.warn('skipping a GGUF link that leads outside the model folders', {
            path: p,
            fix: 'add the folder it points into with --model-dirs',
          });
          continue;
        }
        out.push(p);
      }
    }
  };
  for (const d of dirs) await walk(resolve(d), 0);
  return out;
}

/** Models in Ollama's store: manifests/<registry>/<namespace>/<model>/<tag> -> blobs/sha256-<hex>. */
export async function scanOllamaStore(store: string): Promise<{ name: string; path: string }[]> {
  const manifests = join(store, 'manifests');
  const blobs = join(store, 'blobs');
  const out: { name: string; path: string }[] = [];
  const walk = async (dir: string, parts: string[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && parts.length < 3) await walk(p, [...parts, e.name]);
      else if (e.isFile() && parts.length === 3) {
        try {
          const j = JSON.parse(await readFile(p, 'utf8'));
          const layer = (j.layers ?? []).find((l: { mediaType?: unknown } | null) => l?.mediaType === 'application/vnd.ollama.image.model');
          if (typeof layer?.digest !== 'string' || !/^sha256[:-][0-9a-f]+$/i.test(layer.digest)) continue;
          const blob = join(blobs, layer.digest.replace(':', '-'));
          if (!(await containedRealPath(blob, [blobs]))) {
            log.debug('skipping an Ollama blob outside the store', { manifest: p });
            continue;
          }
          const [registry, ns, model] = parts;
          const short = registry === 'registry.ollama.ai' && ns === 'library' ? model : `${ns}/${model}`;
          out.push({ name: `${short}:${e.name}`, path: blob });
        } catch {
          /* not a manifest */
        }
      }
    }
  };
  await walk(manifests, []);
  return out;
}

export interface DiscoverOptions {
  dirs: string[];
  /** Ollama store to read (null = skip). */
  ollamaStore: string | null;
  servers: string[];
  probeTimeoutMs: number;
  enableRuvllm: boolean;
  fetchImpl?: FetchImpl;
}

const RUVLLM_NOTE =
  'experimental: @ruvector/ruvllm cannot load model weights on this platform and generates random text; listed for inspection only, it never serves completions';

/** Information about the optional @ruvector/ruvllm package (never used for completions). */
export async function ruvllmInfo(): Promise<ModelInfo | null> {
  try {
    const { createRequire } = await import('node:module');
    const req = createRequire(import.meta.url);
    const mod = req('@ruvector/ruvllm');
    const version = (() => {
      try {
        return String(req('@ruvector/ruvllm/package.json').version);
      } catch {
        return 'unknown';
      }
    })();
    let native: boolean | undefined;
    try {
      native = typeof mod?.RuvLLM === 'function' ? Boolean(new mod.RuvLLM({}).isNativeLoaded?.()) : undefined;
    } catch {
      native = false;
    }
    return {
      id: 'ruvllm:experimental',
      name: `@ruvector/ruvllm ${version}`,
      backend: 'ruvllm',
      source: 'ruvllm',
      experimental: true,
      note: RUVLLM_NOTE + (native === false ? ' (native engine not available: JS fallback returns placeholder strings)' : ''),
    };
  } catch {
    return null;
  }
}

function hostPort(u: string): string {
  try {
    return new URL(u).host;
  } catch {
    return u;
  }
}

/** Probes one server: Ollama first (/api/tags), then the OpenAI-compatible /v1/models. */
export async function probeServer(baseUrl: string, timeoutMs: number, fetchImpl?: FetchImpl): Promise<ModelInfo[]> {
  const base = normalizeBaseUrl(baseUrl);
  try {
    const tags = await listOllamaTags(base, timeoutMs, fetchImpl);
    return tags.map((t) => ({
      id: `ollama:${t.name}`,
      name: t.name,
      backend: 'openai' as const,
      source: 'ollama' as const,
      baseUrl: base,
      sizeBytes: t.size,
      architecture: t.family,
      quantization: t.quantization,
      parameters: t.parameterSize,
    }));
  } catch (err) {
    const msg = (err as Error).message;
    if (/cannot connect|no answer within/.test(msg)) throw err;
  }
  const names = await listOpenAIModels(base, timeoutMs, fetchImpl);
  const lmstudio = new URL(base).port === '1234';
  return names.map((n) => ({
    id: lmstudio ? `lmstudio:${n}` : `openai:${hostPort(base)}/${n}`,
    name: n,
    backend: 'openai' as const,
    source: lmstudio ? ('lmstudio' as const) : ('openai-server' as const),
    baseUrl: base,
  }));
}

/**
 * A pool for every model name that two or more of the configured servers serve: `pool:<name>`,
 * whose calls are balanced over those servers (pool.ts). The servers' own entries stay listed.
 */
export function serverPools(served: ModelInfo[]): ModelInfo[] {
  const byName = new Map<string, ModelInfo[]>();
  for (const m of served) {
    if (m.backend !== 'openai' || !m.baseUrl) continue;
    const list = byName.get(m.name) ?? [];
    if (!list.some((x) => x.baseUrl === m.baseUrl)) list.push(m);
    byName.set(m.name, list);
  }
  const pools: ModelInfo[] = [];
  for (const [name, list] of byName) {
    if (list.length < 2) continue;
    const { id: _id, baseUrl: _b, source: _s, ...rest } = list[0];
    pools.push({ ...rest, id: `pool:${name}`, name, source: 'pool', endpoints: list.map((m) => m.baseUrl!) });
  }
  return pools;
}

/** Everything discovery can find, with unique ids. Never throws for a missing folder or a server that is down. */
export async function discoverModels(opts: DiscoverOptions): Promise<ModelInfo[]> {
  const t0 = performance.now();
  const serverProbes = opts.servers.map((s) =>
    probeServer(s, opts.probeTimeoutMs, opts.fetchImpl).catch((err) => {
      log.debug('no model server', { server: s, error: (err as Error).message });
      return [] as ModelInfo[];
    }),
  );
  const files = await scanGgufFiles(opts.dirs);
  const out: ModelInfo[] = [];
  const ids = new Set<string>();
  const unique = (info: ModelInfo): ModelInfo => {
    let id = info.id;
    for (let i = 2; ids.has(id); i++) id = `${info.id}~${i}`;
    ids.add(id);
    return id === info.id ? info : { ...info, id };
  };
  for (const f of files) {
    try {
      out.push(unique(await readGgufModelInfo(f)));
    } catch (err) {
      log.warn('skipping unreadable GGUF file', { path: f, error: (err as Error).message });
    }
  }
  if (opts.ollamaStore) {
    for (const m of await scanOllamaStore(opts.ollamaStore)) {
      try {
        const info = await readGgufModelInfo(m.path);
        out.push(unique({ ...info, id: `gguf:ollama/${m.name}`, name: m.name }));
      } catch (err) {
        log.debug('skipping Ollama blob', { name: m.name, error: (err as Error).message });
      }
    }
  }
  const served = (await Promise.all(serverProbes)).flat();
  for (const p of serverPools(served)) out.push(unique(p));
  for (const m of served) out.push(unique(m));
  if (opts.enableRuvllm) {
    const r = await ruvllmInfo();
    if (r) out.push(unique(r));
  }
  log.debug('discovery done', { models: out.length, ms: Math.round(performance.now() - t0) });
  return out;
}

export { checkModelPath } from './model-paths.js';
