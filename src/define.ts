// Registers every finframe tag. Each define entry is guarded, so loading twice does not throw.
import './components/flinks-connect/define.js';
import './components/flexiti-widget/define.js';
import './components/benji-connect/define.js';
import './components/finapi-web-form/define.js';
import './components/flexpay-status/define.js';

export * from './index.js';
