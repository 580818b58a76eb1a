import { createComponent } from '@lit/react';
import * as React from 'react';
// The define module: rendering the tag must also register it, or React renders an inert tag.
import { FinapiWebFormElement } from '../components/finapi-web-form/define.js';
import type { FinapiOutcomeDetail } from '../components/finapi-web-form/finapi-web-form.schema.js';
import { providerEvents } from './events.js';

/** `<finapi-web-form>` for React 18 and 19: properties set as properties, `onProvider…` props as listeners. */
export const FinapiWebForm = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'finapi-web-form',
  elementClass: FinapiWebFormElement,
  events: providerEvents<FinapiOutcomeDetail>(),
  displayName: 'FinapiWebForm',
});
