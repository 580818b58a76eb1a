// At-least-once onUpdate through the store's outbox, for every store: the delivery is committed
// with the change, the first attempt runs before the 200, failures are retried with backoff,
// exhausted ones become dead letters that can be listed, replayed and discarded, a delivery
// survives its receiver (a lease that runs out), two dispatchers never run one delivery at once,
// and nothing refused enqueues anything.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createFinapiCallbackHandler, memoryStore, retryDelayMs, DELIVERY_DEFAULTS } from 'finframe/server';
import { sqliteStore } from 'finframe/server/sqlite';
import { postgresStore } from 'finframe/server/postgres';
import { freshSchema } from './pg-cluster.mjs';
import { SECRET, answer, makeStore, post, samples, tempDir, usePostgres } from './helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Polls `check` every 10 ms until it returns truthy or `ms` pass; returns its last value. */
async function until(check, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await sleep(10);
  }
}

/** A short schedule for tests: retries after ~40, 120, 360 ms … (±10 %), polled every 10 ms. */
const FAST = { minDelayMs: 40, maxDelayMs: 1000, pollMs: 10, leaseMs: 2000 };

function receiver(t, store, onUpdate, delivery = FAST, extra = {}) {
  const errors = [];
  const handler = createFinapiCallbackHandler({ secret: SECRET, store, onUpdate, delivery, onError: (error, context) => errors.push({ error, context }), ...extra });
  t.after(() => handler.close());
  const send = async (body, init) => answer(await handler(post(body, init)));
  return { handler, send, errors };
}

/** A second store object on the same database (another process would have its own). */
function sibling(t, kind, store, getCluster) {
  let other;
  if (kind === 'sqlite') other = sqliteStore({ path: store.pathForTests });
  else other = postgresStore({ connectionString: getCluster().connectionString, schema: store.schemaForTests, onError: () => {} });
  t.after(() => other.close());
  return other;
}

test('retryDelayMs: 3× per retry from minDelayMs, capped at maxDelayMs, ±10 %; the defaults span hours', () => {
  for (let i = 0; i < 50; i++) {
    const first = retryDelayMs(1, 1000, 60_000);
    assert.ok(first >= 900 && first <= 1100, String(first));
    const third = retryDelayMs(3, 1000, 60_000);
    assert.ok(third >= 8100 && third <= 9900, String(third));
    assert.ok(retryDelayMs(20, 1000, 60_000) <= 60_000);
  }
  assert.deepEqual({ ...DELIVERY_DEFAULTS }, { maxAttempts: 10, minDelayMs: 5000, maxDelayMs: 3_600_000, leaseMs: 60_000, pollMs: 1000, concurrency: 8 });
  let total = 0;
  for (let retry = 1; retry < DELIVERY_DEFAULTS.maxAttempts; retry++) total += Math.min(3_600_000, 5000 * 3 ** (retry - 1));
  assert.ok(total > 3 * 3_600_000 && total < 4 * 3_600_000, `the default schedule spans ${total / 3_600_000} h`);
});

