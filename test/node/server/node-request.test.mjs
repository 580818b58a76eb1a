// toNodeHandler's fast path: the Request it hands over is built lazily from Node's request, the
// receivers read the body straight from Node's request (with the same limit, and no further than
// it), and finframe's JSON answers are written from their text. Each guarantee the slower path
// gave is checked here through the real adapter on a real socket.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { createFinapiCallbackHandler, jsonResponse, memoryStore } from 'finframe/server';
import { toNodeHandler } from 'finframe/server/node';
import { SECRET, listen, samples } from './helpers.mjs';

/** A finAPI receiver behind toNodeHandler, with a listener that records how many bytes each socket read. */
function receiver(t) {
  const store = memoryStore();
  const listener = toNodeHandler(createFinapiCallbackHandler({ secret: SECRET, store }));
  const read = [];
  const recording = (req, res) => {
    res.once('close', () => read.push(req.socket.bytesRead));
    listener(req, res);
  };
  return { store, read, base: listen(t, recording) };
}

/**
 * Uploads `total` bytes of a JSON body in 16 KiB chunks, each written only when the previous one
 * drained, and stops as soon as the answer arrives. `declare` sends a Content-Length (else chunked).
 */
function upload(url, total, { declare = false } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', ...(declare ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' }) };
    let answered = false;
    let written = 0;
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, json: JSON.parse(body), written }));
    });
    req.on('error', (error) => (['EPIPE', 'ECONNRESET'].includes(error.code) ? undefined : reject(error)));
    (async () => {
      const head = '{"webFormId":"big","status":"COMPLETED","pad":"';
      req.write(head);
      written += head.length;
      while (written < total - 2 && !answered && !req.destroyed) {
        const chunk = 'x'.repeat(Math.min(16 * 1024, total - 2 - written));
        written += chunk.length;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r).once('close', r));
        await new Promise((r) => setImmediate(r));
      }
      if (!answered && !req.destroyed) req.end('"}');
    })();
  });
}

describe('toNodeHandler: the body limit on the direct path', () => {
  test('a chunked upload of 4 MiB is cut off with 413 after little more than the limit was read; nothing stored; the connection closed', async (t) => {
    const { store, read, base } = receiver(t);
    const result = await upload(`${await base}/cb?secret=${SECRET}`, 4 * 1024 * 1024);
    assert.equal(result.status, 413);
    assert.equal(result.json.error, 'payload_too_large');
    assert.equal(result.headers.connection, 'close');
    assert.deepEqual(await store.list(), []);
    await new Promise((r) => setTimeout(r, 50));
    // 64 KiB limit; what the kernel and Node had buffered past it is bounded, never the 4 MiB.
    assert.ok(read[0] < 512 * 1024, `read ${read[0]} bytes of 4 MiB`);
  });

  test('a declared Content-Length over the limit is refused before a byte of the body is read', async (t) => {
    const { store, read, base } = receiver(t);
    const result = await upload(`${await base}/cb?secret=${SECRET}`, 4 * 1024 * 1024, { declare: true });
    assert.equal(result.status, 413);
    assert.equal(result.headers.connection, 'close');
    assert.deepEqual(await store.list(), []);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(read[0] < 512 * 1024, `read ${read[0]} bytes of 4 MiB`);
  });

  test('a body of exactly the limit is read and judged on its content (422 here), one byte more is 413', async (t) => {
    const { store, base } = receiver(t);
    const url = `${await base}/cb?secret=${SECRET}`;
    const padded = (size) => {
      const head = '{"webFormId":"edge","status":"NOPE","pad":"';
      return `${head}${'x'.repeat(size - head.length - 2)}"}`;
    };
    for (const [size, status] of [[64 * 1024, 422], [64 * 1024 + 1, 413]]) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Blob([padded(size)]).stream(), duplex: 'half' });
      assert.equal(response.status, status, `${size} bytes`);
    }
    assert.deepEqual(await store.list(), []);
  });

  test('a refused callback with a small body keeps its keep-alive connection', async (t) => {
    const { base } = receiver(t);
    const url = `${await base}/cb?secret=wrong-wrong-wrong-wrong`;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(samples.webForm()) });
    assert.equal(response.status, 401);
    assert.notEqual(response.headers.get('connection'), 'close');
  });
});

