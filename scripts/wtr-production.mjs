// The production build, for browser tests that replay attacks against the code a shop ships: every
// element registered (src/define.ts), `__FINFRAME_DEV__` false as in dist/ and dist/cdn/, bundled and
// minified with esbuild from src/ on each request (never a possibly stale dist/).
//
//   GET /__finframe-production/finframe.js
//
// A test file that imports it must import nothing that registers the src elements: one test file
// is one page, and both would define the same tags.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PRODUCTION_BUILD_PATH = '/__finframe-production/finframe.js';

/**
 * package.json's `sideEffects` names the define files of dist/, not of src/, so esbuild would drop
 * `import './components/…/define.js'` from src/define.ts as side-effect free.
 */
const defineHasSideEffects = {
  name: 'finframe-define-side-effects',
  setup(build) {
    build.onResolve({ filter: /\/define\.js$/ }, (args) => ({
      path: join(args.resolveDir, args.path.replace(/\.js$/, '.ts')),
      sideEffects: true,
    }));
  },
};

export function productionBuildPlugin() {
  return {
    name: 'finframe-production-build',
    async serve(context) {
      if (context.path !== PRODUCTION_BUILD_PATH) return undefined;
      const out = await build({
        entryPoints: [join(ROOT, 'src/define.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        minify: true,
        write: false,
        define: { __FINFRAME_DEV__: 'false' },
        tsconfig: join(ROOT, 'tsconfig.json'),
        logLevel: 'error',
        plugins: [defineHasSideEffects],
      });
      return { body: out.outputFiles[0].text, type: 'js' };
    },
  };
}
