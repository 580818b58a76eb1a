// createStatusStream: the status FlexPay's callbacks stored, as Server-Sent Events (parsed by hand
// here, over real HTTP through toNodeHandler) or JSON; resumption by Last-Event-ID, 204 after a
// final status, refusals, polling for changes made by another store object (another process), and
// no timer or subscription left behind when clients go away.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { STATUS_STREAM_DEFAULTS, clientAddressKey, createFlexPayCallbackHandler, createStatusStream, memoryStore } from 'finframe/server';
import { toNodeHandler } from 'finframe/server/node';
import { sqliteStore } from 'finframe/server/sqlite';
import { SECRET, answer, flexpayBody, flexpayConfirmEcho, flexpayKeys, listen, makeStore, samples, signReceipt, tempDir } from './helpers.mjs';

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
 * `ended` once the server closed it; `close()` disconnects. `localAddress` (127.0.0.2, …) makes the
 * request come from another loopback address: another client, as the server sees it.
 */
function openEvents(url, { headers = {}, agent, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers }, agent, localAddress }, (res) => {
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
    // One process, one reference, one client address: every limit lifted for this test.
    const { callback, url, stream } = await setup(t, { store, stream: { maxConnections: Infinity, maxConnectionsPerReference: Infinity, maxConnectionsPerClient: Infinity } });
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
    assert.equal(timers(), before + 2 + 5, 'one heartbeat and one poll interval shared by every stream, and one lifetime timer per stream');
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
    for (const client of clients) assert.deepEqual(client.events.at(-1), { id: undefined, event: 'reconnect', data: { reason: 'shutdown' } }, 'a planned end: the browser reconnects');
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

// ---- limits and lifetime ------------------------------------------------------------------------
// The review's attack: a customer who passes `authorize` for their own orders opened stream after
// stream until a process with 256 file descriptors held 236 of them, and a genuine finAPI callback
// to the same process failed. Every test below sends the flood and checks what was refused and
// that nothing was lost or leaked.

/**
 * One stream request, without keep-alive (a refused one closes its connection, as an attacker's
 * throwaway would). Resolves when the answer's head arrives: `{status, headers, json?, close()}`;
 * a 200 stream stays open until `close()`, a refusal's JSON body is read.
 */
function attempt(url, { headers = {}, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, localAddress, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const close = () => req.destroy();
      if (res.statusCode === 200) return resolve({ status: 200, headers: res.headers, close });
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, json: body ? JSON.parse(body) : undefined, close }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The fixture server (finAPI receiver + status stream, one process, one SQLite file) started with
 * `ulimit -n 256`, the review's descriptor limit. `options` are the stream's (`'Infinity'` allowed).
 */
async function floodTarget(t, options) {
  const script = new URL('./fixtures/stream-server.mjs', import.meta.url).pathname;
  const args = [script, join(tempDir(t), 'callbacks.db'), SECRET, JSON.stringify(options)];
  // `ulimit -n` in the shell sets the soft and the hard limit, so Node cannot raise it again.
  const child = spawn('sh', ['-c', 'ulimit -n 256 && exec "$0" "$@"', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).port);
    });
    child.on('exit', () => reject(new Error('the fixture server exited before listening')));
  });
  return `http://127.0.0.1:${port}`;
}

/** 300 stream requests from one client, 20 at a time, each for another of its own orders. */
async function flood(base) {
  const tally = { 200: 0, 429: 0, refusedConnection: 0 };
  const held = [];
  const refusals = [];
  for (let i = 0; i < 300; i += 20) {
    await Promise.all(
      Array.from({ length: 20 }, async (_, j) => {
        try {
          const answer = await attempt(`${base}/flexpay/status?reference=mine-${i + j}`);
          tally[answer.status] = (tally[answer.status] ?? 0) + 1;
          if (answer.status === 200) held.push(answer);
          else refusals.push(answer);
        } catch {
          tally.refusedConnection++; // the server could not even accept the connection
        }
      }),
    );
  }
  return { tally, held, refusals };
}

