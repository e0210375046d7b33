/**
 * Privacy scanner warm-up. V8 compiles a regular expression when it first runs, and again into machine code when it
 * runs a second time; the scanner has hundreds of them, most run only on text that holds their words. A new process
 * therefore paid that compilation inside its first routing decisions: measured on 40 unseen 8 KB texts (docs, code,
 * translated messages, JSON), a fresh process took 870 ms for them in all (the first ones 40-120 ms each), a process
 * that had scanned the labelled privacy sets first 160 ms.
 *
 * So a server, `delayMs` after its start, scans 250 short texts of every kind the scanner reads (those of two
 * labelled privacy sets, shipped as data/router/privacy-warm-up.json) twice with every rule run (prefilter off) and
 * once as it scans requests, one text per event-loop turn, so a request that arrives meanwhile waits for one short
 * scan at most. About 1-2 s of one core, once per process.
 */
import { readFileSync } from 'node:fs';
import { logger } from '../log.js';
import { scanPrivacy, scanPrivacyEveryRule } from './privacy.js';

const log = logger('privacy');

/** The warm-up's texts (data/router/privacy-warm-up.json); none when the file is missing or damaged (no warm-up then). */
export function warmUpTexts(): string[] {
  try {
    const raw = readFileSync(new URL('../../../data/router/privacy-warm-up.json', import.meta.url), 'utf8');
    const texts = (JSON.parse(raw) as { texts?: unknown }).texts;
    return Array.isArray(texts) ? texts.filter((t): t is string => typeof t === 'string' && t.length > 0 && t.length <= 64 * 1024) : [];
  } catch {
    return [];
  }
}

export interface WarmUp {
  /** Resolves when the warm-up has finished or was stopped: its texts scanned, and how long it took (ms, wall). */
  done: Promise<{ scans: number; ms: number; stopped: boolean }>;
  /** Stops it before its next text (a server closing). */
  stop(): void;
}

/**
 * Starts the warm-up `delayMs` after now (the timer does not keep the process alive), over `texts` (default:
 * warmUpTexts()). Each pass scans every text; in the first two every rule runs (the prefilter is off for that scan
 * only, so requests scanned between two warm-up turns find it as it was).
 */
export function startPrivacyWarmUp(opts: { delayMs?: number; texts?: string[] } = {}): WarmUp {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let finish: (r: { scans: number; ms: number; stopped: boolean }) => void = () => undefined;
  const done = new Promise<{ scans: number; ms: number; stopped: boolean }>((resolve) => {
    finish = resolve;
  });
  const run = () => {
    timer = null;
    const texts = opts.texts ?? warmUpTexts();
    const t0 = performance.now();
    const total = texts.length * 3; // two passes with every rule, one as requests are scanned
    let scans = 0;
    const step = () => {
      if (stopped || scans >= total) {
        const ms = Math.round(performance.now() - t0);
        if (!stopped && scans > 0) log.debug('privacy scanner warmed up', { scans, ms });
        finish({ scans, ms, stopped });
        return;
      }
      const text = texts[scans % texts.length];
      if (scans < texts.length * 2) scanPrivacyEveryRule(text);
      else scanPrivacy(text);
      scans++;
      setImmediate(step);
    };
    step();
  };
  timer = setTimeout(run, opts.delayMs ?? 1000);
  timer.unref();
  return {
    done,
    stop() {
      stopped = true;
      if (timer) {
        clearTimeout(timer);
        timer = null;
        finish({ scans: 0, ms: 0, stopped: true });
      }
    },
  };
}
