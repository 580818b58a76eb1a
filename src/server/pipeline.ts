// The steps every callback receiver takes, whatever the provider: method, authentication, body,
// validation, optional verification of what the body carries (a signed receipt), optional
// confirmation with the provider, one atomic store transaction, the merchant's hook, and a JSON
// answer. A provider module supplies the provider-specific parts (how to authenticate, the schema,
// how to verify, the key, the progress rule) and gets a Fetch API handler that never throws.

import { HttpError, MAX_CALLBACK_BODY_BYTES, createReporter, errorResponse, jsonResponse, readJsonBody, requireMethod, respondJson } from './http.js';
import { createDispatcher, type DeliveryControl, type DeliveryOptions, type UpdateHook } from './outbox.js';
import type { CallbackStore } from './store.js';

/**
 * How an incoming callback relates to what is stored:
 * - `changed`: it moves the record forward, so it is written as the next version;
 * - `duplicate`: it says what is stored already (a retry or a repeat): acknowledged, no effect;
 * - `stale`: it is behind what is stored (arrived late), or contradicts a final state that came
 *   first: acknowledged, ignored.
 */
export type Progress = 'changed' | 'duplicate' | 'stale';

/**
 * Thrown by a definition's `verify` for a callback that is genuine but proves nothing worth storing
 * (FlexPay: a status its receipt does not prove, with no `confirm` hook). Answered 202 with
 * {@link CallbackNotStored}; nothing is stored, nothing is locked, `onUpdate` does not run.
 */
export class CallbackNotStoredError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'CallbackNotStoredError';
  }
}

/** The 202 answer's body: acknowledged, not stored (see {@link CallbackNotStoredError}). */
export interface CallbackNotStored {
  readonly ok: true;
  readonly key: string;
  readonly stored: false;
  readonly unproven: true;
  readonly reason: string;
}

/** Where something went wrong outside the request's own fault, as told to `onError`. */
export interface CallbackErrorContext {
  /** `verify`: what verification needs was unavailable (e.g. a key set could not be fetched);
   *  `confirm`: the confirm hook threw or returned something invalid; `proof`: a genuine callback
   *  proved nothing and was not stored (answered 202); `store`: the store failed;
   *  `onUpdate`: the merchant's hook threw (the callback stays stored and acknowledged; the
   *  delivery is retried, or became a dead letter when `deadLetter` is true); `delivery`: the
   *  dispatcher could not reach the store's outbox (reported once until it can again);
   *  `internal`: a bug. */
  readonly stage: 'verify' | 'confirm' | 'proof' | 'store' | 'onUpdate' | 'delivery' | 'internal';
  /** The record key, once known. */
  readonly key?: string;
  /** `onUpdate`: the delivery's id (with an outbox). */
  readonly deliveryId?: string;
  /** `onUpdate`: which attempt failed (1, 2, …). */
  readonly attempt?: number;
  /** `onUpdate`: that was the last attempt; the delivery is a dead letter now. */
  readonly deadLetter?: boolean;
}

/**
 * What the receivers return: a Fetch API handler, plus the handle on its `onUpdate` deliveries
 * and a `close()` that stops their dispatcher (call it on shutdown, before closing the store).
 */
export interface CallbackReceiver<T> {
  (request: Request): Promise<Response>;
  /** The outbox of this receiver's `onUpdate`: pending deliveries, dead letters, replay. */
  readonly deliveries: DeliveryControl<T>;
  /** Stops the delivery dispatcher and waits for running hooks. The handler still answers. */
  close(): Promise<void>;
}

/** The 200 answer's body. No provider data is echoed. */
export interface CallbackAck {
  readonly ok: true;
  readonly key: string;
  /** A new version was written (and its `onUpdate` delivery was enqueued and attempted). */
  readonly changed: boolean;
  /** Nothing new: the stored record already said this. */
  readonly duplicate: boolean;
  /** Older than, or contradicting a final state in, the stored record: ignored. */
  readonly stale: boolean;
  /** The stored record's version after this callback. */
  readonly version: number;
}

/**
 * What a provider module tells {@link createCallbackHandler}. `T` is what is stored; `In` is what
 * `validate` returns, when it differs (a body carrying a receipt that `verify` checks and drops).
 */
export interface CallbackDefinition<T, In = T> {
  /** For messages: `finAPI callback`. */
  readonly label: string;
  readonly store: CallbackStore;
  /** Before the body is read: throw (or reject with) an {@link HttpError} (401) to refuse. */
  authorize(request: Request): Promise<void> | void;
  /** Largest body in bytes (default {@link MAX_CALLBACK_BODY_BYTES}). */
  readonly limit?: number;
  /** Validates a parsed body (or a confirmed value); throws an {@link HttpError} (422) to refuse. */
  validate(body: unknown): In;
  /**
   * Optional, after `validate`: checks what only the body can prove (a signature over its
   * content) and returns the value to store. Throws an {@link HttpError} (401) to refuse; any other
   * error is reported (stage `verify`) and answered 503, so the provider retries. Without `verify`,
   * `In` must be `T`. A definition with `verify` cannot have `confirm`.
   */
  readonly verify?: ((value: In, request: Request) => Promise<T>) | undefined;
  /** Optional: ask the provider what is true now; `undefined` = not confirmed. */
  readonly confirm?: ((value: T) => Promise<T | undefined>) | undefined;
  /** The record key of a value, e.g. `task:<id>`. */
  key(value: T): string;
  /**
   * How `next` relates to the stored `current` (see {@link Progress}). Must not throw on odd data;
   * it may throw an {@link HttpError} to refuse `next` outright (nothing is written).
   */
  progress(current: T, next: T): Progress;
  readonly onUpdate?: UpdateHook<T> | undefined;
  /** How `onUpdate` is delivered (retries, lease, channel). */
  readonly delivery?: DeliveryOptions | undefined;
  /** The default outbox channel (`finapi`, `flexpay`). */
  readonly channel: string;
  readonly onError?: ((error: unknown, context: CallbackErrorContext) => void) | undefined;
}

