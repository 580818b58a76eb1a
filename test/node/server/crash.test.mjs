// Durability: a receiver with the SQLite store is killed with SIGKILL while callbacks stream in.
// Every callback that got a 2xx before the kill must be in the file when it is reopened — the
// store commits (and, with synchronous FULL, fsyncs) before the handler answers. The finAPI
// receiver and the FlexPay receiver (verified receipts, stored without them) alike.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sqliteStore } from 'finframe/server/sqlite';
import { SECRET, flexpayBody, flexpayKeys, loadUntilKilled, signReceipt, startServerChild, tempDir, without } from './helpers.mjs';

const SERVER = fileURLToPath(new URL('./fixtures/callback-server.mjs', import.meta.url));
const FLEXPAY_SERVER = fileURLToPath(new URL('./fixtures/flexpay-server.mjs', import.meta.url));
const WEB_FORM = ['NOT_YET_OPENED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERROR', 'EXPIRED', 'ABORTED'];
const TASK = ['NOT_YET_STARTED', 'IN_PROGRESS', 'WEB_FORM_REQUIRED', 'COMPLETED', 'COMPLETED_WITH_ERROR'];

/** Distinct callbacks: even i a web form, odd i a task with a web form. */
function callback(i) {
  if (i % 2 === 0) return { key: `webForm:wf-${i}`, body: { webFormId: `wf-${i}`, status: WEB_FORM[i % WEB_FORM.length] } };
  const body = { taskId: `task-${i}`, status: TASK[i % TASK.length], webForm: { id: `wf-of-${i}`, url: `https://webform.finapi.io/wf/wf-of-${i}`, status: WEB_FORM[i % WEB_FORM.length] } };
  return { key: `task:task-${i}`, body };
}

for (const synchronous of ['FULL', 'NORMAL']) {
  test(`SIGKILL mid-load loses no acknowledged callback (synchronous ${synchronous})`, { timeout: 60_000 }, async (t) => {
    const path = join(tempDir(t, 'finframe-crash-'), 'callbacks.db');
    const { child, port, exited } = await startServerChild(SERVER, [path, synchronous, SECRET]);
    t.after(() => child.kill('SIGKILL'));

    const { acked, failed, killedAt } = await loadUntilKilled({ child, url: `http://127.0.0.1:${port}/callbacks/finapi?secret=${SECRET}`, callback });
    const { signal } = await exited;
    assert.equal(signal, 'SIGKILL');
    assert.ok(failed > 0, 'some requests were in flight when the server died');

    const store = sqliteStore({ path });
    t.after(() => store.close());
    let stored = 0;
    for (const [key, body] of acked) {
      const record = await store.get(key);
      assert.ok(record, `${key} was acknowledged but is not in the database`);
      assert.deepEqual(record.data, body);
      stored++;
    }
    assert.equal(stored, acked.size);
    t.diagnostic(`${acked.size} acknowledged (kill after ${killedAt}), ${failed} failed in flight, all ${stored} found after reopening`);
  });
}

test('SIGKILL mid-load loses no acknowledged FlexPay status (synchronous FULL)', { timeout: 60_000 }, async (t) => {
  const keys = await flexpayKeys();
  const iat = Math.floor(Date.now() / 1000);
  const STATUSES = ['PENDING', 'SUCCESSFUL', 'FAILED'];
  // Signed before the server starts: distinct references, so every acknowledged callback is a change.
  const callbacks = [];
  for (let i = 0; i < 700; i++) {
    const reference = `order-${i}`;
    const body = flexpayBody(await signReceipt(keys, { id: `app-${i}`, reference, iat }), { id: `app-${i}`, reference, status: STATUSES[i % 3], statusLastUpdated: String(1_700_000_000_000 + i) });
    callbacks.push({ key: `flexpay:${reference}`, body, stored: { ...without(body, 'receipt'), receiptKid: keys.kid, receiptIat: iat, provenBy: 'confirm' } });
  }
  const path = join(tempDir(t, 'finframe-crash-'), 'callbacks.db');
  const { child, port, exited } = await startServerChild(FLEXPAY_SERVER, [path, 'FULL', keys.pem]);
  t.after(() => child.kill('SIGKILL'));
  const { acked, failed, killedAt } = await loadUntilKilled({ child, url: `http://127.0.0.1:${port}/callbacks/flexpay`, callback: (i) => callbacks[i], killAfter: 300, total: callbacks.length });
  const { signal } = await exited;
  assert.equal(signal, 'SIGKILL');
  assert.ok(failed > 0, 'some requests were in flight when the server died');

  const store = sqliteStore({ path });
  t.after(() => store.close());
  for (const [key, stored] of acked) {
    const record = await store.get(key);
    assert.ok(record, `${key} was acknowledged but is not in the database`);
    assert.deepEqual(record.data, stored, 'stored as acknowledged, without the receipt');
  }
  t.diagnostic(`${acked.size} acknowledged (kill after ${killedAt}), ${failed} failed in flight, all found after reopening`);
});
