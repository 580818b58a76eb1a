import { expect } from '@open-wc/testing';
import { unload } from '@finapi/web-form/dist/loader.js';
import { BenjiConnectElement } from '../../src/components/benji-connect/benji-connect.js';
import { FinapiWebFormElement } from '../../src/components/finapi-web-form/finapi-web-form.js';
import { FlexitiWidgetElement } from '../../src/components/flexiti-widget/flexiti-widget.js';
import { FlexPayStatusElement } from '../../src/components/flexpay-status/flexpay-status.js';
import { FlinksConnectElement } from '../../src/components/flinks-connect/flinks-connect.js';
import { PROVIDER_ORIGIN } from '../helpers/frames.js';

/**
 * Properties set on an element before its class is defined (a framework that renders first, then
 * a lazy `import('finframe/define.js')`) are own properties of the instance that would shadow the
 * class's accessors. Each test sets a property on an element whose tag is not defined yet, defines
 * a subclass under that tag, and checks that the value took effect and that a later change takes
 * effect too — for every settable property custom-elements.json lists, on every element. Frames
 * load about:blank (the URL each session built is recorded), so no test reaches a provider.
 */

const FINAPI_FAKE = await (await fetch('/__finapi-fake-origin')).text();
const FAKE = (provider: string, v: string, hash = '') => `${PROVIDER_ORIGIN}/demo/fake/${provider}/index.html?v=${v}${hash}`;
const FLEXITI_HASH = '#/widget/client-1/token-1?x-reference-id=ref-1&widget_session_id=s-1';

type Any = HTMLElement & Record<string, any>;
type FrameClass = typeof FlinksConnectElement | typeof FlexitiWidgetElement | typeof BenjiConnectElement;

/** A subclass that records each session's frame URL and loads about:blank instead. */
function probe(base: FrameClass): CustomElementConstructor {
  // `sessionFrameUrl` is protected: the probe reaches it as the subclass it is.
  const Base = base as unknown as new () => HTMLElement;
  return class extends Base {
    built: string[] = [];
    sessionFrameUrl(url: string): string {
      this.built.push(url);
      return 'about:blank';
    }
  };
}

const attr = (name: string) => (el: Any) => el.getAttribute(name);
const has = (name: string) => (el: Any) => el.hasAttribute(name);
/** A query parameter of the last frame URL built. */
const framed = (param: string) => (el: Any) => (el.built.length ? new URL(el.built.at(-1)).searchParams.get(param) : undefined);
const script = () => document.getElementById('web-form-source') as HTMLScriptElement | null;

interface Row {
  /** The two values set: the first before the definition, the second after. */
  values: [unknown, unknown];
  /** What the element made of the value: an attribute, the frame URL, the script finAPI's loader adds. */
  observe: (el: Any) => unknown;
  expected: [unknown, unknown];
  /** Attributes of the element besides its defaults. */
  attrs?: Record<string, string>;
}
interface Spec {
  cls: CustomElementConstructor;
  attrs: Record<string, string>;
  /** Set right after the definition (before the first render) unless it is the property under test. */
  after?: Record<string, unknown>;
  rows: Record<string, Row>;
}

const FRAME_ROWS = (flinksLike: boolean, outcomes: [string, string]): Record<string, Row> => ({
  frameTitle: { values: ['First', 'Second'], observe: attr('frame-title'), expected: ['First', 'Second'] },
  loadTimeout: { values: [20000, 25000], observe: attr('load-timeout'), expected: ['20000', '25000'] },
  sessionUrl: { values: ['/__session/none-1', '/__session/none-2'], observe: attr('session-url'), expected: ['/__session/none-1', '/__session/none-2'], ...(flinksLike ? { attrs: { src: FAKE('flinks', 's') } } : {}) },
  name: { values: ['first', 'second'], observe: attr('name'), expected: ['first', 'second'] },
  required: { values: [true, false], observe: has('required'), expected: [true, false] },
  submitOn: { values: outcomes, observe: attr('submit-on'), expected: outcomes },
});

