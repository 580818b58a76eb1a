// createStatusStream: the status FlexPay's callbacks stored, as Server-Sent Events (parsed by hand
// here, over real HTTP through toNodeHandler) or JSON; resumption by Last-Event-ID, 204 after a
// final status, refusals, polling for changes made by another store object (another process), and
// no timer or subscription left behind when clients go away.
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createFlexPayCallbackHandler, createStatusStream, memoryStore } from 'finframe/server';
import { toNodeHandler } from 'finframe/server/node';
import { sqliteStore } from 'finframe/server/sqlite';
import { answer, flexpayBody, flexpayConfirmEcho, flexpayKeys, listen, makeStore, signReceipt, tempDir } from './helpers.mjs';

const allow = () => true;

/** Polls `condition` every 5 ms until it is true; fails after `ms`. */
async function until(condition, ms = 5000, what = 'condition') {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The active timers of this process (setTimeout/setInterval that keep it alive). */
const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

/**
 * Opens `url` as an event stream with node:http and parses it by hand: `events` ({id, event,
 * data: parsed JSON}), `comments`, `retry`, `ended`; `waitFor(n)` resolves once `n` events arrived,
 * `ended` once the server closed it; `close()` disconnects.
 */
function openEvents(url, { headers = {}, agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers }, agent }, (res) => {
      const client = { status: res.statusCode, headers: res.headers, events: [], comments: [], retry: undefined, raw: '', ended: false };
      let buffer = '';
      let waiters = [];
      const settle = () => (waiters = waiters.filter((w) => !w()));
      const onEnd = deferredEnd();
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        client.raw += chunk;
        buffer += chunk;
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const event = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              const field = line.slice(0, colon);
              const value = line.slice(colon + 1).replace(/^ /, '');
              if (field === 'retry') client.retry = Number(value);
              else event[field] = value;
            }
          }
          if ('data' in event) client.events.push({ id: event.id, event: event.event, data: JSON.parse(event.data) });
        }
        settle();
      });
      res.on('end', () => {
        client.ended = true;
        onEnd.resolve();
        settle();
      });
      res.on('close', () => onEnd.resolve());
      client.waitFor = (count, ms = 5000) =>
        new Promise((done, fail) => {
          const timer = setTimeout(() => fail(new Error(`only ${client.events.length} of ${count} events: ${client.raw}`)), ms);
          const check = () => {
            if (client.events.length < count) return false;
            clearTimeout(timer);
            done(client.events.slice(0, count));
            return true;
          };
          if (!check()) waiters.push(check);
        });
      client.closed = onEnd.promise;
      client.close = () => req.destroy();
      resolve(client);
    });
    req.on('error', reject);
    req.end();
  });
}

function deferredEnd() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A FlexPay receiver and a status stream sharing one store, behind one Node http server:
 * POST /callbacks/flexpay and GET /flexpay/status. `callback(status, options)` signs and posts one.
 */
