import { FlinksConnectElement } from './flinks-connect.js';

export { FlinksConnectElement };

// Guarded, so a page that loads finframe twice (a theme and an app, say) does not throw.
if (typeof customElements !== 'undefined' && !customElements.get('flinks-connect')) {
  customElements.define('flinks-connect', FlinksConnectElement);
}
