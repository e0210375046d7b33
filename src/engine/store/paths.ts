import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The per-user default data directory:
 * - Linux: $XDG_DATA_HOME/ruvllm-mcp or ~/.local/share/ruvllm-mcp
 * - macOS: ~/Library/Application Support/ruvllm-mcp
 * - Windows: %LOCALAPPDATA%\ruvllm-mcp
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const p = platform();
  if (p === 'darwin') return join(homedir(), 'Library', 'Application Support', 'ruvllm-mcp');
  if (p === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'ruvllm-mcp');
  return join(env.XDG_DATA_HOME && env.XDG_DATA_HOME.trim() ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share'), 'ruvllm-mcp');
}

export interface DataPaths {
  dataDir: string;
  database: string;
  modelsDir: string;
  patternIndex: string;
}

export function dataPaths(dataDir: string, modelsDir?: string): DataPaths {
  const dir = resolve(dataDir);
  return {
    dataDir: dir,
    database: join(dir, 'ruvllm-mcp.db'),
    modelsDir: resolve(modelsDir ?? join(dir, 'models')),
    patternIndex: join(dir, 'patterns.hnsw'),
  };
}
