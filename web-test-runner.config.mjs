import { defaultReporter } from '@web/test-runner';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import {
  chromiumArgs,
  findChromium,
  findFirefox,
  findMiniBrowser,
  firefoxPrefs,
  selectedEngines,
  startWebKitDriver,
} from './scripts/browsers.mjs';
import { countingReporter } from './scripts/counting-reporter.mjs';
import { flexpayTestServer } from './scripts/wtr-flexpay.mjs';
import { frameworksVsPlugin } from './scripts/wtr-frameworks-vs.mjs';
import { formsTestServer } from './scripts/wtr-forms.mjs';
import { magentoTestServer } from './scripts/wtr-magento.mjs';
import { reactTestApps } from './scripts/wtr-react.mjs';
import { angularTestApp } from './scripts/wtr-angular.mjs';
import { productionBuildPlugin } from './scripts/wtr-production.mjs';
import { sessionTestServer } from './scripts/wtr-session.mjs';
import { shopifyTestServer } from './scripts/wtr-shopify.mjs';
import { screenshotPlugin } from './scripts/wtr-screenshot.mjs';

const flexpay = flexpayTestServer();

/** WebKit through WebKitWebDriver, with its Xvfb display and driver started and stopped around the run. */
class WebKitLauncher extends WebdriverLauncher {
  #driver;
  constructor() {
    super({
      hostname: '127.0.0.1',
      port: 0,
      logLevel: 'error',
      capabilities: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: findMiniBrowser(), args: ['--automation'] },
        // webdriverio 9 would try WebDriver BiDi, which WebKitWebDriver 2.50 does not speak.
        'wdio:enforceWebDriverClassic': true,
      },
    });
  }
  async initialize(config, testFiles) {
    this.#driver = await startWebKitDriver();
    this.options.port = this.#driver.port;
    await super.initialize(config, testFiles);
    this.name = 'WebKit';
  }
  async stop() {
    await super.stop();
    this.#driver?.stop();
  }
}

const launchers = {
  chromium: () => chromeLauncher({ launchOptions: { executablePath: findChromium(), headless: true, args: chromiumArgs } }),
  // Firefox over WebDriver BiDi through the runner's own puppeteer-core: no geckodriver, no download.
  firefox: () => {
    const launcher = chromeLauncher({
      puppeteer: puppeteerCore,
      launchOptions: { browser: 'firefox', executablePath: findFirefox(), headless: true, extraPrefsFirefox: firefoxPrefs },
    });
    return launcher;
  },
  webkit: () => new WebKitLauncher(),
};

const commonjs = fromRollup(rollupCommonjs);

/**
 * finAPI's fake web form server, on a second origin: http://localhost:OTHER_PORT. finAPI's loader
 * refuses 127.0.0.1 (it allows only finAPI's domains, `localhost` and private IPv4 addresses), so
 * the fake cannot use the other loopback address the frame tests use. Serves demo/fake/finapi/ —
 * the same fake the demo uses — and 404 for anything else. Tests read the origin from
 * `/__finapi-fake-origin` on the test server.
 */
function finapiFakeServer() {
  let server;
  let origin = '';
  return {
    name: 'finframe-finapi-fake',
    async serverStart() {
      server = createServer(async (req, res) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (path === '/finapi-webform2.js') {
          const body = await readFile(new URL('./demo/fake/finapi/finapi-webform2.js', import.meta.url));
          res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
          res.end(body);
        } else {
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          res.end('Not Found');
        }
      });
      // Every interface, like the test server itself: `localhost` may resolve to ::1 or 127.0.0.1.
      await new Promise((resolve) => server.listen(0, resolve));
      origin = `http://localhost:${server.address().port}`;
    },
    async serverStop() {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve) ?? resolve());
    },
    serve(context) {
      if (context.path === '/__finapi-fake-origin') return { body: origin, type: 'text' };
    },
  };
}

/**
 * Browser tests in real Chromium, Firefox and WebKit (choose with FINFRAME_BROWSERS, or
 * `npm test -- --browsers firefox`). The runner listens on every interface, so the test page at
 * http://localhost:PORT and a provider frame at http://127.0.0.1:PORT (or a hostile one at
 * http://127.0.0.2:PORT) are different origins and different sites: the frames run cross-origin,
 * out of process, exactly as a provider's would. Concurrency 1: on 2 cores, focus and keyboard
 * tests flaked at 4.
 */
export default {
  // test/cdn/ tests the built dist/cdn/ (and test/integrations/ the built Shopify assets): `npm test` builds first.
  files: ['test/**/*.test.ts', '!test/node/**'],
  nodeResolve: true,
  rootDir: '.',
  concurrency: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  testFramework: { config: { timeout: 20_000 } },
  middleware: [flexpay.middleware, sessionTestServer(), formsTestServer(), shopifyTestServer()],
  plugins: [
    flexpay.plugin,
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    // finAPI's loader (@finapi/web-form) is published as CommonJS only.
    // strictRequires: false gives the module its named exports in the dev server too (not only a __require wrapper).
    commonjs({ include: ['**/node_modules/@finapi/web-form/**'], strictRequires: false }),
    finapiFakeServer(),
    // /__finframe-production/finframe.js: the production build, for test/production/.
    productionBuildPlugin(),
    // /__frameworks-vs/…: the Vue 3 and Svelte 5 apps of test/frameworks/, compiled and bundled on request.
    frameworksVsPlugin(),
    // /__angular/app.js: the Angular app of test/frameworks/angular/, compiled just in time, bundled once per run.
    angularTestApp(),
    // /__magento/page: pages rendered by the Magento module's templates (php), for test/magento/.
    magentoTestServer(),
    // /__react/<app>.js and .html: React test apps bundled with esbuild (and rendered in Node), for test/frameworks/react/.
    reactTestApps(),
    // `finframe-screenshot`: PNGs of the outcome regions in .tmp/outcome-shots/ (Chromium).
    screenshotPlugin(),
    {
      // A frame URL that never loads (answered only after 5 s), for load-timeout tests of providers
      // whose frame counts as ready when it loads.
      name: 'finframe-slow-page',
      serve(context) {
        if (context.path === '/__slow') return new Promise((resolve) => setTimeout(() => resolve({ body: '', type: 'html' }), 5000));
      },
    },
  ],
  browsers: selectedEngines().map((engine) => launchers[engine]()),
  reporters: [defaultReporter(), countingReporter('.tmp/browser-results.json')],
};
