// verifyShopifyAppProxy: Shopify's two documented examples verify (known answers from
// shopify.dev, "Authenticate app proxies"), and every refusal is reached by sending exactly the bad
// thing — missing, malformed, duplicated, tampered, added, removed, stale, future. The signatures
// of the made-up requests come from node:crypto here, an implementation independent of the one
// under test.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { SHOPIFY_APP_PROXY_CLOCK_SKEW_SECONDS, SHOPIFY_APP_PROXY_MAX_AGE_SECONDS, verifyShopifyAppProxy } from 'finframe/server';

const SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const NOW = 1_760_000_000; // seconds
const clock = (seconds = NOW) => () => seconds * 1000;
const BASE = 'https://app.example/proxy/flinks/session';

/** Shopify's signature of `pairs` ([key, value] in query order), computed the way its Ruby example does. */
function sign(pairs, secret = SECRET) {
  const grouped = new Map();
  for (const [key, value] of pairs) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped].map(([key, values]) => `${key}=${values.join(',')}`).sort().join('');
  return createHmac('sha256', secret).update(message).digest('hex');
}

const shopifyPairs = (overrides = {}) =>
  Object.entries({ shop: 'acme.myshopify.com', logged_in_customer_id: '7301', path_prefix: '/apps/finframe', timestamp: String(NOW), ...overrides });

const url = (pairs) => `${BASE}?${new URLSearchParams(pairs)}`;
const signed = (pairs = shopifyPairs(), secret = SECRET) => url([...pairs, ['signature', sign(pairs, secret)]]);
const verify = (href, options = {}) => verifyShopifyAppProxy(new Request(href, { method: 'POST', body: 'x' }), { secret: SECRET, now: clock(), ...options });
const reason = async (href, options) => {
  const result = await verify(href, options);
  assert.equal(result.ok, false, 'the request was accepted');
  return result.reason;
};

describe("Shopify's documented examples (secret \"hush\")", () => {
  // The documentation writes the shop as `{shop}.myshopify.com`; its signatures are those of `shop-name.myshopify.com`.
  const documented = 'extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555';
  const at = { secret: 'hush', now: clock(1317327555) };

  test('a signed-in customer: verifies, with the shop, customer and prefix', async () => {
    const result = await verify(`https://proxy-domain.com/proxy/extra/path/components?${documented}&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb`, at);
    assert.deepEqual({ ...result }, { ok: true, shop: 'shop-name.myshopify.com', loggedInCustomerId: '1', pathPrefix: '/apps/awesome_reviews', timestamp: 1317327555 });
  });

  test('a guest (empty logged_in_customer_id): verifies, loggedInCustomerId null', async () => {
    const guest = documented.replace('logged_in_customer_id=1', 'logged_in_customer_id=');
    const result = await verify(`https://proxy-domain.com/proxy?${guest}&signature=e072b6d7e6622d85912a5214b860d3100dc1e73d9bc29f43796ac8c9ff8093cb`, at);
    assert.equal(result.ok, true);
    assert.equal(result.loggedInCustomerId, null);
  });

  test('the same example with the other secret, or one changed parameter, is bad-signature', async () => {
    const href = `https://proxy-domain.com/proxy?${documented}&signature=4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb`;
    assert.equal(await reason(href, { ...at, secret: 'hush!' }), 'bad-signature');
    assert.equal(await reason(href.replace('extra=2', 'extra=3'), at), 'bad-signature');
    assert.equal(await reason(href.replace('logged_in_customer_id=1', 'logged_in_customer_id=2'), at), 'bad-signature');
  });

  test('the signature in upper case hex is the same signature', async () => {
    const result = await verify(`https://proxy-domain.com/proxy?${documented}&signature=${'4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb'.toUpperCase()}`, at);
    assert.equal(result.ok, true);
  });
});

