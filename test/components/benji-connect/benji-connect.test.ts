import { expect } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { BenjiConnectElement } from '../../../src/components/benji-connect/benji-connect.js';
import '../../../src/components/benji-connect/define.js';
import { parseBenjiMessage } from '../../../src/components/benji-connect/benji-connect.schema.js';
import { PROVIDER_ORIGIN, frameOf, record, runInFrame, settle, waitFor } from '../../helpers/frames.js';
import { runFrameElementSuite } from '../../shared/frame-element-suite.js';

const FAKE = `${PROVIDER_ORIGIN}/demo/fake/benji/index.html`;

function create(params: Record<string, string> = {}, { inline = true } = {}): BenjiConnectElement {
  const el = document.createElement('benji-connect');
  el.src = `${FAKE}?${new URLSearchParams(params)}`;
  el.token = 'ct_test_token';
  el.toggleAttribute('inline', inline);
  return el;
}

runFrameElementSuite({
  tag: 'benji-connect',
  provider: 'benji',
  fake: 'benji',
  create,
  silent: () => {
    const el = document.createElement('benji-connect');
    el.src = `${PROVIDER_ORIGIN}/__slow`;
    el.token = 'ct_test_token';
    el.toggleAttribute('inline', true);
    return el;
  },
  marker: (id) => ({ type: 'TEST_MARKER', data: { marker: id } }),
  terminal: { message: { type: 'FLOW_EXIT', data: { step: 'partner_select', trigger: 'CLOSE_BUTTON_CLICKED' } }, outcome: 'exit' },
  malformed: [
    { type: 42 },
    { type: '' },
    { type: '<b>' },
    { data: {} },
    { type: 'FLOW_SUCCESS', data: {} },
    { type: 'FLOW_SUCCESS', data: { action: 'connect', token: { refresh_token: 'x' } } },
    { type: 'ERROR', data: {} },
    { type: 'EVENT', data: 'not an object' },
    '{"type":"EVENT","data":{"__proto__":{"polluted":true}}}',
    null,
    'FLOW_EXIT',
  ],
});

class UrlProbe extends BenjiConnectElement {
  url() {
    return this.frameConfig();
  }
  session(url: string) {
    return this.sessionFrameUrl(url);
  }
}
customElements.define('benji-url-probe', UrlProbe);

