import type { ProviderOutcomeDetail } from './details.js';

/**
 * The terminal outcome, at most once until `reset()`. Cancelable: `preventDefault()` keeps the
 * built-in outcome message hidden so the page can show its own.
 */
export class ProviderOutcomeEvent<D extends ProviderOutcomeDetail = ProviderOutcomeDetail> extends CustomEvent<D> {
  constructor(detail: D) {
    super('provider-outcome', { bubbles: true, composed: true, cancelable: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'provider-outcome': ProviderOutcomeEvent;
  }
}
