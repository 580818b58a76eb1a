// The <flinks-connect> demo page. Everything shown comes from textContent: provider data never
// becomes markup, and a loginId never reaches the DOM.

import { attributeUrl, attributesOf, showUrl } from './frame-url.js';
import { $, createLog, errorEntry, fetchConfig, hideOwnMessage, maskDeep, scrubValues, showOwnMessage, wireControls } from './shared.js';

const MASK = '•••• (sent to your server, never shown)';

const config = await fetchConfig();
await customElements.whenDefined('flinks-connect');
$('fake-origin').textContent = config.fakeOrigin;

// The live log: a loginId never reaches it.
const log = createLog({ json: maskLoginIds });

const controls = {
  lang: $('lang'),
  shape: $('shape'),
  stringify: $('stringify'),
  mute: $('mute'),
  modal: $('modal'),
  ownMessage: $('own-message'),
  slotOverride: $('slot-override'),
};

// The element. Created here rather than in the HTML so it never starts without a src: without one
// it would build the real Flinks URL, which the page's CSP (rightly) does not allow.
const el = document.createElement('flinks-connect');
el.id = 'flinks';
const slotted = document.createElement('p');
slotted.slot = 'connected';

/**
 * The frame URL, in two steps. First the element's own logic builds the real Flinks URL from its
 * attributes, exactly as it would without `src` (https://toolbox-iframe.private.fin.ag/v2/?…). The
 * page then keeps that query and swaps the host for the fake's, adding the fake's own switches
 * (`shape`, `mute`), and passes the result as `src` — which the element loads as given.
 */
function frameUrls() {
  const built = attributeUrl('flinks-connect', { attributes: attributesOf(el), lang: controls.lang.value });
  const url = new URL('/fake/flinks/', config.fakeOrigin);
  if (built.ok) url.search = new URL(built.href).search;
  if (controls.shape.value) url.searchParams.set('shape', controls.shape.value);
  if (controls.mute.checked) url.searchParams.set('mute', '1');
  return { built, src: url.href };
}

function applyControls() {
  // What a shop writes: Flinks' test bank, its close button, and (optionally) JSON strings.
  el.setAttribute('demo', '');
  el.setAttribute('close-enable', '');
  el.toggleAttribute('stringify', controls.stringify.checked);
  el.lang = controls.lang.value;
  const { built, src } = frameUrls();
  const changed = src !== el.src;
  showUrl($('url-built'), built);
  $('url-src').textContent = src;
  if (controls.mute.checked) el.setAttribute('load-timeout', '3000');
  else el.removeAttribute('load-timeout');
  el.modal = controls.modal.checked;
  el.src = src;
  $('open').disabled = !controls.modal.checked;
  slotted.textContent =
    controls.lang.value === 'fr'
      ? 'Merci ! Votre banque est liée. (Texte de la page, dans le slot « connected ».)'
      : 'Thanks! Your bank is linked. (The page’s own text, in the “connected” slot.)';
  if (controls.slotOverride.checked) el.append(slotted);
  else slotted.remove();
  if (changed) {
    hideOwnOutcome();
    log('info', 'frame src', src);
  }
}

// The controls, open(), reset(), and status and outcome as the element's properties give them.
wireControls(el, { controls, apply: applyControls, clear: hideOwnOutcome, log });

// The live log.

let providerEvents = 0;

document.addEventListener('provider-ready', () => {
  providerEvents++;
  log('ready', 'provider-ready');
});
document.addEventListener('provider-event', (e) => {
  providerEvents++;
  log('event', `provider-event  ${e.detail.name}`, e.detail.data);
});
document.addEventListener('provider-error', (e) => {
  providerEvents++;
  log(...errorEntry(e.detail));
});
document.addEventListener('provider-outcome', (e) => {
  providerEvents++;
  const own = controls.ownMessage.checked;
  if (own) e.preventDefault();
  log(e.detail.outcome === 'connected' ? 'outcome' : 'outcome bad', `provider-outcome  ${e.detail.outcome}${own ? '  (preventDefault: the page shows its own message)' : ''}`, e.detail.data);
  if (own) showOwnOutcome(e.detail);
  // A real page would now POST e.detail.data.loginId to its own server, which calls Flinks' /Authorize.
});

