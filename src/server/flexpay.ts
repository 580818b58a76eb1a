// Black Horse FlexPay / Deko payment-status callbacks (docs/providers/flexpay.md). FlexPay POSTs to
// the `callbackUri` the merchant gave `/verify-basket`:
//
//   {"id": "<FlexPay purchase>", "status": "PENDING" | "SUCCESSFUL" | "FAILED",
//    "statusLastUpdated": "<unix ms as a string>", "reference": "<the merchant's reference>",
//    "productType": "blackhorse-flexpay", "receipt": "<RS256 JWT>"}
//
// asynchronously, possibly late and possibly more than once. The receipt is verified (see
// flexpay-receipt.ts) and must be about this purchase (`id`) and this order (`reference`); the
// status is then stored per reference and only ever moves forward (see `compareFlexPayProgress`).
// The receipt itself is not stored: it never reaches a browser through the status stream.

import * as z from 'zod/mini';
import { describeIssue } from './issues.js';
import { HttpError, createReporter, ownsRequest } from './http.js';
import { CallbackNotStoredError, createCallbackHandler, type CallbackErrorContext, type CallbackReceiver, type Progress } from './pipeline.js';
import {
  FlexPayKeyUnavailableError,
  FlexPayReceiptError,
  createFlexPayReceiptVerifier,
  type FlexPayReceiptVerifierOptions,
} from './flexpay-receipt.js';
import type { DeliveryOptions, UpdateHook } from './outbox.js';
import type { CallbackStore } from './store.js';

/** Every status FlexPay documents. */
export const FLEXPAY_STATUSES = ['PENDING', 'SUCCESSFUL', 'FAILED'] as const;
/** The final ones: once one is stored, nothing changes the record any more. */
export const FLEXPAY_FINAL_STATUSES = ['SUCCESSFUL', 'FAILED'] as const;

/** A FlexPay status. */
export type FlexPayStatus = (typeof FLEXPAY_STATUSES)[number];

/** The merchant's reference: 1–128 characters, a letter or digit first, then letters, digits and `._~:@#+=/-`. */
export const FLEXPAY_REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~:@#+=/-]{0,127}$/;
/** FlexPay's purchase id (a UUID in the docs): 1–128 word-like characters. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** The longest receipt accepted (the documented one is about 1.6 KB). */
export const FLEXPAY_MAX_RECEIPT_LENGTH = 16 * 1024;

const isSafeMillis = (value: string) => Number.isSafeInteger(Number(value));

/** The callback body FlexPay sends. Unknown extra fields are dropped. */
export const FlexPayCallbackBodySchema = z.object({
  id: z.string().check(z.regex(ID_PATTERN)),
  status: z.enum(FLEXPAY_STATUSES),
  // A millisecond unix timestamp as a decimal string, as documented ("1642167702440").
  statusLastUpdated: z.string().check(z.regex(/^(0|[1-9][0-9]{0,15})$/), z.refine(isSafeMillis)),
  reference: z.string().check(z.regex(FLEXPAY_REFERENCE_PATTERN)),
  // Documented as present; tolerated when absent, since losing a status over it would be worse.
  productType: z.optional(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/))),
  // Compact JWS characters only; whether it is a well-formed JWS is the verifier's question (401).
  receipt: z.string().check(z.maxLength(FLEXPAY_MAX_RECEIPT_LENGTH), z.regex(/^[A-Za-z0-9_.-]+$/)),
});

/** A callback body as validated, receipt included (not yet verified). */
export type FlexPayCallbackBody = z.infer<typeof FlexPayCallbackBodySchema>;

/**
 * A proven callback as stored and handed to `onUpdate`: the body without its receipt, with the
 * status that was proven (by the receipt or by `confirm`), plus what the verified receipt said
 * that is worth keeping.
 */