for (const kind of ['memory', 'sqlite', 'postgres']) {
  describe(`onUpdate outbox (${kind} store)`, () => {
    const getCluster = kind === 'postgres' ? usePostgres() : () => undefined;
    const newStore = (t) => {
      const schema = freshSchema();
      const store = makeStore(t, kind, kind === 'postgres' ? { schema } : {});
      store.schemaForTests = schema;
      if (kind === 'sqlite') store.pathForTests = store.info().path;
      return store;
    };

    test('the first attempt runs before the 200; a failure is retried with growing delays and the same delivery id', async (t) => {
      const store = newStore(t);
      const calls = [];
      const { handler, send, errors } = receiver(t, store, (record, previous, info) => {
        calls.push({ at: performance.now(), key: record.key, version: record.version, previous, ...info });
        if (calls.length < 3) throw new Error(`fulfilment down ${calls.length}`);
      });
      assert.equal(handler.deliveries.mode, 'at-least-once');
      assert.equal(handler.deliveries.channel, 'finapi');
      const response = await send(samples.webForm('COMPLETED', 'r1'));
      assert.equal(response.status, 200, 'a failing hook never changes the answer');
      assert.equal(response.body.changed, true);
      assert.equal(calls.length, 1, 'the first attempt ran before the answer');
      // Its outcome is recorded just after (the answer does not wait for that).
      const [pending] = await until(async () => {
        const list = await handler.deliveries.pending();
        return list[0]?.lastError && list;
      });
      assert.ok(pending.attempts >= 1 && pending.attempts <= 3, String(pending.attempts)); // the retries are quick here
      assert.match(pending.lastError, /fulfilment down [12]/);
      assert.equal(pending.record.key, 'webForm:r1');

      assert.ok(await until(() => calls.length >= 3), `ran ${calls.length} times`);
      assert.deepEqual(calls.map((c) => c.attempt), [1, 2, 3]);
      assert.equal(new Set(calls.map((c) => c.deliveryId)).size, 1, 'one delivery id across attempts');
      assert.equal(calls[0].deliveryId, pending.id);
      assert.ok(calls.every((c) => c.key === 'webForm:r1' && c.version === 1 && c.previous === undefined));
      const gaps = [calls[1].at - calls[0].at, calls[2].at - calls[1].at];
      assert.ok(gaps[0] >= 40 * 0.9 - 5, `first retry after ${gaps[0]} ms`);
      assert.ok(gaps[1] >= 120 * 0.9 - 5, `second retry after ${gaps[1]} ms (first ${gaps[0]}): 3× the first delay at least`);
      assert.deepEqual(await until(async () => (await handler.deliveries.pending()).length === 0), true, 'done: removed');
      assert.deepEqual(errors.map((e) => e.context), [1, 2].map((attempt) => ({ stage: 'onUpdate', key: 'webForm:r1', deliveryId: pending.id, attempt })));
    });

    test('exhausted attempts become a dead letter with the last error; replay runs it again (same id); discard removes one', async (t) => {
      const store = newStore(t);
      let healthy = false;
      const calls = [];
      const { handler, send, errors } = receiver(
        t,
        store,
        (record, _previous, info) => {
          calls.push({ key: record.key, ...info });
          if (!healthy) throw new Error(`still down (attempt ${info.attempt})`);
        },
        { ...FAST, maxAttempts: 3, minDelayMs: 10, maxDelayMs: 20 },
      );
      await send(samples.webForm('COMPLETED', 'dead-1'));
      await send(samples.webForm('COMPLETED', 'dead-2'));
      const dead = await until(async () => {
        const list = await handler.deliveries.deadLetters();
        return list.length === 2 && list;
      });
      assert.ok(dead, 'both became dead letters');
      assert.deepEqual(dead.map((d) => [d.record.key, d.state, d.attempts]), [['webForm:dead-1', 'dead', 3], ['webForm:dead-2', 'dead', 3]]);
      assert.match(dead[0].lastError, /still down \(attempt 3\)/);
      assert.equal(calls.length, 6);
      assert.deepEqual((await handler.deliveries.pending()).length, 0);
      assert.equal(errors.filter((e) => e.context.deadLetter).length, 2, 'the last failure is reported as a dead letter');
      await sleep(60);
      assert.equal(calls.length, 6, 'a dead letter is not retried');

      healthy = true;
      assert.equal(await handler.deliveries.replay(dead[0].id), true);
      assert.equal(await handler.deliveries.replay(dead[0].id), false, 'no longer a dead letter');
      assert.ok(await until(() => calls.length === 7));
      assert.deepEqual(calls[6], { key: 'webForm:dead-1', deliveryId: dead[0].id, attempt: 1 });
      assert.ok(await until(async () => (await handler.deliveries.deadLetters()).length === 1));
      assert.equal(await handler.deliveries.discard(dead[1].id), true);
      assert.deepEqual(await handler.deliveries.deadLetters(), []);
      assert.equal(await handler.deliveries.discard(dead[1].id), false);
      assert.equal(await handler.deliveries.replay('no-such-id'), false);

      // Another receiver's channel cannot touch them.
      const other = createFinapiCallbackHandler({ secret: SECRET, store, onUpdate: () => {}, delivery: { ...FAST, channel: 'other' } });
      t.after(() => other.close());
      healthy = false;
      await send(samples.webForm('COMPLETED', 'dead-3'));
      const [third] = await until(async () => {
        const list = await handler.deliveries.deadLetters();
        return list.length === 1 && list;
      });
      assert.equal(await other.deliveries.replay(third.id), false);
      assert.equal(await other.deliveries.discard(third.id), false);
      assert.deepEqual(await other.deliveries.deadLetters(), []);
      assert.equal((await handler.deliveries.deadLetters()).length, 1);
    });

    test('refused, duplicate and stale callbacks enqueue nothing and run no hook', async (t) => {
      const store = newStore(t);
      const calls = [];
      const { handler, send } = receiver(t, store, (record) => calls.push(record.key));
      assert.equal((await send(samples.webForm('COMPLETED', 'once'))).status, 200);
      assert.equal(calls.length, 1);
      const refused = [
        await send(samples.webForm('COMPLETED', 'x'), { url: 'https://shop.example/cb?secret=wrong-secret-0123456789' }),
        await send({ webFormId: 'x', status: 'NOPE' }),
        await send('{not json'),
        await send(samples.webForm('COMPLETED', 'x'), { headers: { 'content-type': 'text/plain' } }),
      ];
      assert.deepEqual(refused.map((r) => r.status), [401, 422, 400, 415]);
      assert.equal((await send(samples.webForm('COMPLETED', 'once'))).body.duplicate, true);
      assert.equal((await send(samples.webForm('IN_PROGRESS', 'once'))).body.stale, true);
      await sleep(50);
      assert.deepEqual(calls, ['webForm:once']);
      assert.deepEqual(await handler.deliveries.pending(), []);
      assert.deepEqual(await handler.deliveries.deadLetters(), []);
      assert.equal(await store.get('webForm:x'), undefined);
    });

    test('a delivery whose receiver died before running it runs once its lease expires; close() stops the dispatcher', async (t) => {
      const store = newStore(t);
      // As a receiver that committed and died would leave it: leased to an owner that is gone.
      const result = await store.transact('webForm:orphan', () => ({ webFormId: 'orphan', status: 'COMPLETED' }), {
        enqueue: { channel: 'finapi', owner: 'a-process-that-died', leaseMs: 150 },
      });
      assert.equal(result.delivery.attempts, 1);
      const calls = [];
      const started = Date.now();
      const { handler } = receiver(t, kind === 'memory' ? store : sibling(t, kind, store, getCluster), (record, _p, info) => calls.push({ key: record.key, at: Date.now(), ...info }));
      assert.ok(await until(() => calls.length === 1));
      assert.ok(calls[0].at - started >= 140, `not before the lease expired (${calls[0].at - started} ms)`);
      assert.deepEqual({ key: calls[0].key, deliveryId: calls[0].deliveryId, attempt: calls[0].attempt }, { key: 'webForm:orphan', deliveryId: result.delivery.id, attempt: 2 });

      await handler.close();
      await handler.close(); // idempotent
      await store.transact('webForm:later', () => ({ webFormId: 'later', status: 'COMPLETED' }), { enqueue: { channel: 'finapi', owner: 'gone', leaseMs: 1 } });
      await sleep(80);
      assert.equal(calls.length, 1, 'a closed receiver runs nothing');
      assert.equal(await handler.deliveries.runDue(), 0);
      assert.equal((await store.outbox.list('finapi')).length, 1, 'still pending for the next receiver');
    });

    test('concurrent dispatchers never run one delivery at once, and run each exactly once when hooks succeed', async (t) => {
      const store = newStore(t);
      const N = 40;
      for (let i = 0; i < N; i++) {
        await store.transact(`webForm:l${i}`, () => ({ webFormId: `l${i}`, status: 'COMPLETED' }), { enqueue: { channel: 'finapi', owner: 'gone', leaseMs: 1 } });
      }
      await sleep(5);
      const runs = new Map();
      const active = new Set();
      let overlaps = 0;
      const hook = async (_record, _previous, { deliveryId }) => {
        if (active.has(deliveryId)) overlaps++;
        active.add(deliveryId);
        runs.set(deliveryId, (runs.get(deliveryId) ?? 0) + 1);
        await sleep(5);
        active.delete(deliveryId);
      };
      // Three receivers, each on its own store object (for SQLite and PostgreSQL: as three processes would be).
      const receivers = [0, 1, 2].map(() => receiver(t, kind === 'memory' ? store : sibling(t, kind, store, getCluster), hook, { ...FAST, pollMs: 100_000, concurrency: 4 }).handler);
      // Bounded: without leases the same deliveries would be claimed again and again.
      const drain = async (r) => {
        for (let round = 0; round < 100 && (await r.deliveries.runDue()) > 0; round++);
      };
      await Promise.all(receivers.flatMap((r) => [drain(r), drain(r)]));
      assert.equal(overlaps, 0, 'no delivery ran twice at once');
      assert.equal(runs.size, N, 'every delivery ran');
      assert.ok([...runs.values()].every((n) => n === 1), 'each exactly once');
      await Promise.all(receivers.map((r) => r.close())); // waits for the last settles
      assert.deepEqual(await store.outbox.list(undefined), []);
    });

    test('settle by an owner whose lease was taken over is refused; claim leases each delivery once', async (t) => {
      const store = newStore(t);
      await store.transact('webForm:s', () => ({ v: 1 }), { enqueue: { channel: 'c', owner: 'first', leaseMs: 1 } });
      await sleep(5);
      const [claimed] = await store.outbox.claim('c', { owner: 'second', leaseMs: 60_000, limit: 10 });
      assert.equal(claimed.attempts, 2);
      assert.deepEqual(await store.outbox.claim('c', { owner: 'third', leaseMs: 60_000, limit: 10 }), [], 'leased: nobody else gets it');
      assert.equal(await store.outbox.settle(claimed.id, 'first', { ok: true }), false, 'the old lease holder cannot settle');
      assert.equal(await store.outbox.settle(claimed.id, 'second', { ok: false, error: 'x', retryInMs: 60_000 }), true);
      assert.deepEqual(await store.outbox.claim('c', { owner: 'third', leaseMs: 60_000, limit: 10 }), [], 'not due yet');
      assert.equal(await store.outbox.settle(claimed.id, 'second', { ok: true }), false, 'the lease ended with the settle');
      await assert.rejects(store.outbox.claim('bad channel!', { owner: 'x', leaseMs: 1, limit: 1 }), TypeError);
      await assert.rejects(store.transact('k', () => ({}), { enqueue: { channel: 'c', owner: '', leaseMs: 1 } }), TypeError);
      assert.equal(await store.get('k'), undefined, 'a refused enqueue writes nothing');
    });

    if (kind !== 'memory') {
      test('a pending delivery survives the receiver and its store: a new one, after a restart, runs it', async (t) => {
        const store = newStore(t);
        const first = receiver(t, store, () => {
          throw new Error('down');
        }, { ...FAST, minDelayMs: 200, maxDelayMs: 200 });
        assert.equal((await first.send(samples.webForm('COMPLETED', 'survivor'))).status, 200);
        const [pending] = await first.handler.deliveries.pending();
        await first.handler.close();
        await store.close();

        const reopened = sibling(t, kind, store, getCluster);
        const calls = [];
        receiver(t, reopened, (record, _p, info) => calls.push({ key: record.key, ...info }));
        assert.ok(await until(() => calls.length === 1, 3000));
        assert.deepEqual(calls[0], { key: 'webForm:survivor', deliveryId: pending.id, attempt: 2 });
        assert.ok(await until(async () => (await reopened.outbox.list('finapi')).length === 0));
      });
    }
  });
}

