import type { FormFields } from '../../base/form-control.js';
import { ProviderFrameElement, type FrameAction, type FrameConfig, type SessionSpec } from '../../base/provider-frame-element.js';
import type { Tone } from '../../base/outcome.js';
import { FLEXITI_HOSTS } from '../../internal/hosts.js';
import { checkFrameUrl } from '../../internal/url.js';
import { flexitiText } from '../../translations/flexiti.js';
import type { FlexitiText, Lang, Message } from '../../translations/types.js';
import {
  flexitiNextStep,
  flexitiOutcome,
  parseFlexitiMessage,
  type FlexitiFlow,
  type FlexitiMessage,
  type FlexitiOutcome,
} from './flexiti-widget.schema.js';

const HOSTS = new Set(FLEXITI_HOSTS);
const TONES: Record<FlexitiOutcome, Tone> = {
  verified: 'success',
  'not-verified': 'warning',
  'existing-account': 'info',
  'activation-required': 'warning',
  apply: 'info',
  'not-eligible': 'warning',
  retry: 'error',
  cancelled: 'info',
  error: 'error',
};

/**
 * Flexiti point-of-sale financing at checkout: frames the `redirection_url` your server got from
 * Flexiti's `widget/init`, and turns the widget's result into one outcome with the merchant's
 * next step, and a message the shopper understands.
 *
 * @summary Finance a purchase with Flexiti.
 * @tag flexiti-widget
 *
 * @attr {string} session-url - Where the element asks your server for the `redirection_url` (answered as `{"src": "…"}`) at the start of every session, when `src` is not set: a `POST` with the page's cookies. Same-origin or `https:`.
 * @attr {string} src - The `redirection_url` from `POST …/widget/init` (required unless `session-url` is set), on `posapi.flexiti.fi`, `posapi-training.flexiti.fi` or `posapi-mi.flexiti.fi` (loopback only in development: the development build, or after `allowLoopback()`).
 * @attr {'purchase' | 'apply'} flow - The flow `widget/init` was called with; the same message means different things in each. Default `purchase`.
 * @attr {string} lang - Language of the built-in text (`en`, `fr`), also written into the URL's `lang` when it has none; defaults to the closest `[lang]`, then `<html lang>`, then `en`.
 * @attr {string} frame-title - The frame's accessible title.
 * @attr {number} load-timeout - Milliseconds to wait for the frame to load (default 30000). Flexiti posts nothing until the shopper is done, so the frame's load event counts as ready.
 * @attr {boolean} modal - Show the widget in a modal dialog, opened with `open()`.
 * @attr {string} name - The form field name: after an outcome the form posts `name[outcome]` and the outcome's fields.
 * @attr {boolean} required - The form cannot be submitted until the outcome is `verified` (in the apply flow: `apply` or `existing-account`).
 * @attr {string} submit-on - Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers.
 *
 * @slot loading - Shown while the widget loads.
 * @slot verified - Purchase flow, account verified: your server sends the purchase to /authorization. Tone `success`.
 * @slot not-verified - Purchase flow, verification failed: back to checkout for another payment method. Tone `warning`.
 * @slot existing-account - Apply flow, an existing account was found: start the purchase flow. Tone `info`.
 * @slot activation-required - The account needs activation; the built-in text links to the customer portal (new tab). Tone `warning`.
 * @slot apply - Purchase flow: start a new application. Apply flow: your server must call POST /apply. Tone `info`.
 * @slot not-eligible - Derogatory status: the shopper cannot proceed. Tone `warning`.
 * @slot retry - An error at Flexiti: retry (`reset()`) or go back. Tone `error`.
 * @slot cancelled - The shopper cancelled: return to checkout. Tone `info`.
 * @slot error - The widget failed, timed out or was misconfigured. Tone `error`.
 *
 * @event {ProviderReadyEvent} provider-ready - The widget's frame loaded.
 * @event {ProviderEventEvent} provider-event - Not used by Flexiti: every message it sends ends the flow.
 * @event {ProviderOutcomeEvent} provider-outcome - `{provider:'flexiti', outcome, nextStep, data}`; cancelable.
 * @event {ProviderErrorEvent} provider-error - `FLEXITI_FAILURE` (a `flx-failure`, fatal), `INVALID_CONFIG`, `SESSION_FAILED` (`session-url` gave no session; `data.status`), `LOAD_TIMEOUT` or `INVALID_MESSAGE`.
 *
 * @csspart frame - The Flexiti `<iframe>`.
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
 * @cssprop [--frame-height=1000px] - The height of the frame. The default holds the widget's verification screen, Continue included, in a frame 400 px wide or wider; a wider frame needs less (about 760px at 512 px wide). Set it on the element or an ancestor.
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
 * @cssstate verified - Outcome `verified` (its slot says what it means).
 * @cssstate not-verified - Outcome `not-verified` (its slot says what it means).
 * @cssstate existing-account - Outcome `existing-account` (its slot says what it means).
 * @cssstate activation-required - Outcome `activation-required` (its slot says what it means).
 * @cssstate apply - Outcome `apply` (its slot says what it means).
 * @cssstate not-eligible - Outcome `not-eligible` (its slot says what it means).
 * @cssstate retry - Outcome `retry` (its slot says what it means).
 * @cssstate cancelled - Outcome `cancelled` (its slot says what it means).
 */
