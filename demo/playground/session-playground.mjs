// DEMO ONLY — never mount this in a shop. The providers behind the demo's `session-url` endpoint
// (demo/receivers/session.mjs): each mints a fresh random token for the demo's FAKE provider, as
// the real provider would hand one to the shop's server, and answers with what points the element
// at the fake. A shop's functions call the providers instead (see the header of
// demo/receivers/session.mjs).
//
// The fakes live on loopback (http://127.0.0.1:FAKE_PORT), which the production bundle accepts as
// a frame URL only after the page's development opt-in (demo/allow-loopback.js): checkFrameUrl()
// then takes a loopback `src` whatever the element's provider hosts are. So:
//
//   flinks-connect    {src}: the fake's URL with the authorizeToken in it. An answer's src is
//                     framed as it is (it carries its own authorizeToken); a bare {token} would
//                     build the real Flinks URL (https://toolbox-iframe.private.fin.ag/…).
//   flexiti-widget    {src}: the fake's redirection_url, token in the hash route as Flexiti's
//                     (#/widget/{client_id}/{token}?x-reference-id=…); the element adds `lang`.
//   benji-connect     {token, src}: the fake's URL without connect_token; the element adds the
//                     token as connect_token (and its per-session `t`).
//   finapi-web-form   {token}: the fake finAPI server takes any token; the page's `target-url`
//                     names the fake server (finAPI's answer has no URL to give).
//
// Tokens are random per request and never logged; none is stored (the fakes only check presence).

import { randomBytes, randomUUID } from 'node:crypto';
import { assertPlaygroundAllowed } from './playground-guard.mjs';

const hex = (bytes) => randomBytes(bytes).toString('hex');

/** The demo's stand-in for an order number in `data-order-id`: letters, digits and hyphens. */
const ORDER_ID = /^[A-Za-z0-9-]{1,32}$/;

/**
 * The `providers` option of sessionRoute() for the demo's fakes.
 *
 * @param {{ config: () => import('../server.mjs').DemoConfig, hosts: string | string[], env?: Record<string, string | undefined> }} options
 *        `config()` gives the demo server's origins at each request (the ports are known only after listen()).
 * @throws {import('./playground-guard.mjs').PlaygroundRefusedError} with NODE_ENV=production or off loopback.
 */
export function fakeSessionProviders({ config, hosts, env = process.env }) {
  assertPlaygroundAllowed({ hosts, env }, 'The demo session minter (POST /finframe/session for the fake providers)');

  /** A shop looks the order up and checks it is the signed-in shopper's; the demo checks the shape only. */
  const unknownOrder = (context) =>
    context.orderId !== undefined && !ORDER_ID.test(context.orderId)
      ? { status: 404, error: 'unknown_order', reason: 'no order with that id (data-order-id)' }
      : undefined;

  return {
    'flinks-connect': async ({ lang, context }) => {
      const refused = unknownOrder(context);
      if (refused) return refused;
      // Flinks: /GenerateAuthorizeToken → {AuthorizeToken}. Here a GUID-like random token.
      const url = new URL('/fake/flinks/', config().fakeOrigin);
      url.searchParams.set('language', lang);
      url.searchParams.set('authorizeToken', randomUUID());
      return { src: url.href };
    },
    'flexiti-widget': async ({ context }) => {
      const refused = unknownOrder(context);
      if (refused) return refused;
      // Flexiti: widget/init → {redirection_url: https://{posapi}/…#/widget/{client_id}/{token}?x-reference-id=…}.
      const query = new URLSearchParams({ 'x-reference-id': randomUUID(), widget_session_id: randomUUID() });
      return { src: `${config().fakeOrigin}/fake/flexiti/index.html#/widget/demo-client/fx_${hex(24)}?${query}` };
    },
    'benji-connect': async ({ context }) => {
      const refused = unknownOrder(context);
      if (refused) return refused;
      // Benji: POST /auth/connect → {code: 'ok', data: {token}}. A shop answers {token} alone.
      return { token: `ct_${hex(24)}`, src: `${config().fakeOrigin}/fake/benji/index.html` };
    },
    'finapi-web-form': async ({ context }) => {
      const refused = unknownOrder(context);
      if (refused) return refused;
      // finAPI: POST /api/webForms/bankConnectionImport → {id, url, token}.
      return { token: `demo_wf_${hex(16)}` };
    },
  };
}
