// DEMO ONLY — never mount this in a shop. The FlexPay half of the demo's playground: a stand-in
// for FlexPay itself, which the /flexpay-status.html page drives.
//
//   POST /flexpay/demo/order    a new demo order: `{reference}`. Plays the shop's checkout and
//                               FlexPay's /verify-basket (which returns an application id), and
//                               sets the demo's stand-in for a login (a session cookie)
//   POST /flexpay/demo/send     `{reference, kind}`: plays FlexPay — decides a status, signs a
//                               receipt with the demo's private key and POSTs the callback to
//                               /flexpay/callback over loopback HTTP (or replays an attack), then
//                               answers with each delivery's HTTP status and JSON answer
//   POST /flexpay/demo/drop     ends every open status stream (the browser reconnects by itself)
//
// Each would be a hole on a reachable server (anyone could sign "payments" the receiver trusts, or
// cut every customer's stream). So createFlexPayPlayground() refuses to start with
// NODE_ENV=production or when the server listens off loopback, and each route answers only
// loopback requests (./playground-guard.mjs). The receiver a shop copies is demo/receivers/flexpay.mjs;
// this module hands it what FlexPay and the shop's own order system would: the public key, the
// transaction endpoint's answer (`confirm`), each order's application id (`expectedApplicationId`)
// and who may watch which order (`authorize`).
//
// The key pair is made here at every start. A real shop has no private key at all: FlexPay signs
// receipts and gives the merchant its public key, which is all the receiver is configured with.
// Here the private key stays in this module (non-extractable; never sent to the page, never
// logged), and the page only ever sees a summary of each receipt, never the JWT.
//
// No build needed: this module uses jose and fetch only.

import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { assertPlaygroundAllowed, loopbackOnly } from './playground-guard.mjs';
import { answerOf } from './answer.mjs';

/** Made-up FlexPay environment: the namespaced claim's host, `iss` and `aud` (the documented receipt's shape). */
export const DEMO_FLEXPAY_API = 'https://api.flexpay-demo.invalid';
const ISSUER = `${DEMO_FLEXPAY_API}/`;
const AUDIENCE = DEMO_FLEXPAY_API;
const APPLICATION_CLAIM = `${DEMO_FLEXPAY_API}/application`;
const PRODUCT_TYPE = 'blackhorse-flexpay';

/**
 * The application claim's `status` the stand-in signs for each callback status. Only `success`
 * (for SUCCESSFUL) is in FlexPay's documented sample receipt; `declined` and `pending` stand for
 * "anything else", which proves nothing: the receiver then asks `confirm`.
 */
const CLAIM_STATUS = { PENDING: 'pending', SUCCESSFUL: 'success', FAILED: 'declined' };
const FINAL = new Set(['SUCCESSFUL', 'FAILED']);

/** The `kind`s POST /flexpay/demo/send accepts, with what each shows. */
export const SEND_KINDS = {
  PENDING: 'FlexPay: checkout started, awaiting a decision (PENDING)',
  SUCCESSFUL: 'FlexPay: the purchase was successful (SUCCESSFUL, final)',
  FAILED: 'FlexPay: the purchase failed — declined, cancelled, abandoned or referred (FAILED, final)',
  duplicate: 'the last status callback again, byte for byte (FlexPay may send duplicates): acknowledged, no effect',
  outOfOrder: 'a PENDING that FlexPay sent before the last status, arriving late: acknowledged, no effect',
  tampered: 'a SUCCESSFUL callback whose receipt payload was altered after signing: 401, nothing stored',
  wrongKey: 'a SUCCESSFUL callback signed by another key under the same kid: 401, nothing stored',
  expired: 'a SUCCESSFUL callback whose receipt expired an hour ago: 401, nothing stored',
  forged:
    'FlexPay declines the application; the shopper re-posts the genuine receipt of it (widget.checkout() handed it to the page) claiming "status": "SUCCESSFUL": the receiver asks FlexPay (confirm), which says FAILED, and stores that — FlexPay’s genuine FAILED after it is a duplicate',
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
 * @typedef {object} DemoOrder  What the stand-in knows of one order.
 * @property {string} reference  the shop's order reference (FlexPay's `transaction_id`)
 * @property {string} session    the session cookie of the browser that created it
 * @property {string} id         the application id "/verify-basket returned" for it
 * @property {string} customer   the receipt's `sub`
 * @property {{ status: string, statusLastUpdated: string } | undefined} decided
 *           the status FlexPay has decided, as its transaction endpoint would report it
 * @property {object | undefined} last  the last genuine callback body sent (for `duplicate`)
 * @property {number} lastTimestamp
 */

