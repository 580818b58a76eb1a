// Where callback receivers keep what providers told them. One record per key (`webForm:<id>`,
// `task:<id>`, later `flexpay:<reference>`), holding the latest accepted data and a version that
// counts real changes. The receiver decides what a change is; the store only makes "read, decide,
// write" atomic and durable.

/** One stored record. Records are plain JSON and come back as fresh copies: mutating one changes nothing stored. */
export interface StoredRecord<T = unknown> {
  /** `webForm:<id>`, `task:<id>`, … */
  readonly key: string;
  /** 1 for the first write of the key, then +1 for every real change. */
  readonly version: number;
  /** When the current version was written (ISO 8601, UTC). */
  readonly updatedAt: string;
  /** The validated callback body that made the current version. */
  readonly data: T;
}

/** What {@link CallbackStore.transact} did. */
export interface TransactResult<T = unknown> {
  /** The record as it is now (`undefined` only if there was none and `decide` wrote none). */
  readonly record: StoredRecord<T> | undefined;
  /** The record before, when there was one. */
  readonly previous: StoredRecord<T> | undefined;
  /** Whether this call wrote a new version. */
  readonly changed: boolean;
  /**
   * The delivery enqueued with the change, when `options.enqueue` asked for one and a new version
   * was written (stores with an {@link CallbackOutbox} only).
   */
  readonly delivery?: Delivery<T> | undefined;
}

/**
 * Options of {@link CallbackStore.transact}. A store without an {@link CallbackStore.outbox} may
 * ignore them.
 */
export interface TransactOptions {
  /**
   * When `decide` writes a new version, also enqueue a delivery of it on this outbox channel, in
   * the same transaction as the write — committed together or not at all. The delivery starts
   * leased by `owner` for `leaseMs` and counted as attempt 1: the receiver runs that first attempt
   * itself right after the commit; if it dies first, the lease expires and a dispatcher runs it.
   */
  readonly enqueue?: EnqueueOptions | undefined;
}

/** See {@link TransactOptions.enqueue}. */
export interface EnqueueOptions {
  /** The outbox channel (the receiver's `delivery.channel`: `finapi`, `flexpay`, …). 1–64 characters. */
  readonly channel: string;
  /** Who holds the first lease: the enqueuing dispatcher's id. */
  readonly owner: string;
  /** How long the first lease lasts, in ms. */
  readonly leaseMs: number;
}

/** Where a delivery is: waiting to run (or running, while leased), or given up (a dead letter). */
export type DeliveryState = 'pending' | 'dead';

/**
 * One `onUpdate` delivery in a store's outbox: the change it is about (the record as written and
 * the one before) and how its attempts went. Deliveries are plain frozen data.
 */
export interface Delivery<T = unknown> {
  /** Stable across attempts and replays (a UUID): for the hook's own idempotency. */
  readonly id: string;
  /** The outbox channel: which receiver's hook runs it. */
  readonly channel: string;
  /** The record as this change wrote it. */
  readonly record: StoredRecord<T>;
  /** The record before this change, when there was one. */
  readonly previous: StoredRecord<T> | undefined;
  readonly state: DeliveryState;
  /** Attempts leased so far (an attempt counts from its lease, whether or not it finished). */
  readonly attempts: number;
  /** When it was enqueued (ISO 8601). */
  readonly createdAt: string;
  /** When it is due next (pending) or was given up (dead), ISO 8601. */
  readonly nextAttemptAt: string;
  /** The last failure's message, when an attempt failed. */
  readonly lastError: string | undefined;
}

/** How an attempt ended, for {@link CallbackOutbox.settle}. */
export type DeliveryOutcome =
  /** The hook succeeded: the delivery is removed. */
  | { readonly ok: true }
  /** The hook failed: retry after `retryInMs`, or, without it, keep it as a dead letter. */
  | { readonly ok: false; readonly error: string; readonly retryInMs?: number | undefined };

/** Options of {@link CallbackOutbox.claim}. */
export interface ClaimOptions {
  /** The claiming dispatcher's id: only it may settle what it claims. */
  readonly owner: string;
  /** How long the lease lasts, in ms; after that another dispatcher may claim the delivery again. */
  readonly leaseMs: number;
  /** At most this many deliveries (1–1000). */
  readonly limit: number;
}

/** Options of {@link CallbackOutbox.list}. */
export interface DeliveryListOptions {
  /** `pending` (the default) or `dead`. */
  readonly state?: DeliveryState;
  /** At most this many (default 100, at most 1000), oldest first. */
  readonly limit?: number;
}

