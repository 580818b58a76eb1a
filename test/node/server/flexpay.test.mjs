// createFlexPayCallbackHandler: FlexPay's payment-status callback with its RS256 receipt
// (PROVIDERS.md §5, seed 002). Keys are generated here; every refusal is checked to store nothing
// and never to quote the receipt.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignJWT, base64url, decodeJwt, exportPKCS8, importPKCS8 } from 'jose';
import {
  createFlexPayCallbackHandler,
  createFlexPayReceiptVerifier,
  compareFlexPayProgress,
  parseFlexPayCallback,
  memoryStore,
  FlexPayReceiptError,
} from 'finframe/server';
import { toNodeHandler } from 'finframe/server/node';
import { FLEXPAY_NS, FLEXPAY_STAGING_NS, STORES, answer, flexpayBody, flexpayKeys, listen, makeStore, post, signReceipt, without } from './helpers.mjs';

const URL_ = 'https://shop.example/callbacks/flexpay';
/** A request to the FlexPay receiver (see `post`). */
const req = (body, options = {}) => post(body, { url: URL_, ...options });

/** The seed's callback, verbatim (seed 002): signed by FlexPay's staging key, which we do not have. */
const SEED = {
  id: '87463d12-9831-3267-a108-d4613efa370c',
  status: 'SUCCESSFUL',
  statusLastUpdated: '1642167702440',
  reference: 'e917ecf1-00ed-46a9-8867-cbaf53dfef1d',
  productType: 'blackhorse-flexpay',
  receipt:
    'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6Im8yTWdPNFJic1B5WiJ9.eyJzY29wZSI6ImFwcGxpY2F0aW9uOmNyZWF0ZSIsImh0dHBzOi8vYXBpLnN0YWdpbmcuazhzLmRla29wYXkub3JnL2FwcGxpY2F0aW9uIjp7InN0YXR1cyI6InN1Y2Nlc3MiLCJwcm9kdWN0IjoicmV2b2x2aW5nX2NyZWRpdCIsImxpbmtzIjpbeyJocmVmIjoiaHR0cHM6Ly9hcGkuc3RhZ2luZy5rOHMuZGVrb3BheS5vcmcvY2hlY2tvdXQvcmV2b2x2aW5nX2NyZWRpdC84NzQ2M2QxMi05ODMxLTMyNjctYTEwOC1kNDYxM2VmYTM3MGMiLCJyZWwiOiJzZWxmIn1dLCJsYXN0X3VwZGF0ZWQiOiIxNjQyMTY3NzAyNDQwIiwiYXBwbGljYXRpb25faWQiOiI4NzQ2M2QxMi05ODMxLTMyNjctYTEwOC1kNDYxM2VmYTM3MGMiLCJ0cmFuc2FjdGlvbl9pZCI6ImU5MTdlY2YxLTAwZWQtNDZhOS04ODY3LWNiYWY1M2RmZWYxZCJ9LCJpYXQiOjE2NDIxNjc3MDMsImV4cCI6MTY0Mzk2NzcwMywiYXVkIjoiaHR0cHM6Ly9hcGkuc3RhZ2luZy5rOHMuZGVrb3BheS5vcmciLCJpc3MiOiJodHRwczovL2FwaS5zdGFnaW5nLms4cy5kZWtvcGF5Lm9yZy8iLCJzdWIiOiJiMDE1MTk4My0xZGRiLTRkODktOGNjOC0xN2Y3MDhkYTU2MDYiLCJqdGkiOiJiZjAxMWNjOC1mMjI2LTQzNzYtOWQ1NS1lYzk0NjE5ODE4YTEifQ.ApZJXjmQKD443PEXNXpSHcoAt5bpx1DY7SzkETgGzii7B401_PvrwnvILFg0Dt0o4-iSYVprB6_r1Pnvkw7r656pK8mK0AClMacxWF9kzd0jq4Sj6bOXqKznS6GiDMfBR92hoDtEibjOvu4iwwjyf2H1zFyQgB6iiCDmj1Kud7XOc5HgpQRYa2Y0H16PnkhepFGXY-SFefiWnNbJDUcdoUD0zuAhkM2mgLOFOaJylFMh63r-oGBkEDxD7YJ9Cj8RPiwL6Nqz6QfJsPaXHZqbceNFfpLdzC9DJjDRSVDrkPaALvWlLWM1XBGUPLV_nROqJx7mO2d89PLHnxXI45ZDObx4_VMVbC2uS2i2C_0dZu1iPyPY68_YSVAvnMzPeDyYqKx7aqGjfqeKd75JXzgsEP2h12MolO6AQ1yMUqi02HdAeYIrlVU8oHcwjFmwlvRZKOJ9knIDNq9d8C3kDqtwQfimYPLzLGsegcOpq_1nF5XQ2EOiPiX2Ww1hhtuXw51VQqEQFOVcuCoLkmQn3Bnas_LG6igshnjLhZYXdKuHhzQEh5NGG_zCfMdSKmTIq0jiVc1BKgn3G2DXSLanscwg6AXHrqudud3rFDqEsCtyuojDH23P7UPvlSqg2Puo9HmGJIFTbb_k4ilHveP5eurkqvegqSNSpJZ5mVtgXS2hQoY',
};

