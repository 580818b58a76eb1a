// The demo's split between what a shop copies (demo/receivers/) and the demo-only playground
// (demo/playground/): the playground refuses to start in production or off loopback, answers only
// loopback requests, and the receivers alone expose none of its routes; the demo server's log
// lines never carry a secret; the stand-in for FlexPay signs, decides and confirms as FlexPay would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryStore } from 'finframe/server';
import { decodeJwt } from 'jose';
import { finapiPlaygroundRoutes } from '../../../demo/playground/finapi-playground.mjs';
import { createFlexPayPlayground, DEMO_FLEXPAY_API, SEND_KINDS } from '../../../demo/playground/flexpay-playground.mjs';
import { PlaygroundRefusedError, assertPlaygroundAllowed, isLoopbackHost, loopbackOnly } from '../../../demo/playground/playground-guard.mjs';
import { finapiReceiverRoutes } from '../../../demo/receivers/finapi.mjs';
import { flexpayReceiverRoutes } from '../../../demo/receivers/flexpay.mjs';
import { DEMO_HOSTS, REPO_ROOT, createDemoBackend, createDemoServer } from '../../../demo/server.mjs';
import { SECRET, tempDir } from './helpers.mjs';

const OFF_LOOPBACK = [['0.0.0.0'], ['::'], ['192.168.1.20'], ['10.0.0.7'], ['127.0.0.1', '0.0.0.0'], ['shop.example'], ['localhost.example']];
const PRODUCTION = { NODE_ENV: 'production' };
const json = { 'content-type': 'application/json' };

async function serve(t, routes) {
  const server = createDemoServer({ port: 0, fakePort: 0, routes: { demo: routes } });
  const config = await server.listen();
  t.after(() => server.close());
  return `http://127.0.0.1:${config.port}`;
}

test('loopback means localhost, 127.0.0.0/8 and ::1 (also bracketed or IPv4-mapped); nothing else', () => {
  for (const host of ['localhost', '127.0.0.1', '127.0.0.2', '127.255.0.9', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(host), host);
  for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.7', '128.0.0.1', '::ffff:10.0.0.1', 'shop.example', 'localhost.example', '', undefined]) {
    assert.ok(!isLoopbackHost(host), String(host));
  }
});

test('the playground refuses to start with NODE_ENV=production, saying why and what to mount instead', async () => {
  for (const env of [PRODUCTION, { NODE_ENV: ' Production ' }]) {
    const refused = (error) => error instanceof PlaygroundRefusedError && /NODE_ENV=production/.test(error.message) && /demo\/receivers\//.test(error.message);
    assert.throws(() => assertPlaygroundAllowed({ hosts: DEMO_HOSTS, env }), refused);
    assert.throws(() => finapiPlaygroundRoutes({ store: memoryStore(), secret: SECRET, hosts: DEMO_HOSTS, env }), refused);
    await assert.rejects(createFlexPayPlayground({ hosts: DEMO_HOSTS, env }), refused);
  }
});

test('the playground refuses to start when the server listens off loopback (0.0.0.0, ::, a LAN address, a name), or is not told where', async () => {
  for (const hosts of OFF_LOOPBACK) {
    const refused = (error) => error instanceof PlaygroundRefusedError && /not loopback/.test(error.message) && error.message.includes(JSON.stringify(hosts.at(-1)));
    assert.throws(() => assertPlaygroundAllowed({ hosts, env: {} }), refused, hosts.join());
    assert.throws(() => finapiPlaygroundRoutes({ store: memoryStore(), secret: SECRET, hosts, env: {} }), refused, hosts.join());
    await assert.rejects(createFlexPayPlayground({ hosts, env: {} }), refused, hosts.join());
  }
  for (const hosts of [undefined, []]) {
    assert.throws(() => assertPlaygroundAllowed({ hosts, env: {} }), PlaygroundRefusedError);
    await assert.rejects(createFlexPayPlayground({ hosts, env: {} }), PlaygroundRefusedError);
  }
});

