import '../../../src/components/benji-connect/define.js';
import { benjiText } from '../../../src/translations/benji.js';
import { LANGS, type Lang } from '../../../src/translations/types.js';
import { PROVIDER_ORIGIN } from '../../helpers/frames.js';
import { frameError, frameOutcome, runOutcomeSuite, type OutcomeCase } from '../../shared/outcome-suite.js';

function benji(modal: boolean, src = `${PROVIDER_ORIGIN}/demo/fake/benji/index.html`) {
  const el = document.createElement('benji-connect');
  el.src = src;
  el.token = 'ct_test_token';
  el.modal = modal;
  return el;
}

const text = (lang: string) => benjiText[lang as Lang];

const cases: OutcomeCase[] = [
  // After a success Benji keeps its dialog open for its own confirmation; its exit closes it.
  ...(['connect', 'transfer', 'redeem'] as const).map(
    (action): OutcomeCase => ({
      slot: 'success',
      cause: action,
      render: (stage, modal) =>
        frameOutcome(stage, benji(modal), modal, 'benji', [
          { type: 'FLOW_SUCCESS', data: { action, token: 'at_test' } },
          ...(modal ? [{ type: 'FLOW_EXIT', data: { step: 'success', trigger: 'ACTION_BUTTON_CLICKED' } }] : []),
        ]),
      expected: (lang) => text(lang).actions[action],
    }),
  ),
  {
    slot: 'exit',
    render: (stage, modal) => frameOutcome(stage, benji(modal), modal, 'benji', [{ type: 'FLOW_EXIT', data: { step: 'partner_select', trigger: 'CLOSE_BUTTON_CLICKED' } }]),
    expected: (lang) => text(lang).outcomes.exit,
  },
  ...(
    [
      ['unexpected_error', 'failed'],
      ['partner_connect_error', 'partnerError'],
    ] as const
  ).map(
    ([error, key]): OutcomeCase => ({
      slot: 'error',
      cause: error.replace(/_/g, '-'),
      render: (stage, modal) => frameOutcome(stage, benji(modal), modal, 'benji', [{ type: 'ERROR', data: { error, error_id: 'err_1' } }]),
      expected: (lang) => text(lang)[key],
    }),
  ),
  {
    slot: 'error',
    cause: 'load',
    // A frame that answers only after 5 s: LOAD_TIMEOUT.
    render: (stage, modal) => frameError(stage, Object.assign(benji(modal, `${PROVIDER_ORIGIN}/__slow`), { loadTimeout: 150 }), modal),
    expected: (lang) => text(lang).outcomes.error,
  },
  {
    slot: 'error',
    cause: 'config',
    render: (stage, modal) => frameError(stage, Object.assign(benji(modal), { token: undefined }), modal),
    expected: (lang) => text(lang).unavailable,
  },
];

runOutcomeSuite({ tag: 'benji-connect', langs: LANGS, modal: true, cases });
