// A real Angular 21 app (scripts/wtr-angular.mjs bundles it with esbuild; components compiled just
// in time, zoneless): the component docs/frameworks.md shows, inside a host component that binds its
// inputs and output. The shared suite of the Vue and Svelte apps first, then what is Angular's own.
import { expect } from '@open-wc/testing';
import { runAppSuite, type App } from '../vue/app-suite.js';
import { PROVIDER_ORIGIN, frameOf, record, settle, waitFor } from '../../helpers/frames.js';
import type * as AngularApp from './app.js';

const APP = '/__angular/app.js';
const load = async () => (await import(/* @vite-ignore */ APP)) as typeof AngularApp;

// The first test of the suite renders before finframe is defined: it must stay the first in this file.
runAppSuite('Angular', async () => {
  const angular = await load();
  const app = await angular.start();
  return { mount: (target, props) => angular.mountIn(app, target, props) } satisfies App;
});

interface Flinks extends HTMLElement {
  src: string | undefined;
  authorizeToken: string | undefined;
}

const FAKE = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?demo=true`;
let made = 0;
const fake = () => `${FAKE}&angular=${++made}`;
const REDIRECT = { step: 'REDIRECT', loginId: 'b92b2bbd-31f8-4e36-795b-08db4111f24d' };

function handler() {
  const calls: any[] = [];
  return Object.assign((detail: unknown) => void calls.push(detail), { calls });
}

describe('Angular: what is its own', () => {
  let angular: typeof AngularApp;
  let app: Awaited<ReturnType<typeof AngularApp.start>>;
  let root: HTMLElement;
  const live: AngularApp.Mounted[] = [];
  before(async () => {
    await import('../../../src/define.js');
    angular = await load();
    app = await angular.start();
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

  it('is Angular 21.2, compiled just in time, without zone.js', () => {
    expect(angular.VERSION.full).to.match(/^21\.2\./);
    expect((globalThis as { Zone?: unknown }).Zone).to.equal(undefined);
  });

  it('a plain attribute stays an attribute (frame-title names the frame); the bindings are properties', async () => {
    const src = fake();
    live.push(angular.mountIn(app, root, { src, token: 'tok-angular' }));
    const element = el();
    expect(element.getAttribute('frame-title')).to.equal('Connect your bank');
    for (const name of element.getAttributeNames()) expect(element.getAttribute(name), name).not.to.include('tok-angular');
    expect(element.src).to.equal(src);
    expect(element.authorizeToken).to.equal('tok-angular');
    await waitFor(element, 'provider-ready');
    expect(frameOf(element).title).to.equal('Connect your bank');
  });

  it('a new token and src together reload the frame with the new token; only the new handler hears', async () => {
    const first = handler();
    const m = angular.mountIn(app, root, { src: fake(), token: 'tok-1', onOutcome: first });
    live.push(m);
    const element = el();
    await waitFor(element, 'provider-ready');
    const oldFrame = frameOf(element);
    const second = handler();
    const src = fake();
    const ready = waitFor(element, 'provider-ready');
    await m.update({ src, token: 'tok-2', onOutcome: second });
    await ready;
    expect(el()).to.equal(element);
    expect(element.authorizeToken).to.equal('tok-2');
    expect(frameOf(element).src).to.equal(src);
    expect(frameOf(element)).not.to.equal(oldFrame);
    const seen = record(element);
    await settle(element, 'flinks', seen, [REDIRECT]);
    expect(seen.filter((e) => e.type === 'provider-outcome')).to.have.length(1);
    expect(second.calls).to.have.length(1);
    expect(second.calls[0]).to.include({ provider: 'flinks', outcome: 'connected' });
    expect(first.calls).to.deep.equal([]);
  });

  it('destroying the whole application removes the element and its frame; Angular listens no more', async () => {
    const own = await angular.start();
    const h = handler();
    angular.mountIn(own, root, { src: fake(), onOutcome: h });
    const element = el();
    await waitFor(element, 'provider-ready');
    const frame = frameOf(element);
    own.destroy();
    expect(root.querySelector('flinks-connect')).to.equal(null);
    expect(element.isConnected).to.equal(false);
    expect(frame.contentWindow === null, 'the provider page unloaded').to.equal(true);
    // Angular's listener is gone too: an outcome dispatched on the detached element reaches nobody.
    element.dispatchEvent(new CustomEvent('provider-outcome', { detail: { provider: 'flinks', outcome: 'connected' } }));
    expect(h.calls).to.deep.equal([]);
  });
});
