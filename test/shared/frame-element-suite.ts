import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import type { ProviderFrameElement } from '../../src/base/provider-frame-element.js';
import {
  HOSTILE_ORIGIN,
  PROVIDER_ORIGIN,
  frameOf,
  postFromHostileFrame,
  record,
  sendFromFrame,
  settle as settleFrame,
  waitFor,
  type Recorded,
} from '../helpers/frames.js';

export interface FrameSuiteOptions {
  /** The element's tag, e.g. `flinks-connect`. */
  tag: string;
  /** `detail.provider`. */
  provider: string;
  /** The fake provider page's control-channel name. */
  fake: string;
  /** A configured, unconnected element whose frame is the fake provider page with `params`. */
  create(params?: Record<string, string>): ProviderFrameElement;
  /** An unconnected element whose frame gives no sign of life (for the load timeout). */
  silent(): ProviderFrameElement;
  /**
   * A valid, non-terminal message whose `provider-event` carries `data.marker === id`, for a
   * provider that has such messages (Flexiti has none: every message it sends ends the flow).
   */
  marker?: (id: number) => unknown;
  /** A valid message that ends the session, and the outcome it gives. */
  terminal: { message: unknown; outcome: string };
  /** Messages the provider's schema must reject. */
  malformed: unknown[];
}

/**
 * What every finframe frame element must do, whatever its provider: the gate (origin, source,
 * schema), events and outcomes, slots, cleanup, two instances, modal, accessibility.
 * Each element's test file runs it with its own fake provider.
 */
/** Whether this engine lets a test build a MessageEvent whose `source` is a cross-origin window. */
function canBeSyntheticSource(source: Window): boolean {
  try {
    new MessageEvent('message', { source });
    return true;
  } catch {
    return false;
  }
}