describe('<benji-connect>', () => {
  const mounted: Element[] = [];
  afterEach(() => mounted.splice(0).forEach((el) => el.remove()));

  function mountModal(params: Record<string, string> = {}) {
    const el = create(params, { inline: false });
    const seen = record(el);
    document.body.append(el);
    mounted.push(el);
    return { el, seen };
  }

  async function openReady(el: BenjiConnectElement) {
    const ready = waitFor(el, 'provider-ready');
    el.open();
    await ready;
  }

  describe('frame URL', () => {
    const probe = (attributes: Record<string, string>, token?: string) => {
      const el = document.createElement('benji-url-probe') as UrlProbe;
      for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
      if (token) el.token = token;
      return el;
    };

    it('uses each environment\'s origin, sandbox by default, with the connect token', () => {
      const href = (attributes: Record<string, string>) => {
        const config = probe(attributes, 'ct 1').url();
        return config.ok ? config.url.href : config.attribute;
      };
      expect(href({})).to.equal('https://verifyapp-staging.withbenji.com/?connect_token=ct+1');
      expect(href({ environment: 'production' })).to.equal('https://verifyapp.withbenji.com/?connect_token=ct+1');
      expect(href({ environment: 'development' })).to.equal('http://localhost:3000/?connect_token=ct+1');
      expect(href({ environment: 'staging' })).to.equal('environment');
    });

    it('refuses prototype keys as an environment, naming the attribute, and creates no frame', async () => {
      const keys = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
      for (const environment of keys) {
        const config = probe({ environment }, 't').url();
        expect(config.ok, environment).to.equal(false);
        expect(!config.ok && config.attribute, environment).to.equal('environment');
      }
      const original = console.error;
      const logged: string[] = [];
      console.error = (...args: unknown[]) => logged.push(args.join(' '));
      try {
        for (const environment of keys) {
          const el = document.createElement('benji-connect');
          el.toggleAttribute('inline', true);
          el.setAttribute('environment', environment);
          el.token = 't';
          const seen = record(el);
          document.body.append(el);
          mounted.push(el);
          await el.updateComplete;
          expect(el.shadowRoot!.querySelector('iframe'), environment).to.equal(null);
          expect(seen.map((r) => [r.type, r.detail.code ?? r.detail.outcome]), environment).to.deep.equal([
            ['provider-error', 'INVALID_CONFIG'],
            ['provider-outcome', 'error'],
          ]);
          expect(seen[0]!.detail.data.attribute).to.equal('environment');
        }
        expect(logged).to.have.length(keys.length);
        expect(logged.every((line) => line.includes('"environment"'))).to.equal(true);
      } finally {
        console.error = original;
      }
    });

    it('refuses to build a frame without a token, naming the attribute', () => {
      const config = probe({}).url();
      expect(!config.ok && config.attribute).to.equal('token');
    });

    it('accepts src only on a Benji host or loopback (the sources are the development build)', () => {
      expect(probe({ src: 'https://verifyapp.withbenji.com/' }, 't').url().ok).to.equal(true);
      expect(probe({ src: `${FAKE}?x=1` }, 't').url().ok).to.equal(true);
      expect(probe({ src: 'https://verifyapp.withbenji.com.evil.test/' }, 't').url().ok).to.equal(false);
      expect(probe({ src: 'http://verifyapp.withbenji.com/' }, 't').url().ok).to.equal(false);
    });

    it('adds a fresh cache-busting t to each session', async () => {
      const el = probe({}, 't');
      const url = el.url();
      const first = new URL(el.session(url.ok ? url.url.href : ''));
      await new Promise((r) => setTimeout(r, 5));
      const second = new URL(el.session(first.href));
      expect(first.searchParams.get('t')).to.match(/^\d+$/);
      expect(second.searchParams.get('t')).to.not.equal(first.searchParams.get('t'));
      expect(second.origin).to.equal(first.origin);
    });

    it('reports a missing token as INVALID_CONFIG and creates no frame', async () => {
      const original = console.error;
      console.error = () => {};
      try {
        const el = document.createElement('benji-connect');
        el.toggleAttribute('inline', true);
        const seen = record(el);
        document.body.append(el);
        mounted.push(el);
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
        expect(seen[0]!.detail).to.include({ code: 'INVALID_CONFIG', fatal: true });
        expect(seen[0]!.detail.data.attribute).to.equal('token');
      } finally {
        console.error = original;
      }
    });
  });

  describe('the modal', () => {
    it('is modal by default: no frame until open(), then a named dialog with focus on its close button', async () => {
      const { el } = mountModal();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
      await openReady(el);
      const dialog = el.shadowRoot!.querySelector('dialog')!;
      expect(dialog.open).to.equal(true);
      expect(dialog.getAttribute('aria-label')).to.equal('Connect your loyalty account with Benji');
      expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('close-button');
      const src = new URL(frameOf(el).src);
      expect(src.searchParams.get('connect_token')).to.equal('ct_test_token');
      expect(src.searchParams.get('t')).to.match(/^\d+$/);
      await expect(el).to.be.accessible();
    });

    it('exits with TAPPED_OUT_OF_BOUNDS on Escape, and returns focus to the opener', async () => {
      const opener = document.createElement('button');
      opener.textContent = 'Connect loyalty';
      document.body.append(opener);
      mounted.push(opener);
      const { el } = mountModal();
      opener.focus();
      await openReady(el);
      const outcome = waitFor<CustomEvent>(el, 'provider-outcome');
      await sendKeys({ press: 'Escape' });
      expect((await outcome).detail).to.deep.equal({ provider: 'benji', outcome: 'exit', data: { step: null, trigger: 'TAPPED_OUT_OF_BOUNDS' } });
      expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
      expect(document.activeElement).to.equal(opener);
    });

    it('exits with TAPPED_OUT_OF_BOUNDS on a click on the backdrop', async () => {
      const { el } = mountModal();
      await openReady(el);
      const outcome = waitFor<CustomEvent>(el, 'provider-outcome');
      await sendMouse({ type: 'click', position: [3, 3] });
      expect((await outcome).detail.data).to.deep.equal({ step: null, trigger: 'TAPPED_OUT_OF_BOUNDS' });
      expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    });

    it('exits with CLOSE_BUTTON_CLICKED from its own close button', async () => {
      const { el } = mountModal();
      await openReady(el);
      const outcome = waitFor<CustomEvent>(el, 'provider-outcome');
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="close-button"]')!.click();
      expect((await outcome).detail.data).to.deep.equal({ step: null, trigger: 'CLOSE_BUTTON_CLICKED' });
    });

    it('starts a new session with a new t when opened again after an exit', async () => {
      const { el } = mountModal();
      await openReady(el);
      const first = frameOf(el).src;
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="close-button"]')!.click();
      await new Promise((r) => setTimeout(r, 2));
      await openReady(el);
      expect(frameOf(el).src).to.not.equal(first);
      expect(el.outcome).to.equal(undefined);
      expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    });

    it('keeps two instances on one page independent, which the official SDK cannot', async () => {
      const a = mountModal();
      const b = mountModal();
      await openReady(a.el);
      runInFrame(a.el, 'benji', 'connect');
      await waitFor(a.el, 'provider-outcome');
      runInFrame(a.el, 'benji', 'exit:ACTION_BUTTON_CLICKED');
      await waitFor(a.el, 'provider-event');
      expect(b.seen).to.deep.equal([]);
      await openReady(b.el);
      runInFrame(b.el, 'benji', 'exit:CLOSE_BUTTON_CLICKED');
      expect((await waitFor<CustomEvent>(b.el, 'provider-outcome')).detail.outcome).to.equal('exit');
      expect(a.el.outcome).to.equal('success');
      expect(b.el.outcome).to.equal('exit');
    });
  });

  describe('Benji messages', () => {
    for (const [run, action] of [
      ['connect', 'connect'],
      ['transfer', 'transfer'],
      ['redeem', 'redeem'],
    ]) {
      it(`ends with outcome success for FLOW_SUCCESS (${action}), the access token normalized`, async () => {
        const { el } = mountModal();
        await openReady(el);
        runInFrame(el, 'benji', run!);
        const { detail } = await waitFor<CustomEvent>(el, 'provider-outcome');
        expect(detail.outcome).to.equal('success');
        expect(detail.data.action).to.equal(action);
        expect(detail.data.token).to.match(/^at_/);
        expect(detail.data.refreshToken).to.match(/^rt_/);
        expect(detail.data.user).to.deep.equal({ id: 'u_1042', first_name: 'Alex', last_name: 'Martin' });
        expect(detail.data.status.num_of_rewards).to.equal(1250);
        expect(detail.data.extraData).to.deep.equal({ partner_id: 'p_77' });
        if (action === 'connect') expect(detail.data.transaction).to.equal(undefined);
        else expect(detail.data.transaction.action).to.equal(action);
        expect(el.shadowRoot!.querySelector('dialog')!.open, 'Benji shows its own confirmation first').to.equal(true);
      });
    }

    it('takes the token as a plain string too', async () => {
      const { el } = mountModal();
      await openReady(el);
      runInFrame(el, 'benji', 'connect-string');
      const { detail } = await waitFor<CustomEvent>(el, 'provider-outcome');
      expect(detail.data.token).to.match(/^at_/);
      expect(detail.data.refreshToken).to.equal(undefined);
    });

    it('after a success, FLOW_EXIT is an event and closes the dialog', async () => {
      const { el, seen } = mountModal();
      await openReady(el);
      runInFrame(el, 'benji', 'connect');
      await waitFor(el, 'provider-outcome');
      runInFrame(el, 'benji', 'exit:ACTION_BUTTON_CLICKED');
      const event = await waitFor<CustomEvent>(el, 'provider-event');
      expect(event.detail).to.deep.equal({ provider: 'benji', name: 'FLOW_EXIT', data: { step: 'success', trigger: 'ACTION_BUTTON_CLICKED' } });
      expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
      expect(el.outcome).to.equal('success');
      expect(seen.filter((r) => r.type === 'provider-outcome')).to.have.length(1);
    });

    for (const trigger of ['ACTION_BUTTON_CLICKED', 'CLOSE_BUTTON_CLICKED', 'TAPPED_OUT_OF_BOUNDS', 'BACK_TO_MERCHANT_CLICKED']) {
      it(`ends with outcome exit for FLOW_EXIT by ${trigger}`, async () => {
        const { el } = mountModal();
        await openReady(el);
        runInFrame(el, 'benji', `exit:${trigger}`);
        const { detail } = await waitFor<CustomEvent>(el, 'provider-outcome');
        expect(detail).to.deep.equal({ provider: 'benji', outcome: 'exit', data: { step: 'partner_select', trigger } });
        expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
      });
    }

    for (const name of ['unexpected_error', 'partner_connect_error']) {
      it(`reports ERROR ${name} as a fatal provider-error named after it, and outcome error`, async () => {
        const { el, seen } = mountModal();
        await openReady(el);
        runInFrame(el, 'benji', `error:${name}`);
        const { detail } = await waitFor<CustomEvent>(el, 'provider-outcome');
        expect(detail.outcome).to.equal('error');
        const error = seen.find((r) => r.type === 'provider-error')!;
        expect(error.detail).to.include({ provider: 'benji', code: name, fatal: true });
        expect(error.detail.data.error_id).to.match(/^err_/);
        expect(el.status).to.equal('error');
      });
    }

    it('passes AUTH_SUCCESS, EVENT, the documented lowercase names and legacy types on as events', async () => {
      const { el, seen } = mountModal();
      await openReady(el);
      await settle(el, 'benji', seen, [{ type: 'SOMETHING_NEW', data: { x: 1 } }]);
      runInFrame(el, 'benji', 'events');
      runInFrame(el, 'benji', 'legacy');
      await settle(el, 'benji', seen);
      const names = seen.filter((r) => r.type === 'provider-event').map((r) => r.detail.name);
      expect(names).to.deep.equal([
        'SOMETHING_NEW',
        'user_partner_select',
        'user_authenticated_with_partner',
        'AUTH_SUCCESS',
        'EVENT',
        'go_back_clicked',
        'user_inactive',
        'authSuccess',
      ]);
      const inactive = seen.find((r) => r.detail.name === 'user_inactive')!;
      expect(inactive.detail.data).to.deep.equal({ partner_id: 'p_77', external_user_id: 'shopper-42', screen_name: 'partner_select' });
      expect(el.outcome).to.equal(undefined);
    });

    it('never puts the access or refresh token in the DOM or a log line', async () => {
      const logged: string[] = [];
      const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
      for (const key of Object.keys(originals) as Array<keyof typeof originals>) {
        console[key] = (...args: unknown[]) => logged.push(args.map(String).join(' '));
      }
      try {
        const { el } = mountModal();
        await openReady(el);
        runInFrame(el, 'benji', 'connect');
        const { detail } = await waitFor<CustomEvent>(el, 'provider-outcome');
        await el.updateComplete;
        for (const secret of [detail.data.token, detail.data.refreshToken]) {
          expect(document.documentElement.outerHTML).not.to.contain(secret);
          expect(el.shadowRoot!.innerHTML).not.to.contain(secret);
          expect(logged.join('\n')).not.to.contain(secret);
        }
      } finally {
        Object.assign(console, originals);
      }
    });

    it('sends nothing through for a forged success from the right origin but another window', async () => {
      const { el, seen } = mountModal();
      await openReady(el);
      const other = document.createElement('iframe');
      other.title = 'same origin, other window';
      other.src = `${FAKE}?connect_token=x`;
      const loaded = new Promise((r) => other.addEventListener('load', r, { once: true }));
      document.body.append(other);
      mounted.push(other);
      await loaded;
      const forged = new Promise<void>((resolve) => {
        const listener = (event: MessageEvent) => {
          if (event.source === other.contentWindow && event.data?.type === 'FLOW_SUCCESS') {
            window.removeEventListener('message', listener);
            resolve();
          }
        };
        window.addEventListener('message', listener);
      });
      other.contentWindow!.postMessage({ fake: 'benji', command: 'run', name: 'connect' }, PROVIDER_ORIGIN);
      await forged; // delivered to the page (and to the element's gate, which ran first)
      await settle(el, 'benji', seen);
      expect(seen.filter((r) => r.type !== 'provider-ready')).to.deep.equal([]);
      expect(el.outcome).to.equal(undefined);
    });
  });
});

