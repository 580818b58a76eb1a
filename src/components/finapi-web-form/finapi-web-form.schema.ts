import * as z from 'zod/mini';
import { isPlainObject, toPlainData } from '../../internal/data.js';
import type { FrameErrorData } from '../../events/details.js';

/**
 * finAPI Web Form 2.0 (docs/providers/finapi.md, @finapi/web-form's `props.types.ts`). The web form is not
 * a frame: finAPI's script runs in the page and reports by DOM events on its own element
 * (`loaded`, `complete`, `fail`, `abort`). Only `fail` carries data: `OnFailError`, which Web Form
 * 2.1 sends and Web Form 2.0 leaves `undefined` (both valid).
 */
const text = z.string().check(z.maxLength(4096));

export const FinapiFailErrorSchema = z.union([
  z.looseObject({
    type: z.literal('BACKEND_ERROR'),
    code: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    message: z.optional(text),
  }),
  z.looseObject({
    type: z.literal('FRONTEND_ERROR'),
    code: z.enum(['ALREADY_OPENED', 'UNEXPECTED', 'INVALID_URL', 'UNDEFINED_TOKEN']),
    message: text,
  }),
]);

/** What finAPI reported with `fail`: a failing finAPI API call, or a client-side condition. */
export type FinapiFailError =
  | { readonly type: 'BACKEND_ERROR'; readonly code?: string; readonly message?: string }
  | {
      readonly type: 'FRONTEND_ERROR';
      readonly code: 'ALREADY_OPENED' | 'UNEXPECTED' | 'INVALID_URL' | 'UNDEFINED_TOKEN';
      readonly message: string;
    };

/** The `fail` event's detail, checked. `{ok: true, error: undefined}` for Web Form 2.0. Never throws. */
export function parseFinapiFailError(detail: unknown): { ok: true; error: FinapiFailError | undefined } | { ok: false } {
  if (detail === undefined || detail === null) return { ok: true, error: undefined };
  const plain = toPlainData(detail);
  if (!isPlainObject(plain) || !FinapiFailErrorSchema.safeParse(plain).success) return { ok: false };
  const { type, code, message } = plain as FinapiFailError;
  const error = { type, ...(code === undefined ? {} : { code }), ...(message === undefined ? {} : { message }) };
  return { ok: true, error: Object.freeze(error) as FinapiFailError };
}

/** The web form's languages (the loader's `WebFormLanguage`). */
export const FINAPI_LANGUAGES = ['cs', 'de', 'en', 'es', 'fr', 'it', 'nl', 'pl', 'ro', 'sk', 'tr'] as const;
export type FinapiLanguage = (typeof FINAPI_LANGUAGES)[number];

export type FinapiOutcome = 'completed' | 'failed' | 'aborted' | 'error';

/** `failed`'s data: what finAPI reported, when it did (Web Form 2.1). */
export interface FinapiFailedData {
  readonly error?: FinapiFailError;
}

export type FinapiOutcomeDetail =
  | { readonly provider: 'finapi'; readonly outcome: 'completed'; readonly data: Readonly<Record<string, never>> }
  | { readonly provider: 'finapi'; readonly outcome: 'failed'; readonly data: FinapiFailedData }
  | { readonly provider: 'finapi'; readonly outcome: 'aborted'; readonly data: Readonly<Record<string, never>> }
  | { readonly provider: 'finapi'; readonly outcome: 'error'; readonly data: FrameErrorData };
