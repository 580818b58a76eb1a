// Shared by the finframe/server Node tests (not a test file itself). The tests run against the
// built package (dist/server/*.js) through its own `exports`, as a user's server would import it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { memoryStore } from 'finframe/server';
import { postgresStore } from 'finframe/server/postgres';
import { sqliteStore } from 'finframe/server/sqlite';
import { freshSchema, startCluster } from './pg-cluster.mjs';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';

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

let cluster;
/**
 * Call inside a `describe` (or at the top of a file): one throwaway PostgreSQL cluster for those
 * tests, started before them and stopped (by its postmaster's pid) after them, failed or not.
 * Returns a function giving the cluster.
 */
export function usePostgres() {
  before(async () => {
    cluster = await startCluster({ fsync: false });
  });
  after(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });
  return () => cluster;
}

/**
 * A fresh store of `kind`, closed after the test. SQLite gets a real file in a temp dir;
 * PostgreSQL a schema of its own in the cluster of {@link usePostgres} (`options` go to the store).
 */
export function makeStore(t, kind, options = {}) {
  let store;
  if (kind === 'sqlite') store = sqliteStore({ path: join(tempDir(t), 'callbacks.db'), ...options });
  else if (kind === 'postgres') {
    if (!cluster) throw new Error('makeStore(t, "postgres") needs usePostgres() in the test file');
    store = postgresStore({ connectionString: cluster.connectionString, schema: freshSchema(), onError: () => {}, ...options });
  } else store = memoryStore();
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

/** Sample bodies, as finAPI documents them (docs/providers/finapi.md). */
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

/**
 * Starts `script` (a fixture server) in a child process with `args`; it prints `{"port": N}` on
 * its first stdout line once listening. Returns `{child, port, exited}`; kill it in `t.after`.
 */
export async function startServerChild(script, args = []) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).port);
    });
    child.on('exit', () => reject(new Error(`${script} exited before listening`)));
  });
  return { child, port, exited };
}

/** Listens on 127.0.0.1:0 with `listener`; closed (connections too) after the test. Returns the base URL. */
export async function listen(t, listener) {
  const server = createServer(listener);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${server.address().port}`;
}

// ---- FlexPay ------------------------------------------------------------------------------------

/** The application claim's name in production and in FlexPay's sample staging receipt (docs/providers/flexpay.md). */
export const FLEXPAY_NS = 'https://flexpayapi.blackhorseflexpay.co.uk/application';
export const FLEXPAY_STAGING_NS = 'https://api.staging.k8s.dekopay.org/application';

const keyPairs = new Map();
/** An RS256 key pair, made once per `name` per process: `{privateKey, publicKey, pem, jwk, kid}`. */
export function flexpayKeys(name = 'fp-key-1') {
  if (!keyPairs.has(name)) {
    keyPairs.set(
      name,
      (async () => {
        const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
        return { privateKey, publicKey, pem: await exportSPKI(publicKey), jwk: { ...(await exportJWK(publicKey)), kid: name }, kid: name };
      })(),
    );
  }
  return keyPairs.get(name);
}

/**
 * A FlexPay receipt signed with `keys` (from {@link flexpayKeys}) about `id` and `reference`.
 * `kid: null` leaves the header's kid out; `iat`/`exp` in seconds (default now, now + 1 h; `null` leaves the claim out); `application`
 * replaces the application claim's object (or `null` to leave it out); `claims` adds or replaces claims.
 */
export async function signReceipt(keys, { id = 'app-1', reference = 'order-1', kid = keys.kid, iat, exp, ns = FLEXPAY_NS, application, claims = {} } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    scope: 'application:create',
    ...(application === null ? {} : { [ns]: application ?? { status: 'success', product: 'revolving_credit', application_id: id, transaction_id: reference } }),
    ...(iat === null ? {} : { iat: iat ?? now }),
    ...(exp === null ? {} : { exp: exp ?? now + 3600 }),
    aud: 'https://api.staging.k8s.dekopay.org',
    iss: 'https://api.staging.k8s.dekopay.org/',
    sub: 'b0151983-1ddb-4d89-8cc8-17f708da5606',
    ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid === null ? {} : { kid }) }).sign(keys.privateKey);
}

/**
 * `confirm` for a FlexPay receiver in tests where every callback is FlexPay's own: a stand-in for
 * FlexPay's transaction endpoint that confirms what the callback says.
 */
export const flexpayConfirmEcho = (callback) => ({ status: callback.status, statusLastUpdated: callback.statusLastUpdated, id: callback.id });

/** A callback body as FlexPay sends it (docs/providers/flexpay.md); `productType: null` leaves it out. */
export function flexpayBody(receipt, { id = 'app-1', reference = 'order-1', status = 'SUCCESSFUL', statusLastUpdated = '1642167702440', productType = 'blackhorse-flexpay' } = {}) {
  return { id, status, statusLastUpdated, reference, ...(productType === null ? {} : { productType }), receipt };
}

/**
 * The crash tests' load: `concurrency` clients POST `callback(i).body` (JSON) to `url` for i = 0, 1,
 * … up to `total`, and once `killAfter` callbacks were acknowledged (2xx) the `child` is killed
 * with SIGKILL while the other clients' requests are in flight. Resolves, when every client has
 * stopped, with `{acked: Map(key → expected stored data), failed, killedAt}`; `callback(i)`
 * returns `{key, body, stored?}` (`stored`: what the record should hold, default `body`).
 */
export async function loadUntilKilled({ child, url, callback, killAfter = 400, concurrency = 16, total = 20_000 }) {
  const acked = new Map();
  let next = 0;
  let failed = 0;
  let killed = false;
  let killedAt = 0;
  const client = async () => {
    while (next < total) {
      const { key, body, stored = body } = callback(next++);
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const answer = await response.json();
        if (response.ok) {
          if (answer.key !== key) throw new Error(`acknowledged ${answer.key} for ${key}`);
          acked.set(key, stored);
        }
      } catch (error) {
        if (error.message?.startsWith('acknowledged')) throw error;
        failed++;
        if (killed) return; // the server is gone: this client stops
      }
      if (!killed && acked.size >= killAfter) {
        killed = true;
        killedAt = acked.size;
        child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { acked, failed, killedAt };
}

/** `{promise, resolve, reject}` (Promise.withResolvers, which Node 20 lacks). */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/** A copy of `object` without `name` (what the FlexPay receiver stores: the body without its receipt). */
export function without(object, name) {
  const copy = { ...object };
  delete copy[name];
  return copy;
}
