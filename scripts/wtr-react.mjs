// React test apps for test/frameworks/react/, bundled with esbuild as a user's app would be
// (the browser tests in npm test run them; nothing else to wire):
//
//   /__react/<app>.js       the app for the browser: `export default` is a small harness
//                           (mount, rerender, unmount, hydrate) around the app's `App`
//   /__react/<app>.html?p=  `App` rendered to a string in Node (`react-dom/server`), with the
//                           props in `p` (JSON): the server half of an SSR test
//
// `<app>` is a file in test/frameworks/react/apps/ (`.tsx` or `.jsx`). Apps whose name starts with
// `react18-` get React 18: `react` and `react-dom` resolve from test/frameworks/react/react18/, its
// own folder with its own node_modules (react-dom 18's peer `react` cannot be the root's React 19),
// for the app, the harness, `finframe/react` and `@lit/react` alike. `finframe/react` is the source
// (src/react/), like every other browser test. Bundles are built once per run.
import { execFile } from 'node:child_process';
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const here = join(root, 'test/frameworks/react');
const react18 = join(here, 'react18');

function appFile(app) {
  if (!/^[a-z0-9-]+$/.test(app)) return undefined;
  for (const ext of ['.tsx', '.jsx']) {
    const file = join(here, 'apps', app + ext);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Resolves `react`, `react-dom` and their subpaths from the React 18 folder. */
const useReact18 = {
  name: 'react18',
  setup(build) {
    build.onResolve({ filter: /^react(-dom)?(\/.*)?$/ }, (args) => {
      if (args.pluginData === 'react18') return undefined;
      return build.resolve(args.path, { resolveDir: react18, kind: args.kind, pluginData: 'react18' });
    });
  },
};

/** `finframe/react` and `finframe/<tag>/define.js` are the sources in src/. */
const finframeSources = {
  name: 'finframe-sources',
  setup(build) {
    build.onResolve({ filter: /^finframe\/react$/ }, () => ({ path: join(root, 'src/react/index.ts') }));
    build.onResolve({ filter: /^finframe\/[a-z-]+\/define\.js$/ }, (args) => ({
      path: join(root, 'src/components', args.path.split('/')[1], 'define.ts'),
    }));
  },
};

/**
 * Apps that render a snippet the docs show: the snippet must be the file, character for character,
 * in each of those documents (a docs edit not made to the tested file, or the reverse, fails the
 * bundle and so the tests).
 */
const DOCUMENTED = {
  'nextjs-client': { file: 'test/frameworks/nextjs/connect-bank.tsx', fence: 'tsx', in: ['docs/frameworks.md', 'README.md'] },
};

export function checkDocumented(app) {
  const snippet = DOCUMENTED[app];
  if (!snippet) return;
  const source = readFileSync(join(root, snippet.file), 'utf8');
  for (const doc of snippet.in) {
    if (!readFileSync(join(root, doc), 'utf8').includes(`\`\`\`${snippet.fence}\n${source}\`\`\``)) {
      throw new Error(`${snippet.file} is not the \`\`\`${snippet.fence} snippet of ${doc}, word for word`);
    }
  }
}

const common = (app) => ({
  bundle: true,
  format: 'esm',
  write: false,
  logLevel: 'silent',
  jsx: 'automatic',
  target: 'es2022',
  tsconfig: join(root, 'tsconfig.json'),
  plugins: [finframeSources, ...(app.startsWith('react18-') ? [useReact18] : [])],
});

async function browserBundle(app, file) {
  checkDocumented(app);
  const result = await esbuild.build({
    ...common(app),
    stdin: {
      contents: `import { App } from ${JSON.stringify(file)};\nimport { harness } from './harness.tsx';\nexport default harness(App);\n`,
      resolveDir: here,
      loader: 'ts',
    },
    platform: 'browser',
    // React's development build: its hydration warnings are what the SSR tests listen for.
    define: { 'process.env.NODE_ENV': '"development"' },
  });
  return result.outputFiles[0].text;
}

async function serverRenderer(app, file) {
  checkDocumented(app);
  const out = join(root, '.tmp/react-ssr', `${app}.mjs`);
  mkdirSync(dirname(out), { recursive: true });
  await esbuild.build({
    ...common(app),
    stdin: {
      contents: `import { App } from ${JSON.stringify(file)};\nimport { createElement } from 'react';\nimport { renderToString } from 'react-dom/server';\nexport const render = (props) => renderToString(createElement(App, props));\n`,
      resolveDir: here,
      loader: 'ts',
    },
    platform: 'node',
    // react-dom/server is CommonJS and requires Node built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    write: true,
    outfile: out,
    define: { 'process.env.NODE_ENV': '"development"' },
  });
  return out;
}

/**
 * Renders in a child Node process: React's development build writes to `console`, which the test
 * runner's own terminal has replaced in this process.
 */
function renderIn(bundle, props) {
  const script = `const { render } = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(render(JSON.parse(process.argv[1])));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(props)], { maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`server render failed: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

export function reactTestApps() {
  const bundles = new Map();
  const renderers = new Map();
  const once = (cache, key, make) => {
    if (!cache.has(key)) cache.set(key, make().catch((error) => (cache.delete(key), Promise.reject(error))));
    return cache.get(key);
  };
  return {
    name: 'finframe-react-apps',
    async serve(context) {
      const match = /^\/__react\/([a-z0-9-]+)\.(js|html)$/.exec(context.path);
      if (!match) return undefined;
      const [, app, kind] = match;
      const file = appFile(app);
      if (!file) return { status: 404, body: 'no such app', type: 'text' };
      if (kind === 'js') return { body: await once(bundles, app, () => browserBundle(app, file)), type: 'js' };
      const bundle = await once(renderers, app, () => serverRenderer(app, file));
      const props = JSON.parse(new URL(context.url, 'http://x').searchParams.get('p') ?? '{}');
      return { body: await renderIn(bundle, props), type: 'html' };
    },
  };
}
