// The shared secret in a callback URL. finAPI does not sign its callbacks, so the merchant puts a
// secret of its own choosing in the callback URL it registers (`…/callbacks/finapi?secret=…`) and
// every request without it is refused before its body is read.
//
// The comparison hashes both sides with SHA-256 and compares the digests with an XOR loop over all
// 32 bytes, so its time depends neither on where the first differing character is nor on the
// candidate's length. The hash is Node's synchronous `hash` (or `createHash`) when the runtime offers it through
// `process.getBuiltinModule` (Node ≥ 20.16, Deno, Bun: no import of node:crypto, so the module
// still loads in edge runtimes), else Web Crypto's `crypto.subtle.digest` (every runtime; async,
// a thread-pool round trip in Node that cost a callback receiver an eighth of its time).

/** The shortest secret accepted: 16 characters. Use a random value, e.g. 32 bytes in base64url. */
export const MIN_SECRET_LENGTH = 16;

/**
 * RFC 3986's unreserved characters: the only ones that mean the same, unencoded, in every part of
 * a URL, so a secret made of them reaches the receiver exactly as it was registered.
 */
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

import { queryOf } from './http.js';

const encoder = new TextEncoder();

/** The part of node:crypto used here. */
interface NodeCrypto {
  createHash(algorithm: 'sha256'): { update(data: string, encoding: 'utf8'): { digest(): Uint8Array } };
  /** One-shot hashing (Node ≥ 20.12): cheaper than a Hash object per call. */
  hash?(algorithm: 'sha256', data: string, outputEncoding: 'buffer'): Uint8Array;
}

/** Node's crypto module when the runtime hands it out without an import, else `undefined`. */
function nodeCrypto(): NodeCrypto | undefined {
  try {
    const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const module = runtime?.getBuiltinModule?.('node:crypto') as Partial<NodeCrypto> | undefined;
    return typeof module?.createHash === 'function' ? (module as NodeCrypto) : undefined;
  } catch {
    return undefined;
  }
}

const nodeHash = nodeCrypto();
const oneShot = typeof nodeHash?.hash === 'function' ? nodeHash.hash.bind(nodeHash) : undefined;

/** SHA-256 of the UTF-8 bytes of `value`: synchronous where Node's hash is at hand. */
function digest(value: string): Uint8Array | Promise<Uint8Array> {
  if (oneShot) return oneShot('sha256', value, 'buffer');
  if (nodeHash) return nodeHash.createHash('sha256').update(value, 'utf8').digest();
  return crypto.subtle.digest('SHA-256', encoder.encode(value)).then((buffer) => new Uint8Array(buffer));
}

/**
 * Validates `secret` now (a TypeError naming `optionName` if it is not a string of at least
 * {@link MIN_SECRET_LENGTH} characters; the message never contains the value) and returns a
 * constant-time check of candidates against it: a boolean where Node's hash is at hand, else a
 * promise of one (Web Crypto).
 */
export function createSecretCheck(secret: unknown, optionName: string): (candidate: string | null | undefined) => boolean | Promise<boolean> {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`${optionName} must be a string of at least ${MIN_SECRET_LENGTH} characters`);
  }
  let expected: Uint8Array | Promise<Uint8Array> | undefined;
  const same = (a: Uint8Array, b: Uint8Array): boolean => {
    let difference = 0;
    for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
    return difference === 0;
  };
  return (candidate) => {
    if (typeof candidate !== 'string') return false;
    expected ??= digest(secret);
    const computed = digest(candidate);
    if (expected instanceof Uint8Array && computed instanceof Uint8Array) return same(expected, computed);
    return Promise.all([expected, computed]).then(([a, b]) => {
      expected = a;
      return same(a, b);
    });
  };
}

/**
 * Refuses (TypeError naming `optionName`, never quoting the value) a secret that travels in a URL
 * query but has characters outside RFC 3986's unreserved set. A provider puts the callback URL on
 * the wire as registered: an unencoded `+` (plain base64) is read back as a space, and `/`, `=`,
 * `&`, `%`, `#` or a space change or cut the query — such a secret would never match.
 */
export function assertUrlSafeSecret(secret: string, optionName: string): void {
  if (!URL_SAFE.test(secret)) {
    throw new TypeError(
      `${optionName} may contain only URL-safe characters (A-Z a-z 0-9 - . _ ~): it is put in the callback URL's query as registered, ` +
        "where plain base64's '+' reads as a space and '/', '=', '&', '%' or '#' change the URL, so it would never match. " +
        "Use base64url, e.g. randomBytes(32).toString('base64url')",
    );
  }
}

/**
 * The secret from the request URL's query parameter `name`: `undefined` when it is absent, empty,
 * or given more than once (an ambiguous URL is refused rather than guessed at).
 */
export function secretFromUrl(request: Request, name: string): string | undefined {
  let values: string[];
  try {
    values = queryOf(request).getAll(name);
  } catch {
    return undefined;
  }
  return values.length === 1 && values[0] !== '' ? values[0] : undefined;
}
