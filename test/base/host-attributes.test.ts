import { expect } from '@open-wc/testing';
import { unload } from '@finapi/web-form/dist/loader.js';
import { PROVIDER_ORIGIN, sendFromFrame, waitFor } from '../helpers/frames.js';

/**
 * No state written on the host (issue 15). A framework that server-renders `<flinks-connect …>`
 * hydrates against the attributes it rendered: an attribute the element adds or changes on itself
 * (`status="loading"`, as it once did) is a React 19 hydration mismatch, and after Vue or Svelte
 * hydration it is DOM the framework does not own. So the element keeps its status and outcome in
 * properties and custom states (`:state(ready)`), and writes no attribute on its host — before
 * hydration (on upgrade and connect) or after (ready, events, outcomes, errors, reset).
 *
 * Each element is driven through every status and outcome it has in a test page, by its real
 * protocol (the fake provider frames on another origin, finAPI's loader with its fake server,
 * FlexPay through finframe/server's status stream), with a MutationObserver on the host.
 *
 * This file registers the tags itself (no static define.js import): the first test renders server
 * markup before any definition, as an SSR page does.
 */

interface Host extends HTMLElement {
  readonly status: string;
  readonly outcome: string | undefined;
  readonly updateComplete: Promise<void>;
  open(): void;
  reset(): void;
}

interface Driver {
  tag: string;
  /** The attributes a server renders (nothing secret: tokens are set as properties on the client). */
  markup: Record<string, string>;
  /** What the client sets after definition, as an effect would (a token). */
  client?(el: Host): void;
  /** Starts the session once connected (Benji is modal: `open()`). */
  start?(el: Host): void;
  /** Events and outcomes from the provider, in order; each resolves once the element dispatched it. */
  steps: { states: string[]; run(el: Host): Promise<unknown> }[];
  /** After `reset()`: a second session that ends differently. */
  second: { states: string[]; run(el: Host): Promise<unknown> };
  /** Attributes that make the element misconfigured (a fatal INVALID_CONFIG: status and outcome `error`). */
  broken: Record<string, string>;
}

const LOGIN = 'b92b2bbd-31f8-4e36-795b-08db4111f24d';
const FLEXITI_SESSION = '0d9f3c1e-5b0a-4c7e-9a51-3f1c2b7d8e90';
const FINAPI_ORIGIN = await (await fetch('/__finapi-fake-origin')).text();
const fakeFinapi = () => (window as unknown as { fakeFinapiWebForm: { complete(): void; fail(detail?: unknown): void } }).fakeFinapiWebForm;

const outcome = (el: Element, send: () => void) => {
  const done = waitFor(el, 'provider-outcome');
  send();
  return done;
};
const event = (el: Element, send: () => void) => {
  const done = waitFor(el, 'provider-event');
  send();
  return done;
};

let orders = 0;
async function flexpaySend(el: Element, status: string): Promise<void> {
  const response = await fetch('/__flexpay/send', { method: 'POST', body: JSON.stringify({ reference: el.getAttribute('reference'), status }) });
  const result = await response.json();
  if (result.error) throw new Error(result.reason);
}

