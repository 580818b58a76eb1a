// finframe/server, /sqlite, /postgres and /node import in plain Node with no DOM, and never so much as look
// at a DOM global: each entry is imported in a fresh process whose `window`, `document`, … are
// traps that record any access.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
const SERVER_ENTRIES = Object.keys(pkg.exports).filter((key) => key.startsWith('./server'));
const DOM_GLOBALS = ['window', 'document', 'navigator', 'location', 'self', 'customElements', 'HTMLElement', 'localStorage'];

test('package.json exports the four server entries, with types', () => {
  assert.deepEqual(SERVER_ENTRIES, ['./server', './server/sqlite', './server/postgres', './server/node']);
  for (const entry of SERVER_ENTRIES) {
    assert.match(pkg.exports[entry].types, /^\.\/dist\/server\/.+\.d\.ts$/);
    assert.match(pkg.exports[entry].default, /^\.\/dist\/server\/.+\.js$/);
  }
  assert.equal(pkg.peerDependenciesMeta['better-sqlite3'].optional, true);
  assert.equal(pkg.peerDependenciesMeta.pg.optional, true);
  assert.match(pkg.peerDependencies.pg, /^\^8\./);
});

for (const entry of SERVER_ENTRIES) {
  const specifier = `finframe${entry.slice(1)}`;
  test(`imports ${specifier} without touching a DOM global`, () => {
    const script = `
      const touched = [];
      for (const name of ${JSON.stringify(DOM_GLOBALS)}) {
        Object.defineProperty(globalThis, name, { configurable: true, get() { touched.push(name); return undefined; } });
      }
      const module = await import(${JSON.stringify(specifier)});
      console.log(JSON.stringify({ touched, exports: Object.keys(module).sort() }));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('../../..', import.meta.url) });
    assert.equal(result.status, 0, result.stderr);
    const { touched, exports } = JSON.parse(result.stdout);
    assert.deepEqual(touched, []);
    assert.ok(exports.length > 0);
  });
}

test('finframe/server does not load better-sqlite3 or any node: module (edge runtimes)', () => {
  const script = `
    const { createRequire } = await import('node:module');
    const before = new Set(Object.keys(createRequire(import.meta.url).cache));
    await import('finframe/server');
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => !before.has(k));
    console.log(JSON.stringify(loaded));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('../../..', import.meta.url) });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), [], 'no CommonJS module (better-sqlite3) was loaded');
  const sources = ['index', 'finapi', 'flexpay', 'flexpay-receipt', 'status-stream', 'http', 'pipeline', 'secret', 'store'].map((name) =>
    readFileSync(new URL(`../../../dist/server/${name}.js`, import.meta.url), 'utf8'),
  );
  for (const source of sources) {
    assert.doesNotMatch(source, /from\s+['"](node:|better-sqlite3)/);
    assert.doesNotMatch(source, /from\s+['"]jose['"]/, 'jose is imported lazily (import()), when the first receipt is checked');
    assert.doesNotMatch(source, /\bwindow\b|\bdocument\b/);
  }
});

test('the public entry exports what docs/server.md documents', async () => {
  const server = await import('finframe/server');
  for (const name of [
    'createFinapiCallbackHandler',
    'memoryStore',
    'parseFinapiCallback',
    'finapiCallbackKey',
    'compareFinapiProgress',
    'createFlexPayCallbackHandler',
    'createFlexPayReceiptVerifier',
    'parseFlexPayCallback',
    'compareFlexPayProgress',
    'createStatusStream',
  ]) {
    assert.equal(typeof server[name], 'function', name);
  }
  assert.equal(server.MAX_CALLBACK_BODY_BYTES, 65536);
  assert.equal(typeof (await import('finframe/server/sqlite')).sqliteStore, 'function');
  assert.equal(typeof (await import('finframe/server/postgres')).postgresStore, 'function');
  assert.equal(typeof (await import('finframe/server/node')).toNodeHandler, 'function');
});

test('jose is loaded only when a FlexPay receipt is first checked, and stays an external import', () => {
  // jose looks at \`navigator\` when it loads: a trap on it tells when that happens.
  const script = `
    let touched = 0;
    Object.defineProperty(globalThis, 'navigator', { configurable: true, get() { touched++; return undefined; } });
    const server = await import('finframe/server');
    const handler = server.createFlexPayCallbackHandler({ keys: '-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----', store: server.memoryStore(), onError() {} });
    const afterCreate = touched;
    const body = JSON.stringify({ id: 'a', status: 'PENDING', statusLastUpdated: '1', reference: 'r', receipt: 'a.b.c' });
    const response = await handler(new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    console.log(JSON.stringify({ afterCreate, afterCallback: touched, status: response.status }));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('../../..', import.meta.url) });
  assert.equal(result.status, 0, result.stderr);
  const { afterCreate, afterCallback, status } = JSON.parse(result.stdout);
  assert.equal(afterCreate, 0, 'importing finframe/server and creating the handler does not load jose');
  assert.ok(afterCallback > 0, 'the first receipt loads it');
  assert.equal(status, 401);
  const source = readFileSync(new URL('../../../dist/server/flexpay-receipt.js', import.meta.url), 'utf8');
  assert.match(source, /import\(['"]jose['"]\)/, 'jose is imported, not bundled');
});
