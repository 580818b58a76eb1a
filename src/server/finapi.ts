// finAPI Web Form 2.0 callbacks (docs/providers/finapi.md). finAPI POSTs one of two bodies to
// the URL registered as `callbacks.finalised` / `callbacks.webFormRequired`, without a signature,
// and ignores the answer:
//
//   web form (PIS, "Import a bank connection"): {"webFormId": "…", "status": "COMPLETED"}
//   task ("Update a bank connection"):          {"taskId": "…", "status": "…",
//                                                "webForm": {"id": "…", "url": "https://…", "status": "…"}}
//
// Callbacks only notify: they may repeat, arrive late or out of order. The receiver stores each
// web form's and task's furthest state and lets nothing move it backwards (see `compareFinapiProgress`).

import * as z from 'zod/mini';
import { describeIssue } from './issues.js';
import { HttpError, isObject, ownsRequest } from './http.js';
import { createCallbackHandler, type CallbackErrorContext, type CallbackReceiver, type Progress } from './pipeline.js';
import { assertUrlSafeSecret, createSecretCheck, secretFromUrl } from './secret.js';
import type { DeliveryOptions, UpdateHook } from './outbox.js';
import type { CallbackStore } from './store.js';

/** Every web form status finAPI documents. */
export const FINAPI_WEB_FORM_STATUSES = ['NOT_YET_OPENED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERROR', 'EXPIRED', 'ABORTED'] as const;
/** Every task status finAPI documents. */
export const FINAPI_TASK_STATUSES = ['NOT_YET_STARTED', 'IN_PROGRESS', 'WEB_FORM_REQUIRED', 'COMPLETED', 'COMPLETED_WITH_ERROR'] as const;
/** The web form statuses finAPI calls final. */
export const FINAPI_WEB_FORM_FINAL_STATUSES = ['COMPLETED', 'COMPLETED_WITH_ERROR', 'EXPIRED', 'ABORTED'] as const;
/**
 * The task statuses finAPI calls final. `WEB_FORM_REQUIRED` is among them, yet the same task is
 * reported again (`COMPLETED…`) once its web form is finished — see {@link compareFinapiProgress}.
 */
export const FINAPI_TASK_FINAL_STATUSES = ['COMPLETED', 'COMPLETED_WITH_ERROR', 'WEB_FORM_REQUIRED'] as const;

/** A web form status. */
export type FinapiWebFormStatus = (typeof FINAPI_WEB_FORM_STATUSES)[number];
/** A task status. */
export type FinapiTaskStatus = (typeof FINAPI_TASK_STATUSES)[number];

// finAPI's ids are UUIDs or hex strings; anything word-like up to 128 characters is accepted.
const id = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/));
const webFormStatus = z.enum(FINAPI_WEB_FORM_STATUSES);

/** `{webFormId, status}`: a web form's `callbacks.finalised`. Unknown extra fields are dropped. */
export const FinapiWebFormCallbackSchema = z.object({
  webFormId: id,
  status: webFormStatus,
});

/** The `webForm` object inside a task callback. `url` is where to send the user (optional here). */
export const FinapiTaskWebFormSchema = z.object({
  id,
  url: z.optional(z.url({ protocol: /^https?$/ }).check(z.maxLength(2048))),
  status: webFormStatus,
});

/**
 * `{taskId, status, webForm?}`: a bank-connection update task's `callbacks.finalised` or
 * `callbacks.webFormRequired`. A `webForm` of `null` is read as absent. Unknown extra fields are dropped.
 */
export const FinapiTaskCallbackSchema = z.object({
  taskId: id,
  status: z.enum(FINAPI_TASK_STATUSES),
  webForm: z.optional(z.nullable(FinapiTaskWebFormSchema)),
});

/** A web form callback as stored and handed to the hooks. */
export type FinapiWebFormCallback = z.infer<typeof FinapiWebFormCallbackSchema>;
/** A task callback as stored and handed to the hooks (`webForm` absent rather than null). */
export type FinapiTaskCallback = Omit<z.infer<typeof FinapiTaskCallbackSchema>, 'webForm'> & {
  webForm?: z.infer<typeof FinapiTaskWebFormSchema>;
};
/** Either finAPI callback body. */
export type FinapiCallback = FinapiWebFormCallback | FinapiTaskCallback;

/** The result of {@link parseFinapiCallback}. */
export type FinapiCallbackParseResult = { success: true; data: FinapiCallback } | { success: false; reason: string };

/** A finAPI field's format problem, in words. */
const finapiFormat = (path: string) =>
  path.endsWith('url') ? `${path} must be an http(s) URL` : `${path} has an invalid format (letters, digits, '.', '_', '-'; at most 128)`;

/**
 * Validates a finAPI callback body (already JSON-parsed). A body with `taskId` is a task callback,
 * one with `webFormId` a web form callback; both or neither is refused. Never throws. The reason
 * names the path of the first problem and never quotes the input.
 */
