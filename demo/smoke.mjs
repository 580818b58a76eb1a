// Smoke test of the demo in headless Chromium: `npm run build && node demo/smoke.mjs [screenshot-dir]`.
// Starts its own demo server on free ports, clicks through the fake Flinks frame (a real second
// origin), and checks what the page's event log shows; then the same for the <flexiti-widget>,
// <benji-connect>, <finapi-web-form> and <flexpay-status> pages (each skipped, with a "skip" line,
// while the build has no such element). The server mounts the callback receivers and the demo's
// playground as `npm start` does (createDemoBackend: SQLite, with its database in a temporary
// directory).
// Browser: CHROME_PATH, else /usr/bin/chromium.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { puppeteerCore as puppeteer } from '@web/test-runner-chrome';
import { chromiumArgs, findChromium } from '../scripts/browsers.mjs';
import { createDemoBackend, createDemoServer } from './server.mjs';

const shots = process.argv[2] ?? tmpdir();
await mkdir(shots, { recursive: true });
const profile = await mkdtemp(join(tmpdir(), 'finframe-smoke-'));
// The receiver's secret: the test looks for it in the page, where it must never be.
const callbackSecret = `smoke-${randomBytes(18).toString('base64url')}`;
const dataDir = await mkdtemp(join(tmpdir(), 'finframe-smoke-data-'));
const backend = await createDemoBackend({ path: join(dataDir, 'callbacks.db'), secret: callbackSecret });
const receiver = { store: backend.store };
const flexpay = backend.flexpay;
const server = createDemoServer({ port: 0, fakePort: 0, routes: { demo: backend.routes }, log: (line) => console.error(line) });
const config = await server.listen();
const browser = await puppeteer.launch({
  executablePath: findChromium(),
  headless: true,
  userDataDir: profile,
  // Never --disable-web-security: the point is a real cross-origin frame.
  args: chromiumArgs,
});