test('the playground starts on loopback (the demo server\'s own addresses, localhost, 127.0.0.2) outside production', async () => {
  for (const hosts of [DEMO_HOSTS, ['localhost'], ['127.0.0.2'], '::1']) {
    for (const env of [{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }]) {
      assert.doesNotThrow(() => assertPlaygroundAllowed({ hosts, env }));
      assert.equal(finapiPlaygroundRoutes({ store: memoryStore(), secret: SECRET, hosts, env }).length, 2);
    }
  }
  const playground = await createFlexPayPlayground({ hosts: DEMO_HOSTS, env: {} });
  assert.equal(playground.routes({ connections: 0, close() {} }).length, 3);
});

test('createDemoBackend (what npm start mounts) refuses before it opens the store: production, or hosts off loopback', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'data', 'callbacks.db');
  await assert.rejects(createDemoBackend({ path, secret: SECRET, env: PRODUCTION }), PlaygroundRefusedError);
  await assert.rejects(createDemoBackend({ path, secret: SECRET, hosts: ['0.0.0.0'], env: {} }), PlaygroundRefusedError);
  assert.ok(!existsSync(join(dir, 'data')), 'nothing created');
  const backend = await createDemoBackend({ path, secret: SECRET, env: {} });
  t.after(() => backend.close());
  assert.ok(existsSync(path));
});

