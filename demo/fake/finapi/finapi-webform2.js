// A fake of finAPI's Web Form 2.0 bundle (`{server}/finapi-webform2.js?t=…&token=…&tagname=…`),
// for the demo and the tests. Like the real one it runs in the merchant's page (it is a script,
// not a frame), defines the custom element the loader named in `tagname`, reads the properties the
// loader set on that element, fires `loaded` once it has rendered, and later `complete`, `fail`
// (detail OnFailError, or undefined as Web Form 2.0 does) or `abort` — here when a button is
// pressed or a test calls `window.fakeFinapiWebForm.complete()` / `.fail(detail)` / `.abort()`.
//
// Tokens steer it as a sandbox's magic values would: a token starting with `fake-no-load` never
// fires `loaded` (for load-timeout tests).
(() => {
  const script = document.currentScript;
  const url = new URL(script.src);
  const tagname = url.searchParams.get('tagname');
  const token = url.searchParams.get('token') ?? '';
  if (!tagname) return;

  const PROPS = ['platform', 'token', 'targetUrl', 'language', 'layoutConfig', 'colorMode', 'noMargins', 'fillHeight', 'customerSupportUrl', 'backToAppUrl'];
  const TEXT = {
    en: { title: 'Connect your bank (fake finAPI)', complete: 'Complete', fail: 'Fail', fail20: 'Fail (Web Form 2.0)', abort: 'Cancel' },
    de: { title: 'Bank verbinden (finAPI-Attrappe)', complete: 'Abschließen', fail: 'Fehler', fail20: 'Fehler (Web Form 2.0)', abort: 'Abbrechen' },
    fr: { title: 'Connecter votre banque (faux finAPI)', complete: 'Terminer', fail: 'Échec', fail20: 'Échec (Web Form 2.0)', abort: 'Annuler' },
  };

  /** Every element this script created, newest last; `window.fakeFinapiWebForm` drives the newest. */
  const instances = [];

  class FakeWebForm extends HTMLElement {
    #root = this.attachShadow({ mode: 'open' });
    #rendered = false;

    constructor() {
      super();
      // The loader set the properties on the element before this class existed (own fields);
      // after an upgrade they stay own fields. A `properties` object is how it talks to an
      // element that was already defined.
      this.properties = {};
    }

    /** What the loader passed: own fields first, then the `properties` object. */
    get received() {
      const out = {};
      for (const name of PROPS) {
        const value = Object.hasOwn(this.properties ?? {}, name) ? this.properties[name] : Object.hasOwn(this, name) ? this[name] : undefined;
        if (value !== undefined) out[name] = value;
      }
      return out;
    }

    connectedCallback() {
      if (!instances.includes(this)) instances.push(this);
      if (this.#rendered) return;
      this.#rendered = true;
      const lang = this.received.language ?? 'en';
      const t = TEXT[lang] ?? TEXT.en;
      const h = document.createElement('h2');
      h.textContent = t.title;
      const p = document.createElement('p');
      p.textContent = `Language: ${lang}. Token: ${token ? '•••' + token.slice(-3) : '(none)'}.`;
      const buttons = document.createElement('p');
      for (const [command, label] of [['complete', t.complete], ['fail', t.fail], ['fail20', t.fail20], ['abort', t.abort]]) {
        const b = document.createElement('button');
        b.type = 'button';
        b.dataset.command = command;
        b.textContent = label;
        b.addEventListener('click', () => api[command]());
        buttons.append(b, ' ');
      }
      this.#root.append(h, p, buttons);
      if (!token.startsWith('fake-no-load')) setTimeout(() => this.dispatchEvent(new CustomEvent('loaded')), 0);
    }
  }

  const current = () => instances.filter((el) => el.isConnected).at(-1);
  const api = {
    get current() {
      return current();
    },
    /** Every token a script of this fake was loaded with, in order. */
    tokens: [],
    complete: () => current()?.dispatchEvent(new CustomEvent('complete')),
    fail: (detail = { type: 'BACKEND_ERROR', code: 'BANK_SERVER_REJECTION', message: 'The bank rejected the request.' }) =>
      current()?.dispatchEvent(new CustomEvent('fail', { detail })),
    fail20: () => current()?.dispatchEvent(new CustomEvent('fail')),
    abort: () => current()?.dispatchEvent(new CustomEvent('abort')),
    /** Fires any event name with any detail, for tests of what finAPI does not document. */
    dispatch: (name, detail) => current()?.dispatchEvent(new CustomEvent(name, { detail })),
  };
  const previous = window.fakeFinapiWebForm;
  api.tokens.push(...(previous?.tokens ?? []), token);
  // Each script load (the loader adds it again after every unload) replaces the API; instances of
  // earlier loads are gone with their unload.
  window.fakeFinapiWebForm = api;
  customElements.define(tagname, FakeWebForm);
})();
