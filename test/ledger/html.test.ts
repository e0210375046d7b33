import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { openDatabase, type DB } from '../../src/engine/store/db.js';
import { Ledger, migrations as ledgerMigrations } from '../../src/engine/ledger/ledger.js';
import { migrations as routerMigrations } from '../../src/engine/router/router.js';

const migrations = [...ledgerMigrations, ...routerMigrations];
import { loadPriceTable } from '../../src/engine/ledger/prices.js';
import { renderHtmlReport } from '../../src/engine/ledger/html.js';
import { CHROMIUM_ARGS, ensureChromium } from '../helpers/chromium.js';
import { ledgerRepo } from '../helpers/repos.js';

const T0 = Date.parse('2026-11-20T08:00:00Z');

describe('HTML report in headless Chromium', () => {
  let dir: string;
  let db: DB;
  let ctx: BrowserContext;
  let html: string;
  let expectedPoints: number;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const exe = ensureChromium();
    dir = mkdtempSync(join(tmpdir(), 'ledger-html-'));
    db = openDatabase(join(dir, 'l.db'), migrations);
    let now = T0;
    const ledger = new Ledger({ repo: ledgerRepo(db), prices: loadPriceTable(), now: () => now, localCost: { usdPerHour: 0.5 } });
    const routes = ['local', 'local', 'cloud', 'local_required', 'local'];
    for (let i = 0; i < 30; i++) {
      now = T0 + i * 20 * 60_000; // every 20 minutes: 10 hours -> 10 hourly buckets
      const route = routes[i % routes.length];
      await ledger.recordDecision({
        decisionId: `d${i}`,
        route,
        strategy: 'balanced',
        complexityLevel: i % 3 ? 'low' : 'medium',
        complexityScore: 0.2,
        sensitive: route === 'local_required',
        privacyCategories: route === 'local_required' ? ['email'] : [],
        reasons: ['test'],
        estimatedInputTokens: 400,
        estimatedOutputTokens: 300,
        latencyMs: 1,
        forced: false,
      });
      if (route === 'cloud') continue;
      await ledger.recordCompletion({
        model: i % 2 ? 'tiny-a' : 'tiny-b',
        backend: i % 2 ? 'gguf' : 'openai-http',
        promptTokens: 400 + i,
        completionTokens: 800,
        tokenCountMethod: 'tokenizer',
        latencyMs: 80 + i * 150,
        ttftMs: 20,
        tokensPerSecond: 40,
        overheadTokensIn: 820,
        overheadTokensOut: 30,
        route,
        decisionId: `d${i}`,
        ok: i !== 7,
      });
    }
    const data = await ledger.reportData({ period: 'all', groupBy: 'route' });
    expectedPoints = data.timeseries.points.length;
    html = renderHtmlReport(data);
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    ctx = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: exe, headless: true, args: CHROMIUM_ARGS });
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts]:not([data-charts="pending"])');
  }, 20 * 60_000);

  afterAll(async () => {
    await ctx?.close();
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is one self-contained file: no network requests, no script errors', async () => {
    const page = ctx.pages()[0];
    expect(await page.getAttribute('body', 'data-charts')).toBe('drawn');
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  });

  it('draws the three charts with the expected series and visible pixels', async () => {
    const page = ctx.pages()[0];
    const info = await page.evaluate(() => {
      const hex = (h: string) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
      const out: Record<string, unknown> = {};
      for (const id of ['chart-savings', 'chart-routes', 'chart-latency']) {
        const c = document.getElementById(id) as HTMLCanvasElement;
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const chart = (window as any).Chart.getChart(c);
        const img = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        const colours = ['#2563eb', '#16a34a', '#dc2626', '#d97706'].map(hex);
        const byColour = [0, 0, 0, 0];
        for (let i = 0; i < img.length; i += 4) {
          if (img[i + 3] > 0) painted++;
          colours.forEach((rgb, k) => {
            if (img[i + 3] > 200 && Math.abs(img[i] - rgb[0]) < 8 && Math.abs(img[i + 1] - rgb[1]) < 8 && Math.abs(img[i + 2] - rgb[2]) < 8)
              byColour[k]++;
          });
        }
        out[id] = {
          width: c.width,
          height: c.height,
          painted,
          byColour,
          datasets: chart.data.datasets.map((d: { label: string; data: number[] }) => ({ label: d.label, n: d.data.length })),
          labels: chart.data.labels.length,
        };
      }
      return out;
    });
    type Info = {
      width: number;
      height: number;
      painted: number;
      byColour: number[];
      datasets: { label: string; n: number }[];
      labels: number;
    };
    const s = info['chart-savings'] as Info;
    const r = info['chart-routes'] as Info;
    const l = info['chart-latency'] as Info;
    for (const c of [s, r, l]) {
      expect(c.width).toBeGreaterThan(0);
      expect(c.height).toBeGreaterThan(0);
      expect(c.painted).toBeGreaterThan(2000);
    }
    // savings: gross and net, one point per hourly bucket; both line colours on the canvas
    expect(s.datasets.map((d) => d.label)).toEqual(['gross saved (USD)', 'net saved (USD)']);
    expect(expectedPoints).toBe(10);
    expect(s.datasets.every((d) => d.n === expectedPoints)).toBe(true);
    expect(s.byColour[0]).toBeGreaterThan(50);
    expect(s.byColour[1]).toBeGreaterThan(50);
    // route mix: three routes, three slice colours
    expect(r.labels).toBe(3);
    expect(r.byColour.slice(0, 3).every((n) => n > 200)).toBe(true);
    // latency: one bar series per backend
    expect(l.datasets.map((d) => d.label).sort()).toEqual(['gguf', 'openai-http']);
    expect(l.byColour[0]).toBeGreaterThan(50);
    expect(l.byColour[1]).toBeGreaterThan(50);
    // the decision table shows the privacy catches
    expect(await page.textContent('body')).toContain('privacy catches');
    expect(html).toContain('email 6');
  });

  it('renders an empty ledger without errors and says there is no data', async () => {
    const edb = openDatabase(join(dir, 'empty.db'), migrations);
    const file = join(dir, 'empty.html');
    writeFileSync(
      file,
      renderHtmlReport(await new Ledger({ repo: ledgerRepo(edb), prices: loadPriceTable(), now: () => T0 }).reportData({ period: 'week' })),
    );
    edb.close();
    const page = await ctx.newPage();
    const errs: string[] = [];
    page.on('pageerror', (e) => errs.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts]:not([data-charts="pending"])');
    expect(await page.getAttribute('body', 'data-charts')).toBe('drawn');
    expect(errs).toEqual([]);
    expect(await page.locator('p.empty').count()).toBe(3);
    await page.close();
  });
});
