// The status a FlexPay callback stored, served to the merchant's own page: as Server-Sent Events
// for `EventSource` (the current status at once, then each change, until a final one), or as one
// JSON answer for a page that polls. It reads the CallbackStore only; the receipt never leaves it
// (it is not stored in the first place, and only named fields are sent).
//
// Changes are noticed two ways: the store's `subscribe` (in-process, immediate) when it has one,
// and polling `store.get` every `pollMs`, which also sees a receiver in another process writing
// the same SQLite file. Watchers of one reference share one subscription and one poll read.

import { createReporter, errorResponse, jsonResponse, requireMethod, HttpError, type FetchHandler } from './http.js';
import { FLEXPAY_REFERENCE_PATTERN, FLEXPAY_STATUSES, flexPayCallbackKey, isFlexPayFinalStatus, type FlexPayStatus } from './flexpay.js';
import type { CallbackStore, StoredRecord } from './store.js';

/** What the stream and the JSON answer say about a reference. Never holds the receipt. */
export interface FlexPayStatusView {
  readonly reference: string;
  /** `null` while nothing is stored for the reference. */
  readonly status: FlexPayStatus | null;
  readonly statusLastUpdated?: string;
  readonly productType?: string;
  /** SUCCESSFUL or FAILED: nothing will change any more. */
  readonly final: boolean;
  /** The stored record's version (0 while nothing is stored): the SSE event id. */
  readonly version: number;
}

/** Where {@link StatusStreamOptions.onError} was called from. */
export interface StatusStreamErrorContext {
  /** `authorize`: the authorize function threw (answered 403); `store`: reading the store failed. */
  readonly stage: 'authorize' | 'store';
  readonly reference?: string;
}

/** Options of {@link createStatusStream}. */
export interface StatusStreamOptions {
  /** The store the FlexPay receiver writes (the same object, or another on the same SQLite file). */
  readonly store: CallbackStore;
  /**
   * Required: may this request watch this reference? Typically: is the signed-in customer (session
   * cookie) the owner of the order `reference`. Only `true` allows; anything else, or a throw, is
   * 403. References are guessable order numbers: never answer `true` for everyone.
   */
  readonly authorize: (request: Request, reference: string) => boolean | Promise<boolean>;
  /** A `: heartbeat` comment every this many ms, so proxies keep the stream open (default 15000). */
  readonly heartbeatMs?: number;
  /**
   * Read the store every this many ms for changes made elsewhere (default 2000). `0` turns polling
   * off — only allowed with a store that has `subscribe` and that no other process writes.
   */
  readonly pollMs?: number;
  /** The reconnection delay told to `EventSource` (`retry:`), in ms (default 3000). */
  readonly retryMs?: number;
  /** The query parameter naming the reference (default `reference`). */
  readonly referenceParam?: string;
  /** At most this many open event streams (per handler); more → 503 with `Retry-After`. */
  readonly maxConnections?: number;
  /** Failures that are not the request's fault. Default: `console.error`. */
  readonly onError?: (error: unknown, context: StatusStreamErrorContext) => void;
}

/** The handler {@link createStatusStream} returns: a Fetch API handler plus a look at its streams. */
export interface StatusStreamHandler extends FetchHandler {
  /** Event streams open now. */
  readonly connections: number;
  /** References watched now (each with one subscription). */
  readonly watched: number;
  /** Ends every open stream and stops the timers (for shutdown). New requests are still served. */
  close(): void;
}

interface Client {
  /** The version this client has (been sent, or said it had): only newer ones are sent. */
  version: number;
  /** Called with each newer record; false while the response is being prepared. */
  ready: boolean;
  /** The newest record seen before `ready`. */
  early: StoredRecord | undefined;
  send(bytes: Uint8Array, final: boolean): void;
  heartbeat(): void;
  end(): void;
}

