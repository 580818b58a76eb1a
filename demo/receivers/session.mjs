// The endpoint behind `session-url` as a shop mounts it — this is the part to copy:
//
//   POST /finframe/session   {"element": "<tag>", "lang": "…", "context": {…}} → {"token": "…"} and/or {"src": "…"}
//
// The element sends that request at the start of every session (docs/no-javascript.md, "Your
// server's side of session-url"). This module checks the request and hands it to one function per
// element, `providers[element]({ lang, context, request })`, which asks the provider for a fresh,
// short-lived session and returns the answer. In a shop each function calls the provider with the
// shop's secret credentials (docs/no-javascript.md, "What each provider needs from your endpoint"):
//
//   'flinks-connect'    Flinks' /GenerateAuthorizeToken with your secret key → {token: authorizeToken}
//                       (single-use, expires unused; docs/providers/flinks.md "The authorize token")
//   'flexiti-widget'    an OAuth access token, then POST https://{posapi}/flexiti/pos-api/v2.5/client-id/{client_id}/widget/init
//                       (Bearer token, x-reference-id, flow, lang, the customer's identification)
//                       → {src: redirection_url} (docs/providers/flexiti.md "Getting the frame URL")
//   'benji-connect'     POST /auth/connect with x-api-key, partnership_id, mode (1 connect,
//                       3 transfer, 4 redeem), user_external_id → {token: data.token}
//                       (single-use; docs/providers/benji.md "The connect token")
//   'finapi-web-form'   finAPI's Web Form 2.0 API ("Import a bank connection" or a payment
//                       endpoint, callbacks.finalised → your finframe/server receiver)
//                       → {token: the web form's token} (single-use; docs/providers/finapi.md)
//
// The demo passes functions that mint tokens for its fake providers instead
// (demo/playground/session-playground.mjs, demo only).
//
// What this part does for every element, and a shop keeps:
// - POST with `Content-Type: application/json` only (415 otherwise): no plain cross-site <form>
//   can send that, so another site cannot make a shopper's browser spend your provider calls;
// - a request from another origin (its `Origin` header) is refused (403) — the element sends
//   `session-url` requests to its own origin;
// - the body must be the element's: a known `element`, a `lang` that element speaks, a `context` of
//   at most 16 short strings (its `data-*` attributes). 400/422 with a `reason` otherwise;
// - `authorize(request)` decides whether this visitor may have a session at all (in a shop: the
//   signed-in shopper; 401 otherwise). The context names which order — it comes from the page's
//   HTML, so check that the order belongs to the shopper and take amounts from your own records;
// - the answer is `Cache-Control: no-store` JSON: a fresh token for every request, never cached;
// - nothing of the answer is logged: the token is a credential for a few minutes.
//
// No build needed: plain Node.

/** Where the demo mounts it (any path works: it is the element's `session-url`). */
export const SESSION_PATH = '/finframe/session';

