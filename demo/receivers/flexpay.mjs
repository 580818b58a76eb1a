// The FlexPay receiver and status stream as a shop mounts them — this is the FlexPay part to copy:
//
//   POST /flexpay/callback   createFlexPayCallbackHandler through toNodeHandler: the callbackUri
//                            your server gives FlexPay's /verify-basket
//   GET  /flexpay/status     createStatusStream through toNodeHandler: what <flexpay-status src> watches
//
// Nothing else is mounted here: no order maker, no receipt signer, no stream dropper (those are the
// demo's stand-in for FlexPay, demo/playground/flexpay-playground.mjs, which refuses to start
// outside a developer's machine). Everything that differs between the demo and a shop comes in as
// an option, each commented with what a shop passes instead.
//
// Needs a build (`dist/server/`): it imports the package through its own exports, like a user would.

import { createFlexPayCallbackHandler, createStatusStream } from 'finframe/server';
import { nodeRoute } from './node-route.mjs';

/**
 * The receiver's and the stream's routes (demo/server.mjs's `Route` format), `${path}/callback`
 * and `${path}/status`.
 *
 * @param {object} options
 * @param {import('finframe/server').CallbackStore} options.store
 * @param {unknown} options.keys            FlexPay's public key(s) — in a shop, the PEM FlexPay gave you.
 * @param {string} [options.issuer]         the receipts' `iss`, if you check it
 * @param {string} [options.audience]       the receipts' `aud`, if you check it
 * @param {(request: Request, reference: string) => boolean | Promise<boolean>} options.authorize
 *        may this visitor watch this order? In a shop: the signed-in customer owns it.
 * @param {(callback: object) => Promise<{ status: string, statusLastUpdated?: string, id?: string } | undefined>} [options.confirm]
 *        in a shop: ask FlexPay's transaction endpoint what is true now; a status the receipt
 *        does not prove is stored only as this answers it.
 * @param {(reference: string) => string | undefined} [options.expectedApplicationId]
 *        in a shop: the application id /verify-basket returned for this order, saved with the order.
 * @param {number} [options.maxReceiptAgeSeconds]
 * @param {(record: import('finframe/server').StoredRecord) => unknown} [options.onUpdate]
 * @param {Partial<import('finframe/server').StatusStreamOptions>} [options.streamOptions]
 * @param {string} [options.path]           default `/flexpay`
 * @returns {{ routes: import('../server.mjs').Route[], stream: import('finframe/server').StatusStreamHandler, close: () => void }}
 *          close() ends every open stream (before the server and the store close).
 */
export function flexpayReceiverRoutes({
  store,
  keys,
  issuer,
  audience,
  authorize,
  confirm,
  expectedApplicationId,
  maxReceiptAgeSeconds,
  onUpdate,
  streamOptions = {},
  path = '/flexpay',
}) {
  const receiver = createFlexPayCallbackHandler({
    store,
    keys,
    issuer,
    audience,
    confirm,
    expectedApplicationId,
    ...(maxReceiptAgeSeconds !== undefined ? { maxReceiptAgeSeconds } : {}),
    onUpdate,
    // Never given a receipt; the key is `flexpay:<reference>`.
    onError: (error, context) => console.error(`finframe demo: FlexPay callback ${context.stage} failed${context.key ? ` for ${context.key}` : ''}: ${error?.message ?? error}`),
  });

  const stream = createStatusStream({
    store,
    authorize,
    retryMs: 2000,
    ...streamOptions,
    onError: (error, context) => console.error(`finframe demo: FlexPay status stream ${context.stage} failed${context.reference ? ` for ${context.reference}` : ''}: ${error?.message ?? error}`),
  });

  return {
    routes: [nodeRoute(`${path}/callback`, receiver), nodeRoute(`${path}/status`, stream)],
    stream,
    close: () => stream.close(),
  };
}
