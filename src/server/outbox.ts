// At-least-once `onUpdate` hooks. A receiver whose store has an outbox asks `transact` to enqueue
// each change's delivery in the same transaction as the change; after the commit it runs the
// first attempt itself (the delivery is leased to it from the start), and a dispatcher — a timer
// in every receiver — claims what is due: retries after failures (exponential backoff), and
// deliveries whose lease ran out because the process that held them died. Nothing here depends on
// the store's kind: memory, SQLite and PostgreSQL implement the same `CallbackOutbox`.

import type { CallbackOutbox, CallbackStore, Delivery, DeliveryListOptions, DeliveryOutcome, EnqueueOptions, StoredRecord } from './store.js';

/** What a hook is told about the delivery it runs (the third argument of `onUpdate`). */
export interface DeliveryInfo {
  /** Stable across attempts and replays: use it to make the hook's effect idempotent. */
  readonly deliveryId: string;
  /** 1 for the first attempt, then 2, 3, … (from 1 again after a replay). */
  readonly attempt: number;
}

/** A receiver's `onUpdate`: the record as the change wrote it, the one before, and the delivery. */
export type UpdateHook<T> = (record: StoredRecord<T>, previous: StoredRecord<T> | undefined, delivery: DeliveryInfo) => unknown;

/** Options of a receiver's delivery of `onUpdate` (its `delivery` option). Every field is optional. */
export interface DeliveryOptions {
  /**
   * The outbox channel this receiver's deliveries go to (default: `finapi` / `flexpay`). Two
   * receivers with different hooks on one store need different channels.
   */
  readonly channel?: string;
  /** Attempts before a delivery becomes a dead letter (default 10). */
  readonly maxAttempts?: number;
  /** The delay before the first retry, in ms (default 5000); each later one is 3 × longer… */
  readonly minDelayMs?: number;
  /** …up to this (default 3,600,000: an hour). With the defaults, 10 attempts span about 3 h 50 min. */
  readonly maxDelayMs?: number;
  /**
   * How long one attempt may hold its delivery, in ms (default 60,000). A hook still running
   * after that may be run a second time elsewhere: keep hooks shorter, or raise this.
   */
  readonly leaseMs?: number;
  /** How often the dispatcher looks for due deliveries, in ms (default 1000). */
  readonly pollMs?: number;
  /** At most this many deliveries run at once in this receiver (default 8). */
  readonly concurrency?: number;
}

/** The defaults of {@link DeliveryOptions}. */
export const DELIVERY_DEFAULTS = Object.freeze({
  maxAttempts: 10,
  minDelayMs: 5000,
  maxDelayMs: 3_600_000,
  leaseMs: 60_000,
  pollMs: 1000,
  concurrency: 8,
});

/**
 * A receiver's handle on its hook deliveries (`receiver.deliveries`). With a store that has no
 * outbox (`mode: 'at-most-once'`) the hook runs once after each commit and the lists are empty.
 */
export interface DeliveryControl<T = unknown> {
  /** `at-least-once` with an outbox, `at-most-once` without one, `none` without `onUpdate`. */
  readonly mode: 'at-least-once' | 'at-most-once' | 'none';
  /** This receiver's outbox channel. */
  readonly channel: string;
  /** Deliveries still to run (or running), oldest first. */
  pending(options?: Omit<DeliveryListOptions, 'state'>): Promise<Delivery<T>[]>;
  /** Deliveries that exhausted their attempts, with their last error, oldest first. */
  deadLetters(options?: Omit<DeliveryListOptions, 'state'>): Promise<Delivery<T>[]>;
  /** Moves a dead letter back to pending (same id, attempts from 1) and runs it soon. False when `id` is no dead letter of this channel. */
  replay(id: string): Promise<boolean>;
  /** Removes a dead letter for good. False when `id` is no dead letter of this channel. */
  discard(id: string): Promise<boolean>;
  /** Claims and runs what is due now, and resolves with how many ran (the timer does this every `pollMs`). */
  runDue(): Promise<number>;
  /** Stops the dispatcher and waits for the attempts running now. Idempotent. */
  close(): Promise<void>;
}

