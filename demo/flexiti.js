// The <flexiti-widget> demo page. Everything shown comes from textContent: provider data never
// becomes markup, and the token in the frame URL never reaches the page's DOM.

import { attributeUrl, attributesOf, showUrl } from './frame-url.js';
import { $, createLog, errorEntry, fetchConfig, hideOwnMessage, isDefinedSoon, showMissing, showOwnMessage, wireControls } from './shared.js';

const config = await fetchConfig();
$('fake-origin').textContent = config.fakeOrigin;
const log = createLog();

const controls = {
  flow: $('flow'),
  lang: $('lang'),
  mfa: $('mfa'),
  failure: $('failure'),
  legacy: $('legacy'),
  modal: $('modal'),
  ownMessage: $('own-message'),
};

const defined = await isDefinedSoon('flexiti-widget');

/** What a merchant's server does next, per `detail.nextStep` (docs/providers/flexiti.md). Text only. */
const NEXT_STEPS = {
  'authorize-purchase':
    'Verified. Your server now sends the purchase to Flexiti: POST …/v2.5.1/client-id/{id}/authorization (with the accountNumber). Ship only after that call succeeds.',
  'choose-other-payment':
    'Verification failed. Nothing to call: tell the customer, and send them back to checkout to choose another payment method.',
  'start-purchase':
    'The customer already has an account and wants to buy with it: your server calls …/widget/init with flow "purchase", and the page frames the new redirection_url.',
  'open-customer-portal':
    'The account needs activation: open the Flexiti Customer Portal (https://my.flexiti.com/index) in a new tab, or let the customer do it, then try again.',
  'start-application':
    'No usable account: redirect the customer to a brand-new application — your server calls …/widget/init with flow "apply".',
  'submit-application':
    'Mandatory: your server MUST call POST /apply now. Flexiti requires it on every flx-success in the application flow.',
  'inform-not-eligible':
    'The customer cannot proceed (derogatory status on an existing account): tell them, and offer other payment methods. Nothing to call.',
  'retry-or-go-back':
    'An error: show a message, then either retry (a fresh …/widget/init) or return the customer to the previous step.',
  'return-to-checkout': 'The customer cancelled: take them back to checkout. Nothing to call.',
};

// The element. Created here rather than in the HTML so it never starts without a src.
const el = document.createElement('flexiti-widget');
el.id = 'flexiti';

/** A fresh reference id and widget_session_id, as your server would get from …/widget/init. */
const newIds = () => ({ reference: crypto.randomUUID(), session: crypto.randomUUID() });
let ids = newIds();

/**
 * The fake's redirection_url for the current controls. Like the real one, its query is inside the
 * hash route. `lang` is left out on purpose: the element fills it in from its own `lang`.
 */
function frameSrc() {
  const query = new URLSearchParams({ 'x-reference-id': ids.reference, widget_session_id: ids.session, flow: controls.flow.value });
  if (controls.legacy.checked) query.set('legacy', '1');
  if (controls.mfa.value !== 'sms') query.set('mfa', controls.mfa.value);
  if (controls.failure.value !== 'nested') query.set('failure', controls.failure.value);
  return `${config.fakeOrigin}/fake/flexiti/index.html#/widget/demo-client/demo-token?${query}`;
}