export interface FlexPayCallback {
  /** FlexPay's application id. Once stored, the reference is bound to it: another id is refused. */
  readonly id: string;
  /** The proven status. */
  readonly status: FlexPayStatus;
  readonly statusLastUpdated: string;
  readonly reference: string;
  readonly productType?: string;
  /** The `kid` of the key that verified the receipt, when the receipt named one. */
  readonly receiptKid?: string;
  /** The receipt's `iat` (seconds). Only ever moves forward for a reference. */
  readonly receiptIat: number;
  /** What proved the status: the receipt's own claim, or your `confirm` hook (FlexPay's API). */
  readonly provenBy: 'receipt' | 'confirm';
}

/**
 * What `confirm` answers: what FlexPay's transaction endpoint says now about the callback's
 * application. `status` is what is stored.
 */
export interface FlexPayConfirmation {
  readonly status: FlexPayStatus;
  /** When FlexPay changed it (unix ms as a decimal string); default: the callback's `statusLastUpdated`. */
  readonly statusLastUpdated?: string;
  /** The application id FlexPay answered for, when it says; must equal the callback's `id`. */
  readonly id?: string;
}

/**
 * The application claim's `status` words whose meaning FlexPay documents, and the callback status
 * each proves. FlexPay's receipt documents one word, `success` (its sample and its checkout
 * guide: the receipt of a successful checkout); any other word proves nothing here — a
 * PENDING or FAILED is then stored only when `confirm` asks FlexPay.
 */
export const FLEXPAY_RECEIPT_STATUS_PROOF: Readonly<Record<string, FlexPayStatus>> = Object.freeze({ success: 'SUCCESSFUL' });

/**
 * Whether a verified receipt's application claim proves the callback's status: its `status` word
 * maps to the callback's status ({@link FLEXPAY_RECEIPT_STATUS_PROOF}), and its `last_updated`,
 * when present, equals the callback's `statusLastUpdated`.
 */
export function flexPayReceiptProves(application: Readonly<Record<string, unknown>>, callback: Pick<FlexPayCallbackBody, 'status' | 'statusLastUpdated'>): boolean {
  const word = application.status;
  if (typeof word !== 'string' || !Object.hasOwn(FLEXPAY_RECEIPT_STATUS_PROOF, word)) return false;
  if (FLEXPAY_RECEIPT_STATUS_PROOF[word] !== callback.status) return false;
  const lastUpdated = application.last_updated;
  if (lastUpdated === undefined) return true;
  if (typeof lastUpdated === 'number') return Number.isSafeInteger(lastUpdated) && String(lastUpdated) === callback.statusLastUpdated;
  return lastUpdated === callback.statusLastUpdated;
}

/** The result of {@link parseFlexPayCallback}. */
export type FlexPayCallbackParseResult = { success: true; data: FlexPayCallbackBody } | { success: false; reason: string };

/** A FlexPay field's format problem, in words. */
function flexpayFormat(path: string): string {
  if (path === 'statusLastUpdated') return 'statusLastUpdated must be a millisecond unix timestamp as a decimal string';
  if (path === 'reference') return 'reference must be 1 to 128 characters: letters, digits and ._~:@#+=/- (a letter or digit first)';
  if (path === 'receipt') return 'receipt must be a compact JWS';
  return `${path} has an invalid format`;
}

/**
 * Validates a FlexPay callback body (already JSON-parsed); does not verify the receipt. Never
 * throws; the reason names the first problem's field and never quotes the input.
 */
export function parseFlexPayCallback(body: unknown): FlexPayCallbackParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { success: false, reason: 'the body must be a JSON object' };
  // Without options first; `reportInput`, which the reason needs, only for a refused body: it made
  // every valid callback's parse several times slower (measured on Node 20).
  const parsed = FlexPayCallbackBodySchema.safeParse(body);
  if (!parsed.success) return { success: false, reason: describeIssue(FlexPayCallbackBodySchema.safeParse(body, { reportInput: true }).error!.issues[0]!, flexpayFormat) };
  return { success: true, data: parsed.data };
}

