// The browser tests' FlexPay side: finframe/server's real FlexPay receiver and status stream
// (compiled from src/server with esbuild when the test server starts), mounted on the test
// server's own origin, plus a test-only control API that plays FlexPay (it signs receipts with a
// key generated here) and can drop every open stream. Nothing here reaches the internet.
//
//   POST /__flexpay/callback          the receiver (createFlexPayCallbackHandler), as FlexPay calls it
//   GET  /__flexpay/status?reference= the stream (createStatusStream): SSE, or JSON for polling
//   GET  /__flexpay/nostream?…        the same, but every SSE request gets a 503 (only polling works)
//   POST /__flexpay/send              {reference, status, id?, statusLastUpdated?, tamper?, forge?} → signs and delivers
//                                     (`forge`: the body claims that status instead; FlexPay's record keeps `status`)
//   POST /__flexpay/drop              destroys every open stream connection (the server "restarts")
//   GET  /__flexpay/connections       how many stream connections are open
//   GET  /__flexpay/shortlived?…      the stream with a lifetime of ~0.6 s (maxStreamSeconds): each
//                                     stream ends with `event: reconnect` and the browser reconnects
//   POST /__flexpay/revoke            {reference}: /shortlived's authorize refuses it from now on
//   GET  /__flexpay/cors-status?…     the stream, answering CORS (with credentials) for this page's
//                                     origin only, for <flexpay-status status-origin>
//   GET  /__flexpay/seen?reference=   every request a status route received for that reference:
//                                     [{host, route, accept, lastEventId}] — what reached which origin
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FLEXPAY_ISSUER = 'https://api.test.flexpay.invalid/';
export const FLEXPAY_AUDIENCE = 'https://api.test.flexpay.invalid';
const CLAIM = 'https://api.test.flexpay.invalid/application';

