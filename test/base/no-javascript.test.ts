import { expect } from '@open-wc/testing';
import '../../src/define.js';
import { PROVIDER_ORIGIN, sendFromFrame, waitFor } from '../helpers/frames.js';
import { scriptedSession } from '../helpers/session.js';

/**
 * The issue's page, end to end, with no page script: `session-url` and the form together. The page
 * is plain HTML written into the document (no property set, no listener added by the "page"); the
 * test only watches: what the merchant's endpoint received (scripts/wtr-session.mjs), what the form
 * posted as a server parses it (scripts/wtr-forms.mjs), and the provider's side, driven through the
 * fake's control channel as a shopper would finish it.
 */

const LOGIN = '5f1e0c3a-8d4b-4f7e-9a2c-1b3d5e7f9a0c';
const FLINKS_FAKE = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?demo=true`;
const BENJI_FAKE = `${PROVIDER_ORIGIN}/demo/fake/benji/index.html`;

interface Seen {
  method: string;
  contentType: string | null;
  accept: string | null;
  body: string;
}
interface Posted {
  entries: [string, string][];
  parsed: Record<string, unknown>;
}

let made = 0;
const unique = () => `nojs-${Date.now().toString(36)}-${++made}`;

/** A session endpoint answering `answer` to every request. */
const endpoint = (answer: unknown) => scriptedSession<Seen>({ json: answer });

const received = async (id: string): Promise<Posted[]> => (await fetch(`/__forms/received?id=${id}`)).json();

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `markup` into a fresh container as a server would have sent it; the form posts into a hidden frame. */
function page(markup: string): { root: HTMLElement; form: HTMLFormElement; sink: HTMLIFrameElement } {
  const root = document.createElement('div');
  const sink = unique();
  root.innerHTML = `<iframe name="${sink}" hidden></iframe>${markup.replace('<form ', `<form target="${sink}" `)}`;
  document.body.append(root);
  return { root, form: root.querySelector('form')!, sink: root.querySelector('iframe')! };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface Element13 extends HTMLElement {
  readonly status: string;
  readonly outcome: string | undefined;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly updateComplete: Promise<void>;
}

describe('no page JavaScript: the issue\'s <form> with <flinks-connect session-url required submit-on>', () => {
  it('asks the merchant\'s server, blocks the submit until connected, then submits the outcome by itself; the token never reaches the DOM', async () => {
    const token = `tok-${crypto.randomUUID()}`;
    // With `src` the answer frames that URL as it is, so the server puts the token in it (docs/no-javascript.md).
    const session = await endpoint({ src: `${FLINKS_FAKE}&authorizeToken=${token}` });
    const id = unique();
    const p = page(`
      <form method="post" action="/__forms/echo?id=${id}">
        <flinks-connect name="bank" session-url="${session.url}" data-order-id="A-1042" required submit-on="connected"></flinks-connect>
        <button>Continue</button>
      </form>`);
    cleanups.push(() => p.root.remove());
    const el = p.root.querySelector('flinks-connect') as Element13;
    await waitFor(el, 'provider-ready');

    // The endpoint got one request, as the issue describes it.
    const seen = await session.seen();
    expect(seen).to.have.length(1);
    expect(seen[0]).to.include({ method: 'POST', contentType: 'application/json', accept: 'application/json' });
    expect(JSON.parse(seen[0].body)).to.deep.equal({ element: 'flinks-connect', lang: 'en', context: { orderId: 'A-1042' } });
    // The token went into the frame URL (where Flinks' protocol puts it) and nowhere else.
    expect(el.shadowRoot!.querySelector('iframe')!.src).to.include(`authorizeToken=${token}`);
    expect(document.documentElement.outerHTML).not.to.include(token);
    expect([...el.attributes].map((a) => a.value).join(' ')).not.to.include(token);

    // Continue before the outcome: the form is not submitted.
    let invalid = 0;
    el.addEventListener('invalid', () => invalid++);
    p.form.querySelector('button')!.click();
    await sleep(400);
    expect(invalid, 'the browser ran the validation').to.equal(1);
    expect(el.validity.valueMissing).to.equal(true);
    expect(el.validationMessage).to.equal('Connect your bank account to continue');
    expect(await received(id)).to.deep.equal([]);

    // The shopper connects: the element submits the form itself, and the server reads one nested object.
    const loaded = new Promise((resolve) => p.sink.addEventListener('load', resolve, { once: true }));
    sendFromFrame(el, 'flinks', { step: 'REDIRECT', loginId: LOGIN, requestId: 'req-7', institution: 'FlinksCapital', accountId: ['acc-1', 'acc-2'] });
    await until(async () => (await received(id)).length === 1, 'the form post');
    await loaded;
    const [posted] = await received(id);
    expect(posted.entries).to.deep.equal([
      ['bank[outcome]', 'connected'],
      ['bank[loginId]', LOGIN],
      ['bank[requestId]', 'req-7'],
      ['bank[institution]', 'FlinksCapital'],
      ['bank[accountIds][]', 'acc-1'],
      ['bank[accountIds][]', 'acc-2'],
    ]);
    expect(posted.parsed).to.deep.equal({
      bank: { outcome: 'connected', loginId: LOGIN, requestId: 'req-7', institution: 'FlinksCapital', accountIds: ['acc-1', 'acc-2'] },
    });
    // The secret of the outcome went to the server in the POST, never into the page.
    expect(document.documentElement.outerHTML).not.to.include(LOGIN);
  });

  it('form.reset() starts a new session that asks the server again (a Flinks token is single-use), with an empty form value', async () => {
    const session = await endpoint({ token: 'tok-reset', src: FLINKS_FAKE });
    const p = page(`<form method="post" action="/__forms/echo?id=${unique()}"><flinks-connect name="bank" session-url="${session.url}"></flinks-connect></form>`);
    cleanups.push(() => p.root.remove());
    const el = p.root.querySelector('flinks-connect') as Element13;
    await waitFor(el, 'provider-ready');
    const outcome = waitFor(el, 'provider-outcome');
    sendFromFrame(el, 'flinks', { step: 'REDIRECT', loginId: LOGIN });
    await outcome;
    expect(new FormData(p.form).get('bank[outcome]')).to.equal('connected');

    const ready = waitFor(el, 'provider-ready');
    p.form.reset();
    await ready;
    expect(await session.seen()).to.have.length(2);
    expect([...new FormData(p.form).keys()]).to.deep.equal([]);
    expect(el.outcome).to.equal(undefined);
  });

  it('inside a disabled <fieldset> sends no session request at all; enabling it asks once', async () => {
    const session = await endpoint({ token: 'tok-fieldset', src: FLINKS_FAKE });
    const p = page(`<form method="post" action="/__forms/echo?id=${unique()}"><fieldset disabled><flinks-connect name="bank" session-url="${session.url}"></flinks-connect></fieldset></form>`);
    cleanups.push(() => p.root.remove());
    const el = p.root.querySelector('flinks-connect') as Element13;
    await sleep(700);
    expect(await session.seen()).to.deep.equal([]);
    expect(el.status).to.equal('idle');
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);

    const ready = waitFor(el, 'provider-ready');
    p.form.querySelector('fieldset')!.disabled = false;
    await ready;
    expect(await session.seen()).to.have.length(1);
  });

  it('disabling the fieldset while the session request is in flight aborts it: no frame, back to idle', async () => {
    const session = await scriptedSession<Seen & { aborted: boolean }>({ json: { token: 'tok-late', src: FLINKS_FAKE }, delay: 600 });
    const p = page(`<form><fieldset><flinks-connect name="bank" session-url="${session.url}"></flinks-connect></fieldset></form>`);
    cleanups.push(() => p.root.remove());
    const el = p.root.querySelector('flinks-connect') as Element13;
    await until(async () => (await session.seen()).length === 1, 'the request');
    expect(el.status).to.equal('loading');
    p.form.querySelector('fieldset')!.disabled = true;
    await sleep(1000);
    expect(el.status).to.equal('idle');
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
    const [request] = await session.seen();
    expect(request.aborted, 'the element closed the request').to.equal(true);
  });
});

describe('no page JavaScript: a modal <benji-connect session-url> opened by an Invoker Command', () => {
  const invokers = 'command' in HTMLButtonElement.prototype && typeof (globalThis as { CommandEvent?: unknown }).CommandEvent === 'function';

  it(`asks for its session only when opened${invokers ? ' (a real commandfor button)' : ' (this engine LACKS Invoker Commands: the command event is dispatched by hand, as the API would)'}`, async () => {
    const session = await endpoint({ token: `benji-${crypto.randomUUID()}`, src: BENJI_FAKE });
    const p = page(`
      <form method="post" action="/__forms/echo?id=${unique()}">
        <button type="button" commandfor="rewards-13" command="--open">Link your rewards</button>
        <benji-connect id="rewards-13" name="loyalty" session-url="${session.url}" required></benji-connect>
      </form>`);
    cleanups.push(() => p.root.remove());
    const el = p.root.querySelector('benji-connect') as Element13;
    await el.updateComplete;
    await sleep(500);
    expect(await session.seen(), 'modal: nothing before open').to.deep.equal([]);

    const ready = waitFor(el, 'provider-ready');
    const button = p.root.querySelector('button')!;
    if (invokers) button.click();
    else {
      const event = new Event('command', { cancelable: true }) as Event & { command: string; source: Element };
      Object.assign(event, { command: '--open', source: button });
      el.dispatchEvent(event);
    }
    await ready;
    const seen = await session.seen();
    expect(seen).to.have.length(1);
    expect(JSON.parse(seen[0].body)).to.include({ element: 'benji-connect' });
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    expect(el.validity.valueMissing).to.equal(true);
  });
});