const finapiCallback = (base, webFormId) =>
  fetch(`${base}/callbacks/finapi?secret=${SECRET}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(samples.webForm('COMPLETED', webFormId)),
    signal: AbortSignal.timeout(2500),
  });

describe('status stream: limits and lifetime (the flood, replayed)', () => {
  test('the defaults: 128 streams in all, 8 per reference, 8 per client, 300 s each', () => {
    assert.deepEqual({ ...STATUS_STREAM_DEFAULTS }, { maxConnections: 128, maxConnectionsPerReference: 8, maxConnectionsPerClient: 8, maxStreamSeconds: 300 });
    assert.ok(Object.isFrozen(STATUS_STREAM_DEFAULTS));
  });

  test('one client floods a 256-descriptor process: without limits a genuine finAPI callback starves; with the defaults it gets 429 after 8 streams and the callback is stored', async (t) => {
    // The attack as the review ran it, with every limit lifted: proof that this replay starves the process.
    const open = await floodTarget(t, { maxConnections: 'Infinity', maxConnectionsPerReference: 'Infinity', maxConnectionsPerClient: 'Infinity' });
    const unlimited = await flood(open);
    assert.ok(unlimited.tally[200] > 200, `the unlimited process held ${unlimited.tally[200]} streams`);
    assert.ok(unlimited.tally.refusedConnection > 0, 'it ran out of descriptors');
    await assert.rejects(finapiCallback(open, 'wf-starved'), 'the genuine callback fails while the streams are held');
    unlimited.held.forEach((s) => s.close());

    // The same flood against the defaults.
    const base = await floodTarget(t, {});
    const { tally, held, refusals } = await flood(base);
    assert.deepEqual(tally, { 200: 8, 429: 292, refusedConnection: 0 });
    for (const refusal of refusals) {
      assert.equal(refusal.headers['retry-after'], '5');
      assert.match(refusal.headers['content-type'], /^application\/json/);
      assert.deepEqual(refusal.json, { error: 'too_many_connections_per_client', reason: 'this client has 8 status streams open already; close one, or retry later' });
    }
    const response = await finapiCallback(base, 'wf-genuine');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true, key: 'webForm:wf-genuine', changed: true, duplicate: false, stale: false, version: 1 });
    const stats = async () => (await fetch(`${base}/stats`)).json();
    assert.deepEqual(await stats(), { connections: 8, clients: 1, watched: 8 });
    held.forEach((s) => s.close());
    await until(async () => (await stats()).connections === 0, 3000, 'the held streams to be released');
    assert.deepEqual(await stats(), { connections: 0, clients: 0, watched: 0 });
    // The client's count really went back down: it may open its 8 again.
    const again = await Promise.all(Array.from({ length: 9 }, (_, i) => attempt(`${base}/flexpay/status?reference=again-${i}`)));
    assert.deepEqual(again.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 200, 429]);
    again.forEach((a) => a.close());
  });

  test('per client over HTTP (the remote address): 429 for the ninth; another address, JSON polling and the FlexPay receiver are unaffected; closing one lets the next in', async (t) => {
    const { callback, url, stream } = await setup(t, { kind: 'memory' });
    const mine = await Promise.all(Array.from({ length: 8 }, (_, i) => attempt(url(`order-${i}`))));
    assert.deepEqual(mine.map((a) => a.status), [200, 200, 200, 200, 200, 200, 200, 200]);
    const ninth = await attempt(url('order-8'));
    assert.equal(ninth.status, 429);
    assert.equal(ninth.headers['retry-after'], '5');
    assert.equal(ninth.json.error, 'too_many_connections_per_client');
    assert.equal(stream.connections, 8);
    assert.equal(stream.clients, 1);
    // Another client (another loopback address) is not affected, nor is polling, nor the receiver.
    const other = await openEvents(url('order-8'), { localAddress: '127.0.0.2' });
    assert.equal(other.status, 200);
    assert.equal(stream.clients, 2);
    const polled = await fetch(url('order-8'), { headers: { accept: 'application/json' } });
    assert.equal(polled.status, 200);
    await callback('SUCCESSFUL', { reference: 'order-8' });
    await other.closed;
    assert.equal(other.events.at(-1).data.status, 'SUCCESSFUL');
    mine[0].close();
    await until(() => stream.connections === 8, 2000, 'one stream released');
    const next = await attempt(url('order-9'));
    assert.equal(next.status, 200, 'a freed place is usable again');
    next.close();
    mine.forEach((a) => a.close());
    await until(() => stream.connections === 0 && stream.clients === 0, 2000, 'everything released');
  });

  test('per reference: the ninth watcher of one order (from a ninth address) is 429; refused strangers take no place; other orders are unaffected', async (t) => {
    const { url, stream } = await setup(t, {
      kind: 'memory',
      stream: { authorize: (request) => request.headers.get('cookie') !== 'stranger' },
    });
    // Strangers first: 403, and they do not use up the order's places.
    for (let i = 0; i < 10; i++) {
      const refused = await attempt(url('order-1'), { headers: { cookie: 'stranger' }, localAddress: `127.0.1.${i + 1}` });
      assert.equal(refused.status, 403);
    }
    assert.equal(stream.connections, 0);
    const watchers = [];
    for (let i = 0; i < 8; i++) watchers.push(await attempt(url('order-1'), { localAddress: `127.0.0.${i + 2}` }));
    assert.deepEqual(watchers.map((a) => a.status), [200, 200, 200, 200, 200, 200, 200, 200]);
    const ninth = await attempt(url('order-1'), { localAddress: '127.0.0.10' });
    assert.equal(ninth.status, 429);
    assert.equal(ninth.headers['retry-after'], '5');
    assert.deepEqual(ninth.json, { error: 'too_many_connections_per_reference', reason: '8 status streams are open for this reference already; retry later' });
    const elsewhere = await attempt(url('order-2'), { localAddress: '127.0.0.10' });
    assert.equal(elsewhere.status, 200, 'the same address may watch another order');
    assert.equal(stream.watched, 2);
    [...watchers, elsewhere].forEach((a) => a.close());
    await until(() => stream.connections === 0 && stream.watched === 0 && stream.clients === 0, 2000, 'everything released');
  });

  test('in all: 503 too_many_connections with Retry-After once maxConnections streams are open, whoever asks', async (t) => {
    const { url, stream } = await setup(t, { kind: 'memory', stream: { maxConnections: 3, retryMs: 9000 } });
    const open = [];
    for (let i = 0; i < 3; i++) open.push(await attempt(url(`order-${i}`), { localAddress: `127.0.0.${i + 2}` }));
    assert.deepEqual(open.map((a) => a.status), [200, 200, 200]);
    const refused = await attempt(url('order-9'), { localAddress: '127.0.0.9' });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '9', 'Retry-After follows retryMs (never below 5 s)');
    assert.deepEqual(refused.json, { error: 'too_many_connections', reason: 'too many status streams are open; retry later' });
    assert.equal(stream.connections, 3);
    open.forEach((a) => a.close());
    await until(() => stream.connections === 0, 2000, 'released');
    const after = await attempt(url('order-9'), { localAddress: '127.0.0.9' });
    assert.equal(after.status, 200);
    after.close();
  });

  test('no leak: however streams end (disconnect, final status, lifetime, 204, refusal, a failing store), every counter and timer goes back to zero', async (t) => {
    let failNext = false;
    const inner = memoryStore();
    const store = { ...inner, get: async (key) => (failNext ? ((failNext = false), Promise.reject(new Error('disk hiccup'))) : inner.get(key)) };
    const errors = [];
    const { callback, url, stream } = await setup(t, { store, stream: { maxStreamSeconds: 0.4, heartbeatMs: 50, onError: (error, context) => errors.push(context.stage) } });
    const before = timers();
    for (let round = 0; round < 2; round++) {
      const dropped = await Promise.all([1, 2, 3].map((i) => openEvents(url(`gone-${round}`), { localAddress: `127.0.0.${i + 1}` })));
      const decided = await openEvents(url(`decided-${round}`), { localAddress: '127.0.0.5' });
      const expiring = await openEvents(url(`expiring-${round}`), { localAddress: '127.0.0.6' });
      await Promise.all([...dropped, decided, expiring].map((c) => c.waitFor(1)));
      assert.equal(stream.connections, 5);
      assert.equal(stream.clients, 5);
      const refused = await Promise.all(Array.from({ length: 8 }, () => attempt(url(`gone-${round}`), { localAddress: '127.0.0.7' })));
      assert.deepEqual(refused.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 429, 429, 429], 'five places left on the order (8 per reference)');
      refused.forEach((a) => a.close());
      failNext = true;
      assert.equal((await attempt(url('broken'), { localAddress: '127.0.0.8' })).status, 503);
      dropped.forEach((c) => c.close());
      await callback('SUCCESSFUL', { reference: `decided-${round}` });
      await decided.closed;
      const done = await fetch(url(`decided-${round}`), { headers: { accept: 'text/event-stream', 'last-event-id': '1' } });
      assert.equal(done.status, 204);
      await expiring.closed;
      assert.equal(expiring.events.at(-1).event, 'reconnect');
      await until(() => stream.connections === 0, 2000, `round ${round}: every stream released`);
      assert.equal(stream.clients, 0);
      assert.equal(stream.watched, 0);
      await until(() => timers() === before, 1000, `round ${round}: the timers to stop`);
    }
    assert.deepEqual(errors, ['store', 'store']);
  });

  test('lifetime: the stream ends cleanly with event: reconnect (no id); the reconnect with Last-Event-ID runs authorize again; a revoked permission ends the watch with 403', async (t) => {
    let allowed = true;
    let asked = 0;
    const authorize = () => (asked++, allowed);
    const { callback, url, stream } = await setup(t, { kind: 'memory', stream: { maxStreamSeconds: 0.5, authorize } });
    await callback('PENDING', { statusLastUpdated: '1700000000000' });
    const started = Date.now();
    const first = await openEvents(url());
    await first.closed;
    const lived = Date.now() - started;
    assert.ok(lived >= 440 && lived < 1500, `ended after ${lived} ms (at most 500 ms, a random 0–10 % earlier)`);
    assert.equal(first.ended, true, 'ended by the server, cleanly');
    assert.deepEqual(first.events.map((e) => [e.id, e.event]), [['1', 'status'], [undefined, 'reconnect']]);
    assert.deepEqual(first.events[1].data, { reason: 'lifetime' });
    assert.ok(first.raw.endsWith('\n\nevent: reconnect\ndata: {"reason":"lifetime"}\n\n'), 'no id line: Last-Event-ID stays the status version');
    assert.equal(asked, 1);
    await until(() => stream.connections === 0, 1000, 'released');

    // What EventSource does next: reconnect with Last-Event-ID.
    const second = await openEvents(url(), { headers: { 'last-event-id': '1' } });
    assert.equal(second.status, 200);
    assert.equal(asked, 2, 'authorize ran again');
    await callback('SUCCESSFUL', { statusLastUpdated: '1700000000100' });
    await second.closed;
    assert.deepEqual(second.events.map((e) => [e.id, e.event, e.data.status]), [['2', 'status', 'SUCCESSFUL']], 'nothing repeated, the change delivered');

    // The permission is revoked (the customer signed out): the next lifetime's reconnect is 403.
    await callback('PENDING', { reference: 'order-2' });
    const third = await openEvents(url('order-2'));
    allowed = false;
    await third.closed;
    assert.equal(third.events.at(-1).event, 'reconnect');
    const { status, body } = await answer(await fetch(url('order-2'), { headers: { accept: 'text/event-stream', 'last-event-id': '1' } }));
    assert.equal(status, 403);
    assert.deepEqual(body, { error: 'forbidden', reason: 'not allowed to watch this reference' });
    assert.equal(stream.connections, 0);
  });

  test('clientKey: the hook names the client (a trusted proxy header); undefined means not limited per client; a throw or a non-string is 503, reported', async (t) => {
    const store = makeStore(t, 'memory');
    const errors = [];
    const stream = createStatusStream({
      store,
      authorize: allow,
      maxConnectionsPerClient: 2,
      clientKey: (request, info) => {
        assert.ok(Object.isFrozen(info));
        const header = request.headers.get('x-real-ip');
        if (header === 'boom') throw new Error('header parser down');
        if (header === 'number') return 42;
        return header ?? undefined;
      },
      onError: (error, context) => errors.push([context.stage, context.reference, error.message]),
    });
    t.after(() => stream.close());
    const open = (reference, headers = {}, info) => stream(new Request(`http://shop.example/s?reference=${reference}`, { headers: { accept: 'text/event-stream', ...headers } }), info);
    const a = [await open('r1', { 'x-real-ip': '198.51.100.7' }), await open('r2', { 'x-real-ip': '198.51.100.7' })];
    // The socket address is the proxy's and the same for everyone: the hook's key decides.
    const third = await answer(await open('r3', { 'x-real-ip': '198.51.100.7' }, { remoteAddress: '10.0.0.1' }));
    assert.equal(third.status, 429);
    assert.equal(third.body.error, 'too_many_connections_per_client');
    const b = await open('r3', { 'x-real-ip': '198.51.100.8' }, { remoteAddress: '10.0.0.1' });
    assert.equal(b.status, 200);
    // No header: no key, no per-client limit (the per-reference and total limits still hold).
    const unkeyed = await Promise.all([1, 2, 3, 4].map((i) => open(`u${i}`)));
    assert.deepEqual(unkeyed.map((r) => r.status), [200, 200, 200, 200]);
    assert.equal(stream.clients, 2);
    for (const header of ['boom', 'number']) {
      const { status, body, headers } = await answer(await open('r9', { 'x-real-ip': header }));
      assert.equal(status, 503);
      assert.deepEqual(body, { error: 'client_unidentified', reason: 'the client could not be identified; retry later' });
      assert.equal(headers.get('retry-after'), '5');
    }
    assert.deepEqual(errors, [['clientKey', 'r9', 'header parser down'], ['clientKey', 'r9', 'clientKey returned number, not a string, undefined or null']]);
    assert.equal(stream.connections, 7);
    // JSON polling asks no clientKey and is never limited: nothing is held open.
    for (let i = 0; i < 20; i++) assert.equal((await stream(new Request('http://shop.example/s?reference=r1', { headers: { 'x-real-ip': 'boom' } }))).status, 200);
    for (const response of [...a, b, ...unkeyed]) await response.body.cancel();
    assert.equal(stream.connections, 0);
    assert.equal(stream.clients, 0);
  });

  test('the default clientKey: the remote address from the second argument; without it (a bare Fetch runtime) no per-client limit', async (t) => {
    const store = makeStore(t, 'memory');
    const stream = createStatusStream({ store, authorize: allow, maxConnectionsPerClient: 2 });
    t.after(() => stream.close());
    const open = (reference, info) => stream(new Request(`http://shop.example/s?reference=${reference}`, { headers: { accept: 'text/event-stream' } }), info);
    const held = [];
    // Without info: five streams from "nowhere", all allowed (the merchant must supply clientKey there).
    for (let i = 0; i < 5; i++) held.push(await open(`n${i}`));
    assert.ok(held.every((r) => r.status === 200));
    assert.equal(stream.clients, 0);
    // A second argument that is not a ConnectionInfo (Bun passes its server, a worker its env): ignored.
    const bunLike = Object.create({ remoteAddress: '192.0.2.1' });
    for (let i = 0; i < 3; i++) held.push(await open(`b${i}`, bunLike));
    assert.ok(held.every((r) => r.status === 200));
    for (const weird of [null, 'x', { remoteAddress: 42 }]) held.push(await open(`w${held.length}`, weird));
    assert.ok(held.every((r) => r.status === 200));
    assert.equal(stream.clients, 0);
    // With info: limited, and one IPv6 /64 is one client (as is an IPv4-mapped address and its IPv4).
    const limited = async (addresses) => Promise.all(addresses.map((remoteAddress, i) => open(`x${held.length + i}`, { remoteAddress })));
    const v6 = await limited(['2001:db8:1:2::1', '2001:db8:1:2:ffff::9', '2001:db8:1:2::3']);
    assert.deepEqual(v6.map((r) => r.status), [200, 200, 429]);
    const v4 = await limited(['::ffff:192.0.2.1', '192.0.2.1', '::FFFF:192.0.2.1']);
    assert.deepEqual(v4.map((r) => r.status), [200, 200, 429]);
    assert.equal((await open('y', { remoteAddress: '2001:db8:1:3::1' })).status, 200, 'the next /64 is another client');
    assert.equal(stream.clients, 3);
  });

  test('clientAddressKey: IPv4 as is, IPv4-mapped as IPv4, IPv6 by /64, anything else as is', () => {
    for (const [input, key] of [
      ['203.0.113.9', '203.0.113.9'],
      ['::ffff:127.0.0.1', '127.0.0.1'],
      ['0:0:0:0:0:ffff:7f00:1', '127.0.0.1'],
      ['2001:DB8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
      ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
      ['[2001:db8::1]', '2001:db8:0:0::/64'],
      ['::1', '0:0:0:0::/64'],
      ['fe80::1%eth0', 'fe80:0:0:0::/64'],
      ['::', '0:0:0:0::/64'],
      ['1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8:9'],
      ['1::2::3', '1::2::3'],
      ['::ffff:300.1.1.1', '::ffff:300.1.1.1'],
      ['not an address', 'not an address'],
    ]) {
      assert.equal(clientAddressKey(input), key, input);
    }
  });

  test('the limit options are checked at creation', (t) => {
    const store = makeStore(t, 'memory');
    for (const name of ['maxConnections', 'maxConnectionsPerReference', 'maxConnectionsPerClient']) {
      for (const bad of [-1, 1.5, Number.NaN, '8', null]) {
        assert.throws(() => createStatusStream({ store, authorize: allow, [name]: bad }), new RegExp(`options\\.${name} must be a non-negative integer`), `${name}: ${bad}`);
      }
      createStatusStream({ store, authorize: allow, [name]: Infinity }).close();
      createStatusStream({ store, authorize: allow, [name]: 0 }).close();
    }
    for (const bad of [0, -1, Number.NaN, Infinity, '300', 30 * 24 * 3600]) {
      assert.throws(() => createStatusStream({ store, authorize: allow, maxStreamSeconds: bad }), /options\.maxStreamSeconds must be a positive number/, String(bad));
    }
    assert.throws(() => createStatusStream({ store, authorize: allow, clientKey: 'x-real-ip' }), /options\.clientKey must be a function/);
  });

  test('a limit of 0 refuses every stream of its kind while JSON still answers', async (t) => {
    const store = makeStore(t, 'memory');
    const stream = createStatusStream({ store, authorize: allow, maxConnectionsPerReference: 0 });
    const sse = new Request('http://x/s?reference=r', { headers: { accept: 'text/event-stream' } });
    assert.equal((await stream(sse)).status, 429);
    assert.equal((await stream(new Request('http://x/s?reference=r'))).status, 200);
    assert.equal(stream.connections, 0);
  });
});
