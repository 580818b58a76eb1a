import * as z from 'zod/mini';
import { decodeMessage, isPlainObject, type PlainObject } from '../../internal/data.js';
import type { FrameErrorData } from '../../events/details.js';

/**
 * Benji Connect's messages (docs/providers/benji.md): `{type, data}` from the frame.
 * `FLOW_SUCCESS`, `FLOW_EXIT` and `ERROR` have known shapes; every other well-formed type
 * (`AUTH_SUCCESS`, `EVENT`, the older documented lowercase names, the legacy `authSuccess`/`authExit`, and
 * whatever Benji adds next) is an informational event: strict on structure, open on vocabulary.
 */
const word = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/));
const text = z.string().check(z.minLength(1), z.maxLength(4096));

export const BenjiMessageSchema = z.looseObject({ type: word });

/** The access token arrives as a string, or as an object with both tokens (both documented). */
export const BenjiTokenSchema = z.looseObject({
  access_token: text,
  refresh_token: z.optional(text),
  expires_at: z.optional(z.union([z.number(), text])),
});

export const BenjiSuccessSchema = z.looseObject({
  action: word,
  metadata: z.optional(
    z.looseObject({
      user: z.optional(z.looseObject({ id: z.optional(z.union([text, z.number()])) })),
      status: z.optional(z.looseObject({})),
      extra_data: z.optional(z.unknown()),
    }),
  ),
  transaction: z.optional(z.looseObject({})),
});

export const BenjiExitSchema = z.looseObject({ step: z.optional(z.nullable(word)), trigger: z.optional(word) });

export const BenjiErrorSchema = z.looseObject({ error: word, error_id: z.optional(text) });

/** The `success` outcome's data. Tokens live here, and only here: never in the DOM or a log. */
export interface BenjiSuccessData {
  /** `connect`, `transfer` or `redeem`. */
  readonly action: string;
  /** The access token, whichever documented form it came in. */
  readonly token?: string;
  readonly refreshToken?: string;
  readonly expiresAt?: number | string;
  /** `{id, first_name, last_name}` from `metadata.user`. */
  readonly user?: PlainObject;
  /** `{status_id, num_of_rewards, reward_status, partner_status_tier_id?}` from `metadata.status`. */
  readonly status?: PlainObject;
  readonly extraData?: PlainObject | string | number | boolean | null | readonly unknown[];
  /** `{action, amount, trigger_event_id, trigger_name}`. */
  readonly transaction?: PlainObject;
}

export type BenjiExitData = {
  readonly step?: string | null;
  /** `ACTION_BUTTON_CLICKED`, `CLOSE_BUTTON_CLICKED`, `TAPPED_OUT_OF_BOUNDS`, `BACK_TO_MERCHANT_CLICKED` (deprecated). */
  readonly trigger?: string;
};

export interface BenjiErrorData extends FrameErrorData {
  readonly error_id?: string;
}

export type BenjiMessage =
  | { readonly kind: 'success'; readonly data: BenjiSuccessData }
  | { readonly kind: 'exit'; readonly data: BenjiExitData }
  | { readonly kind: 'error'; readonly error: string; readonly errorId?: string | undefined }
  | { readonly kind: 'event'; readonly type: string; readonly data: PlainObject };

export type BenjiOutcomeDetail =
  | { readonly provider: 'benji'; readonly outcome: 'success'; readonly data: BenjiSuccessData }
  | { readonly provider: 'benji'; readonly outcome: 'exit'; readonly data: BenjiExitData }
  | { readonly provider: 'benji'; readonly outcome: 'error'; readonly data: BenjiErrorData };

/** Validates one message from the Benji frame; `undefined` if it is not Benji's protocol. Never throws. */
export function parseBenjiMessage(raw: unknown): BenjiMessage | undefined {
  const value = decodeMessage(raw);
  if (!isPlainObject(value) || !BenjiMessageSchema.safeParse(value).success) return undefined;
  const type = value.type as string;
  const data = value.data === undefined ? {} : value.data;
  if (!isPlainObject(data)) return undefined;
  if (type === 'FLOW_SUCCESS') return parseSuccess(data);
  if (type === 'FLOW_EXIT') {
    const exit = BenjiExitSchema.safeParse(data);
    return exit.success ? Object.freeze({ kind: 'exit', data: data as BenjiExitData }) : undefined;
  }
  if (type === 'ERROR') {
    const error = BenjiErrorSchema.safeParse(data);
    if (!error.success) return undefined;
    return Object.freeze({ kind: 'error', error: error.data.error, errorId: error.data.error_id });
  }
  return Object.freeze({ kind: 'event', type, data });
}

function parseSuccess(data: PlainObject): BenjiMessage | undefined {
  const success = BenjiSuccessSchema.safeParse(data);
  if (!success.success) return undefined;
  const out: Record<string, unknown> = { action: success.data.action };
  const { token } = data;
  if (typeof token === 'string' && token) out.token = token;
  else if (token !== undefined) {
    const parsed = BenjiTokenSchema.safeParse(token);
    if (!parsed.success) return undefined;
    out.token = parsed.data.access_token;
    if (parsed.data.refresh_token !== undefined) out.refreshToken = parsed.data.refresh_token;
    if (parsed.data.expires_at !== undefined) out.expiresAt = parsed.data.expires_at;
  }
  const metadata = isPlainObject(data.metadata) ? data.metadata : undefined;
  if (metadata?.user !== undefined) out.user = metadata.user;
  if (metadata?.status !== undefined) out.status = metadata.status;
  if (metadata?.extra_data !== undefined) out.extraData = metadata.extra_data;
  if (data.transaction !== undefined) out.transaction = data.transaction;
  return Object.freeze({ kind: 'success', data: Object.freeze(out) as unknown as BenjiSuccessData });
}
