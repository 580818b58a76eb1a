import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import ts from 'typescript';

/**
 * `cem analyze` settings. The analyzer also guesses events from `dispatchEvent(new X(...))`
 * calls and members from `this.#root.adoptedStyleSheets`; the documented `@event` tags are the
 * truth, so the guesses are dropped here.
 */
const EVENT = /^[a-z]+(-[a-z]+)+$/;
const FORM_CALLBACKS = ['formAssociatedCallback', 'formResetCallback', 'formDisabledCallback', 'formStateRestoreCallback'];

/** Whether a source module has JavaScript at run time: a type-only one (`src/events/details.ts`) is published as its `.d.ts` alone. */
const emitsJs = new Map();
function hasRuntime(source) {
  if (!emitsJs.has(source)) {
    const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, removeComments: true },
    });
    emitsJs.set(source, outputText.replace(/export\s*\{\s*\};?/g, '').trim() !== '');
  }
  return emitsJs.get(source);
}

/**
 * The published file of a module the analyzer names by its source: `src/a/b.ts`, `/src/a/b.js`
 * (a `customElements.define` reference) or `./b.js` relative to the module `from` (a re-export)
 * become `dist/a/b.js`, or `dist/a/b.d.ts` for a type-only module. Package specifiers stay.
 */
function publishedPath(ref, from) {
  let path = ref;
  if (path.startsWith('/src/')) path = path.slice(1);
  else if (path.startsWith('./') || path.startsWith('../')) path = posix.join(posix.dirname(from), path);
  if (!path.startsWith('src/')) return ref;
  const stem = path.replace(/\.(ts|js)$/, '');
  return `dist/${stem.slice('src/'.length)}${hasRuntime(`${stem}.ts`) ? '.js' : '.d.ts'}`;
}

/** Rewrites every `module` reference below `node` (exports, superclasses, `inheritedFrom`) to its published file. */
function rewriteReferences(node, from) {
  if (Array.isArray(node)) for (const item of node) rewriteReferences(item, from);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'module' && typeof value === 'string') node.module = publishedPath(value, from);
      else rewriteReferences(value, from);
    }
  }
}

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
          // The manifest describes the package as published: tools that generate wrappers or types
          // from it import these paths, and src/ is not in the package.
          rewriteReferences(mod, mod.path);
          mod.path = publishedPath(mod.path, mod.path);
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