/** A frame URL fit for the log: the token segment of the hash route masked. */
const masked = (url) => url.replace(/(#\/widget\/[^/]+\/)[^/?]+/, '$1••••');

let lastSession = '';

function applyControls() {
  // A new session (as if your server called …/widget/init again) when what the fake does changes.
  const session = [controls.flow.value, controls.legacy.checked, controls.mfa.value, controls.failure.value].join('|');
  if (session !== lastSession) {
    if (lastSession) ids = newIds();
    lastSession = session;
  }
  const src = frameSrc();
  const changed = src !== el.src;
  el.setAttribute('flow', controls.flow.value);
  el.lang = controls.lang.value;
  el.modal = controls.modal.checked;
  el.src = src;
  $('open').disabled = !controls.modal.checked;
  // Flexiti has no URL without src: the element checks the redirection_url's host and writes its
  // own lang into the hash route. What it makes of src, by its own logic:
  $('url-src').textContent = masked(src);
  showUrl($('url-built'), attributeUrl('flexiti-widget', { attributes: { ...attributesOf(el), src }, lang: controls.lang.value }), masked);
  if (changed) {
    clearOutcome();
    log('info', 'frame src', masked(src));
  }
}

// The controls, open(), reset(), and status and outcome as the element's properties give them.
wireControls(el, { controls, apply: applyControls, clear: clearOutcome, log });

// The live log.

document.addEventListener('provider-ready', () => {
  const frame = el.shadowRoot?.querySelector('iframe');
  log('ready', 'provider-ready', frame ? `frame loaded: ${masked(frame.src)}` : undefined);
});
document.addEventListener('provider-event', (e) => log('event', `provider-event  ${e.detail.name}`, e.detail.data));
document.addEventListener('provider-error', (e) => log(...errorEntry(e.detail)));
document.addEventListener('provider-outcome', (e) => {
  const { outcome, nextStep, data } = e.detail;
  const own = controls.ownMessage.checked;
  if (own) e.preventDefault();
  const good = ['verified', 'existing-account', 'apply'].includes(outcome);
  log(
    good ? 'outcome' : 'outcome bad',
    `provider-outcome  ${outcome}  → nextStep ${nextStep}${own ? '  (preventDefault: the page shows its own message)' : ''}`,
    data,
  );
  $('next-step').textContent = `${outcome} → ${nextStep}: ${NEXT_STEPS[nextStep] ?? 'see docs/providers/flexiti.md.'}`;
  if (own) showOwnOutcome(outcome);
  // A real page would now tell its server, which makes the call named in the note box.
});

/** The page's own words per outcome, in place of the element's built-in text. */
function showOwnOutcome(outcome) {
  const fr = controls.lang.value === 'fr';
  const text = {
    verified: fr ? 'Message de la page : compte vérifié, nous finalisons votre achat…' : 'The page’s own message: account verified, finishing your purchase…',
    'not-verified': fr ? 'Message de la page : vérification échouée. Choisissez un autre mode de paiement.' : 'The page’s own message: verification failed. Please choose another payment method.',
    'existing-account': fr ? 'Message de la page : vous avez déjà un compte Flexiti ; passons à l’achat.' : 'The page’s own message: you already have a Flexiti account; on to the purchase.',
    'activation-required': fr ? 'Message de la page : activez votre compte sur my.flexiti.com, puis revenez.' : 'The page’s own message: activate your account at my.flexiti.com, then come back.',
    apply: fr ? 'Message de la page : merci ! Nous traitons votre demande.' : 'The page’s own message: thanks! We are processing your application.',
    'not-eligible': fr ? 'Message de la page : Flexiti n’est pas disponible pour ce compte.' : 'The page’s own message: Flexiti is not available for this account.',
    retry: fr ? 'Message de la page : une erreur est survenue ; réessayez.' : 'The page’s own message: something went wrong; please try again.',
    cancelled: fr ? 'Message de la page : vous avez annulé. Retour au paiement.' : 'The page’s own message: you cancelled. Back to checkout.',
    error: fr ? 'Message de la page : Flexiti n’a pas pu terminer ; réessayez.' : 'The page’s own message: Flexiti could not finish; please try again.',
  }[outcome];
  showOwnMessage($('own-outcome'), text ?? outcome);
}

function clearOutcome() {
  hideOwnMessage($('own-outcome'));
  $('next-step').textContent = 'No outcome yet. The widget posts nothing until the customer finishes.';
}

if (defined) {
  applyControls();
  $('host').append(el);
} else {
  showMissing('flexiti-widget', $('host'), [...Object.values(controls), $('open'), $('reset')], log);
}