const ELEMENTS: Record<string, Spec> = {
  'flinks-connect': {
    cls: probe(FlinksConnectElement),
    attrs: {},
    rows: {
      ...FRAME_ROWS(true, ['connected', 'closed']),
      authorizeToken: { values: ['tok-1', 'tok-2'], observe: framed('authorizeToken'), expected: ['tok-1', 'tok-2'] },
      src: { values: [FAKE('flinks', '1'), FAKE('flinks', '2')], observe: framed('v'), expected: ['1', '2'] },
      instance: { values: ['first', 'second'], observe: (el) => (el.built.length ? new URL(el.built.at(-1)).hostname : undefined), expected: ['first-iframe.private.fin.ag', 'second-iframe.private.fin.ag'] },
      requestId: { values: ['req-1', 'req-2'], observe: attr('request-id'), expected: ['req-1', 'req-2'] },
      modal: { values: [true, false], observe: has('modal'), expected: [true, false] },
    },
  },
  'flexiti-widget': {
    cls: probe(FlexitiWidgetElement),
    attrs: { src: FAKE('flexiti', '0', FLEXITI_HASH) },
    rows: {
      ...FRAME_ROWS(false, ['verified', 'cancelled']),
      src: { values: [FAKE('flexiti', '1', FLEXITI_HASH), FAKE('flexiti', '2', FLEXITI_HASH)], observe: framed('v'), expected: ['1', '2'] },
      flow: { values: ['apply', 'purchase'], observe: attr('flow'), expected: ['apply', 'purchase'] },
      modal: { values: [true, false], observe: has('modal'), expected: [true, false] },
    },
  },
  'benji-connect': {
    cls: probe(BenjiConnectElement),
    attrs: { inline: '', src: FAKE('benji', '0') },
    after: { token: 'ct-base' },
    rows: {
      ...FRAME_ROWS(false, ['success', 'exit']),
      token: { values: ['ct-1', 'ct-2'], observe: framed('connect_token'), expected: ['ct-1', 'ct-2'] },
      src: { values: [FAKE('benji', '1'), FAKE('benji', '2')], observe: framed('v'), expected: ['1', '2'] },
      environment: { values: ['production', 'sandbox'], observe: attr('environment'), expected: ['production', 'sandbox'] },
      // Modal unless `inline`.
      modal: { values: [false, true], observe: (el) => !el.hasAttribute('inline'), expected: [false, true] },
    },
  },
  'finapi-web-form': {
    cls: class extends FinapiWebFormElement {},
    attrs: { 'target-url': FINAPI_FAKE },
    after: { token: 'wf_base' },
    rows: {
      token: { values: ['wf_1', 'wf_2'], observe: () => (script() ? new URL(script()!.src).searchParams.get('token') : undefined), expected: ['wf_1', 'wf_2'] },
      sessionUrl: { values: ['/__session/none-1', '/__session/none-2'], observe: attr('session-url'), expected: ['/__session/none-1', '/__session/none-2'] },
      environment: { values: ['sandbox', 'live'], observe: attr('environment'), expected: ['sandbox', 'live'] },
      targetUrl: { values: [FINAPI_FAKE, `${FINAPI_FAKE}/`], observe: attr('target-url'), expected: [FINAPI_FAKE, `${FINAPI_FAKE}/`] },
      // An object is copied and frozen by the setter: a frozen copy shows the setter ran.
      layoutConfig: {
        values: [
          { xs: 300, sm: 500, md: 700, lg: 900, xl: 1100 },
          { xs: 400, sm: 500, md: 700, lg: 900, xl: 1100 },
        ],
        observe: (el) => (Object.isFrozen(el.layoutConfig) ? el.layoutConfig.xs : 'not through the setter'),
        expected: [300, 400],
      },
      colorMode: { values: ['dark', 'light'], observe: attr('color-mode'), expected: ['dark', 'light'] },
      loadTimeout: { values: [20000, 25000], observe: attr('load-timeout'), expected: ['20000', '25000'] },
      name: { values: ['first', 'second'], observe: attr('name'), expected: ['first', 'second'] },
      required: { values: [true, false], observe: has('required'), expected: [true, false] },
      submitOn: { values: ['completed', 'aborted'], observe: attr('submit-on'), expected: ['completed', 'aborted'] },
    },
  },
  'flexpay-status': {
    cls: class extends FlexPayStatusElement {},
    attrs: { src: '/__flexpay/status', reference: 'upgrade-base' },
    rows: {
      reference: { values: ['upgrade-1', 'upgrade-2'], observe: attr('reference'), expected: ['upgrade-1', 'upgrade-2'] },
      src: { values: ['/__flexpay/status?a', '/__flexpay/status?b'], observe: attr('src'), expected: ['/__flexpay/status?a', '/__flexpay/status?b'] },
      statusOrigin: { values: ['https://a.example', 'https://b.example'], observe: attr('status-origin'), expected: ['https://a.example', 'https://b.example'] },
      pollInterval: { values: [2000, 3000], observe: attr('poll-interval'), expected: ['2000', '3000'] },
      name: { values: ['first', 'second'], observe: attr('name'), expected: ['first', 'second'] },
      required: { values: [true, false], observe: has('required'), expected: [true, false] },
      submitOn: { values: ['successful', 'failed'], observe: attr('submit-on'), expected: ['successful', 'failed'] },
    },
  },
};