interface Watch {
  readonly key: string;
  readonly reference: string;
  readonly clients: Set<Client>;
  /** The newest version delivered to this watch's clients. */
  version: number;
  unsubscribe: (() => void) | undefined;
  /** The newest record the subscription reported, waiting to be delivered. */
  pending: StoredRecord | undefined;
  scheduled: boolean;
}

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': heartbeat\n\n');
/** A client that has not read this much is dropped (it reconnects and resumes by Last-Event-ID). */
const MAX_UNREAD_BYTES = 256 * 1024;

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Accel-Buffering': 'no',
  'X-Content-Type-Options': 'nosniff',
};

/** The view of a stored record (or of nothing stored): named fields only. */
export function flexPayStatusView(reference: string, record: StoredRecord | undefined): FlexPayStatusView {
  const data = (record?.data ?? {}) as Record<string, unknown>;
  const status = (FLEXPAY_STATUSES as readonly unknown[]).includes(data.status) ? (data.status as FlexPayStatus) : null;
  if (!record || status === null) return { reference, status: null, final: false, version: record?.version ?? 0 };
  return {
    reference,
    status,
    ...(typeof data.statusLastUpdated === 'string' ? { statusLastUpdated: data.statusLastUpdated } : {}),
    ...(typeof data.productType === 'string' ? { productType: data.productType } : {}),
    final: isFlexPayFinalStatus(status),
    version: record.version,
  };
}

function eventBytes(view: FlexPayStatusView): Uint8Array {
  return encoder.encode(`id: ${view.version}\nevent: status\ndata: ${JSON.stringify(view)}\n\n`);
}

function positiveMs(value: unknown, fallback: number, name: string, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < (allowZero ? 0 : 1) || value > 2 ** 31 - 1) {
    throw new TypeError(`createStatusStream: options.${name} must be a ${allowZero ? 'non-negative' : 'positive'} number of milliseconds`);
  }
  return Math.floor(value);
}