/**
 * A store's outbox: the `onUpdate` deliveries that {@link CallbackStore.transact} enqueues with each
 * change (`options.enqueue`), until a hook has run them. The receivers' dispatchers use it; a
 * third-party store implements it to give its receivers at-least-once hooks (without it, hooks run
 * once after the commit, at most once). Requirements:
 *
 * - the delivery is written in the same transaction as the change it is about;
 * - `claim` is atomic across every process sharing the store: a delivery is held by one lease at a
 *   time (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: `BEGIN IMMEDIATE`), and a claim increments
 *   `attempts`;
 * - `settle` takes effect only while `owner` still holds the lease (nobody claimed it since), and
 *   says whether it did.
 */
export interface CallbackOutbox {
  /** Leases up to `limit` pending deliveries of `channel` that are due and not leased (or whose lease expired), oldest due first. */
  claim(channel: string, options: ClaimOptions): Promise<Delivery[]>;
  /** Ends the attempt that `owner` leased: removes the delivery, schedules a retry, or keeps it as a dead letter. False when the lease was lost. */
  settle(id: string, owner: string, outcome: DeliveryOutcome): Promise<boolean>;
  /** Deliveries of `channel` (every channel when `undefined`) in a state, oldest first. */
  list(channel: string | undefined, options?: DeliveryListOptions): Promise<Delivery[]>;
  /**
   * Moves a dead letter back to pending, due now, attempts from 0 (its id unchanged). False when
   * `id` is no dead letter (of `channel`, when given).
   */
  replay(id: string, channel?: string): Promise<boolean>;
  /** Removes a dead letter for good. False when `id` is no dead letter (of `channel`, when given). */
  discard(id: string, channel?: string): Promise<boolean>;
}

/** Options of {@link CallbackStore.list}. */
export interface ListOptions {
  /** Only keys starting with this (e.g. `task:`). */
  readonly prefix?: string;
  /** At most this many records (default 100, at most 1000). */
  readonly limit?: number;
}

/** Told about each real change of one key: the record as written (see {@link CallbackStore.subscribe}). */
export type StoreListener<T = unknown> = (record: StoredRecord<T>) => void;

/**
 * Storage for callback records. Every method is asynchronous so that any backend fits; the two
 * provided are {@link memoryStore} (`finframe/server`) and `sqliteStore` (`finframe/server/sqlite`).
 *
 * An implementation must make `transact` atomic per key — no other `transact` on the same key may
 * read between this one's read and its write, in this process or (for a shared database) any other
 * — and durable: when its promise resolves with `changed: true`, the write survives a crash of
 * the process.
 */
export interface CallbackStore {
  /**
   * Reads the record of `key`, calls `decide(current)` (synchronously, exactly once), and when it
   * returns data writes that as the next version; `undefined` means "no change" and writes nothing.
   * If `decide` throws, nothing is written and the promise rejects with that error. With
   * `options.enqueue` and an {@link outbox}, a change also enqueues its delivery, atomically.
   */
  transact<T>(key: string, decide: (current: StoredRecord<T> | undefined) => T | undefined, options?: TransactOptions): Promise<TransactResult<T>>;
  /** The record of `key`, or `undefined`. */
  get<T = unknown>(key: string): Promise<StoredRecord<T> | undefined>;
  /** Records in key order. */
  list<T = unknown>(options?: ListOptions): Promise<StoredRecord<T>[]>;
  /**
   * Optional: calls `listener` with the new record after every real change of `key` made through
   * this store object — after it is committed, in this process only (another process writing the
   * same database is not seen: poll `get` for that). Returns the function that unsubscribes. A
   * listener that throws is ignored. `close()` drops every listener.
   */
  subscribe?<T = unknown>(key: string, listener: StoreListener<T>): () => void;
  /**
   * Optional: `true` when `subscribe` also reports changes that other processes and machines
   * write (PostgreSQL's `LISTEN`/`NOTIFY`, with the store's own polling while that connection is
   * down), so the status stream need not poll.
   */
  readonly subscribesAcrossProcesses?: boolean;
  /** Optional: the outbox that makes receivers' `onUpdate` hooks at-least-once (see {@link CallbackOutbox}). */
  readonly outbox?: CallbackOutbox;
  /** Releases the store (closes the database). Later calls reject. */
  close(): Promise<void>;
}