/** The store key of a callback: `flexpay:<reference>`. */
export function flexPayCallbackKey(callback: { readonly reference: string }): string {
  return `flexpay:${callback.reference}`;
}

/** Whether a status is final (SUCCESSFUL or FAILED). */
export function isFlexPayFinalStatus(status: unknown): boolean {
  return status === 'SUCCESSFUL' || status === 'FAILED';
}

const RANK: Readonly<Record<string, number>> = { PENDING: 0, SUCCESSFUL: 1, FAILED: 1 };
const rankOf = (status: unknown) => (typeof status === 'string' && Object.hasOwn(RANK, status) ? RANK[status]! : -1);
const millis = (value: unknown) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : -1);

/**
 * How `next` relates to the stored `current` of the same reference. The status decides:
 * PENDING < SUCCESSFUL, FAILED (final).
 * - a higher status is a change (PENDING → SUCCESSFUL or FAILED), whatever the timestamps say;
 * - a lower one is stale (PENDING after a final), and so is a different final after a final: the
 *   first final stored wins;
 * - the same status is a duplicate — or stale, when its `statusLastUpdated` is older than the
 *   stored one. A newer PENDING while PENDING is stored is a duplicate too: nothing the customer
 *   or the stream could act on has changed, so no new version is written;
 * - whatever the status, a callback whose receipt was issued before the stored one's (`receiptIat`)
 *   is stale: the stored receipt time only moves forward, so an old receipt kept by someone cannot
 *   be replayed over a newer one.
 */
export function compareFlexPayProgress(
  current: Pick<FlexPayCallback, 'status' | 'statusLastUpdated'> & { readonly receiptIat?: number },
  next: Pick<FlexPayCallback, 'status' | 'statusLastUpdated'> & { readonly receiptIat?: number },
): Progress {
  if (typeof current.receiptIat === 'number' && typeof next.receiptIat === 'number' && next.receiptIat < current.receiptIat) return 'stale';
  const a = rankOf(current.status);
  const b = rankOf(next.status);
  if (b > a) return 'changed';
  if (b < a || current.status !== next.status) return 'stale';
  return millis(next.statusLastUpdated) < millis(current.statusLastUpdated) ? 'stale' : 'duplicate';
}

/** Options of {@link createFlexPayCallbackHandler}. */
export interface FlexPayCallbackHandlerOptions extends FlexPayReceiptVerifierOptions {
  /** Where statuses are kept: `memoryStore()`, `sqliteStore()` from `finframe/server/sqlite`, or your own. */
  readonly store: CallbackStore;
  /**
   * Recommended: asks FlexPay's transaction endpoint (an authenticated request from your server)
   * what is true of the callback's application now; its answer is what is stored. Called for every
   * callback whose receipt verified, after the application check. Return `undefined` when FlexPay
   * does not know the application (answered 409 `not_confirmed`, nothing stored); throw when FlexPay
   * cannot be asked (answered 502, FlexPay retries). Without `confirm`, only a status that the
   * receipt itself proves is stored (see {@link flexPayReceiptProves}) — today SUCCESSFUL — and any
   * other is acknowledged 202 without being stored.
   */
  readonly confirm?: (callback: FlexPayUnconfirmedCallback) => FlexPayConfirmation | undefined | Promise<FlexPayConfirmation | undefined>;
  /**
   * Recommended: the FlexPay application id your server got from `/verify-basket` for `reference`,
   * or `undefined` when you do not know it. A callback about another application is refused 409
   * `application_mismatch` and stores nothing. Without it, the first proven callback binds the
   * reference to its application id, and callbacks about any other id are refused from then on.
   * If it throws, the callback is answered 503 (FlexPay retries) and the error goes to `onError`.
   */
  readonly expectedApplicationId?: (reference: string) => string | undefined | Promise<string | undefined>;
  /**
   * Called for each real change, at least once: the change and its delivery are committed
   * together (the store's outbox), the first attempt runs after the commit and before FlexPay
   * gets its 200 (awaited), and a failed attempt — a throw, a rejection, the process dying — is
   * retried with backoff (`delivery`), also after a restart, until it succeeds or becomes a dead
   * letter (`receiver.deliveries.deadLetters()`, `.replay(id)`). Arguments: the record as the change
   * wrote it, the one before (if any), and `{deliveryId, attempt}` — `deliveryId` stays the same
   * across retries: make the hook's effect idempotent with it. A failure never changes the answer
   * to FlexPay. With a store that has no outbox, it runs once, at most.
   */
  readonly onUpdate?: UpdateHook<FlexPayCallback>;
  /** Retries, backoff, lease and channel of `onUpdate` deliveries (see {@link DeliveryOptions}; defaults in `DELIVERY_DEFAULTS`). */
  readonly delivery?: DeliveryOptions;
  /**
   * Told about what is not the request's fault: the key could not be obtained (503, stage
   * `verify`), `expectedApplicationId` threw (503, stage `verify`), `confirm` threw or answered
   * nonsense (502, stage `confirm`), a genuine callback whose status nothing proved (202, stage
   * `proof`), the store failed (503), `onUpdate` threw, or a bug (500). Default: `console.error`.
   * Never given a receipt.
   */
  readonly onError?: (error: unknown, context: CallbackErrorContext) => void;
}

