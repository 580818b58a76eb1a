// A FAKE Flinks Connect frame for development and tests. It posts exactly the messages documented
// in docs/providers/flinks.md to its parent, with targetOrigin = the parent's exact origin.
//
// Query parameters read like the real frame: language (en|fr), demo, stringify, closeEnable,
// consentEnable, requestId, authorizeToken (never shown or logged). Fake-only:
//   mute=1             the fake posts nothing by itself (for load-timeout tests); see `send` below.
//   shape=field|url    which documented REDIRECT shape to send; default both in one message.
//
// Test control channel (a test cannot click inside a cross-origin frame). Only from the parent
// window, at the parent's origin:
//   {fake:'flinks', command:'send', message}  posts `message` verbatim (no stringify; also under mute=1,
//                                             so a test can deliver a late message after a timeout)
//   {fake:'flinks', command:'run', name}      name: 'institution' | 'institution:<Id>' | 'credential' |
//                                             'mfa' | 'redirect' | 'close' | 'expire' | 'unknown' | 'error:<CODE>'
//                                             ('credential' and 'mfa' submit those screens, as the user would)
//   {fake:'flinks', command:'measure', …}     see ../fake-common.js
// Nothing else that is not Flinks protocol is ever posted back (no acks).

import { $, listenForControl, parentOrigin, postRaw, setNote, show, uuid } from '../fake-common.js';

const TEXT = {
  en: {
    brand: 'Flinks Connect',
    fake: 'fake, for development',
    demoMode: 'demo',
    close: 'Close',
    consentHeading: 'Share your data',
    consentText: 'Allow this site to read your account information through Flinks?',
    accept: 'Accept',
    deny: 'Deny',
    institutionHeading: 'Choose your bank',
    credentialHeading: (bank) => `Sign in to ${bank}`,
    username: 'Username',
    password: 'Password',
    continue: 'Continue',
    mfaHeading: 'Security question',
    mfaQuestion: 'What city were you born in?',
    submit: 'Submit',
    accountsHeading: 'Choose the accounts to connect',
    accountsLegend: 'Accounts',
    accounts: { a1: 'Chequing ••• 1234', a2: 'Savings ••• 5678', a3: 'Visa ••• 9012' },
    doneHeading: 'Connected',
    doneText: 'Your accounts are connected. You can return to the site.',
    endedHeading: 'Session ended',
    controlsHeading: 'Fake controls (not part of Flinks)',
    errorLabel: 'API error code',
    sendError: 'Send error',
    expire: 'Expire session',
    unknown: 'Send unknown step',
    notFramed: 'This page is not inside a frame (or the parent origin is unknown): it posts nothing.',
    muted: 'mute=1: this frame posts nothing by itself.',
    tokenYes: 'authorizeToken: received (never shown).',
    tokenNo: 'authorizeToken: none.',
    posted: (what) => `Posted ${what} to the parent.`,
  },
  fr: {
    brand: 'Flinks Connect',
    fake: 'factice, pour le développement',
    demoMode: 'démo',
    close: 'Fermer',
    consentHeading: 'Partager vos données',
    consentText: 'Autoriser ce site à lire les renseignements de vos comptes par Flinks ?',
    accept: 'Accepter',
    deny: 'Refuser',
    institutionHeading: 'Choisissez votre banque',
    credentialHeading: (bank) => `Connexion à ${bank}`,
    username: "Nom d'utilisateur",
    password: 'Mot de passe',
    continue: 'Continuer',
    mfaHeading: 'Question de sécurité',
    mfaQuestion: 'Dans quelle ville êtes-vous né(e) ?',
    submit: 'Envoyer',
    accountsHeading: 'Choisissez les comptes à connecter',
    accountsLegend: 'Comptes',
    accounts: { a1: 'Chèques ••• 1234', a2: 'Épargne ••• 5678', a3: 'Visa ••• 9012' },
    doneHeading: 'Connecté',
    doneText: 'Vos comptes sont connectés. Vous pouvez retourner sur le site.',
    endedHeading: 'Session terminée',
    controlsHeading: 'Commandes factices (hors Flinks)',
    errorLabel: "Code d'erreur de l'API",
    sendError: "Envoyer l'erreur",
    expire: 'Faire expirer la session',
    unknown: 'Envoyer une étape inconnue',
    notFramed: "Cette page n'est pas dans un cadre (ou l'origine parente est inconnue) : elle n'envoie rien.",
    muted: "mute=1 : ce cadre n'envoie rien de lui-même.",
    tokenYes: 'authorizeToken : reçu (jamais affiché).',
    tokenNo: 'authorizeToken : aucun.',
    posted: (what) => `${what} envoyé au parent.`,
  },
};

