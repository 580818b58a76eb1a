/**
 * `finframe/server`: receivers for providers' server-to-server callbacks (finAPI; FlexPay, with its
 * signed receipt) and the status stream a page watches (`createStatusStream`), as Fetch API handlers
 * `(request: Request) => Promise<Response>`. Runs wherever the Fetch API does — Node ≥ 20, Deno,
 * Bun, edge workers. No DOM, no Node built-ins, no native modules: the SQLite store lives in
 * `finframe/server/sqlite`, the PostgreSQL store in `finframe/server/postgres`, and the Node
 * `http` / Express adapter in `finframe/server/node`.
 *
 * @module
 */

export {
  createFinapiCallbackHandler,
  parseFinapiCallback,
  finapiCallbackKey,
  compareFinapiProgress,
  FinapiWebFormCallbackSchema,
  FinapiTaskCallbackSchema,
  FinapiTaskWebFormSchema,
  FINAPI_WEB_FORM_STATUSES,
  FINAPI_TASK_STATUSES,
  FINAPI_WEB_FORM_FINAL_STATUSES,
  FINAPI_TASK_FINAL_STATUSES,
} from './finapi.js';
export type {
  FinapiCallbackHandlerOptions,
  FinapiCallback,
  FinapiWebFormCallback,
  FinapiTaskCallback,
  FinapiWebFormStatus,
  FinapiTaskStatus,
  FinapiCallbackParseResult,
} from './finapi.js';
export {
  createFlexPayCallbackHandler,
  parseFlexPayCallback,
  flexPayCallbackKey,
  compareFlexPayProgress,
  isFlexPayFinalStatus,
  flexPayReceiptProves,
  FLEXPAY_RECEIPT_STATUS_PROOF,
  FlexPayCallbackBodySchema,
  FLEXPAY_STATUSES,
  FLEXPAY_FINAL_STATUSES,
  FLEXPAY_REFERENCE_PATTERN,
  FLEXPAY_MAX_RECEIPT_LENGTH,
} from './flexpay.js';
export type {
  FlexPayCallbackHandlerOptions,
  FlexPayCallback,
  FlexPayUnconfirmedCallback,
  FlexPayConfirmation,
  FlexPayCallbackBody,
  FlexPayStatus,
  FlexPayCallbackParseResult,
} from './flexpay.js';
export {
  createFlexPayReceiptVerifier,
  FlexPayReceiptError,
  FlexPayKeyUnavailableError,
  FLEXPAY_RECEIPT_ALGORITHMS,
  FLEXPAY_DEFAULT_CLOCK_TOLERANCE,
  FLEXPAY_DEFAULT_MAX_RECEIPT_AGE,
} from './flexpay-receipt.js';
export type {
  FlexPayReceiptVerifierOptions,
  FlexPayReceiptKeys,
  FlexPayPublicKey,
  FlexPayReceipt,
  FlexPayReceiptExpectation,
  FlexPayReceiptVerifier,
} from './flexpay-receipt.js';
export { createStatusStream, flexPayStatusView, clientAddressKey, STATUS_STREAM_DEFAULTS } from './status-stream.js';
export type { StatusStreamOptions, StatusStreamHandler, StatusStreamErrorContext, FlexPayStatusView } from './status-stream.js';
export { memoryStore, StoreClosedError } from './store.js';
export type {
  CallbackStore,
  StoredRecord,
  TransactResult,
  TransactOptions,
  EnqueueOptions,
  ListOptions,
  StoreListener,
  CallbackOutbox,
  Delivery,
  DeliveryState,
  DeliveryOutcome,
  ClaimOptions,
  DeliveryListOptions,
} from './store.js';
export { DELIVERY_DEFAULTS, retryDelayMs } from './outbox.js';
export type { DeliveryOptions, DeliveryControl, DeliveryInfo, DeliveryErrorContext, UpdateHook } from './outbox.js';
export { MAX_CALLBACK_BODY_BYTES, jsonResponse, errorResponse } from './http.js';
export type { FetchHandler, ConnectionInfo, ErrorBody } from './http.js';
export { MIN_SECRET_LENGTH } from './secret.js';
export { CallbackNotStoredError } from './pipeline.js';
export type { Progress, CallbackAck, CallbackNotStored, CallbackErrorContext, CallbackReceiver } from './pipeline.js';
export { verifyShopifyAppProxy, SHOPIFY_APP_PROXY_MAX_AGE_SECONDS, SHOPIFY_APP_PROXY_CLOCK_SKEW_SECONDS } from './shopify.js';
export type {
  ShopifyAppProxyOptions,
  ShopifyAppProxyResult,
  ShopifyAppProxyVerified,
  ShopifyAppProxyRefused,
  ShopifyAppProxyRefusal,
} from './shopify.js';
