// `finframe/server/node`: runs a Fetch API handler behind Node's `http.createServer` or Express.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchHandler } from './http.js';

export type { FetchHandler, ConnectionInfo } from './http.js';

/** A Node `http` request listener that is also an Express middleware. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** What Express (or body-parser) may have put on the request. */
interface MaybeExpressRequest extends IncomingMessage {
  body?: unknown;
  _body?: boolean;
  originalUrl?: string;
}

/** How far reading may run ahead of the handler, in bytes, before the request is paused. */
const READ_AHEAD = 16 * 1024;

/**
 * The request body as a web stream that starts reading `req` only when first pulled: a handler
 * that refuses the request before reading (401, 413 by Content-Length) reads nothing, and Node
 * discards the rest; one that stops reading (413 while streaming) leaves the rest unread. Reading
 * runs in flowing mode (cheaper than `read()` per chunk) and pauses when more than
 * {@link READ_AHEAD} bytes wait unread.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let started = false;
  let finished = false;
  const settle = (action: () => void) => {
    if (finished) return;
    finished = true;
    try {
      action();
    } catch {
      // The stream was cancelled meanwhile.
    }
  };
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!started) {
          started = true;
          req.on('data', (chunk: Buffer | string) => {
            if (finished) return;
            controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            if ((controller.desiredSize ?? 0) < -READ_AHEAD) req.pause();
          });
          req.once('end', () => settle(() => controller.close()));
          req.once('error', (error) => settle(() => controller.error(error)));
          req.once('close', () => {
            if (!req.complete) settle(() => controller.error(new Error('the request was aborted')));
          });
        }
        req.resume();
      },
      cancel() {
        finished = true;
        // Stop reading; if the body is still arriving the answer goes out with `Connection: close`.
        req.pause();
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
}

/** A body Express already parsed, as bytes; `undefined` when the stream is still unread. */
function parsedBody(req: MaybeExpressRequest): Uint8Array<ArrayBuffer> | undefined {
  // body-parser sets `req._body` once it has read the stream; express.json() leaves `{}` on
  // requests it did not parse (another content type), and then the stream is still there.
  if (req.body === undefined || !(req._body === true || req.readableEnded)) return undefined;
  const body = req.body;
  if (body instanceof Uint8Array) return new Uint8Array(body); // a copy, backed by a plain ArrayBuffer
  if (typeof body === 'string') return new TextEncoder().encode(body);
  return new TextEncoder().encode(JSON.stringify(body) ?? '');
}

function toRequest(req: MaybeExpressRequest, signal: AbortSignal): Request {
  const protocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const host = req.headers.host && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? req.headers.host : 'localhost';
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${protocol}://${host}`);
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers
    try {
      headers.append(name, raw[i + 1]!);
    } catch {
      // A header the Fetch API cannot represent is not one a callback needs.
    }
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
  if (method !== 'GET' && method !== 'HEAD') {
    const parsed = parsedBody(req);
    if (parsed !== undefined) {
      headers.delete('content-length');
      headers.delete('transfer-encoding');
      init.body = parsed;
    } else {
      init.body = bodyStream(req);
      init.duplex = 'half';
    }
  }
  return new Request(url, init);
}

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  if (cookies.length) res.setHeader('set-cookie', cookies);
  // A body still arriving when the answer is ready (refused early, or cut off at the limit) is not
  // waited for: the connection is closed after this response. A body already received in full
  // is discarded by Node and the connection kept.
  if (!req.complete) res.setHeader('Connection', 'close');
  if (!response.body || req.method === 'HEAD') {
    // A body that is not sent is cancelled, so a stream behind it (an event stream) is released.
    response.body?.cancel().catch(() => {});
    res.end();
    return;
  }
  // A body of known, modest length (every finframe answer) goes out in one write with its length;
  // anything else (a stream, an event stream) is written chunk by chunk as it comes.
  const declared = response.headers.get('content-length');
  if (declared !== null && /^\d{1,7}$/.test(declared) && Number(declared) <= 1 << 20) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    res.setHeader('Content-Length', bytes.byteLength);
    res.end(bytes);
    return;
  }
  // Headers go out now, not with the first chunk; every chunk is written as soon as it is read
  // (an event stream's events and heartbeats reach the client at once). When the client goes
  // away, the stream is cancelled.
  const reader = response.body.getReader();
  const onClose = () => reader.cancel().catch(() => {});
  res.once('close', onClose);
  res.flushHeaders();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve).once('close', resolve));
      if (res.destroyed) break;
    }
    res.end();
  } finally {
    res.off('close', onClose);
  }
}

/**
 * Adapts a Fetch API handler (such as `createFinapiCallbackHandler`'s) to Node: use the
 * result with `http.createServer(listener)` or as an Express route handler/middleware
 * (`app.post('/callbacks/finapi', toNodeHandler(handler))`).
 *
 * The request body is streamed to the handler as it is read (never buffered beyond the handler's
 * limit); if Express already parsed it (`express.json()`, `express.raw()`, `express.text()`), the
 * parsed body is used instead — an object is re-serialized with `JSON.stringify`. The URL is built
 * from `Host` and `originalUrl` (so the secret query parameter survives Express's mounting); the
 * response, streamed bodies included, is written back — a streamed body (Server-Sent Events) chunk
 * by chunk as it is produced — and `request.signal` aborts when the client disconnects before the
 * response is finished. The handler's second argument is `{ remoteAddress }`, the socket's peer
 * address (behind a reverse proxy that is the proxy's). If the handler throws (finframe's never
 * do), `next(error)` is called when given, else the answer is a bare 500.
 */
export function toNodeHandler(handler: FetchHandler): NodeHandler {
  if (typeof handler !== 'function') throw new TypeError('toNodeHandler: handler must be a function (request: Request, info?) => Promise<Response>');
  return (req, res, next) => {
    // Aborted when the client goes away before the response is finished: `request.signal` tells
    // the handler (an event stream stops its timers and subscriptions).
    const aborter = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) aborter.abort();
    });
    void (async () => {
      let request: Request;
      try {
        request = toRequest(req, aborter.signal);
      } catch {
        res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
        res.end(JSON.stringify({ error: 'bad_request', reason: 'the request URL or headers are malformed' }));
        return;
      }
      let response: Response;
      try {
        // The peer's address, for handlers that limit per client (the status stream).
        response = await handler(request, Object.freeze({ remoteAddress: req.socket?.remoteAddress }));
      } catch (error) {
        if (next) return next(error);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: 'internal_error', reason: 'the request could not be processed' }));
        return;
      }
      try {
        await writeResponse(req, res, response);
      } catch {
        res.destroy();
      }
    })();
  };
}
