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
  ts(),
  terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
];

/** The package's modules: one file per source module, dependencies left to the user's bundler. */
const library = (isDev) => ({
  input: entries,
  external: (id) => id === 'lit' || id.startsWith('lit/') || id === 'zod' || id.startsWith('zod/'),
  plugins: [dev(isDev), ts()],
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

export default [
  library(false),
  library(true),
  {
    input: 'src/define.ts',
    plugins: bundlePlugins(),
    onwarn,
    output: { file: 'dist/cdn/finframe.js', format: 'es', sourcemap: true },
  },
];
