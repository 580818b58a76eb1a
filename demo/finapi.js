// The <finapi-web-form> demo page. Everything shown comes from textContent: provider data never
// becomes markup, and no web form token is ever written to the page's text (finAPI's loader itself
// puts it in the URL of the <script> it adds, as it must).

import { mountFinapiCallbackPanel } from './callbacks-panel.js';
import { allowFinapiLoader } from './finapi-trusted-types.js';
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

const config = await fetchConfig();
$('finapi-server').textContent = config.finapiServer;

// Before any element starts: the page's CSP enforces Trusted Types, and finAPI's loader writes its
// spinner with innerHTML and its script's src with plain strings. See finapi-trusted-types.js.
allowFinapiLoader(config.finapiServer);

/** Every token this page made, in memory only, so none can slip into what the page shows. */
const tokens = new Set();
const SECRET_KEY = /token|secret/i;
const scrub = (text) => scrubValues(text, tokens);
const log = createLog({ text: scrub, json: (data) => maskDeep(data, { isSecret: (key) => SECRET_KEY.test(key), mask: '••••', scrub }) });

/**
 * A fresh fake web form token. The fake finAPI script only checks that there is one.
 *
 * In production the merchant's SERVER creates the web form with finAPI (POST /api/webForms/… with
 * its client credentials, which never reach the browser) and hands the page the token from the
 * answer — single-use, valid for 20 minutes. The page sets the element's `token` PROPERTY, never
 * the attribute, which every script and DOM snapshot could read.
 */
function newToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const token = `demo_wf_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  tokens.add(token);
  return token;
}

const controls = {
  lang: $('lang'),
  colorMode: $('color-mode'),
  layout: $('layout'),
  ownMessage: $('own-message'),
  newForm: $('new-form'),
  second: $('second'),
  remove: $('remove'),
};

const defined = await isDefinedSoon('finapi-web-form');

/** One <finapi-web-form> per key: A from the start, B on demand. Created here, so none starts without a token. */
const instances = Object.fromEntries(
  ['a', 'b'].map((key) => {
    const el = document.createElement('finapi-web-form');
    el.id = `finapi-${key}`;
    // The fake finAPI server. Production leaves target-url out and uses environment="live" (the default) or "sandbox".
    el.targetUrl = config.finapiServer;
    el.loadTimeout = 10_000;
    const instance = { key, el, host: $(`host-${key}`), own: $(`own-outcome-${key}`), webFormId: '' };
    // showState() also runs after a removal: a removed element's status and outcome are cleared.
    instance.showState = showState(el, $(`status-${key}`), $(`outcome-${key}`), () => {
      // A new web form: the old message no longer applies.
      if (el.outcome === undefined) hideOwnMessage(instance.own);
    });
    return [key, instance];
  }),
);
const byElement = new Map(Object.values(instances).map((i) => [i.el, i]));
const from = (e) => byElement.get(e.target);

function apply(el) {
  el.lang = controls.lang.value;
  el.colorMode = controls.colorMode.value || undefined;
  if (controls.layout.value) el.setAttribute('layout', controls.layout.value);
  else el.removeAttribute('layout');
}

const TEXT_LANGS = ['en', 'fr', 'de'];
controls.lang.addEventListener('change', () => {
  Object.values(instances).forEach(({ el }) => apply(el));
  const lang = controls.lang.value;
  log(
    'info',
    `lang="${lang}": finAPI's language ${lang}; the element's own text ${TEXT_LANGS.includes(lang) ? lang : 'en (it has en, fr, de)'}`,
  );
});
for (const [control, name] of [
  [controls.colorMode, 'color-mode'],
  [controls.layout, 'layout'],
]) {
  control.addEventListener('change', () => {
    Object.values(instances).forEach(({ el }) => apply(el));
    log('info', control.value ? `${name}="${control.value}"` : `no ${name}: finAPI's default`);
  });
}

/** Puts `instance`'s element on the page with a new token: finAPI's loader starts a new web form. */
function attach(instance) {
  hideOwnMessage(instance.own);
  apply(instance.el);
  // Your server creates each web form with finAPI and gets its id with the token; here both are made up.
  instance.webFormId = crypto.randomUUID();
  instance.el.token = newToken();
  if (!instance.el.isConnected) instance.host.append(instance.el);
  instance.showState();
}

/** What finAPI's loader has left on the page: its form elements and its script. */
function loaderTraces() {
  const forms = document.querySelectorAll('[data-web-form-instance]').length;
  const script = Boolean(document.getElementById('web-form-source'));
  return `finAPI web forms on the page: ${forms}; finAPI's script: ${script ? 'present' : 'gone'}`;
}

controls.newForm.addEventListener('click', () => {
  log('info', "token = a new web form token (not shown): the element unloads the old form and loads a new one", undefined, instances.a);
  attach(instances.a);
});

controls.second.addEventListener('click', () => {
  const b = instances.b;
  if (b.el.isConnected) {
    b.el.remove();
    $('instance-b').hidden = true;
    controls.second.textContent = 'Add a second element';
    setTimeout(() => {
      b.showState();
      log('info', `B removed. ${loaderTraces()}`, undefined, b);
    });
  } else {
    $('instance-b').hidden = false;
    controls.second.textContent = 'Remove the second element';
    log('info', 'B added, with its own token', undefined, b);
    attach(b);
  }
});

controls.remove.addEventListener('click', () => {
  const a = instances.a;
  if (a.el.isConnected) {
    a.el.remove();
    controls.remove.textContent = 'Add element A again';
    controls.newForm.disabled = true;
    // The element unloads in a microtask after its removal (a move keeps the form).
    setTimeout(() => {
      a.showState();
      log('info', `A removed: its web form is unloaded. ${loaderTraces()}`, undefined, a);
    });
  } else {
    controls.remove.textContent = 'Remove element A';
    controls.newForm.disabled = false;
    log('info', 'A added again, with a new token', undefined, a);
    attach(a);
  }
});

