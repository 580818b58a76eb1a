// Real React apps (scripts/wtr-react.mjs bundles them with esbuild, as a user's bundler would):
// `finframe/react` in React 19 and React 18, and plain JSX in React 19 (its own custom-element
// support) and React 18 (which has none: the wrong usage, shown failing). Each app renders one
// <flinks-connect> against the fake Flinks frame on a second origin.
import { expect } from '@open-wc/testing';
import type { Harness, Mounted } from './harness.js';
import { PROVIDER_ORIGIN, type Recorded, frameOf, record, settle, waitFor } from '../../helpers/frames.js';

const FAKE = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html`;
let sessions = 0;
const newSrc = () => `${FAKE}?${new URLSearchParams({ demo: 'true', n: String(++sessions) })}`;
const TOKEN = 'tok-react-never-in-the-dom';
const REDIRECT = {
  step: 'REDIRECT',
  loginId: 'b92b2bbd-31f8-4e36-795b-08db4111f24d',
  requestId: 'de4d15c4-5738-4004-81b2-fb28c5e4c1a0',
  institution: 'FlinksCapital',
};

type Spy = ((event: Event) => void) & { calls: CustomEvent[] };
function spy(): Spy {
  const calls: CustomEvent[] = [];
  return Object.assign((event: Event) => void calls.push(event as CustomEvent), { calls });
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Counts the frame loads inside the element (`load` does not bubble: a capture listener on the shadow root). */
function countLoads(el: Element): { n: number } {
  const count = { n: 0 };
  el.shadowRoot!.addEventListener('load', () => count.n++, true);
  return count;
}

const outcomes = (seen: Recorded[]) => seen.filter((e) => e.type === 'provider-outcome').length;

const load = async (app: string): Promise<Harness> => (await import(/* @vite-ignore */ `/__react/${app}.js`)).default;

interface Expect {
  app: string;
  version: RegExp;
  /** How the server-rendered markup hydrates: the first outcome heard, or lost (react#35446). */
  hydration: 'hears' | 'loses-listeners';
}

function reactSuite({ app, version, hydration }: Expect) {
  describe(app, () => {
    let harness: Harness;
    let container: HTMLElement;
    let mounted: Mounted | undefined;
    before(async () => {
      harness = await load(app);
    });
    beforeEach(() => {
      container = document.createElement('div');
      document.body.append(container);
    });
    afterEach(() => {
      mounted?.unmount();
      mounted = undefined;
      container.remove();
    });
    const element = () => container.querySelector('flinks-connect') as HTMLElement & { src?: string; authorizeToken?: string };

    it(`runs React ${version.source}`, () => {
      expect(harness.version).to.match(version);
    });

    it('sets src and the token as properties; the token never reaches the DOM', async () => {
      const src = newSrc();
      mounted = harness.mount(container, { src, token: TOKEN });
      const el = element();
      expect(el.src).to.equal(src);
      expect(el.authorizeToken).to.equal(TOKEN);
      expect(container.innerHTML).not.to.include(TOKEN);
      expect([...el.attributes].map((a) => a.name)).not.to.include('authorizetoken');
    });

    it('a provider message reaches the handler exactly once', async () => {
      const onReady = spy();
      const onOutcome = spy();
      mounted = harness.mount(container, { src: newSrc(), onReady, onOutcome });
      const el = element();
      const seen = record(el);
      await waitFor(el, 'provider-ready');
      await settle(el, 'flinks', seen, [REDIRECT]);
      expect(outcomes(seen)).to.equal(1);
      expect(onReady.calls).to.have.length(1);
      expect(onOutcome.calls).to.have.length(1);
      expect(onOutcome.calls[0].detail).to.include({ provider: 'flinks', outcome: 'connected' });
    });

    it('a re-render with the same props keeps the frame; a new src reloads it and only the new handler hears', async () => {
      const first = { src: newSrc(), onReady: spy(), onOutcome: spy() };
      mounted = harness.mount(container, first);
      const el = element();
      const loads = countLoads(el);
      await waitFor(el, 'provider-ready');
      const frame = frameOf(el);
      mounted.rerender({ ...first });
      await settle(el, 'flinks', record(el));
      expect(frameOf(el)).to.equal(frame);
      expect(loads.n).to.equal(1);

      const second = { src: newSrc(), onReady: spy(), onOutcome: spy() };
      mounted.rerender(second);
      expect(element()).to.equal(el);
      await until(() => second.onReady.calls.length === 1, 'the new frame');
      expect(frameOf(el).src).to.equal(second.src);
      await settle(el, 'flinks', record(el), [REDIRECT]);
      expect(loads.n).to.equal(2);
      expect(second.onOutcome.calls).to.have.length(1);
      expect(first.onOutcome.calls).to.have.length(0);
      expect(first.onReady.calls).to.have.length(1);
    });

    it('unmounting removes the element and unloads its frame', async () => {
      const onOutcome = spy();
      mounted = harness.mount(container, { src: newSrc(), onOutcome });
      const el = element();
      await waitFor(el, 'provider-ready');
      const frame = frameOf(el);
      expect(frame.contentWindow).not.to.equal(null);
      mounted.unmount();
      mounted = undefined;
      expect(container.childElementCount).to.equal(0);
      expect(el.isConnected).to.equal(false);
      // A frame outside the document has no window: nothing can post from it any more.
      expect(frame.contentWindow).to.equal(null);
      expect(onOutcome.calls).to.have.length(0);
    });

    it('StrictMode: one frame load, one ready, one outcome', async () => {
      const onReady = spy();
      const onOutcome = spy();
      mounted = harness.mount(container, { src: newSrc(), onReady, onOutcome }, { strict: true });
      const el = element();
      const loads = countLoads(el);
      const seen = record(el);
      await waitFor(el, 'provider-ready');
      await settle(el, 'flinks', seen, [REDIRECT]);
      expect(loads.n).to.equal(1);
      expect(onReady.calls).to.have.length(1);
      expect(onOutcome.calls).to.have.length(1);
      expect(outcomes(seen)).to.equal(1);
    });

    it(
      hydration === 'hears'
        ? 'server-rendered without the token, hydrates without a warning, and hears the first outcome'
        : 'server-rendered, hydrated: the listeners are never attached (react#35446), the first outcome is lost; no hydration mismatch (the element writes no attribute on itself)',
      async () => {
        const src = newSrc();
        const html = await (await fetch(`/__react/${app}.html?p=${encodeURIComponent(JSON.stringify({ src, token: TOKEN }))}`)).text();
        expect(html).to.match(/^<main><flinks-connect[ >]/);
        container.innerHTML = html;
        const el = element();
        const errors: unknown[][] = [];
        const recoverable: unknown[] = [];
        const original = console.error;
        console.error = (...args: unknown[]) => void errors.push(args);
        const onReady = spy();
        const onOutcome = spy();
        try {
          mounted = harness.hydrate(container, { src, token: TOKEN, onReady, onOutcome }, (error) => recoverable.push(error));
          await waitFor(el, 'provider-ready');
          await settle(el, 'flinks', record(el), [REDIRECT]);
        } finally {
          console.error = original;
        }
        // Hydrated in place: React kept the server's node.
        expect(element()).to.equal(el);
        if (hydration === 'hears') {
          expect(errors.map((args) => String(args[0]).slice(0, 300))).to.deep.equal([]);
          expect(recoverable).to.deep.equal([]);
          expect(html).not.to.include(TOKEN);
          expect(html).not.to.include('src=');
          expect(onReady.calls).to.have.length(1);
          expect(onOutcome.calls).to.have.length(1);
        } else {
          // The element writes no attribute on itself (issue 15: it once wrote `status` when it
          // upgraded, before hydration), so whatever React says here is not about that.
          expect(errors.map((args) => String(args[0]).slice(0, 300))).to.deep.equal([]);
          expect(onOutcome.calls).to.have.length(0);
        }
      },
    );
  });
}

describe('React', () => {
  reactSuite({ app: 'react19-component', version: /^19\./, hydration: 'hears' });
  reactSuite({ app: 'react18-component', version: /^18\./, hydration: 'hears' });
  reactSuite({ app: 'react19-jsx', version: /^19\./, hydration: 'loses-listeners' });

  describe('react18-jsx: plain JSX in React 18 (the wrong usage finframe/react replaces)', () => {
    it('writes the token into an attribute the element ignores, and never hears the outcome', async () => {
      const harness = await load('react18-jsx');
      expect(harness.version).to.match(/^18\./);
      const container = document.createElement('div');
      document.body.append(container);
      const onOutcome = spy();
      const mounted = harness.mount(container, { src: newSrc(), token: TOKEN, onOutcome });
      const el = container.querySelector('flinks-connect') as HTMLElement & { authorizeToken?: string };
      try {
        expect(el.getAttribute('authorizetoken')).to.equal(TOKEN);
        expect(el.authorizeToken).to.equal(undefined);
        await waitFor(el, 'provider-ready');
        const seen = record(el);
        await settle(el, 'flinks', seen, [REDIRECT]);
        expect(outcomes(seen)).to.equal(1);
        expect(onOutcome.calls).to.have.length(0);
      } finally {
        mounted.unmount();
        container.remove();
      }
    });
  });
});