describe('toNodeHandler: the Request it hands over', () => {
  test('is a Request with method, url, headers and signal from Node\'s request', async (t) => {
    let seen;
    const base = await listen(
      t,
      toNodeHandler(async (request) => {
        seen = {
          isRequest: request instanceof Request,
          tag: Object.prototype.toString.call(request),
          method: request.method,
          url: request.url,
          header: request.headers.get('x-probe'),
          signal: request.signal instanceof AbortSignal && !request.signal.aborted,
          bodyUsed: request.bodyUsed,
          mode: request.mode,
        };
        return new Response('ok');
      }),
    );
    const response = await fetch(`${base}/a/b?c=d`, { method: 'PUT', headers: { 'x-probe': 'yes' }, body: 'x' });
    assert.equal(await response.text(), 'ok');
    assert.deepEqual(seen, { isRequest: true, tag: '[object Request]', method: 'PUT', url: `${base}/a/b?c=d`, header: 'yes', signal: true, bodyUsed: false, mode: 'cors' });
  });

  test('text(), json(), arrayBuffer() read the body once; a second read rejects; bodyUsed turns true', async (t) => {
    const results = [];
    const base = await listen(
      t,
      toNodeHandler(async (request) => {
        const kind = new URL(request.url).searchParams.get('as');
        const value = kind === 'json' ? await request.json() : kind === 'buffer' ? new TextDecoder().decode(await request.arrayBuffer()) : await request.text();
        const again = await request.text().then(
          () => 'read twice',
          (error) => error.name,
        );
        results.push({ kind, value, again, used: request.bodyUsed });
        return new Response('ok');
      }),
    );
    for (const as of ['text', 'json', 'buffer']) await (await fetch(`${base}/?as=${as}`, { method: 'POST', body: '{"a":"é"}' })).text();
    assert.deepEqual(results, [
      { kind: 'text', value: '{"a":"é"}', again: 'TypeError', used: true },
      { kind: 'json', value: { a: 'é' }, again: 'TypeError', used: true },
      { kind: 'buffer', value: '{"a":"é"}', again: 'TypeError', used: true },
    ]);
  });

  test('everything else (body stream, clone(), formData(), a new Request from it) works on the real Request built on demand', async (t) => {
    const results = [];
    const base = await listen(
      t,
      toNodeHandler(async (request) => {
        const kind = new URL(request.url).searchParams.get('as');
        if (kind === 'stream') {
          const reader = request.body.getReader();
          let text = '';
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
          results.push(text);
        } else if (kind === 'clone') {
          const copy = request.clone();
          results.push([await copy.text(), await request.text()]);
        } else if (kind === 'form') {
          results.push((await request.formData()).get('a'));
        } else {
          const rebuilt = new Request(request, { headers: { 'x-rebuilt': '1' } });
          results.push([rebuilt.method, await rebuilt.text(), rebuilt.headers.get('x-rebuilt')]);
        }
        return new Response('ok');
      }),
    );
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const as of ['stream', 'clone', 'form', 'rebuild']) await (await fetch(`${base}/?as=${as}`, { method: 'POST', headers: form, body: 'a=1&b=2' })).text();
    assert.deepEqual(results, ['a=1&b=2', ['a=1&b=2', 'a=1&b=2'], '1', ['POST', 'a=1&b=2', '1']]);
  });

  test('an Express-parsed body is what text() gives, and Content-Length is left out', async (t) => {
    let seen;
    const listener = toNodeHandler(async (request) => {
      seen = { length: request.headers.get('content-length'), text: await request.text() };
      return new Response('ok');
    });
    const base = await listen(t, async (req, res) => {
      for await (const chunk of req) void chunk;
      req.body = { parsed: true };
      req._body = true;
      listener(req, res);
    });
    await (await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{ "parsed" : true }' })).text();
    assert.deepEqual(seen, { length: null, text: '{"parsed":true}' });
  });
});

