import type { FormFields } from '../../base/form-control.js';
import { ProviderFrameElement, type FrameAction, type FrameConfig, type SessionSpec } from '../../base/provider-frame-element.js';
import { warnTokenAttribute } from '../../base/session-source.js';
import type { Tone } from '../../base/outcome.js';
import { FLINKS_HOST_SUFFIX } from '../../internal/hosts.js';
import { checkFrameUrl, checkLinkUrl } from '../../internal/url.js';
import { flinksText } from '../../translations/flinks.js';
import type { FlinksText, Lang } from '../../translations/types.js';
import { FLINKS_PARAMS, describeKind, paramValue } from './flinks-connect.params.js';
import {
  FLINKS_EXPIRY,
  flinksCodeStatus,
  flinksErrorCategory,
  parseFlinksMessage,
  type FlinksMessage,
} from './flinks-connect.schema.js';

/** A Flinks instance name is one DNS label: it becomes `{instance}-iframe.private.fin.ag`. */
const INSTANCE = /^[a-z0-9](?:[a-z0-9-]{0,40}[a-z0-9])?$/i;
const HOST_SUFFIX = FLINKS_HOST_SUFFIX;
const PARAM_ATTRIBUTES = FLINKS_PARAMS.map(([attribute]) => attribute);
const TONES: Record<string, Tone> = { connected: 'success', closed: 'info', expired: 'warning', error: 'error' };

function isFlinksHost(hostname: string): boolean {
  return hostname.endsWith(HOST_SUFFIX) && INSTANCE.test(hostname.slice(0, -HOST_SUFFIX.length));
}

