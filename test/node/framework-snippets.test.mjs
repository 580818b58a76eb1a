// The `isCustomElement` settings docs/frameworks.md shows for Vite (vite.config) and Nuxt
// (nuxt.config), evaluated as written: each must accept exactly finframe's tags (those of
// custom-elements.json) and leave every other tag to Vue, kebab-case components such as
// <router-view> and <nuxt-link> among them. The browser tests compile the Vue and Nuxt components
// with the same list (scripts/wtr-frameworks-vs.mjs), checked here too.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { FINFRAME_TAGS } from '../../scripts/wtr-frameworks-vs.mjs';

const root = new URL('../../', import.meta.url);
const docs = readFileSync(new URL('docs/frameworks.md', root), 'utf8');
const manifest = JSON.parse(readFileSync(new URL('custom-elements.json', root), 'utf8'));
const tags = manifest.modules.flatMap((m) => m.declarations ?? []).flatMap((d) => (d.tagName ? [d.tagName] : []));
const NOT_OURS = ['router-view', 'router-link', 'nuxt-link', 'nuxt-page', 'client-only', 'div', 'flinks', 'flinks-connect-x', 'my-flinks-connect', 'FlinksConnect'];

/** The one ```js block of docs/frameworks.md that contains `marker`, as a function body returning its default export. */
function block(marker) {
  const blocks = [...docs.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes(marker));
  assert.equal(blocks.length, 1, `one \`\`\`js block with ${marker} in docs/frameworks.md`);
  return blocks[0].replace(/^import .*$/gm, '').replace(/^export default /m, 'return ');
}

function assertFinframeOnly(isCustomElement, where) {
  assert.equal(typeof isCustomElement, 'function', `${where}: isCustomElement`);
  assert.equal(tags.length, 5);
  for (const tag of tags) assert.equal(isCustomElement(tag), true, `${where} accepts <${tag}>`);
  for (const tag of NOT_OURS) assert.equal(isCustomElement(tag), false, `${where} leaves <${tag}> to Vue`);
}

test("the Vite snippet's isCustomElement accepts finframe's five tags and nothing else", () => {
  const vue = (options) => ({ name: 'vite:vue', options });
  const config = new Function('vue', block("'@vitejs/plugin-vue'"))(vue);
  assertFinframeOnly(config.plugins[0].options.template.compilerOptions.isCustomElement, 'vite.config');
});

test("the Nuxt snippet's isCustomElement accepts finframe's five tags and nothing else", () => {
  const config = new Function('defineNuxtConfig', block('defineNuxtConfig('))((c) => c);
  assertFinframeOnly(config.vue.compilerOptions.isCustomElement, 'nuxt.config');
});

test('the browser tests compile the Vue and Nuxt components with the same tags', () => {
  assert.deepEqual([...FINFRAME_TAGS].sort(), [...tags].sort());
});
