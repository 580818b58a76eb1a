/** Languages of the frame elements' and `<flexpay-status>`'s built-in text. Each element passes the language on where its provider takes one. */
export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

/** A link inside built-in text: always one of finframe's own constant addresses, opened in a new tab. */
export interface TextLink {
  readonly href: string;
  readonly text: string;
}

/**
 * Built-in text: a string, or a sentence with links (`['Before ', {href, text}, ' after.']`).
 * Rendered as text nodes and `<a>` elements, never parsed as markup; never provider data.
 */
export type Message = string | readonly (string | TextLink)[];

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
  /** The fallback content of each outcome slot. `error` is the text for a frame that did not load (`LOAD_TIMEOUT`). */
  outcomes: Record<O, Message>;
  /** The `error` outcome's text after `INVALID_CONFIG`: the page is set up wrongly, so trying again will not help. */
  unavailable: string;
}

/** Short, shopper-readable messages for the provider error codes Flinks reports (`provider-error`'s `message`). */
export interface FlinksErrorText {
  /** `OPERATION_PENDING`, `OPERATION_DISPATCHED`, `CARD_IN_USE`: still being processed. */
  pending: string;
  credentials: string;
  mfa: string;
  /** `INVALID_SECURITY_RESPONSE_NO_RETRY`: wrong answer, and no other attempt. */
  mfaFinal: string;
  institution: string;
  session: string;
  busy: string;
  /** `CONCURRENT_SESSION`: the same login is open in another session. */
  concurrent: string;
  /** `NEW_ACCOUNT`: the bank wants the shopper to act in online banking first. */
  bankAction: string;
  /** `DISABLED_LOGIN`: the bank deactivated the online banking access. */
  disabled: string;
  /** `NO_TRANSACTION`: the account has no transactions. */
  noTransactions: string;
  generic: string;
}

export interface FlinksText extends ElementText<'connected' | 'closed' | 'expired' | 'error'> {
  errors: FlinksErrorText;
}

export interface FlexitiText
  extends ElementText<'verified' | 'not-verified' | 'existing-account' | 'activation-required' | 'apply' | 'not-eligible' | 'retry' | 'cancelled' | 'error'> {
  /** The `apply` outcome's text in the apply flow (the merchant submits the application). */
  applySubmit: string;
  /** The `error` outcome's text after a `flx-failure`: the widget had loaded and failed in mid-flow. */
  failed: string;
  /** The message of a `flx-failure` that came without one. */
  failure: string;
}

export interface BenjiText extends ElementText<'success' | 'exit' | 'error'> {
  /** The `success` outcome's text per Benji action (`connect`, `transfer`, `redeem`); `outcomes.success` for another. */
  actions: Record<'connect' | 'transfer' | 'redeem', string>;
  /** The `error` outcome's text after Benji's `partner_connect_error` (its `unexpected_error` and others: `failed`). */
  partnerError: string;
  /** The `error` outcome's text after another Benji `ERROR`. */
  failed: string;
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
  /** `error` is the text for a web form that did not load (`LOAD_FAILED`, `LOAD_TIMEOUT`). */
  outcomes: Record<'completed' | 'failed' | 'aborted' | 'error', string>;
  /** The `error` outcome's text after `ALREADY_OPEN`: another web form is open on the page. */
  alreadyOpen: string;
  /** The `error` outcome's text after `INVALID_CONFIG`. */
  unavailable: string;
}

/** `<flexpay-status>`'s text. */
export interface FlexPayText {
  /** The form's validation message with `required`, until the application is `successful`. */
  required: string;
  outcomes: Record<'pending' | 'successful' | 'failed' | 'error', string>;
}
