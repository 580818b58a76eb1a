import { FinapiWebFormElement } from './finapi-web-form.js';

export { FinapiWebFormElement };

// Guarded, so a page that loads finframe twice (a theme and an app, say) does not throw.
if (typeof customElements !== 'undefined' && !customElements.get('finapi-web-form')) {
  customElements.define('finapi-web-form', FinapiWebFormElement);
}