/** How a failed attempt is reported. */
export interface DeliveryErrorContext {
  readonly stage: 'onUpdate' | 'delivery';
  readonly key?: string;
  readonly deliveryId?: string;
  readonly attempt?: number;
  /** The attempt was the last: the delivery is a dead letter now. */
  readonly deadLetter?: boolean;
}

function positiveInt(value: unknown, fallback: number, name: string, max = 2 ** 31 - 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new TypeError(`options.delivery.${name} must be an integer from 1 to ${max}`);
  }
  return value;
}

/** The delay before retry number `retry` (1 = the first retry): min × 3^(retry-1), at most max, ±10 % jitter. */
export function retryDelayMs(retry: number, minDelayMs: number, maxDelayMs: number): number {
  const base = Math.min(maxDelayMs, minDelayMs * 3 ** Math.max(0, retry - 1));
  return Math.round(Math.min(maxDelayMs, base * (0.9 + Math.random() * 0.2)));
}

const errorMessage = (error: unknown): string => {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return String(error);
  } catch {
    return 'unknown error';
  }
};

/**
 * The delivery side of one receiver. `enqueue` is what the pipeline passes to `transact`;
 * `runFirst` runs the first attempt of a just-committed delivery; `control` is the public handle.
 */
export function createDispatcher<T>(
  label: string,
  store: CallbackStore,
  hook: UpdateHook<T> | undefined,
  options: DeliveryOptions | undefined,
  defaultChannel: string,
  report: (error: unknown, context: DeliveryErrorContext) => void,
): {
  enqueue: EnqueueOptions | undefined;
  runFirst(delivery: Delivery<T>): Promise<void>;
  control: DeliveryControl<T>;
} {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new TypeError(`${label}: options.delivery must be an object`);
  const channel = options?.channel ?? defaultChannel;
  if (typeof channel !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(channel)) {
    throw new TypeError(`${label}: options.delivery.channel must be 1 to 64 characters: letters, digits, _ . : -`);
  }
  const maxAttempts = positiveInt(options?.maxAttempts, DELIVERY_DEFAULTS.maxAttempts, 'maxAttempts', 1000);
  const minDelayMs = positiveInt(options?.minDelayMs, DELIVERY_DEFAULTS.minDelayMs, 'minDelayMs');
  const maxDelayMs = positiveInt(options?.maxDelayMs, Math.max(DELIVERY_DEFAULTS.maxDelayMs, minDelayMs), 'maxDelayMs');
  if (maxDelayMs < minDelayMs) throw new TypeError(`${label}: options.delivery.maxDelayMs must not be below minDelayMs`);
  const leaseMs = positiveInt(options?.leaseMs, DELIVERY_DEFAULTS.leaseMs, 'leaseMs');
  const pollMs = positiveInt(options?.pollMs, DELIVERY_DEFAULTS.pollMs, 'pollMs');
  const concurrency = positiveInt(options?.concurrency, DELIVERY_DEFAULTS.concurrency, 'concurrency', 1000);

  const outbox: CallbackOutbox | undefined = hook ? store.outbox : undefined;
  const mode = !hook ? 'none' : outbox ? 'at-least-once' : 'at-most-once';
  const owner = crypto.randomUUID();
  /** Attempts whose hook is running (bounded by `concurrency`), and outcomes being recorded. */
  const running = new Set<Promise<void>>();
  const settling = new Set<Promise<void>>();
  let closed = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let ticking: Promise<number> | undefined;
  // Store failures of the dispatcher are reported once per streak (the database being down
  // for a minute is one report, not sixty).
  let failing = false;
  const storeFailed = (error: unknown) => {
    if (error instanceof Error && error.name === 'StoreClosedError') {
      // Closed on shutdown, perhaps before this receiver: nothing to report, nothing left to do.
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      return;
    }
    if (!failing) report(error, { stage: 'delivery' });
    failing = true;
  };

  /** Records how an attempt ended. False means the lease ran out meanwhile: another dispatcher may
   *  hold it now, so this outcome is dropped and the delivery runs again (at least once). */
  const settle = async (delivery: Delivery<T>, outcome: DeliveryOutcome): Promise<void> => {
    try {
      await outbox!.settle(delivery.id, owner, outcome);
      failing = false;
    } catch (error) {
      storeFailed(error); // the lease runs out and the delivery is run again
    }
  };

  /**
   * One attempt of a delivery this dispatcher holds the lease of. Resolves when the hook has
   * finished; the settle that follows is tracked in `settling` (for `close()`), not awaited, so
   * the first attempt's caller — the answer to the provider — does not wait for it.
   */
  const attempt = async (delivery: Delivery<T>): Promise<void> => {
    const info: DeliveryInfo = Object.freeze({ deliveryId: delivery.id, attempt: delivery.attempts });
    let outcome: DeliveryOutcome;
    try {
      await hook!(delivery.record, delivery.previous, info);
      outcome = { ok: true };
    } catch (error) {
      const last = delivery.attempts >= maxAttempts;
      report(error, { stage: 'onUpdate', key: delivery.record.key, deliveryId: delivery.id, attempt: delivery.attempts, ...(last ? { deadLetter: true } : {}) });
      outcome = last ? { ok: false, error: errorMessage(error) } : { ok: false, error: errorMessage(error), retryInMs: retryDelayMs(delivery.attempts, minDelayMs, maxDelayMs) };
    }
    const settled = settle(delivery, outcome).finally(() => settling.delete(settled));
    settling.add(settled);
  };

  const track = (delivery: Delivery<T>): Promise<void> => {
    const run = attempt(delivery).finally(() => running.delete(run));
    running.add(run);
    return run;
  };

  const tick = async (): Promise<number> => {
    if (closed || !outbox) return 0;
    const room = concurrency - running.size;
    if (room <= 0) return 0;
    let due: Delivery[];
    try {
      due = await outbox.claim(channel, { owner, leaseMs, limit: room });
      failing = false;
    } catch (error) {
      storeFailed(error);
      return 0;
    }
    await Promise.all(due.map((delivery) => track(delivery as Delivery<T>)));
    return due.length;
  };
  const runDue = (): Promise<number> => {
    // One claim round at a time; a caller during a round waits for it and then runs its own.
    const previous = ticking ?? Promise.resolve(0);
    const next = previous.then(tick, tick);
    ticking = next;
    void next.finally(() => {
      if (ticking === next) ticking = undefined;
    });
    return next;
  };

  if (outbox) {
    timer = setInterval(() => {
      if (!ticking) void runDue();
    }, pollMs);
    // A receiver alone must not keep a script alive; a server's socket does that.
    (timer as { unref?: () => void }).unref?.();
  }

  const list = (state: 'pending' | 'dead', listOptions?: Omit<DeliveryListOptions, 'state'>) =>
    outbox ? (outbox.list(channel, { ...listOptions, state }) as Promise<Delivery<T>[]>) : Promise.resolve([]);
  const control: DeliveryControl<T> = {
    mode,
    channel,
    pending: (listOptions) => list('pending', listOptions),
    deadLetters: (listOptions) => list('dead', listOptions),
    async replay(id) {
      if (!outbox || typeof id !== 'string') return false;
      // Only this channel's: a receiver must not run another receiver's dead letters.
      const replayed = await outbox.replay(id, channel);
      if (replayed && !closed) void runDue();
      return replayed;
    },
    async discard(id) {
      if (!outbox || typeof id !== 'string') return false;
      return outbox.discard(id, channel);
    },
    runDue,
    async close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await ticking?.catch(() => {});
      await Promise.allSettled([...running]);
      await Promise.allSettled([...settling]);
    },
  };

  return {
    enqueue: outbox ? { channel, owner, leaseMs } : undefined,
    async runFirst(delivery) {
      if (closed) return; // leased to this dispatcher: it runs again when the lease expires
      await track(delivery);
    },
    control,
  };
}
