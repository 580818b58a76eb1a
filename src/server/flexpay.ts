// Black Horse FlexPay / Deko payment-status callbacks (PROVIDERS.md §5, seed 002). FlexPay POSTs to
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
import { HttpError, type FetchHandler } from './http.js';
import { createCallbackHandler, type CallbackErrorContext, type Progress } from './pipeline.js';
import {
  FlexPayKeyUnavailableError,
  FlexPayReceiptError,
  createFlexPayReceiptVerifier,
  type FlexPayReceiptVerifierOptions,
} from './flexpay-receipt.js';
import type { CallbackStore, StoredRecord } from './store.js';

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
 * A verified callback as stored and handed to `onUpdate`: the body without its receipt, plus what
 * the verified receipt said that is worth keeping.
 */
export interface FlexPayCallback {
  readonly id: string;
  readonly status: FlexPayStatus;
  readonly statusLastUpdated: string;
  readonly reference: string;
  readonly productType?: string;
  /** The `kid` of the key that verified the receipt, when the receipt named one. */
  readonly receiptKid?: string;
  /** The receipt's `iat` (seconds). */
  readonly receiptIat: number;
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
  const parsed = FlexPayCallbackBodySchema.safeParse(body, { reportInput: true });
  if (!parsed.success) return { success: false, reason: describeIssue(parsed.error.issues[0]!, flexpayFormat) };
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
 *   or the stream could act on has changed, so no new version is written.
 */
export function compareFlexPayProgress(current: Pick<FlexPayCallback, 'status' | 'statusLastUpdated'>, next: Pick<FlexPayCallback, 'status' | 'statusLastUpdated'>): Progress {
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
   * Called once per real change — after it is stored, before FlexPay gets its 200 — with the new
   * record and the one before (if any). Awaited. If it throws, the error goes to `onError` and the
   * callback stays stored and acknowledged.
   */
  readonly onUpdate?: (record: StoredRecord<FlexPayCallback>, previous: StoredRecord<FlexPayCallback> | undefined) => unknown;
  /**
   * Told about failures that are not the request's fault: the key could not be obtained (503,
   * stage `verify`), the store failed (503), `onUpdate` threw, or a bug (500). Default:
   * `console.error`. Never given a receipt.
   */
  readonly onError?: (error: unknown, context: CallbackErrorContext) => void;
}

/**
 * Creates the receiver of FlexPay's payment-status callbacks: a `(request: Request) => Promise<Response>`
 * for any Fetch API server (Node through `toNodeHandler` from `finframe/server/node`). It refuses bad
 * input (405, 415, 413, 400, 422) and any callback whose receipt does not verify or is about
 * another purchase or reference (401 `invalid_receipt`), storing nothing; it stores each
 * reference's status (`flexpay:<reference>`, without the receipt) atomically before answering 200,
 * only ever forward, and calls `onUpdate` once per real change. It never throws.
 *
 * @throws {TypeError} at creation for a missing store or invalid keys/options.
 */
export function createFlexPayCallbackHandler(options: FlexPayCallbackHandlerOptions): FetchHandler {
  if (!options || typeof options !== 'object') throw new TypeError('createFlexPayCallbackHandler: options are required');
  const store = options.store;
  if (!store || typeof store.transact !== 'function') {
    throw new TypeError('createFlexPayCallbackHandler: options.store must be a CallbackStore (memoryStore(), sqliteStore(…))');
  }
  for (const hook of ['onUpdate', 'onError'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw new TypeError(`createFlexPayCallbackHandler: options.${hook} must be a function`);
    }
  }
  const verifyReceipt = createFlexPayReceiptVerifier(options, 'createFlexPayCallbackHandler: options');

  return createCallbackHandler<FlexPayCallback, FlexPayCallbackBody>({
    label: 'FlexPay callback',
    store,
    // FlexPay's callbacks carry no secret of the merchant's: the signed receipt in the body is the proof.
    async authorize() {},
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
      const { receipt: _receipt, ...rest } = body;
      const stored: FlexPayCallback = {
        ...rest,
        ...(receipt.kid !== undefined ? { receiptKid: receipt.kid } : {}),
        receiptIat: receipt.iat,
      };
      return stored;
    },
    key: flexPayCallbackKey,
    progress: compareFlexPayProgress,
    onUpdate: options.onUpdate,
    onError: options.onError,
  });
}
