// The finAPI callback receiver in the demo: routes for demo/server.mjs's demo origin.
//
//   POST /callbacks/finapi?secret=…   the real receiver (finframe/server + toNodeHandler), as a
//                                     merchant's server would mount it
//   GET  /callbacks/finapi/state      the stored records, as JSON (`{records: [...]}`)
//   POST /callbacks/finapi/sample     `{kind}`: fires sample callbacks at the receiver over loopback
//                                     HTTP and returns each status and JSON answer, so the demo page
//                                     shows the real behaviour without ever holding the secret
//
// Usage (demo/server.mjs):
//   import { finapiCallbackRoutes } from './callbacks.mjs';
//   createDemoServer({ routes: { demo: finapiCallbackRoutes({ store, secret }) } });
//
// Needs a build (`dist/server/`): it imports the package through its own exports, like a user would.

import { randomBytes, randomUUID } from 'node:crypto';
import { createFinapiCallbackHandler, memoryStore } from 'finframe/server';
import { toNodeHandler } from 'finframe/server/node';

/** The `kind`s POST /callbacks/finapi/sample accepts, with what each shows. */
export const SAMPLE_KINDS = {
  webForm: 'a web form finalised: {webFormId, status: COMPLETED}',
  task: 'a bank-connection update task finalised: {taskId, status: COMPLETED, webForm}',
  webFormRequired: 'a task that needs the user: {taskId, status: WEB_FORM_REQUIRED, webForm: NOT_YET_OPENED}',
  duplicate: 'the same web form callback twice: the second is acknowledged without effect',
  outOfOrder: "a task's finalised callback, then its (late) webFormRequired one: the late one is stale",
  badSecret: 'a callback with a wrong secret: 401, nothing stored',
  badBody: 'an unknown status (422), a body that is not JSON (400), a wrong content type (415)',
};

const webFormUrl = (id) => `https://webform-sandbox.finapi.io/wf/${id}`;

/** The callbacks each sample kind sends: `[{ label, body, secret?: 'wrong', contentType?, raw? }]`. */
function samplesFor(kind) {
  const webFormId = randomUUID();
  const taskId = randomUUID();
  const task = (status, webFormStatus) => ({ taskId, status, webForm: { id: webFormId, url: webFormUrl(webFormId), status: webFormStatus } });
  switch (kind) {
    case 'webForm':
      return [{ label: 'web form COMPLETED', body: { webFormId, status: 'COMPLETED' } }];
    case 'task':
      return [{ label: 'task COMPLETED, web form COMPLETED', body: task('COMPLETED', 'COMPLETED') }];
    case 'webFormRequired':
      return [{ label: 'task WEB_FORM_REQUIRED, web form NOT_YET_OPENED', body: task('WEB_FORM_REQUIRED', 'NOT_YET_OPENED') }];
    case 'duplicate':
      return [
        { label: 'web form COMPLETED', body: { webFormId, status: 'COMPLETED' } },
        { label: 'the same again', body: { webFormId, status: 'COMPLETED' } },
      ];
    case 'outOfOrder':
      return [
        { label: 'task COMPLETED (finalised) arrives first', body: task('COMPLETED', 'COMPLETED') },
        { label: 'task WEB_FORM_REQUIRED (sent earlier) arrives late', body: task('WEB_FORM_REQUIRED', 'NOT_YET_OPENED') },
      ];
    case 'badSecret':
      return [{ label: 'wrong secret', body: { webFormId, status: 'COMPLETED' }, secret: 'wrong' }];
    case 'badBody':
      return [
        { label: 'unknown status', body: { webFormId, status: 'FINISHED' } },
        { label: 'not JSON', raw: '{"webFormId": ' },
        { label: 'wrong content type', body: { webFormId, status: 'COMPLETED' }, contentType: 'text/plain' },
      ];
    default:
      return undefined;
  }
}

/**
 * The routes (demo/server.mjs's `Route` format) for the demo origin.
 *
 * @param {{ store?: import('finframe/server').CallbackStore, secret?: string,
 *           onUpdate?: (record: import('finframe/server').StoredRecord) => unknown,
 *           path?: string }} [options]
 *        `store` defaults to a memoryStore(), `secret` to a random one (never sent to the page),
 *        `path` to `/callbacks/finapi`.
 * @returns {import('./server.mjs').Route[]}
 */
export function finapiCallbackRoutes({ store = memoryStore(), secret = randomBytes(24).toString('base64url'), onUpdate, path = '/callbacks/finapi' } = {}) {
  const handler = createFinapiCallbackHandler({
    secret,
    store,
    onUpdate,
    onError: (error, context) => console.error(`finframe demo: finAPI callback ${context.stage} failed${context.key ? ` for ${context.key}` : ''}: ${error?.message ?? error}`),
  });
  const nodeHandler = toNodeHandler(handler);

  /** Sends one sample to the receiver on this very server, over loopback HTTP. */
  async function deliver(ctx, sample) {
    const url = new URL(path, `http://127.0.0.1:${ctx.config.port}`);
    url.searchParams.set('secret', sample.secret === 'wrong' ? 'not-the-secret-0000' : secret);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': sample.contentType ?? 'application/json' },
      body: sample.raw ?? JSON.stringify(sample.body),
    });
    const text = await response.text();
    let answer;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = text;
    }
    return { label: sample.label, sent: sample.raw ?? sample.body, status: response.status, answer };
  }

  return [
    {
      method: '*', // the receiver answers other methods itself (405 with Allow, as JSON)
      path,
      // toNodeHandler answers by itself; the route resolves once the response is out.
      handle: (req, res) =>
        new Promise((resolve, reject) => {
          res.once('close', resolve);
          nodeHandler(req, res, reject);
        }),
    },
    {
      method: 'GET',
      path: `${path}/state`,
      handle: async (req, res, ctx) => {
        const records = [...(await store.list({ prefix: 'task:', limit: 100 })), ...(await store.list({ prefix: 'webForm:', limit: 100 }))];
        records.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
        ctx.sendJson(200, { records });
      },
    },
    {
      method: 'POST',
      path: `${path}/sample`,
      handle: async (req, res, ctx) => {
        // JSON only, so another site cannot trigger this without a CORS preflight (which fails).
        if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
          return ctx.sendJson(415, { error: 'unsupported_media_type', reason: 'send {"kind": …} as application/json' });
        }
        let kind;
        try {
          kind = JSON.parse(await ctx.readBody(1024)).kind;
        } catch {
          return ctx.sendJson(400, { error: 'invalid_json', reason: 'send {"kind": …}' });
        }
        const samples = typeof kind === 'string' && Object.hasOwn(SAMPLE_KINDS, kind) ? samplesFor(kind) : undefined;
        if (!samples) return ctx.sendJson(422, { error: 'unknown_kind', reason: `kind must be one of ${Object.keys(SAMPLE_KINDS).join(', ')}` });
        const deliveries = [];
        try {
          for (const sample of samples) deliveries.push(await deliver(ctx, sample));
        } catch (error) {
          return ctx.sendJson(502, { error: 'delivery_failed', reason: String(error?.message ?? error), deliveries });
        }
        ctx.sendJson(200, { kind, description: SAMPLE_KINDS[kind], deliveries });
      },
    },
  ];
}
