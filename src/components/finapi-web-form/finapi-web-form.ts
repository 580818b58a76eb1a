// The loader module itself: its CommonJS index re-exports through a helper bundlers cannot follow.
import { load, unload } from '@finapi/web-form/dist/loader.js';
import { validateUrl } from '@finapi/web-form/dist/utils/url.util.js';
import type { LayoutConfig, WebFormElement, WebFormProps } from '@finapi/web-form';
import { FORM_ATTRIBUTES, type FormFields } from '../../base/form-control.js';
import type { Tone } from '../../base/outcome.js';
import { ProviderOutcomeElement } from '../../base/provider-outcome-element.js';
import { SessionSource, checkSessionUrl, sessionTimeout, warnTokenAttribute, type SessionAnswer, type SessionResult } from '../../base/session-source.js';
import { resolveLang } from '../../internal/lang.js';
import { FINAPI_DOMAINS, FINAPI_SERVERS } from '../../internal/hosts.js';
import { checkFrameUrl } from '../../internal/url.js';
import { finapiText } from '../../translations/finapi.js';
import type { FinapiText, Message } from '../../translations/types.js';
import {
  FINAPI_LANGUAGES,
  parseFinapiFailError,
  type FinapiLanguage,
  type FinapiOutcome,
} from './finapi-web-form.schema.js';

const ENVIRONMENTS = FINAPI_SERVERS;
const LAYOUTS = new Set(['xs', 'sm', 'md', 'lg']);
const COLOR_MODES = new Set(['dark', 'light']);
/** How the loader marks the one web form on a page (src/utils/dom.util.ts). */
const INSTANCE = '[data-web-form-instance]';
const TONES: Record<FinapiOutcome, Tone> = { completed: 'success', failed: 'error', aborted: 'info', error: 'error' };

const isFinapiHost = (hostname: string) => FINAPI_DOMAINS.some((domain) => hostname.endsWith(domain));

/** `ask`: the `session-url` to ask for the token first (then `props.token` is the answer's, or empty before it). */
type Config =
  | { ok: true; server: string; props: WebFormProps; ask?: URL }
  | { ok: false; attribute: string; message: string };

