import type { FlexPayText } from './types.js';

/** `<flexpay-status>`'s built-in text (English: FlexPay is a UK product). Plain text, no lit-html. */
export const flexpayEn: FlexPayText = {
  outcomes: {
    pending:
      'Your finance application is being processed. This page updates by itself as soon as there is a decision, so there is no need to refresh it.',
    successful: 'Your finance application was approved and your order is complete. Thank you!',
    failed:
      'Your finance application did not go through, so this order has not been completed. This happens when an application is declined, cancelled or left unfinished, and also when the lender refers it for a manual review. If your application was referred, the lender will normally decide within 24 hours; once you are approved, come back and check out again, choosing FlexPay.',
    error: 'We cannot show the status of your finance application right now. Please refresh this page in a moment.',
  },
};

/**
 * The form's validation message with `required`, until the application is `successful`: in French
 * too, since it joins the browser's own messages in the page's language.
 */
export const flexpayRequired = {
  en: 'Your finance application needs to be approved before you continue',
  fr: 'Votre demande de financement doit être approuvée avant de continuer',
} as const;