/**
 * The per-key listeners behind `subscribe`, shared by the stores: `add` returns the unsubscribe
 * function (idempotent), `emit` calls each listener of a key once with the record, isolating
 * listeners that throw; `size` counts listeners (for tests and health checks).
 */
export function createListeners() {
  const byKey = new Map<string, Set<StoreListener>>();
  return {
    add(key: string, listener: StoreListener): () => void {
      checkKey(key);
      if (typeof listener !== 'function') throw new TypeError('a store listener must be a function');
      // Wrapped, so the same function subscribed twice is two subscriptions, each removed once.
      const entry: StoreListener = (record) => listener(record);
      let set = byKey.get(key);
      if (!set) byKey.set(key, (set = new Set()));
      set.add(entry);
      return () => {
        const current = byKey.get(key);
        if (current?.delete(entry) && current.size === 0) byKey.delete(key);
      };
    },
    emit(key: string, record: StoredRecord): void {
      const set = byKey.get(key);
      if (!set) return;
      for (const listener of [...set]) {
        try {
          listener(record);
        } catch {
          // One listener's failure must not affect the write or the other listeners.
        }
      }
    },
    has(key: string): boolean {
      return byKey.has(key);
    },
    keys(): string[] {
      return [...byKey.keys()];
    },
    get size(): number {
      let n = 0;
      for (const set of byKey.values()) n += set.size;
      return n;
    },
    clear(): void {
      byKey.clear();
    },
  };
}

/**
 * What every method of a closed store rejects with. A third-party store should throw it too: the
 * receivers' delivery dispatchers stop quietly when they meet it.
 */
export class StoreClosedError extends Error {
  constructor() {
    super('the store is closed');
    this.name = 'StoreClosedError';
  }
}

/** Default and largest `limit` of {@link CallbackStore.list}. */
export const LIST_DEFAULT_LIMIT = 100;
export const LIST_MAX_LIMIT = 1000;

/** A `list` limit made safe: an integer in 1…1000, 100 when not given. */
export function listLimit(limit: number | undefined): number {
  if (limit === undefined) return LIST_DEFAULT_LIMIT;
  if (!Number.isFinite(limit)) return LIST_MAX_LIMIT;
  return Math.min(LIST_MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** Validates a record key: a non-empty string of at most 512 characters. */
export function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 512) {
    throw new TypeError('a store key must be a string of 1 to 512 characters');
  }
  return key;
}

/** JSON text of the data a `decide` returned; a TypeError for what JSON cannot hold. */
export function serializeData(data: unknown): string {
  const text = JSON.stringify(data);
  if (typeof text !== 'string') throw new TypeError('store data must be JSON-serializable');
  return text;
}

function freezeRecord<T>(key: string, version: number, updatedAt: string, text: string): StoredRecord<T> {
  return Object.freeze({ key, version, updatedAt, data: JSON.parse(text) as T });
}

/** Builds a record from stored columns (shared by the stores). */
export const recordFrom = freezeRecord;

// ---- the outbox, shared by the stores -------------------------------------------------------

/** Validates an outbox channel name: 1–64 of `A–Z a–z 0–9 _ . : -`. */
export function checkChannel(channel: unknown): string {
  if (typeof channel !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(channel)) {
    throw new TypeError('an outbox channel must be 1 to 64 characters: letters, digits, _ . : -');
  }
  return channel;
}

/** `options.enqueue` checked (channel, owner, lease), or undefined when not asked for. */
export function checkEnqueue(options: TransactOptions | undefined): EnqueueOptions | undefined {
  const enqueue = options?.enqueue;
  if (enqueue === undefined) return undefined;
  checkChannel(enqueue.channel);
  if (typeof enqueue.owner !== 'string' || enqueue.owner === '' || enqueue.owner.length > 128) {
    throw new TypeError('options.enqueue.owner must be a string of 1 to 128 characters');
  }
  checkLeaseMs(enqueue.leaseMs);
  return enqueue;
}

function checkLeaseMs(leaseMs: unknown): number {
  if (typeof leaseMs !== 'number' || !Number.isInteger(leaseMs) || leaseMs < 1 || leaseMs > 2 ** 31 - 1) {
    throw new TypeError('a lease must be a positive integer number of milliseconds');
  }
  return leaseMs;
}

