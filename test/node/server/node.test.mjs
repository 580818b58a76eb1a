// toNodeHandler: the receiver behind a real Node http server (and behind what Express does to a
// request: a mount path, a body already parsed by express.json()/raw()/text()).
import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import { describe, test } from 'node:test';
import { createFinapiCallbackHandler, memoryStore } from 'finframe/server';
import { toNodeHandler } from 'finframe/server/node';
import { SECRET, deferred, listen, samples } from './helpers.mjs';

function receiver(options = {}) {
  const store = memoryStore();
  const updates = [];
  const handler = createFinapiCallbackHandler({ secret: SECRET, store, onUpdate: (r) => updates.push(r), ...options });
  return { store, updates, handler, listener: toNodeHandler(handler) };
}

/** A raw HTTP request (for what fetch will not send: chunked uploads, odd framing). */
function raw(url, { method = 'POST', headers = {}, chunks = [], agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body, json: /json/.test(res.headers['content-type'] ?? '') ? JSON.parse(body) : undefined }));
    });
    // The server may answer (and close) before the whole upload is written: that is expected.
    req.on('error', (error) => (['EPIPE', 'ECONNRESET'].includes(error.code) ? undefined : reject(error)));
    (async () => {
      for (const chunk of chunks) {
        if (req.destroyed) break;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      req.end();
    })();
  });
}

