// The HTTP plumbing every callback receiver shares: JSON answers, and reading a JSON body with a
// size limit. Fetch API only (Request, Response, ReadableStream, TextDecoder): no Node built-ins
// and no DOM, so it runs in Node ≥ 20 and in edge runtimes alike.

/**
 * What the server knows about the connection a request arrived on, which a `Request` cannot say.
 * `toNodeHandler` passes `{ remoteAddress: req.socket.remoteAddress }`; on another runtime, pass
 * what it gives (Deno: `info.remoteAddr.hostname`; Bun: `server.requestIP(request)?.address`).
 */
export interface ConnectionInfo {
  /** The peer's IP address as the socket sees it: behind a reverse proxy, the proxy's. */
  readonly remoteAddress?: string;
}

/**
 * A request handler in the Fetch API's shape: what `finframe/server` builds and `toNodeHandler`
 * adapts. The second argument is optional: every finframe handler works without it (the status
 * stream then has no remote address to limit streams per client by, see its `clientKey`).
 */
export type FetchHandler = (request: Request, info?: ConnectionInfo) => Promise<Response>;

/**
 * How an adapter offers a request's body without a stream (`toNodeHandler` reads Node's request
 * itself: a web stream per request costs more than everything else a callback needs).
 *
 * @internal
 */
export const READ_BODY: unique symbol = Symbol('finframe.readBody');

/**
 * A request whose adapter reads the body directly. `[READ_BODY](limit)` returns `null` when the
 * body must be read from `request.body` after all (already taken as a stream), else a promise of
 * the whole body, or of `undefined` when it exceeded `limit` — reading then stopped at the first
 * chunk past the limit, as {@link readBodyBytes} does — rejecting when the body cannot be read.
 *
 * @internal
 */
export interface DirectBody {
  [READ_BODY](limit: number): Promise<Uint8Array | undefined> | null;
}

/**
 * Marks a handler whose Request never reaches code outside finframe (the callback receivers: their
 * hooks get the parsed callback, not the request), so an adapter may hand it a lighter object of
 * the `Request` class built from the server's own request (see `toNodeHandler`).
 *
 * @internal
 */
export const OWNS_REQUEST: unique symbol = Symbol('finframe.ownsRequest');

/** Marks `handler` with {@link OWNS_REQUEST}. @internal */
export function ownsRequest<H extends FetchHandler>(handler: H): H {
  Object.defineProperty(handler, OWNS_REQUEST, { value: true });
  return handler;
}

/** The largest callback body accepted, in bytes (64 KiB). finAPI's bodies are a few hundred bytes. */
export const MAX_CALLBACK_BODY_BYTES = 64 * 1024;

/**
 * Every refusal's body: a stable machine-readable `error` code and a sentence for a human. Neither
 * ever contains the secret or data from the request body.
 */
export interface ErrorBody {
  readonly error: string;
  readonly reason: string;
}

/** A refusal carried as a value until it becomes a Response. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, reason: string, headers: Record<string, string> = {}) {
    super(reason);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  /** The refusal as a JSON answer; to `request`, when given, through {@link respondJson}. */
  toResponse(request?: Request): Response {
    if (request === undefined) return errorResponse(this.status, this.code, this.message, this.headers);
    const body: ErrorBody = { error: this.code, reason: this.message };
    return respondJson(request, this.status, body, this.headers);
  }
}

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
});

const encoder = new TextEncoder();

/**
 * The JSON text each {@link jsonResponse} was made from, so an adapter (`toNodeHandler`) can write
 * it without reading the body back out of the Response's stream. Weak: nothing outlives its Response.
 */
const responseTexts = new WeakMap<Response, string>();

/**
 * The body a {@link jsonResponse} was made with, as text, or `undefined` for any other Response
 * and for one whose body was read meanwhile (an adapter then reads `response.body` as usual).
 *
 * @internal
 */
export function knownResponseText(response: Response): string | undefined {
  return response.bodyUsed ? undefined : responseTexts.get(response);
}

/**
 * How an adapter answers finframe's JSON itself (`toNodeHandler`'s lazy request, which only its own
 * adapter ever sees): `[JSON_RESPONSE](status, text, headers)` returns a `Response` — a complete one
 * to any code that looks — that the adapter writes from `text` and `headers` without building a
 * body stream or a Headers object (on Node 20 those cost a callback a fifth of its time). The
 * headers given are the JSON headers already merged with the caller's; the adapter adds
 * `Content-Length`. See {@link respondJson}.
 *
 * @internal
 */
export const JSON_RESPONSE: unique symbol = Symbol('finframe.jsonResponse');

/** A request offering {@link JSON_RESPONSE}. @internal */
export interface JsonResponder {
  [JSON_RESPONSE](status: number, text: string, headers: Record<string, string>): Response;
}

/**
 * How an adapter offers single request headers without building a `Headers` object:
 * `[HEADER](name)` (name in lower case) returns what `request.headers.get(name)` would — the values
 * of every field of that name joined with `, `, or `null`. See {@link headerOf}.
 *
 * @internal
 */
export const HEADER: unique symbol = Symbol('finframe.header');

/**
 * How an adapter offers the request URL's query without parsing `request.url` again:
 * `[QUERY]()` returns the URL's search parameters (read them, never change them). See {@link queryOf}.
 *
 * @internal
 */
export const QUERY: unique symbol = Symbol('finframe.query');

/** `request.headers.get(name)`, through the adapter's {@link HEADER} when it offers one. `name` in lower case. */
export function headerOf(request: Request, name: string): string | null {
  const direct = (request as Partial<Record<typeof HEADER, (name: string) => string | null>>)[HEADER];
  return typeof direct === 'function' ? direct.call(request, name) : request.headers.get(name);
}