/** `claim` options checked: owner, lease and a limit in 1…1000. */
export function checkClaim(channel: unknown, options: ClaimOptions): ClaimOptions {
  checkChannel(channel);
  if (!options || typeof options.owner !== 'string' || options.owner === '' || options.owner.length > 128) {
    throw new TypeError('claim: options.owner must be a string of 1 to 128 characters');
  }
  checkLeaseMs(options.leaseMs);
  return { owner: options.owner, leaseMs: options.leaseMs, limit: listLimit(options.limit) };
}

/** `settle`'s outcome checked; a retry delay clamped to 0…2^31-1 ms. */
export function checkOutcome(outcome: DeliveryOutcome): DeliveryOutcome {
  if (!outcome || typeof outcome.ok !== 'boolean') throw new TypeError('settle: the outcome must be {ok: true} or {ok: false, error, retryInMs?}');
  if (outcome.ok) return outcome;
  const error = typeof outcome.error === 'string' ? outcome.error.slice(0, MAX_ERROR_LENGTH) : 'unknown error';
  if (outcome.retryInMs === undefined) return { ok: false, error };
  const retryInMs = Math.min(2 ** 31 - 1, Math.max(0, Math.floor(Number(outcome.retryInMs) || 0)));
  return { ok: false, error, retryInMs };
}

/** Longest `lastError` kept (characters). */
export const MAX_ERROR_LENGTH = 2000;

/** A new delivery id. */
export const newDeliveryId = (): string => crypto.randomUUID();

/** The JSON text a delivery's record (or previous record) is stored as. */
export const recordText = (record: StoredRecord | undefined): string | null => (record === undefined ? null : JSON.stringify(record));

/** A record from its {@link recordText}. */
function recordFromText<T>(text: string): StoredRecord<T> {
  const { key, version, updatedAt, data } = JSON.parse(text) as StoredRecord<T>;
  return Object.freeze({ key, version, updatedAt, data });
}

const iso = (value: number | string | Date): string => new Date(value).toISOString();

