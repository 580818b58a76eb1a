// The finframe demo server: loopback only, two (three) origins. createDemoServer() has no
// dependencies; createDemoBackend() adds the callback receivers and the demo's playground from the
// build (finframe/server).
//
//   demo     http://localhost:PORT        demo/*.html|js|css, /dist/**, /demo-config.json
//   fake     http://127.0.0.1:FAKE_PORT   demo/fake/** — the fake provider pages (a second origin); also
//                                         as http://localhost:FAKE_PORT, the fake finAPI web form server
//   hostile  http://127.0.0.2:FAKE_PORT   the same files from a third origin, for the forged-message demo
//
// Pages: / (<flinks-connect>, fake at /fake/flinks/), /flexiti-widget.html (<flexiti-widget>, fake
// at /fake/flexiti/index.html#/widget/…), /benji-connect.html (<benji-connect>, fake at
// /fake/benji/index.html), /finapi-web-form.html (<finapi-web-form>, fake script at
// http://localhost:FAKE_PORT/fake/finapi/finapi-webform2.js) and /flexpay-status.html
// (<flexpay-status>, no fake: the demo server plays FlexPay), all with the strict demo CSP below
// (the finAPI page's widened for finAPI's loader: finapiPageCsp).
//
// `npm start` builds and runs this file: main() mounts createDemoBackend()'s routes over an SQLite
// store in demo/.data/ —
//
//   demo/receivers/    what a shop copies: the finAPI receiver (POST /callbacks/finapi?secret=…),
//                      the FlexPay receiver (POST /flexpay/callback) and status stream (GET /flexpay/status),
//                      the session-url endpoint (POST /finframe/session)
//   demo/playground/   DEMO ONLY: the finAPI state dump and sample sender, the stand-in for FlexPay
//                      (orders, receipt signer, stream dropper), the session minter for the fakes,
//                      the no-JavaScript pages (/no-js/…) and their "what the form posted" page
//                      (POST /no-js/posted). It refuses to start with NODE_ENV=production or off
//                      loopback; main() then prints why and exits 1.
//
// Other code (tests, later demos) can import `createDemoServer()` — which needs neither a build
// nor SQLite — and add routes of its own; see `Route` below.

import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdir, readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertPlaygroundAllowed } from './playground/playground-guard.mjs';

const DEMO_DIR = fileURLToPath(new URL('.', import.meta.url)).replace(/[\\/]$/, '');
export const REPO_ROOT = resolve(DEMO_DIR, '..');
const FAKE_DIR = join(DEMO_DIR, 'fake');
const DIST_DIR = join(REPO_ROOT, 'dist');

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The addresses the demo origin listens on (the second is optional). The playground is checked
 * against them: they must stay loopback.
 */
export const DEMO_HOSTS = Object.freeze(['127.0.0.1', '::1']);

/** Query parameters whose values never reach a log line: any name containing "secret" or "token". */
const SENSITIVE_PARAM = /secret|token/i;

/**
 * `url` (a request target such as `req.url`) fit for a log line: the path, and the query with the
 * value of every parameter whose (decoded) name contains "secret" or "token" replaced by
 * `[redacted]`. An unparsable target is logged as its path only.
 */
export function redactUrl(url) {
  const raw = String(url ?? '');
  let parsed;
  try {
    parsed = new URL(raw, 'http://placeholder');
  } catch {
    return `${raw.split('?')[0]}?[unparsable query, not logged]`;
  }
  if (parsed.search === '') return parsed.pathname;
  const parts = [];
  for (const [name, value] of parsed.searchParams) {
    parts.push(`${encodeURIComponent(name)}=${SENSITIVE_PARAM.test(name) ? '[redacted]' : encodeURIComponent(value)}`);
  }
  return `${parsed.pathname}?${parts.join('&')}`;
}

/** `text` (an error message or stack) with the value of every `?…=`/`&…=` parameter named like a secret or token redacted. */
function redactText(text) {
  return String(text).replace(/([?&])([^=&?\s#'"]+)=([^&\s#'"]*)/g, (match, separator, name) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // a malformed escape: test the name as written
    }
    return SENSITIVE_PARAM.test(decoded) ? `${separator}${name}=[redacted]` : match;
  });
}

/** Sent with every response: nothing here is meant to be cached, sniffed or framed by strangers. */
const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

