import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKey, encodeValue } from '../../src/rollup/keys.js';

const cell = fc.oneof(fc.constant(null), fc.boolean(), fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
const encode = (values: readonly (string | number | boolean | null)[]): string => values.map(encodeValue).join('');

describe('group keys', () => {
  it('round-trips any tuple of cells, including strings that look like encodings', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 4 }), (values) => {
        expect(decodeKey(encode(values))).toEqual(values.map((v) => (Object.is(v, -0) ? 0 : v)));
      }),
    );
    const tricky = ['', 'z', 's3:abc', 'n1;', ':', ';', 'ä☃', null, 'null'];
    expect(decodeKey(encode(tricky))).toEqual(tricky);
  });

  it('never gives two different tuples the same key', () => {
    expect(encode(['ab', 'c'])).not.toBe(encode(['a', 'bc']));
    expect(encode([null])).not.toBe(encode(['z']));
    expect(encode([''])).not.toBe(encode([null]));
    expect(encode([1])).not.toBe(encode(['1']));
    expect(encode([true])).not.toBe(encode(['t']));
  });

  it('rejects malformed keys', () => {
    for (const bad of ['x', 's5:ab', 'n12', 's:ab', 'sx:ab']) expect(() => decodeKey(bad)).toThrow(/group key/);
  });
});
