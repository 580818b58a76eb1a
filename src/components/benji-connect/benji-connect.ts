import type { FormFields } from '../../base/form-control.js';
import { ProviderFrameElement, type DismissTrigger, type FrameAction, type FrameConfig, type SessionSpec } from '../../base/provider-frame-element.js';
import { warnTokenAttribute } from '../../base/session-source.js';
import type { Tone } from '../../base/outcome.js';
import { BENJI_HOSTS, BENJI_ORIGINS } from '../../internal/hosts.js';
import { checkFrameUrl } from '../../internal/url.js';
import { benjiText } from '../../translations/benji.js';
import type { BenjiText, Lang, Message } from '../../translations/types.js';
import { parseBenjiMessage, type BenjiMessage } from './benji-connect.schema.js';

const ORIGINS = BENJI_ORIGINS;
const HOSTS = new Set(BENJI_HOSTS);
const TONES: Record<string, Tone> = { success: 'success', exit: 'info', error: 'error' };

/**
 * Benji Connect (loyalty accounts) as one tag: a native modal dialog around Benji's frame, the
 * same gate and events as every finframe element — and, unlike the official SDK, any number of
 * independent instances on a page.
 *
 * @summary Connect a loyalty account with Benji Connect.
 * @tag benji-connect
 *
 * @attr {string} token - The connect token your server got from Benji's `POST /auth/connect`. Prefer the `token` property: an attribute is visible to every script on the page.
 * @attr {'production' | 'sandbox' | 'development'} environment - Which Benji to use: `https://verifyapp.withbenji.com`, `https://verifyapp-staging.withbenji.com` (default) or `http://localhost:3000` (loopback: only in development — the development build, or after `allowLoopback()`).
 * @attr {string} session-url - Where the element asks your server for the connect token (`{"token": "…"}`, and optionally `{"src": "…"}`) at the start of every session, when neither `token` nor `src` is set: a `POST` with the page's cookies. Same-origin or `https:`.
 * @attr {string} src - Another Benji frame URL (https on a Benji host; loopback only in development, or after `allowLoopback()`); `connect_token` is added from `token` when it has none.
 * @attr {boolean} inline - Render the frame in the page flow instead of a modal dialog.
 * @attr {string} lang - Language of the built-in text (`en`, `fr`); defaults to the closest `[lang]`, then `<html lang>`, then `en`.
 * @attr {string} frame-title - The frame's accessible title (and the dialog's name).
 * @attr {number} load-timeout - Milliseconds to wait for Benji's frame to load (default 30000).
 * @attr {string} name - The form field name: after an outcome the form posts `name[outcome]` and the outcome's fields.
 * @attr {boolean} required - The form cannot be submitted until the outcome is `success`.
 * @attr {string} submit-on - Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers.
 *
 * @slot loading - Shown while Benji loads.
 * @slot success - Shown after Benji's success: a loyalty account connected, points transferred or redeemed, as the token's mode asked (outcome `success`; the built-in text names which). Tone `success`.
 * @slot exit - Shown after the shopper left before Benji's success (outcome `exit`). Tone `info`.
 * @slot error - Shown when Benji reported an error or could not load (outcome `error`). Tone `error`.
 *
 * @event {ProviderReadyEvent} provider-ready - Benji's frame loaded (Benji documents no "loaded" message).
 * @event {ProviderEventEvent} provider-event - `AUTH_SUCCESS`, `EVENT`, `user_partner_select` and the other informational types (`detail.name` is the type), and `FLOW_EXIT` after a success.
 * @event {ProviderOutcomeEvent} provider-outcome - `success` (with the access token), `exit` (`{step, trigger}`) or `error`; cancelable.
 * @event {ProviderErrorEvent} provider-error - Benji's `ERROR` (fatal; `code` is the error name, `data.error_id` for Benji support), `INVALID_CONFIG`, `SESSION_FAILED` (`session-url` gave no session; `data.status`), `LOAD_TIMEOUT` or `INVALID_MESSAGE`.
 *
 * @csspart frame - The Benji `<iframe>`.
 * @csspart loading - The region around the `loading` slot.
 * @csspart dialog - The `<dialog>` (unless `inline`).
 * @csspart close-button - The dialog's close button (unless `inline`): always in view, reachable by keyboard.
 * @csspart outcome - Each outcome's box (one per outcome slot, all but the shown one `hidden`): icon and text, in the outcome's tone.
 * @csspart outcome-success - The box of an outcome whose tone is `success` (as well as `outcome`).
 * @csspart outcome-info - The box of an outcome whose tone is `info`.
 * @csspart outcome-warning - The box of an outcome whose tone is `warning`.
 * @csspart outcome-error - The box of an outcome whose tone is `error` (`role="alert"`; the others are `role="status"`).
 * @csspart outcome-icon - The tone's icon: an inline SVG, `aria-hidden` (the text says what happened); its stroke is the tone's border colour.
 * @csspart outcome-text - Around the outcome slot: the built-in text, or your content for that slot.
 *
 * @cssprop [--frame-height=645px] - The height of the frame: by default 645px, as Benji's own SDK frames it (400 × 645). Set it on the element or an ancestor.
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
 * @cssstate idle - Status `idle`: no session (not configured yet, disabled, or a `modal` element not opened).
 * @cssstate loading - Status `loading`: the frame is loading; until the provider's first trusted message.
 * @cssstate ready - Status `ready`: the provider's frame is up and talking.
 * @cssstate complete - Status `complete`: the session ended with an outcome, which is a state too.
 * @cssstate error - Status `error`: the session failed with outcome `error` (misconfiguration, load timeout, a provider error).
 * @cssstate success - Outcome `success` (its slot says what it means).
 * @cssstate exit - Outcome `exit` (its slot says what it means).
 */
