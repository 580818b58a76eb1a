import { createComponent } from '@lit/react';
import * as React from 'react';
// The define module: rendering the tag must also register it, or React renders an inert tag.
import { FlinksConnectElement } from '../components/flinks-connect/define.js';
import type { FlinksOutcomeDetail } from '../components/flinks-connect/flinks-connect.schema.js';
import { providerEvents } from './events.js';

/** `<flinks-connect>` for React 18 and 19: properties set as properties, `onProvider…` props as listeners. */
export const FlinksConnect = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'flinks-connect',
  elementClass: FlinksConnectElement,
  events: providerEvents<FlinksOutcomeDetail>(),
  displayName: 'FlinksConnect',
});
