import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationToMs } from '../../src/schema/duration.js';

/**
 * Slow exact reference, written independently of the implementation: a regular expression decides
 * validity, BigInt arithmetic gives the exact value as a decimal string, Number() rounds it once.
 */
const REFERENCE = /^(-)?P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
const UNIT_MS = [604_800_000n, 86_400_000n, 3_600_000n, 60_000n, 1_000n];

function reference(text: string): number | null {
  const match = REFERENCE.exec(text);
  if (match === null) return null;
  const parts = match.slice(2, 7);
  const present = parts.map((part, index) => ({ part, index })).filter((entry) => entry.part !== undefined);
  if (present.length === 0) return null;
  if (text.includes('T') && !present.some((entry) => entry.index >= 2)) return null;
  if (present.slice(0, -1).some((entry) => /[.,]/.test(entry.part!))) return null;
  let scaleDigits = 0;
  for (const { part } of present) scaleDigits = Math.max(scaleDigits, part!.split(/[.,]/)[1]?.length ?? 0);
  let numerator = 0n;
  for (const { part, index } of present) {
    const [whole, fraction = ''] = part!.split(/[.,]/);
    const digits = BigInt(whole! + fraction.padEnd(scaleDigits, '0'));
    numerator += digits * UNIT_MS[index]!;
  }
  const padded = numerator.toString().padStart(scaleDigits + 1, '0');
  const decimal = scaleDigits === 0 ? padded : `${padded.slice(0, padded.length - scaleDigits)}.${padded.slice(padded.length - scaleDigits)}`;
  const value = Number(decimal);
  if (!Number.isFinite(value)) return null;
  if (value === 0) return 0;
  return match[1] === '-' ? -value : value;
}

