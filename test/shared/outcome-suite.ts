import { expect } from '@open-wc/testing';
import { unload } from '@finapi/web-form/dist/loader.js';
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';
import type { ProviderFrameElement } from '../../src/base/provider-frame-element.js';
import type { Message } from '../../src/translations/types.js';
import { record, settle, waitFor } from '../helpers/frames.js';

/**
 * What every element's outcome boxes must do, whatever the element: each element's
 * `<tag>.outcomes.test.ts` lists how to reach each of its outcomes (through the real protocol of its
 * fake provider), and this suite renders every one in each of the element's languages — inline
 * and in the modal dialog for frame elements — and checks that the box shows the right built-in
 * sentence, has the tone and role docs/outcomes.md gives, has the one structure every element
 * shares, passes axe, and meets WCAG AA contrast (text ≥ 4.5:1, border and icon ≥ 3:1).
 * In Chromium it checks and photographs each in the light and the dark colour scheme
 * (.tmp/outcome-shots/<name>.png); Firefox and WebKit cannot emulate the colour scheme, so there
 * it checks the scheme the browser has.
 */
export interface OutcomeCase {
  /** The outcome slot that shows. */
  slot: string;
  /** Which of the slot's sentences (for a slot with more than one): part of the screenshot's name. */
  cause?: string;
  /** Renders the element into `stage` until `slot` shows, and returns it. */
  render(stage: HTMLElement, modal: boolean): Promise<HTMLElement>;
  /** The built-in text that must show, in `lang`. */
  expected(lang: string): Message;
}

export interface OutcomeSuiteOptions {
  tag: string;
  langs: readonly string[];
  /** Whether the element also has a modal variant (the frame elements). */
  modal: boolean;
  cases: OutcomeCase[];
}

/** The tone table of docs/outcomes.md, `<tag> outcome` → tone: the docs are held to the code here. */
export async function documentedTones(): Promise<Map<string, string>> {
  const doc = await (await fetch('/docs/outcomes.md')).text();
  const tones = new Map<string, string>();
  for (const [, tag, outcome, tone] of doc.matchAll(/^\| `<([a-z-]+)>` \| `([a-z-]+)` \| (success|info|warning|error) \|/gm)) {
    tones.set(`${tag} ${outcome}`, tone!);
  }
  return tones;
}

/**
 * The one structure of an outcome box on every element, with the tone and the slot name
 * abstracted away (attributes sorted): a box, an `aria-hidden` icon, the text around the slot.
 */
export const OUTCOME_SHAPE =
  '<div part=outcome outcome-TONE role=*>' +
  '<svg aria-hidden=true part=outcome-icon viewBox=0 0 24 24><path d=*></path></svg>' +
  '<div part=outcome-text><slot name=*></slot></div>' +
  '</div>';

/** The DOM shape of `node`: tag, sorted attributes (tone, role, slot name and path abstracted), children down to the slot. */
export function shape(node: Element): string {
  const attributes = [...node.attributes]
    .filter((a) => a.name !== 'hidden')
    .map((a) => {
      if (a.name === 'part') return `part=${a.value.replace(/\boutcome-(success|info|warning|error)\b/, 'outcome-TONE')}`;
      return `${a.name}=${['role', 'name', 'd'].includes(a.name) ? '*' : a.value}`;
    })
    .sort();
  // A slot's own children are its fallback content (the sentence, maybe a link), not structure.
  const children = node.localName === 'slot' ? [] : [...node.children];
  return `<${[node.localName, ...attributes].join(' ')}>${children.map(shape).join('')}</${node.localName}>`;
}

export const outcomeBoxes = (el: Element) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="outcome"]')];
export const toneOf = (box: Element) => /\boutcome-(success|info|warning|error)\b/.exec(box.getAttribute('part') ?? '')?.[1];

const messageText = (message: Message) =>
  typeof message === 'string' ? message : message.map((p) => (typeof p === 'string' ? p : p.text)).join('');
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

