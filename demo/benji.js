// The <benji-connect> demo page. Everything shown comes from textContent: provider data never
// becomes markup, and no token (access, refresh, connect) is ever written to the page's DOM.

import { attributeUrl, attributesOf, showUrl } from './frame-url.js';
import {
  $,
  createLog,
  errorEntry,
  fetchConfig,
  hideOwnMessage,
  isDefinedSoon,
  maskDeep,
  showState,
  scrubValues,
  showMissing,
  showOwnMessage,
} from './shared.js';

const MASK = '•••• (send to your server)';

const config = await fetchConfig();
$('fake-origin').textContent = config.fakeOrigin;
// The live log: every string shown is scrubbed of known tokens, and data under a token key is masked.
const log = createLog({ text: scrub, json: masked });

const controls = {
  lang: $('lang'),
  inline: $('inline'),
  ownMessage: $('own-message'),
};

const defined = await isDefinedSoon('benji-connect');

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
  // environment stays "sandbox" (the default): it picks Benji's host when there is no src.
  // Here src points at the fake on loopback; production leaves it out.
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
  showFrameUrls(instances[0].el);
}

/**
 * Beside the URL loaded (src, the fake), the URL the attributes build without it — both by the
 * element's own logic. Benji's per-session `t` is added when a session starts, so it is in neither.
 */
function showFrameUrls(el) {
  const { src, ...attributes } = { ...attributesOf(el), src: el.src };
  const properties = { token: el.token };
  showUrl($('url-built'), attributeUrl('benji-connect', { attributes, properties }), scrub);
  showUrl($('url-src'), attributeUrl('benji-connect', { attributes: { ...attributes, src }, properties }), scrub);
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

for (const instance of instances) {
  const { el, open } = instance;
  open.addEventListener('click', () => {
    hideOwnOutcome(instance);
    log('info', 'open()', undefined, instance);
    el.open();
  });
  // status and outcome, as the element's properties give them.
  showState(el, instance.status, instance.outcome, () => {
    // A new session (open() after an outcome, inline switched): the old message no longer applies.
    if (el.outcome === undefined) hideOwnOutcome(instance);
  });
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
document.addEventListener('provider-error', (e) => log(...errorEntry(e.detail), from(e)));
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
  showOwnMessage(instance.own, text ?? outcome);
}

function hideOwnOutcome(instance) {
  hideOwnMessage(instance.own);
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
  return scrubValues(text.replace(/([?&#]connect_token=)[^&#]*/g, '$1••••'), secrets);
}

/** A copy of `data` fit for the page: secret keys masked whole, every other string scrubbed. */
function masked(data) {
  collectSecrets(data);
  return maskDeep(data, { isSecret: (key) => SECRET_KEY.test(key), mask: MASK, scrub });
}

if (defined) {
  applyControls();
  for (const { key, el, open } of instances) {
    $(`host-${key}`).append(el);
    open.disabled = false;
  }
} else {
  showMissing('benji-connect', $('host-a'), Object.values(controls), log);
}
