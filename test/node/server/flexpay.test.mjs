// createFlexPayCallbackHandler: FlexPay's payment-status callback with its RS256 receipt
// (docs/providers/flexpay.md). Keys are generated here; every refusal is checked to store nothing
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
import { FLEXPAY_NS, FLEXPAY_STAGING_NS, STORES, answer, flexpayBody, flexpayConfirmEcho, flexpayKeys, listen, makeStore, post, signReceipt, without } from './helpers.mjs';

const URL_ = 'https://shop.example/callbacks/flexpay';
/** A request to the FlexPay receiver (see `post`). */
const req = (body, options = {}) => post(body, { url: URL_, ...options });

/** FlexPay's documented sample callback, verbatim (docs/providers/flexpay.md): signed by FlexPay's staging key, which we do not have. */
const SEED = {
  id: '87463d12-9831-3267-a108-d4613efa370c',
  status: 'SUCCESSFUL',
  statusLastUpdated: '1642167702440',
  reference: 'e917ecf1-00ed-46a9-8867-cbaf53dfef1d',
  productType: 'blackhorse-flexpay',
  receipt:
    'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6Im8yTWdPNFJic1B5WiJ9.eyJzY29wZSI6ImFwcGxpY2F0aW9uOmNyZWF0ZSIsImh0dHBzOi8vYXBpLnN0YWdpbmcuazhzLmRla29wYXkub3JnL2FwcGxpY2F0aW9uIjp7InN0YXR1cyI6InN1Y2Nlc3MiLCJwcm9kdWN0IjoicmV2b2x2aW5nX2NyZWRpdCIsImxpbmtzIjpbeyJocmVmIjoiaHR0cHM6Ly9hcGkuc3RhZ2luZy5rOHMuZGVrb3BheS5vcmcvY2hlY2tvdXQvcmV2b2x2aW5nX2NyZWRpdC84NzQ2M2QxMi05ODMxLTMyNjctYTEwOC1kNDYxM2VmYTM3MGMiLCJyZWwiOiJzZWxmIn1dLCJsYXN0X3VwZGF0ZWQiOiIxNjQyMTY3NzAyNDQwIiwiYXBwbGljYXRpb25faWQiOiI4NzQ2M2QxMi05ODMxLTMyNjctYTEwOC1kNDYxM2VmYTM3MGMiLCJ0cmFuc2FjdGlvbl9pZCI6ImU5MTdlY2YxLTAwZWQtNDZhOS04ODY3LWNiYWY1M2RmZWYxZCJ9LCJpYXQiOjE2NDIxNjc3MDMsImV4cCI6MTY0Mzk2NzcwMywiYXVkIjoiaHR0cHM6Ly9hcGkuc3RhZ2luZy5rOHMuZGVrb3BheS5vcmciLCJpc3MiOiJodHRwczovL2FwaS5zdGFnaW5nLms4cy5kZWtvcGF5Lm9yZy8iLCJzdWIiOiJiMDE1MTk4My0xZGRiLTRkODktOGNjOC0xN2Y3MDhkYTU2MDYiLCJqdGkiOiJiZjAxMWNjOC1mMjI2LTQzNzYtOWQ1NS1lYzk0NjE5ODE4YTEifQ.ApZJXjmQKD443PEXNXpSHcoAt5bpx1DY7SzkETgGzii7B401_PvrwnvILFg0Dt0o4-iSYVprB6_r1Pnvkw7r656pK8mK0AClMacxWF9kzd0jq4Sj6bOXqKznS6GiDMfBR92hoDtEibjOvu4iwwjyf2H1zFyQgB6iiCDmj1Kud7XOc5HgpQRYa2Y0H16PnkhepFGXY-SFefiWnNbJDUcdoUD0zuAhkM2mgLOFOaJylFMh63r-oGBkEDxD7YJ9Cj8RPiwL6Nqz6QfJsPaXHZqbceNFfpLdzC9DJjDRSVDrkPaALvWlLWM1XBGUPLV_nROqJx7mO2d89PLHnxXI45ZDObx4_VMVbC2uS2i2C_0dZu1iPyPY68_YSVAvnMzPeDyYqKx7aqGjfqeKd75JXzgsEP2h12MolO6AQ1yMUqi02HdAeYIrlVU8oHcwjFmwlvRZKOJ9knIDNq9d8C3kDqtwQfimYPLzLGsegcOpq_1nF5XQ2EOiPiX2Ww1hhtuXw51VQqEQFOVcuCoLkmQn3Bnas_LG6igshnjLhZYXdKuHhzQEh5NGG_zCfMdSKmTIq0jiVc1BKgn3G2DXSLanscwg6AXHrqudud3rFDqEsCtyuojDH23P7UPvlSqg2Puo9HmGJIFTbb_k4ilHveP5eurkqvegqSNSpJZ5mVtgXS2hQoY',
};

