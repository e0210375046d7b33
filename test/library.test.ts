// The engine used as a library, from the package's main entry (dist/engine/index.js).
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, tempDir } from './helpers/mcp.js';

describe('package main entry', () => {
  it('exposes the engine without MCP: route, store and find, cost report', async () => {
    const pkg = createRequire(import.meta.url)(join(root, 'package.json')) as { main: string };
    const lib = await import(pathToFileURL(join(root, pkg.main)).href);
    const engine = new lib.Engine({ dataDir: tempDir(), scanDefaultDirs: false, servers: [] });
    try {
      const d = await engine.route({ task: 'my password is Tr0ub4dor&3, reset the account' });
      expect(d.route).not.toBe('cloud');
      expect(lib.scanPrivacy('mail me at ann.lee@fastmail.com').sensitive).toBe(true);
      const s = await engine.storePattern({ task: 'Parse ISO dates in a log', approach: 'regex then Date.parse', quality: 0.9 });
      const f = await engine.findPatterns({ query: 'parse the ISO dates found in logs' });
      expect(f.matches[0].pattern.id).toBe(s.id);
      expect((await engine.costReport({ period: 'all' })).totals.calls).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('offers methods, not its parts: reports, patterns, models and health through the engine', async () => {
    const pkg = createRequire(import.meta.url)(join(root, 'package.json')) as { main: string };
    const lib = await import(pathToFileURL(join(root, pkg.main)).href);
    const a = new lib.Engine({ dataDir: tempDir(), scanDefaultDirs: false, servers: [] });
    const b = new lib.Engine({ dataDir: tempDir(), scanDefaultDirs: false, servers: [] });
    try {
      await a.route({ task: 'Summarise this paragraph about tides' });
      const report = await a.costReport({ period: 'all' });
      expect(a.costReportCsv(report).split('\n')[0]).toMatch(/group/i);
      const { html, report: shown } = await a.htmlReport({ period: 'all', title: 'library report' });
      expect(html).toContain('library report');
      expect(shown.totals.calls).toBe(0);
      expect(a.modelStatus().available).toBe(false);
      expect(a.backendHealth()).toEqual([]);
      await a.storePattern({ task: 'Rename a column in SQLite', approach: 'ALTER TABLE ... RENAME COLUMN', quality: 0.8 });
      await a.storePattern({ task: 'Vacuum a SQLite database', approach: 'VACUUM INTO a new file', quality: 0.7 });
      const page = await a.listPatterns({ limit: 1 });
      expect(page.total).toBe(2);
      expect(page.items).toHaveLength(1);
      expect((await a.listPatterns({ cursor: page.nextCursor, limit: 1 })).items[0].id).not.toBe(page.items[0].id);
      const { bundle, patterns } = await a.exportPatterns('json');
      expect(patterns).toBe(2);
      expect((await b.importPatterns(bundle)).imported).toBe(2);
      expect((await b.patternStats()).total).toBe(2);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('the engine boundary', () => {
  it('nothing in src/ reaches the engine parts through the test-only accessor', async () => {
    const walk = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`],
      );
    const users = walk('src').filter(
      (f) => f.endsWith('.ts') && f !== 'src/engine/engine.ts' && readFileSync(join(root, f), 'utf8').includes('.internalsForTests('),
    );
    expect(users).toEqual([]);
  });
});

describe('published package contents (npm pack)', () => {
  it('ships the runtime (dist, the data files the code reads, README) and no dev tools or evaluation sets', async () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files: string[] = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('dist/engine/index.js');
    expect(files.filter((f) => f.startsWith('dist/devtools/'))).toEqual([]);
    // Every data file the shipped code opens at run time (new URL('../../../data/...')) is in the package...
    const runtimeData = new Set<string>();
    const walk = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`],
      );
    for (const f of walk('src').filter((f) => f.endsWith('.ts') && !f.startsWith('src/devtools/') && !f.endsWith('paraphrase-eval.ts'))) {
      for (const m of readFileSync(join(root, f), 'utf8').matchAll(/new URL\('(?:\.\.\/)+(data\/[^']+)'/g)) runtimeData.add(m[1]);
    }
    expect(runtimeData.size).toBeGreaterThan(0);
    for (const d of runtimeData) expect(files, d).toContain(d);
    // ...and the evaluation sets (JSONL) are not.
    expect(files.filter((f) => f.startsWith('data/') && f.endsWith('.jsonl'))).toEqual([]);
  });
});
