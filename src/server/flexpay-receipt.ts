// FlexPay's receipt (docs/providers/flexpay.md): an RS256-signed JWT that comes with every status
// callback (and that `widget.checkout()` resolves with in the browser). Its header names the key
// (`kid`); its payload holds `iat`, `exp`, `aud`, `iss` and one namespaced application claim —
// `https://<FlexPay's API host>/application`, the host differing per environment — with
// `application_id` (the callback's `id`) and `transaction_id` (the merchant's `reference`).
//
// The signature is checked with jose (Web Crypto: Node ≥ 20 and edge runtimes), against a public
// key FlexPay gives the merchant: FlexPay documents no public JWKS address, so the key is
// configured — as PEM, a JWK, a set of keys by `kid`, a JWKS, or a JWKS URL if FlexPay provides one.

import type { CryptoKey, JSONWebKeySet, JWK, JWSHeaderParameters, JWTPayload } from 'jose';
import { isObject } from './http.js';

// jose is loaded when the first receipt is checked, not when finframe/server is imported: a
// finAPI-only server never loads it, and importing finframe/server touches no global at all (jose
// looks at `navigator` when it loads).
let joseModule: Promise<typeof import('jose')> | undefined;
const jose = () => (joseModule ??= import('jose'));

/** The only signature algorithm accepted. */
export const FLEXPAY_RECEIPT_ALGORITHMS = ['RS256'] as const;

/** Default tolerance for `exp`, `nbf` and `iat`, in seconds. */
export const FLEXPAY_DEFAULT_CLOCK_TOLERANCE = 60;

/**
 * Default oldest receipt accepted, in seconds since its `iat`: 72 hours. FlexPay's receipts are
 * valid for weeks (`exp`), but a callback carries a receipt issued when the status was sent; 72
 * hours covers a delivery retried over a weekend outage of the shop's server, while a receipt kept
 * from an old checkout cannot be replayed for ever.
 */
export const FLEXPAY_DEFAULT_MAX_RECEIPT_AGE = 72 * 60 * 60;

/** A public key as PEM SPKI (`-----BEGIN PUBLIC KEY-----`) or a public RSA JWK. */
export type FlexPayPublicKey = string | JWK;

/**
 * Where receipt keys come from, one of:
 * - a PEM SPKI string (`-----BEGIN PUBLIC KEY-----…`);
 * - a public RSA JWK object (`{kty: 'RSA', n, e, …}`);
 * - keys by `kid`: `{ [kid]: PEM | JWK }` — the receipt's header `kid` picks one; no match → refused;
 * - a JWKS object `{keys: [JWK, …]}`, matched by `kid` as jose does;
 * - a JWKS URL: a string starting with `https://`, or a `URL` (fetched when first needed, cached
 *   for 10 minutes, re-fetched at most every 30 s for an unknown `kid`). Plain `http://` is
 *   accepted only for loopback hosts (tests, a local key server).
 *
 * Private key material (a JWK with `d`, a `PRIVATE KEY` PEM) is refused at creation.
 */
export type FlexPayReceiptKeys = string | URL | JWK | JSONWebKeySet | Readonly<Record<string, FlexPayPublicKey>>;

/** Options of {@link createFlexPayReceiptVerifier}. */
export interface FlexPayReceiptVerifierOptions {
  /** The key(s) FlexPay gave you: see {@link FlexPayReceiptKeys}. Required. */
  readonly keys: FlexPayReceiptKeys;
  /** Expected `iss` (one or any of several); not checked when absent. */
  readonly issuer?: string | readonly string[];
  /** Expected `aud` (one or any of several); not checked when absent. */
  readonly audience?: string | readonly string[];
  /** Seconds of clock skew allowed for `exp`, `nbf` and a future `iat` (default 60). */
  readonly clockTolerance?: number;
  /**
   * The oldest receipt accepted, in seconds since its `iat` (default 72 hours,
   * {@link FLEXPAY_DEFAULT_MAX_RECEIPT_AGE}); older ones are refused even before their `exp`.
   */
  readonly maxReceiptAgeSeconds?: number;
}