/** Builds a frozen {@link Delivery} from stored columns (shared by the stores). */
export function deliveryFrom<T = unknown>(row: {
  id: string;
  channel: string;
  record: string;
  previous: string | null;
  state: string;
  attempts: number;
  createdAt: number | string | Date;
  nextAt: number | string | Date;
  lastError: string | null;
}): Delivery<T> {
  return Object.freeze({
    id: row.id,
    channel: row.channel,
    record: recordFromText<T>(row.record),
    previous: row.previous === null ? undefined : recordFromText<T>(row.previous),
    state: row.state === 'dead' ? 'dead' : 'pending',
    attempts: Number(row.attempts),
    createdAt: iso(row.createdAt),
    nextAttemptAt: iso(row.nextAt),
    lastError: row.lastError ?? undefined,
  });
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code point order
 * (SQLite's BINARY, PostgreSQL's "C" collation): the prefix with its last code point incremented.
 * `undefined` when there is none (an empty prefix, or one ending in U+10FFFF): then only the lower
 * bound applies.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate range: those code points cannot be encoded in UTF-8.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/** memoryStore's row: the JSON of `[version, updatedAt, data]`; a TypeError for data JSON cannot hold (as {@link serializeData}). */
function rowText(version: number, updatedAt: string, data: unknown): string {
  const exotic = typeof data === 'function' || typeof data === 'symbol' || typeof (data as { toJSON?: unknown } | null)?.toJSON === 'function';
  if (exotic) serializeData(data); // throws for what has no JSON text
  return JSON.stringify([version, updatedAt, data]);
}

interface MemoryDelivery {
  readonly id: string;
  readonly channel: string;
  readonly record: string;
  readonly previous: string | null;
  state: DeliveryState;
  attempts: number;
  readonly createdAt: number;
  nextAt: number;
  leaseOwner: string | undefined;
  leaseUntil: number;
  lastError: string | null;
}

/**
 * A store in this process's memory: fast and atomic (JavaScript runs `decide` and the write
 * without yielding), but lost on restart — for tests, demos and single-process setups that accept
 * losing state. Data is kept as JSON text, so what comes back is always a fresh copy. Its outbox
 * lives in memory too: hooks are retried while the process lives, and lost with it.
 */
export function memoryStore(): CallbackStore {
  // A row is one flat string, the JSON of [version, updatedAt, data]: one heap object per record
  // (and its key), which the garbage collector copies and marks far more cheaply than an object
  // holding two strings — on a busy receiver that was most of what memoryStore cost.
  const rows = new Map<string, string>();
  const deliveries = new Map<string, MemoryDelivery>();
  const listeners = createListeners();
  let closed = false;
  const open = () => {
    if (closed) throw new StoreClosedError();
  };
  const read = <T>(key: string): StoredRecord<T> | undefined => {
    const row = rows.get(key);
    if (row === undefined) return undefined;
    const [version, updatedAt, data] = JSON.parse(row) as [number, string, T];
    return Object.freeze({ key, version, updatedAt, data });
  };
  const toDelivery = (d: MemoryDelivery) => deliveryFrom({ ...d });

  const outbox: CallbackOutbox = {
    async claim(channel, options) {
      open();
      const { owner, leaseMs, limit } = checkClaim(channel, options);
      const now = Date.now();
      const due = [...deliveries.values()]
        .filter((d) => d.channel === channel && d.state === 'pending' && d.nextAt <= now && d.leaseUntil <= now)
        .sort((a, b) => a.nextAt - b.nextAt)
        .slice(0, limit);
      for (const d of due) {
        d.leaseOwner = owner;
        d.leaseUntil = now + leaseMs;
        d.attempts++;
      }
      return due.map(toDelivery);
    },
    async settle(id, owner, outcome) {
      open();
      const result = checkOutcome(outcome);
      const d = deliveries.get(id);
      if (!d || d.state !== 'pending' || d.leaseOwner !== owner) return false;
      if (result.ok) deliveries.delete(id);
      else {
        d.lastError = result.error;
        d.leaseOwner = undefined;
        d.leaseUntil = 0;
        d.nextAt = Date.now() + (result.retryInMs ?? 0);
        if (result.retryInMs === undefined) d.state = 'dead';
      }
      return true;
    },
    async list(channel, options = {}) {
      open();
      if (channel !== undefined) checkChannel(channel);
      const state = options.state ?? 'pending';
      return [...deliveries.values()]
        .filter((d) => (channel === undefined || d.channel === channel) && d.state === state)
        .sort((a, b) => a.createdAt - b.createdAt)
        .slice(0, listLimit(options.limit))
        .map(toDelivery);
    },
    async replay(id, channel) {
      open();
      const d = deliveries.get(id);
      if (!d || d.state !== 'dead' || (channel !== undefined && d.channel !== channel)) return false;
      Object.assign(d, { state: 'pending', attempts: 0, nextAt: Date.now(), leaseOwner: undefined, leaseUntil: 0 });
      return true;
    },
    async discard(id, channel) {
      open();
      const d = deliveries.get(id);
      if (!d || d.state !== 'dead' || (channel !== undefined && d.channel !== channel)) return false;
      return deliveries.delete(id);
    },
  };

  return {
    async transact<T>(key: string, decide: (current: StoredRecord<T> | undefined) => T | undefined, options?: TransactOptions): Promise<TransactResult<T>> {
      open();
      checkKey(key);
      const enqueue = checkEnqueue(options);
      const previous = read<T>(key);
      const next = decide(previous);
      if (next === undefined) return { record: previous, previous, changed: false };
      const row = rowText((previous?.version ?? 0) + 1, new Date().toISOString(), next);
      rows.set(key, row);
      const record = read<T>(key)!;
      let delivery: Delivery<T> | undefined;
      if (enqueue) {
        const now = Date.now();
        const d: MemoryDelivery = {
          id: newDeliveryId(),
          channel: enqueue.channel,
          record: recordText(record)!,
          previous: recordText(previous),
          state: 'pending',
          attempts: 1,
          createdAt: now,
          nextAt: now,
          leaseOwner: enqueue.owner,
          leaseUntil: now + enqueue.leaseMs,
          lastError: null,
        };
        deliveries.set(d.id, d);
        delivery = toDelivery(d) as Delivery<T>;
      }
      listeners.emit(key, record);
      return { record, previous, changed: true, delivery };
    },
    async get<T>(key: string) {
      open();
      return read<T>(checkKey(key));
    },
    async list<T>(options: ListOptions = {}) {
      open();
      const prefix = options.prefix ?? '';
      const keys = [...rows.keys()].filter((key) => key.startsWith(prefix)).sort();
      return keys.slice(0, listLimit(options.limit)).map((key) => read<T>(key)!);
    },
    subscribe<T>(key: string, listener: StoreListener<T>) {
      open();
      return listeners.add(key, listener as StoreListener);
    },
    outbox,
    async close() {
      closed = true;
      rows.clear();
      deliveries.clear();
      listeners.clear();
    },
  };
}