/**
 * finAPI Web Form 2.0 as one tag: finAPI's own loader (`@finapi/web-form`) puts finAPI's web
 * form in the page, and the element turns its events into finframe's — `provider-ready`, one
 * `provider-outcome`, `provider-error` — with outcome messages in each of the web form's languages.
 *
 * finAPI's form is not a frame: its script runs in your page, from finAPI's server. The loader
 * finds the form with document-level queries, so the element keeps it in its light DOM, in a
 * `<div slot="form">` it creates, and finAPI allows one web form per page.
 *
 * @summary Connect a bank account or approve a payment with finAPI's web form.
 * @tag finapi-web-form
 *
 * @attr {string} token - The web form token your server got from finAPI (single-use, valid 20 minutes). Prefer the `token` property: an attribute is visible to every script on the page.
 * @attr {string} session-url - Where the element asks your server for the web form token (answered as `{"token": "…"}`) at the start of every session, when `token` is not set: a `POST` with the page's cookies. Same-origin or `https:`.
 * @attr {'live' | 'sandbox'} environment - finAPI's live (default) or sandbox web form server.
 * @attr {string} target-url - Another finAPI web form server instead: `https://` on `*.finapi.io` or `*.finapi.net`, or `http://localhost:PORT` only in development — the development build, or after `allowLoopback()` (finAPI's loader refuses `127.0.0.1`). finAPI's script from this server runs in your page.
 * @attr {string} lang - The web form's language (cs, de, en, es, fr, it, nl, pl, ro, sk, tr) and of the built-in text; defaults to the closest `[lang]`, then `<html lang>` (the built-in text then falls back to English, and finAPI chooses the form's).
 * @attr {'xs' | 'sm' | 'md' | 'lg'} layout - Force one of finAPI's layouts (the `layoutConfig` property also takes custom breakpoints).
 * @attr {'dark' | 'light'} color-mode - The web form's initial colour mode.
 * @attr {boolean} no-margins - Remove the web form's outer margins.
 * @attr {boolean} fill-height - Stretch the web form to its container's height (every ancestor needs a height).
 * @attr {string} customer-support-url - Offer a link to your customer support when the web form ends in an error.
 * @attr {string} back-to-app-url - For native apps: where finAPI sends the user back after a bank's redirect.
 * @attr {string} form-title - The accessible name of the region around the web form.
 * @attr {number} load-timeout - Milliseconds to wait for finAPI's `loaded` (default 30000).
 * @attr {string} name - The form field name: after an outcome the form posts `name[outcome]` and the outcome's fields.
 * @attr {boolean} required - The form cannot be submitted until the outcome is `completed`.
 * @attr {string} submit-on - Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers.
 *
 * @slot loading - Shown while finAPI's web form loads.
 * @slot form - Where the element puts finAPI's web form (a `<div slot="form">` it creates; leave it alone).
 * @slot completed - The web form was completed. Tone `success`.
 * @slot failed - The web form ended in an error the user has seen. Tone `error`.
 * @slot aborted - The user cancelled the web form. Tone `info`.
 * @slot error - The web form could not load, timed out, was misconfigured, or another one was already open. Tone `error`.
 *
 * @event {ProviderReadyEvent} provider-ready - finAPI's `loaded`: the web form rendered.
 * @event {ProviderOutcomeEvent} provider-outcome - `completed`, `failed` (`data.error`: finAPI's `OnFailError`, when Web Form 2.1 sends one), `aborted`, or `error`; cancelable.
 * @event {ProviderErrorEvent} provider-error - `INVALID_CONFIG` (no token, a bad attribute), `SESSION_FAILED` (`session-url` gave no token; `data.status`), `ALREADY_OPEN` (another web form is open on the page), `LOAD_FAILED` (finAPI's script did not load), `LOAD_TIMEOUT` — all fatal — or `INVALID_MESSAGE` (a `fail` detail outside finAPI's documented shape; the outcome is still `failed`).
 *
 * @csspart loading - The region around the `loading` slot.
 * @csspart form - The region around the web form.
 * @csspart outcome - Each outcome's box (one per outcome slot, all but the shown one `hidden`): icon and text, in the outcome's tone.
 * @csspart outcome-success - The box of an outcome whose tone is `success` (as well as `outcome`).
 * @csspart outcome-info - The box of an outcome whose tone is `info`.
 * @csspart outcome-warning - The box of an outcome whose tone is `warning`.
 * @csspart outcome-error - The box of an outcome whose tone is `error` (`role="alert"`; the others are `role="status"`).
 * @csspart outcome-icon - The tone's icon: an inline SVG, `aria-hidden` (the text says what happened); its stroke is the tone's border colour.
 * @csspart outcome-text - Around the outcome slot: the built-in text, or your content for that slot.
 *
 * @cssprop [--finframe-success-color=#14532d] - Text colour of a `success` outcome (`#c3efcf` when the user prefers a dark colour scheme).
 * @cssprop [--finframe-success-background=#edf8f0] - Background of a `success` outcome (dark: `#0f2918`).
 * @cssprop [--finframe-success-border=#1f7a3d] - Border and icon colour of a `success` outcome (dark: `#4cc26f`).
 * @cssprop [--finframe-info-color=#0b4a85] - Text colour of an `info` outcome (`#cfe3fb` when the user prefers a dark colour scheme).
 * @cssprop [--finframe-info-background=#eef5fc] - Background of an `info` outcome (dark: `#0d2236`).
 * @cssprop [--finframe-info-border=#2166b3] - Border and icon colour of an `info` outcome (dark: `#63a9f0`).
 * @cssprop [--finframe-warning-color=#6a4000] - Text colour of a `warning` outcome (`#fde3ae` when the user prefers a dark colour scheme).
 * @cssprop [--finframe-warning-background=#fff6e0] - Background of a `warning` outcome (dark: `#2c2005`).
 * @cssprop [--finframe-warning-border=#a15c00] - Border and icon colour of a `warning` outcome (dark: `#e3a33b`).
 * @cssprop [--finframe-error-color=#8a1717] - Text colour of an `error` outcome (`#fdcdc9` when the user prefers a dark colour scheme).
 * @cssprop [--finframe-error-background=#fdf0ef] - Background of an `error` outcome (dark: `#361212`).
 * @cssprop [--finframe-error-border=#c42b2b] - Border and icon colour of an `error` outcome (dark: `#f2736b`).
 * @cssprop [--finframe-outcome-padding=.75rem 1rem] - Padding of the outcome box.
 * @cssprop [--finframe-outcome-gap=.625rem] - Space between the icon and the text.
 * @cssprop [--finframe-outcome-radius=.375rem] - Corner radius of the outcome box.
 *
 * @cssstate idle - Status `idle`: no session (not configured yet, or disabled).
 * @cssstate loading - Status `loading`: finAPI's form is loading.
 * @cssstate ready - Status `ready`: finAPI's form is shown.
 * @cssstate complete - Status `complete`: the session ended with an outcome, which is a state too.
 * @cssstate error - Status `error`: the session failed with outcome `error` (misconfiguration, a refused request, a timeout).
 * @cssstate completed - Outcome `completed` (its slot says what it means).
 * @cssstate failed - Outcome `failed` (its slot says what it means).
 * @cssstate aborted - Outcome `aborted` (its slot says what it means).
 */
