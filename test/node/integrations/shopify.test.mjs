// The Shopify theme app extension (integrations/shopify/extensions/finframe), checked with
// Shopify's own theme check, against the rules Shopify's CLI enforces, and rendered with liquidjs.
// Needs `npm run build` first (assets/ is generated from dist/cdn/). Each checker is also shown a
// broken extension, so that a checker that reports nothing cannot pass for a clean result.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { themeCheckRun } from '@shopify/theme-check-node';
import { EXTENSION, createShopifyRenderer, defaultSettings, readBlocks } from '../../helpers/shopify-liquid.mjs';
import { ASSET_EXTENSIONS, checkExtension, measureExtension } from '../../helpers/shopify-extension-rules.mjs';

const ROOT = resolve(EXTENSION, '../../../..');
const CONFIG = resolve(EXTENSION, '../../theme-check.yml');
const CDN = join(ROOT, 'dist/cdn');
const ASSETS = join(EXTENSION, 'assets');
const TAGS = ['flinks-connect', 'flexiti-widget', 'benji-connect', 'finapi-web-form', 'flexpay-status'];

/** The file the extension loads: the one line of snippets/finframe-script.liquid that names it. */
const ENTRY = /{{\s*'([^']+)'\s*\|\s*asset_url\s*}}/.exec(readFileSync(join(EXTENSION, 'snippets/finframe-script.liquid'), 'utf8'))[1];

const temps = [];
function tempCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'finframe-shopify-'));
  temps.push(dir);
  const copy = join(dir, 'finframe');
  cpSync(EXTENSION, copy, { recursive: true });
  return copy;
}
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function themeCheck(root) {
  // theme check resolves relative paths against its own idea of the root: give it absolute ones.
  const { offenses } = await themeCheckRun(resolve(root), CONFIG, () => {});
  return offenses.map((o) => ({ check: o.check, file: o.uri.slice(o.uri.lastIndexOf('/finframe/') + '/finframe/'.length), message: o.message }));
}

before(() => {
  assert.ok(existsSync(ASSETS), `${ASSETS} is missing: run npm run build first (it copies dist/cdn/*.js there)`);
});

describe('the extension\'s assets/', () => {
  test('is exactly dist/cdn/\'s .js files, byte for byte (the build copied them, flat; no maps, no .mjs)', () => {
    const cdn = readdirSync(CDN).filter((name) => name.endsWith('.js')).sort();
    assert.deepEqual(readdirSync(ASSETS).sort(), cdn);
    for (const name of cdn) assert.ok(readFileSync(join(ASSETS, name)).equals(readFileSync(join(CDN, name))), `${name} differs from dist/cdn`);
    assert.ok(cdn.includes(ENTRY), `the embed loads ${ENTRY}, which the build does not make`);
  });
});

describe('Shopify theme check (theme-check:theme-app-extension, AssetSizeJavaScript on)', () => {
  test('reports no offence in the extension (it loads the loader, 1 kB raw, not the 116 kB bundle)', async () => {
    assert.equal(ENTRY, 'loader.js', 'snippets/finframe-script.liquid loads the loader');
    const offenses = await themeCheck(EXTENSION);
    assert.deepEqual(
      offenses.map(({ check, file }) => ({ check, file })),
      [],
      offenses.map((o) => `${o.check} ${o.file}: ${o.message}`).join('\n'),
    );
  });

  test('does report offences: a broken copy of the extension', async () => {
    const copy = tempCopy();
    // A script over 10,000 bytes, an asset that does not exist, a block without a schema, a
    // translation missing from fr.json and a `t` key that exists nowhere.
    writeFileSync(join(copy, 'assets/heavy.js'), `export const x = ${JSON.stringify('x'.repeat(20_000))};\n`);
    writeFileSync(join(copy, 'snippets/finframe-script.liquid'), `<script type="module" src="{{ 'heavy.js' | asset_url }}"></script>\n<script type="module" src="{{ 'gone.js' | asset_url }}"></script>\n`);
    writeFileSync(join(copy, 'blocks/no-schema.liquid'), '<p>{{ \'finframe.nowhere\' | t }}</p>\n');
    const fr = JSON.parse(readFileSync(join(copy, 'locales/fr.json'), 'utf8'));
    delete fr.finframe.continue;
    writeFileSync(join(copy, 'locales/fr.json'), JSON.stringify(fr));
    const checks = new Set((await themeCheck(copy)).map((o) => o.check));
    for (const check of ['AssetSizeJavaScript', 'MissingAsset', 'AppBlockMissingSchema', 'MatchingTranslations', 'TranslationKeyExists']) {
      assert.ok(checks.has(check), `${check} not reported (got ${[...checks].join(', ')})`);
    }
  });
});