/** `Last-Event-ID` (or the `lastEventId` query parameter) as a version, or undefined. */
function lastEventId(request: Request, url: URL): number | undefined {
  const raw = request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId');
  if (raw === null || !/^\d{1,15}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

/**
 * Creates the status endpoint the browser watches: `GET {path}?reference=R`.
 *
 * - `Accept: text/event-stream` → Server-Sent Events: `retry: <retryMs>`, the current status at
 *   once, then every change (`id: <version>`, `event: status`, `data: <FlexPayStatusView JSON>`),
 *   `: heartbeat` comments every `heartbeatMs`; the stream ends after a final status. With
 *   `Last-Event-ID` (or `?lastEventId=`) equal to the current version the current status is not
 *   sent again, and if that version is final the answer is 204 (EventSource stops reconnecting).
 * - anything else → one JSON {@link FlexPayStatusView} (for polling).
 *
 * Refusals: 405 (not GET/HEAD), 400 (`reference` missing or invalid), 403 (`authorize` did not
 * return true), 503 (`maxConnections` streams open, or the store failed). Never throws.
 *
 * @throws {TypeError} at creation without `store` or `authorize`, or with invalid options.
 */
export function createStatusStream(options: StatusStreamOptions): StatusStreamHandler {
  if (!options || typeof options !== 'object') throw new TypeError('createStatusStream: options are required');
  const { store } = options;
  if (!store || typeof store.get !== 'function') throw new TypeError('createStatusStream: options.store must be a CallbackStore');
  if (typeof options.authorize !== 'function') {
    throw new TypeError('createStatusStream: options.authorize(request, reference) is required: decide who may watch which reference');
  }
  const authorize = options.authorize;
  const heartbeatMs = positiveMs(options.heartbeatMs, 15_000, 'heartbeatMs');
  const retryMs = positiveMs(options.retryMs, 3000, 'retryMs', true);
  const canSubscribe = typeof store.subscribe === 'function';
  const pollMs = positiveMs(options.pollMs, 2000, 'pollMs', true);
  if (pollMs === 0 && !canSubscribe) throw new TypeError('createStatusStream: options.pollMs may be 0 only with a store that has subscribe()');
  const referenceParam = options.referenceParam ?? 'reference';
  if (typeof referenceParam !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(referenceParam)) {
    throw new TypeError('createStatusStream: options.referenceParam must be a query parameter name');
  }
  const maxConnections = options.maxConnections;
  if (maxConnections !== undefined && (!Number.isInteger(maxConnections) || maxConnections < 0)) {
    throw new TypeError('createStatusStream: options.maxConnections must be a non-negative integer');
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('createStatusStream: options.onError must be a function');
  const retryLine = encoder.encode(`retry: ${retryMs}\n\n`);

  const report = createReporter<StatusStreamErrorContext>('status stream', options.onError, (context) => context.reference);

  /** The stored record, or a 503 (reported) when the store fails. */
  const read = async (key: string, reference: string): Promise<StoredRecord | undefined> => {
    try {
      return await store.get(key);
    } catch (error) {
      report(error, { stage: 'store', reference });
      throw new HttpError(503, 'store_unavailable', 'the status could not be read; retry later', { 'Retry-After': '5' });
    }
  };

  // ---- watches: one per watched key, shared by its clients -----------------------------------
  const watches = new Map<string, Watch>();
  let connections = 0; // clients attached (streams open or being opened)
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let polling = false;

  const deliver = (watch: Watch, record: StoredRecord) => {
    if (record.version > watch.version) watch.version = record.version;
    let bytes: Uint8Array | undefined;
    let final = false;
    for (const client of [...watch.clients]) {
      if (record.version <= client.version) continue;
      if (!client.ready) {
        if (!client.early || client.early.version < record.version) client.early = record;
        continue;
      }
      if (!bytes) {
        const view = flexPayStatusView(watch.reference, record);
        bytes = eventBytes(view);
        final = view.final;
      }
      client.version = record.version;
      client.send(bytes, final);
    }
  };

  const poll = async () => {
    if (polling) return; // the previous round is still reading
    polling = true;
    try {
      await Promise.all(
        [...watches.values()].map(async (watch) => {
          try {
            const record = await store.get(watch.key);
            if (record) deliver(watch, record);
          } catch (error) {
            report(error, { stage: 'store', reference: watch.reference });
          }
        }),
      );
    } finally {
      polling = false;
    }
  };

  const startTimers = () => {
    heartbeatTimer ??= setInterval(() => {
      for (const watch of watches.values()) for (const client of watch.clients) if (client.ready) client.heartbeat();
    }, heartbeatMs);
    if (pollMs > 0) pollTimer ??= setInterval(() => void poll(), pollMs);
  };
  const stopTimersIfIdle = () => {
    if (connections > 0) return;
    if (heartbeatTimer !== undefined) clearInterval(heartbeatTimer);
    if (pollTimer !== undefined) clearInterval(pollTimer);
    heartbeatTimer = pollTimer = undefined;
  };

  const attach = (key: string, reference: string, client: Client): Watch => {
    let watch = watches.get(key);
    if (!watch) {
      watch = { key, reference, clients: new Set(), version: 0, unsubscribe: undefined, pending: undefined, scheduled: false };
      watches.set(key, watch);
      if (canSubscribe) {
        const target = watch;
        try {
          // Delivered on a later turn, not inside the store's commit: the callback that made the
          // change is acknowledged without waiting for thousands of streams to be written.
          watch.unsubscribe = store.subscribe!(key, (record) => {
            if (!target.pending || record.version > target.pending.version) target.pending = record;
            if (target.scheduled) return;
            target.scheduled = true;
            setTimeout(() => {
              const next = target.pending;
              target.pending = undefined;
              target.scheduled = false;
              if (next && watches.get(key) === target) deliver(target, next);
            }, 0);
          });
        } catch (error) {
          report(error, { stage: 'store', reference }); // polling still covers it
        }
      }
    }
    watch.clients.add(client);
    connections++;
    startTimers();
    return watch;
  };
  const detach = (watch: Watch, client: Client) => {
    if (!watch.clients.delete(client)) return;
    connections--;
    if (watch.clients.size === 0) {
      watches.delete(watch.key);
      try {
        watch.unsubscribe?.();
      } catch {
        // The store may be closed already.
      }
    }
    stopTimersIfIdle();
  };

  // ---- requests ------------------------------------------------------------------------------
  const stream = async (request: Request, url: URL, reference: string, key: string): Promise<Response> => {
    if (maxConnections !== undefined && connections >= maxConnections) {
      throw new HttpError(503, 'too_many_connections', 'too many status streams are open; retry later', { 'Retry-After': String(Math.max(1, Math.ceil(retryMs / 1000))) });
    }
    const since = lastEventId(request, url);
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    let ended = false;
    const client: Client = {
      version: -1,
      ready: false,
      early: undefined,
      send(bytes, final) {
        if (ended || !controller) return;
        controller.enqueue(bytes);
        if (final) this.end();
        else if ((controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) this.end();
      },
      heartbeat() {
        if (ended || !controller) return;
        controller.enqueue(HEARTBEAT);
        if ((controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) this.end();
      },
      end() {
        if (ended) return;
        ended = true;
        request.signal.removeEventListener('abort', onAbort);
        detach(watch, client);
        try {
          controller?.close();
        } catch {
          // Already closed or cancelled.
        }
      },
    };
    const onAbort = () => client.end();
    // Attached before reading, so a change committed meanwhile is not missed (kept in `early`).
    const watch = attach(key, reference, client);
    let current: StoredRecord | undefined;
    try {
      current = await read(key, reference);
    } catch (error) {
      client.end();
      throw error;
    }
    if (client.early && (!current || client.early.version > current.version)) current = client.early;
    const view = flexPayStatusView(reference, current);
    if (since === view.version && view.final) {
      client.end();
      return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
    }
    if (request.signal.aborted) {
      client.end();
      return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
    }
    request.signal.addEventListener('abort', onAbort, { once: true });

    const body = new ReadableStream<Uint8Array>(
      {
        start(c) {
          controller = c;
          c.enqueue(retryLine);
          client.version = view.version;
          if (since !== view.version) {
            if (view.version > watch.version) watch.version = view.version;
            c.enqueue(eventBytes(view));
            if (view.final) {
              client.end();
              return;
            }
          }
          client.ready = true;
          // Anything newer that arrived while this response was being built.
          const early = client.early;
          client.early = undefined;
          if (early && early.version > client.version) deliver(watch, early);
        },
        cancel() {
          client.end();
        },
      },
      { highWaterMark: 16 * 1024, size: (chunk) => chunk.byteLength },
    );
    return new Response(body, { status: 200, headers: SSE_HEADERS });
  };

  const handle = async (request: Request): Promise<Response> => {
    requireMethod(request, ['GET', 'HEAD']);
    const url = new URL(request.url);
    const values = url.searchParams.getAll(referenceParam);
    const reference = values.length === 1 ? values[0]! : undefined;
    if (reference === undefined || !FLEXPAY_REFERENCE_PATTERN.test(reference)) {
      throw new HttpError(400, 'invalid_reference', `the ${referenceParam} query parameter is missing or invalid (1 to 128 characters: letters, digits, ._~:@#+=/-)`);
    }
    let allowed: unknown;
    try {
      allowed = await authorize(request, reference);
    } catch (error) {
      report(error, { stage: 'authorize', reference });
      allowed = false;
    }
    if (allowed !== true) throw new HttpError(403, 'forbidden', 'not allowed to watch this reference');

    const key = flexPayCallbackKey({ reference });
    const accept = request.headers.get('accept') ?? '';
    if (request.method === 'GET' && /text\/event-stream/i.test(accept)) return stream(request, url, reference, key);

    const response = jsonResponse(200, flexPayStatusView(reference, await read(key, reference)));
    return request.method === 'HEAD' ? new Response(null, { status: 200, headers: response.headers }) : response;
  };

  const handler = (async (request: Request): Promise<Response> => {
    try {
      return await handle(request);
    } catch (error) {
      if (error instanceof HttpError) return error.toResponse();
      return errorResponse(500, 'internal_error', 'the status could not be served');
    }
  }) as StatusStreamHandler;
  Object.defineProperties(handler, {
    connections: { get: () => connections, enumerable: true },
    watched: { get: () => watches.size, enumerable: true },
    close: {
      value() {
        for (const watch of [...watches.values()]) for (const client of [...watch.clients]) client.end();
        stopTimersIfIdle();
      },
    },
  });
  return handler;
}
