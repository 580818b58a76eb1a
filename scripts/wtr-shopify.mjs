// The browser tests' fake Shopify storefront and fake Shopify app (test/integrations/shopify.test.ts).
// Nothing here reaches the internet.
//
//   GET  /__shopify/page?blocks=[…]&locale=en&design=1   a storefront page: the extension's blocks
//        ([{handle, id, settings}], rendered with liquidjs: test/helpers/shopify-liquid.mjs) in
//        section "main", the app embed before </body>. Its "theme" head adds two test-only scripts:
//        the loopback opt-in (the fake providers answer on 127.0.0.1) and a recorder of window
//        listeners (test/fixtures/shopify-listeners.js).
//   GET  /__shopify/section?…          the same section alone, as the theme editor fetches it.
//   GET  /__shopify/assets/<file>      the extension's assets/ (Shopify's CDN), as built.
//   ANY  /apps/finframe/<path>         Shopify's app proxy: strips the cookies, adds shop,
//        logged_in_customer_id (from the cookie `storefront_customer`, as Shopify knows the
//        signed-in customer from its own), path_prefix and timestamp, signs them with the app's
//        secret (node:crypto) and forwards method, body and Content-Type to the app.
//   ANY  /__shopify/app/<path>         the app's own URL, reachable without the proxy (a forger's way).
//   GET  /__shopify/log?customer=…     what the app did for requests claiming that customer:
//        [{route, verified: {shop, loggedInCustomerId} | null, reason, cookie, contentType, body, entries}]
//
// The app verifies every request with finframe/server's verifyShopifyAppProxy (from dist/: run
// `npm run build` first), answers a session request with the fake provider's frame URL or token,
// and answers a form post with 303 to a thank-you page; a refused request gets 401 and no effect.
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import qs from 'qs';
import { EXTENSION, createShopifyRenderer } from '../test/helpers/shopify-liquid.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = `shpss_${randomUUID().replace(/-/g, '')}`;
const SHOP = 'finframe-test.myshopify.com';
const PREFIX = '/apps/finframe';
const HEAD = '<script src="/demo/allow-loopback.js"></script><script src="/test/fixtures/shopify-listeners.js"></script>';

/** What Shopify appends to a proxied request, signed as its documentation describes. */
function shopifyQuery(original, customer) {
  const pairs = [...original, ['shop', SHOP], ['logged_in_customer_id', customer], ['path_prefix', PREFIX], ['timestamp', String(Math.floor(Date.now() / 1000))]];
  const grouped = new Map();
  for (const [key, value] of pairs) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped].map(([key, values]) => `${key}=${values.join(',')}`).sort().join('');
  pairs.push(['signature', createHmac('sha256', SECRET).update(message).digest('hex')]);
  return new URLSearchParams(pairs);
}

const readBody = async (req) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
};

