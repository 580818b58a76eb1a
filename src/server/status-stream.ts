// The status a FlexPay callback stored, served to the merchant's own page: as Server-Sent Events
// for `EventSource` (the current status at once, then each change, until a final one), or as one
// JSON answer for a page that polls. It reads the CallbackStore only; the receipt never leaves it
// (it is not stored in the first place, and only named fields are sent).
//
// Changes are noticed two ways: the store's `subscribe` (immediate; PostgreSQL's hears every instance) when it has one,
// and polling `store.get` every `pollMs`, which also sees a receiver in another process writing
// the same SQLite file. Watchers of one reference share one subscription and one poll read.
//
// Every open stream holds a socket (a file descriptor) for as long as it lives, so streams are
// bounded three ways — in all, per reference and per client — and each lives at most
// `maxStreamSeconds`: a process that also receives callbacks must never run out of descriptors
// because one visitor keeps opening streams.

import { createReporter, errorResponse, jsonResponse, requireMethod, HttpError, type ConnectionInfo, type FetchHandler } from './http.js';
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
  /**
   * `authorize`: the authorize function threw (answered 403); `clientKey`: the clientKey function
   * threw or answered something other than a string, `undefined` or `null` (answered 503);
   * `store`: reading the store failed.
   */
  readonly stage: 'authorize' | 'clientKey' | 'store';
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
   * off — only allowed with a store that has `subscribe` and that no other process writes. Not used
   * with a store whose `subscribe` hears every process (`subscribesAcrossProcesses`: PostgreSQL).
   */
  readonly pollMs?: number;
  /** The reconnection delay told to `EventSource` (`retry:`), in ms (default 3000). */
  readonly retryMs?: number;
  /** The query parameter naming the reference (default `reference`). */
  readonly referenceParam?: string;
  /**
   * At most this many event streams open at once in this handler (default 128); one more is 503
   * `too_many_connections` with `Retry-After`. Keep it well below the process's file descriptor
   * limit (`ulimit -n`) minus what the rest of the process needs. `Infinity` lifts the limit.
   */
  readonly maxConnections?: number;
  /**
   * At most this many streams open at once for one reference (default 8); one more is 429
   * `too_many_connections_per_reference`. Only streams that passed `authorize` count, so nobody
   * else can use up an order's share. `Infinity` lifts the limit.
   */
  readonly maxConnectionsPerReference?: number;
  /**
   * At most this many streams open at once for one client, as `clientKey` names it (default 8);
   * one more is 429 `too_many_connections_per_client`. `Infinity` lifts the limit.
   */
  readonly maxConnectionsPerClient?: number;
  /**
   * Names the client a stream request comes from, for `maxConnectionsPerClient`; asked only for
   * event streams, after `authorize`. A string is the key; `undefined` or `null` means the request
   * is not limited per client. Default: the remote address from `info` (an IPv6 address by its
   * /64 prefix, since one host commonly holds a whole /64; an IPv4-mapped IPv6 address as IPv4),
   * or `undefined` when the handler was called without `info` — `toNodeHandler` passes it, a
   * bare Fetch runtime does not. Behind a reverse proxy or CDN every request has the proxy's
   * address: return the client address your own proxy puts in a header (only the entry your proxy
   * wrote — the rest of `X-Forwarded-For` is whatever the client sent).
   */
  readonly clientKey?: (request: Request, info: ConnectionInfo) => string | undefined | null | Promise<string | undefined | null>;
  /**
   * An event stream ends after at most this many seconds (default 300; a random 0–10 % earlier, so
   * streams opened together do not all reconnect together). The server sends `event: reconnect`
   * and closes; `EventSource` reconnects with `Last-Event-ID` and `authorize` runs again, so a
   * revoked permission ends the watch within this time.
   */
  readonly maxStreamSeconds?: number;
  /** Failures that are not the request's fault. Default: `console.error`. */
  readonly onError?: (error: unknown, context: StatusStreamErrorContext) => void;
}

/** The handler {@link createStatusStream} returns: a Fetch API handler plus a look at its streams. */
export interface StatusStreamHandler extends FetchHandler {
  /** Event streams open now. */
  readonly connections: number;
  /** References watched now (each with one subscription). */
  readonly watched: number;
  /** Clients (by `clientKey`) with at least one stream open now. */
  readonly clients: number;
  /**
   * Ends every open stream (each told `event: reconnect`, as at the end of its lifetime) and stops
   * the timers, for shutdown. New requests are still served.
   */
  close(): void;
}

