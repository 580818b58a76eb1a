import { FlexPayStatusElement } from './flexpay-status.js';

export { FlexPayStatusElement };

// Guarded, so a page that loads finframe twice (a theme and an app, say) does not throw.
if (typeof customElements !== 'undefined' && !customElements.get('flexpay-status')) {
  customElements.define('flexpay-status', FlexPayStatusElement);
}
