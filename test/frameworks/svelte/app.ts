// The Svelte 5 app the browser tests drive, bundled by scripts/wtr-frameworks-vs.mjs
// (GET /__frameworks-vs/svelte.js): the documented component, mounted with reactive props.
import { flushSync, hydrate as svelteHydrate, mount as svelteMount, unmount } from 'svelte';
import FlinksBankLink from './FlinksBankLink.svelte';
import { props as reactiveProps } from './state.svelte.js';
import type { Mounted, Props } from '../vue/app-suite.js';

function start(target: Element, given: Props, ssr: boolean): Mounted {
  const state = reactiveProps({ src: given.src, token: given.token, onoutcome: given.onOutcome });
  const app = (ssr ? svelteHydrate : svelteMount)(FlinksBankLink, { target, props: state });
  flushSync();
  return {
    async update(next) {
      if ('src' in next) state.src = next.src;
      if ('token' in next) state.token = next.token;
      if ('onOutcome' in next) state.onoutcome = next.onOutcome;
      flushSync();
    },
    unmount: () => void unmount(app),
  };
}

export const mount = (target: Element, props: Props) => start(target, props, false);
export const hydrate = (target: Element, props: Props) => start(target, props, true);
