// Shopify's app proxy: a storefront request to `https://{shop}/apps/finframe/…` reaches the app's
// server with the query parameters Shopify adds (`shop`, `logged_in_customer_id`, `path_prefix`,
// `timestamp`) and `signature`: a hex HMAC-SHA256 of every other query parameter, keyed with the
// app's client secret. Shopify strips the shopper's cookies on the way, so that signature — not a
// session — is what tells the app which shop and which signed-in customer the request is for
// (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies).
//
// The signed message, as Shopify's own example computes it: the query is decoded, `signature`
// removed, each parameter written `key=value` (a repeated key once, its values joined with `,`),
// those strings sorted, and concatenated with no separator. That encoding is ambiguous
// (`a=1&a=2` and `a=1,2` sign alike; so do `a=1&b=2` and `a=1b%3D2`), so the parameters Shopify
// itself sets are accepted only once each and only in their own shape, and the app should treat
// any other query parameter as unsigned. The request body is not signed at all: a form's fields
// are the shopper's to change.
//
// Web Crypto only (Node ≥ 20, Deno, Bun, edge workers); the comparison runs over all 32 bytes
// whatever the candidate, so its time says nothing about how much of a forgery was right.

/** Shopify's own parameters: each must appear exactly once (and `signature` is not signed). */
const SHOPIFY_PARAMETERS = ['shop', 'logged_in_customer_id', 'path_prefix', 'timestamp'] as const;

/** `{shop}.myshopify.com`, the form Shopify sends (never the shop's custom domain). */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const DIGITS = /^[0-9]{1,20}$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** The default for `maxAgeSeconds`: Shopify signs the request as it forwards it, so a few seconds suffice; 90 s as Shopify's own library allows. */
export const SHOPIFY_APP_PROXY_MAX_AGE_SECONDS = 90;
/** The default for `clockSkewSeconds`: how far in the future a timestamp may be (the two clocks differ). */
export const SHOPIFY_APP_PROXY_CLOCK_SKEW_SECONDS = 30;

export interface ShopifyAppProxyOptions {
  /** The app's client secret (API secret key) from the Partner Dashboard or `shopify app env show`. */
  secret: string;
  /** How old `timestamp` may be, in seconds (default {@link SHOPIFY_APP_PROXY_MAX_AGE_SECONDS}). */
  maxAgeSeconds?: number;
  /** How far `timestamp` may be in the future, in seconds (default {@link SHOPIFY_APP_PROXY_CLOCK_SKEW_SECONDS}). */
  clockSkewSeconds?: number;
  /** The current time in milliseconds (default `Date.now`); for tests. */
  now?: () => number;
}

/** Why a request was refused; each names the first rule it broke. */
export type ShopifyAppProxyRefusal =
  /** No `signature` parameter (or an empty one): the request did not come through the app proxy. */
  | 'missing-signature'
  /** `signature` is not 64 hexadecimal digits. */
  | 'malformed-signature'
  /** `signature` or one of Shopify's own parameters appears more than once. */
  | 'duplicate-parameter'
  /** The HMAC does not match: wrong secret, or any parameter changed, added or removed. */
  | 'bad-signature'
  /** Signed, but Shopify's own parameters are missing or not in their shape (`shop`, `timestamp`, …). */
  | 'malformed-parameters'
  /** `timestamp` is older than `maxAgeSeconds`: a replayed request. */
  | 'stale'
  /** `timestamp` is further in the future than `clockSkewSeconds`. */
  | 'future'
  /** `request.url` could not be parsed. */
  | 'malformed-url';

export interface ShopifyAppProxyVerified {
  readonly ok: true;
  /** The shop the request was for: `{shop}.myshopify.com`. */
  readonly shop: string;
  /** The signed-in customer's id, or `null` for a guest. Check that the data you return belongs to this customer. */
  readonly loggedInCustomerId: string | null;
  /** The storefront prefix the request came through, e.g. `/apps/finframe` (merchants can change it). */
  readonly pathPrefix: string;
  /** When Shopify signed the request, in seconds since the epoch. */
  readonly timestamp: number;
}

export interface ShopifyAppProxyRefused {
  readonly ok: false;
  readonly reason: ShopifyAppProxyRefusal;
  /** A sentence for your log; never contains the signature, the secret or a parameter's value. */
  readonly message: string;
}

export type ShopifyAppProxyResult = ShopifyAppProxyVerified | ShopifyAppProxyRefused;