/** Tests of the progress rule, where every callback is FlexPay's own, confirm what each says. */
const confirmEcho = flexpayConfirmEcho;

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
  test("FlexPay's sample callback has the documented shape; its staging receipt carries the claims the receiver reads", () => {
    const result = parseFlexPayCallback(SEED);
    assert.equal(result.success, true);
    assert.deepEqual(result.data, SEED);
    const claims = decodeJwt(SEED.receipt);
    const names = Object.keys(claims).filter((name) => name.endsWith('/application'));
    assert.deepEqual(names, [FLEXPAY_STAGING_NS]);
    assert.equal(claims[FLEXPAY_STAGING_NS].application_id, SEED.id);
    assert.equal(claims[FLEXPAY_STAGING_NS].transaction_id, SEED.reference);
  });

  test("FlexPay's sample callback against our key: 401, its signature does not verify (we are not FlexPay)", async () => {
    const keys = await flexpayKeys();
    const { send, store } = receiver(undefined, { keys: keys.pem });
    await assertRefused(await send(SEED), SEED.receipt, store, /signature/);
  });

  test("FlexPay's sample payload, re-signed with our key and fresh times: accepted (the staging namespace is found)", async (t) => {
    const keys = await flexpayKeys();
    const claims = decodeJwt(SEED.receipt);
    const now = Math.floor(Date.now() / 1000);
    const receipt = await new SignJWT({ ...claims, iat: now, exp: now + 600 }).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.kid }).sign(keys.privateKey);
    const { send, store, updates } = receiver(t, { keys: keys.pem, issuer: 'https://api.staging.k8s.dekopay.org/', audience: 'https://api.staging.k8s.dekopay.org' });
    const { status, body } = await answer(await send({ ...SEED, receipt }));
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body, { ok: true, key: `flexpay:${SEED.reference}`, changed: true, duplicate: false, stale: false, version: 1 });
    const record = await store.get(`flexpay:${SEED.reference}`);
    assert.deepEqual(record.data, { ...without(SEED, 'receipt'), receiptKid: keys.kid, receiptIat: now, provenBy: 'receipt' });
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
    const { send, store, updates } = receiver(t, { keys: keys.pem, confirm: confirmEcho });
    const iat = Math.floor(Date.now() / 1000) - 5;
    const receipt = await signReceipt(keys, { iat });
    const { status, body } = await answer(await send(flexpayBody(receipt, { status: 'PENDING' })));
    assert.equal(status, 200);
    assert.equal(body.changed, true);
    const record = await store.get('flexpay:order-1');
    assert.deepEqual(record.data, { id: 'app-1', status: 'PENDING', statusLastUpdated: '1642167702440', reference: 'order-1', productType: 'blackhorse-flexpay', receiptKid: keys.kid, receiptIat: iat, provenBy: 'confirm' });
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
    const claims = await verify(await signReceipt(keys, { ns: FLEXPAY_STAGING_NS }), { reference: 'order-1' });
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
      // The stored receipt time only moves forward: an older receipt is stale whatever it says.
      [{ ...at('PENDING'), receiptIat: 2000 }, { ...at('SUCCESSFUL', '9000'), receiptIat: 1999 }, 'stale'],
      [{ ...at('PENDING'), receiptIat: 2000 }, { ...at('FAILED', '9000'), receiptIat: 2000 }, 'changed'],
      [{ ...at('PENDING'), receiptIat: 2000 }, { ...at('SUCCESSFUL', '9000'), receiptIat: 2001 }, 'changed'],
    ];
    for (const [current, next, expected] of table) {
      assert.equal(compareFlexPayProgress(current, next), expected, `${current.status}@${current.statusLastUpdated}/${current.receiptIat} → ${next.status}@${next.statusLastUpdated}/${next.receiptIat}`);
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
        const handler = createFlexPayCallbackHandler({ keys: keys.pem, store, confirm: confirmEcho, onUpdate: (record) => updates.push(record.data.status) });
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
        const { handler, updates } = receiver(t, { store, keys: keys.pem, confirm: confirmEcho });
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

    test(`references are independent records; a different id under the same reference is refused 409, even after a final (${kind})`, async (t) => {
      const keys = await flexpayKeys();
      const { send, store, updates } = receiver(t, { kind, keys: keys.pem, confirm: confirmEcho });
      for (const reference of ['order-a', 'order-b']) {
        assert.equal((await send(flexpayBody(await signReceipt(keys, { reference }), { reference, status: 'PENDING' }))).status, 200);
      }
      await send(flexpayBody(await signReceipt(keys, { reference: 'order-a' }), { reference: 'order-a', status: 'FAILED' }));
      const late = await answer(await send(flexpayBody(await signReceipt(keys, { id: 'app-9', reference: 'order-a' }), { id: 'app-9', reference: 'order-a', status: 'SUCCESSFUL', statusLastUpdated: '9999999999999' })));
      assert.equal(late.status, 409);
      assert.equal(late.body.error, 'application_mismatch');
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
      confirm: confirmEcho,
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

/** The application claim of a receipt for `id`/`reference` whose status word is `status` (and `last_updated`, when given). */
const claim = (status, { id = 'app-1', reference = 'order-1', lastUpdated } = {}) => ({
  status,
  product: 'revolving_credit',
  application_id: id,
  transaction_id: reference,
  ...(lastUpdated === undefined ? {} : { last_updated: lastUpdated }),
});

/** Asserts a 202 "genuine, proves nothing": stored nothing, ran no hook, and says why. */
async function assertUnproven(response, store, updates) {
  const { status, body } = await answer(response);
  assert.equal(status, 202, JSON.stringify(body));
  assert.equal(body.ok, true);
  assert.equal(body.stored, false);
  assert.equal(body.unproven, true);
  assert.match(body.reason, /does not prove .* nothing was stored/);
  assert.deepEqual(await store.list(), [], 'nothing stored, nothing locked');
  assert.equal(updates.length, 0, 'onUpdate did not run');
}

describe('A FlexPay status is stored only when proven (the forged-status attack)', () => {
  for (const kind of STORES) {
    test(`replayed attack without confirm: a declined application's genuine receipt re-posted as SUCCESSFUL → 202, nothing stored; FlexPay's later SUCCESSFUL is not blocked (${kind})`, async (t) => {
      const keys = await flexpayKeys();
      const { send, store, updates, errors } = receiver(t, { kind, keys: keys.pem });
      // The shopper's own application, declined: its receipt is genuine, its claim says so.
      const declined = await signReceipt(keys, { application: claim('declined', { lastUpdated: '2000' }) });
      await assertUnproven(await send(flexpayBody(declined, { status: 'SUCCESSFUL', statusLastUpdated: '2000' })), store, updates);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].context.stage, 'proof', 'the merchant is told a genuine callback proved nothing');
      assert.ok(!String(errors[0].error.message).includes(declined.slice(0, 20)));
      // Nothing was locked: a proven SUCCESSFUL (FlexPay's own) is still stored as the first change.
      const success = await signReceipt(keys, { application: claim('success', { lastUpdated: '3000' }) });
      const ok = await answer(await send(flexpayBody(success, { status: 'SUCCESSFUL', statusLastUpdated: '3000' })));
      assert.equal(ok.status, 200);
      assert.equal(ok.body.changed, true);
      assert.equal(ok.body.version, 1);
      assert.equal((await store.get('flexpay:order-1')).data.provenBy, 'receipt');
    });
  }

  test('without confirm, every status the receipt does not prove is 202 and stores nothing', async (t) => {
    const keys = await flexpayKeys();
    const cases = [
      ['a success receipt re-posted as FAILED (to lock the order out of its payment)', claim('success'), 'FAILED'],
      ['a success receipt re-posted as PENDING', claim('success'), 'PENDING'],
      ['a pending word', claim('pending'), 'PENDING'],
      ['an unknown word', claim('approved'), 'SUCCESSFUL'],
      ['the word in another case', claim('SUCCESS'), 'SUCCESSFUL'],
      ['the body status itself as the word', claim('SUCCESSFUL'), 'SUCCESSFUL'],
      ['a prototype key as the word', claim('constructor'), 'SUCCESSFUL'],
      ['__proto__ as the word', claim('__proto__'), 'SUCCESSFUL'],
      ['toString as the word', claim('toString'), 'SUCCESSFUL'],
      ['no status in the claim', { application_id: 'app-1', transaction_id: 'order-1' }, 'SUCCESSFUL'],
      ['a status that is not a string', { ...claim('success'), status: ['success'] }, 'SUCCESSFUL'],
      ['success, but last_updated says another moment', claim('success', { lastUpdated: '1000' }), 'SUCCESSFUL'],
      ['success, last_updated as another number', claim('success', { lastUpdated: 1000 }), 'SUCCESSFUL'],
      ['success, last_updated of another type', claim('success', { lastUpdated: true }), 'SUCCESSFUL'],
    ];
    for (const [name, application, status] of cases) {
      const { send, store, updates } = receiver(t, { keys: keys.pem });
      const receipt = await signReceipt(keys, { application });
      await t.test(name, async () => assertUnproven(await send(flexpayBody(receipt, { status, statusLastUpdated: '2000' })), store, updates));
    }
  });

  test('the documented proof: claim status "success" (with last_updated equal, as a string or a number, or absent) proves SUCCESSFUL', async (t) => {
    const keys = await flexpayKeys();
    for (const application of [claim('success', { lastUpdated: '2000' }), claim('success', { lastUpdated: 2000 }), claim('success')]) {
      const { send, store, updates } = receiver(t, { keys: keys.pem });
      const { status, body } = await answer(await send(flexpayBody(await signReceipt(keys, { application }), { status: 'SUCCESSFUL', statusLastUpdated: '2000' })));
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal((await store.get('flexpay:order-1')).data.status, 'SUCCESSFUL');
      assert.equal(updates.length, 1);
    }
  });

  for (const kind of STORES) {
    test(`replayed attack with confirm: the forged SUCCESSFUL stores what FlexPay answers (FAILED); the genuine FAILED that follows is a duplicate (${kind})`, async (t) => {
      const keys = await flexpayKeys();
      const asked = [];
      const flexpay = { status: 'FAILED', statusLastUpdated: '2500', id: 'app-1' }; // what FlexPay's API knows
      const { send, store, updates } = receiver(t, {
        kind,
        keys: keys.pem,
        confirm: (callback) => {
          asked.push(callback);
          return flexpay;
        },
      });
      const receipt = await signReceipt(keys, { application: claim('success') });
      const forged = await answer(await send(flexpayBody(receipt, { status: 'SUCCESSFUL', statusLastUpdated: '2500' })));
      assert.equal(forged.status, 200);
      const record = await store.get('flexpay:order-1');
      assert.equal(record.data.status, 'FAILED', "FlexPay's answer is stored, not the body's status");
      assert.equal(record.data.provenBy, 'confirm');
      assert.deepEqual(updates.map((u) => u.record.data.status), ['FAILED']);
      assert.equal(asked.length, 1);
      assert.equal('receipt' in asked[0], false, 'confirm is never given the receipt');
      assert.equal(asked[0].reference, 'order-1');
      const genuine = await answer(await send(flexpayBody(await signReceipt(keys, { application: claim('declined') }), { status: 'FAILED', statusLastUpdated: '2500' })));
      assert.equal(genuine.body.duplicate, true);
      assert.equal((await store.get('flexpay:order-1')).version, 1);
    });
  }

  test('confirm: undefined → 409 not_confirmed; throws → 502 reported; nonsense → 502; another id → 409 application_mismatch; nothing stored in each', async (t) => {
    const keys = await flexpayKeys();
    const receipt = await signReceipt(keys);
    const cases = [
      ['undefined', () => undefined, 409, 'not_confirmed', null],
      ['throws', () => Promise.reject(new Error('FlexPay API down')), 502, 'confirm_failed', 'confirm'],
      ['an unknown status', () => ({ status: 'success' }), 502, 'confirm_failed', 'confirm'],
      ['not an object', () => 'SUCCESSFUL', 502, 'confirm_failed', 'confirm'],
      ['a bad timestamp', () => ({ status: 'SUCCESSFUL', statusLastUpdated: 'yesterday' }), 502, 'confirm_failed', 'confirm'],
      ['another application', () => ({ status: 'SUCCESSFUL', id: 'app-2' }), 409, 'application_mismatch', null],
    ];
    for (const [name, confirm, status, error, stage] of cases) {
      const { send, store, updates, errors } = receiver(t, { keys: keys.pem, confirm });
      const result = await answer(await send(flexpayBody(receipt)));
      assert.equal(result.status, status, `${name}: ${JSON.stringify(result.body)}`);
      assert.equal(result.body.error, error, name);
      assert.deepEqual(await store.list(), [], `${name}: nothing stored`);
      assert.equal(updates.length, 0);
      assert.deepEqual(errors.map((e) => e.context.stage), stage ? [stage] : [], name);
    }
  });

  test('a status proven by the receipt is stored at the receipt-checked timestamp; confirm may give its own', async (t) => {
    const keys = await flexpayKeys();
    const { send, store } = receiver(t, { keys: keys.pem, confirm: () => ({ status: 'SUCCESSFUL' }) });
    assert.equal((await send(flexpayBody(await signReceipt(keys), { status: 'PENDING', statusLastUpdated: '1234' }))).status, 200);
    const { data } = await store.get('flexpay:order-1');
    assert.equal(data.status, 'SUCCESSFUL');
    assert.equal(data.statusLastUpdated, '1234', "without FlexPay's own timestamp, the callback's is kept");
  });
});

describe('One order, one FlexPay application', () => {
  for (const kind of STORES) {
    test(`replayed attack: another application's genuine, proven receipt for the same reference → 409, the order does not move (${kind})`, async (t) => {
      const keys = await flexpayKeys();
      const { send, store, updates } = receiver(t, { kind, keys: keys.pem, confirm: confirmEcho });
      assert.equal((await send(flexpayBody(await signReceipt(keys, { id: 'app-1' }), { id: 'app-1', status: 'PENDING' }))).status, 200);
      // Another shop's order with the same number (or an application the attacker started with that reference).
      const other = await signReceipt(keys, { id: 'app-evil', application: claim('success', { id: 'app-evil' }) });
      for (const status of ['SUCCESSFUL', 'FAILED', 'PENDING']) {
        const result = await answer(await send(flexpayBody(other, { id: 'app-evil', status, statusLastUpdated: '9999999999999' })));
        assert.equal(result.status, 409, status);
        assert.equal(result.body.error, 'application_mismatch');
      }
      const record = await store.get('flexpay:order-1');
      assert.deepEqual([record.data.id, record.data.status, record.version], ['app-1', 'PENDING', 1]);
      assert.equal(updates.length, 1);
    });
  }

  test('expectedApplicationId binds the order before any callback: another application → 409 and nothing stored; the right one → 200', async (t) => {
    const keys = await flexpayKeys();
    const asked = [];
    const { send, store, updates } = receiver(t, {
      keys: keys.pem,
      expectedApplicationId: async (reference) => {
        asked.push(reference);
        return reference === 'order-1' ? 'app-1' : undefined;
      },
    });
    const evil = await answer(await send(flexpayBody(await signReceipt(keys, { id: 'app-evil' }), { id: 'app-evil' })));
    assert.equal(evil.status, 409);
    assert.equal(evil.body.error, 'application_mismatch');
    assert.deepEqual(await store.list(), []);
    assert.equal(updates.length, 0);
    assert.equal((await send(flexpayBody(await signReceipt(keys)))).status, 200);
    // An order the shop does not know the application of: the first proven callback binds it.
    const unknown = await send(flexpayBody(await signReceipt(keys, { id: 'app-7', reference: 'order-7' }), { id: 'app-7', reference: 'order-7' }));
    assert.equal(unknown.status, 200);
    assert.deepEqual(asked, ['order-1', 'order-1', 'order-7']);
  });

  test('expectedApplicationId throwing or answering a non-string: 503 (FlexPay retries), reported, nothing stored', async (t) => {
    const keys = await flexpayKeys();
    for (const expectedApplicationId of [() => Promise.reject(new Error('orders DB down')), () => 42]) {
      const { send, store, errors } = receiver(t, { keys: keys.pem, expectedApplicationId });
      const result = await answer(await send(flexpayBody(await signReceipt(keys))));
      assert.equal(result.status, 503);
      assert.deepEqual(await store.list(), []);
      assert.deepEqual(errors.map((e) => e.context.stage), ['verify']);
    }
  });
});

describe('Receipt age and order', () => {
  test('maxReceiptAgeSeconds: 72 hours by default, configurable; an older receipt is 401 even before its exp', async (t) => {
    const keys = await flexpayKeys();
    const now = Math.floor(Date.now() / 1000);
    const old = await signReceipt(keys, { iat: now - 73 * 3600, exp: now + 30 * 24 * 3600 });
    const recent = await signReceipt(keys, { iat: now - 71 * 3600, exp: now + 30 * 24 * 3600 });
    {
      const { send, store } = receiver(t, { keys: keys.pem });
      await assertRefused(await send(flexpayBody(old)), old, store, /older than maxReceiptAgeSeconds/);
      assert.equal((await send(flexpayBody(recent))).status, 200);
    }
    {
      const { send, store } = receiver(t, { keys: keys.pem, maxReceiptAgeSeconds: 600 });
      const elevenMinutes = await signReceipt(keys, { iat: now - 660 });
      await assertRefused(await send(flexpayBody(elevenMinutes)), elevenMinutes, store, /older than/);
      assert.equal((await send(flexpayBody(await signReceipt(keys, { iat: now - 60 })))).status, 200);
    }
    for (const bad of [0, -1, Number.NaN, '3600']) {
      assert.throws(() => createFlexPayCallbackHandler({ keys: keys.pem, store: memoryStore(), maxReceiptAgeSeconds: bad }), /maxReceiptAgeSeconds must be a positive number/);
    }
  });

  test('the stored receipt iat only moves forward: a callback carrying an older receipt is stale, whatever its status', async (t) => {
    const keys = await flexpayKeys();
    const now = Math.floor(Date.now() / 1000);
    const { send, store, updates } = receiver(t, { keys: keys.pem, confirm: confirmEcho });
    assert.equal((await send(flexpayBody(await signReceipt(keys, { iat: now - 10 }), { status: 'PENDING', statusLastUpdated: '2000' }))).status, 200);
    const replay = await answer(await send(flexpayBody(await signReceipt(keys, { iat: now - 100 }), { status: 'FAILED', statusLastUpdated: '3000' })));
    assert.equal(replay.body.stale, true);
    assert.deepEqual([(await store.get('flexpay:order-1')).data.status, (await store.get('flexpay:order-1')).data.receiptIat], ['PENDING', now - 10]);
    const next = await answer(await send(flexpayBody(await signReceipt(keys, { iat: now - 5 }), { status: 'SUCCESSFUL', statusLastUpdated: '3000' })));
    assert.equal(next.body.changed, true);
    assert.equal((await store.get('flexpay:order-1')).data.receiptIat, now - 5);
    assert.equal(updates.length, 2);
  });

  test('createFlexPayReceiptVerifier needs the order: no expectation, or none with a reference, is a TypeError', async () => {
    const keys = await flexpayKeys();
    const verify = createFlexPayReceiptVerifier({ keys: keys.pem });
    const receipt = await signReceipt(keys);
    await assert.rejects(verify(receipt), TypeError);
    await assert.rejects(verify(receipt, {}), /needs the order reference/);
    await assert.rejects(verify(receipt, { id: 'app-1' }), /needs the order reference/);
    await assert.rejects(verify(receipt, { reference: '' }), /needs the order reference/);
    await assert.rejects(verify(receipt, { reference: 'order-1', id: 5 }), /expected.id/);
    assert.equal((await verify(receipt, { reference: 'order-1' })).application.application_id, 'app-1');
  });

  test('over HTTP through toNodeHandler: the forged SUCCESSFUL is 202 and stores nothing', async (t) => {
    const keys = await flexpayKeys();
    const store = memoryStore();
    const handler = toNodeHandler(createFlexPayCallbackHandler({ keys: keys.pem, store, onError: () => {} }));
    const url = await listen(t, handler);
    const receipt = await signReceipt(keys, { application: claim('declined') });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(flexpayBody(receipt)) });
    assert.equal(response.status, 202);
    assert.equal((await response.json()).stored, false);
    assert.deepEqual(await store.list(), []);
  });
});
