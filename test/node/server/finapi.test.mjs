// createFinapiCallbackHandler against both stores: every documented body, every refusal, the
// secret, duplicates, out-of-order and concurrent delivery, the confirm and onUpdate hooks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  FINAPI_TASK_STATUSES,
  FINAPI_WEB_FORM_STATUSES,
  MAX_CALLBACK_BODY_BYTES,
  compareFinapiProgress,
  createFinapiCallbackHandler,
  memoryStore,
  parseFinapiCallback,
} from 'finframe/server';
import { SECRET, STORES, BASE, URL_WITH_SECRET, answer, makeStore, post, samples, trackedRequest } from './helpers.mjs';

/** A handler on a fresh store, recording onUpdate and onError calls. */
function setup(t, kind, options = {}) {
  const store = makeStore(t, kind);
  const updates = [];
  const errors = [];
  const handler = createFinapiCallbackHandler({
    secret: SECRET,
    store,
    onUpdate: (record, previous) => updates.push({ record, previous }),
    onError: (error, context) => errors.push({ error, context }),
    ...options,
  });
  const send = async (body, init) => answer(await handler(post(body, init)));
  return { store, handler, updates, errors, send };
}

const WEB_FORM_FINAL = ['COMPLETED', 'COMPLETED_WITH_ERROR', 'EXPIRED', 'ABORTED'];

