import { runAppSuite, type App } from './app-suite.js';

// The app is bundled on request by scripts/wtr-frameworks-vs.mjs; finframe is not in it.
const APP = '/__frameworks-vs/vue.js';
runAppSuite('Vue 3', async () => (await import(/* @vite-ignore */ APP)) as App, '/__frameworks-vs/vue-ssr');
