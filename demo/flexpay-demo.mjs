// The FlexPay demo: finframe/server's FlexPay receiver and status stream on demo/server.mjs's demo
// origin, plus a stand-in for FlexPay that the demo page drives.
//
//   POST /flexpay/callback      the real receiver (createFlexPayCallbackHandler + toNodeHandler), as
//                               FlexPay would call it (the callbackUri your server gives /verify-basket)
//   GET  /flexpay/status        the real status stream (createStatusStream): Server-Sent Events for
//                               EventSource, one JSON answer otherwise (what <flexpay-status> polls)
//   POST /flexpay/demo/order    a new demo order: `{reference}`, watchable by this browser only
//   POST /flexpay/demo/send     `{reference, kind}`: plays FlexPay — signs a receipt with the demo key
//                               and POSTs the callback to /flexpay/callback over loopback HTTP, then
//                               answers with each delivery's HTTP status and JSON answer
//   POST /flexpay/demo/drop     ends every open status stream (the browser reconnects by itself)
//
// Usage (demo/server.mjs, createFlexPayDemoReceiver()):
//   const flexpay = await createFlexPayDemo({ store });
//   createDemoServer({ routes: { demo: flexpay.routes } });  …  flexpay.close();
//
// The key pair is made here at every start. A real shop has no private key at all: FlexPay signs
// receipts and gives the merchant its public key, which is all the receiver is configured with.
// Here the private key stays in this module (non-extractable; never sent to the page, never
// logged), and the page only ever sees a summary of each receipt, never the JWT.
//
// Needs a build (`dist/server/`): it imports the package through its own exports, like a user would.

import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createFlexPayCallbackHandler, createStatusStream, memoryStore } from 'finframe/server';
import { toNodeHandler } from 'finframe/server/node';

/** Made-up FlexPay environment: the namespaced claim's host, `iss` and `aud` (the seed's shape). */
export const DEMO_FLEXPAY_API = 'https://api.flexpay-demo.invalid';
const ISSUER = `${DEMO_FLEXPAY_API}/`;
const AUDIENCE = DEMO_FLEXPAY_API;
const APPLICATION_CLAIM = `${DEMO_FLEXPAY_API}/application`;
const PRODUCT_TYPE = 'blackhorse-flexpay';

/** The `kind`s POST /flexpay/demo/send accepts, with what each shows. */
export const SEND_KINDS = {
  PENDING: 'FlexPay: checkout started, awaiting a decision (PENDING)',
  SUCCESSFUL: 'FlexPay: the purchase was successful (SUCCESSFUL, final)',
  FAILED: 'FlexPay: the purchase failed — declined, cancelled, abandoned or referred (FAILED, final)',
  duplicate: 'the last status callback again, byte for byte (FlexPay may send duplicates): acknowledged, no effect',
  outOfOrder: 'a PENDING that FlexPay sent before the last status, arriving late: acknowledged as stale, no effect',
  tampered: 'a SUCCESSFUL callback whose receipt payload was altered after signing: 401, nothing stored',
  wrongKey: 'a SUCCESSFUL callback signed by another key under the same kid: 401, nothing stored',
  expired: 'a SUCCESSFUL callback whose receipt expired an hour ago: 401, nothing stored',
};

