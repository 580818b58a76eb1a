import { FORM_ATTRIBUTES, type FormFields } from '../../base/form-control.js';
import type { Tone } from '../../base/outcome.js';
import { ProviderOutcomeElement } from '../../base/provider-outcome-element.js';
import { resolveLang } from '../../internal/lang.js';
import { loopbackAllowed } from '../../internal/url.js';
import { flexpayText } from '../../translations/flexpay.js';
import { LANGS } from '../../translations/types.js';
import { parseFlexPayStatus, type FlexPayPaymentStatus } from './flexpay-status.schema.js';
import { checkStatusSource } from './flexpay-status.source.js';

/** Consecutive stream failures without a status before the element polls instead. */
const STREAM_ATTEMPTS = 3;
const MAX_BACKOFF = 30_000;
const TONES: Record<string, Tone> = { pending: 'info', successful: 'success', failed: 'warning', error: 'error' };

/**
 * The shopper's view of a FlexPay finance application on the order page: it watches the status
 * your server stored from FlexPay's signed callbacks (`finframe/server`'s `createStatusStream`)
 * and says, in words a shopper understands, whether the order went through.
 *
 * It subscribes with `EventSource` (the browser resumes with `Last-Event-ID`); when the stream
 * fails, it reconnects with backoff, and after three failures in a row it polls the same URL for
 * JSON every `poll-interval` ms instead. A stream the server ends as planned (`event: reconnect`:
 * its lifetime is over) is not a failure. It stops at a final status.
 *
 * `src` must be on the page's own origin unless `status-origin` names the one other origin
 * allowed (`https:` only); requests there carry cookies, so that endpoint must answer CORS for
 * this page's origin with credentials.
 *
 * @summary Show the live status of a FlexPay finance application.
 * @tag flexpay-status
 *
 * @attr {string} reference - Required: your order's reference (the `reference` you gave FlexPay's /verify-basket).
 * @attr {string} src - Required: your status endpoint (`createStatusStream`), e.g. `/flexpay/status`; `reference` is added as a query parameter. Same-origin, unless `status-origin` allows its origin.
 * @attr {string} status-origin - Opt-in for a status endpoint on another origin: exactly that origin (`https://status.shop.example`), `https:` only (loopback also `http:`, in the development build or after `allowLoopback()` only).
 * @attr {number} poll-interval - Milliseconds between polls when streaming is unavailable (default 5000, at least 1000).
 * @attr {string} lang - Language of the built-in text (`en`, `fr`); defaults to the closest `[lang]`, then `<html lang>`, then `en`.
 * @attr {string} name - The form field name: after an outcome the form posts `name[outcome]` and the outcome's fields.
 * @attr {boolean} required - The form cannot be submitted until the outcome is `successful`.
 * @attr {string} submit-on - Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers.
 *
 * @slot pending - Shown until there is a final status. Tone `info`.
 * @slot successful - The purchase was successful. Tone `success`.
 * @slot failed - The purchase failed: declined, cancelled, abandoned — or referred to the lender; the built-in text tells the shopper they can check out again once approved. Tone `warning`.
 * @slot error - The status endpoint refused the element (400, 403, 404) or the element is misconfigured. Tone `error`.
 *
 * @event {ProviderReadyEvent} provider-ready - The first status report arrived (possibly "no status yet").
 * @event {ProviderEventEvent} provider-event - Each change of FlexPay's status: `name` is `PENDING`, `SUCCESSFUL` or `FAILED`, `data` the report.
 * @event {ProviderOutcomeEvent} provider-outcome - `successful` or `failed` (final statuses), or `error`; cancelable.
 * @event {ProviderErrorEvent} provider-error - `INVALID_CONFIG`, `STATUS_REFUSED` (the endpoint answered 400/401/403/404; fatal), `STREAM_UNAVAILABLE` (not fatal: the element polls instead), `INVALID_MESSAGE`.
 *
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
 * @cssstate loading - Status `loading`: waiting for the first status report.
 * @cssstate ready - Status `ready`: watching: a report arrived (possibly "no status yet").
 * @cssstate complete - Status `complete`: the session ended with an outcome, which is a state too.
 * @cssstate error - Status `error`: the session failed with outcome `error` (misconfiguration, a refused request, a timeout).
 * @cssstate successful - Outcome `successful` (its slot says what it means).
 * @cssstate failed - Outcome `failed` (its slot says what it means).
 * @cssstate pending - FlexPay's last status is `PENDING` (`paymentStatus`).
 */
