import { describe, expect, it } from 'vitest';
import { isoDuration, isoTime } from '../src/time.js';
import { durationMs } from './helpers.js';

describe('isoDuration', () => {
  it('writes milliseconds as Graph does', () => {
    expect(isoDuration(16)).toBe('PT0.016S');
    expect(isoDuration(30)).toBe('PT0.03S');
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(1500)).toBe('PT1.5S');
    expect(isoDuration(65_250)).toBe('PT1M5.25S');
    expect(isoDuration(3_602_000)).toBe('PT1H0M2S');
    expect(isoDuration(-5)).toBe('PT0S');
  });

  it('round-trips through an ISO-8601 parser to the millisecond', () => {
    for (const ms of [1, 7, 499, 500, 501, 59_999, 60_000, 123_456, 7_200_001]) expect(durationMs(isoDuration(ms))).toBeCloseTo(ms, 6);
  });
});

describe('isoTime', () => {
  it('writes seven fractional digits and parses back to the millisecond', () => {
    const ms = Date.UTC(2025, 2, 3, 9, 5, 7, 42);
    const text = isoTime(ms + 0.9, 1234);
    expect(text).toBe('2025-03-03T09:05:07.0421234Z');
    expect(Date.parse(text)).toBe(ms);
    expect(isoTime(Date.UTC(2025, 0, 1), 0)).toBe('2025-01-01T00:00:00.0000000Z');
    expect(isoTime(Date.UTC(2024, 11, 31, 23, 59, 59, 999), 9999)).toBe('2024-12-31T23:59:59.9999999Z');
  });
});
