import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shuffle } from './fixtures.js';
import {
  emptySketch,
  MIN_INDEXABLE,
  NO_INDEX,
  sketchAdd,
  sketchMapping,
  sketchMerge,
  sketchMergeInto,
  sketchPercentile,
  significant,
  ZERO_INDEX,
  type Sketch,
} from '../../src/rollup/sketch.js';

const mapping = sketchMapping(0.01);

function sketchOf(values: readonly number[]): Sketch {
  const sketch = emptySketch();
  for (const value of values) {
    const index = mapping.index(value);
    if (index !== NO_INDEX) sketchAdd(sketch, index, 1);
  }
  return sketch;
}

/** Nearest-rank percentile: the value of rank ceil(p/100 n), 1-based. */
function exactPercentile(values: readonly number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percent / 100) * sorted.length)) - 1]!;
}

function expectWithin(estimate: number | null, exact: number, accuracy: number): void {
  expect(estimate).not.toBeNull();
  if (exact <= MIN_INDEXABLE) expect(estimate).toBe(0);
  else expect(Math.abs(estimate! - exact) / exact).toBeLessThanOrEqual(accuracy + 1e-12);
}

const metricValue = fc.oneof(
  fc.constant(0),
  fc.double({ min: 1e-6, max: 1, noNaN: true }),
  fc.double({ min: 1, max: 5000, noNaN: true }),
  fc.integer({ min: 0, max: 300 }),
);

describe('log-bucket sketch', () => {
  it('answers nearest-rank percentiles within 1% on a small jitter dataset', () => {
    // averageJitter values in ms as the streams table has them, including zeros and a long tail.
    const jitter = [0, 0, 0, 1, 2, 2, 3, 3, 4, 5, 5, 6, 8, 9, 12, 15, 16, 22, 31, 47, 88, 150, 0.5, 7.25, 3.3];
    const sketch = sketchOf(jitter);
    for (const p of [1, 10, 25, 50, 75, 90, 95, 99, 100]) expectWithin(sketchPercentile(sketch, p, mapping), exactPercentile(jitter, p), 0.01);
    // the hand-checked ranks: n = 25, p50 -> rank 13, p90 -> rank 23, p99 -> rank 25.
    expect(exactPercentile(jitter, 50)).toBe(5);
    expect(exactPercentile(jitter, 90)).toBe(47);
    expect(exactPercentile(jitter, 99)).toBe(150);
  });

  it('keeps the stated relative error for any data and accuracy', () => {
    fc.assert(
      fc.property(
        fc.array(metricValue, { minLength: 1, maxLength: 200 }),
        fc.constantFrom(0.0001, 0.005, 0.01, 0.05, 0.2),
        fc.integer({ min: 1, max: 100 }),
        (values, accuracy, p) => {
          const m = sketchMapping(accuracy);
          const sketch = emptySketch();
          for (const value of values) sketchAdd(sketch, m.index(value), 1);
          expect(sketch.every(Number.isSafeInteger)).toBe(true);
          expectWithin(sketchPercentile(sketch, p, m), exactPercentile(values, p), accuracy);
        },
      ),
    );
  });

  it('is the same for the same multiset, whatever the order and partitioning', () => {
    fc.assert(
      fc.property(fc.array(metricValue, { maxLength: 120 }), fc.array(fc.nat(), { maxLength: 10 }), fc.nat(), (values, cuts, seed) => {
        const whole = sketchOf(values);
        const shuffled = shuffle(values, seed);
        const points = [...new Set(cuts.map((c) => c % (values.length + 1)))].sort((a, b) => a - b);
        let merged = emptySketch();
        let from = 0;
        for (const to of [...points, shuffled.length]) {
          merged = sketchMerge(sketchOf(shuffled.slice(from, to)), merged, 1);
          from = to;
        }
        expect(merged).toEqual(whole);
      }),
    );
  });

  it('subtracts exactly: adding then removing values gives back the previous sketch', () => {
    fc.assert(
      fc.property(fc.array(metricValue, { maxLength: 60 }), fc.array(metricValue, { maxLength: 60 }), (kept, removed) => {
        const before = sketchOf(kept);
        const after = sketchOf([...kept, ...removed]);
        expect(sketchMerge(after, sketchOf(removed), -1)).toEqual(before);
        for (const value of removed) sketchAdd(after, mapping.index(value), -1);
        expect(after).toEqual(before);
      }),
    );
  });

  it('keeps bucket indexes ascending with no zero counts', () => {
    const sketch = sketchOf([10, 0.01, 1000, 10, 0.5]);
    sketchAdd(sketch, mapping.index(1000), -1);
    const indexes = sketch.filter((_, at) => at % 2 === 1);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(sketch.filter((_, at) => at > 0 && at % 2 === 0).every((count) => count !== 0)).toBe(true);
    expect(sketch.length).toBe(1 + 2 * 3);
  });

  it('puts 0 and values up to MIN_INDEXABLE in the zero bucket and refuses negatives, NaN and infinity', () => {
    expect(mapping.index(0)).toBe(ZERO_INDEX);
    expect(mapping.index(MIN_INDEXABLE)).toBe(ZERO_INDEX);
    for (const edge of [MIN_INDEXABLE * 2, Number.MAX_VALUE, 1, 0.999]) expect(Math.abs(mapping.index(edge))).toBeLessThan(4e6);
    expect(Object.is(mapping.index(0.999), 0)).toBe(true); // not -0
    expect(sketchMapping(0.0001).index(Number.MAX_VALUE)).toBeLessThan(4e6);
    for (const bad of [-1, -0.001, Number.NaN, Infinity, -Infinity]) expect(mapping.index(bad)).toBe(NO_INDEX);
    const sketch = sketchOf([0, 0, 0, 4]);
    expect(sketch[0]).toBe(3);
    expect(sketchPercentile(sketch, 75, mapping)).toBe(0);
    expect(sketchPercentile(sketch, 76, mapping)).toBeCloseTo(4, 1);
  });

  it('has no percentile when empty or when a retraction left it negative', () => {
    expect(sketchPercentile(emptySketch(), 50, mapping)).toBeNull();
    const negative = emptySketch();
    sketchAdd(negative, mapping.index(3), -1);
    expect(sketchPercentile(negative, 50, mapping)).toBeNull();
  });
});

