// Shared by the finframe/server Node tests (not a test file itself). The tests run against the
// built package (dist/server/*.js) through its own `exports`, as a user's server would import it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStore } from 'finframe/server';
import { sqliteStore } from 'finframe/server/sqlite';

export const SECRET = 'test-secret-0123456789abcdef';
export const BASE = 'https://shop.example/callbacks/finapi';
export const URL_WITH_SECRET = `${BASE}?secret=${SECRET}`;

/** A temp directory removed after the calling test (pass the test context `t`). */
export function tempDir(t, prefix = 'finframe-server-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Both stores, so every handler test runs against each: `for (const kind of STORES) …`. */
export const STORES = ['memory', 'sqlite'];

/** A fresh store of `kind`, closed after the test. SQLite gets a real file in a temp dir. */
export function makeStore(t, kind) {
  const store = kind === 'sqlite' ? sqliteStore({ path: join(tempDir(t), 'callbacks.db') }) : memoryStore();
  t.after(() => store.close());
  return store;
}

/** A JSON POST to the receiver; `body` may be a value (JSON-encoded) or a string/bytes as is. */
export function post(body, { url = URL_WITH_SECRET, headers = { 'content-type': 'application/json' }, method = 'POST' } = {}) {
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  return new Request(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : payload });
}

/**
 * A request whose body is a stream that records whether it was ever read, to prove a refusal
 * happened before the body was touched. `chunks` are strings or byte arrays.
 */
export function trackedRequest(chunks, { url = URL_WITH_SECRET, headers = { 'content-type': 'application/json' } } = {}) {
  const state = { pulls: 0 };
  const encoder = new TextEncoder();
  let i = 0;
  const body = new ReadableStream({
    pull(controller) {
      state.pulls++;
      if (i < chunks.length) {
        const chunk = chunks[i++];
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      } else controller.close();
    },
  }, { highWaterMark: 0 }); // pull only when read
  const request = new Request(url, { method: 'POST', headers, body, duplex: 'half' });
  return { request, state };
}

/** The response's status and parsed JSON body; asserts the JSON content type. */
export async function answer(response) {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) throw new Error(`expected JSON, got ${type}`);
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** Sample bodies, as finAPI documents them (seed 003). */
export const samples = {
  webForm: (status = 'COMPLETED', webFormId = '946db09e-5bfc-11eb-ae93-0242ac130002') => ({ webFormId, status }),
  task: (status = 'COMPLETED', webFormStatus, taskId = '31c508d8-51da-11eb-ae93-0242ac130002') => ({
    taskId,
    status,
    ...(webFormStatus
      ? {
          webForm: {
            id: '946db09e-5bfc-11eb-ae93-0242ac130002',
            url: 'https://webform.finapi.io/wf/946db09e-5bfc-11eb-ae93-0242ac130002',
            status: webFormStatus,
          },
        }
      : {}),
  }),
};
