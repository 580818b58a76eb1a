// The three engines the browser tests run in, all from Debian's packages (bash .ci/run installs
// what is missing): Chromium and Firefox headless through puppeteer-core, WebKit (WebKitGTK's
// MiniBrowser) through WebKitWebDriver under a private Xvfb display. See docs/development.md.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

const firstExisting = (candidates, hint) => {
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) throw new Error(hint);
  return found;
};

/** Where Chromium is: CHROME_PATH, then Debian's package. */
export function findChromium() {
  return firstExisting(
    [process.env.CHROME_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'],
    'No Chromium found. Install Debian\'s "chromium" package (bash .ci/run does) or set CHROME_PATH.',
  );
}

/** Firefox ESR ≥ 153: 140 (the plain bookworm repository's) fails every file over WebDriver BiDi. */
export function findFirefox() {
  const path = firstExisting(
    [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'],
    'No Firefox found. Install Debian\'s "firefox-esr" (≥ 153, from the security repository; bash .ci/run does) or set FIREFOX_PATH.',
  );
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' });
  const major = Number(/(\d+)\./.exec(version)?.[1] ?? 0);
  if (major < 153) throw new Error(`${version.trim()} at ${path} is too old: the tests need Firefox ESR ≥ 153 (WebDriver BiDi).`);
  return path;
}

export function findMiniBrowser() {
  return firstExisting(
    [process.env.MINIBROWSER_PATH, '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser'],
    'No WebKit MiniBrowser found. Install Debian\'s "webkit2gtk-driver" (bash .ci/run does) or set MINIBROWSER_PATH.',
  );
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

/** Firefox preferences that keep it off the network (updates, telemetry, captive portal checks). */
export const firefoxPrefs = {
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'toolkit.telemetry.enabled': false,
};

/** Which engines to run: FINFRAME_BROWSERS="firefox" or "chromium,webkit"; all three by default. */
export function selectedEngines() {
  const wanted = (process.env.FINFRAME_BROWSERS ?? ENGINES.join(','))
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !ENGINES.includes(name));
  if (unknown.length) throw new Error(`Unknown browser ${unknown.join(', ')}: choose from ${ENGINES.join(', ')}.`);
  return wanted;
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function waitForPort(port, child, what, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${ms} ms`);
}

/**
 * Starts a private Xvfb display and WebKitWebDriver on free numbers, and returns how to stop both.
 * Started and stopped by process, not through xvfb-run (which left Xvfb running and returned the
 * wrong exit code in 2 of 5 runs on these machines).
 */
export async function startWebKitDriver() {
  const { display, xvfb } = await startXvfb();
  const port = await freePort();
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], {
    stdio: 'ignore',
    env: { ...process.env, DISPLAY: display },
  });
  const stop = () => {
    for (const child of [driver, xvfb]) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  try {
    await waitForPort(port, driver, 'WebKitWebDriver');
  } catch (error) {
    stop();
    throw error;
  }
  return { port, stop };
}

/** An Xvfb on a free display number: ready when its socket exists. */
async function startXvfb() {
  for (let attempt = 0; attempt < 5; attempt++) {
    const number = 90 + Math.floor(Math.random() * 400);
    if (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) continue;
    const xvfb = spawn('Xvfb', [`:${number}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const end = Date.now() + 10_000;
    while (Date.now() < end && xvfb.exitCode === null && !existsSync(`/tmp/.X11-unix/X${number}`)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (xvfb.exitCode === null && existsSync(`/tmp/.X11-unix/X${number}`)) return { display: `:${number}`, xvfb };
    xvfb.kill('SIGTERM');
  }
  throw new Error('Could not start Xvfb (install Debian\'s "xvfb"; bash .ci/run does).');
}
