// The Angular app for the browser tests in test/frameworks/angular/, built the way an Angular app
// without ahead-of-time compilation is: TypeScript with legacy decorators (the folder's own
// tsconfig.json), `@angular/compiler` imported first so components compile just in time in the
// browser, bundled with esbuild once per test run. Angular's development mode is on.
//
//   GET /__angular/app.js    test/frameworks/angular/app.ts bundled for the browser
//   GET /__angular/ssr.js    test/frameworks/angular/ssr-app.ts bundled for the browser (hydration)
//   GET /__angular/ssr.html?p=
//                            ssr-app.ts rendered in Node by @angular/platform-server
//                            (ssr-server.ts, in a child process), with the props in `p` (JSON)
//
// finframe itself is not in the bundle: a test imports src/define.ts when it wants the elements
// defined, so it can also do that after the app has rendered.
import { execFile } from 'node:child_process';
import { build } from 'esbuild';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const HERE = join(ROOT, 'test/frameworks/angular');
export const COMPONENT = 'test/frameworks/angular/flinks-bank-link.component.ts';

/**
 * The component the tests mount is the ```ts snippet docs/frameworks.md shows, character for
 * character: a docs edit not also made to the tested file (or the reverse) fails the bundle, and so the tests.
 */
export async function checkDocumented() {
  const [source, docs] = await Promise.all([readFile(join(ROOT, COMPONENT), 'utf8'), readFile(join(ROOT, 'docs/frameworks.md'), 'utf8')]);
  if (!docs.includes(`\`\`\`ts\n${source}\`\`\``)) {
    throw new Error(`${COMPONENT} is not the \`\`\`ts snippet of docs/frameworks.md, word for word`);
  }
}

export async function bundleAngularApp(entry = 'app.ts') {
  await checkDocumented();
  const out = await build({
    entryPoints: [join(HERE, entry)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    conditions: ['browser', 'development'],
    tsconfig: join(HERE, 'tsconfig.json'),
    logLevel: 'error',
  });
  return out.outputFiles[0].text;
}

/**
 * ssr-server.ts bundled for Node into .tmp/angular-ssr/ (the packages stay imports, resolved from
 * the root's node_modules: the very @angular/platform-server an app's server runs).
 */
export async function bundleAngularServer() {
  await checkDocumented();
  // One file per test-runner process: two runs in one checkout must not import each other's half-written bundle.
  const outfile = join(ROOT, `.tmp/angular-ssr/server-${process.pid}.mjs`);
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(HERE, 'ssr-server.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile,
    tsconfig: join(HERE, 'tsconfig.json'),
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Renders in a child Node process, as the React harness does: Angular's development mode writes
 * to `console`, which the test runner has replaced in this process, and a platform per render
 * stays out of the runner.
 */
export function renderAngular(bundle, props) {
  // Angular's development-mode notes go to console.log: to stderr here, so stdout is the HTML only.
  const script = `console.log = console.error; const { render } = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(await render(JSON.parse(process.argv[1])));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(props)], { cwd: ROOT, maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`Angular server render failed: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

export function angularTestApp() {
  const builds = new Map();
  // Once per run (one request per engine), but a failed build is tried again.
  const once = (key, make) => {
    if (!builds.has(key)) builds.set(key, make().catch((error) => (builds.delete(key), Promise.reject(error))));
    return builds.get(key);
  };
  return {
    name: 'finframe-angular-app',
    async serve(context) {
      if (context.path === '/__angular/app.js') return { body: await once('app', () => bundleAngularApp('app.ts')), type: 'js' };
      if (context.path === '/__angular/ssr.js') return { body: await once('ssr', () => bundleAngularApp('ssr-app.ts')), type: 'js' };
      if (context.path === '/__angular/ssr.html') {
        const props = JSON.parse(context.URL.searchParams.get('p') ?? '{}');
        try {
          return { body: await renderAngular(await once('server', bundleAngularServer), props), type: 'html' };
        } catch (error) {
          return { status: 500, body: String(error?.stack ?? error), type: 'text' };
        }
      }
      return undefined;
    },
  };
}
