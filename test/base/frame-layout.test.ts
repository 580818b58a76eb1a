// What the shopper sees of a frame element: a default frame height that fits its provider's
// content, and a modal dialog whose close button is always in view and reachable by keyboard.
// Runs for every frame element against its fake provider page, cross-origin (the fakes measure
// themselves and post the result back: demo/fake/fake-common.js, `measure`).
import { expect } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { ProviderFrameElement } from '../../src/base/provider-frame-element.js';
import '../../src/components/benji-connect/define.js';
import '../../src/components/flexiti-widget/define.js';
import '../../src/components/flinks-connect/define.js';
import { benjiText } from '../../src/translations/benji.js';
import { flexitiText } from '../../src/translations/flexiti.js';
import { flinksText } from '../../src/translations/flinks.js';
import { PROVIDER_ORIGIN, frameOf, measureInFrame, runInFrame, waitFor } from '../helpers/frames.js';

const FAKES = `${PROVIDER_ORIGIN}/demo/fake`;

/** One screen of a fake provider: reached by `run` commands from the first, with its last control. */
interface Screen {
  name: string;
  params: Record<string, string>;
  run: string[];
  control: string;
}

interface Case {
  tag: string;
  fake: string;
  /** The documented default `--frame-height`. */
  height: string;
  /** An element showing the fake with `params`, inline (no dialog). */
  create(params: Record<string, string>): ProviderFrameElement;
  /** Turns the dialog on. */
  modal(el: ProviderFrameElement): void;
  /** The built-in name of the close button, en and fr. */
  close: [string, string];
  /** The screens whose last control must fit: each fake's last screen before the outcome, in each language. */
  screens: Screen[];
}

const CASES: Case[] = [
  {
    tag: 'flinks-connect',
    fake: 'flinks',
    height: '760px',
    create(params) {
      const el = document.createElement('flinks-connect');
      el.src = `${FAKES}/flinks/index.html?${new URLSearchParams({ demo: 'true', closeEnable: 'true', ...params })}`;
      return el;
    },
    modal: (el) => (el.modal = true),
    close: [flinksText.en.close, flinksText.fr.close],
    screens: [
      // Institution → credentials → security question → accounts: the account screen's Continue ends the flow.
      { name: 'the accounts screen (en)', params: { language: 'en' }, run: ['institution', 'credential', 'mfa'], control: '#accounts-continue' },
      { name: 'the accounts screen (fr)', params: { language: 'fr' }, run: ['institution', 'credential', 'mfa'], control: '#accounts-continue' },
      { name: 'the credential screen (fr)', params: { language: 'fr' }, run: ['institution'], control: '#credential-form button[type=submit]' },
    ],
  },
  {
    tag: 'flexiti-widget',
    fake: 'flexiti',
    height: '1000px',
    create(params) {
      const el = document.createElement('flexiti-widget');
      el.src = `${FAKES}/flexiti/index.html#/widget/client-1/token-1?${new URLSearchParams({ 'x-reference-id': 'ref-1', ...params })}`;
      if (params.flow === 'apply') el.flow = 'apply';
      if (params.lang) el.lang = params.lang;
      return el;
    },
    modal: (el) => (el.modal = true),
    close: [flexitiText.en.close, flexitiText.fr.close],
    // The widget posts its result from its verification screen: Continue is the flow's last control.
    screens: [
      { name: 'the purchase flow (en)', params: { lang: 'en' }, run: [], control: '#continue' },
      { name: 'the purchase flow (fr)', params: { lang: 'fr' }, run: [], control: '#continue' },
      { name: 'the application flow (en)', params: { lang: 'en', flow: 'apply' }, run: [], control: '#continue' },
      { name: 'the application flow (fr)', params: { lang: 'fr', flow: 'apply' }, run: [], control: '#continue' },
    ],
  },
  {
    tag: 'benji-connect',
    fake: 'benji',
    height: '645px',
    create(params) {
      const el = document.createElement('benji-connect');
      el.src = `${FAKES}/benji/index.html?${new URLSearchParams(params)}`;
      el.token = 'ct_test_token';
      el.toggleAttribute('inline', true);
      return el;
    },
    modal: (el) => el.removeAttribute('inline'),
    close: [benjiText.en.close, benjiText.fr.close],
    // One screen; its lowest control is the last button.
    screens: [{ name: 'its one screen', params: {}, run: [], control: 'button[data-run="legacy"]' }],
  },
];

/** WebKit (WebKitWebDriver) cannot set the viewport, and takes keys only as WebDriver key codes. */
const WEBKIT = !/Chrome|Firefox/.test(navigator.userAgent);

/** Sets the viewport where the runner can (Chromium, Firefox); false in WebKit. */
async function trySetViewport(width: number, height: number): Promise<boolean> {
  if (WEBKIT) return false;
  await setViewport({ width, height });
  return true;
}

/** Shift+Tab: puppeteer holds Shift down; WebDriver presses every key of one `type` together. */
async function shiftTab(): Promise<void> {
  if (WEBKIT) {
    await sendKeys({ type: '\uE008\uE004' });
  } else {
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
  }
}

