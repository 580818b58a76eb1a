/**
 * Which frame URLs an element may load. A URL is trusted when it is `https:` on one of the
 * provider's own hosts, or `http:`/`https:` on a loopback host for development and tests.
 * The message gate then compares `event.origin` with `url.origin` exactly.
 */

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

/**
 * Parses `value` (absolute, or relative to the document) and checks it against the provider's
 * host rule. Never throws.
 */
export function checkFrameUrl(
  value: string,
  isProviderHost: (hostname: string) => boolean,
  base?: string,
): FrameUrlCheck {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    // The value is not echoed: a frame URL can carry a token.
    return { ok: false, reason: 'the value is not a valid URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'a frame URL must not carry credentials' };
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'https:' && (loopback || isProviderHost(url.hostname))) return { ok: true, url };
  if (url.protocol === 'http:' && loopback) return { ok: true, url };
  return {
    ok: false,
    reason: `${url.protocol}//${url.host} is not a host this provider uses (https only; http only on localhost)`,
  };
}
