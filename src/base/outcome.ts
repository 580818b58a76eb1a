import type { Message } from '../translations/types.js';

/**
 * The outcome region every finframe element shows, frame or not: one box per outcome slot, all
 * rendered once and toggled with `hidden`, each with a tone — its colours, its icon and its role.
 * Plain DOM, not lit-html: the non-frame elements do not carry lit-html, and the frame elements
 * render their frame with lit-html before these boxes.
 *
 * ```html
 * <div part="outcome outcome-error" role="alert" hidden>
 *   <svg part="outcome-icon" aria-hidden="true" …><path d="…"/></svg>
 *   <div part="outcome-text"><slot name="error">built-in text</slot></div>
 * </div>
 * ```
 */

/**
 * - `success`: what the shopper came to do is done.
 * - `info`: nothing went wrong — the shopper stopped, or waits, or there is a next step.
 * - `warning`: it did not go through, and the shopper has to do something else (start again, choose another payment method, act elsewhere).
 * - `error`: something failed (could not load, the provider reported an error, a misconfiguration); `role="alert"`.
 */
export type Tone = 'success' | 'info' | 'warning' | 'error';

/** Each tone's default colours: light text, background, border and icon; then the same in dark. All pass WCAG AA (text ≥ 4.5:1, border and icon ≥ 3:1). */
export const TONE_COLORS: Readonly<Record<Tone, readonly string[]>> = {
  success: ['#14532d', '#edf8f0', '#1f7a3d', '#c3efcf', '#0f2918', '#4cc26f'],
  info: ['#0b4a85', '#eef5fc', '#2166b3', '#cfe3fb', '#0d2236', '#63a9f0'],
  warning: ['#6a4000', '#fff6e0', '#a15c00', '#fde3ae', '#2c2005', '#e3a33b'],
  error: ['#8a1717', '#fdf0ef', '#c42b2b', '#fdcdc9', '#361212', '#f2736b'],
};

/** One 24×24 stroke path per tone: a tick, an "i", an "!" in a triangle, a cross — each in its own shape. */
const ICONS: Record<Tone, string> = {
  success: 'M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20m-4.5 10.5 3 3 6-6.5',
  info: 'M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20m0 9v6m0-9.5v.01',
  warning: 'M12 3 2 20.5h20zm0 6.5v5m0 3v.01',
  error: 'M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20M9 9l6 6m0-6-6 6',
};

const tones = (i: number) =>
  Object.entries(TONE_COLORS)
    .map(([t, c]) => `[part~=outcome-${t}]{--_c:var(--finframe-${t}-color,${c[i]});--_b:var(--finframe-${t}-background,${c[i + 1]});--_e:var(--finframe-${t}-border,${c[i + 2]})}`)
    .join('');

/** The outcome region's styles: colours, padding, gap and radius from documented custom properties; the rest through the parts. */
export const outcomeCss = `[part~=outcome]{display:flex;gap:var(--finframe-outcome-gap,.625rem);align-items:flex-start;padding:var(--finframe-outcome-padding,.75rem 1rem);border:1px solid var(--_e);border-inline-start-width:4px;border-radius:var(--finframe-outcome-radius,.375rem);color:var(--_c);background:var(--_b)}
[part~=outcome-icon]{flex:none;width:1.25em;height:1.25em;margin-block:calc(.5lh - .625em);fill:none;stroke:var(--_e);stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
[part~=outcome-text]{flex:1;min-width:0;overflow-wrap:break-word}
[part~=outcome-text] a{color:inherit}
${tones(0)}@media (prefers-color-scheme:dark){${tones(3)}}`;

const SVG = 'http://www.w3.org/2000/svg';

interface Region {
  readonly box: HTMLDivElement;
  readonly slot: HTMLSlotElement;
  /** The message the slot's fallback was last built from (a rebuild re-announces a live region). */
  shown?: Message;
}

/** The outcome boxes of one element, built once from its outcome slots and their tones. */
export class OutcomeRegions {
  readonly #regions = new Map<string, Region>();

  constructor(toneOf: Readonly<Record<string, Tone>>) {
    for (const [name, tone] of Object.entries(toneOf)) {
      const box = document.createElement('div');
      box.setAttribute('part', `outcome outcome-${tone}`);
      box.setAttribute('role', tone === 'error' ? 'alert' : 'status');
      box.hidden = true;
      const icon = document.createElementNS(SVG, 'svg');
      icon.setAttribute('part', 'outcome-icon');
      icon.setAttribute('viewBox', '0 0 24 24');
      icon.setAttribute('aria-hidden', 'true');
      const path = document.createElementNS(SVG, 'path');
      path.setAttribute('d', ICONS[tone]);
      icon.append(path);
      const text = document.createElement('div');
      text.setAttribute('part', 'outcome-text');
      const slot = document.createElement('slot');
      slot.name = name;
      text.append(slot);
      box.append(icon, text);
      this.#regions.set(name, { box, slot });
    }
  }

  /** Every box, in slot order, to append to the shadow root once. */
  get boxes(): HTMLDivElement[] {
    return [...this.#regions.values()].map((r) => r.box);
  }

  /** Shows the box of `shown` (none when `undefined`) and sets each slot's fallback content. */
  update(shown: string | undefined, text: (name: string) => Message): void {
    for (const [name, region] of this.#regions) {
      region.box.hidden = name !== shown;
      const message = text(name);
      if (!sameMessage(region.shown, message)) {
        region.shown = message;
        region.slot.replaceChildren(...nodes(message));
      }
    }
  }
}

function sameMessage(a: Message | undefined, b: Message): boolean {
  return a === b || (Array.isArray(a) && Array.isArray(b) && JSON.stringify(a) === JSON.stringify(b));
}

/** Built-in text as DOM: strings become text nodes, links `<a>` opening in a new tab. Never parsed as markup. */
function nodes(message: Message): (string | Node)[] {
  if (typeof message === 'string') return [message];
  return message.map((part) => {
    if (typeof part === 'string') return part;
    const a = document.createElement('a');
    a.href = part.href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.textContent = part.text;
    return a;
  });
}
