import type { FormFields } from '../../base/form-control.js';
import { ProviderFrameElement, type FrameAction, type FrameConfig } from '../../base/provider-frame-element.js';
import { checkFrameUrl, checkLinkUrl } from '../../internal/url.js';
import { flinks as en } from '../../translations/en.js';
import { flinks as fr } from '../../translations/fr.js';
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
const HOST_SUFFIX = '-iframe.private.fin.ag';
const PARAM_ATTRIBUTES = FLINKS_PARAMS.map(([attribute]) => attribute);

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
 * @attr {'idle' | 'loading' | 'ready' | 'complete' | 'error'} status - Reflects `status` (read-only).
 * @attr {'connected' | 'closed' | 'expired' | 'error'} outcome - Reflects `outcome` (read-only).
 *
 * @slot loading - Shown while Flinks loads.
 * @slot connected - Shown after the account is connected (outcome `connected`).
 * @slot closed - Shown after the shopper closed Flinks (outcome `closed`).
 * @slot expired - Shown after the Flinks session expired (outcome `expired`).
 * @slot error - Shown when Flinks could not load or was misconfigured (outcome `error`).
 *
 * @event {ProviderReadyEvent} provider-ready - Flinks' first message arrived.
 * @event {ProviderEventEvent} provider-event - A Flinks `step`: `detail.name` is the step, `detail.data` its metadata.
 * @event {ProviderOutcomeEvent} provider-outcome - `connected` (with `loginId`), `closed`, `expired` or `error`; cancelable.
 * @event {ProviderErrorEvent} provider-error - A Flinks API event (`code` = `flinksCode`, `data.httpStatus`), `INVALID_CONFIG`, `LOAD_TIMEOUT` or `INVALID_MESSAGE`.
 *
 * @csspart frame - The Flinks `<iframe>`.
 * @csspart loading - The region around the `loading` slot.
 * @csspart outcome - The region around the visible outcome slot.
 * @csspart dialog - The `<dialog>`, with `modal`.
 * @csspart close-button - The dialog's close button, with `modal`.
 *
 * @cssprop [--frame-height=600px] - The height of the frame.
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

  protected override frameConfig(lang: Lang): FrameConfig {
    if (this.src) {
      const checked = checkFrameUrl(this.src, isFlinksHost, document.baseURI);
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
    if (this.authorizeToken) query.set('authorizeToken', this.authorizeToken);
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
    return lang === 'fr' ? fr : en;
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
