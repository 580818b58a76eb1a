import { expect } from '@open-wc/testing';
import { PROVIDER_ORIGIN, record, runInFrame, waitFor, type Recorded } from '../helpers/frames.js';

/**
 * The loopback policy, replayed against the production build (scripts/wtr-production.mjs: every
 * element registered from src/define.ts with `__FINFRAME_DEV__` false, as in dist/ and the CDN
 * bundle). Nothing on this page registers the src elements: the tags below are the production ones.
 *
 * The review's attack: with the production bundle, a frame on a loopback host — anything on the
 * shopper's own machine can answer there — was trusted, and posted Flexiti's `verified`.
 */
const PRODUCTION = '/__finframe-production/finframe.js';
const finframe = (await import(PRODUCTION)) as typeof import('../../src/index.js');
const OPT_IN = Symbol.for('finframe.allowLoopback');
const FINAPI_FAKE_ORIGIN = await (await fetch('/__finapi-fake-origin')).text();
const FLEXITI_FAKE = `${PROVIDER_ORIGIN}/demo/fake/flexiti/index.html#/widget/client-1/token-1?x-reference-id=ref-1&widget_session_id=s-1`;
const FLINKS_FAKE = `${PROVIDER_ORIGIN}/demo/fake/flinks/`;

const globals = globalThis as unknown as Record<symbol, unknown>;
const mounted: Element[] = [];
/** Every console.error / console.warn line of the whole file. */
const errors: string[] = [];
const warnings: string[] = [];
const original = { error: console.error, warn: console.warn };

before(() => {
  console.error = (...args: unknown[]) => errors.push(args.join(' '));
  console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
});
after(() => Object.assign(console, original));
afterEach(async () => {
  for (const el of mounted.splice(0)) el.remove();
  delete globals[OPT_IN];
  // <finapi-web-form> unloads its form a microtask after removal.
  await Promise.resolve();
});

function mount<K extends keyof HTMLElementTagNameMap>(tag: K, setup: (el: HTMLElementTagNameMap[K]) => void) {
  const el = document.createElement(tag);
  setup(el);
  const seen = record(el);
  document.body.append(el);
  mounted.push(el);
  return { el, seen };
}

// Assertions compare strings and booleans only: a failed comparison of DOM nodes or events makes
// the runner serialize them, which can hang the run instead of reporting the failure.
const hasFrame = (el: Element) => el.shadowRoot!.querySelector('iframe') !== null;
const summary = (seen: Recorded[]) => seen.map((r) => [r.type, r.detail.code ?? r.detail.outcome ?? null]);
const REFUSED = [
  ['provider-error', 'INVALID_CONFIG'],
  ['provider-outcome', 'error'],
];

/** Asserts the refusal: INVALID_CONFIG naming `attribute`, its console line saying how to opt in. */
function expectRefused(seen: Recorded[], attribute: string) {
  expect(summary(seen)).to.deep.equal(REFUSED);
  expect(seen[0]!.detail.data.attribute).to.equal(attribute);
  expect(seen[0]!.detail.message).to.contain('loopback').and.to.contain('allowLoopback()');
  const line = errors.at(-1)!;
  expect(line).to.contain(`"${attribute}"`).and.to.contain('allowLoopback()');
}

/**
 * Loads the fake Flexiti widget in a frame of the test's own (the frame the element would have
 * loaded), has it post the `verified` its UI would, then a fence; resolves with what that frame
 * posted once the page has handled all of it.
 */
let fences = 0;
async function forgeFromLoopbackFrame(url: string): Promise<unknown[]> {
  const frame = document.createElement('iframe');
  frame.title = 'a loopback frame';
  frame.src = url;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  const posted: unknown[] = [];
  const id = ++fences;
  try {
    await new Promise<void>((resolve) => {
      const listener = (event: MessageEvent) => {
        if (event.source !== frame.contentWindow) return;
        if (event.data?.fence === id) {
          window.removeEventListener('message', listener);
          resolve();
        } else {
          posted.push(event.data);
        }
      };
      window.addEventListener('message', listener);
      const target = frame.contentWindow!;
      target.postMessage({ fake: 'flexiti', command: 'run', name: 'verified' }, PROVIDER_ORIGIN);
      target.postMessage({ fake: 'flexiti', command: 'send', message: { fence: id } }, PROVIDER_ORIGIN);
    });
  } finally {
    frame.remove();
  }
  return posted;
}