describe('toNodeHandler with http.createServer', () => {
  test('a callback over HTTP: 200 JSON, stored, onUpdate ran', async (t) => {
    const { store, updates, listener } = receiver();
    const base = await listen(t, listener);
    const response = await fetch(`${base}/callbacks/finapi?secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(samples.task('WEB_FORM_REQUIRED', 'NOT_YET_OPENED', 't-http')),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { ok: true, key: 'task:t-http', changed: true, duplicate: false, stale: false, version: 1 });
    assert.equal((await store.get('task:t-http')).data.webForm.status, 'NOT_YET_OPENED');
    assert.equal(updates.length, 1);
  });

  test('every refusal comes back over HTTP with its status and JSON reason', async (t) => {
    const { store, listener } = receiver();
    const base = await listen(t, listener);
    const url = `${base}/cb?secret=${SECRET}`;
    const json = { 'content-type': 'application/json' };
    const cases = [
      [{ method: 'GET' }, 405],
      [{ method: 'POST', url: `${base}/cb`, headers: json, body: '{}' }, 401],
      [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }, 415],
      [{ method: 'POST', headers: json, body: 'x'.repeat(70_000) }, 413],
      [{ method: 'POST', headers: json, body: '{' }, 400],
      [{ method: 'POST', headers: json, body: '{"webFormId":"a","status":"NOPE"}' }, 422],
    ];
    for (const [init, status] of cases) {
      const response = await fetch(init.url ?? url, init);
      assert.equal(response.status, status, JSON.stringify(init).slice(0, 80));
      const body = await response.json();
      assert.equal(typeof body.error, 'string');
      assert.equal(typeof body.reason, 'string');
    }
    assert.deepEqual(await store.list(), []);
  });

  test('a chunked upload past 64 KiB is cut off with 413 and the connection closed', async (t) => {
    const { store, listener } = receiver();
    const base = await listen(t, listener);
    const chunks = ['{"webFormId":"big","status":"COMPLETED","pad":"', ...Array(64).fill('x'.repeat(4096)), '"}'];
    const result = await raw(`${base}/cb?secret=${SECRET}`, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunks });
    assert.equal(result.status, 413);
    assert.equal(result.json.error, 'payload_too_large');
    assert.equal(result.headers.connection, 'close');
    assert.deepEqual(await store.list(), []);
  });

  test('a chunked upload under the limit is accepted', async (t) => {
    const { store, listener } = receiver();
    const base = await listen(t, listener);
    const body = JSON.stringify(samples.webForm('EXPIRED', 'chunked'));
    const chunks = [body.slice(0, 5), body.slice(5, 20), body.slice(20)];
    const result = await raw(`${base}/cb?secret=${SECRET}`, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunks });
    assert.equal(result.status, 200);
    assert.equal((await store.get('webForm:chunked')).data.status, 'EXPIRED');
  });

  test('after a 401 (body unread) the keep-alive connection still serves the next callback', async (t) => {
    const { listener } = receiver();
    const base = await listen(t, listener);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    t.after(() => agent.destroy());
    const body = JSON.stringify(samples.webForm());
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    const sockets = new Set();
    agent.on('free', (socket) => sockets.add(socket));
    const first = await raw(`${base}/cb?secret=wrong-wrong-wrong-wrong`, { headers, chunks: [body], agent });
    assert.equal(first.status, 401);
    assert.notEqual(first.headers.connection, 'close');
    const second = await raw(`${base}/cb?secret=${SECRET}`, { headers, chunks: [body], agent });
    assert.equal(second.status, 200);
    assert.equal(sockets.size, 1, 'one socket for both');
  });

  test('a malformed Host header does not break URL building', async (t) => {
    const { listener } = receiver();
    const base = await listen(t, listener);
    const body = JSON.stringify(samples.webForm());
    const result = await raw(`${base}/cb?secret=${SECRET}`, { headers: { host: 'a b', 'content-type': 'application/json' }, chunks: [body] });
    assert.equal(result.status, 200);
  });

  test('streamed response bodies and several Set-Cookie headers are written through', async (t) => {
    const listener = toNodeHandler(async () => {
      const encoder = new TextEncoder();
      const parts = ['one ', 'two ', 'three'];
      const body = new ReadableStream({
        async pull(controller) {
          if (!parts.length) return controller.close();
          await new Promise((r) => setTimeout(r, 5));
          controller.enqueue(encoder.encode(parts.shift()));
        },
      });
      const headers = new Headers({ 'content-type': 'text/plain', 'x-test': 'yes' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(body, { status: 207, headers });
    });
    const base = await listen(t, listener);
    const result = await raw(`${base}/`, { method: 'GET' });
    assert.equal(result.status, 207);
    assert.equal(result.body, 'one two three');
    assert.equal(result.headers['x-test'], 'yes');
    assert.deepEqual(result.headers['set-cookie'], ['a=1', 'b=2']);
  });

  test('a never-ending stream: headers and each chunk reach the client at once; a disconnect aborts request.signal and cancels the stream', async (t) => {
    const encoder = new TextEncoder();
    let controller;
    const cancelled = deferred();
    const aborted = deferred();
    const listener = toNodeHandler(async (request) => {
      request.signal.addEventListener('abort', () => aborted.resolve());
      const body = new ReadableStream({ start: (c) => void (controller = c), cancel: () => cancelled.resolve() });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    const base = await listen(t, listener);
    const req = httpRequest(`${base}/events`);
    const res = await new Promise((resolve, reject) => req.on('response', resolve).on('error', reject).end());
    assert.equal(res.statusCode, 200, 'headers arrive before any chunk');
    assert.equal(res.headers['content-type'], 'text/event-stream');
    const nextChunk = () => new Promise((resolve) => res.once('data', (d) => resolve(String(d))));
    for (const text of ['data: one\n\n', ': heartbeat\n\n']) {
      const chunk = nextChunk();
      controller.enqueue(encoder.encode(text));
      assert.equal(await chunk, text, 'each chunk arrives while the stream is still open');
    }
    req.destroy(); // the client goes away
    await Promise.all([aborted.promise, cancelled.promise]);
  });

  test('a finished response does not abort request.signal; HEAD cancels a body it does not send', async (t) => {
    const signals = [];
    let cancelled = false;
    const listener = toNodeHandler(async (request) => {
      signals.push(request.signal);
      if (request.method === 'HEAD') return new Response(new ReadableStream({ cancel: () => void (cancelled = true) }), { headers: { 'x-head': '1' } });
      return new Response('done');
    });
    const base = await listen(t, listener);
    assert.equal(await (await fetch(base)).text(), 'done');
    const head = await fetch(base, { method: 'HEAD' });
    assert.equal(head.headers.get('x-head'), '1');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(cancelled, true);
    assert.equal(signals[0].aborted, false);
  });

  test('a handler that throws: next(error) when given, else a JSON 500', async (t) => {
    const failing = toNodeHandler(async () => {
      throw new Error('bug');
    });
    let passed;
    const base = await listen(t, (req, res) =>
      failing(req, res, (error) => {
        passed = error;
        res.writeHead(599).end();
      }),
    );
    assert.equal((await fetch(`${base}/`)).status, 599);
    assert.equal(passed.message, 'bug');
    const bare = await listen(t, failing);
    const response = await fetch(`${bare}/`);
    assert.equal(response.status, 500);
    assert.equal((await response.json()).error, 'internal_error');
  });

  test('the handler gets a second argument, frozen { remoteAddress } of the socket: the client\'s own address, whatever headers claim', async (t) => {
    const seen = [];
    const listener = toNodeHandler(async (request, info) => {
      seen.push({ info, frozen: Object.isFrozen(info) });
      return new Response('ok');
    });
    const base = await listen(t, listener);
    const port = new URL(base).port;
    for (const localAddress of ['127.0.0.1', '127.0.0.3']) {
      const result = await raw(`http://127.0.0.1:${port}/`, { method: 'GET', headers: { 'x-forwarded-for': '203.0.113.66', 'x-real-ip': '203.0.113.66' }, agent: new Agent({ localAddress }) });
      assert.equal(result.status, 200);
    }
    assert.deepEqual(seen.map((s) => [s.info, s.frozen]), [[{ remoteAddress: '127.0.0.1' }, true], [{ remoteAddress: '127.0.0.3' }, true]]);
    // A one-argument handler (every receiver) is unaffected.
    const oneArg = toNodeHandler(async (request) => new Response(request.method));
    assert.equal(await (await fetch(await listen(t, oneArg))).text(), 'GET');
  });

  test('toNodeHandler refuses a non-function', () => {
    assert.throws(() => toNodeHandler({}), TypeError);
  });
});