/** Resolves once `condition()` holds; rejects after `timeout` ms. (Focus moves into and out of an out-of-process frame asynchronously.) */
async function until(condition: () => boolean, what: string, timeout = 3000): Promise<void> {
  const end = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

function parts(el: ProviderFrameElement) {
  const root = el.shadowRoot!;
  return {
    dialog: root.querySelector('dialog')!,
    close: root.querySelector<HTMLButtonElement>('[part~="close-button"]')!,
    body: root.querySelector<HTMLElement>('dialog .body')!,
  };
}

/** The rectangle `inner` lies inside `outer` (to the pixel). */
function expectInside(inner: DOMRect | { top: number; bottom: number; left: number; right: number }, outer: { top: number; bottom: number; left: number; right: number }, what: string) {
  const near = 0.5;
  expect(inner.top, `${what}: top`).to.be.at.least(outer.top - near);
  expect(inner.left, `${what}: left`).to.be.at.least(outer.left - near);
  expect(inner.bottom, `${what}: bottom`).to.be.at.most(outer.bottom + near);
  expect(inner.right, `${what}: right`).to.be.at.most(outer.right + near);
}

const viewport = () => ({ top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth });

for (const c of CASES) {
  describe(`<${c.tag}> layout`, () => {
    const mounted: Element[] = [];
    afterEach(async () => {
      for (const el of mounted.splice(0)) el.remove();
      await trySetViewport(800, 600);
    });

    async function mount(params: Record<string, string>, { modal = false, width = '' } = {}) {
      const host = document.createElement('div');
      if (width) host.style.width = width;
      const el = c.create(params);
      if (modal) c.modal(el);
      const ready = waitFor(el, 'provider-ready');
      host.append(el);
      document.body.append(host);
      mounted.push(host);
      await el.updateComplete;
      return { el, ready };
    }

    /**
     * The fake's measurement of `selector`, once the frame's document has the <iframe>'s current
     * size: a frame in another process learns of a resize a little later.
     */
    async function measure(el: ProviderFrameElement, selector: string) {
      const frame = frameOf(el);
      for (let attempt = 0; ; attempt++) {
        const measured = await measureInFrame(el, c.fake, selector);
        if (Math.abs(measured.viewportHeight - frame.clientHeight) <= 1 || attempt === 50) {
          expect(measured.control, selector).to.not.equal(null);
          return { ...measured, control: measured.control! };
        }
        await nextFrame();
      }
    }

    async function walk(el: ProviderFrameElement, screen: Screen) {
      for (const name of screen.run) runInFrame(el, c.fake, name);
      return measure(el, screen.control);
    }

    describe(`default --frame-height (${c.height})`, () => {
      for (const screen of c.screens) {
        it(`fits ${screen.name}, last control included, in a 400 px wide frame`, async () => {
          const { el, ready } = await mount(screen.params, { width: '400px' });
          await ready;
          const frame = frameOf(el);
          expect(getComputedStyle(frame).height).to.equal(c.height);
          expect(frame.getBoundingClientRect().width).to.equal(400);
          const m = await walk(el, screen);
          // What the fake calls its viewport is the <iframe>'s box: the measurement is of this frame.
          expect(Math.abs(m.viewportHeight - frame.clientHeight)).to.be.at.most(1);
          expect(m.control.top).to.be.at.least(0);
          expect(m.control.bottom, `${screen.control} ends at ${m.control.bottom} px in a ${m.viewportHeight} px frame`).to.be.at.most(m.viewportHeight);

          // The same check fails in a short frame: it measures something.
          el.style.setProperty('--frame-height', `${Math.floor(m.control.top)}px`);
          const short = await measure(el, screen.control);
          expect(short.viewportHeight).to.equal(Math.floor(m.control.top));
          expect(short.control.bottom).to.be.above(short.viewportHeight);
        });
      }

      it('gives way to --frame-height set on the element or an ancestor', async () => {
        const { el } = await mount(c.screens[0].params, { width: '400px' });
        el.parentElement!.style.setProperty('--frame-height', '333px');
        expect(getComputedStyle(frameOf(el)).height).to.equal('333px');
        el.style.setProperty('--frame-height', '444px');
        expect(getComputedStyle(frameOf(el)).height).to.equal('444px');
      });
    });

    describe('the modal dialog', () => {
      it('at a typical viewport: the frame keeps its height, and scrolling the frame area brings the last control into view', async () => {
        await trySetViewport(1280, 800);
        const screen = c.screens[0];
        const { el, ready } = await mount(screen.params, { modal: true });
        el.open();
        await ready;
        const frame = frameOf(el);
        const { dialog, body, close } = parts(el);
        expect(getComputedStyle(frame).height).to.equal(c.height);
        const m = await walk(el, screen);
        expect(m.control.bottom, `${screen.control} ends at ${m.control.bottom} px in a ${m.viewportHeight} px frame`).to.be.at.most(m.viewportHeight);
        // Scroll the frame area until the control's bottom edge is in view (no-op if it already is).
        const overshoot = frame.getBoundingClientRect().top + m.control.bottom - body.getBoundingClientRect().bottom;
        if (overshoot > 0) body.scrollTop += Math.ceil(overshoot);
        await nextFrame();
        const top = frame.getBoundingClientRect().top;
        const control = { top: top + m.control.top, bottom: top + m.control.bottom, left: frame.getBoundingClientRect().left + m.control.left, right: frame.getBoundingClientRect().left + m.control.right };
        expectInside(control, body.getBoundingClientRect(), `${screen.control} in the frame area`);
        expectInside(control, viewport(), `${screen.control} in the viewport`);
        expectInside(dialog.getBoundingClientRect(), viewport(), 'the dialog');
        expectInside(close.getBoundingClientRect(), viewport(), 'the close button');
        el.close();
      });

      it('keeps the close button in view while a frame taller than the viewport scrolls (320 × 480 where the runner can set it)', async () => {
        const resized = await trySetViewport(320, 480);
        const { el, ready } = await mount(c.screens[0].params, { modal: true });
        // Taller than any viewport, in every engine.
        el.style.setProperty('--frame-height', '3000px');
        el.open();
        await ready;
        const { dialog, body, close } = parts(el);
        if (resized) expect([window.innerWidth, window.innerHeight]).to.deep.equal([320, 480]);
        const before = close.getBoundingClientRect();
        body.scrollTop = body.scrollHeight;
        await nextFrame();
        expect(body.scrollTop, 'the frame area scrolled').to.be.above(1000);
        const after = close.getBoundingClientRect();
        expect(after.top).to.equal(before.top);
        expectInside(dialog.getBoundingClientRect(), viewport(), 'the dialog');
        expectInside(after, viewport(), 'the close button');
        expectInside(after, dialog.getBoundingClientRect(), 'the close button in the dialog');
        // Nothing covers it: the point at its centre hits the button itself.
        const hit = el.shadowRoot!.elementFromPoint(after.left + after.width / 2, after.top + after.height / 2);
        expect(hit).to.equal(close);
        // A 44 × 44 CSS px target (WCAG 2.5.5).
        expect(after.width).to.be.at.least(44);
        expect(after.height).to.be.at.least(44);
        el.close();
      });

      it('takes the initial focus; Tab reaches the close button with a visible focus ring; Enter and Space close; focus returns to the opener', async () => {
        const opener = document.createElement('button');
        opener.textContent = 'Open';
        document.body.append(opener);
        mounted.push(opener);
        const { el, ready } = await mount(c.screens[0].params, { modal: true });
        const { dialog, close } = parts(el);
        opener.focus();
        el.open();
        await ready;
        expect(el.shadowRoot!.activeElement, 'initial focus').to.equal(close);
        expect(close.getAttribute('aria-label')).to.equal(c.close[0]);
        expect(close.type).to.equal('button');

        // Into the provider's frame, as a shopper who tabs on (keys now go to the provider's
        // document), then back with Shift+Tab: the close button is the Tab stop before the frame.
        await sendKeys({ press: 'Tab' });
        await sendKeys({ press: 'Tab' });
        await until(() => el.shadowRoot!.activeElement === frameOf(el), 'focus inside the frame');
        for (let i = 0; i < 10 && el.shadowRoot!.activeElement !== close; i++) {
          await shiftTab();
          await until(() => el.shadowRoot!.activeElement === close, 'the close button', 300).catch(() => {});
        }
        expect(el.shadowRoot!.activeElement, 'focus after Shift+Tab').to.equal(close);
        expect(close.matches(':focus-visible'), ':focus-visible').to.equal(true);
        const ring = getComputedStyle(close);
        expect(ring.outlineStyle).to.equal('solid');
        expect(parseFloat(ring.outlineWidth)).to.be.at.least(2);

        await sendKeys({ press: 'Enter' });
        expect(dialog.open, 'open after Enter').to.equal(false);
        expect(document.activeElement, 'focus after Enter').to.equal(opener);

        el.open();
        await el.updateComplete;
        expect(dialog.open).to.equal(true);
        expect(el.shadowRoot!.activeElement).to.equal(close);
        await sendKeys({ press: ' ' });
        expect(dialog.open, 'open after Space').to.equal(false);
        expect(document.activeElement, 'focus after Space').to.equal(opener);
      });

      it('names the close button in the element\'s language, and passes axe while scrolled', async () => {
        const { el, ready } = await mount({ ...c.screens[0].params }, { modal: true });
        el.lang = 'fr';
        await el.updateComplete;
        el.style.setProperty('--frame-height', '3000px');
        el.open();
        await ready;
        const { body, close } = parts(el);
        expect(close.getAttribute('aria-label')).to.equal(c.close[1]);
        body.scrollTop = body.scrollHeight;
        await expect(el).to.be.accessible();
        el.close();
      });
    });
  });
}