export class FlexPayStatusElement extends ProviderOutcomeElement<'successful' | 'failed'> {
  static observedAttributes = ['reference', 'src', 'status-origin', 'poll-interval', 'lang', ...FORM_ATTRIBUTES];

  /** The URL being watched (with `reference`); `undefined` when nothing is. */
  #url: string | undefined;
  /** Whether `#url` is on `status-origin`: requests then include credentials (CORS). */
  #credentials = false;
  #session = 0;
  #source: EventSource | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #polling = false;
  #version = -1;
  #payment: FlexPayPaymentStatus | null = null;

  protected get provider() {
    return 'flexpay' as const;
  }

  /** Your order's reference. */
  get reference(): string | undefined {
    return this.getAttribute('reference') ?? undefined;
  }
  set reference(value: string | undefined) {
    this.reflect('reference', value);
  }

  /** Your status endpoint. */
  get src(): string | undefined {
    return this.getAttribute('src') ?? undefined;
  }
  set src(value: string | undefined) {
    this.reflect('src', value);
  }

  /** The one other origin `src` may be on (attribute `status-origin`); unset: same-origin only. */
  get statusOrigin(): string | undefined {
    return this.getAttribute('status-origin') ?? undefined;
  }
  set statusOrigin(value: string | undefined) {
    this.reflect('status-origin', value);
  }

  /** Milliseconds between polls when streaming is unavailable (attribute `poll-interval`, default 5000, at least 1000). */
  get pollInterval(): number {
    const value = Number(this.getAttribute('poll-interval') ?? NaN);
    return value >= 1000 ? value : 5000;
  }
  set pollInterval(value: number) {
    this.reflect('poll-interval', String(value));
  }

  /** FlexPay's last status for the order, or `undefined` before the first; `PENDING` is the custom state `:state(pending)`. Read-only. */
  get paymentStatus(): FlexPayPaymentStatus | undefined {
    return this.#payment ?? undefined;
  }

  /** Whether the element fell back to polling (the stream failed three times in a row). Read-only. */
  get polling(): boolean {
    return this.#polling;
  }

  /** Subscribes again from scratch (after an `error`, for instance): clears `outcome` and the form value first. */
  override reset(): void {
    this.#url = undefined;
    super.reset();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.suspend();
  }

  protected override suspend(): void {
    this.#stop();
    this.#url = undefined;
    this.idle();
  }

