import { expect } from '@open-wc/testing';
import { waitFor } from '../helpers/frames.js';

/**
 * The Shopify theme app extension as a storefront serves it: the blocks rendered with liquidjs
 * (scripts/wtr-shopify.mjs), the app embed loading the built asset, in a same-origin frame that
 * stands for the shopper's tab. Requests go through a fake app proxy that strips cookies and signs
 * what it adds, to a fake app that checks every one with verifyShopifyAppProxy; the providers are
 * the fakes on a second origin. Needs `npm run build` (the extension's assets/ and dist/server).
 */

interface Logged {
  route: string;
  verified: { shop: string; loggedInCustomerId: string | null } | null;
  reason: string | null;
  cookie: string | null;
  body: any;
  entries: [string, string][] | null;
}
interface FormElement extends HTMLElement {
  readonly status: string;
  readonly outcome: string | undefined;
}
type Storefront = { frame: HTMLIFrameElement; win: Window & typeof globalThis & { __finframeLiveListeners(type: string): number }; doc: Document };

/**
 * A message the fake provider frame posts to the storefront, verbatim. The fakes take commands only
 * from their parent, so the command is posted by a function of the storefront's own realm.
 */
function sendFromFrame(el: Element, fake: string, message: unknown): void {
  const frame = el.shadowRoot!.querySelector('iframe')!;
  const win = el.ownerDocument.defaultView as Window & typeof globalThis;
  const post = new win.Function('target', 'data', 'origin', 'target.postMessage(data, origin)');
  post(frame.contentWindow, { fake, command: 'send', message }, new URL(frame.src).origin);
}

const LOGIN = '0c2d4e6f-8a1b-4c3d-9e5f-7a9b1c3d5e7f';
let customer = '';
beforeEach(() => {
  // A signed-in shopper: Shopify knows them by its own cookies, and tells the app their id (signed).
  customer = String(Math.floor(Math.random() * 1e12) + 1);
  document.cookie = `storefront_customer=${customer}; path=/`;
});
const log = async (): Promise<Logged[]> => (await fetch(`/__shopify/log?customer=${customer}`)).json();

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const opened: HTMLIFrameElement[] = [];
afterEach(() => opened.splice(0).forEach((frame) => frame.remove()));

type BlockSpec = { handle: string; id: string; settings?: Record<string, unknown> };
const query = (blocks: BlockSpec[], extra: Record<string, string> = {}) => new URLSearchParams({ blocks: JSON.stringify(blocks), ...extra });

/** Opens the storefront page with `blocks`; resolves once its tags are defined there. */
async function storefront(blocks: BlockSpec[], extra: Record<string, string> = {}): Promise<Storefront> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 900px; height: 1400px';
  frame.src = `/__shopify/page?${query(blocks, extra)}`;
  opened.push(frame);
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  const win = frame.contentWindow as Storefront['win'];
  for (const { handle } of blocks) await win.customElements.whenDefined(handle);
  return { frame, win, doc: frame.contentDocument! };
}

