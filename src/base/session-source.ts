import * as z from 'zod/mini';
import { DEV, warnOnce } from '../internal/dev.js';

/**
 * `session-url`: an element asks the merchant's server for its session (a token, a frame URL) at
 * the start of every session, so that a page needs no JavaScript of its own. One instance per
 * element; the base class calls `ask()` when a session starts and `stop()` when it ends, is
 * replaced, or the element leaves the page.
 */

/** What an answer gave the element: only the fields it takes, checked. */
export interface SessionAnswer {
  readonly token?: string;
  readonly src?: string;
}

/** What an element takes from the answer: `token`, `src` (required), or either, at least one. */
export type SessionTakes = 'token' | 'src' | 'token-or-src';

/** `status`: the answer's HTTP status, `0` after a network error. */
export type SessionResult = { ok: true; status: number; answer: SessionAnswer } | { ok: false; status: number; message: string };

// A token goes into a URL: printable ASCII without spaces, bounded. Unknown fields are dropped.
const token = z.string().check(z.regex(/^[\x21-\x7e]{1,4096}$/));
const src = z.string().check(z.minLength(1), z.maxLength(8192));
const ANSWER = z.object({ token: z.optional(token), src: z.optional(src) });

/** The backoff before the second and the third attempt; a `Retry-After` up to 5 s replaces it. */
const BACKOFF = [500, 2000];
const MAX_RETRY_AFTER = 5000;
/** An answer is a few hundred bytes; anything far larger is not one. */
const MAX_ANSWER = 65_536;

/**
 * `value` resolved against the document's base URL; same-origin with the document (where its
 * cookies go) or `https:`. Never throws and never echoes the value.
 */
export function checkSessionUrl(value: string): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(value, document.baseURI);
  } catch {
    return { ok: false, reason: 'session-url is not a valid URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'session-url must not carry credentials' };
  if (url.origin === location.origin || url.protocol === 'https:') return { ok: true, url };
  return { ok: false, reason: `session-url must be on this page's origin or https:, not ${url.protocol}//${url.host}` };
}

/** Milliseconds a `Retry-After` asks for (seconds or an HTTP date); `undefined` when absent or unreadable. */
export function retryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month ("Wed, 21 Oct 2026 07:28:00 GMT").
  const date = /[a-z]/i.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** The answer's text, checked. Nothing of the text is ever echoed: it may hold a token. */
function parseAnswer(text: string, takes: SessionTakes): SessionAnswer | string {
  let value: unknown;
  try {
    if (text.length > MAX_ANSWER) throw new RangeError();
    value = JSON.parse(text);
  } catch {
    return 'its answer is not JSON';
  }
  const parsed = ANSWER.safeParse(value);
  const { token, src } = parsed.success ? parsed.data : {};
  if (takes === 'token-or-src') return token || src ? Object.freeze({ token, src }) : 'its answer is not {"token": "…"} or {"src": "…"}';
  const answer = takes === 'token' ? { token } : { src };
  return answer[takes] ? Object.freeze(answer) : `its answer has no valid "${takes}"`;
}

/**
 * POSTs `body` to `url`: network errors, 408, 429 and 5xx are tried again twice (after 0.5 s,
 * then 2 s, or the server's `Retry-After` up to 5 s; a longer one ends it at once). Rejects only
 * when `signal` aborts.
 */
export async function requestSession(url: URL, body: unknown, takes: SessionTakes, signal: AbortSignal): Promise<SessionResult> {
  for (let attempt = 0; ; attempt++) {
    let status = 0;
    let wait: number | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
        cache: 'no-store',
        signal,
      });
      status = response.status;
      if (response.ok) {
        const answer = parseAnswer(await response.text(), takes);
        return typeof answer === 'string' ? { ok: false, status, message: answer } : { ok: true, status, answer };
      }
      if (!retryable(status)) return { ok: false, status, message: `it answered ${status}` };
      wait = retryAfter(response.headers.get('Retry-After'));
    } catch (error) {
      if (signal.aborted) throw error;
      // The request or the answer's body failed on the way: a network error.
      status = 0;
    }
    const what = status ? `it answered ${status}` : 'the request failed (network error)';
    if (wait !== undefined && wait > MAX_RETRY_AFTER) return { ok: false, status, message: `${what} with a Retry-After over 5 s` };
    if (attempt === BACKOFF.length) return { ok: false, status, message: `${what}, three times` };
    await sleep(wait ?? BACKOFF[attempt]!, signal);
  }
}

/** One element's session requests: at most one at a time; a stopped or replaced one never answers. */
export class SessionSource {
  #pending: AbortController | undefined;
  #host: HTMLElement;
  #takes: () => SessionTakes;

  constructor(host: HTMLElement, takes: () => SessionTakes) {
    this.#host = host;
    this.#takes = takes;
  }

  /** Whether a request (or the wait before a retry) is under way. */
  get pending(): boolean {
    return this.#pending !== undefined;
  }

  /**
   * Asks `url` for a session; `done` runs once, with the checked answer or the reason it failed
   * (already logged, without anything from the answer) — unless `stop()` or another `ask()` came first.
   */
  ask(url: URL, lang: string, done: (result: SessionResult) => void): void {
    this.stop();
    const controller = new AbortController();
    this.#pending = controller;
    const host = this.#host;
    // data-order-id="42" → context.orderId: the theme's way to tell the server which order.
    const body = { element: host.localName, lang, context: { ...host.dataset } };
    requestSession(url, body, this.#takes(), controller.signal).then(
      (result) => {
        if (this.#pending !== controller) return;
        this.#pending = undefined;
        if (!result.ok) {
          result = { ...result, message: `<${host.localName}>: no session from session-url: ${result.message}` };
          console.error(`[finframe] ${result.message}.`);
        }
        done(result);
      },
      () => {},
    );
  }

  /** Aborts the request under way, if any; its answer, if one still comes, is dropped. */
  stop(): void {
    this.#pending?.abort();
    this.#pending = undefined;
  }
}

/** The `LOAD_TIMEOUT` message while the element still waits for its session. */
export function sessionTimeout(host: Element, ms: number): string {
  return `<${host.localName}>: session-url gave no session within ${ms} ms (load-timeout). Check that the endpoint answers promptly.`;
}

/**
 * A token in an attribute is in the page's HTML source (server-rendered pages do this by
 * accident): the development build says so, once per element type. Never the value.
 */
export function warnTokenAttribute(host: Element, attribute: string, property: string): void {
  if (DEV && host.hasAttribute(attribute)) {
    warnOnce(
      `token-attribute:${host.localName}`,
      `<${host.localName}> got its token from the "${attribute}" attribute, so the token is in the page's HTML source. Set the ${property} property instead, or let the element ask your server with session-url.`,
    );
  }
}
