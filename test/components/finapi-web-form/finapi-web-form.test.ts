import { expect } from '@open-wc/testing';
import { load, unload } from '@finapi/web-form/dist/loader.js';
import { FinapiWebFormElement } from '../../../src/components/finapi-web-form/finapi-web-form.js';
import '../../../src/components/finapi-web-form/define.js';
import { parseFinapiFailError } from '../../../src/components/finapi-web-form/finapi-web-form.schema.js';
import { record, waitFor, type Recorded } from '../../helpers/frames.js';

/**
 * finAPI's real loader (@finapi/web-form) runs here; only finAPI's server is fake: a second
 * origin, http://localhost:OTHER_PORT, serving demo/fake/finapi/finapi-webform2.js, which defines
 * the element the loader names and fires finAPI's events on command.
 */
const FAKE_ORIGIN = await (await fetch('/__finapi-fake-origin')).text();

interface FakeApi {
  readonly current: (HTMLElement & { received: Record<string, unknown> }) | undefined;
  readonly tokens: string[];
  complete(): void;
  fail(detail?: unknown): void;
  fail20(): void;
  abort(): void;
  dispatch(name: string, detail?: unknown): void;
}
const fake = () => (window as unknown as { fakeFinapiWebForm: FakeApi }).fakeFinapiWebForm;

const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
  unload(document);
  expect(document.querySelector('[data-web-form-instance]'), 'a test left a web form').to.equal(null);
});

function create(token = 'wf_token_123', attrs: Record<string, string | null> = {}): FinapiWebFormElement {
  const el = document.createElement('finapi-web-form');
  el.setAttribute('target-url', FAKE_ORIGIN);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null) el.removeAttribute(name);
    else el.setAttribute(name, value);
  }
  if (token) el.token = token;
  mounted.push(el);
  return el;
}

async function mount(token?: string, attrs?: Record<string, string | null>, parent: Element = document.body) {
  const el = create(token, attrs);
  const seen = record(el);
  const ready = waitFor(el, 'provider-ready');
  parent.append(el);
  await el.updateComplete;
  return { el, seen, ready };
}

const script = () => document.getElementById('web-form-source') as HTMLScriptElement | null;
const instance = () => document.querySelector<HTMLElement>('[data-web-form-instance]');
const types = (seen: Recorded[]) => seen.map((r) => r.type);
const visibleOutcome = (el: Element) =>
  [...el.shadowRoot!.querySelectorAll('[part~=outcome]')].filter((p) => !(p as HTMLElement).hidden).map((p) => p.querySelector('slot')!.name);

