// The engine used as a library, from the package's main entry (dist/engine/index.js).
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, tempDir } from './helpers/mcp.js';

describe('package main entry', () => {
  it('exposes the engine without MCP: route, store and find, cost report', async () => {
    const pkg = createRequire(import.meta.url)(join(root, 'package.json')) as { main: string };
    const lib = await import(pathToFileURL(join(root, pkg.main)).href);
    const engine = new lib.Engine({ dataDir: tempDir(), scanDefaultDirs: false, servers: [] });
    try {
      const d = engine.route({ task: 'my password is Tr0ub4dor&3, reset the account' });
      expect(d.route).not.toBe('cloud');
      expect(lib.scanPrivacy('mail me at ann.lee@fastmail.com').sensitive).toBe(true);
      const s = await engine.storePattern({ task: 'Parse ISO dates in a log', approach: 'regex then Date.parse', quality: 0.9 });
      const f = await engine.findPatterns({ query: 'parse the ISO dates found in logs' });
      expect(f.matches[0].pattern.id).toBe(s.id);
      expect(engine.costReport({ period: 'all' }).totals.calls).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
