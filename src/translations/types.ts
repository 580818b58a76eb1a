import type { TemplateResult } from 'lit';

/** Languages of the built-in text. Each element passes the language on where its provider takes one. */
export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

/** Built-in text is plain text, or a template for the few outcomes that need a link. Never provider data. */
export type Text = string | TemplateResult;

/** What every frame element shows. */
export interface ElementText<O extends string> {
  /** The iframe's accessible title, unless `frame-title` is set. */
  frameTitle: string;
  /** Shown in the `loading` slot until the provider's first message. */
  loading: string;
  /** The accessible name of the modal dialog's close button. */
  close: string;
  /** The form's validation message with `required`, until a successful outcome: what to do. */
  required: string;
  /** The fallback content of each outcome slot. */
  outcomes: Record<O, Text>;
}

/** Short, shopper-readable messages for the provider error codes Flinks reports. */
export interface FlinksErrorText {
  credentials: string;
  mfa: string;
  institution: string;
  session: string;
  busy: string;
  bankAction: string;
  generic: string;
}

export interface FlinksText extends ElementText<'connected' | 'closed' | 'expired' | 'error'> {
  errors: FlinksErrorText;
}

export interface FlexitiText
  extends ElementText<'verified' | 'not-verified' | 'existing-account' | 'activation-required' | 'apply' | 'not-eligible' | 'retry' | 'cancelled' | 'error'> {
  /** The `apply` outcome's text in the apply flow (the merchant submits the application). */
  applySubmit: Text;
  /** The message of a `flx-failure` that came without one. */
  failure: string;
}

export interface BenjiText extends ElementText<'success' | 'exit' | 'error'> {
  /** The `message` of a Benji `ERROR`. */
  failure: string;
}

/** `<finapi-web-form>`'s text (finAPI's form is not a frame; it brings its own title and buttons). */
export interface FinapiText {
  /** The accessible name of the region that holds the web form. */
  label: string;
  /** Shown in the `loading` slot until finAPI's `loaded`. */
  loading: string;
  /** The form's validation message with `required`, until `completed`. */
  required: string;
  outcomes: Record<'completed' | 'failed' | 'aborted' | 'error', string>;
}

/** `<finapi-web-form>`'s languages: finAPI's form speaks 11, the built-in text these. */
export const FINAPI_TEXT_LANGS = ['en', 'fr', 'de'] as const;
export type FinapiTextLang = (typeof FINAPI_TEXT_LANGS)[number];

/** `<flexpay-status>`'s text (English: FlexPay is a UK product). */
export interface FlexPayText {
  outcomes: Record<'pending' | 'successful' | 'failed' | 'error', string>;
}
