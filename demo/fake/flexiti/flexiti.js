// A FAKE Flexiti widget for development and tests. It posts exactly the messages of
// docs/providers/flexiti.md to its parent, with targetOrigin = the parent's exact origin (the real widget uses '*').
//
// Configuration comes from the hash route, as in the real single-page widget:
//   #/widget/{client_id}/{token}?lang=en&x-reference-id=…&widget_session_id=…
// The token is only tested for presence: never displayed, logged or posted. Fake-only parameters,
// in the same hash query:
//   flow=purchase|apply      which scenario rows to offer (default purchase)
//   legacy=1                 an older widget: flx-success carries only accountNumber, verified, action
//   mfa=sms|email|security_question|security_answer|none
//                            mfaOptionSelected for the rows where the customer went through
//                            verification (default sms; security_answer is an older revision's spelling;
//                            none sends null)
//   failure=nested|top       where flx-failure puts {error, message}: under eventData (default) or
//                            beside eventType
//   mute=1                   the fake posts nothing by itself (UI and `run`); `send` still works
//
// Like the real widget, it posts nothing until the flow ends: no "loaded" message.
//
// Test control channel (a test cannot click inside a cross-origin frame). Only from the parent
// window, at the parent's origin:
//   {fake:'flexiti', command:'send', message}  posts `message` verbatim (also under mute=1)
//   {fake:'flexiti', command:'run', name}      posts what the UI would: name is a row
//       (verified | not-verified | existing-account | activation-required | apply | apply-unverified |
//       not-eligible | retry) or cancel | failure. A row is posted even if the current flow does not
//       offer it; only `apply` depends on the flow (verified true in the apply flow).
//   {fake:'flexiti', command:'measure', …}     the one test-only reply: see ../fake-common.js
// Nothing else that is not Flexiti protocol is ever posted back (no acks).

import { $, listenForControl, parentOrigin, postRaw, setNote, show, uuid } from '../fake-common.js';

const ACCOUNT_NUMBER = 2233000;
const CUSTOMER_ID = '1234567-12345';
const ACCOUNT_TYPE = 'consumer';
const MFA_OPTIONS = ['sms', 'email', 'security_question', 'security_answer'];

// One row of Flexiti's scenario tables, purchase and application flows (docs/providers/flexiti.md).
// `mfa`: the customer went through verification, so mfaOptionSelected is set (else null).
const ROWS = {
  verified: { accountNumber: ACCOUNT_NUMBER, verified: true, action: 'purchase', mfa: true },
  'not-verified': { accountNumber: ACCOUNT_NUMBER, verified: false, action: 'purchase', mfa: true },
  'existing-account': { accountNumber: ACCOUNT_NUMBER, verified: false, action: 'purchase', mfa: true },
  'activation-required': { accountNumber: null, verified: false, action: 'activation', mfa: false },
  // Flexiti's tables: purchase flow null/false/apply; apply flow null/true-or-false/apply.
  apply: (flow) => ({ accountNumber: null, verified: flow === 'apply', action: 'apply', mfa: flow === 'apply' }),
  'apply-unverified': { accountNumber: null, verified: false, action: 'apply', mfa: false },
  'not-eligible': { accountNumber: null, verified: false, action: null, mfa: false },
  retry: { accountNumber: null, verified: false, action: 'retry', mfa: false },
};

/** The rows each flow offers, in the tables' order. */
const FLOW_ROWS = {
  purchase: ['verified', 'not-verified', 'activation-required', 'apply', 'not-eligible', 'retry'],
  apply: ['apply', 'apply-unverified', 'existing-account', 'activation-required', 'not-eligible', 'retry'],
};

