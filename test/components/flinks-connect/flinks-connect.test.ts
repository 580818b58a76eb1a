import { expect } from '@open-wc/testing';
import { FlinksConnectElement } from '../../../src/components/flinks-connect/flinks-connect.js';
import '../../../src/components/flinks-connect/define.js';
import { flinksText } from '../../../src/translations/flinks.js';
import type { Lang } from '../../../src/translations/types.js';
import { PROVIDER_ORIGIN, frameOf, record, runInFrame, sendFromFrame, settle, waitFor } from '../../helpers/frames.js';
import { runFrameElementSuite } from '../../shared/frame-element-suite.js';

const FAKE = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html`;
const LOGIN = 'b92b2bbd-31f8-4e36-795b-08db4111f24d';
const REQUEST = 'de4d15c4-5738-4004-81b2-fb28c5e4c1a0';

function create(params: Record<string, string> = {}): FlinksConnectElement {
  const el = document.createElement('flinks-connect');
  el.src = `${FAKE}?${new URLSearchParams({ demo: 'true', ...params })}`;
  return el;
}

const marker = (id: number) => ({ step: 'TEST_MARKER', marker: id });

runFrameElementSuite({
  tag: 'flinks-connect',
  provider: 'flinks',
  fake: 'flinks',
  create,
  silent: () => create({ mute: '1' }),
  marker,
  terminal: { message: { step: 'REDIRECT', loginId: LOGIN, requestId: REQUEST, institution: 'FlinksCapital' }, outcome: 'connected' },
  malformed: [
    { step: 42 },
    { step: '' },
    { step: '<img src=x onerror=alert(1)>' },
    'not json',
    '{"step":',
    null,
    [],
    {},
    { step: 'REDIRECT', institution: 'FlinksCapital' },
    { step: 'REDIRECT', loginId: 'not a guid' },
    '{"step":"APP_MOUNTED","__proto__":{"polluted":true}}',
    { flinksCode: 7 },
  ],
});

/** Exposes the URL the element would load, without loading it: no test may reach fin.ag. */
class UrlProbe extends FlinksConnectElement {
  url(lang: Lang = this.resolvedLang) {
    return this.frameConfig(lang);
  }
}
customElements.define('flinks-url-probe', UrlProbe);

describe('<flinks-connect>', () => {
  const mounted: Element[] = [];
  afterEach(() => mounted.splice(0).forEach((el) => el.remove()));

  async function mountReady(params: Record<string, string> = {}) {
    const el = create(params);
    const seen = record(el);
    const ready = waitFor(el, 'provider-ready');
    document.body.append(el);
    mounted.push(el);
    await ready;
    await settle(el, 'flinks', seen);
    return { el, seen };
  }

  describe('frame URL', () => {
    function probe(attributes: Record<string, string> = {}) {
      const el = document.createElement('flinks-url-probe') as UrlProbe;
      for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
      return el;
    }
    const href = (el: UrlProbe, lang?: Lang) => {
      const config = el.url(lang);
      if (!config.ok) throw new Error(config.message);
      return config.url;
    };

    it('defaults to the toolbox instance, v2, in the resolved language', () => {
      expect(href(probe(), 'en').href).to.equal('https://toolbox-iframe.private.fin.ag/v2/?language=en');
      expect(href(probe(), 'fr').searchParams.get('language')).to.equal('fr');
    });

    it('uses the instance and maps kebab-case attributes to Flinks parameters', () => {
      const url = href(
        probe({
          instance: 'MyShop',
          demo: '',
          'consent-enable': 'true',
          'enhanced-mfa': 'false',
          'account-selector-enable': '',
          'days-of-transactions': 'Days365',
          'product-type': 'banking',
          'maximum-retry': '3',
          'redirect-url': 'https://shop.example/flinks-done',
          'foreground-color1': '#112233',
          tag: 'order-42',
        }),
      );
      expect(url.origin).to.equal('https://myshop-iframe.private.fin.ag');
      expect(Object.fromEntries(url.searchParams)).to.deep.equal({
        language: 'en',
        demo: 'true',
        consentEnable: 'true',
        enhancedMFA: 'false',
        accountSelectorEnable: 'true',
        daysOfTransactions: 'Days365',
        productType: 'banking',
        maximumRetry: '3',
        redirectUrl: 'https://shop.example/flinks-done',
        foregroundColor1: '#112233',
        tag: 'order-42',
      });
    });

    it('takes authorizeToken as a property without writing it to any attribute', () => {
      const el = probe({ 'request-id': REQUEST });
      el.authorizeToken = 'token-abc';
      const url = href(el);
      expect(url.searchParams.get('authorizeToken')).to.equal('token-abc');
      expect(url.searchParams.get('requestId')).to.equal(REQUEST);
      expect(el.getAttributeNames().map((n) => el.getAttribute(n)).join(' ')).not.to.contain('token-abc');
    });

    it('refuses an instance that is not one DNS label, naming the attribute', () => {
      for (const instance of ['evil.com/x', 'a.b', '', '-x', 'x y', 'toolbox-iframe.private.fin.ag.evil.com#']) {
        const config = probe({ instance }).url();
        expect(config.ok, instance).to.equal(false);
        expect(!config.ok && config.attribute).to.equal('instance');
      }
    });

    it('refuses a bad parameter value, naming the attribute', () => {
      for (const [attribute, value] of [
        ['days-of-transactions', 'Days7'],
        ['consent-enable', 'yes'],
        ['redirect-url', 'javascript:alert(1)'],
        ['maximum-retry', '-1'],
      ]) {
        const config = probe({ [attribute!]: value! }).url();
        expect(config.ok, attribute).to.equal(false);
        expect(!config.ok && config.attribute).to.equal(attribute);
      }
    });

    it('takes redirect-url and terms-url only as absolute https URLs (loopback in development), naming the attribute', () => {
      for (const attribute of ['redirect-url', 'terms-url']) {
        for (const value of [
          'http://shop.example/flinks-done',
          'javascript:alert(1)',
          '/flinks-done',
          '//shop.example/flinks-done',
          'https://user:pw@shop.example/flinks-done',
          'ftp://shop.example/',
        ]) {
          const config = probe({ [attribute]: value }).url();
          expect(config.ok, `${attribute}=${value}`).to.equal(false);
          expect(!config.ok && config.attribute).to.equal(attribute);
        }
        const parameter = attribute === 'redirect-url' ? 'redirectUrl' : 'termsUrl';
        expect(href(probe({ [attribute]: ' https://shop.example/done?order=42 ' })).searchParams.get(parameter)).to.equal(
          'https://shop.example/done?order=42',
        );
        // The sources are the development build: loopback is allowed here (the production build's test refuses it).
        expect(href(probe({ [attribute]: 'http://localhost:8080/done' })).searchParams.get(parameter)).to.equal('http://localhost:8080/done');
      }
    });

    it('reports an http redirect-url as INVALID_CONFIG naming it, and never hands it to Flinks', async () => {
      const original = console.error;
      const logged: string[] = [];
      console.error = (...args: unknown[]) => logged.push(args.join(' '));
      try {
        const el = document.createElement('flinks-connect');
        el.setAttribute('redirect-url', 'http://shop.example/flinks-done');
        const seen = record(el);
        document.body.append(el);
        mounted.push(el);
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
        expect(seen.map((r) => [r.type, r.detail.code ?? r.detail.outcome])).to.deep.equal([
          ['provider-error', 'INVALID_CONFIG'],
          ['provider-outcome', 'error'],
        ]);
        expect(seen[0]!.detail.data.attribute).to.equal('redirect-url');
        expect(logged.join('\n')).to.contain('"redirect-url"').and.to.contain('https');
      } finally {
        console.error = original;
      }
    });

    it('accepts src only on a Flinks host over https, or loopback', () => {
      const ok = (src: string) => probe({ src }).url().ok;
      expect(ok('https://toolbox-iframe.private.fin.ag/v2/?demo=true')).to.equal(true);
      expect(ok('https://myshop-iframe.private.fin.ag/v2/')).to.equal(true);
      expect(ok('http://toolbox-iframe.private.fin.ag/v2/')).to.equal(false);
      expect(ok('https://toolbox-iframe.private.fin.ag.evil.test/v2/')).to.equal(false);
      expect(ok('https://iframe.private.fin.ag/')).to.equal(false);
      expect(ok('https://a.b-iframe.private.fin.ag/')).to.equal(false);
      expect(ok('https://evil.test/toolbox-iframe.private.fin.ag')).to.equal(false);
      expect(ok(`${PROVIDER_ORIGIN}/x`)).to.equal(true);
    });

    it('reports a bad instance as INVALID_CONFIG with no frame, and recovers when it is fixed', async () => {
      const original = console.error;
      const logged: string[] = [];
      console.error = (...args: unknown[]) => logged.push(args.join(' '));
      try {
        const el = document.createElement('flinks-connect');
        el.setAttribute('instance', 'evil.example/x');
        el.setAttribute('modal', '');
        const seen = record(el);
        document.body.append(el);
        mounted.push(el);
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
        expect(el.status).to.equal('error');
        expect(seen.map((r) => [r.type, r.detail.code ?? r.detail.outcome])).to.deep.equal([
          ['provider-error', 'INVALID_CONFIG'],
          ['provider-outcome', 'error'],
        ]);
        expect(logged.join('\n')).to.contain('"instance"');
        el.setAttribute('instance', 'toolbox');
        await el.updateComplete;
        expect(el.status).to.equal('idle');
        expect(el.outcome).to.equal(undefined);
      } finally {
        console.error = original;
      }
    });
  });

  describe('Flinks messages', () => {
    it('turns each step into a provider-event named after the step, with its metadata', async () => {
      const { el, seen } = await mountReady();
      runInFrame(el, 'flinks', 'institution');
      const event = await waitFor<CustomEvent>(el, 'provider-event');
      expect(event.detail).to.deep.equal({ provider: 'flinks', name: 'INSTITUTION_SELECTED', data: { institution: 'FlinksCapital' } });
      expect(Object.isFrozen(event.detail.data)).to.equal(true);
      expect(seen.slice(0, 3).map((r) => [r.type, r.detail.name])).to.deep.equal([
        ['provider-ready', undefined],
        ['provider-event', 'APP_MOUNTED'],
        ['provider-event', 'COMPONENT_LOAD_INSTITUTION_SELECTOR'],
      ]);
    });

    it('reads JSON-string messages when the frame runs with stringify=true', async () => {
      const { el, seen } = await mountReady({ stringify: 'true' });
      await settle(el, 'flinks', seen, ['{"step":"COMPONENT_LOAD_MFA","mfaTypes":["QuestionAndAnswer"]}']);
      expect(seen.map((r) => r.detail.name)).to.include('APP_MOUNTED');
      expect(seen.find((r) => r.detail.name === 'COMPONENT_LOAD_MFA')!.detail.data).to.deep.equal({ mfaTypes: ['QuestionAndAnswer'] });
    });

    it('passes unknown steps through as events', async () => {
      const { el, seen } = await mountReady();
      await settle(el, 'flinks', seen, [{ step: 'SOME_NEW_STEP_2027', detail: 'x' }]);
      expect(seen.find((r) => r.detail.name === 'SOME_NEW_STEP_2027')!.detail.data).to.deep.equal({ detail: 'x' });
    });

    for (const shape of ['url', 'field', 'both']) {
      it(`ends with outcome connected and the loginId for a REDIRECT (${shape} shape)`, async () => {
        const { el } = await mountReady(shape === 'both' ? {} : { shape });
        runInFrame(el, 'flinks', 'redirect');
        const outcome = await waitFor<CustomEvent>(el, 'provider-outcome');
        expect(outcome.detail.provider).to.equal('flinks');
        expect(outcome.detail.outcome).to.equal('connected');
        expect(outcome.detail.data.loginId).to.match(/^[0-9a-f-]{36}$/);
        expect(outcome.detail.data.institution).to.equal('FlinksCapital');
        expect(outcome.detail.data.accountIds).to.be.an('array').that.is.not.empty;
        expect(el.status).to.equal('complete');
      });
    }

    it('never puts the loginId in an attribute, the DOM or a log line', async () => {
      const logged: string[] = [];
      const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
      for (const key of Object.keys(originals) as Array<keyof typeof originals>) {
        console[key] = (...args: unknown[]) => logged.push(args.map(String).join(' '));
      }
      try {
        const { el } = await mountReady();
        runInFrame(el, 'flinks', 'redirect');
        const outcome = await waitFor<CustomEvent>(el, 'provider-outcome');
        await el.updateComplete;
        const loginId: string = outcome.detail.data.loginId;
        expect(document.documentElement.outerHTML).not.to.contain(loginId);
        expect(el.shadowRoot!.innerHTML).not.to.contain(loginId);
        expect(el.getAttributeNames().map((n) => el.getAttribute(n)).join(' ')).not.to.contain(loginId);
        expect(logged.join('\n')).not.to.contain(loginId);
      } finally {
        Object.assign(console, originals);
      }
    });

    it('ends with outcome closed on COMPONENT_CLOSE_SESSION', async () => {
      const { el } = await mountReady();
      runInFrame(el, 'flinks', 'close');
      const outcome = await waitFor<CustomEvent>(el, 'provider-outcome');
      expect(outcome.detail).to.deep.equal({ provider: 'flinks', outcome: 'closed', data: { institution: 'FlinksCapital' } });
    });

    it('ends with outcome expired when the session expires (step)', async () => {
      const { el } = await mountReady();
      runInFrame(el, 'flinks', 'expire');
      const outcome = await waitFor<CustomEvent>(el, 'provider-outcome');
      expect(outcome.detail.outcome).to.equal('expired');
      expect(outcome.detail.data.code).to.equal('SESSION_EXPIRED');
    });

    it('reports an API event as a non-fatal provider-error with the documented HTTP status', async () => {
      const { el, seen } = await mountReady();
      runInFrame(el, 'flinks', 'error:INVALID_PASSWORD');
      const error = await waitFor<CustomEvent>(el, 'provider-error');
      expect(error.detail.provider).to.equal('flinks');
      expect(error.detail.code).to.equal('INVALID_PASSWORD');
      expect(error.detail.fatal).to.equal(false);
      expect(error.detail.data.httpStatus).to.equal(401);
      expect(error.detail.message).to.be.a('string').and.not.equal('');
      expect(el.status).to.equal('ready');
      await settle(el, 'flinks', seen, [{ flinksCode: 'A_CODE_FROM_2027' }]);
      const unknown = seen.find((r) => r.detail.code === 'A_CODE_FROM_2027')!;
      expect(unknown.detail.data.httpStatus).to.equal(undefined);
      expect(el.outcome).to.equal(undefined);
    });

    for (const lang of ['en', 'fr'] as const) {
      it(`says OPERATION_PENDING is still being processed, not that something went wrong (${lang})`, async () => {
        const { el, seen } = await mountReady();
        el.lang = lang;
        await settle(el, 'flinks', seen, [{ flinksCode: 'OPERATION_PENDING', requestId: REQUEST }]);
        const error = seen.find((r) => r.detail.code === 'OPERATION_PENDING')!;
        expect(error.detail.message).to.equal(flinksText[lang].errors.pending);
        expect(error.detail.message).to.not.equal(flinksText[lang].errors.generic);
        expect(error.detail.data.httpStatus).to.equal(202);
        expect(el.outcome).to.equal(undefined);
      });
    }

    it('reports SESSION_NONEXISTENT from the API as an error and outcome expired', async () => {
      const { el, seen } = await mountReady();
      runInFrame(el, 'flinks', 'error:SESSION_NONEXISTENT');
      await waitFor(el, 'provider-outcome');
      expect(seen.slice(-2).map((r) => [r.type, r.detail.code ?? r.detail.outcome])).to.deep.equal([
        ['provider-error', 'SESSION_NONEXISTENT'],
        ['provider-outcome', 'expired'],
      ]);
      expect(seen.at(-2)!.detail.data.httpStatus).to.equal(400);
    });
  });

  describe('language', () => {
    afterEach(() => document.documentElement.removeAttribute('lang'));

    it('speaks French under an ancestor with lang="fr", to the shopper and to Flinks', async () => {
      const section = document.createElement('section');
      section.lang = 'fr';
      const el = document.createElement('flinks-url-probe') as UrlProbe;
      el.setAttribute('modal', '');
      section.append(el);
      document.body.append(section);
      mounted.push(section);
      await el.updateComplete;
      const loading = el.shadowRoot!.querySelector('slot[name="loading"]')!;
      expect(loading.textContent).to.contain('Chargement');
      expect(el.shadowRoot!.querySelector('slot[name="connected"]')!.textContent).to.contain('connecté');
      section.lang = 'en';
      await new Promise((r) => setTimeout(r));
      await el.updateComplete;
      expect(loading.textContent).to.contain('Loading');
    });

    it('passes its own lang to Flinks as language', () => {
      const el = document.createElement('flinks-url-probe') as UrlProbe;
      el.lang = 'fr-CA';
      const config = el.url();
      expect(config.ok && config.url.searchParams.get('language')).to.equal('fr');
    });

    it('passes axe in French with an outcome', async () => {
      const section = document.createElement('div');
      section.lang = 'fr';
      const el = create();
      section.append(el);
      const ready = waitFor(el, 'provider-ready');
      document.body.append(section);
      mounted.push(section);
      await ready;
      sendFromFrame(el, 'flinks', { step: 'COMPONENT_CLOSE_SESSION' });
      await waitFor(el, 'provider-outcome');
      await el.updateComplete;
      await expect(el).to.be.accessible();
      expect(frameOf(el).title).to.equal('Connectez votre compte bancaire');
    });
  });
});