/** The cookie that says which orders this browser created (the demo's stand-in for a login). */
const SESSION_COOKIE = 'ff_demo_session';
/** At most this many demo orders are remembered (the oldest are forgotten first). */
const MAX_ORDERS = 500;

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The value of cookie `name` in a Cookie header, or undefined. */
function cookie(header, name) {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** A short order reference a shop might use: `FF-` and 8 characters from an unambiguous alphabet. */
function newReference() {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return `FF-${Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join('')}`;
}

/**
 * Creates the FlexPay demo: generates the demo key pair (and a second, "wrong" one), the receiver
 * (keys = the demo public key only, by kid) and the status stream over `store`.
 *
 * @param {{ store?: import('finframe/server').CallbackStore, path?: string,
 *           streamOptions?: Partial<import('finframe/server').StatusStreamOptions>,
 *           onUpdate?: (record: import('finframe/server').StoredRecord) => unknown }} [options]
 *        `store` defaults to a memoryStore(); `path` (default `/flexpay`) prefixes every route.
 * @returns {Promise<{ routes: import('./server.mjs').Route[], kid: string, stream: import('finframe/server').StatusStreamHandler,
 *          orders: Map<string, object>, close: () => void }>}
 */
export async function createFlexPayDemo({ store = memoryStore(), path = '/flexpay', streamOptions = {}, onUpdate } = {}) {
  // What FlexPay holds (the private key) and what it gives the merchant (the public key, as a JWK).
  const kid = `demo-${randomBytes(6).toString('base64url')}`;
  const flexpayKeys = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(flexpayKeys.publicKey)), kid, alg: 'RS256', use: 'sig' };
  // Someone else's key, for the "wrong key" callback.
  const otherKeys = await generateKeyPair('RS256');

  // --- The merchant's side: what a shop mounts -----------------------------------------------------

  const receiver = createFlexPayCallbackHandler({
    store,
    keys: { [kid]: publicJwk },
    issuer: ISSUER,
    audience: AUDIENCE,
    onUpdate,
    onError: (error, context) => console.error(`finframe demo: FlexPay callback ${context.stage} failed${context.key ? ` for ${context.key}` : ''}: ${error?.message ?? error}`),
  });

  /**
   * The demo's orders, by reference: who created them (the session cookie) and what "FlexPay" sent
   * for them. Only this process knows them; the store (SQLite under npm start) keeps the statuses.
   */
  const orders = new Map();

  const stream = createStatusStream({
    store,
    // Who may watch which order. In this demo: only the browser that created the order in this
    // server run (its session cookie). A real shop checks that the signed-in customer owns the
    // order `reference` — references are order numbers, easy to guess, and the status says
    // whether someone's finance application was declined.
    authorize: (request, reference) => {
      const session = cookie(request.headers.get('cookie'), SESSION_COOKIE);
      return session !== undefined && orders.get(reference)?.session === session;
    },
    retryMs: 2000,
    ...streamOptions,
    onError: (error, context) => console.error(`finframe demo: FlexPay status stream ${context.stage} failed${context.reference ? ` for ${context.reference}` : ''}: ${error?.message ?? error}`),
  });

  const nodeReceiver = toNodeHandler(receiver);
  const nodeStream = toNodeHandler(stream);
  // toNodeHandler answers by itself; a route resolves once its response is out (or the stream closed).
  const mount = (handler) => (req, res) =>
    new Promise((resolve, reject) => {
      res.once('close', resolve);
      handler(req, res, reject);
    });

  // --- FlexPay's side, played by the demo server --------------------------------------------------

  /** A receipt as FlexPay signs it (PROVIDERS.md §5, seed 002), for `order` and `status`. */
  function signReceipt(order, status, statusLastUpdated, { key = flexpayKeys.privateKey, iat = Math.floor(Date.now() / 1000), lifetime = 3600 } = {}) {
    return new SignJWT({
      scope: 'application:create',
      [APPLICATION_CLAIM]: {
        // The seed's receipt says "success" for SUCCESSFUL; the other two words are not documented.
        status: { PENDING: 'pending', SUCCESSFUL: 'success', FAILED: 'failed' }[status],
        product: 'revolving_credit',
        links: [{ href: `${DEMO_FLEXPAY_API}/checkout/revolving_credit/${order.id}`, rel: 'self' }],
        last_updated: statusLastUpdated,
        application_id: order.id,
        transaction_id: order.reference,
      },
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetime)
      .setAudience(AUDIENCE)
      .setIssuer(ISSUER)
      .setSubject(order.customer)
      .setJti(randomUUID())
      .sign(key);
  }

  /** The callback body FlexPay POSTs: `{id, status, statusLastUpdated, reference, productType, receipt}`. */
  async function callback(order, status, statusLastUpdated, receiptOptions) {
    const receipt = await signReceipt(order, status, statusLastUpdated, receiptOptions);
    return { id: order.id, status, statusLastUpdated, reference: order.reference, productType: PRODUCT_TYPE, receipt };
  }

  /** The next statusLastUpdated of `order`: now, but always after the previous one. */
  function nextTimestamp(order) {
    const at = Math.max(Date.now(), order.lastTimestamp + 1);
    order.lastTimestamp = at;
    return String(at);
  }

  /** The callbacks one `kind` sends: `[{ label, body, note? }]`, or a `{status, error, reason}` refusal. */
  async function callbacksFor(order, kind) {
    switch (kind) {
      case 'PENDING':
      case 'SUCCESSFUL':
      case 'FAILED': {
        const body = await callback(order, kind, nextTimestamp(order));
        order.last = body;
        return [{ label: kind, body }];
      }
      case 'duplicate':
        if (!order.last) return { status: 409, error: 'nothing_sent_yet', reason: 'send PENDING, SUCCESSFUL or FAILED first: duplicate re-sends the last one' };
        return [{ label: `${order.last.status} again, exactly as before`, body: order.last }];
      case 'outOfOrder': {
        if (!order.last) return { status: 409, error: 'nothing_sent_yet', reason: 'send a status first (best a final one): outOfOrder delivers an older PENDING after it' };
        // Sent by FlexPay a minute before the last status (and signed then), delivered only now.
        const at = Number(order.last.statusLastUpdated) - 60_000;
        const body = await callback(order, 'PENDING', String(at), { iat: Math.floor(at / 1000) });
        return [{ label: `PENDING from a minute before the ${order.last.status}, arriving late`, body }];
      }
      case 'tampered': {
        // A genuine FAILED receipt whose payload is rewritten to say "success": the signature no longer matches.
        const body = await callback(order, 'FAILED', nextTimestamp(order));
        const [header, payload, signature] = body.receipt.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        claims[APPLICATION_CLAIM].status = 'success';
        return [{ label: 'SUCCESSFUL, receipt payload altered after signing', body: { ...body, status: 'SUCCESSFUL', receipt: `${header}.${b64url(claims)}.${signature}` }, note: 'payload altered after signing' }];
      }
      case 'wrongKey': {
        const body = await callback(order, 'SUCCESSFUL', nextTimestamp(order), { key: otherKeys.privateKey });
        return [{ label: 'SUCCESSFUL, signed by another key (same kid)', body, note: 'signed by a key that is not FlexPay’s' }];
      }
      case 'expired': {
        const body = await callback(order, 'SUCCESSFUL', nextTimestamp(order), { iat: Math.floor(Date.now() / 1000) - 7200 });
        return [{ label: 'SUCCESSFUL, receipt expired an hour ago', body, note: 'exp one hour ago' }];
      }
      default:
        return undefined;
    }
  }

  /** What the page is shown of a sent body: everything but the receipt, which is summarised. */
  function shown({ body, note }) {
    const { receipt, ...rest } = body;
    return { ...rest, receipt: `RS256 JWT, kid ${kid}, ${receipt.length} characters — not shown${note ? `; ${note}` : ''}` };
  }

  /** POSTs one callback to the receiver on this very server, over loopback HTTP, as FlexPay would. */
  async function deliver(ctx, item) {
    const response = await fetch(new URL(`${path}/callback`, `http://127.0.0.1:${ctx.config.port}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(item.body),
    });
    const text = await response.text();
    let answer;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = text;
    }
    return { label: item.label, sent: shown(item), status: response.status, answer };
  }

  /** The JSON body of a demo POST (JSON only, so another site cannot send one without a failing CORS preflight). */
  async function jsonBody(req, ctx) {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      ctx.sendJson(415, { error: 'unsupported_media_type', reason: 'send a JSON body (application/json)' });
      return undefined;
    }
    try {
      const value = JSON.parse((await ctx.readBody(1024)) || '{}');
      if (value && typeof value === 'object' && !Array.isArray(value)) return value;
    } catch {
      // below
    }
    ctx.sendJson(400, { error: 'invalid_json', reason: 'send a JSON object' });
    return undefined;
  }

  return {
    kid,
    stream,
    orders,
    /** Ends every open stream (before the server and the store close). */
    close: () => stream.close(),
    routes: [
      { method: '*', path: `${path}/callback`, handle: mount(nodeReceiver) },
      { method: '*', path: `${path}/status`, handle: mount(nodeStream) },
      {
        method: 'POST',
        path: `${path}/demo/order`,
        handle: async (req, res, ctx) => {
          if ((await jsonBody(req, ctx)) === undefined) return;
          // The demo's stand-in for a signed-in customer: a random session id in an HttpOnly cookie.
          let session = cookie(req.headers.cookie, SESSION_COOKIE);
          if (!session || !/^[A-Za-z0-9_-]{16,64}$/.test(session)) {
            session = randomBytes(18).toString('base64url');
            res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${session}; Path=${path}; HttpOnly; SameSite=Strict`);
          }
          let reference;
          do reference = newReference();
          while (orders.has(reference));
          orders.set(reference, { reference, session, id: randomUUID(), customer: randomUUID(), lastTimestamp: 0, last: undefined });
          while (orders.size > MAX_ORDERS) orders.delete(orders.keys().next().value);
          ctx.sendJson(201, { reference });
        },
      },
      {
        method: 'POST',
        path: `${path}/demo/send`,
        handle: async (req, res, ctx) => {
          const body = await jsonBody(req, ctx);
          if (body === undefined) return;
          const { reference, kind } = body;
          const order = typeof reference === 'string' ? orders.get(reference) : undefined;
          if (!order || order.session !== cookie(req.headers.cookie, SESSION_COOKIE)) {
            return ctx.sendJson(404, { error: 'unknown_order', reason: 'no demo order with this reference was created by this browser in this server run' });
          }
          if (typeof kind !== 'string' || !Object.hasOwn(SEND_KINDS, kind)) {
            return ctx.sendJson(422, { error: 'unknown_kind', reason: `kind must be one of ${Object.keys(SEND_KINDS).join(', ')}` });
          }
          const items = await callbacksFor(order, kind);
          if (!Array.isArray(items)) return ctx.sendJson(items.status, { error: items.error, reason: items.reason });
          const deliveries = [];
          try {
            for (const item of items) deliveries.push(await deliver(ctx, item));
          } catch (error) {
            return ctx.sendJson(502, { error: 'delivery_failed', reason: String(error?.message ?? error), deliveries });
          }
          ctx.sendJson(200, { reference, kind, description: SEND_KINDS[kind], deliveries });
        },
      },
      {
        method: 'POST',
        path: `${path}/demo/drop`,
        handle: async (req, res, ctx) => {
          if ((await jsonBody(req, ctx)) === undefined) return;
          const dropped = stream.connections;
          stream.close();
          ctx.sendJson(200, { dropped });
        },
      },
    ],
  };
}
