import { fixture, html, oneEvent } from '@open-wc/testing';

/**
 * Three origins on one test server: the test page (http://localhost:PORT), the fake provider
 * (http://127.0.0.1:PORT) and a hostile page (http://127.0.0.2:PORT).
 */
export const PORT = location.port;
export const PROVIDER_ORIGIN = `http://127.0.0.1:${PORT}`;
export const HOSTILE_ORIGIN = `http://127.0.0.2:${PORT}`;

export const PROVIDER_EVENTS = ['provider-ready', 'provider-event', 'provider-outcome', 'provider-error'] as const;
export type Recorded = { type: string; detail: any; event: Event };

/** Every provider event `target` dispatches from now on, in order. */
export function record(target: EventTarget): Recorded[] {
  const seen: Recorded[] = [];
  for (const type of PROVIDER_EVENTS) {
    target.addEventListener(type, (event) => seen.push({ type, detail: (event as CustomEvent).detail, event }));
  }
  return seen;
}

export function frameOf(el: Element): HTMLIFrameElement {
  const frame = el.shadowRoot!.querySelector('iframe');
  if (!frame) throw new Error(`<${el.localName}> has no frame`);
  return frame;
}

/** A message the fake provider frame posts to the page, verbatim. */
export function sendFromFrame(el: Element, fake: string, message: unknown): void {
  const frame = frameOf(el);
  frame.contentWindow!.postMessage({ fake, command: 'send', message }, new URL(frame.src).origin);
}

/** Runs one of the fake provider's scripted UI actions (e.g. `redirect`). */
export function runInFrame(el: Element, fake: string, name: string): void {
  const frame = frameOf(el);
  frame.contentWindow!.postMessage({ fake, command: 'run', name }, new URL(frame.src).origin);
}

/**
 * Sends `messages` from the fake frame, then a fence `{fence: id}`; resolves once the fence has
 * arrived. Messages from one window are delivered in order, and the element's own listener (added
 * when it connected) runs before this one, so when the fence arrives every message sent before it
 * has been handled: a test can then assert that nothing happened. The fence is outside every
 * provider's protocol, so the element answers it with one INVALID_MESSAGE; that entry is removed
 * from `seen`, leaving the record as if the fence had never been sent.
 */
let fences = 0;
export async function settle(el: Element, fake: string, seen: Recorded[], messages: unknown[] = []): Promise<void> {
  for (const message of messages) sendFromFrame(el, fake, message);
  const id = ++fences;
  const frameWindow = frameOf(el).contentWindow;
  await new Promise<void>((resolve) => {
    const listener = (event: MessageEvent) => {
      if (event.source !== frameWindow || event.data?.fence !== id) return;
      window.removeEventListener('message', listener);
      const last = seen.at(-1);
      // Dispatched while this very message was being handled: the fence's own INVALID_MESSAGE.
      if (last?.type === 'provider-error' && last.detail.code === 'INVALID_MESSAGE' && last.event.timeStamp >= event.timeStamp) {
        seen.pop();
      }
      resolve();
    };
    window.addEventListener('message', listener);
    sendFromFrame(el, fake, { fence: id });
  });
}

/**
 * Loads `messages` into a hostile frame at `src` (any origin, optional sandbox), which posts them to
 * this page with target '*'; resolves once the frame's done-marker arrived, i.e. after the page
 * has dispatched (or dropped) every forged message.
 */
let hostiles = 0;
export async function postFromHostileFrame(
  messages: unknown[],
  options: { origin?: string; sandbox?: string } = {},
): Promise<void> {
  const id = ++hostiles;
  const frame = document.createElement('iframe');
  if (options.sandbox !== undefined) frame.setAttribute('sandbox', options.sandbox);
  frame.title = 'hostile';
  frame.src = `${options.origin ?? HOSTILE_ORIGIN}/test/fixtures/hostile.html#${encodeURIComponent(JSON.stringify({ id, messages }))}`;
  const done = new Promise<void>((resolve) => {
    const listener = (event: MessageEvent) => {
      if (event.source === frame.contentWindow && event.data?.hostileDone === id) {
        window.removeEventListener('message', listener);
        resolve();
      }
    };
    window.addEventListener('message', listener);
  });
  document.body.append(frame);
  await done;
  frame.remove();
}

export async function waitFor<T extends Event>(target: EventTarget, type: string): Promise<T> {
  return (await oneEvent(target, type)) as unknown as T;
}

export { fixture, html };

/** What a fake provider page reports about its layout (see demo/fake/fake-common.js, `measure`). */
export interface FrameMeasurement {
  /** The control's box in the frame's document coordinates; null if the selector matched nothing. */
  control: { top: number; bottom: number; left: number; right: number } | null;
  /** The frame document's scroll height. */
  documentHeight: number;
  /** The frame's viewport height (its innerHeight): what the `<iframe>` shows without scrolling. */
  viewportHeight: number;
}

/**
 * Asks the fake frame to measure the first element matching `selector`, after every command sent
 * before it (messages from one window arrive in order). The reply is outside every protocol: the
 * element answers it with a non-fatal INVALID_MESSAGE, which callers that record events must expect.
 */
let measurements = 0;
export async function measureInFrame(el: Element, fake: string, selector: string): Promise<FrameMeasurement> {
  const frame = frameOf(el);
  const id = ++measurements;
  const frameWindow = frame.contentWindow;
  const reply = new Promise<FrameMeasurement>((resolve) => {
    const listener = (event: MessageEvent) => {
      if (event.source !== frameWindow || event.data?.measured !== id) return;
      window.removeEventListener('message', listener);
      const { control, documentHeight, viewportHeight } = event.data;
      resolve({ control, documentHeight, viewportHeight });
    };
    window.addEventListener('message', listener);
  });
  frameWindow!.postMessage({ fake, command: 'measure', selector, id }, new URL(frame.src).origin);
  return reply;
}