export function parseFinapiCallback(body: unknown): FinapiCallbackParseResult {
  if (!isObject(body)) return { success: false, reason: 'the body must be a JSON object' };
  const hasTask = Object.hasOwn(body, 'taskId');
  const hasWebForm = Object.hasOwn(body, 'webFormId');
  if (hasTask && hasWebForm) return { success: false, reason: 'the body has both webFormId and taskId' };
  if (!hasTask && !hasWebForm) return { success: false, reason: 'webFormId or taskId is missing' };
  const schema = hasTask ? FinapiTaskCallbackSchema : FinapiWebFormCallbackSchema;
  // Without options first: with `reportInput` (which the reason needs) zod took 3–5 µs per valid
  // callback instead of 0.2–1.3 µs (measured on Node 20). Only a refused body is parsed twice.
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { success: false, reason: describeIssue(schema.safeParse(body, { reportInput: true }).error!.issues[0]!, finapiFormat) };
  const data = { ...parsed.data } as Record<string, unknown>;
  if (data.webForm === null || data.webForm === undefined) delete data.webForm;
  return { success: true, data: data as FinapiCallback };
}

/** The store key of a callback: `webForm:<webFormId>` or `task:<taskId>`. */
export function finapiCallbackKey(callback: FinapiCallback): string {
  return 'taskId' in callback ? `task:${callback.taskId}` : `webForm:${callback.webFormId}`;
}

// The progress rule. A callback only ever carries these statuses, so what is stored is moved only
// forward along them:
//
//   web form  NOT_YET_OPENED 0 < IN_PROGRESS 1 < any final 2 (COMPLETED, COMPLETED_WITH_ERROR,
//             EXPIRED, ABORTED)
//   task      the pair (task rank, web form rank), compared lexicographically, with task ranks
//             NOT_YET_STARTED 0 < IN_PROGRESS 1 < WEB_FORM_REQUIRED 2 < COMPLETED and
//             COMPLETED_WITH_ERROR 3, and the web form rank as above (-1 when there is no webForm).
//
// finAPI calls a task's WEB_FORM_REQUIRED final, yet the task completes once its web form is
// finished, and the "finalised" callback may then still say WEB_FORM_REQUIRED with the web form
// now COMPLETED (or EXPIRED…). Comparing the pair lets {WEB_FORM_REQUIRED, NOT_YET_OPENED} be
// followed by {WEB_FORM_REQUIRED, COMPLETED} and by {COMPLETED, COMPLETED}, and never the reverse.
//
// Strictly greater is a change; equal with the same statuses is a duplicate; lower is stale. Equal
// rank with different statuses can only be two different finals (COMPLETED vs ABORTED…): the
// first one stored wins and the later one is reported as stale.

const WEB_FORM_RANK: Readonly<Record<string, number>> = {
  NOT_YET_OPENED: 0,
  IN_PROGRESS: 1,
  COMPLETED: 2,
  COMPLETED_WITH_ERROR: 2,
  EXPIRED: 2,
  ABORTED: 2,
};
const TASK_RANK: Readonly<Record<string, number>> = {
  NOT_YET_STARTED: 0,
  IN_PROGRESS: 1,
  WEB_FORM_REQUIRED: 2,
  COMPLETED: 3,
  COMPLETED_WITH_ERROR: 3,
};

const rankOf = (table: Readonly<Record<string, number>>, status: unknown): number =>
  typeof status === 'string' && Object.hasOwn(table, status) ? table[status]! : -1;

/** [rank…, statuses…] of stored or incoming data; tolerant of odd stored data (ranks -1). */
function position(callback: FinapiCallback): { ranks: number[]; statuses: unknown[] } {
  if ('taskId' in callback) {
    const webForm = isObject(callback.webForm) ? callback.webForm.status : undefined;
    return { ranks: [rankOf(TASK_RANK, callback.status), rankOf(WEB_FORM_RANK, webForm)], statuses: [callback.status, webForm] };
  }
  return { ranks: [rankOf(WEB_FORM_RANK, callback.status)], statuses: [callback.status] };
}

/**
 * How `next` relates to the stored `current` of the same web form or task: `changed` (strictly
 * further), `duplicate` (the same statuses) or `stale` (behind, or a different final state than the
 * one stored first). See the progress rule in this module's comments.
 */
export function compareFinapiProgress(current: FinapiCallback, next: FinapiCallback): Progress {
  const a = position(current);
  const b = position(next);
  for (let i = 0; i < Math.max(a.ranks.length, b.ranks.length); i++) {
    const x = a.ranks[i] ?? -1;
    const y = b.ranks[i] ?? -1;
    if (y > x) return 'changed';
    if (y < x) return 'stale';
  }
  return a.statuses.every((status, i) => status === b.statuses[i]) ? 'duplicate' : 'stale';
}