interface Client {
  /** Its `clientKey`, or undefined when not limited per client. */
  readonly key: string | undefined;
  /** The version this client has (been sent, or said it had): only newer ones are sent. */
  version: number;
  /** Called with each newer record; false while the response is being prepared. */
  ready: boolean;
  /** The newest record seen before `ready`. */
  early: StoredRecord | undefined;
  send(bytes: Uint8Array, final: boolean): void;
  heartbeat(): void;
  /** Ends the stream as planned (lifetime over, shutdown): `event: reconnect`, then the end. */
  expire(reason: 'lifetime' | 'shutdown'): void;
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
/** A planned end, before the stream closes: no `id:` line, so `Last-Event-ID` stays the last status's. */
const RECONNECT = {
  lifetime: encoder.encode('event: reconnect\ndata: {"reason":"lifetime"}\n\n'),
  shutdown: encoder.encode('event: reconnect\ndata: {"reason":"shutdown"}\n\n'),
};

/** The defaults of the limits: see the option comments and docs/server.md for why these numbers. */
export const STATUS_STREAM_DEFAULTS = Object.freeze({
  maxConnections: 128,
  maxConnectionsPerReference: 8,
  maxConnectionsPerClient: 8,
  maxStreamSeconds: 300,
});

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

function limit(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value >= 0)) return value;
  throw new TypeError(`createStatusStream: options.${name} must be a non-negative integer (or Infinity for no limit)`);
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 allowed), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address;
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((o) => o > 255)) return undefined;
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...tail].some(Number.isNaN)) return undefined;
  if (halves.length === 1 ? head.length !== 8 : head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/**
 * The default client key of a remote address: IPv4 as is; an IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`, what a dual-stack Node socket reports) as its IPv4; any other IPv6 address
 * by its /64 prefix (`2001:db8:1:2::/64`), since one host commonly holds a whole /64 and could
 * otherwise take a new key per stream. Anything unparsable is its own key.
 */
export function clientAddressKey(address: string): string {
  let text = address.trim().toLowerCase();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (!text.includes(':')) return text;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const g = ipv6Groups(text);
  if (!g) return text;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}

const defaultClientKey = (_request: Request, info: ConnectionInfo): string | undefined =>
  typeof info.remoteAddress === 'string' && info.remoteAddress !== '' ? clientAddressKey(info.remoteAddress) : undefined;

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
 *   `: heartbeat` comments every `heartbeatMs`; the stream ends after a final status, and after
 *   `maxStreamSeconds` with `event: reconnect` first (the browser reconnects, `authorize` runs
 *   again). With `Last-Event-ID` (or `?lastEventId=`) equal to the current version the current
 *   status is not sent again, and if that version is final the answer is 204 (EventSource stops
 *   reconnecting).
 * - anything else → one JSON {@link FlexPayStatusView} (for polling): one store read, nothing held
 *   open, so not counted against the stream limits.
 *
 * Refusals: 405 (not GET/HEAD), 400 (`reference` missing or invalid), 403 (`authorize` did not
 * return true), 429 (`maxConnectionsPerClient` or `maxConnectionsPerReference` streams open), 503
 * (`maxConnections` streams open, `clientKey` failed, or the store failed); 429 and 503 carry
 * `Retry-After`. Never throws.
 *
 * The optional second argument is the connection's {@link ConnectionInfo} (`toNodeHandler` passes
 * it); without it, and without a `clientKey` option, there is no per-client limit.
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
  const storeHearsAll = canSubscribe && store.subscribesAcrossProcesses === true;
  const pollMs = positiveMs(options.pollMs, 2000, 'pollMs', true);
  if (pollMs === 0 && !canSubscribe) throw new TypeError('createStatusStream: options.pollMs may be 0 only with a store that has subscribe()');
  const referenceParam = options.referenceParam ?? 'reference';
  if (typeof referenceParam !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(referenceParam)) {
    throw new TypeError('createStatusStream: options.referenceParam must be a query parameter name');
  }
  const maxConnections = limit(options.maxConnections, STATUS_STREAM_DEFAULTS.maxConnections, 'maxConnections');
  const maxPerReference = limit(options.maxConnectionsPerReference, STATUS_STREAM_DEFAULTS.maxConnectionsPerReference, 'maxConnectionsPerReference');
  const maxPerClient = limit(options.maxConnectionsPerClient, STATUS_STREAM_DEFAULTS.maxConnectionsPerClient, 'maxConnectionsPerClient');
  if (options.clientKey !== undefined && typeof options.clientKey !== 'function') {
    throw new TypeError('createStatusStream: options.clientKey must be a function (request, info) => string | undefined');
  }
  const clientKey = options.clientKey ?? defaultClientKey;
  const maxStreamSeconds = options.maxStreamSeconds ?? STATUS_STREAM_DEFAULTS.maxStreamSeconds;
  if (typeof maxStreamSeconds !== 'number' || !Number.isFinite(maxStreamSeconds) || maxStreamSeconds <= 0 || maxStreamSeconds * 1000 > 2 ** 31 - 1) {
    throw new TypeError('createStatusStream: options.maxStreamSeconds must be a positive number of seconds (at most 24 days)');
  }
  const lifetimeMs = maxStreamSeconds * 1000;
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('createStatusStream: options.onError must be a function');
  const retryLine = encoder.encode(`retry: ${retryMs}\n\n`);
  // EventSource ignores it; other clients (and proxies) should not come back sooner than this.
  const retryAfter = { 'Retry-After': String(Math.max(5, Math.ceil(retryMs / 1000))) };

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
  /** Open streams per client key; a key leaves the map when its last stream closes. */
  const perClient = new Map<string, number>();
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
    // A store whose subscribe hears every instance (PostgreSQL) needs no polling here.
    if (pollMs > 0 && !storeHearsAll) pollTimer ??= setInterval(() => void poll(), pollMs);
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
    if (client.key !== undefined) perClient.set(client.key, (perClient.get(client.key) ?? 0) + 1);
    startTimers();
    return watch;
  };
  const detach = (watch: Watch, client: Client) => {
    if (!watch.clients.delete(client)) return;
    connections--;
    if (client.key !== undefined) {
      const left = (perClient.get(client.key) ?? 1) - 1;
      if (left > 0) perClient.set(client.key, left);
      else perClient.delete(client.key);
    }
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
  /**
   * Refuses a stream over a limit. Synchronous, and followed by `attach` with no await between:
   * concurrent requests cannot all pass the check before any of them is counted.
   */
  const checkLimits = (key: string, client: string | undefined) => {
    if (client !== undefined && (perClient.get(client) ?? 0) >= maxPerClient) {
      throw new HttpError(429, 'too_many_connections_per_client', `this client has ${maxPerClient} status streams open already; close one, or retry later`, retryAfter);
    }
    if ((watches.get(key)?.clients.size ?? 0) >= maxPerReference) {
      throw new HttpError(429, 'too_many_connections_per_reference', `${maxPerReference} status streams are open for this reference already; retry later`, retryAfter);
    }
    if (connections >= maxConnections) {
      throw new HttpError(503, 'too_many_connections', 'too many status streams are open; retry later', retryAfter);
    }
  };

  const stream = async (request: Request, url: URL, reference: string, key: string, clientId: string | undefined): Promise<Response> => {
    checkLimits(key, clientId);
    const since = lastEventId(request, url);
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    let ended = false;
    let lifetime: ReturnType<typeof setTimeout> | undefined;
    const client: Client = {
      key: clientId,
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
      expire(reason) {
        if (ended) return;
        if (controller) {
          try {
            controller.enqueue(RECONNECT[reason]);
          } catch {
            // Already cancelled: end() below releases it.
          }
        }
        this.end();
      },
      end() {
        if (ended) return;
        ended = true;
        clearTimeout(lifetime);
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
          if (ended) {
            // close() ran while the store was read: end at once; EventSource reconnects.
            c.close();
            return;
          }
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
          lifetime = setTimeout(() => client.expire('lifetime'), lifetimeMs * (0.9 + Math.random() * 0.1));
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

  /** The request's client key for the per-client limit; 503 (reported) when `clientKey` fails. */
  const identify = async (request: Request, info: ConnectionInfo, reference: string): Promise<string | undefined> => {
    let id: unknown;
    try {
      id = await clientKey(request, info);
    } catch (error) {
      id = error instanceof Error ? error : new Error(String(error));
    }
    if (id === undefined || id === null) return undefined;
    if (typeof id === 'string') return id;
    report(id instanceof Error ? id : new TypeError(`clientKey returned ${typeof id}, not a string, undefined or null`), { stage: 'clientKey', reference });
    throw new HttpError(503, 'client_unidentified', 'the client could not be identified; retry later', retryAfter);
  };

  const handle = async (request: Request, info: ConnectionInfo): Promise<Response> => {
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
    if (request.method === 'GET' && /text\/event-stream/i.test(accept)) return stream(request, url, reference, key, await identify(request, info, reference));

    const response = jsonResponse(200, flexPayStatusView(reference, await read(key, reference)));
    return request.method === 'HEAD' ? new Response(null, { status: 200, headers: response.headers }) : response;
  };

  const handler = (async (request: Request, info?: ConnectionInfo): Promise<Response> => {
    try {
      // Only an object's own `remoteAddress` string counts: a runtime's second argument (Bun's
      // server, a worker's env) is not a ConnectionInfo.
      const address = info !== null && typeof info === 'object' && Object.hasOwn(info, 'remoteAddress') ? info.remoteAddress : undefined;
      return await handle(request, Object.freeze(typeof address === 'string' ? { remoteAddress: address } : {}));
    } catch (error) {
      if (error instanceof HttpError) return error.toResponse();
      return errorResponse(500, 'internal_error', 'the status could not be served');
    }
  }) as StatusStreamHandler;
  Object.defineProperties(handler, {
    connections: { get: () => connections, enumerable: true },
    watched: { get: () => watches.size, enumerable: true },
    clients: { get: () => perClient.size, enumerable: true },
    close: {
      value() {
        for (const watch of [...watches.values()]) for (const client of [...watch.clients]) client.expire('shutdown');
        stopTimersIfIdle();
      },
    },
  });
  return handler;
}