// The live log. Every listener is on the document: the events bubble and are composed.

document.addEventListener('provider-ready', (e) => {
  const instance = from(e);
  if (!instance) return;
  const script = document.getElementById('web-form-source');
  const url = script ? new URL(script.src) : undefined;
  const detail = url ? { script: url.origin + url.pathname, query: [...url.searchParams.keys()].join(', ') + ' (values not shown)' } : undefined;
  log('ready', "provider-ready  (finAPI's loaded: the web form rendered)", detail, instance);
  // Fake only: what the loader handed the fake form, to show the controls arrive. The token is masked.
  const received = window.fakeFinapiWebForm?.current?.received;
  if (received) log('info', 'the fake web form received (fake only)', received, instance);
});
document.addEventListener('provider-error', (e) => {
  const instance = from(e);
  if (!instance) return;
  const [kind, headline, data] = errorEntry(e.detail);
  const note = e.detail.code === 'ALREADY_OPEN' ? `  (${loaderTraces()})` : '';
  log(kind, headline + note, data, instance);
});
document.addEventListener('provider-outcome', (e) => {
  const instance = from(e);
  if (!instance) return;
  const { outcome, data } = e.detail;
  const own = controls.ownMessage.checked;
  if (own) e.preventDefault();
  const code = outcome === 'failed' ? (data?.error ? `  ${data.error.type}${data.error.code ? ` ${data.error.code}` : ''}` : '  (Web Form 2.0: no detail)') : '';
  log(
    outcome === 'completed' ? 'outcome' : 'outcome bad',
    `provider-outcome  ${outcome}${code}${own ? '  (preventDefault: the page shows its own message)' : ''}`,
    data,
    instance,
  );
  if (own) showOwnOutcome(instance, outcome, data);
  // finAPI now tells your server: its `finalised` callback for this web form, with its final status.
  // Here the demo server plays finAPI and sends it to its own receiver (the panel below shows it).
  const status = FINALISED[outcome];
  if (status) {
    log('info', `next: finAPI calls your server's callback URL — {webFormId, status: ${status}}, in the panel below; your server then reads the result with finAPI's API`, undefined, instance);
    callbacks.fire('webForm', { webFormId: instance.webFormId, status }, `web form ${instance.key.toUpperCase()} ended (${outcome})`);
  }
});

/** The web form status finAPI's `finalised` callback reports for each outcome the element gives. */
const FINALISED = { completed: 'COMPLETED', failed: 'COMPLETED_WITH_ERROR', aborted: 'ABORTED' };

/** The page's own words per outcome and language, in place of the element's built-in text. */
function showOwnOutcome(instance, outcome, data) {
  const code = data?.error?.code ?? data?.code ?? '';
  const texts = {
    en: {
      completed: 'The page’s own message: your bank account is connected. We will confirm it as soon as finAPI tells our server.',
      failed: `The page’s own message: the bank connection did not work${code ? ` (${code})` : ''}. Please try again.`,
      aborted: 'The page’s own message: you cancelled. You can connect your bank account later.',
      error: `The page’s own message: the bank form could not open${code ? ` (${code})` : ''}.`,
    },
    de: {
      completed: 'Eigene Meldung der Seite: Ihr Bankkonto ist verbunden. Wir bestätigen es, sobald finAPI unseren Server informiert.',
      failed: `Eigene Meldung der Seite: Die Bankverbindung hat nicht geklappt${code ? ` (${code})` : ''}. Bitte versuchen Sie es erneut.`,
      aborted: 'Eigene Meldung der Seite: Sie haben abgebrochen. Sie können Ihr Bankkonto später verbinden.',
      error: `Eigene Meldung der Seite: Das Bankformular konnte nicht geöffnet werden${code ? ` (${code})` : ''}.`,
    },
    fr: {
      completed: 'Message de la page : votre compte bancaire est connecté. Nous le confirmerons dès que finAPI aura prévenu notre serveur.',
      failed: `Message de la page : la connexion bancaire n’a pas abouti${code ? ` (${code})` : ''}. Veuillez réessayer.`,
      aborted: 'Message de la page : vous avez annulé. Vous pourrez connecter votre compte plus tard.',
      error: `Message de la page : le formulaire bancaire n’a pas pu s’ouvrir${code ? ` (${code})` : ''}.`,
    },
    es: {
      completed: 'Mensaje de la página: su cuenta bancaria está conectada. Lo confirmaremos en cuanto finAPI avise a nuestro servidor.',
      failed: `Mensaje de la página: la conexión bancaria no ha funcionado${code ? ` (${code})` : ''}. Inténtelo de nuevo.`,
      aborted: 'Mensaje de la página: ha cancelado. Puede conectar su cuenta bancaria más tarde.',
      error: `Mensaje de la página: no se ha podido abrir el formulario bancario${code ? ` (${code})` : ''}.`,
    },
  };
  const text = (texts[controls.lang.value] ?? texts.en)[outcome];
  showOwnMessage(instance.own, text ?? outcome);
}

// The callback receiver's panel: sample callbacks fired by the demo server, and the stored state.
const callbacks = mountFinapiCallbackPanel($('callbacks'));

if (defined) {
  attach(instances.a);
  for (const control of [controls.newForm, controls.second, controls.remove]) control.disabled = false;
} else {
  showMissing('finapi-web-form', $('host-a'), Object.values(controls), log);
}