/** The settable properties custom-elements.json documents for each element: public, not read-only, not static. */
const manifest = await (await fetch('/custom-elements.json')).json();
const settable: Record<string, string[]> = {};
for (const mod of manifest.modules) {
  for (const decl of mod.declarations ?? []) {
    if (!decl.tagName) continue;
    settable[decl.tagName] = (decl.members ?? []).filter((m: any) => m.kind === 'field' && !m.privacy && !m.static && !m.readonly).map((m: any) => m.name);
  }
}

let tags = 0;
const fresh = (tag: string) => `x-${tag}-late-${++tags}`;
const mounted: Element[] = [];
afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
  unload(document);
});

async function until(check: () => boolean, what: () => string, ms = 4000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An element of a not-yet-defined tag, with `spec`'s attributes, `prop` set to `value`, connected unless `connect` is false. */
function early(tag: string, spec: Spec, row: Row, prop: string, value: unknown, connect = true): { el: Any; name: string } {
  const name = fresh(tag);
  const el = document.createElement(name) as Any;
  for (const [a, v] of Object.entries({ ...spec.attrs, ...row.attrs })) el.setAttribute(a, v);
  el[prop] = value;
  expect(Object.hasOwn(el, prop), 'an undefined element keeps the value as its own property').to.equal(true);
  if (connect) document.body.append(el);
  mounted.push(el);
  return { el, name };
}

function define(name: string, spec: Spec, el: Any, prop: string): void {
  customElements.define(name, class extends (spec.cls as typeof HTMLElement) {});
  for (const [key, value] of Object.entries(spec.after ?? {})) if (key !== prop) el[key] = value;
}

async function expectObserved(el: Any, row: Row, index: 0 | 1, prop: string): Promise<void> {
  await until(
    () => JSON.stringify(row.observe(el)) === JSON.stringify(row.expected[index]),
    () => `${prop}: expected ${JSON.stringify(row.expected[index])}, the element shows ${JSON.stringify(row.observe(el))}`,
  );
}

describe('properties set before the element is defined', () => {
  it('the table covers every settable property custom-elements.json documents, on every element, and no other', () => {
    expect(Object.keys(settable).sort()).to.deep.equal(Object.keys(ELEMENTS).sort());
    for (const [tag, spec] of Object.entries(ELEMENTS)) expect(Object.keys(spec.rows).sort(), tag).to.deep.equal([...settable[tag]!].sort());
  });

  it('without the upgrade, an own property shadows the accessor and a later change is lost (what these tests detect)', () => {
    const name = fresh('plain');
    const el = document.createElement(name) as Any;
    el.value = 'first';
    customElements.define(
      name,
      class extends HTMLElement {
        set value(v: string) {
          this.setAttribute('value', v);
        }
        get value() {
          return this.getAttribute('value') ?? '';
        }
      },
    );
    el.value = 'second';
    expect(Object.hasOwn(el, 'value')).to.equal(true);
    expect(el.getAttribute('value')).to.equal(null);
  });

  for (const [tag, spec] of Object.entries(ELEMENTS)) {
    describe(`<${tag}>`, () => {
      for (const [prop, row] of Object.entries(spec.rows)) {
        it(`${prop}: set before the definition takes effect, and so does a later change`, async () => {
          const { el, name } = early(tag, spec, row, prop, row.values[0]);
          define(name, spec, el, prop);
          await el.updateComplete;
          expect(Object.hasOwn(el, prop), 'the own property is gone').to.equal(false);
          await expectObserved(el, row, 0, prop);
          el[prop] = row.values[1];
          await el.updateComplete;
          expect(Object.hasOwn(el, prop)).to.equal(false);
          await expectObserved(el, row, 1, prop);
        });
      }

      it('a property set before the definition on an element connected only later, changed in between', async () => {
        const [prop, row] = Object.entries(spec.rows).find(([p]) => p === 'src' || p === 'token')!;
        const { el, name } = early(tag, spec, row, prop, 'placeholder', false);
        define(name, spec, el, prop);
        // Upgraded while disconnected: the latest value is the one that counts once connected.
        el[prop] = row.values[0];
        document.body.append(el);
        await el.updateComplete;
        expect(Object.hasOwn(el, prop)).to.equal(false);
        await expectObserved(el, row, 0, prop);
        el[prop] = row.values[1];
        await expectObserved(el, row, 1, prop);
      });

      it('a read-only property (status) set before the definition does not hide the real one', async () => {
        const row = Object.values(spec.rows)[0]!;
        const { el, name } = early(tag, spec, row, 'status', 'complete');
        define(name, spec, el, 'status');
        await el.updateComplete;
        expect(Object.hasOwn(el, 'status')).to.equal(false);
        expect(el.status).not.to.equal('complete');
        expect(el.matches(`:state(${el.status})`)).to.equal(true);
      });
    });
  }
});