const INSTITUTIONS = [
  { id: 'FlinksCapital', name: 'Flinks Capital' },
  { id: 'BanqueFictive', name: 'Banque Fictive' },
];
const ACCOUNT_IDS = ['a1', 'a2', 'a3'];

/** Every Flinks code of Flinks' table of API events (docs/providers/flinks.md), in its order. */
const API_CODES = [
  'OPERATION_PENDING', 'OPERATION_DISPATCHED', 'SESSION_NONEXISTENT', 'CARD_IN_USE', 'ACCESS_DENIED',
  'INVALID_LOGIN', 'INVALID_REQUEST', 'INVALID_SECURITY_RESPONSE_NO_RETRY', 'INVALID_USERNAME',
  'INVALID_PASSWORD', 'INVALID_SECURITY_RESPONSE', 'QUESTION_NOT_FOUND', 'RETRY_LATER', 'TOO_MANY_REQUESTS',
  'UNKNOWN_CHALLENGE_KEY', 'CONCURRENT_SESSION', 'UNAUTHORIZED', 'UNHANDLED', 'DISABLED_LOGIN', 'NEW_ACCOUNT',
  'SESSION_EXPIRED', 'ALREADY_AUTHORIZED', 'SECURITYRESPONSES_INCOMPLETE', 'NO_TRANSACTION',
  'DISABLED_INSTITUTION', 'AGGREGATION_ERROR', 'METHOD_NOT_AVAILABLE',
];

const params = new URLSearchParams(location.search);
const flag = (name) => params.get(name) === 'true';
const lang = params.get('language') === 'fr' ? 'fr' : 'en';
const t = TEXT[lang];
const stringify = flag('stringify');
const muted = params.get('mute') === '1';
const shape = params.get('shape'); // 'field' | 'url' | anything else: both
// The authorizeToken is only ever tested for presence: never displayed, logged or posted.
const hasToken = Boolean(params.get('authorizeToken'));
const resumed = params.get('requestId');
/** One requestId per session: the resumed one if it looks like Flinks', else a fresh GUID. */
const requestId = resumed && /^[A-Za-z0-9-]{1,128}$/.test(resumed) ? resumed : uuid();

let institution; // the selected institution id
const selected = new Set(); // selected account ids

/** Posts a Flinks message as the real frame would (a JSON string with stringify=true). */
function post(message) {
  if (muted) return;
  postRaw(stringify ? JSON.stringify(message) : message);
  if (parentOrigin) setNote(t.posted(message.step ?? message.flinksCode));
}

const currentInstitution = () => institution ?? INSTITUTIONS[0].id;
const institutionName = (id) => INSTITUTIONS.find((i) => i.id === id)?.name ?? id;

// The user's steps, each posting what the real frame posts.

function loadInstitutionSelector() {
  show('institution');
  post({ step: 'COMPONENT_LOAD_INSTITUTION_SELECTOR', cached: false });
}

function selectInstitution(id) {
  institution = id;
  selected.clear();
  post({ step: 'INSTITUTION_SELECTED', institution: id });
  $('h-credential').textContent = t.credentialHeading(institutionName(id));
  $('credential-form').reset();
  show('credential');
  post({ step: 'COMPONENT_LOAD_CREDENTIAL' });
}

function submitCredential() {
  // The username and password are never posted: only that the form was submitted.
  post({ step: 'SUBMIT_CREDENTIAL' });
  $('credential-form').reset();
  $('mfa-form').reset();
  show('mfa');
  post({ step: 'COMPONENT_LOAD_MFA', mfaTypes: ['QuestionAndAnswer'] });
}

function submitMfa() {
  post({ step: 'SUBMIT_MFA' });
  $('mfa-form').reset();
  renderAccounts();
  show('accounts');
  post({ step: 'COMPONENT_LOAD_ACCOUNT_SELECTION', totalAccounts: ACCOUNT_IDS.length, displayedAccounts: ACCOUNT_IDS.length });
}

