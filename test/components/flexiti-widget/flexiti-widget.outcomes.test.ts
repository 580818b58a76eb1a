import '../../../src/components/flexiti-widget/define.js';
import { flexitiText } from '../../../src/translations/flexiti.js';
import { LANGS, type Lang } from '../../../src/translations/types.js';
import { PROVIDER_ORIGIN } from '../../helpers/frames.js';
import { frameError, frameOutcome, runOutcomeSuite, type OutcomeCase } from '../../shared/outcome-suite.js';

function flexiti(modal: boolean, flow: 'purchase' | 'apply' = 'purchase', base = `${PROVIDER_ORIGIN}/demo/fake/flexiti/index.html`) {
  const el = document.createElement('flexiti-widget');
  el.src = `${base}#/widget/client-1/token-1?x-reference-id=ref-1`;
  el.flow = flow;
  el.modal = modal;
  return el;
}

const success = (eventData: Record<string, unknown>) => ({
  eventType: 'flx-success',
  eventData: { widget_session_id: '0d9f3c1e-5b0a-4c7e-9a51-3f1c2b7d8e90', ...eventData },
});
const text = (lang: string) => flexitiText[lang as Lang];

/** Each row of Flexiti's scenario table, the cancel, and a failure in mid-flow. */
const ROWS = [
  ['verified', undefined, 'purchase', success({ accountNumber: 2233000, verified: true, action: 'purchase' })],
  ['not-verified', undefined, 'purchase', success({ accountNumber: 2233000, verified: false, action: 'purchase' })],
  ['existing-account', undefined, 'apply', success({ accountNumber: 2233000, verified: false, action: 'purchase' })],
  ['activation-required', undefined, 'purchase', success({ accountNumber: null, verified: false, action: 'activation' })],
  ['apply', 'purchase-flow', 'purchase', success({ accountNumber: null, verified: false, action: 'apply' })],
  ['apply', 'apply-flow', 'apply', success({ accountNumber: null, verified: true, action: 'apply' })],
  ['not-eligible', undefined, 'purchase', success({ accountNumber: null, verified: false, action: null })],
  ['retry', undefined, 'purchase', success({ accountNumber: null, verified: false, action: 'retry' })],
  ['cancelled', undefined, 'purchase', { eventType: 'flx-cancel' }],
  ['error', 'failure', 'purchase', { eventType: 'flx-failure', eventData: { error: 500, message: 'Internal Server Error' } }],
] as const;

const cases: OutcomeCase[] = [
  ...ROWS.map(
    ([slot, cause, flow, message]): OutcomeCase => ({
      slot,
      ...(cause ? { cause } : {}),
      render: (stage, modal) => frameOutcome(stage, flexiti(modal, flow), modal, 'flexiti', [message]),
      expected: (lang) => (cause === 'apply-flow' ? text(lang).applySubmit : cause === 'failure' ? text(lang).failed : text(lang).outcomes[slot]),
    }),
  ),
  {
    slot: 'error',
    cause: 'load',
    // A frame that answers only after 5 s: LOAD_TIMEOUT.
    render: (stage, modal) => frameError(stage, Object.assign(flexiti(modal, 'purchase', `${PROVIDER_ORIGIN}/__slow`), { loadTimeout: 150 }), modal),
    expected: (lang) => text(lang).outcomes.error,
  },
  {
    slot: 'error',
    cause: 'config',
    render: (stage, modal) => {
      const el = flexiti(modal);
      el.removeAttribute('src');
      return frameError(stage, el, modal);
    },
    expected: (lang) => text(lang).unavailable,
  },
];

runOutcomeSuite({ tag: 'flexiti-widget', langs: LANGS, modal: true, cases });
