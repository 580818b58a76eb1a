import { expect } from '@open-wc/testing';
import { unload } from '@finapi/web-form/dist/loader.js';
import { BenjiConnectElement } from '../../src/components/benji-connect/benji-connect.js';
import '../../src/components/benji-connect/define.js';
import '../../src/components/finapi-web-form/define.js';
import '../../src/components/flexiti-widget/define.js';
import { FlinksConnectElement } from '../../src/components/flinks-connect/flinks-connect.js';
import '../../src/components/flinks-connect/define.js';
import { checkSessionUrl, retryAfter } from '../../src/base/session-source.js';
import { PORT, PROVIDER_ORIGIN, record, waitFor, type Recorded } from '../helpers/frames.js';
import { scriptedSession, type SessionStep } from '../helpers/session.js';

/**
 * `session-url` against a real endpoint on the test page's origin (scripts/wtr-session.mjs): it
 * records every request — method, headers, body, cookies — and answers as each test scripts it.
 * Frames are the fake providers on the second origin; where a token alone would make the element
 * build a URL on the provider's real host, a probe loads about:blank instead (no test may reach
 * fin.ag or withbenji.com).
 */

const FLINKS_FAKE = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html`;
const FLEXITI_FAKE = `${PROVIDER_ORIGIN}/demo/fake/flexiti/index.html#/widget/client-1/token-1?x-reference-id=ref-1&widget_session_id=s-1`;
const BENJI_FAKE = `${PROVIDER_ORIGIN}/demo/fake/benji/index.html`;
const FINAPI_FAKE = await (await fetch('/__finapi-fake-origin')).text();
const COOKIE = 'finframe_session_test';

/** The frame URL each session built, and about:blank loaded instead. */
class FlinksProbe extends FlinksConnectElement {
  built: string[] = [];
  protected override sessionFrameUrl(url: string): string {
    this.built.push(url);
    return 'about:blank';
  }
}
customElements.define('flinks-session-probe', FlinksProbe);
class BenjiProbe extends BenjiConnectElement {
  built: string[] = [];
  protected override sessionFrameUrl(url: string): string {
    this.built.push(url);
    return 'about:blank';
  }
}
customElements.define('benji-session-probe', BenjiProbe);

interface Seen {
  method: string;
  contentType: string | null;
  accept: string | null;
  cookie: string | null;
  body: string;
  at: number;
  aborted: boolean;
  destroyed: boolean;
}

/** A fresh endpoint answering `steps` in order (the last one repeats). */
const endpoint = (...steps: SessionStep[]) => scriptedSession<Seen>(...steps);

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 6000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every console line of the whole file, to check that no token ever reaches one. */
const lines: { level: string; text: string }[] = [];
const original = { ...console };
before(() => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    console[level] = (...args: unknown[]) => {
      lines.push({ level, text: args.map(String).join(' ') });
    };
  }
  document.cookie = `${COOKIE}=1; path=/; SameSite=Strict`;
});
after(() => {
  Object.assign(console, original);
  document.cookie = `${COOKIE}=; path=/; max-age=0`;
});

/** fetch() calls to the session endpoint, counted where the element makes them. */
let asked = 0;
const realFetch = window.fetch;
window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
  if (String(input instanceof Request ? input.url : input).includes('/__session/answer')) asked++;
  return realFetch.call(this, input, init);
} as typeof fetch;

const mounted: Element[] = [];
afterEach(async () => {
  for (const el of mounted.splice(0)) el.remove();
  // <finapi-web-form> unloads its form a microtask after removal.
  await Promise.resolve();
  unload(document);
});

function mount<K extends keyof HTMLElementTagNameMap>(tag: K, setup: (el: HTMLElementTagNameMap[K]) => void = () => {}) {
  const el = document.createElement(tag);
  setup(el);
  const seen = record(el);
  document.body.append(el);
  mounted.push(el);
  return { el, seen };
}
function mountProbe<T extends HTMLElement>(tag: string, setup: (el: T) => void) {
  const el = document.createElement(tag) as T;
  setup(el);
  const seen = record(el);
  document.body.append(el);
  mounted.push(el);
  return { el, seen };
}

// Assertions compare strings and numbers: a failed comparison of DOM nodes makes the runner
// serialize them, which can hang the run instead of reporting the failure.
/** What happened, but the providers' informational steps (the fake Flinks posts a few on load). */
const summary = (seen: Recorded[]) => seen.filter((r) => r.type !== 'provider-event').map((r) => `${r.type}:${r.detail.code ?? r.detail.outcome ?? ''}`);
const frameSrc = (el: Element) => el.shadowRoot!.querySelector('iframe')?.src ?? null;
const loadingShown = (el: Element) => !(el.shadowRoot!.querySelector('[part=loading]') as HTMLElement).hidden;
const finapiScript = () => (document.getElementById('web-form-source') as HTMLScriptElement | null)?.src ?? null;

