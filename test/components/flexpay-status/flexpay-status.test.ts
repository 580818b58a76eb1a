import { expect } from '@open-wc/testing';
import { FlexPayStatusElement } from '../../../src/components/flexpay-status/flexpay-status.js';
import '../../../src/components/flexpay-status/define.js';
import { parseFlexPayStatus } from '../../../src/components/flexpay-status/flexpay-status.schema.js';
import { checkStatusSource } from '../../../src/components/flexpay-status/flexpay-status.source.js';
import { record, waitFor, type Recorded } from '../../helpers/frames.js';

/**
 * Against the real thing: finframe/server's FlexPay receiver and status stream run in the test
 * server (scripts/wtr-flexpay.mjs), on this page's origin. `send()` plays FlexPay: it signs a
 * receipt and POSTs the callback to the receiver; the element hears about it through the stream.
 */
async function send(reference: string, status: string, extra: Record<string, unknown> = {}) {
  const response = await fetch('/__flexpay/send', { method: 'POST', body: JSON.stringify({ reference, status, ...extra }) });
  const result = await response.json();
  if (result.error) throw new Error(result.reason);
  return result as { status: number; body: { changed: boolean; duplicate: boolean; stale: boolean } };
}
const connections = async () => ((await (await fetch('/__flexpay/connections')).json()) as { open: number }).open;
/** Waits (up to 5 s) until the server counts `expected` open streams; returns the last count. */
async function connectionsSettle(expected: number): Promise<number> {
  const t0 = performance.now();
  let open = await connections();
  while (open !== expected && performance.now() - t0 < 5000) {
    await new Promise((r) => setTimeout(r, 50));
    open = await connections();
  }
  return open;
}

/** Every request the test server's status routes received for `reference` (on any origin). */
type Seen = { host: string; route: string; accept: string; lastEventId: string | null };
const seenBy = async (reference: string) => (await (await fetch(`/__flexpay/seen?reference=${encodeURIComponent(reference)}`)).json()) as Seen[];
/** The same test server on another origin: http://127.0.0.1:PORT (this page is http://localhost:PORT). */
const OTHER_ORIGIN = `http://127.0.0.1:${location.port}`;

/** Counts what the element constructs: EventSources and fetches (restored by the returned function). */
function spyRequests() {
  const made: string[] = [];
  const OriginalEventSource = window.EventSource;
  const originalFetch = window.fetch;
  window.EventSource = class extends OriginalEventSource {
    constructor(url: string | URL, init?: EventSourceInit) {
      made.push(`EventSource ${String(url)}`);
      super(url, init);
    }
  };
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    made.push(`fetch ${input instanceof Request ? input.url : String(input)}`);
    return originalFetch(input, init);
  };
  return {
    made,
    restore() {
      window.EventSource = OriginalEventSource;
      window.fetch = originalFetch;
    },
  };
}

let n = 0;
const fresh = () => `order-${Date.now().toString(36)}-${++n}`;
const mounted: Element[] = [];
afterEach(() => mounted.splice(0).forEach((el) => el.remove()));

async function mount(reference = fresh(), src = '/__flexpay/status', attrs: Record<string, string> = {}) {
  const el = document.createElement('flexpay-status');
  el.setAttribute('reference', reference);
  el.setAttribute('src', src);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const seen = record(el);
  const ready = waitFor(el, 'provider-ready');
  mounted.push(el);
  document.body.append(el);
  await el.updateComplete;
  return { el, seen, ready, reference };
}

const types = (seen: Recorded[]) => seen.map((r) => (r.type === 'provider-event' ? `event:${r.detail.name}` : r.type));
const visible = (el: Element) =>
  [...el.shadowRoot!.querySelectorAll('[part~=outcome]')].filter((p) => !(p as HTMLElement).hidden).map((p) => p.querySelector('slot')!.name);
