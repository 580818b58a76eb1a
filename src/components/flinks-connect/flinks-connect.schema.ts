import * as z from 'zod/mini';
import type { FrameErrorData } from '../../events/details.js';
import { decodeMessage, isPlainObject, omit, type Frozen, type PlainObject } from '../../internal/data.js';

/**
 * Flinks Connect's messages (docs/providers/flinks.md). The frame posts objects, or JSON strings
 * with `stringify=true`; both arrive here through `decodeMessage`, which has already rejected
 * anything that is not plain JSON-like data.
 *
 * Strict on structure, open on vocabulary: Flinks adds step names and codes over time, so any
 * well-formed word is accepted and becomes an event.
 */

/** A step or code word: Flinks uses SCREAMING_SNAKE_CASE; allow a little more, never markup. */
const word = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/));
/** `loginId` and `requestId` are GUIDs in every example; accept any such token. */
const id = z.string().check(z.regex(/^[A-Za-z0-9-]{1,128}$/));
const text = z.string().check(z.minLength(1), z.maxLength(256));

export const FlinksStepSchema = z.looseObject({ step: word });

export const FlinksApiEventSchema = z.looseObject({
  flinksCode: word,
  requestId: z.optional(id),
  institution: z.optional(text),
});

/**
 * REDIRECT has been documented in two shapes; both are accepted:
 * `{step, institution, url: "https://…?loginId=…&institution=…"}` (loginId only inside `url`) and
 * `{step, loginId, requestId, institution}`. `accountId` may be a string, an array, or a
 * comma-separated `accountId` query parameter of `url`.
 */
export const FlinksRedirectSchema = z.looseObject({
  step: word,
  url: z.optional(z.string().check(z.regex(/^https?:\/\/[^\s]{1,2040}$/))),
  loginId: z.optional(id),
  requestId: z.optional(id),
  institution: z.optional(text),
  // A lone string is wrapped in an array before parsing (see parseRedirect): one schema, fewer bytes.
  accountId: z.optional(z.array(text)),
});

/** The `connected` outcome's data: what the merchant's server needs to call Flinks' /Authorize. */
export const FlinksConnectedSchema = z.object({
  loginId: id,
  institution: z.optional(text),
  requestId: z.optional(id),
  accountIds: z.array(text),
  url: z.optional(z.string()),
});
export type FlinksConnectedData = Frozen<z.infer<typeof FlinksConnectedSchema>>;

/** One accepted Flinks message, as the element reads it. */
export type FlinksMessage =
  | { readonly kind: 'step'; readonly step: string; readonly data: PlainObject }
  | { readonly kind: 'redirect'; readonly data: FlinksConnectedData }
  | {
      readonly kind: 'api';
      readonly code: string;
      readonly requestId?: string | undefined;
      readonly institution?: string | undefined;
    };

export interface FlinksExpiredData {
  /** `SESSION_EXPIRED` or `SESSION_NONEXISTENT`. */
  readonly code: string;
  readonly requestId?: string;
  readonly institution?: string;
}


export type FlinksOutcomeDetail =
  | { readonly provider: 'flinks'; readonly outcome: 'connected'; readonly data: FlinksConnectedData }
  | { readonly provider: 'flinks'; readonly outcome: 'closed'; readonly data: PlainObject }
  | { readonly provider: 'flinks'; readonly outcome: 'expired'; readonly data: FlinksExpiredData }
  | { readonly provider: 'flinks'; readonly outcome: 'error'; readonly data: FrameErrorData };

export type FlinksOutcome = FlinksOutcomeDetail['outcome'];

/** Validates one message from the Flinks frame; `undefined` if it is not Flinks' protocol. Never throws. */
export function parseFlinksMessage(raw: unknown): FlinksMessage | undefined {
  const value = decodeMessage(raw);
  if (!isPlainObject(value)) return undefined;
  if (value.step === 'REDIRECT') return parseRedirect(value);
  if ('step' in value) {
    if (!FlinksStepSchema.safeParse(value).success) return undefined;
    return Object.freeze({ kind: 'step', step: value.step as string, data: omit(value, 'step') });
  }
  if ('flinksCode' in value) {
    const api = FlinksApiEventSchema.safeParse(value);
    if (!api.success) return undefined;
    const { flinksCode, requestId, institution } = api.data;
    return Object.freeze({ kind: 'api', code: flinksCode, requestId, institution });
  }
  return undefined;
}

