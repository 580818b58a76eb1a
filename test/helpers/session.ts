// The test server's scripted session endpoint (scripts/wtr-session.mjs): POST /__session/script?id=…
// sets the answers, GET /__session/answer?id=… is what an element's `session-url` points at, and
// GET /__session/seen?id=… lists the requests it received.

/** One scripted answer: a JSON body, or a status, raw body, headers, a delay, a destroyed socket. */
export type SessionStep = { status?: number; json?: unknown; body?: string; headers?: Record<string, string>; delay?: number; destroy?: boolean };

/**
 * A fresh session endpoint answering `steps` in order (the last one repeats): its `url` for
 * `session-url`, its `id`, and `seen()`, the requests it has received so far (of shape `S`).
 */
export async function scriptedSession<S = unknown>(...steps: SessionStep[]): Promise<{ id: string; url: string; seen(): Promise<S[]> }> {
  const id = `session-${crypto.randomUUID()}`;
  const scripted = await fetch(`/__session/script?id=${id}`, { method: 'POST', body: JSON.stringify(steps) });
  if (!scripted.ok) throw new Error(`scripting /__session/script failed: ${scripted.status}`);
  return {
    id,
    url: `/__session/answer?id=${id}`,
    seen: async () => (await fetch(`/__session/seen?id=${id}`)).json() as Promise<S[]>,
  };
}
