import type { ProviderErrorDetail } from './details.js';

/**
 * Misconfiguration (`INVALID_CONFIG`), `LOAD_TIMEOUT`, a malformed message from the trusted frame
 * (`INVALID_MESSAGE`, non-fatal), or an error the provider reported.
 */
export class ProviderErrorEvent extends CustomEvent<ProviderErrorDetail> {
  constructor(detail: ProviderErrorDetail) {
    super('provider-error', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'provider-error': ProviderErrorEvent;
  }
}