const DRIVERS: Driver[] = [
  {
    tag: 'flinks-connect',
    markup: { lang: 'en', src: `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?demo=true`, name: 'bank', required: '' },
    steps: [
      { states: ['ready'], run: (el) => event(el, () => sendFromFrame(el, 'flinks', { step: 'INSTITUTION_SELECTED', institution: 'FlinksCapital' })) },
      { states: ['complete', 'connected'], run: (el) => outcome(el, () => sendFromFrame(el, 'flinks', { step: 'REDIRECT', loginId: LOGIN })) },
    ],
    second: { states: ['complete', 'closed'], run: (el) => outcome(el, () => sendFromFrame(el, 'flinks', { step: 'COMPONENT_CLOSE_SESSION' })) },
    broken: { src: 'https://example.com/not-flinks' },
  },
  {
    tag: 'flexiti-widget',
    markup: { lang: 'en', src: `${PROVIDER_ORIGIN}/demo/fake/flexiti/index.html#/widget/client-1/token-1?widget_session_id=${FLEXITI_SESSION}` },
    steps: [
      {
        states: ['complete', 'verified'],
        run: (el) =>
          outcome(el, () =>
            sendFromFrame(el, 'flexiti', { eventType: 'flx-success', eventData: { accountNumber: 4111, verified: true, action: 'purchase', widget_session_id: FLEXITI_SESSION } }),
          ),
      },
    ],
    second: { states: ['complete', 'cancelled'], run: (el) => outcome(el, () => sendFromFrame(el, 'flexiti', { eventType: 'flx-cancel' })) },
    broken: { src: 'https://example.com/not-flexiti' },
  },
  {
    tag: 'benji-connect',
    markup: { lang: 'fr', src: `${PROVIDER_ORIGIN}/demo/fake/benji/index.html` },
    client: (el) => ((el as Host & { token: string }).token = 'ct_test_token'),
    start: (el) => el.open(),
    steps: [
      {
        states: ['complete', 'success'],
        run: (el) =>
          outcome(el, () =>
            sendFromFrame(el, 'benji', { type: 'FLOW_SUCCESS', data: { action: 'connect', token: { access_token: 'a-token-0123456789', refresh_token: 'r-token-0123456789' }, metadata: { user: { id: 42 } } } }),
          ),
      },
    ],
    second: {
      states: ['complete', 'exit'],
      run: (el) => outcome(el, () => sendFromFrame(el, 'benji', { type: 'FLOW_EXIT', data: { step: 'partner_select', trigger: 'CLOSE_BUTTON_CLICKED' } })),
    },
    broken: { src: 'https://example.com/not-benji' },
  },
  {
    tag: 'finapi-web-form',
    markup: { lang: 'de', 'target-url': FINAPI_ORIGIN },
    client: (el) => ((el as Host & { token: string }).token = 'wf_token_host_attributes'),
    steps: [{ states: ['complete', 'completed'], run: (el) => outcome(el, () => fakeFinapi().complete()) }],
    second: {
      states: ['complete', 'failed'],
      run: (el) => outcome(el, () => fakeFinapi().fail({ type: 'BACKEND_ERROR', code: 'BANK_SERVER_REJECTION', message: 'The bank said no.' })),
    },
    broken: { 'target-url': 'https://example.com' },
  },
  {
    tag: 'flexpay-status',
    markup: { lang: 'en', src: '/__flexpay/status', reference: '' },
    steps: [
      { states: ['ready', 'pending'], run: (el) => event(el, () => void flexpaySend(el, 'PENDING')) },
      { states: ['complete', 'successful'], run: (el) => outcome(el, () => void flexpaySend(el, 'SUCCESSFUL')) },
    ],
    // The status is the server's: a new session sees SUCCESSFUL again, so the second session is another order.
    second: { states: ['complete', 'failed'], run: (el) => outcome(el, () => void flexpaySend(el, 'FAILED')) },
    broken: { src: 'https://example.com/status' },
  },
];

