import { existsSync } from 'node:fs';

/** Where Chromium is: CHROME_PATH, then Debian's package (installed by .ci/run when missing). */
export function findChromium() {
  const candidates = [process.env.CHROME_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) {
    throw new Error('No Chromium found. Install Debian\'s "chromium" package (bash .ci/run does) or set CHROME_PATH.');
  }
  return found;
}

/**
 * Flags for headless Chromium on these machines: root needs --no-sandbox, and without the
 * background-networking flags Chromium keeps trying to reach the internet. Never add
 * --disable-web-security: it turns off the same-origin policy and every cross-origin test with it.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
];