/** A receiver with a fresh store; `updates` and `errors` collect the hooks' calls. */
function receiver(t, { kind = 'memory', store, ...options } = {}) {
  store ??= kind === 'memory' && t === undefined ? memoryStore() : makeStore(t, kind);
  const updates = [];
  const errors = [];
  const handler = createFlexPayCallbackHandler({
    store,
    onUpdate: (record, previous) => updates.push({ record, previous }),
    onError: (error, context) => errors.push({ error, context }),
    ...options,
  });
  return { store, updates, errors, handler, send: (body) => handler(req(body)) };
}

/** Asserts a 401 invalid_receipt whose reason matches `reason` and quotes no part of `receipt`; nothing stored. */
async function assertRefused(response, receipt, store, reason) {
  const { status, body } = await answer(response);
  assert.equal(status, 401, JSON.stringify(body));
  assert.equal(body.error, 'invalid_receipt');
  if (reason) assert.match(body.reason, reason);
  for (const part of receipt.split('.')) if (part.length > 8) assert.ok(!body.reason.includes(part), 'the reason never quotes the token');
  assert.ok(!JSON.stringify(body).includes(receipt.slice(0, 20)));
  assert.deepEqual(await store.list(), [], 'nothing stored');
  return body.reason;
}

describe('FlexPay callback body', () => {
  test("the seed's callback has the documented shape; its staging receipt carries the claims the receiver reads", () => {
    const result = parseFlexPayCallback(SEED);
    assert.equal(result.success, true);
    assert.deepEqual(result.data, SEED);
    const claims = decodeJwt(SEED.receipt);
    const names = Object.keys(claims).filter((name) => name.endsWith('/application'));
    assert.deepEqual(names, [FLEXPAY_STAGING_NS]);
    assert.equal(claims[FLEXPAY_STAGING_NS].application_id, SEED.id);
    assert.equal(claims[FLEXPAY_STAGING_NS].transaction_id, SEED.reference);
  });

  test("the seed's callback against our key: 401, its signature does not verify (we are not FlexPay)", async () => {
    const keys = await flexpayKeys();
    const { send, store } = receiver(undefined, { keys: keys.pem });
    await assertRefused(await send(SEED), SEED.receipt, store, /signature/);
  });

  test("the seed's payload, re-signed with our key and fresh times: accepted (the staging namespace is found)", async (t) => {
    const keys = await flexpayKeys();
    const claims = decodeJwt(SEED.receipt);
    const now = Math.floor(Date.now() / 1000);
    const receipt = await new SignJWT({ ...claims, iat: now, exp: now + 600 }).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.kid }).sign(keys.privateKey);
    const { send, store, updates } = receiver(t, { keys: keys.pem, issuer: 'https://api.staging.k8s.dekopay.org/', audience: 'https://api.staging.k8s.dekopay.org' });
    const { status, body } = await answer(await send({ ...SEED, receipt }));
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body, { ok: true, key: `flexpay:${SEED.reference}`, changed: true, duplicate: false, stale: false, version: 1 });
    const record = await store.get(`flexpay:${SEED.reference}`);
    assert.deepEqual(record.data, { ...without(SEED, 'receipt'), receiptKid: keys.kid, receiptIat: now });
    assert.equal(updates.length, 1);
  });

  for (const kind of STORES) {
    test(`every refusal before the receipt: 405/415/413/400/422, JSON {error, reason}, nothing stored (${kind})`, async (t) => {
      const keys = await flexpayKeys();
      const { handler, store, updates } = receiver(t, { kind, keys: keys.pem });
      const receipt = await signReceipt(keys);
      const good = flexpayBody(receipt);
      const json = { 'content-type': 'application/json' };
      const cases = [
        [req(good, { method: 'GET' }), 405, 'method_not_allowed'],
        [req(good, { headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type'],
        [req(JSON.stringify({ ...good, pad: 'x'.repeat(70_000) }), { headers: json }), 413, 'payload_too_large'],
        [req('{"id":', { headers: json }), 400, 'invalid_json'],
        [req([]), 422, 'invalid_callback', /JSON object/],
        [req({ ...good, status: 'COMPLETED' }), 422, 'invalid_callback', /status must be one of PENDING, SUCCESSFUL, FAILED/],
        [req({ ...good, status: undefined }), 422, 'invalid_callback', /status is missing/],
        [req({ ...good, statusLastUpdated: 1642167702440 }), 422, 'invalid_callback', /statusLastUpdated must be a string/],
        [req({ ...good, statusLastUpdated: '2022-01-14' }), 422, 'invalid_callback', /millisecond unix timestamp/],
        [req({ ...good, statusLastUpdated: '99999999999999999' }), 422, 'invalid_callback', /millisecond/],
        [req({ ...good, statusLastUpdated: '01642167702440' }), 422, 'invalid_callback', /millisecond/],
        [req({ ...good, id: '' }), 422, 'invalid_callback', /^id/],
        [req({ ...good, id: 'x'.repeat(129) }), 422, 'invalid_callback', /^id/],
        [req({ ...good, reference: 'has space' }), 422, 'invalid_callback', /^reference must be/],
        [req({ ...good, reference: 'r'.repeat(129) }), 422, 'invalid_callback', /^reference/],
        [req({ ...good, productType: '<b>' }), 422, 'invalid_callback', /productType/],
        [req({ ...good, receipt: undefined }), 422, 'invalid_callback', /receipt is missing/],
        [req({ ...good, receipt: 'not a jws!' }), 422, 'invalid_callback', /compact JWS/],
        [req({ ...good, receipt: `${receipt}.${'A'.repeat(16 * 1024)}` }), 422, 'invalid_callback', /receipt is too long/],
      ];
      for (const [request, status, error, reason] of cases) {
        const result = await answer(await handler(request));
        assert.equal(result.status, status, `${error}: ${JSON.stringify(result.body)}`);
        assert.equal(result.body.error, error);
        if (reason) assert.match(result.body.reason, reason);
        assert.ok(!result.body.reason.includes(receipt.slice(0, 30)));
      }
      assert.deepEqual(await store.list(), []);
      assert.equal(updates.length, 0);
    });
  }

  test('productType may be absent; unknown fields are dropped', async (t) => {
    const keys = await flexpayKeys();
    const { send, store } = receiver(t, { keys: keys.pem });
    const body = { ...flexpayBody(await signReceipt(keys), { productType: null }), extra: 'dropped' };
    assert.equal((await send(body)).status, 200);
    const { data } = await store.get('flexpay:order-1');
    assert.equal('productType' in data, false);
    assert.equal('extra' in data, false);
  });
});

describe('FlexPay receipt verification', () => {
  test('valid: 200, stored without the receipt, with receiptKid and receiptIat; onUpdate once', async (t) => {
    const keys = await flexpayKeys();
    const { send, store, updates } = receiver(t, { keys: keys.pem });
    const iat = Math.floor(Date.now() / 1000) - 5;
    const receipt = await signReceipt(keys, { iat });
    const { status, body } = await answer(await send(flexpayBody(receipt, { status: 'PENDING' })));
    assert.equal(status, 200);
    assert.equal(body.changed, true);
    const record = await store.get('flexpay:order-1');
    assert.deepEqual(record.data, { id: 'app-1', status: 'PENDING', statusLastUpdated: '1642167702440', reference: 'order-1', productType: 'blackhorse-flexpay', receiptKid: keys.kid, receiptIat: iat });
    assert.ok(!JSON.stringify(await store.list()).includes(receipt.split('.')[2]), 'the receipt is not stored');
    assert.equal(updates.length, 1);
    assert.equal(updates[0].previous, undefined);
  });

  test('a receipt without kid verifies against a single key (receiptKid absent)', async (t) => {
    const keys = await flexpayKeys();
    const { send, store } = receiver(t, { keys: keys.pem });
    assert.equal((await send(flexpayBody(await signReceipt(keys, { kid: null })))).status, 200);
    assert.equal('receiptKid' in (await store.get('flexpay:order-1')).data, false);
  });

  test('refused with 401 invalid_receipt, nothing stored, the token never quoted', async (t) => {
    const keys = await flexpayKeys();
    const other = await flexpayKeys('someone-else');
    const now = Math.floor(Date.now() / 1000);
    const good = await signReceipt(keys);
    const [header, payload, signature] = good.split('.');
    const tamperedClaims = { ...decodeJwt(good), [FLEXPAY_NS]: { application_id: 'app-1', transaction_id: 'order-2' } };
    const tampered = `${header}.${base64url.encode(JSON.stringify(tamperedClaims))}.${signature}`;
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
    const hs256 = await new SignJWT(decodeJwt(good)).setProtectedHeader({ alg: 'HS256', kid: keys.kid }).sign(new TextEncoder().encode(keys.pem));
    const hs256NoKid = await new SignJWT(decodeJwt(good)).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(keys.pem));
    const rs512Key = await importPKCS8(await exportPKCS8(keys.privateKey), 'RS512'); // the same RSA key
    const rs512 = await new SignJWT(decodeJwt(good)).setProtectedHeader({ alg: 'RS512', kid: keys.kid }).sign(rs512Key);
    const cases = [
      ['signed with another key', await signReceipt(other, { kid: keys.kid }), /signature does not verify/],
      ['tampered payload, original signature', tampered, /signature does not verify/],
      ['expired beyond the tolerance', await signReceipt(keys, { iat: now - 7200, exp: now - 61 }), /expired/],
      ['iat in the future beyond the tolerance', await signReceipt(keys, { iat: now + 3600, exp: now + 7200 }), /issued in the future/],
      ['nbf in the future', await signReceipt(keys, { claims: { nbf: now + 3600 } }), /not valid yet/],
      ['no exp', await signReceipt(keys, { exp: null }), /no exp claim/],
      ['no iat', await signReceipt(keys, { iat: null }), /no iat claim/],
      ['exp not a number', await signReceipt(keys, { claims: { exp: 'tomorrow' } }), /exp claim is invalid/],
      ['alg none', none, /RS256/],
      ['HS256 with the public key PEM as the HMAC secret', hs256, /RS256/],
      ['HS256 without kid', hs256NoKid, /RS256/],
      ['RS512 (right key, other algorithm)', rs512, /RS256/],
      ['not a JWS at all', 'abc', /well-formed/],
      ['three garbage segments', 'a.b.c', /well-formed/],
      ['payload not JSON', `${header}.${base64url.encode('not json')}.${signature}`, /well-formed|signature/],
      ['application claim for another id', await signReceipt(keys, { id: 'app-2' }), /another application/],
      ['application claim for another reference', await signReceipt(keys, { reference: 'order-2' }), /another transaction/],
      ['no application claim', await signReceipt(keys, { application: null }), /no application claim/],
      ['application claim without application_id', await signReceipt(keys, { application: { transaction_id: 'order-1' } }), /no application_id/],
      ['application claim without transaction_id', await signReceipt(keys, { application: { application_id: 'app-1' } }), /no transaction_id/],
      ['application claim not an object', await signReceipt(keys, { application: 'app-1' }), /not an object/],
      ['two application claims', await signReceipt(keys, { claims: { [FLEXPAY_STAGING_NS]: { application_id: 'app-1', transaction_id: 'order-1' } } }), /more than one/],
    ];
    const { send, store, updates, errors } = receiver(t, { keys: keys.pem });
    for (const [name, receipt, reason] of cases) {
      await t.test(name, async () => {
        await assertRefused(await send(flexpayBody(receipt)), receipt, store, reason);
      });
    }
    assert.equal(updates.length, 0);
    assert.deepEqual(errors, [], 'refusals are not errors');
  });

  test('clockTolerance: within 60 s by default, configurable; 0 is strict', async (t) => {
    const keys = await flexpayKeys();
    const now = Math.floor(Date.now() / 1000);
    const slightlyExpired = await signReceipt(keys, { iat: now - 600, exp: now - 30 });
    const slightlyFuture = await signReceipt(keys, { iat: now + 30, exp: now + 600, reference: 'order-2' });
    const lenient = receiver(t, { keys: keys.pem });
    assert.equal((await lenient.send(flexpayBody(slightlyExpired))).status, 200);
    assert.equal((await lenient.send(flexpayBody(slightlyFuture, { reference: 'order-2' }))).status, 200);
    const strict = receiver(t, { keys: keys.pem, clockTolerance: 0 });
    await assertRefused(await strict.send(flexpayBody(slightlyExpired)), slightlyExpired, strict.store, /expired/);
    await assertRefused(await strict.send(flexpayBody(slightlyFuture, { reference: 'order-2' })), slightlyFuture, strict.store, /future/);
    assert.throws(() => createFlexPayCallbackHandler({ keys: keys.pem, store: memoryStore(), clockTolerance: -1 }), /clockTolerance/);
  });

  test('issuer and audience: checked when configured (one or several), ignored otherwise', async (t) => {
    const keys = await flexpayKeys();
    const receipt = await signReceipt(keys); // iss https://api.staging.k8s.dekopay.org/, aud https://api.staging.k8s.dekopay.org
    const body = flexpayBody(receipt);
    const iss = 'https://api.staging.k8s.dekopay.org/';
    const aud = 'https://api.staging.k8s.dekopay.org';
    for (const [options, ok, reason] of [
      [{ issuer: iss, audience: aud }, true],
      [{ issuer: ['https://other/', iss], audience: [aud, 'x'] }, true],
      [{ issuer: 'https://flexpayapi.blackhorseflexpay.co.uk/' }, false, /another issuer/],
      [{ audience: 'https://flexpayapi.blackhorseflexpay.co.uk' }, false, /another audience/],
    ]) {
      const r = receiver(t, { keys: keys.pem, ...options });
      if (ok) assert.equal((await r.send(body)).status, 200, JSON.stringify(options));
      else await assertRefused(await r.send(body), receipt, r.store, reason);
    }
    const noIss = await signReceipt(keys, { claims: { iss: undefined } });
    const r = receiver(t, { keys: keys.pem, issuer: iss });
    await assertRefused(await r.send(flexpayBody(noIss)), noIss, r.store, /no iss claim|another issuer/);
  });

  test('every key form: PEM, JWK, keys by kid (PEM and JWK values), JWKS object', async (t) => {
    const keys = await flexpayKeys();
    const rotated = await flexpayKeys('fp-key-2');
    const bareJwk = without(keys.jwk, 'kid');
    const forms = {
      pem: keys.pem,
      'pem with surrounding whitespace': `\n  ${keys.pem}\n`,
      jwk: keys.jwk,
      'jwk without kid': bareJwk,
      'keys by kid, PEM': { [rotated.kid]: rotated.pem, [keys.kid]: keys.pem },
      'keys by kid, JWK': { [rotated.kid]: rotated.jwk, [keys.kid]: bareJwk },
      jwks: { keys: [rotated.jwk, keys.jwk] },
    };
    const receipt = await signReceipt(keys);
    for (const [name, form] of Object.entries(forms)) {
      const r = receiver(t, { keys: form });
      assert.equal((await r.send(flexpayBody(receipt))).status, 200, name);
      const other = await signReceipt(rotated, { reference: 'order-2' });
      const expected = name.startsWith('keys by kid') || name === 'jwks' ? 200 : 401;
      assert.equal((await r.send(flexpayBody(other, { reference: 'order-2' }))).status, expected, `${name}: the rotated key`);
    }
  });

  test('keys by kid and JWKS: an unknown kid, or a missing one, is 401', async (t) => {
    const keys = await flexpayKeys();
    for (const form of [{ [keys.kid]: keys.pem }, { keys: [keys.jwk] }]) {
      const r = receiver(t, { keys: form });
      const unknown = await signReceipt(keys, { kid: 'not-configured' });
      await assertRefused(await r.send(flexpayBody(unknown)), unknown, r.store, /no configured key matches/);
      if (!('keys' in form)) {
        const noKid = await signReceipt(keys, { kid: null });
        await assertRefused(await r.send(flexpayBody(noKid)), noKid, r.store, /no kid/);
      }
    }
  });

  test('a JWKS URL (string and URL object): fetched once, cached; an unknown kid → 401; unreachable → 503, reported, nothing stored', async (t) => {
    const keys = await flexpayKeys();
    let fetches = 0;
    const base = await listen(t, (req, res) => {
      fetches++;
      if (req.url === '/broken') return res.writeHead(500).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [keys.jwk] }));
    });
    for (const form of [`${base}/jwks.json`, new URL(`${base}/jwks.json`)]) {
      fetches = 0;
      const r = receiver(t, { keys: form });
      assert.equal(fetches, 0, 'nothing fetched at creation');
      for (const reference of ['order-1', 'order-2', 'order-3']) {
        const receipt = await signReceipt(keys, { reference });
        assert.equal((await r.send(flexpayBody(receipt, { reference }))).status, 200);
      }
      assert.equal(fetches, 1, 'the key set is fetched once');
      const unknown = await signReceipt(keys, { kid: 'rotated-away', reference: 'order-4' });
      const refusal = await answer(await r.send(flexpayBody(unknown, { reference: 'order-4' })));
      assert.equal(refusal.status, 401);
      assert.match(refusal.body.reason, /no configured key matches/);
      assert.equal(await r.store.get('flexpay:order-4'), undefined);
    }

    const broken = receiver(t, { keys: `${base}/broken` });
    const receipt = await signReceipt(keys);
    const { status, body, headers } = await answer(await broken.send(flexpayBody(receipt)));
    assert.equal(status, 503);
    assert.equal(body.error, 'verification_unavailable');
    assert.ok(headers.get('retry-after'));
    assert.deepEqual(await broken.store.list(), []);
    assert.equal(broken.errors.length, 1);
    assert.equal(broken.errors[0].context.stage, 'verify');
    assert.ok(!String(broken.errors[0].error.stack).includes(receipt.slice(0, 30)), 'the reported error does not carry the receipt');

    const refused = receiver(t, { keys: 'https://127.0.0.1:1/jwks.json' });
    assert.equal((await refused.send(flexpayBody(receipt))).status, 503, 'connection refused');
  });

  test('createFlexPayReceiptVerifier on its own (e.g. for the receipt widget.checkout() gives the page)', async () => {
    const keys = await flexpayKeys();
    const verify = createFlexPayReceiptVerifier({ keys: keys.pem });
    const started = performance.now();
    for (let i = 0; i < 20; i++) await verify(await signReceipt(keys), { id: 'app-1', reference: 'order-1' });
    assert.ok(performance.now() - started < 5000);
    await assert.rejects(verify(await signReceipt(keys), { reference: 'other' }), FlexPayReceiptError);
    const claims = await verify(await signReceipt(keys, { ns: FLEXPAY_STAGING_NS }));
    assert.equal(claims.applicationClaim, FLEXPAY_STAGING_NS);
    assert.equal(claims.application.transaction_id, 'order-1');
    assert.equal(claims.kid, keys.kid);
  });

  test('configuration errors are TypeErrors at creation, never quoting the key', async () => {
    const keys = await flexpayKeys();
    const privateJwk = { ...keys.jwk, d: 'secret-d-value', p: 'p', q: 'q' };
    const store = memoryStore();
    const cases = [
      [undefined, /keys is required/],
      ['', /PEM public key/],
      ['not a key', /PEM public key/],
      ['-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----', /private key/],
      ['-----BEGIN RSA PUBLIC KEY-----\nMIIB\n-----END RSA PUBLIC KEY-----', /PKCS#1/],
      [privateJwk, /private key/],
      [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }, /RSA/],
      [{ keys: [] }, /non-empty/],
      [{ keys: [privateJwk] }, /private key/],
      [{}, /at least one key/],
      [{ kid1: 42 }, /PEM public key or a JWK/],
      ['http://flexpay.example/jwks.json', /https/],
      ['ftp://flexpay.example/jwks.json', /https/],
      [new URL('http://example.com/jwks'), /https/],
      [42, /keys is required/],
    ];
    for (const [keysOption, message] of cases) {
      assert.throws(
        () => createFlexPayCallbackHandler({ keys: keysOption, store }),
        (error) => error instanceof TypeError && message.test(error.message) && !error.message.includes('secret-d-value'),
        String(keysOption).slice(0, 40),
      );
    }
    assert.throws(() => createFlexPayCallbackHandler({ keys: keys.pem }), /store/);
    assert.throws(() => createFlexPayCallbackHandler({ keys: keys.pem, store, onUpdate: 'x' }), /onUpdate/);
    assert.throws(() => createFlexPayCallbackHandler({ keys: keys.pem, store, issuer: '' }), /issuer/);
    assert.throws(() => createFlexPayCallbackHandler(), /options/);
  });

  test('through toNodeHandler over HTTP: 200 and 401', async (t) => {
    const keys = await flexpayKeys();
    const { handler, store } = receiver(t, { keys: keys.pem });
    const base = await listen(t, toNodeHandler(handler));
    const ok = await fetch(`${base}/callbacks/flexpay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flexpayBody(await signReceipt(keys))) });
    assert.equal(ok.status, 200);
    const bad = await fetch(`${base}/callbacks/flexpay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flexpayBody(await signReceipt(keys, { id: 'x' }))) });
    assert.equal(bad.status, 401);
    assert.equal((await store.list()).length, 1);
  });
});

