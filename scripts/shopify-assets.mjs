// The Shopify theme app extension's assets/: every file of dist/cdn/ that a storefront loads
// (`.js`, flat), copied as built. Run by `npm run build` after rollup. The folder is generated, not
// committed (.gitignore): the npm package ships the extension with it filled in, and a clone gets it
// from `npm run build`. Shopify's CLI deploys the folder as it is and refuses subfolders and any
// extension but .jpg .jpeg .json .js .css .png .svg .wasm; source maps and .mjs are never copied.
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CDN = join(ROOT, 'dist/cdn');
export const ASSETS = join(ROOT, 'integrations/shopify/extensions/finframe/assets');

/** Replaces the .js files of assets/ with those of dist/cdn/; returns the names copied. */
export function copyShopifyAssets() {
  const files = readdirSync(CDN).filter((name) => name.endsWith('.js') && statSync(join(CDN, name)).isFile());
  if (files.length === 0) throw new Error(`no .js files in ${CDN}: run the rollup build first`);
  mkdirSync(ASSETS, { recursive: true });
  // A chunk that a new build no longer makes must not be deployed.
  for (const name of readdirSync(ASSETS)) if (name.endsWith('.js')) rmSync(join(ASSETS, name));
  for (const name of files) copyFileSync(join(CDN, name), join(ASSETS, name));
  return files.sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = copyShopifyAssets();
  console.log(`Shopify extension assets: ${files.join(', ')}`);
}
