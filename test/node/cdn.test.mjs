// dist/cdn/ as built (`npm run build`): what theme platforms accept and what integrity.json promises.
// Shopify refuses subfolders in an extension's assets/ and flags a theme's script over 10,000
// bytes; Magento's RequireJS pages break on an anonymous define(); nobody may ship source maps.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const DIR = new URL('../../dist/cdn/', import.meta.url);
const files = readdirSync(DIR).sort();
const read = (file) => readFileSync(new URL(file, DIR));
const integrity = JSON.parse(read('integrity.json'));
const js = files.filter((file) => file.endsWith('.js'));
const TAGS = ['flinks-connect', 'flexiti-widget', 'benji-connect', 'finapi-web-form', 'flexpay-status'];
const gz = (file) => gzipSync(read(file), { level: 9 }).length;

test('dist/cdn/ is one flat folder of .js files and integrity.json, no source maps', () => {
  for (const file of files) {
    assert.ok(statSync(new URL(file, DIR)).isFile(), `${file} is not a file`);
    assert.match(file, /^[a-z0-9-]+\.js$|^integrity\.json$/, `${file}: only .js files (no .mjs, no .map) and integrity.json`);
  }
  assert.ok(files.includes('loader.js'), 'loader.js');
  assert.ok(files.includes('finframe.js'), 'finframe.js (everything in one file) stays');
});

test('one chunk per element and one shared chunk, with content-hashed names', () => {
  for (const tag of TAGS) assert.equal(js.filter((file) => new RegExp(`^${tag}-[0-9a-f]{8}\\.js$`).test(file)).length, 1, tag);
  assert.equal(js.filter((file) => /^shared-[0-9a-f]{8}\.js$/.test(file)).length, 1, 'shared');
  assert.equal(js.length, TAGS.length + 3, `nothing else: ${js.join(', ')}`);
});

test('integrity.json lists every .js file with its SHA-384, and nothing else', () => {
  assert.deepEqual(Object.keys(integrity).sort(), js);
  for (const file of js) {
    const expected = `sha384-${createHash('sha384').update(read(file)).digest('base64')}`;
    assert.equal(integrity[file], expected, file);
  }
});

test('plain ES modules: no UMD/AMD wrapper, no call of a global define()', () => {
  for (const file of js) {
    const code = read(file).toString();
    // customElements.define(…) is a method call; a bare or `typeof` define is RequireJS's.
    assert.doesNotMatch(code, /(?<![.\w$])define\s*\(/, `${file} calls a global define()`);
    assert.doesNotMatch(code, /typeof\s+define\b|define\.amd|\bmodule\.exports\b|\bexports\s*\.|\brequire\s*\(/, `${file} has a UMD/CommonJS wrapper`);
    assert.doesNotMatch(code, /sourceMappingURL/, `${file} points at a source map`);
  }
});

test('the loader imports nothing statically and finds every chunk next to itself', () => {
  const loader = read('loader.js').toString();
  assert.doesNotMatch(loader, /^\s*import\s|[;}]\s*import\s*[{*"']/m, 'no static import');
  assert.match(loader, /new URL\([^)]*import\.meta\.url\)/);
  assert.doesNotMatch(loader, /__FINFRAME_CHUNKS__/, 'the chunk table is filled in');
  for (const tag of TAGS) {
    const chunk = js.find((file) => file.startsWith(`${tag}-`));
    const shared = js.find((file) => file.startsWith('shared-'));
    assert.ok(loader.includes(`"${tag}":["${chunk}","${shared}"]`), `${tag} → ${chunk} + ${shared}`);
  }
});

test('the loader: at most 10,000 bytes raw and 2 kB min+gzip', () => {
  const raw = read('loader.js').length;
  assert.ok(raw <= 10_000, `${raw} bytes raw`);
  assert.ok(gz('loader.js') <= 2_000, `${gz('loader.js')} bytes min+gzip`);
});