describe('parseBenjiMessage', () => {
  it('normalizes both token forms to the access token', () => {
    const object = parseBenjiMessage({ type: 'FLOW_SUCCESS', data: { action: 'connect', token: { access_token: 'a', refresh_token: 'r', expires_at: 5 } } });
    expect(object).to.deep.equal({ kind: 'success', data: { action: 'connect', token: 'a', refreshToken: 'r', expiresAt: 5 } });
    const string = parseBenjiMessage({ type: 'FLOW_SUCCESS', data: { action: 'redeem', token: 'a' } });
    expect(string).to.deep.equal({ kind: 'success', data: { action: 'redeem', token: 'a' } });
  });

  it('reads an exit and an error', () => {
    expect(parseBenjiMessage({ type: 'FLOW_EXIT', data: { step: 's', trigger: 'TAPPED_OUT_OF_BOUNDS' } })?.kind).to.equal('exit');
    expect(parseBenjiMessage({ type: 'ERROR', data: { error: 'unexpected_error', error_id: 'e1' } })).to.deep.equal({
      kind: 'error',
      error: 'unexpected_error',
      errorId: 'e1',
    });
  });

  it('rejects a success without an action, a token object without access_token, and an error without a name', () => {
    expect(parseBenjiMessage({ type: 'FLOW_SUCCESS', data: { token: 'a' } })).to.equal(undefined);
    expect(parseBenjiMessage({ type: 'FLOW_SUCCESS', data: { action: 'connect', token: { refresh_token: 'r' } } })).to.equal(undefined);
    expect(parseBenjiMessage({ type: 'ERROR', data: { error_id: 'e1' } })).to.equal(undefined);
  });
});
