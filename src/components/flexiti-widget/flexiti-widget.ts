import type { FormFields } from '../../base/form-control.js';
import { ProviderFrameElement, type FrameAction, type FrameConfig } from '../../base/provider-frame-element.js';
import { checkFrameUrl } from '../../internal/url.js';
import { flexiti as en } from '../../translations/en.js';
import { flexiti as fr } from '../../translations/fr.js';
import type { FlexitiText, Lang } from '../../translations/types.js';
import {
  flexitiNextStep,
  flexitiOutcome,
  parseFlexitiMessage,
  type FlexitiFlow,
  type FlexitiMessage,
  type FlexitiOutcome,
} from './flexiti-widget.schema.js';

/** Flexiti's POS API hosts: production, training, merchant integration. Compared exactly. */
const HOSTS = new Set(['posapi.flexiti.fi', 'posapi-training.flexiti.fi', 'posapi-mi.flexiti.fi']);

/**
 * Flexiti point-of-sale financing at checkout: frames the `redirection_url` your server got from
 * Flexiti's `widget/init`, and turns the widget's result into one outcome with the merchant's
 * next step, and a message the shopper understands.
 *
 * @summary Finance a purchase with Flexiti.
 * @tag flexiti-widget
 *
 * @attr {string} src - Required: the `redirection_url` from `POST …/widget/init`, on `posapi.flexiti.fi`, `posapi-training.flexiti.fi` or `posapi-mi.flexiti.fi` (loopback only in development: the development build, or after `allowLoopback()`).
 * @attr {'purchase' | 'apply'} flow - The flow `widget/init` was called with; the same message means different things in each. Default `purchase`.
 * @attr {string} lang - Language of the built-in text (`en`, `fr`), also written into the URL's `lang` when it has none; defaults to the closest `[lang]`, then `<html lang>`, then `en`.
 * @attr {string} frame-title - The frame's accessible title.
 * @attr {number} load-timeout - Milliseconds to wait for the frame to load (default 30000). Flexiti posts nothing until the shopper is done, so the frame's load event counts as ready.
 * @attr {boolean} modal - Show the widget in a modal dialog, opened with `open()`.
 * @attr {string} name - The form field name: after an outcome the form posts `name[outcome]` and the outcome's fields.
 * @attr {boolean} required - The form cannot be submitted until the outcome is `verified` (in the apply flow: `apply` or `existing-account`).
 * @attr {string} submit-on - Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers.
 * @attr {'idle' | 'loading' | 'ready' | 'complete' | 'error'} status - Reflects `status` (read-only).
 * @attr {'verified' | 'not-verified' | 'existing-account' | 'activation-required' | 'apply' | 'not-eligible' | 'retry' | 'cancelled' | 'error'} outcome - Reflects `outcome` (read-only).
 *
 * @slot loading - Shown while the widget loads.
 * @slot verified - Purchase flow, account verified: your server sends the purchase to /authorization.
 * @slot not-verified - Purchase flow, verification failed: back to checkout for another payment method.
 * @slot existing-account - Apply flow, an existing account was found: start the purchase flow.
 * @slot activation-required - The account needs activation; the built-in text links to the customer portal (new tab).
 * @slot apply - Purchase flow: start a new application. Apply flow: your server must call POST /apply.
 * @slot not-eligible - Derogatory status: the shopper cannot proceed.
 * @slot retry - An error at Flexiti: retry (`reset()`) or go back.
 * @slot cancelled - The shopper cancelled: return to checkout.
 * @slot error - The widget failed, timed out or was misconfigured.
 *
 * @event {ProviderReadyEvent} provider-ready - The widget's frame loaded.
 * @event {ProviderEventEvent} provider-event - Not used by Flexiti: every message it sends ends the flow.
 * @event {ProviderOutcomeEvent} provider-outcome - `{provider:'flexiti', outcome, nextStep, data}`; cancelable.
 * @event {ProviderErrorEvent} provider-error - `FLEXITI_FAILURE` (a `flx-failure`, fatal), `INVALID_CONFIG`, `LOAD_TIMEOUT` or `INVALID_MESSAGE`.
 *
 * @csspart frame - The Flexiti `<iframe>`.
 * @csspart loading - The region around the `loading` slot.
 * @csspart outcome - The region around the visible outcome slot.
 * @csspart dialog - The `<dialog>`, with `modal`.
 * @csspart close-button - The dialog's close button, with `modal`.
 *
 * @cssprop [--frame-height=600px] - The height of the frame.
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

  protected override get readyOnLoad(): boolean {
    return true;
  }

  protected override frameConfig(lang: Lang): FrameConfig {
    const flow = this.getAttribute('flow');
    if (flow !== null && flow !== 'purchase' && flow !== 'apply') {
      return { ok: false, attribute: 'flow', message: 'flow must be "purchase" or "apply"' };
    }
    if (!this.src) return { ok: false, attribute: 'src', message: 'src (the redirection_url from widget/init) is required' };
    const checked = checkFrameUrl(this.src, (host) => HOSTS.has(host), document.baseURI);
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
    const t = lang === 'fr' ? fr : en;
    return this.flow === 'apply' ? { ...t, outcomes: { ...t.outcomes, apply: t.applySubmit } } : t;
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
