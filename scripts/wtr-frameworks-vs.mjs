// Real Vue 3 and Svelte 5 apps for the browser tests in test/frameworks/vue/ and test/frameworks/svelte/,
// built the way an app's bundler would build them: `.vue` single-file components compiled by
// @vue/compiler-sfc with the `isCustomElement` setting docs/frameworks.md shows for Vite and Nuxt,
// `.svelte` components by svelte/compiler, then bundled with esbuild, on each request (never stale). Development builds: the frameworks' own
// warnings (hydration mismatches among them) are on.
//
//   GET /__frameworks-vs/vue.js       test/frameworks/vue/app.ts bundled for the browser
//   GET /__frameworks-vs/svelte.js    test/frameworks/svelte/app.ts bundled for the browser
//   GET /__frameworks-vs/vue-ssr?…    the same components rendered to HTML in Node (vue/server-renderer)
//   GET /__frameworks-vs/svelte-ssr?… the same with svelte/server's render
//   GET /__frameworks-vs/nuxt.js, /__frameworks-vs/nuxt-ssr?…  the Nuxt component of
//                                     test/frameworks/nuxt/, the same way as Vue's (Nuxt itself is not run)
//
// The SSR endpoints take the component's props as query parameters (`src`) and answer
// `{"html": "…"}`. finframe itself is not in these bundles: a test imports src/define.ts when it
// wants the elements defined, so it can also do that after the app has rendered.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileScript, parse } from 'vue/compiler-sfc';
import { compile, compileModule } from 'svelte/compiler';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PREFIX = '/__frameworks-vs/';

/**
 * finframe's tags are custom elements, not Vue components: the setting docs/frameworks.md shows for
 * Vite (`vue({ template: { compilerOptions: { isCustomElement } } })`) and Nuxt, word for word. Not
 * `tag.includes('-')`: that would also catch kebab-case Vue components such as `<router-view>`.
 */
export const FINFRAME_TAGS = ['flinks-connect', 'flexiti-widget', 'benji-connect', 'finapi-web-form', 'flexpay-status'];
const isCustomElement = (tag) => FINFRAME_TAGS.includes(tag);

/** `.vue` → JavaScript: script setup with the template inlined, for the browser or for server rendering. */
function vuePlugin(ssr) {
  return {
    name: 'finframe-vue-sfc',
    setup(b) {
      b.onLoad({ filter: /\.vue$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        // Like @vitejs/plugin-vue: the template is parsed with the compiler options too (the tag type is decided when parsing).
        const { descriptor, errors } = parse(source, { filename: args.path, templateParseOptions: { isCustomElement } });
        if (errors.length) return { errors: errors.map((e) => ({ text: String(e.message ?? e) })) };
        const id = createHash('sha256').update(args.path).digest('hex').slice(0, 8);
        const script = compileScript(descriptor, {
          id,
          inlineTemplate: true,
          templateOptions: { ssr, compilerOptions: { isCustomElement } },
        });
        const lang = descriptor.scriptSetup?.lang ?? descriptor.script?.lang;
        return { contents: script.content, loader: lang === 'ts' ? 'ts' : 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** `.svelte` components and `.svelte.js` modules (runes outside components) → JavaScript. */
function sveltePlugin(generate) {
  return {
    name: 'finframe-svelte',
    setup(b) {
      b.onLoad({ filter: /\.svelte$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const out = compile(source, { filename: args.path, generate, dev: true });
        return { contents: out.js.code, loader: 'js', resolveDir: dirname(args.path), warnings: out.warnings.map((w) => ({ text: w.message })) };
      });
      b.onLoad({ filter: /\.svelte\.js$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const out = compileModule(source, { filename: args.path, generate, dev: true });
        return { contents: out.js.code, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

const VUE_DEFINES = {
  'process.env.NODE_ENV': '"development"',
  __VUE_OPTIONS_API__: 'true',
  __VUE_PROD_DEVTOOLS__: 'false',
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'true',
};

/**
 * The component each test mounts is the snippet docs/frameworks.md shows, character for character:
 * a docs edit that is not also made to the tested file (or the reverse) fails the build, and so the tests.
 */
const DOCUMENTED = {
  vue: { file: 'test/frameworks/vue/FlinksBankLink.vue', fence: 'vue' },
  svelte: { file: 'test/frameworks/svelte/FlinksBankLink.svelte', fence: 'svelte' },
  // The Nuxt component: a Vue SFC, compiled the same way (Nuxt compiles with @vitejs/plugin-vue).
  nuxt: { file: 'test/frameworks/nuxt/FlinksSessionLink.vue', fence: 'vue' },
};

async function checkDocumented(framework) {
  const { file, fence } = DOCUMENTED[framework];
  const [source, docs] = await Promise.all([readFile(join(ROOT, file), 'utf8'), readFile(join(ROOT, 'docs/frameworks.md'), 'utf8')]);
  if (!docs.includes(`\`\`\`${fence}\n${source}\`\`\``)) {
    throw new Error(`${file} is not the \`\`\`${fence} snippet of docs/frameworks.md, word for word`);
  }
}

async function bundle(entry, { server, framework }) {
  await checkDocumented(framework);
  const vue = framework !== 'svelte';
  const plugins = vue ? [vuePlugin(server)] : [sveltePlugin(server ? 'server' : 'client')];
  const out = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    format: 'esm',
    platform: server ? 'node' : 'browser',
    target: 'es2022',
    write: false,
    define: vue ? VUE_DEFINES : { 'process.env.NODE_ENV': '"development"' },
    conditions: server ? ['node', 'development'] : ['browser', 'development'],
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'error',
    plugins,
  });
  return out.outputFiles[0].text;
}

/** Bundles the SSR entry for Node, imports it from a temporary file, and calls its `renderApp(props)`. */
async function renderOnServer(framework, props) {
  const code = await bundle(`test/frameworks/${framework}/ssr.ts`, { server: true, framework });
  const dir = join(ROOT, '.tmp', 'frameworks-vs');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${framework}-ssr-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`);
  await writeFile(file, code);
  try {
    const mod = await import(pathToFileURL(file).href);
    return await mod.renderApp(props);
  } finally {
    await rm(file, { force: true });
  }
}

export function frameworksVsPlugin() {
  return {
    name: 'finframe-frameworks-vue-svelte',
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      const name = context.path.slice(PREFIX.length);
      const client = /^(vue|svelte|nuxt)\.js$/.exec(name);
      if (client) {
        return { body: await bundle(`test/frameworks/${client[1]}/app.ts`, { server: false, framework: client[1] }), type: 'js' };
      }
      const ssr = /^(vue|svelte|nuxt)-ssr$/.exec(name);
      if (ssr) {
        const props = Object.fromEntries(new URL(context.url, 'http://localhost').searchParams);
        const html = await renderOnServer(ssr[1], props);
        return { body: JSON.stringify({ html }), type: 'json' };
      }
      return undefined;
    },
  };
}
