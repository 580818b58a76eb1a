import { expect } from '@open-wc/testing';
import '../../../src/components/flexpay-status/define.js';
import { flexpayText } from '../../../src/translations/flexpay.js';
import { LANGS, type Lang } from '../../../src/translations/types.js';
import { PROVIDER_ORIGIN, waitFor } from '../../helpers/frames.js';
import { runOutcomeSuite, type OutcomeCase } from '../../shared/outcome-suite.js';

/** finframe/server's FlexPay receiver and status stream run in the test server (scripts/wtr-flexpay.mjs). */
let orders = 0;
async function watch(stage: HTMLElement, status: 'PENDING' | 'SUCCESSFUL' | 'FAILED') {
  const reference = `order-outcome-${Date.now().toString(36)}-${++orders}`;
  const el = document.createElement('flexpay-status');
  el.setAttribute('reference', reference);
  el.setAttribute('src', '/__flexpay/status');
  const ready = waitFor(el, 'provider-ready');
  const changed = waitFor(el, 'provider-event');
  stage.append(el);
  await ready;
  // FlexPay's callback, signed, through the receiver; the element hears it on its stream.
  const response = await fetch('/__flexpay/send', { method: 'POST', body: JSON.stringify({ reference, status }) });
  expect(response.ok).to.equal(true);
  await changed;
  await el.updateComplete;
  return el;
}

const text = (lang: string) => flexpayText[lang as Lang];

const cases: OutcomeCase[] = [
  ...(
    [
      ['pending', 'PENDING'],
      ['successful', 'SUCCESSFUL'],
      ['failed', 'FAILED'],
    ] as const
  ).map(
    ([slot, status]): OutcomeCase => ({
      slot,
      render: (stage) => watch(stage, status),
      expected: (lang) => text(lang).outcomes[slot],
    }),
  ),
  {
    slot: 'error',
    cause: 'config',
    render: async (stage) => {
      const el = document.createElement('flexpay-status');
      el.setAttribute('reference', 'order-1');
      // Another origin without status-origin: INVALID_CONFIG.
      el.setAttribute('src', `${PROVIDER_ORIGIN}/__flexpay/status`);
      const ended = waitFor(el, 'provider-outcome');
      stage.append(el);
      await ended;
      await el.updateComplete;
      return el;
    },
    expected: (lang) => text(lang).outcomes.error,
  },
];

runOutcomeSuite({ tag: 'flexpay-status', langs: LANGS, modal: false, cases });
