// The Angular app for the browser tests in test/frameworks/angular/, built the way an Angular app
// without ahead-of-time compilation is: TypeScript with legacy decorators (the folder's own
// tsconfig.json), `@angular/compiler` imported first so components compile just in time in the
// browser, bundled with esbuild once per test run. Angular's development mode is on.
//
//   GET /__angular/app.js   test/frameworks/angular/app.ts bundled for the browser
//
// finframe itself is not in the bundle: a test imports src/define.ts when it wants the elements
// defined, so it can also do that after the app has rendered.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

export async function bundleAngularApp() {
  await checkDocumented();
  const out = await build({
    entryPoints: [join(HERE, 'app.ts')],
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

export function angularTestApp() {
  let bundled;
  return {
    name: 'finframe-angular-app',
    async serve(context) {
      if (context.path !== '/__angular/app.js') return undefined;
      // Once per run (one request per engine), but a failed build is tried again.
      bundled ??= bundleAngularApp().catch((error) => {
        bundled = undefined;
        throw error;
      });
      return { body: await bundled, type: 'js' };
    },
  };
}
