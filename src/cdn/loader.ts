/**
 * `dist/cdn/loader.js`: registers each finframe tag when it first appears in the document, and
 * loads only that element's code (its chunk and the one shared chunk, fetched together).
 *
 * What theme platforms ask of a script every page loads (docs/install.md#the-loader):
 * - Small: this file imports nothing; the table of chunks is written into it by the build.
 * - Chunks are found next to this file (`import.meta.url`), never through an import map, which
 *   belongs to the theme. A `?v=…` on the loader's URL (Shopify's cache buster) is not carried
 *   over: the chunks' names are content-hashed instead.
 * - Plain ES module: no global `define`, so a RequireJS page (Magento's Luma) is not disturbed.
 * - Idempotent: a theme, an app embed and an app block may each load it, from different URLs
 *   (that is, as different modules): the first copy watches, the others do nothing; and a tag
 *   that is already defined (by `finframe.js`, or by the page's own bundle) is never loaded again.
 */

/** Tag → the files it needs, relative to this file; replaced by the build with a literal object. */
declare const __FINFRAME_CHUNKS__: Readonly<Record<string, readonly string[]>>;

const globals = globalThis as unknown as Record<symbol, unknown>;
const KEY = Symbol.for('finframe.loader');

if (typeof document !== 'undefined' && !globals[KEY]) {
  globals[KEY] = true;
  const chunks = __FINFRAME_CHUNKS__;
  /** Tags not yet defined nor being loaded. */
  const pending = new Set(Object.keys(chunks));

  const load = (tag: string): void => {
    pending.delete(tag);
    Promise.all(chunks[tag]!.map((file) => import(new URL(file, import.meta.url).href))).catch((error: unknown) => {
      // A failed fetch (offline, a CSP that forbids the host): the next appearance of the tag tries again.
      pending.add(tag);
      observer.observe(document, { childList: true, subtree: true });
      console.error(`[finframe] <${tag}> could not be loaded:`, error);
    });
  };

  /** Loads each pending tag found at or under `node`; stops watching once nothing is left. */
  const scan = (node: Element): void => {
    for (const tag of pending) {
      if (customElements.get(tag)) pending.delete(tag);
      else if (node.localName === tag || node.querySelector(tag)) load(tag);
    }
    if (!pending.size) observer.disconnect();
  };

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node.nodeType === 1 && pending.size) scan(node as Element);
    }
  });
  // The whole document, parsed or added later (a theme editor's re-rendered section, a cart drawer).
  observer.observe(document, { childList: true, subtree: true });
  scan(document.documentElement);
}
