/**
 * Form association for every finframe element: the outcome as the element's form value, `required`,
 * `submit-on`, `form.reset()`, a disabled `<fieldset>`, a page restored from the back/forward cache,
 * and the Invoker Commands (`command="--open"`). Both base classes own one and call it at fixed
 * points: connect, disconnect, the outcome (before and after its event), a new session, each render.
 */

/** Attributes the base classes observe for the form: a change re-applies the value and validity. */
export const FORM_ATTRIBUTES = ['name', 'required', 'submit-on'];

/** What an element gives its form controller. */
export interface FormHost extends HTMLElement {
  open(): void;
  close(): void;
  reset(): void;
}

export interface FormFacts {
  /** Whether `outcome` satisfies `required` (Flinks `connected`, Benji `success`, …). */
  success(outcome: string): boolean;
  /** The localized validation message: what the shopper has to do. */
  message(): string;
  /** Every outcome the element can end with (what `submit-on` may name). */
  outcomes(): readonly string[];
  /** Reports a misconfigured attribute: a non-fatal `INVALID_CONFIG` with `data.attribute` (the console message is the controller's). */
  misconfigured(attribute: string, message: string): void;
}

/**
 * The fields an outcome posts beside `name[outcome]`: strings as they are, finite numbers and
 * booleans as text, arrays one `name[key][]` entry per item; anything else (absent, null, an object)
 * is left out.
 */
export type FormFields = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : undefined;

export class FormControl {
  readonly internals: ElementInternals;
  readonly #host: FormHost;
  readonly #facts: FormFacts;
  /** Where the browser points its validation message: the top of the element, focusable from script only. */
  readonly #anchor: HTMLSpanElement;
  #outcome: string | undefined;
  #fields: FormFields = {};
  #abort: AbortController | undefined;
  /** The custom states last set (`states()`). */
  #states: string[] = [];
  /** The `submit-on` value last checked, so that one problem is reported once. */
  #checked: string | null = null;

  constructor(host: FormHost, root: ShadowRoot, facts: FormFacts) {
    this.#host = host;
    this.#facts = facts;
    this.internals = host.attachInternals();
    this.#anchor = document.createElement('span');
    this.#anchor.setAttribute('tabindex', '-1');
    // Before everything a base class renders (lit-html and the plain regions both append after it).
    root.prepend(this.#anchor);
    host.addEventListener('command', (event) => {
      if (event.defaultPrevented) return;
      // Custom commands start with "--" (the Invoker Commands API); the built-in ones are not ours.
      const command = (event as CommandEvent).command;
      if (command === '--open') host.open();
      else if (command === '--close') host.close();
      else if (command === '--reset') host.reset();
    });
  }

  /** In a disabled `<fieldset>`, or `disabled` itself: no session, nothing submitted. */
  get disabled(): boolean {
    return this.#host.matches(':disabled');
  }

  connected(): void {
    this.#abort = new AbortController();
    // A page restored from the back/forward cache must not offer an old outcome again (a Flinks
    // loginId, a single-use Benji token): the element starts over, as on a fresh load.
    addEventListener(
      'pageshow',
      (event) => {
        if (event.persisted) this.#host.reset();
      },
      { signal: this.#abort.signal },
    );
  }

  disconnected(): void {
    this.#abort?.abort();
    this.#abort = undefined;
  }

  /** The session's outcome and its fields (before the page hears of it), or none: a new session. */
  set(outcome?: string, fields: FormFields = {}): void {
    this.#outcome = outcome;
    this.#fields = outcome === undefined ? {} : fields;
    this.refresh();
  }

  /** After the outcome's event: `submit-on` lists it, so the form submits through its own validation and handlers. */
  submit(outcome: string): void {
    const form = this.internals.form;
    const listed = (this.#host.getAttribute('submit-on') ?? '').split(/\s+/).includes(outcome);
    if (form && listed && !this.disabled) form.requestSubmit();
  }

  /**
   * The element's custom states, for CSS (`flinks-connect:state(ready)`, `:state(connected)`): its
   * status, its outcome once there is one, and any `more` a subclass adds (`<flexpay-status>`'s
   * `pending`). They are the element's only state for CSS: the element writes no attribute on
   * itself, so a server-rendered page has nothing to disagree with when it hydrates.
   */
  states(status: string, outcome: string | undefined, more: readonly string[] = []): void {
    const states = this.internals.states as Set<string> | undefined;
    if (!states) return;
    const wanted = [...new Set([status, ...(outcome === undefined ? [] : [outcome]), ...more])];
    try {
      for (const name of this.#states) if (!wanted.includes(name)) states.delete(name);
      for (const name of wanted) states.add(name);
    } catch {
      // Chrome 90–124 took only `--name` states (`:--ready`) and throws for any other: no states
      // there, rather than an update that stops half-way (the form value comes after this).
      return;
    }
    this.#states = wanted;
  }

  /** Applies the value and validity again (after a change of `name`, `required` or the language). */
  refresh(): void {
    const submitOn = this.#host.getAttribute('submit-on');
    if (submitOn !== this.#checked) {
      this.#checked = submitOn;
      const outcomes = this.#facts.outcomes();
      const unknown = (submitOn ?? '').split(/\s+/).filter((word) => word && !outcomes.includes(word));
      if (unknown.length) {
        // Not fatal: the session goes on, but the form would never be submitted for these.
        const message = `<${this.#host.localName}>: submit-on names ${unknown.map((w) => `"${w.slice(0, 32)}"`).join(', ')}, not an outcome of this element (${outcomes.join(', ')}). Fix the "submit-on" attribute.`;
        console.error(`[finframe] ${message}`);
        this.#facts.misconfigured('submit-on', message);
      }
    }
    const name = this.#host.getAttribute('name');
    const outcome = this.#outcome;
    let value: FormData | null = null;
    if (name && outcome !== undefined) {
      value = new FormData();
      value.append(`${name}[outcome]`, outcome);
      for (const [key, field] of Object.entries(this.#fields)) {
        for (const [suffix, item] of Array.isArray(field) ? field.map((i) => ['[]', i]) : [['', field]]) {
          const entry = text(item);
          if (entry !== undefined) value.append(`${name}[${key}]${suffix}`, entry);
        }
      }
    }
    // State null: no outcome is kept in the session history for the browser to restore.
    this.internals.setFormValue(value, null);
    const missing = this.#host.hasAttribute('required') && !(outcome !== undefined && this.#facts.success(outcome));
    if (missing) this.internals.setValidity({ valueMissing: true }, this.#facts.message(), this.#anchor);
    else this.internals.setValidity({});
  }
}