async function setup(t, { store, kind = 'sqlite', stream: streamOptions = {} } = {}) {
  store ??= makeStore(t, kind);
  const keys = await flexpayKeys();
  const receiver = createFlexPayCallbackHandler({ keys: keys.pem, store, confirm: flexpayConfirmEcho });
  const stream = createStatusStream({ store, authorize: allow, ...streamOptions });
  t.after(() => stream.close());
  const receiverListener = toNodeHandler(receiver);
  const streamListener = toNodeHandler(stream);
  const base = await listen(t, (req, res) => (req.url.startsWith('/callbacks/') ? receiverListener(req, res) : streamListener(req, res)));
  const callback = async (status, { reference = 'order-1', statusLastUpdated = String(Date.now()) } = {}) => {
    const body = flexpayBody(await signReceipt(keys, { reference }), { reference, status, statusLastUpdated });
    const response = await fetch(`${base}/callbacks/flexpay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200, await response.clone().text());
    return response.json();
  };
  return { store, keys, stream, base, callback, url: (reference = 'order-1', query = '') => `${base}/flexpay/status?reference=${encodeURIComponent(reference)}${query}` };
}

describe('status stream: Server-Sent Events over HTTP', () => {
  test('retry first, the current status at once (none yet: id 0, null), each change, and the end after a final status', async (t) => {
    const { callback, url, stream } = await setup(t);
    const client = await openEvents(url());
    assert.equal(client.status, 200);
    assert.equal(client.headers['content-type'], 'text/event-stream; charset=utf-8');
    assert.equal(client.headers['cache-control'], 'no-store');
    assert.equal(client.headers['x-accel-buffering'], 'no');
    await client.waitFor(1);
    assert.ok(client.raw.startsWith('retry: 3000\n\n'), JSON.stringify(client.raw.slice(0, 40)));
    assert.equal(client.retry, 3000);
    assert.deepEqual(client.events[0], { id: '0', event: 'status', data: { reference: 'order-1', status: null, final: false, version: 0 } });
    assert.ok(client.raw.includes('id: 0\nevent: status\ndata: {"reference":"order-1","status":null,"final":false,"version":0}\n\n'), 'the wire format, byte for byte');

    await callback('PENDING', { statusLastUpdated: '1642167702000' });
    await client.waitFor(2);
    assert.deepEqual(client.events[1], {
      id: '1',
      event: 'status',
      data: { reference: 'order-1', status: 'PENDING', statusLastUpdated: '1642167702000', productType: 'blackhorse-flexpay', final: false, version: 1 },
    });
    await callback('PENDING', { statusLastUpdated: '1642167702999' }); // a newer PENDING: a duplicate, nothing sent
    await callback('SUCCESSFUL', { statusLastUpdated: '1642167703000' });
    await client.waitFor(3);
    assert.deepEqual(client.events[2].data, { reference: 'order-1', status: 'SUCCESSFUL', statusLastUpdated: '1642167703000', productType: 'blackhorse-flexpay', final: true, version: 2 });
    await client.closed;
    assert.equal(client.ended, true, 'the server ended the stream after the final status');
    assert.equal(client.events.length, 3);
    for (const { data } of client.events) assert.deepEqual(Object.keys(data).filter((k) => !['reference', 'status', 'statusLastUpdated', 'productType', 'final', 'version'].includes(k)), [], 'named fields only: never the receipt');
    assert.ok(!client.raw.includes('receipt') && !client.raw.includes('eyJ'));
    await until(() => stream.connections === 0, 2000, 'the stream to be released');
  });

  test('after a final status: a reconnect with Last-Event-ID (or ?lastEventId=) equal to it gets 204; without, the final event and the end', async (t) => {
    const { callback, url } = await setup(t);
    await callback('PENDING');
    await callback('FAILED');
    for (const options of [{ headers: { 'last-event-id': '2' } }, { query: '&lastEventId=2' }]) {
      const response = await fetch(url('order-1', options.query ?? ''), { headers: { accept: 'text/event-stream', ...options.headers } });
      assert.equal(response.status, 204, JSON.stringify(options));
      assert.equal(await response.text(), '');
    }
    const fresh = await openEvents(url());
    await fresh.closed;
    assert.deepEqual(fresh.events.map((e) => [e.id, e.data.status, e.data.final]), [['2', 'FAILED', true]]);
    const older = await openEvents(url(), { headers: { 'last-event-id': '1' } });
    await older.closed;
    assert.deepEqual(older.events.map((e) => e.id), ['2'], 'an older Last-Event-ID gets the final status again');
  });

  test('Last-Event-ID equal to the current version: the current status is not sent again, newer ones are', async (t) => {
    const { callback, url } = await setup(t);
    await callback('PENDING');
    const resumed = await openEvents(url(), { headers: { 'last-event-id': '1' } });
    const byQuery = await openEvents(url('order-1', '&lastEventId=1'));
    const stale = await openEvents(url(), { headers: { 'last-event-id': '0' } });
    const garbage = await openEvents(url(), { headers: { 'last-event-id': 'x1' } });
    await stale.waitFor(1);
    await garbage.waitFor(1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(resumed.events.length, 0);
    assert.equal(byQuery.events.length, 0);
    assert.equal(resumed.retry, 3000, 'retry is still sent');
    await callback('SUCCESSFUL');
    for (const client of [resumed, byQuery, stale, garbage]) {
      await client.closed;
      assert.deepEqual(client.events.at(-1).data.status, 'SUCCESSFUL');
    }
    assert.deepEqual(resumed.events.map((e) => e.id), ['2']);
    assert.deepEqual(stale.events.map((e) => e.id), ['1', '2']);
  });

  test('heartbeats: a comment line every heartbeatMs, and retry as configured', async (t) => {
    const { url } = await setup(t, { stream: { heartbeatMs: 30, retryMs: 1500 } });
    const client = await openEvents(url());
    await until(() => client.comments.length >= 3, 3000, 'three heartbeats');
    assert.deepEqual(client.comments.slice(0, 3), ['heartbeat', 'heartbeat', 'heartbeat']);
    assert.ok(client.raw.includes('\n\n: heartbeat\n\n'));
    assert.equal(client.retry, 1500);
    client.close();
  });

  test('a change committed by another store object on the same SQLite file (another process) arrives by polling', async (t) => {
    const path = join(tempDir(t), 'shared.db');
    const mine = sqliteStore({ path });
    const theirs = sqliteStore({ path });
    t.after(() => Promise.all([mine.close(), theirs.close()]));
    const { url } = await setup(t, { store: mine, stream: { pollMs: 40 } });
    const client = await openEvents(url());
    await client.waitFor(1);
    // The other "process" is a FlexPay receiver of its own on `theirs`.
    const keys = await flexpayKeys();
    const other = createFlexPayCallbackHandler({ keys: keys.pem, store: theirs, confirm: flexpayConfirmEcho });
    const post = async (status) => {
      const body = flexpayBody(await signReceipt(keys), { status });
      const response = await other(new Request('http://other/cb', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      assert.equal(response.status, 200);
    };
    await post('PENDING');
    await client.waitFor(2, 2000);
    await post('SUCCESSFUL');
    await client.closed;
    assert.deepEqual(client.events.map((e) => [e.id, e.data.status]), [['0', null], ['1', 'PENDING'], ['2', 'SUCCESSFUL']]);
  });

  test('in-process changes arrive through subscribe at once, without waiting for the poll', async (t) => {
    for (const pollMs of [0, 60_000]) {
      const { callback, url } = await setup(t, { kind: 'memory', stream: { pollMs } });
      const client = await openEvents(url());
      await client.waitFor(1);
      const started = Date.now();
      await callback('FAILED');
      await client.closed;
      assert.equal(client.events.at(-1).data.status, 'FAILED');
      assert.ok(Date.now() - started < 1000, `pollMs ${pollMs}: delivered by the subscription`);
    }
  });

  test('a store without subscribe: polling alone delivers changes; pollMs 0 is then refused', async (t) => {
    const inner = memoryStore();
    const store = { transact: inner.transact, get: inner.get, list: inner.list, close: inner.close }; // no subscribe
    assert.throws(() => createStatusStream({ store, authorize: allow, pollMs: 0 }), /pollMs may be 0 only/);
    const { callback, url } = await setup(t, { store, stream: { pollMs: 25 } });
    const client = await openEvents(url());
    await client.waitFor(1);
    await callback('PENDING');
    await client.waitFor(2, 2000);
    await callback('SUCCESSFUL');
    await client.closed;
    assert.deepEqual(client.events.map((e) => e.data.status), [null, 'PENDING', 'SUCCESSFUL']);
  });

  test('300 concurrent watchers of one reference all receive the one change; one subscription serves them', async (t) => {
    const inner = memoryStore();
    let subscriptions = 0;
    const store = { ...inner, subscribe: (key, listener) => (subscriptions++, inner.subscribe(key, listener)) };
    const { callback, url, stream } = await setup(t, { store });
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    t.after(() => agent.destroy());
    const clients = await Promise.all(Array.from({ length: 300 }, () => openEvents(url(), { agent })));
    await Promise.all(clients.map((c) => c.waitFor(1)));
    assert.equal(stream.connections, 300);
    assert.equal(stream.watched, 1);
    assert.equal(subscriptions, 1);
    await callback('SUCCESSFUL');
    await Promise.all(clients.map((c) => c.closed));
    for (const client of clients) assert.deepEqual(client.events.map((e) => [e.id, e.data.status]), [['0', null], ['1', 'SUCCESSFUL']]);
    await until(() => stream.connections === 0);
  });
});

describe('status stream: cleanup', () => {
  test('clients that disconnect leave no timer, subscription or watcher behind', async (t) => {
    const inner = makeStore(t, 'sqlite');
    let active = 0;
    const store = {
      transact: inner.transact,
      get: inner.get,
      list: inner.list,
      close: inner.close,
      subscribe(key, listener) {
        active++;
        const off = inner.subscribe(key, listener);
        let done = false;
        return () => {
          if (!done) active--;
          done = true;
          off();
        };
      },
    };
    const { url, stream } = await setup(t, { store, stream: { heartbeatMs: 20, pollMs: 20 } });
    const before = timers();
    const clients = await Promise.all(['a', 'a', 'b', 'b', 'c'].map((reference) => openEvents(url(`order-${reference}`))));
    await Promise.all(clients.map((c) => c.waitFor(1)));
    assert.equal(stream.connections, 5);
    assert.equal(stream.watched, 3);
    assert.equal(active, 3);
    assert.equal(timers(), before + 2, 'one heartbeat and one poll interval, shared by every stream');
    await until(() => clients.every((c) => c.comments.length > 0), 2000, 'a heartbeat');
    clients.slice(0, 3).forEach((c) => c.close());
    await until(() => stream.connections === 2, 2000, 'three streams released');
    assert.equal(stream.watched, 2);
    assert.equal(active, 2);
    clients.slice(3).forEach((c) => c.close());
    await until(() => stream.connections === 0, 2000, 'every stream released');
    assert.equal(stream.watched, 0);
    assert.equal(active, 0);
    await until(() => timers() === before, 1000, 'the timers to stop');
  });

  test('without HTTP: cancelling the body or aborting the request signal releases the stream', async (t) => {
    const store = makeStore(t, 'memory');
    const stream = createStatusStream({ store, authorize: allow, heartbeatMs: 20 });
    const before = timers();
    const first = await stream(new Request('http://x/s?reference=r1', { headers: { accept: 'text/event-stream' } }));
    const reader = first.body.getReader();
    const text = new TextDecoder().decode((await reader.read()).value);
    assert.equal(text, 'retry: 3000\n\n');
    const controller = new AbortController();
    const second = await stream(new Request('http://x/s?reference=r1', { headers: { accept: 'text/event-stream' }, signal: controller.signal }));
    assert.equal(stream.connections, 2);
    await reader.cancel();
    assert.equal(stream.connections, 1);
    controller.abort();
    assert.equal(stream.connections, 0);
    assert.equal(stream.watched, 0);
    assert.equal(timers(), before);
    const rest = await new Response(second.body).text();
    assert.match(rest, /^retry: 3000\n\nid: 0\n/, 'the aborted stream was closed, not errored');
  });

  test('close() ends every open stream and stops the timers', async (t) => {
    const { url, stream } = await setup(t, { kind: 'memory', stream: { heartbeatMs: 20 } });
    const before = timers();
    const clients = await Promise.all([openEvents(url('x1')), openEvents(url('x2'))]);
    await Promise.all(clients.map((c) => c.waitFor(1)));
    stream.close();
    await Promise.all(clients.map((c) => c.closed));
    assert.ok(clients.every((c) => c.ended));
    assert.equal(stream.connections, 0);
    await until(() => timers() === before, 1000, 'the timers to stop');
  });
});

describe('status stream: JSON and refusals', () => {
  const get = (stream, query, headers = {}, method = 'GET') => stream(new Request(`https://shop.example/flexpay/status${query}`, { method, headers }));

  test('JSON for anything but text/event-stream: nothing stored, then the stored status (named fields only)', async (t) => {
    const { callback, stream } = await setup(t, { kind: 'memory' });
    for (const headers of [{}, { accept: 'application/json' }, { accept: '*/*' }]) {
      const { status, body, headers: h } = await answer(await get(stream, '?reference=order-1', headers));
      assert.equal(status, 200);
      assert.equal(h.get('cache-control'), 'no-store');
      assert.deepEqual(body, { reference: 'order-1', status: null, final: false, version: 0 });
    }
    await callback('PENDING', { statusLastUpdated: '1642167702440' });
    assert.deepEqual((await answer(await get(stream, '?reference=order-1'))).body, {
      reference: 'order-1',
      status: 'PENDING',
      statusLastUpdated: '1642167702440',
      productType: 'blackhorse-flexpay',
      final: false,
      version: 1,
    });
    await callback('SUCCESSFUL');
    const final = (await answer(await get(stream, '?reference=order-1'))).body;
    assert.equal(final.final, true);
    assert.equal(final.version, 2);
    const head = await get(stream, '?reference=order-1', { accept: 'text/event-stream' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
    assert.equal(stream.connections, 0, 'HEAD never opens a stream');
  });

  test('400 for a missing, repeated or invalid reference; 405 for other methods; 403 unless authorize returns true', async (t) => {
    const store = makeStore(t, 'memory');
    const errors = [];
    const seen = [];
    const stream = createStatusStream({
      store,
      authorize: async (request, reference) => {
        seen.push(reference);
        if (reference === 'boom') throw new Error('session store down');
        if (reference === 'truthy') return 'yes';
        return request.headers.get('cookie') === `owner=${reference}`;
      },
      onError: (error, context) => errors.push(context),
    });
    for (const query of ['', '?reference=', '?reference=a&reference=b', '?reference=has%20space', `?reference=${'r'.repeat(129)}`, '?order=x']) {
      const { status, body } = await answer(await get(stream, query));
      assert.equal(status, 400, query);
      assert.equal(body.error, 'invalid_reference');
    }
    assert.deepEqual(seen, [], 'authorize is not asked about invalid references');
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await get(stream, '?reference=r', {}, method);
      assert.equal(response.status, 405);
      assert.equal(response.headers.get('allow'), 'GET, HEAD');
    }
    for (const [reference, cookie] of [['r1', 'owner=r2'], ['r1', undefined], ['truthy', undefined], ['boom', undefined]]) {
      for (const accept of ['application/json', 'text/event-stream']) {
        const { status, body } = await answer(await get(stream, `?reference=${reference}`, { accept, ...(cookie ? { cookie } : {}) }));
        assert.equal(status, 403, `${reference} ${accept}`);
        assert.deepEqual(body, { error: 'forbidden', reason: 'not allowed to watch this reference' });
      }
    }
    assert.deepEqual(errors, [{ stage: 'authorize', reference: 'boom' }, { stage: 'authorize', reference: 'boom' }]);
    assert.equal((await get(stream, '?reference=r1', { cookie: 'owner=r1' })).status, 200);
    assert.equal(stream.connections, 0);
  });

  test('maxConnections: one stream more is 503 with Retry-After; JSON is not limited', async (t) => {
    const store = makeStore(t, 'memory');
    const stream = createStatusStream({ store, authorize: allow, maxConnections: 2, retryMs: 4500 });
    const sse = { accept: 'text/event-stream' };
    const open = [await get(stream, '?reference=a', sse), await get(stream, '?reference=b', sse)];
    const { status, body, headers } = await answer(await get(stream, '?reference=c', sse));
    assert.equal(status, 503);
    assert.equal(body.error, 'too_many_connections');
    assert.equal(headers.get('retry-after'), '5');
    assert.equal((await get(stream, '?reference=c')).status, 200);
    await open[0].body.cancel();
    assert.equal((await get(stream, '?reference=c', sse)).status, 200);
    stream.close();
  });

  test('a failing store: 503 store_unavailable (JSON and stream), reported; nothing left open', async () => {
    const store = { ...memoryStore(), get: async () => Promise.reject(new Error('disk gone')) };
    const errors = [];
    const stream = createStatusStream({ store, authorize: allow, onError: (error, context) => errors.push([error.message, context.stage]) });
    for (const accept of ['application/json', 'text/event-stream']) {
      const { status, body, headers } = await answer(await get(stream, '?reference=r', { accept }));
      assert.equal(status, 503);
      assert.equal(body.error, 'store_unavailable');
      assert.equal(headers.get('retry-after'), '5');
    }
    assert.deepEqual(errors, [['disk gone', 'store'], ['disk gone', 'store']]);
    assert.equal(stream.connections, 0);
    assert.equal(stream.watched, 0);
  });

  test('referenceParam; options are checked at creation (authorize is required)', async (t) => {
    const store = makeStore(t, 'memory');
    const stream = createStatusStream({ store, authorize: allow, referenceParam: 'order' });
    assert.equal((await get(stream, '?order=o-1')).status, 200);
    assert.equal((await get(stream, '?reference=o-1')).status, 400);
    assert.throws(() => createStatusStream({ store }), /authorize\(request, reference\) is required/);
    assert.throws(() => createStatusStream({ store, authorize: true }), /authorize/);
    assert.throws(() => createStatusStream({ authorize: allow }), /store/);
    assert.throws(() => createStatusStream({ store, authorize: allow, heartbeatMs: 0 }), /heartbeatMs/);
    assert.throws(() => createStatusStream({ store, authorize: allow, pollMs: -1 }), /pollMs/);
    assert.throws(() => createStatusStream({ store, authorize: allow, retryMs: Number.NaN }), /retryMs/);
    assert.throws(() => createStatusStream({ store, authorize: allow, maxConnections: 1.5 }), /maxConnections/);
    assert.throws(() => createStatusStream({ store, authorize: allow, referenceParam: 'a b' }), /referenceParam/);
    assert.throws(() => createStatusStream(), /options/);
  });
});
