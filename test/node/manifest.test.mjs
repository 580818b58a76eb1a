// custom-elements.json is generated from JSDoc; these tests hold it to the code, so the README's
// API tables (generated from it) cannot drift from what the element really observes and shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BenjiConnectElement, FinapiWebFormElement, FlexPayStatusElement, FlexitiWidgetElement, FlinksConnectElement } from 'finframe';
import { FLINKS_PARAMS } from '../../dist/components/flinks-connect/flinks-connect.params.js';
import * as en from '../../dist/translations/en.js';
import { finapiDe, finapiEn, finapiFr } from '../../dist/translations/finapi.js';
import { flexpayEn } from '../../dist/translations/flexpay.js';
import * as fr from '../../dist/translations/fr.js';

const manifest = JSON.parse(readFileSync(new URL('../../custom-elements.json', import.meta.url), 'utf8'));
const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
const flinks = declarations.find((d) => d.tagName === 'flinks-connect');
const FRAME = {
  events: ['provider-ready', 'provider-event', 'provider-outcome', 'provider-error'],
  parts: ['close-button', 'dialog', 'frame', 'loading', 'outcome'],
  slots: ['loading'],
};
// Each frame element's own default --frame-height (what fits its provider; test/base/frame-layout.test.ts checks it renders).
const ELEMENTS = [
  { tag: 'flinks-connect', cls: FlinksConnectElement, text: en.flinks, langs: [fr.flinks], ...FRAME, cssProperties: [['--frame-height', '760px']] },
  { tag: 'flexiti-widget', cls: FlexitiWidgetElement, text: en.flexiti, langs: [fr.flexiti], ...FRAME, cssProperties: [['--frame-height', '960px']] },
  { tag: 'benji-connect', cls: BenjiConnectElement, text: en.benji, langs: [fr.benji], ...FRAME, cssProperties: [['--frame-height', '645px']] },
  // finAPI's web form is no frame: no provider-event (finAPI reports nothing between loaded and the end).
  {
    tag: 'finapi-web-form',
    cls: FinapiWebFormElement,
    text: finapiEn,
    events: ['provider-ready', 'provider-outcome', 'provider-error'],
    parts: ['form', 'loading', 'outcome'],
    cssProperties: [],
    slots: ['loading', 'form'],
    langs: [finapiFr, finapiDe],
  },
  // Not a frame either; English only (FlexPay is a UK product). `pending` is a slot beside the outcomes.
  {
    tag: 'flexpay-status',
    cls: FlexPayStatusElement,
    text: flexpayEn,
    events: ['provider-ready', 'provider-event', 'provider-outcome', 'provider-error'],
    parts: ['outcome'],
    cssProperties: [],
    slots: [],
    langs: [],
  },
];
const REFLECTED_ONLY = ['status', 'outcome', 'payment-status'];

for (const { tag, cls, text, events, parts, cssProperties, slots: fixedSlots, langs } of ELEMENTS) {
  const decl = declarations.find((d) => d.tagName === tag);

  test(`documents <${tag}> with the define entry that registers it`, () => {
    assert.ok(decl);
    const define = manifest.modules.find((m) => m.path === `src/components/${tag}/define.ts`);
    assert.ok(define.exports.some((e) => e.kind === 'custom-element-definition' && e.name === tag));
  });

  test(`documents every attribute <${tag}> observes, and no other`, () => {
    const documented = decl.attributes.map((a) => a.name).filter((n) => !REFLECTED_ONLY.includes(n));
    assert.deepEqual([...documented].sort(), [...new Set(cls.observedAttributes)].sort());
  });

  test(`documents a slot for loading and for every outcome of <${tag}>, in every language`, () => {
    const slots = decl.slots.map((s) => s.name).sort();
    assert.deepEqual(slots, [...fixedSlots, ...Object.keys(text.outcomes)].sort());
    for (const lang of langs) assert.deepEqual(Object.keys(lang.outcomes), Object.keys(text.outcomes));
  });

  test(`documents the provider events, the parts and the custom properties of <${tag}>`, () => {
    assert.deepEqual(decl.events.map((e) => e.name), events);
    assert.deepEqual(decl.cssParts.map((p) => p.name).sort(), parts);
    assert.deepEqual((decl.cssProperties ?? []).map((p) => [p.name, p.default]), cssProperties);
  });
}

test('documents every Flinks customization parameter as an attribute', () => {
  const documented = flinks.attributes.map((a) => a.name);
  for (const [attribute] of FLINKS_PARAMS) assert.ok(documented.includes(attribute), attribute);
});

test('documents the public properties and methods', () => {
  const members = flinks.members.filter((m) => !m.privacy && !m.static).map((m) => m.name);
  for (const name of ['src', 'frameTitle', 'loadTimeout', 'modal', 'status', 'outcome', 'instance', 'authorizeToken', 'requestId', 'open', 'close', 'reset']) {
    assert.ok(members.includes(name), name);
  }
  assert.equal(flinks.members.find((m) => m.name === 'status').readonly, true);
});