/**
 * Flinks Connect in a frame: the shopper connects a bank account, the page gets one
 * `provider-outcome` with the `loginId` — and nothing any other window posts gets through.
 *
 * @summary Connect a bank account with Flinks Connect.
 * @tag flinks-connect
 *
 * @attr {string} instance - Your Flinks instance; default `toolbox` (the sandbox).
 * @attr {string} authorize-token - Prefer the `authorizeToken` property: an attribute is visible to every script on the page.
 * @attr {string} request-id - Resume a session (`requestId`).
 * @attr {string} session-url - Where the element asks your server for the `authorizeToken` (`{"token": "…"}`, or a whole frame URL as `{"src": "…"}`) at the start of every session, when neither `authorizeToken` nor `src` is set: a `POST` with the page's cookies. Same-origin or `https:`.
 * @attr {string} src - An explicit frame URL instead of one built from the attributes: `https://{instance}-iframe.private.fin.ag/…` (loopback only in development: the development build, or after `allowLoopback()`).
 * @attr {string} frame-title - The frame's accessible title.
 * @attr {number} load-timeout - Milliseconds to wait for Flinks' first message (default 30000).
 * @attr {boolean} modal - Show Flinks in a modal dialog, opened with `open()`.
 * @attr {string} lang - Language of the built-in text and of Flinks (`en`, `fr`); defaults to the closest `[lang]`, then `<html lang>`, then `en`.
 * @attr {boolean} demo - Show Flinks' test bank "Flinks Capital" (`demo=true`).
 * @attr {boolean} demo-outbound - Simulate an OAuth popup (`demoOutbound`).
 * @attr {boolean} close-enable - Show Flinks' close button (`closeEnable`); a click ends with outcome `closed`.
 * @attr {boolean} header-enable - `headerEnable`.
 * @attr {boolean} header-img-enable - `headerImgEnable`.
 * @attr {boolean} back-enable - `backEnable`.
 * @attr {boolean} static-loading-enable - `staticLoadingEnable`.
 * @attr {boolean} remove-padding - `removePadding`.
 * @attr {boolean} institution-filter-enable - `institutionFilterEnable`.
 * @attr {boolean} consent-enable - `consentEnable`.
 * @attr {string} redirect-url - `redirectUrl`: an absolute `https:` URL on a domain you control (Flinks appends the `loginId` to it); loopback only in development.
 * @attr {boolean} inner-redirect - `innerRedirect`.
 * @attr {boolean} js-redirect - `jsRedirect`.
 * @attr {string} terms-url - `termsUrl`: an absolute `https:` URL; loopback only in development.
 * @attr {boolean} enhanced-mfa - `enhancedMFA`.
 * @attr {boolean} skip-enhanced-mfa - `skipEnhancedMFA`.
 * @attr {boolean} account-selector-enable - `accountSelectorEnable`.
 * @attr {boolean} account-selector-multiple - `accountSelectorMultiple`.
 * @attr {boolean} show-all-accounts - `showAllAccounts`.
 * @attr {boolean} show-all-operations-accounts - `showAllOperationsAccounts`.
 * @attr {'Days90' | 'Days365'} days-of-transactions - `daysOfTransactions`.
 * @attr {'Months12' | 'MostRecent'} months-of-statements - `monthsOfStatements`.
 * @attr {boolean} details-and-statement-enable - `detailsAndStatementEnable`.
 * @attr {boolean} with-transactions - `withTransactions`.
 * @attr {boolean} schedule-refresh - `scheduleRefresh`.
 * @attr {string} tag - `tag`: your own label for the session.
 * @attr {'banking' | 'investment'} product-type - `productType`.
 * @attr {number} maximum-retry - `maximumRetry`.
 * @attr {string} customer-name - `customerName`.
 * @attr {string} theme - `theme`.
 * @attr {string} background-color - `backgroundColor`.
 * @attr {string} foreground-color1 - `foregroundColor1`.
 * @attr {boolean} desktop-layout - `desktopLayout`.
 * @attr {boolean} stringify - `stringify`: Flinks posts JSON strings; both forms are accepted either way.
 * @attr {boolean} webview - `webview`.
 * @attr {boolean} oauth-window-redirect - `oauthWindowRedirect`.
 * @attr {string} name - The form field name: after an outcome the form posts `name[outcome]` and the outcome's fields.
 * @attr {boolean} required - The form cannot be submitted until the outcome is `connected`.
 * @attr {string} submit-on - Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers.
 *
 * @slot loading - Shown while Flinks loads.
 * @slot connected - Shown after the account is connected (outcome `connected`). Tone `success`.
 * @slot closed - Shown after the shopper closed Flinks (outcome `closed`). Tone `info`.
 * @slot expired - Shown after the Flinks session expired (outcome `expired`). Tone `warning`.
 * @slot error - Shown when Flinks could not load or was misconfigured (outcome `error`). Tone `error`.
 *
 * @event {ProviderReadyEvent} provider-ready - Flinks' first message arrived.
 * @event {ProviderEventEvent} provider-event - A Flinks `step`: `detail.name` is the step, `detail.data` its metadata.
 * @event {ProviderOutcomeEvent} provider-outcome - `connected` (with `loginId`), `closed`, `expired` or `error`; cancelable.
 * @event {ProviderErrorEvent} provider-error - A Flinks API event (`code` = `flinksCode`, `data.httpStatus`), `INVALID_CONFIG`, `SESSION_FAILED` (`session-url` gave no session; `data.status`), `LOAD_TIMEOUT` or `INVALID_MESSAGE`.
 *
 * @csspart frame - The Flinks `<iframe>`.
 * @csspart loading - The region around the `loading` slot.
 * @csspart dialog - The `<dialog>`, with `modal`.
 * @csspart close-button - The dialog's close button, with `modal`: always in view, reachable by keyboard.
 * @csspart outcome - Each outcome's box (one per outcome slot, all but the shown one `hidden`): icon and text, in the outcome's tone.
 * @csspart outcome-success - The box of an outcome whose tone is `success` (as well as `outcome`).
 * @csspart outcome-info - The box of an outcome whose tone is `info`.
 * @csspart outcome-warning - The box of an outcome whose tone is `warning`.
 * @csspart outcome-error - The box of an outcome whose tone is `error` (`role="alert"`; the others are `role="status"`).
 * @csspart outcome-icon - The tone's icon: an inline SVG, `aria-hidden` (the text says what happened); its stroke is the tone's border colour.
 * @csspart outcome-text - Around the outcome slot: the built-in text, or your content for that slot.
 *
 * @cssprop [--frame-height=760px] - The height of the frame. The default, the height Flinks Connect integrations commonly give its frame, holds each of its screens in a frame 400 px wide or wider. Set it on the element or an ancestor.
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
 * @cssstate connected - Outcome `connected` (its slot says what it means).
 * @cssstate closed - Outcome `closed` (its slot says what it means).
 * @cssstate expired - Outcome `expired` (its slot says what it means).
 */
export class FlinksConnectElement extends ProviderFrameElement<FlinksMessage> {
  static override observedAttributes = [
    ...ProviderFrameElement.observedAttributes,
    'instance',
    'authorize-token',
    'request-id',
    ...PARAM_ATTRIBUTES,
  ];

  #authorizeToken: string | undefined;

  /** Your Flinks instance (`toolbox`, the default, is the sandbox): the frame is `https://{instance}-iframe.private.fin.ag/v2/`. */
  get instance(): string {
    return this.getAttribute('instance') ?? 'toolbox';
  }
  set instance(value: string) {
    this.setAttribute('instance', value);
  }

