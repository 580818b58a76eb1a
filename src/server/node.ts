// `finframe/server/node`: runs a Fetch API handler behind Node's `http.createServer` or Express.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { HEADER, JSON_RESPONSE, OWNS_REQUEST, QUERY, READ_BODY, jsonTextResponse, knownResponseText, type DirectBody, type FetchHandler, type JsonResponder } from './http.js';

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
function requestUrl(req: MaybeExpressRequest): URL {
  const protocol = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
  const host = req.headers.host && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? req.headers.host : 'localhost';
  return new URL(req.originalUrl ?? req.url ?? '/', `${protocol}://${host}`);
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
 * member there, its cheap parts — `method`, `url`, `headers`, `signal` — read from Node's request
 * (single headers and the query through {@link HEADER} and {@link QUERY} without a `Headers` or a
 * second URL parse; the `close` listener behind `signal` only once it is asked for), the body read
 * by `readBodyBytes` through {@link READ_BODY} straight from Node's request with the same limit,
 * the JSON answer made through {@link JSON_RESPONSE} as a {@link NodeJsonResponse}, and the real
 * `Request` (its body a web stream) built only if anything else is used. On Node 20, building a
 * `Request` with a body stream cost a callback more than all the rest of its work. Any other handler gets the real `Request` ({@link NodeRequest.materialize}): the lazy
 * object is not one that `new Request(request)` or `fetch(request)` accept, and a handler of
 * unknown code may pass its request on.
 */
class NodeRequest implements DirectBody, JsonResponder {
  readonly #req: MaybeExpressRequest;
  readonly #res: ServerResponse;
  readonly #method: string;
  readonly #urlObject: URL;
  #url: string | undefined;
  readonly #parsed: Uint8Array<ArrayBuffer> | undefined;
  #headers: Headers | undefined;
  #signal: AbortSignal | undefined;
  #real: Request | undefined;
  /** The body was read through READ_BODY: a real Request built later has an empty, used body. */
  #bodyTaken = false;

  constructor(req: MaybeExpressRequest, res: ServerResponse) {
    this.#req = req;
    this.#res = res;
    this.#method = (req.method ?? 'GET').toUpperCase();
    this.#urlObject = requestUrl(req); // throws on a malformed URL, before the handler runs
    this.#parsed = this.#method === 'GET' || this.#method === 'HEAD' ? undefined : parsedBody(req);
  }

  get method(): string {
    return this.#method;
  }

  get url(): string {
    return (this.#url ??= this.#urlObject.href);
  }

  get headers(): Headers {
    if (this.#real) return this.#real.headers;
    return (this.#headers ??= requestHeaders(this.#req, this.#parsed !== undefined));
  }

  /** `headers.get(name)` (`name` in lower case) read from Node's raw headers, without a Headers object. */
  [HEADER](name: string): string | null {
    // Once built (or for a re-serialized Express body, whose length headers are dropped), the Headers object answers.
    if (this.#real || this.#headers || this.#parsed) return this.headers.get(name);
    const raw = this.#req.rawHeaders;
    let value: string | null = null;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const field = raw[i]!;
      if (field.length !== name.length || field.toLowerCase() !== name) continue;
      // As Headers does: each value trimmed of surrounding whitespace, repeated fields joined.
      const v = raw[i + 1]!.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
      value = value === null ? v : `${value}, ${v}`;
    }
    return value;
  }

  /** The URL's search parameters, from the URL parsed once. */
  [QUERY](): URLSearchParams {
    return this.#urlObject.searchParams;
  }

  /** finframe's JSON answer, written by toNodeHandler from its text (see respondJson). */
  [JSON_RESPONSE](status: number, text: string, headers: Record<string, string>): Response {
    return new NodeJsonResponse(status, text, headers) as unknown as Response;
  }

  get signal(): AbortSignal {
    if (this.#real) return this.#real.signal;
    if (!this.#signal) {
      // Aborted when the client goes away before the response is finished (an event stream stops
      // its timers and subscriptions). Listened for only once a handler asks.
      const aborter = new AbortController();
      this.#signal = aborter.signal;
      const res = this.#res;
      if (res.closed) {
        if (!res.writableFinished) aborter.abort();
      } else {
        res.once('close', () => {
          if (!res.writableFinished) aborter.abort();
        });
      }
    }
    return this.#signal;
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
    this.#real = new Request(this.url, init);
    return this.#real;
  }
}

/**
 * Makes every member of `base.prototype` that `lazy` does not define itself (for Request: body,
 * text(), json(), clone(), cache, … whatever this Node version has) the real object's, built by
 * `real(this)` on first use; and `lazy`'s objects `instanceof base`.
 */
function forwardTo<L extends object, R extends object>(lazy: { prototype: L }, base: { prototype: R }, real: (self: L) => R): void {
  Object.setPrototypeOf(lazy.prototype, base.prototype);
  for (const name of Reflect.ownKeys(base.prototype)) {
    if (name === 'constructor' || Object.hasOwn(lazy.prototype, name)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(base.prototype, name)!;
    if (typeof descriptor.value === 'function') {
      Object.defineProperty(lazy.prototype, name, {
        configurable: true,
        writable: true,
        value(this: L, ...args: unknown[]) {
          const target = real(this) as unknown as Record<PropertyKey, (...args: unknown[]) => unknown>;
          return target[name]!(...args);
        },
      });
    } else if (descriptor.get) {
      Object.defineProperty(lazy.prototype, name, {
        configurable: true,
        get(this: L) {
          return (real(this) as unknown as Record<PropertyKey, unknown>)[name];
        },
      });
    }
  }
}

forwardTo(NodeRequest, Request, (request) => request[MATERIALIZE]());

/**
 * What {@link NodeRequest}'s `[JSON_RESPONSE]` returns for finframe's JSON answers: of the
 * `Response` class, `instanceof Response`, with its own `status` and `ok`; any other member builds
 * the real Response (`jsonTextResponse`: the same status, headers and body) and is that one's from
 * then on. {@link writeResponse} writes an untouched one straight from its text and headers.
 */
class NodeJsonResponse {
  readonly #status: number;
  readonly #text: string;
  readonly #headers: Record<string, string>;
  #real: Response | undefined;

  constructor(status: number, text: string, headers: Record<string, string>) {
    this.#status = status;
    this.#text = text;
    this.#headers = headers;
  }

  get status(): number {
    return this.#status;
  }

  get ok(): boolean {
    return this.#status >= 200 && this.#status <= 299;
  }

  [MATERIALIZE](): Response {
    return (this.#real ??= jsonTextResponse(this.#status, this.#text, this.#headers));
  }

  /** Status, text and headers when no real Response was built (nothing else was touched), else `undefined`. */
  static untouched(response: unknown): { status: number; text: string; headers: Record<string, string> } | undefined {
    if (typeof response !== 'object' || response === null || !(#text in response) || response.#real) return undefined;
    return { status: response.#status, text: response.#text, headers: response.#headers };
  }
}

forwardTo(NodeJsonResponse, Response, (response) => response[MATERIALIZE]());

/** A `Content-Length` of at most {@link READ_AHEAD} bytes: cheap to read and discard. */
function smallDeclaredBody(req: IncomingMessage): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && req.headers['transfer-encoding'] === undefined && /^\d{1,5}$/.test(declared) && Number(declared) <= READ_AHEAD;
}

/**
 * A body still arriving when the answer is ready (refused early, or cut off at the limit) is not
 * waited for: the connection is closed after this response — unless its declared length is small
 * (a refused callback), which Node reads and discards to keep the connection. A body already
 * received in full is discarded by Node and the connection kept.
 */
function closeIfStillArriving(req: IncomingMessage, headers: Record<string, string | string[]>): void {
  if (!req.complete && !smallDeclaredBody(req)) headers.connection = 'close';
}

/** Ends `res` with `text` (UTF-8), its length and `headers`, in one write. */
function endWithText(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string | string[]>, text: string): void {
  headers['content-length'] = String(Buffer.byteLength(text));
  closeIfStillArriving(req, headers);
  res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : text, 'utf8');
}

/** Writes `response` to `res`: synchronously when its text is known or it has no body; a promise while a body is read. */
function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> | undefined {
  // finframe's own JSON answer, untouched since: its text with its headers, in one write.
  const direct = NodeJsonResponse.untouched(response);
  if (direct) {
    endWithText(req, res, direct.status, { ...direct.headers }, direct.text);
    return;
  }
  res.statusCode = response.status;
  const headers = Object.create(null) as Record<string, string | string[]>;
  let cookies: string[] | undefined;
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') cookies ??= response.headers.getSetCookie();
    else headers[name] = value;
  });
  if (cookies?.length) headers['set-cookie'] = cookies;
  // A finframe JSON answer (jsonResponse) goes out as the text it was made from, in one write.
  const known = knownResponseText(response);
  if (known !== undefined) {
    endWithText(req, res, response.status, headers, known);
    return;
  }
  closeIfStillArriving(req, headers);
  if (!response.body || req.method === 'HEAD') {
    // A body that is not sent is cancelled, so a stream behind it (an event stream) is released.
    response.body?.cancel().catch(() => {});
    res.writeHead(response.status, headers).end();
    return;
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  return writeBody(res, response, response.body);
}

/** The rest of {@link writeResponse}: a body read from its stream (headers set already). */
async function writeBody(res: ServerResponse, response: Response, body: ReadableStream<Uint8Array>): Promise<void> {
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
  const reader = body.getReader();
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
 * by chunk as it is produced; a finframe receiver's own JSON answer in one write from its text —
 * and `request.signal` aborts when the client disconnects before the
 * response is finished. The handler's second argument is `{ remoteAddress }`, the socket's peer
 * address (behind a reverse proxy that is the proxy's). If the handler throws (finframe's never
 * do), `next(error)` is called when given, else the answer is a bare 500.
 */
export function toNodeHandler(handler: FetchHandler): NodeHandler {
  if (typeof handler !== 'function') throw new TypeError('toNodeHandler: handler must be a function (request: Request, info?) => Promise<Response>');
  const lazy = (handler as Partial<Record<typeof OWNS_REQUEST, boolean>>)[OWNS_REQUEST] === true;
  return (req, res, next) => {
    let request: NodeRequest;
    try {
      request = new NodeRequest(req, res);
    } catch {
      res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
      res.end(JSON.stringify({ error: 'bad_request', reason: 'the request URL or headers are malformed' }));
      return;
    }
    const fail = (error: unknown) => {
      if (next) return next(error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'internal_error', reason: 'the request could not be processed' }));
    };
    const write = (response: Response) => {
      try {
        writeResponse(req, res, response)?.catch(() => res.destroy());
      } catch {
        res.destroy();
      }
    };
    let answer: Response | Promise<Response>;
    try {
      // The peer's address, for handlers that limit per client (the status stream).
      answer = handler(lazy ? (request as unknown as Request) : request.materialize(), Object.freeze({ remoteAddress: req.socket?.remoteAddress }));
    } catch (error) {
      fail(error);
      return;
    }
    Promise.resolve(answer).then(write, fail);
  };
}
