// Server rendering in Node, at request time (scripts/wtr-frameworks-vs.mjs, GET /__frameworks-vs/svelte-ssr).
import { render } from 'svelte/server';
import FlinksBankLink from './FlinksBankLink.svelte';

export function renderApp(props: { src?: string; token?: string }): string {
  return render(FlinksBankLink, { props }).body;
}