  /**
   * The `authorizeToken` your server obtained from Flinks (mandatory for integrations created since
   * Oct 2024; valid 15 minutes). Set the property: it is never written to an attribute of the
   * element. The `authorize-token` attribute is read when the property is not set. Either way the
   * token travels in the frame's URL, as Flinks requires, so it is in the `src` of the `<iframe>`
   * inside the (open) shadow root: short-lived by design, but not hidden from scripts on the page.
   */
  get authorizeToken(): string | undefined {
    return this.#authorizeToken ?? this.getAttribute('authorize-token') ?? undefined;
  }
  set authorizeToken(value: string | undefined) {
    this.#authorizeToken = value || undefined;
    this.configChanged();
  }

  /** A `requestId` (attribute `request-id`) to resume a session within 8 minutes of inactivity. */
  get requestId(): string | undefined {
    return this.getAttribute('request-id') ?? undefined;
  }
  set requestId(value: string | undefined) {
    if (value) this.setAttribute('request-id', value);
    else this.removeAttribute('request-id');
  }

  protected override get provider() {
    return 'flinks' as const;
  }

  protected override get defaultFrameHeight(): string {
    return '760px';
  }

  protected override sessionSpec(): SessionSpec {
    return { takes: 'token-or-src', replaces: ['src', 'authorize-token'], given: Boolean(this.src || this.authorizeToken) };
  }

  protected override frameConfig(lang: Lang): FrameConfig {
    const answer = this.sessionAnswer;
    // An answer's src is used as it is, like the src attribute: it carries its own authorizeToken.
    const src = this.src || answer?.src;
    if (src) {
      const checked = checkFrameUrl(src, isFlinksHost, document.baseURI);
      return checked.ok ? checked : { ok: false, attribute: 'src', message: checked.reason };
    }
    if (!INSTANCE.test(this.instance)) {
      return { ok: false, attribute: 'instance', message: 'the Flinks instance must be one word of letters, digits and hyphens' };
    }
    const url = new URL(`https://${this.instance.toLowerCase()}${HOST_SUFFIX}/v2/`);
    const query = url.searchParams;
    query.set('language', lang);
    for (const [attribute, parameter, kind] of FLINKS_PARAMS) {
      const raw = this.getAttribute(attribute);
      if (raw === null) continue;
      if (kind === 'u') {
        // Flinks appends the never-expiring loginId to redirectUrl: https only, loopback only for development.
        const link = checkLinkUrl(raw.trim());
        if (!link.ok) return { ok: false, attribute, message: `${attribute} must be an absolute https: URL; ${link.reason}` };
        query.set(parameter, link.url.href);
        continue;
      }
      const value = paramValue(kind, raw);
      if (value === undefined) return { ok: false, attribute, message: `${attribute} must be ${describeKind(kind)}` };
      query.set(parameter, value);
    }
    if (this.requestId) query.set('requestId', this.requestId);
    const token = this.authorizeToken || answer?.token;
    if (token) {
      if (!this.#authorizeToken) warnTokenAttribute(this, 'authorize-token', 'authorizeToken');
      query.set('authorizeToken', token);
    }
    return { ok: true, url };
  }

  protected override parseMessage(data: unknown): FlinksMessage | undefined {
    return parseFlinksMessage(data);
  }

  protected override actions(message: FlinksMessage): readonly FrameAction[] {
    switch (message.kind) {
      case 'redirect':
        return [{ kind: 'outcome', outcome: 'connected', data: message.data }];
      case 'step':
        if (message.step === 'COMPONENT_CLOSE_SESSION') return [{ kind: 'outcome', outcome: 'closed', data: message.data }];
        if (FLINKS_EXPIRY.has(message.step)) {
          return [{ kind: 'outcome', outcome: 'expired', data: Object.freeze({ ...message.data, code: message.step }) }];
        }
        return [{ kind: 'event', name: message.step, data: message.data }];
      case 'api': {
        const { code, requestId, institution } = message;
        const data: Record<string, unknown> = { httpStatus: flinksCodeStatus(code) };
        if (requestId !== undefined) data.requestId = requestId;
        if (institution !== undefined) data.institution = institution;
        const error: FrameAction = {
          kind: 'error',
          code,
          message: this.text(this.resolvedLang).errors[flinksErrorCategory(code)],
          fatal: false,
          data: Object.freeze(data),
        };
        if (!FLINKS_EXPIRY.has(code)) return [error];
        const { httpStatus: _status, ...expired } = data;
        return [error, { kind: 'outcome', outcome: 'expired', data: Object.freeze({ ...expired, code }) }];
      }
    }
  }

  protected override text(lang: Lang): FlinksText {
    return flinksText[lang];
  }

  protected override get tones() {
    return TONES;
  }

  protected override formSuccess(outcome: string): boolean {
    return outcome === 'connected';
  }

  protected override formFields(_outcome: string, data: unknown): FormFields {
    const { loginId, requestId, institution, accountIds } = data as Record<string, unknown>;
    return { loginId, requestId, institution, accountIds };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'flinks-connect': FlinksConnectElement;
  }
}