export class FinapiWebFormElement extends ProviderOutcomeElement<Exclude<FinapiOutcome, 'error'>> {
  static observedAttributes = [
    'token',
    'session-url',
    'environment',
    'target-url',
    'lang',
    'layout',
    'color-mode',
    'no-margins',
    'fill-height',
    'customer-support-url',
    'back-to-app-url',
    'form-title',
    'load-timeout',
    ...FORM_ATTRIBUTES,
  ];

  /** Light DOM: the loader's queries are document-level and do not see into a shadow root. */
  #container: HTMLDivElement | undefined;
  #token: string | undefined;
  #layoutConfig: LayoutConfig | undefined;
  #form: WebFormElement | undefined;
  /** Token and server of the current session; a change of either starts a new one. */
  #sessionKey: string | undefined;
  #session = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #source = new SessionSource(this, () => 'token');
  /** The current session's answer from `session-url`. */
  #answer: SessionAnswer | undefined;

  protected get provider() {
    return 'finapi' as const;
  }

  /**
   * The web form token from your server. Set the property: it is never written to an attribute.
   * (finAPI's loader still puts it in the URL of the `<script>` it adds to `document.body`, as it
   * must.) The `token` attribute is read when the property is not set. A new token starts a new
   * web form.
   */
  get token(): string | undefined {
    return this.#token ?? this.getAttribute('token') ?? undefined;
  }
  set token(value: string | undefined) {
    this.#token = value || undefined;
    this.requestUpdate();
  }

  /**
   * Where the element asks your server for the web form token (attribute `session-url`), when
   * `token` is not set: `POST` with the page's cookies, a JSON body `{element, lang, context}`
   * (`context`: the element's `data-*` attributes), at the start of every session. Same-origin or
   * `https:`.
   */
  get sessionUrl(): string | undefined {
    return this.getAttribute('session-url') ?? undefined;
  }
  set sessionUrl(value: string | undefined) {
    this.reflect('session-url', value);
  }

  /** `live` (default) or `sandbox`. */
  get environment(): string {
    return this.getAttribute('environment') || 'live';
  }
  set environment(value: string) {
    this.setAttribute('environment', value);
  }

  /** Another finAPI web form server (attribute `target-url`); wins over `environment`. */
  get targetUrl(): string | undefined {
    return this.getAttribute('target-url') ?? undefined;
  }
  set targetUrl(value: string | undefined) {
    this.reflect('target-url', value);
  }

  /** finAPI's `layoutConfig`: `xs` … `lg` (attribute `layout`), or custom breakpoints `{xs, sm, md, lg, xl}`. */
  get layoutConfig(): LayoutConfig | undefined {
    return this.#layoutConfig ?? ((this.getAttribute('layout') || undefined) as LayoutConfig | undefined);
  }
  set layoutConfig(value: LayoutConfig | undefined) {
    this.#layoutConfig = value && typeof value === 'object' ? Object.freeze({ ...value }) : undefined;
    if (typeof value === 'string') this.setAttribute('layout', value);
    this.requestUpdate();
  }

  /** `dark` or `light` (attribute `color-mode`). */
  get colorMode(): 'dark' | 'light' | undefined {
    return (this.getAttribute('color-mode') || undefined) as 'dark' | 'light' | undefined;
  }
  set colorMode(value: 'dark' | 'light' | undefined) {
    this.reflect('color-mode', value);
  }

