// DEMO ONLY — the "no JavaScript" pages (demo/no-js/*.html) and what stands in for a shop's
// checkout behind their forms:
//
//   GET  /no-js/, /no-js/<element>.html   the pages, rendered from demo/no-js/ (the finAPI page gets
//                                         the fake finAPI server as target-url, the FlexPay page
//                                         its order's reference), every value HTML-escaped
//   POST /no-js/posted?from=<element>     "what the form posted": the raw entries in order and the
//                                         nested object `qs` (Express's parser) makes of them
//   POST /flexpay/demo/no-js/order        plain-form versions of the FlexPay playground's JSON routes
//   POST /flexpay/demo/no-js/send         (loopback only, same origin only); each answers 303 back to
//                                         /no-js/flexpay-status.html?reference=…
//
// The session endpoint the pages' elements ask is demo/receivers/session.mjs (what a shop copies)
// with the fake providers of ./session-playground.mjs.
//
// Nothing here logs a body: a posted form carries a Flinks loginId, a Benji access token.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import qs from 'qs';
import { SEND_KINDS } from './flexpay-playground.mjs';
import { loopbackOnly } from './playground-guard.mjs';

const PAGES_DIR = fileURLToPath(new URL('../no-js/', import.meta.url));

/**
 * The pages, with the CSP each gets from the demo's page CSPs (`csp`, passed in by demo/server.mjs:
 * importing it here would deadlock `node demo/server.mjs`, whose top-level await imports this
 * module). Every page's forms post to this origin: `form-action 'self'`.
 */
const PAGES = {
  index: () => STATIC_CSP,
  'flinks-connect': (config, csp) => formsAllowed(csp.demoCsp(config)),
  'flexiti-widget': (config, csp) => formsAllowed(csp.demoCsp(config)),
  'benji-connect': (config, csp) => formsAllowed(csp.demoCsp(config)),
  // finAPI's loader writes plain strings to two Trusted Types sinks; only a `default` policy (page
  // script: demo/finapi-trusted-types.js) would let them through. A page without script cannot
  // enforce Trusted Types, so this one does not (the page says so).
  'finapi-web-form': (config, csp) =>
    formsAllowed(csp.finapiPageCsp(config))
      .split('; ')
      .filter((directive) => !/^(require-trusted-types-for|trusted-types) /.test(directive))
      .join('; '),
  'flexpay-status': (config, csp) => formsAllowed(csp.flexpayPageCsp(config)),
};
export const NO_JS_ELEMENTS = Object.freeze(Object.keys(PAGES).filter((page) => page !== 'index'));

