import { expect } from '@open-wc/testing';
import '../../../src/components/finapi-web-form/define.js';
import { record, waitFor } from '../../helpers/frames.js';

/**
 * `environment` picks finAPI's real servers, which no test may reach. This page's own CSP (a
 * `<meta>` added before any element loads) allows scripts only from loopback, so the browser
 * refuses finAPI's script before any request leaves: the test sees which URL the loader chose, and
 * how a CSP refusal reaches the page — a `LOAD_FAILED` that names the origin to allow.
 */
before(() => {
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = "script-src 'self' 'unsafe-inline' 'unsafe-eval' http://localhost:* http://127.0.0.1:*";
  document.head.append(meta);
});

for (const [environment, origin] of [
  [null, 'https://webform-live.finapi.io'],
  ['live', 'https://webform-live.finapi.io'],
  ['sandbox', 'https://webform-sandbox.finapi.io'],
] as const) {
  it(`environment=${environment ?? '(none)'} loads finAPI's script from ${origin}; a CSP refusal is LOAD_FAILED naming it`, async () => {
    const el = document.createElement('finapi-web-form');
    if (environment) el.setAttribute('environment', environment);
    el.token = 'wf_env';
    const seen = record(el);
    const failed = waitFor<CustomEvent>(el, 'provider-error');
    document.body.append(el);
    await el.updateComplete;
    try {
      const script = document.getElementById('web-form-source') as HTMLScriptElement;
      expect(new URL(script.src).origin).to.equal(origin);
      expect(new URL(script.src).pathname).to.equal('/finapi-webform2.js');
      const error = await failed;
      expect(error.detail).to.include({ provider: 'finapi', code: 'LOAD_FAILED', fatal: true });
      expect(error.detail.message).to.contain(`script-src allows ${origin}`);
      expect(seen.map((r) => r.type)).to.deep.equal(['provider-error', 'provider-outcome']);
      expect(document.querySelector('[data-web-form-instance]')).to.equal(null);
    } finally {
      el.remove();
    }
  });
}

it('target-url wins over environment', async () => {
  const el = document.createElement('finapi-web-form');
  el.setAttribute('environment', 'sandbox');
  el.setAttribute('target-url', 'https://webform.finapi-general-staging.finapi.net/');
  el.token = 'wf_env';
  const failed = waitFor<CustomEvent>(el, 'provider-error');
  document.body.append(el);
  await el.updateComplete;
  try {
    const script = document.getElementById('web-form-source') as HTMLScriptElement;
    expect(script.src.startsWith('https://webform.finapi-general-staging.finapi.net/finapi-webform2.js?')).to.equal(true);
    expect((await failed).detail.code).to.equal('LOAD_FAILED');
  } finally {
    el.remove();
  }
});
