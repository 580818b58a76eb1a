// Generated from custom-elements.json by `node scripts/framework-types.mjs` (`npm run docs`). Do not edit.
// Vue 3 template types for finframe's tags (vue-tsc, Volar): properties, attributes and the
// `@provider-outcome`-style events with their event classes. Include with
// `import type {} from 'finframe/vue';` once in your app (e.g. in env.d.ts). Vue itself must still be
// told the tags are custom elements (`compilerOptions.isCustomElement`), see docs/frameworks.md.
import type { DefineComponent } from 'vue';
import type { FinframeAttributes, FinframeEvents, FinframeProperties, FinframeTag } from './elements.js';

// vue-tsc reads `days-of-transactions="…"` on a component as the prop `daysOfTransactions`.
type Camel<S extends string> = S extends `${infer H}-${infer R}` ? `${H}${Capitalize<Camel<R>>}` : S;
type Attributes<T extends FinframeTag> = Omit<{ [A in keyof FinframeAttributes[T] & string as Camel<A>]?: FinframeAttributes[T][A] }, keyof FinframeProperties[T]>;
type Emits<T extends FinframeTag> = {
  [E in keyof FinframeEvents[T] & string]: (event: FinframeEvents[T][E]) => void;
};
// Props type, no bindings, data, computed, methods, mixin or extends (Vue's own defaults); then the emits.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type Props<T extends FinframeTag> = DefineComponent<FinframeProperties[T] & Attributes<T>, {}, {}, {}, {}, {}, {}, Emits<T>>;

declare module 'vue' {
  interface GlobalComponents {
    'benji-connect': Props<'benji-connect'>;
    'finapi-web-form': Props<'finapi-web-form'>;
    'flexiti-widget': Props<'flexiti-widget'>;
    'flexpay-status': Props<'flexpay-status'>;
    'flinks-connect': Props<'flinks-connect'>;
  }
}
