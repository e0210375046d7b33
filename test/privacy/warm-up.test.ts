import { describe, expect, it } from 'vitest';
import { startPrivacyWarmUp, warmUpTexts } from '../../src/engine/privacy/warm-up.js';
import { privacyGatesOpen, scanPrivacy } from '../../src/engine/privacy/privacy.js';
import { Engine } from '../../src/engine/engine.js';
import { tempDir } from '../helpers/tmp.js';

describe('privacy scanner warm-up', () => {
  it('reads its texts from the shipped data file', () => {
    const texts = warmUpTexts();
    expect(texts.length).toBeGreaterThanOrEqual(250);
    expect(texts.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
  });

  it('scans its texts three times, one per turn, while scans in between find what they find without it', async () => {
    const texts = warmUpTexts().slice(0, 20);
    const probes = [
      'my password: Tr0ub4dor&3xQ and call me on +44 7700 900123',
      'Review this function: const total = items.reduce((a, b) => a + b.price, 0);',
      'Mi prima Lucía está embarazada y tiene deudas con el banco',
    ];
    const expected = probes.map((p) => JSON.stringify(scanPrivacy(p).findings));
    const gatesBefore = privacyGatesOpen(probes[1]);
    const w = startPrivacyWarmUp({ delayMs: 0, texts });
    let interleaved = 0;
    let finished = false;
    void w.done.then(() => (finished = true));
    while (!finished) {
      await new Promise((r) => setImmediate(r));
      for (let i = 0; i < probes.length; i++) expect(JSON.stringify(scanPrivacy(probes[i]).findings)).toBe(expected[i]);
      interleaved++;
    }
    const r = await w.done;
    expect(r).toMatchObject({ scans: 60, stopped: false });
    expect(interleaved).toBeGreaterThan(1); // it yielded between its scans
    // the prefilter is as it was: the same gates open on a code prompt
    expect(privacyGatesOpen(probes[1])).toEqual(gatesBefore);
  });

  it('stops before it starts, and stops between scans', async () => {
    const early = startPrivacyWarmUp({ delayMs: 60_000, texts: ['a text'] });
    early.stop();
    expect(await early.done).toEqual({ scans: 0, ms: 0, stopped: true });
    const texts = warmUpTexts();
    const late = startPrivacyWarmUp({ delayMs: 0, texts });
    await new Promise((r) => setTimeout(r, 5));
    late.stop();
    const r = await late.done;
    expect(r.stopped).toBe(true);
    expect(r.scans).toBeLessThan(texts.length * 3);
  });

  it('the engine starts it unless told not to, and close() stops it', async () => {
    const on = new Engine({ dataDir: tempDir(), scanDefaultDirs: false, servers: [] });
    on.start();
    expect(on.warmUp).not.toBeNull();
    await on.close();
    expect((await on.warmUp!.done).stopped).toBe(true);
    const off = new Engine({ dataDir: tempDir(), scanDefaultDirs: false, servers: [], privacyWarmUp: false });
    off.start();
    expect(off.warmUp).toBeNull();
    await off.close();
  });
});
