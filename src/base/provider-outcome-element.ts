import type { ProviderName, ProviderOutcomeDetail } from '../events/details.js';
import { ProviderErrorEvent } from '../events/provider-error.js';
import { ProviderEventEvent } from '../events/provider-event.js';
import { ProviderOutcomeEvent } from '../events/provider-outcome.js';
import { ProviderReadyEvent } from '../events/provider-ready.js';
import { onLangChange } from '../internal/lang.js';
import { upgradeProperties } from '../internal/upgrade.js';
import type { Message } from '../translations/types.js';
import { FormAssociatedElement } from './form-associated-element.js';
import { FormControl, type FormFields } from './form-control.js';
import { OutcomeRegions, type Tone } from './outcome.js';
import type { FrameStatus } from './provider-frame-element.js';
import { attachStyledShadow, baseCss } from './provider-frame-element.styles.js';

// Where upgradeProperties stops: the built-in class (none in Node, where importing must not throw).
const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

/**
 * The base of finframe's elements that are not a frame (`<finapi-web-form>`, `<flexpay-status>`):
 * `status` and `outcome` (custom states for CSS, never attributes), the four provider events, the
 * outcome slots with built-in text (the same outcome region as the frame elements'),
 * misconfiguration reported once per distinct problem, the text re-rendered when a `lang` changes
 * on the page.
 * A subclass decides when a session starts and what its source reports; it calls `startSession`,
 * `markReady`, `emit`, `finish`, `fatal` and `configError`.
 *
 * @cssstate idle - No session: not configured yet, or disabled.
 * @cssstate loading - Waiting for the provider's first sign of life.
 * @cssstate ready - The provider is up and reporting.
 * @cssstate complete - The session ended with an outcome; the outcome is a state too.
 * @cssstate error - The session failed (outcome `error`): misconfiguration, a refused request, a timeout.
 */
export abstract class ProviderOutcomeElement<O extends string> extends FormAssociatedElement {
  #root: ShadowRoot;
  #forms: FormControl;
  #status: FrameStatus = 'idle';
  #outcome: O | 'error' | undefined;
  /** The outcome's data: some outcomes' text depends on it (an error's code). */
  #outcomeData: unknown;
  #ready = false;
  #finished = false;
  #outcomeShown = false;
  #lastConfigError: string | undefined;
  #updated: Promise<void> | undefined;
  #outcomes: OutcomeRegions | undefined;
  #stopLang: (() => void) | undefined;