/** What `confirm` is asked about: the callback as received (its status not yet proven), without the receipt. */
export type FlexPayUnconfirmedCallback = Omit<FlexPayCallback, 'provenBy'>;

const FlexPayConfirmationSchema = z.object({
  status: z.enum(FLEXPAY_STATUSES),
  statusLastUpdated: z.optional(FlexPayCallbackBodySchema.shape.statusLastUpdated),
  id: z.optional(FlexPayCallbackBodySchema.shape.id),
});

const mismatch = () =>
  new HttpError(409, 'application_mismatch', 'this order is bound to another FlexPay application; the callback was not stored');

/**
 * Creates the receiver of FlexPay's payment-status callbacks: a `(request: Request) => Promise<Response>`
 * for any Fetch API server (Node through `toNodeHandler` from `finframe/server/node`).
 *
 * A status is stored only when it is **proven**: by `confirm` (FlexPay's transaction endpoint, what
 * FlexPay recommends), or by the receipt itself — its application claim's status word maps to the
 * callback's status and its `last_updated` matches. The body's `status` alone proves nothing: a
 * shopper holds a genuine receipt of their own order and could re-post it with another status.
 *
 * Answers: 405, 415, 413, 400, 422 for bad input; 401 `invalid_receipt` when the receipt does not
 * verify, is about another purchase or order, or is older than `maxReceiptAgeSeconds`; 409
 * `application_mismatch` when the order is bound to another application (`expectedApplicationId`,
 * or the one stored); 202 `{stored: false, unproven: true}` for a genuine callback whose status
 * nothing proved (nothing stored, nothing locked); 409/502 from `confirm`; else 200 after the
 * proven status is stored (`flexpay:<reference>`, without the receipt) — only ever forward, with
 * `onUpdate` at least once per real change (`receiver.deliveries`, `receiver.close()`). It never throws.
 *
 * @throws {TypeError} at creation for a missing store or invalid keys/options.
 */
