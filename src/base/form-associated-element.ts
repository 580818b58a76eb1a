import type { FormControl } from './form-control.js';

// Importing finframe during server-side rendering must not throw: there is no HTMLElement in Node.
const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

/**
 * What both base classes (`ProviderFrameElement`, `ProviderOutcomeElement`) show of form
 * association: `name`, `required`, `submitOn` and the validity API of a built-in control, each
 * delegating to the element's `FormControl`, which does the work. One class rather than a mixin:
 * the custom elements manifest, the element pages and the framework typings list inherited members
 * of a plain class as they list the others.
 */
export abstract class FormAssociatedElement extends Base {
  static formAssociated = true;

  /** The element's form controller (created in the base class's constructor, with its shadow root). */
  protected abstract get formControl(): FormControl;

  /** The form field name (attribute `name`): after an outcome the form posts `name[outcome]` and the outcome's fields. */
  get name(): string {
    return this.getAttribute('name') ?? '';
  }
  set name(value: string) {
    this.setAttribute('name', value);
  }

  /** The form cannot be submitted until a successful outcome (attribute `required`). */
  get required(): boolean {
    return this.hasAttribute('required');
  }
  set required(value: boolean) {
    this.toggleAttribute('required', Boolean(value));
  }

  /** Outcomes after which the element submits its form (attribute `submit-on`, space-separated). */
  get submitOn(): string {
    return this.getAttribute('submit-on') ?? '';
  }
  set submitOn(value: string) {
    this.setAttribute('submit-on', value);
  }

  /** The element's form, or `null`. */
  get form(): HTMLFormElement | null {
    return this.formControl.internals.form;
  }

  /** The element's validity: `valueMissing` while `required` and no successful outcome. */
  get validity(): ValidityState {
    return this.formControl.internals.validity;
  }

  /** The localized message the browser shows while the element is invalid. */
  get validationMessage(): string {
    return this.formControl.internals.validationMessage;
  }

  /** Whether the element takes part in form validation (not when disabled). */
  get willValidate(): boolean {
    return this.formControl.internals.willValidate;
  }

  /** Whether the element is valid; fires `invalid` if not. */
  checkValidity(): boolean {
    return this.formControl.internals.checkValidity();
  }

  /** Like `checkValidity()`, and the browser shows the message at the element, scrolled into view. */
  reportValidity(): boolean {
    return this.formControl.internals.reportValidity();
  }
}
