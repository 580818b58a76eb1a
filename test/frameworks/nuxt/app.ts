// The Nuxt component the browser tests drive, bundled by scripts/wtr-frameworks-vs.mjs
// (GET /__frameworks-vs/nuxt.js): mounted or hydrated by Vue itself, as Nuxt does (Nuxt is Vue's
// createSSRApp on the client and vue/server-renderer on the server, around the same compiled SFC).
import { createApp, createSSRApp, h } from 'vue';
import FlinksSessionLink from './FlinksSessionLink.vue';

export interface Props {
  sessionUrl: string;
  onConnected?: (loginId: string) => void;
}

function start(target: Element, props: Props, ssr: boolean) {
  const root = { render: () => h(FlinksSessionLink, props) };
  const app = ssr ? createSSRApp(root) : createApp(root);
  app.mount(target);
  return { unmount: () => app.unmount() };
}

/** A client-rendered component (a client-side navigation in Nuxt). */
export const mount = (target: Element, props: Props) => start(target, props, false);
/** Hydrates the server-rendered HTML already in `target` (from /__frameworks-vs/nuxt-ssr). */
export const hydrate = (target: Element, props: Props) => start(target, props, true);
