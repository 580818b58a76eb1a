import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

/** `finframe/react`: one module per component, `react` and `@lit/react` left to the user's bundler. */
export const reactEntries = {
  'react/index': 'src/react/index.ts',
  'react/flinks-connect': 'src/react/flinks-connect.ts',
  'react/flexiti-widget': 'src/react/flexiti-widget.ts',
  'react/benji-connect': 'src/react/benji-connect.ts',
  'react/finapi-web-form': 'src/react/finapi-web-form.ts',
  'react/flexpay-status': 'src/react/flexpay-status.ts',
};

/** `finframe/server`: Fetch-API handlers for providers' server-to-server callbacks (Node ≥ 20, edge runtimes). */
export const serverEntries = {
  'server/index': 'src/server/index.ts',
  'server/sqlite': 'src/server/sqlite.ts',
  'server/postgres': 'src/server/postgres.ts',
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
  input: { ...entries, ...reactEntries },
  external: (id) => /^(lit|zod|react|@lit\/react)(\/|$)/.test(id),
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

/** The server entries: Node built-ins, zod, jose, better-sqlite3 and pg stay imports. */
const server = {
  input: serverEntries,
  external: (id) => id.startsWith('node:') || /^(zod|jose|better-sqlite3|pg)(\/|$)/.test(id),
  plugins: [ts()],
  output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
};

/** The tags the loader knows, in the order of `src/define.ts`. */
export const CDN_TAGS = ['flinks-connect', 'flexiti-widget', 'benji-connect', 'finapi-web-form', 'flexpay-status'];

/**
 * The loader's chunks: a module that two or more elements import goes into the one `shared` chunk;
 * the rest of an element's code stays in its own chunk. (Rollup alone would make a chunk per
 * combination of elements, and a page would fetch several small files in a waterfall.)
 */
function sharedChunk() {
  let owners;
  return (id, { getModuleInfo }) => {
    if (!owners) {
      owners = new Map();
      for (const tag of CDN_TAGS) {
        const seen = new Set();
        const queue = [resolve(`src/components/${tag}/define.ts`)];
        while (queue.length) {
          const next = queue.pop();
          if (seen.has(next)) continue;
          seen.add(next);
          owners.set(next, (owners.get(next) ?? 0) + 1);
          queue.push(...(getModuleInfo(next)?.importedIds ?? []));
        }
      }
    }
    return owners.get(id) > 1 ? 'shared' : undefined;
  };
}

/**
 * Writes the table of chunks into the loader (which imports nothing, so rollup does not know
 * which files each tag needs): tag → the element's chunk and the chunks it imports, fetched
 * together so that a page waits for one round trip after the loader, not a waterfall.
 */
function loaderTable() {
  return {
    name: 'finframe-loader-table',
    generateBundle(_options, bundle) {
      const loader = bundle['loader.js'];
      const table = {};
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk' || !file.isEntry || file.name === 'loader') continue;
        table[file.name] = [file.fileName, ...file.imports];
      }
      const placeholder = /(["'`])?__FINFRAME_CHUNKS__\1/;
      if (!placeholder.test(loader.code)) throw new Error('loader.js: the chunk table placeholder is missing');
      loader.code = loader.code.replace(placeholder, JSON.stringify(table));
    },
  };
}

/**
 * `dist/cdn/integrity.json`: `{"file.js": "sha384-…"}` for every file of dist/cdn/ (written after
 * the last CDN build, so it covers finframe.js too). The integration packages copy the files it lists.
 */
function integrityFile(dir) {
  return {
    name: 'finframe-cdn-integrity',
    writeBundle() {
      const hashes = {};
      for (const file of readdirSync(dir).sort()) {
        if (!file.endsWith('.js')) continue;
        hashes[file] = `sha384-${createHash('sha384').update(readFileSync(join(dir, file))).digest('base64')}`;
      }
      writeFileSync(join(dir, 'integrity.json'), `${JSON.stringify(hashes, null, 2)}\n`);
    },
  };
}

/**
 * `dist/cdn/`: one flat folder of `.js` files (no source maps, no subfolders), as theme platforms
 * require. `loader.js` keeps its name (the theme references it, and Shopify adds `?v=` to it); the
 * chunks are named `<tag>-<hash>.js` and `shared-<hash>.js` by content, so a cache that still holds
 * an old chunk can never pair it with a new loader or a new shared chunk (a chunk's hash covers
 * the names of what it imports).
 */
export const cdnConfig = ({ integrity = true } = {}) => ({
  input: { loader: 'src/cdn/loader.ts', ...Object.fromEntries(CDN_TAGS.map((tag) => [tag, `src/components/${tag}/define.ts`])) },
  plugins: [...bundlePlugins(), loaderTable(), ...(integrity ? [integrityFile('dist/cdn')] : [])],
  onwarn,
  output: {
    dir: 'dist/cdn',
    format: 'es',
    entryFileNames: (chunk) => (chunk.name === 'loader' ? 'loader.js' : '[name]-[hash].js'),
    chunkFileNames: '[name]-[hash].js',
    hashCharacters: 'hex',
    manualChunks: sharedChunk(),
    sourcemap: false,
  },
});

const configs = [
  library(false),
  library(true),
  server,
  {
    input: 'src/define.ts',
    plugins: bundlePlugins(),
    onwarn,
    output: { file: 'dist/cdn/finframe.js', format: 'es', sourcemap: false },
  },
  // After finframe.js: its integrity.json covers every file of dist/cdn/.
  cdnConfig(),
];

/** `FINFRAME_ONLY=server rollup -c` builds only the server entries (quick iteration). */
export default process.env.FINFRAME_ONLY === 'server' ? [server] : configs;
