// The demo's finAPI routes inside the demo server (createDemoServer): the receiver a shop copies
// (demo/receivers/finapi.mjs) and the playground's sample route that fires callbacks at it over
// loopback and its state route (demo/playground/finapi-playground.mjs).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryStore } from 'finframe/server';
import { sqliteStore } from 'finframe/server/sqlite';
import { finapiPlaygroundRoutes, SAMPLE_KINDS } from '../../../demo/playground/finapi-playground.mjs';
import { finapiReceiverRoutes } from '../../../demo/receivers/finapi.mjs';
import { DEMO_HOSTS, createDemoServer } from '../../../demo/server.mjs';
import { SECRET, tempDir } from './helpers.mjs';

async function start(t, { store = memoryStore(), secret = SECRET, onUpdate } = {}) {
  const routes = [...finapiReceiverRoutes({ store, secret, onUpdate }), ...finapiPlaygroundRoutes({ store, secret, hosts: DEMO_HOSTS, env: {} })];
  const server = createDemoServer({ port: 0, fakePort: 0, routes: { demo: routes } });
  const config = await server.listen();
  t.after(() => server.close());
  return `http://127.0.0.1:${config.port}`;
}

const sample = (base, kind) =>
  fetch(`${base}/callbacks/finapi/sample`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind }) });

test('every sample kind fires the documented callbacks and reports each answer; the state route lists what was stored', async (t) => {
  const store = sqliteStore({ path: join(tempDir(t), 'demo.db') });
  t.after(() => store.close());
  const updates = [];
  const base = await start(t, { store, secret: SECRET, onUpdate: (record) => updates.push(record.key) });

  const expected = {
    webForm: [[200, { changed: true }]],
    task: [[200, { changed: true }]],
    webFormRequired: [[200, { changed: true }]],
    duplicate: [[200, { changed: true }], [200, { duplicate: true }]],
    outOfOrder: [[200, { changed: true }], [200, { stale: true }]],
    badSecret: [[401, { error: 'unauthorized' }]],
    badBody: [[422, { error: 'invalid_callback' }], [400, { error: 'invalid_json' }], [415, { error: 'unsupported_media_type' }]],
  };
  assert.deepEqual(Object.keys(expected), Object.keys(SAMPLE_KINDS));
  for (const [kind, answers] of Object.entries(expected)) {
    const response = await sample(base, kind);
    assert.equal(response.status, 200, kind);
    const text = await response.text();
    assert.ok(!text.includes(SECRET), 'the secret never reaches the page');
    const result = JSON.parse(text);
    assert.equal(result.kind, kind);
    assert.equal(result.deliveries.length, answers.length, kind);
    for (const [i, [status, fields]] of answers.entries()) {
      assert.equal(result.deliveries[i].status, status, `${kind} #${i}`);
      for (const [name, value] of Object.entries(fields)) assert.equal(result.deliveries[i].answer[name], value, `${kind} #${i} ${name}`);
    }
  }
  assert.equal(updates.length, 5, 'webForm, task, webFormRequired, duplicate (once), outOfOrder (once)');

  const state = await (await fetch(`${base}/callbacks/finapi/state`)).json();
  assert.equal(state.records.length, 5);
  assert.deepEqual(state.records.map((r) => r.key).sort(), [...updates].sort());
  assert.ok(state.records.every((r) => r.version === 1));
  const late = state.records.find((r) => r.data.taskId && r.data.status === 'COMPLETED' && r.key === updates[4]);
  assert.ok(late, 'out of order: the finalised state stayed');
});

test('the receiver route itself: 401 without the secret, 405 as JSON for GET, 200 with it', async (t) => {
  const base = await start(t);
  const body = JSON.stringify({ webFormId: 'demo-1', status: 'IN_PROGRESS' });
  const headers = { 'content-type': 'application/json' };
  assert.equal((await fetch(`${base}/callbacks/finapi`, { method: 'POST', headers, body })).status, 401);
  const get = await fetch(`${base}/callbacks/finapi?secret=${SECRET}`);
  assert.equal(get.status, 405);
  assert.equal((await get.json()).error, 'method_not_allowed');
  const ok = await fetch(`${base}/callbacks/finapi?secret=${SECRET}`, { method: 'POST', headers, body });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).key, 'webForm:demo-1');
});

test('the sample route refuses unknown kinds, non-JSON and non-JSON content types', async (t) => {
  const base = await start(t);
  assert.equal((await sample(base, 'everything')).status, 422);
  assert.equal((await sample(base, '__proto__')).status, 422);
  const url = `${base}/callbacks/finapi/sample`;
  assert.equal((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })).status, 400);
  assert.equal((await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"kind":"webForm"}' })).status, 415);
  const state = await (await fetch(`${base}/callbacks/finapi/state`)).json();
  assert.deepEqual(state.records, []);
});

test('sample kind "webForm" sends the callback of the page\'s own web form: its id and final status, checked', async (t) => {
  const store = memoryStore();
  const base = await start(t, { store });
  const post = (body) => fetch(`${base}/callbacks/finapi/sample`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  for (const status of ['COMPLETED', 'COMPLETED_WITH_ERROR', 'ABORTED']) {
    const webFormId = `c0ffee00-0000-4000-8000-00000000000${status.length % 10}`;
    const response = await post({ kind: 'webForm', webFormId, status });
    assert.equal(response.status, 200, status);
    const { deliveries } = await response.json();
    assert.equal(deliveries.length, 1);
    assert.deepEqual(deliveries[0].sent, { webFormId, status });
    assert.equal(deliveries[0].status, 200);
    assert.equal((await store.get(`webForm:${webFormId}`))?.data?.status, status);
  }
  for (const bad of [{ webFormId: '../x' }, { webFormId: 'x'.repeat(65) }, { webFormId: 42 }, { status: 'IN_PROGRESS' }, { status: 'FINISHED' }]) {
    const response = await post({ kind: 'webForm', ...bad });
    assert.equal(response.status, 422, JSON.stringify(bad));
    assert.equal((await response.json()).error, 'invalid_web_form');
  }
});