let passed = 0;
let failed = 0;
const problems = [];

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`  ok  ${name}`);
  } catch (error) {
    failed++;
    console.log(`  FAIL ${name}\n       ${String(error?.message ?? error).split('\n')[0]}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const page = await browser.newPage();
await page.setViewport({ width: 1400, height: 900 });
/** finframe's one warning while a page uses the demo's development-only loopback opt-in (demo/allow-loopback.js). */
const OPT_IN_WARNING = 'because the page opted in (allowLoopback())';
const optInWarnings = [];
page.on('console', (m) => {
  if (m.type() === 'warn' && m.text().includes(OPT_IN_WARNING)) optInWarnings.push(m.text());
  else if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));

const headlines = () => page.$$eval('#log .headline', (hs) => hs.map((h) => h.textContent));
const waitLog = (text, timeout = 5000) =>
  page.waitForFunction((t) => [...document.querySelectorAll('#log .headline')].some((h) => h.textContent.includes(t)), { timeout }, text);
const clearLog = () => page.click('#clear-log');
/**
 * An element's attribute, or for `status`, `outcome` and `payment-status` its state: the element
 * writes no attribute on itself (custom states instead), so those are read from its properties.
 */
const read = (el, n) => (n === 'status' ? el.status : n === 'outcome' ? (el.outcome ?? null) : n === 'payment-status' ? (el.paymentStatus ?? null) : el.getAttribute(n));
const attr = (name) => page.$eval('flinks-connect', read, name);
/** Waits (up to 2 s) until the page's output `selector` shows `text`: the demo reads the element's state once per frame. */
const shows = (selector, text, what) =>
  page.waitForFunction((sel, t) => document.querySelector(sel)?.textContent === t, { timeout: 2000 }, selector, text).catch(async () => {
    throw new Error(`${what}: ${await page.$eval(selector, (o) => o.textContent)}`);
  });
/** The fake Flinks frame as puppeteer sees it (out-of-process, cross-origin). */
const flinksFrame = async () => {
  await page.waitForFunction(() => document.querySelector('flinks-connect')?.shadowRoot?.querySelector('iframe'));
  for (let i = 0; i < 50; i++) {
    const frame = page.frames().find((f) => f.url().startsWith(`${config.fakeOrigin}/fake/flinks/`) && !f.detached);
    if (frame) {
      await frame.waitForSelector('#screen-institution:not([hidden]), #screen-consent:not([hidden])');
      return frame;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no fake Flinks frame');
};
/** Drives the fake through its test control channel, as the browser tests do. */
const command = (message) =>
  page.evaluate(
    (m, origin) => document.querySelector('flinks-connect').shadowRoot.querySelector('iframe').contentWindow.postMessage(m, origin),
    message,
    config.fakeOrigin,
  );
const setControl = (id, value) =>
  page.evaluate((i, v) => {
    const el = document.getElementById(i);
    if (el.type === 'checkbox') el.checked = v;
    else el.value = v;
    el.dispatchEvent(new Event('change'));
  }, id, value);

await page.evaluateOnNewDocument(() => {
  // Kept in a closure variable, never in the DOM: the test then looks for it in the DOM.
  window.__loginIds = [];
  window.__rawTypes = [];
  document.addEventListener('provider-outcome', (e) => e.detail.data?.loginId && window.__loginIds.push(e.detail.data.loginId));
  window.addEventListener('message', (e) => window.__rawTypes.push(typeof e.data));
});

console.log(`demo ${config.demoOrigin}/  fake ${config.fakeOrigin}  hostile ${config.hostileOrigin}`);
await page.goto(`${config.demoOrigin}/`);

await check('the element loads the fake frame and becomes ready', async () => {
  await waitLog('provider-ready');
  await waitLog('COMPONENT_LOAD_INSTITUTION_SELECTOR');
  assert((await attr('status')) === 'ready', `status ${await attr('status')}`);
  await shows('#status', 'ready', 'status display');
  assert(await page.$eval('flinks-connect', (el) => el.matches(':state(ready)') && !el.hasAttribute('status')), 'status is a custom state, not an attribute');
  await flinksFrame();
  await page.screenshot({ path: join(shots, 'finframe-demo-ready.png') });
});

await check('the frame URL: the attributes build the real Flinks URL (the element\'s own logic); src is its query on the fake\'s host', async () => {
  const [built, src, frame] = await page.evaluate(() => [
    document.getElementById('url-built').textContent,
    document.getElementById('url-src').textContent,
    document.querySelector('flinks-connect').shadowRoot.querySelector('iframe').src,
  ]);
  assert(built === 'https://toolbox-iframe.private.fin.ag/v2/?language=en&demo=true&closeEnable=true', `built ${built}`);
  assert(src === `${config.fakeOrigin}/fake/flinks/?language=en&demo=true&closeEnable=true`, `src ${src}`);
  assert(frame === src, `frame ${frame}`);
  assert((await attr('demo')) === '' && (await attr('close-enable')) === '', 'the attributes a shop writes');
});

await check('the default --frame-height (760px) holds the fake Flinks screens', async () => {
  const frame = await flinksFrame();
  const height = await page.$eval('flinks-connect', (el) => getComputedStyle(el.shadowRoot.querySelector('iframe')).height);
  assert(height === '760px', `frame height ${height}`);
  const [bottom, viewport] = await frame.evaluate(() => [Math.max(...[...document.querySelectorAll('main > section:not([hidden]) button')].map((b) => b.getBoundingClientRect().bottom)), innerHeight]);
  assert(bottom <= viewport, `last control at ${bottom} px in a ${viewport} px frame`);
});

await check('the frame is really cross-origin (the page cannot read its document)', async () => {
  const readable = await page.evaluate(() => {
    try {
      return Boolean(document.querySelector('flinks-connect').shadowRoot.querySelector('iframe').contentDocument);
    } catch {
      return false;
    }
  });
  assert(!readable, 'contentDocument is readable');
});

await check('clicking through the fake Flinks flow gives outcome "connected"', async () => {
  const frame = await flinksFrame();
  await frame.click('[data-institution="FlinksCapital"]');
  await frame.waitForSelector('#screen-credential:not([hidden])');
  await frame.type('#username', 'demo-user');
  await frame.type('#password', 'demo-password');
  await frame.click('#credential-form button[type=submit]');
  await frame.waitForSelector('#screen-mfa:not([hidden])');
  await frame.type('#mfa-answer', 'Montréal');
  await frame.click('#mfa-form button[type=submit]');
  await frame.waitForSelector('#screen-accounts:not([hidden])');
  await frame.click('input[value=a1]');
  await frame.click('input[value=a2]');
  await frame.click('#accounts-continue');
  await waitLog('provider-outcome  connected');
  assert((await attr('outcome')) === 'connected', 'outcome attribute');
  const steps = await headlines();
  for (const s of ['INSTITUTION_SELECTED', 'COMPONENT_LOAD_CREDENTIAL', 'SUBMIT_CREDENTIAL', 'COMPONENT_LOAD_MFA', 'SUBMIT_MFA', 'COMPONENT_LOAD_ACCOUNT_SELECTION', 'ACCOUNT_SELECTED']) {
    assert(steps.some((h) => h.endsWith(` ${s}`)), `missing ${s}`);
  }
  const connected = await page.$eval('#log .entry.outcome pre', (p) => JSON.parse(p.textContent));
  assert(JSON.stringify(connected.accountIds) === '["a1","a2"]', `accountIds ${JSON.stringify(connected.accountIds)}`);
  assert(connected.institution === 'FlinksCapital', 'institution');
  assert(connected.loginId.startsWith('••••'), 'loginId masked');
  const log = await page.$eval('#log', (l) => l.textContent);
  assert(!/demo-(user|password)|Montréal/.test(log), 'credentials reached the parent');
  await page.screenshot({ path: join(shots, 'finframe-demo-connected.png') });
});

await check('the event log wraps at word boundaries: in a narrow log no word shorter than a line is split, nothing overflows', async () => {
  const result = await page.evaluate(() => {
    const log = document.getElementById('log');
    log.style.width = '15rem';
    const split = [];
    let overflowing = 0;
    let words = 0;
    let wrapped = 0;
    for (const entry of log.querySelectorAll('.entry')) {
      if (entry.scrollWidth > entry.clientWidth + 1) overflowing++;
      const walker = document.createTreeWalker(entry, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        const line = text.parentElement.closest('pre, div').getBoundingClientRect().width;
        const rangeOf = (from, to) => {
          const range = document.createRange();
          range.setStart(text, from);
          range.setEnd(text, to);
          return [...range.getClientRects()];
        };
        const lines = (rects) => new Set(rects.map((r) => Math.round(r.top))).size;
        for (const token of text.data.matchAll(/\S+/g)) {
          const pieces = rangeOf(token.index, token.index + token[0].length);
          // A token longer than the line (a URL, an id, a JSON value) may break anywhere.
          if (pieces.reduce((width, r) => width + r.width, 0) >= line - 2) {
            if (lines(pieces) > 1) wrapped++;
            continue;
          }
          // Any other token breaks only between words (e.g. after a hyphen), never inside one.
          for (const word of token[0].matchAll(/[\p{L}\p{N}_]+/gu)) {
            words++;
            const from = token.index + word.index;
            if (lines(rangeOf(from, from + word[0].length)) > 1) split.push(word[0]);
          }
        }
      }
    }
    log.style.width = '';
    return { split, overflowing, words, wrapped, style: getComputedStyle(log.querySelector('.entry pre')).overflowWrap };
  });
  assert(result.words > 50, `only ${result.words} words checked`);
  assert(result.wrapped > 0, 'no long token wrapped: the check saw no narrow line');
  assert(result.split.length === 0, `split mid-word: ${result.split.slice(0, 5).join(', ')}`);
  assert(result.overflowing === 0, `${result.overflowing} entries overflow`);
  assert(result.style === 'anywhere', `overflow-wrap ${result.style}`);
});

await check('the loginId never appears in the DOM (light or shadow)', async () => {
  const found = await page.evaluate(() => {
    const id = window.__loginIds.at(-1);
    if (!id) return 'no loginId captured';
    const texts = [document.documentElement.outerHTML];
    for (const el of document.querySelectorAll('*')) if (el.shadowRoot) texts.push(el.shadowRoot.innerHTML, el.shadowRoot.textContent);
    return texts.some((t) => t.includes(id)) ? 'found' : 'absent';
  });
  assert(found === 'absent', found);
});

await check('a hostile third-origin frame gets nothing through the gate', async () => {
  await clearLog();
  await page.click('#hostile');
  await page.waitForFunction(() => document.querySelectorAll('#log .entry.forged').length >= 5, { timeout: 5000 });
  await new Promise((r) => setTimeout(r, 300));
  const hs = await headlines();
  assert(!hs.some((h) => h.includes('ALARM')), 'alarm');
  assert(!hs.some((h) => h.startsWith('provider-')), `provider events after forgeries: ${hs.filter((h) => h.startsWith('provider-'))}`);
  assert(hs.some((h) => h.includes('forged message dropped by the gate: REDIRECT from http://127.0.0.2')), 'forged REDIRECT entry');
  assert((await attr('outcome')) === 'connected', 'outcome changed');
  await page.screenshot({ path: join(shots, 'finframe-demo-hostile.png') });
  await page.click('#hostile'); // remove it again
});

await check('reset() reloads: ready again, outcome cleared', async () => {
  await clearLog();
  await page.click('#reset');
  await waitLog('provider-ready');
  assert((await attr('outcome')) === null, 'outcome still set');
  assert((await attr('status')) === 'ready', 'status');
});

await check('stringify=true: the frame posts JSON strings, the element still understands them', async () => {
  await clearLog();
  await page.evaluate(() => (window.__rawTypes.length = 0));
  await setControl('stringify', true);
  const built = await page.$eval('#url-built', (o) => o.textContent);
  assert(built.endsWith('&closeEnable=true&stringify=true') && (await attr('stringify')) === '', `built ${built}`);
  await waitLog('COMPONENT_LOAD_INSTITUTION_SELECTOR');
  await flinksFrame();
  await command({ fake: 'flinks', command: 'run', name: 'redirect' });
  await waitLog('provider-outcome  connected');
  const types = await page.evaluate(() => window.__rawTypes);
  assert(types.length > 0 && types.every((t) => t === 'string'), `raw types ${types}`);
  await setControl('stringify', false);
});

for (const shape of ['url', 'field']) {
  await check(`REDIRECT shape=${shape} gives "connected" with the accounts`, async () => {
    await clearLog();
    await setControl('shape', shape);
    await waitLog('provider-ready');
    await flinksFrame();
    await command({ fake: 'flinks', command: 'run', name: 'redirect' });
    await waitLog('provider-outcome  connected');
    const data = await page.$eval('#log .entry.outcome pre', (p) => JSON.parse(p.textContent));
    assert(JSON.stringify(data.accountIds) === '["a1","a2"]', `accountIds ${JSON.stringify(data.accountIds)}`);
    assert(data.loginId.startsWith('••••'), 'loginId masked');
    if (shape === 'url') assert(!('requestId' in data) && data.url.includes('loginId=••••'), 'url shape');
    else assert(typeof data.requestId === 'string' && !('url' in data), 'field shape');
  });
}
await setControl('shape', '');

await check('control channel: an API error, an unknown step, then close', async () => {
  await clearLog();
  await page.click('#reset');
  await waitLog('provider-ready');
  await flinksFrame();
  await command({ fake: 'flinks', command: 'run', name: 'error:INVALID_PASSWORD' });
  await command({ fake: 'flinks', command: 'run', name: 'unknown' });
  await command({ fake: 'flinks', command: 'send', message: { step: 'APP_RESIZE', height: 480 } });
  await command({ fake: 'flinks', command: 'run', name: 'close' });
  await waitLog('provider-outcome  closed');
  const hs = await headlines();
  assert(hs.some((h) => h.includes('provider-error  INVALID_PASSWORD')), 'INVALID_PASSWORD');
  assert(hs.some((h) => h.includes('provider-event  SOME_NEW_STEP_2027')), 'unknown step');
  assert(hs.some((h) => h.includes('provider-event  APP_RESIZE')), 'send');
  const error = await page.$$eval('#log .entry.error pre', (ps) => ps.map((p) => JSON.parse(p.textContent)));
  assert(error[0]?.data?.httpStatus === 401, `httpStatus ${JSON.stringify(error[0])}`);
});

await check('"show my own outcome message" hides the built-in text and shows the page\'s', async () => {
  await clearLog();
  await setControl('own-message', true);
  await page.click('#reset');
  await waitLog('provider-ready');
  await flinksFrame();
  await command({ fake: 'flinks', command: 'run', name: 'expire' });
  await waitLog('provider-outcome  expired');
  const own = await page.$eval('#own-outcome', (d) => (d.hidden ? '' : d.textContent));
  assert(own.includes('expired'), `own message "${own}"`);
  const builtInShown = await page.$eval('flinks-connect', (el) =>
    [...el.shadowRoot.querySelectorAll('[part~=outcome]')].some((p) => !p.hidden),
  );
  assert(!builtInShown, 'built-in outcome text still shown');
  await setControl('own-message', false);
});

await check('the connected slot override is shown on "connected"', async () => {
  await setControl('slot-override', true);
  await page.click('#reset');
  await waitLog('provider-ready');
  await flinksFrame();
  await command({ fake: 'flinks', command: 'run', name: 'redirect' });
  await page.waitForFunction(() => document.querySelector('flinks-connect').outcome === 'connected');
  const visible = await page.$eval('flinks-connect > p[slot=connected]', (p) => p.checkVisibility());
  assert(visible, 'slotted <p> not visible');
  await setControl('slot-override', false);
});

await check('French: the element and the fake frame switch to fr', async () => {
  await setControl('lang', 'fr');
  assert((await page.$eval('#url-built', (o) => o.textContent)).includes('?language=fr&'), 'the built URL keeps language=en');
  const frame = await flinksFrame();
  const [lang, heading] = await frame.evaluate(() => [document.documentElement.lang, document.querySelector('#h-institution').textContent]);
  assert(lang === 'fr' && heading === 'Choisissez votre banque', `${lang} ${heading}`);
  assert((await attr('lang')) === 'fr', 'element lang');
  await setControl('lang', 'en');
});

await check('modal: no frame until open(), then a dialog with the frame', async () => {
  await clearLog();
  await setControl('modal', true);
  await new Promise((r) => setTimeout(r, 200));
  const before = await page.$eval('flinks-connect', (el) => Boolean(el.shadowRoot.querySelector('dialog[open]')));
  assert(!before, 'dialog open before open()');
  await page.click('#open');
  await page.waitForFunction(() => document.querySelector('flinks-connect').shadowRoot.querySelector('dialog[open] iframe'));
  await waitLog('COMPONENT_LOAD_INSTITUTION_SELECTOR');
  await page.screenshot({ path: join(shots, 'finframe-demo-modal.png') });
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('flinks-connect').shadowRoot.querySelector('dialog[open]'));
  await setControl('modal', false);
});

await check('mute=1 with load-timeout 3000: fatal LOAD_TIMEOUT, status error', async () => {
  await clearLog();
  await setControl('mute', true);
  await waitLog('LOAD_TIMEOUT', 6000);
  assert((await attr('status')) === 'error' && (await attr('outcome')) === 'error', 'status/outcome');
  await page.screenshot({ path: join(shots, 'finframe-demo-timeout.png') });
  await setControl('mute', false);
  await waitLog('provider-ready');
});

// <flexiti-widget> on its own page. Skipped (not failed) while the build has no such element.

const fxAttr = (name) => page.$eval('flexiti-widget', read, name);
/** The fake Flexiti frame of the element's current session, once its verify screen is up. */
const flexitiFrame = async () => {
  await page.waitForFunction(() => document.querySelector('flexiti-widget')?.shadowRoot?.querySelector('iframe'));
  // The frame of the element's *current* iframe: after reset() a new session's frame has the same
  // URL as the one being removed, so a lookup by URL could pick the old one, whose messages the
  // element rightly drops.
  for (let i = 0; i < 50; i++) {
    const iframe = await page.evaluateHandle(() => document.querySelector('flexiti-widget').shadowRoot.querySelector('iframe'));
    const frame = await iframe.asElement()?.contentFrame();
    await iframe.dispose();
    if (frame && !frame.detached) {
      await frame.waitForSelector('#screen-verify:not([hidden]) input[name=scenario]');
      return frame;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no fake Flexiti frame');
};
const fxCommand = (message) =>
  page.evaluate(
    (m, origin) => document.querySelector('flexiti-widget').shadowRoot.querySelector('iframe').contentWindow.postMessage(m, origin),
    message,
    config.fakeOrigin,
  );
/** The data of the newest provider-outcome entry in the log. */
const lastOutcomeData = () => page.$eval('#log .entry.outcome pre', (p) => JSON.parse(p.textContent));
const frameHashQuery = (frame) => new URLSearchParams(new URL(frame.url()).hash.split('?')[1] ?? '');

await page.goto(`${config.demoOrigin}/flexiti-widget.html`);
await page.waitForFunction(() => document.querySelector('#host').childElementCount > 0, { timeout: 5000 }).catch(() => {});
if (!(await page.evaluate(() => Boolean(customElements.get('flexiti-widget'))))) {
  console.log('  skip Flexiti checks: <flexiti-widget> is not defined in dist/cdn/finframe.js (not built yet)');
} else {
  await check('Flexiti: the page loads the fake widget, ready on the frame\'s load; the element writes lang into the hash', async () => {
    await waitLog('provider-ready');
    assert((await fxAttr('status')) === 'ready', `status ${await fxAttr('status')}`);
    const frame = await flexitiFrame();
    const rows = await frame.$$eval('input[name=scenario]', (is) => is.map((i) => i.value));
    assert(rows.join() === 'verified,not-verified,activation-required,apply,not-eligible,retry', `rows ${rows}`);
    assert(frameHashQuery(frame).get('lang') === 'en', `frame url ${frame.url()}`);
    const shown = await page.$eval('#log', (l) => l.textContent);
    assert(!shown.includes('demo-token'), 'token shown in the log');
    await page.screenshot({ path: join(shots, 'finframe-flexiti-ready.png') });
  });

  await check('Flexiti: the default --frame-height (1000px) shows the whole verification screen, Continue included', async () => {
    const frame = await flexitiFrame();
    const height = await page.$eval('flexiti-widget', (el) => getComputedStyle(el.shadowRoot.querySelector('iframe')).height);
    assert(height === '1000px', `frame height ${height}`);
    const [bottom, viewport] = await frame.evaluate(() => [document.getElementById('continue').getBoundingClientRect().bottom, innerHeight]);
    assert(bottom <= viewport, `Continue at ${bottom} px in a ${viewport} px frame`);
    await (await page.$('flexiti-widget')).screenshot({ path: join(shots, 'finframe-flexiti-height.png') });
  });

  await check('Flexiti: the frame URL the element builds from src and lang (its own logic) is the one loaded; the token masked', async () => {
    const [src, built, frame] = await page.evaluate(() => [
      document.getElementById('url-src').textContent,
      document.getElementById('url-built').textContent,
      document.querySelector('flexiti-widget').shadowRoot.querySelector('iframe').src,
    ]);
    const mask = (url) => url.replace(/(#\/widget\/[^/]+\/)[^/?]+/, '$1••••');
    assert(src.startsWith(`${config.fakeOrigin}/fake/flexiti/index.html#/widget/demo-client/••••?`) && !src.includes('lang='), `src ${src}`);
    assert(built === mask(frame) && built.endsWith('&lang=en'), `built ${built} vs frame ${frame}`);
    assert(!src.includes('demo-token') && !built.includes('demo-token'), 'token shown');
  });

  await check('Flexiti purchase flow: the "verified" row gives outcome verified, nextStep authorize-purchase', async () => {
    const frame = await flexitiFrame();
    await frame.click('input[value=verified]');
    await frame.click('#continue');
    await waitLog('provider-outcome  verified');
    assert((await headlines()).some((h) => h.includes('provider-outcome  verified') && h.includes('authorize-purchase')), 'nextStep in the log');
    assert((await fxAttr('outcome')) === 'verified', 'outcome attribute');
    const data = await lastOutcomeData();
    const session = frameHashQuery(frame).get('widget_session_id');
    assert(data.accountNumber === 2233000 && data.verified === true && data.action === 'purchase', JSON.stringify(data));
    assert(data.mfaOptionSelected === 'sms' && data.customerId === '1234567-12345' && data.accountType === 'consumer', JSON.stringify(data));
    assert((data.widgetSessionId ?? data.widget_session_id) === session, `session id ${JSON.stringify(data)} vs ${session}`);
    const next = await page.$eval('#next-step', (p) => p.textContent);
    assert(next.includes('/authorization'), `next step "${next}"`);
    await page.screenshot({ path: join(shots, 'finframe-flexiti-verified.png') });
  });

  await check('Flexiti: Cancel in the widget gives outcome cancelled (return-to-checkout)', async () => {
    await clearLog();
    await page.click('#reset');
    await waitLog('provider-ready');
    assert((await fxAttr('outcome')) === null, 'outcome not cleared by reset()');
    // The page shows the state on the next animation frame, and that line's new text moves the
    // widget: click only once the page has settled, or the click lands beside the button.
    await shows('#status', 'ready', 'status display');
    const frame = await flexitiFrame();
    // The button pressed in the frame's own DOM: a click by coordinates could still land beside it
    // while the frame's screens swap after the new session.
    await frame.$eval('#cancel', (button) => button.click());
    await waitLog('provider-outcome  cancelled');
    assert((await headlines()).some((h) => h.includes('cancelled') && h.includes('return-to-checkout')), 'nextStep');
  });

  await check('Flexiti French: the element writes lang=fr and the fake widget switches to fr', async () => {
    await clearLog();
    await setControl('lang', 'fr');
    await waitLog('provider-ready');
    const frame = await flexitiFrame();
    const [lang, heading] = await frame.evaluate(() => [document.documentElement.lang, document.querySelector('#h-verify').textContent]);
    assert(lang === 'fr' && heading === 'Vérifiez votre compte', `${lang} ${heading}`);
    assert(frameHashQuery(frame).get('lang') === 'fr', `frame url ${frame.url()}`);
    assert((await fxAttr('lang')) === 'fr', 'element lang');
    await setControl('lang', 'en');
    await waitLog('provider-ready');
  });

  await check('Flexiti apply flow (control channel): apply → submit-application; older widget; flx-failure at the top level → error', async () => {
    await clearLog();
    await setControl('flow', 'apply');
    await setControl('legacy', true);
    await waitLog('provider-ready');
    assert((await fxAttr('flow')) === 'apply', 'element flow');
    const frame = await flexitiFrame();
    assert(frameHashQuery(frame).get('flow') === 'apply', 'fake flow');
    await fxCommand({ fake: 'flexiti', command: 'run', name: 'apply' });
    await waitLog('provider-outcome  apply');
    assert((await headlines()).some((h) => h.includes('provider-outcome  apply') && h.includes('submit-application')), 'nextStep');
    const data = await lastOutcomeData();
    assert(data.action === 'apply' && data.accountNumber === null && !('customerId' in data), `legacy data ${JSON.stringify(data)}`);
    assert((await page.$eval('#next-step', (p) => p.textContent)).includes('POST /apply'), 'POST /apply note');
    await clearLog();
    await setControl('failure', 'top');
    await waitLog('provider-ready');
    await flexitiFrame();
    await fxCommand({ fake: 'flexiti', command: 'run', name: 'failure' });
    await waitLog('provider-outcome  error');
    const hs = await headlines();
    assert(hs.some((h) => h.startsWith('provider-error')), `no provider-error: ${hs}`);
    assert(hs.some((h) => h.includes('retry-or-go-back')), 'nextStep');
    assert((await fxAttr('status')) === 'error', 'status');
  });
}