describe('durationToMs', () => {
  it.each([
    ['PT0.016S', 16],
    ['PT0.03S', 30],
    ['PT0.5S', 500],
    ['PT0.0301S', 30.1],
    ['PT0.0305S', 30.5],
    ['PT0.03001S', 30.01],
    ['PT0.1S', 100],
    ['PT0.0001S', 0.1],
    ['PT0S', 0],
    ['PT0.000S', 0],
    ['PT1M2.5S', 62_500],
    ['PT1H', 3_600_000],
    ['PT0.5H', 1_800_000],
    ['PT1.5M', 90_000],
    ['P1D', 86_400_000],
    ['P1.5D', 129_600_000],
    ['P2W', 1_209_600_000],
    ['P1W1D', 691_200_000],
    ['P0DT0H0M0.5S', 500],
    ['P1DT2H3M4.005S', 93_784_005],
    ['PT0,5S', 500],
    ['PT36H', 129_600_000],
    ['PT90M', 5_400_000],
    ['PT0.0160000000000000000000S', 16],
    ['-PT1S', -1000],
    ['-PT0.016S', -16],
  ])('%s is %d ms', (text, expected) => {
    expect(Object.is(durationToMs(text), expected)).toBe(true);
  });

  it('gives +0 for a negative zero', () => {
    expect(Object.is(durationToMs('-PT0S'), 0)).toBe(true);
    expect(Object.is(durationToMs('-P0D'), 0)).toBe(true);
  });

  it('matches the decimal literal exactly at CQD thresholds', () => {
    // jitter 30 ms and round trip 500 ms are classification thresholds: no drift around them
    expect(durationToMs('PT0.03S')! > 30).toBe(false);
    expect(durationToMs('PT0.0300001S')! > 30).toBe(true);
    expect(durationToMs('PT0.5S')! > 500).toBe(false);
    expect(durationToMs('PT0.5000001S')).toBe(500.0001);
    for (let n = 0; n <= 2000; n++) {
      const text = `PT${Math.floor(n / 1000)}.${String(n % 1000).padStart(3, '0')}1S`;
      expect(durationToMs(text)).toBe(Number(`${n}.1`));
    }
  });

  it.each([
    '',
    'P',
    'PT',
    'P1DT',
    'T1S',
    'PT1',
    'PT0.0x16S',
    'PT.5S',
    'PT5.S',
    'PT1.5M2S',
    'P1.5DT1H',
    'P1Y',
    'P1M',
    'P1Y2M3D',
    'PT1S1M',
    'PT1H1H',
    'P1D1W',
    'PT1D',
    'P1H',
    'pt1s',
    'PT1s',
    '+PT1S',
    '--PT1S',
    ' PT1S',
    'PT1S ',
    'PT00:00:01',
    'P0000-00-00T00:00:01',
    'PT1 S',
    'PT-1S',
    '0.016',
    '16',
    'PT١S',
  ])('rejects %j', (text) => {
    expect(durationToMs(text)).toBeNull();
  });

  it('stays exact beyond the safe-integer fast path', () => {
    expect(durationToMs('PT9007199254740993S')).toBe(9007199254740993000);
    // biome-ignore lint/correctness/noPrecisionLoss: the literal is the decimal text; the test checks it parses to the same double
    expect(durationToMs('PT0.1234567890123456789S')).toBe(123.4567890123456789);
    // biome-ignore lint/correctness/noPrecisionLoss: as above
    expect(durationToMs('PT123456789012.3456789S')).toBe(123456789012345.6789);
    expect(durationToMs('P99999999999999999999D')).toBe(8.64e27);
    expect(durationToMs(`PT${'9'.repeat(400)}S`)).toBeNull();
    expect(durationToMs(`PT0.${'0'.repeat(302)}1S`)).toBe(1e-300);
    expect(durationToMs(`PT0.${'0'.repeat(400)}1S`)).toBe(0);
  });

  it('handles a very long input without blowing up', () => {
    expect(durationToMs(`PT${'0'.repeat(100_000)}1S`)).toBe(1000);
    expect(durationToMs(`P${'1D'.repeat(10_000)}`)).toBeNull();
  });

  const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{1,${max}}$`));
  const component = (max: number) =>
    fc.option(fc.tuple(digits(max), fc.option(fc.tuple(fc.constantFrom('.', ','), digits(max)), { nil: undefined })), { nil: undefined });

  it('agrees with the exact reference on well-formed durations (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(component(6), { minLength: 5, maxLength: 5 }),
        fc.array(component(25), { minLength: 5, maxLength: 5 }),
        fc.boolean(),
        (negative, short, long, useLong) => {
          const parts = useLong ? long : short;
          let text = negative ? '-P' : 'P';
          const units = ['W', 'D', 'H', 'M', 'S'];
          parts.forEach((part, index) => {
            if (index === 2 && parts.slice(2).some((p) => p !== undefined)) text += 'T';
            if (part === undefined) return;
            const [whole, fraction] = part;
            text += whole + (fraction ? fraction[0] + fraction[1] : '') + units[index];
          });
          const actual = durationToMs(text);
          expect(Object.is(actual, reference(text))).toBe(true);
        },
      ),
      { numRuns: 3000, seed: 20240301 },
    );
  });

  it('agrees with the reference on arbitrary strings over the duration alphabet (property)', () => {
    const alphabet = fc.constantFrom(...'PTWDHMSY-+.,0123456789 x'.split(''));
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 14 }).map((chars) => chars.join('')),
        (text) => {
          expect(Object.is(durationToMs(text), reference(text))).toBe(true);
        },
      ),
      { numRuns: 20_000, seed: 7 },
    );
  });

  it('agrees with the reference on Graph-like jitter values (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 7 }), (value, scale) => {
        const raw = String(value).padStart(scale + 1, '0');
        const text = `PT${raw.slice(0, -scale)}.${raw.slice(-scale)}S`;
        expect(durationToMs(text)).toBe(reference(text));
        // the same double as the decimal literal of the value in milliseconds
        expect(durationToMs(text)).toBe(Number(`${value}e${3 - scale}`));
      }),
      { numRuns: 5000, seed: 11 },
    );
  });
});
