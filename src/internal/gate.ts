import { DEV, warnOnce } from './dev.js';

/** What a gate needs to know about the one frame it guards. */
export interface GateOptions<M> {
  /** Provider name, for development warnings. */
  provider: string;
  /** The frame's window; `undefined` while there is no frame. */
  source(): MessageEventSource | null | undefined;
  /** The exact origin the frame was loaded from. */
  origin(): string | undefined;
  /** Validates the message; `undefined` means malformed. Must not throw, but a throw is caught. */
  parse(data: unknown): M | undefined;
  accept(message: M): void;
  /** The trusted frame sent something that does not parse. */
  malformed(): void;
}

/**
 * The message gate: a message is accepted only if it comes from the frame's own window, from
 * exactly the origin the frame was loaded from, and parses. A message failing the first two
 * checks leaves no trace the sender could observe; development builds warn once when it looks
 * like a misconfiguration (the right origin from another window, or the frame navigated away).
 */
export function createGate<M>(options: GateOptions<M>): (event: MessageEvent) => void {
  return (event) => {
    const source = options.source();
    const origin = options.origin();
    if (!source || event.source !== source || event.origin !== origin) {
      if (DEV && source && (event.source === source || event.origin === origin)) {
        warnOnce(
          `${options.provider}|${event.source === source}|${event.origin}`,
          event.source === source
            ? `<${options.provider}> ignored a message from its frame at ${event.origin}: only ${origin} is trusted (did the frame navigate away?).`
            : `<${options.provider}> ignored a message from ${event.origin} that did not come from its own frame.`,
        );
      }
      return;
    }
    let message: M | undefined;
    try {
      message = options.parse(event.data);
    } catch {
      message = undefined;
    }
    if (message === undefined) options.malformed();
    else options.accept(message);
  };
}