describe('verifyShopifyAppProxy', () => {
  test('accepts a fresh signed request, in any parameter order, with parameters of its own', async () => {
    const pairs = [['z', 'last'], ...shopifyPairs().reverse(), ['a', 'first'], ['a', 'again']];
    const result = await verify(signed(pairs));
    assert.equal(result.ok, true);
    assert.equal(result.shop, 'acme.myshopify.com');
    assert.equal(result.loggedInCustomerId, '7301');
    assert.ok(Object.isFrozen(result));
  });

  test('missing: no signature, or an empty one', async () => {
    assert.equal(await reason(url(shopifyPairs())), 'missing-signature');
    assert.equal(await reason(url([...shopifyPairs(), ['signature', '']])), 'missing-signature');
  });

  test('non-hex or wrong length: malformed-signature (never compared)', async () => {
    const good = sign(shopifyPairs());
    for (const bad of [good.slice(0, 63), `${good}0`, `${good.slice(0, 63)}g`, `${good.slice(0, 62)} 1`, Buffer.from(good, 'hex').toString('base64')]) {
      assert.equal(await reason(url([...shopifyPairs(), ['signature', bad]])), 'malformed-signature', bad);
    }
  });

  test('wrong: another secret, or another signature', async () => {
    assert.equal(await reason(signed(shopifyPairs(), 'shpss_another-secret-altogether-0000')), 'bad-signature');
    const other = sign(shopifyPairs({ timestamp: String(NOW - 1) }));
    assert.equal(await reason(url([...shopifyPairs(), ['signature', other]])), 'bad-signature');
  });

  test('tampered: each of Shopify\'s parameters changed, removed, or a parameter added', async () => {
    const href = signed();
    const changes = [
      href.replace('shop=acme.myshopify.com', 'shop=evil.myshopify.com'),
      href.replace('logged_in_customer_id=7301', 'logged_in_customer_id=7302'),
      href.replace('logged_in_customer_id=7301', 'logged_in_customer_id='),
      href.replace('path_prefix=%2Fapps%2Ffinframe', 'path_prefix=%2Fapps%2Fother'),
      href.replace(`timestamp=${NOW}`, `timestamp=${NOW + 1}`),
      href.replace('&logged_in_customer_id=7301', ''),
      `${href}&admin=1`,
      `${href}&extra`,
    ];
    for (const changed of changes) {
      assert.notEqual(changed, href);
      assert.equal(await reason(changed), 'bad-signature', changed);
    }
  });

  test('duplicated: signature twice, or one of Shopify\'s parameters twice — even when Shopify\'s comma encoding would let it verify', async () => {
    const href = signed();
    assert.equal(await reason(`${href}&signature=${sign(shopifyPairs())}`), 'duplicate-parameter');
    // `logged_in_customer_id=7301&logged_in_customer_id=1` signs as "logged_in_customer_id=7301,1":
    // made to verify, it is still refused.
    for (const name of ['shop', 'logged_in_customer_id', 'path_prefix', 'timestamp']) {
      const pairs = [...shopifyPairs(), [name, name === 'timestamp' ? String(NOW) : 'x']];
      assert.equal(await reason(signed(pairs)), 'duplicate-parameter', name);
    }
  });

  test('signed but not in Shopify\'s shape: malformed-parameters', async () => {
    for (const overrides of [
      { shop: 'acme.example.com' },
      { shop: 'ACME.myshopify.com' },
      { logged_in_customer_id: '7301,1' },
      { logged_in_customer_id: 'abc' },
      { path_prefix: 'apps/finframe' },
      { timestamp: '1.5e9' },
      { timestamp: '' },
    ]) {
      assert.equal(await reason(signed(shopifyPairs(overrides))), 'malformed-parameters', JSON.stringify(overrides));
    }
    const withoutShop = shopifyPairs().filter(([key]) => key !== 'shop');
    assert.equal(await reason(signed(withoutShop)), 'malformed-parameters');
    const withoutTimestamp = shopifyPairs().filter(([key]) => key !== 'timestamp');
    assert.equal(await reason(signed(withoutTimestamp)), 'malformed-parameters');
  });

  test('stale: older than maxAgeSeconds (default 90) is refused; at the limit it passes', async () => {
    assert.equal(SHOPIFY_APP_PROXY_MAX_AGE_SECONDS, 90);
    const at = (age, options) => verify(signed(shopifyPairs({ timestamp: String(NOW - age) })), options);
    assert.equal((await at(90)).ok, true);
    assert.equal((await at(91)).reason, 'stale');
    assert.equal((await at(86_400)).reason, 'stale');
    assert.equal((await at(299, { maxAgeSeconds: 300 })).ok, true);
    assert.equal((await at(301, { maxAgeSeconds: 300 })).reason, 'stale');
  });

  test('future: beyond clockSkewSeconds (default 30) is refused', async () => {
    assert.equal(SHOPIFY_APP_PROXY_CLOCK_SKEW_SECONDS, 30);
    const at = (ahead, options) => verify(signed(shopifyPairs({ timestamp: String(NOW + ahead) })), options);
    assert.equal((await at(30)).ok, true);
    assert.equal((await at(31)).reason, 'future');
    assert.equal((await at(31, { clockSkewSeconds: 60 })).ok, true);
  });

  test('the refusal message never contains the signature, the secret or a value', async () => {
    const href = signed(shopifyPairs({ shop: 'evil-shop.myshopify.com' })).replace('evil-shop', 'other-shop');
    const result = await verify(href);
    assert.equal(result.reason, 'bad-signature');
    const signature = new URL(href).searchParams.get('signature');
    for (const secretish of [signature, SECRET, 'other-shop', '7301']) assert.ok(!result.message.includes(secretish));
  });

  test('a bad secret or option is a TypeError, not a refusal', async () => {
    const request = new Request(signed());
    await assert.rejects(verifyShopifyAppProxy(request, { secret: '' }), TypeError);
    await assert.rejects(verifyShopifyAppProxy(request, {}), TypeError);
    await assert.rejects(verifyShopifyAppProxy(request, { secret: SECRET, maxAgeSeconds: -1 }), TypeError);
    await assert.rejects(verifyShopifyAppProxy(request, { secret: SECRET, clockSkewSeconds: Number.NaN }), TypeError);
  });

  test('the body is not read (the signature covers the query only)', async () => {
    const request = new Request(signed(), { method: 'POST', body: 'bank%5Boutcome%5D=connected' });
    assert.equal((await verifyShopifyAppProxy(request, { secret: SECRET, now: clock() })).ok, true);
    assert.equal(request.bodyUsed, false);
  });

  test('property: any query signed by Shopify verifies; any one changed byte of a value does not', async () => {
    const key = fc.stringMatching(/^[a-z_]{1,8}$/).filter((k) => !['shop', 'logged_in_customer_id', 'path_prefix', 'timestamp', 'signature'].includes(k));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, fc.string({ maxLength: 12 })), { maxLength: 6 }), fc.nat(), async (extra, pick) => {
        const pairs = [...shopifyPairs(), ...extra];
        const href = signed(pairs);
        assert.equal((await verify(href)).ok, true);
        const i = pick % pairs.length;
        const tampered = pairs.map(([k, v], j) => [k, j === i ? `${v}~` : v]);
        const forged = url([...tampered, ['signature', new URL(href).searchParams.get('signature')]]);
        assert.equal((await verify(forged)).ok, false);
      }),
      { numRuns: 150 },
    );
  });
});