export class BenjiConnectElement extends ProviderFrameElement<BenjiMessage> {
  static override observedAttributes = [...ProviderFrameElement.observedAttributes, 'token', 'environment', 'inline'];

  #token: string | undefined;

  /**
   * The connect token from your server. Set the property: it is never written to an attribute of
   * the element (Benji takes it in the frame URL, so it is in the `src` of the `<iframe>` inside
   * the open shadow root, as with the official SDK). The `token` attribute is read when the
   * property is not set.
   */
  get token(): string | undefined {
    return this.#token ?? this.getAttribute('token') ?? undefined;
  }
  set token(value: string | undefined) {
    this.#token = value || undefined;
    this.configChanged();
  }

  /** `production`, `sandbox` (default) or `development` (loopback: development build or `allowLoopback()` only). */
  get environment(): string {
    return this.getAttribute('environment') ?? 'sandbox';
  }
  set environment(value: string) {
    this.setAttribute('environment', value);
  }

  /** Modal unless `inline`: the frame is created on `open()`. */
  override get modal(): boolean {
    return !this.hasAttribute('inline');
  }
  override set modal(value: boolean) {
    this.toggleAttribute('inline', !value);
  }

  protected override get provider() {
    return 'benji' as const;
  }

  protected override get defaultFrameHeight(): string {
    return '645px';
  }

  /** No Benji message is documented for "loaded", and a shopper may read the first screen for a while. */
  protected override get readyOnLoad(): boolean {
    return true;
  }

  protected override sessionSpec(): SessionSpec {
    return { takes: 'token-or-src', replaces: ['src', 'token'], given: Boolean(this.src || this.token) };
  }

