import * as z from 'zod/mini';
import { decodeMessage, isPlainObject, type Frozen, type PlainObject } from '../../internal/data.js';
import type { FrameErrorData } from '../../events/details.js';

/**
 * Flexiti's widget messages (docs/providers/flexiti.md): `{eventType, eventData?}`, posted with
 * target '*', so the gate's origin and source checks are what keeps forgeries out.
 *
 * The sources disagree in places; every documented variant is accepted:
 * - older widgets send only `accountNumber`, `verified` and `action`, so every field is optional
 *   (a missing `verified` reads as false and a missing `accountNumber` or `action` as null, which
 *   can only lead to a safer outcome);
 * - `mfaOptionSelected` is "security_question" in one revision and "security_answer" in another,
 *   and one listing of the fields even shows the action words for it: any word is accepted and
 *   passed on as sent (no outcome depends on it);
 * - `flx-failure`'s `{error, message}` may sit under `eventData` or at the top level;
 * - the session id arrives as `widget_session_id`; `widgetSessionId` is accepted too.
 */
const word = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/));
const text = z.string().check(z.minLength(1), z.maxLength(256));

export const FlexitiEventDataSchema = z.looseObject({
  accountNumber: z.optional(z.nullable(z.int().check(z.gte(0)))),
  verified: z.optional(z.boolean()),
  action: z.optional(z.nullable(word)),
  mfaOptionSelected: z.optional(z.nullable(word)),
  widget_session_id: z.optional(word),
  widgetSessionId: z.optional(word),
  customerId: z.optional(word),
  accountType: z.optional(z.nullable(word)),
});

export const FlexitiFailureSchema = z.looseObject({
  error: z.optional(z.int().check(z.gte(100), z.lte(599))),
  message: z.optional(text),
});

export const FlexitiMessageSchema = z.looseObject({
  eventType: z.enum(['flx-success', 'flx-failure', 'flx-cancel']),
});

type EventData = z.infer<typeof FlexitiEventDataSchema>;

/** The `data` of every success outcome: the parsed eventData in camelCase. */
export type FlexitiSuccessData = Frozen<{
  /** The Flexiti account number, or null when there is none. */
  accountNumber: NonNullable<EventData['accountNumber']> | null;
  verified: boolean;
  /** `purchase`, `apply`, `activation`, `retry`, or null. */
  action: NonNullable<EventData['action']> | null;
  mfaOptionSelected?: EventData['mfaOptionSelected'];
  widgetSessionId?: string;
  customerId?: string;
  accountType?: EventData['accountType'];
}>;

export type FlexitiMessage =
  | { readonly kind: 'success'; readonly data: FlexitiSuccessData }
  | { readonly kind: 'failure'; readonly status?: number | undefined; readonly message?: string | undefined }
  | { readonly kind: 'cancel' };

/** Validates one message from the Flexiti frame; `undefined` if it is not Flexiti's protocol. Never throws. */
export function parseFlexitiMessage(raw: unknown): FlexitiMessage | undefined {
  const value = decodeMessage(raw);
  if (!isPlainObject(value) || !FlexitiMessageSchema.safeParse(value).success) return undefined;
  const { eventType, eventData } = value;
  if (eventType === 'flx-cancel') return Object.freeze({ kind: 'cancel' });
  if (eventType === 'flx-failure') {
    const source = isPlainObject(eventData) ? eventData : value;
    // "500" as a string is the same status; anything else in `error` is not.
    const error = typeof source.error === 'string' && /^\d{3}$/.test(source.error) ? Number(source.error) : source.error;
    const failure = FlexitiFailureSchema.safeParse({ error, message: source.message });
    if (!failure.success) return undefined;
    return Object.freeze({ kind: 'failure', status: failure.data.error, message: failure.data.message });
  }
  if (!isPlainObject(eventData)) return undefined;
  const parsed = FlexitiEventDataSchema.safeParse(eventData);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const data: Record<string, unknown> = {
    accountNumber: d.accountNumber ?? null,
    verified: d.verified ?? false,
    action: d.action ?? null,
  };
  if (d.mfaOptionSelected !== undefined) data.mfaOptionSelected = d.mfaOptionSelected;
  const session = d.widget_session_id ?? d.widgetSessionId;
  if (session !== undefined) data.widgetSessionId = session;
  if (d.customerId !== undefined) data.customerId = d.customerId;
  if (d.accountType !== undefined) data.accountType = d.accountType;
  return Object.freeze({ kind: 'success', data: Object.freeze(data) as FlexitiSuccessData });
}

