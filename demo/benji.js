// The <benji-connect> demo page. Everything shown comes from textContent: provider data never
// becomes markup, and no token (access, refresh, connect) is ever written to the page's DOM.

const MASK = '•••• (send to your server)';
const $ = (id) => document.getElementById(id);

const config = await (await fetch('/demo-config.json')).json();
$('fake-origin').textContent = config.fakeOrigin;

const controls = {
  lang: $('lang'),
  inline: $('inline'),
  ownMessage: $('own-message'),
};

// The CDN bundle is a module script before this one, so it has run: the tag is defined by now, or
// never (a build without the element). The short wait only guards against a bundle that defers it.
await Promise.race([customElements.whenDefined('benji-connect'), new Promise((done) => setTimeout(done, 500))]);
const defined = Boolean(customElements.get('benji-connect'));

// Demo connect tokens, one per instance. The fake only checks that one is present.
//
// In production the merchant's SERVER gets a fresh, single-use connect token for each session from
// Benji: `POST /auth/connect` with its `x-api-key` header (never sent to the browser) and a body of
// `partnership_id`, `mode` (1 connect, 3 transfer, 4 redeem) and `user_external_id` (the shopper's id
// in the merchant's system). The page fetches that token from its own server and sets the element's
// `token` PROPERTY — not the attribute, which every script and DOM snapshot on the page could read.
const DEMO_TOKENS = { a: 'ct_demo_4f1c9a2e7b', b: 'ct_demo_b83d60e51a' };

/** Token values seen in events, kept in memory only, so they can be scrubbed from any string shown. */
const secrets = new Set();

/** One <benji-connect> per key. Created here rather than in the HTML so none starts without src and token. */
const instances = ['a', 'b'].map((key) => {
  const el = document.createElement('benji-connect');
  el.id = `benji-${key}`;
  el.dataset.instance = key.toUpperCase();
  // Loopback frames are for development; production leaves `src` out and uses Benji's own host.
  el.environment = 'development';
  el.src = `${config.fakeOrigin}/fake/benji/index.html`;
  el.token = DEMO_TOKENS[key];
  return { key, el, open: $(`open-${key}`), own: $(`own-outcome-${key}`), status: $(`status-${key}`), outcome: $(`outcome-${key}`) };
});
const byElement = new Map(instances.map((i) => [i.el, i]));

function applyControls() {
  for (const { el } of instances) {
    el.lang = controls.lang.value;
    el.toggleAttribute('inline', controls.inline.checked);
  }
}

controls.lang.addEventListener('change', () => {
  applyControls();
  log('info', `lang="${controls.lang.value}" (the element's own text: dialog name, close button, outcome messages)`);
});
controls.inline.addEventListener('change', () => {
  applyControls();
  log(
    'info',
    controls.inline.checked
      ? 'inline: the frames load in the page flow now; open() starts a new session after an outcome'
      : 'modal (default): no frame until open()',
  );
});
$('clear-log').addEventListener('click', () => $('log').replaceChildren());

for (const instance of instances) {
  const { el, open } = instance;
  open.addEventListener('click', () => {
    hideOwnOutcome(instance);
    log('info', 'open()', undefined, instance);
    el.open();
  });
  // status and outcome, as the element reflects them.
  new MutationObserver(() => {
    instance.status.textContent = el.getAttribute('status') ?? '–';
    instance.outcome.textContent = el.getAttribute('outcome') ?? '–';
    // A new session (open() after an outcome, inline switched): the old message no longer applies.
    if (!el.hasAttribute('outcome')) hideOwnOutcome(instance);
  }).observe(el, { attributes: true, attributeFilter: ['status', 'outcome'] });
}

// The live log. Every listener is on the document: the events bubble and are composed.

const from = (e) => byElement.get(e.target);