  /** Milliseconds (attribute `load-timeout`, default 30000) to wait for finAPI's `loaded` before a fatal `LOAD_TIMEOUT`. */
  get loadTimeout(): number {
    const value = Number(this.getAttribute('load-timeout') ?? NaN);
    return value > 0 ? value : 30_000;
  }
  set loadTimeout(value: number) {
    this.reflect('load-timeout', String(value));
  }

  /**
   * Loads the web form again: clears `outcome` and the form value, back to `loading`. A web form
   * token is single-use, so set a new `token` instead when the last one was used (with
   * `session-url`, the element asks for a new one).
   */
  override reset(): void {
    this.#sessionKey = undefined;
    super.reset();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A move (disconnect and connect in one task) keeps the web form; a removal unloads it.
    queueMicrotask(() => {
      if (this.isConnected) return;
      clearTimeout(this.#timer);
      this.#source.stop();
      this.#unloadOwn();
      if (!this.finished) this.suspend();
    });
  }

  protected override suspend(): void {
    clearTimeout(this.#timer);
    this.#source.stop();
    this.#unloadOwn();
    this.#session++;
    this.#sessionKey = undefined;
    this.idle();
  }

  /** The built-in text's language: the web form's (any of finAPI's languages), else English. */
  get #text(): FinapiText {
    return finapiText[resolveLang(this, FINAPI_LANGUAGES, 'en')];
  }

  #configure(): Config {
    let token = this.token?.trim();
    let ask: URL | undefined;
    if (token) {
      if (!this.#token) warnTokenAttribute(this, 'token', 'token');
    } else if (this.sessionUrl) {
      const checked = checkSessionUrl(this.sessionUrl);
      if (!checked.ok) return { ok: false, attribute: 'session-url', message: checked.reason };
      ask = checked.url;
      token = this.#answer?.token;
    } else {
      return {
        ok: false,
        attribute: 'token',
        message: 'no web form token. Set the `token` property to the token your server got from finAPI (POST /api/webForms/…), or session-url',
      };
    }
    let server: string;
    const target = this.targetUrl;
    if (target) {
      const check = checkFrameUrl(target, isFinapiHost, document.baseURI);
      if (!check.ok) return { ok: false, attribute: 'target-url', message: `${check.reason}` };
      if (check.url.search || check.url.hash) {
        return { ok: false, attribute: 'target-url', message: 'a web form server address takes no query or fragment' };
      }
      server = check.url.origin + check.url.pathname.replace(/\/+$/, '');
      try {
        // finAPI's own rule, from its loader: finAPI's domains, localhost, host.docker.internal or
        // a private IPv4 address — so 127.0.0.1, which our loopback check allows, is refused.
        validateUrl(server);
      } catch {
        return {
          ok: false,
          attribute: 'target-url',
          message: `finAPI's loader refuses ${check.url.host}: it loads only from *.finapi.io, *.finapi.net, localhost or a private IPv4 address`,
        };
      }
    } else {
      const env = this.environment;
      if (!Object.hasOwn(ENVIRONMENTS, env)) {
        return { ok: false, attribute: 'environment', message: `"${env.slice(0, 32)}" is not an environment: use live or sandbox (or target-url)` };
      }
      server = ENVIRONMENTS[env]!;
    }
    const layout = this.layoutConfig;
    if (typeof layout === 'string' && !LAYOUTS.has(layout)) {
      return { ok: false, attribute: 'layout', message: 'the layout is one of xs, sm, md, lg' };
    }
    if (layout && typeof layout === 'object' && !['xs', 'sm', 'md', 'lg', 'xl'].every((k) => Number.isFinite(layout[k as 'xs']))) {
      return { ok: false, attribute: 'layout', message: 'custom breakpoints (the layoutConfig property) need numbers for xs, sm, md, lg and xl' };
    }
    const colorMode = this.colorMode;
    if (colorMode && !COLOR_MODES.has(colorMode)) return { ok: false, attribute: 'color-mode', message: 'the colour mode is dark or light' };
    const support = this.#link('customer-support-url', ['https:', 'http:']);
    if (support && !support.ok) return support;
    const back = this.#link('back-to-app-url', null);
    if (back && !back.ok) return back;
    const language = resolveLang(this, FINAPI_LANGUAGES as readonly string[], '') as FinapiLanguage | '';
    const props: WebFormProps = {
      token: token ?? '',
      targetUrl: server,
      ...(language ? { language } : {}),
      ...(layout ? { layoutConfig: layout } : {}),
      ...(colorMode ? { colorMode } : {}),
      // The loader passes these on as strings.
      ...(this.hasAttribute('no-margins') ? { noMargins: 'true' } : {}),
      ...(this.hasAttribute('fill-height') ? { fillHeight: 'true' } : {}),
      ...(support ? { customerSupportUrl: support.url } : {}),
      ...(back ? { backToAppUrl: back.url } : {}),
    };
    return { ok: true, server, props, ...(ask ? { ask } : {}) };
  }

  /** An absolute link attribute: http(s), or (for app links) any scheme but script-bearing ones. */
  #link(attribute: string, protocols: string[] | null): { ok: true; url: string } | { ok: false; attribute: string; message: string } | undefined {
    const value = this.getAttribute(attribute);
    if (!value) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { ok: false, attribute, message: 'the value is not an absolute URL' };
    }
    const scriptish = ['javascript:', 'data:', 'vbscript:', 'blob:', 'file:'].includes(url.protocol);
    if (scriptish || (protocols && !protocols.includes(url.protocol))) {
      return { ok: false, attribute, message: `${url.protocol} links are not allowed here` };
    }
    return { ok: true, url: url.href };
  }

  protected update(): void {
    const config = this.#configure();
    if (!config.ok) {
      // configError() ends the session (ended() unloads the form) unless it already reported this.
      this.#sessionKey = undefined;
      this.configError(config.attribute, config.message);
    } else {
      this.clearConfigError();
      // With session-url the token is the session's own: a new server or session-url asks again.
      const key = config.ask ? `${config.server}\n\n${config.ask.href}` : `${config.server}\n${config.props.token}`;
      if (key !== this.#sessionKey) {
        this.#sessionKey = key;
        this.#start(config);
      } else if (this.#form && !this.finished) {
        // Same web form: pass the other properties on, as the loader's returned element allows.
        const port = (this.#form.properties ?? this.#form) as Record<string, unknown>;
        for (const name of ['language', 'layoutConfig', 'colorMode', 'noMargins', 'fillHeight', 'customerSupportUrl', 'backToAppUrl'] as const) {
          port[name] = config.props[name];
        }
      }
    }
  }

  #start(config: Extract<Config, { ok: true }>): void {
    clearTimeout(this.#timer);
    this.#source.stop();
    this.#answer = undefined;
    this.#unloadOwn();
    const session = ++this.#session;
    this.startSession();
    // Checked before asking too: a web form token is single-use.
    if (this.#alreadyOpen()) return;
    const live = () => session === this.#session && !this.finished;
    const { ask } = config;
    // The wait for session-url's answer counts against load-timeout too.
    const timeout = this.loadTimeout;
    const origin = new URL(config.server).origin;
    this.#timer = setTimeout(() => {
      if (!live()) return;
      this.fatal(
        'LOAD_TIMEOUT',
        this.#source.pending
          ? sessionTimeout(this, timeout)
          : `finAPI's web form gave no "loaded" within ${timeout} ms. Check target-url or environment, the network, and that your Content-Security-Policy allows ${origin} (script-src, connect-src).`,
      );
    }, timeout);
    if (ask) {
      this.#source.ask(ask, resolveLang(this, FINAPI_LANGUAGES as readonly string[], 'en'), (result) => this.#answered(session, ask, result));
    } else {
      this.#load(config.server, config.props, session);
    }
  }

  #answered(session: number, asked: URL, result: SessionResult): void {
    if (session !== this.#session || this.finished) return;
    if (!result.ok) {
      this.fatal('SESSION_FAILED', result.message, { status: result.status });
      return;
    }
    this.#answer = result.answer;
    const config = this.#configure();
    // session-url changed or the page set its own token meanwhile: the pending update starts the right session.
    if (!config.ok || config.ask?.href !== asked.href) {
      this.#answer = undefined;
      return;
    }
    if (!this.#alreadyOpen()) this.#load(config.server, config.props, session);
  }

  /**
   * The loader's load() first unloads whatever web form the page has: finAPI allows one. Another
   * element's (or anyone's) form keeps working, and this one says why it did not load.
   */
  #alreadyOpen(): boolean {
    if (!document.querySelector(INSTANCE)) return false;
    this.fatal(
      'ALREADY_OPEN',
      `<${this.localName}>: another finAPI web form is open on this page, and finAPI allows one at a time. Remove it (or wait for its outcome), then call reset() on this element.`,
    );
    return true;
  }

  #load(server: string, props: WebFormProps, session: number): void {
    const origin = new URL(server).origin;
    if (!this.#container) {
      this.#container = document.createElement('div');
      this.#container.slot = 'form';
    }
    if (this.#container.parentNode !== this) this.append(this.#container);

    const live = () => session === this.#session && !this.finished;
    try {
      this.#form = load(
        this.#container,
        props,
        {
          onLoaded: () => {
            if (!live()) return;
            clearTimeout(this.#timer);
            this.markReady();
          },
          onComplete: () => {
            if (live()) this.finish('completed', Object.freeze({}));
          },
          onFail: (detail) => {
            if (!live()) return;
            const parsed = parseFinapiFailError(detail);
            if (!parsed.ok) {
              this.dispatchError(
                'INVALID_MESSAGE',
                "finAPI's fail event carried a detail outside its documented OnFailError; the outcome is failed without it.",
                false,
              );
            }
            this.finish('failed', Object.freeze(parsed.ok && parsed.error ? { error: parsed.error } : {}));
          },
          onAbort: () => {
            if (live()) this.finish('aborted', Object.freeze({}));
          },
          onLoadError: () => {
            if (!live()) return;
            this.fatal(
              'LOAD_FAILED',
              `finAPI's web form script did not load from ${origin}. Check target-url or environment, the network, and that your Content-Security-Policy script-src allows ${origin}.`,
            );
          },
        },
        document,
      );
    } catch (error) {
      // #configure() applied the loader's own URL rule, so this is unexpected. The session key
      // stays, so the same configuration is not retried in a loop.
      this.#container.replaceChildren();
      this.fatal('LOAD_FAILED', `finAPI's loader failed: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`);
      return;
    }
    // The loader's spinner is a role="progressbar" without a name (an axe violation): name it.
    this.#container.querySelector('[role=progressbar]')?.setAttribute('aria-label', this.#text.loading);
  }

  /** Removes this element's web form and finAPI's script, never another element's form. */
  #unloadOwn(): void {
    const form = this.#form;
    if (!form) return;
    this.#form = undefined;
    if (form.isConnected && form.ownerDocument === document) unload(document);
    else if (!document.querySelector(INSTANCE)) document.getElementById('web-form-source')?.remove();
    this.#container?.replaceChildren();
  }

  /** The user has seen finAPI's own final view and pressed its Close: the form's work is done. */
  protected override ended(): void {
    clearTimeout(this.#timer);
    this.#source.stop();
    this.#unloadOwn();
  }

  protected get tones() {
    return TONES;
  }

  protected outcomeText() {
    return this.#text.outcomes;
  }

  protected override outcomeMessage(outcome: string, data: unknown): Message {
    const code = (data as { code?: unknown } | undefined)?.code;
    if (outcome === 'error' && code === 'ALREADY_OPEN') return this.#text.alreadyOpen;
    if (outcome === 'error' && code === 'INVALID_CONFIG') return this.#text.unavailable;
    return super.outcomeMessage(outcome, data);
  }

  protected override requiredText(): string {
    return this.#text.required;
  }

  protected override formSuccess(outcome: string): boolean {
    return outcome === 'completed';
  }

  /** `failed` posts what finAPI reported: `errorType` and `errorCode` (Web Form 2.1). */
  protected override formFields(outcome: string, data: unknown): FormFields {
    const error = outcome === 'failed' ? (data as { error?: { type?: unknown; code?: unknown } }).error : undefined;
    return { errorType: error?.type, errorCode: error?.code };
  }

  #loading = this.region('loading', 'status', 'loading');
  #region = this.region('form', 'region', 'form');

  protected override createBody() {
    return [this.#loading.box, this.#region.box];
  }

  protected override updateBody() {
    const t = this.#text;
    this.#loading.box.hidden = this.status !== 'loading';
    this.setText(this.#loading.slot, t.loading);
    this.#region.box.hidden = this.finished;
    this.#region.box.setAttribute('aria-label', this.getAttribute('form-title') || t.label);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'finapi-web-form': FinapiWebFormElement;
  }
}