/** What a verified receipt says. `application` is the namespaced application claim. */
export interface FlexPayReceipt {
  /** The header's `kid`, when it has one. */
  readonly kid: string | undefined;
  /** `iat`, in seconds. */
  readonly iat: number;
  /** `exp`, in seconds. */
  readonly exp: number;
  /** The name of the application claim, e.g. `https://flexpayapi.blackhorseflexpay.co.uk/application`. */
  readonly applicationClaim: string;
  /** The application claim's object (`application_id`, `transaction_id`, `status`, `last_updated`, …). */
  readonly application: Readonly<Record<string, unknown>>;
  /** Every claim. */
  readonly payload: Readonly<JWTPayload>;
}

/**
 * What a receipt must be about. `reference` (your order) is required: a receipt is only ever
 * evidence about one order, and FlexPay signs the receipts of every merchant of an environment with
 * the same key.
 */
export interface FlexPayReceiptExpectation {
  /** Must equal the application claim's `transaction_id`. Required. */
  readonly reference: string;
  /** When given, must equal the application claim's `application_id`. */
  readonly id?: string;
}

/**
 * A receipt that does not prove what it should: bad signature, unknown key, expired, wrong
 * algorithm, malformed, or about another application. `reason` is a sentence that never quotes
 * the token or its claims' values.
 */
export class FlexPayReceiptError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'FlexPayReceiptError';
  }
}

/**
 * The configured key could not be obtained (a JWKS URL unreachable or answering nonsense, a PEM
 * that does not import): not the receipt's fault — the callback is answered 503 so FlexPay retries.
 */
export class FlexPayKeyUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlexPayKeyUnavailableError';
  }
}

/** Checks a receipt against the expected order (and application); resolves with what it says, or rejects. */
export type FlexPayReceiptVerifier = (receipt: string, expected: FlexPayReceiptExpectation) => Promise<FlexPayReceipt>;

type GetKey = (header: JWSHeaderParameters) => Promise<CryptoKey>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/** Validates one public key now (TypeError naming `where`, never quoting the key); imports it later. */
function publicKeyLoader(key: unknown, where: string): () => Promise<CryptoKey> {
  let load: () => Promise<CryptoKey>;
  if (typeof key === 'string') {
    const pem = key.trim();
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw new TypeError(`${where} is a private key: give the public key only`);
    if (pem.startsWith('-----BEGIN PUBLIC KEY-----')) load = async () => (await jose()).importSPKI(pem, 'RS256');
    else if (pem.startsWith('-----BEGIN RSA PUBLIC KEY-----')) {
      throw new TypeError(`${where} is a PKCS#1 key: convert it to SPKI ('-----BEGIN PUBLIC KEY-----', e.g. openssl rsa -RSAPublicKey_in -pubout)`);
    } else throw new TypeError(`${where} must be a PEM public key ('-----BEGIN PUBLIC KEY-----…') or a JWK`);
  } else if (isObject(key) && typeof key.kty === 'string') {
    if (key.kty !== 'RSA') throw new TypeError(`${where} must be an RSA key (kty 'RSA'): receipts are RS256`);
    if (PRIVATE_JWK_MEMBERS.some((member) => Object.hasOwn(key, member))) throw new TypeError(`${where} is a private key: give the public key only`);
    const jwk = { ...key } as JWK;
    load = async () => (await jose()).importJWK(jwk, 'RS256') as Promise<CryptoKey>;
  } else {
    throw new TypeError(`${where} must be a PEM public key or a JWK`);
  }
  // Imported once, when first needed; a failed import is not cached (the next callback retries).
  let cached: Promise<CryptoKey> | undefined;
  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined;
      throw new FlexPayKeyUnavailableError(`${where} could not be imported`, { cause: error });
    });
    return cached;
  };
}

function jwksUrl(value: string | URL, where: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${where} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new TypeError(`${where} must be an https:// URL (http:// only on loopback)`);
  }
  return url;
}

type KeySet = (header: JWSHeaderParameters) => Promise<CryptoKey | Uint8Array>;

/**
 * A JWKS function from jose, created when first needed, with its errors sorted into "the receipt's
 * fault" and "key unavailable".
 */
