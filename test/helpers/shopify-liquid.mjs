// Renders the Shopify theme app extension's blocks with liquidjs, as a storefront would, for the
// Node tests and the browser tests' fake storefront (scripts/wtr-shopify.mjs). Only what is
// Shopify's own is stubbed: the `schema`, `javascript` and `stylesheet` tags, the `asset_url` and
// `t` filters, and the objects a block reads (`block`, `request`, `product`, `cart`, `order`,
// `template`). Everything else — `render`, `if`, `escape`, `blank` — is liquidjs's real Liquid.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid, Tag } from 'liquidjs';

export const EXTENSION = join(dirname(fileURLToPath(import.meta.url)), '../../integrations/shopify/extensions/finframe');

/** A tag whose content Shopify reads itself and never renders: skipped up to its end tag. */
function rawBlockTag(name) {
  return class extends Tag {
    constructor(token, remainTokens, liquid) {
      super(token, remainTokens, liquid);
      while (remainTokens.length) {
        const next = remainTokens.shift();
        if (next.name === `end${name}`) return;
      }
      throw new Error(`{% ${name} %} is not closed`);
    }
    *render() {}
  };
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The JSON between `{% schema %}` and `{% endschema %}` of a block file. */
export function schemaOf(source) {
  const match = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(source);
  if (!match) throw new Error('no {% schema %}');
  return JSON.parse(match[1]);
}

/** Each block's handle (its file name), source and schema. */
export function readBlocks(root = EXTENSION) {
  return readdirSync(join(root, 'blocks'))
    .filter((name) => name.endsWith('.liquid'))
    .map((name) => {
      const source = readFileSync(join(root, 'blocks', name), 'utf8');
      return { handle: name.slice(0, -'.liquid'.length), source, schema: schemaOf(source) };
    });
}

/** What the theme editor stores for a block that nobody changed: each setting's default. */
export function defaultSettings(schema) {
  const settings = {};
  for (const setting of schema.settings ?? []) {
    if (!setting.id) continue;
    settings[setting.id] = setting.default ?? (setting.type === 'checkbox' ? false : undefined);
  }
  return settings;
}

/**
 * A renderer over the extension at `root`. `assetBase` is the URL prefix `asset_url` gives
 * (Shopify's CDN folder of the extension's assets/).
 */
export function createShopifyRenderer({ root = EXTENSION, assetBase = 'https://cdn.shopify.com/extensions/0000/finframe/assets' } = {}) {
  const locales = {};
  for (const name of readdirSync(join(root, 'locales'))) {
    if (name.endsWith('.schema.json')) continue;
    locales[name.replace(/(\.default)?\.json$/, '')] = readJson(join(root, 'locales', name));
  }
  const lookup = (tree, key) => key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), tree);

  const engine = new Liquid({ root: [join(root, 'snippets')], extname: '.liquid', strictFilters: true });
  for (const name of ['schema', 'javascript', 'stylesheet']) engine.registerTag(name, rawBlockTag(name));
  engine.registerFilter('asset_url', (name) => `${assetBase}/${name}`);
  // Shopify's `t`: the storefront locale's string, else the default locale's; a missing key shows as such.
  engine.registerFilter('t', function (key) {
    const locale = this.context.getSync(['request', 'locale', 'iso_code']) ?? 'en';
    const value = lookup(locales[locale.split('-')[0]], key) ?? lookup(locales.en, key);
    return value ?? `translation missing: ${locale}.${key}`;
  });

  const blocks = new Map(readBlocks(root).map((block) => [block.handle, block]));

  /**
   * One block's HTML, wrapped as Shopify wraps an app block. `settings` override the defaults;
   * `objects` are the page's Liquid objects (`product`, `cart`, `order`, `template`).
   */
  async function renderBlock(handle, { id, settings = {}, locale = 'en', designMode = false, objects = {} } = {}) {
    const block = blocks.get(handle);
    if (!block) throw new Error(`no block ${handle}`);
    const blockId = id ?? `AbCdEf${handle.replace(/[^a-z]/g, '').slice(0, 6)}`;
    const scope = {
      ...objects,
      block: {
        id: blockId,
        type: `shopify://apps/finframe/blocks/${handle}/0000`,
        settings: { ...defaultSettings(block.schema), ...settings },
        // Shopify writes the editor's data attribute only inside the theme editor.
        shopify_attributes: designMode ? `data-shopify-editor-block="${JSON.stringify({ id: blockId, type: handle }).replace(/"/g, '&quot;')}"` : '',
      },
      request: { locale: { iso_code: locale }, design_mode: designMode },
    };
    const html = await engine.parseAndRender(block.source, scope);
    return `<div id="shopify-block-${blockId}" class="shopify-block shopify-app-block">${html}</div>`;
  }

  /** A section as the Section Rendering API returns it: the blocks in the section's wrapper. */
  async function renderSection({ sectionId = 'main', blocks: list = [], locale, designMode, objects } = {}) {
    const inner = [];
    for (const item of list) inner.push(await renderBlock(item.handle, { locale, designMode, objects, ...item }));
    return `<div id="shopify-section-${sectionId}" class="shopify-section">${inner.join('\n')}</div>`;
  }

  /** A whole storefront page: `head` (the theme's), one section with `blocks`, and the app embed before </body>. */
  async function renderPage({ sectionId, blocks: list = [], locale = 'en', designMode = false, objects = {}, head = '', embed = true } = {}) {
    const section = await renderSection({ sectionId, blocks: list, locale, designMode, objects });
    const embedHtml = embed ? await renderBlock('finframe-embed', { id: 'EmBeD1', locale, designMode, objects }) : '';
    return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>Storefront</title>${head}</head>
<body>
<main>${section}</main>
${embedHtml}
</body>
</html>`;
  }

  return { blocks, locales, renderBlock, renderSection, renderPage };
}