test('`npm start` with NODE_ENV=production prints why and exits 1 without serving', async () => {
  const child = spawn(process.execPath, ['demo/server.mjs'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', FAKE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  assert.equal(code, 1, `exit code ${code}; stderr ${stderr}`);
  assert.match(stderr, /^finframe demo: The demo playground refuses to start with NODE_ENV=production/m);
  assert.doesNotMatch(stdout, /http:\/\//, 'nothing was served');
});

test('each playground route answers only a request that came over loopback (403 loopback_only otherwise, the handler never runs)', async () => {
  let ran = 0;
  const route = loopbackOnly({ method: 'POST', path: '/x', handle: () => ran++ });
  const answers = [];
  const ctx = { sendJson: (status, value) => answers.push([status, value.error]) };
  const request = (localAddress, remoteAddress) => ({ socket: { localAddress, remoteAddress } });
  // A server listening on 0.0.0.0, reached from the LAN; a proxy on this machine forwarding it; no socket.
  for (const req of [request('192.168.1.20', '192.168.1.33'), request('192.168.1.20', '127.0.0.1'), request('127.0.0.1', '10.0.0.7'), {}]) route.handle(req, {}, ctx);
  assert.equal(ran, 0);
  assert.deepEqual(answers, Array(4).fill([403, 'loopback_only']));
  route.handle(request('127.0.0.1', '127.0.0.1'), {}, ctx);
  route.handle(request('::ffff:127.0.0.1', '::1'), {}, ctx);
  assert.equal(ran, 2);
});

test('the receivers a shop copies expose no state dump, sample sender, order maker, receipt signer or stream dropper (404)', async (t) => {
  const store = memoryStore();
  const playground = await createFlexPayPlayground({ hosts: DEMO_HOSTS, env: {} });
  const flexpay = flexpayReceiverRoutes({ store, ...playground.receiverOptions });
  t.after(() => flexpay.close());
  const base = await serve(t, [...finapiReceiverRoutes({ store, secret: SECRET }), ...flexpay.routes]);
  for (const [method, path] of [
    ['GET', '/callbacks/finapi/state'],
    ['POST', '/callbacks/finapi/sample'],
    ['POST', '/flexpay/demo/order'],
    ['POST', '/flexpay/demo/send'],
    ['POST', '/flexpay/demo/drop'],
  ]) {
    const response = await fetch(`${base}${path}`, { method, headers: json, body: method === 'POST' ? JSON.stringify({ kind: 'webForm', reference: 'FF-X' }) : undefined });
    assert.equal(response.status, 404, `${method} ${path}`);
  }
  // The receivers themselves are mounted (so the 404s above are not a missing mount).
  assert.equal((await fetch(`${base}/callbacks/finapi`, { method: 'POST', headers: json, body: '{}' })).status, 401);
  assert.equal((await fetch(`${base}/flexpay/callback`, { method: 'POST', headers: json, body: '{}' })).status, 422);
  assert.equal((await fetch(`${base}/flexpay/status?reference=FF-X`, { headers: { accept: 'application/json' } })).status, 403);
});

test('a failing route\'s log line has no secret or token: every such query value is redacted, however the name is spelled', async (t) => {
  const lines = [];
  const server = createDemoServer({
    port: 0,
    fakePort: 0,
    log: (line) => lines.push(line),
    routes: {
      demo: [
        {
          method: 'POST',
          path: '/callbacks/finapi',
          handle: (req) => {
            throw new Error(`store failed while handling ${req.url}`);
          },
        },
      ],
    },
  });
  const config = await server.listen();
  t.after(() => server.close());
  const token = 'tok_0123456789abcdefABCDEF';
  const url = `http://127.0.0.1:${config.port}/callbacks/finapi?secret=${SECRET}&connect_token=${token}&%73ecret=${SECRET}x&page=2`;
  const response = await fetch(url, { method: 'POST', headers: json, body: '{}' });
  assert.equal(response.status, 500);
  const line = lines.find((l) => l.includes('failed'));
  assert.ok(line, `no failure logged: ${lines}`);
  assert.ok(!line.includes(SECRET) && !line.includes(token), line);
  assert.match(line, /POST \/callbacks\/finapi\?secret=\[redacted\]&connect_token=\[redacted\]&secret=\[redacted\]&page=2 failed/);
  assert.match(line, /store failed while handling \/callbacks\/finapi\?secret=\[redacted\]&connect_token=\[redacted\]&%73ecret=\[redacted\]&page=2/, 'the URL inside the error message too');
});

/** The stand-in for FlexPay behind a spy receiver that records each callback body it is sent. */
async function standIn(t) {
  const playground = await createFlexPayPlayground({ hosts: DEMO_HOSTS, env: {} });
  const bodies = [];
  const stream = { connections: 2, closed: 0, close() { this.closed++; } };
  const spy = {
    method: 'POST',
    path: '/flexpay/callback',
    handle: async (req, res, ctx) => {
      bodies.push(JSON.parse(await ctx.readBody()));
      ctx.sendJson(200, { ok: true, changed: true, version: bodies.length });
    },
  };
  const base = await serve(t, [spy, ...playground.routes(stream)]);
  const order = await fetch(`${base}/flexpay/demo/order`, { method: 'POST', headers: json, body: '{}' });
  assert.equal(order.status, 201);
  const { reference } = await order.json();
  const cookie = order.headers.getSetCookie()[0].split(';')[0];
  const send = async (kind, as = cookie) => fetch(`${base}/flexpay/demo/send`, { method: 'POST', headers: { ...json, cookie: as }, body: JSON.stringify({ reference, kind }) });
  return { playground, bodies, stream, base, reference, cookie, send };
}

const claimOf = (body) => decodeJwt(body.receipt)[`${DEMO_FLEXPAY_API}/application`];

test('the stand-in for FlexPay signs "success" only for SUCCESSFUL, with last_updated, and its transaction endpoint (confirm) answers what it decided', async (t) => {
  const { playground, bodies, reference, send } = await standIn(t);
  const { confirm, expectedApplicationId } = playground.receiverOptions;
  const applicationId = expectedApplicationId(reference);
  assert.match(applicationId, /^[0-9a-f-]{36}$/);
  assert.equal(expectedApplicationId('FF-UNKNOWN1'), undefined);
  assert.equal(await confirm({ id: applicationId, reference, status: 'PENDING' }), undefined, 'nothing decided yet');

  for (const [kind, claimed] of [['PENDING', 'pending'], ['SUCCESSFUL', 'success'], ['FAILED', 'declined']]) {
    const response = await send(kind);
    assert.equal(response.status, 200, kind);
    const body = bodies.at(-1);
    const claim = claimOf(body);
    assert.equal(body.status, kind);
    assert.equal(claim.status, claimed, kind);
    assert.equal(claim.last_updated, body.statusLastUpdated, kind);
    assert.equal(claim.application_id, applicationId);
    assert.equal(claim.transaction_id, reference);
    assert.deepEqual(await confirm(body), { id: applicationId, status: kind, statusLastUpdated: body.statusLastUpdated }, kind);
  }
  // The transaction endpoint knows one application per order: another id, or another order, is unknown.
  assert.equal(await confirm({ ...bodies.at(-1), id: '00000000-0000-4000-8000-000000000000' }), undefined);
  assert.equal(await confirm({ ...bodies.at(-1), reference: 'FF-UNKNOWN1' }), undefined);
  // A late PENDING claims "pending" as of its own time and does not change what FlexPay decided.
  await send('outOfOrder');
  assert.equal(claimOf(bodies.at(-1)).status, 'pending');
  assert.equal((await confirm(bodies.at(-1))).status, 'FAILED');
});

test('send kind "forged": the genuine receipt of a declined application re-posted claiming SUCCESSFUL, then FlexPay\'s genuine FAILED', async (t) => {
  const { playground, bodies, send } = await standIn(t);
  const response = await send('forged');
  assert.equal(response.status, 200);
  const result = await response.json();
  assert.equal(result.description, SEND_KINDS.forged);
  assert.equal(result.deliveries.length, 2);
  const [forged, genuine] = bodies;
  assert.equal(forged.status, 'SUCCESSFUL');
  assert.equal(genuine.status, 'FAILED');
  assert.equal(forged.receipt, genuine.receipt, 'the same, genuine receipt');
  assert.equal(claimOf(forged).status, 'declined');
  assert.equal(claimOf(forged).last_updated, forged.statusLastUpdated);
  assert.deepEqual(await playground.receiverOptions.confirm(forged), { id: forged.id, status: 'FAILED', statusLastUpdated: genuine.statusLastUpdated });
  assert.ok(!JSON.stringify(result).includes(genuine.receipt), 'the page never sees the receipt');
  // Once FlexPay has decided, there is nothing left to forge against.
  const again = await send('forged');
  assert.equal(again.status, 409);
  assert.equal((await again.json()).error, 'already_final');
  assert.equal(bodies.length, 2);
});

test('the stand-in\'s routes: only the browser that made the order may drive it; drop ends the streams; JSON only', async (t) => {
  const { base, bodies, stream, send } = await standIn(t);
  assert.equal((await send('SUCCESSFUL', 'ff_demo_session=someone-elses-session-0')).status, 404);
  assert.equal((await send('SUCCESSFUL', '')).status, 404);
  assert.equal((await send('everything')).status, 422);
  assert.equal((await send('__proto__')).status, 422);
  assert.equal(bodies.length, 0, 'nothing was sent');
  assert.equal((await fetch(`${base}/flexpay/demo/drop`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status, 415);
  assert.equal(stream.closed, 0);
  const drop = await fetch(`${base}/flexpay/demo/drop`, { method: 'POST', headers: json, body: '{}' });
  assert.deepEqual(await drop.json(), { dropped: 2 });
  assert.equal(stream.closed, 1);
});

test(
  'FlexPay demo end to end: the forged SUCCESSFUL stores what FlexPay decided (FAILED, via confirm); FlexPay\'s genuine FAILED after it is a duplicate',
  async (t) => {
    const store = memoryStore();
    const playground = await createFlexPayPlayground({ hosts: DEMO_HOSTS, env: {} });
    const flexpay = flexpayReceiverRoutes({ store, ...playground.receiverOptions });
    t.after(() => flexpay.close());
    const base = await serve(t, [...flexpay.routes, ...playground.routes(flexpay.stream)]);
    const order = await fetch(`${base}/flexpay/demo/order`, { method: 'POST', headers: json, body: '{}' });
    const { reference } = await order.json();
    const cookie = order.headers.getSetCookie()[0].split(';')[0];
    const response = await fetch(`${base}/flexpay/demo/send`, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify({ reference, kind: 'forged' }) });
    const { deliveries } = await response.json();
    // The demo receiver asks its FlexPay stand-in (confirm), which says FAILED: that is what is stored.
    assert.equal(deliveries[0].status, 200, JSON.stringify(deliveries[0].answer));
    assert.equal(deliveries[0].answer.changed, true);
    assert.equal(deliveries[1].status, 200);
    assert.equal(deliveries[1].answer.duplicate, true);
    const record = await store.get(`flexpay:${reference}`);
    assert.deepEqual([record?.data?.status, record?.data?.provenBy, record?.version], ['FAILED', 'confirm', 1]);
  },
);