for (const kind of STORES) {
  describe(`finAPI receiver (${kind} store)`, () => {
    describe('accepts every documented body', () => {
      for (const status of FINAPI_WEB_FORM_STATUSES) {
        test(`web form {webFormId, status: ${status}}`, async (t) => {
          const { store, send, updates } = setup(t, kind);
          const { status: code, body } = await send(samples.webForm(status, 'wf1'));
          assert.equal(code, 200);
          assert.deepEqual(body, { ok: true, key: 'webForm:wf1', changed: true, duplicate: false, stale: false, version: 1 });
          const record = await store.get('webForm:wf1');
          assert.deepEqual(record.data, { webFormId: 'wf1', status });
          assert.equal(record.version, 1);
          assert.match(record.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          assert.equal(updates.length, 1);
          assert.deepEqual(updates[0].record, record);
          assert.equal(updates[0].previous, undefined);
        });
      }

      for (const status of FINAPI_TASK_STATUSES) {
        test(`task {taskId, status: ${status}} without webForm`, async (t) => {
          const { store, send } = setup(t, kind);
          const { status: code, body } = await send(samples.task(status, undefined, 't1'));
          assert.equal(code, 200);
          assert.equal(body.key, 'task:t1');
          assert.deepEqual((await store.get('task:t1')).data, { taskId: 't1', status });
        });
      }

      for (const status of FINAPI_WEB_FORM_STATUSES) {
        test(`task COMPLETED with webForm {id, url, status: ${status}}`, async (t) => {
          const { store, send } = setup(t, kind);
          const callback = samples.task('COMPLETED', status, 't2');
          assert.equal((await send(callback)).status, 200);
          assert.deepEqual((await store.get('task:t2')).data, callback);
        });
      }

      test('the webFormRequired callback (WEB_FORM_REQUIRED, webForm NOT_YET_OPENED)', async (t) => {
        const { store, send, updates } = setup(t, kind);
        const callback = samples.task('WEB_FORM_REQUIRED', 'NOT_YET_OPENED');
        const { status, body } = await send(callback);
        assert.equal(status, 200);
        assert.equal(body.key, `task:${callback.taskId}`);
        assert.deepEqual((await store.get(body.key)).data, callback);
        assert.equal(updates[0].record.data.webForm.url, callback.webForm.url);
      });

      test('a webForm of null is stored as absent; a webForm without url is accepted', async (t) => {
        const { store, send } = setup(t, kind);
        await send({ taskId: 'a', status: 'COMPLETED', webForm: null });
        assert.deepEqual((await store.get('task:a')).data, { taskId: 'a', status: 'COMPLETED' });
        await send({ taskId: 'b', status: 'WEB_FORM_REQUIRED', webForm: { id: 'w', status: 'IN_PROGRESS' } });
        assert.deepEqual((await store.get('task:b')).data, { taskId: 'b', status: 'WEB_FORM_REQUIRED', webForm: { id: 'w', status: 'IN_PROGRESS' } });
      });

      test('unknown extra fields are dropped, not stored', async (t) => {
        const { store, send } = setup(t, kind);
        await send('{"webFormId":"x","status":"COMPLETED","extra":{"big":"' + 'x'.repeat(1000) + '"},"__proto__":{"polluted":true}}', {
          headers: { 'content-type': 'application/json' },
        });
        const record = await store.get('webForm:x');
        assert.deepEqual(record.data, { webFormId: 'x', status: 'COMPLETED' });
        assert.equal({}.polluted, undefined);
      });

      test('Content-Type parameters are allowed (charset=utf-8), case-insensitively', async (t) => {
        const { send } = setup(t, kind);
        for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset="UTF-8"']) {
          assert.equal((await send(samples.webForm('COMPLETED', `ct${type.length}`), { headers: { 'content-type': type } })).status, 200, type);
        }
      });

      test('a body of exactly 64 KiB is accepted', async (t) => {
        const { send } = setup(t, kind);
        const json = JSON.stringify(samples.webForm('COMPLETED', 'big'));
        const body = json + ' '.repeat(MAX_CALLBACK_BODY_BYTES - json.length);
        assert.equal(body.length, 65536);
        assert.equal((await send(body)).status, 200);
      });
    });

    describe('refuses bad requests with a JSON reason and stores nothing', () => {
      /** Sends, checks status and error code, and that the store is still empty and no hook ran. */
      async function refused(t, body, init, expected, error) {
        const { store, send, updates } = setup(t, kind);
        const result = await send(body, init);
        assert.equal(result.status, expected);
        assert.equal(result.body.error, error);
        assert.equal(typeof result.body.reason, 'string');
        assert.ok(result.body.reason.length > 0);
        assert.ok(!JSON.stringify(result.body).includes(SECRET), 'the secret is never echoed');
        assert.deepEqual(await store.list(), []);
        assert.equal(updates.length, 0);
        return result;
      }
      const json = { 'content-type': 'application/json' };

      test('GET, PUT, HEAD-less methods → 405 with Allow: POST', async (t) => {
        for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
          const result = await refused(t, samples.webForm(), { method }, 405, 'method_not_allowed');
          assert.equal(result.headers.get('allow'), 'POST');
        }
      });
      test('no secret → 401', (t) => refused(t, samples.webForm(), { url: BASE }, 401, 'unauthorized'));
      test('wrong secret → 401', (t) => refused(t, samples.webForm(), { url: `${BASE}?secret=${SECRET.slice(0, -1)}x` }, 401, 'unauthorized'));
      test('secret as a prefix of the right one → 401', (t) => refused(t, samples.webForm(), { url: `${BASE}?secret=${SECRET.slice(0, 20)}` }, 401, 'unauthorized'));
      test('secret given twice → 401', (t) => refused(t, samples.webForm(), { url: `${URL_WITH_SECRET}&secret=${SECRET}` }, 401, 'unauthorized'));
      test('secret in another parameter → 401', (t) => refused(t, samples.webForm(), { url: `${BASE}?token=${SECRET}` }, 401, 'unauthorized'));
      test('empty secret → 401', (t) => refused(t, samples.webForm(), { url: `${BASE}?secret=` }, 401, 'unauthorized'));
      test('no Content-Type → 415', (t) => refused(t, JSON.stringify(samples.webForm()), { headers: {} }, 415, 'unsupported_media_type'));
      test('text/plain → 415', (t) => refused(t, samples.webForm(), { headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'));
      test('application/x-www-form-urlencoded → 415', (t) =>
        refused(t, 'webFormId=a&status=COMPLETED', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'));
      test('application/json; charset=latin1 → 415', (t) =>
        refused(t, samples.webForm(), { headers: { 'content-type': 'application/json; charset=iso-8859-1' } }, 415, 'unsupported_media_type'));
      test('Content-Length over 64 KiB → 413', (t) => refused(t, 'x'.repeat(MAX_CALLBACK_BODY_BYTES + 1), { headers: json }, 413, 'payload_too_large'));
      test('not JSON → 400', (t) => refused(t, '{"webFormId": "a", status: COMPLETED}', { headers: json }, 400, 'invalid_json'));
      test('empty body → 400', (t) => refused(t, '', { headers: json }, 400, 'invalid_json'));
      test('invalid UTF-8 → 400', (t) => refused(t, new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { headers: json }, 400, 'invalid_json'));
      test('a JSON array → 422', (t) => refused(t, [samples.webForm()], undefined, 422, 'invalid_callback'));
      test('JSON null → 422', (t) => refused(t, 'null', { headers: json }, 422, 'invalid_callback'));
      test('a JSON string → 422', (t) => refused(t, '"COMPLETED"', { headers: json }, 422, 'invalid_callback'));
      test('no id at all → 422', async (t) => {
        const { body } = await refused(t, { status: 'COMPLETED' }, undefined, 422, 'invalid_callback');
        assert.match(body.reason, /webFormId or taskId/);
      });
      test('both ids → 422', (t) => refused(t, { webFormId: 'a', taskId: 'b', status: 'COMPLETED' }, undefined, 422, 'invalid_callback'));
      test('unknown web form status → 422 naming `status`', async (t) => {
        const { body } = await refused(t, { webFormId: 'a', status: 'DONE' }, undefined, 422, 'invalid_callback');
        assert.match(body.reason, /^status must be one of NOT_YET_OPENED/);
        assert.ok(!body.reason.includes('DONE'), 'the input is not quoted');
      });
      test('a web form status that is only a task status → 422', (t) => refused(t, { webFormId: 'a', status: 'WEB_FORM_REQUIRED' }, undefined, 422, 'invalid_callback'));
      test('unknown task status → 422', (t) => refused(t, { taskId: 'a', status: 'EXPIRED' }, undefined, 422, 'invalid_callback'));
      test('unknown webForm.status in a task → 422 naming webForm.status', async (t) => {
        const { body } = await refused(t, { taskId: 'a', status: 'COMPLETED', webForm: { id: 'w', status: 'FINISHED' } }, undefined, 422, 'invalid_callback');
        assert.match(body.reason, /^webForm\.status /);
      });
      test('missing status → 422 "status is missing"', async (t) => {
        const { body } = await refused(t, { webFormId: 'a' }, undefined, 422, 'invalid_callback');
        assert.equal(body.reason, 'status is missing');
      });
      test('missing webForm.id → 422', async (t) => {
        const { body } = await refused(t, { taskId: 'a', status: 'COMPLETED', webForm: { status: 'COMPLETED' } }, undefined, 422, 'invalid_callback');
        assert.equal(body.reason, 'webForm.id is missing');
      });
      test('an id that is not a string → 422', (t) => refused(t, { webFormId: 42, status: 'COMPLETED' }, undefined, 422, 'invalid_callback'));
      test('an id with odd characters → 422', (t) => refused(t, { webFormId: '../etc', status: 'COMPLETED' }, undefined, 422, 'invalid_callback'));
      test('an empty id → 422', (t) => refused(t, { taskId: '', status: 'COMPLETED' }, undefined, 422, 'invalid_callback'));
      test('an id over 128 characters → 422', (t) => refused(t, { webFormId: 'a'.repeat(129), status: 'COMPLETED' }, undefined, 422, 'invalid_callback'));
      test('webForm.url that is not http(s) → 422', async (t) => {
        const { body } = await refused(t, { taskId: 'a', status: 'COMPLETED', webForm: { id: 'w', url: 'javascript:alert(1)', status: 'COMPLETED' } }, undefined, 422, 'invalid_callback');
        assert.equal(body.reason, 'webForm.url must be an http(s) URL');
      });
      test('webForm that is not an object → 422', (t) => refused(t, { taskId: 'a', status: 'COMPLETED', webForm: 'w' }, undefined, 422, 'invalid_callback'));
    });

    test('a refused secret is decided before the body is read', async (t) => {
      const { handler, store } = setup(t, kind);
      const { request, state } = trackedRequest([JSON.stringify(samples.webForm())], { url: `${BASE}?secret=nope-nope-nope-nope` });
      assert.equal((await handler(request)).status, 401);
      assert.equal(state.pulls, 0);
      assert.deepEqual(await store.list(), []);
    });

    test('a Content-Length over the limit is refused before the body is read', async (t) => {
      const { handler } = setup(t, kind);
      const { request, state } = trackedRequest(['{}'], { headers: { 'content-type': 'application/json', 'content-length': '70000' } });
      assert.equal((await handler(request)).status, 413);
      assert.equal(state.pulls, 0);
    });

    test('a streamed body (no Content-Length) is cut off past 64 KiB → 413', async (t) => {
      const { handler, store } = setup(t, kind);
      const chunk = ' '.repeat(16 * 1024);
      const { request, state } = trackedRequest(['{"webFormId":"a","status":"COMPLETED"}', ...Array(10).fill(chunk)]);
      const { status, body } = await answer(await handler(request));
      assert.equal(status, 413);
      assert.equal(body.error, 'payload_too_large');
      assert.ok(state.pulls <= 7, `stopped reading early (${state.pulls} pulls of 11)`);
      assert.deepEqual(await store.list(), []);
    });

    describe('duplicates, order, finality', () => {
      test('a repeated callback is acknowledged without a second effect', async (t) => {
        const { store, send, updates } = setup(t, kind);
        const first = await send(samples.webForm('COMPLETED', 'dup'));
        const before = await store.get('webForm:dup');
        for (let i = 0; i < 3; i++) {
          const again = await send(samples.webForm('COMPLETED', 'dup'));
          assert.equal(again.status, 200);
          assert.deepEqual(again.body, { ok: true, key: 'webForm:dup', changed: false, duplicate: true, stale: false, version: 1 });
        }
        assert.equal(first.body.changed, true);
        assert.deepEqual(await store.get('webForm:dup'), before, 'same version and updatedAt');
        assert.equal(updates.length, 1);
      });

      test('web form: progress moves forward, and a later non-final is stale', async (t) => {
        const { store, send, updates } = setup(t, kind);
        assert.equal((await send(samples.webForm('NOT_YET_OPENED', 'p'))).body.version, 1);
        assert.equal((await send(samples.webForm('IN_PROGRESS', 'p'))).body.version, 2);
        assert.equal((await send(samples.webForm('COMPLETED', 'p'))).body.version, 3);
        const late = await send(samples.webForm('IN_PROGRESS', 'p'));
        assert.deepEqual(late.body, { ok: true, key: 'webForm:p', changed: false, duplicate: false, stale: true, version: 3 });
        assert.equal((await store.get('webForm:p')).data.status, 'COMPLETED');
        assert.deepEqual(updates.map((u) => u.record.data.status), ['NOT_YET_OPENED', 'IN_PROGRESS', 'COMPLETED']);
        assert.equal(updates[2].previous.data.status, 'IN_PROGRESS');
      });

      for (const first of WEB_FORM_FINAL) {
        test(`web form: the first final wins (${first}, then every other final)`, async (t) => {
          const { store, send, updates } = setup(t, kind);
          await send(samples.webForm(first, 'f'));
          for (const other of WEB_FORM_FINAL.filter((s) => s !== first)) {
            const { body } = await send(samples.webForm(other, 'f'));
            assert.equal(body.stale, true);
            assert.equal(body.changed, false);
          }
          for (const nonFinal of ['NOT_YET_OPENED', 'IN_PROGRESS']) assert.equal((await send(samples.webForm(nonFinal, 'f'))).body.stale, true);
          assert.equal((await store.get('webForm:f')).data.status, first);
          assert.equal(updates.length, 1);
        });
      }

      test('task: WEB_FORM_REQUIRED → web form finished → COMPLETED; never backwards', async (t) => {
        const { store, send, updates } = setup(t, kind);
        const steps = [
          samples.task('IN_PROGRESS'),
          samples.task('WEB_FORM_REQUIRED', 'NOT_YET_OPENED'),
          samples.task('WEB_FORM_REQUIRED', 'IN_PROGRESS'),
          samples.task('WEB_FORM_REQUIRED', 'COMPLETED'),
          samples.task('COMPLETED', 'COMPLETED'),
        ];
        for (const step of steps) assert.equal((await send(step)).body.changed, true, JSON.stringify(step));
        for (const step of steps) assert.equal((await send(step)).body.changed, false);
        const record = await store.get(`task:${steps[0].taskId}`);
        assert.deepEqual(record.data, steps.at(-1));
        assert.equal(record.version, 5);
        assert.equal(updates.length, 5);
      });

      test('task: a final task status is not overwritten by a non-final one', async (t) => {
        const { store, send } = setup(t, kind);
        await send(samples.task('COMPLETED_WITH_ERROR'));
        for (const [status, webForm] of [['IN_PROGRESS'], ['NOT_YET_STARTED'], ['WEB_FORM_REQUIRED', 'NOT_YET_OPENED'], ['WEB_FORM_REQUIRED', 'COMPLETED'], ['COMPLETED']]) {
          assert.equal((await send(samples.task(status, webForm))).body.stale, true, `${status}/${webForm}`);
        }
        assert.equal((await store.get(`task:${samples.task().taskId}`)).data.status, 'COMPLETED_WITH_ERROR');
      });

      test('task: the same task status with more web form progress is a change', async (t) => {
        const { send } = setup(t, kind);
        assert.equal((await send(samples.task('COMPLETED'))).body.version, 1);
        assert.equal((await send(samples.task('COMPLETED', 'COMPLETED'))).body.version, 2);
        assert.equal((await send(samples.task('COMPLETED', 'EXPIRED'))).body.stale, true, 'first web form final wins');
      });

      test('web form and task records are separate keys', async (t) => {
        const { store, send } = setup(t, kind);
        await send(samples.webForm('COMPLETED', 'same'));
        await send(samples.task('IN_PROGRESS', undefined, 'same'));
        assert.deepEqual((await store.list()).map((r) => r.key), ['task:same', 'webForm:same']);
      });

      test('out-of-order delivery: every order of a web form lifecycle ends in the furthest state', async (t) => {
        const lifecycle = ['NOT_YET_OPENED', 'IN_PROGRESS', 'COMPLETED'];
        const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        const { store, send, updates } = setup(t, kind);
        for (const [n, order] of orders.entries()) {
          const id = `o${n}`;
          let changes = 0;
          let max = -1;
          for (const i of order) {
            const { body } = await send(samples.webForm(lifecycle[i], id));
            if (i > max) {
              max = i;
              changes++;
              assert.equal(body.changed, true);
            } else assert.equal(body.stale, true);
          }
          const record = await store.get(`webForm:${id}`);
          assert.equal(record.data.status, 'COMPLETED', `order ${order}`);
          assert.equal(record.version, changes);
        }
        assert.equal(updates.length, 3 + 2 + 2 + 2 + 1 + 1);
      });

      test('out-of-order delivery of a task (the two documented callbacks in either order)', async (t) => {
        const { store, send } = setup(t, kind);
        const required = samples.task('WEB_FORM_REQUIRED', 'NOT_YET_OPENED', 'late');
        const finalised = samples.task('COMPLETED', 'COMPLETED', 'late');
        await send(finalised);
        assert.equal((await send(required)).body.stale, true);
        assert.deepEqual((await store.get('task:late')).data, finalised);
      });
    });

    describe('concurrency', () => {
      test('20 identical callbacks at the same moment → one change, one onUpdate, 19 duplicates', async (t) => {
        const { handler, store, updates } = setup(t, kind);
        const responses = await Promise.all(Array.from({ length: 20 }, () => handler(post(samples.webForm('COMPLETED', 'race'))).then(answer)));
        assert.ok(responses.every((r) => r.status === 200));
        assert.equal(responses.filter((r) => r.body.changed).length, 1);
        assert.equal(responses.filter((r) => r.body.duplicate).length, 19);
        assert.equal(updates.length, 1);
        assert.equal((await store.get('webForm:race')).version, 1);
      });

      test('a mixed burst (statuses of one web form, shuffled, concurrent) ends final with one onUpdate per change', async (t) => {
        const { handler, store, updates } = setup(t, kind);
        const bodies = [];
        for (let i = 0; i < 10; i++) for (const s of ['NOT_YET_OPENED', 'IN_PROGRESS', 'COMPLETED']) bodies.push(samples.webForm(s, 'burst'));
        bodies.sort(() => Math.random() - 0.5);
        const responses = await Promise.all(bodies.map((b) => handler(post(b)).then(answer)));
        const changed = responses.filter((r) => r.body.changed).length;
        const record = await store.get('webForm:burst');
        assert.equal(record.data.status, 'COMPLETED');
        assert.equal(record.version, changed);
        assert.equal(updates.length, changed);
        assert.ok(changed >= 1 && changed <= 3);
      });
    });

    describe('hooks', () => {
      test('onUpdate is awaited before the 200', async (t) => {
        let done = false;
        const { send } = setup(t, kind, {
          onUpdate: async () => {
            await new Promise((r) => setTimeout(r, 20));
            done = true;
          },
        });
        await send(samples.webForm());
        assert.equal(done, true);
      });

      test('onUpdate throwing: still 200 and stored, reported to onError, not run again by the repeat (the outbox retries it later)', async (t) => {
        let calls = 0;
        const { send, store, errors, handler } = setup(t, kind, {
          onUpdate: () => {
            calls++;
            throw new Error('mail server down');
          },
        });
        assert.equal((await send(samples.webForm('COMPLETED', 'u'))).status, 200);
        assert.equal((await send(samples.webForm('COMPLETED', 'u'))).body.duplicate, true);
        assert.equal(calls, 1);
        assert.equal((await store.get('webForm:u')).data.status, 'COMPLETED');
        assert.equal(errors.length, 1);
        let pending;
        for (let i = 0; i < 100 && !pending?.lastError; i++) {
          [pending] = await handler.deliveries.pending();
          if (!pending?.lastError) await new Promise((r) => setTimeout(r, 10));
        }
        assert.deepEqual(errors[0].context, { stage: 'onUpdate', key: 'webForm:u', deliveryId: pending.id, attempt: 1 });
        assert.equal(pending.attempts, 1);
        assert.match(pending.lastError, /mail server down/);
      });

      test('without onError, failures go to console.error without the secret', async (t) => {
        const logged = [];
        t.mock.method(console, 'error', (...args) => logged.push(args.map(String).join(' ')));
        const store = makeStore(t, kind);
        const handler = createFinapiCallbackHandler({
          secret: SECRET,
          store,
          onUpdate: () => {
            throw new Error('boom');
          },
        });
        assert.equal((await handler(post(samples.webForm()))).status, 200);
        assert.equal(logged.length, 1);
        assert.match(logged[0], /onUpdate failed for webForm:.*boom/);
        assert.ok(!logged[0].includes(SECRET));
      });

      test('confirm: what finAPI reports now is what gets stored', async (t) => {
        const seen = [];
        const { send, store, updates } = setup(t, kind, {
          confirm: async (callback) => {
            seen.push(callback);
            return { ...callback, status: 'COMPLETED_WITH_ERROR' };
          },
        });
        const { body } = await send(samples.webForm('COMPLETED', 'c'));
        assert.equal(body.changed, true);
        assert.deepEqual(seen, [{ webFormId: 'c', status: 'COMPLETED' }]);
        assert.equal((await store.get('webForm:c')).data.status, 'COMPLETED_WITH_ERROR');
        assert.equal(updates[0].record.data.status, 'COMPLETED_WITH_ERROR');
      });

      test('confirm → undefined: 409 not_confirmed, nothing stored', async (t) => {
        const { send, store, updates } = setup(t, kind, { confirm: async () => undefined });
        const { status, body } = await send(samples.webForm());
        assert.equal(status, 409);
        assert.equal(body.error, 'not_confirmed');
        assert.deepEqual(await store.list(), []);
        assert.equal(updates.length, 0);
      });

      test('confirm throws: 502, nothing stored, reported', async (t) => {
        const { send, store, errors } = setup(t, kind, {
          confirm: async () => {
            throw new Error('finAPI unreachable');
          },
        });
        const { status, body } = await send(samples.webForm());
        assert.equal(status, 502);
        assert.equal(body.error, 'confirm_failed');
        assert.deepEqual(await store.list(), []);
        assert.equal(errors[0].context.stage, 'confirm');
      });

      test('confirm returns an invalid callback or another object: 502, nothing stored', async (t) => {
        for (const result of [{ webFormId: 'x', status: 'BOGUS' }, { webFormId: 'other', status: 'COMPLETED' }, samples.task('COMPLETED')]) {
          const { send, store } = setup(t, kind, { confirm: async () => result });
          const { status } = await send(samples.webForm('COMPLETED', 'x'));
          assert.equal(status, 502, JSON.stringify(result));
          assert.deepEqual(await store.list(), []);
        }
      });

      test('confirm is not consulted for refused requests', async (t) => {
        let calls = 0;
        const { send } = setup(t, kind, { confirm: async (c) => (calls++, c) });
        await send(samples.webForm(), { url: BASE });
        await send({ webFormId: 'a', status: 'NOPE' });
        assert.equal(calls, 0);
      });
    });
  });
}

describe('finAPI receiver: store failures and setup', () => {
  test('a failing store → 503 store_unavailable with Retry-After, reported, nothing acknowledged', async () => {
    const errors = [];
    const broken = {
      transact: async () => {
        throw new Error('disk full');
      },
      get: async () => undefined,
      list: async () => [],
      close: async () => {},
    };
    const handler = createFinapiCallbackHandler({ secret: SECRET, store: broken, onError: (error, context) => errors.push({ error, context }) });
    const { status, body, headers } = await answer(await handler(post(samples.webForm())));
    assert.equal(status, 503);
    assert.equal(body.error, 'store_unavailable');
    assert.equal(headers.get('retry-after'), '5');
    assert.equal(errors[0].context.stage, 'store');
    assert.equal(errors[0].error.message, 'disk full');
  });

  test('a closed store → 503', async (t) => {
    for (const kind of STORES) {
      const store = makeStore(t, kind);
      const handler = createFinapiCallbackHandler({ secret: SECRET, store, onError: () => {} });
      await store.close();
      assert.equal((await handler(post(samples.webForm()))).status, 503, kind);
    }
  });

  test('a throwing onError does not break the answer', async () => {
    const handler = createFinapiCallbackHandler({
      secret: SECRET,
      store: memoryStore(),
      onUpdate: () => {
        throw new Error('a');
      },
      onError: () => {
        throw new Error('b');
      },
    });
    assert.equal((await handler(post(samples.webForm()))).status, 200);
  });

  test('options are checked at creation; the TypeError names the option, never the value', () => {
    const store = memoryStore();
    for (const secret of [undefined, '', 'short', 'fifteen-chars!!', 1234567890123456]) {
      assert.throws(
        () => createFinapiCallbackHandler({ secret, store }),
        (error) => error instanceof TypeError && /options\.secret/.test(error.message) && (typeof secret !== 'string' || secret === '' || !error.message.includes(secret)),
      );
    }
    assert.doesNotThrow(() => createFinapiCallbackHandler({ secret: 'sixteen-chars---', store }));
    assert.throws(() => createFinapiCallbackHandler({ secret: SECRET }), /options\.store/);
    assert.throws(() => createFinapiCallbackHandler({ secret: SECRET, store, secretParam: 'a b' }), /options\.secretParam/);
    assert.throws(() => createFinapiCallbackHandler({ secret: SECRET, store, onUpdate: 'x' }), /options\.onUpdate/);
    assert.throws(() => createFinapiCallbackHandler(), TypeError);
  });

  test('secretParam names another query parameter', async () => {
    const handler = createFinapiCallbackHandler({ secret: SECRET, store: memoryStore(), secretParam: 'k' });
    assert.equal((await handler(post(samples.webForm(), { url: `${BASE}?k=${SECRET}` }))).status, 200);
    assert.equal((await handler(post(samples.webForm(), { url: URL_WITH_SECRET }))).status, 401);
  });

  test('a secret outside the URL-safe alphabet is refused at creation, saying why and what to use, never quoting it', () => {
    const store = memoryStore();
    // The attack on oneself: plain base64 (e.g. randomBytes(24).toString('base64')) registered as is.
    // finAPI calls `?secret=ab+cd…` and the query reads the '+' as a space: it never matches.
    const base64 = 'Zm9vYmFy+YmF6/cXV4=Pz8/';
    assert.notEqual(new URL(`${BASE}?secret=${base64}`).searchParams.get('secret'), base64, 'the premise: unencoded, it does not survive');
    const bad = [base64, 'with spaces in it!', 'sixteen-chars!!!', 'percent%41encoded-secret', 'amp&ersand-secret-000', 'hash#in-the-secret-000', 'équipe-secrète-0000', 'tab\tin-the-secret-000'];
    for (const secret of bad) {
      assert.throws(
        () => createFinapiCallbackHandler({ secret, store }),
        (error) =>
          error instanceof TypeError &&
          /options\.secret/.test(error.message) &&
          /URL-safe/.test(error.message) &&
          /'\+' reads as a space/.test(error.message) &&
          error.message.includes("randomBytes(32).toString('base64url')") &&
          !error.message.includes(secret),
        JSON.stringify(secret),
      );
    }
  });

  test('a URL-safe secret (base64url, also . and ~) registered as is matches; percent-encoded, it is decoded before comparing', async () => {
    for (const secret of [randomBytes(32).toString('base64url'), 'a.b~c-d_e.f~g-h_i.j~k', SECRET]) {
      const handler = createFinapiCallbackHandler({ secret, store: memoryStore() });
      assert.equal((await handler(post(samples.webForm(), { url: `${BASE}?secret=${secret}` }))).status, 200, `verbatim ${secret}`);
      const encoded = [...secret].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
      assert.equal((await handler(post(samples.webForm(), { url: `${BASE}?secret=${encoded}` }))).status, 200, `encoded ${secret}`);
      assert.equal((await handler(post(samples.webForm(), { url: `${BASE}?secret=${secret.slice(0, -1)}` }))).status, 401, `one short ${secret}`);
    }
  });
});

describe('progress rule (property tests)', () => {
  const webFormRank = (s) => ({ NOT_YET_OPENED: 0, IN_PROGRESS: 1 })[s] ?? 2;
  const taskRank = (s) => ({ NOT_YET_STARTED: 0, IN_PROGRESS: 1, WEB_FORM_REQUIRED: 2 })[s] ?? 3;
  const webFormArb = fc.constantFrom(...FINAPI_WEB_FORM_STATUSES).map((status) => ({ webFormId: 'w', status }));
  const taskArb = fc
    .tuple(fc.constantFrom(...FINAPI_TASK_STATUSES), fc.option(fc.constantFrom(...FINAPI_WEB_FORM_STATUSES), { nil: undefined }))
    .map(([status, wf]) => ({ taskId: 't', status, ...(wf ? { webForm: { id: 'w', status: wf } } : {}) }));
  const pos = (c) => ('taskId' in c ? [taskRank(c.status), c.webForm ? webFormRank(c.webForm.status) : -1] : [webFormRank(c.status)]);
  const cmp = (a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  };

  test('compareFinapiProgress is antisymmetric and matches the documented ranks', () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(webFormArb, webFormArb), fc.tuple(taskArb, taskArb)), ([a, b]) => {
        const ab = compareFinapiProgress(a, b);
        const ba = compareFinapiProgress(b, a);
        const c = cmp(pos(a), pos(b));
        if (c < 0) assert.equal(ab, 'changed');
        if (c > 0) assert.equal(ab, 'stale');
        if (c === 0) assert.notEqual(ab, 'changed');
        if (ab === 'changed') assert.equal(ba, 'stale');
        if (ab === 'duplicate') assert.equal(ba, 'duplicate');
      }),
      { numRuns: 500 },
    );
  });

  test('any delivery order: the stored state has the highest rank delivered, the first of its rank; versions count the rises', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(webFormArb, { minLength: 1, maxLength: 12 }), fc.array(taskArb, { minLength: 1, maxLength: 12 })), async (sequence) => {
        const store = memoryStore();
        let updates = 0;
        const handler = createFinapiCallbackHandler({ secret: SECRET, store, onUpdate: () => updates++ });
        let best;
        let rises = 0;
        for (const callback of sequence) {
          assert.equal((await handler(post(callback))).status, 200);
          if (!best || cmp(pos(callback), pos(best)) > 0) {
            best = callback;
            rises++;
          }
        }
        const [record] = await store.list();
        assert.deepEqual(record.data, parseFinapiCallback(best).data);
        assert.equal(record.version, rises);
        assert.equal(updates, rises);
      }),
      { numRuns: 200 },
    );
  });
});
