// Single-file components, compiled by scripts/wtr-frameworks-vs.mjs; type-checked by neither tsc nor this file.
declare module '*.vue' {
  import type { Component } from 'vue';
  const component: Component;
  export default component;
}
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<any>;
  export default component;
}
// test/frameworks/svelte/state.svelte.js: compiled by svelte/compiler's compileModule.
declare module '*/state.svelte.js' {
  export function props<T extends object>(initial: T): T;
}
