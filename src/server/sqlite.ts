// `finframe/server/sqlite`: the durable, embedded store. The only module that imports
// better-sqlite3 (an optional peer dependency), so `finframe/server` itself never loads a native
// module and stays usable on edge runtimes.

import Database from 'better-sqlite3';
import {
  checkChannel,
  checkClaim,
  checkEnqueue,
  checkKey,
  checkOutcome,
  createListeners,
  deliveryFrom,
  listLimit,
  newDeliveryId,
  prefixEnd,
  recordFrom,
  recordText,
  serializeData,
  StoreClosedError,
  type CallbackOutbox,
  type CallbackStore,
  type Delivery,
  type EnqueueOptions,
  type ListOptions,
  type StoreListener,
  type StoredRecord,
  type TransactOptions,
  type TransactResult,
} from './store.js';

export type { CallbackStore, CallbackOutbox, Delivery, ListOptions, StoreListener, StoredRecord, TransactResult } from './store.js';

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; created with its directory's permissions if missing. */
  readonly path: string;
  /**
   * SQLite's `synchronous` setting. `FULL` (default) syncs the write-ahead log on every commit, so
   * an acknowledged callback survives power loss; `NORMAL` syncs only at checkpoints — still safe
   * against the process being killed, and several times faster, but the last commits can be lost
   * if the machine itself goes down.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another process's write to finish before failing, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

/** What {@link SqliteCallbackStore.info} reports, read from the open connection. */
export interface SqliteStoreInfo {
  readonly path: string;
  /** `wal` unless the file system refused write-ahead logging. */
  readonly journalMode: string;
  readonly synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';
  /** `PRAGMA user_version`: {@link SQLITE_SCHEMA_VERSION}. */
  readonly schemaVersion: number;
}

/** The store {@link sqliteStore} returns: a {@link CallbackStore} plus a look at its settings. */
export interface SqliteCallbackStore extends CallbackStore {
  /** The connection's settings as SQLite reports them (for health checks and tests). */
  info(): SqliteStoreInfo;
  /** Listeners after each committed change made through this object (not by other processes). */
  subscribe<T = unknown>(key: string, listener: StoreListener<T>): () => void;
  /** The outbox of `onUpdate` deliveries, in the same file (table `finframe_deliveries`). */
  readonly outbox: CallbackOutbox;
}

/** At most this many transacts share one transaction (bounds how long one commit blocks). */
const MAX_BATCH = 256;

/** The schema version this module writes (`PRAGMA user_version`). */
export const SQLITE_SCHEMA_VERSION = 2;

/**
 * Each migration takes the database from version `index` to `index + 1`; all of them run in one
 * `BEGIN IMMEDIATE` transaction, so two processes opening a new file at once cannot both migrate.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE finframe_records (
     key        TEXT    PRIMARY KEY NOT NULL,
     version    INTEGER NOT NULL CHECK (version >= 1),
     updated_at TEXT    NOT NULL,
     data       TEXT    NOT NULL CHECK (json_valid(data))
   ) STRICT, WITHOUT ROWID`,
  // 2: the outbox. Times are unix milliseconds; a lease is (lease_owner, lease_until).
  `CREATE TABLE finframe_deliveries (
     id          TEXT    PRIMARY KEY NOT NULL,
     channel     TEXT    NOT NULL,
     key         TEXT    NOT NULL,
     record      TEXT    NOT NULL,
     previous    TEXT,
     state       TEXT    NOT NULL CHECK (state IN ('pending', 'dead')),
     attempts    INTEGER NOT NULL,
     created_at  INTEGER NOT NULL,
     next_at     INTEGER NOT NULL,
     lease_owner TEXT,
     lease_until INTEGER NOT NULL DEFAULT 0,
     last_error  TEXT
   ) STRICT;
   CREATE INDEX finframe_deliveries_due ON finframe_deliveries (channel, state, next_at)`,
];

interface Row {
  key: string;
  version: number;
  updated_at: string;
  data: string;
}

interface DeliveryRow {
  id: string;
  channel: string;
  record: string;
  previous: string | null;
  state: string;
  attempts: number;
  created_at: number;
  next_at: number;
  last_error: string | null;
}

const toDelivery = (row: DeliveryRow): Delivery =>
  deliveryFrom({ ...row, createdAt: row.created_at, nextAt: row.next_at, lastError: row.last_error });

/**
 * A store in an SQLite database file (better-sqlite3): write-ahead logging, `synchronous = FULL`
 * unless told otherwise, and every `transact` in a `BEGIN IMMEDIATE` transaction, so "read,
 * decide, write" is atomic across processes sharing the file and nothing acknowledged is lost when
 * the process is killed. Several processes may open the same file; a write waits up to
 * `busyTimeoutMs` for another's.
 *
 * Transacts that arrive together are committed together (group commit): one transaction and one
 * fsync per burst rather than per callback, each promise resolving only after its COMMIT. better-
 * sqlite3 is synchronous, so a commit blocks the event loop while it runs (tens of microseconds,
 * plus the fsync with `FULL`).
 */