test('without onUpdate: mode none, nothing enqueued; a store without an outbox: at most once, as before', async (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const none = createFinapiCallbackHandler({ secret: SECRET, store });
  assert.equal(none.deliveries.mode, 'none');
  await none(post(samples.webForm('COMPLETED', 'n')));
  assert.deepEqual(await store.outbox.list(undefined), []);

  const plain = { ...memoryStore() }; // a store written for the earlier contract: no outbox
  delete plain.outbox;
  const calls = [];
  const legacy = createFinapiCallbackHandler({ secret: SECRET, store: plain, onUpdate: (record, _p, info) => calls.push(info), onError: () => {} });
  assert.equal(legacy.deliveries.mode, 'at-most-once');
  assert.equal((await legacy(post(samples.webForm('COMPLETED', 'p')))).status, 200);
  assert.deepEqual(calls, [{ deliveryId: 'webForm:p@1', attempt: 1 }]);
  assert.deepEqual(await legacy.deliveries.deadLetters(), []);
});

test('delivery options are checked at creation', (t) => {
  const store = memoryStore();
  t.after(() => store.close());
  const make = (delivery) => createFinapiCallbackHandler({ secret: SECRET, store, onUpdate: () => {}, delivery });
  assert.throws(() => make({ maxAttempts: 0 }), /delivery\.maxAttempts/);
  assert.throws(() => make({ minDelayMs: 1.5 }), /delivery\.minDelayMs/);
  assert.throws(() => make({ minDelayMs: 1000, maxDelayMs: 10 }), /maxDelayMs/);
  assert.throws(() => make({ channel: 'no spaces' }), /delivery\.channel/);
  assert.throws(() => make('fast'), /options\.delivery/);
  make({}).close();
});

test('SQLite: the outbox table is in the same file, migrated from schema version 1', async (t) => {
  const path = join(tempDir(t), 'v1.db');
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path);
  db.exec('CREATE TABLE finframe_records (key TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL CHECK (version >= 1), updated_at TEXT NOT NULL, data TEXT NOT NULL CHECK (json_valid(data))) STRICT, WITHOUT ROWID');
  db.exec(`INSERT INTO finframe_records VALUES ('webForm:old', 1, '2026-01-01T00:00:00.000Z', '{"webFormId":"old","status":"IN_PROGRESS"}')`);
  db.pragma('user_version = 1');
  db.close();
  const store = sqliteStore({ path });
  t.after(() => store.close());
  assert.equal(store.info().schemaVersion, 2);
  assert.equal((await store.get('webForm:old')).data.status, 'IN_PROGRESS');
  const result = await store.transact('webForm:old', () => ({ webFormId: 'old', status: 'COMPLETED' }), { enqueue: { channel: 'finapi', owner: 'me', leaseMs: 1000 } });
  assert.equal(result.delivery.previous.data.status, 'IN_PROGRESS');
  assert.equal(result.delivery.record.version, 2);
});
