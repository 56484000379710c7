/** Option values parsed by the CLI: dates in UTC whatever the machine's zone, lists checked against their kinds. */
import { afterEach, describe, expect, it } from 'vitest';
import { listOf, parseDate } from '../src/options.js';

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('parseDate', () => {
  it('reads a date-time without an offset as UTC, never as the machine local time', () => {
    for (const tz of ['Asia/Tokyo', 'America/Los_Angeles', 'UTC']) {
      process.env.TZ = tz; // Node applies a changed TZ at once
      expect({ tz, at: parseDate('2026-11-01T08:00:00').toISOString() }).toEqual({ tz, at: '2026-11-01T08:00:00.000Z' });
      expect({ tz, at: parseDate('2026-11-01T08:00').toISOString() }).toEqual({ tz, at: '2026-11-01T08:00:00.000Z' });
      expect({ tz, at: parseDate('2026-11-01').toISOString() }).toEqual({ tz, at: '2026-11-01T00:00:00.000Z' });
    }
    expect(parseDate('2026-11-01T10:00:00+02:00').toISOString()).toBe('2026-11-01T08:00:00.000Z');
    expect(parseDate('2026-11-01T08:00:00.5Z').toISOString()).toBe('2026-11-01T08:00:00.500Z');
  });

  it('refuses what the records parser refuses', () => {
    for (const text of ['yesterday', '2026-02-30', '2026-11-01 08:00', '2026-11-01T08', '1', '2026-11-01T08:00+01']) {
      expect(() => parseDate(text), text).toThrow(/is not an ISO-8601 date/);
    }
  });
});

describe('listOf', () => {
  it('keeps known items, adds repeats, and names the unknown ones with the list', () => {
    const parse = listOf(['audio', 'video'], 'stream kind');
    expect(parse('audio, video', ['audio'])).toEqual(['audio', 'audio', 'video']);
    expect(() => parse('audio,smell,taste')).toThrow('unknown stream kind "smell", "taste" (expected audio, video)');
    expect(() => parse(',')).toThrow('unknown stream kind ""');
  });
});
