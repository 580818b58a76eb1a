// The demo's no-JavaScript side: the session-url endpoint (demo/receivers/session.mjs with the
// demo's fake minting, demo/playground/session-playground.mjs) and the server-rendered "what the
// form posted" page (demo/playground/no-js-pages.mjs), over a real demo server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fakeSessionProviders } from '../../../demo/playground/session-playground.mjs';
import { escapeHtml, noJsRoutes, renderTemplate } from '../../../demo/playground/no-js-pages.mjs';
import { PlaygroundRefusedError } from '../../../demo/playground/playground-guard.mjs';
import { sessionRoute } from '../../../demo/receivers/session.mjs';
import { DEMO_HOSTS, REPO_ROOT, createDemoServer, demoCsp, finapiPageCsp, flexpayPageCsp } from '../../../demo/server.mjs';

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };

/** A demo server with the session route (fake providers) and the no-JS routes; its log lines are kept. */
async function serve(t) {
  const lines = [];
  let config;
  const flexpay = { newOrder: () => 'FF-ABCDEFGH', send: async () => ({ status: 404, reason: 'no such order' }) };
  const route = sessionRoute({ providers: fakeSessionProviders({ config: () => config, hosts: DEMO_HOSTS, env: {} }) });
  const server = createDemoServer({ port: 0, fakePort: 0, routes: { demo: [route, ...noJsRoutes({ flexpay, csp: { demoCsp, finapiPageCsp, flexpayPageCsp } })] }, log: (line) => lines.push(line) });
  config = await server.listen();
  t.after(() => server.close());
  const base = `http://localhost:${config.port}`;
  const session = (body, { headers = JSON_TYPE, method = 'POST' } = {}) =>
    fetch(`${base}/finframe/session`, { method, headers, body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { base, config, lines, session };
}

test('session-url: each element gets a fresh token for its fake, as no-store JSON', async (t) => {
  const { config, lines, session } = await serve(t);
  const seen = new Set();
  for (const [element, lang] of [['flinks-connect', 'en'], ['flexiti-widget', 'fr'], ['benji-connect', 'en'], ['finapi-web-form', 'de']]) {
    for (let i = 0; i < 2; i++) {
      const response = await session({ element, lang, context: { orderId: 'A-1042' } });
      assert.equal(response.status, 200, element);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.match(response.headers.get('content-type'), /^application\/json/);
      const answer = await response.json();
      const secret = answer.token ?? answer.src;
      assert.ok(!seen.has(secret), `${element}: a token was handed out twice`);
      seen.add(secret);
      if (element === 'flinks-connect') {
        const src = new URL(answer.src);
        assert.equal(src.origin + src.pathname, `${config.fakeOrigin}/fake/flinks/`);
        assert.equal(src.searchParams.get('language'), 'en');
        assert.match(src.searchParams.get('authorizeToken'), /^[0-9a-f-]{36}$/);
        assert.equal(answer.token, undefined);
      } else if (element === 'flexiti-widget') {
        assert.match(answer.src, new RegExp(`^${config.fakeOrigin.replace(/\./g, '\\.')}/fake/flexiti/index\\.html#/widget/demo-client/fx_[0-9a-f]{48}\\?x-reference-id=`));
      } else if (element === 'benji-connect') {
        assert.match(answer.token, /^ct_[0-9a-f]{48}$/);
        assert.equal(answer.src, `${config.fakeOrigin}/fake/benji/index.html`);
      } else {
        assert.match(answer.token, /^demo_wf_[0-9a-f]{32}$/);
        assert.equal(answer.src, undefined);
      }
    }
  }
  assert.deepEqual(lines, [], 'nothing logged');
});

test('session-url: a bad request is refused with 4xx and a reason, and mints nothing', async (t) => {
  const { lines, session, base } = await serve(t);
  const cases = [
    [405, 'method_not_allowed', undefined, { method: 'GET' }],
    [415, 'unsupported_media_type', { element: 'flinks-connect', lang: 'en' }, { headers: { 'content-type': 'text/plain' } }],
    [415, 'unsupported_media_type', 'element=flinks-connect&lang=en', { headers: FORM_TYPE }],
    [400, 'invalid_json', '{"element": ', {}],
    [400, 'invalid_json', '[1, 2]', {}],
    [422, 'unknown_element', { element: 'flexpay-status', lang: 'en' }, {}],
    [422, 'unknown_element', { element: '__proto__', lang: 'en' }, {}],
    [422, 'unknown_element', { lang: 'en' }, {}],
    [422, 'invalid_lang', { element: 'flinks-connect', lang: 'de' }, {}],
    [422, 'invalid_lang', { element: 'finapi-web-form', lang: 'xx' }, {}],
    [422, 'invalid_context', { element: 'benji-connect', lang: 'en', context: 'A-1042' }, {}],
    [422, 'invalid_context', { element: 'benji-connect', lang: 'en', context: { orderId: 42 } }, {}],
    [422, 'invalid_context', { element: 'benji-connect', lang: 'en', context: { 'order-id': 'A-1' } }, {}],
    [422, 'invalid_context', { element: 'benji-connect', lang: 'en', context: { note: 'x'.repeat(257) } }, {}],
    [422, 'invalid_context', { element: 'benji-connect', lang: 'en', context: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, {}],
    [404, 'unknown_order', { element: 'flinks-connect', lang: 'en', context: { orderId: '<script>' } }, {}],
    [413, 'too_large', { element: 'flinks-connect', lang: 'en', context: { note: 'x'.repeat(5000) } }, {}],
    [403, 'cross_origin', { element: 'flinks-connect', lang: 'en' }, { headers: { ...JSON_TYPE, origin: 'https://evil.example' } }],
  ];
  for (const [status, error, body, options] of cases) {
    const response = await session(body, options);
    const what = `${status} ${error} ${JSON.stringify(body)?.slice(0, 60)}`;
    assert.equal(response.status, status, what);
    assert.equal(response.headers.get('cache-control'), 'no-store', what);
    const answer = await response.json();
    assert.equal(answer.error, error, what);
    assert.equal(typeof answer.reason, 'string', what);
    assert.equal(answer.token, undefined, what);
    assert.equal(answer.src, undefined, what);
  }
  // The page's own origin is fine.
  const own = await session({ element: 'finapi-web-form', lang: 'en' }, { headers: { ...JSON_TYPE, origin: base } });
  assert.equal(own.status, 200);
  assert.deepEqual(lines, [], 'nothing logged');
});

test('session-url: a provider that fails is a 500 whose log line names the element, never a token', async (t) => {
  const lines = [];
  const token = 'tok_never_logged_0123456789';
  const route = sessionRoute({
    providers: {
      'flinks-connect': async () => ({ token: `${token} with a space` }),
      'benji-connect': async () => {
        throw new Error('Benji is down');
      },
    },
  });
  const server = createDemoServer({ port: 0, fakePort: 0, routes: { demo: [route] }, log: (line) => lines.push(line) });
  const config = await server.listen();
  t.after(() => server.close());
  for (const element of ['flinks-connect', 'benji-connect']) {
    const response = await fetch(`http://localhost:${config.port}/finframe/session`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ element, lang: 'en' }) });
    assert.equal(response.status, 500, element);
    assert.ok(!(await response.text()).includes(token));
  }
  assert.equal(lines.length, 2);
  assert.match(lines[0], /flinks-connect provider returned an unusable token/);
  assert.ok(lines.every((line) => !line.includes(token)), lines.join('\n'));
  assert.throws(() => sessionRoute({ providers: { 'flexpay-status': async () => ({}) } }), /no session-url on <flexpay-status>/);
});