/** Resolves once `seen` holds `count` events (the stream is asynchronous by nature). */
async function until(seen: Recorded[], count: number, timeout = 8000) {
  const t0 = performance.now();
  while (seen.length < count) {
    if (performance.now() - t0 > timeout) throw new Error(`expected ${count} events, got ${JSON.stringify(types(seen))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('<flexpay-status>', () => {
  it('shows pending at once, then each change, then the final outcome', async () => {
    const { el, seen, ready, reference } = await mount();
    expect(visible(el)).to.deep.equal(['pending']);
    await ready;
    expect(el.status).to.equal('ready');
    expect(el.paymentStatus).to.equal(undefined);
    expect((await send(reference, 'PENDING')).status).to.equal(200);
    await until(seen, 2);
    expect(el.paymentStatus).to.equal('PENDING');
    await el.updateComplete;
    expect(el.matches(':state(pending)')).to.equal(true);
    expect(seen[1]!.detail).to.deep.include({ provider: 'flexpay', name: 'PENDING' });
    expect(seen[1]!.detail.data).to.include({ reference, status: 'PENDING', productType: 'blackhorse-flexpay', final: false });
    await send(reference, 'SUCCESSFUL');
    await until(seen, 4);
    await el.updateComplete;
    expect(types(seen)).to.deep.equal(['provider-ready', 'event:PENDING', 'event:SUCCESSFUL', 'provider-outcome']);
    expect(seen[3]!.detail).to.deep.include({ provider: 'flexpay', outcome: 'successful' });
    expect(seen[3]!.detail.data).to.include({ reference, status: 'SUCCESSFUL', final: true });
    expect(el.status).to.equal('complete');
    expect(el.matches(':state(successful)') && !el.matches(':state(pending)')).to.equal(true);
    expect(visible(el)).to.deep.equal(['successful']);
  });

  it('a failed application tells the shopper about referrals and checking out again', async () => {
    const { el, seen, ready, reference } = await mount();
    await ready;
    await send(reference, 'FAILED');
    await until(seen, 3);
    await el.updateComplete;
    expect(seen.at(-1)!.detail.outcome).to.equal('failed');
    expect(visible(el)).to.deep.equal(['failed']);
    const text = el.shadowRoot!.querySelector('slot[name=failed]')!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('referred');
    expect(text).to.contain('check out again');
  });

  it('duplicates and late updates change nothing: the status only moves forward', async () => {
    const { el, seen, ready, reference } = await mount();
    await ready;
    await send(reference, 'PENDING', { statusLastUpdated: '1700000000100' });
    const dup = await send(reference, 'PENDING', { statusLastUpdated: '1700000000100' });
    expect(dup.body.duplicate).to.equal(true);
    await send(reference, 'SUCCESSFUL', { statusLastUpdated: '1700000000300' });
    const late = await send(reference, 'PENDING', { statusLastUpdated: '1700000000200' });
    expect(late.body.changed).to.equal(false);
    const other = await send(reference, 'FAILED', { statusLastUpdated: '1700000000400' });
    expect(other.body.changed, 'the first final wins').to.equal(false);
    await until(seen, 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(types(seen)).to.deep.equal(['provider-ready', 'event:PENDING', 'event:SUCCESSFUL', 'provider-outcome']);
    expect(el.outcome).to.equal('successful');
  });

  it('an order already decided when the page opens shows its outcome at once', async () => {
    const reference = fresh();
    await send(reference, 'PENDING');
    await send(reference, 'FAILED');
    const { el, seen } = await mount(reference);
    await until(seen, 3);
    expect(types(seen)).to.deep.equal(['provider-ready', 'event:FAILED', 'provider-outcome']);
    expect(el.outcome).to.equal('failed');
  });

  it('a forged callback (tampered receipt) is refused and never reaches the page', async () => {
    const { el, seen, ready, reference } = await mount();
    await ready;
    const forged = await send(reference, 'SUCCESSFUL', { tamper: true });
    expect(forged.status).to.equal(401);
    await send(reference, 'PENDING');
    await until(seen, 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(types(seen)).to.deep.equal(['provider-ready', 'event:PENDING']);
    expect(el.paymentStatus).to.equal('PENDING');
  });

  it("a shopper's genuine receipt re-posted with SUCCESSFUL never shows success: FlexPay's own status is what the page sees", async () => {
    const { el, seen, ready, reference } = await mount();
    await ready;
    await send(reference, 'PENDING');
    await until(seen, 2);
    // FlexPay still holds the order as PENDING; the body claims SUCCESSFUL. The receiver asks
    // FlexPay (confirm) and stores what FlexPay says: no change, nothing streamed.
    const forged = await send(reference, 'PENDING', { forge: 'SUCCESSFUL' });
    expect(forged.status).to.equal(200);
    expect(forged.body.changed).to.equal(false);
    // FlexPay's genuine FAILED that follows is not locked out.
    const genuine = await send(reference, 'FAILED');
    expect(genuine.body.changed).to.equal(true);
    await until(seen, 4);
    expect(types(seen)).to.deep.equal(['provider-ready', 'event:PENDING', 'event:FAILED', 'provider-outcome']);
    expect(el.outcome).to.equal('failed');
  });

  it('reconnects when the server drops the stream, and misses nothing', async () => {
    const { el, seen, ready, reference } = await mount();
    await ready;
    await send(reference, 'PENDING');
    await until(seen, 2);
    const { dropped } = await (await fetch('/__flexpay/drop', { method: 'POST' })).json();
    expect(dropped).to.be.greaterThan(0);
    // Sent while the element is disconnected from the server: it must arrive after the reconnect.
    await send(reference, 'SUCCESSFUL');
    await until(seen, 4);
    expect(types(seen)).to.deep.equal(['provider-ready', 'event:PENDING', 'event:SUCCESSFUL', 'provider-outcome']);
    expect(el.polling).to.equal(false);
  });

  it('falls back to polling when streaming is unavailable', async () => {
    const { el, seen, ready, reference } = await mount(fresh(), '/__flexpay/nostream', { 'poll-interval': '1000' });
    await send(reference, 'PENDING');
    await ready;
    await until(seen, 3, 12_000);
    const error = seen.find((r) => r.type === 'provider-error')!;
    expect(error.detail).to.include({ provider: 'flexpay', code: 'STREAM_UNAVAILABLE', fatal: false });
    expect(el.polling).to.equal(true);
    await send(reference, 'SUCCESSFUL');
    await until(seen, 5, 5000);
    expect(types(seen).filter((t) => t !== 'provider-error')).to.deep.equal(['provider-ready', 'event:PENDING', 'event:SUCCESSFUL', 'provider-outcome']);
    expect(el.outcome).to.equal('successful');
  }).timeout(20_000);

  describe('a stream the server ends at its lifetime (maxStreamSeconds)', () => {
    it('is not a failure: the element reconnects with Last-Event-ID, never falls back to polling, and keeps receiving changes', async () => {
      // /__flexpay/shortlived ends every stream after ~0.6 s with `event: reconnect`. Three
      // failures in a row would switch to polling: wait for four planned ends (five requests;
      // Firefox waits at least 500 ms before reconnecting, whatever `retry:` says).
      const { el, seen, ready, reference } = await mount(fresh(), '/__flexpay/shortlived');
      await ready;
      const t0 = performance.now();
      while ((await seenBy(reference)).length < 5 && performance.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 200));
      const before = await seenBy(reference);
      expect(before.length, JSON.stringify(before)).to.be.at.least(5);
      expect(before.every((r) => r.accept.includes('text/event-stream')), 'only streams, never a poll').to.equal(true);
      expect(before.slice(1).every((r) => r.lastEventId === '0'), 'each reconnect resumes from the last status').to.equal(true);
      expect(el.polling).to.equal(false);
      expect(types(seen)).to.deep.equal(['provider-ready'], 'no STREAM_UNAVAILABLE, no error');
      // Changes sent now, and after another planned end, still arrive through the stream.
      await send(reference, 'PENDING');
      await until(seen, 2);
      await new Promise((r) => setTimeout(r, 800));
      await send(reference, 'SUCCESSFUL');
      await until(seen, 4);
      expect(types(seen)).to.deep.equal(['provider-ready', 'event:PENDING', 'event:SUCCESSFUL', 'provider-outcome']);
      expect(el.outcome).to.equal('successful');
      expect(el.polling).to.equal(false);
      const after = await seenBy(reference);
      expect(after.some((r) => r.lastEventId === '1'), 'a reconnect after PENDING resumed from version 1').to.equal(true);
      expect(after.every((r) => r.accept.includes('text/event-stream'))).to.equal(true);
    }).timeout(25_000);

    it('asks authorize again at each reconnect: a revoked permission ends the watch in STATUS_REFUSED', async () => {
      const { el, seen, ready, reference } = await mount(fresh(), '/__flexpay/shortlived', { 'poll-interval': '1000' });
      await ready;
      await fetch('/__flexpay/revoke', { method: 'POST', body: JSON.stringify({ reference }) });
      const t0 = performance.now();
      while (el.outcome !== 'error' && performance.now() - t0 < 12_000) await new Promise((r) => setTimeout(r, 50));
      const refused = seen.find((r) => r.type === 'provider-error' && r.detail.code === 'STATUS_REFUSED');
      expect(refused, JSON.stringify(types(seen))).to.not.equal(undefined);
      expect(refused!.detail.data).to.deep.equal({ status: 403 });
      expect(el.outcome).to.equal('error');
    }).timeout(20_000);
  });

  describe('src is same-origin unless status-origin names the other origin', () => {
    it('a src on another origin without status-origin is INVALID_CONFIG naming src, and nothing is sent there', async () => {
      const original = console.error;
      const logged: string[] = [];
      console.error = (...a: unknown[]) => logged.push(a.join(' '));
      const spy = spyRequests();
      try {
        const { el, seen, reference } = await mount(fresh(), `${OTHER_ORIGIN}/__flexpay/status`);
        expect(types(seen)).to.deep.equal(['provider-error', 'provider-outcome']);
        expect(seen[0]!.detail).to.include({ code: 'INVALID_CONFIG', fatal: true });
        expect(seen[0]!.detail.data).to.deep.equal({ attribute: 'src' });
        expect(logged.join()).to.contain('"src"');
        expect(logged.join()).to.contain(`${OTHER_ORIGIN} is not this page's origin`);
        expect(el.outcome).to.equal('error');
        await new Promise((r) => setTimeout(r, 500));
        expect(spy.made, 'no EventSource, no fetch').to.deep.equal([]);
        spy.restore();
        expect(await seenBy(reference), 'the other origin received nothing').to.deep.equal([]);
      } finally {
        spy.restore();
        console.error = original;
      }
    });

    it('with status-origin set to exactly that origin, the element watches it there (CORS with credentials)', async () => {
      const { el, seen, ready, reference } = await mount(fresh(), `${OTHER_ORIGIN}/__flexpay/cors-status`, { 'status-origin': OTHER_ORIGIN });
      await ready;
      await send(reference, 'SUCCESSFUL');
      await until(seen, 3);
      expect(types(seen)).to.deep.equal(['provider-ready', 'event:SUCCESSFUL', 'provider-outcome']);
      expect(el.outcome).to.equal('successful');
      const requests = await seenBy(reference);
      expect(requests.length).to.be.at.least(1);
      expect(requests.every((r) => r.host === new URL(OTHER_ORIGIN).host && r.route === '/__flexpay/cors-status')).to.equal(true);
    });

    for (const [label, src, statusOrigin, attribute, message] of [
      ['a status-origin over http', 'http://status.example/s', 'http://status.example', 'status-origin', 'http://status.example is not https'],
      ['a status-origin with a path', 'https://status.example/s', 'https://status.example/s', 'status-origin', 'is not an origin'],
      ['a status-origin that is no URL', 'https://status.example/s', 'status.example', 'status-origin', 'is not an origin'],
      ['a src on a third origin', 'https://evil.example/s', 'https://status.example', 'src', "https://evil.example is neither this page's origin nor status-origin (https://status.example)"],
      ["a src whose host only starts with status-origin's", 'https://status.example.evil.example/s', 'https://status.example', 'src', 'is neither'],
      ["a src on status-origin's host over http", 'http://status.example/s', 'https://status.example', 'src', 'is neither'],
    ] as const) {
      it(`${label} is INVALID_CONFIG naming ${attribute}, and no request is made`, async () => {
        const original = console.error;
        const logged: string[] = [];
        console.error = (...a: unknown[]) => logged.push(a.join(' '));
        const spy = spyRequests();
        try {
          const { seen } = await mount(fresh(), src, { 'status-origin': statusOrigin });
          expect(types(seen)).to.deep.equal(['provider-error', 'provider-outcome']);
          expect(seen[0]!.detail).to.include({ code: 'INVALID_CONFIG', fatal: true });
          expect(seen[0]!.detail.data).to.deep.equal({ attribute });
          expect(logged.join()).to.contain(`"${attribute}"`);
          expect(logged.join()).to.contain(message);
          await new Promise((r) => setTimeout(r, 100));
          expect(spy.made).to.deep.equal([]);
        } finally {
          spy.restore();
          console.error = original;
        }
      });
    }

    it('checkStatusSource: exact origins only; loopback status-origin only when allowed (the development build)', () => {
      const page = { reference: 'order-1', base: 'https://shop.example/orders/1', pageOrigin: 'https://shop.example', allowLoopback: false };
      const check = (src: string, statusOrigin?: string, extra = {}) => checkStatusSource({ ...page, src, statusOrigin, ...extra });
      expect(check('/flexpay/status')).to.deep.equal({ ok: true, url: 'https://shop.example/flexpay/status?reference=order-1', crossOrigin: false });
      expect(check('https://SHOP.example:443/s#x')).to.deep.equal({ ok: true, url: 'https://shop.example/s?reference=order-1', crossOrigin: false });
      expect(check('https://status.shop.example/s', 'https://status.shop.example')).to.deep.equal({ ok: true, url: 'https://status.shop.example/s?reference=order-1', crossOrigin: true });
      expect(check('https://status.shop.example/s', 'HTTPS://Status.Shop.Example:443/')).to.include({ ok: true, crossOrigin: true });
      for (const [src, statusOrigin, attribute] of [
        ['https://status.shop.example/s', undefined, 'src'],
        ['http://shop.example/s', undefined, 'src'], // same host, another scheme: another origin
        ['https://shop.example:8443/s', undefined, 'src'],
        ['https://shop.example.evil.example/s', undefined, 'src'],
        ['https://shop.example@evil.example/s', undefined, 'src'],
        ['https://status.shop.example:444/s', 'https://status.shop.example', 'src'],
        ['http://127.0.0.1:8000/s', 'http://127.0.0.1:8000', 'status-origin'], // loopback: the development build only
        ['https://localhost/s', 'https://localhost', 'status-origin'],
        ['https://status.shop.example/s', 'https://status.shop.example?x', 'status-origin'],
        ['https://status.shop.example/s', 'https://user@status.shop.example', 'status-origin'],
        ['https://status.shop.example/s', '*', 'status-origin'],
        ['https://status.shop.example/s', 'null', 'status-origin'],
      ] as const) {
        const result = check(src, statusOrigin);
        expect(result, `${src} ${statusOrigin}`).to.include({ ok: false, attribute });
      }
      expect(check('http://127.0.0.1:8000/s', 'http://127.0.0.1:8000', { allowLoopback: true })).to.include({ ok: true, crossOrigin: true });
      // On a development page, same-origin needs no opt-in whatever the build.
      expect(checkStatusSource({ ...page, src: '/s', statusOrigin: undefined, base: 'http://localhost:8000/', pageOrigin: 'http://localhost:8000' })).to.include({ ok: true, crossOrigin: false });
    });
  });

  it('an order the server does not let this shopper watch ends in STATUS_REFUSED', async () => {
    const { el, seen } = await mount('forbidden-order', '/__flexpay/status', { 'poll-interval': '1000' });
    const refused = await new Promise<Recorded>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(JSON.stringify(types(seen)))), 15_000);
      el.addEventListener('provider-error', (e) => {
        if (e.detail.code === 'STATUS_REFUSED') {
          clearTimeout(t);
          resolve({ type: 'provider-error', detail: e.detail, event: e });
        }
      });
    });
    await el.updateComplete;
    expect(refused.detail).to.include({ fatal: true });
    expect(refused.detail.data).to.deep.equal({ status: 403 });
    expect(el.outcome).to.equal('error');
    expect(visible(el)).to.deep.equal(['error']);
  }).timeout(20_000);

  it('never hands the receipt to the browser', async () => {
    const { seen, ready, reference } = await mount();
    await ready;
    await send(reference, 'SUCCESSFUL');
    await until(seen, 3);
    expect(JSON.stringify(seen.map((r) => r.detail))).not.to.contain('receipt');
    const polled = await (await fetch(`/__flexpay/status?reference=${reference}`, { headers: { Accept: 'application/json' } })).text();
    expect(polled).to.contain('SUCCESSFUL');
    expect(polled).not.to.contain('receipt');
    expect(polled).not.to.contain('eyJ');
  });

  it('closes its stream when removed, and when the outcome arrives', async () => {
    const before = await connections();
    const a = await mount();
    await a.ready;
    expect(await connectionsSettle(before + 1)).to.equal(before + 1);
    a.el.remove();
    expect(await connectionsSettle(before), 'the stream is closed on removal').to.equal(before);
    const b = await mount();
    await b.ready;
    expect(await connectionsSettle(before + 1)).to.equal(before + 1);
    await send(b.reference, 'FAILED');
    await until(b.seen, 3);
    expect(await connectionsSettle(before), 'the stream is closed after the outcome').to.equal(before);
  });

  it('two elements watch two orders independently', async () => {
    const a = await mount();
    const b = await mount();
    await Promise.all([a.ready, b.ready]);
    await send(a.reference, 'SUCCESSFUL');
    await until(a.seen, 3);
    await send(b.reference, 'PENDING');
    await until(b.seen, 2);
    expect(a.el.outcome).to.equal('successful');
    expect(b.el.outcome).to.equal(undefined);
    expect(b.el.paymentStatus).to.equal('PENDING');
  });

  describe('misconfiguration: INVALID_CONFIG naming the attribute, and no request', () => {
    for (const [label, reference, src, attribute] of [
      ['no reference', '', '/__flexpay/status', 'reference'],
      ['a reference with spaces', 'order 1', '/__flexpay/status', 'reference'],
      ['no src', 'order-1', '', 'src'],
      ['a javascript: src', 'order-1', 'javascript:alert(1)', 'src'],
    ]) {
      it(label, async () => {
        const original = console.error;
        const logged: string[] = [];
        console.error = (...a: unknown[]) => logged.push(a.join(' '));
        try {
          const el = document.createElement('flexpay-status') as FlexPayStatusElement;
          if (reference) el.setAttribute('reference', reference!);
          if (src) el.setAttribute('src', src!);
          const seen = record(el);
          mounted.push(el);
          document.body.append(el);
          await el.updateComplete;
          expect(types(seen)).to.deep.equal(['provider-error', 'provider-outcome']);
          expect(seen[0]!.detail).to.include({ code: 'INVALID_CONFIG', fatal: true });
          expect(seen[0]!.detail.data).to.deep.equal({ attribute });
          expect(logged.join()).to.contain(`"${attribute}"`);
        } finally {
          console.error = original;
        }
      });
    }
  });

  it('passes axe while pending and with each outcome', async () => {
    const { el, seen, ready, reference } = await mount();
    await ready;
    await expect(el).to.be.accessible();
    await send(reference, 'FAILED');
    await until(seen, 3);
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});

describe('parseFlexPayStatus', () => {
  it('copies only the protocol\'s fields, and rejects what is not the protocol', () => {
    const ok = parseFlexPayStatus('{"reference":"r1","status":"PENDING","final":false,"version":2,"receipt":"eyJ.x.y","extra":1}');
    expect(ok).to.deep.equal({ reference: 'r1', status: 'PENDING', final: false, version: 2 });
    expect(parseFlexPayStatus({ reference: 'r1', status: null, final: false, version: 0 })).to.deep.equal({ reference: 'r1', status: null, final: false, version: 0 });
    expect(parseFlexPayStatus({ reference: 'r1', status: 'FAILED', final: false, version: 3 })!.final, 'FAILED is final whatever the flag says').to.equal(true);
    for (const bad of ['not json', '{"reference":"r1","status":"APPROVED","final":false,"version":1}', { reference: 'r 1', status: null, final: false, version: 0 }, { reference: 'r1', status: null, final: false, version: -1 }, '{"__proto__":{"x":1},"reference":"r1","status":null,"final":false,"version":0}']) {
      expect(parseFlexPayStatus(bad), JSON.stringify(bad)).to.equal(undefined);
    }
  });
});