function fromKeySet(create: (lib: typeof import('jose')) => KeySet, remote: boolean): GetKey {
  let set: KeySet | undefined;
  return async (header) => {
    try {
      set ??= create(await jose());
      return (await set(header)) as CryptoKey;
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      if (code === 'ERR_JWKS_NO_MATCHING_KEY') throw new FlexPayReceiptError(header.kid === undefined ? 'the receipt has no kid and no key matches it' : "no configured key matches the receipt's kid");
      if (code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw new FlexPayReceiptError('several configured keys match the receipt; it must name one by kid');
      if (code === 'ERR_JOSE_NOT_SUPPORTED' && !remote) throw new FlexPayReceiptError('the receipt uses an unsupported algorithm');
      throw new FlexPayKeyUnavailableError(remote ? 'the JWKS URL could not be fetched or read' : 'the configured key set could not be used', { cause: error });
    }
  };
}

/** Turns the `keys` option into one key-resolving function, validating it now. */
function keyResolver(keys: unknown, where: string): GetKey {
  if (keys instanceof URL || (typeof keys === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(keys.trim()))) {
    const url = jwksUrl(typeof keys === 'string' ? keys.trim() : keys, where);
    return fromKeySet((lib) => lib.createRemoteJWKSet(url), true);
  }
  if (typeof keys === 'string') {
    const load = publicKeyLoader(keys, where);
    return () => load();
  }
  if (!isObject(keys)) throw new TypeError(`${where} is required: FlexPay's public key (PEM, JWK, keys by kid, JWKS or JWKS URL)`);
  if (typeof keys.kty === 'string') {
    const load = publicKeyLoader(keys, where);
    return () => load();
  }
  if (Object.hasOwn(keys, 'keys')) {
    if (!Array.isArray(keys.keys) || keys.keys.length === 0) throw new TypeError(`${where}.keys must be a non-empty array of JWKs`);
    keys.keys.forEach((jwk, i) => publicKeyLoader(jwk, `${where}.keys[${i}]`)); // validates: RSA, public
    const copy = structuredClone(keys) as unknown as JSONWebKeySet;
    return fromKeySet((lib) => lib.createLocalJWKSet(copy), false);
  }
  const byKid = new Map<string, () => Promise<CryptoKey>>();
  for (const [kid, key] of Object.entries(keys)) {
    if (kid === '') throw new TypeError(`${where} has an empty kid`);
    byKid.set(kid, publicKeyLoader(key, `${where}[${JSON.stringify(kid)}]`));
  }
  if (byKid.size === 0) throw new TypeError(`${where} must hold at least one key`);
  return async (header) => {
    if (typeof header.kid !== 'string') throw new FlexPayReceiptError('the receipt has no kid');
    const load = byKid.get(header.kid);
    if (!load) throw new FlexPayReceiptError("no configured key matches the receipt's kid");
    return load();
  };
}

function stringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? [...(value as unknown[])] : undefined;
  if (!list || list.length === 0 || !list.every((item) => typeof item === 'string' && item !== '')) {
    throw new TypeError(`${where} must be a non-empty string or array of strings`);
  }
  return list as string[];
}

const CLAIM_NAMES = new Set(['iss', 'aud', 'sub', 'iat', 'exp', 'nbf', 'typ', 'jti']);

/** jose's refusal as a reason that names at most a registered claim, never a value. */
function reasonFor(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const claim = (error as { claim?: unknown })?.claim;
  const named = typeof claim === 'string' && CLAIM_NAMES.has(claim) ? claim : undefined;
  switch (code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'the receipt signature does not verify with the configured key';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the receipt must be signed with RS256';
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'the receipt uses an unsupported algorithm or header';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'the receipt is not a well-formed signed JWT';
    case 'ERR_JWT_EXPIRED':
      return 'the receipt has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      if ((error as { reason?: unknown }).reason === 'missing') return named ? `the receipt has no ${named} claim` : 'the receipt lacks a required claim';
      if (named === 'nbf') return 'the receipt is not valid yet';
      if (named === 'iss') return 'the receipt was issued by another issuer';
      if (named === 'aud') return 'the receipt is meant for another audience';
      return named ? `the receipt's ${named} claim is invalid` : 'a receipt claim is invalid';
    }
    default:
      return 'the receipt could not be verified';
  }
}

/**
 * Creates a checker of FlexPay receipts: the RS256 signature against the configured key(s) (`alg`
 * exactly RS256 — `none`, HS256 and the rest are refused before any key is touched), `exp` and
 * `iat` present, `exp`/`nbf` with `clockTolerance`, `iat` not in the future beyond it, `iss` and
 * `aud` when configured, `iat` no older than `maxReceiptAgeSeconds`, and exactly one payload claim
 * whose name ends in `/application`, an object whose `transaction_id` equals `expected.reference`
 * (required) and whose `application_id` equals `expected.id` when given. It does not say which
 * status the receipt proves: see `flexPayReceiptProves`. Rejects with {@link FlexPayReceiptError} (the receipt's fault) or
 * {@link FlexPayKeyUnavailableError} (the key could not be obtained).
 *
 * Use it for the receipt `widget.checkout()` gives the page, too: the page posts it to your server,
 * which checks it before trusting it.
 *
 * @throws {TypeError} at creation for missing, malformed or private keys and invalid options.
 */