describe('FlexPay status only moves forward', () => {
  test('compareFlexPayProgress: the rule, case by case', () => {
    const at = (status, statusLastUpdated = '1000') => ({ status, statusLastUpdated });
    const table = [
      [at('PENDING'), at('SUCCESSFUL'), 'changed'],
      [at('PENDING'), at('FAILED'), 'changed'],
      [at('PENDING', '5000'), at('FAILED', '1000'), 'changed'], // forward wins over an older timestamp
      [at('PENDING'), at('PENDING'), 'duplicate'],
      [at('PENDING', '1000'), at('PENDING', '2000'), 'duplicate'], // newer PENDING: no new version
      [at('PENDING', '2000'), at('PENDING', '1000'), 'stale'],
      [at('SUCCESSFUL'), at('SUCCESSFUL', '9000'), 'duplicate'],
      [at('SUCCESSFUL', '2000'), at('SUCCESSFUL', '1000'), 'stale'],
      [at('SUCCESSFUL'), at('FAILED', '9000'), 'stale'], // first final wins
      [at('FAILED'), at('SUCCESSFUL', '9000'), 'stale'],
      [at('FAILED'), at('PENDING', '9000'), 'stale'],
      [at('SUCCESSFUL'), at('PENDING'), 'stale'],
      [at('ODD'), at('PENDING'), 'changed'], // odd stored data never blocks a real status
    ];
    for (const [current, next, expected] of table) {
      assert.equal(compareFlexPayProgress(current, next), expected, `${current.status}@${current.statusLastUpdated} → ${next.status}@${next.statusLastUpdated}`);
    }
  });

  /** Every ordering of `items`. */
  function* permutations(items) {
    if (items.length <= 1) return yield items;
    for (let i = 0; i < items.length; i++) {
      for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)])) yield [items[i], ...rest];
    }
  }

  for (const kind of STORES) {
    test(`all 120 orderings of PENDING, PENDING (newer), SUCCESSFUL, FAILED and a duplicate SUCCESSFUL (${kind})`, async (t) => {
      const keys = await flexpayKeys();
      const receipt = await signReceipt(keys);
      const callbacks = [
        { name: 'P1', status: 'PENDING', statusLastUpdated: '1000' },
        { name: 'P2', status: 'PENDING', statusLastUpdated: '2000' },
        { name: 'S', status: 'SUCCESSFUL', statusLastUpdated: '3000' },
        { name: 'F', status: 'FAILED', statusLastUpdated: '3000' },
        { name: 'S again', status: 'SUCCESSFUL', statusLastUpdated: '3000' },
      ];
      let orderings = 0;
      for (const order of permutations(callbacks)) {
        orderings++;
        // A fresh store per ordering (one SQLite file for all, but each ordering on its own store object: a new file each).
        const store = makeStore(t, kind);
        const updates = [];
        const handler = createFlexPayCallbackHandler({ keys: keys.pem, store, onUpdate: (record) => updates.push(record.data.status) });
        const acks = [];
        for (const c of order) {
          const { status, body } = await answer(await handler(req(flexpayBody(receipt, c))));
          assert.equal(status, 200);
          assert.equal([body.changed, body.duplicate, body.stale].filter(Boolean).length, 1, 'exactly one of changed/duplicate/stale');
          acks.push(body);
        }
        const names = order.map((c) => c.name).join(', ');
        const firstFinal = order.find((c) => c.status !== 'PENDING');
        const firstPending = order.find((c) => c.status === 'PENDING');
        const pendingBeforeFinal = order.indexOf(firstPending) < order.indexOf(firstFinal);
        const record = await store.get('flexpay:order-1');
        assert.equal(record.data.status, firstFinal.status, `${names}: the first final wins`);
        assert.equal(record.data.statusLastUpdated, firstFinal.statusLastUpdated);
        assert.deepEqual(updates, pendingBeforeFinal ? ['PENDING', firstFinal.status] : [firstFinal.status], `${names}: onUpdate per real change`);
        assert.equal(record.version, updates.length);
        assert.equal(acks.filter((a) => a.changed).length, updates.length);
        assert.equal(acks.at(-1).version, record.version);
        await store.close();
      }
      assert.equal(orderings, 120);
    });

    test(`only PENDINGs, in every order: stays PENDING at the first one's timestamp, one change (${kind})`, async (t) => {
      const keys = await flexpayKeys();
      const receipt = await signReceipt(keys);
      for (const order of permutations(['1000', '2000', '3000'])) {
        const store = makeStore(t, kind);
        const { handler, updates } = receiver(t, { store, keys: keys.pem });
        const acks = [];
        for (const ts of order) acks.push((await answer(await handler(req(flexpayBody(receipt, { status: 'PENDING', statusLastUpdated: ts }))))).body);
        const record = await store.get('flexpay:order-1');
        assert.equal(record.data.statusLastUpdated, order[0]);
        assert.equal(record.version, 1);
        assert.equal(updates.length, 1);
        for (const [i, ack] of acks.entries()) {
          if (i === 0) continue;
          assert.equal(ack.stale, Number(order[i]) < Number(order[0]), `${order.join(',')}: #${i}`);
        }
        await store.close();
      }
    });

    test(`20 identical callbacks at once → one change, one onUpdate (${kind})`, async (t) => {
      const keys = await flexpayKeys();
      const { handler, store, updates } = receiver(t, { kind, keys: keys.pem });
      const body = flexpayBody(await signReceipt(keys), { status: 'SUCCESSFUL' });
      const acks = await Promise.all(Array.from({ length: 20 }, async () => (await answer(await handler(req(body)))).body));
      assert.equal(acks.filter((a) => a.changed).length, 1);
      assert.equal(acks.filter((a) => a.duplicate).length, 19);
      assert.equal(updates.length, 1);
      assert.equal((await store.get('flexpay:order-1')).version, 1);
    });

    test(`references are independent records; a different id under the same reference cannot override a final (${kind})`, async (t) => {
      const keys = await flexpayKeys();
      const { send, store, updates } = receiver(t, { kind, keys: keys.pem });
      for (const reference of ['order-a', 'order-b']) {
        assert.equal((await send(flexpayBody(await signReceipt(keys, { reference }), { reference, status: 'PENDING' }))).status, 200);
      }
      await send(flexpayBody(await signReceipt(keys, { reference: 'order-a' }), { reference: 'order-a', status: 'FAILED' }));
      const late = await answer(await send(flexpayBody(await signReceipt(keys, { id: 'app-9', reference: 'order-a' }), { id: 'app-9', reference: 'order-a', status: 'SUCCESSFUL', statusLastUpdated: '9999999999999' })));
      assert.equal(late.body.stale, true);
      assert.deepEqual((await store.list({ prefix: 'flexpay:' })).map((r) => [r.key, r.data.status, r.version]), [
        ['flexpay:order-a', 'FAILED', 2],
        ['flexpay:order-b', 'PENDING', 1],
      ]);
      assert.equal(updates.length, 3);
    });
  }

  test('onUpdate gets the stored record and the previous one; a throwing onUpdate keeps the callback stored and acknowledged', async (t) => {
    const keys = await flexpayKeys();
    const receipt = await signReceipt(keys);
    const seen = [];
    const { send, store, errors } = receiver(t, {
      keys: keys.pem,
      onUpdate(record, previous) {
        seen.push([record.data.status, previous?.data.status, 'receipt' in record.data]);
        if (record.data.status === 'SUCCESSFUL') throw new Error('fulfilment failed');
      },
    });
    assert.equal((await send(flexpayBody(receipt, { status: 'PENDING' }))).status, 200);
    assert.equal((await send(flexpayBody(receipt, { status: 'SUCCESSFUL' }))).status, 200);
    assert.deepEqual(seen, [['PENDING', undefined, false], ['SUCCESSFUL', 'PENDING', false]], 'hooks never see the receipt');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].context.stage, 'onUpdate');
    assert.equal((await store.get('flexpay:order-1')).data.status, 'SUCCESSFUL');
  });
});
