import '../../../src/components/flinks-connect/define.js';
import { flinksText } from '../../../src/translations/flinks.js';
import { LANGS, type Lang } from '../../../src/translations/types.js';
import { PROVIDER_ORIGIN } from '../../helpers/frames.js';
import { frameError, frameOutcome, runOutcomeSuite, type OutcomeCase } from '../../shared/outcome-suite.js';

const LOGIN = 'b92b2bbd-31f8-4e36-795b-08db4111f24d';
const REQUEST = 'de4d15c4-5738-4004-81b2-fb28c5e4c1a0';

function flinks(modal: boolean, params: Record<string, string> = {}) {
  const el = document.createElement('flinks-connect');
  el.src = `${PROVIDER_ORIGIN}/demo/fake/flinks/index.html?${new URLSearchParams({ demo: 'true', ...params })}`;
  el.modal = modal;
  return el;
}

const text = (lang: string) => flinksText[lang as Lang];

const cases: OutcomeCase[] = [
  ...(
    [
      ['connected', { step: 'REDIRECT', loginId: LOGIN, requestId: REQUEST, institution: 'FlinksCapital' }],
      ['closed', { step: 'COMPONENT_CLOSE_SESSION', institution: 'FlinksCapital' }],
      ['expired', { step: 'SESSION_EXPIRED' }],
    ] as const
  ).map(
    ([slot, message]): OutcomeCase => ({
      slot,
      render: (stage, modal) => frameOutcome(stage, flinks(modal), modal, 'flinks', [message]),
      expected: (lang) => text(lang).outcomes[slot],
    }),
  ),
  {
    slot: 'error',
    cause: 'load',
    // The fake with mute=1 says nothing: LOAD_TIMEOUT.
    render: (stage, modal) => frameError(stage, Object.assign(flinks(modal, { mute: '1' }), { loadTimeout: 150 }), modal),
    expected: (lang) => text(lang).outcomes.error,
  },
  {
    slot: 'error',
    cause: 'config',
    render: (stage, modal) => {
      const el = flinks(modal);
      el.removeAttribute('src');
      el.instance = 'not an instance!';
      return frameError(stage, el, modal);
    },
    expected: (lang) => text(lang).unavailable,
  },
];

runOutcomeSuite({ tag: 'flinks-connect', langs: LANGS, modal: true, cases });
