import { expect } from '@open-wc/testing';

/**
 * `dist/cdn/loader.js` as shipped: these tests load the built files of dist/cdn/ (run
 * `npm run build` first; `npm test` runs them after its build step). Each case is a page of its
 * own (test/cdn/fixtures/, in an <iframe> of this page) so that each starts with an empty module
 * map and no tag defined; the fake Flinks frame inside it is on the second origin.
 */
type Page = Window &
  typeof globalThis & {
    finframeErrors: string[];
    finframeEvents: string[];
    defineCalls: string[];
    documentObservers: number;
    amdCalls?: string[];
    runFake(el: Element, name: string): void;
    flinksFake: string;
  };

const built = await fetch('/dist/cdn/integrity.json');
if (!built.ok) throw new Error('dist/cdn/ is not built: run `npm run build` before the CDN tests');
const FILES = Object.keys((await built.json()) as Record<string, string>);
const chunkOf = (tag: string) => FILES.find((file) => file.startsWith(`${tag}-`));
const SHARED = FILES.find((file) => file.startsWith('shared-'));

const frames: HTMLIFrameElement[] = [];
afterEach(() => frames.splice(0).forEach((frame) => frame.remove()));

async function openPage(name: string): Promise<Page> {
  const frame = document.createElement('iframe');
  frame.title = name;
  frame.src = `/test/cdn/fixtures/${name}`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  frames.push(frame);
  await loaded;
  return frame.contentWindow as Page;
}

