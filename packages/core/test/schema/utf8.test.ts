/** firstInvalidUtf8 agrees with Node's isUtf8 and points at the first ill-formed sequence. */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from '../../src/schema/utf8.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('firstInvalidUtf8', () => {
  it.each([
    ['ASCII', bytes(0x7b, 0x7d), -1],
    ['2, 3 and 4 byte forms', Buffer.from('é€😀', 'utf8'), -1],
    ['the largest code point', bytes(0xf4, 0x8f, 0xbf, 0xbf), -1],
    ['a lone continuation byte', bytes(0x61, 0x80), 1],
    ['an overlong 2-byte form', bytes(0xc0, 0xaf), 0],
    ['an overlong 3-byte form', bytes(0x61, 0xe0, 0x80, 0xaf), 1],
    ['a surrogate', bytes(0xed, 0xa0, 0x80), 0],
    ['above U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ['a lead byte then ASCII (Latin-1 text)', Buffer.from('{"name":"Jürgen"}', 'latin1'), 10],
    ['a sequence cut by the end', bytes(0x61, 0x62, 0xe2, 0x82), 2],
    ['0xff', bytes(0xff), 0],
  ])('%s', (_, input, at) => {
    expect(firstInvalidUtf8(input)).toBe(at);
    expect(isUtf8(input)).toBe(at === -1);
  });

  it('reads only [start, end) and answers relative to start', () => {
    const buffer = bytes(0xff, 0x61, 0x62, 0xc3, 0x28, 0xff);
    expect(firstInvalidUtf8(buffer, 1, 3)).toBe(-1);
    expect(firstInvalidUtf8(buffer, 1, 5)).toBe(2);
    expect(firstInvalidUtf8(buffer, 1, 4)).toBe(2); // cut by the range's end
  });

  it('agrees with isUtf8; the bytes before its answer are valid, the sequence at it is not (property)', () => {
    const byte = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0xff }),
      fc.constantFrom(0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0x80, 0xbf, 0x9f, 0xa0, 0x8f, 0x90),
    );
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 24 }), (values) => {
        const input = Uint8Array.from(values);
        const at = firstInvalidUtf8(input);
        expect(at === -1).toBe(isUtf8(input));
        if (at >= 0) {
          expect(isUtf8(input.subarray(0, at))).toBe(true);
          expect(firstInvalidUtf8(input.subarray(at))).toBe(0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
