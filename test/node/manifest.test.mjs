// custom-elements.json is generated from JSDoc; these tests hold it to the code, so the API tables
// of docs/elements/ (generated from it) cannot drift from what the element really observes and shows.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BenjiConnectElement, FinapiWebFormElement, FlexPayStatusElement, FlexitiWidgetElement, FlinksConnectElement } from 'finframe';
import { FLINKS_PARAMS } from '../../dist/components/flinks-connect/flinks-connect.params.js';
import { benjiText } from '../../dist/translations/benji.js';
import { finapiText } from '../../dist/translations/finapi.js';
import { flexitiText } from '../../dist/translations/flexiti.js';
import { flexpayText } from '../../dist/translations/flexpay.js';
import { flinksText } from '../../dist/translations/flinks.js';

const manifest = JSON.parse(readFileSync(new URL('../../custom-elements.json', import.meta.url), 'utf8'));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const root = new URL('../../', import.meta.url);
const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
const flinks = declarations.find((d) => d.tagName === 'flinks-connect');
/** The outcome region's parts and custom properties: the same on every element (src/base/outcome.ts). */
const TONES = ['success', 'info', 'warning', 'error'];
const OUTCOME_PARTS = ['outcome', 'outcome-icon', 'outcome-text', ...TONES.map((t) => `outcome-${t}`)];
const OUTCOME_PROPS = [
  ...TONES.flatMap((t) => [`--finframe-${t}-color`, `--finframe-${t}-background`, `--finframe-${t}-border`]),
  ...['padding', 'gap', 'radius'].map((p) => `--finframe-outcome-${p}`),
];
const FRAME = {
  events: ['provider-ready', 'provider-event', 'provider-outcome', 'provider-error'],
  parts: ['close-button', 'dialog', 'frame', 'loading', ...OUTCOME_PARTS],
  cssProperties: ['--frame-height', ...OUTCOME_PROPS],
  slots: ['loading'],
};
// Each frame element's own default --frame-height (what fits its provider; test/base/frame-layout.test.ts checks it renders).
const ELEMENTS = [
  { tag: 'flinks-connect', cls: FlinksConnectElement, text: flinksText.en, langs: [flinksText.fr], ...FRAME, frameHeight: '760px' },
  { tag: 'flexiti-widget', cls: FlexitiWidgetElement, text: flexitiText.en, langs: [flexitiText.fr], ...FRAME, frameHeight: '1000px' },
  { tag: 'benji-connect', cls: BenjiConnectElement, text: benjiText.en, langs: [benjiText.fr], ...FRAME, frameHeight: '645px' },
  // finAPI's web form is no frame: no provider-event (finAPI reports nothing between loaded and the end).
  {
    tag: 'finapi-web-form',
    cls: FinapiWebFormElement,
    text: finapiText.en,
    events: ['provider-ready', 'provider-outcome', 'provider-error'],
    parts: ['form', 'loading', ...OUTCOME_PARTS],
    cssProperties: OUTCOME_PROPS,
    slots: ['loading', 'form'],
    langs: Object.values(finapiText),
  },
  // Not a frame either. `pending` is a slot beside the outcomes.
  {
    tag: 'flexpay-status',
    cls: FlexPayStatusElement,
    text: flexpayText.en,
    events: ['provider-ready', 'provider-event', 'provider-outcome', 'provider-error'],
    parts: OUTCOME_PARTS,
    cssProperties: OUTCOME_PROPS,
    slots: [],
    langs: [flexpayText.fr],
  },
];
const STATUSES = ['idle', 'loading', 'ready', 'complete', 'error'];

