import { expect } from '@open-wc/testing';
import '../../../src/components/finapi-web-form/define.js';
import { FINAPI_LANGUAGES, type FinapiLanguage } from '../../../src/components/finapi-web-form/finapi-web-form.schema.js';
import { finapiText } from '../../../src/translations/finapi.js';
import { waitFor } from '../../helpers/frames.js';
import { runOutcomeSuite, type OutcomeCase } from '../../shared/outcome-suite.js';

/** finAPI's real loader, and a fake finAPI server on a second origin (see finapi-web-form.test.ts). */
const FAKE_ORIGIN = await (await fetch('/__finapi-fake-origin')).text();

interface FakeApi {
  complete(): void;
  fail(detail?: unknown): void;
  abort(): void;
}
const fake = () => (window as unknown as { fakeFinapiWebForm: FakeApi }).fakeFinapiWebForm;

let tokens = 0;
function finapi(attrs: Record<string, string> = {}, token: string | null = `wf_outcome_${++tokens}`) {
  const el = document.createElement('finapi-web-form');
  el.setAttribute('target-url', FAKE_ORIGIN);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  if (token) el.token = token;
  return el;
}

/** Appends `el`; with `act`, waits for finAPI's `loaded` and plays the user's end of the form. */
async function outcome(stage: HTMLElement, el: HTMLElement & { updateComplete: Promise<void> }, act?: (form: FakeApi) => void) {
  const ended = waitFor(el, 'provider-outcome');
  const ready = waitFor(el, 'provider-ready');
  stage.append(el);
  if (act) {
    await ready;
    act(fake());
  }
  await ended;
  await el.updateComplete;
  return el;
}

const text = (lang: string) => finapiText[lang as FinapiLanguage];
const others: Element[] = [];
afterEach(() => others.splice(0).forEach((el) => el.remove()));

const cases: OutcomeCase[] = [
  ...(
    [
      ['completed', (form: FakeApi) => form.complete()],
      ['failed', (form: FakeApi) => form.fail({ type: 'BACKEND_ERROR', code: 'BANK_SERVER_REJECTION', message: 'Rejected by the bank' })],
      ['aborted', (form: FakeApi) => form.abort()],
    ] as const
  ).map(
    ([slot, act]): OutcomeCase => ({
      slot,
      render: (stage) => outcome(stage, finapi(), act),
      expected: (lang) => text(lang).outcomes[slot],
    }),
  ),
  {
    slot: 'error',
    cause: 'load',
    // No web form script at that address: LOAD_FAILED.
    render: (stage) => outcome(stage, finapi({ 'target-url': `${FAKE_ORIGIN}/no-such-server` })),
    expected: (lang) => text(lang).outcomes.error,
  },
  {
    slot: 'error',
    cause: 'already-open',
    render: async (stage) => {
      // Somebody else's web form, outside the photographed stage.
      const other = finapi();
      const ready = waitFor(other, 'provider-ready');
      document.body.append(other);
      others.push(other);
      await ready;
      const el = await outcome(stage, finapi());
      expect(other.matches(':state(ready)'), 'the other form keeps working').to.equal(true);
      return el;
    },
    expected: (lang) => text(lang).alreadyOpen,
  },
  {
    slot: 'error',
    cause: 'config',
    // No token: INVALID_CONFIG.
    render: (stage) => outcome(stage, finapi({}, null)),
    expected: (lang) => text(lang).unavailable,
  },
];

runOutcomeSuite({ tag: 'finapi-web-form', langs: FINAPI_LANGUAGES, modal: false, cases });