const TEXT = {
  en: {
    brand: 'Flexiti',
    fake: 'fake, for development',
    flow: { purchase: 'purchase flow', apply: 'application flow' },
    verifyHeading: 'Verify your account',
    verifyIntro: 'Choose what happens in this session, then press Continue.',
    scenarios: 'Scenario',
    continue: 'Continue',
    cancel: 'Cancel',
    doneHeading: 'All done',
    again: 'Start over',
    controlsHeading: 'Fake controls (not part of Flexiti)',
    itError: 'IT error',
    itErrorHint: (where) => `posts flx-failure {error: 500, message: 'Internal error'} (${where})`,
    nested: 'under eventData',
    top: 'at the top level',
    // The purchase rows follow the descriptions of Flexiti's purchase table (docs/providers/flexiti.md).
    rows: {
      verified: 'Customer attempts to make a purchase and completes verification successfully.',
      'not-verified': 'Customer attempts to make a purchase and completes verification unsuccessfully.',
      'activation-required':
        'Customer attempts to make a purchase with an account needing activation and selects activate on the account selection screen.',
      apply: {
        purchase: 'The merchant sent the customer’s details; their account needs activation, and they choose a new application instead.',
        apply: 'Customer completes the application and verifies their identity (SMS PIN; 2222 in test environments).',
      },
      'apply-unverified': 'Customer completes the application without verifying their identity.',
      'existing-account': 'Customer applying already has an account and chooses to make the purchase with it.',
      'not-eligible': 'Customer cannot proceed with a purchase due to derogatory status’s on an existing account.',
      retry: 'Customer attempts an application but there is an IT related error.',
    },
    doneSuccess: 'The widget has ended (flx-success). You can return to the merchant.',
    doneCancel: 'You cancelled (flx-cancel). You can return to the merchant.',
    doneFailure: 'Something went wrong (flx-failure).',
    notFramed: 'This page is not inside a frame (or the parent origin is unknown): it posts nothing.',
    muted: 'mute=1: this frame posts nothing by itself.',
    mutedSkip: (what) => `mute=1: ${what} not posted.`,
    noRoute: 'The hash route is not #/widget/{client_id}/{token}: the real widget would not start.',
    tokenYes: 'token: received (never shown).',
    tokenNo: 'token: none.',
    params: (p) =>
      `client_id ${p.clientId || '–'} · flow ${p.flow} · legacy ${p.legacy ? 'on' : 'off'} · mfa ${p.mfa ?? 'null'} · failure ${p.failure}`,
    posted: (what) => `Posted ${what} to the parent.`,
  },
  fr: {
    brand: 'Flexiti',
    fake: 'factice, pour le développement',
    flow: { purchase: 'parcours d’achat', apply: 'parcours de demande' },
    verifyHeading: 'Vérifiez votre compte',
    verifyIntro: 'Choisissez ce qui se passe dans cette session, puis appuyez sur Continuer.',
    scenarios: 'Scénario',
    continue: 'Continuer',
    cancel: 'Annuler',
    doneHeading: 'Terminé',
    again: 'Recommencer',
    controlsHeading: 'Commandes factices (hors Flexiti)',
    itError: 'Erreur informatique',
    itErrorHint: (where) => `envoie flx-failure {error: 500, message: 'Internal error'} (${where})`,
    nested: 'dans eventData',
    top: 'au premier niveau',
    rows: {
      verified: 'Le client tente un achat et réussit la vérification.',
      'not-verified': 'Le client tente un achat et échoue à la vérification.',
      'activation-required':
        'Le client tente un achat avec un compte à activer et choisit « Activer » à l’écran de sélection du compte.',
      apply: {
        purchase: 'Le marchand a envoyé les renseignements du client ; son compte est à activer, et il choisit plutôt une nouvelle demande.',
        apply: 'Le client termine sa demande et vérifie son identité (NIP par texto ; 2222 en environnement de test).',
      },
      'apply-unverified': 'Le client termine sa demande sans vérifier son identité.',
      'existing-account': 'Le client qui fait une demande a déjà un compte et choisit de faire l’achat avec celui-ci.',
      'not-eligible': 'Le client ne peut pas faire d’achat en raison d’un statut défavorable sur un compte existant.',
      retry: 'Le client fait une demande, mais une erreur informatique survient.',
    },
    doneSuccess: 'Le widget a terminé (flx-success). Vous pouvez retourner chez le marchand.',
    doneCancel: 'Vous avez annulé (flx-cancel). Vous pouvez retourner chez le marchand.',
    doneFailure: 'Une erreur est survenue (flx-failure).',
    notFramed: "Cette page n'est pas dans un cadre (ou l'origine parente est inconnue) : elle n'envoie rien.",
    muted: "mute=1 : ce cadre n'envoie rien de lui-même.",
    mutedSkip: (what) => `mute=1 : ${what} non envoyé.`,
    noRoute: "La route n'est pas #/widget/{client_id}/{token} : le vrai widget ne démarrerait pas.",
    tokenYes: 'jeton : reçu (jamais affiché).',
    tokenNo: 'jeton : aucun.',
    params: (p) =>
      `client_id ${p.clientId || '–'} · parcours ${p.flow} · legacy ${p.legacy ? 'oui' : 'non'} · mfa ${p.mfa ?? 'null'} · failure ${p.failure}`,
    posted: (what) => `${what} envoyé au parent.`,
  },
};

/** The configuration read from the hash route; re-read on `hashchange`, as the SPA would route. */
let config;
let t = TEXT.en;

