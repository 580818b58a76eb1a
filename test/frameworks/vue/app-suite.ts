import { expect } from '@open-wc/testing';
import { PROVIDER_ORIGIN, frameOf, record, sendFromFrame, settle, waitFor } from '../../helpers/frames.js';

/**
 * The browser tests of a real framework app (Vue 3 here, Svelte 5 in test/frameworks/svelte/) that
 * renders the component docs/frameworks.md shows, bundled by scripts/wtr-frameworks-vs.mjs. The
 * app module exports `mount` and `hydrate` with this shape. The first test renders before
 * finframe is defined: it must run first in its page, and the others define the elements.
 */
export interface Props {
  src?: string;
  token?: string;
  onOutcome?: (detail: unknown) => void;
}
export interface Mounted {
  update(props: Partial<Props>): Promise<void>;
  unmount(): void;
}
export interface App {
  mount(target: Element, props: Props): Mounted;
  /** Absent where this suite does not test the app's server rendering (Angular's is tested in test/frameworks/angular/angular-ssr.test.ts). */
  hydrate?(target: Element, props: Props): Mounted;
}

interface Flinks extends HTMLElement {
  src: string | undefined;
  authorizeToken: string | undefined;
  updateComplete: Promise<void>;
}

const FAKE = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?demo=true`;
const LOGIN = 'b92b2bbd-31f8-4e36-795b-08db4111f24d';
let made = 0;
const fake = () => `${FAKE}&app=${++made}`;
const token = () => `tok-${crypto.randomUUID()}`;

/** A handler that counts its calls. */
function handler() {
  const calls: any[] = [];
  const fn = (detail: unknown) => void calls.push(detail);
  return Object.assign(fn, { calls });
}

async function until(check: () => boolean, what: string, ms = 8000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends Flinks' REDIRECT from the fake frame, waits for the handler, and then for every message sent before a fence: exactly one call. */
async function connect(el: Flinks, h: ReturnType<typeof handler>) {
  const seen = record(el);
  const before = h.calls.length;
  sendFromFrame(el, 'flinks', { step: 'REDIRECT', loginId: LOGIN });
  await until(() => h.calls.length > before, 'the framework handler');
  await settle(el, 'flinks', seen);
  expect(h.calls.length - before, 'handler calls for one provider message').to.equal(1);
  expect(h.calls.at(-1)).to.include({ provider: 'flinks', outcome: 'connected' });
}

/** The token is a property only: in no attribute of the element, nowhere in the app's markup. */
function tokenOutOfDom(root: Element, el: Flinks, secret: string) {
  for (const name of el.getAttributeNames()) expect(el.getAttribute(name), `attribute ${name}`).not.to.include(secret);
  expect(root.innerHTML).not.to.include(secret);
}

export function runAppSuite(framework: string, load: () => Promise<App>, ssrPath?: string) {
  describe(`a real ${framework} app with <flinks-connect>`, () => {
    let root: HTMLElement;
    let app: App;
    const live: Mounted[] = [];
    before(async () => {
      app = await load();
    });
    beforeEach(() => {
      root = document.createElement('div');
      document.body.append(root);
    });
    afterEach(() => {
      for (const m of live.splice(0)) m.unmount();
      root.remove();
    });
    const el = () => root.querySelector('flinks-connect') as Flinks;
    const defined = () => import('../../../src/define.js');

    it('renders before finframe is defined; a lazy define.js import then applies its properties, and later changes still work', async () => {
      expect(customElements.get('flinks-connect'), 'this test runs first, before the definition').to.equal(undefined);
      const src = fake();
      const secret = token();
      const h = handler();
      const m = app.mount(root, { src, token: secret, onOutcome: h });
      live.push(m);
      await defined();
      await waitFor(el(), 'provider-ready');
      expect(frameOf(el()).src).to.equal(src);
      expect(el().authorizeToken).to.equal(secret);
      tokenOutOfDom(root, el(), secret);
      // No own property shadows an accessor: a new value still reaches the element.
      const next = fake();
      const again = waitFor(el(), 'provider-ready');
      await m.update({ src: next, token: token() });
      await again;
      expect(frameOf(el()).src).to.equal(next);
      await connect(el(), h);
    });

    it('sets the properties: src loads the frame, the token is a property and in no attribute', async () => {
      await defined();
      const src = fake();
      const secret = token();
      const m = app.mount(root, { src, token: secret });
      live.push(m);
      expect(el().src).to.equal(src);
      expect(el().authorizeToken).to.equal(secret);
      tokenOutOfDom(root, el(), secret);
      await waitFor(el(), 'provider-ready');
      expect(frameOf(el()).src).to.equal(src);
    });

    it('a provider message reaches the handler exactly once; a re-render with a new src reloads the frame and only the new handler hears', async () => {
      await defined();
      const first = handler();
      const m = app.mount(root, { src: fake(), onOutcome: first });
      live.push(m);
      const element = el();
      await waitFor(element, 'provider-ready');
      await connect(element, first);

      const second = handler();
      const src = fake();
      const ready = waitFor(element, 'provider-ready');
      await m.update({ src, onOutcome: second });
      await ready;
      expect(el(), 'the same element, re-rendered').to.equal(element);
      expect(frameOf(element).src).to.equal(src);
      await connect(element, second);
      expect(first.calls.length, 'the old handler').to.equal(1);
    });

    it('unmounts cleanly: no element, no frame, no more handler calls', async () => {
      await defined();
      const h = handler();
      const m = app.mount(root, { src: fake(), onOutcome: h });
      const element = el();
      await waitFor(element, 'provider-ready');
      const frame = frameOf(element);
      m.unmount();
      expect(root.querySelector('flinks-connect')).to.equal(null);
      expect(element.isConnected).to.equal(false);
      expect(frame.isConnected, 'the frame left the document').to.equal(false);
      // Out of the document, the frame has no browsing context left: the provider's page is gone.
      expect(frame.contentWindow === null, 'the provider page unloaded').to.equal(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(h.calls).to.deep.equal([]);
    });

    if (ssrPath) it('hydrates server-rendered HTML without a warning, and the first outcome reaches the handler', async () => {
      await defined();
      const src = fake();
      const { html } = (await (await fetch(`${ssrPath}?${new URLSearchParams({ src })}`)).json()) as { html: string };
      expect(html).to.include('<flinks-connect');
      const warnings: unknown[][] = [];
      const { warn, error } = console;
      console.warn = (...args: unknown[]) => void warnings.push(args);
      console.error = (...args: unknown[]) => void warnings.push(args);
      try {
        root.innerHTML = html;
        const element = el();
        const h = handler();
        const secret = token();
        const m = app.hydrate!(root, { src, token: secret, onOutcome: h });
        live.push(m);
        expect(el(), 'hydration kept the server-rendered element').to.equal(element);
        await waitFor(element, 'provider-ready');
        expect(frameOf(element).src).to.equal(src);
        expect(element.authorizeToken).to.equal(secret);
        tokenOutOfDom(root, element, secret);
        await connect(element, h);
      } finally {
        console.warn = warn;
        console.error = error;
      }
      expect(warnings.map((args) => args.map(String).join(' '))).to.deep.equal([]);
    });
  });
}