describe("the Shopify CLI's rules", () => {
  test('the extension breaks none: flat assets of allowed types, ≤ 30 blocks, locale files ≤ 15 kB, Liquid ≤ 100 kB, ≤ 10 MB, valid schemas with target and enabled_on', () => {
    assert.deepEqual(checkExtension(EXTENSION), []);
    const sizes = measureExtension(EXTENSION);
    console.log(`# Shopify extension: ${sizes.liquidBytes} bytes of Liquid, ${sizes.totalBytes} bytes in all; assets ${JSON.stringify(sizes.assets)}`);
  });

  test('each rule reports a copy that breaks it', () => {
    const copy = tempCopy();
    mkdirSync(join(copy, 'assets/chunks'));
    writeFileSync(join(copy, 'assets/chunks/a.js'), '');
    writeFileSync(join(copy, 'assets/finframe.mjs'), '');
    writeFileSync(join(copy, 'assets/finframe.js.map'), '{}');
    writeFileSync(join(copy, 'README.md'), '');
    writeFileSync(join(copy, 'locales/de.json'), `{"x": "${'y'.repeat(15_001)}"}`);
    writeFileSync(join(copy, 'locales/it.json'), '{"x": ');
    writeFileSync(join(copy, 'snippets/big.liquid'), 'x'.repeat(100_001));
    for (let i = 0; i < 30; i++) writeFileSync(join(copy, `blocks/extra-${i}.liquid`), `{% schema %}{"name": "x", "target": "section", "enabled_on": {"templates": ["page"]}}{% endschema %}`);
    writeFileSync(join(copy, 'blocks/bad-json.liquid'), '{% schema %}{"name": "x",}{% endschema %}');
    writeFileSync(join(copy, 'blocks/bad-target.liquid'), '{% schema %}{"name": "x", "target": "footer"}{% endschema %}');
    writeFileSync(join(copy, 'blocks/everywhere.liquid'), '{% schema %}{"name": "x", "target": "section"}{% endschema %}');
    writeFileSync(join(copy, 'blocks/second-embed.liquid'), '{% schema %}{"name": "x", "target": "body"}{% endschema %}');
    writeFileSync(join(copy, 'blocks/with-token.liquid'), '{% schema %}{"name": "x", "target": "section", "enabled_on": {"templates": ["page"]}, "settings": [{"type": "text", "id": "flinks_token", "label": "x"}]}{% endschema %}');
    writeFileSync(join(copy, 'shopify.extension.toml'), 'name = "finframe"\ntype = "ui_extension"\n');
    const problems = checkExtension(copy).join('\n');
    for (const expected of [
      'assets/chunks: a subfolder',
      'assets/finframe.mjs: file type not allowed',
      'assets/finframe.js.map: file type not allowed',
      'unexpected top-level entry README.md',
      'locales/de.json: 15010 bytes (at most 15000)',
      'locales/it.json: not valid JSON',
      'bytes of Liquid (at most 100000)',
      'blocks (at most 30)',
      'blocks/bad-json.liquid: schema is not valid JSON',
      'blocks/bad-target.liquid: target "footer"',
      'blocks/everywhere.liquid: an app block without enabled_on.templates',
      '2 app embeds',
      'blocks/with-token.liquid: setting flinks_token looks like a credential',
      'type is not "theme"',
    ]) {
      assert.ok(problems.includes(expected), `not reported: ${expected}\n${problems}`);
    }
    assert.deepEqual(ASSET_EXTENSIONS, ['.jpg', '.jpeg', '.json', '.js', '.css', '.png', '.svg', '.wasm']);
  });
});

