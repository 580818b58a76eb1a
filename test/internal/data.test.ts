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

  it('stops at the node budget while walking an object, undefined members included: at most ~2,000 of 1,000,000 getters run', function () {
    this.timeout(60_000);
    let reads = 0;
    const get = () => {
      reads++;
      return undefined;
    };
    const huge = {};
    // Integer keys: the quickest way to give an object a million getters in every engine.
    for (let i = 0; i < 1_000_000; i++) Object.defineProperty(huge, i, { get, enumerable: true, configurable: true });
    const result = toPlainData(huge);
    expect(reads).to.be.greaterThan(0).and.at.most(2_000);
    expect(result).to.equal(undefined);
  });

  it('refuses a huge array before reading one element', () => {
    let reads = 0;
    const huge = new Proxy(new Array(1_000_000), {
      get: (target, key) => {
        if (key !== 'length' && typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key);
      },
    });
    expect(toPlainData(huge)).to.equal(undefined);
    expect(reads).to.equal(0);
  });

  it('counts undefined members against the budget, but keeps data within it', () => {
    const padded: Record<string, unknown> = { kept: 1 };
    for (let i = 0; i < 5_000; i++) padded[`pad${i}`] = undefined;
    expect(toPlainData(padded)).to.equal(undefined);
    const small: Record<string, unknown> = {};
    for (let i = 0; i < 1_900; i++) small[`k${i}`] = i % 2 ? undefined : i;
    expect(Object.keys(toPlainData(small) as object)).to.have.length(950);
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
