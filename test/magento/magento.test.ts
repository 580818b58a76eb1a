import { expect } from '@open-wc/testing';
import { PROVIDER_ORIGIN, frameOf } from '../helpers/frames.js';
import { scriptedSession } from '../helpers/session.js';

/**
 * The Magento module's output in a real browser: each page is what the module's own blocks and
 * templates render (php over small Magento stubs: scripts/wtr-magento.mjs), in a frame on this
 * origin, with the module script served as a deployed store serves it (the production build). The
 * page has no script of its own. The merchant's session endpoint is scripts/wtr-session.mjs, the
 * form's target scripts/wtr-forms.mjs, the providers the fakes on a second origin.
 */

const LOGIN = '7c1e0b2a-9d4b-4f7e-8a2c-1b3d5e7f9a0c';
const FLINKS_FAKE = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?demo=true`;
const FLEXITI_FAKE = `${PROVIDER_ORIGIN}/demo/fake/flexiti/index.html#/widget/client-1/token-1?x-reference-id=ref-1&widget_session_id=s-1`;
const CONFIG = { 'finframe/general/load_on_every_page': '1', 'finframe/flinks/instance': 'toolbox', 'finframe/benji/environment': 'sandbox' };

interface Posted {
  entries: [string, string][];
  parsed: Record<string, unknown>;
}
interface Element14 extends HTMLElement {
  readonly status: string;
  readonly validity: ValidityState;
}

let made = 0;
const unique = () => `magento-${Date.now().toString(36)}-${++made}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(check: () => T | Promise<T>, what: string, ms = 10_000): Promise<NonNullable<T>> {
  const end = performance.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const endpoint = (answer: unknown) => scriptedSession<{ body: string }>({ json: answer });
const received = async (id: string): Promise<Posted[]> => (await fetch(`/__forms/received?id=${id}`)).json();

/**
 * A message the fake provider frame posts to its page, verbatim. The fake takes commands only from
 * its parent (the Magento page, not this test page), so the command is posted by a function of
 * the page's own realm: its `source` is then the page's window.
 */
function sendFromFrame(win: Window, el: Element, fake: string, message: unknown): void {
  const frame = frameOf(el);
  const post = new (win as unknown as { Function: FunctionConstructor }).Function('target', 'data', 'origin', 'target.postMessage(data, origin)');
  post(frame.contentWindow, { fake, command: 'send', message }, new URL(frame.src).origin);
}

const frames: HTMLIFrameElement[] = [];
afterEach(() => {
  for (const frame of frames.splice(0)) frame.remove();
  delete (window as { __pwned?: unknown }).__pwned;
});

/** Loads the page the module renders for `blocks` into a same-origin frame. */
async function magentoPage(blocks: unknown[], extra: Record<string, unknown> = {}) {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 800px; height: 800px';
  const spec = { config: CONFIG, formKey: `fk-${unique()}`, blocks, ...extra };
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = `/__magento/page?spec=${encodeURIComponent(JSON.stringify(spec))}`;
  document.body.append(frame);
  frames.push(frame);
  await loaded;
  const failed = frame.contentDocument!.getElementById('render-error');
  if (failed) throw new Error(`the module's templates did not render: ${failed.textContent}`);
  return { frame, doc: frame.contentDocument!, win: frame.contentWindow! as Window & typeof globalThis, formKey: spec.formKey };
}

