// One process of `bench/privacy-eval.mjs --speed`: imports the scanner at argv[2], prepares as argv[3] says, then
// scans each holdout text of the real 8 KB texts (bench/_real-prompts.mjs) once, as a running server meets a new
// prompt, and prints { prepMs, first: [ms per text, in the holdout order] } as JSON on stdout. Preparations:
//   tune     the tune half scanned three times first (a process that has been serving a while);
//   cold     none (a process that has just started);
//   warm-up  the server's own warm-up (privacy/warm-up.ts, next to the scanner), awaited.
import { pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { realPrompts } from './_real-prompts.mjs';

const path = resolve(process.argv[2]);
const prep = process.argv[3] ?? 'tune';
const { scanPrivacy } = await import(pathToFileURL(path).href);
const real = realPrompts();
const holdout = real.filter((p) => p.split === 'holdout');
const t0 = performance.now();
if (prep === 'tune') for (let r = 0; r < 3; r++) for (const p of real) if (p.split === 'tune') scanPrivacy(p.text);
if (prep === 'warm-up') {
  const { startPrivacyWarmUp } = await import(pathToFileURL(join(dirname(path), 'warm-up.js')).href);
  const keep = setInterval(() => undefined, 1000); // (the warm-up's timer does not keep a process alive)
  await startPrivacyWarmUp({ delayMs: 0 }).done;
  clearInterval(keep);
}
const prepMs = performance.now() - t0;
const first = holdout.map((p) => {
  const t = performance.now();
  scanPrivacy(p.text);
  return performance.now() - t;
});
console.log(JSON.stringify({ prepMs, first }));
