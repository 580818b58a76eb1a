import { html, nothing, render } from 'lit/html.js';
import { keyed } from 'lit/directives/keyed.js';
import type { ProviderName, ProviderOutcomeDetail } from '../events/details.js';
import { ProviderErrorEvent } from '../events/provider-error.js';
import { ProviderEventEvent } from '../events/provider-event.js';
import { ProviderOutcomeEvent } from '../events/provider-outcome.js';
import { ProviderReadyEvent } from '../events/provider-ready.js';
import { createGate } from '../internal/gate.js';
import { onLangChange, resolveLang } from '../internal/lang.js';
import { upgradeProperties } from '../internal/upgrade.js';
import { LANGS, type ElementText, type Lang, type Message } from '../translations/types.js';
import { FormAssociatedElement } from './form-associated-element.js';
import { FORM_ATTRIBUTES, FormControl, type FormFields } from './form-control.js';
import { OutcomeRegions, type Tone } from './outcome.js';
import { attachStyledShadow, providerFrameCss } from './provider-frame-element.styles.js';
import { SessionSource, checkSessionUrl, sessionTimeout, type SessionAnswer, type SessionResult, type SessionTakes } from './session-source.js';

/** The element's lifecycle: the `status` property and the custom state of the same name (`:state(ready)`). */
export const FrameStatus = {
  idle: 'idle',
  loading: 'loading',
  ready: 'ready',
  complete: 'complete',
  error: 'error',
} as const;
export type FrameStatus = (typeof FrameStatus)[keyof typeof FrameStatus];

/** The frame URL an element would load, or the attribute a developer has to fix. */
export type FrameConfig = { ok: true; url: URL } | { ok: false; attribute: string; message: string };

/**
 * How an element takes part in `session-url`: what it takes from the answer, the attributes the
 * answer stands in for, and whether the page gave those itself (property or attribute), in which
 * case no request is made.
 */
export interface SessionSpec {
  readonly takes: SessionTakes;
  readonly replaces: readonly string[];
  readonly given: boolean;
}

/** The configuration a session starts from: a frame URL, or a `session-url` to ask first. `key` changes when a new session is needed. */
type Configured = { key: string; url?: URL; ask?: URL };

/** What one accepted message means. A subclass maps each message to a list of these. */
export type FrameAction =
  | { kind: 'event'; name: string; data: Readonly<Record<string, unknown>> }
  | { kind: 'outcome'; outcome: string; data: unknown }
  | { kind: 'error'; code: string; message: string; fatal: boolean; data?: unknown }
  /** Close the modal dialog (e.g. Benji's exit after a success). */
  | { kind: 'close' };

/**
 * How the user closed the modal dialog without the provider's own controls. (`escape` only while
 * focus is outside the provider's frame: inside it, the browser gives the key to the frame.)
 */
export type DismissTrigger = 'escape' | 'close-button' | 'backdrop';

interface Session {
  readonly url: string;
  readonly origin: string;
  readonly key: number;
}

// Where upgradeProperties stops: the built-in class (none in Node, where importing must not throw).
const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

