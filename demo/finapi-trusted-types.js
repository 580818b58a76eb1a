// A Trusted Types `default` policy for finAPI's web form loader (@finapi/web-form, inside
// <finapi-web-form>), for pages whose CSP enforces `require-trusted-types-for 'script'`.
//
// Why a `default` policy: the loader writes plain strings to two Trusted Types sinks —
//   target.innerHTML = '<style>…</style><div class="web-form-spinner">…</div>'   (its spinner)
//   script.src = '{server}/finapi-webform2.js?t=…&token=…&tagname=…'            (finAPI's form)
// and it cannot be handed a policy. Under enforcement a plain string reaching a sink is passed to
// the policy named `default`, if the page has one; otherwise the write throws and the web form
// never loads. So this page defines `default`, and lets exactly those two writes through:
//
// - createScriptURL: only for a <script src>, only a URL whose origin + path is exactly
//   `{server}/finapi-webform2.js` (the query — cache buster, token, tag name — may vary);
// - createHTML: only for innerHTML, only markup shaped like the loader's spinner. Matching the
//   loader's string exactly would break on any whitespace change in a new @finapi/web-form, so the
//   check is structural instead: the `web-form-spinner` class must be there, and every tag and
//   attribute must be one the spinner uses (style, div, svg, circle, animate; class, role, viewBox,
//   the circle's geometry and stroke, the animate timing). No <script>, no on… handlers, no URLs
//   (no href/src attribute is allowed, and <animate> may only animate the two stroke properties).
//   The <style> body is not parsed: the CSP's style-src carries the hash of the spinner's exact
//   style text, so a different style would not apply anyway.
//
// Anything else is refused (the policy returns null): the browser reports a Trusted Types
// violation and the write throws, as it would without a policy. lit-html keeps its own `lit-html`
// policy. The CSP must allow the name: `trusted-types lit-html default`.

const SPINNER_TAGS = new Set(['style', 'div', 'svg', 'circle', 'animate']);
const SPINNER_ATTRIBUTES = new Set([
  'class',
  'role',
  'viewbox',
  'stroke',
  'cx',
  'cy',
  'r',
  'fill',
  'stroke-width',
  'stroke-dasharray',
  'stroke-dashoffset',
  'attributename',
  'values',
  'begin',
  'dur',
  'repeatcount',
  'keytimes',
  'keysplines',
]);
const ANIMATED = new Set(['stroke-dasharray', 'stroke-dashoffset']);

/** Whether `html` is markup of the loader's spinner's shape (see above). */
export function isFinapiSpinnerMarkup(html) {
  if (typeof html !== 'string' || html.length > 8192 || !/\bclass="web-form-spinner"/.test(html)) return false;
  const tags = [...html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<>]*")*)\s*(\/?)>/g)];
  // Every '<' must start one of the tags matched: no comments, doctypes or other markup in between.
  if (tags.length !== html.split('<').length - 1) return false;
  for (const [, , name, attributes] of tags) {
    if (!SPINNER_TAGS.has(name.toLowerCase())) return false;
    for (const [, attribute, value] of attributes.matchAll(/([a-zA-Z][a-zA-Z0-9:-]*)="([^"]*)"/g)) {
      const lower = attribute.toLowerCase();
      if (!SPINNER_ATTRIBUTES.has(lower)) return false;
      if (lower === 'attributename' && !ANIMATED.has(value)) return false;
    }
  }
  return true;
}

/**
 * Creates the page's `default` Trusted Types policy for finAPI's loader with web form server
 * `server` (the element's target-url: origin and path, no trailing slash). Call it once, before any
 * <finapi-web-form> starts. Returns the policy, or null where the browser has no Trusted Types.
 */
export function allowFinapiLoader(server) {
  if (!globalThis.trustedTypes?.createPolicy) return null;
  const script = new URL(`${server.replace(/\/+$/, '')}/finapi-webform2.js`);
  const expected = script.origin + script.pathname;
  return trustedTypes.createPolicy('default', {
    createScriptURL(value, _type, sink) {
      if (sink !== 'HTMLScriptElement src') return null;
      let url;
      try {
        url = new URL(value);
      } catch {
        return null;
      }
      return url.origin + url.pathname === expected && !url.username && !url.password && !url.hash ? value : null;
    },
    createHTML(value, _type, sink) {
      return sink === 'Element innerHTML' && isFinapiSpinnerMarkup(value) ? value : null;
    },
    // Nothing here needs to create script text (eval, inline script): refuse it.
    createScript: () => null,
  });
}