export function sqliteStore(options: SqliteStoreOptions): SqliteCallbackStore {
  if (!options || typeof options.path !== 'string' || options.path === '') {
    throw new TypeError('sqliteStore: options.path must be the database file path');
  }
  const synchronous = options.synchronous ?? 'FULL';
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new TypeError("sqliteStore: options.synchronous must be 'FULL' or 'NORMAL'");
  }
  const busyTimeout = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busyTimeout) || busyTimeout < 0) {
    throw new TypeError('sqliteStore: options.busyTimeoutMs must be a non-negative integer');
  }

  const db = new Database(options.path, { timeout: busyTimeout });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const select = db.prepare<[string], Row>('SELECT key, version, updated_at, data FROM finframe_records WHERE key = ?');
  const upsert = db.prepare<[string, number, string, string]>(
    `INSERT INTO finframe_records (key, version, updated_at, data) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at, data = excluded.data`,
  );
  const listAll = db.prepare<[number], Row>('SELECT key, version, updated_at, data FROM finframe_records ORDER BY key LIMIT ?');
  const listFrom = db.prepare<[string, number], Row>(
    'SELECT key, version, updated_at, data FROM finframe_records WHERE key >= ? ORDER BY key LIMIT ?',
  );
  const listRange = db.prepare<[string, string, number], Row>(
    'SELECT key, version, updated_at, data FROM finframe_records WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
  );

  const toRecord = <T>(row: Row | undefined): StoredRecord<T> | undefined =>
    row && recordFrom<T>(row.key, row.version, row.updated_at, row.data);

  const DELIVERY_COLUMNS = 'id, channel, record, previous, state, attempts, created_at, next_at, last_error';
  const insertDelivery = db.prepare<[string, string, string, string, string | null, number, number, string, number]>(
    `INSERT INTO finframe_deliveries (id, channel, key, record, previous, state, attempts, created_at, next_at, lease_owner, lease_until)
     VALUES (?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?, ?)`,
  );
  const selectDue = db.prepare<[string, number, number, number], DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM finframe_deliveries
     WHERE channel = ? AND state = 'pending' AND next_at <= ? AND lease_until <= ? ORDER BY next_at LIMIT ?`,
  );
  const lease = db.prepare<[string, number, string]>('UPDATE finframe_deliveries SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?');
  // The lease's owner, not its expiry, decides: a lease that ran out but was not claimed again is still this owner's.
  const leased = db.prepare<[string, string], { id: string }>("SELECT id FROM finframe_deliveries WHERE id = ? AND state = 'pending' AND lease_owner = ?");
  const remove = db.prepare<[string]>('DELETE FROM finframe_deliveries WHERE id = ?');
  const fail = db.prepare<[string, string, number, string]>(
    'UPDATE finframe_deliveries SET state = ?, last_error = ?, next_at = ?, lease_owner = NULL, lease_until = 0 WHERE id = ?',
  );
  const listDeliveries = db.prepare<[string, number], DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM finframe_deliveries WHERE state = ? ORDER BY created_at, id LIMIT ?`,
  );
  const listChannel = db.prepare<[string, string, number], DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM finframe_deliveries WHERE channel = ? AND state = ? ORDER BY created_at, id LIMIT ?`,
  );
  const replayDead = db.prepare<[number, string, string | null, string | null]>(
    `UPDATE finframe_deliveries SET state = 'pending', attempts = 0, next_at = ?, lease_owner = NULL, lease_until = 0
     WHERE id = ? AND state = 'dead' AND (? IS NULL OR channel = ?)`,
  );
  const discardDead = db.prepare<[string, string | null, string | null]>(
    "DELETE FROM finframe_deliveries WHERE id = ? AND state = 'dead' AND (? IS NULL OR channel = ?)",
  );

  type Decide = (current: StoredRecord | undefined) => unknown;
  // One transact's read, decide and write (and its delivery). Called inside the batch's
  // transaction, better-sqlite3 runs it in a SAVEPOINT: if `decide` throws, only this step is
  // rolled back.
  const step = db.transaction((key: string, decide: Decide, enqueue: EnqueueOptions | undefined): TransactResult => {
    const previous = toRecord(select.get(key));
    const next = decide(previous);
    if (next === undefined) return { record: previous, previous, changed: false };
    const version = (previous?.version ?? 0) + 1;
    const updatedAt = new Date().toISOString();
    const text = serializeData(next);
    upsert.run(key, version, updatedAt, text);
    const record = recordFrom(key, version, updatedAt, text);
    let delivery: Delivery | undefined;
    if (enqueue) {
      const now = Date.now();
      const id = newDeliveryId();
      const recordJson = recordText(record)!;
      const previousJson = recordText(previous);
      insertDelivery.run(id, enqueue.channel, key, recordJson, previousJson, now, now, enqueue.owner, now + enqueue.leaseMs);
      delivery = toDelivery({ id, channel: enqueue.channel, record: recordJson, previous: previousJson, state: 'pending', attempts: 1, created_at: now, next_at: now, last_error: null });
    }
    return { record, previous, changed: true, delivery };
  });

  const claim = db.transaction((channel: string, owner: string, leaseMs: number, limit: number): Delivery[] => {
    const now = Date.now();
    const rows = selectDue.all(channel, now, now, limit);
    for (const row of rows) lease.run(owner, now + leaseMs, row.id);
    return rows.map((row) => toDelivery({ ...row, attempts: row.attempts + 1 }));
  });
  // Runs inside a batch's transaction (see `schedule`).
  const settle = (id: string, owner: string, outcome: ReturnType<typeof checkOutcome>): boolean => {
    if (!leased.get(id, owner)) return false;
    if (outcome.ok) remove.run(id);
    else fail.run(outcome.retryInMs === undefined ? 'dead' : 'pending', outcome.error, Date.now() + (outcome.retryInMs ?? 0), id);
    return true;
  };

  const outbox: CallbackOutbox = {
    async claim(channel, claimOptions) {
      open();
      const { owner, leaseMs, limit } = checkClaim(channel, claimOptions);
      // BEGIN IMMEDIATE: the write lock first, so two processes never lease the same delivery.
      return claim.immediate(channel, owner, leaseMs, limit);
    },
    async settle(id, owner, outcome) {
      open();
      const checked = checkOutcome(outcome);
      return schedule<boolean>(() => settle(id, owner, checked));
    },
    async list(channel, listOptions = {}) {
      open();
      const state = listOptions.state ?? 'pending';
      const limit = listLimit(listOptions.limit);
      const rows = channel === undefined ? listDeliveries.all(state, limit) : listChannel.all(checkChannel(channel), state, limit);
      return rows.map(toDelivery);
    },
    async replay(id, channel) {
      open();
      return replayDead.run(Date.now(), id, channel ?? null, channel ?? null).changes === 1;
    },
    async discard(id, channel) {
      open();
      return discardDead.run(id, channel ?? null, channel ?? null).changes === 1;
    },
  };

  // Group commit. Transacts that arrive while the event loop is busy (under load: while the
  // previous commit's fsync blocked it) are queued and run together in one BEGIN IMMEDIATE …
  // COMMIT on the next turn, so a burst costs one fsync instead of one each. Each step still sees
  // the steps before it (same key included), and no promise resolves before the COMMIT that holds
  // its write has returned: nothing is acknowledged before it is durable. If the COMMIT fails,
  // every transact in the batch rejects.
  //
  // An outbox `settle` joins the same batches: a hook's delivery ends in the next group commit
  // instead of costing an fsync of its own.
  interface Pending {
    /** The transact's or settle's work, inside the batch's transaction. */
    run: () => TransactResult | boolean;
    resolve: (result: never) => void;
    reject: (error: unknown) => void;
  }
  const queue: Pending[] = [];
  let scheduled = false;
  const runBatch = db.transaction((batch: Pending[]) =>
    batch.map((item): { ok: true; value: TransactResult | boolean } | { ok: false; error: unknown } => {
      try {
        return { ok: true, value: item.run() };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  const schedule = <R>(run: () => TransactResult | boolean): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push({ run, resolve: resolve as (result: never) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  const flush = () => {
    scheduled = false;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      let outcomes;
      try {
        if (!db.open) throw new StoreClosedError();
        outcomes = runBatch.immediate(batch);
      } catch (error) {
        for (const item of batch) item.reject(error);
        continue;
      }
      // Committed: listeners hear of each change (in commit order) before any promise resolves.
      for (const outcome of outcomes) {
        if (outcome.ok && typeof outcome.value === 'object' && outcome.value.changed) listeners.emit(outcome.value.record!.key, outcome.value.record!);
      }
      batch.forEach((item, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) item.resolve(outcome.value as never);
        else item.reject(outcome.error);
      });
    }
  };

  const open = () => {
    if (!db.open) throw new StoreClosedError();
  };
  const listeners = createListeners();

  return {
    transact<T>(key: string, decide: (current: StoredRecord<T> | undefined) => T | undefined, transactOptions?: TransactOptions): Promise<TransactResult<T>> {
      let enqueue: EnqueueOptions | undefined;
      try {
        open();
        checkKey(key);
        enqueue = checkEnqueue(transactOptions);
      } catch (error) {
        return Promise.reject(error);
      }
      return schedule<TransactResult<T>>(() => step(key, decide as Decide, enqueue));
    },
    async get<T>(key: string) {
      open();
      return toRecord<T>(select.get(checkKey(key)));
    },
    async list<T>(listOptions: ListOptions = {}) {
      open();
      const limit = listLimit(listOptions.limit);
      const prefix = listOptions.prefix ?? '';
      const end = prefixEnd(prefix);
      const rows = prefix === '' ? listAll.all(limit) : end === undefined ? listFrom.all(prefix, limit) : listRange.all(prefix, end, limit);
      return rows.filter((row) => row.key.startsWith(prefix)).map((row) => toRecord<T>(row)!);
    },
    subscribe<T>(key: string, listener: StoreListener<T>) {
      open();
      return listeners.add(key, listener as StoreListener);
    },
    outbox,
    async close() {
      // What was queued before close() is still written (or rejected), never silently dropped.
      if (db.open) flush();
      if (db.open) db.close();
      listeners.clear();
    },
    info() {
      open();
      return {
        path: db.name,
        journalMode: String(db.pragma('journal_mode', { simple: true })),
        synchronous: (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[Number(db.pragma('synchronous', { simple: true }))] ?? 'FULL',
        schemaVersion: Number(db.pragma('user_version', { simple: true })),
      };
    },
  };
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SQLITE_SCHEMA_VERSION) {
    throw new Error(`sqliteStore: the database has schema version ${current}, newer than this finframe's ${SQLITE_SCHEMA_VERSION}`);
  }
  if (current === SQLITE_SCHEMA_VERSION) return;
  db.transaction(() => {
    // Read again inside the write lock: another process may have migrated meanwhile.
    const from = db.pragma('user_version', { simple: true }) as number;
    for (let version = from; version < SQLITE_SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version]!);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}
