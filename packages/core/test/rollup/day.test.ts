import { describe, expect, it } from 'vitest';
import { dayOfTimestamp } from '../../src/rollup/day.js';

/** The reference: Intl's calendar day in a zone, as dayOfTimestamp wrote every day before its UTC fast path. */
const formats = new Map<string, Intl.DateTimeFormat>();
function intlDay(tz: string, ms: number): string {
  if (!formats.has(tz)) formats.set(tz, new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }));
  const parts = formats.get(tz)!.formatToParts(ms);
  const part = (type: string): string => parts.find((p) => p.type === type)!.value;
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

describe('dayOfTimestamp', () => {
  it('gives UTC days without Intl exactly as Intl does, across the years it covers and at their edges', () => {
    const dayOf = dayOfTimestamp('UTC');
    const edges = ['0001-01-01T00:00:00Z', '0099-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', '2024-02-29T23:59:59.999Z', '9999-12-31T23:59:59.999Z'];
    const samples = edges.map((iso) => Date.parse(iso));
    // a seeded walk over 0001..9999 (multiplicative congruential, no Math.random)
    let seed = 12345;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 48271) % 2147483647;
      samples.push(Date.parse('0001-01-01T00:00:00Z') + (seed / 2147483647) * (Date.parse('9999-12-31T00:00:00Z') - Date.parse('0001-01-01T00:00:00Z')));
    }
    for (const ms of samples) expect(dayOf(Math.floor(ms)), new Date(ms).toISOString()).toBe(intlDay('UTC', Math.floor(ms)));
  });

  it('leaves days outside years 1..9999 to Intl (its era years, not ISO signs)', () => {
    const dayOf = dayOfTimestamp('UTC');
    for (const iso of ['0000-12-31T23:59:59.999Z', '-000050-06-01T00:00:00Z', '+010000-01-01T00:00:00Z', '+012345-06-07T08:00:00Z']) {
      const ms = Date.parse(iso);
      expect(dayOf(ms), iso).toBe(intlDay('UTC', ms));
    }
  });

  it('gives local days in other zones, midnight jumps included', () => {
    const helsinki = dayOfTimestamp('Europe/Helsinki');
    for (const iso of ['2024-03-30T21:59:59.999Z', '2024-03-30T22:00:00Z', '2024-10-26T20:59:59Z', '2024-10-26T21:00:00Z']) {
      expect(helsinki(Date.parse(iso)), iso).toBe(intlDay('Europe/Helsinki', Date.parse(iso)));
    }
  });
});