describe('the blocks and their schemas', () => {
  const blocks = new Map(readBlocks().map((b) => [b.handle, b]));
  const schemaLocales = {
    en: JSON.parse(readFileSync(join(EXTENSION, 'locales/en.default.schema.json'), 'utf8')),
    fr: JSON.parse(readFileSync(join(EXTENSION, 'locales/fr.schema.json'), 'utf8')),
  };
  const lookup = (tree, key) => key.split('.').reduce((node, part) => node?.[part], tree);

  test('one app embed (target body) and one app block per element, each on the templates where it makes sense', () => {
    assert.deepEqual([...blocks.keys()].sort(), ['finframe-embed', ...TAGS].sort());
    assert.equal(blocks.get('finframe-embed').schema.target, 'body');
    const templates = Object.fromEntries(TAGS.map((tag) => [tag, blocks.get(tag).schema.enabled_on.templates]));
    assert.deepEqual(templates, {
      'flinks-connect': ['page', 'customers/account', 'customers/order'],
      'flexiti-widget': ['product', 'cart'],
      'benji-connect': ['page', 'customers/account', 'customers/order'],
      'finapi-web-form': ['page', 'customers/account', 'customers/order'],
      'flexpay-status': ['customers/order'],
    });
    for (const tag of TAGS) assert.equal(blocks.get(tag).schema.target, 'section');
  });

  test('the session URL and form action default to the app proxy, per provider; no setting can hold a token', () => {
    for (const tag of TAGS) {
      const settings = defaultSettings(blocks.get(tag).schema);
      const provider = tag.split('-')[0];
      assert.equal(settings.form_action, `/apps/finframe/${provider}/result`, tag);
      if (tag !== 'flexpay-status') assert.equal(settings.session_url, `/apps/finframe/${provider}/session`, tag);
      for (const id of Object.keys(settings)) assert.doesNotMatch(id, /token|secret|key/i, `${tag}: ${id}`);
    }
  });

  test('every t: key of every schema is translated in en and fr', () => {
    const keys = JSON.stringify([...blocks.values()].map((b) => b.schema)).match(/"t:[^"]+"/g).map((k) => k.slice(3, -1));
    assert.ok(keys.length > 40);
    for (const key of new Set(keys)) {
      for (const [locale, tree] of Object.entries(schemaLocales)) assert.equal(typeof lookup(tree, key), 'string', `${locale}: ${key}`);
    }
  });
});