/** Options of {@link createFinapiCallbackHandler}. */
export interface FinapiCallbackHandlerOptions {
  /**
   * The secret in the callback URL you register with finAPI (`https://shop.example/callbacks/finapi?secret=…`):
   * at least 16 characters, only `A–Z a–z 0–9 - . _ ~` (finAPI calls the URL as registered, and a
   * plain-base64 `+` would arrive as a space); use a random value, e.g.
   * `randomBytes(32).toString('base64url')`. finAPI does not sign callbacks: this is what tells
   * finAPI's requests from anyone else's. Compared in constant time; never logged or echoed.
   */
  readonly secret: string;
  /** The query parameter holding the secret (default `secret`). */
  readonly secretParam?: string;
  /** Where records are kept: {@link memoryStore}, `sqliteStore` from `finframe/server/sqlite`, or your own. */
  readonly store: CallbackStore;
  /**
   * Called for each real change, at least once: the change and its delivery are committed
   * together (the store's outbox), the first attempt runs after the commit and before finAPI
   * gets its 200 (awaited), and a failed attempt — a throw, a rejection, the process dying — is
   * retried with backoff (`delivery`), also after a restart, until it succeeds or becomes a dead
   * letter (`receiver.deliveries.deadLetters()`, `.replay(id)`). Arguments: the record as the change
   * wrote it, the one before (if any), and `{deliveryId, attempt}` — `deliveryId` stays the same
   * across retries: make the hook's effect idempotent with it. A failure never changes the answer
   * to finAPI. With a store that has no outbox, it runs once, at most.
   */
  readonly onUpdate?: UpdateHook<FinapiCallback>;
  /** Retries, backoff, lease and channel of `onUpdate` deliveries (see {@link DeliveryOptions}; defaults in `DELIVERY_DEFAULTS`). */
  readonly delivery?: DeliveryOptions;
  /**
   * Optional: asks finAPI what is true now before anything is stored — e.g. "Get a web form" /
   * "Get a task" with your client credentials — and returns it as a callback body of the same web
   * form or task (validated again; that is what gets stored), or `undefined` if finAPI does not know
   * it (409, nothing stored). If it throws, the answer is 502 and nothing is stored, so finAPI may retry.
   */
  readonly confirm?: (callback: FinapiCallback) => Promise<FinapiCallback | undefined>;
  /**
   * Told about failures that are not the request's fault: a failing store (503), confirm hook
   * (502) or onUpdate hook, or a bug (500). Default: `console.error`. Never given the secret.
   */
  readonly onError?: (error: unknown, context: CallbackErrorContext) => void;
}

/**
 * Creates the receiver of finAPI Web Form 2.0 callbacks: a `(request: Request) => Promise<Response>`
 * for any Fetch API server (Node ≥ 20 through `toNodeHandler` from `finframe/server/node`, Deno, Bun,
 * workers). It accepts both documented bodies, refuses requests without the secret (401) and bad
 * input (405, 415, 413, 400, 422; nothing stored), stores each web form's and task's furthest state
 * atomically before answering 200, and delivers each real change to `onUpdate` at least once
 * (through the store's outbox; `receiver.deliveries`, `receiver.close()`). It never throws.
 *
 * @throws {TypeError} at creation if `secret` is shorter than 16 characters or has characters outside
 *   `A–Z a–z 0–9 - . _ ~`, or if `store` is missing.
 */
export function createFinapiCallbackHandler(options: FinapiCallbackHandlerOptions): CallbackReceiver<FinapiCallback> {
  if (!options || typeof options !== 'object') throw new TypeError('createFinapiCallbackHandler: options are required');
  const check = createSecretCheck(options.secret, 'createFinapiCallbackHandler: options.secret');
  assertUrlSafeSecret(options.secret, 'createFinapiCallbackHandler: options.secret');
  const secretParam = options.secretParam ?? 'secret';
  if (typeof secretParam !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(secretParam)) {
    throw new TypeError('createFinapiCallbackHandler: options.secretParam must be a query parameter name');
  }
  const store = options.store;
  if (!store || typeof store.transact !== 'function') {
    throw new TypeError('createFinapiCallbackHandler: options.store must be a CallbackStore (memoryStore(), sqliteStore(…))');
  }
  for (const hook of ['onUpdate', 'confirm', 'onError'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw new TypeError(`createFinapiCallbackHandler: options.${hook} must be a function`);
    }
  }

  // The request goes nowhere but finframe's own steps: toNodeHandler may pass a lighter one.
  return ownsRequest(createCallbackHandler<FinapiCallback>({
    label: 'finAPI callback',
    store,
    authorize(request) {
      const candidate = secretFromUrl(request, secretParam);
      if (candidate === undefined) throw new HttpError(401, 'unauthorized', `the callback URL's ${secretParam} parameter is missing`);
      const wrong = () => new HttpError(401, 'unauthorized', `the callback URL's ${secretParam} parameter is wrong`);
      const matches = check(candidate);
      if (matches === true) return;
      if (matches === false) throw wrong();
      return matches.then((ok) => {
        if (!ok) throw wrong();
      });
    },
    validate(body) {
      const result = parseFinapiCallback(body);
      if (!result.success) throw new HttpError(422, 'invalid_callback', result.reason);
      return result.data;
    },
    confirm: options.confirm,
    key: finapiCallbackKey,
    progress: compareFinapiProgress,
    onUpdate: options.onUpdate,
    delivery: options.delivery,
    channel: 'finapi',
    onError: options.onError,
  }));
}