function parseColor(css: string): [number, number, number, number] {
  const m = /^rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)(?:,\s*(\d*\.?\d+))?\)$/.exec(css);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
}

function luminance(css: string): number {
  const [r, g, b] = parseColor(css).slice(0, 3).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The WCAG 2 contrast ratio of two opaque `rgb()` colours. */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

/** Text ≥ 4.5:1 against the box's (opaque) background, border and icon ≥ 3:1 (WCAG 1.4.3, 1.4.11). */
export function checkContrast(box: HTMLElement, label: string): { color: string; background: string } {
  const style = getComputedStyle(box);
  const background = style.backgroundColor;
  expect(parseColor(background)[3], `${label}: an opaque background`).to.equal(1);
  expect(contrast(style.color, background), `${label}: text ${style.color} on ${background}`).to.be.at.least(4.5);
  for (const side of ['borderLeftColor', 'borderTopColor'] as const) {
    expect(contrast(style[side], background), `${label}: ${side} ${style[side]} on ${background}`).to.be.at.least(3);
  }
  const icon = getComputedStyle(box.querySelector('[part~="outcome-icon"]')!);
  expect(contrast(icon.stroke, background), `${label}: icon ${icon.stroke} on ${background}`).to.be.at.least(3);
  for (const link of box.querySelectorAll('a')) {
    expect(contrast(getComputedStyle(link).color, background), `${label}: link`).to.be.at.least(4.5);
  }
  return { color: style.color, background };
}

/** A frame element appended (and opened when `modal`), ready, then `messages` from its fake provider; resolves once the outcome shows. */
export async function frameOutcome(stage: HTMLElement, el: ProviderFrameElement, modal: boolean, fake: string, messages: unknown[]) {
  const seen = record(el);
  const outcome = waitFor(el, 'provider-outcome');
  const ready = waitFor(el, 'provider-ready');
  stage.append(el);
  if (modal) el.open();
  await ready;
  await settle(el, fake, seen, messages);
  await outcome;
  await el.updateComplete;
  return el;
}

/** A frame element that ends without a message: a load timeout, or a misconfiguration. */
export async function frameError(stage: HTMLElement, el: ProviderFrameElement, modal: boolean) {
  const outcome = waitFor(el, 'provider-outcome');
  stage.append(el);
  if (modal) el.open();
  await outcome;
  await el.updateComplete;
  return el;
}

let stages = 0;

export function runOutcomeSuite({ tag, langs, modal: hasModal, cases }: OutcomeSuiteOptions): void {
  describe(`<${tag}> outcome messages`, () => {
    let documented: Map<string, string>;
    let chromium = false;
    const cleanup: (() => void)[] = [];

    before(async () => {
      documented = await documentedTones();
      // Chromium photographs, and emulates both colour schemes; Firefox and WebKit cannot (the scheme they have).
      chromium = ((await executeServerCommand('finframe-screenshot', { probe: true })) as { capable: boolean }).capable;
      // So that a renamed launcher cannot quietly turn the pictures off where they are promised.
      if (/ Chrome\//.test(navigator.userAgent)) expect(chromium, 'Chromium takes the pictures').to.equal(true);
      if (chromium) await emulateMedia({ colorScheme: 'light' });
    });

    afterEach(() => {
      for (const undo of cleanup.splice(0)) undo();
      // finAPI's loader keeps its script and form in the document: leave none behind.
      unload(document);
    });

    it('renders every outcome docs/outcomes.md documents for it, and no other', () => {
      const mine = [...documented.keys()].filter((k) => k.startsWith(`${tag} `)).map((k) => k.slice(tag.length + 1));
      expect(mine, 'docs/outcomes.md has rows for this element').to.not.deep.equal([]);
      expect([...new Set(cases.map((c) => c.slot))].sort()).to.deep.equal(mine.sort());
    });

    /** The shown box and every box of the element; in Chromium, both colour schemes and their pictures. */
    async function inspect(c: OutcomeCase, lang: string, modal: boolean, el: HTMLElement, stage: HTMLElement) {
      const label = `<${tag}> ${c.slot}${c.cause ? ` (${c.cause})` : ''} ${lang}${modal ? ' modal' : ''}`;
      const all = outcomeBoxes(el);
      // One box per outcome slot, each with the documented tone, the role that goes with it, the shared shape.
      expect(all.map((b) => b.querySelector('slot')?.name).sort(), label).to.deep.equal(
        [...documented.keys()].filter((k) => k.startsWith(`${tag} `)).map((k) => k.slice(tag.length + 1)).sort(),
      );
      for (const box of all) {
        const slot = box.querySelector('slot')!.name;
        expect(shape(box), `${tag} ${slot}`).to.equal(OUTCOME_SHAPE);
        expect(toneOf(box), `${tag} ${slot}: the tone docs/outcomes.md gives`).to.equal(documented.get(`${tag} ${slot}`));
        expect(box.getAttribute('role'), `${tag} ${slot}`).to.equal(toneOf(box) === 'error' ? 'alert' : 'status');
      }
      const shown = all.filter((b) => !b.hidden);
      expect(shown.map((b) => b.querySelector('slot')!.name), label).to.deep.equal([c.slot]);
      const box = shown[0]!;
      expect(squash(box.textContent!), label).to.equal(squash(messageText(c.expected(lang))));
      // `pending` is <flexpay-status>'s slot before there is an outcome.
      expect((el as HTMLElement & { outcome?: string }).outcome ?? null, label).to.equal(c.slot === 'pending' ? null : c.slot);
      if (c.slot !== 'pending') expect(el.matches(`:state(${c.slot})`), label).to.equal(true);
      if (modal) expect(el.shadowRoot!.querySelector('dialog')!.open, `${label}: the dialog closed`).to.equal(false);

      await expect(el).to.be.accessible();
      const name = `${tag}-${c.slot}${c.cause ? `-${c.cause}` : ''}-${lang}`;
      const suffix = modal ? '-modal' : '';
      const light = checkContrast(box, `${label}, light`);
      if (!chromium) return;
      const shot = (await executeServerCommand('finframe-screenshot', { selector: `#${stage.id}`, name: `${name}-light${suffix}` })) as {
        saved: string | null;
      };
      expect(shot.saved, `${label}: a picture`).to.be.a('string');
      await emulateMedia({ colorScheme: 'dark' });
      try {
        expect(matchMedia('(prefers-color-scheme: dark)').matches, 'Chromium emulates the dark scheme').to.equal(true);
        const dark = checkContrast(box, `${label}, dark`);
        expect(dark.background, `${label}: the dark scheme has its own colours`).to.not.equal(light.background);
        const darkShot = (await executeServerCommand('finframe-screenshot', { selector: `#${stage.id}`, name: `${name}-dark${suffix}` })) as {
          saved: string | null;
        };
        expect(darkShot.saved, `${label}: a dark picture`).to.be.a('string');
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    }

    for (const lang of langs) {
      for (const modal of hasModal ? [false, true] : [false]) {
        it(`shows every outcome in ${lang}${hasModal ? (modal ? ', in the modal dialog' : ', inline') : ''}: text, tone, structure, axe, contrast`, async () => {
          for (const c of cases) {
            // A stage the size of a checkout column, in the page's colour scheme, to photograph.
            const stage = document.createElement('div');
            stage.id = `outcome-stage-${++stages}`;
            stage.lang = lang;
            stage.style.cssText = 'width:30rem;padding:12px;background:Canvas;color:CanvasText;color-scheme:light dark;font:16px/1.5 system-ui,sans-serif';
            document.body.append(stage);
            cleanup.push(() => stage.remove());
            const el = await c.render(stage, modal);
            await inspect(c, lang, modal, el, stage);
            stage.remove();
            unload(document);
          }
        }).timeout(120_000);
      }
    }
  });
}
