import { runAppSuite, type App } from '../vue/app-suite.js';

// The app is bundled on request by scripts/wtr-frameworks-vs.mjs; finframe is not in it.
const APP = '/__frameworks-vs/svelte.js';
runAppSuite('Svelte 5', async () => (await import(/* @vite-ignore */ APP)) as App, '/__frameworks-vs/svelte-ssr');