describe('the Magento module: a <flinks-connect> widget as the store renders it', () => {
  it('the module script registers it, it asks the session URL, blocks the form until connected, then posts form_key and the outcome', async () => {
    const token = `tok-${crypto.randomUUID()}`;
    const session = await endpoint({ src: `${FLINKS_FAKE}&authorizeToken=${token}` });
    const id = unique();
    const { doc, win, formKey } = await magentoPage([
      { class: 'Loader' },
      { class: 'Widget\\FlinksConnect', data: { session_url: session.url, form_action: `/__forms/echo?id=${id}`, required: '1' } },
    ]);
    // The loader block and the widget both name the module script: the browser runs it once.
    // (Inside the page's <main>: the test server adds its own web socket script after it.)
    const scripts = [...doc.querySelectorAll('main script[type="module"]')] as HTMLScriptElement[];
    expect(scripts.map((s) => new URL(s.src).pathname)).to.deep.equal([
      '/__magento/static/Finframe_Elements/js/loader.js',
      '/__magento/static/Finframe_Elements/js/loader.js',
    ]);
    const el = doc.querySelector('flinks-connect') as Element14;
    await until(() => win.customElements.get('flinks-connect'), 'the module script to register the tag');
    await until(() => el.status === 'ready', 'the frame to be ready');

    const seen = await session.seen();
    expect(seen).to.have.length(1);
    expect(JSON.parse(seen[0].body)).to.deep.equal({ element: 'flinks-connect', lang: 'en', context: {} });
    expect(el.shadowRoot!.querySelector('iframe')!.src).to.include(`authorizeToken=${token}`);
    expect(doc.documentElement.outerHTML).not.to.include(token);

    // Continue before the outcome: nothing is posted.
    (doc.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await sleep(400);
    expect(el.validity.valueMissing).to.equal(true);
    expect(await received(id)).to.deep.equal([]);

    // Connected: the element submits its form (submit-on defaults to connected).
    sendFromFrame(win, el, 'flinks', { step: 'REDIRECT', loginId: LOGIN, requestId: 'req-14', institution: 'FlinksCapital', accountId: ['acc-1'] });
    const [posted] = await until(async () => {
      const list = await received(id);
      return list.length ? list : undefined;
    }, 'the form post');
    expect(posted.entries).to.deep.equal([
      ['form_key', formKey],
      ['bank[outcome]', 'connected'],
      ['bank[loginId]', LOGIN],
      ['bank[requestId]', 'req-14'],
      ['bank[institution]', 'FlinksCapital'],
      ['bank[accountIds][]', 'acc-1'],
    ]);
  });
});

describe('the Magento module: what an admin enters stays data', () => {
  it('hostile widget values are text on the page: no tag appears, nothing runs, the element gets the literal values', async () => {
    const hostile = `x"><img src=x onerror="parent.__pwned=1"><script>parent.__pwned=2</script>`;
    const session = await endpoint({ src: FLINKS_FAKE });
    const { doc, win } = await magentoPage([
      { class: 'Widget\\FlinksConnect', data: { session_url: session.url, field_name: hostile, submit_on: hostile, button_label: hostile, open_label: hostile, modal: '1' } },
    ]);
    const el = doc.querySelector('flinks-connect') as Element14;
    await until(() => win.customElements.get('flinks-connect'), 'the tag');
    await sleep(300);
    expect((window as { __pwned?: unknown }).__pwned).to.equal(undefined);
    expect(doc.querySelectorAll('img').length).to.equal(0);
    // (The page's own <main>: the test server adds its web socket script after it.)
    expect(doc.querySelectorAll('main script').length, 'the module script only').to.equal(1);
    expect(el.getAttribute('name')).to.equal(hostile);
    expect(el.getAttribute('submit-on')).to.equal(hostile);
    expect(doc.querySelector('button[type="submit"]')!.textContent).to.equal(hostile);
    // The open button of a modal widget points at its own element.
    const open = doc.querySelector('button[command="--open"]')!;
    expect(open.textContent).to.equal(hostile);
    expect(doc.getElementById(open.getAttribute('commandfor')!)).to.equal(el);
  });

  it('a widget loads the module script itself when the store does not load it on every page', async () => {
    const session = await endpoint({ src: FLEXITI_FAKE });
    const { doc, win } = await magentoPage(
      [{ class: 'Loader' }, { class: 'Widget\\FlexitiWidget', data: { session_url: session.url } }],
      { config: { ...CONFIG, 'finframe/general/load_on_every_page': '0' } },
    );
    expect(doc.querySelectorAll('main script[type="module"]').length, 'the widget\'s own').to.equal(1);
    const el = doc.querySelector('flexiti-widget') as Element14;
    await until(() => win.customElements.get('flexiti-widget'), 'the tag');
    await until(() => el.status === 'ready', 'the Flexiti frame');
    expect(await session.seen()).to.have.length(1);
    expect(el.closest('form')!.querySelector('input[name="form_key"]')).to.not.equal(null);
  });
});
