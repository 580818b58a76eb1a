import { createComponent } from '@lit/react';
import * as React from 'react';
// The define module: rendering the tag must also register it, or React renders an inert tag.
import { FlexPayStatusElement } from '../components/flexpay-status/define.js';
import type { FlexPayOutcomeDetail } from '../components/flexpay-status/flexpay-status.schema.js';
import { providerEvents } from './events.js';

/** `<flexpay-status>` for React 18 and 19: properties set as properties, `onProvider…` props as listeners. */
export const FlexpayStatus = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'flexpay-status',
  elementClass: FlexPayStatusElement,
  events: providerEvents<FlexPayOutcomeDetail>(),
  displayName: 'FlexpayStatus',
});