/** Every attribute value and text of the page, shadow roots included — but the URLs where a provider's protocol puts the token. */
function exposed(): string {
  const parts: string[] = [document.documentElement.textContent ?? ''];
  const visit = (root: Document | ShadowRoot) => {
    for (const el of root.querySelectorAll('*')) {
      for (const { name, value } of el.attributes) {
        if (!(name === 'src' && (el.localName === 'iframe' || el.localName === 'script'))) parts.push(`${name}=${value}`);
      }
      if (el.shadowRoot) {
        parts.push(el.shadowRoot.textContent ?? '');
        visit(el.shadowRoot);
      }
    }
  };
  visit(document);
  return parts.join('\n');
}

async function failed(el: Element, seen: Recorded[]) {
  await until(() => seen.some((r) => r.type === 'provider-outcome'), 'the outcome');
  await (el as unknown as { updateComplete: Promise<void> }).updateComplete;
  return seen.find((r) => r.type === 'provider-error')!.detail;
}

describe('session-url', () => {
  describe('the request', () => {
    it('POSTs {element, lang, context} as JSON with the page\'s cookies, and <flinks-connect> frames the answer\'s src', async () => {
      const src = `${FLINKS_FAKE}?demo=true&authorizeToken=at-flinks-1`;
      const server = await endpoint({ json: { src } });
      const { el, seen } = mount('flinks-connect', (el) => {
        el.sessionUrl = server.url;
        el.lang = 'fr';
        el.dataset.orderId = '42';
        el.dataset.amount = '19.99';
      });
      await waitFor(el, 'provider-ready');
      const [request, ...more] = await server.seen();
      expect(more.length).to.equal(0);
      expect(request!.method).to.equal('POST');
      expect(request!.contentType).to.equal('application/json');
      expect(request!.accept).to.equal('application/json');
      expect(request!.cookie ?? '').to.contain(`${COOKIE}=1`);
      expect(JSON.parse(request!.body)).to.deep.equal({ element: 'flinks-connect', lang: 'fr', context: { orderId: '42', amount: '19.99' } });
      expect(frameSrc(el)).to.equal(new URL(src).href);
      expect(summary(seen)).to.deep.equal(['provider-ready:']);
      expect(el.getAttribute('session-url')).to.equal(server.url);
    });

    it('<flexiti-widget> frames the answer\'s src (its redirection_url)', async () => {
      const server = await endpoint({ json: { src: FLEXITI_FAKE } });
      const { el } = mount('flexiti-widget', (el) => {
        el.setAttribute('session-url', server.url);
        el.setAttribute('data-cart', 'c-7');
      });
      await waitFor(el, 'provider-ready');
      const [request] = await server.seen();
      expect(JSON.parse(request!.body)).to.deep.equal({ element: 'flexiti-widget', lang: 'en', context: { cart: 'c-7' } });
      expect(request!.cookie ?? '').to.contain(`${COOKIE}=1`);
      expect(frameSrc(el)).to.equal(`${FLEXITI_FAKE}&lang=en`);
    });

    it('<benji-connect> adds the answer\'s token to the answer\'s src as connect_token', async () => {
      const server = await endpoint({ json: { token: 'ct-benji-1', src: BENJI_FAKE } });
      const { el } = mount('benji-connect', (el) => {
        el.toggleAttribute('inline', true);
        el.sessionUrl = server.url;
      });
      await waitFor(el, 'provider-ready');
      const [request] = await server.seen();
      expect(JSON.parse(request!.body)).to.deep.equal({ element: 'benji-connect', lang: 'en', context: {} });
      const url = new URL(frameSrc(el)!);
      expect(url.origin + url.pathname).to.equal(BENJI_FAKE);
      expect(url.searchParams.get('connect_token')).to.equal('ct-benji-1');
    });

    it('<benji-connect> and <flinks-connect> build their URL around a token-only answer', async () => {
      const benji = await endpoint({ json: { token: 'ct-benji-2' } });
      const flinks = await endpoint({ json: { token: 'at-flinks-2' } });
      const b = mountProbe<BenjiProbe>('benji-session-probe', (el) => {
        el.toggleAttribute('inline', true);
        el.sessionUrl = benji.url;
      });
      const f = mountProbe<FlinksProbe>('flinks-session-probe', (el) => {
        el.sessionUrl = flinks.url;
        el.setAttribute('instance', 'acme');
      });
      await until(() => b.el.built.length === 1 && f.el.built.length === 1, 'both frame URLs');
      expect(new URL(b.el.built[0]!).searchParams.get('connect_token')).to.equal('ct-benji-2');
      expect(new URL(b.el.built[0]!).origin).to.equal('https://verifyapp-staging.withbenji.com');
      const built = new URL(f.el.built[0]!);
      expect(built.origin).to.equal('https://acme-iframe.private.fin.ag');
      expect(built.searchParams.get('authorizeToken')).to.equal('at-flinks-2');
      // The answer is the session's, never the page's property.
      expect(f.el.authorizeToken).to.equal(undefined);
      expect(b.el.token).to.equal(undefined);
    });

    it('<finapi-web-form> loads finAPI\'s web form with the answer\'s token, lang being the web form\'s language', async () => {
      const server = await endpoint({ json: { token: 'wf-session-1' } });
      const { el } = mount('finapi-web-form', (el) => {
        el.setAttribute('target-url', FINAPI_FAKE);
        el.setAttribute('lang', 'es');
        el.setAttribute('data-customer', 'c 1');
        el.sessionUrl = server.url;
      });
      await waitFor(el, 'provider-ready');
      const [request] = await server.seen();
      expect(request!.method).to.equal('POST');
      expect(request!.contentType).to.equal('application/json');
      expect(request!.accept).to.equal('application/json');
      expect(request!.cookie ?? '').to.contain(`${COOKIE}=1`);
      expect(JSON.parse(request!.body)).to.deep.equal({ element: 'finapi-web-form', lang: 'es', context: { customer: 'c 1' } });
      expect(new URL(finapiScript()!).searchParams.get('token')).to.equal('wf-session-1');
      expect(el.token).to.equal(undefined);
    });

    it('shows status loading and the loading slot while it waits, and no frame', async () => {
      const server = await endpoint({ delay: 400, json: { src: FLEXITI_FAKE } });
      const { el } = mount('flexiti-widget', (el) => (el.sessionUrl = server.url));
      await until(async () => (await server.seen()).length === 1, 'the request');
      await el.updateComplete;
      expect(el.status).to.equal('loading');
      expect(el.matches(':state(loading)')).to.equal(true);
      expect(loadingShown(el)).to.equal(true);
      expect(frameSrc(el)).to.equal(null);
      await waitFor(el, 'provider-ready');
      await el.updateComplete;
      expect(loadingShown(el)).to.equal(false);
    });

    it('asks again for every new session: open() after an outcome, reset(), a reconnect', async () => {
      const server = await endpoint(
        { json: { token: 'ct-1', src: BENJI_FAKE } },
        { json: { token: 'ct-2', src: BENJI_FAKE } },
        { json: { token: 'ct-3', src: BENJI_FAKE } },
        { json: { token: 'ct-4', src: BENJI_FAKE } },
      );
      const token = (el: Element) => new URL(frameSrc(el)!).searchParams.get('connect_token');
      const { el, seen } = mount('benji-connect', (el) => (el.sessionUrl = server.url));
      await el.updateComplete;
      expect((await server.seen()).length, 'a modal element asks on open()').to.equal(0);
      el.open();
      // The dialog opens at once, on the loading slot.
      const dialog = el.shadowRoot!.querySelector('dialog')!;
      expect(dialog.open).to.equal(true);
      await waitFor(el, 'provider-ready');
      expect(token(el)).to.equal('ct-1');
      (el.shadowRoot!.querySelector('[part=close-button]') as HTMLElement).click();
      expect(el.outcome).to.equal('exit');

      el.open();
      await waitFor(el, 'provider-ready');
      expect(token(el)).to.equal('ct-2');
      el.reset();
      await waitFor(el, 'provider-ready');
      expect(token(el)).to.equal('ct-3');
      el.remove();
      document.body.append(el);
      el.open();
      await waitFor(el, 'provider-ready');
      expect(token(el)).to.equal('ct-4');
      expect((await server.seen()).length).to.equal(4);
      expect(summary(seen)).to.deep.equal(['provider-ready:', 'provider-outcome:exit', 'provider-ready:', 'provider-ready:', 'provider-ready:']);
    });
  });

  describe('precedence', () => {
    async function noRequest(el: Element, server: { seen: () => Promise<Seen[]> }, before: number) {
      await (el as unknown as { updateComplete: Promise<void> }).updateComplete;
      await sleep(150);
      expect(asked - before, 'fetch() calls to session-url').to.equal(0);
      expect((await server.seen()).length, 'requests the endpoint saw').to.equal(0);
    }

    it('<flinks-connect>: an authorizeToken (property or attribute) or a src wins, and no request is made', async () => {
      const server = await endpoint({ json: { token: 'from-server' } });
      const before = asked;
      const byProperty = mountProbe<FlinksProbe>('flinks-session-probe', (el) => {
        el.sessionUrl = server.url;
        el.authorizeToken = 'from-page';
      });
      const byAttribute = mountProbe<FlinksProbe>('flinks-session-probe', (el) => {
        el.sessionUrl = server.url;
        el.setAttribute('authorize-token', 'from-html');
      });
      const bySrc = mount('flinks-connect', (el) => {
        el.sessionUrl = server.url;
        el.src = `${FLINKS_FAKE}?demo=true`;
      });
      await noRequest(bySrc.el, server, before);
      expect(new URL(byProperty.el.built[0]!).searchParams.get('authorizeToken')).to.equal('from-page');
      expect(new URL(byAttribute.el.built[0]!).searchParams.get('authorizeToken')).to.equal('from-html');
      expect(frameSrc(bySrc.el)).to.equal(`${FLINKS_FAKE}?demo=true`);
    });

    it('<benji-connect>: a token (property or attribute) or a src wins, and no request is made', async () => {
      const server = await endpoint({ json: { token: 'from-server' } });
      const before = asked;
      const byProperty = mountProbe<BenjiProbe>('benji-session-probe', (el) => {
        el.toggleAttribute('inline', true);
        el.sessionUrl = server.url;
        el.token = 'from-page';
      });
      const byAttribute = mountProbe<BenjiProbe>('benji-session-probe', (el) => {
        el.toggleAttribute('inline', true);
        el.sessionUrl = server.url;
        el.setAttribute('token', 'from-html');
      });
      const bySrc = mount('benji-connect', (el) => {
        el.toggleAttribute('inline', true);
        el.sessionUrl = server.url;
        el.src = `${BENJI_FAKE}?connect_token=in-src`;
      });
      await noRequest(bySrc.el, server, before);
      expect(new URL(byProperty.el.built[0]!).searchParams.get('connect_token')).to.equal('from-page');
      expect(new URL(byAttribute.el.built[0]!).searchParams.get('connect_token')).to.equal('from-html');
      expect(new URL(frameSrc(bySrc.el)!).searchParams.get('connect_token')).to.equal('in-src');
    });

    it('<flexiti-widget>: a src wins, and no request is made', async () => {
      const server = await endpoint({ json: { src: 'https://posapi.flexiti.fi/#/widget/x' } });
      const before = asked;
      const { el } = mount('flexiti-widget', (el) => {
        el.sessionUrl = server.url;
        el.src = FLEXITI_FAKE;
      });
      await noRequest(el, server, before);
      expect(frameSrc(el)).to.equal(`${FLEXITI_FAKE}&lang=en`);
    });

    it('<finapi-web-form>: a token (property or attribute) wins, and no request is made', async () => {
      const server = await endpoint({ json: { token: 'from-server' } });
      const before = asked;
      const byProperty = mount('finapi-web-form', (el) => {
        el.setAttribute('target-url', FINAPI_FAKE);
        el.sessionUrl = server.url;
        el.token = 'wf-from-page';
      });
      await noRequest(byProperty.el, server, before);
      expect(new URL(finapiScript()!).searchParams.get('token')).to.equal('wf-from-page');
      byProperty.el.remove();
      await Promise.resolve();
      const byAttribute = mount('finapi-web-form', (el) => {
        el.setAttribute('target-url', FINAPI_FAKE);
        el.sessionUrl = server.url;
        el.setAttribute('token', 'wf-from-html');
      });
      await noRequest(byAttribute.el, server, before);
      expect(new URL(finapiScript()!).searchParams.get('token')).to.equal('wf-from-html');
    });

    it('a development build warns once per element type about a token in an attribute, without the token', async () => {
      const warnings = () => lines.filter((l) => l.level === 'warn' && l.text.includes('<finapi-web-form> got its token from the "token" attribute'));
      // The precedence test above gave one <finapi-web-form> its token as an attribute.
      expect(warnings().length).to.equal(1);
      const { el } = mount('finapi-web-form', (el) => {
        el.setAttribute('target-url', FINAPI_FAKE);
        el.setAttribute('token', 'wf-again-from-html');
      });
      await el.updateComplete;
      expect(warnings().length).to.equal(1);
      expect(warnings()[0]!.text).to.contain('session-url');
      for (const tag of ['flinks-session-probe', 'benji-session-probe']) {
        expect(lines.filter((l) => l.level === 'warn' && l.text.includes(`<${tag}> got its token from`)).length, tag).to.equal(1);
      }
      expect(lines.filter((l) => /from-html|wf-again/.test(l.text)).length).to.equal(0);
      // A token set as a property is no mistake: no warning.
      expect(lines.filter((l) => l.text.includes('<flinks-connect> got its token')).length).to.equal(0);
    });
  });

  describe('retries', () => {
    it('tries 503 twice more, about 0.5 s and then 2 s later, and starts when one answers', async () => {
      const server = await endpoint({ status: 503 }, { status: 503 }, { json: { src: FLEXITI_FAKE } });
      const { el, seen } = mount('flexiti-widget', (el) => (el.sessionUrl = server.url));
      await waitFor(el, 'provider-ready');
      const requests = await server.seen();
      expect(requests.length).to.equal(3);
      const [first, second] = [requests[1]!.at - requests[0]!.at, requests[2]!.at - requests[1]!.at];
      expect(first, 'first gap').to.be.within(450, 1400);
      expect(second, 'second gap').to.be.within(1950, 3200);
      expect(summary(seen)).to.deep.equal(['provider-ready:']);
    });

    it('fails with SESSION_FAILED, data.status 0, after three network errors (a broken connection)', async function () {
      this.timeout(15_000);
      const server = await endpoint({ destroy: true });
      const { el, seen } = mount('flexiti-widget', (el) => (el.sessionUrl = server.url));
      const detail = await failed(el, seen);
      expect(summary(seen)).to.deep.equal(['provider-error:SESSION_FAILED', 'provider-outcome:error']);
      expect(detail.fatal).to.equal(true);
      expect(detail.data.status).to.equal(0);
      expect(detail.message).to.contain('session-url');
      expect(detail.message).to.contain('network error');
      const requests = await server.seen();
      expect(requests.length).to.equal(3);
      expect(requests.every((r) => r.destroyed)).to.equal(true);
      expect(frameSrc(el)).to.equal(null);
      expect(el.matches(':state(error)')).to.equal(true);
    });

    it('retries 429 after its Retry-After (1 s), and 408 after the backoff', async () => {
      const server = await endpoint({ status: 429, headers: { 'Retry-After': '1' } }, { status: 408 }, { json: { src: FLEXITI_FAKE } });
      const { el } = mount('flexiti-widget', (el) => (el.sessionUrl = server.url));
      await waitFor(el, 'provider-ready');
      const requests = await server.seen();
      expect(requests.length).to.equal(3);
      expect(requests[1]!.at - requests[0]!.at, 'after Retry-After: 1').to.be.within(950, 1900);
      expect(requests[2]!.at - requests[1]!.at, 'the second backoff').to.be.within(1950, 3200);
    });

    it('fails with SESSION_FAILED and data.status 500 after three 500s', async () => {
      const server = await endpoint({ status: 500, json: { error: 'boom', token: 'leaked-secret' } });
      const { el, seen } = mount('finapi-web-form', (el) => {
        el.setAttribute('target-url', FINAPI_FAKE);
        el.sessionUrl = server.url;
      });
      const detail = await failed(el, seen);
      expect(summary(seen)).to.deep.equal(['provider-error:SESSION_FAILED', 'provider-outcome:error']);
      expect(detail.data.status).to.equal(500);
      expect((await server.seen()).length).to.equal(3);
      expect(finapiScript()).to.equal(null);
      expect(JSON.stringify(detail)).not.to.contain('leaked-secret');
    });

    it('stops at once when Retry-After asks for more than 5 s', async () => {
      const server = await endpoint({ status: 503, headers: { 'Retry-After': '6' } }, { json: { src: FLEXITI_FAKE } });
      const started = performance.now();
      const { el, seen } = mount('flexiti-widget', (el) => (el.sessionUrl = server.url));
      const detail = await failed(el, seen);
      expect(performance.now() - started).to.be.below(1500);
      expect(detail.code).to.equal('SESSION_FAILED');
      expect(detail.data.status).to.equal(503);
      expect((await server.seen()).length).to.equal(1);
    });

    for (const status of [400, 401, 404, 422]) {
      it(`fails at once on ${status}, with data.status`, async () => {
        const server = await endpoint({ status, json: { error: 'no' } }, { json: { src: FLEXITI_FAKE } });
        const { el, seen } = mount('flexiti-widget', (el) => (el.sessionUrl = server.url));
        const detail = await failed(el, seen);
        expect(summary(seen)).to.deep.equal(['provider-error:SESSION_FAILED', 'provider-outcome:error']);
        expect(detail.data.status).to.equal(status);
        await sleep(600);
        expect((await server.seen()).length).to.equal(1);
        expect(frameSrc(el)).to.equal(null);
      });
    }

    it('reads Retry-After as seconds or an HTTP date', () => {
      const now = Date.parse('2026-01-01T00:00:00Z');
      expect(retryAfter('2', now)).to.equal(2000);
      expect(retryAfter(' 0 ', now)).to.equal(0);
      expect(retryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).to.equal(3000);
      expect(retryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).to.equal(0);
      expect(retryAfter('soon', now)).to.equal(undefined);
      expect(retryAfter('-1', now)).to.equal(undefined);
      expect(retryAfter(null, now)).to.equal(undefined);
    });
  });

  describe('answers that are refused', () => {
    const cases: [string, SessionStep][] = [
      ['not JSON', { body: '{"token": "secret-in-bad-json"' }],
      ['an HTML page', { body: '<!doctype html><p>Please sign in</p>', headers: { 'Content-Type': 'text/html' } }],
      ['no content (204)', { status: 204, body: '' }],
      ['a number', { json: 42 }],
      ['null', { json: null }],
      ['an array', { json: ['secret-in-array'] }],
      ['an empty object', { json: {} }],
      ['a numeric token', { json: { token: 42 } }],
      ['an empty token', { json: { token: '' } }],
      ['a token with a space', { json: { token: 'secret in parts' } }],
      ['a 5000-character token', { json: { token: 'x'.repeat(5000) } }],
      ['a numeric src beside a token', { json: { token: 'secret-beside', src: 7 } }],
      ['a src on a host Flinks does not use', { json: { src: 'https://attacker.example/v2/?authorizeToken=secret-in-src' } }],
      ['a plain-http src', { json: { src: 'http://toolbox-iframe.private.fin.ag/v2/' } }],
    ];
    for (const [what, step] of cases) {
      it(`refuses ${what}: SESSION_FAILED, outcome error, no frame, nothing of the answer logged`, async () => {
        const server = await endpoint(step);
        const before = lines.length;
        const { el, seen } = mountProbe<FlinksProbe>('flinks-session-probe', (el) => (el.sessionUrl = server.url));
        const detail = await failed(el, seen);
        expect(summary(seen)).to.deep.equal(['provider-error:SESSION_FAILED', 'provider-outcome:error']);
        expect(detail.fatal).to.equal(true);
        expect(el.outcome).to.equal('error');
        expect(el.built.length).to.equal(0);
        expect(frameSrc(el)).to.equal(null);
        const logged = lines.slice(before);
        expect(logged.filter((l) => l.level === 'error' && l.text.includes('session-url')).length).to.equal(1);
        // Nothing of the answer's body; a refused src's scheme and host are named, never its path or query.
        expect(logged.some((l) => /secret|sign in/i.test(l.text))).to.equal(false);
        expect(/secret|sign in/i.test(detail.message)).to.equal(false);
        expect((await server.seen()).length).to.equal(1);
      });
    }

    it('<flexiti-widget> refuses an answer without src, and a src on another host', async () => {
      for (const json of [{ token: 'secret-token-only' }, { src: 'https://posapi.flexiti.fi.evil.example/#/widget/1' }]) {
        const server = await endpoint({ json });
        const { el, seen } = mount('flexiti-widget', (el) => (el.sessionUrl = server.url));
        const detail = await failed(el, seen);
        expect(summary(seen), JSON.stringify(json)).to.deep.equal(['provider-error:SESSION_FAILED', 'provider-outcome:error']);
        expect(detail.data.status).to.equal(200);
        expect(frameSrc(el)).to.equal(null);
      }
    });

    it('<finapi-web-form> refuses an answer without a token, and loads nothing', async () => {
      const server = await endpoint({ json: { src: 'https://webform-sandbox.finapi.io/' } });
      const { el, seen } = mount('finapi-web-form', (el) => {
        el.setAttribute('target-url', FINAPI_FAKE);
        el.sessionUrl = server.url;
      });
      await failed(el, seen);
      expect(summary(seen)).to.deep.equal(['provider-error:SESSION_FAILED', 'provider-outcome:error']);
      expect(finapiScript()).to.equal(null);
      expect(document.querySelector('[data-web-form-instance]')).to.equal(null);
    });

    it('counts the wait against load-timeout: a slow answer is LOAD_TIMEOUT, the request is aborted, and its late answer starts nothing', async () => {
      const server = await endpoint({ delay: 1200, json: { src: FLEXITI_FAKE } });
      const { el, seen } = mount('flexiti-widget', (el) => {
        el.loadTimeout = 300;
        el.sessionUrl = server.url;
      });
      const detail = await failed(el, seen);
      expect(summary(seen)).to.deep.equal(['provider-error:LOAD_TIMEOUT', 'provider-outcome:error']);
      expect(detail.message).to.contain('session-url');
      await until(async () => (await server.seen())[0]?.aborted === true, 'the server to see the request aborted');
      await sleep(1200);
      expect(frameSrc(el)).to.equal(null);
      expect(summary(seen)).to.deep.equal(['provider-error:LOAD_TIMEOUT', 'provider-outcome:error']);
    });

    it('<finapi-web-form>: a slow answer is LOAD_TIMEOUT too, and loads nothing later', async () => {
      const server = await endpoint({ delay: 900, json: { token: 'wf-late' } });
      const { el, seen } = mount('finapi-web-form', (el) => {
        el.setAttribute('target-url', FINAPI_FAKE);
        el.loadTimeout = 300;
        el.sessionUrl = server.url;
      });
      await failed(el, seen);
      expect(summary(seen)).to.deep.equal(['provider-error:LOAD_TIMEOUT', 'provider-outcome:error']);
      await sleep(1000);
      expect(finapiScript()).to.equal(null);
      expect((await server.seen())[0]!.aborted).to.equal(true);
    });
  });

  describe('the token stays out of attributes, the DOM and the console', () => {
    it('is only in the frame URL (Benji, Flinks) or finAPI\'s script URL, where the protocols put it', async () => {
      const tokens = { benji: 'ct-secret-7f3a', flinks: 'at-secret-91bc', finapi: 'wf-secret-44de' };
      const benji = await endpoint({ json: { token: tokens.benji, src: BENJI_FAKE } });
      const flinks = await endpoint({ json: { src: `${FLINKS_FAKE}?demo=true&authorizeToken=${tokens.flinks}` } });
      const finapi = await endpoint({ json: { token: tokens.finapi } });
      const b = mount('benji-connect', (el) => {
        el.toggleAttribute('inline', true);
        el.sessionUrl = benji.url;
      });
      const f = mount('flinks-connect', (el) => (el.sessionUrl = flinks.url));
      const w = mount('finapi-web-form', (el) => {
        el.setAttribute('target-url', FINAPI_FAKE);
        el.sessionUrl = finapi.url;
      });
      await Promise.all([waitFor(b.el, 'provider-ready'), waitFor(f.el, 'provider-ready'), waitFor(w.el, 'provider-ready')]);
      await Promise.all([b.el.updateComplete, f.el.updateComplete, w.el.updateComplete]);
      const page = exposed();
      for (const token of Object.values(tokens)) {
        expect(page.includes(token), token).to.equal(false);
        expect(lines.some((l) => l.text.includes(token)), token).to.equal(false);
      }
      expect(frameSrc(b.el)).to.contain(tokens.benji);
      expect(frameSrc(f.el)).to.contain(tokens.flinks);
      expect(finapiScript()).to.contain(tokens.finapi);
      expect(b.el.token).to.equal(undefined);
      expect(f.el.authorizeToken).to.equal(undefined);
      expect(w.el.token).to.equal(undefined);
    });
  });

  describe('stale answers', () => {
    it('removing the element aborts the request: its answer starts nothing, and coming back asks again', async () => {
      const server = await endpoint({ delay: 600, json: { src: `${FLINKS_FAKE}?demo=true&n=1` } }, { json: { src: `${FLINKS_FAKE}?demo=true&n=2` } });
      const { el, seen } = mount('flinks-connect', (el) => (el.sessionUrl = server.url));
      await until(async () => (await server.seen()).length === 1, 'the request');
      el.remove();
      await until(async () => (await server.seen())[0]!.aborted, 'the server to see the request aborted');
      await sleep(700);
      expect(frameSrc(el)).to.equal(null);
      expect(summary(seen)).to.deep.equal([]);
      document.body.append(el);
      await waitFor(el, 'provider-ready');
      expect(frameSrc(el)).to.equal(`${FLINKS_FAKE}?demo=true&n=2`);
      expect((await server.seen()).length).to.equal(2);
    });

    it('reset() while waiting aborts the request and asks again; only the new answer counts', async () => {
      const server = await endpoint({ delay: 600, json: { src: `${FLINKS_FAKE}?demo=true&n=1` } }, { json: { src: `${FLINKS_FAKE}?demo=true&n=2` } });
      const { el, seen } = mount('flinks-connect', (el) => (el.sessionUrl = server.url));
      await until(async () => (await server.seen()).length === 1, 'the request');
      el.reset();
      await waitFor(el, 'provider-ready');
      expect(frameSrc(el)).to.equal(`${FLINKS_FAKE}?demo=true&n=2`);
      await sleep(800);
      expect(frameSrc(el)).to.equal(`${FLINKS_FAKE}?demo=true&n=2`);
      expect(summary(seen)).to.deep.equal(['provider-ready:']);
      const requests = await server.seen();
      expect(requests.length).to.equal(2);
      expect(requests[0]!.aborted).to.equal(true);
    });

    it('a new session-url while waiting: the old request is aborted and the new URL answers', async () => {
      const slow = await endpoint({ delay: 600, json: { src: `${FLINKS_FAKE}?demo=true&from=slow` } });
      const fast = await endpoint({ json: { src: `${FLINKS_FAKE}?demo=true&from=fast` } });
      const { el } = mount('flinks-connect', (el) => (el.sessionUrl = slow.url));
      await until(async () => (await slow.seen()).length === 1, 'the request');
      el.sessionUrl = fast.url;
      await waitFor(el, 'provider-ready');
      await sleep(800);
      expect(frameSrc(el)).to.equal(`${FLINKS_FAKE}?demo=true&from=fast`);
      expect((await slow.seen())[0]!.aborted).to.equal(true);
    });

    it('<finapi-web-form>: removal while waiting aborts the request and loads no web form', async () => {
      const server = await endpoint({ delay: 500, json: { token: 'wf-stale' } });
      const { el, seen } = mount('finapi-web-form', (el) => {
        el.setAttribute('target-url', FINAPI_FAKE);
        el.sessionUrl = server.url;
      });
      await until(async () => (await server.seen()).length === 1, 'the request');
      el.remove();
      await until(async () => (await server.seen())[0]!.aborted, 'the server to see the request aborted');
      await sleep(600);
      expect(finapiScript()).to.equal(null);
      expect(summary(seen)).to.deep.equal([]);
    });

    it('<finapi-web-form>: reset() asks for a new token (a web form token is single-use)', async () => {
      const server = await endpoint({ json: { token: 'wf-one' } }, { json: { token: 'wf-two' } });
      const { el } = mount('finapi-web-form', (el) => {
        el.setAttribute('target-url', FINAPI_FAKE);
        el.sessionUrl = server.url;
      });
      await waitFor(el, 'provider-ready');
      expect(new URL(finapiScript()!).searchParams.get('token')).to.equal('wf-one');
      el.reset();
      await waitFor(el, 'provider-ready');
      expect(new URL(finapiScript()!).searchParams.get('token')).to.equal('wf-two');
      expect((await server.seen()).length).to.equal(2);
    });
  });

  describe('the URL', () => {
    const refused = [
      ['a cross-origin http URL', `http://127.0.0.1:${PORT}/__session/answer?id=cross`],
      ['another port over http', `http://localhost:1/__session/answer?id=port`],
      ['a data: URL', 'data:application/json,{"token":"x"}'],
      ['a javascript: URL', 'javascript:alert(1)'],
      ['credentials in the URL', `http://user:pw@localhost:${PORT}/__session/answer?id=creds`],
    ];
    const elements = [
      ['flinks-connect', () => {}],
      ['flexiti-widget', () => {}],
      ['benji-connect', (el: HTMLElement) => el.toggleAttribute('inline', true)],
      ['finapi-web-form', (el: HTMLElement) => el.setAttribute('target-url', FINAPI_FAKE)],
    ] as const;
    for (const [tag, setup] of elements) {
      it(`<${tag}> refuses a session-url that is neither same-origin nor https: INVALID_CONFIG naming session-url, and no request`, async () => {
        const cross = await endpoint({ json: { token: 'never', src: FLEXITI_FAKE } });
        for (const [what, url] of [...refused, ['the test server on another origin', `http://127.0.0.1:${PORT}${cross.url}`]]) {
          const before = asked;
          const logged = lines.length;
          const { el, seen } = mount(tag, (el) => {
            setup(el as HTMLElement);
            el.setAttribute('session-url', url!);
          });
          await el.updateComplete;
          expect(summary(seen), what).to.deep.equal(['provider-error:INVALID_CONFIG', 'provider-outcome:error']);
          expect(seen[0]!.detail.data.attribute, what).to.equal('session-url');
          expect(lines.slice(logged).filter((l) => l.level === 'error' && l.text.includes('"session-url"')).length, what).to.equal(1);
          expect(asked - before, what).to.equal(0);
          el.remove();
        }
        await sleep(100);
        expect((await cross.seen()).length).to.equal(0);
      });
    }

    it('resolves against the document\'s base URL; accepts same-origin and any https: URL', () => {
      const relative = checkSessionUrl('finframe/session');
      expect(relative.ok && relative.url.href).to.equal(new URL('finframe/session', document.baseURI).href);
      const root = checkSessionUrl('/finframe/session');
      expect(root.ok && root.url.origin).to.equal(location.origin);
      const https = checkSessionUrl('https://shop.example/finframe/session');
      expect(https.ok && https.url.href).to.equal('https://shop.example/finframe/session');
      expect(checkSessionUrl('http://shop.example/finframe/session').ok).to.equal(false);
      expect(checkSessionUrl('https://[bad').ok).to.equal(false);
    });

    it('a misconfigured element sends no request: the other attributes are checked first', async () => {
      const server = await endpoint({ json: { token: 'never' } });
      const before = asked;
      const flinks = mount('flinks-connect', (el) => {
        el.setAttribute('instance', 'not one label!');
        el.sessionUrl = server.url;
      });
      const benji = mount('benji-connect', (el) => {
        el.toggleAttribute('inline', true);
        el.setAttribute('environment', 'staging');
        el.sessionUrl = server.url;
      });
      const flexiti = mount('flexiti-widget', (el) => {
        el.setAttribute('flow', 'lease');
        el.sessionUrl = server.url;
      });
      const finapi = mount('finapi-web-form', (el) => {
        el.setAttribute('environment', 'staging');
        el.sessionUrl = server.url;
      });
      await Promise.all([flinks.el.updateComplete, benji.el.updateComplete, flexiti.el.updateComplete, finapi.el.updateComplete]);
      expect([flinks, benji, flexiti, finapi].map(({ seen }) => seen[0]?.detail.data?.attribute)).to.deep.equal(['instance', 'environment', 'flow', 'environment']);
      await sleep(150);
      expect(asked - before).to.equal(0);
      expect((await server.seen()).length).to.equal(0);
    });
  });
});
