import { expect } from '@open-wc/testing';
import { PROVIDER_ORIGIN, record, waitFor, type Recorded } from '../helpers/frames.js';
import { scriptedSession } from '../helpers/session.js';

/**
 * `session-url` in the production build (scripts/wtr-production.mjs, `__FINFRAME_DEV__` false):
 * an answer's `src` goes through the same host rule as the attribute — a loopback frame only after
 * the page's opt-in — and a token in an attribute draws no warning (the warning is development
 * only). Nothing on this page registers the src elements.
 */
const PRODUCTION = '/__finframe-production/finframe.js';
await import(PRODUCTION);
const OPT_IN = Symbol.for('finframe.allowLoopback');
const FLEXITI_FAKE = `${PROVIDER_ORIGIN}/demo/fake/flexiti/index.html#/widget/client-1/token-1?x-reference-id=ref-1&widget_session_id=s-1`;
const BENJI_FAKE = `${PROVIDER_ORIGIN}/demo/fake/benji/index.html`;

const globals = globalThis as unknown as Record<symbol, unknown>;
const mounted: Element[] = [];
const lines: string[] = [];
const original = { error: console.error, warn: console.warn };
before(() => {
  console.error = (...args: unknown[]) => lines.push(`error ${args.join(' ')}`);
  console.warn = (...args: unknown[]) => lines.push(`warn ${args.join(' ')}`);
});
after(() => Object.assign(console, original));
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
  delete globals[OPT_IN];
});

const endpoint = (json: unknown) => scriptedSession({ json });

function mount<K extends keyof HTMLElementTagNameMap>(tag: K, setup: (el: HTMLElementTagNameMap[K]) => void) {
  const el = document.createElement(tag);
  setup(el);
  const seen = record(el);
  document.body.append(el);
  mounted.push(el);
  return { el, seen };
}
const summary = (seen: Recorded[]) => seen.filter((r) => r.type !== 'provider-event').map((r) => `${r.type}:${r.detail.code ?? r.detail.outcome ?? ''}`);

describe('session-url in the production build', () => {
  it('refuses an answer\'s loopback src without the opt-in: SESSION_FAILED, no frame', async () => {
    const server = await endpoint({ src: FLEXITI_FAKE });
    const { el, seen } = mount('flexiti-widget', (el) => (el.sessionUrl = server.url));
    await waitFor(el, 'provider-outcome');
    await el.updateComplete;
    expect(summary(seen)).to.deep.equal(['provider-error:SESSION_FAILED', 'provider-outcome:error']);
    expect(seen[0]!.detail.message).to.contain('loopback');
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
    expect((await server.seen()).length).to.equal(1);
  });

  it('frames it after allowLoopback()', async () => {
    globals[OPT_IN] = true;
    const server = await endpoint({ src: FLEXITI_FAKE });
    const { el, seen } = mount('flexiti-widget', (el) => (el.sessionUrl = server.url));
    await waitFor(el, 'provider-ready');
    expect(summary(seen)).to.deep.equal(['provider-ready:']);
    expect(el.shadowRoot!.querySelector('iframe')!.src).to.equal(`${FLEXITI_FAKE}&lang=en`);
  });

  it('does not warn about a token in an attribute (the warning is for development builds)', async () => {
    globals[OPT_IN] = true;
    const { el } = mount('benji-connect', (el) => {
      el.toggleAttribute('inline', true);
      el.src = BENJI_FAKE;
      el.setAttribute('token', 'ct-in-html');
    });
    await waitFor(el, 'provider-ready');
    expect(new URL(el.shadowRoot!.querySelector('iframe')!.src).searchParams.get('connect_token')).to.equal('ct-in-html');
    expect(lines.filter((l) => l.includes('got its token from')).length).to.equal(0);
    expect(lines.some((l) => l.includes('ct-in-html'))).to.equal(false);
  });
});
