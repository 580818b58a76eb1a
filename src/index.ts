// Side-effect free: classes, events, types and schemas. Register tags with `finframe/define.js`.
export { ProviderFrameElement, FrameStatus } from './base/provider-frame-element.js';
export type { FrameAction, FrameConfig, DismissTrigger } from './base/provider-frame-element.js';
export { ProviderReadyEvent } from './events/provider-ready.js';
export { ProviderEventEvent } from './events/provider-event.js';
export { ProviderOutcomeEvent } from './events/provider-outcome.js';
export { ProviderErrorEvent } from './events/provider-error.js';
export type {
  ProviderName,
  ProviderReadyDetail,
  ProviderEventDetail,
  ProviderOutcomeDetail,
  ProviderErrorDetail,
  FrameErrorData,
} from './events/details.js';
export { FlinksConnectElement } from './components/flinks-connect/flinks-connect.js';
export {
  FlinksStepSchema,
  FlinksApiEventSchema,
  FlinksRedirectSchema,
  FlinksConnectedSchema,
  parseFlinksMessage,
  flinksCodeStatus,
} from './components/flinks-connect/flinks-connect.schema.js';
export type {
  FlinksConnectedData,
  FlinksExpiredData,
  FlinksMessage,
  FlinksOutcome,
  FlinksOutcomeDetail,
} from './components/flinks-connect/flinks-connect.schema.js';
export { FlexitiWidgetElement } from './components/flexiti-widget/flexiti-widget.js';
export {
  FlexitiEventDataSchema,
  FlexitiFailureSchema,
  FlexitiMessageSchema,
  FLEXITI_OUTCOMES,
  flexitiNextStep,
  flexitiOutcome,
  parseFlexitiMessage,
} from './components/flexiti-widget/flexiti-widget.schema.js';
export type {
  FlexitiErrorData,
  FlexitiFlow,
  FlexitiMessage,
  FlexitiNextStep,
  FlexitiOutcome,
  FlexitiOutcomeDetail,
  FlexitiSuccessData,
} from './components/flexiti-widget/flexiti-widget.schema.js';
export { BenjiConnectElement } from './components/benji-connect/benji-connect.js';
export {
  BenjiMessageSchema,
  BenjiSuccessSchema,
  BenjiExitSchema,
  BenjiErrorSchema,
  BenjiTokenSchema,
  parseBenjiMessage,
} from './components/benji-connect/benji-connect.schema.js';
export type {
  BenjiErrorData,
  BenjiExitData,
  BenjiMessage,
  BenjiOutcomeDetail,
  BenjiSuccessData,
} from './components/benji-connect/benji-connect.schema.js';
export { FinapiWebFormElement } from './components/finapi-web-form/finapi-web-form.js';
export { FinapiFailErrorSchema, FINAPI_LANGUAGES, parseFinapiFailError } from './components/finapi-web-form/finapi-web-form.schema.js';
export type {
  FinapiFailError,
  FinapiFailedData,
  FinapiLanguage,
  FinapiOutcome,
  FinapiOutcomeDetail,
} from './components/finapi-web-form/finapi-web-form.schema.js';
export { FlexPayStatusElement } from './components/flexpay-status/flexpay-status.js';
export { FlexPayStatusMessageSchema, FLEXPAY_STATUSES, parseFlexPayStatus } from './components/flexpay-status/flexpay-status.schema.js';
export type {
  FlexPayOutcome,
  FlexPayOutcomeDetail,
  FlexPayPaymentStatus,
  FlexPayStatusData,
} from './components/flexpay-status/flexpay-status.schema.js';
export { ProviderOutcomeElement } from './base/provider-outcome-element.js';
// Development and tests only: lets a production build trust loopback frames, scripts and links.
export { allowLoopback } from './internal/url.js';
export type { Lang } from './translations/types.js';
