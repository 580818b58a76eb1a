// Server rendering in Node, at request time (scripts/wtr-frameworks-vs.mjs, GET /__frameworks-vs/vue-ssr).
import { createSSRApp, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import FlinksBankLink from './FlinksBankLink.vue';

export function renderApp(props: { src?: string; token?: string }): Promise<string> {
  return renderToString(createSSRApp({ render: () => h(FlinksBankLink, props) }));
}
