// Server rendering in Node, at request time (scripts/wtr-frameworks-vs.mjs, GET /__frameworks-vs/nuxt-ssr).
import { createSSRApp, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import FlinksSessionLink from './FlinksSessionLink.vue';

export function renderApp(props: { sessionUrl: string }): Promise<string> {
  return renderToString(createSSRApp({ render: () => h(FlinksSessionLink, props) }));
}
