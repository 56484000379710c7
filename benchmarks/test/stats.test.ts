import { describe, expect, it } from 'vitest';
import { median, medians, pairedRatio, wallTimes } from '../src/stats.js';
import type { Sample } from '../src/types.js';

const ok = (wallMs: number, maxRssKb = 100_000): Sample => ({ ok: true, wallMs, maxRssKb, records: 10, streams: 40 });

describe('median', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even count, whatever the order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([5, 5, 1, 9, 9])).toBe(5);
  });
  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
  it('refuses no values', () => {
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('pairedRatio', () => {
  it('compares each round with itself: drift that slows a whole round cancels out', () => {
    // Round 2 ran on a machine twice as slow for everyone: the ratio stays 2.
    expect(pairedRatio([200, 400, 200], [100, 200, 100])).toBe(2);
  });
  it('is the median of per-round ratios, not the ratio of medians', () => {
    // Per round 1, 3, 2 -> 2. The ratio of the medians would be 120 / 100 = 1.2.
    expect(pairedRatio([100, 900, 120], [100, 300, 60])).toBe(2);
  });
  it('is below 1 when the subject is slower', () => {
    expect(pairedRatio([100, 100], [400, 400])).toBe(0.25);
  });
  it('skips rounds where either side could not run, and is null when none is left', () => {
    expect(pairedRatio([null, 300, 200], [100, 100, null])).toBe(3);
    expect(pairedRatio([null, null], [100, 100])).toBeNull();
    expect(pairedRatio([], [])).toBeNull();
  });
  it('uses only the rounds both sides have', () => {
    expect(pairedRatio([200, 200, 200], [100])).toBe(2);
  });
});

describe('medians', () => {
  it('derives throughputs from the median wall time, in MB of 10^6 bytes', () => {
    const m = medians([ok(2000, 300_000), ok(1000, 100_000), ok(4000, 200_000)], 500e6)!;
    expect(m.wallMs).toBe(2000);
    expect(m.mbPerSec).toBe(250);
    expect(m.recordsPerSec).toBe(5);
    expect(m.streamsPerSec).toBe(20);
    expect(m.maxRssMb).toBeCloseTo((200_000 * 1024) / 1e6, 6);
  });
  it('leaves out runs that could not run, and is null when none ran', () => {
    expect(medians([{ ok: false, reason: 'too big' }, ok(1000)], 1e6)!.wallMs).toBe(1000);
    expect(medians([{ ok: false, reason: 'too big' }], 1e6)).toBeNull();
  });
  it('wallTimes keeps the round positions', () => {
    expect(wallTimes([ok(5), { ok: false, reason: 'x' }, ok(7)])).toEqual([5, null, 7]);
  });
});
