// The browser tests' merchant server for `session-url`: an endpoint on the test page's own origin
// that records every request and answers as each test scripted it. Nothing here reaches the
// internet.
//
//   POST /__session/script?id=…   body: [step, …] — how the endpoint answers its next requests for
//                                  that id, one step per request (the last step repeats). A step:
//                                  {status?: 200, json?: value, body?: raw text, headers?: {…},
//                                   delay?: ms before answering, destroy?: true (the socket is
//                                   destroyed: a network error)}
//   POST /__session/answer?id=…   the endpoint an element's session-url points at
//   GET  /__session/seen?id=…     every request it received for that id, in order:
//                                  [{method, contentType, accept, cookie, origin, body, at, aborted,
//                                    destroyed, resends}]
//                                  (`at`: ms since the first request; `aborted`: the browser closed
//                                  the connection before the answer)
//
// A browser silently sends a request again when a kept-alive (or pre-opened) connection breaks
// before any answer, until a fresh connection breaks too; only that reaches fetch() as a network
// error. Chromium does the same with a 408 on a kept-alive connection. So after a `destroy` or a
// 408, requests within RESEND_WINDOW are answered the same way and counted as that attempt's
// `resends`, not as attempts: the element's own retries come at least 500 ms later.

const RESEND_WINDOW = 250;

/** Koa middleware for the web-test-runner config: runs before the test server's own file serving. */
export function sessionTestServer() {
  const scripts = new Map();
  const seen = new Map();

  const json = (res, status, value, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
    res.end(JSON.stringify(value));
  };
  const readBody = (req) =>
    new Promise((resolve, reject) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => resolve(text));
      req.on('error', reject);
    });

  /** Answers one request as `step` says (after its delay). */
  const play = (req, res, step) => {
    if (step.destroy) return req.socket.destroy();
    if (step.body === undefined) return json(res, step.status ?? 200, step.json ?? {}, step.headers);
    res.writeHead(step.status ?? 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...step.headers });
    res.end(step.body);
  };

  const middleware = async (ctx, next) => {
    if (!ctx.path.startsWith('/__session/')) return next();
    ctx.respond = false;
    const { req, res } = ctx;
    const id = String(ctx.query.id ?? '');
    if (ctx.path === '/__session/script' && req.method === 'POST') {
      scripts.set(id, JSON.parse(await readBody(req)));
      seen.set(id, []);
      return json(res, 200, { ok: true });
    }
    if (ctx.path === '/__session/seen') return json(res, 200, seen.get(id) ?? []);
    if (ctx.path !== '/__session/answer') return json(res, 404, { error: 'not_found' });

    const steps = scripts.get(id) ?? [{ status: 404, json: { error: 'no script for this id' } }];
    const log = seen.get(id) ?? [];
    seen.set(id, log);
    // Koa's default 404 would show up in the runner's report of failed requests.
    ctx.status = 200;
    const last = log.at(-1);
    if (last?.resent && Date.now() - last.lastSeen < RESEND_WINDOW) {
      // The browser's own silent resend of that attempt: answered the same way, not an attempt.
      last.resends++;
      last.lastSeen = Date.now();
      return play(req, res, steps[Math.min(log.length - 1, steps.length - 1)]);
    }
    const record = {
      method: req.method,
      contentType: req.headers['content-type'] ?? null,
      accept: req.headers.accept ?? null,
      cookie: req.headers.cookie ?? null,
      origin: req.headers.origin ?? null,
      body: null,
      at: 0,
      aborted: false,
      destroyed: false,
      resends: 0,
    };
    const now = Date.now();
    record.at = log.length ? now - log[0].received : 0;
    Object.defineProperty(record, 'received', { value: now, enumerable: false });
    Object.defineProperty(record, 'lastSeen', { value: now, enumerable: false, writable: true });
    Object.defineProperty(record, 'resent', { value: false, enumerable: false, writable: true });
    log.push(record);
    record.body = await readBody(req);

    const step = steps[Math.min(log.length - 1, steps.length - 1)];
    let answered = false;
    res.on('close', () => {
      if (!answered) record.aborted = true;
    });
    if (step.delay) await new Promise((resolve) => setTimeout(resolve, step.delay));
    if (record.aborted) return;
    answered = true;
    // A broken connection and a 408 on a kept-alive one: the browser may send the request again.
    record.resent = step.destroy === true || step.status === 408;
    record.lastSeen = Date.now();
    record.destroyed = step.destroy === true;
    play(req, res, step);
  };
  return middleware;
}