/**
 * The shared pipeline. Order: 405 (not POST) → `authorize` (401, body unread) → 415 (not JSON) →
 * 413 (over the limit) → 400 (not JSON) → 422 (`validate`) → `verify` (401 refused, 503
 * unavailable) → `confirm` (409 not confirmed, 502 failed) → `store.transact`, which also enqueues
 * the `onUpdate` delivery of a real change (503 failed) → the delivery's first attempt → 200
 * {@link CallbackAck}. A failed attempt never changes the answer: the outbox retries it.
 */
export function createCallbackHandler<T, In = T>(definition: CallbackDefinition<T, In>): CallbackReceiver<T> {
  const { label, store } = definition;
  if (definition.verify && definition.confirm) throw new TypeError(`${label}: verify and confirm cannot be combined`);

  const report = createReporter<CallbackErrorContext>(label, definition.onError, (context) => context.key);
  const hook = definition.onUpdate;
  const dispatcher = createDispatcher<T>(label, store, hook, definition.delivery, definition.channel, report);
  const transactOptions = dispatcher.enqueue ? { enqueue: dispatcher.enqueue } : undefined;

  const confirmed = async (value: T, key: string): Promise<T> => {
    let answer: T | undefined;
    try {
      answer = await definition.confirm!(value);
    } catch (error) {
      report(error, { stage: 'confirm', key });
      throw new HttpError(502, 'confirm_failed', 'the callback could not be confirmed with the provider; retry later');
    }
    if (answer === undefined) throw new HttpError(409, 'not_confirmed', 'the provider does not confirm this callback');
    let checked: T;
    try {
      checked = definition.validate(answer) as unknown as T; // In = T when there is no verify
    } catch (error) {
      report(error, { stage: 'confirm', key });
      throw new HttpError(502, 'confirm_failed', 'the confirmation is not a valid callback');
    }
    if (definition.key(checked) !== key) {
      report(new Error(`confirm returned ${definition.key(checked)} for ${key}`), { stage: 'confirm', key });
      throw new HttpError(502, 'confirm_failed', 'the confirmation is about another object');
    }
    return checked;
  };

  const verified = async (parsed: In, request: Request): Promise<T> => {
    try {
      return await definition.verify!(parsed, request);
    } catch (error) {
      if (error instanceof HttpError || error instanceof CallbackNotStoredError) throw error;
      report(error, { stage: 'verify' });
      throw new HttpError(503, 'verification_unavailable', 'the callback could not be verified now; retry later', { 'Retry-After': '30' });
    }
  };

  const handle = async (request: Request): Promise<Response> => {
    requireMethod(request, ['POST']);
    const authorizing = definition.authorize(request);
    if (authorizing) await authorizing;
    const body = await readJsonBody(request, definition.limit ?? MAX_CALLBACK_BODY_BYTES);
    const parsed = definition.validate(body);
    let value = definition.verify ? await verified(parsed, request) : (parsed as unknown as T);
    const key = definition.key(value);
    if (definition.confirm) value = await confirmed(value, key);

    let progress = 'changed' as Progress;
    let result;
    try {
      result = await store.transact<T>(
        key,
        (current) => {
          progress = current === undefined ? 'changed' : definition.progress(current.data, value);
          return progress === 'changed' ? value : undefined;
        },
        transactOptions,
      );
    } catch (error) {
      if (error instanceof HttpError) throw error; // progress refused the callback
      report(error, { stage: 'store', key });
      return errorResponse(503, 'store_unavailable', 'the callback could not be stored; retry later', { 'Retry-After': '5' });
    }

    if (result.changed && hook) {
      if (result.delivery) {
        // Committed with the change and leased to this receiver: its first attempt, awaited as
        // onUpdate always was; a failure is retried by the outbox and never changes the answer.
        await dispatcher.runFirst(result.delivery);
      } else {
        // A store without an outbox (or one that ignored `enqueue`): once, at most.
        try {
          await hook(result.record!, result.previous, Object.freeze({ deliveryId: `${key}@${result.record!.version}`, attempt: 1 }));
        } catch (error) {
          report(error, { stage: 'onUpdate', key });
        }
      }
    }
    const ack: CallbackAck = {
      ok: true,
      key,
      changed: result.changed,
      duplicate: !result.changed && progress === 'duplicate',
      stale: !result.changed && progress === 'stale',
      version: result.record?.version ?? 0,
    };
    return respondJson(request, 200, ack);
  };

  const receiver = async (request: Request): Promise<Response> => {
    try {
      return await handle(request);
    } catch (error) {
      if (error instanceof HttpError) return error.toResponse(request);
      if (error instanceof CallbackNotStoredError) {
        report(error, { stage: 'proof', key: error.key });
        const body: CallbackNotStored = { ok: true, key: error.key, stored: false, unproven: true, reason: error.reason };
        return jsonResponse(202, body);
      }
      report(error, { stage: 'internal' });
      return errorResponse(500, 'internal_error', 'the callback could not be processed');
    }
  };
  return Object.defineProperties(receiver, {
    deliveries: { value: dispatcher.control, enumerable: true },
    close: { value: () => dispatcher.control.close() },
  }) as CallbackReceiver<T>;
}
