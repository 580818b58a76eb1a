/**
 * `finframe/server`: receivers for providers' server-to-server callbacks, as Fetch API handlers
 * `(request: Request) => Promise<Response>`. Runs wherever the Fetch API does — Node ≥ 20, Deno,
 * Bun, edge workers. No DOM, no Node built-ins, no native modules: the SQLite store lives in
 * `finframe/server/sqlite` and the Node `http` / Express adapter in `finframe/server/node`.
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
export { memoryStore } from './store.js';
export type { CallbackStore, StoredRecord, TransactResult, ListOptions } from './store.js';
export { MAX_CALLBACK_BODY_BYTES, jsonResponse, errorResponse } from './http.js';
export type { FetchHandler, ErrorBody } from './http.js';
export { MIN_SECRET_LENGTH } from './secret.js';
export type { Progress, CallbackAck, CallbackErrorContext } from './pipeline.js';