/** finframe/server and its Node adapter, compiled from src/ (never a possibly stale dist/). */
async function loadServerSource() {
  const out = await build({
    stdin: {
      contents: "export * from './src/server/index.ts';\nexport { toNodeHandler } from './src/server/node.ts';\n",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    external: ['zod', 'jose', 'better-sqlite3'],
    logLevel: 'error',
  });
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const file = join(ROOT, '.tmp', `wtr-server-${process.pid}.mjs`);
  writeFileSync(file, out.outputFiles[0].text);
  return import(pathToFileURL(file).href);
}

/** Returns `{ plugin, middleware }`: add both to the web-test-runner config. */
export function flexpayTestServer() {
  let ready;
  /** Open SSE responses. */
  const streams = new Set();
  /** Requests to the status routes: reference → [{host, route, accept}]. */
  const seen = new Map();

  async function start() {
    const server = await loadServerSource();
    const { toNodeHandler } = server;
    const jose = await import('jose');
    const { publicKey, privateKey } = await jose.generateKeyPair('RS256');
    const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'test-key', alg: 'RS256' };
    const store = server.memoryStore();
    // What "FlexPay" decided per reference: `confirm` answers from it, as FlexPay's transaction
    // endpoint would, so a forged body status (`forge` below) is never what gets stored.
    const decided = new Map();
    const receiver = server.createFlexPayCallbackHandler({
      store,
      keys: { keys: [jwk] },
      issuer: FLEXPAY_ISSUER,
      audience: FLEXPAY_AUDIENCE,
      confirm: (callback) => decided.get(callback.reference),
    });
    const stream = server.createStatusStream({
      store,
      authorize: (_request, reference) => reference !== 'forbidden-order',
      heartbeatMs: 1000,
      pollMs: 250,
      retryMs: 250,
      // Every test runs from one browser, on one address: room for them all, still bounded.
      maxConnectionsPerClient: 64,
    });
    const revoked = new Set();
    const shortLived = server.createStatusStream({
      store,
      authorize: (_request, reference) => !revoked.has(reference),
      heartbeatMs: 1000,
      pollMs: 250,
      retryMs: 100,
      maxStreamSeconds: 0.6,
      maxConnectionsPerClient: 64,
    });
    const noStream = async (request) => {
      if ((request.headers.get('accept') ?? '').includes('text/event-stream')) {
        return new Response('streaming is switched off here', { status: 503 });
      }
      return stream(request);
    };
    let counter = 0;
    async function send({ reference, status, id = `app-${reference}`, statusLastUpdated = String(Date.now() + counter++), tamper = false, forge }) {
      const now = Math.floor(Date.now() / 1000);
      // FlexPay's own callbacks record what FlexPay decided; a forged one (`forge`: the status a
      // shopper re-posts with this genuine receipt) does not.
      if (!forge && !tamper) decided.set(reference, { status, statusLastUpdated, id });
      const receipt = await new jose.SignJWT({
        scope: 'application:create',
        [CLAIM]: { status: status.toLowerCase(), product: 'revolving_credit', application_id: id, transaction_id: reference, last_updated: statusLastUpdated },
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'test-key' })
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .setIssuer(FLEXPAY_ISSUER)
        .setAudience(FLEXPAY_AUDIENCE)
        .sign(privateKey);
      const body = { id, status: forge ?? status, statusLastUpdated, reference, productType: 'blackhorse-flexpay', receipt: tamper ? receipt.replace(/\.[^.]+$/, '.AAAA') : receipt };
      const response = await receiver(
        new Request('http://localhost/__flexpay/callback', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
      );
      return { status: response.status, body: await response.json() };
    }
    return {
      routes: {
        '/__flexpay/callback': toNodeHandler(receiver),
        '/__flexpay/status': toNodeHandler(stream),
        '/__flexpay/nostream': toNodeHandler(noStream),
        '/__flexpay/shortlived': toNodeHandler(shortLived),
        '/__flexpay/cors-status': toNodeHandler(stream),
      },
      send,
      revoke: (reference) => revoked.add(reference),
      close() {
        stream.close();
        shortLived.close();
      },
    };
  }

  const json = (res, status, value) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(value));
  };
  const readJson = (req) =>
    new Promise((resolve, reject) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        try {
          resolve(JSON.parse(text || '{}'));
        } catch (e) {
          reject(e);
        }
      });
    });

  return {
    plugin: {
      name: 'finframe-flexpay',
      serverStart() {
        // A failure here fails the FlexPay tests (500 below), not the whole test server.
        ready = start().catch((error) => ({ error }));
        return ready;
      },
      async serverStop() {
        // The streams' lifetime timers must not keep the runner's process alive.
        (await ready)?.close?.();
      },
    },
    /** Koa middleware: runs before the test server's own file serving. */
    middleware: async (ctx, next) => {
      if (!ctx.path.startsWith('/__flexpay/')) return next();
      const api = await ready;
      ctx.respond = false;
      const { req, res } = ctx;
      if (api.error) return json(res, 500, { error: 'flexpay_test_server', reason: String(api.error?.stack ?? api.error) });
      if (ctx.path === '/__flexpay/send' && req.method === 'POST') return json(res, 200, await api.send(await readJson(req)));
      if (ctx.path === '/__flexpay/drop' && req.method === 'POST') {
        const dropped = streams.size;
        for (const stream of streams) stream.socket?.destroy();
        streams.clear();
        return json(res, 200, { dropped });
      }
      if (ctx.path === '/__flexpay/connections') return json(res, 200, { open: streams.size });
      if (ctx.path === '/__flexpay/revoke' && req.method === 'POST') {
        api.revoke((await readJson(req)).reference);
        return json(res, 200, { ok: true });
      }
      if (ctx.path === '/__flexpay/seen') return json(res, 200, seen.get(ctx.query.reference) ?? []);
      const route = api.routes[ctx.path];
      if (!route) return json(res, 404, { error: 'not_found' });
      const reference = ctx.query.reference;
      if (typeof reference === 'string' && ctx.path !== '/__flexpay/callback') {
        if (!seen.has(reference)) seen.set(reference, []);
        seen.get(reference).push({ host: req.headers.host, route: ctx.path, accept: req.headers.accept ?? '', lastEventId: req.headers['last-event-id'] ?? null });
      }
      if (ctx.path === '/__flexpay/cors-status') {
        // The page's own origin (the test page is served at http://localhost:PORT), compared exactly.
        const page = `http://localhost:${req.socket.localPort}`;
        if (req.headers.origin === page) {
          res.setHeader('Access-Control-Allow-Origin', page);
          res.setHeader('Access-Control-Allow-Credentials', 'true');
          res.setHeader('Vary', 'Origin');
        }
        if (req.method === 'OPTIONS') {
          res.setHeader('Access-Control-Allow-Methods', 'GET');
          res.setHeader('Access-Control-Allow-Headers', 'last-event-id, cache-control');
          res.writeHead(204);
          return res.end();
        }
      }
      if ((req.headers.accept ?? '').includes('text/event-stream')) {
        // Counted per response: a keep-alive socket outlives one stream and carries the next.
        streams.add(res);
        res.on('close', () => streams.delete(res));
      }
      route(req, res);
    },
  };
}
