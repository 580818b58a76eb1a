import { FlexitiWidgetElement } from './flexiti-widget.js';

export { FlexitiWidgetElement };

// Guarded, so a page that loads finframe twice (a theme and an app, say) does not throw.
if (typeof customElements !== 'undefined' && !customElements.get('flexiti-widget')) {
  customElements.define('flexiti-widget', FlexitiWidgetElement);
}