document.addEventListener('provider-ready', (e) => {
  const frame = e.target.shadowRoot?.querySelector('iframe');
  log('ready', 'provider-ready', frame ? `frame loaded: ${scrub(frame.src)}` : undefined, from(e));
});
document.addEventListener('provider-event', (e) => {
  const { name, data } = e.detail;
  const what = name === 'EVENT' && typeof data?.event === 'string' ? `: ${data.event}` : '';
  const note = name !== 'FLOW_EXIT' ? '' : e.target.hasAttribute('inline') ? '  (after a success; inline: no dialog to close)' : '  (after a success: the dialog closes)';
  log('event', `provider-event  ${name}${what}${note}`, data, from(e));
});
document.addEventListener('provider-error', (e) => {
  const { code, fatal, message, data } = e.detail;
  log(fatal ? 'fatal' : 'error', `provider-error  ${code}${fatal ? ' (fatal)' : ''}`, { message, ...(data === undefined ? {} : { data }) }, from(e));
});
document.addEventListener('provider-outcome', (e) => {
  const instance = from(e);
  const { outcome, data } = e.detail;
  const own = controls.ownMessage.checked;
  if (own) e.preventDefault();
  const trigger = outcome === 'exit' && data?.trigger ? `  trigger ${data.trigger}` : '';
  const note = outcome === 'success' ? '  (the dialog stays open until Benji’s FLOW_EXIT)' : '';
  log(
    outcome === 'success' ? 'outcome' : 'outcome bad',
    `provider-outcome  ${outcome}${trigger}${own ? '  (preventDefault: the page shows its own message)' : note}`,
    data,
    instance,
  );
  // A real page would now POST data.token (and data.refreshToken) to its own server, which keeps
  // them for Benji's API calls on this shopper's behalf. They are never shown or stored in the page.
  if (own && instance) showOwnOutcome(instance, outcome, data);
});

/** The page's own words per outcome, in place of the element's built-in text. */
function showOwnOutcome(instance, outcome, data) {
  const fr = controls.lang.value === 'fr';
  const name = typeof data?.user?.first_name === 'string' ? data.user.first_name : '';
  const points = typeof data?.status?.num_of_rewards === 'number' ? data.status.num_of_rewards : undefined;
  const text = {
    success: fr
      ? `Message de la page : ${name ? `${name}, votre` : 'votre'} compte de fidélité est lié${points === undefined ? '' : ` (${points} points)`} (action « ${data?.action} »).`
      : `The page’s own message: ${name ? `${name}, your` : 'your'} loyalty account is linked${points === undefined ? '' : ` (${points} points)`} (action “${data?.action}”).`,
    exit: fr
      ? `Message de la page : vous avez quitté Benji Connect (${data?.trigger ?? 'sortie'}). Vous pourrez lier votre compte plus tard.`
      : `The page’s own message: you left Benji Connect (${data?.trigger ?? 'exit'}). You can link your account later.`,
    error: fr
      ? 'Message de la page : Benji Connect a rencontré un problème ; réessayez plus tard.'
      : 'The page’s own message: Benji Connect ran into a problem; please try again later.',
  }[outcome];
  instance.own.textContent = text ?? outcome;
  instance.own.hidden = false;
}

function hideOwnOutcome(instance) {
  instance.own.hidden = true;
  instance.own.textContent = '';
}

/** Keys whose values are secrets, wherever they appear: token, refreshToken, access_token, connect_token, … */
const SECRET_KEY = /token/i;

/** Remembers every string under a secret key in `value` (so it can be scrubbed from other strings too). */
function collectSecrets(value, secret = false) {
  if (typeof value === 'string') {
    if (secret && value) secrets.add(value);
  } else if (Array.isArray(value)) value.forEach((v) => collectSecrets(v, secret));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectSecrets(v, secret || SECRET_KEY.test(k));
  }
}

/** A string with every known token, and any `connect_token=` parameter, masked. */
function scrub(text) {
  let out = text.replace(/([?&#]connect_token=)[^&#]*/g, '$1••••');
  for (const secret of secrets) out = out.split(secret).join('••••');
  return out;
}

/** A copy of `data` fit for the page: secret keys masked whole, every other string scrubbed. */
function masked(data) {
  collectSecrets(data);
  const walk = (value, key) => {
    if (key !== undefined && SECRET_KEY.test(key)) return MASK;
    if (typeof value === 'string') return scrub(value);
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(data);
}

const time = () => new Date().toTimeString().slice(0, 8) + '.' + String(Date.now() % 1000).padStart(3, '0');

function log(kind, headline, data, instance) {
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
  title.textContent = scrub(headline);
  head.append(title);
  item.append(head);
  if (data !== undefined) {
    const pre = document.createElement('pre');
    pre.textContent = typeof data === 'string' ? scrub(data) : JSON.stringify(masked(data), null, 1);
    item.append(pre);
  }
  const list = $('log');
  list.prepend(item);
  while (list.children.length > 200) list.lastElementChild.remove();
}

if (defined) {
  applyControls();
  for (const { key, el, open } of instances) {
    $(`host-${key}`).append(el);
    open.disabled = false;
  }
} else {
  // Before the element is built into dist/cdn/finframe.js: say so, without a console error.
  const missing = document.createElement('p');
  missing.className = 'missing';
  missing.textContent =
    '<benji-connect> is not defined: dist/cdn/finframe.js does not include it yet. Run `npm run build` once the element exists, then reload.';
  $('host-a').append(missing);
  for (const control of Object.values(controls)) control.disabled = true;
  log('fatal', '<benji-connect> is not in dist/cdn/finframe.js');
}