export function createFlexPayReceiptVerifier(options: FlexPayReceiptVerifierOptions, where = 'createFlexPayReceiptVerifier: options'): FlexPayReceiptVerifier {
  if (!options || typeof options !== 'object') throw new TypeError(`${where} are required`);
  const getKey = keyResolver(options.keys, `${where}.keys`);
  const issuer = stringList(options.issuer, `${where}.issuer`);
  const audience = stringList(options.audience, `${where}.audience`);
  const tolerance = options.clockTolerance ?? FLEXPAY_DEFAULT_CLOCK_TOLERANCE;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new TypeError(`${where}.clockTolerance must be a non-negative number of seconds`);
  }
  const maxAge = options.maxReceiptAgeSeconds ?? FLEXPAY_DEFAULT_MAX_RECEIPT_AGE;
  if (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge <= 0) {
    throw new TypeError(`${where}.maxReceiptAgeSeconds must be a positive number of seconds`);
  }
  const verifyOptions = {
    algorithms: [...FLEXPAY_RECEIPT_ALGORITHMS],
    requiredClaims: ['exp', 'iat'],
    clockTolerance: tolerance,
    ...(issuer ? { issuer } : {}),
    ...(audience ? { audience } : {}),
  };

  return async (receipt, expected) => {
    // A programming error, not the receipt's fault: a check without an order proves nothing.
    if (!isObject(expected) || typeof expected.reference !== 'string' || expected.reference === '') {
      throw new TypeError('createFlexPayReceiptVerifier: verify(receipt, {reference}) needs the order reference the receipt must be about');
    }
    if (expected.id !== undefined && (typeof expected.id !== 'string' || expected.id === '')) {
      throw new TypeError('createFlexPayReceiptVerifier: expected.id must be a non-empty string when given');
    }
    if (typeof receipt !== 'string' || receipt === '') throw new FlexPayReceiptError('the receipt is missing');
    const lib = await jose();
    let result;
    try {
      result = await lib.jwtVerify(receipt, getKey, verifyOptions);
    } catch (error) {
      if (error instanceof FlexPayReceiptError || error instanceof FlexPayKeyUnavailableError) throw error;
      throw new FlexPayReceiptError(reasonFor(error));
    }
    const { payload, protectedHeader } = result;
    const iat = payload.iat!;
    const now = Date.now() / 1000;
    if (iat > now + tolerance) throw new FlexPayReceiptError('the receipt is issued in the future');
    if (iat < now - maxAge - tolerance) throw new FlexPayReceiptError('the receipt is older than maxReceiptAgeSeconds allows');

    const names = Object.keys(payload).filter((name) => name.endsWith('/application'));
    if (names.length === 0) throw new FlexPayReceiptError('the receipt has no application claim');
    if (names.length > 1) throw new FlexPayReceiptError('the receipt has more than one application claim');
    const applicationClaim = names[0]!;
    const application = payload[applicationClaim];
    if (!isObject(application)) throw new FlexPayReceiptError('the receipt application claim is not an object');
    if (expected.id !== undefined) {
      if (typeof application.application_id !== 'string') throw new FlexPayReceiptError('the receipt application claim has no application_id');
      if (application.application_id !== expected.id) throw new FlexPayReceiptError("the receipt is for another application (application_id differs from the callback's id)");
    }
    if (typeof application.transaction_id !== 'string') throw new FlexPayReceiptError('the receipt application claim has no transaction_id');
    if (application.transaction_id !== expected.reference) throw new FlexPayReceiptError("the receipt is for another transaction (transaction_id differs from the callback's reference)");
    return Object.freeze({
      kid: typeof protectedHeader.kid === 'string' ? protectedHeader.kid : undefined,
      iat,
      exp: payload.exp!,
      applicationClaim,
      application: Object.freeze({ ...application }),
      payload: Object.freeze({ ...payload }),
    });
  };
}
