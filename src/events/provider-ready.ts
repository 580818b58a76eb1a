import type { ProviderReadyDetail } from './details.js';

/** The first trusted, valid message arrived from the provider's frame. */
export class ProviderReadyEvent extends CustomEvent<ProviderReadyDetail> {
  constructor(detail: ProviderReadyDetail) {
    super('provider-ready', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'provider-ready': ProviderReadyEvent;
  }
}
