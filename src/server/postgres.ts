// `finframe/server/postgres`: the store for several receivers on several machines. The only module
// that imports `pg` (node-postgres, an optional peer dependency), so `finframe/server` itself
// never loads it.
//
// - `transact` runs in one transaction on one pooled connection: a transaction-scoped advisory lock
//   on the key (so two instances never read the same key between each other's read and write,
//   even for a key that has no row yet), the read, `decide`, the write, the outbox delivery and a
//   `pg_notify`, then COMMIT. It resolves after COMMIT returned: with PostgreSQL's default
//   `synchronous_commit = on` the change is on disk.
// - `subscribe` hears every instance's changes: `pg_notify(channel, {k, v})` is sent at commit and
//   a dedicated connection `LISTEN`s; the listener fetches the record. While that connection is
//   down, the store polls the subscribed keys instead and reconnects with backoff.
// - The schema is versioned (`<prefix>schema_version`) and migrates itself under a transaction-
//   scoped advisory lock, so instances starting together migrate once.

import type { Client, ClientConfig, Notification, Pool, PoolClient, PoolConfig } from 'pg';

type PgModule = typeof import('pg');
let pgModule: Promise<PgModule> | undefined;
/**
 * node-postgres, loaded on first use: importing this module stays cheap, and `pg` (which looks at
 * `navigator` when it loads) is not loaded until a store needs a connection.
 */
const loadPg = (): Promise<PgModule> =>
  (pgModule ??= import('pg').then(
    (module) => (module as PgModule & { default?: PgModule }).default ?? module,
    (error: unknown) => {
      pgModule = undefined;
      throw new Error(`finframe/server/postgres needs the pg package (node-postgres 8): npm install pg (${error instanceof Error ? error.message : String(error)})`);
    },
  ));
import {
  StoreClosedError,
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
  type CallbackOutbox,
  type CallbackStore,
  type Delivery,
  type ListOptions,
  type StoreListener,
  type StoredRecord,
  type TransactOptions,
  type TransactResult,
} from './store.js';

export type { CallbackStore, CallbackOutbox, Delivery, ListOptions, StoreListener, StoredRecord, TransactResult } from './store.js';

/** The schema version this module writes (`<prefix>schema_version`). */
export const POSTGRES_SCHEMA_VERSION = 1;

/** Where {@link PostgresStoreOptions.onError} was called from. */
export interface PostgresStoreErrorContext {
  /**
   * `listen`: the LISTEN connection failed or was lost (the store polls and reconnects);
   * `pool`: an idle pooled connection failed (a pool the store created); `notify`: a change heard
   * through LISTEN could not be read.
   */
  readonly stage: 'listen' | 'pool' | 'notify';
}

/** Options of {@link postgresStore}: a `pool` or a `connectionString`. */
export interface PostgresStoreOptions {
  /** Your `pg.Pool`. The store borrows connections and never ends it; give it an `error` listener. */
  readonly pool?: Pool;
  /** Or a connection string: the store makes its own pool (ended by `close()`). */
  readonly connectionString?: string;
  /** More settings for the store's own pool (`max`, `ssl`, …); with `connectionString` only. */
  readonly poolConfig?: Omit<PoolConfig, 'connectionString'>;
  /** The schema of the tables (default `public`); created if missing. Lower-case letters, digits, `_`; at most 30. */
  readonly schema?: string;
  /** The tables' name prefix (default `finframe_`): `<prefix>records`, `<prefix>deliveries`, `<prefix>schema_version`. At most 20. */
  readonly tablePrefix?: string;
  /**
   * Hear other instances' changes through `LISTEN` (default true). The LISTEN connection is made
   * from `listenConfig`, else from `connectionString`, else from the pool's own settings.
   */
  readonly listen?: boolean;
  /** Connection settings of the LISTEN connection, when they differ from the pool's (a direct connection past PgBouncer in transaction mode, which cannot LISTEN). */
  readonly listenConfig?: ClientConfig;
  /** While the LISTEN connection is down, read the subscribed keys every this many ms (default 1000). */
  readonly pollMs?: number;
  /** Failures of the store's background connections. Default: `console.error` (never the password). */
  readonly onError?: (error: unknown, context: PostgresStoreErrorContext) => void;
}

