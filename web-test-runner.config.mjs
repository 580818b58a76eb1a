import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter } from '@web/test-runner';
import { chromiumArgs, findChromium } from './scripts/browsers.mjs';
import { countingReporter } from './scripts/counting-reporter.mjs';

/**
 * Browser tests in real headless Chromium. The runner listens on every interface, so the test
 * page at http://localhost:PORT and a provider frame at http://127.0.0.1:PORT (or a hostile one at
 * http://127.0.0.2:PORT) are different origins and different sites: the frames run cross-origin,
 * out of process, exactly as a provider's would.
 */
export default {
  files: ['test/**/*.test.ts', '!test/node/**'],
  nodeResolve: true,
  rootDir: '.',
  concurrency: 1,
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  testFramework: { config: { timeout: 10_000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChromium(), headless: true, args: chromiumArgs },
    }),
  ],
  reporters: [defaultReporter(), countingReporter('.tmp/browser-results.json')],
};