describe('the production build and loopback', () => {
  it('is the production build: its classes are the registered tags, and it exports allowLoopback', () => {
    // Compared as booleans: chai's report of a failed comparison of two classes is unreadable.
    expect(customElements.get('flexiti-widget') === finframe.FlexitiWidgetElement).to.equal(true);
    expect(customElements.get('benji-connect') === finframe.BenjiConnectElement).to.equal(true);
    expect(customElements.get('finapi-web-form') === finframe.FinapiWebFormElement).to.equal(true);
    expect(customElements.get('flinks-connect') === finframe.FlinksConnectElement).to.equal(true);
    expect(finframe.allowLoopback).to.be.a('function');
  });

  describe('<flexiti-widget src> on loopback', () => {
    it('refuses it without the opt-in: INVALID_CONFIG naming src, no frame, and the loopback frame\'s verified changes nothing', async () => {
      const { el, seen } = mount('flexiti-widget', (e) => (e.src = FLEXITI_FAKE));
      await el.updateComplete;
      expect(hasFrame(el)).to.equal(false);
      expectRefused(seen, 'src');
      const posted = await forgeFromLoopbackFrame(FLEXITI_FAKE);
      // The forgery was really posted to this page…
      expect(posted).to.have.length(1);
      expect(posted[0]).to.nested.include({ eventType: 'flx-success', 'eventData.verified': true, 'eventData.action': 'purchase' });
      // …and the element did nothing with it.
      expect(summary(seen)).to.deep.equal(REFUSED);
      expect(el.outcome).to.equal('error');
    });

    it('accepts it after allowLoopback(): the same frame\'s verified is the outcome', async () => {
      finframe.allowLoopback();
      expect(globals[OPT_IN]).to.equal(true);
      const { el, seen } = mount('flexiti-widget', (e) => (e.src = FLEXITI_FAKE));
      await waitFor(el, 'provider-ready');
      runInFrame(el, 'flexiti', 'verified');
      const outcome = await waitFor<CustomEvent>(el, 'provider-outcome');
      expect(outcome.detail).to.include({ outcome: 'verified', nextStep: 'authorize-purchase' });
      expect(summary(seen)).to.deep.equal([
        ['provider-ready', null],
        ['provider-outcome', 'verified'],
      ]);
    });

    it('reads the opt-in at each session start, and only the value true counts', async () => {
      for (const value of ['true', 1, {}, () => true]) {
        globals[OPT_IN] = value;
        const { el, seen } = mount('flexiti-widget', (e) => (e.src = FLEXITI_FAKE));
        await el.updateComplete;
        expect(hasFrame(el), String(value)).to.equal(false);
        expectRefused(seen, 'src');
      }
      // Set as a page that loads the CDN bundle would, from its own module: no import needed.
      // reset() starts a new session, which reads the opt-in again.
      const { el, seen } = mount('flexiti-widget', (e) => (e.src = FLEXITI_FAKE));
      await el.updateComplete;
      expectRefused(seen, 'src');
      globals[OPT_IN] = true;
      const ready = waitFor(el, 'provider-ready');
      el.reset();
      await ready;
      expect(new URL(el.shadowRoot!.querySelector('iframe')!.src).origin).to.equal(PROVIDER_ORIGIN);
    });
  });

  describe('<benji-connect environment="development"> (http://localhost:3000)', () => {
    it('is refused without the opt-in, naming environment, and creates no frame', async () => {
      const { el, seen } = mount('benji-connect', (e) => {
        e.setAttribute('environment', 'development');
        e.token = 'ct_test';
      });
      await el.updateComplete;
      expectRefused(seen, 'environment');
      // open() starts over (a new session), and is refused again.
      el.open();
      await el.updateComplete;
      expect(hasFrame(el)).to.equal(false);
      seen.splice(0, 2);
      expectRefused(seen, 'environment');
    });

    it('is accepted with the opt-in: open() frames http://localhost:3000', async () => {
      finframe.allowLoopback();
      const { el, seen } = mount('benji-connect', (e) => {
        e.setAttribute('environment', 'development');
        e.token = 'ct_test';
      });
      await el.updateComplete;
      expect(summary(seen)).to.deep.equal([]);
      el.open();
      const frame = el.shadowRoot!.querySelector('iframe')!;
      expect(new URL(frame.src).origin).to.equal('http://localhost:3000');
      expect(el.status).to.equal('loading');
    });

    it('refuses a loopback src the same way, naming src', async () => {
      const { el, seen } = mount('benji-connect', (e) => {
        e.src = `${PROVIDER_ORIGIN}/demo/fake/benji/index.html`;
        e.token = 'ct_test';
        e.toggleAttribute('inline', true);
      });
      await el.updateComplete;
      expect(hasFrame(el)).to.equal(false);
      expectRefused(seen, 'src');
    });
  });

  describe('<finapi-web-form target-url> on localhost (a script in this page)', () => {
    const finapiScripts = () => [...document.scripts].filter((s) => s.src.startsWith(FINAPI_FAKE_ORIGIN));

    it('is refused without the opt-in, naming target-url: no script is added to the page', async () => {
      const { el, seen } = mount('finapi-web-form', (e) => {
        e.setAttribute('target-url', FINAPI_FAKE_ORIGIN);
        e.token = 'wf_token';
      });
      await el.updateComplete;
      expectRefused(seen, 'target-url');
      expect(finapiScripts()).to.have.length(0);
      expect(document.getElementById('web-form-source') === null).to.equal(true);
      expect(document.querySelector('[data-web-form-instance]') === null).to.equal(true);
    });

    it('is accepted with the opt-in: finAPI\'s (fake) script loads and the form reports loaded', async () => {
      finframe.allowLoopback();
      const { el, seen } = mount('finapi-web-form', (e) => {
        e.setAttribute('target-url', FINAPI_FAKE_ORIGIN);
        e.token = 'wf_token';
      });
      await waitFor(el, 'provider-ready');
      expect(finapiScripts()).to.have.length(1);
      expect(summary(seen)).to.deep.equal([['provider-ready', null]]);
    });
  });

  describe('<flinks-connect> on loopback', () => {
    it('refuses a loopback src without the opt-in, and loads it with the opt-in', async () => {
      const refused = mount('flinks-connect', (e) => (e.src = FLINKS_FAKE));
      await refused.el.updateComplete;
      expect(hasFrame(refused.el)).to.equal(false);
      expectRefused(refused.seen, 'src');
      finframe.allowLoopback();
      const accepted = mount('flinks-connect', (e) => (e.src = FLINKS_FAKE));
      await waitFor(accepted.el, 'provider-ready');
    });

    for (const attribute of ['redirect-url', 'terms-url']) {
      it(`refuses a loopback ${attribute} without the opt-in, and accepts it with the opt-in`, async () => {
        // modal, never opened: the frame (on Flinks' real host) is never created, so nothing leaves this machine.
        const refused = mount('flinks-connect', (e) => {
          e.setAttribute(attribute, 'http://localhost:8080/flinks-done');
          e.modal = true;
        });
        await refused.el.updateComplete;
        expectRefused(refused.seen, attribute);
        finframe.allowLoopback();
        const accepted = mount('flinks-connect', (e) => {
          e.setAttribute(attribute, 'http://localhost:8080/flinks-done');
          e.modal = true;
        });
        await accepted.el.updateComplete;
        expect(summary(accepted.seen)).to.deep.equal([]);
        expect(accepted.el.status).to.equal('idle');
      });
    }

    it('refuses an http redirect-url on a public host with or without the opt-in', async () => {
      finframe.allowLoopback();
      const { el, seen } = mount('flinks-connect', (e) => {
        e.setAttribute('redirect-url', 'http://shop.example/flinks-done');
        e.modal = true;
      });
      await el.updateComplete;
      expect(summary(seen)).to.deep.equal(REFUSED);
      expect(seen[0]!.detail.data.attribute).to.equal('redirect-url');
    });
  });

  describe('<flexpay-status status-origin> on loopback', () => {
    const until = async (done: () => boolean) => {
      const t0 = performance.now();
      while (!done() && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
    };
    const mountStatus = () =>
      mount('flexpay-status', (e) => {
        e.setAttribute('reference', `order-prod-${Date.now().toString(36)}`);
        e.setAttribute('src', `${PROVIDER_ORIGIN}/__flexpay/cors-status`);
        e.setAttribute('status-origin', PROVIDER_ORIGIN);
      });

    it('is refused without the opt-in, naming status-origin', async () => {
      const { seen } = mountStatus();
      await until(() => seen.length >= 2);
      expect(summary(seen)).to.deep.equal(REFUSED);
      expect(seen[0]!.detail.data.attribute).to.equal('status-origin');
    });

    it('is accepted with the opt-in: the element watches the loopback origin', async () => {
      finframe.allowLoopback();
      const { seen } = mountStatus();
      await until(() => seen.length >= 1);
      expect(summary(seen)[0]).to.deep.equal(['provider-ready', null]);
    });
  });

  describe('the console', () => {
    it('warned once, in production, that loopback was accepted because of the opt-in', () => {
      const lines = warnings.filter((w) => w.includes('allowLoopback()'));
      expect(lines).to.have.length(1);
      expect(lines[0]).to.contain('Development and tests only');
    });
  });
});