/** The languages each element sends as `lang` (its resolved language). */
export const SESSION_LANGS = Object.freeze({
  'flinks-connect': ['en', 'fr'],
  'flexiti-widget': ['en', 'fr'],
  'benji-connect': ['en', 'fr'],
  // finAPI's web form languages (the element passes them to finAPI's loader).
  'finapi-web-form': ['cs', 'de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'ro', 'sk', 'tr'],
});

const MAX_BODY = 4096;
const MAX_CONTEXT_KEYS = 16;
const MAX_CONTEXT_VALUE = 256;
/** A camelCased `data-*` name, as `element.dataset` gives it. */
const CONTEXT_KEY = /^[a-z][A-Za-z0-9]{0,63}$/;
/** What the element accepts as a token (docs/no-javascript.md "What to answer"). */
const TOKEN = /^[\x21-\x7e]{1,4096}$/;

/**
 * The request body checked: `{ element, lang, context }`, or `{ status, error, reason }` to refuse with.
 * @param {unknown} body  the parsed JSON
 * @param {readonly string[]} elements  the elements this endpoint serves
 */
export function checkSessionRequest(body, elements) {
  const refuse = (error, reason) => ({ status: 422, error, reason });
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { status: 400, error: 'invalid_json', reason: 'send a JSON object' };
  const { element, lang, context = {} } = body;
  if (typeof element !== 'string' || !elements.includes(element)) {
    return refuse('unknown_element', `element must be one of ${elements.join(', ')}`);
  }
  if (typeof lang !== 'string' || !SESSION_LANGS[element].includes(lang)) {
    return refuse('invalid_lang', `lang must be one of ${SESSION_LANGS[element].join(', ')} for <${element}>`);
  }
  if (!context || typeof context !== 'object' || Array.isArray(context)) return refuse('invalid_context', 'context must be an object of strings');
  const entries = Object.entries(context);
  if (entries.length > MAX_CONTEXT_KEYS) return refuse('invalid_context', `context has more than ${MAX_CONTEXT_KEYS} entries`);
  for (const [key, value] of entries) {
    if (!CONTEXT_KEY.test(key) || typeof value !== 'string' || value.length > MAX_CONTEXT_VALUE) {
      return refuse('invalid_context', `context must hold camelCased names (its data-* attributes) with strings of at most ${MAX_CONTEXT_VALUE} characters`);
    }
  }
  return { element, lang, context: Object.freeze(Object.fromEntries(entries)) };
}

/**
 * The session endpoint's one route (demo/server.mjs's `Route` format).
 *
 * @param {object} options
 * @param {Record<string, (input: { lang: string, context: Record<string, string>, request: import('node:http').IncomingMessage })
 *         => Promise<{ token?: string, src?: string } | { status: number, error: string, reason: string }>>} options.providers
 *        one function per element this endpoint serves (keyed by tag name): asks the provider for a
 *        fresh session. It may return a refusal instead (e.g. 404 for an order that is not the shopper's).
 * @param {(request: import('node:http').IncomingMessage) => boolean | Promise<boolean>} [options.authorize]
 *        may this visitor have a session? In a shop: is a shopper signed in (the cookies came along). Default: anyone.
 * @param {string} [options.path]  default `/finframe/session`
 * @returns {import('../server.mjs').Route}
 */
export function sessionRoute({ providers, authorize = () => true, path = SESSION_PATH }) {
  const elements = Object.keys(providers);
  for (const element of elements) {
    if (!Object.hasOwn(SESSION_LANGS, element)) throw new TypeError(`sessionRoute: no session-url on <${element}>`);
  }
  return {
    method: '*',
    path,
    handle: async (req, res, ctx) => {
      const refuse = (status, error, reason, headers) => {
        if (headers) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        ctx.sendJson(status, { error, reason });
      };
      if (req.method !== 'POST') return refuse(405, 'method_not_allowed', 'POST the session request', { Allow: 'POST' });
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}` && origin !== `https://${req.headers.host}`) {
        return refuse(403, 'cross_origin', 'session requests come from pages on this origin only');
      }
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
        return refuse(415, 'unsupported_media_type', 'send the session request as JSON (Content-Type: application/json)');
      }
      // Refused before reading: past the limit the server drops the connection instead of answering.
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return refuse(413, 'too_large', `the session request is at most ${MAX_BODY} bytes`);
      let body;
      try {
        body = JSON.parse(await ctx.readBody(MAX_BODY));
      } catch (error) {
        if (error?.status === 413) return refuse(413, 'too_large', `the session request is at most ${MAX_BODY} bytes`);
        return refuse(400, 'invalid_json', 'the body is not JSON');
      }
      const checked = checkSessionRequest(body, elements);
      if ('error' in checked) return refuse(checked.status, checked.error, checked.reason);
      if (!(await authorize(req))) return refuse(401, 'unauthorized', 'sign in first');
      const answer = await providers[checked.element]({ lang: checked.lang, context: checked.context, request: req });
      if (answer && 'error' in answer) return refuse(answer.status, answer.error, answer.reason);
      const out = {};
      if (answer?.token !== undefined) {
        // The element would refuse it anyway; fail here, where the log line helps (never the value).
        if (typeof answer.token !== 'string' || !TOKEN.test(answer.token)) throw new Error(`the ${checked.element} provider returned an unusable token`);
        out.token = answer.token;
      }
      if (answer?.src !== undefined) out.src = String(answer.src);
      if (!out.token && !out.src) throw new Error(`the ${checked.element} provider returned neither token nor src`);
      // ctx.sendJson sends Cache-Control: no-store with every answer (demo/server.mjs COMMON_HEADERS).
      res.setHeader('Cache-Control', 'no-store');
      ctx.sendJson(200, out);
    },
  };
}
