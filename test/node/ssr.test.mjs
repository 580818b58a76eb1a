// Importing finframe during server-side rendering (Node, no DOM) must not throw, and the pure
// entries must not register anything. Runs against the built package, through its own `exports`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const entries = Object.keys(pkg.exports).filter((key) => key.endsWith('.js') || key === '.');

for (const entry of entries) {
  test(`imports finframe${entry === '.' ? '' : entry.slice(1)} in Node without a DOM`, async () => {
    assert.equal(typeof globalThis.window, 'undefined');
    const module = await import(entry === '.' ? 'finframe' : `finframe${entry.slice(1)}`);
    assert.ok(module);
  });
}

test('the development build imports in Node too', async () => {
  for (const entry of entries) {
    const target = pkg.exports[entry];
    if (typeof target === 'object' && target.development) await import(new URL(`../../${target.development}`, import.meta.url));
  }
});

test('the pure entry exports the classes and registers nothing', async () => {
  const finframe = await import('finframe');
  assert.equal(typeof finframe.FlinksConnectElement, 'function');
  assert.equal(typeof finframe.ProviderOutcomeEvent, 'function');
  assert.equal(typeof finframe.parseFlinksMessage, 'function');
  assert.equal(globalThis.customElements?.get?.('flinks-connect'), undefined);
});

test('sideEffects names exactly the define entries, the CDN bundle and the CDN loader', () => {
  const defines = entries.filter((e) => e.endsWith('define.js')).map((e) => pkg.exports[e].default);
  for (const file of [...defines, pkg.exports['./cdn/finframe.js'], pkg.exports['./cdn/loader.js']]) {
    assert.ok(
      pkg.sideEffects.some((pattern) => new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]+')}$`).test(file)),
      `${file} is not in sideEffects`,
    );
  }
  for (const pattern of pkg.sideEffects) assert.match(pattern, /define\.js$|cdn\/(finframe|loader)\.js$/);
});

test('parses a Flinks message in Node (schemas are isomorphic)', async () => {
  const { parseFlinksMessage } = await import('finframe');
  assert.deepEqual(parseFlinksMessage('{"step":"APP_MOUNTED"}'), { kind: 'step', step: 'APP_MOUNTED', data: {} });
});

test('package.json points tools at the committed manifest', () => {
  assert.equal(pkg.customElements, 'custom-elements.json');
  assert.equal(pkg.exports['./custom-elements.json'], './custom-elements.json');
});
