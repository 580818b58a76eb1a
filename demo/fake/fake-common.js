// What the fake provider pages (flinks/, flexiti/, benji/) have in common: the parent's exact origin,
// posting to it (never with '*'), and the test control channel. An ES module under demo/fake/, so
// the fake origin serves it next to the pages (`../fake-common.js`). Each fake keeps its own
// protocol, its own mute=1 rules and its own `run` names.

/**
 * The parent's exact origin, or null (then nothing is posted: never '*'): null in a top-level
 * window, else `location.ancestorOrigins[0]`, else the referrer's origin.
 */
export const parentOrigin = (() => {
  if (window.parent === window) return null;
  try {
    if (location.ancestorOrigins?.length) return location.ancestorOrigins[0];
    return document.referrer ? new URL(document.referrer).origin : null;
  } catch {
    return null;
  }
})();

/**
 * Posts one message verbatim to the parent at `origin` (default: the parent's exact origin).
 * False, and nothing posted, when there is no origin to post to.
 */
export function postRaw(message, origin = parentOrigin) {
  if (!origin) return false;
  window.parent.postMessage(message, origin);
  return true;
}

/**
 * The test control channel (a test cannot click inside a cross-origin frame). Accepts only
 * messages from `window.parent` at `origin` (default: the parent's exact origin; none: nothing is
 * accepted) that are objects with `fake: name`:
 *   {fake: name, command: 'send', message}  → send(message)   (default: postRaw, i.e. verbatim)
 *   {fake: name, command: 'run', name}      → run(name), for a string name
 *   {fake: name, command: 'measure', selector, id}
 *                                           → posts {measured: id, control, documentHeight, viewportHeight}:
 *       `control` is the bounding box of the first element matching `selector` in document
 *       coordinates ({top, bottom, left, right}, or null if none matches), `documentHeight` the
 *       document's scroll height, `viewportHeight` the frame's innerHeight. Tests use it to check
 *       that the frame is tall enough for the page's last control. It is the one reply, test-only
 *       and outside every provider's protocol: the element answers it with one INVALID_MESSAGE,
 *       as it answers the tests' fences. Also under mute=1.
 * Anything else is ignored, and nothing else is ever posted back (no acks). Whether mute=1 applies
 * to `run` is each fake's own business, in its `run`.
 */
export function listenForControl(name, { run, origin = parentOrigin, send = (message) => postRaw(message, origin) }) {
  window.addEventListener('message', (event) => {
    if (!origin || event.source !== window.parent || event.origin !== origin) return;
    const data = event.data;
    if (!data || typeof data !== 'object' || data.fake !== name) return;
    if (data.command === 'send') send(data.message);
    else if (data.command === 'run' && typeof data.name === 'string') run(data.name);
    else if (data.command === 'measure' && typeof data.selector === 'string') postRaw(measure(data.selector, data.id), origin);
  });
}

/** The measurement `{fake, command: 'measure'}` asks for (see listenForControl). */
function measure(selector, id) {
  const box = document.querySelector(selector)?.getBoundingClientRect();
  const control = box && {
    top: box.top + scrollY,
    bottom: box.bottom + scrollY,
    left: box.left + scrollX,
    right: box.right + scrollX,
  };
  return { measured: id, control: control ?? null, documentHeight: document.documentElement.scrollHeight, viewportHeight: innerHeight };
}

export const $ = (id) => document.getElementById(id);

/** A random GUID; also outside a secure context (e.g. a LAN address), where randomUUID is missing. */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Writes the page's status note (#note). */
export function setNote(text) {
  $('note').textContent = text;
}

/** Shows `<section id="screen-{screen}">` of main and hides the others. */
export function show(screen) {
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== `screen-${screen}`;
  // Move focus only while the person is working inside the frame: never steal it from the page.
  if (document.hasFocus()) document.querySelector(`#screen-${screen} h1`)?.focus({ preventScroll: true });
}
