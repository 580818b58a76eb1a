// The <flexiti-widget> demo page. Everything shown comes from textContent: provider data never
// becomes markup, and the token in the frame URL never reaches the page's DOM.

const $ = (id) => document.getElementById(id);

const config = await (await fetch('/demo-config.json')).json();
$('fake-origin').textContent = config.fakeOrigin;

const controls = {
  flow: $('flow'),
  lang: $('lang'),
  mfa: $('mfa'),
  failure: $('failure'),
  legacy: $('legacy'),
  modal: $('modal'),
  ownMessage: $('own-message'),
};

// The CDN bundle is a module script before this one, so it has run: the tag is defined by now, or
// never (a build without the element). The short wait only guards against a bundle that defers it.
await Promise.race([customElements.whenDefined('flexiti-widget'), new Promise((done) => setTimeout(done, 500))]);
const defined = Boolean(customElements.get('flexiti-widget'));

/** What a merchant's server does next, per `detail.nextStep` (PROVIDERS.md §2). Text only. */
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
  if (changed) {
    clearOutcome();
    log('info', 'frame src', masked(src));
  }
}

for (const control of Object.values(controls)) control.addEventListener('change', applyControls);
$('open').addEventListener('click', () => el.open());
$('reset').addEventListener('click', () => {
  clearOutcome();
  log('info', 'reset()');
  el.reset();
});
$('clear-log').addEventListener('click', () => $('log').replaceChildren());

// status and outcome, as the element reflects them.
new MutationObserver(() => {
  $('status').textContent = el.getAttribute('status') ?? '–';
  $('outcome').textContent = el.getAttribute('outcome') ?? '–';
}).observe(el, { attributes: true, attributeFilter: ['status', 'outcome'] });

// The live log.

document.addEventListener('provider-ready', () => {
  const frame = el.shadowRoot?.querySelector('iframe');
  log('ready', 'provider-ready', frame ? `frame loaded: ${masked(frame.src)}` : undefined);
});
document.addEventListener('provider-event', (e) => log('event', `provider-event  ${e.detail.name}`, e.detail.data));
document.addEventListener('provider-error', (e) => {
  const { code, fatal, message, data } = e.detail;
  log(fatal ? 'fatal' : 'error', `provider-error  ${code}${fatal ? ' (fatal)' : ''}`, { message, ...(data === undefined ? {} : { data }) });
});
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
  $('next-step').textContent = `${outcome} → ${nextStep}: ${NEXT_STEPS[nextStep] ?? 'see PROVIDERS.md §2.'}`;
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
  const box = $('own-outcome');
  box.textContent = text ?? outcome;
  box.hidden = false;
}

function clearOutcome() {
  $('own-outcome').hidden = true;
  $('own-outcome').textContent = '';
  $('next-step').textContent = 'No outcome yet. The widget posts nothing until the customer finishes.';
}

const time = () => new Date().toTimeString().slice(0, 8) + '.' + String(Date.now() % 1000).padStart(3, '0');

function log(kind, headline, data) {
  const item = document.createElement('li');
  item.className = `entry ${kind}`;
  const head = document.createElement('div');
  const stamp = document.createElement('span');
  stamp.className = 'time';
  stamp.textContent = time();
  const title = document.createElement('span');
  title.className = 'headline';
  title.textContent = headline;
  head.append(stamp, ' ', title);
  item.append(head);
  if (data !== undefined) {
    const pre = document.createElement('pre');
    pre.textContent = typeof data === 'string' ? data : JSON.stringify(data, null, 1);
    item.append(pre);
  }
  const list = $('log');
  list.prepend(item);
  while (list.children.length > 200) list.lastElementChild.remove();
}

if (defined) {
  applyControls();
  $('host').append(el);
} else {
  // Before the element is built into dist/cdn/finframe.js: say so, without a console error.
  const missing = document.createElement('p');
  missing.className = 'missing';
  missing.textContent =
    '<flexiti-widget> is not defined: dist/cdn/finframe.js does not include it yet. Run `npm run build` once the element exists, then reload.';
  $('host').append(missing);
  for (const control of [...Object.values(controls), $('open'), $('reset')]) control.disabled = true;
  log('fatal', '<flexiti-widget> is not in dist/cdn/finframe.js');
}
