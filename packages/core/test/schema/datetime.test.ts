import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateTimeToMs } from '../../src/schema/datetime.js';

describe('dateTimeToMs', () => {
  it.each([
    ['2024-03-01T10:00:00Z', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01T10:00:00.2169889Z', Date.UTC(2024, 2, 1, 10, 0, 0, 216)],
    ['2024-03-01T10:00:00.9999999Z', Date.UTC(2024, 2, 1, 10, 0, 0, 999)],
    ['2024-03-01T10:00:00.5Z', Date.UTC(2024, 2, 1, 10, 0, 0, 500)],
    ['2024-03-01T10:00Z', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01T10:00:00', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01T10:00:00+01:00', Date.UTC(2024, 2, 1, 9)],
    ['2024-03-01T10:00:00.123-05:30', Date.UTC(2024, 2, 1, 15, 30, 0, 123)],
    ['2024-03-01T10:00:00+0100', Date.UTC(2024, 2, 1, 9)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['2024-03-01T24:00:00Z', Date.UTC(2024, 2, 2)],
    ['1970-01-01T00:00:00Z', 0],
    ['1969-12-31T23:59:59.999Z', -1],
    ['0001-01-01T00:00:00Z', -62_135_596_800_000],
  ])('%s', (text, expected) => {
    expect(dateTimeToMs(text)).toBe(expected);
  });

  it.each([
    '',
    '1',
    '2024',
    '2024-03-01',
    '2024-03-01 10:00:00Z',
    '2024-3-1T10:00:00Z',
    '2024-02-30T10:00:00Z',
    '2023-02-29T10:00:00Z',
    '1900-02-29T10:00:00Z',
    '2024-04-31T10:00:00Z',
    '2024-13-01T10:00:00Z',
    '2024-00-01T10:00:00Z',
    '2024-03-00T10:00:00Z',
    '2024-03-01T25:00:00Z',
    '2024-03-01T24:00:01Z',
    '2024-03-01T24:00:00.5Z',
    '2024-03-01T10:60:00Z',
    '2024-03-01T10:00:60Z',
    '2024-03-01T10:00:00.Z',
    '2024-03-01T10:00:00+01',
    '2024-03-01T10:00:00+24:00',
    '2024-03-01T10:00:00+01:60',
    '2024-03-01T10:00:00z',
    '2024-03-01T10:00:00ZZ',
    '2024-03-01T10:00:00 Z',
    '2024-03-01T1a:00:00Z',
    'Fri, 01 Mar 2024 10:00:00 GMT',
    '+002024-03-01T10:00:00Z',
  ])('rejects %j', (text) => {
    expect(dateTimeToMs(text)).toBeNull();
  });

  it('agrees with Date.parse on the ECMAScript date-time format (property)', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        fc.constantFrom('', '0', '0000'),
        (date, offset, tail) => {
          // the wall clock of `date` in a zone `offset` minutes east of UTC
          const wall = new Date(date.getTime() + offset * 60_000);
          if (wall.getUTCFullYear() < 0 || wall.getUTCFullYear() > 9999) return;
          const zone = `${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
          const text = `${wall.toISOString().slice(0, 23)}${tail}${zone}`;
          expect(dateTimeToMs(text)).toBe(Date.parse(`${wall.toISOString().slice(0, 23)}${zone}`));
          expect(dateTimeToMs(text)).toBe(date.getTime());
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });
});
