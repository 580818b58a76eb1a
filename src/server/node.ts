// `finframe/server/node`: runs a Fetch API handler behind Node's `http.createServer` or Express.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { OWNS_REQUEST, READ_BODY, WRITES_JSON_TEXT, knownResponseText, type DirectBody, type FetchHandler } from './http.js';

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

/**
 * Reads the whole body of `req` in flowing mode, without a web stream: the bytes, or `undefined`
 * as soon as more than `limit` bytes arrived — reading then stops (the request is paused and
 * nothing more is kept; the answer goes out with `Connection: close`). Rejects when the request
 * is aborted or fails.
 */
function readDirect(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.byteLength;
      if (size > limit) {
        done();
        req.pause();
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = () => {
      done();
      const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      resolve(new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => {
      if (req.complete) return;
      done();
      reject(new Error('the request was aborted'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    req.resume();
  });
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

/** The absolute URL of `req`: `originalUrl` (Express) or `url`, on `Host` when it is well-formed. */
function requestUrl(req: MaybeExpressRequest): string {
  const protocol = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  const host = req.headers.host && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? req.headers.host : 'localhost';
  return new URL(req.originalUrl ?? req.url ?? '/', `${protocol}://${host}`).href;
}

/** The Fetch API headers of `req`; those the Fetch API cannot represent are left out. */
function requestHeaders(req: IncomingMessage, parsed: boolean): Headers {
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
  if (parsed) {
    // The body is Express's parsed value, re-serialized: its length is not the one on the wire.
    headers.delete('content-length');
    headers.delete('transfer-encoding');
  }
  return headers;
}

const MATERIALIZE = Symbol('materialize');

/**
 * What {@link toNodeHandler} makes of Node's request. finframe's receivers (marked
 * {@link OWNS_REQUEST}) get this object itself: of the `Request` class, `instanceof Request`, every
 * member there, its cheap parts — `method`, `url`, `headers`, `signal` — read from Node's request,
 * the body read by `readBodyBytes` through {@link READ_BODY} straight from Node's request with the
 * same limit, and the real `Request` (its body a web stream) built only if anything else is used.
 * On Node 20, building a `Request` with a body stream cost a callback more than all the rest of
 * its work. Any other handler gets the real `Request` ({@link NodeRequest.materialize}): the lazy
 * object is not one that `new Request(request)` or `fetch(request)` accept, and a handler of
 * unknown code may pass its request on.
 */
class NodeRequest implements DirectBody {
  /** toNodeHandler writes finframe's JSON answers from their text: see respondJson. */
  readonly [WRITES_JSON_TEXT] = true;

  readonly #req: MaybeExpressRequest;
  readonly #method: string;
  readonly #url: string;
  readonly #parsed: Uint8Array<ArrayBuffer> | undefined;
  #headers: Headers | undefined;
  #signal: AbortSignal | undefined;
  #aborter: AbortController | undefined;
  #aborted = false;
  #real: Request | undefined;
  /** The body was read through READ_BODY: a real Request built later has an empty, used body. */
  #bodyTaken = false;

  constructor(req: MaybeExpressRequest) {
    this.#req = req;
    this.#method = (req.method ?? 'GET').toUpperCase();
    this.#url = requestUrl(req); // throws on a malformed URL, before the handler runs
    this.#parsed = this.#method === 'GET' || this.#method === 'HEAD' ? undefined : parsedBody(req);
  }

  get method(): string {
    return this.#method;
  }

  get url(): string {
    return this.#url;
  }

  get headers(): Headers {
    if (this.#real) return this.#real.headers;
    return (this.#headers ??= requestHeaders(this.#req, this.#parsed !== undefined));
  }

  get signal(): AbortSignal {
    if (this.#real) return this.#real.signal;
    if (!this.#signal) {
      this.#aborter = new AbortController();
      this.#signal = this.#aborter.signal;
      if (this.#aborted) this.#aborter.abort();
    }
    return this.#signal;
  }

  /** The client went away before the response was finished. */
  abort(): void {
    this.#aborted = true;
    this.#aborter?.abort();
  }

  [READ_BODY](limit: number): Promise<Uint8Array | undefined> | null {
    if (this.#real || this.#method === 'GET' || this.#method === 'HEAD') return null;
    if (this.#bodyTaken) return Promise.reject(new TypeError('the body was already read'));
    this.#bodyTaken = true;
    if (this.#parsed) return Promise.resolve(this.#parsed.byteLength > limit ? undefined : this.#parsed);
    return readDirect(this.#req, limit);
  }

  get bodyUsed(): boolean {
    return this.#bodyTaken || (this.#real?.bodyUsed ?? false);
  }

  /** The real Request, built once: from here on every member is its. */
  materialize(): Request {
    return this[MATERIALIZE]();
  }

  [MATERIALIZE](): Request {
    if (this.#real) return this.#real;
    const init: RequestInit & { duplex?: 'half' } = { method: this.#method, headers: this.headers, signal: this.signal };
    if (this.#method !== 'GET' && this.#method !== 'HEAD') {
      if (this.#bodyTaken) init.body = new Uint8Array(0);
      else if (this.#parsed) init.body = this.#parsed;
      else {
        init.body = bodyStream(this.#req);
        init.duplex = 'half';
      }
    }
    this.#real = new Request(this.#url, init);
    return this.#real;
  }
}

// Every other member of Request (body, bodyUsed, text(), json(), clone(), cache, …, whatever this
// Node version has) is the real Request's, built on first use.
Object.setPrototypeOf(NodeRequest.prototype, Request.prototype);
for (const name of Reflect.ownKeys(Request.prototype)) {
  if (name === 'constructor' || Object.hasOwn(NodeRequest.prototype, name)) continue;
  const descriptor = Object.getOwnPropertyDescriptor(Request.prototype, name)!;
  if (typeof descriptor.value === 'function') {
    Object.defineProperty(NodeRequest.prototype, name, {
      configurable: true,
      writable: true,
      value(this: NodeRequest, ...args: unknown[]) {
        const real = this[MATERIALIZE]() as unknown as Record<PropertyKey, (...args: unknown[]) => unknown>;
        return real[name]!(...args);
      },
    });
  } else if (descriptor.get) {
    Object.defineProperty(NodeRequest.prototype, name, {
      configurable: true,
      get(this: NodeRequest) {
        return (this[MATERIALIZE]() as unknown as Record<PropertyKey, unknown>)[name];
      },
    });
  }
}

/** A `Content-Length` of at most {@link READ_AHEAD} bytes: cheap to read and discard. */
function smallDeclaredBody(req: IncomingMessage): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && req.headers['transfer-encoding'] === undefined && /^\d{1,5}$/.test(declared) && Number(declared) <= READ_AHEAD;
}

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  const headers = Object.create(null) as Record<string, string | string[]>;
  let cookies: string[] | undefined;
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') cookies ??= response.headers.getSetCookie();
    else headers[name] = value;
  });
  if (cookies?.length) headers['set-cookie'] = cookies;
  // A body still arriving when the answer is ready (refused early, or cut off at the limit) is not
  // waited for: the connection is closed after this response — unless its declared length is
  // small (a refused callback), which Node reads and discards to keep the connection. A body
  // already received in full is discarded by Node and the connection kept.
  if (!req.complete && !smallDeclaredBody(req)) headers.connection = 'close';
  // A finframe JSON answer goes out as the text it was made from, with its headers, in one write
  // (its Response may have no body stream at all: see respondJson).
  const known = knownResponseText(response);
  if (known !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(known));
    res.writeHead(response.status, headers).end(req.method === 'HEAD' ? undefined : known, 'utf8');
    return;
  }
  if (!response.body || req.method === 'HEAD') {
    // A body that is not sent is cancelled, so a stream behind it (an event stream) is released.
    response.body?.cancel().catch(() => {});
    res.writeHead(response.status, headers).end();
    return;
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // A body of known, modest length goes out in one write with its length; anything else (a
  // stream, an event stream) is written chunk by chunk as it comes.
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
  const lazy = (handler as Partial<Record<typeof OWNS_REQUEST, boolean>>)[OWNS_REQUEST] === true;
  return (req, res, next) => {
    // Aborted when the client goes away before the response is finished: `request.signal` tells
    // the handler (an event stream stops its timers and subscriptions).
    let request: NodeRequest | undefined;
    res.once('close', () => {
      if (!res.writableFinished) request?.abort();
    });
    void (async () => {
      try {
        request = new NodeRequest(req);
      } catch {
        res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
        res.end(JSON.stringify({ error: 'bad_request', reason: 'the request URL or headers are malformed' }));
        return;
      }
      let response: Response;
      try {
        // The peer's address, for handlers that limit per client (the status stream).
        response = await handler(lazy ? (request as unknown as Request) : request.materialize(), Object.freeze({ remoteAddress: req.socket?.remoteAddress }));
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
