// Tests that spawn `node dist/cli.js` need a current build: rebuild when any
// source file is newer than the build (a fresh `npm ci` has already built).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const built = join(root, 'dist', 'cli.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(root, 'src'))) return;
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    // tsc still emits on type errors; `npm run build` (and so `npm ci`) is where type errors fail.
    const out = String((e as { stdout?: Buffer }).stdout ?? '');
    process.stderr.write(`global-setup: tsc reported errors (dist/ was still emitted):\n${out.split('\n').slice(0, 20).join('\n')}\n`);
  }
}
