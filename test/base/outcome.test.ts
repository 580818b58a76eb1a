import { expect } from '@open-wc/testing';
import { OutcomeRegions, outcomeCss, type Tone } from '../../src/base/outcome.js';
import '../../src/components/finapi-web-form/define.js';
import '../../src/components/flexpay-status/define.js';
import '../../src/components/flinks-connect/define.js';
import { PROVIDER_ORIGIN, waitFor } from '../helpers/frames.js';
import { OUTCOME_SHAPE, contrast, outcomeBoxes, shape } from '../shared/outcome-suite.js';

/** The shared outcome boxes on their own; each element's `<tag>.outcomes.test.ts` renders them in place. */
describe('OutcomeRegions', () => {
  const mounted: Element[] = [];
  afterEach(() => mounted.splice(0).forEach((el) => el.remove()));

  function host(tones: Record<string, Tone>) {
    const el = document.createElement('div');
    const root = el.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`[hidden]{display:none!important}${outcomeCss}`);
    root.adoptedStyleSheets = [sheet];
    const regions = new OutcomeRegions(tones);
    root.append(...regions.boxes);
    document.body.append(el);
    mounted.push(el);
    return { el, regions, boxes: () => outcomeBoxes(el) };
  }

  it('builds one hidden box per slot, with the shared structure, the tone as a part and the role that goes with it', () => {
    const { boxes } = host({ done: 'success', stopped: 'info', again: 'warning', broken: 'error' });
    expect(boxes().map((b) => [b.querySelector('slot')!.name, b.getAttribute('part'), b.getAttribute('role'), b.hidden])).to.deep.equal([
      ['done', 'outcome outcome-success', 'status', true],
      ['stopped', 'outcome outcome-info', 'status', true],
      ['again', 'outcome outcome-warning', 'status', true],
      ['broken', 'outcome outcome-error', 'alert', true],
    ]);
    for (const box of boxes()) expect(shape(box)).to.equal(OUTCOME_SHAPE);
    // Each tone has its own icon shape: colour is not the only difference.
    expect(new Set(boxes().map((b) => b.querySelector('path')!.getAttribute('d'))).size).to.equal(4);
  });

  it('shows one box at a time, and none', () => {
    const { regions, boxes } = host({ a: 'success', b: 'error' });
    regions.update('b', () => 'text');
    expect(boxes().map((b) => b.hidden)).to.deep.equal([true, false]);
    regions.update(undefined, () => 'text');
    expect(boxes().map((b) => b.hidden)).to.deep.equal([true, true]);
  });

  it('renders built-in text as text, links as <a> in a new tab, and never parses markup', () => {
    const { regions, boxes } = host({ a: 'info', b: 'warning' });
    regions.update('b', (name) => (name === 'a' ? '<img src=x onerror=alert(1)>' : ['Go to ', { href: 'https://example.com/portal', text: 'the portal' }, ' <b>now</b>.']));
    const [a, b] = boxes();
    expect(a!.querySelector('slot')!.textContent).to.equal('<img src=x onerror=alert(1)>');
    expect(a!.querySelector('img')).to.equal(null);
    const link = b!.querySelector('slot a') as HTMLAnchorElement;
    expect([link.href, link.target, link.rel, link.textContent]).to.deep.equal(['https://example.com/portal', '_blank', 'noopener noreferrer', 'the portal']);
    expect(b!.querySelector('b')).to.equal(null);
    expect(b!.textContent).to.equal('Go to the portal <b>now</b>.');
  });

  it('leaves unchanged text alone (a live region re-announces what is rewritten)', () => {
    const { regions, boxes } = host({ a: 'info' });
    regions.update('a', () => ['x ', { href: 'https://example.com/', text: 'y' }]);
    const link = boxes()[0]!.querySelector('a');
    regions.update('a', () => ['x ', { href: 'https://example.com/', text: 'y' }]);
    expect(boxes()[0]!.querySelector('a')).to.equal(link);
    regions.update('a', () => 'z');
    expect(boxes()[0]!.querySelector('slot')!.textContent).to.equal('z');
  });

  it('computes WCAG contrast ratios correctly (the yardstick of the outcome tests)', () => {
    expect(contrast('rgb(0, 0, 0)', 'rgb(255, 255, 255)')).to.be.closeTo(21, 0.001);
    expect(contrast('rgb(255, 255, 255)', 'rgb(255, 255, 255)')).to.equal(1);
    // #767676 on white is the well-known 4.54:1.
    expect(contrast('rgb(118, 118, 118)', 'rgb(255, 255, 255)')).to.be.closeTo(4.54, 0.01);
  });
});

describe('theming the outcome region', () => {
  const mounted: Element[] = [];
  afterEach(() => mounted.splice(0).forEach((el) => el.remove()));

  // One frame element and both non-frame elements, each misconfigured so its error shows at once.
  for (const [tag, setup] of [
    ['flinks-connect', (el: HTMLElement) => el.setAttribute('instance', 'not an instance!')],
    ['finapi-web-form', () => {}],
    ['flexpay-status', (el: HTMLElement) => el.setAttribute('src', `${PROVIDER_ORIGIN}/__flexpay/status`)],
  ] as const) {
    it(`<${tag}> takes its colours, padding, gap and radius from the custom properties set on an ancestor, and exposes ::part(outcome-error) and ::part(outcome-icon)`, async () => {
      const style = document.createElement('style');
      style.textContent = `${tag}::part(outcome-error){outline:3px solid rgb(4, 5, 6);border-left-width:9px} ${tag}::part(outcome-icon){width:40px}`;
      const wrapper = document.createElement('div');
      wrapper.style.cssText =
        '--finframe-error-color: rgb(255, 255, 255); --finframe-error-background: rgb(1, 2, 3); --finframe-error-border: rgb(200, 200, 0); --finframe-outcome-radius: 0px; --finframe-outcome-padding: 7px; --finframe-outcome-gap: 11px';
      const el = document.createElement(tag);
      setup(el);
      const outcome = waitFor(el, 'provider-outcome');
      wrapper.append(el);
      document.head.append(style);
      document.body.append(wrapper);
      mounted.push(wrapper, style);
      await outcome;
      await (el as unknown as { updateComplete: Promise<void> }).updateComplete;
      const box = outcomeBoxes(el).find((b) => !b.hidden)!;
      const computed = getComputedStyle(box);
      expect([computed.color, computed.backgroundColor, computed.borderTopColor]).to.deep.equal(['rgb(255, 255, 255)', 'rgb(1, 2, 3)', 'rgb(200, 200, 0)']);
      expect([computed.borderTopLeftRadius, computed.paddingTop, computed.columnGap]).to.deep.equal(['0px', '7px', '11px']);
      expect([computed.outlineColor, computed.borderLeftWidth]).to.deep.equal(['rgb(4, 5, 6)', '9px']);
      const icon = getComputedStyle(box.querySelector('[part~="outcome-icon"]')!);
      expect([icon.stroke, icon.width]).to.deep.equal(['rgb(200, 200, 0)', '40px']);
    });
  }
});
