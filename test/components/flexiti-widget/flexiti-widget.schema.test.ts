import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  flexitiNextStep,
  flexitiOutcome,
  parseFlexitiMessage,
  type FlexitiFlow,
} from '../../../src/components/flexiti-widget/flexiti-widget.schema.js';

const FULL = {
  accountNumber: 2233000,
  verified: true,
  action: 'purchase',
  mfaOptionSelected: 'sms',
  widget_session_id: '0d9f3c1e-5b0a-4c7e-9a51-3f1c2b7d8e90',
  customerId: '1234567-12345',
  accountType: 'consumer',
};

describe('parseFlexitiMessage', () => {
  it('reads a full flx-success into camelCase data', () => {
    expect(parseFlexitiMessage({ eventType: 'flx-success', eventData: FULL })).to.deep.equal({
      kind: 'success',
      data: {
        accountNumber: 2233000,
        verified: true,
        action: 'purchase',
        mfaOptionSelected: 'sms',
        widgetSessionId: FULL.widget_session_id,
        customerId: '1234567-12345',
        accountType: 'consumer',
      },
    });
  });

  it('accepts an older widget that sends only accountNumber, verified and action', () => {
    const parsed = parseFlexitiMessage({ eventType: 'flx-success', eventData: { accountNumber: 1, verified: false, action: 'purchase' } });
    expect(parsed).to.deep.equal({ kind: 'success', data: { accountNumber: 1, verified: false, action: 'purchase' } });
  });

  it('never rejects a well-formed flx-success for an extra or a missing optional field', () => {
    expect(parseFlexitiMessage({ eventType: 'flx-success', eventData: { ...FULL, newField2027: { x: 1 } } })?.kind).to.equal('success');
    for (const key of Object.keys(FULL)) {
      const { [key]: _, ...rest } = FULL as Record<string, unknown>;
      expect(parseFlexitiMessage({ eventType: 'flx-success', eventData: rest })?.kind, key).to.equal('success');
    }
    expect(parseFlexitiMessage({ eventType: 'flx-success', eventData: {} })).to.deep.equal({
      kind: 'success',
      data: { accountNumber: null, verified: false, action: null },
    });
  });

  it('accepts every documented mfaOptionSelected spelling, and null', () => {
    for (const mfa of ['sms', 'email', 'security_question', 'security_answer', 'purchase', null]) {
      const parsed = parseFlexitiMessage({ eventType: 'flx-success', eventData: { ...FULL, mfaOptionSelected: mfa } }) as any;
      expect(parsed?.data.mfaOptionSelected, String(mfa)).to.equal(mfa);
    }
  });

  it('accepts widgetSessionId as well as widget_session_id', () => {
    const { widget_session_id: id, ...rest } = FULL;
    const parsed = parseFlexitiMessage({ eventType: 'flx-success', eventData: { ...rest, widgetSessionId: id } }) as any;
    expect(parsed.data.widgetSessionId).to.equal(id);
  });

  it('reads flx-failure with {error, message} under eventData or at the top level', () => {
    expect(parseFlexitiMessage({ eventType: 'flx-failure', eventData: { error: 500, message: 'Internal error' } })).to.deep.equal({
      kind: 'failure',
      status: 500,
      message: 'Internal error',
    });
    expect(parseFlexitiMessage({ eventType: 'flx-failure', error: 503, message: 'Down' })).to.deep.equal({ kind: 'failure', status: 503, message: 'Down' });
    expect(parseFlexitiMessage({ eventType: 'flx-failure', error: '500' })).to.deep.equal({ kind: 'failure', status: 500, message: undefined });
    expect(parseFlexitiMessage({ eventType: 'flx-failure' })).to.deep.equal({ kind: 'failure', status: undefined, message: undefined });
  });

  it('reads flx-cancel, with or without eventData', () => {
    expect(parseFlexitiMessage({ eventType: 'flx-cancel' })).to.deep.equal({ kind: 'cancel' });
    expect(parseFlexitiMessage('{"eventType":"flx-cancel"}')).to.deep.equal({ kind: 'cancel' });
  });

  describe('rejections', () => {
    const bad: Array<[string, unknown]> = [
      ['an unknown eventType', { eventType: 'flx-approve', eventData: FULL }],
      ['a missing eventType', { eventData: FULL }],
      ['verified that is not a boolean', { eventType: 'flx-success', eventData: { ...FULL, verified: 'true' } }],
      ['accountNumber as a string', { eventType: 'flx-success', eventData: { ...FULL, accountNumber: '2233000' } }],
      ['a negative or fractional accountNumber', { eventType: 'flx-success', eventData: { ...FULL, accountNumber: 1.5 } }],
      ['an action that is not a word', { eventType: 'flx-success', eventData: { ...FULL, action: '<b>purchase</b>' } }],
      ['flx-success without eventData', { eventType: 'flx-success' }],
      ['a __proto__ key in eventData', JSON.parse(`{"eventType":"flx-success","eventData":{"verified":true,"__proto__":{"verified":true}}}`)],
      ['a constructor key in eventData', { eventType: 'flx-success', eventData: { ...FULL, constructor: { prototype: {} } } }],
      ['an error that is not an HTTP status', { eventType: 'flx-failure', eventData: { error: 'boom' } }],
      ['broken JSON', '{"eventType":'],
      ['null', null],
    ];
    for (const [what, message] of bad) {
      it(`rejects ${what}`, () => expect(parseFlexitiMessage(message)).to.equal(undefined));
    }
  });
});

