// The browser tests' form endpoint: what a merchant's server receives when a <form> with a finframe
// element is submitted. Nothing here reaches the internet.
//
//   POST /__forms/echo?id=…      parses the body as a server does and answers an HTML page holding
//                                <script type="application/json" id="posted">{…}</script>:
//                                {contentType, entries: [[name, value], …], parsed}
//                                `entries` in order, from the body (urlencoded: URLSearchParams;
//                                multipart: the Fetch API's own parser); `parsed` is the body as
//                                Express reads it (`qs`, what `express.urlencoded({extended: true})`
//                                uses — the same nesting PHP and Rails give bracket names).
//   GET  /__forms/received?id=…  every body POSTed with that id so far, as above: [] when none was.
import qs from 'qs';

export function formsTestServer() {
  /** id → what each POST carried. */
  const received = new Map();

  /** Koa middleware: runs before the test server's own file serving. */
  return async (ctx, next) => {
    if (ctx.path === '/__forms/received' && ctx.method === 'GET') {
      ctx.type = 'application/json';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = JSON.stringify(received.get(ctx.query.id) ?? []);
      return;
    }
    if (ctx.path !== '/__forms/echo' || ctx.method !== 'POST') return next();
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const contentType = ctx.get('content-type');
    let entries;
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Request('http://localhost/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
      entries = [...form].map(([name, value]) => [name, String(value)]);
    } else {
      entries = [...new URLSearchParams(body.toString('utf8'))];
    }
    const parsed = qs.parse(entries.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&'));
    const posted = { contentType: contentType.split(';')[0], entries, parsed };
    const id = String(ctx.query.id ?? '');
    received.set(id, [...(received.get(id) ?? []), posted]);
    ctx.type = 'text/html';
    ctx.set('Cache-Control', 'no-store');
    const json = JSON.stringify(posted).replace(/</g, '\\u003c');
    ctx.body = `<!doctype html><meta charset="utf-8"><title>Posted</title><script type="application/json" id="posted">${json}</script>`;
  };
}
