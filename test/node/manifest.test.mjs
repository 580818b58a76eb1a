// custom-elements.json is generated from JSDoc; these tests hold it to the code, so the README's
// API tables (generated from it) cannot drift from what the element really observes and shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BenjiConnectElement, FlexitiWidgetElement, FlinksConnectElement } from 'finframe';
import { FLINKS_PARAMS } from '../../dist/components/flinks-connect/flinks-connect.params.js';
import * as en from '../../dist/translations/en.js';
import * as fr from '../../dist/translations/fr.js';

const manifest = JSON.parse(readFileSync(new URL('../../custom-elements.json', import.meta.url), 'utf8'));
const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
const flinks = declarations.find((d) => d.tagName === 'flinks-connect');
const ELEMENTS = [
  { tag: 'flinks-connect', cls: FlinksConnectElement, text: 'flinks' },
  { tag: 'flexiti-widget', cls: FlexitiWidgetElement, text: 'flexiti' },
  { tag: 'benji-connect', cls: BenjiConnectElement, text: 'benji' },
];
const REFLECTED_ONLY = ['status', 'outcome'];

for (const { tag, cls, text } of ELEMENTS) {
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

  test(`documents a slot for loading and for every outcome of <${tag}>, in both languages`, () => {
    const slots = decl.slots.map((s) => s.name).sort();
    assert.deepEqual(slots, ['loading', ...Object.keys(en[text].outcomes)].sort());
    assert.deepEqual(Object.keys(fr[text].outcomes), Object.keys(en[text].outcomes));
  });

  test(`documents the four provider events, the parts and --frame-height for <${tag}>`, () => {
    assert.deepEqual(decl.events.map((e) => e.name), ['provider-ready', 'provider-event', 'provider-outcome', 'provider-error']);
    assert.deepEqual(decl.cssParts.map((p) => p.name).sort(), ['close-button', 'dialog', 'frame', 'loading', 'outcome']);
    assert.deepEqual(decl.cssProperties.map((p) => [p.name, p.default]), [['--frame-height', '600px']]);
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