describe('flexitiOutcome and flexitiNextStep: the scenario table', () => {
  const rows: Array<[FlexitiFlow, number | null, boolean, string | null, string, string]> = [
    ['purchase', 2233000, true, 'purchase', 'verified', 'authorize-purchase'],
    ['purchase', 2233000, false, 'purchase', 'not-verified', 'choose-other-payment'],
    ['apply', 2233000, false, 'purchase', 'existing-account', 'start-purchase'],
    ['purchase', null, false, 'activation', 'activation-required', 'open-customer-portal'],
    ['apply', null, false, 'activation', 'activation-required', 'open-customer-portal'],
    ['purchase', null, false, 'apply', 'apply', 'start-application'],
    ['apply', null, true, 'apply', 'apply', 'submit-application'],
    ['apply', null, false, 'apply', 'apply', 'submit-application'],
    ['purchase', null, false, null, 'not-eligible', 'inform-not-eligible'],
    ['apply', null, false, null, 'not-eligible', 'inform-not-eligible'],
    ['purchase', null, false, 'retry', 'retry', 'retry-or-go-back'],
    ['apply', null, false, 'retry', 'retry', 'retry-or-go-back'],
  ];
  for (const [flow, accountNumber, verified, action, outcome, nextStep] of rows) {
    it(`${flow} flow, ${accountNumber === null ? 'null' : 'number'}, ${verified}, ${action} → ${outcome} / ${nextStep}`, () => {
      const got = flexitiOutcome(flow, { accountNumber, verified, action });
      expect(got).to.equal(outcome);
      expect(flexitiNextStep(got, flow)).to.equal(nextStep);
    });
  }

  it('maps cancel and error to their next steps', () => {
    expect(flexitiNextStep('cancelled', 'purchase')).to.equal('return-to-checkout');
    expect(flexitiNextStep('error', 'apply')).to.equal('retry-or-go-back');
  });

  it('gives the closest safe outcome to combinations the table does not name', () => {
    expect(flexitiOutcome('purchase', { accountNumber: null, verified: true, action: 'purchase' })).to.equal('not-verified');
    expect(flexitiOutcome('apply', { accountNumber: 1, verified: true, action: 'purchase' })).to.equal('existing-account');
    expect(flexitiOutcome('apply', { accountNumber: null, verified: true, action: 'purchase' })).to.equal('not-eligible');
    expect(flexitiOutcome('purchase', { accountNumber: 1, verified: true, action: null })).to.equal('not-eligible');
    expect(flexitiOutcome('purchase', { accountNumber: 1, verified: true, action: 'activation' })).to.equal('activation-required');
    expect(flexitiOutcome('purchase', { accountNumber: 1, verified: true, action: 'upgrade' })).to.equal('retry');
  });

  it('says verified only for the one row that allows /authorization (fuzzed)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<FlexitiFlow>('purchase', 'apply'),
        fc.option(fc.nat(), { nil: null }),
        fc.boolean(),
        fc.option(fc.constantFrom('purchase', 'apply', 'activation', 'retry', 'upgrade', 'PURCHASE', ''), { nil: null }),
        (flow, accountNumber, verified, action) => {
          const outcome = flexitiOutcome(flow, { accountNumber, verified, action });
          const row = flow === 'purchase' && accountNumber !== null && verified && action === 'purchase';
          expect(outcome === 'verified').to.equal(row);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws and never accepts non-protocol data (fuzzed)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ eventType: fc.constantFrom('flx-success', 'flx-failure', 'flx-cancel'), eventData: fc.anything() })), (value) => {
        const parsed = parseFlexitiMessage(value);
        if (parsed) expect(Object.isFrozen(parsed)).to.equal(true);
      }),
      { numRuns: 1000 },
    );
  });
});
