import type { EventName } from '@lit/react';
import type { ProviderOutcomeDetail } from '../events/details.js';
import type { ProviderErrorEvent } from '../events/provider-error.js';
import type { ProviderEventEvent } from '../events/provider-event.js';
import type { ProviderOutcomeEvent } from '../events/provider-outcome.js';
import type { ProviderReadyEvent } from '../events/provider-ready.js';

/**
 * The four provider events as React props. `@lit/react` adds each listener with
 * `addEventListener` in a layout effect, so they work in React 18 (which would otherwise set an
 * attribute) and after React 19's hydration (which attaches no custom-element listeners, react#35446).
 * `O` narrows `onProviderOutcome`'s `event.detail` to the element's own outcomes.
 */
export const providerEvents = <O extends ProviderOutcomeDetail>() => ({
  onProviderReady: 'provider-ready' as EventName<ProviderReadyEvent>,
  onProviderEvent: 'provider-event' as EventName<ProviderEventEvent>,
  onProviderOutcome: 'provider-outcome' as EventName<ProviderOutcomeEvent<O>>,
  onProviderError: 'provider-error' as EventName<ProviderErrorEvent>,
});