describe('<finapi-web-form>', () => {
  describe('loading with finAPI\'s loader', () => {
    it('adds finAPI\'s script from the configured server and the web form inside the element\'s light DOM', async () => {
      const { el, ready } = await mount();
      const src = new URL(script()!.src);
      expect(src.origin).to.equal(FAKE_ORIGIN);
      expect(src.pathname).to.equal('/finapi-webform2.js');
      expect(src.searchParams.get('token')).to.equal('wf_token_123');
      const form = instance()!;
      expect(form.localName).to.equal(src.searchParams.get('tagname'));
      expect(form.parentElement!.slot).to.equal('form');
      expect(form.parentElement!.parentElement).to.equal(el);
      expect(el.status).to.equal('loading');
      await ready;
      await el.updateComplete;
      expect(el.status).to.equal('ready');
      expect(el.matches(':state(ready)')).to.equal(true);
      expect((el.shadowRoot!.querySelector('[part=loading]') as HTMLElement).hidden).to.equal(true);
    });

    it('passes the loader its documented properties from the attributes', async () => {
      const { ready } = await mount('wf_props', {
        lang: 'de',
        layout: 'md',
        'color-mode': 'dark',
        'no-margins': '',
        'fill-height': '',
        'customer-support-url': 'https://shop.example/help',
        'back-to-app-url': 'https://app.shop.example/back',
      });
      await ready;
      expect(fake().current!.received).to.deep.equal({
        platform: 'EMBEDDED',
        token: 'wf_props',
        targetUrl: FAKE_ORIGIN,
        language: 'de',
        layoutConfig: 'md',
        colorMode: 'dark',
        noMargins: 'true',
        fillHeight: 'true',
        customerSupportUrl: 'https://shop.example/help',
        backToAppUrl: 'https://app.shop.example/back',
      });
    });

    it('takes custom breakpoints through the layoutConfig property', async () => {
      const el = create('wf_layout');
      const layout = { xs: 0, sm: 600, md: 900, lg: 1200, xl: 1536 };
      el.layoutConfig = layout;
      const ready = waitFor(el, 'provider-ready');
      document.body.append(el);
      await ready;
      expect(fake().current!.received.layoutConfig).to.deep.equal(layout);
    });

    it('speaks the closest [lang] to finAPI when finAPI has it, and its own text in the same language', async () => {
      const wrapper = document.createElement('div');
      wrapper.lang = 'es-ES';
      document.body.append(wrapper);
      try {
        const { el, ready } = await mount('wf_es', {}, wrapper);
        await ready;
        expect(fake().current!.received.language).to.equal('es');
        expect(el.shadowRoot!.querySelector('slot[name=completed]')!.textContent).to.contain('Su solicitud ante su banco se ha completado');
        el.lang = 'ja';
        await el.updateComplete;
        // No Japanese built-in text either: English.
        expect(el.shadowRoot!.querySelector('slot[name=completed]')!.textContent).to.contain('Your request with your bank is complete');
        expect(fake().current!.received.language, 'finAPI has no Japanese: it chooses').to.equal(undefined);
        expect(fake().current!.received.layoutConfig, 'properties not set stay unset').to.equal(undefined);
      } finally {
        wrapper.remove();
      }
    });

    it('passes a changed language to the open web form without loading it again', async () => {
      const { el, ready } = await mount('wf_live');
      await ready;
      const loads = fake().tokens.length;
      const form = fake().current;
      el.lang = 'fr';
      await el.updateComplete;
      expect(fake().current).to.equal(form);
      expect(form!.received.language).to.equal('fr');
      expect(fake().tokens.length).to.equal(loads);
      expect(el.shadowRoot!.querySelector('slot[name=aborted]')!.textContent).to.contain('Vous avez annulé');
    });

    it('shows German built-in text', async () => {
      const { el, ready } = await mount('wf_de', { lang: 'de-AT' });
      await ready;
      expect(el.shadowRoot!.querySelector('[part=form]')!.getAttribute('aria-label')).to.equal('Bankverbindung mit finAPI');
      fake().abort();
      await el.updateComplete;
      const shown = el.shadowRoot!.querySelector('[part~=outcome]:not([hidden])')!;
      expect(shown.textContent).to.contain('Sie haben vor dem Ende abgebrochen');
    });

    it('starts a new web form when the token changes', async () => {
      const { el, ready } = await mount('wf_first');
      await ready;
      const first = instance();
      const again = waitFor(el, 'provider-ready');
      el.token = 'wf_second';
      await again;
      expect(first!.isConnected).to.equal(false);
      expect(new URL(script()!.src).searchParams.get('token')).to.equal('wf_second');
      expect(fake().tokens.slice(-2)).to.deep.equal(['wf_first', 'wf_second']);
    });

    it('keeps the web form when the element is moved, and unloads it when the element is removed', async () => {
      const { el, seen, ready } = await mount('wf_move');
      await ready;
      const form = instance();
      const loads = fake().tokens.length;
      const other = document.createElement('section');
      document.body.append(other);
      other.append(el);
      await el.updateComplete;
      expect(instance()).to.equal(form);
      expect(fake().tokens.length).to.equal(loads);
      other.remove();
      await Promise.resolve();
      await el.updateComplete;
      expect(instance()).to.equal(null);
      expect(script()).to.equal(null);
      const before = seen.length;
      form!.dispatchEvent(new CustomEvent('complete'));
      expect(seen.length, 'no event from a removed web form').to.equal(before);
    });
  });

  describe('outcomes', () => {
    it('complete → completed: the web form is unloaded and the completed message shown', async () => {
      const { el, seen, ready } = await mount();
      await ready;
      fake().complete();
      await el.updateComplete;
      expect(types(seen)).to.deep.equal(['provider-ready', 'provider-outcome']);
      expect(seen[1]!.detail).to.deep.equal({ provider: 'finapi', outcome: 'completed', data: {} });
      expect(Object.isFrozen(seen[1]!.detail)).to.equal(true);
      expect(el.status).to.equal('complete');
      expect(el.matches(':state(completed)')).to.equal(true);
      expect(visibleOutcome(el)).to.deep.equal(['completed']);
      expect(instance()).to.equal(null);
      expect(script()).to.equal(null);
      expect((el.shadowRoot!.querySelector('[part=form]') as HTMLElement).hidden).to.equal(true);
    });

    for (const detail of [
      { type: 'BACKEND_ERROR', code: 'BANK_SERVER_REJECTION', message: 'Rejected' },
      { type: 'BACKEND_ERROR' },
      { type: 'FRONTEND_ERROR', code: 'ALREADY_OPENED', message: 'Already opened' },
      { type: 'FRONTEND_ERROR', code: 'UNDEFINED_TOKEN', message: 'No token' },
    ]) {
      it(`fail ${JSON.stringify(detail)} → failed with the error`, async () => {
        const { el, seen, ready } = await mount();
        await ready;
        fake().fail(detail);
        await el.updateComplete;
        expect(types(seen)).to.deep.equal(['provider-ready', 'provider-outcome']);
        expect(seen[1]!.detail).to.deep.equal({ provider: 'finapi', outcome: 'failed', data: { error: detail } });
        expect(visibleOutcome(el)).to.deep.equal(['failed']);
      });
    }

    it('fail without a detail (Web Form 2.0) → failed without an error', async () => {
      const { el, seen, ready } = await mount();
      await ready;
      fake().fail20();
      await el.updateComplete;
      expect(seen.at(-1)!.detail).to.deep.equal({ provider: 'finapi', outcome: 'failed', data: {} });
    });

    for (const [label, detail] of [
      ['an unknown type', { type: 'SERVER_ERROR', message: 'x' }],
      ['an undocumented FRONTEND_ERROR code', { type: 'FRONTEND_ERROR', code: 'SOMETHING', message: 'x' }],
      ['a FRONTEND_ERROR without message', { type: 'FRONTEND_ERROR', code: 'UNEXPECTED' }],
      ['a string', 'failed'],
      ['a prototype key', JSON.parse('{"type":"BACKEND_ERROR","__proto__":{"polluted":true}}')],
      ['a function inside', { type: 'BACKEND_ERROR', message: () => 1 }],
    ] as const) {
      it(`fail with ${label} → INVALID_MESSAGE (not fatal), then failed without the detail`, async () => {
        const { el, seen, ready } = await mount();
        await ready;
        fake().fail(detail);
        await el.updateComplete;
        expect(types(seen)).to.deep.equal(['provider-ready', 'provider-error', 'provider-outcome']);
        expect(seen[1]!.detail).to.include({ provider: 'finapi', code: 'INVALID_MESSAGE', fatal: false });
        expect(seen[2]!.detail).to.deep.equal({ provider: 'finapi', outcome: 'failed', data: {} });
        expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      });
    }

    it('never puts finAPI\'s error text into the page as markup', async () => {
      const { el, seen, ready } = await mount();
      await ready;
      fake().fail({ type: 'BACKEND_ERROR', message: '<img src=x id=injected>' });
      await el.updateComplete;
      expect(seen.at(-1)!.detail.data.error.message).to.equal('<img src=x id=injected>');
      expect(document.getElementById('injected')).to.equal(null);
      expect(el.shadowRoot!.getElementById('injected')).to.equal(null);
      expect(el.shadowRoot!.innerHTML).not.to.contain('<img');
    });

    it('abort → aborted', async () => {
      const { el, seen, ready } = await mount();
      await ready;
      fake().abort();
      await el.updateComplete;
      expect(seen.at(-1)!.detail).to.deep.equal({ provider: 'finapi', outcome: 'aborted', data: {} });
      expect(visibleOutcome(el)).to.deep.equal(['aborted']);
    });

    it('dispatches nothing after the outcome: a second complete, fail or abort from the same web form is ignored', async () => {
      const { el, seen, ready } = await mount();
      await ready;
      const form = instance()!;
      fake().fail();
      const after = seen.length;
      for (const name of ['complete', 'fail', 'abort', 'loaded']) form.dispatchEvent(new CustomEvent(name));
      await el.updateComplete;
      expect(seen.length).to.equal(after);
      expect(el.outcome).to.equal('failed');
    });

    it('ignores events finAPI does not document', async () => {
      const { el, seen, ready } = await mount();
      await ready;
      fake().dispatch('blindRedirectCallback');
      fake().dispatch('progress', { step: 2 });
      await el.updateComplete;
      expect(types(seen)).to.deep.equal(['provider-ready']);
      expect(el.status).to.equal('ready');
    });

    it('keeps the built-in message hidden when the page cancels provider-outcome', async () => {
      const { el, ready } = await mount();
      await ready;
      el.addEventListener('provider-outcome', (e) => e.preventDefault());
      fake().complete();
      await el.updateComplete;
      expect(el.outcome).to.equal('completed');
      expect(visibleOutcome(el)).to.deep.equal([]);
    });

    it('shows the page\'s own slotted message instead of the built-in one', async () => {
      const el = create();
      const mine = document.createElement('p');
      mine.slot = 'completed';
      mine.textContent = 'Thanks! Your account is linked.';
      el.append(mine);
      const ready = waitFor(el, 'provider-ready');
      document.body.append(el);
      await ready;
      fake().complete();
      await el.updateComplete;
      const slot = el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name=completed]')!;
      expect(slot.assignedElements()).to.deep.equal([mine]);
      expect(mine.isConnected, 'unloading the web form leaves the page\'s own children alone').to.equal(true);
    });

    it('reset() after an outcome loads the web form again', async () => {
      const { el, seen, ready } = await mount('wf_reset');
      await ready;
      fake().abort();
      await el.updateComplete;
      const again = waitFor(el, 'provider-ready');
      el.reset();
      await again;
      await el.updateComplete;
      expect(el.outcome).to.equal(undefined);
      expect(el.matches(':state(completed)')).to.equal(false);
      expect(el.status).to.equal('ready');
      expect(instance()).not.to.equal(null);
      expect(visibleOutcome(el)).to.deep.equal([]);
      expect(types(seen)).to.deep.equal(['provider-ready', 'provider-outcome', 'provider-ready']);
    });
  });

  describe('errors', () => {
    it('LOAD_FAILED when finAPI\'s script does not load (fatal, outcome error)', async () => {
      const { el, seen } = await mount('wf_404', { 'target-url': `${FAKE_ORIGIN}/no-such-server` });
      const error = await waitFor<CustomEvent>(el, 'provider-error');
      await el.updateComplete;
      expect(error.detail).to.include({ provider: 'finapi', code: 'LOAD_FAILED', fatal: true });
      expect(error.detail.message).to.contain(FAKE_ORIGIN);
      expect(types(seen)).to.deep.equal(['provider-error', 'provider-outcome']);
      expect(seen[1]!.detail).to.deep.equal({ provider: 'finapi', outcome: 'error', data: { code: 'LOAD_FAILED', message: error.detail.message } });
      expect(el.status).to.equal('error');
      expect(visibleOutcome(el)).to.deep.equal(['error']);
      expect(el.shadowRoot!.querySelector('[part~=outcome]:not([hidden])')!.getAttribute('role')).to.equal('alert');
      expect(instance()).to.equal(null);
    });

    it('LOAD_TIMEOUT when finAPI never says loaded', async () => {
      const { el, seen } = await mount('fake-no-load-1', { 'load-timeout': '300' });
      const error = await waitFor<CustomEvent>(el, 'provider-error');
      expect(error.detail).to.include({ code: 'LOAD_TIMEOUT', fatal: true });
      expect(types(seen)).to.deep.equal(['provider-error', 'provider-outcome']);
      expect(instance()).to.equal(null);
      expect(script()).to.equal(null);
    });

    it('a late loaded after the timeout changes nothing', async () => {
      const { el, seen } = await mount('fake-no-load-2', { 'load-timeout': '200' });
      const form = instance()!;
      await waitFor(el, 'provider-outcome');
      const after = seen.length;
      form.dispatchEvent(new CustomEvent('loaded'));
      form.dispatchEvent(new CustomEvent('complete'));
      expect(seen.length).to.equal(after);
      expect(el.status).to.equal('error');
    });

    describe('misconfiguration: INVALID_CONFIG naming the attribute, a console error, nothing loaded', () => {
      const cases: [string, string | undefined, Record<string, string | null>, string][] = [
        ['no token', '', {}, 'token'],
        ['an unknown environment', 'wf', { environment: 'staging', 'target-url': null }, 'environment'],
        ['a target-url on another host', 'wf', { 'target-url': 'https://webform.evil.example' }, 'target-url'],
        ['a look-alike host', 'wf', { 'target-url': 'https://finapi.io.evil.example' }, 'target-url'],
        ['http on a finAPI host', 'wf', { 'target-url': 'http://webform-live.finapi.io' }, 'target-url'],
        ['a target-url with a query', 'wf', { 'target-url': `${FAKE_ORIGIN}/?x=1` }, 'target-url'],
        ['127.0.0.1, which finAPI\'s loader refuses', 'wf', { 'target-url': FAKE_ORIGIN.replace('localhost', '127.0.0.1') }, 'target-url'],
        ['an unknown layout', 'wf', { layout: 'xl' }, 'layout'],
        ['an unknown colour mode', 'wf', { 'color-mode': 'blue' }, 'color-mode'],
        ['a javascript: support link', 'wf', { 'customer-support-url': 'javascript:alert(1)' }, 'customer-support-url'],
        ['a relative support link', 'wf', { 'customer-support-url': '/help' }, 'customer-support-url'],
        ['a data: back-to-app link', 'wf', { 'back-to-app-url': 'data:text/html,hi' }, 'back-to-app-url'],
      ];
      for (const [label, token, attrs, attribute] of cases) {
        it(label, async () => {
          const logged: string[] = [];
          const original = console.error;
          console.error = (...args: unknown[]) => logged.push(args.join(' '));
          try {
            const el = create(token, attrs);
            const seen = record(el);
            document.body.append(el);
            await el.updateComplete;
            expect(types(seen)).to.deep.equal(['provider-error', 'provider-outcome']);
            expect(seen[0]!.detail).to.include({ code: 'INVALID_CONFIG', fatal: true });
            expect(seen[0]!.detail.data).to.deep.equal({ attribute });
            expect(seen[0]!.detail.message).to.contain(`"${attribute}"`);
            expect(el.status).to.equal('error');
            expect(script()).to.equal(null);
            expect(instance()).to.equal(null);
            expect(logged).to.have.length(1);
            expect(logged[0]).to.contain(`"${attribute}"`);
            if (token) expect(logged[0]).not.to.contain(token === 'wf' ? 'wf_' : token);
          } finally {
            console.error = original;
          }
        });
      }

      it('recovers when the attribute is fixed', async () => {
        const el = create('');
        const seen = record(el);
        const original = console.error;
        console.error = () => {};
        try {
          document.body.append(el);
          await el.updateComplete;
          expect(el.status).to.equal('error');
          const ready = waitFor(el, 'provider-ready');
          el.token = 'wf_fixed';
          await ready;
          await el.updateComplete;
          expect(el.status).to.equal('ready');
          expect(el.outcome).to.equal(undefined);
          expect(types(seen)).to.deep.equal(['provider-error', 'provider-outcome', 'provider-ready']);
        } finally {
          console.error = original;
        }
      });
    });
  });

  describe('one web form per page', () => {
    it('a second element gets ALREADY_OPEN and the first keeps working', async () => {
      const first = await mount('wf_one');
      await first.ready;
      const form = instance();
      const second = await mount('wf_two');
      await second.el.updateComplete;
      expect(types(second.seen)).to.deep.equal(['provider-error', 'provider-outcome']);
      expect(second.seen[0]!.detail).to.include({ provider: 'finapi', code: 'ALREADY_OPEN', fatal: true });
      expect(second.el.status).to.equal('error');
      expect(instance()).to.equal(form);
      expect(new URL(script()!.src).searchParams.get('token')).to.equal('wf_one');
      fake().complete();
      expect(first.seen.at(-1)!.detail.outcome).to.equal('completed');
      expect(types(second.seen), 'the first one\'s outcome is not the second\'s').to.have.length(2);
      // The first is done: the second can now load.
      const ready = waitFor(second.el, 'provider-ready');
      second.el.reset();
      await ready;
      expect(new URL(script()!.src).searchParams.get('token')).to.equal('wf_two');
    });

    it('removing the element that was refused leaves the open web form alone', async () => {
      const first = await mount('wf_keep');
      await first.ready;
      const second = await mount('wf_refused');
      second.el.remove();
      await Promise.resolve();
      expect(instance()!.isConnected).to.equal(true);
      expect(script()).not.to.equal(null);
    });

    it('a web form the page loaded itself with finAPI\'s loader is respected too', async () => {
      const host = document.createElement('div');
      document.body.append(host);
      try {
        load(host, { token: 'theirs', targetUrl: FAKE_ORIGIN });
        const { el, seen } = await mount('wf_mine');
        expect(seen[0]!.detail.code).to.equal('ALREADY_OPEN');
        expect(host.querySelector('[data-web-form-instance]')).not.to.equal(null);
        el.remove();
        await Promise.resolve();
        expect(host.querySelector('[data-web-form-instance]')).not.to.equal(null);
      } finally {
        unload(document);
        host.remove();
      }
    });
  });

  describe('secrets', () => {
    it('never writes the token to an attribute or the shadow DOM, nor logs it', async () => {
      const logs: string[] = [];
      const originals = { log: console.log, warn: console.warn, error: console.error, info: console.info };
      for (const k of Object.keys(originals) as (keyof typeof originals)[]) console[k] = (...a: unknown[]) => logs.push(a.join(' '));
      try {
        const { el, ready } = await mount('wf_secret_token_987');
        await ready;
        fake().fail();
        await el.updateComplete;
        const attrs = [...el.attributes].map((a) => `${a.name}=${a.value}`).join(' ');
        expect(attrs).not.to.contain('wf_secret_token_987');
        expect(el.shadowRoot!.innerHTML).not.to.contain('wf_secret_token_987');
        expect(logs.join('\n')).not.to.contain('wf_secret_token_987');
      } finally {
        Object.assign(console, originals);
      }
    });
  });

  describe('accessibility', () => {
    it('passes axe while loading, when ready, and with an outcome', async () => {
      const { el, ready } = await mount();
      await expect(el).to.be.accessible();
      await ready;
      await el.updateComplete;
      await expect(el).to.be.accessible();
      fake().complete();
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });

    it('names the loader\'s spinner (a progressbar) while finAPI loads', async () => {
      const { el } = await mount('fake-no-load-a11y', { lang: 'de' });
      const spinner = el.querySelector('[role=progressbar]')!;
      expect(spinner.getAttribute('aria-label')).to.equal('Das sichere finAPI-Formular wird geladen…');
      await expect(el).to.be.accessible();
    });

    it('names the web form region, and form-title overrides the name', async () => {
      const { el } = await mount('wf', { 'form-title': 'Link your Sparkasse account' });
      const region = el.shadowRoot!.querySelector('[part=form]')!;
      expect(region.getAttribute('role')).to.equal('region');
      expect(region.getAttribute('aria-label')).to.equal('Link your Sparkasse account');
    });
  });
});

describe('parseFinapiFailError', () => {
  it('accepts both documented shapes and undefined, and rejects the rest', () => {
    expect(parseFinapiFailError(undefined)).to.deep.equal({ ok: true, error: undefined });
    expect(parseFinapiFailError({ type: 'BACKEND_ERROR', code: 'X', extra: 1 })).to.deep.equal({ ok: true, error: { type: 'BACKEND_ERROR', code: 'X' } });
    expect(parseFinapiFailError({ type: 'FRONTEND_ERROR', code: 'INVALID_URL', message: 'm' }).ok).to.equal(true);
    expect(parseFinapiFailError({ type: 'FRONTEND_ERROR', code: 'INVALID_URL' }).ok).to.equal(false);
    expect(parseFinapiFailError({ type: 'BACKEND_ERROR', message: 'x'.repeat(5000) }).ok).to.equal(false);
    expect(parseFinapiFailError([]).ok).to.equal(false);
  });
});