export function createFlexPayCallbackHandler(options: FlexPayCallbackHandlerOptions): CallbackReceiver<FlexPayCallback> {
  if (!options || typeof options !== 'object') throw new TypeError('createFlexPayCallbackHandler: options are required');
  const store = options.store;
  if (!store || typeof store.transact !== 'function') {
    throw new TypeError('createFlexPayCallbackHandler: options.store must be a CallbackStore (memoryStore(), sqliteStore(…))');
  }
  for (const hook of ['onUpdate', 'onError', 'confirm', 'expectedApplicationId'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw new TypeError(`createFlexPayCallbackHandler: options.${hook} must be a function`);
    }
  }
  const { confirm, expectedApplicationId } = options;
  const verifyReceipt = createFlexPayReceiptVerifier(options, 'createFlexPayCallbackHandler: options');
  const report = createReporter<CallbackErrorContext>('FlexPay callback', options.onError, (context) => context.key);

  /** FlexPay's answer through `confirm`, checked: the confirmed callback, or an HttpError. */
  const confirmed = async (callback: FlexPayUnconfirmedCallback, key: string): Promise<FlexPayCallback> => {
    let answer: unknown;
    try {
      answer = await confirm!(callback);
    } catch (error) {
      report(error, { stage: 'confirm', key });
      throw new HttpError(502, 'confirm_failed', 'the callback could not be confirmed with FlexPay; retry later');
    }
    if (answer === undefined) throw new HttpError(409, 'not_confirmed', 'FlexPay does not confirm this callback');
    const parsed = FlexPayConfirmationSchema.safeParse(answer);
    if (!parsed.success) {
      report(new TypeError('confirm must answer {status, statusLastUpdated?, id?} with a FlexPay status'), { stage: 'confirm', key });
      throw new HttpError(502, 'confirm_failed', 'the confirmation is not a valid FlexPay status');
    }
    if (parsed.data.id !== undefined && parsed.data.id !== callback.id) throw mismatch();
    return {
      ...callback,
      status: parsed.data.status,
      statusLastUpdated: parsed.data.statusLastUpdated ?? callback.statusLastUpdated,
      provenBy: 'confirm',
    };
  };

  // The request goes nowhere but finframe's own steps: toNodeHandler may pass a lighter one.
  return ownsRequest(createCallbackHandler<FlexPayCallback, FlexPayCallbackBody>({
    label: 'FlexPay callback',
    store,
    // FlexPay's callbacks carry no secret of the merchant's: the signed receipt in the body is the proof.
    authorize() {},
    validate(body) {
      const result = parseFlexPayCallback(body);
      if (!result.success) throw new HttpError(422, 'invalid_callback', result.reason);
      return result.data;
    },
    async verify(body) {
      let receipt;
      try {
        receipt = await verifyReceipt(body.receipt, { id: body.id, reference: body.reference });
      } catch (error) {
        if (error instanceof FlexPayReceiptError) throw new HttpError(401, 'invalid_receipt', error.message);
        if (error instanceof FlexPayKeyUnavailableError) throw error; // → 503, reported
        throw new HttpError(401, 'invalid_receipt', 'the receipt could not be verified');
      }
      const key = flexPayCallbackKey(body);
      if (expectedApplicationId) {
        // Thrown errors are reported (stage verify) and answered 503 by the pipeline.
        const expected = await expectedApplicationId(body.reference);
        if (expected !== undefined && typeof expected !== 'string') throw new TypeError('expectedApplicationId must return a string or undefined');
        if (expected !== undefined && expected !== body.id) throw mismatch();
      }
      const { receipt: _receipt, ...rest } = body;
      const callback: FlexPayUnconfirmedCallback = {
        ...rest,
        ...(receipt.kid !== undefined ? { receiptKid: receipt.kid } : {}),
        receiptIat: receipt.iat,
      };
      if (confirm) return confirmed(callback, key);
      if (flexPayReceiptProves(receipt.application, body)) return { ...callback, provenBy: 'receipt' };
      throw new CallbackNotStoredError(
        key,
        `the receipt does not prove ${body.status} and no confirm hook is configured: nothing was stored (configure confirm to record every status)`,
      );
    },
    key: flexPayCallbackKey,
    progress(current, next) {
      // One order, one FlexPay application: a callback about another one changes nothing.
      if (current.id !== next.id) throw mismatch();
      return compareFlexPayProgress(current, next);
    },
    onUpdate: options.onUpdate,
    delivery: options.delivery,
    channel: 'flexpay',
    onError: options.onError,
  }));
}