function toggleAccount(accountId, checked) {
  if (checked) {
    selected.add(accountId);
    post({ step: 'ACCOUNT_SELECTED', accountId, institution: currentInstitution() });
  } else selected.delete(accountId);
  $('accounts-continue').disabled = selected.size === 0;
}

/** REDIRECT in the documented shapes (docs/providers/flinks.md): `shape=field`, `shape=url`, or both (default). */
function redirect() {
  const inst = currentInstitution();
  const accountIds = selected.size ? [...selected] : ['a1', 'a2'];
  const loginId = uuid();
  const query = new URLSearchParams({ loginId, institution: inst, accountId: accountIds.join(',') });
  const url = `https://toolbox-iframe.private.fin.ag/v2/Result/${inst}/${loginId}?${query}`;
  const message =
    shape === 'url'
      ? { step: 'REDIRECT', institution: inst, url }
      : shape === 'field'
        ? { step: 'REDIRECT', loginId, requestId, institution: inst, accountId: accountIds }
        : { step: 'REDIRECT', loginId, requestId, institution: inst, url };
  show('done');
  post(message);
}

function close() {
  show('ended');
  post({ step: 'COMPONENT_CLOSE_SESSION', institution: currentInstitution() });
}

function expire() {
  show('ended');
  post({ step: 'SESSION_EXPIRED' });
}

function sendError(code) {
  post({ requestId, flinksCode: code, institution: currentInstitution() });
}

function sendUnknown() {
  post({ step: 'SOME_NEW_STEP_2027', detail: 'x' });
}

function run(name) {
  if (name === 'institution') return selectInstitution(INSTITUTIONS[0].id);
  if (name.startsWith('institution:')) return selectInstitution(name.slice('institution:'.length));
  if (name === 'credential') return submitCredential();
  if (name === 'mfa') return submitMfa();
  if (name === 'redirect') return redirect();
  if (name === 'close') return close();
  if (name === 'expire') return expire();
  if (name === 'unknown') return sendUnknown();
  if (name.startsWith('error:')) return sendError(name.slice('error:'.length));
}

// The page.

function renderInstitutions() {
  const list = $('institutions');
  for (const { id, name } of INSTITUTIONS) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'institution';
    button.dataset.institution = id;
    button.textContent = name;
    button.addEventListener('click', () => selectInstitution(id));
    item.append(button);
    list.append(item);
  }
}

function renderAccounts() {
  const box = $('accounts');
  box.replaceChildren();
  for (const id of ACCOUNT_IDS) {
    const label = document.createElement('label');
    label.className = 'account';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.name = 'account';
    input.value = id;
    input.addEventListener('change', () => toggleAccount(id, input.checked));
    label.append(input, ` ${t.accounts[id]}`);
    box.append(label);
  }
  $('accounts-continue').disabled = true;
}

function init() {
  document.documentElement.lang = lang;
  document.title = `${t.brand} (${t.fake})`;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t[el.dataset.t];
  $('demo-badge').hidden = !flag('demo');
  $('close').hidden = !flag('closeEnable'); // like the real frame: the close button only with closeEnable=true
  $('token-note').textContent = hasToken ? t.tokenYes : t.tokenNo;
  if (!parentOrigin) setNote(t.notFramed);
  else if (muted) setNote(t.muted);

  const select = $('error-code');
  for (const code of API_CODES) select.append(new Option(code, code));

  renderInstitutions();
  $('close').addEventListener('click', close);
  $('consent-accept').addEventListener('click', () => {
    post({ step: 'COMPONENT_ACCEPT_CONSENT' });
    loadInstitutionSelector();
  });
  $('consent-deny').addEventListener('click', () => {
    post({ step: 'COMPONENT_DENY_CONSENT' });
    show('ended');
  });
  $('credential-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitCredential();
  });
  $('mfa-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitMfa();
  });
  $('accounts-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (selected.size) redirect();
  });
  $('send-error').addEventListener('click', () => sendError(select.value));
  $('expire').addEventListener('click', expire);
  $('unknown').addEventListener('click', sendUnknown);

  // `send` posts verbatim, also under mute=1; `run` acts as the UI does (so posts nothing under mute=1).
  listenForControl('flinks', { run });

  post({ step: 'APP_MOUNTED' });
  if (flag('consentEnable')) {
    // With consentEnable=true the consent page comes before the institution selector.
    show('consent');
    post({ step: 'COMPONENT_LOAD_CONSENT' });
  } else loadInstitutionSelector();
}

init();
