// `finframe/react`: React 18 and 19 components for every element, made with lit's `@lit/react`.
// Each component's module registers its tag; a bundler drops the modules (and tags) not used.
export { FlinksConnect } from './flinks-connect.js';
export { FlexitiWidget } from './flexiti-widget.js';
export { BenjiConnect } from './benji-connect.js';
export { FinapiWebForm } from './finapi-web-form.js';
export { FlexpayStatus } from './flexpay-status.js';
export { providerEvents } from './events.js';
