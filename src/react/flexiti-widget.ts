import { createComponent } from '@lit/react';
import * as React from 'react';
// The define module: rendering the tag must also register it, or React renders an inert tag.
import { FlexitiWidgetElement } from '../components/flexiti-widget/define.js';
import type { FlexitiOutcomeDetail } from '../components/flexiti-widget/flexiti-widget.schema.js';
import { providerEvents } from './events.js';

/** `<flexiti-widget>` for React 18 and 19: properties set as properties, `onProvider…` props as listeners. */
export const FlexitiWidget = /* @__PURE__ */ createComponent({
  react: React,
  tagName: 'flexiti-widget',
  elementClass: FlexitiWidgetElement,
  events: providerEvents<FlexitiOutcomeDetail>(),
  displayName: 'FlexitiWidget',
});