/**
 * Creates the stand-in for FlexPay: generates the demo key pair (and a second, "wrong" one) and
 * the order book. Mount `flexpayReceiverRoutes({ store, ...playground.receiverOptions })` from
 * demo/receivers/flexpay.mjs, then `playground.routes(stream)` with its stream.
 *
 * @param {{ hosts: string | string[], env?: Record<string, string | undefined>, path?: string }} options
 *        `hosts` the addresses the server listens on; `env` defaults to process.env; `path`
 *        (default `/flexpay`) is the receiver's prefix.
 * @returns {Promise<{ kid: string, orders: Map<string, DemoOrder>, receiverOptions: object,
 *          routes: (stream: import('finframe/server').StatusStreamHandler) => import('../server.mjs').Route[] }>}
 * @throws {import('./playground-guard.mjs').PlaygroundRefusedError} with NODE_ENV=production or off loopback.
 */
export async function createFlexPayPlayground({ hosts, env = process.env, path = '/flexpay' }) {
  assertPlaygroundAllowed({ hosts, env }, 'The FlexPay playground (POST /flexpay/demo/order, …/send, …/drop)');

  // What FlexPay holds (the private key) and what it gives the merchant (the public key, as a JWK).
  const kid = `demo-${randomBytes(6).toString('base64url')}`;
  const flexpayKeys = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(flexpayKeys.publicKey)), kid, alg: 'RS256', use: 'sig' };
  // Someone else's key, for the "wrong key" callback.
  const otherKeys = await generateKeyPair('RS256');

  /** @type {Map<string, DemoOrder>} Only this process knows them; the store keeps the statuses. */
  const orders = new Map();

  /** A receipt as FlexPay signs it, for `order`, claiming `status` as of `statusLastUpdated`. */
  function signReceipt(order, status, statusLastUpdated, { key = flexpayKeys.privateKey, iat = Math.floor(Date.now() / 1000), lifetime = 3600 } = {}) {
    return new SignJWT({
      scope: 'application:create',
      [APPLICATION_CLAIM]: {
        status: CLAIM_STATUS[status],
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

  /** FlexPay decides `status` for `order` now: what its transaction endpoint reports from here on, and the genuine callback. */
  async function decide(order, status) {
    const body = await callback(order, status, nextTimestamp(order));
    order.decided = { status, statusLastUpdated: body.statusLastUpdated };
    order.last = body;
    return body;
  }

  /** The callbacks one `kind` sends: `[{ label, body, note? }]`, or a `{status, error, reason}` refusal. */
  async function callbacksFor(order, kind) {
    switch (kind) {
      case 'PENDING':
      case 'SUCCESSFUL':
      case 'FAILED':
        return [{ label: kind, body: await decide(order, kind) }];
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
        // A receipt FlexPay signed for FAILED, whose payload is rewritten to say "success": the signature no longer matches.
        const body = await callback(order, 'FAILED', nextTimestamp(order));
        const [header, payload, signature] = body.receipt.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        claims[APPLICATION_CLAIM].status = CLAIM_STATUS.SUCCESSFUL;
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
      case 'forged': {
        if (order.decided && FINAL.has(order.decided.status)) {
          return { status: 409, error: 'already_final', reason: 'FlexPay has already decided this order: start a new order to replay the forgery' };
        }
        // FlexPay declines the application. Its receipt (claim status "declined") is genuine, and the
        // shopper has it: widget.checkout() hands it to the page. The shopper re-posts it to the
        // public callbackUri, saying SUCCESSFUL; then FlexPay's own FAILED callback arrives.
        const genuine = await decide(order, 'FAILED');
        return [
          { label: 'the shopper re-posts the genuine receipt of a declined application, claiming SUCCESSFUL', body: { ...genuine, status: 'SUCCESSFUL' }, note: 'genuine receipt, claim status "declined"' },
          { label: 'FlexPay’s genuine FAILED callback, after it', body: genuine, note: 'claim status "declined"' },
        ];
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
    const answer = await answerOf(response);
    return { label: item.label, sent: shown(item), status: response.status, answer };
  }

  /**
   * A new order for the browser of `req` (the demo's stand-in for a signed-in customer: a random
   * session id in an HttpOnly cookie, set on `res` when it has none); its reference.
   */
  function newOrder(req, res) {
    let session = cookie(req.headers.cookie, SESSION_COOKIE);
    if (!session || !/^[A-Za-z0-9_-]{16,64}$/.test(session)) {
      session = randomBytes(18).toString('base64url');
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${session}; Path=${path}; HttpOnly; SameSite=Strict`);
    }
    let reference;
    do reference = newReference();
    while (orders.has(reference));
    // `id`: the application id FlexPay's /verify-basket returns for this basket.
    orders.set(reference, { reference, session, id: randomUUID(), customer: randomUUID(), decided: undefined, last: undefined, lastTimestamp: 0 });
    while (orders.size > MAX_ORDERS) orders.delete(orders.keys().next().value);
    return reference;
  }

  /**
   * Plays FlexPay for `{reference, kind}` from the browser of `req`: `{status, ...answer}` — 200
   * `{reference, kind, description, deliveries}`, or a refusal `{error, reason}` (404 unknown order, 422 unknown kind, 409, 502).
   */
  async function send(req, ctx, { reference, kind }) {
    const order = typeof reference === 'string' ? orders.get(reference) : undefined;
    if (!order || order.session !== cookie(req.headers.cookie, SESSION_COOKIE)) {
      return { status: 404, error: 'unknown_order', reason: 'no demo order with this reference was created by this browser in this server run' };
    }
    if (typeof kind !== 'string' || !Object.hasOwn(SEND_KINDS, kind)) {
      return { status: 422, error: 'unknown_kind', reason: `kind must be one of ${Object.keys(SEND_KINDS).join(', ')}` };
    }
    const items = await callbacksFor(order, kind);
    if (!Array.isArray(items)) return { status: items.status, error: items.error, reason: items.reason };
    const deliveries = [];
    try {
      for (const item of items) deliveries.push(await deliver(ctx, item));
    } catch (error) {
      return { status: 502, error: 'delivery_failed', reason: String(error?.message ?? error), deliveries };
    }
    return { status: 200, reference, kind, description: SEND_KINDS[kind], deliveries };
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
    orders,
    /** For the no-JavaScript page's routes (demo/playground/no-js-pages.mjs): the same order maker and sender as the JSON routes. */
    newOrder,
    send,
    /** What demo/receivers/flexpay.mjs is configured with here; each line says what a shop passes instead. */
    receiverOptions: {
      // A shop: the public key FlexPay gave it (PEM or JWK), never a key pair of its own.
      keys: { [kid]: publicJwk },
      issuer: ISSUER,
      audience: AUDIENCE,
      // A shop: FlexPay's transaction endpoint, asked with the shop's credentials. Here: the
      // stand-in's own order book — what "FlexPay" has decided for the application, if anything.
      confirm: async (callback) => {
        const order = typeof callback?.reference === 'string' ? orders.get(callback.reference) : undefined;
        if (!order || order.id !== callback.id || !order.decided) return undefined;
        return { id: order.id, status: order.decided.status, statusLastUpdated: order.decided.statusLastUpdated };
      },
      // A shop: the application id /verify-basket returned, saved with the order before any callback.
      expectedApplicationId: (reference) => orders.get(reference)?.id,
      // A shop: the signed-in customer owns the order. References are order numbers, easy to guess,
      // and the status says whether someone's finance application was declined. Here: only the
      // browser that created the order in this server run (its session cookie).
      authorize: (request, reference) => {
        const session = cookie(request.headers.get('cookie'), SESSION_COOKIE);
        return session !== undefined && orders.get(reference)?.session === session;
      },
    },
    /** The playground's routes; `stream` is the status stream the receivers mounted (for …/drop). */
    routes: (stream) => [
      loopbackOnly({
        method: 'POST',
        path: `${path}/demo/order`,
        handle: async (req, res, ctx) => {
          if ((await jsonBody(req, ctx)) === undefined) return;
          ctx.sendJson(201, { reference: newOrder(req, res) });
        },
      }),
      loopbackOnly({
        method: 'POST',
        path: `${path}/demo/send`,
        handle: async (req, res, ctx) => {
          const body = await jsonBody(req, ctx);
          if (body === undefined) return;
          const { status, ...answer } = await send(req, ctx, body);
          ctx.sendJson(status, answer);
        },
      }),
      loopbackOnly({
        method: 'POST',
        path: `${path}/demo/drop`,
        handle: async (req, res, ctx) => {
          if ((await jsonBody(req, ctx)) === undefined) return;
          const dropped = stream.connections;
          stream.close();
          ctx.sendJson(200, { dropped });
        },
      }),
    ],
  };
}