export class FlexitiWidgetElement extends ProviderFrameElement<FlexitiMessage> {
  static override observedAttributes = [...ProviderFrameElement.observedAttributes, 'flow'];

  /** `purchase` (default) or `apply`: the flow your server passed to `widget/init`. */
  get flow(): FlexitiFlow {
    return this.getAttribute('flow') === 'apply' ? 'apply' : 'purchase';
  }
  set flow(value: FlexitiFlow) {
    this.setAttribute('flow', value);
  }

  protected override get provider() {
    return 'flexiti' as const;
  }

  protected override get defaultFrameHeight(): string {
    return '1000px';
  }

  protected override get readyOnLoad(): boolean {
    return true;
  }

  protected override sessionSpec(): SessionSpec {
    return { takes: 'src', replaces: ['src'], given: Boolean(this.src) };
  }

  protected override frameConfig(lang: Lang): FrameConfig {
    const flow = this.getAttribute('flow');
    if (flow !== null && flow !== 'purchase' && flow !== 'apply') {
      return { ok: false, attribute: 'flow', message: 'flow must be "purchase" or "apply"' };
    }
    const src = this.src || this.sessionAnswer?.src;
    if (!src) return { ok: false, attribute: 'src', message: 'src (the redirection_url from widget/init) or session-url is required' };
    const checked = checkFrameUrl(src, (host) => HOSTS.has(host), document.baseURI);
    if (!checked.ok) return { ok: false, attribute: 'src', message: checked.reason };
    const { url } = checked;
    // The widget is a hash-routed app: its parameters live in the fragment (`#/widget/…?lang=en`).
    const hash = url.hash;
    if (hash.startsWith('#/')) {
      const query = hash.indexOf('?');
      if (!new URLSearchParams(query < 0 ? '' : hash.slice(query + 1)).has('lang')) {
        url.hash = `${hash}${query < 0 ? '?' : '&'}lang=${lang}`;
      }
    } else if (!url.searchParams.has('lang')) {
      url.searchParams.set('lang', lang);
    }
    return { ok: true, url };
  }

  protected override parseMessage(data: unknown): FlexitiMessage | undefined {
    return parseFlexitiMessage(data);
  }

  protected override actions(message: FlexitiMessage): readonly FrameAction[] {
    if (message.kind === 'cancel') return [{ kind: 'outcome', outcome: 'cancelled', data: Object.freeze({}) }];
    if (message.kind === 'failure') {
      const { status, message: text } = message;
      return [
        {
          kind: 'error',
          code: 'FLEXITI_FAILURE',
          message: text ?? this.text(this.resolvedLang).failure,
          fatal: true,
          data: Object.freeze(status === undefined ? {} : { status }),
        },
      ];
    }
    return [{ kind: 'outcome', outcome: flexitiOutcome(this.flow, message.data), data: message.data }];
  }

  protected override outcomeExtras(outcome: string): Record<string, unknown> {
    return { nextStep: flexitiNextStep(outcome as FlexitiOutcome, this.flow) };
  }

  protected override text(lang: Lang): FlexitiText {
    return flexitiText[lang];
  }

  protected override get tones() {
    return TONES;
  }

  protected override outcomeMessage(outcome: string, data: unknown, lang: Lang): Message {
    const t = this.text(lang);
    // The apply flow's `apply` means the merchant submits the application now.
    if (outcome === 'apply' && this.flow === 'apply') return t.applySubmit;
    // A flx-failure comes from a widget that had loaded: the flow broke, it did not fail to load.
    if (outcome === 'error' && (data as { code?: unknown } | undefined)?.code === 'FLEXITI_FAILURE') return t.failed;
    return super.outcomeMessage(outcome, data, lang);
  }

  /**
   * `verified` in the purchase flow. The apply flow never verifies: there the shopper is done when
   * Flexiti says to submit the application (`apply`) or to buy with the account found (`existing-account`).
   */
  protected override formSuccess(outcome: string): boolean {
    return this.flow === 'apply' ? outcome === 'apply' || outcome === 'existing-account' : outcome === 'verified';
  }

  protected override formFields(outcome: string, data: unknown): FormFields {
    const { accountNumber, verified, action, widgetSessionId, customerId, accountType } = data as Record<string, unknown>;
    const nextStep = flexitiNextStep(outcome as FlexitiOutcome, this.flow);
    return { nextStep, accountNumber, verified, action, widgetSessionId, customerId, accountType };
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'flexiti-widget': FlexitiWidgetElement;
  }
}
