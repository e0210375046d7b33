// One process of `bench/privacy-eval.mjs --speed`: imports the scanner at argv[2], warms it on the tune half of the
// real 8 KB texts (bench/_real-prompts.mjs, three rounds), then scans each holdout text once, as a running server
// meets a new prompt, and prints those times (ms, in the holdout order) as JSON on stdout.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { realPrompts } from './_real-prompts.mjs';

const { scanPrivacy } = await import(pathToFileURL(resolve(process.argv[2])).href);
const real = realPrompts();
const tune = real.filter((p) => p.split === 'tune');
const holdout = real.filter((p) => p.split === 'holdout');
for (let r = 0; r < 3; r++) for (const p of tune) scanPrivacy(p.text);
const first = holdout.map((p) => {
  const t0 = performance.now();
  scanPrivacy(p.text);
  return performance.now() - t0;
});
console.log(JSON.stringify(first));