describe('sketchMergeInto (how the main thread merges partials)', () => {
  const bucketCounts = fc.array(fc.tuple(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -3, max: 3 })), { maxLength: 12 });
  const sketchFrom = (pairs: Array<[number, number]>, zero: number): Sketch => {
    const sketch = emptySketch();
    sketch[0] = zero;
    for (const [index, count] of pairs) if (count !== 0) sketchAdd(sketch, index, count);
    return sketch;
  };
  it('gives what sketchMerge gives, for any buckets, cancellations included; in place only when the bucket set stays', () => {
    fc.assert(
      fc.property(bucketCounts, bucketCounts, fc.integer({ min: -2, max: 2 }), (a, b, zero) => {
        const into = sketchFrom(a, zero);
        const from = sketchFrom(b, -zero);
        const expected = sketchMerge(into, from, 1);
        const before = [...into];
        const merged = sketchMergeInto(into, from);
        expect([...merged]).toEqual(expected);
        expect(merged.length).toBe(expected.length);
        if (merged !== into) expect(into).toEqual(before); // a new array leaves `into` untouched
      }),
    );
  });
  it('updates in place when every bucket is known, and subtracting gives the sketch back exactly', () => {
    const into = sketchOf([1, 2, 3, 50, 50]);
    const from = sketchOf([2, 50]);
    expect(sketchMergeInto(into, from)).toBe(into);
    const negated = from.map((v, i) => (i === 0 ? -v : i % 2 === 0 ? -v : v));
    expect(sketchMergeInto(into, negated)).toEqual(sketchOf([1, 2, 3, 50, 50]));
    // Cancelling a bucket out drops its pair: a new, shorter array.
    const gone = sketchMergeInto(sketchOf([7]), sketchMerge(emptySketch(), sketchOf([7]), -1));
    expect(gone).toEqual(emptySketch());
  });
});

describe('significant', () => {
  it('keeps 4 significant digits, exactly as written, and never -0', () => {
    expect(significant(29.856311414)).toBe(29.86);
    expect(significant(0.012345678)).toBe(0.01235);
    expect(significant(123456.7)).toBe(123500);
    expect(significant(4.39)).toBe(4.39);
    expect(Object.is(significant(-0), 0)).toBe(true);
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (value) => {
        const rounded = significant(value);
        return (
          Math.abs(rounded - value) <= value * 5e-4 * (1 + 1e-12) &&
          String(rounded)
            .replace(/^0\.0*|\./g, '')
            .replace(/e.*$/, '')
            .replace(/0+$/, '').length <= 4
        );
      }),
      { numRuns: 1000, seed: 5 },
    );
  });
});