/** The store {@link postgresStore} returns. */
export interface PostgresCallbackStore extends CallbackStore {
  subscribe<T = unknown>(key: string, listener: StoreListener<T>): () => void;
  readonly subscribesAcrossProcesses: boolean;
  readonly outbox: CallbackOutbox;
  /** Whether the LISTEN connection is up now (for health checks). */
  readonly listening: boolean;
  /**
   * Creates or migrates the tables (once per store; every operation waits for it). Rejects when the
   * database cannot be reached — and is tried again by the next operation — or has a newer schema.
   */
  migrate(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

interface RecordRow {
  key: string;
  version: number;
  updated_at: Date | string;
  data: string;
}

interface DeliveryRow {
  id: string;
  channel: string;
  record: string;
  previous: string | null;
  state: string;
  attempts: number;
  created_at: Date | string;
  next_at: Date | string;
  last_error: string | null;
}

const toRecord = <T>(row: RecordRow | undefined): StoredRecord<T> | undefined =>
  row && recordFrom<T>(row.key, Number(row.version), new Date(row.updated_at).toISOString(), row.data);

const toDelivery = (row: DeliveryRow): Delivery =>
  deliveryFrom({ ...row, createdAt: row.created_at, nextAt: row.next_at, lastError: row.last_error });

/**
 * A store in PostgreSQL (node-postgres 8), for receivers on several machines sharing one database:
 * the {@link CallbackStore} contract (atomic per key across every instance, durable when it
 * resolves), the outbox of at-least-once `onUpdate` deliveries, and `subscribe` that hears every
 * instance's changes within milliseconds (LISTEN/NOTIFY). Returns at once; the tables are created
 * by the first operation (or `migrate()`). When the database is unreachable, operations reject —
 * a receiver answers 503 with `Retry-After` — and work again once it is back, without a restart.
 *
 * @throws {TypeError} for missing or invalid options.
 */
export function postgresStore(options: PostgresStoreOptions): PostgresCallbackStore {
  if (!options || typeof options !== 'object') throw new TypeError('postgresStore: options are required');
  const { connectionString } = options;
  if (options.pool !== undefined && connectionString !== undefined) throw new TypeError('postgresStore: give options.pool or options.connectionString, not both');
  if (options.pool === undefined && (typeof connectionString !== 'string' || connectionString === '')) {
    throw new TypeError('postgresStore: options.pool (a pg.Pool) or options.connectionString is required');
  }
  if (options.pool !== undefined && (typeof options.pool !== 'object' || typeof options.pool.connect !== 'function')) {
    throw new TypeError('postgresStore: options.pool must be a pg.Pool');
  }
  const schema = options.schema ?? 'public';
  if (typeof schema !== 'string' || schema.length > 30 || !IDENTIFIER.test(schema)) {
    throw new TypeError('postgresStore: options.schema must be 1 to 30 lower-case letters, digits or _ (a letter or _ first)');
  }
  const prefix = options.tablePrefix ?? 'finframe_';
  if (typeof prefix !== 'string' || prefix.length > 20 || !(prefix === '' || IDENTIFIER.test(prefix))) {
    throw new TypeError('postgresStore: options.tablePrefix must be at most 20 lower-case letters, digits or _ (a letter or _ first)');
  }
  const pollMs = options.pollMs ?? 1000;
  if (typeof pollMs !== 'number' || !Number.isInteger(pollMs) || pollMs < 10 || pollMs > 2 ** 31 - 1) {
    throw new TypeError('postgresStore: options.pollMs must be an integer number of milliseconds, at least 10');
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('postgresStore: options.onError must be a function');
  const report = (error: unknown, context: PostgresStoreErrorContext) => {
    try {
      if (options.onError) options.onError(error, context);
      else console.error(`finframe/server/postgres: ${context.stage} failed:`, error instanceof Error ? error.message : error);
    } catch {
      // A reporter that throws must not break the store.
    }
  };

  const ownPool = options.pool === undefined;
  // Set before the first operation runs (see `connectPool`), so every query below may use it.
  let pool: Pool = options.pool!;
  let poolReady: Promise<void> | undefined = ownPool ? undefined : Promise.resolve();
  const connectPool = (): Promise<void> =>
    (poolReady ??= loadPg().then(
      (lib) => {
        pool = new lib.Pool({ connectionTimeoutMillis: 5000, ...options.poolConfig, connectionString });
        // An idle connection that dies (the server restarted) is an 'error' event on the pool;
        // without a listener Node would end the process.
        pool.on('error', (error: unknown) => report(error, { stage: 'pool' }));
      },
      (error: unknown) => {
        poolReady = undefined;
        throw error;
      },
    ));

  const q = (name: string) => `"${schema}"."${prefix}${name}"`;
  const RECORDS = q('records');
  const DELIVERIES = q('deliveries');
  const VERSION = q('schema_version');
  const CHANNEL = `${schema}.${prefix}changes`;
  const LOCK_SPACE = `finframe:${schema}.${prefix}:`;

  /** Migration n takes the schema from version n to n + 1. */
  const MIGRATIONS: readonly string[] = [
    `CREATE TABLE ${RECORDS} (
       key        text COLLATE "C" PRIMARY KEY,
       version    integer     NOT NULL CHECK (version >= 1),
       updated_at timestamptz NOT NULL,
       data       json        NOT NULL
     );
     CREATE TABLE ${DELIVERIES} (
       id          text        PRIMARY KEY,
       channel     text        NOT NULL,
       key         text        NOT NULL,
       record      json        NOT NULL,
       previous    json,
       state       text        NOT NULL CHECK (state IN ('pending', 'dead')),
       attempts    integer     NOT NULL,
       created_at  timestamptz NOT NULL DEFAULT now(),
       next_at     timestamptz NOT NULL DEFAULT now(),
       lease_owner text,
       lease_until timestamptz,
       last_error  text
     );
     CREATE INDEX "${prefix}deliveries_due" ON ${DELIVERIES} (channel, next_at) WHERE state = 'pending'`,
  ];

  // ---- lifecycle ---------------------------------------------------------------------------
  let closed = false;
  const inflight = new Set<Promise<unknown>>();
  /** Runs `work` after migration, counted as in flight so `close()` waits for it. */
  const op = <R>(work: () => Promise<R>): Promise<R> => {
    if (closed) return Promise.reject(new StoreClosedError());
    const run = migrate().then(work);
    inflight.add(run);
    const done = () => inflight.delete(run);
    run.then(done, done);
    return run;
  };

  let migrated: Promise<void> | undefined;
  function migrate(): Promise<void> {
    if (closed) return Promise.reject(new StoreClosedError());
    migrated ??= runMigrations().catch((error: unknown) => {
      migrated = undefined; // the next operation tries again (the database may be back)
      throw error;
    });
    return migrated;
  }
  async function runMigrations(): Promise<void> {
    await connectPool();
    await inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${LOCK_SPACE}migrate`]);
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${VERSION} (version integer NOT NULL)`);
      const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${VERSION}`);
      const current = Number(rows[0]?.version ?? 0);
      if (current > POSTGRES_SCHEMA_VERSION) {
        throw new Error(`postgresStore: the database has schema version ${current}, newer than this finframe's ${POSTGRES_SCHEMA_VERSION}`);
      }
      if (current === POSTGRES_SCHEMA_VERSION) return;
      for (let version = current; version < POSTGRES_SCHEMA_VERSION; version++) await client.query(MIGRATIONS[version]!);
      await client.query(`DELETE FROM ${VERSION}`);
      await client.query(`INSERT INTO ${VERSION} (version) VALUES ($1)`, [POSTGRES_SCHEMA_VERSION]);
    });
  }

  /** BEGIN … COMMIT on one pooled connection; ROLLBACK on any error (a broken connection is discarded). */
  async function inTransaction<R>(work: (client: PoolClient) => Promise<R>): Promise<R> {
    const client = await pool.connect();
    let broken: Error | undefined;
    // A connection that dies between two queries (the server restarting) is an 'error' event on
    // the checked-out client; unheard, it would end the process. The next query then fails.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  // ---- subscribe: local changes at once, other instances' through LISTEN/NOTIFY --------------
  const listeners = createListeners();
  /** The newest version told to the listeners of each subscribed key. */
  const told = new Map<string, number>();
  const tell = (record: StoredRecord) => {
    if (!listeners.has(record.key)) return;
    if ((told.get(record.key) ?? 0) >= record.version) return;
    told.set(record.key, record.version);
    listeners.emit(record.key, record);
  };

  const listenEnabled = options.listen !== false;
  const listenConfig = (): ClientConfig | undefined =>
    options.listenConfig ?? (connectionString !== undefined ? { ...options.poolConfig, connectionString } : (pool as Pool & { options?: ClientConfig }).options);
  let listenClient: Client | undefined;
  let listening = false;
  let connecting = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let failures = 0;

  const refresh = async () => {
    for (const key of listeners.keys()) {
      try {
        const record = await store.get(key);
        if (record) tell(record);
      } catch (error) {
        if (closed) return;
        report(error, { stage: 'notify' });
        return;
      }
    }
  };
  const startPolling = () => {
    if (pollTimer !== undefined || closed) return;
    pollTimer = setInterval(() => void refresh(), pollMs);
    (pollTimer as { unref?: () => void }).unref?.();
  };
  const stopPolling = () => {
    if (pollTimer !== undefined) clearInterval(pollTimer);
    pollTimer = undefined;
  };

  const connectListener = async () => {
    if (closed || connecting || listening || !listenEnabled) return;
    connecting = true;
    let lib: PgModule;
    try {
      lib = await loadPg();
    } catch (error) {
      connecting = false;
      report(error, { stage: 'listen' });
      return;
    }
    const client = new lib.Client(listenConfig());
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (listenClient === client) listenClient = undefined;
      listening = false;
      client.removeAllListeners('notification');
      client.end().catch(() => {});
      if (closed) return;
      if (error !== undefined && failures === 0) report(error, { stage: 'listen' });
      failures++;
      startPolling();
      // Backoff: 100 ms, 200 ms, … up to 5 s, with jitter.
      const delay = Math.min(5000, 100 * 2 ** Math.min(failures - 1, 6)) * (0.8 + Math.random() * 0.4);
      clearTimeout(reconnectTimer);
      reconnectTimer = setTimeout(() => void connectListener(), delay);
      (reconnectTimer as { unref?: () => void }).unref?.();
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('the LISTEN connection ended')));
    client.on('notification', (message: Notification) => void heard(message));
    try {
      await client.connect();
      await client.query(`LISTEN "${CHANNEL}"`);
    } catch (error) {
      connecting = false;
      onLost(error);
      return;
    }
    connecting = false;
    if (lost) return;
    if (closed) {
      void client.end().catch(() => {});
      return;
    }
    listenClient = client;
    listening = true;
    failures = 0;
    stopPolling();
    // Whatever changed while nobody listened.
    void refresh();
  };

  const heard = async (message: Notification) => {
    let key: unknown;
    let version: unknown;
    try {
      ({ k: key, v: version } = JSON.parse(message.payload ?? '') as { k?: unknown; v?: unknown });
    } catch {
      return;
    }
    if (typeof key !== 'string' || typeof version !== 'number' || !listeners.has(key)) return;
    if ((told.get(key) ?? 0) >= version) return;
    try {
      const record = await store.get(key);
      if (record) tell(record);
    } catch (error) {
      if (!closed) report(error, { stage: 'notify' });
    }
  };

  // ---- the contract ------------------------------------------------------------------------
  const SELECT_RECORD = `SELECT key, version, updated_at, data::text AS data FROM ${RECORDS}`;
  async function get<T>(key: string): Promise<StoredRecord<T> | undefined> {
    const { rows } = await pool.query<RecordRow>(`${SELECT_RECORD} WHERE key = $1`, [key]);
    return toRecord<T>(rows[0]);
  }

  const DELIVERY_COLUMNS = 'id, channel, record::text AS record, previous::text AS previous, state, attempts, created_at, next_at, last_error';

  const outbox: CallbackOutbox = {
    async claim(channel, claimOptions) {
      const { owner, leaseMs, limit } = checkClaim(channel, claimOptions);
      // SKIP LOCKED: instances claiming at once take different deliveries, none waits for another.
      return op(async () => {
        const { rows } = await pool.query<DeliveryRow>(
          `UPDATE ${DELIVERIES} d SET lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond', attempts = d.attempts + 1
           FROM (SELECT id FROM ${DELIVERIES}
                 WHERE channel = $1 AND state = 'pending' AND next_at <= now() AND (lease_until IS NULL OR lease_until <= now())
                 ORDER BY next_at LIMIT $4 FOR UPDATE SKIP LOCKED) due
           WHERE d.id = due.id
           RETURNING d.id, d.channel, d.record::text AS record, d.previous::text AS previous, d.state, d.attempts, d.created_at, d.next_at, d.last_error`,
          [channel, owner, leaseMs, limit],
        );
        return rows.map(toDelivery);
      });
    },
    async settle(id, owner, outcome) {
      const result = checkOutcome(outcome);
      return op(async () => {
        const done = result.ok
          ? await pool.query(`DELETE FROM ${DELIVERIES} WHERE id = $1 AND lease_owner = $2 AND state = 'pending'`, [id, owner])
          : await pool.query(
              `UPDATE ${DELIVERIES} SET state = $3, last_error = $4, next_at = now() + $5 * interval '1 millisecond', lease_owner = NULL, lease_until = NULL
               WHERE id = $1 AND lease_owner = $2 AND state = 'pending'`,
              [id, owner, result.retryInMs === undefined ? 'dead' : 'pending', result.error, result.retryInMs ?? 0],
            );
        return done.rowCount === 1;
      });
    },
    async list(channel, listOptions = {}) {
      if (channel !== undefined) checkChannel(channel);
      const state = listOptions.state ?? 'pending';
      const limit = listLimit(listOptions.limit);
      return op(async () => {
        const { rows } = await pool.query<DeliveryRow>(
          `SELECT ${DELIVERY_COLUMNS} FROM ${DELIVERIES} WHERE state = $1 AND ($2::text IS NULL OR channel = $2) ORDER BY created_at, id LIMIT $3`,
          [state, channel ?? null, limit],
        );
        return rows.map(toDelivery);
      });
    },
    async replay(id, channel) {
      return op(async () => {
        const { rowCount } = await pool.query(
          `UPDATE ${DELIVERIES} SET state = 'pending', attempts = 0, next_at = now(), lease_owner = NULL, lease_until = NULL
           WHERE id = $1 AND state = 'dead' AND ($2::text IS NULL OR channel = $2)`,
          [String(id), channel ?? null],
        );
        return rowCount === 1;
      });
    },
    async discard(id, channel) {
      return op(async () => {
        const { rowCount } = await pool.query(`DELETE FROM ${DELIVERIES} WHERE id = $1 AND state = 'dead' AND ($2::text IS NULL OR channel = $2)`, [
          String(id),
          channel ?? null,
        ]);
        return rowCount === 1;
      });
    },
  };

  const store: PostgresCallbackStore = {
    transact<T>(key: string, decide: (current: StoredRecord<T> | undefined) => T | undefined, transactOptions?: TransactOptions): Promise<TransactResult<T>> {
      let enqueue;
      try {
        checkKey(key);
        enqueue = checkEnqueue(transactOptions);
      } catch (error) {
        return Promise.reject(error);
      }
      return op(async () => {
        const result = await inTransaction(async (client): Promise<TransactResult<T>> => {
          // The key's lock, held until COMMIT, also for a key without a row (no row to lock yet).
          await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [LOCK_SPACE + key]);
          const { rows } = await client.query<RecordRow>(`${SELECT_RECORD} WHERE key = $1`, [key]);
          const previous = toRecord<T>(rows[0]);
          const next = decide(previous);
          if (next === undefined) return { record: previous, previous, changed: false };
          const version = (previous?.version ?? 0) + 1;
          const updatedAt = new Date().toISOString();
          const text = serializeData(next);
          const record = recordFrom<T>(key, version, updatedAt, text);
          const notice = JSON.stringify({ k: key, v: version });
          if (!enqueue) {
            await client.query(
              `WITH up AS (INSERT INTO ${RECORDS} (key, version, updated_at, data) VALUES ($1, $2, $3, $4::json)
                 ON CONFLICT (key) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at, data = excluded.data)
               SELECT pg_notify($5, $6)`,
              [key, version, updatedAt, text, CHANNEL, notice],
            );
            return { record, previous, changed: true };
          }
          const id = newDeliveryId();
          const recordJson = recordText(record)!;
          const previousJson = recordText(previous);
          const { rows: made } = await client.query<{ created_at: Date | string }>(
            `WITH up AS (INSERT INTO ${RECORDS} (key, version, updated_at, data) VALUES ($1, $2, $3, $4::json)
               ON CONFLICT (key) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at, data = excluded.data),
             d AS (INSERT INTO ${DELIVERIES} (id, channel, key, record, previous, state, attempts, lease_owner, lease_until)
               VALUES ($7, $8, $1, $9::json, $10::json, 'pending', 1, $11, now() + $12 * interval '1 millisecond') RETURNING created_at)
             SELECT pg_notify($5, $6), (SELECT created_at FROM d) AS created_at`,
            [key, version, updatedAt, text, CHANNEL, notice, id, enqueue.channel, recordJson, previousJson, enqueue.owner, enqueue.leaseMs],
          );
          const createdAt = made[0]?.created_at ?? new Date();
          const delivery = toDelivery({
            id,
            channel: enqueue.channel,
            record: recordJson,
            previous: previousJson,
            state: 'pending',
            attempts: 1,
            created_at: createdAt,
            next_at: createdAt,
            last_error: null,
          }) as Delivery<T>;
          return { record, previous, changed: true, delivery };
        });
        // Committed: this instance's listeners hear it now; other instances through NOTIFY.
        if (result.changed) tell(result.record as StoredRecord);
        return result;
      });
    },
    get<T>(key: string) {
      try {
        checkKey(key);
      } catch (error) {
        return Promise.reject(error);
      }
      return op(() => get<T>(key));
    },
    list<T>(listOptions: ListOptions = {}) {
      const limit = listLimit(listOptions.limit);
      const prefix = listOptions.prefix ?? '';
      const end = prefixEnd(prefix);
      return op(async () => {
        const { rows } =
          prefix === ''
            ? await pool.query<RecordRow>(`${SELECT_RECORD} ORDER BY key LIMIT $1`, [limit])
            : end === undefined
              ? await pool.query<RecordRow>(`${SELECT_RECORD} WHERE key >= $1 ORDER BY key LIMIT $2`, [prefix, limit])
              : await pool.query<RecordRow>(`${SELECT_RECORD} WHERE key >= $1 AND key < $2 ORDER BY key LIMIT $3`, [prefix, end, limit]);
        return rows.filter((row) => row.key.startsWith(prefix)).map((row) => toRecord<T>(row)!);
      });
    },
    subscribe<T>(key: string, listener: StoreListener<T>) {
      if (closed) throw new StoreClosedError();
      const off = listeners.add(key, listener as StoreListener);
      if (listenEnabled && !listening) {
        if (failures > 0) startPolling();
        void connectListener();
      } else if (!listenEnabled) startPolling();
      return () => {
        off();
        if (!listeners.has(key)) told.delete(key);
      };
    },
    get subscribesAcrossProcesses() {
      return true;
    },
    outbox,
    get listening() {
      return listening;
    },
    migrate,
    async close() {
      if (closed) return;
      closed = true;
      // What started before close() is settled (written or rejected), never dropped.
      await Promise.allSettled([...inflight]);
      stopPolling();
      clearTimeout(reconnectTimer);
      listeners.clear();
      told.clear();
      const client = listenClient;
      listenClient = undefined;
      listening = false;
      await client?.end().catch(() => {});
      if (ownPool && poolReady) {
        await poolReady.catch(() => {});
        await pool?.end().catch(() => {});
      }
    },
  };
  return store;
}