async function waitFor(what: string, check: () => unknown, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The files of dist/cdn/ this page has fetched, by name (the loader's `?v=` dropped). */
const fetched = (page: Page) =>
  page.performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.startsWith('/dist/cdn/'))
    .map((path) => path.slice('/dist/cdn/'.length));

/** Element chunks the page fetched (every file but the loader, the bundle and the shared chunk). */
const elementChunks = (page: Page) => fetched(page).filter((file) => file !== 'loader.js' && file !== 'finframe.js' && file !== SHARED);

/** Waits until `el`'s frame (the fake Flinks, cross-origin) has said it is there. */
async function expectWorking(page: Page, el: Element): Promise<void> {
  await waitFor(`<${el.localName}> ready`, () => el.matches(':state(ready)'));
  const frame = el.shadowRoot!.querySelector('iframe')!;
  expect(new URL(frame.src).origin).to.equal(new URL(page.flinksFake).origin);
  expect(page.finframeEvents).to.include('flinks-connect provider-ready');
}

describe('dist/cdn/loader.js', () => {
  it('is built with one chunk per element and one shared chunk', () => {
    for (const tag of ['flinks-connect', 'flexiti-widget', 'benji-connect', 'finapi-web-form', 'flexpay-status']) {
      expect(chunkOf(tag), tag).to.match(/^[a-z-]+-[0-9a-f]{8}\.js$/);
    }
    expect(SHARED).to.match(/^shared-[0-9a-f]{8}\.js$/);
  });

  it('defines a tag already in the page, which then works against the fake provider', async () => {
    const page = await openPage('present.html');
    const el = page.document.getElementById('el')!;
    await expectWorking(page, el);
    expect(el).to.be.instanceOf(page.customElements.get('flinks-connect')!);
    page.runFake(el, 'redirect');
    await waitFor('the connected outcome', () => page.finframeEvents.includes('flinks-connect provider-outcome:connected'));
    expect(page.finframeErrors).to.deep.equal([]);
  });

  it("fetches only that element's chunk and the shared chunk", async () => {
    const page = await openPage('present.html');
    await expectWorking(page, page.document.getElementById('el')!);
    expect(fetched(page).sort()).to.deep.equal(['loader.js', chunkOf('flinks-connect'), SHARED].sort());
    for (const tag of ['flexiti-widget', 'benji-connect', 'finapi-web-form', 'flexpay-status']) {
      expect(page.customElements.get(tag), tag).to.equal(undefined);
    }
  });

  it('loads nothing until a tag appears, then defines a tag added later', async () => {
    const page = await openPage('empty.html');
    // The loader has run (module scripts run before `load`); give a wrongly eager one time to fetch.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fetched(page)).to.deep.equal(['loader.js']);
    expect(page.defineCalls).to.deep.equal([]);

    const el = page.document.createElement('flinks-connect');
    el.setAttribute('src', page.flinksFake);
    page.document.body.append(el);
    await expectWorking(page, el);
    expect(elementChunks(page)).to.deep.equal([chunkOf('flinks-connect')]);
    expect(page.finframeErrors).to.deep.equal([]);
  });

  it('defines a tag inside a subtree added later (a re-rendered section, a cart drawer)', async () => {
    const page = await openPage('empty.html');
    const doc = page.document;
    const section = doc.createElement('section');
    const form = doc.createElement('form');
    const widget = doc.createElement('flexiti-widget');
    form.append(widget);
    section.append(form);
    doc.body.append(section);
    await waitFor('<flexiti-widget> defined', () => page.customElements.get('flexiti-widget'));
    expect(widget).to.be.instanceOf(page.customElements.get('flexiti-widget')!);
    await waitFor('its chunk', () => elementChunks(page).length > 0);
    expect(elementChunks(page)).to.deep.equal([chunkOf('flexiti-widget')]);
    expect(page.customElements.get('flinks-connect')).to.equal(undefined);

    // A second subtree, added after the first tag was defined: the loader still watches the others.
    const drawer = doc.createElement('div');
    drawer.innerHTML = '<div><flinks-connect></flinks-connect></div>';
    drawer.querySelector('flinks-connect')!.setAttribute('src', page.flinksFake);
    doc.body.append(drawer);
    await expectWorking(page, drawer.querySelector('flinks-connect')!);
    expect(elementChunks(page).sort()).to.deep.equal([chunkOf('flexiti-widget'), chunkOf('flinks-connect')].sort());
  });

  it('loaded twice (and a third time, async) watches once and registers once, without an error', async () => {
    const page = await openPage('twice.html');
    await expectWorking(page, page.document.getElementById('el')!);
    const loaders = page.performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname === '/dist/cdn/loader.js');
    expect(loaders.length, 'three copies of the loader were fetched').to.equal(3);
    expect(page.documentObservers).to.equal(1);
    expect(page.defineCalls).to.deep.equal(['flinks-connect']);
    expect(page.finframeErrors).to.deep.equal([]);
  });

  it("works on a RequireJS page, and never calls the page's global define()", async () => {
    const page = await openPage('requirejs.html');
    expect(typeof (page as any).define).to.equal('function');
    await expectWorking(page, page.document.getElementById('el')!);
    expect(page.amdCalls).to.deep.equal([]);
    expect(page.finframeErrors).to.deep.equal([]);
  });

  it('after finframe.js on the same page: fetches no element chunk and registers nothing again', async () => {
    const page = await openPage('bundle-first.html');
    await expectWorking(page, page.document.getElementById('el')!);
    expect(fetched(page).sort()).to.deep.equal(['finframe.js', 'loader.js']);
    expect(page.defineCalls.filter((tag) => tag === 'flinks-connect')).to.deep.equal(['flinks-connect']);
    expect(page.finframeErrors).to.deep.equal([]);
  });

  it('before finframe.js on the same page: one registration, no error', async () => {
    const page = await openPage('loader-first.html');
    await expectWorking(page, page.document.getElementById('el')!);
    // The loader's import was already on its way when finframe.js defined the tag: its guarded define does nothing.
    await waitFor('the chunk', () => elementChunks(page).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(page.defineCalls.filter((tag) => tag === 'flinks-connect')).to.deep.equal(['flinks-connect']);
    expect(page.finframeErrors).to.deep.equal([]);
  });
});
