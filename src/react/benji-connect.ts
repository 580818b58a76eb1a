import { createComponent } from '@lit/react';
import * as React from 'react';
// The define module: rendering the tag must also register it, or React renders an inert tag.
import { BenjiConnectElement } from '../components/benji-connect/define.js';
import type { BenjiOutcomeDetail } from '../components/benji-connect/benji-connect.schema.js';
import { providerEvents } from './events.js';

/** `<benji-connect>` for React 18 and 19: properties set as properties, `onProvider…` props as listeners. */
export const BenjiConnect = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'benji-connect',
  elementClass: BenjiConnectElement,
  events: providerEvents<BenjiOutcomeDetail>(),
  displayName: 'BenjiConnect',
});
