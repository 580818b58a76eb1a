/**
 * `cem analyze` settings. The analyzer also guesses events from `dispatchEvent(new X(...))`
 * calls and members from `this.#root.adoptedStyleSheets`; the documented `@event` tags are the
 * truth, so the guesses are dropped here.
 */
const EVENT = /^[a-z]+(-[a-z]+)+$/;
const FORM_CALLBACKS = ['formAssociatedCallback', 'formResetCallback', 'formDisabledCallback', 'formStateRestoreCallback'];

export default {
  globs: ['src/**/*.ts'],
  // The CDN loader declares nothing: it is a build artefact's source, not part of the API.
  // finframe/react's wrappers are React components, not elements: their types live in dist/react/.
  exclude: ['src/server/**', 'src/cdn/**', 'src/react/**'],
  outdir: '.',
  // Never rewrite package.json's customElements field (--outdir would point it at a temp dir).
  packagejson: false,
  plugins: [
    {
      name: 'finframe-tidy',
      packageLinkPhase({ customElementsManifest }) {
        // The analyzer's module order depends on file-system timing; sort so regeneration is stable.
        customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (decl.events) decl.events = decl.events.filter((e) => EVENT.test(e.name ?? ''));
            // The form-associated lifecycle callbacks are the browser's to call, like connectedCallback (which the analyzer drops).
            if (decl.members) decl.members = decl.members.filter((m) => m.name !== 'adoptedStyleSheets' && !FORM_CALLBACKS.includes(m.name));
            if (decl.attributes) {
              const seen = new Set();
              decl.attributes = decl.attributes.filter((a) => !seen.has(a.name) && seen.add(a.name));
            }
          }
        }
      },
    },
  ],
};
