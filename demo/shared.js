// What the three demo pages (demo.js, flexiti.js, benji.js) have in common: element lookup, the demo
// config, the live log, the status and outcome, the own-message box, masking helpers and
// the "element not built" notice. Each page keeps its own behaviour; nothing here holds page state.
// Everything shown goes through textContent: provider data never becomes markup.

export const $ = (id) => document.getElementById(id);

/** The origins the demo server uses: `{fakeOrigin, hostileOrigin}`. */
export async function fetchConfig() {
  return (await fetch('/demo-config.json')).json();
}

/**
 * Whether `tag` is defined. The CDN bundle is a module script before the page's, so it has run: the
 * tag is defined by now, or never (a build without the element). The short wait only guards against
 * a bundle that defers it.
 */
export async function isDefinedSoon(tag) {
  await Promise.race([customElements.whenDefined(tag), new Promise((done) => setTimeout(done, 500))]);
  return Boolean(customElements.get(tag));
}

// The live log.

const time = () => new Date().toTimeString().slice(0, 8) + '.' + String(Date.now() % 1000).padStart(3, '0');

/**
 * The live log in #log (newest first, at most 200 entries), cleared by #clear-log. Returns
 * `log(kind, headline, data?, instance?)`. `text` cleans every string shown as it is (the headline,
 * string data); `json` prepares any other data for JSON.stringify. `instance` (`{key, el}`), on pages
 * with several elements, tags the entry with the element it is about.
 */
export function createLog({ text = (s) => s, json = (data) => data } = {}) {
  $('clear-log').addEventListener('click', () => $('log').replaceChildren());
  return function log(kind, headline, data, instance) {
    const item = document.createElement('li');
    item.className = `entry ${kind}`;
    if (instance) item.dataset.instance = instance.key;
    const head = document.createElement('div');
    const stamp = document.createElement('span');
    stamp.className = 'time';
    stamp.textContent = time();
    head.append(stamp, ' ');
    if (instance) {
      const who = document.createElement('span');
      who.className = `who ${instance.key}`;
      who.title = `instance ${instance.key.toUpperCase()} (#${instance.el.id})`;
      who.textContent = instance.key.toUpperCase();
      head.append(who, ' ');
    }
    const title = document.createElement('span');
    title.className = 'headline';
    title.textContent = text(headline);
    head.append(title);
    item.append(head);
    if (data !== undefined) {
      const pre = document.createElement('pre');
      pre.textContent = typeof data === 'string' ? text(data) : JSON.stringify(json(data), null, 1);
      item.append(pre);
    }
    const list = $('log');
    list.prepend(item);
    while (list.children.length > 200) list.lastElementChild.remove();
  };
}

/** A `provider-error` detail as a log entry: `[kind, headline, data]`. */
export function errorEntry({ code, fatal, message, data }) {
  return [fatal ? 'fatal' : 'error', `provider-error  ${code}${fatal ? ' (fatal)' : ''}`, { message, ...(data === undefined ? {} : { data }) }];
}

// The element's state.

/** Sets `node`'s text only when it changed (this runs every frame). */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** Calls `fn` once per animation frame, for as long as the page lives. */
export function everyFrame(fn) {
  const tick = () => {
    fn();
    requestAnimationFrame(tick);
  };
  tick();
}

/**
 * Shows the element's `status` and `outcome` properties in two outputs ('–' when absent, and while
 * the element is not on the page), then calls `after()` (if given) on every change. The element
 * writes no attribute on itself (its state is in properties and custom states, `:state(ready)`),
 * so there is nothing to observe: the page reads them every frame. Returns the function that shows
 * them, for a removal or an addition.
 */
export function showState(el, status, outcome, after) {
  let last;
  const show = () => {
    const now = el.isConnected ? [el.status, el.outcome] : [];
    setText(status, now[0] || '–');
    setText(outcome, now[1] || '–');
    return now.join();
  };
  everyFrame(() => {
    const now = show();
    if (last !== undefined && now !== last) after?.();
    last = now;
  });
  return show;
}

/**
 * The usual controls of a page with one element: every control in `controls` calls `apply` on
 * change, #open calls `el.open()`, #reset calls `clear`, logs and calls `el.reset()`, and #status
 * and #outcome show its `status` and `outcome`.
 */
export function wireControls(el, { controls, apply, clear, log }) {
  for (const control of Object.values(controls)) control.addEventListener('change', apply);
  $('open').addEventListener('click', () => el.open());
  $('reset').addEventListener('click', () => {
    clear();
    log('info', 'reset()');
    el.reset();
  });
  showState(el, $('status'), $('outcome'));
}

/** Shows the page's own outcome message in `box`. */
export function showOwnMessage(box, text) {
  box.textContent = text;
  box.hidden = false;
}

/** Hides and empties the page's own outcome message box. */
export function hideOwnMessage(box) {
  box.hidden = true;
  box.textContent = '';
}

// Masking.

/** `text` with every occurrence of each of `values` (non-empty strings) replaced by '••••'. */
export function scrubValues(text, values) {
  let out = text;
  for (const value of values) out = out.split(value).join('••••');
  return out;
}

/**
 * A copy of `data` with the value under every key for which `isSecret(key)` holds replaced whole by
 * `mask`, and every other string passed through `scrub`.
 */
export function maskDeep(data, { isSecret, mask, scrub }) {
  const walk = (value, key) => {
    if (key !== undefined && isSecret(key)) return mask;
    if (typeof value === 'string') return scrub(value);
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(data);
}

// A build without the element.

/**
 * Before the element is built into dist/cdn/finframe.js: says so in `host`, without a console
 * error, disables `controls` and logs it.
 */
export function showMissing(tag, host, controls, log) {
  const missing = document.createElement('p');
  missing.className = 'missing';
  missing.textContent = `<${tag}> is not defined: dist/cdn/finframe.js does not include it yet. Run \`npm run build\` once the element exists, then reload.`;
  host.append(missing);
  for (const control of controls) control.disabled = true;
  log('fatal', `<${tag}> is not in dist/cdn/finframe.js`);
}
