import type { BenjiOutcomeDetail } from '../components/benji-connect/benji-connect.schema.js';
import type { FlexitiOutcomeDetail } from '../components/flexiti-widget/flexiti-widget.schema.js';
import type { FlexPayOutcomeDetail } from '../components/flexpay-status/flexpay-status.schema.js';
import type { FinapiOutcomeDetail } from '../components/finapi-web-form/finapi-web-form.schema.js';
import type { FlinksOutcomeDetail } from '../components/flinks-connect/flinks-connect.schema.js';

/**
 * Every provider finframe speaks to, as it appears in `event.detail.provider`.
 * Type-only knowledge of the elements: importing this costs no bytes.
 */
export type ProviderName = 'flinks' | 'flexiti' | 'benji' | 'finapi' | 'flexpay';

/**
 * The union of every element's terminal outcome. Narrow it on `provider`, then on `outcome`:
 * `if (d.provider === 'flinks' && d.outcome === 'connected') d.data.loginId`;
 * `if (d.provider === 'flexiti' && d.outcome === 'verified') d.data.accountNumber`.
 */
export type ProviderOutcomeDetail = FlinksOutcomeDetail | FlexitiOutcomeDetail | BenjiOutcomeDetail | FinapiOutcomeDetail | FlexPayOutcomeDetail;

export interface ProviderReadyDetail {
  readonly provider: ProviderName;
}

export interface ProviderEventDetail {
  readonly provider: ProviderName;
  /** The provider's own word for what happened (a Flinks `step`). */
  readonly name: string;
  /** The message's other fields: parsed, plain, frozen. */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface ProviderErrorDetail {
  readonly provider: ProviderName;
  /** `INVALID_CONFIG`, `LOAD_TIMEOUT`, `INVALID_MESSAGE`, or the provider's own code. */
  readonly code: string;
  /** A short message a developer (or, for provider codes, a shopper) can read. */
  readonly message: string;
  /** A fatal error ends the session: `status` becomes `error` and the outcome is `error`. */
  readonly fatal: boolean;
  readonly data?: unknown;
}

/** Data of the `error` outcome, on every element (plus what the provider reported, e.g. Flexiti's `status`). */
export interface FrameErrorData {
  readonly code: string;
  readonly message: string;
}