/**
 * The base of every finframe frame element: the `<iframe>`, the message gate, `status`,
 * `outcome`, the loading and outcome slots, the optional modal dialog. A provider subclass
 * declares facts — how to build and check its URL, its message schema, what a message means,
 * its built-in text — and nothing else.
 *
 * Rendering uses lit-html directly rather than LitElement: the few reactive attributes are handled
 * here, and the ~2.5 kB (gzipped) that LitElement would add is a fifth of an element's size budget.
 *
 * The outcome boxes are `OutcomeRegions` (`./outcome.ts`), shared with the non-frame elements;
 * their parts and custom properties are documented on each element.
 *
 * @slot loading - Shown while the frame loads, until the provider's first trusted message.
 *
 * @event {ProviderReadyEvent} provider-ready - The first trusted, valid message arrived.
 * @event {ProviderEventEvent} provider-event - An accepted, non-terminal message.
 * @event {ProviderOutcomeEvent} provider-outcome - The terminal outcome; cancelable.
 * @event {ProviderErrorEvent} provider-error - Misconfiguration, load timeout, a malformed message, or a provider error.
 *
 * @csspart frame - The provider's `<iframe>`.
 * @csspart loading - The region around the `loading` slot.
 * @csspart dialog - The `<dialog>` around the frame, with `modal`.
 * @csspart close-button - The dialog's close button, with `modal`: always in view, reachable by keyboard.
 *
 * @cssprop --frame-height - The height of the frame; each element sets a default that fits its provider.
 *
 * @cssstate idle - No session: not configured yet, disabled, or a `modal` element not opened.
 * @cssstate loading - The frame is loading; until the provider's first trusted message.
 * @cssstate ready - The provider's frame is up and talking.
 * @cssstate complete - The session ended with an outcome; the outcome is a state too.
 * @cssstate error - The session failed (outcome `error`): misconfiguration, load timeout, a provider error.
 */
export abstract class ProviderFrameElement<M = unknown> extends FormAssociatedElement {
  static observedAttributes = ['src', 'lang', 'frame-title', 'load-timeout', 'modal', 'session-url', ...FORM_ATTRIBUTES];

  #root: ShadowRoot;
  #forms: FormControl;
  #session: Session | undefined;
  #sessionCount = 0;
  /** The session whose `<iframe>` is in the DOM; messages count only from that one. */
  #renderedSession = -1;
  #frame: HTMLIFrameElement | null = null;
  #updated: Promise<void> | undefined;
  #configDirty = true;
  #config: Configured | undefined;
  #source = new SessionSource(this, () => this.sessionSpec().takes);
  /** The current session's answer from `session-url`. */
  #answer: SessionAnswer | undefined;
  #restart = true;
  #opened = false;
  #modalRendered: boolean | undefined;
  #ready = false;
  #finished = false;
  #outcomeShown = false;
  #status: FrameStatus = FrameStatus.idle;
  #outcome: string | undefined;
  /** The outcome's data: some outcomes' text depends on it (Benji's action, an error's code). */
  #outcomeData: unknown;
  #outcomes: OutcomeRegions | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #abort: AbortController | undefined;
  #lastConfigError: string | undefined;

