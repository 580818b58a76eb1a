import { expect } from '@open-wc/testing';
import '../../src/define.js';
import { PROVIDER_ORIGIN, sendFromFrame, waitFor } from '../helpers/frames.js';

/**
 * Custom states (`:state(ready)`, `:state(connected)`): the element's status and outcome for CSS,
 * kept in its ElementInternals rather than in the DOM. Checked through the selector a stylesheet
 * uses, and through a real style rule.
 */

const matches = (el: Element, state: string) => el.matches(`:state(${state})`);
const states = (el: Element) => ['idle', 'loading', 'ready', 'complete', 'error', 'connected', 'closed', 'expired'].filter((s) => matches(el, s));

describe('custom states', () => {
  it('<flinks-connect>: loading → ready → complete + connected, styled by :state(); reset() drops the outcome', async () => {
    const style = document.createElement('style');
    style.textContent = 'flinks-connect:state(connected) { outline: 3px solid rgb(0, 128, 0); }';
    document.head.append(style);
    const el = document.createElement('flinks-connect');
    el.src = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?demo=true`;
    try {
      const ready = waitFor(el, 'provider-ready');
      document.body.append(el);
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['loading']);
      await ready;
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['ready']);
      expect(getComputedStyle(el).outlineStyle).to.equal('none');

      const outcome = waitFor(el, 'provider-outcome');
      sendFromFrame(el, 'flinks', { step: 'REDIRECT', loginId: 'b92b2bbd-31f8-4e36-795b-08db4111f24d' });
      await outcome;
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['complete', 'connected']);
      expect(getComputedStyle(el).outlineColor).to.equal('rgb(0, 128, 0)');

      const again = waitFor(el, 'provider-ready');
      el.reset();
      await again;
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['ready']);
      expect(getComputedStyle(el).outlineStyle).to.equal('none');
    } finally {
      el.remove();
      style.remove();
    }
  });

  it('<flinks-connect>: a misconfigured element is :state(error), only that', async () => {
    const el = document.createElement('flinks-connect');
    el.setAttribute('instance', 'not a host name!');
    const error = waitFor(el, 'provider-error');
    document.body.append(el);
    try {
      await error;
      await el.updateComplete;
      expect(states(el)).to.deep.equal(['error']);
    } finally {
      el.remove();
    }
  });

  it('<flinks-connect>: where the engine refuses a state name without "--" (Chrome 90–124), no states, and the form value still follows the outcome', async () => {
    const proto = (globalThis as unknown as { CustomStateSet: { prototype: { add(name: string): unknown } } }).CustomStateSet.prototype;
    const add = Object.getOwnPropertyDescriptor(proto, 'add')!;
    Object.defineProperty(proto, 'add', {
      ...add,
      value(this: Set<string>, name: string) {
        if (!name.startsWith('--')) throw new DOMException(`The specified value '${name}' must start with '--'.`, 'SyntaxError');
        return add.value.call(this, name);
      },
    });
    // An update that threw would surface here (it runs in a microtask), not in the test.
    const rejections: unknown[] = [];
    const onRejection = (event: PromiseRejectionEvent) => {
      rejections.push(event.reason);
      event.preventDefault();
    };
    addEventListener('unhandledrejection', onRejection);
    const form = document.createElement('form');
    const el = document.createElement('flinks-connect');
    el.src = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?demo=true`;
    el.name = 'bank';
    el.required = true;
    form.append(el);
    try {
      const ready = waitFor(el, 'provider-ready');
      document.body.append(form);
      await ready;
      await el.updateComplete;
      expect(el.status).to.equal('ready');
      expect(states(el)).to.deep.equal([]);
      expect(el.validity.valueMissing).to.equal(true);
      const outcome = waitFor(el, 'provider-outcome');
      sendFromFrame(el, 'flinks', { step: 'REDIRECT', loginId: 'b92b2bbd-31f8-4e36-795b-08db4111f24d' });
      await outcome;
      await el.updateComplete;
      expect(el.outcome).to.equal('connected');
      expect(states(el)).to.deep.equal([]);
      expect(new FormData(form).get('bank[outcome]')).to.equal('connected');
      expect(el.validity.valid).to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections.map(String)).to.deep.equal([]);
    } finally {
      Object.defineProperty(proto, 'add', add);
      removeEventListener('unhandledrejection', onRejection);
      form.remove();
    }
  });

  for (const tag of ['flinks-connect', 'flexiti-widget', 'benji-connect', 'finapi-web-form', 'flexpay-status']) {
    it(`<${tag}>: with no configuration, exactly one state, its status`, async () => {
      const el = document.createElement(tag) as HTMLElement & { updateComplete: Promise<void>; status: string };
      document.body.append(el);
      try {
        await el.updateComplete;
        const all = ['idle', 'loading', 'ready', 'complete', 'error'].filter((s) => matches(el, s));
        expect(all).to.deep.equal([el.status]);
      } finally {
        el.remove();
      }
    });
  }
});
