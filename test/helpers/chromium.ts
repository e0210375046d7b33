import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, offline, throw-away headless Chromium (pass a fresh profile dir separately). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Returns the path of Debian's chromium, installing the package with apt-get when it is missing
 * (as on a fresh CI machine). Installing needs root; otherwise this throws a message saying what to run.
 * Output of apt-get goes to stderr. Takes a few minutes the first time.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.platform !== 'linux') {
    throw new Error(`chromium not found at ${CHROMIUM_PATH}; these tests expect Debian's chromium package on Linux`);
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid !== 0) {
    throw new Error(
      `chromium not found at ${CHROMIUM_PATH} and this process is not root (uid ${uid}), so it cannot install it; ` +
        'run "sudo apt-get update && sudo apt-get install -y chromium" and retry',
    );
  }
  process.stderr.write(`[ensureChromium] ${CHROMIUM_PATH} missing: installing Debian package "chromium" with apt-get\n`);
  try {
    execSync('apt-get update && apt-get install -y -o DPkg::Lock::Timeout=600 --no-install-recommends chromium', {
      stdio: ['ignore', 2, 2],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 15 * 60_000,
    });
  } catch (e) {
    throw new Error(
      `installing chromium with apt-get failed: ${(e as Error).message}; run "apt-get update && apt-get install -y chromium" by hand to see why`,
      { cause: e },
    );
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`apt-get installed "chromium" but ${CHROMIUM_PATH} still does not exist; check "dpkg -L chromium"`);
  }
  return CHROMIUM_PATH;
}
