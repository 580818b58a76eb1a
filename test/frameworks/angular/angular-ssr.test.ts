// Angular's server rendering: the documented component (inside ssr-app.ts's root component)
// rendered in Node by @angular/platform-server's `renderApplication` (GET /__angular/ssr.html,
// scripts/wtr-angular.mjs), its HTML put in this page as a server's response would be, and
// hydrated here with `bootstrapApplication` and `provideClientHydration()`, zoneless, compiled
// just in time.
import { expect } from '@open-wc/testing';
import { PROVIDER_ORIGIN, frameOf, record, settle, waitFor } from '../../helpers/frames.js';
import type * as SsrApp from './ssr-app.js';

const SSR_APP = '/__angular/ssr.js';
const load = async () => (await import(/* @vite-ignore */ SSR_APP)) as typeof SsrApp;

interface Flinks extends HTMLElement {
  src: string | undefined;
  authorizeToken: string | undefined;
}

const FAKE = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?demo=true`;
let made = 0;
const fake = () => `${FAKE}&angular-ssr=${++made}`;
const token = () => `tok-${crypto.randomUUID()}`;
const REDIRECT = { step: 'REDIRECT', loginId: 'b92b2bbd-31f8-4e36-795b-08db4111f24d' };

/** The server's HTML for these props (src and token only: a function does not cross to the server). */
async function serverHtml(props: { src?: string; token?: string }): Promise<string> {
  const response = await fetch(`/__angular/ssr.html?p=${encodeURIComponent(JSON.stringify(props))}`);
  const body = await response.text();
  if (!response.ok) throw new Error(body);
  return body;
}

/** Puts the body of the server's page (the `nghm` marker, `<app-root>`, the `ng-state` script) into this page's body. */
function insertServerBody(html: string): Node[] {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const nodes = [...parsed.body.childNodes].map((node) => document.adoptNode(node));
  document.body.prepend(...nodes);
  return nodes;
}

/** console.error and console.warn while `run` runs (still written through). */
async function consoleDuring<T>(run: () => Promise<T>): Promise<{ result: T; messages: string[] }> {
  const messages: string[] = [];
  const original = { error: console.error, warn: console.warn };
  for (const level of ['error', 'warn'] as const) {
    console[level] = (...args: unknown[]) => {
      messages.push(`${level}: ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`);
      original[level].apply(console, args);
    };
  }
  try {
    const result = await run();
    return { result, messages };
  } finally {
    Object.assign(console, original);
  }
}

function handler() {
  const calls: any[] = [];
  return Object.assign((detail: unknown) => void calls.push(detail), { calls });
}

describe('Angular server rendering (platform-server) and client hydration', () => {
  let ssr: typeof SsrApp;
  let inserted: Node[] = [];
  let app: Awaited<ReturnType<typeof SsrApp.hydrate>> | undefined;
  before(async () => {
    await import('../../../src/define.js');
    ssr = await load();
  });
  afterEach(() => {
    app?.destroy();
    app = undefined;
    for (const node of inserted.splice(0)) (node as ChildNode).remove();
  });
  const el = () => document.querySelector('app-root flinks-connect') as Flinks;

  /** Server-renders, inserts, marks the server's element, hydrates; what Angular said meanwhile. */
  async function renderAndHydrate(props: SsrApp.Props) {
    const html = await serverHtml({ src: props.src, token: props.token });
    inserted = insertServerBody(html);
    const server = el();
    (server as Flinks & { serverNode?: boolean }).serverNode = true;
    const { messages } = await consoleDuring(async () => {
      app = await ssr.hydrate(props);
      await app.whenStable();
    });
    return { html, server, messages };
  }

  it('the server HTML has <flinks-connect> with its frame-title, and the token nowhere', async () => {
    expect(ssr.VERSION.full).to.equal('21.2.24');
    const secret = token();
    const html = await serverHtml({ src: fake(), token: secret });
    expect(html).to.include('<flinks-connect frame-title="Connect your bank"');
    expect(html).to.match(/<app-root [^>]*ngh=/); // hydration annotations: the server had hydration on
    expect(html).not.to.include(secret);
    expect(html.toLowerCase()).not.to.include('authorizetoken');
  });

  it('hydrates without a hydration error or warning, reusing the server node, and binds the token as a property', async () => {
    const secret = token();
    const src = fake();
    const { server, messages } = await renderAndHydrate({ src, token: secret });
    expect(messages, 'console.error/warn during hydration').to.deep.equal([]);
    expect(messages.join('\n')).not.to.match(/NG0?5\d\d/);
    expect(el(), 'the same element instance as the server rendered').to.equal(server);
    expect((el() as Flinks & { serverNode?: boolean }).serverNode).to.equal(true);
    expect(server.authorizeToken).to.equal(secret);
    expect(server.src).to.equal(src);
    for (const name of server.getAttributeNames()) expect(server.getAttribute(name), name).not.to.include(secret);
    await waitFor(server, 'provider-ready');
    expect(frameOf(server).src).to.equal(src);
  });

  it('the first provider outcome after hydration reaches the Angular handler exactly once', async () => {
    const onOutcome = handler();
    const src = fake();
    const html = await serverHtml({ src, token: token() });
    inserted = insertServerBody(html);
    const server = el();
    const { messages } = await consoleDuring(async () => {
      app = await ssr.hydrate({ src, token: 'tok-client', onOutcome });
      await app.whenStable();
    });
    expect(messages).to.deep.equal([]);
    expect(el()).to.equal(server);
    await waitFor(server, 'provider-ready');
    const seen = record(server);
    await settle(server, 'flinks', seen, [REDIRECT]);
    expect(seen.filter((e) => e.type === 'provider-outcome')).to.have.length(1);
    expect(onOutcome.calls).to.have.length(1);
    expect(onOutcome.calls[0]).to.include({ provider: 'flinks', outcome: 'connected' });
  });
});