describe('rendered with liquidjs', () => {
  const renderer = createShopifyRenderer({ assetBase: '/cdn/finframe' });
  const count = (html, pattern) => (html.match(pattern) ?? []).length;
  const objects = { product: { id: 42, selected_or_first_available_variant: { id: 4201 } }, order: { id: 5550001 }, template: { name: 'page' } };

  for (const tag of TAGS) {
    test(`${tag}: a <form> around the element with name, required, submit-on, lang and the editor's attributes; the module script; no token`, async () => {
      const html = await renderer.renderBlock(tag, { id: 'AbC123', locale: 'fr', designMode: true, objects });
      const form = /<form\b[^>]*>/.exec(html)[0];
      assert.match(form, /method="post"/);
      assert.match(form, new RegExp(`action="/apps/finframe/${tag.split('-')[0]}/result"`));
      assert.match(form, /lang="fr"/);
      assert.match(form, /data-shopify-editor-block="/);
      assert.match(form, /id="finframe-form-AbC123"/);
      const element = new RegExp(`<${tag}\\b[^>]*>`).exec(html)[0];
      assert.match(element, /id="finframe-AbC123"/);
      assert.match(element, /name="[a-z]+"/);
      assert.equal(count(html, /<script type="module" src="\/cdn\/finframe\/[a-z0-9.-]+\.js"><\/script>/g), 1);
      assert.doesNotMatch(html, /token=|authorize-token|\btoken="/i);
      assert.doesNotMatch(html, /translation missing/);
      if (tag !== 'flexpay-status') assert.match(element, new RegExp(`session-url="/apps/finframe/${tag.split('-')[0]}/session"`));
    });
  }

  test('outside the theme editor, block.shopify_attributes adds nothing', async () => {
    const html = await renderer.renderBlock('flinks-connect', { objects });
    assert.doesNotMatch(html, /data-shopify-editor/);
  });

  test('the outcome texts become slotted paragraphs, escaped', async () => {
    const html = await renderer.renderBlock('flinks-connect', { settings: { text_connected: 'Merci <b>!</b> "ok"', text_error: '' }, objects });
    assert.match(html, /<p slot="connected">Merci &lt;b&gt;!&lt;\/b&gt; &#34;ok&#34;<\/p>/);
    assert.doesNotMatch(html, /slot="error"/);
  });

  test('a setting cannot break out of its attribute', async () => {
    const html = await renderer.renderBlock('flinks-connect', { settings: { session_url: '"><script>alert(1)</script>', instance: 'a" onload="x' }, objects });
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /onload="x/);
  });

  test('modal: a button opens the element by command, in the storefront language', async () => {
    const en = await renderer.renderBlock('flinks-connect', { id: 'm1', settings: { modal: true }, objects });
    assert.match(en, /<button type="button" class="button" commandfor="finframe-m1" command="--open">Connect your bank account<\/button>/);
    assert.match(en, /<flinks-connect[^>]*\bmodal\b/);
    const fr = await renderer.renderBlock('benji-connect', { id: 'b1', locale: 'fr', objects });
    assert.match(fr, /commandfor="finframe-b1" command="--open">Lier vos récompenses</);
    const inline = await renderer.renderBlock('benji-connect', { id: 'b2', settings: { inline: true }, objects });
    assert.doesNotMatch(inline, /command="--open"/);
    assert.match(inline, /<benji-connect[^>]*\binline\b/);
  });

  test('the same block twice on a page: every id is unique, and each button opens its own element', async () => {
    const html = await renderer.renderPage({ blocks: [{ handle: 'benji-connect', id: 'one' }, { handle: 'benji-connect', id: 'two' }], objects });
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length, ids.join(' '));
    assert.deepEqual([...html.matchAll(/commandfor="([^"]+)"/g)].map((m) => m[1]), ['finframe-one', 'finframe-two']);
  });

  test('the app embed renders the module script and nothing else', async () => {
    const html = await renderer.renderBlock('finframe-embed', { id: 'e' });
    const inner = html.replace(/^<div[^>]*>/, '').replace(/<\/div>$/, '').trim();
    assert.equal(inner, `<script type="module" src="/cdn/finframe/${ENTRY}"></script>`);
  });

  test('Flexiti on a product page passes the product as context; FlexPay on an order page takes the order as its reference, and elsewhere shows only an editor note', async () => {
    const flexiti = await renderer.renderBlock('flexiti-widget', { objects: { ...objects, template: { name: 'product' } } });
    assert.match(flexiti, /data-product-id="42" data-variant-id="4201"/);
    assert.match(flexiti, /flow="purchase"/);
    const flexpay = await renderer.renderBlock('flexpay-status', { objects });
    assert.match(flexpay, /<flexpay-status[^>]*reference="5550001"[^>]*src="\/apps\/finframe\/flexpay\/status"/);
    const noOrder = await renderer.renderBlock('flexpay-status', { objects: { template: { name: 'page' } } });
    assert.doesNotMatch(noOrder, /<flexpay-status/);
    assert.doesNotMatch(noOrder, /<p class="finframe-note"/);
    const inEditor = await renderer.renderBlock('flexpay-status', { designMode: true, objects: { template: { name: 'page' } } });
    assert.match(inEditor, /<p class="finframe-note"[^>]*>FlexPay status: shown on a customer's order page/);
  });

  test('every storefront string used by a block exists in en and fr, and fr differs from en', async () => {
    for (const tag of TAGS) {
      for (const locale of ['en', 'fr']) {
        const html = await renderer.renderBlock(tag, { locale, designMode: true, settings: { modal: true, show_submit: true }, objects: { ...objects, order: undefined } });
        assert.doesNotMatch(html, /translation missing/, `${tag} ${locale}`);
      }
    }
    assert.notDeepEqual(renderer.locales.fr, renderer.locales.en);
    assert.deepEqual(Object.keys(renderer.locales.fr.finframe).sort(), Object.keys(renderer.locales.en.finframe).sort());
  });
});