describe('toNodeHandler as Express middleware', () => {
  /**
   * What Express does before our handler runs, without Express: strips the mount path from
   * req.url (keeping originalUrl), and optionally has a body parser read the stream first.
   */
  function expressLike(listener, { mount = '/hooks', parser } = {}) {
    return async (req, res) => {
      req.originalUrl = req.url;
      req.url = req.url.slice(mount.length) || '/';
      if (parser) {
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        const buffer = Buffer.concat(chunks);
        const type = req.headers['content-type'] ?? '';
        if (parser === 'json' && type.startsWith('application/json')) {
          req.body = JSON.parse(buffer.toString('utf8'));
          req._body = true;
        } else if (parser === 'raw') {
          req.body = buffer;
          req._body = true;
        } else if (parser === 'text') {
          req.body = buffer.toString('utf8');
          req._body = true;
        }
      }
      listener(req, res, (error) => {
        res.writeHead(500).end(String(error));
      });
    };
  }

  for (const parser of [undefined, 'json', 'raw', 'text']) {
    test(`mounted under /hooks, body ${parser ? `parsed by express.${parser}()` : 'unparsed (streamed)'}`, async (t) => {
      const { store, listener } = receiver();
      const base = await listen(t, expressLike(listener, { parser }));
      const response = await fetch(`${base}/hooks/finapi?secret=${SECRET}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...samples.webForm('ABORTED', `ex-${parser}`), ignored: 'x' }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      assert.deepEqual((await store.get(`webForm:ex-${parser}`)).data, { webFormId: `ex-${parser}`, status: 'ABORTED' });
    });
  }

  test('express.json() leaving `{}` on a request it did not parse: the stream is read, 415', async (t) => {
    const { store, listener } = receiver();
    const base = await listen(t, (req, res) => {
      req.body = {}; // body-parser 1.x does this before checking the type, and leaves the stream alone
      listener(req, res);
    });
    const response = await fetch(`${base}/?secret=${SECRET}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(response.status, 415);
    assert.deepEqual(await store.list(), []);
  });

  test('an object parsed by express.json() larger than 64 KiB once serialized is 413', async (t) => {
    const { listener } = receiver();
    const base = await listen(t, expressLike(listener, { parser: 'json' }));
    const response = await fetch(`${base}/hooks/x?secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...samples.webForm(), pad: 'x'.repeat(70_000) }),
    });
    assert.equal(response.status, 413);
  });
});
