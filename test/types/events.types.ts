/**
 * Type tests: checked by `tsc --noEmit` (npm test's type check), never run. Each
 * `@ts-expect-error` fails the type check if the line it marks stops being an error.
 */
import type { FlinksConnectElement, ProviderOutcomeEvent } from '../../src/index.js';

export function typeTests(): void {
  // Tags are known to the DOM's own typings.
  const el: FlinksConnectElement = document.createElement('flinks-connect');
  const found: FlinksConnectElement | null = document.querySelector('flinks-connect');
  void found;

  // Events are typed from any EventTarget's addEventListener, through GlobalEventHandlersEventMap.
  el.addEventListener('provider-outcome', (event) => {
    const typed: ProviderOutcomeEvent = event;
    const detail = typed.detail;
    if (detail.provider === 'flinks' && detail.outcome === 'connected') {
      const loginId: string = detail.data.loginId;
      const accounts: readonly string[] = detail.data.accountIds;
      void loginId, accounts;
      // @ts-expect-error the outcome data is frozen
      detail.data.loginId = 'x';
    }
    if (detail.outcome === 'expired') {
      const code: string = detail.data.code;
      void code;
      // @ts-expect-error only `connected` carries a loginId
      void detail.data.loginId;
    }
    // @ts-expect-error no such outcome
    if (detail.outcome === 'approved') return;
    if (detail.provider === 'flexiti' && detail.outcome === 'verified') {
      const next: 'authorize-purchase' | string = detail.nextStep;
      const account: number | null = detail.data.accountNumber;
      const verified: boolean = detail.data.verified;
      void next, account, verified;
    }
    if (detail.provider === 'flexiti' && detail.outcome === 'error') {
      const status: number | undefined = detail.data.status;
      void status;
    }
    // @ts-expect-error Flinks has no nextStep
    if (detail.provider === 'flinks') void detail.nextStep;
  });

  document.addEventListener('provider-error', (event) => {
    const fatal: boolean = event.detail.fatal;
    const code: string = event.detail.code;
    void fatal, code;
  });

  document.addEventListener('provider-event', (event) => {
    const name: string = event.detail.name;
    void name;
    // @ts-expect-error details are read-only
    event.detail.name = 'x';
  });

  // @ts-expect-error status is read-only
  el.status = 'ready';
  // @ts-expect-error outcome is read-only
  el.outcome = 'connected';
  const status: 'idle' | 'loading' | 'ready' | 'complete' | 'error' = el.status;
  void status;
  el.authorizeToken = 'token';
  el.sessionUrl = '/finframe/session';
  const sessionUrl: string | undefined = document.createElement('finapi-web-form').sessionUrl;
  void sessionUrl;
  document.createElement('benji-connect').sessionUrl = undefined;
  // @ts-expect-error <flexpay-status> takes no session-url
  document.createElement('flexpay-status').sessionUrl = '/finframe/session';
  const flexiti = document.createElement('flexiti-widget');
  flexiti.sessionUrl = '/finframe/session';
  flexiti.flow = 'apply';
  // @ts-expect-error only purchase or apply
  flexiti.flow = 'lease';
  el.open();
  el.close();
  el.reset();
}
