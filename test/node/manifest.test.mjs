// custom-elements.json is generated from JSDoc; these tests hold it to the code, so the README's
// API tables (generated from it) cannot drift from what the element really observes and shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { FlinksConnectElement } from 'finframe';
import { FLINKS_PARAMS } from '../../dist/components/flinks-connect/flinks-connect.params.js';
import { flinks as en } from '../../dist/translations/en.js';
import { flinks as fr } from '../../dist/translations/fr.js';

const manifest = JSON.parse(readFileSync(new URL('../../custom-elements.json', import.meta.url), 'utf8'));
const flinks = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'flinks-connect');
const REFLECTED_ONLY = ['status', 'outcome'];

test('documents <flinks-connect> with the define entry that registers it', () => {
  assert.ok(flinks);
  const define = manifest.modules.find((m) => m.path === 'src/components/flinks-connect/define.ts');
  assert.ok(define.exports.some((e) => e.kind === 'custom-element-definition' && e.name === 'flinks-connect'));
});

test('documents every attribute the element observes, and no other', () => {
  const documented = flinks.attributes.map((a) => a.name).filter((n) => !REFLECTED_ONLY.includes(n));
  const observed = FlinksConnectElement.observedAttributes;
  assert.deepEqual([...documented].sort(), [...new Set(observed)].sort());
  for (const [attribute] of FLINKS_PARAMS) assert.ok(documented.includes(attribute), attribute);
});

test('documents the four provider events with their classes', () => {
  assert.deepEqual(
    flinks.events.map((e) => [e.name, e.type.text]),
    [
      ['provider-ready', 'ProviderReadyEvent'],
      ['provider-event', 'ProviderEventEvent'],
      ['provider-outcome', 'ProviderOutcomeEvent'],
      ['provider-error', 'ProviderErrorEvent'],
    ],
  );
});

test('documents a slot for loading and for every outcome, in both languages', () => {
  const slots = flinks.slots.map((s) => s.name).sort();
  assert.deepEqual(slots, ['loading', ...Object.keys(en.outcomes)].sort());
  assert.deepEqual(Object.keys(fr.outcomes), Object.keys(en.outcomes));
});

test('documents the parts and the CSS custom property', () => {
  assert.deepEqual(flinks.cssParts.map((p) => p.name).sort(), ['close-button', 'dialog', 'frame', 'loading', 'outcome']);
  assert.deepEqual(flinks.cssProperties.map((p) => [p.name, p.default]), [['--frame-height', '600px']]);
});

test('documents the public properties and methods', () => {
  const members = flinks.members.filter((m) => !m.privacy && !m.static).map((m) => m.name);
  for (const name of ['src', 'frameTitle', 'loadTimeout', 'modal', 'status', 'outcome', 'instance', 'authorizeToken', 'requestId', 'open', 'close', 'reset']) {
    assert.ok(members.includes(name), name);
  }
  assert.equal(flinks.members.find((m) => m.name === 'status').readonly, true);
});