/** No script at all; forms to this origin. */
const STATIC_CSP = ["default-src 'none'", "style-src 'self'", "img-src 'self' data:", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"].join('; ');
/** The posted page: nothing but its own markup and style; no forms. */
const POSTED_CSP = STATIC_CSP.replace("form-action 'self'", "form-action 'none'");

const formsAllowed = (csp) => csp.replace("form-action 'none'", "form-action 'self'");

/** FlexPay's order references (flexpay-playground.mjs newReference()). */
const REFERENCE = /^FF-[A-Z0-9]{8}$/;

/** Text for HTML, in content and in quoted attribute values. */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * A page template filled in: `<!--if:name-->…<!--end:name-->` (and `if:!name`) kept or dropped by
 * whether `values[name]` is set, then every `{{name}}` replaced by its value, escaped. A
 * placeholder without a value is a bug in the demo: it throws.
 */
export function renderTemplate(template, values) {
  const present = (name) => values[name] !== undefined && values[name] !== '';
  let out = template;
  // Innermost first: a block holds no other block of its own name.
  for (let previous; previous !== out; ) {
    previous = out;
    out = out.replace(/<!--if:(!?)(\w+)-->\n?((?:(?!<!--if:)[\s\S])*?)<!--end:\1\2-->\n?/g, (_, not, name, body) =>
      (not ? !present(name) : present(name)) ? body : '',
    );
  }
  return out.replace(/\{\{(\w+)\}\}/g, (_, name) => {
    if (!present(name)) throw new Error(`no value for {{${name}}}`);
    return escapeHtml(values[name]);
  });
}

/** Posted fields that are credentials: shown masked but for their last 4 characters. */
const SECRET_FIELD = /\[(loginId|token|refreshToken)\]$/;
const mask = (value) => (value.length > 8 ? `••••${value.slice(-4)}` : '••••');

/**
 * A form body as a server receives it: `{contentType, entries}` with the entries in order (urlencoded:
 * URLSearchParams; multipart: the Fetch API's parser), or `undefined` for any other content type.
 */
export async function parseFormBody(contentType, body) {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return { contentType: type, entries: [...new URLSearchParams(body)] };
  if (type === 'multipart/form-data') {
    const form = await new Request('http://localhost/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
    return { contentType: type, entries: [...form].map(([name, value]) => [name, typeof value === 'string' ? value : `(a file: ${value.name})`]) };
  }
  return undefined;
}

/** The "what the form posted" page: entries in order and as `qs` nests them, credentials masked, everything escaped. */
export function postedPage({ from, contentType, entries }) {
  const shown = entries.map(([name, value]) => [name, SECRET_FIELD.test(name) ? mask(value) : value]);
  const parsed = qs.parse(shown.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&'));
  const back = from ? `/no-js/${from}.html` : '/no-js/';
  const rows = shown.map(([name, value], i) => `          <tr><td>${i + 1}</td><td><code>${escapeHtml(name)}</code></td><td><code>${escapeHtml(value)}</code></td></tr>`);
  const masked = entries.some(([name]) => SECRET_FIELD.test(name));
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>finframe demo — what the form posted</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/demo.css" />
  </head>
  <body>
    <header class="page-header">
      <nav class="demo-nav" aria-label="Back"><a href="${escapeHtml(back)}">← Back to the ${from ? `<code>&lt;${escapeHtml(from)}&gt;</code> ` : ''}page</a></nav>
      <h1>What the form posted</h1>
      <p>Rendered by the demo server from the request body, as your checkout's handler receives it (<code>${escapeHtml(contentType)}</code>).</p>
    </header>
    <main class="no-js-layout posted">
      <section class="panel" aria-labelledby="h-entries">
        <h2 id="h-entries">The entries, in order</h2>
        <table class="callbacks-state" id="entries">
          <thead><tr><th>#</th><th>name</th><th>value</th></tr></thead>
          <tbody>
${rows.join('\n') || '          <tr><td colspan="3">nothing</td></tr>'}
          </tbody>
        </table>
${
  masked
    ? `        <p class="hint spaced" id="masked">Masked but for the last 4 characters: <code>loginId</code> (Flinks' — it never expires and opens the
          shopper's bank data to whoever has your Flinks credentials), <code>token</code> and <code>refreshToken</code> (Benji's access
          tokens for the shopper's rewards account). Everything else is exactly as posted.</p>\n`
    : ''
}      </section>
      <section class="panel" aria-labelledby="h-parsed">
        <h2 id="h-parsed">As your server reads them</h2>
        <p class="hint">The bracket names as one nested object — what <code>qs</code> (Express's <code>express.urlencoded({ extended: true })</code>) makes of them; PHP's <code>$_POST</code> and Rails' <code>params</code> nest them the same way.</p>
        <pre class="markup" id="parsed"><code>${escapeHtml(JSON.stringify(parsed, null, 2))}</code></pre>
        <p class="hint">The post comes from the shopper's browser and proves nothing by itself: your server checks each claim with the provider (docs/no-javascript.md, "What your server still checks").</p>
      </section>
    </main>
  </body>
</html>
`;
}

/** The receiver's answer to one delivery in a few words (as demo/flexpay.js shows it). */
function verdict({ status, answer }) {
  if (!answer || typeof answer !== 'object' || !answer.ok) return `${status} ${answer?.error ?? ''}`.trim();
  if (answer.unproven) return `${status} unproven, not stored`;
  return `${status} ${answer.changed ? `changed → v${answer.version}` : answer.duplicate ? 'duplicate, no effect' : 'stale, no effect'}`;
}

/**
 * The routes above (demo/server.mjs's `Route` format). `flexpay` is the FlexPay playground
 * (createFlexPayPlayground()), for the order and send routes.
 *
 * @param {{ flexpay: { newOrder: Function, send: Function },
 *           csp: { demoCsp: Function, finapiPageCsp: Function, flexpayPageCsp: Function } }} options
 */
export function noJsRoutes({ flexpay, csp }) {
  const templates = new Map();
  const template = async (page) => {
    if (!templates.has(page)) templates.set(page, await readFile(new URL(`${page}.html`, `file://${PAGES_DIR}`), 'utf8'));
    return templates.get(page);
  };

  /** Form POSTs that act come from this origin's own pages only (a cross-site form sends another Origin). */
  const sameOrigin = (req) => req.headers.origin === `http://${req.headers.host}`;
  const seeOther = (ctx, location) => ctx.send(303, '', { Location: location });
  const refuse = (ctx, status, reason) => ctx.send(status, `${reason}\n`);

  async function formFields(req, ctx) {
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      refuse(ctx, 415, 'send an HTML form (application/x-www-form-urlencoded)');
      return undefined;
    }
    return new URLSearchParams(await ctx.readBody(1024));
  }

  return [
    {
      path: /^\/no-js\/(?:([a-z-]+)\.html)?$/,
      handle: async (req, res, ctx) => {
        const page = ctx.match[1] ?? 'index';
        if (!Object.hasOwn(PAGES, page)) return refuse(ctx, 404, 'Not Found');
        const values = { finapiServer: ctx.config.finapiServer };
        if (page === 'flexpay-status') {
          const reference = ctx.url.searchParams.get('reference') ?? '';
          // A made-up reference is rendered too; the status stream answers it 403 (not this browser's order).
          if (REFERENCE.test(reference)) values.reference = reference;
          const sent = ctx.url.searchParams.get('sent') ?? '';
          const answer = ctx.url.searchParams.get('answer') ?? '';
          if (Object.hasOwn(SEND_KINDS, sent) && /^[a-z0-9 ,→_-]{1,80}$/iu.test(answer)) Object.assign(values, { sent, answer });
        }
        ctx.send(200, renderTemplate(await template(page), values), {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': PAGES[page](ctx.config, csp),
        });
      },
    },
    {
      method: 'POST',
      path: '/no-js/posted',
      handle: async (req, res, ctx) => {
        const from = ctx.url.searchParams.get('from');
        // Refused before reading: past the limit the server drops the connection instead of answering.
        if (Number(req.headers['content-length'] ?? 0) > 64 * 1024) return refuse(ctx, 413, 'the form body is over 64 KiB');
        let posted;
        try {
          posted = await parseFormBody(req.headers['content-type'], await ctx.readBody(64 * 1024));
        } catch (error) {
          if (error?.status === 413) return refuse(ctx, 413, 'the form body is over 64 KiB');
          return refuse(ctx, 400, 'the form body could not be parsed');
        }
        if (!posted) return refuse(ctx, 415, 'post an HTML form: application/x-www-form-urlencoded or multipart/form-data');
        ctx.send(200, postedPage({ from: NO_JS_ELEMENTS.includes(from) ? from : undefined, ...posted }), {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': POSTED_CSP,
        });
      },
    },
    loopbackOnly({
      method: 'POST',
      path: '/flexpay/demo/no-js/order',
      handle: async (req, res, ctx) => {
        if (!sameOrigin(req)) return refuse(ctx, 403, 'the demo page on this origin only');
        if ((await formFields(req, ctx)) === undefined) return;
        seeOther(ctx, `/no-js/flexpay-status.html?reference=${encodeURIComponent(flexpay.newOrder(req, res))}`);
      },
    }),
    loopbackOnly({
      method: 'POST',
      path: '/flexpay/demo/no-js/send',
      handle: async (req, res, ctx) => {
        if (!sameOrigin(req)) return refuse(ctx, 403, 'the demo page on this origin only');
        const fields = await formFields(req, ctx);
        if (fields === undefined) return;
        const reference = fields.get('reference') ?? '';
        const kind = fields.get('kind') ?? '';
        const result = await flexpay.send(req, ctx, { reference, kind });
        if (result.status === 404 || result.status === 422) return refuse(ctx, result.status, result.reason);
        const answer = result.status === 200 ? verdict(result.deliveries.at(-1)) : `${result.status} ${result.error}`;
        const query = new URLSearchParams({ reference, sent: kind, answer });
        seeOther(ctx, `/no-js/flexpay-status.html?${query}`);
      },
    }),
  ];
}
