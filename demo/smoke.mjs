// Smoke test of the demo in headless Chromium: `npm run build && node demo/smoke.mjs [screenshot-dir]`.
// Starts its own demo server on free ports, clicks through the fake Flinks frame (a real second
// origin), and checks what the page's event log shows; then the same for the <flexiti-widget> and
// <benji-connect> pages (each skipped, with a "skip" line, while the build has no such element).
// Browser: CHROME_PATH, else /usr/bin/chromium.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { puppeteerCore as puppeteer } from '@web/test-runner-chrome';
import { chromiumArgs, findChromium } from '../scripts/browsers.mjs';
import { createDemoServer } from './server.mjs';

const shots = process.argv[2] ?? tmpdir();
await mkdir(shots, { recursive: true });
const server = createDemoServer({ port: 0, fakePort: 0, log: (line) => console.error(line) });
const config = await server.listen();
const profile = await mkdtemp(join(tmpdir(), 'finframe-smoke-'));
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
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));

const headlines = () => page.$$eval('#log .headline', (hs) => hs.map((h) => h.textContent));
const waitLog = (text, timeout = 5000) =>
  page.waitForFunction((t) => [...document.querySelectorAll('#log .headline')].some((h) => h.textContent.includes(t)), { timeout }, text);
const clearLog = () => page.click('#clear-log');
const attr = (name) => page.$eval('flinks-connect', (el, n) => el.getAttribute(n), name);
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
  assert((await page.$eval('#status', (o) => o.textContent)) === 'ready', 'status display');
  await flinksFrame();
  await page.screenshot({ path: join(shots, 'finframe-demo-ready.png') });
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
  await page.waitForFunction(() => document.querySelector('flinks-connect').getAttribute('outcome') === 'connected');
  const visible = await page.$eval('flinks-connect > p[slot=connected]', (p) => p.checkVisibility());
  assert(visible, 'slotted <p> not visible');
  await setControl('slot-override', false);
});

await check('French: the element and the fake frame switch to fr', async () => {
  await setControl('lang', 'fr');
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

const fxAttr = (name) => page.$eval('flexiti-widget', (el, n) => el.getAttribute(n), name);
/** The fake Flexiti frame of the element's current session, once its verify screen is up. */
const flexitiFrame = async () => {
  await page.waitForFunction(() => document.querySelector('flexiti-widget')?.shadowRoot?.querySelector('iframe'));
  const src = await page.$eval('flexiti-widget', (el) => el.shadowRoot.querySelector('iframe').src);
  for (let i = 0; i < 50; i++) {
    const frame = page.frames().find((f) => f.url() === src && !f.detached);
    if (frame) {
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
    const frame = await flexitiFrame();
    await frame.click('#cancel');
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
const bjAttr = (key, name) => page.$eval(`#benji-${key}`, (el, n) => el.getAttribute(n), name);
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
    assert((await page.$eval('#outcome-a', (o) => o.textContent)) === 'success', 'outcome display');
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

  await check('Benji: the second instance is independent (its own frame and outcome)', async () => {
    await clearLog();
    await page.click('#open-b');
    const frame = await benjiFrame('b');
    await frame.click('button[data-run="error:partner_connect_error"]');
    await waitLog('provider-error  partner_connect_error');
    await page.waitForFunction(() => document.getElementById('benji-b').getAttribute('outcome') === 'error');
    assert((await bjAttr('a', 'outcome')) === 'exit', `A's outcome ${await bjAttr('a', 'outcome')}`);
    assert(await page.$eval('#log .entry.fatal', (e) => e.dataset.instance === 'b'), 'error logged for B');
  });
}

await check('no console errors, CSP or Trusted Types violations on the page', async () => {
  assert(problems.length === 0, problems.join(' | '));
});

await browser.close();
await server.close();
await rm(profile, { recursive: true, force: true });
console.log(`screenshots in ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
