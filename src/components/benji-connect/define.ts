import { BenjiConnectElement } from './benji-connect.js';

export { BenjiConnectElement };

// Guarded, so a page that loads finframe twice (a theme and an app, say) does not throw.
if (typeof customElements !== 'undefined' && !customElements.get('benji-connect')) {
  customElements.define('benji-connect', BenjiConnectElement);
}
