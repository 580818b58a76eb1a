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
   * If `decide` throws, nothing is written and the promise rejects with that error.
   */
  transact<T>(key: string, decide: (current: StoredRecord<T> | undefined) => T | undefined): Promise<TransactResult<T>>;
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

/**
 * A store in this process's memory: fast and atomic (JavaScript runs `decide` and the write
 * without yielding), but lost on restart — for tests, demos and single-process setups that accept
 * losing state. Data is kept as JSON text, so what comes back is always a fresh copy.
 */
export function memoryStore(): CallbackStore {
  const rows = new Map<string, { version: number; updatedAt: string; text: string }>();
  const listeners = createListeners();
  let closed = false;
  const open = () => {
    if (closed) throw new Error('the store is closed');
  };
  const read = <T>(key: string): StoredRecord<T> | undefined => {
    const row = rows.get(key);
    return row && freezeRecord<T>(key, row.version, row.updatedAt, row.text);
  };

  return {
    async transact<T>(key: string, decide: (current: StoredRecord<T> | undefined) => T | undefined): Promise<TransactResult<T>> {
      open();
      checkKey(key);
      const previous = read<T>(key);
      const next = decide(previous);
      if (next === undefined) return { record: previous, previous, changed: false };
      const row = { version: (previous?.version ?? 0) + 1, updatedAt: new Date().toISOString(), text: serializeData(next) };
      rows.set(key, row);
      const record = freezeRecord<T>(key, row.version, row.updatedAt, row.text);
      listeners.emit(key, record);
      return { record, previous, changed: true };
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
    async close() {
      closed = true;
      rows.clear();
      listeners.clear();
    },
  };
}
