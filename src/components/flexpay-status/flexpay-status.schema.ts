import * as z from 'zod/mini';
import type { FrameErrorData } from '../../events/details.js';
import { isPlainObject, toPlainData } from '../../internal/data.js';

/**
 * What `finframe/server`'s `createStatusStream` sends for one order (an SSE `status` event, or the
 * JSON of its polling answer): FlexPay's status as the merchant's server stored it from FlexPay's
 * signed callbacks (docs/providers/flexpay.md). Never the receipt: the element copies the fields
 * below and nothing else.
 */
export const FLEXPAY_STATUSES = ['PENDING', 'SUCCESSFUL', 'FAILED'] as const;
export type FlexPayPaymentStatus = (typeof FLEXPAY_STATUSES)[number];

const word = z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/));

export const FlexPayStatusMessageSchema = z.looseObject({
  reference: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._~:@#+=/-]{0,127}$/)),
  /** `null` until FlexPay's first callback for the order arrived. */
  status: z.nullable(z.enum(FLEXPAY_STATUSES)),
  statusLastUpdated: z.optional(z.string().check(z.regex(/^\d{1,16}$/))),
  productType: z.optional(word),
  final: z.boolean(),
  version: z.int().check(z.gte(0)),
});

/** One status report, checked and copied: `data` of `provider-event` and of the outcomes. */
export interface FlexPayStatusData {
  readonly reference: string;
  readonly status: FlexPayPaymentStatus | null;
  readonly statusLastUpdated?: string;
  readonly productType?: string;
  readonly final: boolean;
  readonly version: number;
}

/** Parses one status report (a JSON string or a value); `undefined` when it is not the protocol. Never throws. */
export function parseFlexPayStatus(raw: unknown): FlexPayStatusData | undefined {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.length > 4096) return undefined;
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  const plain = toPlainData(value);
  if (!isPlainObject(plain) || !FlexPayStatusMessageSchema.safeParse(plain).success) return undefined;
  const m = plain as unknown as FlexPayStatusData;
  // A final status is final whatever `final` says.
  const final = m.status === 'SUCCESSFUL' || m.status === 'FAILED';
  return Object.freeze({
    reference: m.reference,
    status: m.status,
    ...(m.statusLastUpdated === undefined ? {} : { statusLastUpdated: m.statusLastUpdated }),
    ...(m.productType === undefined ? {} : { productType: m.productType }),
    final,
    version: m.version,
  });
}

export type FlexPayOutcome = 'successful' | 'failed' | 'error';

export type FlexPayOutcomeDetail =
  | { readonly provider: 'flexpay'; readonly outcome: 'successful'; readonly data: FlexPayStatusData }
  | { readonly provider: 'flexpay'; readonly outcome: 'failed'; readonly data: FlexPayStatusData }
  | { readonly provider: 'flexpay'; readonly outcome: 'error'; readonly data: FrameErrorData };