export type FlexitiFlow = 'purchase' | 'apply';

export const FLEXITI_OUTCOMES = [
  'verified',
  'not-verified',
  'existing-account',
  'activation-required',
  'apply',
  'not-eligible',
  'retry',
  'cancelled',
  'error',
] as const;
export type FlexitiOutcome = (typeof FLEXITI_OUTCOMES)[number];

export type FlexitiNextStep =
  | 'authorize-purchase'
  | 'choose-other-payment'
  | 'start-purchase'
  | 'open-customer-portal'
  | 'start-application'
  | 'submit-application'
  | 'inform-not-eligible'
  | 'retry-or-go-back'
  | 'return-to-checkout';

/**
 * What a `flx-success` means in `flow`: Flexiti's scenario tables (docs/providers/flexiti.md), row by
 * row. A combination the table does not name gets the closest outcome that cannot lose money or
 * strand the shopper — and never `verified`, which is reserved for the one row where the merchant
 * may send the purchase to /authorization.
 */
export function flexitiOutcome(flow: FlexitiFlow, data: Pick<FlexitiSuccessData, 'accountNumber' | 'verified' | 'action'>): FlexitiOutcome {
  const { accountNumber, verified, action } = data;
  const hasAccount = typeof accountNumber === 'number';
  switch (action) {
    case 'purchase':
      if (flow === 'purchase') return hasAccount && verified === true ? 'verified' : 'not-verified';
      // Apply flow, an existing account found: the table's row says verified=false; with true the
      // merchant still starts the purchase flow, which verifies again. No account: nothing to buy with.
      return hasAccount ? 'existing-account' : 'not-eligible';
    case 'activation':
      // The table's row has no account number and verified=false; whatever they are, the account
      // needs activating before anything else.
      return 'activation-required';
    case 'apply':
      return 'apply';
    case 'retry':
      return 'retry';
    case null:
      // Derogatory status: the table's row has no account and verified=false. With an account the
      // meaning is no clearer, and "cannot proceed" is the safe reading.
      return 'not-eligible';
    default:
      // An action word the documentation does not know: let the shopper retry or go back.
      return 'retry';
  }
}

/** The merchant's next step for an outcome in `flow` (the table's right-hand column). */
export function flexitiNextStep(outcome: FlexitiOutcome, flow: FlexitiFlow): FlexitiNextStep {
  switch (outcome) {
    case 'verified':
      return 'authorize-purchase';
    case 'not-verified':
      return 'choose-other-payment';
    case 'existing-account':
      return 'start-purchase';
    case 'activation-required':
      return 'open-customer-portal';
    case 'apply':
      return flow === 'apply' ? 'submit-application' : 'start-application';
    case 'not-eligible':
      return 'inform-not-eligible';
    case 'cancelled':
      return 'return-to-checkout';
    default:
      return 'retry-or-go-back';
  }
}

/** Data of the `error` outcome: the HTTP status Flexiti reported, when there was one. */
export interface FlexitiErrorData extends FrameErrorData {
  readonly status?: number;
}

export type FlexitiOutcomeDetail =
  | {
      readonly provider: 'flexiti';
      readonly outcome: Exclude<FlexitiOutcome, 'cancelled' | 'error'>;
      readonly nextStep: FlexitiNextStep;
      readonly data: FlexitiSuccessData;
    }
  | { readonly provider: 'flexiti'; readonly outcome: 'cancelled'; readonly nextStep: 'return-to-checkout'; readonly data: PlainObject }
  | { readonly provider: 'flexiti'; readonly outcome: 'error'; readonly nextStep: 'retry-or-go-back'; readonly data: FlexitiErrorData };
