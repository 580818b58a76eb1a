import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  flinksCodeStatus,
  flinksErrorCategory,
  parseFlinksMessage,
} from '../../../src/components/flinks-connect/flinks-connect.schema.js';

const LOGIN = 'b92b2bbd-31f8-4e36-795b-08db4111f24d';
const REQUEST = 'de4d15c4-5738-4004-81b2-fb28c5e4c1a0';
const RESULT_URL = `https://toolbox-iframe.private.fin.ag/v2/Result/FlinksCapital/${LOGIN}?demo=true&loginId=${LOGIN}&institution=FlinksCapital`;

describe('parseFlinksMessage', () => {
  describe('user steps', () => {
    it('reads a step and keeps its metadata without the step', () => {
      const parsed = parseFlinksMessage({ step: 'COMPONENT_LOAD_ACCOUNT_SELECTION', totalAccounts: 3, displayedAccounts: 2 });
      expect(parsed).to.deep.equal({ kind: 'step', step: 'COMPONENT_LOAD_ACCOUNT_SELECTION', data: { totalAccounts: 3, displayedAccounts: 2 } });
      expect(Object.isFrozen(parsed) && Object.isFrozen((parsed as any).data)).to.equal(true);
    });

    it('reads the JSON string form (stringify=true) the same way', () => {
      expect(parseFlinksMessage('{"step":"INSTITUTION_SELECTED","institution":"FlinksCapital"}')).to.deep.equal({
        kind: 'step',
        step: 'INSTITUTION_SELECTED',
        data: { institution: 'FlinksCapital' },
      });
    });

    it('accepts step names it has never seen', () => {
      expect(parseFlinksMessage({ step: 'SOME_NEW_STEP_2027' })).to.deep.include({ kind: 'step', step: 'SOME_NEW_STEP_2027' });
    });
  });

  describe('REDIRECT', () => {
    it('takes loginId, requestId and institution as fields', () => {
      const parsed = parseFlinksMessage({ step: 'REDIRECT', loginId: LOGIN, requestId: REQUEST, institution: 'FlinksCapital' });
      expect(parsed).to.deep.equal({
        kind: 'redirect',
        data: { loginId: LOGIN, requestId: REQUEST, institution: 'FlinksCapital', accountIds: [] },
      });
    });

    it('takes loginId and institution from the url when only the url has them', () => {
      const parsed = parseFlinksMessage({ step: 'REDIRECT', url: RESULT_URL }) as any;
      expect(parsed.data).to.deep.equal({ loginId: LOGIN, institution: 'FlinksCapital', accountIds: [], url: RESULT_URL });
    });

    it('prefers the field over the url when both are present', () => {
      const other = '11111111-2222-3333-4444-555555555555';
      const parsed = parseFlinksMessage({ step: 'REDIRECT', loginId: other, url: RESULT_URL }) as any;
      expect(parsed.data.loginId).to.equal(other);
    });

    it('reads accountId as a string, a comma-separated string, an array, or url parameters', () => {
      const ids = (message: object) => (parseFlinksMessage({ step: 'REDIRECT', loginId: LOGIN, ...message }) as any).data.accountIds;
      expect(ids({ accountId: 'a1' })).to.deep.equal(['a1']);
      expect(ids({ accountId: 'a1, a2' })).to.deep.equal(['a1', 'a2']);
      expect(ids({ accountId: ['a1', 'a2,a3', 'a1'] })).to.deep.equal(['a1', 'a2', 'a3']);
      expect(ids({ url: 'https://merchant.example/done?accountId=a1,a2&accountId=a4' })).to.deep.equal(['a1', 'a2', 'a4']);
      expect(Object.isFrozen(ids({ accountId: 'a1' }))).to.equal(true);
    });

    it('rejects a REDIRECT without a loginId, or with a bad one', () => {
      expect(parseFlinksMessage({ step: 'REDIRECT', institution: 'FlinksCapital' })).to.equal(undefined);
      expect(parseFlinksMessage({ step: 'REDIRECT', loginId: 'has spaces' })).to.equal(undefined);
      expect(parseFlinksMessage({ step: 'REDIRECT', loginId: '<script>' })).to.equal(undefined);
      expect(parseFlinksMessage({ step: 'REDIRECT', url: 'https://merchant.example/?loginId=%3Cb%3E' })).to.equal(undefined);
    });

    it('rejects a REDIRECT whose url is not http(s)', () => {
      expect(parseFlinksMessage({ step: 'REDIRECT', loginId: LOGIN, url: 'javascript:alert(1)//?loginId=x' })).to.equal(undefined);
      expect(parseFlinksMessage({ step: 'REDIRECT', loginId: LOGIN, url: 'https://' })).to.equal(undefined);
    });
  });

  describe('API events', () => {
    it('reads a flinksCode with its requestId and institution', () => {
      expect(parseFlinksMessage({ requestId: REQUEST, flinksCode: 'INVALID_PASSWORD', institution: 'FlinksCapital' })).to.deep.equal({
        kind: 'api',
        code: 'INVALID_PASSWORD',
        requestId: REQUEST,
        institution: 'FlinksCapital',
      });
    });

    it('knows the documented HTTP status of each code, and none for an unknown one', () => {
      expect(flinksCodeStatus('OPERATION_PENDING')).to.equal(202);
      expect(flinksCodeStatus('SESSION_NONEXISTENT')).to.equal(400);
      expect(flinksCodeStatus('INVALID_PASSWORD')).to.equal(401);
      expect(flinksCodeStatus('NO_TRANSACTION')).to.equal(404);
      expect(flinksCodeStatus('DISABLED_INSTITUTION')).to.equal(405);
      expect(flinksCodeStatus('AGGREGATION_ERROR')).to.equal(500);
      expect(flinksCodeStatus('METHOD_NOT_AVAILABLE')).to.equal(501);
      expect(flinksCodeStatus('INVALID')).to.equal(undefined);
      expect(flinksCodeStatus('A_NEW_CODE')).to.equal(undefined);
    });

    it('gives each code a category of message', () => {
      expect(flinksErrorCategory('INVALID_PASSWORD')).to.equal('credentials');
      expect(flinksErrorCategory('INVALID_SECURITY_RESPONSE')).to.equal('mfa');
      expect(flinksErrorCategory('SESSION_EXPIRED')).to.equal('session');
      expect(flinksErrorCategory('A_NEW_CODE')).to.equal('generic');
    });

    it('tells pending work (202) from failures, and each failure by what the shopper can do', () => {
      const categories = Object.fromEntries(
        [
          'OPERATION_PENDING',
          'OPERATION_DISPATCHED',
          'CARD_IN_USE',
          'INVALID_SECURITY_RESPONSE_NO_RETRY',
          'TOO_MANY_REQUESTS',
          'CONCURRENT_SESSION',
          'NEW_ACCOUNT',
          'DISABLED_LOGIN',
          'NO_TRANSACTION',
          'AGGREGATION_ERROR',
        ].map((code) => [code, flinksErrorCategory(code)]),
      );
      expect(categories).to.deep.equal({
        OPERATION_PENDING: 'pending',
        OPERATION_DISPATCHED: 'pending',
        CARD_IN_USE: 'pending',
        INVALID_SECURITY_RESPONSE_NO_RETRY: 'mfaFinal',
        TOO_MANY_REQUESTS: 'busy',
        CONCURRENT_SESSION: 'concurrent',
        NEW_ACCOUNT: 'bankAction',
        DISABLED_LOGIN: 'disabled',
        NO_TRANSACTION: 'noTransactions',
        AGGREGATION_ERROR: 'generic',
      });
    });
  });

  describe('rejections', () => {
    const bad: Array<[string, unknown]> = [
      ['a step that is not a string', { step: 42 }],
      ['an empty step', { step: '' }],
      ['markup as a step', { step: '<img src=x onerror=alert(1)>' }],
      ['a code that is not a string', { flinksCode: 7 }],
      ['neither step nor code', { hello: 'world' }],
      ['null', null],
      ['a number', 42],
      ['an array', [{ step: 'APP_MOUNTED' }]],
      ['broken JSON', '{"step":'],
      ['a string that is not JSON', 'APP_MOUNTED'],
      ['a __proto__ key (JSON)', '{"step":"APP_MOUNTED","__proto__":{"polluted":true}}'],
      ['a __proto__ key (object)', JSON.parse('{"step":"APP_MOUNTED","meta":{"__proto__":{"polluted":true}}}')],
      ['a Date', { step: 'APP_MOUNTED', at: new Date() }],
    ];
    for (const [what, message] of bad) {
      it(`rejects ${what}`, () => {
        expect(parseFlinksMessage(message)).to.equal(undefined);
        expect(({} as any).polluted).to.equal(undefined);
      });
    }
  });

  describe('fuzzed', () => {
    it('never throws, and whatever it accepts is frozen and well-formed', () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything(), fc.jsonValue(), fc.json(), fc.record({ step: fc.anything() })), (value) => {
          const parsed = parseFlinksMessage(value);
          if (parsed === undefined) return;
          expect(Object.isFrozen(parsed)).to.equal(true);
          expect(['step', 'redirect', 'api']).to.include(parsed.kind);
          if (parsed.kind === 'step') expect(parsed.step).to.match(/^[A-Za-z0-9_.:-]{1,128}$/);
        }),
        { numRuns: 1000 },
      );
    });

    it('accepts every well-formed step with any JSON metadata', () => {
      const step = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,40}$/).filter((s) => s !== 'REDIRECT');
      const key = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !['__proto__', 'constructor', 'prototype', 'step'].includes(k));
      // Prototype keys are rejected at any depth (tested above), so none may hide in nested values.
      const safeJson = fc.jsonValue({ maxDepth: 3 }).filter((v) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(v)));
      fc.assert(
        fc.property(step, fc.dictionary(key, safeJson, { maxKeys: 5 }), (name, meta) => {
          const parsed = parseFlinksMessage({ ...meta, step: name });
          expect(parsed?.kind).to.equal('step');
          expect(JSON.parse(JSON.stringify((parsed as any).data))).to.deep.equal(JSON.parse(JSON.stringify(meta)));
        }),
        { numRuns: 300 },
      );
    });

    it('finds the loginId in any REDIRECT that has one, in either shape', () => {
      fc.assert(
        fc.property(fc.uuid(), fc.boolean(), fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxLength: 4 }), (loginId, inUrl, accounts) => {
          const message = inUrl
            ? { step: 'REDIRECT', url: `https://toolbox-iframe.private.fin.ag/v2/Result?loginId=${loginId}&accountId=${accounts.join(',')}` }
            : { step: 'REDIRECT', loginId, accountId: accounts };
          const parsed = parseFlinksMessage(message) as any;
          expect(parsed.data.loginId).to.equal(loginId);
          expect(parsed.data.accountIds).to.deep.equal([...new Set(accounts)]);
        }),
        { numRuns: 300 },
      );
    });
  });
});