test('session-url: the fake minting is demo only — it refuses to start in production or off loopback', () => {
  assert.throws(() => fakeSessionProviders({ config: () => ({}), hosts: DEMO_HOSTS, env: { NODE_ENV: 'production' } }), PlaygroundRefusedError);
  assert.throws(() => fakeSessionProviders({ config: () => ({}), hosts: ['0.0.0.0'], env: {} }), PlaygroundRefusedError);
});

test('the posted page shows a urlencoded body\'s entries in order and as qs nests them, escaped, the credentials masked', async (t) => {
  const { base, lines } = await serve(t);
  const loginId = 'b92b2bbd-31f8-4e36-795b-08db4111f24d';
  const body = new URLSearchParams([
    ['bank[outcome]', 'connected'],
    ['bank[loginId]', loginId],
    ['bank[institution]', '<img src=x onerror=alert(1)>'],
    ['bank[accountIds][]', 'a1'],
    ['bank[accountIds][]', 'a2'],
    ['loyalty[token]', 'at_0123456789abcdef'],
    ['note', '"quoted" & \'single\''],
  ]);
  const response = await fetch(`${base}/no-js/posted?from=flinks-connect`, { method: 'POST', headers: FORM_TYPE, body });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.match(response.headers.get('content-security-policy'), /default-src 'none'/);
  assert.doesNotMatch(response.headers.get('content-security-policy'), /script-src/);
  const html = await response.text();
  assert.ok(!html.includes('<img src=x'), 'markup from the body');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('&quot;quoted&quot; &amp; &#39;single&#39;'));
  assert.ok(!html.includes(loginId) && html.includes('••••f24d'), 'loginId masked but its last 4');
  assert.ok(!html.includes('at_0123456789abcdef') && html.includes('••••cdef'), 'Benji token masked');
  assert.match(html, /id="masked"/);
  const names = [...html.matchAll(/<tr><td>\d+<\/td><td><code>([^<]*)<\/code>/g)].map((m) => m[1]);
  assert.deepEqual(names, ['bank[outcome]', 'bank[loginId]', 'bank[institution]', 'bank[accountIds][]', 'bank[accountIds][]', 'loyalty[token]', 'note']);
  const parsed = JSON.parse(/<pre class="markup" id="parsed"><code>([\s\S]*?)<\/code><\/pre>/.exec(html)[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
  assert.deepEqual(parsed.bank, { outcome: 'connected', loginId: '••••f24d', institution: '<img src=x onerror=alert(1)>', accountIds: ['a1', 'a2'] });
  assert.match(html, /<a href="\/no-js\/flinks-connect\.html">/);
  assert.deepEqual(lines, [], 'nothing logged');
});

test('the posted page reads multipart bodies the same; other content types are 415; an unknown "from" links to the index', async (t) => {
  const { base } = await serve(t);
  const form = new FormData();
  form.append('payment[outcome]', 'successful');
  form.append('payment[status]', 'SUCCESSFUL');
  const response = await fetch(`${base}/no-js/posted?from=javascript:alert(1)`, { method: 'POST', body: form });
  assert.equal(response.status, 200);
  const html = await response.text();
  assert.match(html, /multipart\/form-data/);
  assert.match(html, /<code>payment\[outcome\]<\/code><\/td><td><code>successful<\/code>/);
  assert.match(html, /<code>payment\[status\]<\/code><\/td><td><code>SUCCESSFUL<\/code>/);
  assert.match(html, /<a href="\/no-js\/">/);
  assert.ok(!html.includes('javascript:'));
  assert.ok(!html.includes('id="masked"'));
  const json = await fetch(`${base}/no-js/posted`, { method: 'POST', headers: JSON_TYPE, body: '{}' });
  assert.equal(json.status, 415);
  assert.equal((await fetch(`${base}/no-js/posted`)).status, 405);
});

test('the no-JS pages: only finframe\'s scripts, forms allowed to this origin only, values rendered escaped', async (t) => {
  const { base, config } = await serve(t);
  for (const page of ['flinks-connect', 'flexiti-widget', 'benji-connect', 'finapi-web-form', 'flexpay-status', '']) {
    const response = await fetch(`${base}/no-js/${page && `${page}.html`}`);
    assert.equal(response.status, 200, page);
    const csp = response.headers.get('content-security-policy');
    assert.match(csp, /form-action 'self'/, page);
    assert.doesNotMatch(csp, /unsafe-inline/, page);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => /src="([^"]+)"/.exec(m[0])?.[1] ?? 'inline');
    const expected = page === '' ? [] : page === 'flexpay-status' ? ['/dist/cdn/finframe.js'] : ['/allow-loopback.js', '/dist/cdn/finframe.js'];
    assert.deepEqual(scripts, expected, page);
    assert.ok(!html.includes('{{'), `${page}: a placeholder left`);
    if (page === 'finapi-web-form') {
      assert.ok(html.includes(`target-url="${config.finapiServer}"`));
      assert.doesNotMatch(csp, /trusted-types/);
    }
  }
  const order = await (await fetch(`${base}/no-js/flexpay-status.html?reference=FF-ABCDEFGH&sent=SUCCESSFUL&answer=200%20changed%20%E2%86%92%20v1`)).text();
  assert.match(order, /reference="FF-ABCDEFGH"/);
  assert.match(order, /Sent SUCCESSFUL: the receiver answered 200 changed → v1\./);
  const made = await (await fetch(`${base}/no-js/flexpay-status.html?reference=%22%3E%3Cscript%3E&sent=<b>&answer=<i>`)).text();
  assert.match(made, /No order yet/);
  assert.ok(!made.includes('<script>') && !made.includes('<b>') && !made.includes('<i>'));
  assert.equal((await fetch(`${base}/no-js/server.html`)).status, 404);
  assert.equal((await fetch(`${base}/no-js/../server.mjs`)).status, 404);
});

