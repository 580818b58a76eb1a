import type { FormFields } from '../../base/form-control.js';
import { ProviderFrameElement, type DismissTrigger, type FrameAction, type FrameConfig } from '../../base/provider-frame-element.js';
import { checkFrameUrl } from '../../internal/url.js';
import { benji as en } from '../../translations/en.js';
import { benji as fr } from '../../translations/fr.js';
import type { BenjiText, Lang } from '../../translations/types.js';
import { parseBenjiMessage, type BenjiMessage } from './benji-connect.schema.js';

/** Benji's auth origins per environment (the official SDK's table). */
const ORIGINS: Record<string, string> = {
  production: 'https://verifyapp.withbenji.com',
  sandbox: 'https://verifyapp-staging.withbenji.com',
  development: 'http://localhost:3000',
};
const HOSTS = new Set(['verifyapp.withbenji.com', 'verifyapp-staging.withbenji.com']);

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
 * @attr {string} src - Another Benji frame URL (https on a Benji host; loopback only in development, or after `allowLoopback()`); `connect_token` is added from `token` when it has none.
 * @attr {boolean} inline - Render the frame in the page flow instead of a modal dialog.
 * @attr {string} lang - Language of the built-in text (`en`, `fr`); defaults to the closest `[lang]`, then `<html lang>`, then `en`.
 * @attr {string} frame-title - The frame's accessible title (and the dialog's name).
 * @attr {number} load-timeout - Milliseconds to wait for Benji's frame to load (default 30000).
 * @attr {string} name - The form field name: after an outcome the form posts `name[outcome]` and the outcome's fields.
 * @attr {boolean} required - The form cannot be submitted until the outcome is `success`.
 * @attr {string} submit-on - Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers.
 * @attr {'idle' | 'loading' | 'ready' | 'complete' | 'error'} status - Reflects `status` (read-only).
 * @attr {'success' | 'exit' | 'error'} outcome - Reflects `outcome` (read-only).
 *
 * @slot loading - Shown while Benji loads.
 * @slot success - Shown after the loyalty account is connected (outcome `success`).
 * @slot exit - Shown after the shopper left without connecting (outcome `exit`).
 * @slot error - Shown when Benji reported an error or could not load (outcome `error`).
 *
 * @event {ProviderReadyEvent} provider-ready - Benji's frame loaded (Benji documents no "loaded" message).
 * @event {ProviderEventEvent} provider-event - `AUTH_SUCCESS`, `EVENT`, `user_partner_select` and the other informational types (`detail.name` is the type), and `FLOW_EXIT` after a success.
 * @event {ProviderOutcomeEvent} provider-outcome - `success` (with the access token), `exit` (`{step, trigger}`) or `error`; cancelable.
 * @event {ProviderErrorEvent} provider-error - Benji's `ERROR` (fatal; `code` is the error name, `data.error_id` for Benji support), `INVALID_CONFIG`, `LOAD_TIMEOUT` or `INVALID_MESSAGE`.
 *
 * @csspart frame - The Benji `<iframe>`.
 * @csspart loading - The region around the `loading` slot.
 * @csspart outcome - The region around the visible outcome slot.
 * @csspart dialog - The `<dialog>` (unless `inline`).
 * @csspart close-button - The dialog's close button (unless `inline`).
 *
 * @cssprop [--frame-height=600px] - The height of the frame.
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

  /** No Benji message is documented for "loaded", and a shopper may read the first screen for a while. */
  protected override get readyOnLoad(): boolean {
    return true;
  }

  protected override frameConfig(): FrameConfig {
    const environment = this.environment;
    // Own keys only: "constructor" or "__proto__" must not find something on Object.prototype.
    const base = Object.hasOwn(ORIGINS, environment) ? ORIGINS[environment] : undefined;
    if (!base) return { ok: false, attribute: 'environment', message: 'environment must be production, sandbox or development' };
    const src = this.src;
    // Without src the URL is the environment's: `development` is loopback, refused in production without the opt-in.
    const checked = checkFrameUrl(src ?? `${base}/`, (host) => HOSTS.has(host), document.baseURI);
    if (!checked.ok) return { ok: false, attribute: src === undefined ? 'environment' : 'src', message: checked.reason };
    const { url } = checked;
    if (!url.searchParams.has('connect_token')) {
      if (!this.token) return { ok: false, attribute: 'token', message: 'token (the connect token from your server) is required' };
      url.searchParams.set('connect_token', this.token);
    }
    return { ok: true, url };
  }

  /** A fresh cache-busting `t` for every session, as the official SDK adds. */
  protected override sessionUrl(url: string): string {
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
    return lang === 'fr' ? fr : en;
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
