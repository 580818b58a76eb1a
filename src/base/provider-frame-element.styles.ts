import { outcomeCss } from './outcome.js';

/** What every finframe element's shadow root starts with: the host, hidden parts, the loading and outcome regions. */
export const baseCss = `
:host{display:block;position:relative}
:host([hidden]),[hidden]{display:none!important}
[part~=loading]{padding:.75rem 0}
${outcomeCss}
`;
// `[hidden]` carries !important so that a page's ::part() rule cannot show a hidden part again.

/**
 * The frame elements' styles: the base, the frame, the modal dialog. `frameHeight` is the element's
 * default `--frame-height` (a fallback, so a value set on the element or any ancestor wins).
 *
 * The dialog is a column: a bar with the close button that never scrolls, and below it the frame
 * area, which scrolls when the frame is taller than the viewport allows (a Tab stop of its own, so
 * the keyboard scrolls it too). The frame keeps its full height there, so the provider's own
 * controls are reached by scrolling that area, and the close button stays in view and reachable by
 * keyboard (Escape stops reaching the dialog once focus is inside the provider's cross-origin frame).
 */
export const providerFrameCss = (frameHeight: string): string => `${baseCss}
iframe{display:block;box-sizing:border-box;width:100%;height:var(--frame-height,${frameHeight});border:0}
dialog{box-sizing:border-box;width:min(100vw - 2rem,32rem);max-width:none;max-height:calc(100vh - 2rem);max-height:calc(100dvh - 2rem);padding:0;border:0;border-radius:.5rem;overflow:hidden}
dialog[open]{display:flex;flex-direction:column}
dialog::backdrop{background:rgb(0 0 0/.5)}
.bar{flex:none;display:flex;justify-content:flex-end;padding:.25rem;border-bottom:1px solid rgb(127 127 127/.35)}
.body{flex:auto;min-height:0;overflow:auto;overscroll-behavior:contain}
[part~=close-button]{min-width:2.75rem;min-height:2.75rem;margin:0;padding:0;border:0;border-radius:.25rem;background:none;color:inherit;font:inherit;font-size:1.5rem;line-height:1;cursor:pointer}
[part~=close-button]:hover{background:rgb(127 127 127/.15)}
[part~=close-button]:focus-visible,.body:focus-visible{outline:2px solid currentColor;outline-offset:-2px}
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
