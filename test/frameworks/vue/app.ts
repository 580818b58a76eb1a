// The Vue 3 app the browser tests drive, bundled by scripts/wtr-frameworks-vs.mjs
// (GET /__frameworks-vs/vue.js): the documented component, mounted with reactive props.
import { createApp, createSSRApp, h, nextTick, reactive } from 'vue';
import FlinksBankLink from './FlinksBankLink.vue';

import type { Mounted, Props } from './app-suite.js';

function start(target: Element, props: Props, ssr: boolean): Mounted {
  const state = reactive({ ...props });
  const root = { render: () => h(FlinksBankLink, state) };
  const app = ssr ? createSSRApp(root) : createApp(root);
  app.mount(target);
  return {
    async update(next) {
      Object.assign(state, next);
      await nextTick();
    },
    unmount: () => app.unmount(),
  };
}

/** A client-rendered app in `target`. */
export const mount = (target: Element, props: Props) => start(target, props, false);
/** Hydrates the server-rendered HTML already in `target` (from /__frameworks-vs/vue-ssr). */
export const hydrate = (target: Element, props: Props) => start(target, props, true);
