import { DEV, warnOnce } from './dev.js';

/**
 * Which URLs an element may load or hand to a provider. A frame URL is trusted when it is `https:`
 * on one of the provider's own hosts; the message gate then compares `event.origin` with
 * `url.origin` exactly. Loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`, over `http:` or
 * `https:`) are for development and tests only: the development build accepts them, a production
 * build only after the page called `allowLoopback()`. Anything on a shopper's own machine can
 * answer on loopback, so a production page that trusted it would take a local program's word for
 * a payment.
 */

/**
 * The opt-in's key. A symbol in the global registry: no element id or form name can clobber it
 * (the DOM names globals by strings only), and every copy of finframe on the page — the CDN bundle
 * and a bundled one — reads the same key.
 */
const ALLOW_LOOPBACK = Symbol.for('finframe.allowLoopback');

/**
 * Development and tests only: lets finframe's production build load frames, finAPI's script and
 * Flinks' redirect and terms URLs on loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`), e.g.
 * for fake providers served from your machine. Call it once, before any element starts its
 * session (elements check at the start of each session), and never in production. The
 * development build (the `development` export condition) needs no opt-in.
 *
 * A page that loads the CDN bundle can opt in from its own module, loaded before the bundle:
 * `globalThis[Symbol.for('finframe.allowLoopback')] = true`.
 */
export function allowLoopback(): void {
  (globalThis as Record<symbol, unknown>)[ALLOW_LOOPBACK] = true;
}

/** Whether loopback URLs are accepted now: always in the development build, else only after the opt-in. Read at every check. */
export function loopbackAllowed(): boolean {
  return DEV || (globalThis as Record<symbol, unknown>)[ALLOW_LOOPBACK] === true;
}

/** `hostname` as `URL` gives it: lower-cased, IPv4 normalized (`127.1` → `127.0.0.1`), IPv6 in brackets. */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  const octets = hostname.split('.');
  // The URL parser has already turned every IPv4 spelling into four decimal octets.
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

export type FrameUrlCheck =
  | { ok: true; url: URL }
  | { ok: false; reason: string };

/** `loopback`: whether loopback URLs are accepted; by default, the page's policy at the time of the call. */
export interface UrlCheckOptions {
  loopback?: boolean;
}

/** The verdict on an `http:`/`https:` URL on a loopback host. */
function checkLoopback(url: URL, allowed: boolean): FrameUrlCheck {
  if (!allowed) {
    return {
      ok: false,
      reason:
        `${url.origin} is a loopback address, which finframe's production build accepts only for development, after the page opts in ` +
        `(import { allowLoopback } from 'finframe'; allowLoopback(); before the element starts) — never in production`,
    };
  }
  if (!DEV) {
    warnOnce(
      'allow-loopback',
      `Loopback URLs such as ${url.origin} are accepted because the page opted in (allowLoopback()). Development and tests only: remove the opt-in in production.`,
    );
  }
  return { ok: true, url };
}

const isWeb = (url: URL) => url.protocol === 'https:' || url.protocol === 'http:';

/**
 * Parses `value` (absolute, or relative to the document) and checks it against the provider's
 * host rule and the loopback policy. Never throws.
 */
export function checkFrameUrl(
  value: string,
  isProviderHost: (hostname: string) => boolean,
  base?: string,
  { loopback = loopbackAllowed() }: UrlCheckOptions = {},
): FrameUrlCheck {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    // The value is not echoed: a frame URL can carry a token.
    return { ok: false, reason: 'the value is not a valid URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'a frame URL must not carry credentials' };
  if (isWeb(url) && isLoopbackHost(url.hostname)) return checkLoopback(url, loopback);
  if (url.protocol === 'https:' && isProviderHost(url.hostname)) return { ok: true, url };
  return {
    ok: false,
    reason: `${url.protocol}//${url.host} is not a host this provider uses (https only)`,
  };
}

/**
 * A link the provider will send the shopper (or data) to, such as Flinks' `redirectUrl`:
 * absolute, `https:` on any host, no credentials, no whitespace; loopback under the loopback
 * policy. Never throws.
 */
export function checkLinkUrl(value: string, { loopback = loopbackAllowed() }: UrlCheckOptions = {}): FrameUrlCheck {
  let url: URL;
  try {
    // The parser would quietly drop tabs and newlines and encode spaces: refuse them instead.
    if (/\s/.test(value)) throw new TypeError();
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'the value is not an absolute URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'the URL must not carry credentials' };
  if (isWeb(url) && isLoopbackHost(url.hostname)) return checkLoopback(url, loopback);
  if (url.protocol === 'https:') return { ok: true, url };
  return { ok: false, reason: `${url.protocol} is not allowed: use an absolute https: URL` };
}