  constructor() {
    super();
    this.#root = attachStyledShadow(this, baseCss);
    this.#forms = new FormControl(this, this.#root, {
      success: (outcome) => this.formSuccess(outcome as O | 'error'),
      message: () => this.requiredText(),
      outcomes: () => this.outcomeNames,
      misconfigured: (attribute, message) => this.dispatchError('INVALID_CONFIG', message, false, Object.freeze({ attribute })),
    });
  }

  protected override get formControl(): FormControl {
    return this.#forms;
  }

  /** The provider's name in every event's `detail.provider`. */
  protected abstract get provider(): ProviderName;

  /** Runs at the next microtask after a change (several changes render once): configure, start, stop. */
  protected abstract update(): void;

  /** The tone of each outcome slot (the same keys as `outcomeText()`): its colours, icon and role. */
  protected abstract get tones(): Readonly<Record<string, Tone>>;

  /** The fallback text of each outcome slot, in the element's language (built-in text, never provider data). */
  protected abstract outcomeText(): Record<string, Message>;

  /** The built-in text shown for `outcome` with its `data` (by default `outcomeText()`'s entry). */
  protected outcomeMessage(outcome: string, _data: unknown): Message {
    return this.outcomeText()[outcome] ?? '';
  }

  /** Whether `outcome` satisfies `required` (the provider's successful outcome). */
  protected abstract formSuccess(outcome: O | 'error'): boolean;

  /** The fields an outcome posts beside `name[outcome]` (only those present). */
  protected abstract formFields(outcome: O | 'error', data: unknown): FormFields;

  /** The validation message while `required` and no successful outcome, in the element's language. */
  protected abstract requiredText(): string;

  /** Every outcome the element can end with: by default the outcome slots' names. */
  protected get outcomeNames(): readonly string[] {
    return Object.keys(this.outcomeText());
  }

  /**
   * Disabled (a disabled `<fieldset>`, `disabled`) before an outcome: stop the session and go back
   * to `idle`, releasing what it held; enabling runs `update()` again, which starts a new one.
   */
  protected abstract suspend(): void;

  /** Creates, once, what the shadow root shows before the outcome regions (a loading region, the provider's part). */
  protected createBody(): Node[] {
    return [];
  }

  /** Brings what `createBody()` made up to date; runs after every update. */
  protected updateBody(): void {}

  /**
   * `<div part=… role=…><slot name=…></slot></div>`, for a subclass's own regions (loading, the
   * provider's part; the outcome boxes are `OutcomeRegions`'). Plain DOM, not lit-html: these
   * elements have a few static regions whose `hidden` and text change, and lit-html would be a
   * quarter of their bundle.
   */
  protected region(part: string, role: string, name?: string): { box: HTMLDivElement; slot: HTMLSlotElement } {
    const box = document.createElement('div');
    box.setAttribute('part', part);
    box.setAttribute('role', role);
    const slot = document.createElement('slot');
    if (name) slot.name = name;
    box.append(slot);
    return { box, slot };
  }

  /** Sets a slot's fallback text, only when it changed (a live region re-announces a rewrite). */
  protected setText(slot: HTMLSlotElement, text: string): void {
    if (slot.textContent !== text) slot.textContent = text;
  }

  /** Custom states beside the status and the outcome (`<flexpay-status>`'s `pending`); read at every render. */
  protected get moreStates(): readonly string[] {
    return [];
  }

  /** Which outcome slot shows now (by default the outcome's, once the page did not cancel it). */
  protected get shownSlot(): string | undefined {
    return this.#outcomeShown ? this.#outcome : undefined;
  }

  /** `idle` | `loading` | `ready` | `complete` | `error`; for CSS the custom state `:state(ready)` etc. Read-only. */
  get status(): FrameStatus {
    return this.#status;
  }

  /** The terminal outcome's name (for CSS the custom state `:state(completed)` etc.); `undefined` until there is one. Read-only. */
  get outcome(): O | 'error' | undefined {
    return this.#outcome;
  }

  /** Resolves after pending changes have rendered. */
  get updateComplete(): Promise<void> {
    return (async () => {
      while (this.#updated) await this.#updated;
    })();
  }

  /** Starts over: clears `outcome` and the form value; a new session follows unless disabled. */
  reset(): void {
    this.#lastConfigError = this.#outcome = this.#outcomeData = undefined;
    this.#ready = this.#finished = this.#outcomeShown = false;
    this.#status = 'idle';
    this.#forms.set();
    this.requestUpdate();
  }

  /** With no dialog, `open()` starts a new session after an outcome (as the frame elements' `open()` does), and otherwise does nothing. */
  open(): void {
    if (this.#finished) this.reset();
  }

  /** Nothing to close: these elements have no dialog. (For the `--close` command, which every element takes.) */
  close(): void {}

  connectedCallback(): void {
    // Properties set before the element was defined now go through their accessors.
    upgradeProperties(this, Base.prototype);
    this.#forms.connected();
    // A `lang` change anywhere on the page re-renders the built-in text (and passes it on, where the provider takes one).
    this.#stopLang = onLangChange(() => this.requestUpdate());
    this.requestUpdate();
  }

  disconnectedCallback(): void {
    this.#forms.disconnected();
    this.#stopLang?.();
    this.#stopLang = undefined;
  }

  attributeChangedCallback(): void {
    this.requestUpdate();
  }

  /** `form.reset()`: a new session. */
  formResetCallback(): void {
    this.reset();
  }

  /** A disabled `<fieldset>` (or `disabled`) stops a session that has no outcome; enabling starts one. */
  formDisabledCallback(): void {
    this.requestUpdate();
  }

  protected requestUpdate(): void {
    this.#updated ??= Promise.resolve().then(() => {
      this.#updated = undefined;
      if (!this.isConnected) return;
      if (!this.#forms.disabled) this.update();
      else if (!this.#finished) this.suspend();
      this.#render();
    });
  }

  protected reflect(name: string, value: string | undefined | null): void {
    if (value == null) this.removeAttribute(name);
    else this.setAttribute(name, value);
  }

  /** The session ended (an outcome, or a fatal error). Nothing from it counts any more. */
  protected get finished(): boolean {
    return this.#finished;
  }

  /** A new session: `loading`, no outcome. */
  protected startSession(): void {
    this.#ready = this.#finished = this.#outcomeShown = false;
    this.#outcome = this.#outcomeData = undefined;
    this.#forms.set();
    this.#status = 'loading';
    this.requestUpdate();
  }

  /** Back to `idle` (the element was removed before an outcome). */
  protected idle(): void {
    if (this.#finished) return;
    this.#ready = false;
    this.#status = 'idle';
  }

  /** A fixed configuration forgets the error: back to where a correct element starts. Returns whether there was one. */
  protected clearConfigError(): boolean {
    if (!this.#lastConfigError) return false;
    this.#lastConfigError = this.#outcome = undefined;
    this.#finished = this.#outcomeShown = false;
    this.#status = 'idle';
    this.#forms.set();
    return true;
  }

  protected markReady(): void {
    if (this.#ready) return;
    this.#ready = true;
    if (this.#status === 'loading') this.#status = 'ready';
    this.requestUpdate();
    this.dispatchEvent(new ProviderReadyEvent(Object.freeze({ provider: this.provider })));
  }

  protected emit(name: string, data: Readonly<Record<string, unknown>>): void {
    this.dispatchEvent(new ProviderEventEvent(Object.freeze({ provider: this.provider, name, data })));
  }

  protected dispatchError(code: string, message: string, fatal: boolean, data?: unknown): void {
    const detail = { provider: this.provider, code, message, fatal, ...(data === undefined ? {} : { data }) };
    this.dispatchEvent(new ProviderErrorEvent(Object.freeze(detail)));
  }

  protected fatal(code: string, message: string, data?: Record<string, unknown>): void {
    this.dispatchError(code, message, true, data);
    this.finish('error', Object.freeze({ ...data, code, message }));
  }

  /** Ends the session with `outcome` (once). `ended()` runs first, so the provider's part is gone when the page hears. */
  protected finish(outcome: O | 'error', data: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.ended(outcome);
    this.#outcome = outcome;
    this.#outcomeData = data;
    this.#status = outcome === 'error' ? 'error' : 'complete';
    this.requestUpdate();
    const detail = Object.freeze({ provider: this.provider, outcome, data }) as ProviderOutcomeDetail;
    // The form value is there when the page hears of the outcome.
    this.#forms.set(outcome, this.formFields(outcome, data));
    this.#outcomeShown = this.dispatchEvent(new ProviderOutcomeEvent(detail));
    this.#forms.submit(outcome);
  }

  /** The session ended: release what it held (timers, connections, the provider's DOM). */
  protected ended(_outcome: O | 'error'): void {}

  /** A fatal `INVALID_CONFIG` naming the attribute to fix, and one console error — once per distinct problem. */
  protected configError(attribute: string, message: string): void {
    const text = `<${this.localName}>: ${message}. Fix the "${attribute}" attribute.`;
    if (text === this.#lastConfigError) return;
    this.#lastConfigError = text;
    console.error(`[finframe] ${text}`);
    this.#finished = false;
    this.fatal('INVALID_CONFIG', text, { attribute });
  }

  #render(): void {
    if (!this.#outcomes) {
      this.#outcomes = new OutcomeRegions(this.tones);
      this.#root.append(...this.createBody(), ...this.#outcomes.boxes);
    }
    this.updateBody();
    const text = this.outcomeText();
    const shown = this.shownSlot;
    this.#outcomes.update(shown, (name) => (name === shown && name === this.#outcome ? this.outcomeMessage(name, this.#outcomeData) : (text[name] ?? '')));
    // Status and outcome are custom states, never attributes: the element writes nothing on its host
    // that a framework's server-rendered markup could disagree with at hydration.
    this.#forms.states(this.#status, this.#outcome, this.moreStates);
    this.#forms.refresh();
  }
}