// <benji-connect> on its own page. Skipped (not failed) while the build has no such element.

/** The reflected attribute `name` of instance `key` (a or b). */
const bjAttr = (key, name) => page.$eval(`#benji-${key}`, read, name);
const bjDialogOpen = (key) => page.$eval(`#benji-${key}`, (el) => Boolean(el.shadowRoot.querySelector('dialog[open]')));
/** The fake Benji frame of instance `key`'s current session (out-of-process, cross-origin). */
const benjiFrame = async (key) => {
  await page.waitForFunction((k) => document.getElementById(`benji-${k}`)?.shadowRoot?.querySelector('iframe'), {}, key);
  const src = await page.$eval(`#benji-${key}`, (el) => el.shadowRoot.querySelector('iframe').src);
  for (let i = 0; i < 50; i++) {
    const frame = page.frames().find((f) => f.url() === src && !f.detached);
    if (frame) {
      await frame.waitForSelector('button[data-run=connect]');
      return frame;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no fake Benji frame for ${key}`);
};

await page.evaluateOnNewDocument(() => {
  // Kept in a closure variable, never in the DOM: the test then looks for them in the DOM.
  window.__benjiTokens = [];
  document.addEventListener('provider-outcome', (e) => {
    if (e.detail.provider !== 'benji' || e.detail.outcome !== 'success') return;
    for (const t of [e.detail.data?.token, e.detail.data?.refreshToken]) if (typeof t === 'string') window.__benjiTokens.push(t);
  });
});
await page.goto(`${config.demoOrigin}/benji-connect.html`);
await page.waitForFunction(() => document.querySelector('#host-a').childElementCount > 0, { timeout: 5000 }).catch(() => {});
if (!(await page.evaluate(() => Boolean(customElements.get('benji-connect'))))) {
  console.log('  skip Benji checks: <benji-connect> is not defined in dist/cdn/finframe.js (not built yet)');
} else {
  await check('Benji: the page promises no more than the dialog does (the close button always works; Escape only outside the frame)', async () => {
    const intro = await page.$eval('.page-header p', (p) => p.textContent.replace(/\s+/g, ' '));
    assert(!intro.includes('or press Escape'), intro);
    assert(intro.includes('close button, which always works') && intro.includes('Escape closes the dialog while focus is outside'), intro);
  });

  await check('Benji: the URL the attributes build (sandbox, by the element\'s own logic) beside the one loaded; the connect token masked', async () => {
    const [built, src] = await page.evaluate(() => [document.getElementById('url-built').textContent, document.getElementById('url-src').textContent]);
    assert(built === 'https://verifyapp-staging.withbenji.com/?connect_token=••••', `built ${built}`);
    assert(src === `${config.fakeOrigin}/fake/benji/index.html?connect_token=••••`, `src ${src}`);
    assert(!(await page.evaluate(() => document.body.textContent.includes('ct_demo_'))), 'a connect token in the page');
  });

  await check('Benji: modal by default — no frame until open(), then a dialog with the fake frame, ready on load', async () => {
    assert(!(await page.$eval('#benji-a', (el) => Boolean(el.shadowRoot.querySelector('iframe')))), 'frame before open()');
    await page.click('#open-a');
    await page.waitForFunction(() => document.getElementById('benji-a').shadowRoot.querySelector('dialog[open] iframe'));
    await waitLog('provider-ready');
    assert((await bjAttr('a', 'status')) === 'ready', `status ${await bjAttr('a', 'status')}`);
    const frame = await benjiFrame('a');
    const query = new URL(frame.url()).searchParams;
    assert(query.has('connect_token') && query.has('t'), `frame url params ${[...query.keys()]}`);
    assert(!(await page.$eval('#log', (l) => l.textContent)).includes(query.get('connect_token')), 'connect token in the log');
    assert(!(await page.$eval('#benji-b', (el) => Boolean(el.shadowRoot.querySelector('iframe')))), 'instance B started too');
  });

  await check('Benji: "Connect" in the fake frame gives outcome success; the dialog stays open; tokens masked', async () => {
    const frame = await benjiFrame('a');
    await frame.click('button[data-run=connect]');
    await waitLog('provider-outcome  success');
    assert((await bjAttr('a', 'outcome')) === 'success', 'outcome attribute');
    await shows('#outcome-a', 'success', 'outcome display');
    assert(await bjDialogOpen('a'), 'dialog closed on success');
    const data = await lastOutcomeData();
    assert(data.action === 'connect' && data.user?.first_name === 'Alex' && data.status?.num_of_rewards === 1250, JSON.stringify(data));
    assert(data.token === '•••• (send to your server)' && data.refreshToken === '•••• (send to your server)', `tokens ${data.token} ${data.refreshToken}`);
    await page.screenshot({ path: join(shots, 'finframe-benji-success.png') });
  });

  await check('Benji: the access and refresh tokens never appear in the DOM (light or shadow)', async () => {
    const found = await page.evaluate(() => {
      const tokens = window.__benjiTokens;
      if (tokens.length < 2) return `captured ${tokens.length} token(s)`;
      const texts = [document.documentElement.outerHTML];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) {
            texts.push(el.shadowRoot.innerHTML, el.shadowRoot.textContent);
            walk(el.shadowRoot);
          }
        }
      };
      walk(document);
      return tokens.some((t) => texts.some((x) => x.includes(t))) ? 'found' : 'absent';
    });
    assert(found === 'absent', found);
  });

  await check('Benji: "Action button" exit after the success → provider-event FLOW_EXIT, the dialog closes', async () => {
    const frame = await benjiFrame('a');
    await frame.click('button[data-run="exit:ACTION_BUTTON_CLICKED"]');
    await waitLog('provider-event  FLOW_EXIT');
    await page.waitForFunction(() => !document.getElementById('benji-a').shadowRoot.querySelector('dialog[open]'), { timeout: 2000 });
    assert((await bjAttr('a', 'outcome')) === 'success', `outcome ${await bjAttr('a', 'outcome')}`);
    assert(!(await headlines()).some((h) => h.includes('provider-outcome  exit')), 'an exit outcome after the success');
  });

  await check('Benji: open() again starts a new session; Escape gives exit with TAPPED_OUT_OF_BOUNDS', async () => {
    await clearLog();
    await page.click('#open-a');
    await waitLog('provider-ready');
    assert((await bjAttr('a', 'outcome')) === null, 'outcome not cleared by the new session');
    assert(await bjDialogOpen('a'), 'dialog not open');
    await page.screenshot({ path: join(shots, 'finframe-benji-modal.png') });
    await page.keyboard.press('Escape');
    await waitLog('provider-outcome  exit');
    const data = await lastOutcomeData();
    assert(data.trigger === 'TAPPED_OUT_OF_BOUNDS', JSON.stringify(data));
    assert(!(await bjDialogOpen('a')), 'dialog still open');
    assert((await bjAttr('a', 'outcome')) === 'exit' && (await bjAttr('a', 'status')) === 'complete', 'attributes');
  });

  await check('Benji: with focus inside Benji\'s frame, the dialog\'s close button still closes it (exit, CLOSE_BUTTON_CLICKED); it stays in view at 320 × 480', async () => {
    await clearLog();
    await page.setViewport({ width: 320, height: 480 });
    try {
      await page.click('#open-a');
      await waitLog('provider-ready');
      const frame = await benjiFrame('a');
      // The shopper clicks into Benji: keys now go to Benji's document.
      await frame.focus('input[value=string]');
      assert(await frame.evaluate(() => document.hasFocus()), 'focus not in the frame');
      await page.$eval('#benji-a', (el) => (el.shadowRoot.querySelector('dialog .body').scrollTop = 10_000));
      const box = await page.$eval('#benji-a', (el) => {
        const r = el.shadowRoot.querySelector('[part~=close-button]').getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: innerWidth, height: innerHeight };
      });
      assert(box.top >= 0 && box.left >= 0 && box.bottom <= box.height && box.right <= box.width, `close button at ${JSON.stringify(box)}`);
      await page.screenshot({ path: join(shots, 'finframe-benji-modal-320.png') });
      await page.mouse.click((box.left + box.right) / 2, (box.top + box.bottom) / 2);
      await waitLog('provider-outcome  exit');
      assert((await lastOutcomeData()).trigger === 'CLOSE_BUTTON_CLICKED', JSON.stringify(await lastOutcomeData()));
      assert(!(await bjDialogOpen('a')), 'dialog still open');
      assert(await page.evaluate(() => document.activeElement?.id === 'open-a'), 'focus did not return to the opener');
    } finally {
      await page.setViewport({ width: 1400, height: 900 });
    }
  });

  await check('Benji: the second instance is independent (its own frame and outcome)', async () => {
    await clearLog();
    await page.click('#open-b');
    const frame = await benjiFrame('b');
    await frame.click('button[data-run="error:partner_connect_error"]');
    await waitLog('provider-error  partner_connect_error');
    await page.waitForFunction(() => document.getElementById('benji-b').outcome === 'error');
    assert((await bjAttr('a', 'outcome')) === 'exit', `A's outcome ${await bjAttr('a', 'outcome')}`);
    assert(await page.$eval('#log .entry.fatal', (e) => e.dataset.instance === 'b'), 'error logged for B');
  });
}