  protected override frameConfig(): FrameConfig {
    const environment = this.environment;
    // Own keys only: "constructor" or "__proto__" must not find something on Object.prototype.
    const base = Object.hasOwn(ORIGINS, environment) ? ORIGINS[environment] : undefined;
    if (!base) return { ok: false, attribute: 'environment', message: 'environment must be production, sandbox or development' };
    const answer = this.sessionAnswer;
    const src = this.src || answer?.src;
    // Without src the URL is the environment's: `development` is loopback, refused in production without the opt-in.
    const checked = checkFrameUrl(src ?? `${base}/`, (host) => HOSTS.has(host), document.baseURI);
    if (!checked.ok) return { ok: false, attribute: src === undefined ? 'environment' : 'src', message: checked.reason };
    const { url } = checked;
    if (!url.searchParams.has('connect_token')) {
      const token = this.token || answer?.token;
      if (!token) return { ok: false, attribute: 'token', message: 'token (the connect token from your server) or session-url is required' };
      if (!this.#token) warnTokenAttribute(this, 'token', 'token');
      url.searchParams.set('connect_token', token);
    }
    return { ok: true, url };
  }

  /** A fresh cache-busting `t` for every session, as the official SDK adds. */
  protected override sessionFrameUrl(url: string): string {
    const session = new URL(url);
    session.searchParams.set('t', String(Date.now()));
    return session.href;
  }

  protected override closeOnOutcome(outcome: string): boolean {
    // After a success Benji shows its own confirmation; its FLOW_EXIT closes the dialog.
    return outcome !== 'success';
  }

  protected override dismissed(trigger: DismissTrigger): void {
    // The SDK's overlay reports a click outside as TAPPED_OUT_OF_BOUNDS; Escape is the keyboard's
    // way out of the same overlay. After a success this changes nothing (the outcome is final).
    // Which step the shopper was on is known only inside Benji's frame: null.
    this.end('exit', Object.freeze({ step: null, trigger: trigger === 'close-button' ? 'CLOSE_BUTTON_CLICKED' : 'TAPPED_OUT_OF_BOUNDS' }));
  }

  protected override parseMessage(data: unknown): BenjiMessage | undefined {
    return parseBenjiMessage(data);
  }

  protected override actions(message: BenjiMessage): readonly FrameAction[] {
    switch (message.kind) {
      case 'success':
        return [{ kind: 'outcome', outcome: 'success', data: message.data }];
      case 'exit':
        return this.outcome === 'success'
          ? [{ kind: 'event', name: 'FLOW_EXIT', data: message.data }, { kind: 'close' }]
          : [{ kind: 'outcome', outcome: 'exit', data: message.data }];
      case 'error':
        return [
          {
            kind: 'error',
            code: message.error,
            message: this.text(this.resolvedLang).failure,
            fatal: true,
            data: Object.freeze(message.errorId === undefined ? {} : { error_id: message.errorId }),
          },
        ];
      case 'event':
        return [{ kind: 'event', name: message.type, data: message.data }];
    }
  }

  protected override text(lang: Lang): BenjiText {
    return benjiText[lang];
  }

  protected override get tones() {
    return TONES;
  }

  protected override outcomeMessage(outcome: string, data: unknown, lang: Lang): Message {
    const t = this.text(lang);
    // A success is a connection, a points transfer or a redemption, as the connect token's mode asked.
    const action = (data as { action?: unknown } | undefined)?.action;
    if (outcome === 'success' && (action === 'connect' || action === 'transfer' || action === 'redeem')) return t.actions[action];
    if (outcome === 'error') {
      const code = (data as { code?: unknown } | undefined)?.code;
      if (code === 'partner_connect_error') return t.partnerError;
      // Benji's own ERROR names (unexpected_error, and whatever comes next): Benji had loaded.
      if (code !== 'LOAD_TIMEOUT' && code !== 'INVALID_CONFIG') return t.failed;
    }
    return super.outcomeMessage(outcome, data, lang);
  }

  protected override formSuccess(outcome: string): boolean {
    return outcome === 'success';
  }

  protected override formFields(_outcome: string, data: unknown): FormFields {
    const { action, token, refreshToken, user } = data as Record<string, unknown> & { user?: { id?: unknown } };
    return { action, token, refreshToken, userId: user?.id };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'benji-connect': BenjiConnectElement;
  }
}