  protected update(): void {
    const config = checkStatusSource({
      reference: this.reference,
      src: this.src,
      statusOrigin: this.statusOrigin,
      base: document.baseURI,
      pageOrigin: self.origin,
      allowLoopback: loopbackAllowed(),
    });
    if (!config.ok) {
      // configError() ends the session (ended() stops the stream) unless it already reported this.
      this.#url = undefined;
      this.configError(config.attribute, config.message);
      return;
    }
    this.clearConfigError();
    if (config.url === this.#url && config.crossOrigin === this.#credentials) return;
    this.#url = config.url;
    this.#credentials = config.crossOrigin;
    this.#stop();
    this.#session++;
    this.#failures = 0;
    this.#polling = false;
    this.#version = -1;
    this.#setPayment(null);
    this.startSession();
    if (typeof EventSource === 'function') this.#stream(config.url);
    else this.#poll(config.url);
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#source?.close();
    this.#source = undefined;
  }

  protected override ended(): void {
    this.#stop();
  }

  #stream(url: string): void {
    const session = this.#session;
    const source = new EventSource(url, { withCredentials: this.#credentials });
    this.#source = source;
    const live = () => session === this.#session && source === this.#source && !this.finished;
    /** The server said it ends this stream on purpose: the `error` that follows is not a failure. */
    let planned = false;
    source.addEventListener('status', (event) => {
      if (!live()) return;
      this.#failures = 0;
      this.#report((event as MessageEvent).data);
    });
    source.addEventListener('reconnect', () => {
      if (!live()) return;
      // The stream's lifetime is over (or the server shuts down): it worked until now, and the
      // browser reconnects with Last-Event-ID, where the server asks its authorize() again.
      planned = true;
      this.#failures = 0;
    });
    source.addEventListener('error', () => {
      if (!live()) return;
      if (planned) {
        planned = false;
        if (source.readyState === EventSource.CLOSED) {
          // A browser that does not reconnect by itself after a clean end: open it again, uncounted.
          this.#source = undefined;
          this.#timer = setTimeout(() => {
            if (session === this.#session && !this.finished) this.#stream(url);
          }, 0);
        }
        return;
      }
      this.#failures++;
      const closed = source.readyState === EventSource.CLOSED;
      if (this.#failures >= STREAM_ATTEMPTS) {
        // A proxy that buffers, an endpoint without streaming: polling gets there too.
        source.close();
        this.#source = undefined;
        this.dispatchError('STREAM_UNAVAILABLE', `The status stream at ${new URL(url).pathname} failed ${this.#failures} times; polling it every ${this.pollInterval} ms instead.`, false);
        this.#polling = true;
        this.#poll(url);
      } else if (closed) {
        // The browser gave up (an HTTP error, a wrong content type): try again after a backoff.
        this.#source = undefined;
        this.#timer = setTimeout(() => {
          if (session === this.#session && !this.finished) this.#stream(url);
        }, this.#backoff());
      }
      // Otherwise the browser reconnects by itself, with Last-Event-ID.
    });
  }

  #backoff(): number {
    const base = Math.min(MAX_BACKOFF, 1000 * 2 ** Math.max(0, this.#failures - 1));
    return base / 2 + Math.random() * (base / 2);
  }

  #poll(url: string): void {
    const session = this.#session;
    const live = () => session === this.#session && !this.finished;
    const next = (delay: number) => {
      if (live()) this.#timer = setTimeout(run, delay);
    };
    const run = async () => {
      let response: Response;
      try {
        response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: this.#credentials ? 'include' : 'same-origin' });
      } catch {
        return next(this.pollInterval);
      }
      if (!live()) return;
      if ([400, 401, 403, 404].includes(response.status)) {
        this.fatal('STATUS_REFUSED', `The status endpoint answered ${response.status} for this order. Check the reference and src attributes, and your authorize() rule.`, {
          status: response.status,
        });
        return;
      }
      if (response.ok) {
        let text = '';
        try {
          text = await response.text();
        } catch {
          // A broken body is a failed poll; the next one may do better.
        }
        if (!live()) return;
        this.#report(text);
      }
      next(this.pollInterval);
    };
    void run();
  }

  #report(raw: unknown): void {
    const report = parseFlexPayStatus(raw);
    if (!report || report.reference !== this.reference?.trim()) {
      this.dispatchError('INVALID_MESSAGE', 'The status endpoint sent a report outside the protocol (or for another order); it was ignored.', false);
      return;
    }
    this.markReady();
    // A resumed stream or a poll may repeat what was seen: only newer versions count.
    if (report.version <= this.#version) return;
    this.#version = report.version;
    if (report.status !== this.#payment) {
      this.#setPayment(report.status);
      if (report.status) this.emit(report.status, report as unknown as Readonly<Record<string, unknown>>);
    }
    if (report.status === 'SUCCESSFUL') this.finish('successful', report);
    else if (report.status === 'FAILED') this.finish('failed', report);
  }

  #setPayment(status: FlexPayPaymentStatus | null): void {
    this.#payment = status;
    this.requestUpdate();
  }

  protected override get moreStates(): readonly string[] {
    return this.#payment === 'PENDING' ? ['pending'] : [];
  }

  protected override get shownSlot(): string | undefined {
    return this.finished ? super.shownSlot : 'pending';
  }

  protected get tones() {
    return TONES;
  }

  protected outcomeText() {
    return flexpayText[resolveLang(this, LANGS, 'en')].outcomes;
  }

  protected override requiredText(): string {
    return flexpayText[resolveLang(this, LANGS, 'en')].required;
  }

  /** `pending` is a slot, not an outcome. */
  protected override get outcomeNames(): readonly string[] {
    return ['successful', 'failed', 'error'];
  }

  protected override formSuccess(outcome: string): boolean {
    return outcome === 'successful';
  }

  protected override formFields(_outcome: string, data: unknown): FormFields {
    return { status: (data as { status?: unknown }).status };
  }

}

declare global {
  interface HTMLElementTagNameMap {
    'flexpay-status': FlexPayStatusElement;
  }
}
