// Generated from custom-elements.json by `node scripts/framework-types.mjs` (`npm run docs`). Do not edit.
// Svelte 5 template types for finframe's tags (svelte-check): properties (Svelte sets a prop as
// a property when the element has it), attributes, and `onprovider-outcome`-style handlers.
// Include with `import type {} from 'finframe/svelte';` once in your app (e.g. in src/app.d.ts).
import type { HTMLAttributes } from 'svelte/elements';
import type { FinframeAttributes, FinframeElements, FinframeEvents, FinframeProperties, FinframeTag } from './elements.js';

type Listeners<T extends FinframeTag> = {
  [E in keyof FinframeEvents[T] & string as `on${E}`]?: (event: FinframeEvents[T][E]) => void;
};
type Own<T extends FinframeTag> = FinframeProperties[T] & FinframeAttributes[T] & Listeners<T>;
type Props<T extends FinframeTag> = Omit<HTMLAttributes<FinframeElements[T]>, keyof Own<T>> & Own<T>;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'benji-connect': Props<'benji-connect'>;
    'finapi-web-form': Props<'finapi-web-form'>;
    'flexiti-widget': Props<'flexiti-widget'>;
    'flexpay-status': Props<'flexpay-status'>;
    'flinks-connect': Props<'flinks-connect'>;
  }
}