for (const { tag, cls, text, events, parts, cssProperties, slots: fixedSlots, langs, frameHeight } of ELEMENTS) {
  const decl = declarations.find((d) => d.tagName === tag);

  test(`documents <${tag}> with the define entry that registers it`, () => {
    assert.ok(decl);
    const define = manifest.modules.find((m) => m.path === `dist/components/${tag}/define.js`);
    const definition = define.exports.find((e) => e.kind === 'custom-element-definition' && e.name === tag);
    // The class it registers, in the element's pure entry (`finframe/<tag>.js`).
    assert.deepEqual(definition.declaration, { name: cls.name, module: `dist/components/${tag}/${tag}.js` });
    assert.equal(pkg.exports[`./${tag}.js`].default, `./${definition.declaration.module}`);
    assert.equal(pkg.exports[`./${tag}/define.js`].default, `./${define.path}`);
    assert.ok(manifest.modules.find((m) => m.path === definition.declaration.module).declarations.some((d) => d.name === cls.name));
  });

  test(`documents every attribute <${tag}> observes, and no other`, () => {
    // The element writes no attribute on itself (status and outcome are custom states), so every
    // documented attribute is one the page sets and the element observes.
    const documented = decl.attributes.map((a) => a.name);
    assert.deepEqual([...documented].sort(), [...new Set(cls.observedAttributes)].sort());
  });

  test(`documents a custom state for every status and every outcome of <${tag}>`, () => {
    // Outcome slots and outcome states share their names (<flexpay-status>'s `pending` is both).
    const states = (decl.cssStates ?? []).map((s) => s.name).sort();
    assert.deepEqual(states, [...new Set([...STATUSES, ...Object.keys(text.outcomes)])].sort());
    for (const s of decl.cssStates) assert.ok(s.description, s.name);
  });

  test(`documents a slot for loading and for every outcome of <${tag}>, in every language`, () => {
    const slots = decl.slots.map((s) => s.name).sort();
    assert.deepEqual(slots, [...fixedSlots, ...Object.keys(text.outcomes)].sort());
    for (const lang of langs) assert.deepEqual(Object.keys(lang.outcomes), Object.keys(text.outcomes));
  });

  test(`documents the provider events, the parts and the custom properties of <${tag}>`, () => {
    assert.deepEqual(decl.events.map((e) => e.name), events);
    assert.deepEqual(decl.cssParts.map((p) => p.name).sort(), [...parts].sort());
    assert.deepEqual((decl.cssProperties ?? []).map((p) => p.name).sort(), [...cssProperties].sort());
    // Every custom property has its default documented.
    for (const p of decl.cssProperties ?? []) assert.ok(p.default, p.name);
    // Each frame element's default height is its provider's own (docs/layout.md).
    if (frameHeight) assert.equal(decl.cssProperties.find((p) => p.name === '--frame-height').default, frameHeight);
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

/** Every module the manifest names, as `[where, path]`: each module's `path`, and every `module` of a reference (exports, superclasses, `inheritedFrom`). */
function modulePaths(doc) {
  const found = [];
  const walk = (node, where) => {
    if (Array.isArray(node)) node.forEach((item) => walk(item, where));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'module' && typeof value === 'string') found.push([where, value]);
        else walk(value, where);
      }
    }
  };
  for (const mod of doc.modules) {
    found.push([mod.path, mod.path]);
    walk(mod, mod.path);
  }
  return found;
}

/** The module paths a tool could not open in the published package: not under dist/, or not built. */
function unpublished(doc) {
  return modulePaths(doc)
    .filter(([, path]) => !path.startsWith('dist/') || !existsSync(new URL(path, root)))
    .map(([where, path]) => `${path} (in ${where})`);
}

test('names only published files as modules: every module path is in dist/ after the build', () => {
  const paths = modulePaths(manifest);
  assert.ok(paths.length > 300, `expected the manifest's references, found ${paths.length}`);
  assert.deepEqual(unpublished(manifest), []);
  // Each module's JavaScript has its declarations beside it (the manifest has no field for them); a type-only module is its .d.ts.
  for (const { path } of manifest.modules) {
    assert.ok(existsSync(new URL(path.replace(/(\.d\.ts|\.js)$/, '.d.ts'), root)), `${path} has no .d.ts`);
  }
  assert.ok(manifest.modules.some((m) => m.path === 'dist/events/details.d.ts'), 'the type-only module is named by its .d.ts');
  // dist/ is what the package publishes.
  assert.ok(pkg.files.includes('dist'));
});

test('the published-path check fails on a source path, a relative reference and an unbuilt file', () => {
  const doctored = structuredClone(manifest);
  const flinksModule = doctored.modules.find((m) => m.path === 'dist/components/flinks-connect/flinks-connect.js');
  flinksModule.path = 'src/components/flinks-connect/flinks-connect.ts';
  doctored.modules.find((m) => m.path === 'dist/index.js').exports[0].declaration.module = './base/provider-frame-element.js';
  doctored.modules.find((m) => m.path === 'dist/define.js').exports[0].declaration.module = 'dist/nowhere.js';
  assert.deepEqual(unpublished(doctored).sort(), [
    './base/provider-frame-element.js (in dist/index.js)',
    'dist/nowhere.js (in dist/define.js)',
    'src/components/flinks-connect/flinks-connect.ts (in src/components/flinks-connect/flinks-connect.ts)',
  ]);
});