/**
 * @typedef {object} RouteContext
 * @property {URL} url                       The request URL (parsed against the request's own origin).
 * @property {RegExpMatchArray | null} match The match of a RegExp `path`, else null.
 * @property {DemoConfig} config             The origins actually in use (ports resolved after listen).
 * @property {(file: string, base: string, headers?: Record<string, string>) => Promise<void>} sendFile
 *           Serves `file` (absolute) if it lies inside `base` (absolute, within the repo); 404 otherwise.
 * @property {(status: number, body: string | Buffer, headers?: Record<string, string>) => void} send
 * @property {(status: number, value: unknown) => void} sendJson
 * @property {(limit?: number) => Promise<string>} readBody  The request body as text (default limit 64 KiB).
 *
 * @typedef {object} Route
 * @property {string} [method]   'GET' (default; HEAD is answered by GET routes), 'POST', … or '*'.
 * @property {string | RegExp} path  An exact path, a prefix ending in '/*', or a RegExp on the pathname.
 * @property {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, ctx: RouteContext) => unknown} handle
 *
 * @typedef {object} DemoConfig
 * @property {number} port
 * @property {number} fakePort
 * @property {string} demoOrigin     http://localhost:PORT
 * @property {string} fakeOrigin     http://127.0.0.1:FAKE_PORT
 * @property {string} hostileOrigin  http://127.0.0.2:FAKE_PORT (or http://localhost:FAKE_PORT if 127.0.0.2 is unavailable)
 * @property {string} finapiServer   http://localhost:FAKE_PORT/fake/finapi — the fake finAPI web form server. finAPI's
 *                                   loader only loads from finAPI's domains, `localhost` or a private IPv4 address, so the
 *                                   fake origin is addressed by name here (127.0.0.1 would be refused).
 */

