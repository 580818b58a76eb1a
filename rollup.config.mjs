import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

/** Every public entry: `.`, `./define.js`, and per element a pure entry and a define entry. */
export const entries = {
  index: 'src/index.ts',
  define: 'src/define.ts',
  'components/flinks-connect/flinks-connect': 'src/components/flinks-connect/flinks-connect.ts',
  'components/flinks-connect/define': 'src/components/flinks-connect/define.ts',
  'components/flexiti-widget/flexiti-widget': 'src/components/flexiti-widget/flexiti-widget.ts',
  'components/flexiti-widget/define': 'src/components/flexiti-widget/define.ts',
  'components/benji-connect/benji-connect': 'src/components/benji-connect/benji-connect.ts',
  'components/benji-connect/define': 'src/components/benji-connect/define.ts',
  'components/finapi-web-form/finapi-web-form': 'src/components/finapi-web-form/finapi-web-form.ts',
  'components/finapi-web-form/define': 'src/components/finapi-web-form/define.ts',
  'components/flexpay-status/flexpay-status': 'src/components/flexpay-status/flexpay-status.ts',
  'components/flexpay-status/define': 'src/components/flexpay-status/define.ts',
};

/** `finframe/server`: Fetch-API handlers for providers' server-to-server callbacks (Node ≥ 20, edge runtimes). */
export const serverEntries = {
  'server/index': 'src/server/index.ts',
  'server/sqlite': 'src/server/sqlite.ts',
  'server/node': 'src/server/node.ts',
};

const ts = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', sourceMap: true });
const dev = (value) =>
  replace({ preventAssignment: true, values: { __FINFRAME_DEV__: JSON.stringify(value) } });

/** Minified with every dependency inlined: what a page really downloads. Used by the CDN build and `npm run bench`. */
export const bundlePlugins = () => [
  dev(false),
  // lit-html's "node" build is the browser build plus a guard for a missing `document`, so the
  // bundle can also be imported during server-side rendering without throwing.
  nodeResolve({ exportConditions: ['node'] }),
  // finAPI's loader (@finapi/web-form) is published as CommonJS only.
  commonjs(),
  ts(),
  terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
];

/** The package's modules: one file per source module, dependencies left to the user's bundler. */
const library = (isDev) => ({
  input: entries,
  external: (id) => id === 'lit' || id.startsWith('lit/') || id === 'zod' || id.startsWith('zod/'),
  // finAPI's loader is CommonJS: it is inlined, so dist/ stays plain ES modules.
  plugins: [dev(isDev), nodeResolve({ resolveOnly: ['@finapi/web-form'] }), commonjs(), ts()],
  output: {
    dir: isDev ? 'dist/dev' : 'dist',
    format: 'es',
    preserveModules: true,
    preserveModulesRoot: 'src',
    sourcemap: true,
  },
});

/** Circular imports and comment placement inside zod are its own business. */
export const onwarn = (warning, warn) => {
  if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules'))) return;
  if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
  warn(warning);
};

/** The server entries: Node built-ins, zod, jose and better-sqlite3 stay imports. */
const server = {
  input: serverEntries,
  external: (id) => id.startsWith('node:') || /^(zod|jose|better-sqlite3)(\/|$)/.test(id),
  plugins: [ts()],
  output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
};

const configs = [
  library(false),
  library(true),
  server,
  {
    input: 'src/define.ts',
    plugins: bundlePlugins(),
    onwarn,
    output: { file: 'dist/cdn/finframe.js', format: 'es', sourcemap: true },
  },
];

/** `FINFRAME_ONLY=server rollup -c` builds only the server entries (quick iteration). */
export default process.env.FINFRAME_ONLY === 'server' ? [server] : configs;
