// What Shopify's CLI and Shopify itself refuse in a theme app extension, checked on a folder
// (https://shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration, "File and
// content size limits" and "Schema"): returns one sentence per problem, [] when none. The sizes use
// decimal kilobytes, the stricter reading of Shopify's "KB".
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { schemaOf } from './shopify-liquid.mjs';

export const LIMITS = Object.freeze({
  blocks: 30,
  localeFiles: 100,
  localeFileBytes: 15_000,
  liquidBytes: 100_000,
  totalBytes: 10_000_000,
});
/** The only file types Shopify's CLI deploys from assets/ (flat: no subfolders). */
export const ASSET_EXTENSIONS = ['.jpg', '.jpeg', '.json', '.js', '.css', '.png', '.svg', '.wasm'];
const TOP_LEVEL = ['assets', 'blocks', 'snippets', 'locales', 'shopify.extension.toml', 'package.json'];
const TARGETS = ['section', 'head', 'compliance_head', 'body'];
/** A setting that could hold a credential: a theme's settings are readable by anyone with theme access, and land in the HTML. */
const CREDENTIAL = /token|secret|api[_-]?key|password|private/i;

function files(dir) {
  try {
    return readdirSync(dir).map((name) => ({ name, path: join(dir, name), stat: statSync(join(dir, name)) }));
  } catch {
    return [];
  }
}

/** Every file under `dir`, recursively. */
function walk(dir) {
  return files(dir).flatMap((entry) => (entry.stat.isDirectory() ? walk(entry.path) : [entry]));
}

export function checkExtension(root) {
  const problems = [];
  const top = files(root);
  for (const entry of top) if (!TOP_LEVEL.includes(entry.name)) problems.push(`unexpected top-level entry ${entry.name}`);

  const toml = (() => {
    try {
      return readFileSync(join(root, 'shopify.extension.toml'), 'utf8');
    } catch {
      return null;
    }
  })();
  if (toml === null) problems.push('no shopify.extension.toml');
  else {
    if (!/^type\s*=\s*"theme"\s*$/m.test(toml)) problems.push('shopify.extension.toml: type is not "theme"');
    if (!/^name\s*=\s*"[^"]+"\s*$/m.test(toml)) problems.push('shopify.extension.toml: no name');
  }

  for (const entry of files(join(root, 'assets'))) {
    if (entry.stat.isDirectory()) problems.push(`assets/${entry.name}: a subfolder (assets/ must be flat)`);
    else if (!ASSET_EXTENSIONS.includes(extname(entry.name).toLowerCase())) problems.push(`assets/${entry.name}: file type not allowed`);
  }

  const blocks = files(join(root, 'blocks'));
  if (blocks.length > LIMITS.blocks) problems.push(`${blocks.length} blocks (at most ${LIMITS.blocks})`);
  for (const entry of [...blocks, ...files(join(root, 'snippets'))]) {
    if (entry.stat.isDirectory() || extname(entry.name) !== '.liquid') problems.push(`${entry.path.slice(root.length + 1)}: not a .liquid file`);
  }
  let embeds = 0;
  for (const entry of blocks.filter((b) => b.name.endsWith('.liquid'))) {
    const where = `blocks/${entry.name}`;
    let schema;
    try {
      schema = schemaOf(readFileSync(entry.path, 'utf8'));
    } catch (error) {
      problems.push(`${where}: schema is not valid JSON (${error.message})`);
      continue;
    }
    if (typeof schema.name !== 'string' || schema.name === '') problems.push(`${where}: schema has no name`);
    if (!TARGETS.includes(schema.target)) problems.push(`${where}: target ${JSON.stringify(schema.target)} is not one of ${TARGETS.join(', ')}`);
    if (schema.enabled_on && schema.disabled_on) problems.push(`${where}: both enabled_on and disabled_on`);
    if (schema.target === 'section') {
      if (!Array.isArray(schema.enabled_on?.templates) || schema.enabled_on.templates.length === 0) problems.push(`${where}: an app block without enabled_on.templates`);
    } else if (TARGETS.includes(schema.target)) embeds++;
    const ids = new Set();
    for (const setting of schema.settings ?? []) {
      if (setting.id) {
        if (ids.has(setting.id)) problems.push(`${where}: setting ${setting.id} twice`);
        ids.add(setting.id);
      }
      if (CREDENTIAL.test(setting.id ?? '') || CREDENTIAL.test(String(setting.default ?? ''))) {
        problems.push(`${where}: setting ${setting.id} looks like a credential (never put a token or secret in a setting)`);
      }
    }
  }
  if (embeds > 1) problems.push(`${embeds} app embeds (finframe needs one)`);

  const locales = files(join(root, 'locales'));
  if (locales.length > LIMITS.localeFiles) problems.push(`${locales.length} locale files (at most ${LIMITS.localeFiles})`);
  for (const entry of locales) {
    if (entry.stat.size > LIMITS.localeFileBytes) problems.push(`locales/${entry.name}: ${entry.stat.size} bytes (at most ${LIMITS.localeFileBytes})`);
    try {
      JSON.parse(readFileSync(entry.path, 'utf8'));
    } catch {
      problems.push(`locales/${entry.name}: not valid JSON`);
    }
  }
  if (!locales.some((entry) => /\.default\.json$/.test(entry.name))) problems.push('no default storefront locale (locales/*.default.json)');

  const all = walk(root);
  const liquid = all.filter((entry) => entry.name.endsWith('.liquid')).reduce((sum, entry) => sum + entry.stat.size, 0);
  if (liquid > LIMITS.liquidBytes) problems.push(`${liquid} bytes of Liquid (at most ${LIMITS.liquidBytes})`);
  const total = all.reduce((sum, entry) => sum + entry.stat.size, 0);
  if (total > LIMITS.totalBytes) problems.push(`${total} bytes in all (at most ${LIMITS.totalBytes})`);
  return problems;
}

/** Sizes for the report: Liquid bytes, total bytes, each asset's bytes. */
export function measureExtension(root) {
  const all = walk(root);
  return {
    liquidBytes: all.filter((entry) => entry.name.endsWith('.liquid')).reduce((sum, entry) => sum + entry.stat.size, 0),
    totalBytes: all.reduce((sum, entry) => sum + entry.stat.size, 0),
    assets: Object.fromEntries(files(join(root, 'assets')).map((entry) => [entry.name, entry.stat.size])),
  };
}
