// The finAPI callback receiver as a shop mounts it — this is the finAPI part to copy:
//
//   POST /callbacks/finapi?secret=…   createFinapiCallbackHandler through toNodeHandler
//
// Nothing else is mounted here: no state dump, no sample sender (those are the demo's playground,
// demo/playground/finapi-playground.mjs, which refuses to start outside a developer's machine).
//
// In a shop:
//
//   const finapi = createFinapiCallbackHandler({ secret: process.env.FINAPI_CALLBACK_SECRET, store, onUpdate });
//   app.post('/callbacks/finapi', toNodeHandler(finapi));   // before express.json() or any body parser
//
// and register `https://shop.example/callbacks/finapi?secret=…` as finAPI's callback URL. The
// secret is URL-safe (base64url: `randomBytes(32).toString('base64url')`) and checked before the
// body is read — as long as no body parser in front has read it already.
//
// Needs a build (`dist/server/`): it imports the package through its own exports, like a user would.

import { createFinapiCallbackHandler } from 'finframe/server';
import { nodeRoute } from './node-route.mjs';

/** Where the demo mounts the receiver. */
export const FINAPI_RECEIVER_PATH = '/callbacks/finapi';

/**
 * The receiver's one route (demo/server.mjs's `Route` format).
 *
 * @param {{ store: import('finframe/server').CallbackStore, secret: string,
 *           onUpdate?: import('finframe/server').FinapiCallbackHandlerOptions['onUpdate'],
 *           confirm?: import('finframe/server').FinapiCallbackHandlerOptions['confirm'],
 *           path?: string }} options
 *        `secret` is required (at least 16 URL-safe characters); `path` defaults to `/callbacks/finapi`.
 * @returns {import('../server.mjs').Route[]}
 */
export function finapiReceiverRoutes({ store, secret, onUpdate, confirm, path = FINAPI_RECEIVER_PATH }) {
  const handler = createFinapiCallbackHandler({
    secret,
    store,
    onUpdate,
    // In a shop: ask finAPI ("Get a web form" / "Get a task") and return what it says now.
    confirm,
    // Never given the secret; the key is a web form or task id.
    onError: (error, context) => console.error(`finframe demo: finAPI callback ${context.stage} failed${context.key ? ` for ${context.key}` : ''}: ${error?.message ?? error}`),
  });
  return [nodeRoute(path, handler)];
}