/** The demo page's CSP: scripts and styles from files only, frames only from the fake origins. */
export function demoCsp(config) {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${config.fakeOrigin} ${config.hostileOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    // lit-html creates the one Trusted Types policy the page needs.
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');
}

/**
 * The <finapi-web-form> page's CSP: the demo CSP, Trusted Types still enforced, plus what finAPI's
 * loader needs — finAPI's web form is a script in the page, not a frame:
 *
 * - script-src: the fake finAPI server's origin (the loader appends `<script src="{server}/finapi-webform2.js?…">`);
 * - style-src: the hash of the one inline `<style>` of the loader's spinner (it writes the spinner
 *   with innerHTML), computed from the installed @finapi/web-form so it cannot drift;
 * - trusted-types: `default` besides lit-html. The loader assigns plain strings to two Trusted
 *   Types sinks (the spinner's innerHTML, the script's src) and cannot be handed a policy, so the
 *   page (demo/finapi-trusted-types.js) defines a `default` policy that lets exactly those through.
 *
 * No connect-src for the fake: it makes no requests (the real web form calls finAPI's API on its
 * server, so a storefront adds that origin to connect-src). No frame-src: there are no frames.
 */
export function finapiPageCsp(config) {
  const finapiOrigin = new URL(config.finapiServer).origin;
  const spinner = finapiSpinnerStyleHash();
  return [
    "default-src 'none'",
    `script-src 'self' ${finapiOrigin}`,
    `style-src 'self'${spinner ? ` '${spinner}'` : ''}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html default',
  ].join('; ');
}

/**
 * The <flexpay-status> page's CSP: the demo CSP without frames (the page has none). The element's
 * EventSource and its polling fetch go to the page's own origin (`/flexpay/status`): connect-src 'self'.
 */
export function flexpayPageCsp(config) {
  return demoCsp(config)
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-src '))
    .join('; ');
}

/** Pages whose CSP differs from demoCsp(). */
const PAGE_CSP = { 'finapi-web-form.html': finapiPageCsp, 'flexpay-status.html': flexpayPageCsp };

let spinnerHash;
/**
 * `sha256-…` of the text of the `<style>` finAPI's loader writes with its spinner (showSpinner() in
 * @finapi/web-form/dist/spinner.js, called here on a stand-in target to read its markup), or
 * undefined if the package is not installed (the spinner is then unstyled and the browser reports
 * the blocked style).
 */
function finapiSpinnerStyleHash() {
  if (spinnerHash !== undefined) return spinnerHash || undefined;
  spinnerHash = '';
  try {
    const { showSpinner } = createRequire(import.meta.url)('@finapi/web-form/dist/spinner.js');
    const target = { innerHTML: '' };
    showSpinner(target);
    const css = /<style>([\s\S]*?)<\/style>/.exec(target.innerHTML)?.[1];
    if (css !== undefined) spinnerHash = `sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}`;
  } catch {
    // Not installed: no hash.
  }
  return spinnerHash || undefined;
}

/**
 * The fake providers' CSP. No frame-ancestors restriction beyond loopback: like the real
 * provider, the fake may be framed by any (local) page — the demo, the browser tests.
 */
const FAKE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-ancestors 'self' http://localhost:* http://127.0.0.1:* http://127.0.0.2:*",
].join('; ');

/** Built-in routes of the demo origin. */
function demoRoutes() {
  return [
    {
      path: '/',
      handle: (req, res, ctx) => ctx.sendFile(join(DEMO_DIR, 'index.html'), DEMO_DIR, { 'Content-Security-Policy': demoCsp(ctx.config) }),
    },
    {
      path: '/demo-config.json',
      handle: (req, res, ctx) =>
        ctx.sendJson(200, { fakeOrigin: ctx.config.fakeOrigin, hostileOrigin: ctx.config.hostileOrigin, finapiServer: ctx.config.finapiServer }),
    },
    {
      path: '/dist/*',
      handle: (req, res, ctx) => ctx.sendFile(resolve(DIST_DIR, `.${ctx.url.pathname.slice('/dist'.length)}`), DIST_DIR),
    },
    {
      // Files directly in demo/ only: never server.mjs or smoke.mjs, never fake/ (the other origin's).
      path: /^\/([A-Za-z0-9_-]+\.(?:html|js|css|svg))$/,
      handle: (req, res, ctx) => {
        const page = ctx.match[1];
        const headers = page.endsWith('.html') ? { 'Content-Security-Policy': (PAGE_CSP[page] ?? demoCsp)(ctx.config) } : {};
        return ctx.sendFile(join(DEMO_DIR, ctx.match[1]), DEMO_DIR, headers);
      },
    },
  ];
}

/** Built-in routes of the fake-provider origins. */
function fakeRoutes() {
  return [
    {
      path: '/fake/*',
      handle: async (req, res, ctx) => {
        let file = resolve(FAKE_DIR, `.${ctx.url.pathname.slice('/fake'.length)}`);
        if (ctx.url.pathname.endsWith('/')) file = join(file, 'index.html');
        else if (await isDirectory(file, FAKE_DIR)) {
          // /fake/flinks?x → /fake/flinks/?x, so the page's relative script URLs resolve.
          ctx.send(301, '', { Location: `${ctx.url.pathname}/${ctx.url.search}` });
          return;
        }
        const headers = file.endsWith('.html') ? { 'Content-Security-Policy': FAKE_CSP } : {};
        return ctx.sendFile(file, FAKE_DIR, headers);
      },
    },
  ];
}

async function isDirectory(file, base) {
  if (!inside(file, base)) return false;
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

function inside(file, base) {
  return file === base || file.startsWith(base + sep);
}

/**
 * Creates (does not start) the demo server.
 *
 * @param {{ port?: number, fakePort?: number, routes?: { demo?: Route[], fake?: Route[] }, log?: (line: string) => void }} [options]
 *        Port 0 picks a free port. `routes` are tried before the built-in ones.
 */
export function createDemoServer({ port = 8080, fakePort = 8081, routes = {}, log = () => {} } = {}) {
  /** @type {DemoConfig} */
  const config = { port, fakePort, demoOrigin: '', fakeOrigin: '', hostileOrigin: '', finapiServer: '' };
  const tables = {
    demo: [...(routes.demo ?? []), ...demoRoutes()],
    fake: [...(routes.fake ?? []), ...fakeRoutes()],
  };
  /** Host headers each side answers to (a cheap guard against DNS rebinding). */
  const hosts = { demo: new Set(), fake: new Set() };
  /** @type {import('node:http').Server[]} */
  const servers = [];

  const handler = (side) => async (req, res) => {
    try {
      await dispatch(side, req, res);
    } catch (error) {
      // Never the URL as is: the finAPI receiver's carries its secret (?secret=…), fake frames a token.
      log(`finframe demo: ${req.method} ${redactUrl(req.url)} failed: ${redactText(error?.stack ?? error)}`);
      if (!res.headersSent) send(res, 500, 'Internal Server Error');
      else res.destroy();
    }
  };

  async function dispatch(side, req, res) {
    if (!hosts[side].has(req.headers.host ?? '')) return send(res, 421, 'Misdirected Request: unknown Host');
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://placeholder');
      decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'Bad Request');
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    let pathMatched = false;
    for (const route of tables[side]) {
      const match = matchPath(route.path, url.pathname);
      if (!match) continue;
      pathMatched = true;
      const routeMethod = route.method ?? 'GET';
      if (routeMethod !== '*' && routeMethod !== method) continue;
      const ctx = {
        url,
        match: match === true ? null : match,
        config,
        send: (status, body, headers) => send(res, status, body, headers, req.method === 'HEAD'),
        sendJson: (status, value) =>
          send(res, status, JSON.stringify(value, null, 2), { 'Content-Type': CONTENT_TYPES['.json'] }, req.method === 'HEAD'),
        sendFile: (file, base, headers) => sendFile(req, res, file, base, headers),
        readBody: (limit) => readBody(req, limit),
      };
      await route.handle(req, res, ctx);
      return;
    }
    if (pathMatched) return send(res, 405, 'Method Not Allowed');
    return send(res, 404, 'Not Found');
  }

  return {
    config,
    /** The route tables; `server.routes.demo.unshift(route)` adds a route that wins over the built-in ones. */
    routes: tables,

    /**
     * Listens on loopback only. Rejects with an error whose `envVar` names the variable to
     * change when a required address is taken. Optional addresses (::1, 127.0.0.2) may fail.
     * @returns {Promise<DemoConfig>}
     */
    async listen() {
      if (port !== 0 && port === fakePort) {
        throw Object.assign(new Error(`PORT and FAKE_PORT are both ${port}; they must differ`), { envVar: 'FAKE_PORT' });
      }
      // The fake origin first: the demo's CSP and config need its real port.
      const fake = await listenOn(handler('fake'), '127.0.0.1', fakePort, 'FAKE_PORT', servers);
      config.fakePort = fake;
      config.fakeOrigin = `http://127.0.0.1:${fake}`;
      const hostile = await listenOn(handler('fake'), '127.0.0.2', fake, null, servers);
      config.hostileOrigin = hostile ? `http://127.0.0.2:${fake}` : `http://localhost:${fake}`;
      // The fake finAPI server is addressed as localhost, which may resolve to ::1: serve the fakes there too.
      config.finapiServer = `http://localhost:${fake}/fake/finapi`;
      await listenOn(handler('fake'), '::1', fake, null, servers);
      if (!hostile) log(`finframe demo: 127.0.0.2 is not available; the hostile frame uses ${config.hostileOrigin}`);

      const [v4Host, v6Host] = DEMO_HOSTS;
      const demo = await listenOn(handler('demo'), v4Host, port, 'PORT', servers);
      config.port = demo;
      config.demoOrigin = `http://localhost:${demo}`;
      const v6 = await listenOn(handler('demo'), v6Host, demo, null, servers);

      for (const h of ['localhost', '127.0.0.1', ...(v6 ? ['[::1]'] : [])]) hosts.demo.add(`${h}:${demo}`);
      for (const h of ['127.0.0.1', '127.0.0.2', 'localhost', '[::1]']) hosts.fake.add(`${h}:${fake}`);
      return config;
    },

    /** Stops every listener and drops open connections. */
    async close() {
      await Promise.all(
        servers.splice(0).map(
          (server) =>
            new Promise((done) => {
              server.close(() => done());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function matchPath(pattern, pathname) {
  if (pattern instanceof RegExp) return pathname.match(pattern);
  if (pattern.endsWith('/*')) return pathname.startsWith(pattern.slice(0, -1)) || pathname === pattern.slice(0, -2);
  return pathname === pattern;
}

/**
 * Resolves with the port listened on, or `null` if an optional address failed (envVar null).
 * A required address that fails rejects with a message naming its env var.
 */
function listenOn(handler, host, port, envVar, servers) {
  return new Promise((resolveListen, rejectListen) => {
    const server = createServer(handler);
    server.once('error', (error) => {
      if (!envVar) return resolveListen(null);
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use`
          : error.code === 'EACCES'
            ? `no permission to listen on port ${port}`
            : `cannot listen on ${host}:${port} (${error.code ?? error.message})`;
      rejectListen(Object.assign(new Error(`${reason}. Set ${envVar} to another port, e.g. ${envVar}=${port + 10} npm start`), { envVar, cause: error }));
    });
    server.listen({ host, port, ipv6Only: host === '::1' }, () => {
      servers.push(server);
      resolveListen(server.address().port);
    });
  });
}

async function sendFile(req, res, file, base, headers = {}) {
  // `file` was built with resolve(): '..' segments are gone, so a prefix check is exact. The real
  // path is checked too, so a symlink cannot lead out of the repository either.
  if (!inside(file, base) || !inside(base, REPO_ROOT) || file.includes('\0')) return send(res, 404, 'Not Found');
  let body;
  try {
    const real = await realpath(file);
    if (!inside(real, await realpath(REPO_ROOT))) return send(res, 404, 'Not Found');
    if (!(await stat(real)).isFile()) return send(res, 404, 'Not Found');
    body = await readFile(real);
  } catch {
    return send(res, 404, 'Not Found');
  }
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  send(res, 200, body, { 'Content-Type': type, ...headers }, req.method === 'HEAD');
}

function send(res, status, body, headers = {}, headOnly = false) {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    ...headers,
    'Content-Length': payload.length,
  });
  res.end(headOnly ? undefined : payload);
}

function readBody(req, limit = 64 * 1024) {
  return new Promise((resolveBody, rejectBody) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        rejectBody(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', rejectBody);
  });
}

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw Object.assign(new Error(`${name}=${raw} is not a port number (0–65535)`), { envVar: name });
  }
  return Number(raw);
}

/** Where `npm start` keeps the callback store's SQLite database (demo/.data/ is gitignored). */
export const CALLBACKS_DB = join(DEMO_DIR, '.data', 'callbacks.db');

/**
 * Everything `npm start` mounts on the demo origin besides the pages, over one SQLite store:
 *
 * - the receivers a shop copies (demo/receivers/): POST /callbacks/finapi?secret=…,
 *   POST /flexpay/callback, GET /flexpay/status;
 * - the demo's playground (demo/playground/, DEMO ONLY): GET /callbacks/finapi/state,
 *   POST /callbacks/finapi/sample, POST /flexpay/demo/order, …/send, …/drop.
 *
 * The playground refuses first, before anything is opened: with NODE_ENV=production, or when
 * `hosts` (the addresses the server listens on) are not all loopback, this rejects with a
 * PlaygroundRefusedError. Imported on demand, so importing this file needs neither a build nor
 * better-sqlite3.
 *
 * @param {{ path?: string, secret?: string, hosts?: readonly string[], env?: Record<string, string | undefined> }} [options]
 *        the database file (default CALLBACKS_DB; its directory is created), the finAPI secret
 *        (default: FINAPI_CALLBACK_SECRET, else random per start; URL-safe, at least 16
 *        characters), the listen addresses (default DEMO_HOSTS) and the environment (default process.env).
 * @returns {Promise<{ routes: Route[], store: import('finframe/server/sqlite').SqliteCallbackStore, path: string,
 *          receiverPath: string, secretFromEnv: boolean,
 *          flexpay: { kid: string, stream: import('finframe/server').StatusStreamHandler, orders: Map<string, object> },
 *          close: () => Promise<void> }>}  close() ends open streams, then closes the store.
 */
export async function createDemoBackend({ path = CALLBACKS_DB, secret, hosts = DEMO_HOSTS, env = process.env } = {}) {
  assertPlaygroundAllowed({ hosts, env });
  const secretFromEnv = secret === undefined && Boolean(env.FINAPI_CALLBACK_SECRET);
  const key = secret ?? (env.FINAPI_CALLBACK_SECRET || randomBytes(24).toString('base64url'));
  let modules;
  try {
    modules = await Promise.all([
      import('finframe/server/sqlite'),
      import('./receivers/finapi.mjs'),
      import('./receivers/flexpay.mjs'),
      import('./playground/finapi-playground.mjs'),
      import('./playground/flexpay-playground.mjs'),
      import('./receivers/session.mjs'),
      import('./playground/session-playground.mjs'),
      import('./playground/no-js-pages.mjs'),
    ]);
  } catch (error) {
    throw new Error(`the callback receivers need a build (npm run build), better-sqlite3 and qs (devDependencies): ${error?.message ?? error}`, { cause: error });
  }
  const [
    { sqliteStore },
    { finapiReceiverRoutes, FINAPI_RECEIVER_PATH },
    { flexpayReceiverRoutes },
    { finapiPlaygroundRoutes },
    { createFlexPayPlayground },
    { sessionRoute },
    { fakeSessionProviders },
    { noJsRoutes },
  ] = modules;
  const playground = await createFlexPayPlayground({ hosts, env });
  // The fake providers' origins, for the session minter: known once the server listens, read from
  // the request's context (see sessionFor).
  let demoConfig;
  const sessionFor = (route, providers) => {
    const session = route({ providers });
    return {
      ...session,
      handle: (req, res, ctx) => {
        demoConfig = ctx.config;
        return session.handle(req, res, ctx);
      },
    };
  };
  await mkdir(dirname(path), { recursive: true });
  const store = sqliteStore({ path });
  let flexpay;
  let routes;
  try {
    flexpay = flexpayReceiverRoutes({ store, ...playground.receiverOptions });
    routes = [
      ...finapiReceiverRoutes({ store, secret: key }), // a bad secret (short, not URL-safe) throws here
      ...finapiPlaygroundRoutes({ store, secret: key, hosts, env, receiverPath: FINAPI_RECEIVER_PATH }),
      ...flexpay.routes,
      ...playground.routes(flexpay.stream),
      sessionFor(sessionRoute, fakeSessionProviders({ config: () => demoConfig, hosts, env })),
      ...noJsRoutes({ flexpay: playground, csp: { demoCsp, finapiPageCsp, flexpayPageCsp } }),
    ];
  } catch (error) {
    flexpay?.close();
    await store.close();
    if (secretFromEnv && error instanceof TypeError && /options\.secret/.test(error.message)) {
      throw new Error(`FINAPI_CALLBACK_SECRET cannot be used: ${error.message}`, { cause: error });
    }
    throw error;
  }
  let closed = false;
  return {
    routes,
    store,
    path,
    receiverPath: FINAPI_RECEIVER_PATH,
    secretFromEnv,
    flexpay: { kid: playground.kid, stream: flexpay.stream, orders: playground.orders },
    close: async () => {
      if (closed) return;
      closed = true;
      flexpay.close();
      await store.close();
    },
  };
}

async function main() {
  let server;
  let backend;
  try {
    const port = portFromEnv('PORT', 8080);
    const fakePort = portFromEnv('FAKE_PORT', 8081);
    // Refuses (with NODE_ENV=production, or if DEMO_HOSTS were not loopback) before anything starts.
    backend = await createDemoBackend();
    server = createDemoServer({ port, fakePort, routes: { demo: backend.routes }, log: (line) => console.error(line) });
    const config = await server.listen();
    console.log(`finframe demo: ${config.demoOrigin}/  (fake providers on ${config.fakeOrigin}, hostile frame on ${config.hostileOrigin})`);
    console.log(`               ${config.demoOrigin}/flexiti-widget.html`);
    console.log(`               ${config.demoOrigin}/benji-connect.html`);
    console.log(`               ${config.demoOrigin}/finapi-web-form.html  (fake finAPI server ${config.finapiServer})`);
    console.log(`               ${config.demoOrigin}/flexpay-status.html  (the demo server plays FlexPay)`);
    console.log(`               ${config.demoOrigin}/no-js/  (one page per element with no script but finframe's; sessions from POST /finframe/session)`);
    console.log(
      `finAPI callbacks: POST ${config.demoOrigin}${backend.receiverPath}?secret=…  (secret ${
        backend.secretFromEnv ? 'from FINAPI_CALLBACK_SECRET' : 'random for this run; set FINAPI_CALLBACK_SECRET to choose it'
      }; SQLite store ${relative(process.cwd(), backend.path) || backend.path})`,
    );
    console.log(
      `FlexPay callbacks: POST ${config.demoOrigin}/flexpay/callback  (receipts checked against the demo key ${backend.flexpay.kid}, generated for this run; same SQLite store)`,
    );
    console.log(`FlexPay status:    GET  ${config.demoOrigin}/flexpay/status?reference=…  (SSE or JSON; only orders this browser created)`);
    console.log(`Playground (demo only, loopback only): GET ${backend.receiverPath}/state, POST ${backend.receiverPath}/sample, POST /flexpay/demo/order, /flexpay/demo/send, /flexpay/demo/drop`);
  } catch (error) {
    console.error(`finframe demo: ${error.message}`);
    await server?.close();
    await backend?.close();
    process.exit(1);
  }
  let closing = false;
  const stop = async (signal) => {
    if (closing) return;
    closing = true;
    console.log(`finframe demo: ${signal}, closing`);
    await server.close();
    try {
      await backend.close();
    } catch (error) {
      console.error(`finframe demo: closing the callback store failed: ${error?.message ?? error}`);
    }
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