describe('toNodeHandler: request.signal on the fast path (listened for only when a handler asks)', () => {
  test('asked before the client goes away, during, or after: aborted exactly when the client left before the answer', async (t) => {
    const { OWNS_REQUEST } = internals;
    const seen = {};
    const clientGone = new Map(); // how → resolves when the server saw the socket close
    const handler = async (request) => {
      const how = new URL(request.url).searchParams.get('how');
      if (how === 'early') {
        const signal = request.signal;
        await clientGone.get(how).promise;
        await new Promise((r) => setImmediate(r));
        seen.early = signal.aborted;
      } else if (how === 'late') {
        await clientGone.get(how).promise;
        seen.late = request.signal.aborted; // first asked after the client left
      } else {
        seen.finished = request.signal;
      }
      return new Response('ok');
    };
    Object.defineProperty(handler, OWNS_REQUEST, { value: true });
    const listener = toNodeHandler(handler);
    const base = await listen(t, (req, res) => {
      const how = new URL(req.url, 'http://x').searchParams.get('how');
      if (how) res.once('close', () => clientGone.get(how)?.resolve());
      listener(req, res);
    });
    for (const how of ['early', 'late']) {
      let resolve;
      clientGone.set(how, { promise: new Promise((r) => (resolve = r)), resolve: () => resolve() });
      const req = httpRequest(`${base}/?how=${how}`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('error', () => {});
      req.end('{}');
      await new Promise((r) => setTimeout(r, 30));
      req.destroy();
      await clientGone.get(how).promise;
      for (let i = 0; i < 50 && seen[how] === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(await (await fetch(`${base}/?how=`, { method: 'POST', body: '{}' })).text(), 'ok');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual({ early: seen.early, late: seen.late, finished: seen.finished.aborted }, { early: true, late: true, finished: false });
  });
});

describe('toNodeHandler: finframe\'s JSON answers', () => {
  test('go out with their headers, a Content-Length and the same body; a header a wrapper added is kept', async (t) => {
    const base = await listen(
      t,
      toNodeHandler(async () => {
        const response = jsonResponse(201, { ok: true, word: 'grüße' }, { 'X-Extra': 'a' });
        response.headers.set('x-wrapper', 'b');
        return response;
      }),
    );
    const response = await fetch(base);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-extra'), 'a');
    assert.equal(response.headers.get('x-wrapper'), 'b');
    const text = await response.text();
    assert.equal(text, '{"ok":true,"word":"grüße"}');
    assert.equal(Number(response.headers.get('content-length')), Buffer.byteLength(text));
  });

  test('the same Response read by the caller directly still has its body (Deno, Bun, workers get a real Response)', async () => {
    const response = jsonResponse(200, { ok: true });
    assert.ok(response instanceof Response);
    assert.deepEqual(await response.json(), { ok: true });
  });
});

test('the secret check works without Node\'s hash too (Web Crypto, as in edge runtimes)', () => {
  const script = `
    delete process.getBuiltinModule;
    const { createFinapiCallbackHandler, memoryStore } = await import('finframe/server');
    const handler = createFinapiCallbackHandler({ secret: ${JSON.stringify(SECRET)}, store: memoryStore() });
    const post = (secret) => handler(new Request('https://shop.example/cb?secret=' + secret, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"webFormId":"w","status":"COMPLETED"}' }));
    console.log(JSON.stringify([(await post(${JSON.stringify(SECRET)})).status, (await post('wrong-wrong-wrong-wrong')).status]));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: new URL('../../..', import.meta.url) });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), [200, 401]);
});

// The pipeline answers through `respondJson(request, …)`: the build keeps it only because the
// pipeline calls it, so its absence fails here.
const internals = await import(new URL('../../../dist/server/http.js', import.meta.url).href);

/** Counts `new Response(…)` while `body` runs (the global is what the built modules call). */
async function countResponses(body) {
  const Original = globalThis.Response;
  let built = 0;
  globalThis.Response = new Proxy(Original, {
    construct(target, args, newTarget) {
      built++;
      return Reflect.construct(target, args, newTarget === globalThis.Response ? target : newTarget);
    },
  });
  try {
    await body();
  } finally {
    globalThis.Response = Original;
  }
  return built;
}

/** A raw HTTP/1.1 request (repeated header fields are sent as written); resolves with the status. */
function rawPost(base, lines, body) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.end([...lines, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body].join('\r\n'));
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (text += d));
    socket.on('end', () => resolve(Number(text.split(' ')[1])));
    socket.on('error', reject);
  });
}

describe('respondJson and the receivers\' answers through toNodeHandler', () => {
  test('an untouched answer is written from its text and headers: no Response object is ever built for it', async (t) => {
    assert.equal(typeof internals.respondJson, 'function', 'dist/server/http.js has no respondJson: the pipeline no longer answers through it');
    const { OWNS_REQUEST, respondJson } = internals;
    const handler = async (request) => {
      const response = respondJson(request, 200, { ok: true, word: 'grüße' }, { 'X-Extra': 'a' });
      if (request.url.endsWith('?touch')) void response.headers; // the real one, built on demand
      return response;
    };
    Object.defineProperty(handler, OWNS_REQUEST, { value: true });
    const base = await listen(t, toNodeHandler(handler));
    let response;
    let text;
    const built = await countResponses(async () => {
      response = await fetch(base, { method: 'POST', body: '{}' });
      text = await response.text();
    });
    assert.equal(built, 0, 'the server built a Response for an answer nobody looked at');
    // The count sees the server's Responses: looking at the headers builds one.
    assert.equal(await countResponses(async () => (await fetch(`${base}/?touch`, { method: 'POST', body: '{}' })).text()), 1);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('x-extra'), 'a');
    assert.equal(text, '{"ok":true,"word":"grüße"}');
    assert.equal(Number(response.headers.get('content-length')), Buffer.byteLength(text));
  });

  test('the answer is a complete Response to code that looks: status and ok as given; headers, clone(), body build the real one, which is then written', async (t) => {
    const { OWNS_REQUEST, respondJson } = internals;
    const seen = [];
    const handler = async (request) => {
      const response = respondJson(request, 201, { ok: true }, { 'X-Extra': 'a' });
      const how = new URL(request.url).searchParams.get('how');
      seen.push([response instanceof Response, Object.prototype.toString.call(response), response.status, response.ok]);
      if (how === 'headers') {
        seen.push(response.headers.get('content-type'));
        response.headers.set('x-added', 'b');
      } else if (how === 'clone') seen.push(await response.clone().json());
      else if (how === 'stream') seen.push(response.body instanceof ReadableStream);
      return response;
    };
    Object.defineProperty(handler, OWNS_REQUEST, { value: true });
    const base = await listen(t, toNodeHandler(handler));
    const answers = [];
    for (const how of ['headers', 'clone', 'stream']) {
      const response = await fetch(`${base}/?how=${how}`, { method: 'POST', body: '{}' });
      answers.push([response.status, response.headers.get('x-extra'), response.headers.get('x-added'), await response.text()]);
    }
    assert.deepEqual(answers, [
      [201, 'a', 'b', '{"ok":true}'],
      [201, 'a', null, '{"ok":true}'],
      [201, 'a', null, '{"ok":true}'],
    ]);
    assert.deepEqual(seen, [
      [true, '[object Response]', 201, true],
      'application/json; charset=utf-8',
      [true, '[object Response]', 201, true],
      { ok: true },
      [true, '[object Response]', 201, true],
      true,
    ]);
    // To a request of any other origin than toNodeHandler's lazy one: jsonResponse itself.
    const direct = respondJson(new Request('https://x.example/', { method: 'POST', body: '{}' }), 201, { ok: true });
    assert.equal(direct.status, 201);
    assert.equal(direct.headers.get('content-length'), '11');
    assert.deepEqual(await direct.json(), { ok: true });
  });

  test('a receiver builds no Response for its 200 and 4xx answers behind toNodeHandler', async (t) => {
    const { base } = receiver(t);
    const answers = [];
    const built = await countResponses(async () => {
      for (const [secret, body] of [
        [SECRET, JSON.stringify(samples.webForm())],
        ['wrong-wrong-wrong-wrong', JSON.stringify(samples.webForm())],
        [SECRET, '{"webFormId":"x","status":"NOPE"}'],
      ]) {
        const response = await fetch(`${await base}/cb?secret=${secret}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        answers.push([response.status, (await response.json()).error ?? 'ok']);
      }
    });
    assert.deepEqual(answers, [[200, 'ok'], [401, 'unauthorized'], [422, 'invalid_callback']]);
    assert.equal(built, 0);
  });

  test('single headers read from Node\'s raw headers mean what Headers.get means: repeated fields joined (so two Content-Types are refused, 415)', async (t) => {
    const { store, base } = receiver(t);
    const url = new URL(`${await base}/cb?secret=${SECRET}`);
    const head = [`POST ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
    const body = JSON.stringify(samples.webForm());
    assert.equal(await rawPost(url, [...head, 'Content-Type: application/json', 'Content-Type: text/plain'], body), 415);
    assert.equal(await rawPost(url, [...head, 'content-type: application/json', 'CONTENT-TYPE: application/json'], body), 415);
    assert.deepEqual(await store.list(), []);
    assert.equal(await rawPost(url, [...head, 'CONTENT-type:    application/json; charset=utf-8   '], body), 200);
    assert.equal((await store.list()).length, 1);
  });
});