/** `promise`, or a failure naming `what` after 8 s (rather than the test's anonymous timeout). */
const within = <T>(what: string, promise: Promise<T>) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within 8 s`)), 8000))]);

const STATES = ['idle', 'loading', 'ready', 'complete', 'error', 'pending'];
/** The element's custom states among its statuses and `outcomes`, in a stable order. */
const statesOf = (el: Element, outcomes: string[]) => [...STATES, ...outcomes].filter((s, i, all) => all.indexOf(s) === i && el.matches(`:state(${s})`));
const outcomesOf = (d: Driver) => [...d.steps, d.second].flatMap((s) => s.states).filter((s) => !STATES.includes(s));

/** The host's attributes as [name, value] pairs, in order. */
const attributesOf = (el: Element) => [...el.attributes].map((a) => [a.name, a.value]);

/** The attributes of `markup` as an HTML parser sees them (what the framework rendered and hydrates against). */
function parsed(markup: string): string[][] {
  const template = document.createElement('template');
  template.innerHTML = markup;
  return attributesOf(template.content.firstElementChild!);
}

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const serverMarkup = (d: Driver, attributes: Record<string, string>) =>
  `<${d.tag}${Object.entries(attributes)
    .map(([name, value]) => (value === '' ? ` ${name}` : ` ${name}="${escape(value)}"`))
    .join('')}></${d.tag}>`;
/** A fresh order for <flexpay-status>: the server keeps each order's status. */
const withOrder = (attributes: Record<string, string>) =>
  'reference' in attributes ? { ...attributes, reference: `host-attrs-${Date.now().toString(36)}-${++orders}` } : attributes;

/** Every attribute mutation on `el` itself (not its light DOM children), from now on. */
function watch(el: Element): { records: () => string[]; stop: () => void } {
  const seen: MutationRecord[] = [];
  const observer = new MutationObserver((records) => seen.push(...records));
  observer.observe(el, { attributes: true, attributeOldValue: true });
  return {
    records: () => {
      seen.push(...observer.takeRecords());
      return seen.map((r) => `${r.attributeName} written (it was ${JSON.stringify(r.oldValue)})`);
    },
    stop: () => observer.disconnect(),
  };
}

const stages: HTMLElement[] = [];
afterEach(() => {
  stages.splice(0).forEach((stage) => stage.remove());
  unload(document);
});
function stage(): HTMLElement {
  const div = document.createElement('div');
  document.body.append(div);
  stages.push(div);
  return div;
}

describe('no state written on the host', () => {
  it('server-rendered markup of every element, defined afterwards, keeps exactly its server attributes through connect, ready and outcome', async () => {
    for (const d of DRIVERS) expect(customElements.get(d.tag), `<${d.tag}> is not defined yet`).to.equal(undefined);
    // What a framework's server renders, parsed into the page before the element is defined (SSR, then a lazy define.js).
    const where = stage();
    const markups = DRIVERS.map((d) => serverMarkup(d, withOrder(d.markup)));
    where.innerHTML = markups.join('');
    const hosts = [...where.children] as Host[];
    const watches = hosts.map(watch);
    const ready = hosts.map((el) => waitFor(el, 'provider-ready'));
    // What the client sets, as a framework's effect does (tokens never go through the server's HTML);
    // here before the lazy definition, so the element takes them on upgrade.
    DRIVERS.forEach((d, i) => d.client?.(hosts[i]!));
    await import('../../src/define.js');
    DRIVERS.forEach((d, i) => d.start?.(hosts[i]!));
    for (const [i, d] of DRIVERS.entries()) {
      const el = hosts[i]!;
      const server = parsed(markups[i]!);
      const label = `<${d.tag}>`;
      expect(el.matches(':defined'), label).to.equal(true);
      // Upgraded and connected: what hydration compares with the server's markup.
      await el.updateComplete;
      expect(attributesOf(el), `${label} after upgrade and connect`).to.deep.equal(server);
      await within(`${label} provider-ready`, ready[i]!);
      await el.updateComplete;
      expect(el.status, label).to.equal('ready');
      expect(attributesOf(el), `${label} when ready`).to.deep.equal(server);
      for (const step of d.steps) {
        await within(`${label} ${step.states.join('+')}`, step.run(el));
        await el.updateComplete;
        expect(statesOf(el, outcomesOf(d)), label).to.deep.equal(step.states);
      }
      expect(el.outcome, label).to.be.a('string');
      expect(attributesOf(el), `${label} after the outcome`).to.deep.equal(server);
      expect(watches[i]!.records(), `${label}: attribute mutations`).to.deep.equal([]);
      watches[i]!.stop();
    }
  });

  for (const d of DRIVERS) {
    describe(`<${d.tag}>`, () => {
      it('writes no attribute on its host through loading, ready, every event and outcome, reset and a second session', async () => {
        const el = document.createElement(d.tag) as Host;
        for (const [name, value] of Object.entries(withOrder(d.markup))) el.setAttribute(name, value);
        d.client?.(el);
        const before = attributesOf(el);
        const recorded: string[] = [];
        let mutations = watch(el);
        const transitions: string[][] = [];
        const note = async () => {
          await el.updateComplete;
          const now = statesOf(el, outcomesOf(d));
          if (JSON.stringify(now) !== JSON.stringify(transitions.at(-1))) transitions.push(now);
        };

        const ready = waitFor(el, 'provider-ready');
        stage().append(el);
        d.start?.(el);
        await note();
        await ready;
        await note();
        for (const step of d.steps) {
          await step.run(el);
          await note();
        }
        const again = waitFor(el, 'provider-ready');
        if (el.getAttribute('reference') !== null) {
          // <flexpay-status>: another order, so the server has no final status for it yet. (The
          // test's own attribute change, not the element's: stop watching around it.)
          recorded.push(...mutations.records());
          mutations.stop();
          el.setAttribute('reference', withOrder({ reference: '' }).reference!);
          before.splice(0, before.length, ...attributesOf(el));
          mutations = watch(el);
        } else {
          el.reset();
        }
        d.start?.(el);
        await note();
        await again;
        await note();
        await d.second.run(el);
        await note();

        const first = d.steps.at(-1)!.states;
        expect(transitions[0], 'first loading').to.deep.equal(['loading']);
        expect(transitions, 'every status and outcome, in order').to.deep.include.members([['ready'], first, d.second.states]);
        expect(transitions.findIndex((t) => t.join() === first.join())).to.be.lessThan(transitions.findIndex((t) => t.join() === d.second.states.join()));
        expect([...recorded, ...mutations.records()], 'attribute mutations on the host').to.deep.equal([]);
        expect(attributesOf(el)).to.deep.equal(before);
        mutations.stop();
      });

      it('writes no attribute on its host when misconfigured (status and outcome error)', async () => {
        const el = document.createElement(d.tag) as Host;
        for (const [name, value] of Object.entries({ ...withOrder(d.markup), ...d.broken })) el.setAttribute(name, value);
        d.client?.(el);
        const before = attributesOf(el);
        const mutations = watch(el);
        const error = waitFor(el, 'provider-error');
        const original = console.error;
        console.error = () => {};
        try {
          stage().append(el);
          d.start?.(el);
          await error;
          await el.updateComplete;
        } finally {
          console.error = original;
        }
        expect(el.status).to.equal('error');
        expect(el.outcome).to.equal('error');
        expect(statesOf(el, outcomesOf(d))).to.deep.equal(['error']);
        expect(mutations.records(), 'attribute mutations on the host').to.deep.equal([]);
        expect(attributesOf(el)).to.deep.equal(before);
        mutations.stop();
      });
    });
  }
});
