import { html } from 'lit/html.js';
import type { BenjiText, FlexitiText, FlinksText } from './types.js';

export const flinks: FlinksText = {
  frameTitle: 'Connect your bank account',
  loading: 'Loading the secure bank connection…',
  close: 'Close',
  required: 'Connect your bank account to continue',
  outcomes: {
    connected: 'Your bank account is connected.',
    closed: 'You closed the bank connection. You can start again whenever you are ready.',
    expired: 'Your session expired for your security. Please start again.',
    error: 'The bank connection could not be loaded. Please try again in a moment.',
  },
  errors: {
    credentials: 'The username or password was not accepted by your bank.',
    mfa: 'The security answer was not accepted.',
    institution: 'This bank is not available right now. Please try again later.',
    session: 'Your session expired. Please start again.',
    busy: 'Too many attempts. Please wait a moment and try again.',
    bankAction: 'Your bank needs you to sign in to online banking first.',
    generic: 'Something went wrong while connecting to your bank.',
  },
};

export const flexiti: FlexitiText = {
  frameTitle: 'Pay with Flexiti financing',
  loading: 'Loading Flexiti financing…',
  close: 'Close',
  required: 'Complete Flexiti financing to continue',
  outcomes: {
    verified: 'Your Flexiti account is verified. We are completing your purchase.',
    'not-verified': 'We could not verify your Flexiti account. Please choose another payment method.',
    'existing-account': 'You already have a Flexiti account. Continue to pay with it.',
    // A pure IIFE: a bare tagged template would keep this text in every other element's bundle.
    'activation-required': /* @__PURE__ */ (() => html`Your Flexiti account needs to be activated first.
      <a href="https://my.flexiti.com/index" target="_blank" rel="noopener noreferrer">Activate it in the Flexiti customer portal</a>
      (opens in a new tab), then come back to complete your purchase.`)(),
    apply: 'You can apply for Flexiti financing. Continue to start your application.',
    'not-eligible': 'Flexiti financing is not available for this purchase. Please choose another payment method.',
    retry: 'Something went wrong at Flexiti. Please try again, or go back and choose another payment method.',
    cancelled: 'You cancelled Flexiti financing. You can choose another payment method.',
    error: 'Flexiti financing could not be loaded. Please try again, or choose another payment method.',
  },
  applySubmit: 'Thank you. We are submitting your Flexiti application.',
  failure: 'The Flexiti widget reported an error.',
};

export const benji: BenjiText = {
  frameTitle: 'Connect your loyalty account with Benji',
  loading: 'Loading Benji Connect…',
  close: 'Close',
  required: 'Connect your loyalty account to continue',
  outcomes: {
    success: 'Your loyalty account is connected.',
    exit: 'You closed Benji Connect. You can connect your loyalty account at any time.',
    error: 'Benji Connect ran into a problem. Please try again later.',
  },
  failure: 'Benji Connect reported an error.',
};