const MESSAGES: Record<ShopifyAppProxyRefusal, string> = {
  'missing-signature': 'no signature: the request did not come through the Shopify app proxy',
  'malformed-signature': 'the signature is not 64 hexadecimal digits',
  'duplicate-parameter': "the signature or one of Shopify's parameters (shop, logged_in_customer_id, path_prefix, timestamp) appears more than once",
  'bad-signature': 'the signature does not match the parameters (wrong secret, or a changed, added or removed parameter)',
  'malformed-parameters': "Shopify's parameters are missing or malformed (shop, logged_in_customer_id, path_prefix, timestamp)",
  stale: 'the timestamp is older than maxAgeSeconds (a replayed request?)',
  future: 'the timestamp is in the future beyond clockSkewSeconds',
  'malformed-url': 'the request URL could not be parsed',
};

const refuse = (reason: ShopifyAppProxyRefusal): ShopifyAppProxyRefused => Object.freeze({ ok: false, reason, message: MESSAGES[reason] });

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    // One app has one secret (two while rotating it); never let the cache grow with callers' input.
    if (keys.size >= 4) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** Shopify's signed message: `key=value` per parameter (repeated keys joined with `,`), sorted, concatenated. */
function signedMessage(query: URLSearchParams): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of query) {
    if (key === 'signature') continue;
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  const parts = [...values].map(([key, list]) => `${key}=${list.join(',')}`);
  // Code-unit order of the whole `key=value` strings, as Ruby's `sort` in Shopify's example.
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.join('');
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function checkSeconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a number of seconds ≥ 0`);
  return value;
}

/**
 * Verifies that `request` came through the Shopify app proxy of the app whose client secret is
 * `secret`, recently: the `signature` query parameter is checked in constant time, then the
 * `timestamp` against `maxAgeSeconds` (default 90) and `clockSkewSeconds` (default 30).
 *
 * Resolves `{ok: true, shop, loggedInCustomerId, pathPrefix, timestamp}`, or
 * `{ok: false, reason, message}` — answer those with 401 and read nothing else of the request.
 * Throws a TypeError only for a bad `secret` or option (a programming error, not a request's).
 *
 * The signature covers the query string only: the body (a form's fields, a session request's
 * JSON) is the shopper's to change, and a query parameter other than Shopify's own is signed only
 * up to the encoding's ambiguity — take identities from the result, not from the request.
 */
export async function verifyShopifyAppProxy(request: Request, options: ShopifyAppProxyOptions): Promise<ShopifyAppProxyResult> {
  const { secret } = options ?? {};
  if (typeof secret !== 'string' || secret === '') throw new TypeError("secret must be the app's client secret (a non-empty string)");
  const maxAge = checkSeconds(options.maxAgeSeconds, SHOPIFY_APP_PROXY_MAX_AGE_SECONDS, 'maxAgeSeconds');
  const skew = checkSeconds(options.clockSkewSeconds, SHOPIFY_APP_PROXY_CLOCK_SKEW_SECONDS, 'clockSkewSeconds');
  const now = options.now ?? Date.now;

  let query: URLSearchParams;
  try {
    query = new URL(request.url).searchParams;
  } catch {
    return refuse('malformed-url');
  }

  const signatures = query.getAll('signature');
  if (signatures.length === 0 || (signatures.length === 1 && signatures[0] === '')) return refuse('missing-signature');
  if (signatures.length > 1) return refuse('duplicate-parameter');
  const signature = signatures[0]!;
  if (!HEX_SHA256.test(signature)) return refuse('malformed-signature');
  if (SHOPIFY_PARAMETERS.some((name) => query.getAll(name).length > 1)) return refuse('duplicate-parameter');

  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(signedMessage(query))));
  const given = hexBytes(signature);
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected[i]! ^ given[i]!;
  if (difference !== 0) return refuse('bad-signature');

  // Signed by Shopify from here on; still refuse what Shopify would never have sent.
  const shop = query.get('shop');
  const customer = query.get('logged_in_customer_id');
  const pathPrefix = query.get('path_prefix');
  const timestampText = query.get('timestamp');
  if (
    shop === null ||
    !SHOP_DOMAIN.test(shop) ||
    customer === null ||
    (customer !== '' && !DIGITS.test(customer)) ||
    pathPrefix === null ||
    !pathPrefix.startsWith('/') ||
    timestampText === null ||
    !/^[0-9]{1,12}$/.test(timestampText)
  ) {
    return refuse('malformed-parameters');
  }
  const timestamp = Number(timestampText);
  const nowSeconds = now() / 1000;
  if (timestamp < nowSeconds - maxAge) return refuse('stale');
  if (timestamp > nowSeconds + skew) return refuse('future');

  return Object.freeze({ ok: true, shop, loggedInCustomerId: customer === '' ? null : customer, pathPrefix, timestamp });
}
