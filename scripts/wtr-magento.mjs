// The browser tests' Magento store, as far as one can exist here: pages rendered by the Magento
// module's own blocks and templates through `php test/magento/render.php` (the stubs stand in for
// Magento), and the module's static files. Nothing here reaches the internet.
//
//   GET /__magento/page?spec=JSON                 a whole storefront page around the rendered blocks
//                                                 (spec as render.php takes it)
//   GET /__magento/static/Finframe_Elements/js/F  the module's script F as a deployed store serves
//                                                 it: view/frontend/web/js/F, which `npm run build`
//                                                 copies from dist/cdn/ (npm test builds first)
//
// The page loads /demo/allow-loopback.js before the module script: test scaffolding, because the
// fake providers answer on loopback, which the production build refuses without the opt-in.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STATIC = '/__magento/static';

function renderBlocks(spec) {
  return new Promise((resolve, reject) => {
    const php = spawn('php', [join(ROOT, 'test/magento/render.php')]);
    let out = '';
    let err = '';
    php.stdout.on('data', (chunk) => (out += chunk));
    php.stderr.on('data', (chunk) => (err += chunk));
    php.on('error', (error) => reject(new Error(`php could not run (${error.message}): \`bash .ci/run\` installs Debian's php-cli`)));
    php.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`render.php: ${err}`))));
    php.stdin.end(JSON.stringify(spec));
  });
}

export function magentoTestServer() {
  return {
    name: 'finframe-magento',
    async serve(context) {
      if (context.path === '/__magento/page') {
        const spec = { ...JSON.parse(String(context.query.spec)), staticBase: STATIC };
        let blocks;
        try {
          blocks = await renderBlocks(spec);
        } catch (error) {
          // Shown to the test, which fails with it (never a silent skip).
          const text = String(error.message).replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'));
          return { body: `<!doctype html><title>render failed</title><pre id="render-error">${text}</pre>`, type: 'html' };
        }
        const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A Magento page</title>
<script src="/demo/allow-loopback.js"></script>
</head><body class="cms-page-view">
<main id="maincontent">${blocks}</main>
</body></html>`;
        return { body, type: 'html', headers: { 'Cache-Control': 'no-store' } };
      }
      // The loader (Loader::ENTRY) and the chunks it imports beside it: flat names only.
      const file = /^\/__magento\/static\/Finframe_Elements\/js\/([a-z0-9-]+\.js)$/.exec(context.path)?.[1];
      if (file) {
        try {
          const body = await readFile(join(ROOT, 'integrations/magento/view/frontend/web/js', file), 'utf8');
          return { body, type: 'js', headers: { 'Cache-Control': 'no-store' } };
        } catch {
          return undefined; // not in the module: the test server's 404 (run npm run build)
        }
      }
      return undefined;
    },
  };
}
