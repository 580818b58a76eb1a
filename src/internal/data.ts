/**
 * Turns whatever a frame posted into plain, frozen, JSON-like data, or `undefined`.
 *
 * A message is structured-cloned, so it can hold Dates, Maps, Blobs, cycles, or an own
 * `__proto__` key (JSON.parse creates one) that turns into a prototype change as soon as naive
 * code copies it. Nothing of the kind is legitimate in any provider protocol, so such a message is
 * rejected whole rather than repaired. Limits keep a hostile-but-trusted frame from making the
 * host page do unbounded work.
 */
const MAX_DEPTH = 8;
const MAX_NODES = 2000;
const MAX_STRING = 16_384;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type PlainValue = string | number | boolean | null | readonly PlainValue[] | PlainObject;
/** Parsed data as it reaches `event.detail`: frozen all the way down. */
export type Frozen<T> = T extends (infer U)[] ? readonly Frozen<U>[] : T extends object ? { readonly [K in keyof T]: Frozen<T[K]> } : T;

export type PlainObject = { readonly [key: string]: PlainValue };

export function toPlainData(value: unknown): PlainValue | undefined {
  const budget = { nodes: 0 };
  try {
    spend(budget, 1);
    return copy(value, 0, budget);
  } catch {
    return undefined;
  }
}

const INVALID = Symbol('invalid');

/** Counts `n` nodes against the budget, before any of them is read. */
function spend(budget: { nodes: number }, n: number): void {
  if ((budget.nodes += n) > MAX_NODES) throw INVALID;
}

/** Copies `value`, whose node the caller has already counted. */
function copy(value: unknown, depth: number, budget: { nodes: number }): PlainValue {
  if (depth > MAX_DEPTH) throw INVALID;
  switch (typeof value) {
    case 'string':
      if (value.length > MAX_STRING) throw INVALID;
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw INVALID;
      return value;
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        // The length is known up front: a huge array is refused before one element is read.
        spend(budget, value.length);
        const out: PlainValue[] = [];
        for (let i = 0; i < value.length; i++) out.push(copy(value[i], depth + 1, budget));
        return Object.freeze(out);
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw INVALID;
      const out: Record<string, PlainValue> = {};
      // Every member counts, `undefined` ones too, and before its value is read: the walk stops
      // at the budget however many keys there are. (The engine still lists the keys natively, as
      // it did to deserialize the message; what is bounded is the work done here per key.)
      for (const key in value) {
        spend(budget, 1);
        if (!Object.hasOwn(value, key)) continue;
        if (FORBIDDEN_KEYS.has(key)) throw INVALID;
        const item = (value as Record<string, unknown>)[key];
        // structured clone keeps `undefined` members; JSON would drop them, and so do we.
        if (item !== undefined) out[key] = copy(item, depth + 1, budget);
      }
      return Object.freeze(out);
    }
    default:
      throw INVALID;
  }
}

/** A string message (e.g. Flinks with `stringify=true`) is JSON; anything else is taken as is. */
export function decodeMessage(raw: unknown): PlainValue | undefined {
  if (typeof raw === 'string') {
    if (raw.length > 65_536) return undefined;
    try {
      return toPlainData(JSON.parse(raw));
    } catch {
      return undefined;
    }
  }
  return toPlainData(raw);
}

export function isPlainObject(value: PlainValue | undefined): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A frozen copy of `obj` without `key`. */
export function omit(obj: PlainObject, key: string): PlainObject {
  const out: Record<string, PlainValue> = {};
  for (const k of Object.keys(obj)) if (k !== key) out[k] = obj[k]!;
  return Object.freeze(out);
}