test('the FlexPay no-JS controls act only for a form on this origin, sent as an HTML form', async (t) => {
  const { base } = await serve(t);
  const post = (path, headers) => fetch(`${base}${path}`, { method: 'POST', headers, body: 'reference=FF-ABCDEFGH&kind=SUCCESSFUL', redirect: 'manual' });
  assert.equal((await post('/flexpay/demo/no-js/order', { ...FORM_TYPE, origin: 'https://evil.example' })).status, 403);
  assert.equal((await post('/flexpay/demo/no-js/order', FORM_TYPE)).status, 403, 'no Origin');
  assert.equal((await post('/flexpay/demo/no-js/order', { ...JSON_TYPE, origin: base })).status, 415);
  const made = await post('/flexpay/demo/no-js/order', { ...FORM_TYPE, origin: base });
  assert.equal(made.status, 303);
  assert.equal(made.headers.get('location'), '/no-js/flexpay-status.html?reference=FF-ABCDEFGH');
  assert.equal((await post('/flexpay/demo/no-js/send', { ...FORM_TYPE, origin: base })).status, 404, 'not this browser\'s order');
});

test('renderTemplate keeps or drops its blocks and escapes every value; a missing value throws', () => {
  const template = '<!--if:a-->A={{a}}<!--end:a--><!--if:!a-->none<!--end:!a-->|{{b}}';
  assert.equal(renderTemplate(template, { a: '<x>', b: '"&' }), 'A=&lt;x&gt;|&quot;&amp;');
  assert.equal(renderTemplate(template, { b: 'b' }), 'none|b');
  assert.throws(() => renderTemplate(template, { a: 'a' }), /no value for \{\{b\}\}/);
  assert.equal(escapeHtml(`<>&"'`), '&lt;&gt;&amp;&quot;&#39;');
});

test('`node demo/server.mjs` (what `npm start` runs) starts, serves the no-JS pages and the session route, and stops on SIGTERM', async () => {
  // Its top-level await imports the no-JS modules: none may import server.mjs back (that deadlocks, exit 13).
  const child = spawn(process.execPath, ['demo/server.mjs'], { cwd: REPO_ROOT, env: { ...process.env, PORT: '0', FAKE_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const origin = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /(http:\/\/localhost:\d+)\/no-js\//.exec(stdout);
      if (match) resolve(match[1]);
    });
    exited.then((code) => reject(new Error(`exited ${code} before serving; stderr ${stderr}`)));
  });
  try {
    assert.equal((await fetch(`${origin}/no-js/`)).status, 200);
    const session = await fetch(`${origin}/finframe/session`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ element: 'benji-connect', lang: 'en' }) });
    assert.equal(session.status, 200);
    assert.match((await session.json()).token, /^ct_/);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, stderr);
  clearTimeout(timer);
  assert.ok(!/ct_[0-9a-f]{48}/.test(stdout + stderr), 'a token in the output');
});
