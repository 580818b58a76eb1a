// The URL a frame element builds from its attributes, by the element's own logic, without loading
// anything. Every demo page overrides the frame URL with `src` (the fakes live on loopback), so the
// URL a shop's attributes would give is never loaded here; this shows it beside the one that is.
//
// How: a subclass of the element calls its protected frameConfig() — the method every provider
// element implements to build and check its URL, and the one the element itself calls before each
// session — on a copy that is never connected: no frame, no session, no events.

const probes = new Map();

/** A never-connected element of `tag` that can report its frame URL. */
function probeOf(tag) {
  let Probe = probes.get(tag);
  if (!Probe) {
    const Element = customElements.get(tag);
    Probe = class extends Element {
      /** The element's own verdict: `{ok: true, url}` or `{ok: false, attribute, message}`. */
      frameUrl(lang) {
        return this.frameConfig(lang);
      }
    };
    customElements.define(`demo-${tag}-url`, Probe);
    probes.set(tag, Probe);
  }
  return new Probe();
}

/**
 * The URL `tag` builds from `attributes` (name → value; `src` is left out unless given) and
 * `properties` (e.g. a token), in `lang`: `{ok: true, href}` or `{ok: false, reason}`.
 */
export function attributeUrl(tag, { attributes = {}, properties = {}, lang = 'en' } = {}) {
  const probe = probeOf(tag);
  for (const [name, value] of Object.entries(attributes)) probe.setAttribute(name, value);
  Object.assign(probe, properties);
  const config = probe.frameUrl(lang);
  return config.ok ? { ok: true, href: config.url.href } : { ok: false, reason: `${config.message} (attribute "${config.attribute}")` };
}

/** `el`'s attributes as an object, without `src` and the page's own `id`, `class`, `style` and `data-*`. */
export function attributesOf(el, skip = ['src', 'id', 'class', 'style']) {
  return Object.fromEntries([...el.attributes].filter((a) => !skip.includes(a.name) && !a.name.startsWith('data-')).map((a) => [a.name, a.value]));
}

/** Shows `url` (or why there is none) in `output`, through `mask` (for tokens). */
export function showUrl(output, result, mask = (s) => s) {
  output.textContent = result.ok ? mask(result.href) : `none: ${mask(result.reason)}`;
}