/** `new URL(request.url).searchParams`, through the adapter's {@link QUERY} when it offers one. Throws on an invalid URL. */
export function queryOf(request: Request): URLSearchParams {
  const direct = (request as Partial<Record<typeof QUERY, () => URLSearchParams>>)[QUERY];
  return typeof direct === 'function' ? direct.call(request) : new URL(request.url).searchParams;
}

/**
 * {@link jsonResponse} for an answer to `request`: when `request` came from an adapter that answers
 * JSON itself ({@link JSON_RESPONSE}), that adapter's Response; to any other request, the very same
 * `jsonResponse`.
 *
 * @internal
 */
export function respondJson(request: Request, status: number, value: unknown, headers?: Record<string, string>): Response {
  const make = (request as Partial<JsonResponder>)[JSON_RESPONSE];
  if (typeof make !== 'function') return jsonResponse(status, value, headers);
  return make.call(request, status, JSON.stringify(value), headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS);
}

/**
 * The Response {@link jsonResponse} makes, from the JSON text: `headers` are complete but for
 * `Content-Length`, which is added (the JSON headers, and the caller's after them).
 *
 * @internal
 */
export function jsonTextResponse(status: number, text: string, headers: Record<string, string>): Response {
  const bytes = encoder.encode(text);
  const response = new Response(bytes, { status, headers: { ...headers, 'Content-Length': String(bytes.byteLength) } });
  responseTexts.set(response, text);
  return response;
}

/**
 * A JSON response with `Content-Type: application/json`, `Cache-Control: no-store` and a
 * `Content-Length` (so adapters can send it in one write instead of chunked).
 */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return jsonTextResponse(status, JSON.stringify(value), { ...JSON_HEADERS, ...headers });
}

/** `{ error, reason }` as JSON with the given status. */
export function errorResponse(status: number, code: string, reason: string, headers: Record<string, string> = {}): Response {
  const body: ErrorBody = { error: code, reason };
  return jsonResponse(status, body, headers);
}

/** 405 with `Allow` unless the method is one of `allowed`. */
export function requireMethod(request: Request, allowed: readonly string[]): void {
  if (!allowed.includes(request.method.toUpperCase())) {
    throw new HttpError(405, 'method_not_allowed', `use ${allowed.join(' or ')}`, { Allow: allowed.join(', ') });
  }
}

/** The JSON content types callers send, accepted without parsing the header. */
const COMMON_JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json;charset=utf-8', 'application/json;charset=UTF-8']);

/**
 * 415 unless `Content-Type` is `application/json`. Parameters are allowed (`; charset=utf-8`), but
 * a charset other than UTF-8 is refused: JSON exchanged between systems is UTF-8 (RFC 8259 §8.1)
 * and the body is decoded as such.
 */
export function requireJsonContentType(request: Request): void {
  const header = headerOf(request, 'content-type');
  if (header === null) throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
  if (COMMON_JSON_TYPES.has(header)) return; // what providers send; spelled out below otherwise
  const [type = '', ...params] = header.split(';');
  if (type.trim().toLowerCase() !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() === 'charset' && !/^"?utf-?8"?$/i.test(value.trim())) {
      throw new HttpError(415, 'unsupported_media_type', 'the JSON body must be UTF-8');
    }
  }
}

/**
 * Reads the body as bytes, refusing more than `limit` bytes: a `Content-Length` above the limit
 * is refused before anything is read, and a body without one (chunked) is counted as it streams
 * and cut off one chunk past the limit, so no more than `limit` plus one chunk is ever held.
 */
export async function readBodyBytes(request: Request, limit: number = MAX_CALLBACK_BODY_BYTES): Promise<Uint8Array> {
  const tooLarge = () => new HttpError(413, 'payload_too_large', `the body must not exceed ${limit} bytes`);
  const declared = headerOf(request, 'content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) throw tooLarge();
  const direct = (request as Partial<DirectBody>)[READ_BODY]?.(limit);
  if (direct) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await direct;
    } catch {
      throw new HttpError(400, 'unreadable_body', 'the request body could not be read');
    }
    if (bytes === undefined) throw tooLarge();
    return bytes;
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'unreadable_body', 'the request body could not be read');
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** One decoder for every body: `decode` without `stream` keeps no state between calls. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 bytes and parses them as JSON; 400 `invalid_json` on either failure. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

/**
 * Content type, size limit, decoding and parsing in that order: what a JSON callback receiver
 * does once it has decided to read the body at all.
 */
export async function readJsonBody(request: Request, limit: number = MAX_CALLBACK_BODY_BYTES): Promise<unknown> {
  requireJsonContentType(request);
  return parseJsonBytes(await readBodyBytes(request, limit));
}

/** A JSON object (not null, not an array). */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reports failures that are not the request's fault to the merchant's `onError`, or to
 * `console.error` naming `label`, the stage and `subject` (a key or reference, never a secret).
 * A reporter that throws is ignored: it must not turn an acknowledged request into a failure.
 */
export function createReporter<C extends { readonly stage: string }>(
  label: string,
  onError: ((error: unknown, context: C) => void) | undefined,
  subject: (context: C) => string | undefined,
): (error: unknown, context: C) => void {
  return (error, context) => {
    try {
      if (onError) onError(error, context);
      else {
        const about = subject(context);
        console.error(`finframe/server: ${label}: ${context.stage} failed${about ? ` for ${about}` : ''}:`, error);
      }
    } catch {
      // ignored, see above
    }
  };
}
