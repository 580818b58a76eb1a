// The Next.js client component that docs/frameworks.md and the README show (test/frameworks/nextjs/,
// checked word for word by scripts/wtr-react.mjs). Next.js itself is not run: the component is
// rendered to HTML in Node with React 19's react-dom/server, as Next.js renders a client component
// on the server, and hydrated here with hydrateRoot, as Next.js does in the browser. The element
// gets its session (a token and the frame's src) from `session-url`, the test server's scripted
// endpoint: no token exists on the server at all.
import { expect } from '@open-wc/testing';
import type { Harness, Mounted } from './harness.js';
import { PROVIDER_ORIGIN, frameOf, record, settle, waitFor } from '../../helpers/frames.js';
import { scriptedSession } from '../../helpers/session.js';

const APP = '/__react/nextjs-client.js';
const LOGIN = 'b92b2bbd-31f8-4e36-795b-08db4111f24d';
let sessions = 0;

/** A scripted session endpoint answering with a fresh token and the fake Flinks frame on the second origin. */
async function session() {
  const token = `tok-${crypto.randomUUID()}`;
  const src = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?demo=true&next=${++sessions}`;
  return { ...(await scriptedSession({ json: { token, src } })), token, src };
}

function saver() {
  const saved: string[] = [];
  return Object.assign(async (loginId: string) => void saved.push(loginId), { saved });
}

describe('Next.js client component (React 19, rendered on the server and hydrated as Next.js does)', () => {
  let harness: Harness;
  let container: HTMLElement;
  let mounted: Mounted | undefined;
  before(async () => {
    harness = (await import(/* @vite-ignore */ APP)).default;
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
  const element = () => container.querySelector('flinks-connect') as HTMLElement & { authorizeToken?: string };

  it('server HTML has session-url and no token; it hydrates without a warning, in place, and the first outcome is saved once', async () => {
    const s = await session();
    const html = await (await fetch(`/__react/nextjs-client.html?p=${encodeURIComponent(JSON.stringify({ sessionUrl: s.url }))}`)).text();
    expect(html).to.equal(`<flinks-connect session-url="${s.url.replace(/&/g, '&amp;')}"></flinks-connect>`);
    container.innerHTML = html;
    const el = element();
    const errors: unknown[][] = [];
    const recoverable: unknown[] = [];
    const { error, warn } = console;
    console.error = (...args: unknown[]) => void errors.push(args);
    console.warn = (...args: unknown[]) => void errors.push(args);
    const saveLogin = saver();
    try {
      mounted = harness.hydrate(container, { sessionUrl: s.url, saveLogin }, (e) => recoverable.push(e));
      await waitFor(el, 'provider-ready');
      await settle(el, 'flinks', record(el), [{ step: 'REDIRECT', loginId: LOGIN }]);
    } finally {
      console.error = error;
      console.warn = warn;
    }
    expect(element(), 'hydrated in place').to.equal(el);
    expect(errors.map((args) => String(args[0]).slice(0, 300))).to.deep.equal([]);
    expect(recoverable).to.deep.equal([]);
    expect(frameOf(el).src).to.equal(s.src);
    expect(container.innerHTML, 'the token of the session answer').not.to.include(s.token);
    expect(saveLogin.saved).to.deep.equal([LOGIN]);
  });

  it('rendered on the client (a client-side navigation): one session, the outcome saved once', async () => {
    const s = await session();
    const saveLogin = saver();
    mounted = harness.mount(container, { sessionUrl: s.url, saveLogin }, { strict: true });
    const el = element();
    await waitFor(el, 'provider-ready');
    await settle(el, 'flinks', record(el), [{ step: 'REDIRECT', loginId: LOGIN }]);
    expect(saveLogin.saved).to.deep.equal([LOGIN]);
    const seen = (await (await fetch(`/__session/seen?id=${new URL(s.url, location.href).searchParams.get('id')}`)).json()) as unknown[];
    expect(seen, 'one request to the session endpoint, StrictMode included').to.have.length(1);
  });
});