// <finapi-web-form> on its own page, and the callback receiver's panel. Skipped (not failed) while
// the build has no such element.

/** The reflected attribute `name` of finAPI instance `key` (a or b). */
const faAttr = (key, name) => page.$eval(`#finapi-${key}`, read, name);
const faStatus = (key, status, timeout = 5000) =>
  page.waitForFunction((k, s) => document.getElementById(`finapi-${k}`)?.status === s, { timeout }, key, status);
/** Clicks one of the fake finAPI form's buttons (complete, fail, fail20, abort), inside its shadow root. */
const faPress = (command) => page.click(`[data-web-form-instance] >>> button[data-command="${command}"]`);
/** The text of instance `key`'s visible built-in outcome part ('' if none is shown). */
const faOutcomeText = (key) =>
  page.$eval(`#finapi-${key}`, (el) =>
    [...el.shadowRoot.querySelectorAll('[part~=outcome]')]
      .filter((p) => !p.hidden)
      .map((p) => p.querySelector('slot').assignedNodes({ flatten: true }).map((n) => n.textContent).join('') || p.textContent)
      .join('')
      .trim(),
  );
/** What finAPI's loader left on the page. */
const faTraces = () =>
  page.evaluate(() => ({
    forms: document.querySelectorAll('[data-web-form-instance]').length,
    script: document.getElementById('web-form-source')?.src ?? null,
  }));
/** A new web form in A (the "New web form" button), ready. */
const faNewForm = async () => {
  await page.click('#new-form');
  await faStatus('a', 'ready');
};