function showOwnOutcome({ outcome, data }) {
  const fr = controls.lang.value === 'fr';
  const accounts = data?.accountIds?.length ?? 0;
  const text = {
    connected: fr
      ? `Message de la page : ${data?.institution ?? 'banque'} connectée (${accounts} compte(s)). Le loginId est parti vers votre serveur.`
      : `The page’s own message: ${data?.institution ?? 'your bank'} is connected (${accounts} account(s)). The loginId went to your server.`,
    closed: fr ? 'Message de la page : vous avez fermé Flinks.' : 'The page’s own message: you closed Flinks. Start again any time.',
    expired: fr ? 'Message de la page : la session a expiré.' : 'The page’s own message: the session expired; please start again.',
    error: fr ? 'Message de la page : Flinks n’a pas pu être chargé.' : 'The page’s own message: Flinks could not be loaded.',
  }[outcome];
  showOwnMessage($('own-outcome'), text ?? outcome);
}

function hideOwnOutcome() {
  hideOwnMessage($('own-outcome'));
}

/** Every loginId in `data`: `loginId` fields and `loginId` query parameters of URLs. */
function loginIds(value, found = new Set()) {
  if (Array.isArray(value)) value.forEach((v) => loginIds(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'loginId' && typeof v === 'string') found.add(v);
      else if (typeof v === 'string' && /^https?:/.test(v)) {
        try {
          new URL(v).searchParams.getAll('loginId').forEach((id) => found.add(id));
        } catch {
          /* not a URL after all */
        }
      } else loginIds(v, found);
    }
  }
  return found;
}

/** A copy of `data` with every loginId replaced, wherever it appears (a field, inside a URL). */
function maskLoginIds(data) {
  const ids = [...loginIds(data)].filter(Boolean);
  return maskDeep(data, { isSecret: (key) => key === 'loginId', mask: MASK, scrub: (s) => scrubValues(s, ids) });
}

// The hostile frame: a third origin that posts forged Flinks messages to this page with '*'.

let hostile;

function describeForgery(data) {
  let value = data;
  let suffix = '';
  if (typeof data === 'string') {
    suffix = ' (as a JSON string)';
    try {
      value = JSON.parse(data);
    } catch {
      return 'string';
    }
  }
  const name = value?.step ?? value?.flinksCode ?? 'message';
  return `${String(name).slice(0, 60)}${suffix}`;
}

// Capture phase: runs before the element's own listener sees the same message.
window.addEventListener(
  'message',
  (event) => {
    if (!hostile || event.source !== hostile.contentWindow) return;
    const before = providerEvents;
    const what = describeForgery(event.data);
    setTimeout(() => {
      if (providerEvents === before) log('forged', `forged message dropped by the gate: ${what} from ${event.origin}`);
      else log('fatal', `ALARM: a provider event followed the forged ${what} from ${event.origin}`);
    });
  },
  { capture: true },
);

$('hostile').addEventListener('click', () => {
  if (hostile) {
    hostile.remove();
    hostile = undefined;
    $('hostile').textContent = 'Hostile frame';
    return;
  }
  hostile = document.createElement('iframe');
  hostile.className = 'hostile';
  hostile.title = 'Hostile frame from a third origin';
  hostile.src = new URL('/fake/hostile.html', config.hostileOrigin).href;
  $('hostile-host').append(hostile);
  $('hostile').textContent = 'Remove hostile frame';
  log('info', `hostile frame added from ${config.hostileOrigin}`);
});

applyControls();
$('host').append(el);