export function shopifyTestServer() {
  const renderer = createShopifyRenderer({ assetBase: '/__shopify/assets' });
  const log = new Map();
  let server;

  const record = (customer, entry) => log.set(customer, [...(log.get(customer) ?? []), entry]);

  /** The merchant's app: a Fetch API handler, as an app built on finframe/server would be. */
  async function app(request, providerOrigin) {
    server ??= existsSync(join(ROOT, 'dist/server/index.js'))
      ? await import(pathToFileURL(join(ROOT, 'dist/server/index.js')).href)
      : null;
    if (!server) return new Response('dist/server/index.js is missing: run npm run build', { status: 500 });
    const url = new URL(request.url);
    const claimed = url.searchParams.get('logged_in_customer_id') ?? '';
    const route = url.pathname.replace(/^\/proxy/, '');
    const entry = { route, verified: null, reason: null, cookie: request.headers.get('cookie'), contentType: request.headers.get('content-type'), body: null, entries: null };
    const result = await server.verifyShopifyAppProxy(request, { secret: SECRET });
    if (!result.ok) {
      record(claimed, { ...entry, reason: result.reason });
      return new Response(JSON.stringify({ error: 'unauthorized' }), { status: 401, headers: { 'content-type': 'application/json' } });
    }
    entry.verified = { shop: result.shop, loggedInCustomerId: result.loggedInCustomerId };
    const customer = result.loggedInCustomerId ?? '';
    const [, provider, action] = route.split('/');
    if (action === 'session' && request.method === 'POST') {
      entry.body = await request.json();
      record(customer, entry);
      const token = `tok-${randomUUID()}`;
      const answers = {
        flinks: { src: `${providerOrigin}/demo/fake/flinks/index.html?demo=true&authorizeToken=${token}` },
        benji: { token, src: `${providerOrigin}/demo/fake/benji/index.html` },
        flexiti: { src: `${providerOrigin}/demo/fake/flexiti/index.html#/widget/client-1/${token}?x-reference-id=ref-1&widget_session_id=s-1` },
      };
      if (!answers[provider]) return new Response('{}', { status: 404 });
      return new Response(JSON.stringify(answers[provider]), { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
    }
    if (action === 'result' && request.method === 'POST') {
      const text = await request.text();
      entry.entries = [...new URLSearchParams(text)];
      entry.body = qs.parse(text);
      record(customer, entry);
      return new Response(null, { status: 303, headers: { location: '/__shopify/thanks' } });
    }
    return new Response('{}', { status: 404 });
  }

  return async (ctx, next) => {
    const { req, res } = ctx;
    const path = ctx.path;
    const send = (status, type, body, headers = {}) => {
      ctx.respond = false;
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (path === '/__shopify/page' || path === '/__shopify/section') {
      const options = {
        blocks: JSON.parse(String(ctx.query.blocks ?? '[]')),
        locale: String(ctx.query.locale ?? 'en'),
        designMode: ctx.query.design === '1',
        sectionId: 'main',
        objects: { template: { name: 'page' } },
      };
      const html = path === '/__shopify/page' ? await renderer.renderPage({ ...options, head: HEAD }) : await renderer.renderSection(options);
      return send(200, 'text/html; charset=utf-8', html);
    }
    if (path === '/__shopify/thanks') return send(200, 'text/html; charset=utf-8', '<!doctype html><title>Thanks</title><p>Thanks</p>');
    if (path.startsWith('/__shopify/assets/')) {
      const name = path.slice('/__shopify/assets/'.length);
      const file = join(EXTENSION, 'assets', name);
      if (!/^[A-Za-z0-9._-]+\.js$/.test(name) || !existsSync(file)) return send(404, 'text/plain', `no asset ${name} (run npm run build)`);
      return send(200, 'text/javascript; charset=utf-8', readFileSync(file));
    }
    if (path === '/__shopify/log') return send(200, 'application/json', JSON.stringify(log.get(String(ctx.query.customer ?? '')) ?? []));

    const proxied = path.startsWith(`${PREFIX}/`);
    const direct = path.startsWith('/__shopify/app/');
    if (!proxied && !direct) return next();
    const providerOrigin = `http://127.0.0.1:${String(req.headers.host).split(':').pop()}`;
    const incoming = new URL(req.url, 'http://localhost');
    let query = incoming.searchParams;
    const rest = proxied ? path.slice(PREFIX.length) : path.slice('/__shopify/app'.length);
    if (proxied) {
      const customer = /(?:^|;\s*)storefront_customer=(\d+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
      query = shopifyQuery(query, customer);
    }
    // Shopify forwards method, body and a few headers; never the shopper's cookies.
    const headers = new Headers();
    if (req.headers['content-type']) headers.set('content-type', req.headers['content-type']);
    if (!proxied && req.headers.cookie) headers.set('cookie', req.headers.cookie);
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
    const response = await app(new Request(`https://app.example/proxy${rest}?${query}`, { method: req.method, headers, body }), providerOrigin);
    ctx.respond = false;
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}
