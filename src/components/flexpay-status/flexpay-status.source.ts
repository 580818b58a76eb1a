import { isLoopbackHost } from '../../internal/url.js';

/** The reference rule of `finframe/server`'s FlexPay receiver. */
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._~:@#+=/-]{0,127}$/;

/** What `<flexpay-status>` knows when it decides where to ask: its attributes and the page. */
export interface StatusSourceInput {
  readonly reference: string | undefined;
  readonly src: string | undefined;
  /** The `status-origin` attribute: the one other origin the page allows, or undefined. */
  readonly statusOrigin: string | undefined;
  /** The document's base URL, for a relative `src`. */
  readonly base: string;
  /** The page's own origin (`self.origin`). */
  readonly pageOrigin: string;
  /** Whether a loopback `status-origin` is accepted (the development build, or after `allowLoopback()`). */
  readonly allowLoopback: boolean;
}

export type StatusSource =
  /** `crossOrigin`: the URL is on `status-origin`, so requests carry credentials (cookies) by CORS. */
  | { readonly ok: true; readonly url: string; readonly crossOrigin: boolean }
  | { readonly ok: false; readonly attribute: 'reference' | 'src' | 'status-origin'; readonly message: string };

/**
 * Where the element may ask for the status: `src` with `reference` added, on the page's own
 * origin — or, when the page opted in with `status-origin`, on exactly that origin, which must be
 * `https:` (a loopback host, `http:` too, only when `allowLoopback`). Everything else is refused
 * before any request, naming the attribute to fix. Messages name origins only, never a path or
 * query (a misconfigured `src` might carry something private). Never throws.
 */
export function checkStatusSource(input: StatusSourceInput): StatusSource {
  const reference = input.reference?.trim();
  if (!reference || !REFERENCE.test(reference)) {
    return { ok: false, attribute: 'reference', message: 'the order reference is missing, or not 1–128 letters, digits and . _ ~ : @ # + = / -, starting with a letter or digit' };
  }
  let allowed: string | undefined;
  if (input.statusOrigin !== undefined) {
    const checked = checkOrigin(input.statusOrigin.trim(), input.allowLoopback);
    if (typeof checked !== 'string') return { ok: false, attribute: 'status-origin', message: checked.message };
    allowed = checked;
  }
  if (!input.src) return { ok: false, attribute: 'src', message: 'no status endpoint: set src to the URL that serves createStatusStream()' };
  let url: URL;
  try {
    url = new URL(input.src, input.base);
  } catch {
    return { ok: false, attribute: 'src', message: 'the value is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, attribute: 'src', message: `${url.protocol} is not http or https` };
  if (url.username || url.password) return { ok: false, attribute: 'src', message: 'the URL must not carry credentials' };
  // Origins are compared whole and exactly: never by prefix or pattern.
  const crossOrigin = url.origin !== input.pageOrigin;
  if (crossOrigin && url.origin !== allowed) {
    return {
      ok: false,
      attribute: 'src',
      message:
        allowed === undefined
          ? `${url.origin} is not this page's origin: the status endpoint is same-origin unless status-origin names its origin (https only)`
          : `${url.origin} is neither this page's origin nor status-origin (${allowed})`,
    };
  }
  url.searchParams.set('reference', reference);
  url.hash = '';
  return { ok: true, url: url.href, crossOrigin };
}

/** `value` as an origin (`https://status.shop.example`, nothing more), or why it is not one. */
function checkOrigin(value: string, allowLoopback: boolean): string | { message: string } {
  const refusal = { message: `"${value}" is not an origin: write it as https://host or https://host:port, without a path` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refusal;
  }
  // Scheme, host and port only: a path, query, fragment or credentials mean it is a URL, not an origin.
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(value) || url.username || url.password) return refusal;
  if (url.protocol === 'https:' && !isLoopbackHost(url.hostname)) return url.origin;
  if ((url.protocol === 'https:' || url.protocol === 'http:') && isLoopbackHost(url.hostname) && allowLoopback) return url.origin;
  return {
    message: isLoopbackHost(url.hostname)
      ? `${url.origin} is a loopback origin, accepted only in the development build or after allowLoopback()`
      : `${url.origin} is not https: another origin's status must come over https`,
  };
}