describe('Shopify: the app embed and a Flinks app block on a storefront page', () => {
  it('asks the app through the proxy (signed, cookies stripped), frames Flinks, and posts the outcome to the app, signed again; the token never reaches the page', async () => {
    const { doc } = await storefront([{ handle: 'flinks-connect', id: 'flinks1' }]);
    const el = doc.querySelector('flinks-connect') as FormElement;
    if (el.status !== 'ready') await waitFor(el, 'provider-ready');

    const [session] = await log();
    expect(session.route).to.equal('/flinks/session');
    expect(session.verified).to.deep.equal({ shop: 'finframe-test.myshopify.com', loggedInCustomerId: customer });
    expect(session.cookie, 'the proxy forwards no cookie').to.equal(null);
    expect(session.body).to.deep.equal({ element: 'flinks-connect', lang: 'en', context: {} });
    const src = el.shadowRoot!.querySelector('iframe')!.src;
    const token = new URL(src).searchParams.get('authorizeToken')!;
    expect(token).to.match(/^tok-/);
    expect(doc.documentElement.outerHTML).not.to.include(token);

    // The block's defaults: required, submit-on="connected": the shopper connects, the form posts itself.
    sendFromFrame(el, 'flinks', { step: 'REDIRECT', loginId: LOGIN, requestId: 'req-1', institution: 'FlinksCapital', accountId: ['acc-1'] });
    await until(async () => (await log()).length === 2, 'the form post');
    const [, posted] = await log();
    expect(posted.route).to.equal('/flinks/result');
    expect(posted.verified).to.deep.equal({ shop: 'finframe-test.myshopify.com', loggedInCustomerId: customer });
    expect(posted.body).to.deep.equal({ bank: { outcome: 'connected', loginId: LOGIN, requestId: 'req-1', institution: 'FlinksCapital', accountIds: ['acc-1'] } });
  });

  it('the app refuses a request that did not come through the proxy, and does nothing with it', async () => {
    const forged = new URLSearchParams({ shop: 'finframe-test.myshopify.com', logged_in_customer_id: customer, path_prefix: '/apps/finframe', timestamp: String(Math.floor(Date.now() / 1000)), signature: 'ab'.repeat(32) });
    const response = await fetch(`/__shopify/app/flinks/result?${forged}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `bank[outcome]=connected&bank[loginId]=${LOGIN}` });
    expect(response.status).to.equal(401);
    const unsigned = await fetch(`/__shopify/app/flinks/session?shop=finframe-test.myshopify.com&logged_in_customer_id=${customer}`, { method: 'POST', body: '{}' });
    expect(unsigned.status).to.equal(401);
    const entries = await log();
    expect(entries.map((e) => [e.reason, e.verified, e.body])).to.deep.equal([
      ['bad-signature', null, null],
      ['missing-signature', null, null],
    ]);
  });
});

describe('Shopify: the theme editor', () => {
  it('the same block twice, then the section replaced as the editor does it: new elements work, the old ones let go of their listeners, ids stay unique', async () => {
    const blocks = [
      { handle: 'flinks-connect', id: 'one', settings: { submit_on: '' } },
      { handle: 'flinks-connect', id: 'two' },
    ];
    const { win, doc } = await storefront(blocks, { design: '1' });
    const first = [...doc.querySelectorAll('flinks-connect')] as FormElement[];
    expect(first).to.have.length(2);
    await Promise.all(first.map((el) => (el.status === 'ready' ? undefined : waitFor(el, 'provider-ready'))));
    expect(win.__finframeLiveListeners('message')).to.equal(2);
    expect((await log()).length).to.equal(2);

    // The editor fetches the section again (here with French and an outcome text), swaps it in
    // without running its scripts, then announces it.
    const html = await (await fetch(`/__shopify/section?${query([blocks[0]!, { ...blocks[1]!, settings: { text_connected: 'Compte relié.' } }], { design: '1', locale: 'fr' })}`)).text();
    const template = doc.createElement('template');
    template.innerHTML = html;
    const old = doc.getElementById('shopify-section-main')!;
    const section = template.content.firstElementChild!;
    old.replaceWith(template.content);
    section.dispatchEvent(new CustomEvent('shopify:section:load', { bubbles: true, detail: { sectionId: 'main' } }));

    const second = [...doc.querySelectorAll('flinks-connect')] as FormElement[];
    expect(second).to.have.length(2);
    expect(second.some((el) => first.includes(el))).to.equal(false);
    await Promise.all(second.map((el) => (el.status === 'ready' ? undefined : waitFor(el, 'provider-ready'))));
    expect(first.every((el) => !el.isConnected)).to.equal(true);
    expect(win.__finframeLiveListeners('message'), 'the removed elements released theirs').to.equal(2);
    expect(win.__finframeLiveListeners('pageshow')).to.equal(2);
    const ids = [...doc.querySelectorAll('[id]')].map((el) => el.id);
    expect(new Set(ids).size).to.equal(ids.length);

    const sessions = (await log()).filter((e) => e.route === '/flinks/session');
    expect(sessions).to.have.length(4);
    expect(sessions.slice(2).map((s) => s.body.lang)).to.deep.equal(['fr', 'fr']);

    // The second block of the new section completes: its own form posts, once, signed.
    const el = second[1]!;
    sendFromFrame(el, 'flinks', { step: 'REDIRECT', loginId: LOGIN });
    await until(async () => (await log()).some((e) => e.route === '/flinks/result'), 'the form post');
    const posts = (await log()).filter((e) => e.route === '/flinks/result');
    expect(posts).to.have.length(1);
    expect(posts[0]!.verified?.loggedInCustomerId).to.equal(customer);
    expect(posts[0]!.body.bank.outcome).to.equal('connected');
  });
});

describe('Shopify: a Benji block (modal) opened by its button', () => {
  const invokers = 'command' in HTMLButtonElement.prototype && typeof (globalThis as { CommandEvent?: unknown }).CommandEvent === 'function';

  it(`asks for its session only when opened, in the storefront's language${invokers ? '' : ' (this engine LACKS Invoker Commands: the command event is dispatched by hand)'}`, async () => {
    const { doc, win } = await storefront([{ handle: 'benji-connect', id: 'rw' }], { locale: 'fr' });
    const el = doc.querySelector('benji-connect') as FormElement;
    await new Promise((r) => setTimeout(r, 400));
    expect(await log()).to.deep.equal([]);
    const button = doc.querySelector('button[commandfor="finframe-rw"]') as HTMLButtonElement;
    expect(button.textContent!.trim()).to.equal('Lier vos récompenses');
    const ready = waitFor(el, 'provider-ready');
    if (invokers) button.click();
    else {
      const event = new win.Event('command', { cancelable: true }) as Event & { command: string; source: Element };
      Object.assign(event, { command: '--open', source: button });
      el.dispatchEvent(event);
    }
    await ready;
    const [session] = await log();
    expect(session.route).to.equal('/benji/session');
    expect(session.body.lang).to.equal('fr');
    expect(session.verified?.loggedInCustomerId).to.equal(customer);
  });
});