await page.evaluateOnNewDocument(() => {
  // CSP and Trusted Types violations as the page sees them (also report-only ones).
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.disposition}`));
});
const problemsBeforeFinapi = problems.length;
const finapiResponse = await page.goto(`${config.demoOrigin}/finapi-web-form.html`);
await page.waitForFunction(() => document.querySelector('#host-a').childElementCount > 0, { timeout: 5000 }).catch(() => {});
if (!(await page.evaluate(() => Boolean(customElements.get('finapi-web-form'))))) {
  console.log('  skip finAPI checks: <finapi-web-form> is not defined in dist/cdn/finframe.js (not built yet)');
} else {
  let completedText = '';

  await check('finAPI: under an enforced Trusted Types CSP the element reaches ready, the fake form visible, its script from the fake server', async () => {
    const csp = finapiResponse.headers()['content-security-policy'] ?? '';
    assert(csp.includes("require-trusted-types-for 'script'") && csp.includes('trusted-types lit-html default'), `CSP ${csp}`);
    assert(csp.includes(`script-src 'self' http://localhost:${config.fakePort}`), `script-src in ${csp}`);
    await faStatus('a', 'ready');
    await waitLog('provider-ready');
    const visible = await page.$eval('[data-web-form-instance]', (f) => f.shadowRoot.querySelector('button[data-command=complete]').checkVisibility());
    assert(visible, 'the fake form is not visible');
    await shows('#status-a', 'ready', 'status display');
    const { forms, script } = await faTraces();
    assert(forms === 1, `${forms} forms`);
    const url = new URL(script);
    assert(url.origin + url.pathname === `${config.finapiServer}/finapi-webform2.js`, `script ${url.origin}${url.pathname}`);
    await page.screenshot({ path: join(shots, 'finframe-finapi-ready.png') });
  });

  await check('finAPI: Complete in the fake form → outcome completed, the built-in message shown, finAPI\'s form and script unloaded', async () => {
    await faPress('complete');
    await waitLog('provider-outcome  completed');
    assert((await faAttr('a', 'outcome')) === 'completed' && (await faAttr('a', 'status')) === 'complete', 'attributes');
    completedText = await faOutcomeText('a');
    assert(completedText.length > 0, 'no built-in outcome message shown');
    const { forms, script } = await faTraces();
    assert(forms === 0 && script === null, `after the outcome: ${forms} forms, script ${script}`);
    await page.screenshot({ path: join(shots, 'finframe-finapi-completed.png') });
  });

  /** The newest delivery in the callback panel whose line mentions `why`, as `{headline, sent, answer}`. */
  const faCallback = async (why) => {
    await page.waitForFunction((w) => [...document.querySelectorAll('#callbacks .callbacks-results li')].some((li) => li.textContent.includes(w)), { timeout: 5000 }, why);
    return page.$$eval(
      '#callbacks .callbacks-results li',
      (lis, w) => {
        const li = lis.find((l) => l.textContent.includes(w));
        return { headline: li.querySelector('.headline').textContent.trim(), ...JSON.parse(li.querySelector('pre').textContent) };
      },
      why,
    );
  };

  await check('finAPI: completing the form sends the matching finalised callback to the receiver; the panel shows it and it is stored', async () => {
    const delivery = await faCallback('web form A ended (completed)');
    assert(delivery.headline === '200 changed → v1', delivery.headline);
    assert(delivery.sent.status === 'COMPLETED' && /^[0-9a-f-]{36}$/.test(delivery.sent.webFormId), JSON.stringify(delivery.sent));
    const stored = await receiver.store.get(`webForm:${delivery.sent.webFormId}`);
    assert(stored?.data?.status === 'COMPLETED', JSON.stringify(stored));
    await page.waitForFunction((id) => [...document.querySelectorAll('table.callbacks-state td')].some((td) => td.title === `webForm:${id}`), { timeout: 5000 }, delivery.sent.webFormId);
    await page.$eval('.callbacks-panel', (p) => p.scrollIntoView());
    await page.screenshot({ path: join(shots, 'finframe-finapi-completed-callback.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  await check('finAPI: "New web form" loads a new form with a new token', async () => {
    const before = await page.evaluate(() => [...window.fakeFinapiWebForm.tokens]);
    await clearLog();
    await faNewForm();
    assert((await faAttr('a', 'outcome')) === null, 'outcome not cleared');
    const after = await page.evaluate(() => [...window.fakeFinapiWebForm.tokens]);
    assert(after.length === before.length + 1 && !before.includes(after.at(-1)), 'no new token');
    assert((await faOutcomeText('a')) === '', 'the old outcome message is still shown');
  });

  await check('finAPI: Fail → failed with finAPI\'s error; Fail (Web Form 2.0) → failed without one; Cancel → aborted', async () => {
    await faPress('fail');
    await waitLog('provider-outcome  failed');
    assert((await headlines()).some((h) => h.includes('provider-outcome  failed  BACKEND_ERROR BANK_SERVER_REJECTION')), 'headline');
    const data = await lastOutcomeData();
    assert(data.error?.type === 'BACKEND_ERROR' && data.error?.code === 'BANK_SERVER_REJECTION', JSON.stringify(data));
    assert((await faAttr('a', 'outcome')) === 'failed', 'outcome attribute');
    await page.screenshot({ path: join(shots, 'finframe-finapi-failed.png') });
    await clearLog();
    await faNewForm();
    await faPress('fail20');
    await waitLog('provider-outcome  failed  (Web Form 2.0: no detail)');
    await clearLog();
    await faNewForm();
    await faPress('abort');
    await waitLog('provider-outcome  aborted');
    assert((await faAttr('a', 'outcome')) === 'aborted', 'outcome attribute');
    // Each ended web form's finalised callback, with its own id and final status.
    const failed = await faCallback('web form A ended (failed)');
    const aborted = await faCallback('web form A ended (aborted)');
    assert(failed.sent.status === 'COMPLETED_WITH_ERROR' && aborted.sent.status === 'ABORTED', `${failed.sent.status} ${aborted.sent.status}`);
    assert(failed.sent.webFormId !== aborted.sent.webFormId, 'two web forms, one id');
    assert(failed.headline === '200 changed → v1' && aborted.headline === '200 changed → v1', `${failed.headline} ${aborted.headline}`);
  });

  await check('finAPI: a second element reports ALREADY_OPEN while the first stays open and working', async () => {
    await clearLog();
    await faNewForm();
    await page.click('#second');
    await waitLog('provider-error  ALREADY_OPEN');
    await page.waitForFunction(() => document.getElementById('finapi-b').outcome === 'error');
    assert((await faAttr('b', 'status')) === 'error', `B status ${await faAttr('b', 'status')}`);
    assert((await faOutcomeText('b')).length > 0, 'B shows no error message');
    assert(await page.$eval('#log .entry.fatal', (e) => e.dataset.instance === 'b'), 'error logged for B');
    assert((await faAttr('a', 'status')) === 'ready', `A status ${await faAttr('a', 'status')}`);
    assert((await faTraces()).forms === 1, 'forms');
    await page.screenshot({ path: join(shots, 'finframe-finapi-already-open.png') });
    await faPress('complete');
    await waitLog('provider-outcome  completed');
    assert((await faAttr('a', 'outcome')) === 'completed', 'A did not complete');
    assert((await faAttr('b', 'outcome')) === 'error', 'B changed');
    await page.click('#second'); // remove B again
    await page.waitForFunction(() => !document.getElementById('finapi-b'));
    // The status panel forgets the removed element.
    await page.waitForFunction(() => document.getElementById('status-b').textContent === '–' && document.getElementById('outcome-b').textContent === '–', { timeout: 2000 });
  });

  await check('finAPI: removing the element unloads finAPI\'s form and script; adding it back loads a new one', async () => {
    await clearLog();
    await faNewForm();
    assert((await faTraces()).script !== null, 'no script while open');
    await page.click('#remove');
    await waitLog('A removed');
    const { forms, script } = await faTraces();
    assert(forms === 0 && script === null, `after removal: ${forms} forms, script ${script}`);
    const shown = await page.evaluate(() => [document.getElementById('status-a').textContent, document.getElementById('outcome-a').textContent]);
    assert(shown.join() === '–,–', `the status panel still shows the removed element: ${shown}`);
    assert((await headlines()).some((h) => h.includes("finAPI web forms on the page: 0; finAPI's script: gone")), 'log');
    await page.click('#remove'); // add it back
    await faStatus('a', 'ready');
    assert((await faTraces()).forms === 1, 'not loaded again');
    await page.waitForFunction(() => document.getElementById('status-a').textContent === 'ready', { timeout: 2000 });
  });

  await check('finAPI: "show my own outcome message" hides the built-in text and shows the page\'s', async () => {
    await setControl('own-message', true);
    await faPress('abort');
    await waitLog('provider-outcome  aborted  (preventDefault');
    const own = await page.$eval('#own-outcome-a', (d) => (d.hidden ? '' : d.textContent));
    assert(own.includes('cancelled'), `own message "${own}"`);
    assert((await faOutcomeText('a')) === '', 'built-in outcome text still shown');
    await setControl('own-message', false);
    await faNewForm();
    assert(await page.$eval('#own-outcome-a', (d) => d.hidden), 'own message not hidden for the new form');
  });

  await check('finAPI: language, colour mode and layout reach the web form; German built-in text', async () => {
    await setControl('lang', 'de');
    await setControl('color-mode', 'dark');
    await setControl('layout', 'sm');
    await faNewForm();
    const received = await page.evaluate(() => window.fakeFinapiWebForm.current.received);
    assert(received.language === 'de' && received.colorMode === 'dark' && received.layoutConfig === 'sm', JSON.stringify({ ...received, token: '…' }));
    const heading = await page.$eval('[data-web-form-instance]', (f) => f.shadowRoot.querySelector('h2').textContent);
    assert(heading.includes('finAPI-Attrappe'), `fake heading ${heading}`);
    assert((await faAttr('a', 'lang')) === 'de', 'element lang');
    await faPress('complete');
    await faStatus('a', 'complete');
    const german = await faOutcomeText('a');
    assert(german.length > 0 && german !== completedText, `German text "${german}" vs "${completedText}"`);
    await setControl('lang', 'es');
    await faNewForm();
    assert((await page.evaluate(() => window.fakeFinapiWebForm.current.received.language)) === 'es', 'es not passed to finAPI');
    await setControl('lang', 'en');
    await setControl('color-mode', '');
    await setControl('layout', '');
  });

  /** How many records the page's own web forms had stored before the sample buttons were pressed. */
  let finapiStoredBefore = 0;
  // The panel's rows, newest first, as "status verdict".
  const deliveries = () => page.$$eval('#callbacks .callbacks-results .headline', (hs) => hs.map((h) => h.textContent.trim()));
  await check('finAPI callbacks: the panel\'s samples get 200 / 401 / 422 / 400 / 415 from the receiver; the table shows the stored records', async () => {
    const expected = {
      webForm: ['200 changed → v1'],
      task: ['200 changed → v1'],
      webFormRequired: ['200 changed → v1'],
      duplicate: ['200 changed → v1', '200 duplicate'],
      outOfOrder: ['200 changed → v1', '200 stale'],
      badSecret: ['401 unauthorized'],
      badBody: ['422 invalid_callback', '400 invalid_json', '415 unsupported_media_type'],
    };
    // The web forms the page ended above are stored already (their finalised callbacks): count from there.
    const before = (await receiver.store.list({ prefix: 'task:' })).length + (await receiver.store.list({ prefix: 'webForm:' })).length;
    finapiStoredBefore = before;
    assert(before >= 7, `${before} records from the page's own web forms`);
    let seen = (await deliveries()).length;
    for (const [kind, answers] of Object.entries(expected)) {
      await page.click(`#callbacks button[data-kind="${kind}"]`);
      await page.waitForFunction((n) => document.querySelectorAll('#callbacks .callbacks-results li').length >= n, { timeout: 5000 }, seen + answers.length);
      const got = (await deliveries()).slice(0, answers.length).reverse();
      assert(JSON.stringify(got) === JSON.stringify(answers), `${kind}: ${JSON.stringify(got)}`);
      seen += answers.length;
    }
    await page.waitForFunction((n) => document.querySelector('#callbacks [role=status]').textContent === `${n} records stored.`, { timeout: 5000 }, before + 5);
    const rows = await page.$$eval('table.callbacks-state tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert(rows.length === before + 5, `${rows.length} rows`);
    assert(rows.every((r) => r[1] === '1'), `versions ${rows.map((r) => r[1])}`);
    assert(rows.filter((r) => r[0].startsWith('task:')).map((r) => r[2]).sort().join() === 'COMPLETED,COMPLETED,WEB_FORM_REQUIRED', `tasks ${JSON.stringify(rows)}`);
    await page.$eval('.callbacks-panel', (p) => p.scrollIntoView());
    await (await page.$('.callbacks-panel')).screenshot({ path: join(shots, 'finframe-finapi-callbacks.png') });
  });

  await check('finAPI callbacks: the receiver is the SQLite store main() mounts, and its routes answer directly', async () => {
    const info = receiver.store.info();
    assert(info.path === join(dataDir, 'callbacks.db') && existsSync(info.path), `path ${info.path}`);
    assert(info.journalMode === 'wal' && info.synchronous === 'FULL', JSON.stringify(info));
    const stored = [...(await receiver.store.list({ prefix: 'task:' })), ...(await receiver.store.list({ prefix: 'webForm:' }))];
    const state = await (await fetch(`${config.demoOrigin}/callbacks/finapi/state`)).json();
    assert(state.records.length === finapiStoredBefore + 5 && stored.length === finapiStoredBefore + 5, `${state.records.length} via the route, ${stored.length} in SQLite`);
    const body = JSON.stringify({ webFormId: 'c0ffee00-0000-4000-8000-000000000001', status: 'COMPLETED' });
    const post = (secret) => fetch(`${config.demoOrigin}/callbacks/finapi?secret=${encodeURIComponent(secret)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert((await post('not-the-secret-at-all')).status === 401, 'wrong secret');
    const ok = await post(callbackSecret);
    assert(ok.status === 200 && (await ok.json()).changed === true, 'right secret');
    assert((await receiver.store.get('webForm:c0ffee00-0000-4000-8000-000000000001'))?.data?.status === 'COMPLETED', 'not in SQLite');
  });

  await check('finAPI: no web form token and no callback secret in the page (finAPI\'s own script URL aside)', async () => {
    const found = await page.evaluate((secret) => {
      const tokens = window.fakeFinapiWebForm.tokens;
      if (tokens.length < 5) return `captured ${tokens.length} token(s)`;
      const script = document.getElementById('web-form-source');
      // The one place a token must be while a form is open: the URL of finAPI's script.
      if (!script || !tokens.some((t) => script.src.includes(encodeURIComponent(t)))) return "no token in finAPI's script URL";
      const texts = [document.documentElement.outerHTML.split(script.outerHTML).join(''), document.body.innerText];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) {
            texts.push(el.shadowRoot.innerHTML, el.shadowRoot.textContent);
            walk(el.shadowRoot);
          }
        }
      };
      walk(document);
      if (texts.some((x) => x.includes(secret))) return 'the secret is in the page';
      return tokens.some((t) => texts.some((x) => x.includes(t))) ? 'a token is in the page' : 'absent';
    }, callbackSecret);
    assert(found === 'absent', found);
  });

  await check('finAPI: no console errors, CSP or Trusted Types violations on this page', async () => {
    const violations = await page.evaluate(() => window.__violations);
    const mine = problems.slice(problemsBeforeFinapi);
    assert(violations.length === 0 && mine.length === 0, [...violations, ...mine].join(' | '));
  });

  await check('finAPI: Trusted Types is really enforced — the page\'s policy refuses other HTML and other script URLs', async () => {
    // In a second tab, so its (expected) violations stay out of the page checked above.
    const probe = await browser.newPage();
    try {
      await probe.goto(`${config.demoOrigin}/finapi-web-form.html`);
      await probe.waitForFunction(() => document.getElementById('finapi-a')?.status === 'ready', { timeout: 5000 });
      const results = await probe.evaluate((server) => {
        const attempt = (fn) => {
          try {
            fn();
            return 'allowed';
          } catch {
            return 'refused';
          }
        };
        return {
          html: attempt(() => (document.createElement('div').innerHTML = '<img src=x>')),
          spinnerish: attempt(() => (document.createElement('div').innerHTML = '<div class="web-form-spinner"><img src=x></div>')),
          otherPath: attempt(() => (document.createElement('script').src = `${server}/other.js`)),
          otherOrigin: attempt(() => (document.createElement('script').src = 'https://evil.example/fake/finapi/finapi-webform2.js')),
          finapi: attempt(() => (document.createElement('script').src = `${server}/finapi-webform2.js?t=1`)),
        };
      }, config.finapiServer);
      const expected = { html: 'refused', spinnerish: 'refused', otherPath: 'refused', otherOrigin: 'refused', finapi: 'allowed' };
      assert(JSON.stringify(results) === JSON.stringify(expected), JSON.stringify(results));
    } finally {
      await probe.close();
    }
  });
}

// <flexpay-status> on its own page, against the FlexPay receiver and status stream main() mounts
// (createDemoBackend, over the same SQLite store). Skipped while the build has no such element.

const fpAttr = (name) => page.$eval('#flexpay', read, name);
const fpWait = (name, value, timeout = 5000) =>
  page.waitForFunction((p, v) => document.getElementById('flexpay')?.[p] === v, { timeout }, { status: 'status', outcome: 'outcome', 'payment-status': 'paymentStatus' }[name], value);
/** The text of the element's visible built-in outcome part ('' if none is shown). */
const fpText = () =>
  page.$eval('#flexpay', (el) =>
    [...el.shadowRoot.querySelectorAll('[part~=outcome]')]
      .filter((p) => !p.hidden)
      .map((p) => p.querySelector('slot').assignedNodes({ flatten: true }).map((n) => n.textContent).join('') || p.textContent)
      .join('')
      .replace(/\s+/g, ' ')
      .trim(),
  );
const fpReference = () => page.$eval('#reference', (o) => o.textContent);
/** The page's current order reference. */
let fpRef = '';
/** Newest first: the receiver's answers in the deliveries list. */
const fpDeliveries = () => page.$$eval('#deliveries .headline', (hs) => hs.map((h) => h.textContent.trim()));
/** Clicks a "Play FlexPay" button and returns the receiver's answer to it ("401 invalid_receipt", …). */
const fpSend = async (kind) => {
  const before = await page.$$eval('#deliveries li', (lis) => lis.length);
  await page.click(`button[data-kind="${kind}"]`);
  await page.waitForFunction((n) => document.querySelectorAll('#deliveries li').length > n, { timeout: 5000 }, before);
  return (await fpDeliveries())[0];
};
/** The provider-* entries of the log. */
const fpProviderEntries = async () => (await headlines()).filter((h) => h.startsWith('provider-'));
/** What the JSON endpoint says about the page's order, asked from the page (with its cookie). */
const fpStored = () => page.evaluate(async (r) => (await fetch(`/flexpay/status?reference=${r}`, { headers: { accept: 'application/json' } })).json(), fpRef);
const fpNewOrder = async () => {
  const before = await fpReference();
  await page.click('#new-order');
  await page.waitForFunction((b) => document.getElementById('reference').textContent !== b, { timeout: 5000 }, before);
  fpRef = await fpReference();
  await fpWait('status', 'ready');
};

const problemsBeforeFlexpay = problems.length;
const flexpayResponse = await page.goto(`${config.demoOrigin}/flexpay-status.html`);
await page.waitForFunction(() => document.querySelector('#host').childElementCount > 0, { timeout: 5000 }).catch(() => {});
if (!(await page.evaluate(() => Boolean(customElements.get('flexpay-status'))))) {
  console.log('  skip FlexPay checks: <flexpay-status> is not defined in dist/cdn/finframe.js (not built yet)');
} else {
  await check('FlexPay: the page loads under the strict CSP (Trusted Types, connect-src \'self\', no frames); a fresh order; the element pending', async () => {
    const csp = flexpayResponse.headers()['content-security-policy'] ?? '';
    assert(csp.includes("require-trusted-types-for 'script'") && csp.includes('trusted-types lit-html'), `CSP ${csp}`);
    assert(csp.includes("connect-src 'self'") && !csp.includes('frame-src') && csp.includes("default-src 'none'"), `CSP ${csp}`);
    await fpWait('status', 'ready');
    fpRef = await fpReference();
    assert(/^FF-[A-Z0-9]{8}$/.test(fpRef), `reference ${fpRef}`);
    assert((await page.$eval('#order-number', (s) => s.textContent)) === `#${fpRef}`, 'order number');
    assert((await fpAttr('reference')) === fpRef && (await fpAttr('src')) === '/flexpay/status', 'attributes');
    assert((await fpAttr('payment-status')) === null && (await fpAttr('outcome')) === null, 'payment-status/outcome before any callback');
    assert((await fpText()).includes('being processed'), `pending text "${await fpText()}"`);
    await waitLog('provider-ready');
    assert((await page.$eval('#transport', (o) => o.textContent)) === 'EventSource', 'transport');
    assert(flexpay.stream.connections === 1, `${flexpay.stream.connections} streams open`);
    await page.screenshot({ path: join(shots, 'finframe-flexpay-pending.png') });
  });

  await check('FlexPay: PENDING → 200 changed, payment-status PENDING, a provider-event in the log, still the pending text', async () => {
    assert((await fpSend('PENDING')) === '200 changed → v1', `answer ${(await fpDeliveries())[0]}`);
    await fpWait('payment-status', 'PENDING');
    await waitLog('provider-event  PENDING');
    await shows('#payment-status', 'PENDING', 'payment-status display');
    assert((await fpAttr('outcome')) === null && (await fpAttr('status')) === 'ready', 'outcome/status');
    assert((await fpText()).includes('being processed'), 'pending text');
  });

  await check('FlexPay: SUCCESSFUL → outcome successful, the successful message; the stream is closed', async () => {
    assert((await fpSend('SUCCESSFUL')) === '200 changed → v2', `answer ${(await fpDeliveries())[0]}`);
    await fpWait('outcome', 'successful');
    await waitLog('provider-outcome  successful');
    assert((await fpAttr('payment-status')) === 'SUCCESSFUL' && (await fpAttr('status')) === 'complete', 'attributes');
    await shows('#outcome', 'successful', 'outcome display');
    assert((await fpText()).includes('approved'), `text "${await fpText()}"`);
    for (let i = 0; i < 20 && flexpay.stream.connections > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert(flexpay.stream.connections === 0, `${flexpay.stream.connections} streams still open`);
    await page.screenshot({ path: join(shots, 'finframe-flexpay-successful.png') });
  });

  await check('FlexPay: after the final status, a duplicate and an out-of-order PENDING are acknowledged (200) with no effect', async () => {
    const entries = (await fpProviderEntries()).length;
    assert((await fpSend('duplicate')) === '200 duplicate, no effect', `duplicate ${(await fpDeliveries())[0]}`);
    assert((await fpSend('outOfOrder')) === '200 stale, no effect', `outOfOrder ${(await fpDeliveries())[0]}`);
    const stored = await fpStored();
    assert(stored.status === 'SUCCESSFUL' && stored.version === 2 && stored.final === true, JSON.stringify(stored));
    assert((await fpProviderEntries()).length === entries, 'new provider events');
    assert((await fpAttr('payment-status')) === 'SUCCESSFUL' && (await fpAttr('outcome')) === 'successful', 'attributes changed');
  });

  await check('FlexPay: a new order — pending again; while it is PENDING a duplicate changes nothing, live', async () => {
    const first = fpRef;
    await clearLog();
    await fpNewOrder();
    assert(fpRef !== first, 'same reference');
    assert((await fpAttr('outcome')) === null && (await fpAttr('payment-status')) === null, 'old outcome kept');
    assert((await fpText()).includes('being processed'), 'pending text');
    assert((await fpSend('PENDING')) === '200 changed → v1', 'PENDING');
    await waitLog('provider-event  PENDING');
    assert((await fpSend('duplicate')) === '200 duplicate, no effect', 'duplicate');
    await new Promise((r) => setTimeout(r, 500)); // the stream is live: a change would arrive at once
    assert((await fpProviderEntries()).filter((h) => h.startsWith('provider-event')).length === 1, `events ${await fpProviderEntries()}`);
    assert(flexpay.stream.connections === 1, `${flexpay.stream.connections} streams open`);
  });

  await check('FlexPay: tampered, wrong-key and expired receipts (each claiming SUCCESSFUL) → 401, nothing stored, no change on the page', async () => {
    const entries = (await fpProviderEntries()).length;
    for (const kind of ['tampered', 'wrongKey', 'expired']) {
      const answer = await fpSend(kind);
      assert(answer === '401 invalid_receipt', `${kind}: ${answer}`);
    }
    const reasons = await page.$$eval('#deliveries li', (lis) => lis.slice(0, 3).map((li) => JSON.parse(li.querySelector('pre').textContent).answer.reason));
    assert(reasons[0] === 'the receipt has expired', `expired: ${reasons[0]}`);
    assert(reasons.slice(1).every((r) => r.includes('signature does not verify')), `reasons ${reasons}`);
    await new Promise((r) => setTimeout(r, 500));
    const stored = await fpStored();
    assert(stored.status === 'PENDING' && stored.version === 1, JSON.stringify(stored));
    assert((await fpProviderEntries()).length === entries, 'new provider events');
    assert((await fpAttr('payment-status')) === 'PENDING' && (await fpAttr('outcome')) === null, 'attributes changed');
    await page.$eval('.callbacks-panel', (p) => p.scrollIntoView());
    await (await page.$('.callbacks-panel')).screenshot({ path: join(shots, 'finframe-flexpay-callbacks.png') });
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  await check('FlexPay: FAILED → outcome failed, the failed message mentioning referrals; a late PENDING is stale', async () => {
    assert((await fpSend('FAILED')) === '200 changed → v2', 'FAILED');
    await fpWait('outcome', 'failed');
    await waitLog('provider-outcome  failed');
    const text = await fpText();
    assert(text.includes('did not go through') && text.includes('referred') && text.includes('check out again'), `text "${text}"`);
    assert((await fpAttr('payment-status')) === 'FAILED', 'payment-status');
    assert((await fpSend('outOfOrder')) === '200 stale, no effect', 'outOfOrder');
    assert((await fpAttr('payment-status')) === 'FAILED', 'payment-status changed');
    await page.screenshot({ path: join(shots, 'finframe-flexpay-failed.png') });
  });

  await check('FlexPay: "Drop the stream" ends the open stream; EventSource reconnects and the next status still arrives', async () => {
    await clearLog();
    await fpNewOrder();
    for (let i = 0; i < 20 && flexpay.stream.connections !== 1; i++) await new Promise((r) => setTimeout(r, 50));
    assert(flexpay.stream.connections === 1, `${flexpay.stream.connections} streams before the drop`);
    await page.click('#drop');
    await waitLog('The server ended 1 open status stream');
    for (let i = 0; i < 100 && flexpay.stream.connections !== 1; i++) await new Promise((r) => setTimeout(r, 50));
    assert(flexpay.stream.connections === 1, 'EventSource did not reconnect within 5 s');
    assert((await fpSend('SUCCESSFUL')) === '200 changed → v1', 'SUCCESSFUL');
    await fpWait('outcome', 'successful');
    assert((await page.$eval('#transport', (o) => o.textContent)) === 'EventSource', 'fell back to polling');
    const events = (await fpProviderEntries()).filter((h) => h.startsWith('provider-event'));
    assert(events.length === 1 && events[0].endsWith('SUCCESSFUL'), `events ${events}`);
  });

  await check('FlexPay: a reference this browser did not create → 403 from the status endpoint (JSON and stream); the page\'s own → 200', async () => {
    // An order created by someone else (no session cookie), and a made-up reference.
    const foreign = (await (await fetch(`${config.demoOrigin}/flexpay/demo/order`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()).reference;
    // In a second tab of the same browser (same cookies), so the expected 403s stay out of the page checked below.
    const probe = await browser.newPage();
    try {
      await probe.goto(`${config.demoOrigin}/demo-config.json`);
      const results = await probe.evaluate(async (refs) => {
        const ask = async (r, accept) => (await fetch(`/flexpay/status?reference=${encodeURIComponent(r)}`, { headers: { accept } })).status;
        return {
          own: await ask(refs.own, 'application/json'),
          foreign: await ask(refs.foreign, 'application/json'),
          madeUp: await ask('FF-GUESSED1', 'application/json'),
          foreignStream: await ask(refs.foreign, 'text/event-stream'),
          foreignSend: (await fetch('/flexpay/demo/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: refs.foreign, kind: 'SUCCESSFUL' }) })).status,
        };
      }, { own: fpRef, foreign });
      const expected = { own: 200, foreign: 403, madeUp: 403, foreignStream: 403, foreignSend: 404 };
      assert(JSON.stringify(results) === JSON.stringify(expected), JSON.stringify(results));
    } finally {
      await probe.close();
    }
  });

  await check('FlexPay: no receipt or JWT text ("eyJ") anywhere in the page, light or shadow DOM', async () => {
    const found = await page.evaluate(() => {
      const texts = [document.documentElement.outerHTML, document.body.innerText];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) {
            texts.push(el.shadowRoot.innerHTML, el.shadowRoot.textContent);
            walk(el.shadowRoot);
          }
        }
      };
      walk(document);
      return texts.some((t) => t.includes('eyJ'));
    });
    assert(!found, 'JWT text in the page');
    assert((await page.$eval('#deliveries', (d) => d.textContent)).includes('RS256 JWT, kid demo-'), 'no receipt summary in the deliveries');
  });

  await check('FlexPay: the statuses are in the SQLite store main() mounts, beside finAPI\'s records', async () => {
    const rows = await receiver.store.list({ prefix: 'flexpay:' });
    const statuses = rows.map((r) => r.data.status).sort().join();
    // The three orders the page played (SUCCESSFUL; PENDING → FAILED; SUCCESSFUL after the drop).
    assert(rows.length === 3 && statuses === 'FAILED,SUCCESSFUL,SUCCESSFUL', `${rows.length} rows: ${statuses}`);
    assert(rows.map((r) => r.version).sort().join() === '1,2,2', `versions ${rows.map((r) => r.version)}`);
    assert(rows.every((r) => !('receipt' in r.data) && r.data.receiptKid === flexpay.kid), 'receipt stored, or another kid');
  });

  // The forged-status replay: the receiver confirms with the FlexPay stand-in, which declined the
  // application, so the forged SUCCESSFUL stores FAILED and FlexPay's own FAILED is a duplicate.
  const FORGED_ANSWERS = ['200 changed → v1', '200 duplicate, no effect'];
  const FORGED_OUTCOME = 'failed';
  await check('FlexPay: "Forged status" re-posts the genuine receipt of a declined application claiming SUCCESSFUL, then FlexPay sends FAILED', async () => {
    await clearLog();
    await fpNewOrder();
    const before = await page.$$eval('#deliveries li', (lis) => lis.length);
    await page.click('button[data-kind="forged"]');
    await page.waitForFunction((n) => document.querySelectorAll('#deliveries li').length >= n + 2, { timeout: 5000 }, before);
    const sent = await page.$$eval('#deliveries li', (lis) => lis.slice(0, 2).reverse().map((li) => JSON.parse(li.querySelector('pre').textContent).sent));
    assert(sent[0].status === 'SUCCESSFUL' && sent[1].status === 'FAILED' && sent[0].id === sent[1].id, JSON.stringify(sent));
    assert(sent.every((body) => body.receipt.includes('claim status "declined"')), 'receipt summaries');
    if (FORGED_ANSWERS) {
      const answers = (await fpDeliveries()).slice(0, 2).reverse();
      assert(JSON.stringify(answers) === JSON.stringify(FORGED_ANSWERS), `answers ${JSON.stringify(answers)}`);
    }
    if (FORGED_OUTCOME) await fpWait('outcome', FORGED_OUTCOME);
    assert((await page.$$eval('button[data-kind="forged"]', (bs) => bs.length)) === 1, 'one Forged button');
  });

  await check('FlexPay: no console errors, CSP or Trusted Types violations on this page', async () => {
    const violations = await page.evaluate(() => window.__violations);
    const mine = problems.slice(problemsBeforeFlexpay);
    assert(violations.length === 0 && mine.length === 0, [...violations, ...mine].join(' | '));
  });
}

// The "no JavaScript" pages (demo/no-js/): nothing but finframe's bundle (and the development-only
// loopback opt-in), the session from POST /finframe/session, the outcome posted with the form.
{
  const started = Date.now();
  const nj = await browser.newPage();
  await nj.setViewport({ width: 1400, height: 900 });
  const njProblems = [];
  nj.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warn') && !m.text().includes(OPT_IN_WARNING)) njProblems.push(`${m.type()}: ${m.text()}`);
  });
  nj.on('pageerror', (e) => njProblems.push(`pageerror: ${e.message}`));
  nj.on('response', (r) => r.status() >= 400 && njProblems.push(`HTTP ${r.status()} ${r.url()}`));
  /** Every session request and its answer, in order: `{ headers, body, status, answer }`. */
  const sessions = [];
  nj.on('response', async (r) => {
    if (new URL(r.url()).pathname !== '/finframe/session') return;
    const request = r.request();
    sessions.push({ method: request.method(), headers: request.headers(), body: JSON.parse(request.postData() ?? 'null'), status: r.status(), cacheControl: r.headers()['cache-control'], answer: await r.json().catch(() => undefined) });
  });
  await nj.evaluateOnNewDocument(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const posted = () => nj.$$eval('#entries tbody tr', (rows) => rows.map((row) => [...row.querySelectorAll('td')].slice(1).map((td) => td.textContent)));
  const parsed = () => nj.$eval('#parsed', (pre) => JSON.parse(pre.textContent));
  /** The page as served: its scripts (src; `inline` for one without) and, in the live DOM, the same. */
  async function open(path) {
    const response = await nj.goto(`${config.demoOrigin}${path}`);
    const html = await response.text();
    const served = [...html.matchAll(/<script\b([^>]*)>/g)].map(([, attrs]) => /\bsrc="([^"]+)"/.exec(attrs)?.[1] ?? 'inline');
    // finAPI's loader appends finAPI's own form script ({server}/finapi-webform2.js): the protocol, not the page.
    const live = await nj.$$eval('script', (scripts, finapi) => scripts.filter((s) => !s.src.startsWith(`${finapi}/`)).map((s) => (s.src ? new URL(s.src).pathname : 'inline')), config.finapiServer);
    return { served, live };
  }
  /** Clicks the form's Continue button and checks that nothing navigated: `required` held the form back. */
  async function blocked(tag) {
    const before = nj.url();
    await nj.click('form button.primary');
    await new Promise((r) => setTimeout(r, 300));
    assert(nj.url() === before, `navigated to ${nj.url()}`);
    const state = await nj.$eval(tag, (el) => ({ valid: el.form.checkValidity(), message: el.validationMessage }));
    assert(!state.valid && state.message.length > 0, `validity ${JSON.stringify(state)}`);
  }
  /** The element's frame at the fake, once it is in the element's shadow DOM. */
  async function fakeFrame(tag, prefix) {
    await nj.waitForFunction((t) => document.querySelector(t)?.shadowRoot?.querySelector('iframe'), { timeout: 5000 }, tag);
    return nj.$eval(tag, (el) => el.shadowRoot.querySelector('iframe').src).then((src) => (assert(src.startsWith(`${config.fakeOrigin}${prefix}`), `frame ${src}`), src));
  }
  const tell = (tag, message) =>
    nj.evaluate((t, m, origin) => document.querySelector(t).shadowRoot.querySelector('iframe').contentWindow.postMessage(m, origin), tag, message, config.fakeOrigin);
  const frameReady = (tag) => nj.waitForFunction((t) => document.querySelector(t)?.status === 'ready', { timeout: 5000 }, tag);
  const postedNow = () => nj.waitForFunction(() => location.pathname === '/no-js/posted', { timeout: 5000 });
  /** The one session request the page made: the element's, as documented; its answer's token or src. */
  function lastSession(element) {
    const session = sessions.at(-1);
    assert(session?.method === 'POST' && session.status === 200, `session ${JSON.stringify(session && { method: session.method, status: session.status })}`);
    assert(session.headers['content-type'] === 'application/json' && session.headers.accept === 'application/json', 'request headers');
    assert(session.body?.element === element && session.body.lang === 'en' && session.body.context?.orderId === 'A-1042', `body ${JSON.stringify(session.body)}`);
    assert(session.cacheControl === 'no-store', `Cache-Control ${session.cacheControl}`);
    return session.answer;
  }
  const onlyBundle = (scripts, optIn = true) => {
    const expected = [...(optIn ? ['/allow-loopback.js'] : []), '/dist/cdn/finframe.js'];
    assert(JSON.stringify(scripts.served) === JSON.stringify(expected), `served scripts ${scripts.served}`);
    assert(JSON.stringify(scripts.live) === JSON.stringify(expected), `scripts in the DOM ${scripts.live}`);
  };
  const tokenHidden = (token) => nj.evaluate((t) => !document.documentElement.outerHTML.includes(t), token).then((hidden) => assert(hidden, 'the token is in the light DOM'));

  await check('no JS, Flinks: only the bundle; the session from /finframe/session; required blocks Continue; finishing the fake submits the form', async () => {
    sessions.length = 0;
    onlyBundle(await open('/no-js/flinks-connect.html'));
    await blocked('flinks-connect');
    const src = await fakeFrame('flinks-connect', '/fake/flinks/');
    const answer = lastSession('flinks-connect');
    assert(sessions.length === 1 && src === answer.src && new URL(src).searchParams.get('authorizeToken'), `frame ${src} vs answer`);
    await tokenHidden(new URL(src).searchParams.get('authorizeToken'));
    await frameReady('flinks-connect');
    await nj.screenshot({ path: join(shots, 'finframe-nojs-flinks.png') });
    await tell('flinks-connect', { fake: 'flinks', command: 'run', name: 'redirect' });
    await postedNow();
    const entries = await posted();
    assert(JSON.stringify(entries.map(([name]) => name)) === JSON.stringify(['bank[outcome]', 'bank[loginId]', 'bank[requestId]', 'bank[institution]', 'bank[accountIds][]', 'bank[accountIds][]']), `names ${entries.map(([n]) => n)}`);
    assert(entries[0][1] === 'connected' && /^••••.{4}$/.test(entries[1][1]), `values ${JSON.stringify(entries.slice(0, 2))}`);
    const body = await parsed();
    assert(JSON.stringify(body.bank.accountIds) === '["a1","a2"]' && body.bank.outcome === 'connected', JSON.stringify(body));
    assert(await nj.$('#masked'), 'no note on the masked loginId');
    assert((await nj.$eval('.demo-nav a', (a) => a.getAttribute('href'))) === '/no-js/flinks-connect.html', 'the link back');
    await nj.screenshot({ path: join(shots, 'finframe-nojs-posted.png') });
  });

  await check('no JS, Flexiti: the session answer\'s src (the fake\'s redirection_url) is framed; "verified" submits the form', async () => {
    sessions.length = 0;
    onlyBundle(await open('/no-js/flexiti-widget.html'));
    const src = await fakeFrame('flexiti-widget', '/fake/flexiti/index.html#/widget/demo-client/fx_');
    const answer = lastSession('flexiti-widget');
    assert(src === `${answer.src}&lang=en`, `frame ${src}`);
    await frameReady('flexiti-widget');
    await blocked('flexiti-widget');
    await tell('flexiti-widget', { fake: 'flexiti', command: 'run', name: 'verified' });
    await postedNow();
    const { credit } = await parsed();
    assert(credit.outcome === 'verified' && credit.verified === 'true' && credit.accountNumber === '2233000' && credit.nextStep, JSON.stringify(credit));
    assert(credit.widgetSessionId === new URLSearchParams(answer.src.split('?')[1]).get('widget_session_id'), 'widgetSessionId');
  });

  await check('no JS, Benji: a plain <button command="--open"> opens it and asks for a connect token; Continue posts the success', async () => {
    sessions.length = 0;
    onlyBundle(await open('/no-js/benji-connect.html'));
    await blocked('benji-connect');
    assert(sessions.length === 0, 'a session before the dialog opened');
    await nj.click('button[commandfor="loyalty"]');
    const src = await fakeFrame('benji-connect', '/fake/benji/index.html?');
    const answer = lastSession('benji-connect');
    assert(new URL(src).searchParams.get('connect_token') === answer.token, 'connect_token from the answer');
    await tokenHidden(answer.token);
    await frameReady('benji-connect');
    await tell('benji-connect', { fake: 'benji', command: 'run', name: 'connect' });
    await nj.waitForFunction(() => document.querySelector('benji-connect').outcome === 'success', { timeout: 5000 });
    await tell('benji-connect', { fake: 'benji', command: 'run', name: 'exit:ACTION_BUTTON_CLICKED' });
    await nj.waitForFunction(() => !document.querySelector('benji-connect').shadowRoot.querySelector('dialog[open]'), { timeout: 5000 });
    await nj.click('form button.primary');
    await postedNow();
    const { loyalty } = await parsed();
    assert(loyalty.outcome === 'success' && loyalty.action === 'connect' && loyalty.userId === 'u_1042', JSON.stringify(loyalty));
    assert(/^••••.{4}$/.test(loyalty.token) && /^••••.{4}$/.test(loyalty.refreshToken), 'tokens masked');
  });

  await check('no JS, finAPI: the session token loads the fake web form (target-url rendered by the server); "completed" submits the form', async () => {
    sessions.length = 0;
    onlyBundle(await open('/no-js/finapi-web-form.html'));
    await nj.waitForFunction(() => window.fakeFinapiWebForm?.current, { timeout: 5000 });
    const answer = lastSession('finapi-web-form');
    assert(JSON.stringify(await nj.evaluate(() => window.fakeFinapiWebForm.tokens)) === JSON.stringify([answer.token]), 'the fake got the minted token');
    assert((await nj.$eval('finapi-web-form', (el) => el.getAttribute('target-url'))) === config.finapiServer, 'target-url');
    await blocked('finapi-web-form');
    await nj.evaluate(() => window.fakeFinapiWebForm.complete());
    await postedNow();
    assert(JSON.stringify(await posted()) === JSON.stringify([['bankimport[outcome]', 'completed']]), JSON.stringify(await posted()));
  });

  await check('no JS, FlexPay: the server renders the order\'s reference; required blocks Continue until a plain-form SUCCESSFUL; Continue posts it', async () => {
    onlyBundle(await open('/no-js/flexpay-status.html'), false);
    await Promise.all([nj.waitForNavigation(), nj.click('form[action="/flexpay/demo/no-js/order"] button')]);
    const reference = new URL(nj.url()).searchParams.get('reference');
    assert(/^FF-/.test(reference) && (await nj.$eval('flexpay-status', (el) => el.getAttribute('reference'))) === reference, `reference ${reference}`);
    await nj.waitForFunction(() => document.querySelector('flexpay-status')?.status === 'ready', { timeout: 5000 });
    await blocked('flexpay-status');
    await Promise.all([nj.waitForNavigation(), nj.click('button[name="kind"][value="SUCCESSFUL"]')]);
    assert((await nj.$eval('.sent', (p) => p.textContent)).includes('200 changed'), 'the receiver\'s answer');
    await nj.waitForFunction(() => document.querySelector('flexpay-status')?.outcome === 'successful', { timeout: 5000 });
    await nj.click('form button.primary');
    await postedNow();
    assert(JSON.stringify(await posted()) === JSON.stringify([['payment[outcome]', 'successful'], ['payment[status]', 'SUCCESSFUL']]), JSON.stringify(await posted()));
  });

  await check('no JS: no console errors, CSP violations or failed requests on these pages', async () => {
    const violations = await nj.evaluate(() => window.__violations);
    assert(violations.length === 0 && njProblems.length === 0, [...violations, ...njProblems].join(' | '));
  });
  await nj.close();
  console.log(`  (no-JS pages: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

await check('the demo\'s loopback opt-in is development-only and visible: finframe warned about it on the pages with a fake', async () => {
  assert(optInWarnings.length > 0, 'no opt-in warning');
  assert(optInWarnings.every((w) => w.includes('Development and tests only')), optInWarnings.join(' | '));
});

await check('without the opt-in, the production bundle refuses the loopback fake: INVALID_CONFIG naming src, no frame', async () => {
  // The Flexiti page as a shop would have it: demo/allow-loopback.js answered with an empty module.
  const bare = await browser.newPage();
  const lines = [];
  try {
    bare.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
    await bare.setRequestInterception(true);
    bare.on('request', (request) => {
      if (new URL(request.url()).pathname === '/allow-loopback.js') {
        request.respond({ status: 200, contentType: 'text/javascript', body: '// no opt-in' });
      } else request.continue();
    });
    await bare.goto(`${config.demoOrigin}/flexiti-widget.html`);
    await bare.waitForFunction(() => document.querySelector('flexiti-widget')?.status === 'error', { timeout: 5000 });
    const state = await bare.$eval('flexiti-widget', (el) => ({
      frame: Boolean(el.shadowRoot.querySelector('iframe')),
      outcome: el.outcome ?? null,
      log: [...document.querySelectorAll('#log .headline')].map((h) => h.textContent).join(' | '),
    }));
    assert(!state.frame, 'a frame was created');
    assert(state.outcome === 'error', `outcome ${state.outcome}`);
    assert(state.log.includes('INVALID_CONFIG'), `log: ${state.log}`);
    const error = lines.find((l) => l.startsWith('error: [finframe] <flexiti-widget>'));
    assert(error?.includes('"src"') && error.includes('allowLoopback()'), `console: ${lines.join(' | ')}`);
    assert(!lines.some((l) => l.includes(OPT_IN_WARNING)), 'opt-in warning without the opt-in');
  } finally {
    await bare.close();
  }
});

await check('no console errors, CSP or Trusted Types violations on any page', async () => {
  assert(problems.length === 0, problems.join(' | '));
});

await browser.close();
await server.close();
await backend.close();
await rm(profile, { recursive: true, force: true });
await rm(dataDir, { recursive: true, force: true });
console.log(`screenshots in ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