  #gate = createGate<M>({
    provider: this.localName,
    source: () => (this.#renderedSession === this.#session?.key ? this.#frame?.contentWindow : undefined),
    origin: () => this.#session?.origin,
    parse: (data) => this.parseMessage(data),
    accept: (message) => this.#accept(message),
    malformed: () => {
      if (!this.#ended) {
        this.#dispatchError('INVALID_MESSAGE', 'The provider frame sent a message outside its protocol; it was ignored.', false);
      }
    },
  });

  constructor() {
    super();
    this.#root = attachStyledShadow(this, providerFrameCss(this.defaultFrameHeight));
    this.#forms = new FormControl(this, this.#root, {
      success: (outcome) => this.formSuccess(outcome),
      message: () => this.text(this.resolvedLang).required,
      outcomes: () => Object.keys(this.text('en').outcomes),
      misconfigured: (attribute, message) => this.#dispatchError('INVALID_CONFIG', message, false, Object.freeze({ attribute })),
    });
  }

  protected override get formControl(): FormControl {
    return this.#forms;
  }

  /**
   * The frame URL. Optional: without it the element builds the URL from its other attributes.
   * Accepted only as `https:` on one of the provider's hosts; on a loopback host only in the
   * development build or after `allowLoopback()`.
   */
  get src(): string | undefined {
    return this.getAttribute('src') ?? undefined;
  }
  set src(value: string | undefined) {
    this.#reflect('src', value);
  }

  /** The frame's accessible title (attribute `frame-title`). Defaults to a localized description of the flow. */
  get frameTitle(): string | undefined {
    return this.getAttribute('frame-title') ?? undefined;
  }
  set frameTitle(value: string | undefined) {
    this.#reflect('frame-title', value);
  }

  /** Milliseconds (attribute `load-timeout`, default 30000) to wait for the first trusted message before a fatal `LOAD_TIMEOUT`. */
  get loadTimeout(): number {
    const value = Number(this.getAttribute('load-timeout') ?? NaN);
    return value > 0 ? value : 30_000;
  }
  set loadTimeout(value: number) {
    this.#reflect('load-timeout', String(value));
  }

  /**
   * Where the element asks your server for its session (attribute `session-url`), when neither the
   * token nor `src` was given: `POST` with the page's cookies, a JSON body
   * `{element, lang, context}` (`context`: the element's `data-*` attributes), at the start of every
   * session. Same-origin or `https:`.
   */
  get sessionUrl(): string | undefined {
    return this.getAttribute('session-url') ?? undefined;
  }
  set sessionUrl(value: string | undefined) {
    this.#reflect('session-url', value);
  }

  /** Show the frame in a native modal `<dialog>`, opened with `open()`. The frame is created on the first `open()`. */
  get modal(): boolean {
    return this.hasAttribute('modal');
  }
  set modal(value: boolean) {
    this.toggleAttribute('modal', Boolean(value));
  }

  /** `idle` | `loading` | `ready` | `complete` | `error`; for CSS the custom state `:state(ready)` etc. Read-only. */
  get status(): FrameStatus {
    return this.#status;
  }

  /** The terminal outcome's name (for CSS the custom state `:state(connected)` etc.); `undefined` until there is one. Read-only. */
  get outcome(): string | undefined {
    return this.#outcome;
  }

  /** The provider's name in every event's `detail.provider`. */
  protected abstract get provider(): ProviderName;

  /**
   * The default `--frame-height` (a CSS length) that fits the provider's content; read once, in the
   * constructor. Keep it in step with the class's `@cssprop [--frame-height=…]`.
   */
  protected get defaultFrameHeight(): string {
    return '600px';
  }

  /** Builds and checks the frame URL from the element's attributes (and `src`). */
  protected abstract frameConfig(lang: Lang): FrameConfig;

  /** Validates one message; `undefined` if it does not match the provider's protocol. */
  protected abstract parseMessage(data: unknown): M | undefined;

  /** What an accepted message means. (Read `resolvedLang` only if needed: it walks the DOM.) */
  protected abstract actions(message: M): readonly FrameAction[];

  /** The built-in text in `lang`. Its `outcomes` keys are the outcome slot names. */
  protected abstract text(lang: Lang): ElementText<string>;

  /** The tone of each outcome slot (the same keys as the text's `outcomes`): its colours, icon and role. */
  protected abstract get tones(): Readonly<Record<string, Tone>>;

  /**
   * The built-in text shown for `outcome` with its `data`. By default the text's `outcomes` entry,
   * and `unavailable` for an `error` from `INVALID_CONFIG` (trying again cannot help there).
   */
  protected outcomeMessage(outcome: string, data: unknown, lang: Lang): Message {
    const t = this.text(lang);
    if (outcome === 'error' && (data as { code?: unknown } | undefined)?.code === 'INVALID_CONFIG') return t.unavailable;
    return t.outcomes[outcome] ?? '';
  }

  /** The frame's `sandbox`. Popups are allowed for banks that sign in by OAuth. */
  protected get frameSandbox(): string {
    return 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';
  }

  /**
   * Whether the frame's `load` event counts as ready. For providers that post nothing until the
   * flow ends (Flexiti): without it, `load-timeout` would fire while the shopper is still typing.
   */
  protected get readyOnLoad(): boolean {
    return false;
  }

  /** Fields added to the `provider-outcome` detail beside `provider`, `outcome` and `data` (e.g. Flexiti's `nextStep`). */
  protected outcomeExtras(_outcome: string): Record<string, unknown> {
    return {};
  }

  /** The URL of one session's frame, from the configured one (e.g. Benji's cache-busting `t`). Same origin. */
  protected sessionFrameUrl(url: string): string {
    return url;
  }

  /** What this element takes from a `session-url` answer (see `SessionSpec`). By default: the token or `src`, and the page gave `src` itself. */
  protected sessionSpec(): SessionSpec {
    return { takes: 'token-or-src', replaces: ['src'], given: Boolean(this.src) };
  }

  /** Whether this session's token and frame URL come from `session-url`. */
  get #asking(): boolean {
    return Boolean(this.sessionUrl) && !this.sessionSpec().given;
  }

  /** What `session-url` answered for this session, for `frameConfig()`; `undefined` when the page gave its own. */
  protected get sessionAnswer(): SessionAnswer | undefined {
    return this.#asking ? this.#answer : undefined;
  }

  /** Whether the modal dialog closes when `outcome` arrives (Benji keeps it open after a success until its exit). */
  protected closeOnOutcome(_outcome: string): boolean {
    return true;
  }

  /** Ends the session with `outcome` (once), for outcomes the element itself decides, such as a dismissed dialog. */
  protected end(outcome: string, data: unknown): void {
    this.#finish(outcome, data);
  }

  /** Whether `outcome` satisfies `required` (the provider's successful outcome). */
  protected abstract formSuccess(outcome: string): boolean;

  /** The fields an outcome posts beside `name[outcome]` (only those present). */
  protected abstract formFields(outcome: string, data: unknown): FormFields;

  /** The language of the built-in text, passed to the provider where it takes one. */
  protected get resolvedLang(): Lang {
    return resolveLang(this, LANGS, 'en');
  }

  connectedCallback(): void {
    // Properties set before the element was defined now go through their accessors.
    upgradeProperties(this, Base.prototype);
    this.#abort = new AbortController();
    const { signal } = this.#abort;
    window.addEventListener('message', this.#gate, { signal });
    signal.addEventListener('abort', onLangChange(() => this.configChanged()));
    this.#forms.connected();
    // A connected <iframe> that is moved reloads, so reconnecting starts a new session.
    this.#restart = true;
    this.configChanged();
  }

  disconnectedCallback(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    clearTimeout(this.#timer);
    this.#source.stop();
    this.#forms.disconnected();
  }

  attributeChangedCallback(): void {
    this.configChanged();
  }

  /** `form.reset()`: a new session. */
  formResetCallback(): void {
    this.reset();
  }

  /** A disabled `<fieldset>` (or `disabled`) stops a session that has no outcome; enabling starts one. */
  formDisabledCallback(): void {
    this.requestUpdate();
  }

  /** Marks the frame URL for re-computation at the next update (cheap: a new frame only if the URL differs). */
  protected configChanged(): void {
    this.#configDirty = true;
    this.requestUpdate();
  }

  /** Renders at the next microtask; several changes in one task render once. */
  protected requestUpdate(): void {
    this.#updated ??= Promise.resolve().then(() => this.#update());
  }

  /** Resolves after pending changes have rendered (as in Lit, so `@open-wc/testing`'s `fixture` waits for it). */
  get updateComplete(): Promise<void> {
    return (async () => {
      while (this.#updated) await this.#updated;
    })();
  }

  /**
   * The user closed the modal dialog by its close button, the backdrop, or Escape (which reaches
   * the dialog only while focus is outside the provider's frame).
   */
  protected dismissed(_trigger: DismissTrigger): void {}

  #reflect(name: string, value: string | undefined | null): void {
    if (value == null) this.removeAttribute(name);
    else this.setAttribute(name, value);
  }

  #update(): void {
    this.#updated = undefined;
    if (!this.isConnected) return;
    const lang = this.resolvedLang;
    if (this.#configDirty) {
      this.#configDirty = false;
      const config = this.#configure();
      if ('key' in config) {
        if (this.#lastConfigError) {
          // Fixed: forget the error, back to where a correct element starts.
          this.#lastConfigError = this.#outcome = undefined;
          this.#finished = this.#outcomeShown = false;
          this.#status = FrameStatus.idle;
          this.#forms.set();
        }
        if (config.key !== this.#config?.key) {
          this.#config = config;
          this.#restart = true;
        }
      } else {
        this.#config = undefined;
        this.#session = undefined;
        this.#source.stop();
        this.#restart = true;
        this.#configError(config.attribute, config.message);
      }
    }
    if (this.modal !== this.#modalRendered) {
      // The frame moves in or out of the <dialog>, which reloads it: that is a new session, and a
      // modal one waits for open(). (The first render is no move: an open() before it counts.)
      const moved = this.#modalRendered !== undefined;
      this.#modalRendered = this.modal;
      if (moved) this.#opened = false;
      if (moved && (this.#session || this.#source.pending)) {
        clearTimeout(this.#timer);
        this.#source.stop();
        this.#session = undefined;
        this.#restart = true;
        this.#status = FrameStatus.idle;
      }
    }
    const disabled = this.#forms.disabled;
    if (disabled && (this.#session || this.#source.pending) && (this.#restart || !this.#finished)) {
      // Disabled: no frame. An outcome stays (a disabled control posts nothing anyway) unless a new
      // session was asked for; a session without one ends, and enabling starts a fresh one.
      clearTimeout(this.#timer);
      this.close();
      this.#source.stop();
      this.#session = undefined;
      this.#restart = true;
      this.#ready = this.#finished = this.#outcomeShown = false;
      this.#outcome = this.#outcomeData = undefined;
      this.#status = FrameStatus.idle;
      this.#forms.set();
    }
    if (this.#restart && this.#config && !disabled && (!this.modal || this.#opened)) {
      this.#restart = false;
      this.#startSession(this.#config);
    }
    if (!this.#outcomes) {
      this.#outcomes = new OutcomeRegions(this.tones);
      this.#root.append(...this.#outcomes.boxes);
    }
    // The frame (and dialog) before the outcome boxes, which are plain DOM shared with the non-frame elements.
    render(this.#template(lang), this.#root, { host: this, renderBefore: this.#outcomes.boxes[0] ?? null });
    const t = this.text(lang);
    const shown = this.#outcomeShown ? this.#outcome : undefined;
    this.#outcomes.update(shown, (name) => (name === shown ? this.outcomeMessage(name, this.#outcomeData, lang) : (t.outcomes[name] ?? '')));
    this.#frame = this.#root.querySelector('iframe');
    this.#renderedSession = this.#session?.key ?? -1;
    // Status and outcome are custom states, never attributes: the element writes nothing on its host
    // that a framework's server-rendered markup could disagree with at hydration.
    this.#forms.states(this.#status, this.#outcome);
    this.#forms.refresh();
  }

  /**
   * The frame URL, or the `session-url` to ask first. Before the answer, a missing or invalid
   * value of what the answer will supply is no error yet; everything else is checked now, so a
   * misconfigured element sends no request.
   */
  #configure(): Configured | { attribute: string; message: string } {
    const asking = this.#asking;
    let ask: URL | undefined;
    if (asking) {
      const checked = checkSessionUrl(this.sessionUrl!);
      if (!checked.ok) return { attribute: 'session-url', message: checked.reason };
      ask = checked.url;
    }
    const config = this.frameConfig(this.resolvedLang);
    if (ask && !this.#answer) {
      if (!config.ok && !this.sessionSpec().replaces.includes(config.attribute)) return config;
      return { key: `${ask.href}\n`, ask };
    }
    if (!config.ok) return config;
    return ask ? { key: `${ask.href}\n${config.url.href}`, url: config.url, ask } : { key: config.url.href, url: config.url };
  }

  #startSession(config: Configured): void {
    clearTimeout(this.#timer);
    this.#source.stop();
    this.#session = this.#answer = undefined;
    this.#ready = this.#finished = this.#outcomeShown = false;
    this.#outcome = this.#outcomeData = undefined;
    this.#forms.set();
    this.#status = FrameStatus.loading;
    const { ask } = config;
    if (ask) {
      // Every session asks again: a Flinks token is single-use, a Benji connect token too.
      this.#config = { key: `${ask.href}\n`, ask };
      this.#source.ask(ask, this.resolvedLang, (result) => this.#answered(ask, result));
    } else {
      this.#open(config.url!);
    }
    // The wait for the answer counts against load-timeout too.
    const timeout = this.loadTimeout;
    this.#timer = setTimeout(() => {
      this.#fatal(
        'LOAD_TIMEOUT',
        this.#session
          ? `${this.#session.origin} gave no sign of life (a message, or for some providers a loaded frame) within ${timeout} ms. Check the frame URL, the network, and that your Content-Security-Policy frame-src allows that origin.`
          : sessionTimeout(this, timeout),
      );
    }, timeout);
  }

  #open(url: URL): void {
    this.#session = { url: this.sessionFrameUrl(url.href), origin: url.origin, key: ++this.#sessionCount };
  }

  #answered(asked: URL, result: SessionResult): void {
    if (!result.ok) {
      this.#fatal('SESSION_FAILED', result.message, Object.freeze({ status: result.status }));
      return;
    }
    this.#answer = result.answer;
    const config = this.#configure();
    if (!('key' in config)) {
      this.#answer = undefined;
      if (this.sessionSpec().replaces.includes(config.attribute)) {
        // The server's answer, not the page, is what to fix.
        const message = `<${this.localName}>: no session from session-url: its answer: ${config.message}`;
        console.error(`[finframe] ${message}.`);
        this.#fatal('SESSION_FAILED', message, Object.freeze({ status: result.status }));
      } else {
        this.#configError(config.attribute, config.message);
      }
      return;
    }
    if (config.ask?.href !== asked.href) {
      // session-url changed or the page set its own token meanwhile: the pending update starts the right session.
      this.#answer = undefined;
      return;
    }
    this.#config = config;
    this.#open(config.url!);
    this.requestUpdate();
  }

  /** After a fatal error the session is over: nothing more from its frame is dispatched. */
  get #ended(): boolean {
    return this.#finished && this.#status === FrameStatus.error;
  }

  #markReady(): void {
    if (this.#ready) return;
    this.#ready = true;
    clearTimeout(this.#timer);
    if (this.#status === FrameStatus.loading) this.#setStatus(FrameStatus.ready);
    this.dispatchEvent(new ProviderReadyEvent(Object.freeze({ provider: this.provider })));
  }

  #onFrameLoad = (event: Event): void => {
    if (this.readyOnLoad && !this.#ended && event.target === this.#frame && this.#renderedSession === this.#session?.key) this.#markReady();
  };

  #accept(message: M): void {
    if (this.#ended) return;
    this.#markReady();
    for (const action of this.actions(message)) {
      if (action.kind === 'event') {
        const { name, data } = action;
        this.dispatchEvent(new ProviderEventEvent(Object.freeze({ provider: this.provider, name, data })));
      } else if (action.kind === 'outcome') {
        this.#finish(action.outcome, action.data);
      } else if (action.kind === 'close') {
        this.close();
      } else if (action.fatal) {
        this.#fatal(action.code, action.message, action.data);
      } else {
        this.#dispatchError(action.code, action.message, false, action.data);
      }
    }
  }

  #setStatus(status: FrameStatus): void {
    this.#status = status;
    this.requestUpdate();
  }

  #dispatchError(code: string, message: string, fatal: boolean, data?: unknown): void {
    const detail = { provider: this.provider, code, message, fatal, ...(data === undefined ? {} : { data }) };
    this.dispatchEvent(new ProviderErrorEvent(Object.freeze(detail)));
  }

  #fatal(code: string, message: string, data?: unknown): void {
    clearTimeout(this.#timer);
    this.#dispatchError(code, message, true, data);
    this.#finish('error', Object.freeze({ ...(typeof data === 'object' ? data : {}), code, message }));
  }

  #finish(outcome: string, data: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    this.#source.stop();
    this.#outcome = outcome;
    this.#outcomeData = data;
    this.#setStatus(outcome === 'error' ? FrameStatus.error : FrameStatus.complete);
    const detail = Object.freeze({ provider: this.provider, outcome, ...this.outcomeExtras(outcome), data }) as ProviderOutcomeDetail;
    // The form value is there when the page hears of the outcome.
    this.#forms.set(outcome, this.formFields(outcome, data));
    this.#outcomeShown = this.dispatchEvent(new ProviderOutcomeEvent(detail));
    if (this.closeOnOutcome(outcome)) this.close();
    this.#forms.submit(outcome);
  }

  #configError(attribute: string, message: string): void {
    const text = `<${this.localName}>: ${message}. Fix the "${attribute}" attribute.`;
    if (text === this.#lastConfigError) return;
    this.#lastConfigError = text;
    console.error(`[finframe] ${text}`);
    this.#finished = false;
    this.#fatal('INVALID_CONFIG', text, Object.freeze({ attribute }));
  }

  get #dialog(): HTMLDialogElement | null {
    return this.#root.querySelector('dialog');
  }

  #dismiss(trigger: DismissTrigger): void {
    this.close();
    this.dismissed(trigger);
  }

  #onDialogClick = (event: MouseEvent): void => {
    const dialog = this.#dialog;
    if (!dialog || event.target !== dialog) return;
    // A click on the ::backdrop targets the dialog itself, outside its box.
    const box = dialog.getBoundingClientRect();
    const { clientX: x, clientY: y } = event;
    if (x < box.left || x > box.right || y < box.top || y > box.bottom) this.#dismiss('backdrop');
  };

  #onDialogCancel = (event: Event): void => {
    event.preventDefault();
    this.#dismiss('escape');
  };

  /**
   * With `modal`: creates the frame on first use and shows the dialog; after an outcome, starts a
   * new session. Without `modal`: creates the frame if it was not.
   */
  open(): void {
    if (!this.isConnected) return;
    // Opening again after the session ended (closed, exited, failed) starts a new one.
    if (this.#finished) this.reset();
    this.#opened = true;
    this.#update();
    const dialog = this.#dialog;
    if (dialog && !dialog.open && (this.#session || this.#source.pending)) dialog.showModal();
  }

  /**
   * With `modal`: closes the dialog; focus returns to what opened it. The session stays, so `open()`
   * resumes it. The shopper closes it with the dialog's close button, which is always in view and
   * reachable by keyboard; Escape closes it only while focus is outside the provider's frame.
   */
  close(): void {
    this.#dialog?.close();
  }

  /** Reloads the frame: clears `outcome` and the form value, back to `loading`, and the load timeout starts again. */
  reset(): void {
    this.#config = this.#lastConfigError = undefined;
    this.#forms.set();
    this.configChanged();
  }

  #template(lang: Lang) {
    const t = this.text(lang);
    const session = this.#session;
    const title = this.frameTitle || t.frameTitle;
    const frame = session
      ? keyed(
          session.key,
          html`<iframe
            part="frame"
            src=${session.url}
            title=${title}
            sandbox=${this.frameSandbox}
            referrerpolicy="strict-origin-when-cross-origin"
            ?hidden=${this.#outcomeShown && this.closeOnOutcome(this.#outcome!)}
            @load=${this.#onFrameLoad}
          ></iframe>`,
        )
      : nothing;
    const loading = html`<div part="loading" role="status" ?hidden=${this.#status !== FrameStatus.loading}>
      <slot name="loading">${t.loading}</slot>
    </div>`;
    return html`${this.modal
      ? html`<dialog part="dialog" aria-label=${title} @cancel=${this.#onDialogCancel} @click=${this.#onDialogClick}>
          <div class="bar">
            <button part="close-button" type="button" autofocus aria-label=${t.close} @click=${() => this.#dismiss('close-button')}>×</button>
          </div>
          <div class="body" tabindex="0" role="group" aria-label=${title}>${loading}${frame}</div>
        </dialog>`
      : html`${loading}${frame}`}`;
  }
}