function parseRedirect(value: PlainObject): FlinksMessage | undefined {
  const { accountId: raw } = value;
  const redirect = FlinksRedirectSchema.safeParse(typeof raw === 'string' ? { ...value, accountId: [raw] } : value);
  if (!redirect.success) return undefined;
  const { url, accountId } = redirect.data;
  let { loginId, requestId, institution } = redirect.data;
  const accountIds = new Set<string>();
  const addAccounts = (list: string) => list.split(',').forEach((a) => a.trim() && accountIds.add(a.trim()));
  accountId?.forEach(addAccounts);
  if (url) {
    let query: URLSearchParams;
    try {
      query = new URL(url).searchParams;
    } catch {
      return undefined;
    }
    // The field wins over the URL when both are present.
    loginId ??= query.get('loginId') ?? undefined;
    requestId ??= query.get('requestId') ?? undefined;
    institution ??= query.get('institution') ?? undefined;
    query.getAll('accountId').forEach(addAccounts);
  }
  const data: Record<string, unknown> = { loginId, accountIds: [...accountIds] };
  if (institution !== undefined) data.institution = institution;
  if (requestId !== undefined) data.requestId = requestId;
  if (url !== undefined) data.url = url;
  const connected = FlinksConnectedSchema.safeParse(data);
  if (!connected.success) return undefined;
  return Object.freeze({ kind: 'redirect', data: Object.freeze({ ...connected.data, accountIds: Object.freeze(connected.data.accountIds) }) });
}

/**
 * HTTP status per Flinks code, from Flinks' table of API events: the frame's message carries no
 * status, this is what the documentation says each code means. Written as one string per status
 * to keep the table small in the bundle.
 */
const STATUS_CODES: Record<number, string> = {
  202: 'OPERATION_PENDING OPERATION_DISPATCHED',
  400: 'SESSION_NONEXISTENT CARD_IN_USE',
  401:
    'ACCESS_DENIED INVALID_LOGIN INVALID_REQUEST INVALID_SECURITY_RESPONSE_NO_RETRY INVALID_USERNAME INVALID_PASSWORD ' +
    'INVALID_SECURITY_RESPONSE QUESTION_NOT_FOUND RETRY_LATER TOO_MANY_REQUESTS UNKNOWN_CHALLENGE_KEY CONCURRENT_SESSION ' +
    'UNAUTHORIZED UNHANDLED DISABLED_LOGIN NEW_ACCOUNT SESSION_EXPIRED ALREADY_AUTHORIZED SECURITYRESPONSES_INCOMPLETE',
  404: 'NO_TRANSACTION',
  405: 'DISABLED_INSTITUTION',
  500: 'AGGREGATION_ERROR',
  501: 'METHOD_NOT_AVAILABLE',
};

/** The documented HTTP status of a Flinks code; `undefined` for a code the table does not name. */
export function flinksCodeStatus(code: string): number | undefined {
  for (const [status, codes] of Object.entries(STATUS_CODES)) if (codes.split(' ').includes(code)) return Number(status);
  return undefined;
}

export type FlinksErrorCategory =
  | 'pending'
  | 'credentials'
  | 'mfa'
  | 'mfaFinal'
  | 'institution'
  | 'session'
  | 'busy'
  | 'concurrent'
  | 'bankAction'
  | 'disabled'
  | 'noTransactions'
  | 'generic';

/** What each documented code means for the shopper (the table's descriptions); any other code is `generic`. */
const CATEGORY_CODES: Record<Exclude<FlinksErrorCategory, 'generic'>, string> = {
  // 202: not a failure — the work goes on in the background.
  pending: 'OPERATION_PENDING OPERATION_DISPATCHED CARD_IN_USE',
  credentials: 'INVALID_LOGIN INVALID_USERNAME INVALID_PASSWORD ACCESS_DENIED',
  mfa: 'INVALID_SECURITY_RESPONSE QUESTION_NOT_FOUND UNKNOWN_CHALLENGE_KEY SECURITYRESPONSES_INCOMPLETE',
  mfaFinal: 'INVALID_SECURITY_RESPONSE_NO_RETRY',
  institution: 'RETRY_LATER DISABLED_INSTITUTION',
  session: 'SESSION_EXPIRED SESSION_NONEXISTENT',
  busy: 'TOO_MANY_REQUESTS',
  concurrent: 'CONCURRENT_SESSION',
  bankAction: 'NEW_ACCOUNT',
  disabled: 'DISABLED_LOGIN',
  noTransactions: 'NO_TRANSACTION',
};

/** Which short, shopper-facing message (see `FlinksErrorText`) a code gets. */
export function flinksErrorCategory(code: string): FlinksErrorCategory {
  for (const [category, codes] of Object.entries(CATEGORY_CODES)) {
    if (codes.split(' ').includes(code)) return category as FlinksErrorCategory;
  }
  return 'generic';
}

/** Steps and codes that mean the session is gone. */
export const FLINKS_EXPIRY = new Set(['SESSION_EXPIRED', 'SESSION_NONEXISTENT']);