export function runFrameElementSuite(options: FrameSuiteOptions): void {
  const { provider, fake, terminal } = options;
  const mounted: Element[] = [];

  async function mount(params?: Record<string, string>, setup?: (el: ProviderFrameElement) => void) {
    const el = options.create(params);
    setup?.(el);
    const seen = record(el);
    seenBy.set(el, seen);
    const ready = waitFor(el, 'provider-ready');
    document.body.append(el);
    mounted.push(el);
    return { el, seen, ready };
  }

  const seenBy = new WeakMap<Element, Recorded[]>();
  const settle = (el: Element, messages: unknown[] = []) => settleFrame(el, fake, seenBy.get(el)!, messages);
  const forged = [terminal.message, ...(options.marker ? [options.marker(-1)] : [])];

  /** Mounted, ready, and every message the fake page posts on load already handled. */
  async function mountReady(params?: Record<string, string>, setup?: (el: ProviderFrameElement) => void) {
    const mountedEl = await mount(params, setup);
    await mountedEl.ready;
    await settle(mountedEl.el);
    return mountedEl;
  }

  afterEach(() => {
    mounted.splice(0).forEach((el) => el.remove());
  });

  describe(`<${options.tag}> (shared frame-element suite)`, () => {
    describe('loading', () => {
      it('is really cross-origin: the page cannot read the provider frame', async () => {
        const { el } = await mountReady();
        const frame = frameOf(el);
        expect(new URL(frame.src).origin).to.equal(PROVIDER_ORIGIN);
        expect(PROVIDER_ORIGIN).not.to.equal(location.origin);
        expect(() => frame.contentWindow!.document).to.throw();
      });

      it('goes from loading to ready on the first trusted message, with one provider-ready', async () => {
        const { el, seen, ready } = await mount();
        await el.updateComplete;
        expect(el.status).to.equal('loading');
        expect(el.matches(':state(loading)')).to.equal(true);
        const loading = el.shadowRoot!.querySelector('[part~="loading"]')!;
        expect(loading.hasAttribute('hidden')).to.equal(false);
        await ready;
        await el.updateComplete;
        expect(el.status).to.equal('ready');
        expect(el.matches(':state(ready)') && !el.matches(':state(loading)')).to.equal(true);
        expect(loading.hasAttribute('hidden')).to.equal(true);
        await settle(el);
        expect(seen.filter((r) => r.type === 'provider-ready').map((r) => r.detail)).to.deep.equal([{ provider }]);
      });

      it('gives a titled frame in the shadow root', async () => {
        const { el } = await mountReady();
        expect(frameOf(el).title).to.not.equal('');
        el.setAttribute('frame-title', 'Custom title');
        await el.updateComplete;
        expect(frameOf(el).title).to.equal('Custom title');
      });

      it('times out with a fatal LOAD_TIMEOUT and outcome error when the frame says nothing', async () => {
        const el = options.silent();
        el.setAttribute('load-timeout', '300');
        const seen = record(el);
        document.body.append(el);
        mounted.push(el);
        const outcome = await waitFor<CustomEvent>(el, 'provider-outcome');
        expect(outcome.detail.outcome).to.equal('error');
        expect(el.status).to.equal('error');
        const errors = seen.filter((r) => r.type === 'provider-error');
        expect(errors).to.have.length(1);
        expect(errors[0]!.detail).to.include({ provider, code: 'LOAD_TIMEOUT', fatal: true });
        expect(seen.some((r) => r.type === 'provider-ready')).to.equal(false);
      });
    });

    describe('the message gate', () => {
      it('drops valid messages posted by a page on another origin', async () => {
        const { el, seen } = await mountReady();
        const before = seen.length;
        await postFromHostileFrame(forged, { origin: HOSTILE_ORIGIN });
        await settle(el);
        expect(seen.slice(before)).to.deep.equal([]);
        expect(el.outcome).to.equal(undefined);
      });

      it('drops valid messages from another window on the provider\'s own origin', async () => {
        const { el, seen } = await mountReady();
        const before = seen.length;
        await postFromHostileFrame(forged, { origin: PROVIDER_ORIGIN });
        await settle(el);
        expect(seen.slice(before)).to.deep.equal([]);
      });

      it('drops messages from a sandboxed frame with an opaque origin', async () => {
        const { el, seen } = await mountReady();
        const before = seen.length;
        await postFromHostileFrame([terminal.message], { origin: PROVIDER_ORIGIN, sandbox: 'allow-scripts' });
        await settle(el);
        expect(seen.slice(before)).to.deep.equal([]);
      });

      it('drops messages the page posts to itself', async () => {
        const { seen } = await mountReady();
        const before = seen.length;
        window.postMessage(terminal.message, '*');
        await new Promise<void>((resolve) => {
          const done = (event: MessageEvent) => {
            if (event.data === 'self-done') {
              window.removeEventListener('message', done);
              resolve();
            }
          };
          window.addEventListener('message', done);
          window.postMessage('self-done', location.origin);
        });
        expect(seen.slice(before)).to.deep.equal([]);
      });

      it('answers a malformed message from its own frame with a non-fatal INVALID_MESSAGE and nothing else', async () => {
        const { el, seen } = await mountReady();
        const before = seen.length;
        await settle(el, options.malformed);
        const after = seen.slice(before);
        expect(after).to.have.length(options.malformed.length);
        for (const r of after) {
          expect(r.type).to.equal('provider-error');
          expect(r.detail).to.deep.equal({
            provider,
            code: 'INVALID_MESSAGE',
            fatal: false,
            message: r.detail.message,
          });
        }
        expect(el.status).to.equal('ready');
      });

      it('dispatches exactly when source, origin and schema are all right (fuzzed, synthetic events)', async () => {
        const { el, seen } = await mountReady();
        const frameWindow = frameOf(el).contentWindow!;
        // Firefox refuses a cross-origin WindowProxy as a synthetic MessageEvent's `source`
        // (TypeError), so there the trusted case is checked with real messages from the frame
        // instead, and the fuzz covers every untrusted source and origin.
        const synthesizable = canBeSyntheticSource(frameWindow);
        if (!synthesizable) {
          const count = seen.length;
          await settle(el, options.malformed.slice(0, 1));
          expect(seen.slice(count).map((r) => r.detail.code)).to.deep.equal(['INVALID_MESSAGE']);
        }
        const other = document.createElement('iframe');
        other.title = 'other';
        document.body.append(other);
        try {
          const sources = [window, other.contentWindow!, null, ...(synthesizable ? [frameWindow] : [])];
          const valid = options.marker ? [fc.constant('valid')] : [];
          const origins = [
            PROVIDER_ORIGIN,
            HOSTILE_ORIGIN,
            location.origin,
            'null',
            `${PROVIDER_ORIGIN}/`,
            PROVIDER_ORIGIN.toUpperCase(),
            PROVIDER_ORIGIN.replace('http:', 'https:'),
            `${PROVIDER_ORIGIN}0`,
            '',
          ];
          fc.assert(
            fc.property(
              // Indices, not windows: fast-check inspects its values, and a cross-origin window throws on that.
              fc.integer({ min: 0, max: sources.length - 1 }).map((i) => ({ index: i, toString: () => `source #${i}` })),
              fc.constantFrom(...origins),
              fc.oneof(...valid, fc.constantFrom(...options.malformed)),
              ({ index }, origin, data) => {
                const source = sources[index]!;
                const count = seen.length;
                const id = Math.floor(Math.random() * 1e9) + 1;
                const message = data === 'valid' ? options.marker!(id) : data;
                window.dispatchEvent(new MessageEvent('message', { data: message, origin, source }));
                const trusted = source === frameWindow && origin === PROVIDER_ORIGIN;
                const added = seen.slice(count);
                if (!trusted) expect(added).to.deep.equal([]);
                else if (data === 'valid') expect(added.map((r) => r.detail.data?.marker)).to.deep.equal([id]);
                else expect(added.map((r) => r.detail.code)).to.deep.equal(['INVALID_MESSAGE']);
              },
            ),
            { numRuns: 400 },
          );
        } finally {
          other.remove();
        }
      });

      it('keeps two elements on one page apart', async () => {
        const a = await mountReady();
        const b = await mountReady();
        const before = b.seen.length;
        sendFromFrame(a.el, fake, terminal.message);
        await waitFor(a.el, 'provider-outcome');
        await settle(b.el);
        expect(b.seen.slice(before)).to.deep.equal([]);
        expect(a.el.outcome).to.equal(terminal.outcome);
        expect(b.el.outcome).to.equal(undefined);
      });

      it('removes every global listener on disconnect and works again when reconnected', async () => {
        // Every listener the element adds to window or document while connecting is recorded;
        // after disconnect each must be removed or its AbortSignal aborted. (A synthetic message
        // "from" the removed frame cannot be used to check this everywhere: WebKit refuses a
        // detached frame's window as a MessageEvent source, Firefox any cross-origin one.)
        const added: Array<{ target: string; type: string; listener: unknown; signal?: AbortSignal }> = [];
        const removed: Array<{ type: string; listener: unknown }> = [];
        const spies = [window, document].map((target) => {
          const { addEventListener: add, removeEventListener: remove } = target;
          const name = target === window ? 'window' : 'document';
          target.addEventListener = function (this: EventTarget, type: string, listener: unknown, opts?: unknown) {
            added.push({ target: name, type, listener, signal: (opts as AddEventListenerOptions | undefined)?.signal });
            return add.call(this, type, listener as EventListener, opts as AddEventListenerOptions);
          } as typeof add;
          target.removeEventListener = function (this: EventTarget, type: string, listener: unknown, opts?: unknown) {
            removed.push({ type, listener });
            return remove.call(this, type, listener as EventListener, opts as EventListenerOptions);
          } as typeof remove;
          return () => Object.assign(target, { addEventListener: add, removeEventListener: remove });
        });
        let mountedEl: Awaited<ReturnType<typeof mount>>;
        try {
          mountedEl = await mount();
        } finally {
          spies.forEach((restore) => restore());
        }
        const { el, ready, seen } = mountedEl;
        await ready;
        expect(added.some((a) => a.target === 'window' && a.type === 'message')).to.equal(true);
        const firstWindow = frameOf(el).contentWindow;
        el.remove();
        for (const a of added) {
          const gone = a.signal?.aborted || removed.some((r) => r.type === a.type && r.listener === a.listener);
          expect(gone, `${a.target} ${a.type} listener still attached`).to.equal(true);
        }
        const count = seen.length;
        const again = waitFor(el, 'provider-ready');
        document.body.append(el);
        await again;
        expect(seen.length).to.be.greaterThan(count);
        expect(el.status).to.equal('ready');
        expect(frameOf(el).contentWindow).to.not.equal(firstWindow);
      });
    });

    describe('outcome', () => {
      it('dispatches the outcome once, shows its built-in message, hides the frame', async () => {
        const { el, seen } = await mountReady();
        sendFromFrame(el, fake, terminal.message);
        const event = await waitFor<CustomEvent>(el, 'provider-outcome');
        expect(event.bubbles && event.composed && event.cancelable).to.equal(true);
        expect(Object.isFrozen(event.detail)).to.equal(true);
        await el.updateComplete;
        expect(el.outcome).to.equal(terminal.outcome);
        expect(el.matches(`:state(${terminal.outcome})`)).to.equal(true);
        expect(el.status).to.equal(terminal.outcome === 'error' ? 'error' : 'complete');
        const region = el.shadowRoot!.querySelector(`slot[name="${terminal.outcome}"]`)!.closest('[part~="outcome"]')!;
        expect(region.hasAttribute('hidden')).to.equal(false);
        expect(region.getAttribute('role')).to.equal(terminal.outcome === 'error' ? 'alert' : 'status');
        expect(region.textContent!.trim()).to.not.equal('');
        expect(frameOf(el).hidden).to.equal(true);
        const visible = [...el.shadowRoot!.querySelectorAll('[part~="outcome"]')].filter((p) => !p.hasAttribute('hidden'));
        expect(visible).to.have.length(1);
        await settle(el, [terminal.message]);
        expect(seen.filter((r) => r.type === 'provider-outcome')).to.have.length(1);
      });

      it('keeps the built-in message hidden when the page calls preventDefault()', async () => {
        const { el } = await mountReady();
        el.addEventListener('provider-outcome', (e) => e.preventDefault(), { once: true });
        sendFromFrame(el, fake, terminal.message);
        await waitFor(el, 'provider-outcome');
        await el.updateComplete;
        const visible = [...el.shadowRoot!.querySelectorAll('[part~="outcome"]')].filter((p) => !p.hasAttribute('hidden'));
        expect(visible).to.deep.equal([]);
        expect(el.outcome).to.equal(terminal.outcome);
      });

      it('shows the page\'s own content for an outcome slot', async () => {
        const { el } = await mountReady();
        const mine = document.createElement('p');
        mine.slot = terminal.outcome;
        mine.textContent = 'Merchant text';
        el.append(mine);
        sendFromFrame(el, fake, terminal.message);
        await waitFor(el, 'provider-outcome');
        await el.updateComplete;
        const slot = el.shadowRoot!.querySelector<HTMLSlotElement>(`slot[name="${terminal.outcome}"]`)!;
        expect(slot.assignedElements()).to.deep.equal([mine]);
        expect(slot.closest('[part~="outcome"]')!.hasAttribute('hidden')).to.equal(false);
      });

      it('reset() reloads the frame and allows a new outcome', async () => {
        const { el, seen } = await mountReady();
        const first = frameOf(el);
        sendFromFrame(el, fake, terminal.message);
        await waitFor(el, 'provider-outcome');
        const ready = waitFor(el, 'provider-ready');
        el.reset();
        await el.updateComplete;
        expect(el.status).to.equal('loading');
        expect(el.outcome).to.equal(undefined);
        expect(el.matches(':state(loading)')).to.equal(true);
        expect(frameOf(el)).to.not.equal(first);
        await ready;
        sendFromFrame(el, fake, terminal.message);
        await waitFor(el, 'provider-outcome');
        expect(seen.filter((r) => r.type === 'provider-outcome')).to.have.length(2);
      });
    });

    describe('configuration', () => {
      it('refuses a frame URL that is neither the provider\'s nor loopback: INVALID_CONFIG naming src, no frame', async () => {
        const errors: unknown[][] = [];
        const original = console.error;
        console.error = (...args: unknown[]) => errors.push(args);
        try {
          const el = options.create();
          el.setAttribute('src', 'https://evil.example/steal');
          const seen = record(el);
          const outcome = waitFor<CustomEvent>(el, 'provider-outcome');
          document.body.append(el);
          mounted.push(el);
          await outcome;
          await el.updateComplete;
          expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
          expect(el.status).to.equal('error');
          const error = seen.find((r) => r.type === 'provider-error')!;
          expect(error.detail).to.include({ provider, code: 'INVALID_CONFIG', fatal: true });
          expect(error.detail.message).to.contain('"src"');
          expect(errors.map((e) => String(e[0])).join('\n')).to.contain('"src"');
        } finally {
          console.error = original;
        }
      });
    });

    describe('modal', () => {
      it('creates the frame on open(), focuses its close button, and closes on Escape', async () => {
        const opener = document.createElement('button');
        opener.textContent = 'Open';
        document.body.append(opener);
        mounted.push(opener);
        const { el, ready } = await mount(undefined, (e) => (e.modal = true));
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
        expect(el.status).to.equal('idle');
        opener.focus();
        el.open();
        const dialog = el.shadowRoot!.querySelector('dialog')!;
        expect(dialog.open).to.equal(true);
        expect(dialog.getAttribute('aria-label')).to.not.equal('');
        expect(el.shadowRoot!.activeElement).to.equal(el.shadowRoot!.querySelector('[part~="close-button"]'));
        await ready;
        const { sendKeys } = await import('@web/test-runner-commands');
        await sendKeys({ press: 'Escape' });
        expect(dialog.open).to.equal(false);
        expect(document.activeElement).to.equal(opener);
        el.open();
        expect(dialog.open).to.equal(true);
        el.close();
        expect(dialog.open).to.equal(false);
      });

      it('opens when open() is called right after appending, before the first render', async () => {
        const el = options.create();
        el.modal = true;
        const ready = waitFor(el, 'provider-ready');
        document.body.append(el);
        mounted.push(el);
        el.open(); // same task as append: no render has happened yet
        await ready;
        expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
        el.close();
      });

      it('turning modal on mid-session starts over: no frame until open(), then a new ready', async () => {
        const { el } = await mountReady();
        el.modal = true;
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
        expect(el.status).to.equal('idle');
        const ready = waitFor(el, 'provider-ready');
        el.open();
        await ready;
        expect(el.status).to.equal('ready');
        el.close();
      });

      it('closes the dialog when the outcome arrives', async () => {
        const { el, ready } = await mount(undefined, (e) => (e.modal = true));
        el.open();
        await ready;
        sendFromFrame(el, fake, terminal.message);
        await waitFor(el, 'provider-outcome');
        expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
      });
    });

    describe('accessibility', () => {
      it('passes axe while loading, when ready, and with an outcome', async () => {
        const { el, ready } = await mount();
        await el.updateComplete;
        await expect(el).to.be.accessible();
        await ready;
        await expect(el).to.be.accessible();
        sendFromFrame(el, fake, terminal.message);
        await waitFor(el, 'provider-outcome');
        await el.updateComplete;
        await expect(el).to.be.accessible();
      });

      it('passes axe with the modal dialog open', async () => {
        const { el, ready } = await mount(undefined, (e) => (e.modal = true));
        el.open();
        await ready;
        await expect(el).to.be.accessible();
        el.close();
        await expect(el).to.be.accessible();
      });
    });
  });
}