/** `#/widget/{client_id}/{token}?query`: the query is inside the fragment. */
function readHash() {
  const route = location.hash.replace(/^#/, '');
  const at = route.indexOf('?');
  const path = at < 0 ? route : route.slice(0, at);
  const query = new URLSearchParams(at < 0 ? '' : route.slice(at + 1));
  const match = /^\/widget\/([^/]+)\/([^/]+)\/?$/.exec(path);
  const mfa = query.get('mfa');
  const sessionId = query.get('widget_session_id');
  return {
    routed: Boolean(match),
    clientId: match ? safeDecode(match[1]) : '',
    // Only whether there is one: the token itself is never kept, shown or logged.
    hasToken: Boolean(match?.[2]),
    lang: query.get('lang') === 'fr' ? 'fr' : 'en',
    flow: query.get('flow') === 'apply' ? 'apply' : 'purchase',
    legacy: query.get('legacy') === '1',
    mfa: mfa === 'none' ? null : MFA_OPTIONS.includes(mfa) ? mfa : 'sms',
    failure: query.get('failure') === 'top' ? 'top' : 'nested',
    muted: query.get('mute') === '1',
    sessionId: sessionId && /^[A-Za-z0-9-]{1,64}$/.test(sessionId) ? sessionId : uuid(),
  };
}

function safeDecode(value) {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// Posting.

/** Posts a message of the fake's own accord (UI or `run`): nothing under mute=1. */
function post(message) {
  if (config.muted) {
    setNote(t.mutedSkip(message.eventType));
    return;
  }
  if (postRaw(message)) setNote(t.posted(message.eventType));
}

function rowMessage(name) {
  const spec = ROWS[name];
  const row = typeof spec === 'function' ? spec(config.flow) : spec;
  const { accountNumber, verified, action } = row;
  // Older widget versions send only the first three fields (docs/providers/flexiti.md).
  const eventData = config.legacy
    ? { accountNumber, verified, action }
    : {
        accountNumber,
        verified,
        action,
        mfaOptionSelected: row.mfa ? config.mfa : null,
        widget_session_id: config.sessionId,
        customerId: CUSTOMER_ID,
        accountType: ACCOUNT_TYPE,
      };
  return { eventType: 'flx-success', eventData };
}

function success(name) {
  finish(t.doneSuccess);
  post(rowMessage(name));
}

function cancel() {
  finish(t.doneCancel);
  post({ eventType: 'flx-cancel' });
}

function failure() {
  const error = { error: 500, message: 'Internal error' };
  finish(t.doneFailure);
  post(config.failure === 'top' ? { eventType: 'flx-failure', ...error } : { eventType: 'flx-failure', eventData: error });
}

function run(name) {
  if (name === 'cancel') return cancel();
  if (name === 'failure') return failure();
  if (Object.hasOwn(ROWS, name)) return success(name);
}

// The page.

function finish(text) {
  $('done-text').textContent = text;
  show('done');
}

const literal = (value) => (typeof value === 'string' ? `"${value}"` : String(value));

function renderRows() {
  const box = $('rows');
  box.replaceChildren();
  for (const name of FLOW_ROWS[config.flow]) {
    const spec = ROWS[name];
    const row = typeof spec === 'function' ? spec(config.flow) : spec;
    const description = t.rows[name];
    const label = document.createElement('label');
    label.className = 'scenario';
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'scenario';
    input.value = name;
    input.required = true;
    const text = document.createElement('span');
    text.className = 'desc';
    text.textContent = typeof description === 'string' ? description : description[config.flow];
    const payload = document.createElement('code');
    payload.className = 'payload';
    payload.textContent = `accountNumber ${literal(row.accountNumber)} · verified ${row.verified} · action ${literal(row.action)}`;
    const body = document.createElement('span');
    body.className = 'body';
    body.append(text, payload);
    label.append(input, body);
    box.append(label);
  }
}

function configure() {
  config = readHash();
  t = TEXT[config.lang];
  document.documentElement.lang = config.lang;
  document.title = `${t.brand} (${t.fake})`;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t[el.dataset.t];
  $('flow-badge').textContent = t.flow[config.flow];
  $('it-error-hint').textContent = t.itErrorHint(t[config.failure]);
  $('params').textContent = t.params(config);
  $('token-note').textContent = config.hasToken ? t.tokenYes : t.tokenNo;
  renderRows();
  $('verify-form').reset();
  show('verify');
  if (!parentOrigin) setNote(t.notFramed);
  else if (config.muted) setNote(t.muted);
  else if (!config.routed) setNote(t.noRoute);
  else setNote('');
}

function init() {
  configure();
  window.addEventListener('hashchange', configure);
  $('verify-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const picked = new FormData(e.target).get('scenario');
    if (typeof picked === 'string') success(picked);
  });
  $('cancel').addEventListener('click', cancel);
  $('it-error').addEventListener('click', failure);
  $('again').addEventListener('click', () => {
    $('verify-form').reset();
    show('verify');
  });

  // `send` posts verbatim, also under mute=1; `run` acts as the UI does (so posts nothing under mute=1).
  listenForControl('flexiti', { run });
}

init();
