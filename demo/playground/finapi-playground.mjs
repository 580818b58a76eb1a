// DEMO ONLY — never mount this in a shop. The finAPI half of the demo's playground, behind the
// callback panel of /finapi-web-form.html:
//
//   GET  /callbacks/finapi/state    every stored web form and task, unauthenticated
//   POST /callbacks/finapi/sample   `{kind}`: makes this server POST sample callbacks to its own
//                                   receiver over loopback HTTP, with the receiver's real secret,
//                                   and answers with each status and JSON answer — so the page
//                                   shows the receiver's real behaviour without holding the secret.
//                                   `{kind: 'webForm', webFormId, status}` sends the callback of
//                                   one given web form (the page does, when its form ends)
//
// Both would be holes on a reachable server (a dump of customers' bank-connection states; anyone
// making the server send itself callbacks as finAPI). So finapiPlaygroundRoutes() refuses to start
// with NODE_ENV=production or when the server listens off loopback, and each route answers only
// loopback requests (./playground-guard.mjs). The receiver a shop copies is demo/receivers/finapi.mjs.
//
// No build needed: this module uses the store and fetch only.

import { randomUUID } from 'node:crypto';
import { assertPlaygroundAllowed, loopbackOnly } from './playground-guard.mjs';
import { answerOf } from './answer.mjs';

/** The `kind`s POST /callbacks/finapi/sample accepts, with what each shows. */
export const SAMPLE_KINDS = {
  webForm: 'a web form finalised: {webFormId, status: COMPLETED} (or the given webFormId and final status)',
  task: 'a bank-connection update task finalised: {taskId, status: COMPLETED, webForm}',
  webFormRequired: 'a task that needs the user: {taskId, status: WEB_FORM_REQUIRED, webForm: NOT_YET_OPENED}',
  duplicate: 'the same web form callback twice: the second is acknowledged without effect',
  outOfOrder: "a task's finalised callback, then its (late) webFormRequired one: the late one is stale",
  badSecret: 'a callback with a wrong secret: 401, nothing stored',
  badBody: 'an unknown status (422), a body that is not JSON (400), a wrong content type (415)',
};

const webFormUrl = (id) => `https://webform-sandbox.finapi.io/wf/${id}`;

/** The statuses a web form's `finalised` callback carries: the final ones. */
const FINAL_WEB_FORM_STATUSES = ['COMPLETED', 'COMPLETED_WITH_ERROR', 'ABORTED', 'EXPIRED'];
const WEB_FORM_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * For kind `webForm`, the page's own web form: `{webFormId, status}` from the request, each
 * optional (default a random id, COMPLETED). Undefined when either is not acceptable.
 */
function webFormOf(request) {
  const { webFormId = randomUUID(), status = 'COMPLETED' } = request;
  if (typeof webFormId !== 'string' || !WEB_FORM_ID.test(webFormId)) return undefined;
  if (!FINAL_WEB_FORM_STATUSES.includes(status)) return undefined;
  return { webFormId, status };
}

/** The callbacks each sample kind sends: `[{ label, body, secret?: 'wrong', contentType?, raw? }]`. */
function samplesFor(kind, request = {}) {
  const webFormId = randomUUID();
  const taskId = randomUUID();
  const task = (status, webFormStatus) => ({ taskId, status, webForm: { id: webFormId, url: webFormUrl(webFormId), status: webFormStatus } });
  switch (kind) {
    case 'webForm': {
      const form = webFormOf(request);
      return form && [{ label: `web form ${form.status}`, body: form }];
    }
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
 * The playground's finAPI routes (demo/server.mjs's `Route` format), for a server that also mounts
 * the receiver at `receiverPath` (demo/receivers/finapi.mjs).
 *
 * @param {{ store: import('finframe/server').CallbackStore, secret: string,
 *           hosts: string | string[], env?: Record<string, string | undefined>,
 *           receiverPath?: string }} options
 *        `secret` is the receiver's (never sent to the page); `hosts` the addresses the server
 *        listens on; `env` defaults to process.env; `receiverPath` to `/callbacks/finapi`.
 * @returns {import('../server.mjs').Route[]}
 * @throws {import('./playground-guard.mjs').PlaygroundRefusedError} with NODE_ENV=production or off loopback.
 */
export function finapiPlaygroundRoutes({ store, secret, hosts, env = process.env, receiverPath = '/callbacks/finapi' }) {
  assertPlaygroundAllowed({ hosts, env }, 'The finAPI playground (GET …/state, POST …/sample)');

  /** Sends one sample to the receiver on this very server, over loopback HTTP. */
  async function deliver(ctx, sample) {
    const url = new URL(receiverPath, `http://127.0.0.1:${ctx.config.port}`);
    url.searchParams.set('secret', sample.secret === 'wrong' ? 'not-the-secret-0000' : secret);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': sample.contentType ?? 'application/json' },
      body: sample.raw ?? JSON.stringify(sample.body),
    });
    const answer = await answerOf(response);
    return { label: sample.label, sent: sample.raw ?? sample.body, status: response.status, answer };
  }

  return [
    loopbackOnly({
      method: 'GET',
      path: `${receiverPath}/state`,
      handle: async (req, res, ctx) => {
        const records = [...(await store.list({ prefix: 'task:', limit: 100 })), ...(await store.list({ prefix: 'webForm:', limit: 100 }))];
        records.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
        ctx.sendJson(200, { records });
      },
    }),
    loopbackOnly({
      method: 'POST',
      path: `${receiverPath}/sample`,
      handle: async (req, res, ctx) => {
        // JSON only, so another site cannot trigger this without a CORS preflight (which fails).
        if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
          return ctx.sendJson(415, { error: 'unsupported_media_type', reason: 'send {"kind": …} as application/json' });
        }
        let request;
        try {
          request = JSON.parse(await ctx.readBody(1024));
        } catch {
          return ctx.sendJson(400, { error: 'invalid_json', reason: 'send {"kind": …}' });
        }
        const kind = request?.kind;
        if (typeof kind !== 'string' || !Object.hasOwn(SAMPLE_KINDS, kind)) {
          return ctx.sendJson(422, { error: 'unknown_kind', reason: `kind must be one of ${Object.keys(SAMPLE_KINDS).join(', ')}` });
        }
        const samples = samplesFor(kind, request);
        if (!samples) {
          return ctx.sendJson(422, {
            error: 'invalid_web_form',
            reason: `webFormId must be 1 to 64 letters, digits or hyphens, and status one of ${FINAL_WEB_FORM_STATUSES.join(', ')}`,
          });
        }
        const deliveries = [];
        try {
          for (const sample of samples) deliveries.push(await deliver(ctx, sample));
        } catch (error) {
          return ctx.sendJson(502, { error: 'delivery_failed', reason: String(error?.message ?? error), deliveries });
        }
        ctx.sendJson(200, { kind, description: SAMPLE_KINDS[kind], deliveries });
      },
    }),
  ];
}
