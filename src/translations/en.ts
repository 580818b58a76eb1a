import type { FlinksText } from './types.js';

export const flinks: FlinksText = {
  frameTitle: 'Connect your bank account',
  loading: 'Loading the secure bank connection…',
  close: 'Close',
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
