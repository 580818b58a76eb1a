import type { ProviderEventDetail } from './details.js';

/** Every accepted, non-terminal message from the provider, under the provider's own name. */
export class ProviderEventEvent extends CustomEvent<ProviderEventDetail> {
  constructor(detail: ProviderEventDetail) {
    super('provider-event', { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'provider-event': ProviderEventEvent;
  }
}
