import { outcomeCss } from './outcome.js';

/** What every finframe element's shadow root starts with: the host, hidden parts, the loading and outcome regions. */
export const baseCss = `
:host{display:block;position:relative}
:host([hidden]),[hidden]{display:none!important}
[part~=loading]{padding:.75rem 0}
${outcomeCss}
`;
// `[hidden]` carries !important so that a page's ::part() rule cannot show a hidden part again.

/** The frame elements' styles: the base, the frame, the modal dialog. */
export const providerFrameCss = `${baseCss}
iframe{display:block;box-sizing:border-box;width:100%;height:var(--frame-height,600px);border:0}
dialog{box-sizing:border-box;width:min(100vw - 2rem,32rem);max-height:calc(100vh - 2rem);padding:0;border:0;border-radius:.5rem;overflow:auto}
dialog::backdrop{background:rgb(0 0 0/.5)}
dialog iframe{height:min(var(--frame-height,600px),calc(100vh - 5rem))}
[part~=close-button]{display:block;margin:.25rem .25rem 0 auto;min-width:2.75rem;min-height:2.75rem;border:0;background:none;font:inherit;font-size:1.5rem;line-height:1;cursor:pointer}
`;

const sheets = new Map<string, CSSStyleSheet>();

/** An open shadow root on `host` that adopts `css`: one constructed sheet per page for each stylesheet. */
export function attachStyledShadow(host: HTMLElement, css: string): ShadowRoot {
  const root = host.attachShadow({ mode: 'open' });
  let sheet = sheets.get(css);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    sheets.set(css, sheet);
  }
  root.adoptedStyleSheets = [sheet];
  return root;
}
