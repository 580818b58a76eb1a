/* global $state */
// Props the tests change from outside the component: a rune, in a `.svelte.js` module.
export function props(initial) {
  const state = $state({ ...initial });
  return state;
}
