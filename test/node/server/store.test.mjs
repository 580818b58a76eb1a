// The CallbackStore contract, for memoryStore and sqliteStore alike, and what only SQLite has:
// a real file that survives reopening, WAL, synchronous, the schema version, and atomic
// read-decide-write across processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sqliteStore, SQLITE_SCHEMA_VERSION } from 'finframe/server/sqlite';
import { createFinapiCallbackHandler } from 'finframe/server';
import { SECRET, STORES, makeStore, post, samples, tempDir, usePostgres } from './helpers.mjs';

const WORKER = fileURLToPath(new URL('./fixtures/store-worker.mjs', import.meta.url));

for (const kind of [...STORES, 'postgres']) {
  describe(`CallbackStore contract (${kind})`, () => {
    if (kind === 'postgres') usePostgres();
    test('transact writes version 1, then +1 per change; undefined writes nothing', async (t) => {
      const store = makeStore(t, kind);
      const first = await store.transact('k', (current) => {
        assert.equal(current, undefined);
        return { a: 1 };
      });
      assert.equal(first.changed, true);
      assert.equal(first.previous, undefined);
      assert.equal(first.record.version, 1);
      assert.deepEqual(first.record.data, { a: 1 });
      const same = await store.transact('k', (current) => {
        assert.deepEqual(current.data, { a: 1 });
        return undefined;
      });
      assert.equal(same.changed, false);
      assert.deepEqual(same.record, first.record);
      const second = await store.transact('k', () => ({ a: 2 }));
      assert.equal(second.record.version, 2);
      assert.deepEqual(second.previous, first.record);
      assert.ok(second.record.updatedAt >= first.record.updatedAt);
      assert.deepEqual(await store.get('k'), second.record);
    });

    test('nothing written and nothing returned for a new key whose decide says no', async (t) => {
      const store = makeStore(t, kind);
      const result = await store.transact('none', () => undefined);
      assert.deepEqual(result, { record: undefined, previous: undefined, changed: false });
      assert.equal(await store.get('none'), undefined);
    });

    test('decide throwing writes nothing and rejects with its error', async (t) => {
      const store = makeStore(t, kind);
      await store.transact('k', () => ({ v: 1 }));
      await assert.rejects(
        store.transact('k', () => {
          throw new Error('nope');
        }),
        /nope/,
      );
      assert.equal((await store.get('k')).version, 1);
    });

    test('data that JSON cannot hold is refused, nothing written', async (t) => {
      const store = makeStore(t, kind);
      await assert.rejects(store.transact('k', () => () => 1), TypeError);
      await assert.rejects(store.transact('k', () => Symbol('s')), TypeError);
      await assert.rejects(store.transact('k', () => ({ toJSON: () => undefined })), TypeError);
      await assert.rejects(store.transact('k', () => ({ big: 1n })), TypeError);
      assert.equal(await store.get('k'), undefined);
      // What JSON can hold is stored as its JSON: a toJSON is applied, undefined members dropped.
      await store.transact('k', () => ({ when: { toJSON: () => 'then' }, gone: undefined, kept: [1, null] }));
      assert.deepEqual((await store.get('k')).data, { when: 'then', kept: [1, null] });
    });

    test('records are copies: mutating one changes nothing stored', async (t) => {
      const store = makeStore(t, kind);
      const data = { nested: { x: 1 } };
      await store.transact('k', () => data);
      data.nested.x = 2;
      const record = await store.get('k');
      assert.equal(record.data.nested.x, 1);
      assert.ok(Object.isFrozen(record));
      record.data.nested.x = 3;
      assert.equal((await store.get('k')).data.nested.x, 1);
    });

    test('list: key order, prefix, limit', async (t) => {
      const store = makeStore(t, kind);
      for (const key of ['task:b', 'webForm:a', 'task:a', 'flexpay:z', 'task_x', 'task%', 'tasks:1', 'task:ü']) {
        await store.transact(key, () => ({ key }));
      }
      assert.deepEqual((await store.list()).map((r) => r.key), ['flexpay:z', 'task%', 'task:a', 'task:b', 'task:ü', 'task_x', 'tasks:1', 'webForm:a']);
      assert.deepEqual((await store.list({ prefix: 'task:' })).map((r) => r.key), ['task:a', 'task:b', 'task:ü']);
      assert.deepEqual((await store.list({ prefix: 'task%' })).map((r) => r.key), ['task%'], 'LIKE wildcards are literal');
      assert.deepEqual((await store.list({ prefix: 'task_' })).map((r) => r.key), ['task_x']);
      assert.deepEqual((await store.list({ prefix: 'task:', limit: 2 })).map((r) => r.key), ['task:a', 'task:b']);
      assert.deepEqual(await store.list({ prefix: 'nothing' }), []);
      assert.equal((await store.list({ limit: 0 })).length, 1, 'limit is at least 1');
      assert.equal((await store.list({ prefix: 'webForm:' }))[0].data.key, 'webForm:a');
    });

    test('keys must be 1–512 characters', async (t) => {
      const store = makeStore(t, kind);
      await assert.rejects(store.transact('', () => ({})), TypeError);
      await assert.rejects(store.transact('x'.repeat(513), () => ({})), TypeError);
      await assert.rejects(store.get(42), TypeError);
    });

    test('a closed store rejects every call', async (t) => {
      const store = makeStore(t, kind);
      await store.close();
      await assert.rejects(store.transact('k', () => ({})), /closed/);
      await assert.rejects(store.get('k'), /closed/);
      await assert.rejects(store.list(), /closed/);
      await store.close(); // twice is fine
    });

    test('in one burst, a throwing decide rejects only its own transact', async (t) => {
      const store = makeStore(t, kind);
      const results = await Promise.allSettled([
        store.transact('a', () => ({ v: 1 })),
        store.transact('b', () => {
          throw new Error('only me');
        }),
        store.transact('a', (current) => ({ v: current.data.v + 1 })),
        store.transact('c', () => ({ v: 3 })),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      assert.equal(results[1].reason.message, 'only me');
      assert.deepEqual((await store.list()).map((r) => [r.key, r.version, r.data.v]), [['a', 2, 2], ['c', 1, 3]]);
    });

    test('transacts started before close() are settled, not dropped', async (t) => {
      const store = makeStore(t, kind);
      const pending = store.transact('k', () => ({ v: 1 }));
      await store.close();
      const outcome = await pending.then(
        (result) => result.changed,
        (error) => error.message,
      );
      assert.ok(outcome === true || /closed/.test(outcome), String(outcome));
    });

    test('subscribe: each real change of the key, once, with the record; unsubscribe stops it', async (t) => {
      const store = makeStore(t, kind);
      const seen = [];
      const other = [];
      const unsubscribe = store.subscribe('k', (record) => seen.push(record));
      store.subscribe('other', (record) => other.push(record.key));
      const first = await store.transact('k', () => ({ v: 1 }));
      await store.transact('k', () => undefined); // no change: no call
      const second = await store.transact('k', (current) => ({ v: current.data.v + 1 }));
      assert.deepEqual(seen, [first.record, second.record]);
      assert.ok(Object.isFrozen(seen[0]));
      unsubscribe();
      unsubscribe(); // twice is harmless
      await store.transact('k', () => ({ v: 3 }));
      assert.equal(seen.length, 2);
      assert.deepEqual(other, []);
    });

    test('subscribe: a throwing listener changes nothing for the write or the other listeners', async (t) => {
      const store = makeStore(t, kind);
      const seen = [];
      store.subscribe('k', () => {
        throw new Error('listener bug');
      });
      store.subscribe('k', (record) => seen.push(record.version));
      const result = await store.transact('k', () => ({ v: 1 }));
      assert.equal(result.changed, true);
      assert.deepEqual(seen, [1]);
      assert.equal((await store.get('k')).version, 1);
    });

    test('subscribe: the same function twice is two subscriptions; a burst is reported in commit order; close drops listeners', async (t) => {
      const store = makeStore(t, kind);
      const seen = [];
      const listener = (record) => seen.push(`${record.key}@${record.version}`);
      const off = store.subscribe('a', listener);
      store.subscribe('a', listener);
      store.subscribe('b', listener);
      await Promise.all([store.transact('a', () => ({})), store.transact('b', () => ({})), store.transact('a', () => ({ again: true }))]);
      if (kind === 'postgres') {
        // Transacts on different keys run on different connections: commit order is per key.
        assert.deepEqual(seen.filter((s) => s.startsWith('a')), ['a@1', 'a@1', 'a@2', 'a@2']);
        assert.deepEqual(seen.filter((s) => s.startsWith('b')), ['b@1']);
      } else assert.deepEqual(seen, ['a@1', 'a@1', 'b@1', 'a@2', 'a@2']);
      off();
      await store.transact('a', () => ({ third: true }));
      assert.deepEqual(seen.slice(5), ['a@3']);
      await store.close();
      assert.throws(() => store.subscribe('a', listener), /closed/);
      assert.throws(() => makeStore(t, kind).subscribe('', listener), TypeError);
    });

    test('concurrent transacts on one key from this process serialize (no lost update)', async (t) => {
      const store = makeStore(t, kind);
      await Promise.all(Array.from({ length: 200 }, () => store.transact('n', (c) => ({ n: (c?.data.n ?? 0) + 1 }))));
      const record = await store.get('n');
      assert.equal(record.data.n, 200);
      assert.equal(record.version, 200);
    });
  });
}

describe('sqliteStore', () => {
  test('a real database file: WAL, synchronous FULL by default, schema version, survives reopening', async (t) => {
    const path = join(tempDir(t), 'db.sqlite');
    const store = sqliteStore({ path });
    await store.transact('webForm:a', () => ({ webFormId: 'a', status: 'COMPLETED' }));
    assert.ok(existsSync(path));
    assert.ok(existsSync(`${path}-wal`), 'write-ahead log in use');
    await store.close();

    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('user_version', { simple: true }), SQLITE_SCHEMA_VERSION);
    assert.deepEqual(db.prepare('SELECT key, version, json(data) AS data FROM finframe_records').all(), [
      { key: 'webForm:a', version: 1, data: '{"webFormId":"a","status":"COMPLETED"}' },
    ]);
    db.close();

    const again = sqliteStore({ path });
    t.after(() => again.close());
    assert.equal((await again.get('webForm:a')).data.status, 'COMPLETED');
    assert.equal((await again.transact('webForm:a', () => ({ webFormId: 'a', status: 'X' }))).record.version, 2);
  });

  test('synchronous: FULL by default, NORMAL on request; info() reads the connection; bad options are TypeErrors', async (t) => {
    const dir = tempDir(t);
    const full = sqliteStore({ path: join(dir, 'full.db') });
    assert.deepEqual(full.info(), { path: join(dir, 'full.db'), journalMode: 'wal', synchronous: 'FULL', schemaVersion: SQLITE_SCHEMA_VERSION });
    await full.close();
    assert.throws(() => full.info(), /closed/);
    const normal = sqliteStore({ path: join(dir, 'normal.db'), synchronous: 'NORMAL' });
    assert.equal(normal.info().synchronous, 'NORMAL');
    await normal.close();
    assert.throws(() => sqliteStore({}), /options\.path/);
    assert.throws(() => sqliteStore({ path: join(dir, 'a.db'), synchronous: 'OFF' }), /synchronous/);
    assert.throws(() => sqliteStore({ path: join(dir, 'b.db'), busyTimeoutMs: -1 }), /busyTimeoutMs/);
  });

  test('a write lock held elsewhere past busyTimeoutMs: transact rejects, the receiver answers 503 and stores nothing', async (t) => {
    const path = join(tempDir(t), 'locked.db');
    const store = sqliteStore({ path, busyTimeoutMs: 100 });
    t.after(() => store.close());
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    t.after(() => other.close());
    await assert.rejects(store.transact('k', () => ({})), (error) => error.code === 'SQLITE_BUSY');
    const handler = createFinapiCallbackHandler({ secret: SECRET, store, onError: () => {} });
    const response = await handler(post(samples.webForm()));
    assert.equal(response.status, 503);
    other.exec('ROLLBACK');
    assert.deepEqual(await store.list(), []);
    assert.equal((await handler(post(samples.webForm()))).status, 200, 'works again once the lock is gone');
  });

  test('refuses a database from a newer schema version', async (t) => {
    const path = join(tempDir(t), 'newer.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => sqliteStore({ path }), /newer/);
  });

  test('two stores on one file see each other’s writes', async (t) => {
    const path = join(tempDir(t), 'shared.db');
    const a = sqliteStore({ path });
    const b = sqliteStore({ path });
    t.after(() => Promise.all([a.close(), b.close()]));
    await a.transact('k', () => ({ from: 'a' }));
    assert.equal((await b.get('k')).data.from, 'a');
    const result = await b.transact('k', (current) => ({ from: 'b', saw: current.data.from }));
    assert.equal(result.record.version, 2);
    assert.equal((await a.get('k')).data.saw, 'a');
  });

  test('subscribe is told after COMMIT (another connection already reads the change), and only of writes through this object', async (t) => {
    const path = join(tempDir(t), 'notify.db');
    const a = sqliteStore({ path });
    const b = sqliteStore({ path });
    t.after(() => Promise.all([a.close(), b.close()]));
    const reader = new Database(path, { readonly: true });
    t.after(() => reader.close());
    const seen = [];
    a.subscribe('k', (record) => {
      const row = reader.prepare('SELECT version FROM finframe_records WHERE key = ?').get('k');
      seen.push({ version: record.version, committed: row?.version });
    });
    await a.transact('k', () => ({ v: 1 }));
    assert.deepEqual(seen, [{ version: 1, committed: 1 }]);
    await b.transact('k', () => ({ v: 2 })); // another store object (as another process would)
    assert.equal(seen.length, 1, 'not seen by a: that is what the status stream polls for');
    assert.equal((await a.get('k')).version, 2);
  });

  /** Starts `workers` child processes on one file, releases them together, returns their JSON lines. */
  async function runWorkers(mode, path, workers, n) {
    const children = Array.from({ length: workers }, () => spawn(process.execPath, [WORKER, mode, path, String(n)], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const outputs = children.map(
      (child) =>
        new Promise((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited with ${code}`))));
        }),
    );
    // Let every worker open the database first, then start them at once.
    await new Promise((r) => setTimeout(r, 300));
    for (const child of children) child.stdin.end('go\n');
    return Promise.all(outputs);
  }

  test('across processes: 4 × 250 read-modify-write increments lose nothing (BEGIN IMMEDIATE)', async (t) => {
    const path = join(tempDir(t), 'counter.db');
    sqliteStore({ path }).close(); // create the schema once, so the workers race on data only
    await runWorkers('increment', path, 4, 250);
    const store = sqliteStore({ path });
    t.after(() => store.close());
    const record = await store.get('counter');
    assert.equal(record.data.n, 1000);
    assert.equal(record.version, 1000);
  });

  test('across processes: the same 200 callbacks delivered by 3 servers at once → each stored once', async (t) => {
    const path = join(tempDir(t), 'deliver.db');
    const results = await runWorkers('deliver', path, 3, 200);
    const perId = new Map();
    for (const { changed } of results) for (const i of changed) perId.set(i, (perId.get(i) ?? 0) + 1);
    assert.equal(perId.size, 200, 'every callback changed something once');
    assert.ok([...perId.values()].every((count) => count === 1), 'and only once');
    assert.equal(results.reduce((sum, r) => sum + r.updates, 0), 200, 'onUpdate ran 200 times in all');
    const store = sqliteStore({ path });
    t.after(() => store.close());
    const records = await store.list({ limit: 1000 });
    assert.equal(records.length, 200);
    assert.ok(records.every((r) => r.version === 1));
  });
});
