// The Nuxt component docs/frameworks.md shows (test/frameworks/nuxt/FlinksSessionLink.vue, checked
// word for word by scripts/wtr-frameworks-vs.mjs), compiled with the `isCustomElement` setting of
// the docs' nuxt.config and bundled with esbuild. Nuxt itself is not run: the component is rendered
// to HTML in Node with vue/server-renderer and hydrated here with createSSRApp, which is what Nuxt
// does with a page's components. The element gets its session from `session-url`, the test
// server's scripted endpoint: no token exists on the server.
import { expect } from '@open-wc/testing';
import { PROVIDER_ORIGIN, frameOf, record, settle, waitFor } from '../../helpers/frames.js';
import { scriptedSession } from '../../helpers/session.js';
import type * as NuxtApp from './app.js';

const APP = '/__frameworks-vs/nuxt.js';
const LOGIN = 'b92b2bbd-31f8-4e36-795b-08db4111f24d';
let sessions = 0;

async function session() {
  const token = `tok-${crypto.randomUUID()}`;
  const src = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?demo=true&nuxt=${++sessions}`;
  return { ...(await scriptedSession({ json: { token, src } })), token, src };
}

function connected() {
  const ids: string[] = [];
  return Object.assign((loginId: string) => void ids.push(loginId), { ids });
}

describe('Nuxt component (Vue 3 server rendering and hydration, as Nuxt does)', () => {
  let nuxt: typeof NuxtApp;
  let root: HTMLElement;
  let mounted: { unmount(): void } | undefined;
  before(async () => {
    // A Nuxt client plugin (plugins/finframe.client.ts) imports define.js in the browser only.
    await import('../../../src/define.js');
    nuxt = (await import(/* @vite-ignore */ APP)) as typeof NuxtApp;
  });
  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    mounted?.unmount();
    mounted = undefined;
    root.remove();
  });
  const el = () => root.querySelector('flinks-connect') as HTMLElement;

  it('server HTML has session-url and no token; it hydrates without a warning, in place, and the first outcome is heard once', async () => {
    const s = await session();
    const { html } = (await (await fetch(`/__frameworks-vs/nuxt-ssr?${new URLSearchParams({ sessionUrl: s.url })}`)).json()) as { html: string };
    expect(html).to.equal(`<flinks-connect session-url="${s.url.replace(/&/g, '&amp;')}"></flinks-connect>`);
    const warnings: unknown[][] = [];
    const { warn, error } = console;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    console.error = (...args: unknown[]) => void warnings.push(args);
    const onConnected = connected();
    try {
      root.innerHTML = html;
      const element = el();
      mounted = nuxt.hydrate(root, { sessionUrl: s.url, onConnected });
      expect(el(), 'hydration kept the server-rendered element').to.equal(element);
      await waitFor(element, 'provider-ready');
      expect(frameOf(element).src).to.equal(s.src);
      await settle(element, 'flinks', record(element), [{ step: 'REDIRECT', loginId: LOGIN }]);
    } finally {
      console.warn = warn;
      console.error = error;
    }
    expect(warnings.map((args) => args.map(String).join(' '))).to.deep.equal([]);
    expect(onConnected.ids).to.deep.equal([LOGIN]);
    expect(root.innerHTML, 'the token of the session answer').not.to.include(s.token);
  });

  it('rendered on the client (a client-side navigation): one session request, the outcome heard once', async () => {
    const s = await session();
    const onConnected = connected();
    mounted = nuxt.mount(root, { sessionUrl: s.url, onConnected });
    const element = el();
    await waitFor(element, 'provider-ready');
    await settle(element, 'flinks', record(element), [{ step: 'REDIRECT', loginId: LOGIN }]);
    expect(onConnected.ids).to.deep.equal([LOGIN]);
    expect(await s.seen()).to.have.length(1);
  });
});
