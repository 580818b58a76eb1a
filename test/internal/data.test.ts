import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { decodeMessage, toPlainData } from '../../src/internal/data.js';

describe('toPlainData', () => {
  it('copies JSON-like data and freezes it all the way down', () => {
    const source = { a: 1, b: ['x', { c: true, d: null }] };
    const copy = toPlainData(source) as any;
    expect(copy).to.deep.equal(source);
    expect(copy).not.to.equal(source);
    expect(Object.isFrozen(copy) && Object.isFrozen(copy.b) && Object.isFrozen(copy.b[1])).to.equal(true);
  });

  it('rejects prototype keys, whichever way they arrive', () => {
    expect(toPlainData(JSON.parse('{"step":"X","__proto__":{"polluted":true}}'))).to.equal(undefined);
    expect(toPlainData({ nested: JSON.parse('{"__proto__":1}') })).to.equal(undefined);
    expect(toPlainData({ constructor: { prototype: {} } })).to.equal(undefined);
    expect(toPlainData({ prototype: 1 })).to.equal(undefined);
    expect(({} as any).polluted).to.equal(undefined);
  });

  it('rejects what JSON cannot hold', () => {
    for (const value of [undefined, NaN, Infinity, () => 1, Symbol('s'), 10n, new Date(), new Map(), /x/, new Uint8Array(2)]) {
      expect(toPlainData(value), String(value)).to.equal(undefined);
    }
  });

  it('rejects data nested too deep or too large', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(toPlainData(deep)).to.equal(undefined);
    expect(toPlainData(new Array(5000).fill(1))).to.equal(undefined);
    expect(toPlainData('x'.repeat(20_000))).to.equal(undefined);
  });

  it('drops undefined members as JSON would', () => {
    expect(toPlainData({ a: undefined, b: 1 })).to.deep.equal({ b: 1 });
  });

  it('never throws and returns frozen values or undefined for anything (fuzzed)', () => {
    fc.assert(
      fc.property(fc.anything({ withMap: true, withSet: true, withDate: true, withTypedArray: true, withNullPrototype: true }), (value) => {
        const result = toPlainData(value);
        if (result !== null && typeof result === 'object') expect(Object.isFrozen(result)).to.equal(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeMessage', () => {
  it('parses JSON strings and takes objects as they are', () => {
    expect(decodeMessage('{"step":"A"}')).to.deep.equal({ step: 'A' });
    expect(decodeMessage({ step: 'A' })).to.deep.equal({ step: 'A' });
  });

  it('returns undefined for broken or oversized JSON', () => {
    expect(decodeMessage('{"step":')).to.equal(undefined);
    expect(decodeMessage(`"${'x'.repeat(70_000)}"`)).to.equal(undefined);
  });
});
